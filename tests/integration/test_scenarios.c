// SPDX-License-Identifier: GPL-2.0
/*
 * test_scenarios.c - every pipe scenario under real BPF, checked to the byte.
 *
 * The group setup runs `ipclab run` once for all scenarios (as root, with the probe tier
 * from IPCLAB_TEST_TIER, default auto).  Each test then reads that scenario's trace and
 * compares the exact sequence of pipe operations per process: result, occupancy before
 * and after in bytes and in slots.  Values marked ANY are real races on two CPUs (a woken
 * peer may consume before the waker's return is sampled); each one says why.
 * Without the probes the traces are empty and every test fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>
#include "trace_read.h"

static char outdir[] = "/tmp/ipclab-itest.XXXXXX";
static int run_status = -1;

struct op {
	long long result, occ_before, occ_after, slots_before, slots_after;
};

static void expect_field(json_object *e, const char *key, long long want, const char *ctx,
			 size_t k)
{
	long long got = jint(e, key);

	if (want == ANY)
		return;
	if (got != want)
		fail_msg("%s #%zu: %s = %lld, expected %lld", ctx, k, key, got, want);
}

/* The process named `role` made exactly these reads or writes, in this order. */
static void expect_ops(json_object *trace, const char *role, const char *type,
		       const struct op *want, size_t n)
{
	json_object *got[512];
	long long pid = role_pid(trace, role);
	size_t m;
	char ctx[64];

	if (pid < 0)
		fail_msg("no process named %s in the trace", role);
	m = events_of(trace, pid, type, got, 512);
	snprintf(ctx, sizeof(ctx), "%s %s", role, type);
	if (m != n)
		fail_msg("%s: %zu events, expected %zu", ctx, m, n);
	for (size_t k = 0; k < n; k++) {
		expect_field(got[k], "bytes", want[k].result, ctx, k);
		expect_field(got[k], "occ_before", want[k].occ_before, ctx, k);
		expect_field(got[k], "occ_after", want[k].occ_after, ctx, k);
		expect_field(got[k], "slots_before", want[k].slots_before, ctx, k);
		expect_field(got[k], "slots_after", want[k].slots_after, ctx, k);
	}
}

/* The block event inside the k-th `type` op of `role`; returns it or fails. */
static json_object *block_in(json_object *trace, const char *role, const char *type, size_t k)
{
	json_object *ops[512], *evs = jget(trace, "events");
	long long pid = role_pid(trace, role);
	size_t n = events_of(trace, pid, type, ops, 512);
	long long start, end;

	if (k >= n)
		fail_msg("%s has no %s #%zu", role, type, k);
	start = jint(ops[k], "t");
	end = start + jint(ops[k], "dur");
	for (size_t i = 0; i < json_object_array_length(evs); i++) {
		json_object *e = json_object_array_get_idx(evs, i);

		if (strcmp(jstr(e, "type"), "block") == 0 && jint(e, "tid") == jint(ops[k], "tid") &&
		    jint(e, "t") >= start && jint(e, "t") + jint(e, "dur") <= end)
			return e;
	}
	fail_msg("%s's %s #%zu never slept", role, type, k);
	return NULL;
}

static void expect_woken_by(json_object *blk, json_object *trace, const char *role,
			    const char *syscall, long long min_ms)
{
	json_object *w = jget(blk, "waker");

	assert_non_null(w);
	assert_int_equal(jint(w, "pid"), role_pid(trace, role));
	assert_string_equal(jstr(w, "syscall"), syscall);
	assert_int_equal(jint(w, "obj"), jint(blk, "obj"));
	if (jint(blk, "dur") < min_ms * 1000000LL)
		fail_msg("slept %lld ns, expected at least %lld ms", jint(blk, "dur"), min_ms);
}

static json_object *load(const char *scenario)
{
	return scenario_trace(outdir, scenario);
}

#define K4 4096LL

static size_t count_kind(json_object *t, const char *kind)
{
	size_t n = 0;

	for (size_t i = 0; i < jlen(t, "objects"); i++)
		n += strcmp(jstr(jat(t, "objects", i), "kind"), kind) == 0;
	return n;
}


static void test_transfer(void **state)
{
	json_object *t = load("pipe_transfer");
	/* 1000 takes a slot; 1000 and 1000 merge into it; 5000 tops it up with 904 and
	 * takes a second page */
	const struct op w[] = {
		{ 1000, 0, 1000, 0, 1 }, { 1000, 1000, 2000, 1, 1 },
		{ 1000, 2000, 3000, 1, 1 }, { 5000, 3000, 8000, 1, 2 },
	};
	const struct op r[] = { { 8000, 8000, 0, 2, 0 }, { 0, 0, 0, 0, 0 } };

	expect_ops(t, "writer", "pipe_write", w, 4);
	expect_ops(t, "reader", "pipe_read", r, 2);
	json_object_put(t);
}

static void test_read_blocks(void **state)
{
	json_object *t = load("pipe_read_blocks");
	/* the woken reader may empty the pipe before the writer's return is sampled */
	const struct op w[] = { { 64, 0, ANY, 0, ANY } };
	const struct op r[] = { { 64, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0 } };

	expect_ops(t, "writer", "pipe_write", w, 1);
	expect_ops(t, "reader", "pipe_read", r, 2);
	expect_woken_by(block_in(t, "reader", "pipe_read", 0), t, "writer", "write", 150);
	json_object_put(t);
}

static void test_eof(void **state)
{
	json_object *t = load("pipe_eof");
	/* the reader's first read races the writer's write: it finds 0 or 100 bytes */
	const struct op w[] = { { 100, 0, ANY, 0, ANY } };
	const struct op r[] = { { 100, ANY, 0, ANY, 0 }, { 0, 0, 0, 0, 0 } };
	json_object *blk;

	expect_ops(t, "writer", "pipe_write", w, 1);
	expect_ops(t, "reader", "pipe_read", r, 2);
	blk = block_in(t, "reader", "pipe_read", 1);
	assert_int_equal(jint(jget(blk, "waker"), "pid"), role_pid(t, "writer"));
	assert_true(jint(blk, "dur") >= 150000000LL);
	json_object_put(t);
}

static void test_write_blocks(void **state)
{
	json_object *t = load("pipe_write_blocks");
	struct op w[17];
	/* the woken writer may refill the slot before the reader's return is sampled */
	const struct op r[] = {
		{ K4, 16 * K4, ANY, 16, ANY }, { 16 * K4, 16 * K4, 0, 16, 0 }, { 0, 0, 0, 0, 0 },
	};

	for (int k = 0; k < 16; k++)
		w[k] = (struct op){ K4, k * K4, (k + 1) * K4, k, k + 1 };
	/* the 17th write enters with 16/16 slots, sleeps, and leaves the ring full again */
	w[16] = (struct op){ K4, 16 * K4, 16 * K4, 16, 16 };
	expect_ops(t, "writer", "pipe_write", w, 17);
	expect_ops(t, "reader", "pipe_read", r, 3);
	expect_woken_by(block_in(t, "writer", "pipe_write", 16), t, "reader", "read", 200);
	json_object_put(t);
}

static long long signal_result(json_object *t, const char *role, const char *want_result)
{
	for (size_t i = 0; i < jlen(t, "events"); i++) {
		json_object *e = jat(t, "events", i);

		if (!strcmp(jstr(e, "type"), "signal") && jint(e, "pid") == role_pid(t, role) &&
		    !strcmp(jstr(e, "signal"), "SIGPIPE"))
			return !strcmp(jstr(e, "result"), want_result);
	}
	return -1;
}

static json_object *exit_of(json_object *t, const char *role)
{
	for (size_t i = 0; i < jlen(t, "events"); i++) {
		json_object *e = jat(t, "events", i);

		if (!strcmp(jstr(e, "type"), "exit") && jint(e, "pid") == role_pid(t, role))
			return e;
	}
	fail_msg("no exit of %s", role);
	return NULL;
}

static void test_sigpipe(void **state)
{
	json_object *t = load("pipe_sigpipe");
	const struct op w[] = { { -32, 0, 0, 0, 0 } };	/* -EPIPE */

	expect_ops(t, "writer", "pipe_write", w, 1);
	assert_int_equal(signal_result(t, "writer", "delivered"), 1);
	assert_string_equal(jstr(exit_of(t, "writer"), "signal"), "SIGPIPE");
	json_object_put(t);
}

static void test_epipe(void **state)
{
	json_object *t = load("pipe_epipe");
	const struct op w[] = { { -32, 0, 0, 0, 0 } };

	expect_ops(t, "writer", "pipe_write", w, 1);
	assert_int_equal(signal_result(t, "writer", "ignored"), 1);
	assert_int_equal(jint(exit_of(t, "writer"), "code"), 0);
	json_object_put(t);
}

static void test_nonblock(void **state)
{
	json_object *t = load("pipe_nonblock");
	const struct op r[] = {
		{ -11, 0, 0, 0, 0 }, { 10, 10, 0, 1, 0 }, { 10, 10, 0, 1, 0 }, { 0, 0, 0, 0, 0 },
	};
	const struct op w[] = { { 10, 0, 10, 0, 1 }, { 10, 0, 10, 0, 1 } };

	expect_ops(t, "nonblock", "pipe_read", r, 4);
	expect_ops(t, "nonblock", "pipe_write", w, 2);
	json_object_put(t);
}

static void test_capacity(void **state)
{
	json_object *t = load("pipe_capacity");
	struct op w[18];

	for (int k = 0; k < 16; k++)
		w[k] = (struct op){ K4, k * K4, (k + 1) * K4, k, k + 1 };
	w[16] = (struct op){ -11, 16 * K4, 16 * K4, 16, 16 };	/* EAGAIN */
	w[17] = (struct op){ -11, 16 * K4, 16 * K4, 16, 16 };	/* even 1 byte */
	expect_ops(t, "capacity", "pipe_write", w, 18);
	json_object_put(t);
}

static void test_resize(void **state)
{
	json_object *t = load("pipe_resize");
	struct op w[67];
	int n = 0;

	for (int k = 0; k < 2; k++)
		w[n++] = (struct op){ K4, k * K4, (k + 1) * K4, k, k + 1 };
	w[n++] = (struct op){ -11, 2 * K4, 2 * K4, 2, 2 };
	for (int k = 2; k < 64; k++)
		w[n++] = (struct op){ K4, k * K4, (k + 1) * K4, k, k + 1 };
	w[n++] = (struct op){ -11, 64 * K4, 64 * K4, 64, 64 };
	expect_ops(t, "resize", "pipe_write", w, n);
	json_object_put(t);
}

static void test_two_way(void **state)
{
	json_object *t = load("pipe_two_way");
	/* each message may be consumed before its writer's return is sampled */
	const struct op w[] = { { 16, 0, ANY, 0, ANY }, { 16, 0, ANY, 0, ANY },
				{ 16, 0, ANY, 0, ANY } };
	const struct op r[] = { { 16, ANY, 0, ANY, 0 }, { 16, ANY, 0, ANY, 0 },
				{ 16, ANY, 0, ANY, 0 }, { 0, 0, 0, 0, 0 } };

	expect_ops(t, "parent", "pipe_write", w, 3);
	expect_ops(t, "child", "pipe_write", w, 3);
	expect_ops(t, "parent", "pipe_read", r, 4);
	expect_ops(t, "child", "pipe_read", r, 4);
	assert_int_equal(count_kind(t, "pipe"), 2);
	json_object_put(t);
}

static void test_atomic(void **state)
{
	json_object *t = load("pipe_atomic");
	struct op w[16], r[48];
	const char *writers[] = { "writer-A", "writer-B", "writer-C" };

	for (int k = 0; k < 16; k++)
		w[k] = (struct op){ K4, ANY, ANY, ANY, ANY };
	for (int k = 0; k < 48; k++)
		r[k] = (struct op){ K4, ANY, ANY, ANY, ANY };
	for (int i = 0; i < 3; i++)
		expect_ops(t, writers[i], "pipe_write", w, 16);
	expect_ops(t, "reader", "pipe_read", r, 48);
	json_object_put(t);
}

static void test_atomic_large(void **state)
{
	json_object *t = load("pipe_atomic_large");
	const struct op w[] = { { 200000, ANY, ANY, ANY, ANY } };

	expect_ops(t, "writer-A", "pipe_write", w, 1);
	expect_ops(t, "writer-B", "pipe_write", w, 1);
	block_in(t, "writer-A", "pipe_write", 0);
	json_object_put(t);
}

/* Every claim cites the events it was decided on (issue #14 section 3: the viewer shows
 * them), each an index into the trace's events. */
static void expect_evidence(json_object *t, const char *scenario)
{
	long long nevents = (long long)jlen(t, "events");

	for (size_t i = 0; i < jlen(t, "claims"); i++) {
		json_object *c = jat(t, "claims", i);
		size_t n = jlen(c, "evidence");

		if (n == 0)
			fail_msg("%s: claim %s cites no events (%s)", scenario, jstr(c, "id"),
				 jstr(c, "detail"));
		for (size_t k = 0; k < n; k++) {
			json_object *v = jat(c, "evidence", k);
			long long at = v ? json_object_get_int64(v) : -1;

			if (!v || !json_object_is_type(v, json_type_int) || at < 0 || at >= nevents)
				fail_msg("%s: claim %s cites event %lld of %lld", scenario,
					 jstr(c, "id"), at, nevents);
		}
	}
}

/* Every scenario `ipclab list` names has a trace, and every claim in it PASSed and cites
 * events of that trace. */
static void test_every_scenario_every_claim(void **state)
{
	char cmd[512], name[128];
	FILE *list;
	int n = 0;

	snprintf(cmd, sizeof(cmd), "%s list | awk '/^  /{print $1}'", IPCLAB_BIN);
	list = popen(cmd, "r");
	assert_non_null(list);
	while (fscanf(list, "%127s", name) == 1) {
		json_object *t = load(name);	/* fails on any FAIL claim */

		expect_evidence(t, name);
		json_object_put(t);
		n++;
	}
	pclose(list);
	assert_true(n >= 29);	/* 12 pipe + 7 FIFO + 10 mmap scenarios */
}

/* FIFO: the bytes of the notes' example cross the kernel buffer of a kind-fifo object. */
static void test_fifo_hello_bytes(void **state)
{
	json_object *t = load("fifo_hello");
	const struct op w[] = { { 11, ANY, ANY, ANY, ANY } };
	const struct op r[] = { { 11, ANY, 0, ANY, 0 }, { 0, 0, 0, 0, 0 } };

	expect_ops(t, "writer", "pipe_write", w, 1);
	expect_ops(t, "reader", "pipe_read", r, 2);
	assert_int_equal(count_kind(t, "fifo"), 1);
	json_object_put(t);
}

/* Every trace the run wrote matches docs/trace.schema.json (and the cross-checks). */
static void test_traces_match_schema(void **state)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/tests/schema/validate_traces.py "
		 "%s/docs/trace.schema.json %s/*.json", SOURCE_DIR, SOURCE_DIR, outdir);
	assert_int_equal(system(cmd), 0);
	/* and the validator is not a rubber stamp: each known-bad trace is rejected */
	snprintf(cmd, sizeof(cmd), "for f in %s/tests/schema/bad/*.json; do /usr/bin/python3 "
		 "%s/tests/schema/validate_traces.py %s/docs/trace.schema.json $f >/dev/null "
		 "&& exit 1; done; exit 0", SOURCE_DIR, SOURCE_DIR, SOURCE_DIR);
	assert_int_equal(system(cmd), 0);
}

/* Every scenario's trace exports to Chrome Trace Event Format that passes the checks
 * Perfetto and speedscope depend on (tests/schema/check_chrome.py). */
static void test_chrome_export(void **state)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "for f in %s/*.json; do case $f in *.chrome.json) continue;; esac; "
		 "%s export -q --chrome $f -o $f.chrome.json || exit 1; done; "
		 "/usr/bin/python3 %s/tests/schema/check_chrome.py %s/*.chrome.json > %s/chrome.out",
		 outdir, IPCLAB_BIN, SOURCE_DIR, outdir, outdir);
	assert_int_equal(system(cmd), 0);
}

/*
 * `ipclab check` judges every claim again on a timeline rebuilt from the trace's events
 * (user/rederive.c): each verdict must be the one `run` stored (status, detail, detail_zh,
 * evidence), or check says "differing from the stored verdicts" (which claim: check.out).  Every
 * mechanism's printers and their inverses meet here.
 */
static void test_check_rederives(void **state)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "cd %s && %s check $(ls *.json | grep -v '\\.chrome\\.json$') "
		 "> check.out 2>&1", outdir, IPCLAB_BIN);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "grep -B1 '        stored\\|not in the trace' %s/check.out; "
		 "test $(grep -c 'valid trace' %s/check.out) -eq $(%s list | grep -c '^  ') && "
		 "! grep -q 'differing from the stored' %s/check.out", outdir, outdir, IPCLAB_BIN,
		 outdir);
	assert_int_equal(system(cmd), 0);
	/* and judged on what the events say: without its block events, pipe_write_blocks'
	 * writer no longer sleeps (a copy out of the way of the other tests' *.json) */
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/tampered && /usr/bin/python3 -c \"import json,sys; "
		 "t=json.load(open(sys.argv[1])); t['events']=[e for e in t['events'] if "
		 "e['type']!='block']; t['meta']['events']=len(t['events']); "
		 "json.dump(t,open(sys.argv[2],'w'))\" %s/pipe_write_blocks.json "
		 "%s/tampered/pwb.json && %s check %s/tampered/pwb.json > %s/tampered/check.out; "
		 "test $? -eq 1 && grep -q 'stored PASS, the events now say FAIL' "
		 "%s/tampered/check.out", outdir, outdir, outdir, IPCLAB_BIN, outdir, outdir, outdir);
	assert_int_equal(system(cmd), 0);
}

static int run_all(void **state)
{
	char cmd[512];
	const char *tier = getenv("IPCLAB_TEST_TIER");

	if (!mkdtemp(outdir))
		return -1;
	snprintf(cmd, sizeof(cmd), "%s run -o %s --tier %s > %s/run.out 2>&1", IPCLAB_BIN, outdir,
		 tier ? tier : "auto", outdir);
	run_status = system(cmd);
	return 0;
}

static void test_run_exit_status(void **state)
{
	/* every claim passed, so `ipclab run` exits 0 */
	assert_int_equal(run_status, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_exit_status),
		cmocka_unit_test(test_transfer),
		cmocka_unit_test(test_read_blocks),
		cmocka_unit_test(test_eof),
		cmocka_unit_test(test_write_blocks),
		cmocka_unit_test(test_sigpipe),
		cmocka_unit_test(test_epipe),
		cmocka_unit_test(test_nonblock),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_two_way),
		cmocka_unit_test(test_atomic),
		cmocka_unit_test(test_atomic_large),
		cmocka_unit_test(test_every_scenario_every_claim),
		cmocka_unit_test(test_fifo_hello_bytes),
		cmocka_unit_test(test_traces_match_schema),
		cmocka_unit_test(test_check_rederives),
		cmocka_unit_test(test_chrome_export),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "integration tests load BPF: run them as root (sudo make test)\n");
		return 77;	/* ctest SKIP_RETURN_CODE */
	}
	return cmocka_run_group_tests_name("scenarios", tests, run_all, NULL);
}
