/* trace_read.h - read an ipclab trace back (check, export, view), streaming, in bounded
 * memory whatever its size, refusing bad input with a one-line reason. */
#ifndef IPCLAB_TRACE_READ_H
#define IPCLAB_TRACE_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

/*
 * Limits that keep a reader's memory bounded (docs/trace-format.md, "Reading a trace"):
 * a value of the file (meta, one process, one object, one claim, one event) larger than
 * TRACE_VALUE_MAX bytes is refused; a file whose top-level keys are not in the order the
 * writer emits them is read whole, which only a file up to trace_whole_max bytes (once
 * decompressed) may be.
 */
#define TRACE_VALUE_MAX (1u << 20)
#define TRACE_WHOLE_MAX (4u << 20)
extern size_t trace_whole_max;	/* TRACE_WHOLE_MAX; the unit tests lower it */

/* What came before the events, handed to events_begin(). */
struct trace_header {
	int version;
	json_object *meta;		/* the reader's: valid until trace_read() returns */
	size_t nprocesses, nobjects, nclaims;
};

/*
 * Called in file order: meta, each process, each object, each claim, events_begin, each
 * event, end.  Any may be NULL.  The objects handed over are the reader's and freed after
 * the call (json_object_get() keeps one).  A non-zero return (a negative errno) stops the
 * reading and is trace_read()'s return value, with err left empty.
 */
struct trace_visitor {
	int (*meta)(void *ctx, json_object *meta);
	int (*process)(void *ctx, json_object *p);
	int (*object)(void *ctx, json_object *o);
	int (*claim)(void *ctx, json_object *c);
	int (*events_begin)(void *ctx, const struct trace_header *h);
	int (*event)(void *ctx, json_object *e, size_t index);
	int (*end)(void *ctx, size_t nevents);
	void *ctx;
};

enum trace_read_flags {
	/* view: the header, the first event and (for an uncompressed file) the file's last
	 * bytes, instead of every event: enough to refuse what is not a whole trace, in
	 * constant time */
	TRACE_READ_HEADER = 1,
};

/*
 * Read PATH (a regular file; plain JSON or gzip, told by its first bytes), check it and
 * hand its parts to v (NULL: only check).  Returns 0, or:
 *   -EBADMSG  not a trace this ipclab reads (err says why: not JSON, truncated, ...)
 *   -ENOMEM   out of memory (err says so)
 *   -errno    the file cannot be opened or read (err says why)
 *   v's own error, with err empty.
 */
int trace_read(const char *path, const struct trace_visitor *v, unsigned flags, char *err,
	       size_t errlen);

/* Does fd hold a gzip file (its first two bytes)? */
bool trace_fd_is_gzip(int fd);

#endif
