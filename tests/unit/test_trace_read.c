// SPDX-License-Identifier: GPL-2.0
/*
 * test_trace_read.c - the streaming trace reader (user/trace_read.c): a trace as the writer
 * lays it out, cut anywhere, rewritten with other whitespace or another key order,
 * gzip-compressed, malformed; the order in which a visitor sees the parts; the header check
 * `view` uses; export --chrome's copy arrows on a pipe that keeps unread bytes.  (A Unix
 * socket trace read back and exported: mech/unix/tests/test_trace.c.)
 *
 * Every case runs twice where it matters: as a small file (read whole when its keys are out
 * of order) and as a "large" one (trace_whole_max = 0: streamed, never read whole).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>
#include "chrome.h"
#include "export.h"
#include "timeline.h"
#include "trace_json.h"
#include "trace_read.h"

/* Laid out as user/export.c writes it: 2 processes, 3 objects, 1 claim, 4 events. */
static const char good[] =
	"{\"format\":\"ipclab-trace\",\"version\":1,\n"
	"\"meta\":{\"tool\":\"ipclab 0.1.0\",\"kernel\":\"6.18\",\"tier\":\"tracepoint\","
	"\"scenario\":null,\"command\":\"sh\",\"events\":4},\n"
	"\"processes\":[{\"pid\":10,\"ppid\":1,\"comm\":\"w\"},{\"pid\":11,\"ppid\":10,"
	"\"comm\":\"r\"}],\n"
	"\"objects\":[{\"id\":0,\"kind\":\"pipe\"},{\"id\":1,\"kind\":\"pipe\"},"
	"{\"id\":2,\"kind\":\"mapping\"}],\n"
	"\"claims\":[{\"id\":\"c\",\"text\":\"a claim\",\"status\":\"PASS\",\"evidence\":[0]}],\n"
	"\"events\":[\n"
	"{\"t\":1,\"dur\":2,\"pid\":10,\"tid\":10,\"type\":\"pipe_write\",\"obj\":1,\"bytes\":1},\n"
	"{\"t\":3,\"dur\":2,\"pid\":10,\"tid\":10,\"type\":\"pipe_write\",\"obj\":0,\"bytes\":5},\n"
	"{\"t\":4,\"dur\":1,\"pid\":11,\"tid\":11,\"type\":\"pipe_read\",\"obj\":0,\"bytes\":5},\n"
	"{\"t\":9,\"pid\":11,\"tid\":11,\"type\":\"exit\"}\n"
	"]}\n";

/* The same trace, keys sorted (as `jq -S` or Python's sort_keys write it), pretty-printed. */
static const char sorted[] =
	"{\n  \"claims\": [{\"id\":\"c\",\"text\":\"a claim\",\"status\":\"PASS\"}],\n"
	"  \"events\": [\n"
	"    {\"t\":1,\"dur\":2,\"pid\":10,\"tid\":10,\"type\":\"pipe_write\",\"obj\":1,\"bytes\":1},\n"
	"    {\"t\":3,\"dur\":2,\"pid\":10,\"tid\":10,\"type\":\"pipe_write\",\"obj\":0,\"bytes\":5},\n"
	"    {\"t\":4,\"dur\":1,\"pid\":11,\"tid\":11,\"type\":\"pipe_read\",\"obj\":0,\"bytes\":5},\n"
	"    {\"t\":9,\"pid\":11,\"tid\":11,\"type\":\"exit\"}\n  ],\n"
	"  \"format\": \"ipclab-trace\",\n"
	"  \"meta\": {\"events\": 4, \"tool\": \"ipclab 0.1.0\"},\n"
	"  \"objects\": [{\"id\":0,\"kind\":\"pipe\"},{\"id\":1,\"kind\":\"pipe\"},"
	"{\"id\":2,\"kind\":\"mapping\"}],\n"
	"  \"processes\": [{\"pid\":10,\"comm\":\"w\"},{\"pid\":11,\"comm\":\"r\"}],\n"
	"  \"version\": 1\n}\n";

static char dir[64], path[128];
static char err[512];

/* What a visitor saw, in order: one letter per call (M P O C B E Z), and counts. */
struct seen {
	char order[64];
	size_t n, events, last_index;
	int fail_at;		/* return -EPIPE at this call (1-based); 0: never */
};

static int note(struct seen *s, char c)
{
	if (s->n + 1 < sizeof(s->order))
		s->order[s->n] = c;
	s->n++;
	return s->fail_at && (int)s->n == s->fail_at ? -EPIPE : 0;
}

static int v_meta(void *ctx, json_object *m)
{
	assert_true(json_object_is_type(m, json_type_object));
	return note(ctx, 'M');
}

static int v_process(void *ctx, json_object *p)
{
	return note(ctx, 'P');
}

static int v_object(void *ctx, json_object *o)
{
	return note(ctx, 'O');
}

static int v_claim(void *ctx, json_object *c)
{
	return note(ctx, 'C');
}

static int v_begin(void *ctx, const struct trace_header *h)
{
	assert_int_equal(h->version, 1);
	assert_int_equal(h->nprocesses, 2);
	assert_int_equal(h->nobjects, 3);
	assert_int_equal(h->nclaims, 1);
	assert_non_null(h->meta);
	return note(ctx, 'B');
}

static int v_event(void *ctx, json_object *e, size_t i)
{
	struct seen *s = ctx;

	assert_int_equal(i, s->events);
	s->events++;
	return note(ctx, 'E');
}

static int v_end(void *ctx, size_t n)
{
	assert_int_equal(n, ((struct seen *)ctx)->events);
	return note(ctx, 'Z');
}

static const char all_parts[] = "MPPOOOCBEEEEZ";

static void put(const char *name, const void *data, size_t n)
{
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void put_gz(const char *name, const void *data, size_t n)
{
	gzFile gz;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, data, n), (int)n);
	assert_int_equal(gzclose(gz), Z_OK);
}

/* Read path with a visitor that records; whole: small files may be read whole. */
static int read_with(struct seen *s, unsigned flags, bool whole)
{
	const struct trace_visitor v = {
		.meta = v_meta, .process = v_process, .object = v_object, .claim = v_claim,
		.events_begin = v_begin, .event = v_event, .end = v_end, .ctx = s,
	};
	size_t keep = trace_whole_max;
	int ret;

	memset(s->order, 0, sizeof(s->order));
	s->n = s->events = 0;
	if (!whole)
		trace_whole_max = 0;
	ret = trace_read(path, &v, flags, err, sizeof(err));
	trace_whole_max = keep;
	return ret;
}

/* Refused with a one-line reason that names the file and contains `why`. */
static void expect_bad(const char *what, bool whole, const char *why)
{
	struct seen s = { 0 };
	int ret = read_with(&s, 0, whole);

	if (ret != -EBADMSG || strncmp(err, path, strlen(path)) || strchr(err, '\n') ||
	    (why && !strstr(err, why)))
		fail_msg("%s (%s): ret %d, err \"%s\" (want -EBADMSG and \"%s\")", what,
			 whole ? "small" : "streamed", ret, err, why ? why : "");
}

/* good[] with the first `from` replaced by `to`, written to a file */
static void put_edit(const char *from, const char *to)
{
	char buf[sizeof(good) + 4096];
	const char *at = strstr(good, from);

	assert_non_null(at);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
	put("edit.json", buf, strlen(buf));
}

/* ------------------------------------------------------------------ good input */

static void test_good_streamed_in_order(void **state)
{
	struct seen s = { 0 };

	put("good.json", good, sizeof(good) - 1);
	for (int whole = 0; whole < 2; whole++) {
		assert_int_equal(read_with(&s, 0, whole), 0);
		assert_string_equal(s.order, all_parts);
		assert_int_equal(s.events, 4);
	}
	/* checking only: no visitor */
	assert_int_equal(trace_read(path, NULL, 0, err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

static void test_pretty_printed_streams(void **state)
{
	struct seen s = { 0 };
	char buf[sizeof(good) * 2];
	size_t n = 0;

	/* the writer's order with other white space: a newline and tabs after every ',' */
	for (const char *p = good; *p; p++) {
		buf[n++] = *p;
		if (*p == ',' || *p == '[' || *p == '{') {
			buf[n++] = '\n';
			buf[n++] = '\t';
		}
	}
	put("pretty.json", buf, n);
	assert_int_equal(read_with(&s, 0, false), 0);
	assert_string_equal(s.order, all_parts);
}

static void test_reordered_small_read_whole(void **state)
{
	struct seen s = { 0 };

	put("sorted.json", sorted, sizeof(sorted) - 1);
	/* small: parsed whole, handed over in the writer's order all the same */
	assert_int_equal(read_with(&s, 0, true), 0);
	assert_string_equal(s.order, all_parts);
	/* large: refused, saying why */
	expect_bad("sorted keys", false, "\"format\" is missing or comes after \"claims\"");
}

static void test_gzip(void **state)
{
	struct seen s = { 0 };
	char name[32];

	put_gz("good.json.gz", good, sizeof(good) - 1);
	for (int whole = 0; whole < 2; whole++) {
		assert_int_equal(read_with(&s, 0, whole), 0);
		assert_string_equal(s.order, all_parts);
	}
	put_gz("sorted.json.gz", sorted, sizeof(sorted) - 1);
	assert_int_equal(read_with(&s, 0, true), 0);
	assert_string_equal(s.order, all_parts);
	/* a gzip file cut short is refused, wherever it is cut */
	{
		FILE *f;
		char gz[4096];
		size_t n;

		put_gz("full.json.gz", good, sizeof(good) - 1);
		f = fopen(path, "r");
		assert_non_null(f);
		n = fread(gz, 1, sizeof(gz), f);
		fclose(f);
		for (size_t cut = 1; cut < n; cut += 7) {
			snprintf(name, sizeof(name), "cut%zu.json.gz", cut);
			put(name, gz, cut);
			expect_bad(name, true, NULL);
			expect_bad(name, false, NULL);
		}
	}
	/* corrupt compressed data */
	{
		char bad_gz[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage garbage garbage";

		put("corrupt.json.gz", bad_gz, sizeof(bad_gz) - 1);
		expect_bad("corrupt gzip", true, "gzip");
	}
}

/* ------------------------------------------------------------------ bad input */

static void test_truncated_anywhere(void **state)
{
	char name[32];

	/* every cut but those that only drop the final newline */
	for (size_t cut = 0; cut < sizeof(good) - 2; cut++) {
		snprintf(name, sizeof(name), "cut%zu.json", cut);
		put(name, good, cut);
		expect_bad(name, true, NULL);
		expect_bad(name, false, NULL);
		unlink(path);
	}
	/* cut at the end of an event line: the message says so */
	put("line.json", good, strstr(good, "\"exit\"}") - good + 7);
	expect_bad("cut after an event", false, "ends early");
	put("empty.json", "", 0);
	expect_bad("empty", false, "empty");
}

static void test_malformed(void **state)
{
	static const struct { const char *from, *to, *why; } edits[] = {
		{ "\"version\":1", "\"version\";1", "not valid JSON" },
		{ "\"events\":[\n", "\"events\":[,\n", "not valid JSON" },
		{ "\"bytes\":1}", "\"bytes\":1,}", "not valid JSON" },
		{ "\"comm\":\"w\"", "\"comm\":\"w", "not valid JSON" },
		{ "\"ipclab-trace\"", "\"chrome-trace\"", "not an ipclab trace" },
		{ "\"version\":1", "\"version\":2", "newer" },
		{ "\"version\":1", "\"version\":0", "version" },
		{ "\"version\":1", "\"version\":\"1\"", "version" },
		{ "\"version\":1", "\"version\":1,\"format\":\"other\"", "twice" },
		{ "\"events\":[\n", "\"events\":{},\"x\":[\n", "not an array" },
		{ "\"events\":[\n", "\"events\":{}}\n", "not an array" },
		{ "\"processes\":[", "\"processes\":{},\"p\":[", "not an array" },
		{ "\"events\":[\n", "\"events\":[1,\n", "event 0 is not an object" },
		{ "{\"t\":4,", "{\"T\":4,", "event 2 lacks t" },
		{ "{\"t\":4,", "{\"t\":1e999,", "event 2 lacks t" },
		{ "{\"t\":4,", "{\"t\":-4,", "out of range" },
		{ "{\"t\":4,", "{\"t\":2,", "event 2 is out of time order" },
		{ "\"events\":4}", "\"events\":5}", "meta.events is 5" },
		{ "\"status\":\"PASS\"", "\"status\":1", "claim 0 lacks" },
		{ "\"meta\":{", "\"mota\":{", "\"meta\" is missing" },
		{ "]}\n", "]}{}\n", "data after the end" },
		{ "]}\n", "]", "ends early" },
	};

	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		char what[160];

		snprintf(what, sizeof(what), "%s -> %s", edits[i].from, edits[i].to);
		put_edit(edits[i].from, edits[i].to);
		expect_bad(what, true, edits[i].why);
		expect_bad(what, false, edits[i].why);
	}
	put("nul.json", "{\"format\":\"ipclab-trace\",\0\"version\":1}", 37);
	expect_bad("a NUL byte", false, "not valid JSON");
	put("array.json", "[]", 2);
	expect_bad("an array", false, "not an object");
	put("text.json", "hello", 5);
	expect_bad("text", false, "not valid JSON");
}

/* A value over TRACE_VALUE_MAX is refused before json-c holds it; nesting is bounded. */
static void test_bounded_values(void **state)
{
	size_t n = TRACE_VALUE_MAX + 4096, head;
	char *buf = malloc(n + 64);

	assert_non_null(buf);
	head = sprintf(buf, "{\"format\":\"ipclab-trace\",\"version\":1,\"meta\":{\"x\":\"");
	memset(buf + head, 'a', n - head);
	strcpy(buf + n, "\"},");
	put("bigstring.json", buf, n + 3);
	expect_bad("a 1 MiB string", false, "larger than 1 MiB");
	expect_bad("a 1 MiB string", true, "larger than 1 MiB");
	head = sprintf(buf, "{\"format\":\"ipclab-trace\",\"version\":1,\"meta\":");
	memset(buf + head, '[', 1000);
	put("deep.json", buf, head + 1000);
	expect_bad("1000 nested arrays", false, "not valid JSON");
	free(buf);
	/* an unknown top-level key is skipped, wherever it is */
	put_edit("\"claims\":[", "\"future\":{\"a\":[1,2]},\"claims\":[");
	assert_int_equal(trace_read(path, NULL, 0, err, sizeof(err)), 0);
}

static void test_not_regular(void **state)
{
	struct seen s = { 0 };

	snprintf(path, sizeof(path), "%s", dir);
	assert_int_equal(read_with(&s, 0, false), -EBADMSG);
	assert_non_null(strstr(err, "directory"));
	snprintf(path, sizeof(path), "/dev/zero");
	assert_int_equal(read_with(&s, 0, false), -EBADMSG);
	assert_non_null(strstr(err, "not a regular file"));
	snprintf(path, sizeof(path), "%s/missing.json", dir);
	assert_int_equal(read_with(&s, 0, false), -ENOENT);
	assert_non_null(strstr(err, "No such file"));
}

/* ------------------------------------------------------------------ visitors and modes */

static void test_visitor_error_stops(void **state)
{
	struct seen s = { .fail_at = 6 };	/* the third object */

	put("good.json", good, sizeof(good) - 1);
	assert_int_equal(read_with(&s, 0, false), -EPIPE);
	assert_string_equal(err, "");		/* the visitor's error: the caller reports it */
	assert_int_equal(s.n, 6);
	s.fail_at = 0;
}

static void test_header_mode(void **state)
{
	struct seen s = { 0 };
	size_t cut = strstr(good, "{\"t\":9") - good;

	put("good.json", good, sizeof(good) - 1);
	assert_int_equal(read_with(&s, TRACE_READ_HEADER, false), 0);
	assert_string_equal(s.order, "MPPOOOCBE");	/* up to the first event */
	/* a large file cut between two events: its end gives it away */
	put("cut.json", good, cut);
	assert_int_equal(read_with(&s, TRACE_READ_HEADER, false), -EBADMSG);
	assert_non_null(strstr(err, "ends early"));
	/* a small one is read to the end all the same */
	assert_int_equal(read_with(&s, TRACE_READ_HEADER, true), -EBADMSG);
	/* a header that is wrong is found at once */
	put_edit("\"version\":1", "\"version\":7");
	assert_int_equal(read_with(&s, TRACE_READ_HEADER, false), -EBADMSG);
	assert_non_null(strstr(err, "newer"));
}

/* ------------------------------------------------------------------ export --chrome */

/*
 * Pipe 1 keeps its one byte to the end (nobody reads it): the 5 bytes written to pipe 0
 * and read back are still one copy arrow (one "s" and one "f" with the same id); the
 * byte in pipe 1 gets none.
 */
static void test_chrome_copies(void **state)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	put("good.json", good, sizeof(good) - 1);
	assert_int_equal(export_chrome(path, f, err, sizeof(err)), 0);
	fclose(f);
	assert_int_equal(count_of(out, "\"ph\":\"s\""), 1);
	assert_int_equal(count_of(out, "\"ph\":\"f\""), 1);
	assert_int_equal(count_of(out, "\"id\":1"), 2);
	assert_int_equal(count_of(out, "\"ph\":\"X\""), 3);
	assert_int_equal(count_of(out, "\"ph\":\"M\""), 5);	/* 2 processes x 2, kernel */
	assert_non_null(strstr(out, "{\"displayTimeUnit\":\"ns\""));
	assert_string_equal(out + len - 4, "\n]}\n");
	free(out);

	/* a full disk is named as such (export says "No space left on device", not "I/O"):
	 * 2000 events make more output than stdio buffers */
	{
		size_t cap = 2000 * 128 + sizeof(good), n;
		char *big = malloc(cap);
		const char *events = strstr(good, "{\"t\":1,");
		const char *count = strstr(good, "\"events\":4}");

		assert_non_null(big);
		/* good's header with meta.events 2000 */
		n = snprintf(big, cap, "%.*s\"events\":2000}%.*s", (int)(count - good), good,
			     (int)(events - count - 11), count + 11);
		for (int i = 0; i < 2000; i++)
			n += snprintf(big + n, cap - n, "%s{\"t\":%d,\"dur\":1,\"pid\":10,\"tid\":10,"
				      "\"type\":\"syscall\",\"name\":\"getpid\"}", i ? ",\n" : "", i);
		n += snprintf(big + n, cap - n, "\n]}\n");
		put("big.json", big, n);
		free(big);
		assert_int_equal(trace_read(path, NULL, 0, err, sizeof(err)), 0);
	}
	f = fopen("/dev/full", "w");
	assert_non_null(f);
	assert_int_equal(export_chrome(path, f, err, sizeof(err)), -ENOSPC);
	assert_string_equal(err, "");
	fclose(f);

	/* a bad trace: an error, and what was written is the caller's to drop */
	put_edit("]}\n", "]");
	f = open_memstream(&out, &len);
	assert_int_equal(export_chrome(path, f, err, sizeof(err)), -EBADMSG);
	fclose(f);
	free(out);
}


static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/ipclab-unit-read.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_streamed_in_order),
		cmocka_unit_test(test_pretty_printed_streams),
		cmocka_unit_test(test_reordered_small_read_whole),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_truncated_anywhere),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bounded_values),
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_visitor_error_stops),
		cmocka_unit_test(test_header_mode),
		cmocka_unit_test(test_chrome_copies),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
