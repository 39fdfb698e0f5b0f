/* trace_read.h - small helpers for integration tests that read ipclab JSON traces. */
#ifndef IPCLAB_TRACE_READ_H
#define IPCLAB_TRACE_READ_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#define ANY (-999999LL)	/* a value the test does not pin (a documented race) */

static inline json_object *jget(json_object *o, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static inline long long jint(json_object *o, const char *key)
{
	json_object *v = jget(o, key);

	return v ? json_object_get_int64(v) : ANY;
}

static inline const char *jstr(json_object *o, const char *key)
{
	json_object *v = jget(o, key);

	return v ? json_object_get_string(v) : "";
}

static inline size_t jlen(json_object *o, const char *key)
{
	json_object *a = jget(o, key);

	return a ? json_object_array_length(a) : 0;
}

static inline json_object *jat(json_object *o, const char *key, size_t i)
{
	return json_object_array_get_idx(jget(o, key), i);
}

/* pid of the process that named itself `comm` (prctl), or -1. */
static inline long long role_pid(json_object *trace, const char *comm)
{
	for (size_t i = 0; i < jlen(trace, "processes"); i++) {
		json_object *p = jat(trace, "processes", i);

		if (strcmp(jstr(p, "comm"), comm) == 0)
			return jint(p, "pid");
	}
	return -1;
}

#endif
