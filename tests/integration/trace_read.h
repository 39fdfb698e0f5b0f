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

/* The events of one type (pipe_read, sock_send, ...) of process pid, in order: up to max into
 * out; returns how many. */
static inline size_t events_of(json_object *trace, long long pid, const char *type,
			       json_object **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < jlen(trace, "events"); i++) {
		json_object *e = jat(trace, "events", i);

		if (jint(e, "pid") == pid && strcmp(jstr(e, "type"), type) == 0 && n < max)
			out[n++] = e;
	}
	return n;
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

#ifdef cmocka_unit_test	/* the test includes <cmocka.h> first */
/* DIR/NAME read as JSON; the test fails when it is not JSON. */
static inline json_object *json_file(const char *dir, const char *name)
{
	char path[300];
	json_object *t;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	t = json_object_from_file(path);
	if (!t)
		fail_msg("%s is not valid JSON", path);
	return t;
}

/* A scenario's trace DIR/SCENARIO.json, as `ipclab run -o DIR` wrote it: an ipclab trace with
 * nothing dropped and at least one claim, every claim PASS (fails the test otherwise). */
static inline json_object *scenario_trace(const char *dir, const char *scenario)
{
	char name[128];
	json_object *t;

	snprintf(name, sizeof(name), "%s.json", scenario);
	t = json_file(dir, name);
	assert_string_equal(jstr(t, "format"), "ipclab-trace");
	assert_int_equal(jint(jget(t, "meta"), "dropped"), 0);
	for (size_t i = 0; i < jlen(t, "claims"); i++)
		if (strcmp(jstr(jat(t, "claims", i), "status"), "PASS"))
			fail_msg("%s: claim %s failed: %s", scenario, jstr(jat(t, "claims", i), "id"),
				 jstr(jat(t, "claims", i), "detail"));
	assert_true(jlen(t, "claims") > 0);
	return t;
}
#endif

#endif
