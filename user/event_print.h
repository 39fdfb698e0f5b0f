/* event_print.h - a trace event as one line of JSON, without building json-c objects. */
#ifndef IPCLAB_EVENT_PRINT_H
#define IPCLAB_EVENT_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "timeline.h"

#define EVENT_JSON_MAX 4096	/* an event's line always fits */

/* An event's line being printed: its buffer, what is used, and whether a key was put yet. */
struct jb {
	char *p;
	size_t len, cap;
	bool first;
};

/*
 * For the mechanisms' event_json hooks (mechanism.h): one "key":value each, with the text
 * rules of the core's own events.  A line that does not fit makes event_print() return 0.
 */
void jb_num_n(struct jb *b, const char *k, size_t kn, long long v);
void jb_null_n(struct jb *b, const char *k, size_t kn);
void jb_bool_n(struct jb *b, const char *k, size_t kn, bool v);
void jb_str_n(struct jb *b, const char *k, size_t kn, const char *s);
void jb_obj_n(struct jb *b, const char *k, size_t kn, int id);
void jb_result_n(struct jb *b, const char *k, size_t kn, __s64 r);
void jb_syscall_n(struct jb *b, const char *k, size_t kn, int nr);
void jb_fds(struct jb *b, const char *k, int a, int c);		/* [a,c] */

/* The key's length is counted here, at compile time for a literal key (most are). */
static inline void jb_num(struct jb *b, const char *k, long long v)
{
	jb_num_n(b, k, __builtin_strlen(k), v);
}

static inline void jb_null(struct jb *b, const char *k)
{
	jb_null_n(b, k, __builtin_strlen(k));
}

static inline void jb_bool(struct jb *b, const char *k, bool v)
{
	jb_bool_n(b, k, __builtin_strlen(k), v);
}

/* untrusted: dotted */
static inline void jb_str(struct jb *b, const char *k, const char *s)
{
	jb_str_n(b, k, __builtin_strlen(k), s);
}

/* id, null when < 0 */
static inline void jb_obj(struct jb *b, const char *k, int id)
{
	jb_obj_n(b, k, __builtin_strlen(k), id);
}

/* + "error" when -errno */
static inline void jb_result(struct jb *b, const char *k, __s64 r)
{
	jb_result_n(b, k, __builtin_strlen(k), r);
}

/* its name, null when < 0 */
static inline void jb_syscall(struct jb *b, const char *k, int nr)
{
	jb_syscall_n(b, k, __builtin_strlen(k), nr);
}

/* ["A","B"]: names the program chose (signal and flag names; not escaped) */
void jb_names(struct jb *b, const char *k, const char *const *names, size_t n);
/* "data" (len bytes of head, at most IPCLAB_DATA_LEN), and "data_tail" when with_tail;
 * each followed by "data_hex" / "data_tail_hex", the exact bytes, only when the text had
 * to dot one; nothing when len is 0 */
void jb_data(struct jb *b, const __u8 *head, const __u8 *tail, __u32 len, bool with_tail);

/* Print the event as a JSON object into buf; returns its length, 0 if it did not fit. */
size_t event_print(const struct timeline *tl, const struct tl_event *te, char *buf, size_t cap);

#endif
