// SPDX-License-Identifier: GPL-2.0
/*
 * test_rederive.c - `ipclab check` judges a scenario's claims again on a timeline rebuilt
 * from the trace's events (user/rederive.c).  On traces `ipclab run` wrote (one or more per
 * mechanism, tests/unit/fixtures/rederive/, gzip), every claim comes out exactly as stored:
 * status, detail, detail_zh, evidence.  Edited copies are judged on what they now say.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>
#include "rederive.h"

#define FIX SOURCE_DIR "/tests/unit/fixtures/rederive/"
#define PWB FIX "pipe_write_blocks.json.gz"

static const char *const fixtures[] = {
	"pipe_write_blocks", "fifo_on_disk", "mmap_shared_file", "shm_posix", "unix_nonblock",
	"unix_epipe", "unix_server_client", "signal_kill_handler", "mq_notify",
};

static struct rederive rd;
static struct claim_set cs;
static char err[512];

/* Read path and judge its claims again: rederive_claims()'s return. */
static int judge(const char *path)
{
	rederive_free(&rd);
	assert_int_equal(rederive_read(path, &rd, err, sizeof(err)), 0);
	return rederive_claims(&rd, &cs);
}

static const struct claim *claim_of(const char *id)
{
	for (int i = 0; i < cs.n; i++)
		if (!strcmp(cs.c[i].id, id))
			return &cs.c[i];
	fail_msg("no claim %s", id);
	return NULL;
}

static void test_fixtures_judged_as_stored(void **state)
{
	char path[512];

	(void)state;
	for (size_t f = 0; f < sizeof(fixtures) / sizeof(fixtures[0]); f++) {
		snprintf(path, sizeof(path), FIX "%s.json.gz", fixtures[f]);
		assert_int_equal(judge(path), 0);
		assert_int_equal(cs.n, rd.stored.n);
		assert_true(cs.n > 0);
		for (int i = 0; i < cs.n; i++) {
			const struct claim *was = &rd.stored.c[i];

			assert_string_equal(cs.c[i].id, was->id);
			if (rederive_compare(&cs.c[i], was) != REDERIVE_SAME)
				fail_msg("%s %s: stored %s \"%s\", judged again %s \"%s\"", fixtures[f],
					 was->id, was->pass ? "PASS" : "FAIL", was->detail,
					 cs.c[i].pass ? "PASS" : "FAIL", cs.c[i].detail);
		}
	}
}

/* ---- edited traces ---- */

static char tampered[64];

static json_object *load_gz(const char *path)
{
	gzFile in = gzopen(path, "rb");
	static char buf[1 << 20];
	int n;

	assert_non_null(in);
	n = gzread(in, buf, sizeof(buf) - 1);
	gzclose(in);
	assert_true(n > 0 && n < (int)sizeof(buf) - 1);
	buf[n] = 0;
	return json_tokener_parse(buf);
}

/* pipe_write_blocks rewritten by edit(), to a temporary file (meta.events kept right: the
 * reader checks the count) */
static const char *tamper(void (*edit)(json_object *events))
{
	json_object *t = load_gz(PWB), *events = json_object_object_get(t, "events");
	int fd;

	edit(events);
	json_object_object_add(json_object_object_get(t, "meta"), "events",
			       json_object_new_int64(json_object_array_length(events)));
	strcpy(tampered, "/tmp/rederive-XXXXXX");
	fd = mkstemp(tampered);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(json_object_to_file_ext(tampered, t, JSON_C_TO_STRING_PLAIN), 0);
	json_object_put(t);
	return tampered;
}

static const char *type_of(json_object *e)
{
	return json_object_get_string(json_object_object_get(e, "type"));
}

static void drop_blocks(json_object *events)
{
	for (size_t i = json_object_array_length(events); i-- > 0;)
		if (!strcmp(type_of(json_object_array_get_idx(events, i)), "block"))
			json_object_array_del_idx(events, i, 1);
}

/* the first write leaves 8192 bytes, not 4096 */
static void overfill_first_write(json_object *events)
{
	for (size_t i = 0; i < json_object_array_length(events); i++) {
		json_object *e = json_object_array_get_idx(events, i);

		if (!strcmp(type_of(e), "pipe_write")) {
			json_object_object_add(e, "occ_after", json_object_new_int(8192));
			return;
		}
	}
	fail_msg("no pipe_write");
}

static void point_past_objects(json_object *events)
{
	for (size_t i = 0; i < json_object_array_length(events); i++) {
		json_object *e = json_object_array_get_idx(events, i);

		if (!strcmp(type_of(e), "pipe_write")) {
			json_object_object_add(e, "obj", json_object_new_int(100000));
			return;
		}
	}
}

/* a type of a newer writer's: skipped (docs/trace-format.md), keeping its place */
static void rename_first_type(json_object *events)
{
	json_object_object_add(json_object_array_get_idx(events, 0), "type",
			       json_object_new_string("from_the_future"));
}

static void test_unknown_type_skipped(void **state)
{
	(void)state;
	assert_int_equal(judge(tamper(rename_first_type)), 0);
	unlink(tampered);
	assert_int_equal(rd.recs[0].type, 0);
	for (int i = 0; i < cs.n; i++)
		assert_int_equal(rederive_compare(&cs.c[i], &rd.stored.c[i]), REDERIVE_SAME);
}

static void test_without_blocks_the_writer_never_slept(void **state)
{
	(void)state;
	assert_int_equal(judge(tamper(drop_blocks)), 0);
	unlink(tampered);
	assert_true(claim_of("fills-slot-by-slot")->pass);
	assert_false(claim_of("full-blocks")->pass);
	assert_false(claim_of("read-wakes-writer")->pass);
	assert_true(claim_of("capacity")->pass);
	assert_int_equal(rederive_compare(claim_of("full-blocks"),
					  rederive_stored(&rd, "full-blocks")), REDERIVE_STATUS);
}

static void test_raised_occupancy_fails_the_fill(void **state)
{
	(void)state;
	assert_int_equal(judge(tamper(overfill_first_write)), 0);
	unlink(tampered);
	assert_false(claim_of("fills-slot-by-slot")->pass);
	assert_true(claim_of("full-blocks")->pass);
	assert_true(claim_of("read-wakes-writer")->pass);
	assert_true(claim_of("capacity")->pass);
}

/* an object id past the objects would send the checkers out of their array */
static void test_unknown_object_refused(void **state)
{
	(void)state;
	assert_int_equal(judge(tamper(point_past_objects)), -EBADMSG);
	unlink(tampered);
}

static void test_no_scenario_no_claims(void **state)
{
	(void)state;
	assert_int_equal(judge(SOURCE_DIR "/tests/viz/fixtures/hw_twopipes.json"), -ENOENT);
	assert_int_equal(rd.tl.n, 0);	/* nothing kept */
}

static void test_too_many_events_not_judged(void **state)
{
	(void)state;
	rederive_max_events = 100;
	assert_int_equal(judge(PWB), -EFBIG);
	rederive_max_events = REDERIVE_MAX_EVENTS;
	assert_true(rd.tl.n <= 100);
}

/* ---- through the binary: the exit status and what it says ---- */

static int check(const char *path, char *out, size_t n)
{
	char cmd[512];
	FILE *p;
	size_t len;
	int st;

	snprintf(cmd, sizeof(cmd), "%s check %s 2>&1", IPCLAB_BIN, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	len = fread(out, 1, n - 1, p);
	out[len] = 0;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_cli(void **state)
{
	static char out[16384];

	(void)state;
	assert_int_equal(check(PWB, out, sizeof(out)), 0);
	assert_null(strstr(out, "differing"));
	assert_int_equal(check(tamper(drop_blocks), out, sizeof(out)), 1);
	assert_non_null(strstr(out, "  FAIL  The 17th write finds all 16 slots full and blocks\n"
				    "        stored PASS, the events now say FAIL\n"));
	assert_non_null(strstr(out, "4 claims, 2 FAIL, 3 differing from the stored verdicts\n"));
	unlink(tampered);
	assert_int_equal(check(tamper(point_past_objects), out, sizeof(out)), 7);
	assert_non_null(strstr(out, "an object the trace does not have"));
	unlink(tampered);
}

static int teardown(void **state)
{
	(void)state;
	rederive_free(&rd);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_judged_as_stored),
		cmocka_unit_test(test_without_blocks_the_writer_never_slept),
		cmocka_unit_test(test_raised_occupancy_fails_the_fill),
		cmocka_unit_test(test_unknown_object_refused),
		cmocka_unit_test(test_unknown_type_skipped),
		cmocka_unit_test(test_no_scenario_no_claims),
		cmocka_unit_test(test_too_many_events_not_judged),
		cmocka_unit_test(test_cli),
	};

	return cmocka_run_group_tests_name("rederive", tests, NULL, teardown);
}
