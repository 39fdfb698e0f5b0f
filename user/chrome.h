/* chrome.h - Chrome Trace Event Format export (Perfetto UI, speedscope). */
#ifndef IPCLAB_CHROME_H
#define IPCLAB_CHROME_H

#include <stdio.h>
#include <stdbool.h>
#include <json-c/json.h>

/* Reading a trace event's fields (the export and the mechanisms' chrome_span hooks). */
static inline json_object *chrome_get(json_object *o, const char *k)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

static inline long long chrome_num(json_object *o, const char *k)
{
	return json_object_get_int64(chrome_get(o, k));
}

/* The string at k, or "" when it is absent or not a string. */
static inline const char *chrome_str(json_object *o, const char *k)
{
	json_object *v = chrome_get(o, k);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

/*
 * What the export draws for one event of a mechanism (mechanism.h, chrome_span): a slice on
 * the thread's track, a counter track sampled at its start and end, and the bytes it moved
 * through a queue, which become flow arrows from the writes to the reads that took them.
 */
struct chrome_span {
	char name[96];		/* the slice's name */
	const char *cat;	/* its category */
	const char *track;	/* counter track "TRACK <queue>" on "kernel buffers"; NULL: none */
	const char *keys[2];	/* the counter's two values ... */
	long long before[2];	/* ... at the event's start */
	long long after[2];	/* ... and at its end */
	long long queue;	/* the object whose queue the bytes went into or came from, -1 */
	long long bytes;	/* bytes moved (<= 0: no arrow) */
	bool into;		/* a write into the queue (else a read out of it) */
};

/*
 * Read the ipclab trace at path and write it to f as it is read, in bounded memory.
 * trace_read()'s return values: 0, -EBADMSG (err says why), -ENOMEM, or a write error
 * (-EIO, err empty).
 */
int export_chrome(const char *trace, FILE *f, char *err, size_t errlen);

#endif
