/*
 * round_trip.h - the steps a mechanism's trace test shares: its timeline written as a trace
 * file, read back event by event against what the writer printed, and exported to Chrome.
 * With an environment variable set (tests/unit/tests.cmake names one per mechanism), the
 * trace and its Chrome export are also copied there, for the schema checks.
 * Include it after <cmocka.h>.
 */
#ifndef IPCLAB_TEST_ROUND_TRIP_H
#define IPCLAB_TEST_ROUND_TRIP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "chrome.h"
#include "export.h"
#include "timeline.h"
#include "trace_read.h"

/* Write t to path as export_trace() does for a tracepoint-tier run of command. */
static inline void write_test_trace(const char *path, const struct timeline *t,
				    const char *command, const char *copy_env)
{
	struct trace_meta m = { .page_size = 4096, .t0 = t->t0, .end_reason = "exited",
				.tier = TIER_TRACEPOINT };
	const char *copy = getenv(copy_env);
	FILE *f;

	strcpy(m.kernel, "6.18.0-test");
	strcpy(m.machine, "x86_64");
	snprintf(m.command, sizeof(m.command), "%s", command);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(export_trace(f, &m, t, NULL), 0);
	assert_int_equal(fclose(f), 0);
	if (copy) {
		char cmd[1024];

		snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", path, copy);
		assert_int_equal(system(cmd), 0);
	}
}

/* The visitor's context: each event read back must equal the writer's JSON for it. */
struct read_back {
	const struct timeline *tl;
	const char *prefix;	/* events whose type starts with it are counted in `matching` */
	const char *kinds;	/* read_back_object: what every object's kind starts with */
	size_t objects, events, matching;
};

/* A trace_visitor's object callback: ids in order from 0, every kind starting with b->kinds. */
static inline int read_back_object(void *ctx, json_object *o)
{
	struct read_back *b = ctx;
	const char *kind = json_object_get_string(json_object_object_get(o, "kind"));

	assert_int_equal(json_object_get_int64(json_object_object_get(o, "id")), b->objects);
	assert_non_null(kind);
	assert_int_equal(strncmp(kind, b->kinds, strlen(b->kinds)), 0);
	b->objects++;
	return 0;
}

/* Key for key, in the same order: a trace_visitor's event callback on a struct read_back. */
static inline int read_back_event(void *ctx, json_object *e, size_t i)
{
	struct read_back *b = ctx;
	json_object *want = event_to_json(b->tl, &b->tl->ev[i]);
	const char *type = json_object_get_string(json_object_object_get(e, "type"));

	assert_non_null(want);
	assert_string_equal(json_object_to_json_string_ext(e, JSON_C_TO_STRING_PLAIN),
			    json_object_to_json_string_ext(want, JSON_C_TO_STRING_PLAIN));
	json_object_put(want);
	b->matching += !strncmp(type, b->prefix, strlen(b->prefix));
	b->events++;
	return 0;
}

/* The Chrome export of the trace at path, as a string the caller frees; copied to
 * $copy_env.chrome.json when that variable is set (tests/schema/check_chrome.py). */
static inline char *chrome_of(const char *path, const char *copy_env)
{
	const char *copy = getenv(copy_env);
	char err[256];
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	assert_int_equal(export_chrome(path, f, err, sizeof(err)), 0);
	assert_int_equal(fclose(f), 0);
	if (copy) {
		char name[1024];

		snprintf(name, sizeof(name), "%s.chrome.json", copy);
		f = fopen(name, "w");
		assert_non_null(f);
		assert_int_equal(fwrite(out, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
	}
	return out;
}

#endif
