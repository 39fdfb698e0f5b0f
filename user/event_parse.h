/* event_parse.h - a trace event read back from its JSON into a record (struct ipclab_event)
 * and a timeline event: the inverse of event_print.h, for `ipclab check`, which re-runs the
 * scenarios' claims on what a trace's events say (user/rederive.c). */
#ifndef IPCLAB_EVENT_PARSE_H
#define IPCLAB_EVENT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>
#include "timeline.h"

/*
 * For the mechanisms' *_from_json hooks (mechanism.h): one key each, the value the printer
 * wrote, or the default when the key is absent, null or of another type.
 */
long long jp_num(json_object *o, const char *k, long long def);
bool jp_bool(json_object *o, const char *k);		/* absent: false */
const char *jp_str(json_object *o, const char *k);	/* absent: "" */
bool jp_has(json_object *o, const char *k);		/* present and not null */
int jp_obj(json_object *o, const char *k);		/* an object id, -1 when null */
void jp_text(json_object *o, const char *k, char *dst, size_t n);	/* cut to n - 1 */
int jp_syscall(json_object *o, const char *k);		/* a syscall's number, -1 when null */
/* An array's length, 0 when k is not an array; its i-th string, "" when not a string. */
size_t jp_len(json_object *o, const char *k);
const char *jp_str_at(json_object *o, const char *k, size_t i);
/* "fds": [a, b] into fds (kept when absent) */
void jp_fds(json_object *o, const char *k, __s32 fds[2]);
/* "data"/"data_tail" (or their "_hex" forms, exact, when present) into head and tail; the
 * head's length */
__u32 jp_data(json_object *o, __u8 *head, __u8 *tail);

/* The syscall number of a name syscall_name() gives (or "syscall_N"), -1 if unknown. */
int syscall_nr_of(const char *name);

/*
 * One event of a trace as a record (*e, zeroed first) and a timeline event (*te, its e
 * pointing to e) whose t, dur, obj, waker_obj, page, major, write and peer are what the
 * JSON says.  tl holds the trace's objects and t0.  An event of a type no printer makes
 * becomes a record of type 0 (skipped by every query for a type).  0.
 */
int event_parse(const struct timeline *tl, json_object *ev, struct ipclab_event *e,
		struct tl_event *te);

/* A stand-in for the kernel address of object id (which traces do not carry): distinct for
 * each object, 0 for none (id < 0). */
static inline __u64 obj_kptr(int id)
{
	return id < 0 ? 0 : 0xffff888000000000ULL + ((__u64)id << 12);
}

#endif
