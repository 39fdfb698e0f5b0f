// SPDX-License-Identifier: GPL-2.0
/*
 * test_claimlang.c - the claims language (user/claimlang.c, user/claimeval.c, check --claims):
 * every form parses, a bad file gives its one exact line, each expectation form PASSes and
 * FAILs on real traces (tests/viz/fixtures), a tampered trace is judged on what it now says,
 * `ipclab check --claims` prints its table and summaries with the right exit status, and
 * `ipclab view --claims` serves the verdicts the page shows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "claimeval.h"
#include "claimlang.h"

#define FIX SOURCE_DIR "/tests/viz/fixtures/"
#define HEAD "claim a\n  text \"t\"\n  text_zh \"z\"\n"

static char err[512];

/* The one line cl_parse() gives for text (named "f.claims"), or "" when it parses */
static const char *parse_error(const char *text)
{
	struct cl_file f;
	int ret = cl_parse("f.claims", text, strlen(text), &f, err, sizeof(err));

	if (!ret)
		cl_free(&f);
	else
		assert_int_equal(ret, -22);
	return ret ? err : "";
}

static void test_every_form_parses(void **state)
{
	(void)state;
	assert_string_equal(parse_error(
		"# a comment\n\n"
		"claim writer-blocks-2   # trailing comment\n"
		"  text    \"with \\\"quotes\\\" and \\\\\"\n"
		"  text_zh \"第 17 次写入\"\n"
		"  let w = pipe_write where role == \"writer\" and (bytes > 0 or not blocked)\n"
		"  let r = any where proc in [1, 2] and waker.pid != null and fd <= 64K and x >= 1M\n"
		"  let s = syscall\n"
		"  expect count(w) >= 17 and count(r) < 2 * 3 + 1 - -1\n"
		"  expect w[17].blocked\n"
		"  expect w[-1].woken_by == r[1]\n"
		"  expect w[1] before r[2] or not w[2].end > 5\n"
		"  expect max(w.slots_after) == 16 and min(w.a.b) != sum(r.bytes)\n"
		"  expect all w: bytes == 4096\n"
		"  expect any r: name in [\"x\", true, false, null]\n"
		"  expect none s: error != null\n"
		"  let o = any where object.kind == \"fifo\" and \"SIGUSR1\" in blocked_after\n"
		"  expect o[1].object.fds.1 == 4 and \"SA_RESTART\" in o[1].flags\n"
		"  expect o[1].path ends_with \"myfifo\" or o[1].path starts_with o[2].object.file\n"
		"  expect all o: path ends_with \"x\" and not args.1 in object.fds\n"), "");
}

static void test_errors_name_line_and_column(void **state)
{
	static const struct { const char *text, *line; } bad[] = {
		{ HEAD "  expct count(w) == 1\n",
		  "f.claims:4:3: unknown keyword 'expct': a line starts with claim, text, text_zh, let or expect" },
		{ "claim a\n  text \"t\"\n  let w = pipe_write\n  expect count(w) == 1\n",
		  "f.claims:1:1: claim 'a' has no text_zh" },
		{ "claim a\n  text_zh \"t\"\n  let w = pipe_write\n  expect count(w) == 1\n",
		  "f.claims:1:1: claim 'a' has no text" },
		{ HEAD "  let w = pipe_write\nclaim b\n", "f.claims:1:1: claim 'a' has no expect" },
		{ HEAD "  expect 1 == 1\n" HEAD "  expect 1 == 1\n",
		  "f.claims:5:7: duplicate claim id 'a' (first on line 1)" },
		{ "claim a\n  text \"t\n", "f.claims:2:8: unterminated string" },
		{ "claim abcdefghij-abcdefghij-abcdefghij-abcdefgh\n",
		  "f.claims:1:7: claim id 'abcdefghij-abcdefghij-abcdefghij-abcdefgh' is longer than 39 characters" },
		{ "claim a\n  text \""
		  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
		  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
		  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
		  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"\n",
		  "f.claims:2:8: text is longer than 255 bytes" },
		{ HEAD "  let w = pipe_write\n  expect w[0].bytes == 1\n",
		  "f.claims:5:12: bad index 0: indices start at 1 (-1: the last)" },
		{ HEAD "  let w = pipe_write\n  expect avg(w.bytes) == 1\n",
		  "f.claims:5:10: unknown function 'avg': use count, max, min or sum" },
		{ HEAD "  let w = pipe_write\n  expect count(x) == 1\n",
		  "f.claims:5:16: unknown name 'x': make it with let first" },
		{ HEAD "  let w pipe_write\n", "f.claims:4:9: expected '=', got 'pipe_write'" },
		{ "claim Big\n", "f.claims:1:7: expected a claim id (a-z, 0-9, '-'), got 'Big'" },
		{ "  text \"t\"\n", "f.claims:1:3: 'text' outside a claim: start with 'claim ID'" },
		{ HEAD "  let w = pipe_write where bytes > 12x\n", "f.claims:4:36: bad number '12x'" },
		{ HEAD "  let w = pipe_write where bytes ? 1\n",
		  "f.claims:4:34: expected a name, number, string or operator, got '?'" },
		{ HEAD "  let w = pipe_write\n  expect count(w) == 1 1\n",
		  "f.claims:5:24: expected end of line, got '1'" },
		{ HEAD "  let w = pipe_write\n  expect count(w) before w[1]\n",
		  "f.claims:5:19: 'before' needs events on both sides (NAME[i]), got 'count(w)'" },
		{ HEAD "  let w = pipe_write\n  let w = pipe_read\n",
		  "f.claims:5:7: 'w' is already a name in claim 'a'" },
		{ HEAD "  let w = pipe_write where fd in [3, bytes]\n",
		  "f.claims:4:38: expected a literal (number, string, true, false, null), got 'bytes'" },
		{ HEAD "  let w = pipe_write where \"x\" in 3\n",
		  "f.claims:4:35: 'in' needs a list [A, B] or a field that holds one, got '3'" },
		{ HEAD "  let w = pipe_write\n  expect \"x\" in count(w)\n",
		  "f.claims:5:17: 'in' needs a list [A, B] or a field that holds one, got 'count(w)'" },
		{ HEAD "  let w = pipe_write where path ends_with\n",
		  "f.claims:4:42: expected a value, got end of line" },
		{ HEAD "  let w = pipe_write where path starts_with ends_with \"x\"\n",
		  "f.claims:4:55: expected end of line, got a string" },
		{ "# nothing\n", "f.claims:2:1: expected a claim, got end of file" },
		{ "claim a\n  text \"a\\n\"\n", "f.claims:2:10: unknown escape in a string: only \\\" and \\\\" },
		{ HEAD "  let w = pipe_write\n  expect w[1].woken_by != w[2]\n",
		  "f.claims:5:24: expected '==' after woken_by, got '!='" },
		{ HEAD "  text \"again\"\n", "f.claims:4:3: claim 'a' has a second text" },
		{ HEAD "  expect " "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1",
		  "f.claims:4:74: expression nested more than 64 deep" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_string_equal(parse_error(bad[i].text), bad[i].line);
}

/* ---- evaluation ---- */

struct verdict {
	bool pass;
	char detail[512], detail_zh[768];
	int nevidence;
	long evidence0;
};

/* The one claim of HEAD + body judged on trace */
static struct verdict judge(const char *trace, const char *body)
{
	char text[4096];
	struct cl_file f;
	struct ce_result res[1];
	struct verdict v = { 0 };
	size_t nevents;

	snprintf(text, sizeof(text), HEAD "%s", body);
	assert_int_equal(cl_parse("t.claims", text, strlen(text), &f, err, sizeof(err)), 0);
	assert_int_equal(f.nclaims, 1);
	if (ce_evaluate(&f, trace, res, &nevents, err, sizeof(err)))
		fail_msg("%s", err);
	v.pass = res[0].pass;
	strcpy(v.detail, res[0].detail);
	strcpy(v.detail_zh, res[0].detail_zh);
	v.nevidence = res[0].nevidence;
	v.evidence0 = res[0].nevidence ? res[0].evidence[0] : -1;
	cl_free(&f);
	return v;
}

#define PWB FIX "pipe_write_blocks.json"
#define W "  let w = pipe_write where role == \"writer\"\n" \
	  "  let r = pipe_read where role == \"reader\" and bytes > 0\n"

static void pass(const char *trace, const char *body)
{
	struct verdict v = judge(trace, body);

	if (!v.pass)
		fail_msg("expected PASS: %s -> %s", body, v.detail);
}

/* FAILs with exactly this detail */
static void fails(const char *trace, const char *body, const char *detail)
{
	struct verdict v = judge(trace, body);

	if (v.pass)
		fail_msg("expected FAIL: %s", body);
	assert_string_equal(v.detail, detail);
}

/* PASSes with exactly this detail (and this Chinese one, when zh is not NULL) */
static void passes(const char *trace, const char *body, const char *detail, const char *zh)
{
	struct verdict v = judge(trace, body);

	if (!v.pass)
		fail_msg("expected PASS: %s -> %s", body, v.detail);
	assert_string_equal(v.detail, detail);
	if (zh)
		assert_string_equal(v.detail_zh, zh);
}

/* A PASS says what each expect showed, with the trace's values, in both languages */
static void test_pass_details(void **state)
{
	(void)state;
	passes(PWB, W "  expect count(w) >= 17\n  expect count(r) == 2\n",
	       "count(w) = 17 (>= 17); count(r) = 2", "count(w) = 17（>= 17）；count(r) = 2");
	passes(PWB, W "  expect w[17].bytes == 4096 and w[-1].slots_before == 16\n",
	       "w[17].bytes = 4096; w[-1].slots_before = 16", NULL);
	passes(PWB, W "  expect w[17].blocked\n", "w[17].blocked", "w[17].blocked");
	passes(PWB, W "  expect r[1].slots_after == r[1].slots_before - 1\n",
	       "r[1].slots_after = 15 (== r[1].slots_before - 1 = 15)",
	       "r[1].slots_after = 15（== r[1].slots_before - 1 = 15）");
	passes(PWB, W "  expect max(w.slots_after) == 16 and min(w.bytes) < 5000\n"
		      "  expect sum(w.bytes) == 17 * 4096\n",
	       "max(w.slots_after) = 16; min(w.bytes) = 4096 (< 5000); "
	       "sum(w.bytes) = 69632 (== 17 * 4096 = 69632)", NULL);
	passes(PWB, W "  expect all w: bytes == 4096\n  expect none r: bytes == 0\n"
		      "  expect any w: blocked\n",
	       "all w: bytes == 4096 (all 17 events); none r: bytes == 0 (none of 2 events); "
	       "any w: blocked (w[17], event #204)",
	       "all w: bytes == 4096（17 个事件全部满足）；none r: bytes == 0（2 个事件都不满足）；"
	       "any w: blocked（w[17]，事件 #204）");
	passes(PWB, W "  expect w[16] before r[1]\n",
	       "w[16] before r[1] (t=4316147 < t=304269279)",
	       "w[16] 早于 r[1]（t=4316147 < t=304269279）");
	passes(PWB, W "  expect w[17].woken_by == r[1]\n",
	       "w[17].woken_by r[1] (pid 11489 at t=304325492)",
	       "w[17] 被 r[1] 唤醒（pid 11489，t=304325492）");
	passes(PWB, W "  expect w[1].fd in [3, 4]\n", "w[1].fd = 4 (in the list)",
	       "w[1].fd = 4（在列表中）");
	passes(PWB, W "  expect w[1].bytes == 1 or w[1].fd == 4\n",
	       "w[1].fd = 4 (one side of or)", "w[1].fd = 4（or 的一侧成立）");
	passes(PWB, W "  expect not w[16].blocked\n  expect not w[1].fd > 4\n"
		      "  expect not (w[1].fd == 1 or w[1].fd == 2)\n",
	       "w[16].blocked = false; w[1].fd = 4 (not > 4); "
	       "not (w[1].fd == 1 or w[1].fd == 2) holds", NULL);
	passes(PWB, W "  expect (w[1].fd == 4 and w[2].fd == 4) or count(w) == 0\n",
	       "w[1].fd = 4 and w[2].fd = 4 (one side of or)",
	       "w[1].fd = 4，且 w[2].fd = 4（or 的一侧成立）");
}

/* A PASS of many expects ends "… and N more" within its buffer, in both languages */
static void test_pass_detail_bounded(void **state)
{
	char body[4096] = W;
	struct verdict v;

	(void)state;
	for (int i = 1; i <= 17; i++)
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
			 "  expect w[%d].bytes == 4096 and w[%d].fd == 4 and w[%d].occ_after > 0\n",
			 i, i, i);
	v = judge(PWB, body);
	assert_true(v.pass);
	assert_true(strlen(v.detail) < sizeof(v.detail));
	assert_non_null(strstr(v.detail, "w[1].bytes = 4096; w[1].fd = 4; w[1].occ_after = 4096 (> 0); w[2]"));
	if (!strstr(v.detail, " \u2026 and ") || strcmp(strstr(v.detail, " more"), " more"))
		fail_msg("no \"… and N more\" at the end: %s", v.detail);
	if (!strstr(v.detail_zh, " \u2026 另有 "))
		fail_msg("no \"… 另有 N 项\" at the end: %s", v.detail_zh);
}

static void test_count_and_index(void **state)
{
	(void)state;
	pass(PWB, W "  expect count(w) == 17\n  expect count(r) == 2\n");
	fails(PWB, W "  expect count(w) >= 18\n", "count(w) = 17, expected >= 18");
	pass(PWB, W "  expect w[17].bytes == 4096 and w[-1].slots_before == 16\n");
	fails(PWB, W "  expect w[1].occ_after == 8K\n", "w[1].occ_after = 4096, expected == 8192");
	fails(PWB, W "  expect w[18].bytes == 4096\n", "w has 17 events, no w[18]");
	fails(PWB, W "  expect not w[18].blocked\n", "w has 17 events, no w[18]");
	pass(PWB, W "  expect r[1].data == \"aaaaaaaaaaaaaaaa\" and r[2].syscall != \"write\"\n");
	pass(PWB, "  let b = block where waker.comm == \"reader\" and syscall == \"write\"\n"
		  "  expect count(b) == 1 and b[1].waker.pid == 11489 and b[1].obj == 8\n");
	fails(PWB, W "  expect w[1].nosuch == 0\n", "w[1].nosuch = null, expected == 0");
	/* a number in a field path picks an array's element, from 0 as in the JSON */
	pass(PWB, "  let s = syscall where name == \"write\" and args.0 == 1\n"
		  "  expect s[1].args.2 == 57 and s[1].args.5 == 100\n"
		  "  expect s[1].args.6 == null and s[1].args.x == null and s[1].name.0 == null\n");
	fails(PWB, "  let s = syscall where name == \"write\"\n  expect s[1].args.2 == 58\n",
	      "s[1].args.2 = 57, expected == 58");
	/* a string never equals a number, != always holds across types */
	pass(PWB, W "  expect not (w[1].syscall == 1) and w[1].syscall != 1\n");
}

static void test_aggregates_and_arithmetic(void **state)
{
	(void)state;
	pass(PWB, W "  expect max(w.slots_after) == 16 and min(w.slots_after) == 1\n"
		    "  expect sum(w.bytes) == 17 * 4096 and sum(r.bytes) == 4K + 64K\n"
		    "  expect w[17].end - w[17].t == w[17].dur and -w[1].fd == 0 - 4\n");
	fails(PWB, W "  expect max(w.occ_after) > 64K\n", "max(w.occ_after) = 65536, expected > 65536");
	fails(PWB, W "  expect sum(w.bytes) == 16 * 4096\n",
	      "sum(w.bytes) = 69632, expected == 16 * 4096 = 65536");
	fails(PWB, W "  expect min(w.bytes) < 4096\n", "min(w.bytes) = 4096, expected < 4096");
}

static void test_quantifiers_and_in(void **state)
{
	(void)state;
	pass(PWB, W "  expect all w: bytes == 4096 and fd in [4]\n"
		    "  expect any w: blocked\n  expect none r: bytes == 0\n");
	fails(PWB, W "  expect all w: not blocked\n",
	      "all w: not blocked: event #204 (w[17]) does not match");
	fails(PWB, W "  expect none w: slots_after == 16\n",
	      "none w: slots_after == 16: event #202 (w[16]) matches");
	fails(PWB, W "  expect any r: bytes == 1\n", "any r: bytes == 1: none of r's 2 events matches");
	fails(PWB, W "  expect w[1].fd in [3, 5]\n", "w[1].fd = 4, not in the list");
	pass(PWB, W "  expect -w[1].fd in [-4, -3]\n");
	pass(FIX "signal_coalesce.json",
	     "  let s = signal where signal == \"SIGUSR1\" and role == \"sender\"\n"
	     "  let d = signal where result in [\"delivered\", \"pending\"]\n"
	     "  expect count(d) >= 1 and all d: sig in [10, 17]\n");
}

static void test_before_woken_by_blocked(void **state)
{
	(void)state;
	pass(PWB, W "  expect w[17].blocked and not w[16].blocked\n"
		    "  expect w[17].woken_by == r[1]\n  expect w[16] before r[1]\n");
	fails(PWB, W "  expect r[1] before w[17]\n",
	      "r[1] starts at t=304269279, not before w[17] at t=4325191");
	fails(PWB, W "  expect w[16].blocked\n", "w[16].blocked is false");
	fails(PWB, W "  expect w[16].woken_by == r[1]\n", "w[16] did not sleep (no block in it)");
	fails(PWB, W "  expect w[17].woken_by == w[1]\n",
	      "w[17] was woken by pid 11489, not by w[1]'s pid 11487");
	fails(PWB, W "  expect w[17].woken_by == r[2]\n",
	      "w[17] was woken at t=304325492, outside r[2] [404705260, 404807973]");
	pass(FIX "mq_full_blocks.json",
	     "  let s = mq_send where role == \"sender\"\n  let r = mq_recv where role == \"receiver\"\n"
	     "  expect count(s) == 5 and s[5].blocked and s[5].woken_by == r[1]\n"
	     "  expect s[4].msgs_after == s[4].maxmsg and s[1] before r[1]\n");
	fails(FIX "mq_full_blocks.json",
	      "  let s = mq_send where role == \"sender\"\n  expect any s: blocked and msgs_before < 4\n",
	      "any s: blocked and msgs_before < 4: none of s's 5 events matches");
}

static void test_other_mechanisms(void **state)
{
	(void)state;
	pass(FIX "pipe_transfer.json",
	     "  let w = pipe_write where role == \"writer\" and proc == 1\n  let r = pipe_read\n"
	     "  expect count(w) == 4 and sum(w.bytes) == 8000 and r[1].bytes == 8000\n"
	     "  expect r[-1].bytes == 0 and w[4] before r[1]\n");
	fails(FIX "pipe_transfer.json", "  let r = pipe_read where role == \"writer\"\n"
	      "  expect count(r) > 0\n", "count(r) = 0, expected > 0");
	pass(FIX "unix_socketpair_transfer.json",
	     "  let s = sock_send where role == \"writer\"\n  let r = sock_recv where bytes > 0\n"
	     "  expect count(s) == 4 and max(s.skbs_after) == 4 and r[1].bytes == sum(s.bytes)\n");
	fails(FIX "unix_socketpair_transfer.json",
	      "  let s = sock_send\n  expect all s: wmem_after == 0\n",
	      "all s: wmem_after == 0: event #117 (s[1]) does not match");
}

#define MSYNC FIX "mmap_msync.json"
#define M "  let m = syscall where name == \"mmap\" and object.file == \"msync.dat\"\n"

/* object.KEY: the trace's objects[] entry whose id is the event's obj */
static void test_object_fields(void **state)
{
	(void)state;
	passes(MSYNC, M "  expect count(m) == 1 and m[1].object.kind == \"mapping\"\n"
		      "  expect m[1].object.inode == 1106030 and m[1].object.creator == m[1].pid\n",
	       "count(m) = 1; m[1].object.kind = \"mapping\"; m[1].object.inode = 1106030; "
	       "m[1].object.creator = 11576 (== m[1].pid = 11576)", NULL);
	pass(MSYNC, "  let u = syscall where name == \"munmap\" and object.backing == \"file\"\n"
		    "  expect count(u) == 2 and u[2].object.unmapped == u[2].t\n"
		    "  expect any u: object.file == \"msync.dat\"\n");
	/* no obj, or a key the entry lacks: null, as a missing event key */
	pass(MSYNC, "  let o = syscall where name == \"openat\"\n"
		    "  expect o[1].object.kind == null and all o: object.kind == null\n");
	fails(MSYNC, M "  expect m[1].object.backing == \"anon\"\n",
	      "m[1].object.backing = \"file\", expected == \"anon\"");
	fails(MSYNC, M "  expect m[1].object.nosuch == 1\n", "m[1].object.nosuch = null, expected == 1");
	fails(MSYNC, "  let m = syscall where object.file == \"other.dat\"\n  expect count(m) > 0\n",
	      "count(m) = 0, expected > 0");
	/* an event's own dotted keys are untouched */
	pass(PWB, "  let b = block where waker.comm == \"reader\"\n  expect b[1].waker.pid == 11489\n");
}

#define F "  let f = fault where handled and mapping.object.file == \"msync.dat\"\n"

/* KEY.object.K: the objects[] entry whose id the field KEY holds (a fault's mapping, a send's
 * peer, a waker's obj); object.K stays obj.object.K */
static void test_object_of_any_field(void **state)
{
	struct verdict v;

	(void)state;
	passes(MSYNC, F "  expect count(f) == 2 and f[2].page == 2 and f[1].mapping.object.backing == \"file\"\n",
	       "count(f) = 2; f[2].page = 2; f[1].mapping.object.backing = \"file\"",
	       "count(f) = 2；f[2].page = 2；f[1].mapping.object.backing = \"file\"");
	pass(MSYNC, F "  expect all f: write and not present and mapping.object.flags == \"MAP_SHARED\"\n"
		    "  expect f[1].mapping.object.creator == f[1].pid\n");
	pass(MSYNC, "  let m = syscall where name == \"mmap\" and obj.object.file == \"msync.dat\"\n"
		    "  expect count(m) == 1 and m[1].obj.object.inode == m[1].object.inode\n");
	/* a null field, or an integer that names no object: null */
	pass(MSYNC, "  let f = fault where mapping == null\n"
		    "  expect count(f) > 0 and all f: mapping.object.kind == null\n"
		    "  expect f[1].addr.object.kind == null and f[1].kind.object.kind == null\n");
	pass(FIX "unix_socketpair_transfer.json",
	     "  let s = sock_send where peer.object.kind == \"unix_stream\"\n"
	     "  expect count(s) == 4 and s[1].peer.object.fd == 4\n"
	     "  expect s[1].peer.object.peer.object.fd == s[1].fd\n");
	pass(PWB, "  let b = block where waker.obj.object.kind == \"pipe\"\n"
		  "  expect count(b) == 1 and b[1].waker.obj.object.capacity == 64K\n");
	fails(MSYNC, F "  expect f[1].mapping.object.file == \"other.dat\"\n",
	      "f[1].mapping.object.file = \"msync.dat\", expected == \"other.dat\"");
	v = judge(MSYNC, F "  expect any f: page == 1\n");
	assert_false(v.pass);
	assert_string_equal(v.detail, "any f: page == 1: none of f's 2 events matches");
	assert_string_equal(v.detail_zh, "any f: page == 1：f 的 2 个事件都不满足条件");
	fails(FIX "unix_socketpair_transfer.json",
	      "  let s = sock_send where peer.object.kind == \"unix_dgram\"\n  expect count(s) > 0\n",
	      "count(s) = 0, expected > 0");
	/* past the bound, object. anywhere in a path is unknown, not null */
	ce_objects_max = 8;
	fails(MSYNC, F "  expect count(f) == 2\n",
	      "the trace lists more than 8 objects: object. fields are not kept");
	ce_objects_max = CE_OBJECTS_MAX;
}

/* At most ce_objects_max entries are kept: past it a claim using object. FAILs, others judge */
static void test_object_bound(void **state)
{
	struct verdict v;

	(void)state;
	ce_objects_max = 9;
	pass(MSYNC, M "  expect count(m) == 1\n");
	ce_objects_max = 8;
	fails(MSYNC, M "  expect count(m) == 1\n",
	      "the trace lists more than 8 objects: object. fields are not kept");
	v = judge(MSYNC, "  let m = syscall where name == \"mmap\"\n  expect all m: object.kind != 1\n");
	assert_false(v.pass);
	assert_string_equal(v.detail_zh, "跟踪文件列出的对象超过 8 个：无法读取 object. 字段");
	pass(MSYNC, "  let m = syscall where name == \"mmap\"\n  expect count(m) > 8\n");
	ce_objects_max = CE_OBJECTS_MAX;
}

#define SC FIX "signal_coalesce.json"
#define P "  let p = syscall where name == \"rt_sigprocmask\"\n"

/* X in FIELD: an element of the list the trace holds there */
static void test_in_field(void **state)
{
	(void)state;
	passes(SC, P "  expect \"SIGUSR1\" in p[1].blocked_after\n"
		     "  expect not \"SIGUSR1\" in p[-1].blocked_after\n",
	       "\"SIGUSR1\" in p[1].blocked_after = [\"SIGUSR1\"]; "
	       "\"SIGUSR1\" not in p[-1].blocked_after = []",
	       "\"SIGUSR1\" 在 p[1].blocked_after = [\"SIGUSR1\"] 中；"
	       "\"SIGUSR1\" 不在 p[-1].blocked_after = [] 中");
	passes(SC, P "  let s = signal where result == \"delivered\"\n"
		     "  expect s[1].signal in p[1].set\n",
	       "s[1].signal = \"SIGUSR1\" (in p[1].set = [\"SIGUSR1\"])",
	       "s[1].signal = \"SIGUSR1\"（在 p[1].set = [\"SIGUSR1\"] 中）");
	pass(SC, "  let b = syscall where \"SIGUSR1\" in blocked_after and not \"SIGUSR1\" in blocked_before\n"
		 "  let u = syscall where \"SIGUSR1\" in blocked_before and how == \"SIG_UNBLOCK\"\n"
		 "  expect count(b) == 1 and count(u) == 1 and b[1] before u[1]\n");
	fails(SC, P "  expect \"SIGUSR1\" in p[-1].blocked_after\n",
	      "\"SIGUSR1\" is not in p[-1].blocked_after = []");
	fails(SC, P "  expect \"SIGUSR2\" in p[1].blocked_after\n",
	      "\"SIGUSR2\" is not in p[1].blocked_after = [\"SIGUSR1\"]");
	fails(SC, P "  expect \"SIGUSR1\" in p[1].how\n", "p[1].how = \"SIG_BLOCK\", not a list");
	fails(SC, P "  expect \"x\" in p[99].set\n", "p has 2 events, no p[99]");
	/* the literal list keeps working beside it */
	pass(SC, P "  expect p[1].how in [\"SIG_BLOCK\", \"SIG_SETMASK\"]\n");
}

/* A ends_with B, A starts_with B: string affixes (a failed open found by its path) */
static void test_ends_starts_with(void **state)
{
	struct verdict v;

	(void)state;
	passes(SC, "  let o = syscall where name == \"openat\" and path ends_with \"libc.so.6\"\n"
		   "  expect count(o) == 1 and o[1].path starts_with \"/lib/\"\n"
		   "  expect not o[1].path ends_with \".so\"\n",
	       "count(o) = 1; o[1].path = \"/lib/x86_64-linux-gnu/libc.so.6\" (starts with \"/lib/\"); "
	       "o[1].path = \"/lib/x86_64-linux-gnu/libc.so.6\" (does not end with \".so\")",
	       "count(o) = 1；o[1].path = \"/lib/x86_64-linux-gnu/libc.so.6\"（以 \"/lib/\" 开头）；"
	       "o[1].path = \"/lib/x86_64-linux-gnu/libc.so.6\"（不以 \".so\" 结尾）");
	v = judge(SC, "  let o = syscall where name == \"openat\"\n"
		      "  expect o[1].path ends_with \"myfifo\"\n");
	assert_false(v.pass);
	assert_string_equal(v.detail, "o[1].path = \"/etc/ld.so.cache\", does not end with \"myfifo\"");
	assert_string_equal(v.detail_zh, "o[1].path = \"/etc/ld.so.cache\"，不以 \"myfifo\" 结尾");
	fails(SC, "  let o = syscall where name == \"openat\"\n  expect o[1].path starts_with \"/lib\"\n",
	      "o[1].path = \"/etc/ld.so.cache\", does not start with \"/lib\"");
	/* not a string on either side: false, never an error */
	fails(SC, "  let o = syscall where name == \"openat\"\n  expect o[1].ret ends_with \"3\"\n",
	      "o[1].ret = 3, does not end with \"3\"");
	fails(SC, "  let o = syscall where name == \"openat\"\n  expect o[1].path ends_with o[1].nosuch\n",
	      "o[1].path = \"/etc/ld.so.cache\", does not end with null");
	pass(SC, "  let o = syscall where name == \"openat\"\n  expect o[1].path ends_with \"\" and o[1].path starts_with o[1].path\n");
}

/* A selector keeps at most ce_select_max events; one more FAILs its claim, not the run */
static void test_selector_bound(void **state)
{
	(void)state;
	ce_select_max = 17;
	pass(PWB, W "  expect count(w) == 17\n");
	ce_select_max = 16;
	fails(PWB, W "  expect count(w) >= 1\n", "selector w matched more than 16 events: narrow it");
	ce_select_max = CE_SELECT_MAX;
}

/* The Chinese detail is made from the same facts */
static void test_detail_zh(void **state)
{
	struct verdict v;

	(void)state;
	v = judge(PWB, W "  expect count(w) >= 18\n");
	assert_string_equal(v.detail_zh, "count(w) = 17，应为 >= 18");
	v = judge(PWB, W "  expect w[18].bytes == 1\n");
	assert_string_equal(v.detail_zh, "w 只有 17 个事件，没有 w[18]");
	assert_int_equal(v.nevidence, 0);
	v = judge(PWB, W "  expect w[17].blocked\n");
	assert_true(v.pass);
	assert_string_equal(v.detail_zh, "w[17].blocked");
	assert_int_equal(v.nevidence, 1);
	assert_int_equal(v.evidence0, 204);
	v = judge(PWB, W "  expect count(w) == 17\n");
	assert_int_equal(v.nevidence, 17);
}

/* ---- a tampered trace ---- */

static char tampered[64];

/* pipe_write_blocks rewritten by edit(), to a temporary file */
static const char *tamper(void (*edit)(json_object *events))
{
	json_object *t = json_object_from_file(PWB);
	int fd;

	assert_non_null(t);
	edit(json_object_object_get(t, "events"));
	json_object_object_add(json_object_object_get(t, "meta"), "events",
			       json_object_new_int64(json_object_array_length(
				       json_object_object_get(t, "events"))));
	strcpy(tampered, "/tmp/claimlang-XXXXXX");
	fd = mkstemp(tampered);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(json_object_to_file_ext(tampered, t, JSON_C_TO_STRING_PLAIN), 0);
	json_object_put(t);
	return tampered;
}

static void drop_blocks(json_object *events)
{
	/* meta.events is set from the count after (the reader checks the file is whole) */
	for (size_t i = json_object_array_length(events); i-- > 0;) {
		json_object *e = json_object_array_get_idx(events, i);

		if (!strcmp(json_object_get_string(json_object_object_get(e, "type")), "block"))
			json_object_array_del_idx(events, i, 1);
	}
}

static void overfill_17th_write(json_object *events)
{
	json_object *w17 = json_object_array_get_idx(events, 204);

	assert_string_equal(json_object_get_string(json_object_object_get(w17, "type")),
			    "pipe_write");
	json_object_object_add(w17, "occ_after", json_object_new_int(69632));
	json_object_object_add(w17, "slots_after", json_object_new_int(17));
}

static void test_tampered_trace_fails(void **state)
{
	static const char claims[] = W "  expect w[17].woken_by == r[1]\n";

	(void)state;
	pass(PWB, claims);
	fails(tamper(drop_blocks), claims, "w[17] did not sleep (no block in it)");
	fails(tampered, W "  expect w[17].blocked\n", "w[17].blocked is false");
	unlink(tampered);
	fails(tamper(overfill_17th_write), W "  expect max(w.slots_after) == 16\n",
	      "max(w.slots_after) = 17, expected == 16");
	unlink(tampered);
}

/* ---- the shipped example agrees with the C claims stored in the trace ---- */

static void test_shipped_example_matches_stored_claims(void **state)
{
	struct cl_file f;
	struct ce_result res[8];
	json_object *t = json_object_from_file(PWB), *stored = json_object_object_get(t, "claims");
	size_t nevents;

	(void)state;
	assert_int_equal(cl_parse_file(SOURCE_DIR "/mech/pipe/labs/pipe_write_blocks.claims", &f,
				       err, sizeof(err)), 0);
	assert_int_equal(f.nclaims, json_object_array_length(stored));
	assert_int_equal(ce_evaluate(&f, PWB, res, &nevents, err, sizeof(err)), 0);
	for (size_t i = 0; i < f.nclaims; i++) {
		json_object *c = json_object_array_get_idx(stored, i);

		assert_string_equal(f.claims[i].id,
				    json_object_get_string(json_object_object_get(c, "id")));
		assert_string_equal(res[i].pass ? "PASS" : "FAIL",
				    json_object_get_string(json_object_object_get(c, "status")));
	}
	cl_free(&f);
	json_object_put(t);
}

/* ---- check --claims through the ipclab binary ---- */

static char out[8192];

/* Run sh -c cmd; its stdout (and stderr when 2>&1) in out; the exit status */
static int run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	size_t n;
	int st;

	assert_non_null(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define BIN IPCLAB_BIN " check "
#define LAB SOURCE_DIR "/docs/labs/pipe_write_blocks/pipe_write_blocks.claims"

static void test_check_table(void **state)
{
	(void)state;
	assert_int_equal(run("cd " FIX " && NO_COLOR=1 " BIN "pipe_write_blocks.json --claims " LAB
			     " | sed 1,2d | head -4"), 0);
	assert_string_equal(out,
		"  trace: pipe_write_blocks.json (260 events)\n"
		"  PASS  Sixteen 4096-byte writes fill the ring one slot each, up to 65536 bytes in 16 slots\n"
		"        count(w) = 17 (>= 16); all w: bytes == 4096 and occ_after == slots_after * 4K "
		"(all 17 events); w[1].occ_after = 4096; w[1].slots_after = 1; "
		"w[16].occ_after = 65536; w[16].slots_after = 16\n"
		"  PASS  The 17th write finds all 16 slots full and blocks\n");
	assert_int_equal(run("cd " FIX " && " BIN "pipe_write_blocks.json --claims " LAB
			     " --lang zh | sed -n 3,5p"), 0);
	assert_string_equal(out,
		"  跟踪文件：pipe_write_blocks.json（260 个事件）\n"
		"  PASS  16 次 4096 字节的写入逐个槽位填满环形队列，最多 16 个槽位、65536 字节\n"
		"        count(w) = 17（>= 16）；all w: bytes == 4096 and occ_after == slots_after * 4K"
		"（17 个事件全部满足）；w[1].occ_after = 4096；w[1].slots_after = 1；"
		"w[16].occ_after = 65536；w[16].slots_after = 16\n");
	assert_int_equal(run(BIN FIX "pipe_write_blocks.json --claims " LAB), 0);
	assert_int_equal(run(BIN FIX "pipe_transfer.json --claims " LAB), 1);
}

static void test_check_summary(void **state)
{
	(void)state;
	assert_int_equal(run("cd " FIX " && " BIN "--claims " LAB " --summary csv "
			     "pipe_write_blocks.json pipe_transfer.json"), 1);
	assert_string_equal(out, "trace,claims,pass,fail,failed\n"
				 "pipe_write_blocks.json,4,4,0,\n"
				 "pipe_transfer.json,4,0,4,fills-slot-by-slot full-blocks "
				 "read-wakes-writer capacity\n");
	assert_int_equal(run("cd " FIX " && " BIN "--claims " LAB " --summary md "
			     "pipe_write_blocks.json"), 0);
	assert_string_equal(out, "| trace | claims | pass | fail | failed |\n"
				 "|---|---|---|---|---|\n"
				 "| pipe_write_blocks.json | 4 | 4 | 0 |  |\n");
}

static void test_check_errors(void **state)
{
	char cmd[512];
	FILE *f = fopen("/tmp/claimlang-bad.claims", "w");

	(void)state;
	assert_non_null(f);
	fputs(HEAD "  let w = pipe_write\n  expect w[0].bytes == 1\n", f);
	fclose(f);
	assert_int_equal(run(BIN FIX "pipe_write_blocks.json --claims /tmp/claimlang-bad.claims 2>&1"), 2);
	assert_string_equal(out, "/tmp/claimlang-bad.claims:5:12: bad index 0: indices start at 1 "
				 "(-1: the last)\n");
	unlink("/tmp/claimlang-bad.claims");
	snprintf(cmd, sizeof(cmd), BIN "%s --claims %s 2>&1 >/dev/null", LAB, LAB);
	assert_int_equal(run(cmd), 2);	/* a claims file is not a trace */
	assert_int_equal(run(BIN FIX "pipe_write_blocks.json --summary csv 2>&1"), 2);
	assert_string_equal(out, "ipclab: --summary needs --claims FILE (see ipclab check --help)\n");
	assert_int_equal(run(BIN FIX "pipe_write_blocks.json --claims " LAB " --summary xml 2>/dev/null"), 2);
	assert_int_equal(run(BIN "--help | grep -c -- --claims"), 0);
}

/* ---- view --claims: the verdicts the page fetches ---- */

/* `ipclab view TRACE --claims FILE` started with its stdout on a pipe: the URL it printed
 * (without the newline) in url; its pid */
static pid_t view(const char *trace, const char *claims, char *url, size_t len)
{
	int fds[2];
	pid_t pid;
	FILE *f;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		freopen("/dev/null", "w", stderr);	/* "serving the viewer ..." */
		close(fds[0]);
		close(fds[1]);
		execl(IPCLAB_BIN, "ipclab", "view", trace, "--claims", claims, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	assert_non_null(f);
	if (!fgets(url, (int)len, f))
		url[0] = '\0';
	fclose(f);
	url[strcspn(url, "\n")] = '\0';
	return pid;
}

/* The served claims/0.json of view TRACE --claims FILE, parsed */
static json_object *served_verdicts(const char *trace, const char *claims, char *url, size_t len)
{
	char cmd[1200];
	json_object *doc;
	pid_t pid = view(trace, claims, url, len);

	if (!strstr(url, "?trace=trace/0.json&claims=claims/0.json"))
		fail_msg("view --claims printed \"%s\"", url);
	snprintf(cmd, sizeof(cmd), "curl -s '%.*sclaims/0.json'", (int)(strchr(url, '?') - url),
		 url);
	assert_int_equal(run(cmd), 0);
	kill(pid, SIGTERM);	/* the server this test started */
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	doc = json_tokener_parse(out);
	if (!doc)
		fail_msg("claims/0.json is not JSON: %s", out);
	return doc;
}

static const char *claim_str(json_object *claims, size_t i, const char *key)
{
	return json_object_get_string(
		json_object_object_get(json_object_array_get_idx(claims, i), key));
}

static void test_view_serves_verdicts(void **state)
{
	char url[512];
	json_object *doc = served_verdicts(PWB, LAB, url, sizeof(url));
	json_object *claims = json_object_object_get(doc, "claims"), *ev;

	(void)state;
	assert_string_equal(json_object_get_string(json_object_object_get(doc, "file")),
			    "pipe_write_blocks.claims");
	assert_int_equal(json_object_array_length(claims), 4);
	assert_string_equal(claim_str(claims, 1, "id"), "full-blocks");
	assert_string_equal(claim_str(claims, 1, "status"), "PASS");
	assert_string_equal(claim_str(claims, 1, "text"),
			    "The 17th write finds all 16 slots full and blocks");
	assert_string_equal(claim_str(claims, 1, "text_zh"), "第 17 次写入发现 16 个槽位全满，于是阻塞");
	assert_string_equal(claim_str(claims, 1, "detail"),
			    "w[17].occ_before = 65536; w[17].slots_before = 16 "
			    "(>= w[17].slots_max = 16); w[17].blocked");
	assert_string_equal(claim_str(claims, 1, "detail_zh"),
			    "w[17].occ_before = 65536；w[17].slots_before = 16"
			    "（>= w[17].slots_max = 16）；w[17].blocked");
	assert_string_equal(claim_str(claims, 1, "source"), "pipe_write_blocks.claims");
	ev = json_object_object_get(json_object_array_get_idx(claims, 1), "evidence");
	assert_int_equal(json_object_array_length(ev), 1);
	assert_int_equal(json_object_get_int(json_object_array_get_idx(ev, 0)), 204);
	json_object_put(doc);
}

static void test_view_serves_failed_verdicts(void **state)
{
	char url[512];
	json_object *doc = served_verdicts(FIX "pipe_transfer.json", LAB, url, sizeof(url));
	json_object *claims = json_object_object_get(doc, "claims");

	(void)state;
	assert_int_equal(json_object_array_length(claims), 4);
	assert_string_equal(claim_str(claims, 0, "status"), "FAIL");
	assert_string_equal(claim_str(claims, 0, "detail"), "count(w) = 4, expected >= 16");
	assert_string_equal(claim_str(claims, 0, "detail_zh"), "count(w) = 4，应为 >= 16");
	json_object_put(doc);
}

/* A bad claims file: its one line, exit 2, no URL (nothing served) */
static void test_view_bad_claims(void **state)
{
	FILE *f = fopen("/tmp/claimlang-view-bad.claims", "w");

	(void)state;
	assert_non_null(f);
	fputs(HEAD "  let w = pipe_write\n  expect w[0].bytes == 1\n", f);
	fclose(f);
	assert_int_equal(run("timeout 10 " IPCLAB_BIN " view " PWB
			     " --claims /tmp/claimlang-view-bad.claims 2>&1"), 2);
	assert_string_equal(out, "/tmp/claimlang-view-bad.claims:5:12: bad index 0: indices "
				 "start at 1 (-1: the last)\n");
	unlink("/tmp/claimlang-view-bad.claims");
	assert_int_equal(run("timeout 10 " IPCLAB_BIN " view " PWB
			     " --claims /nonexistent.claims 2>/dev/null"), 2);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_form_parses),
		cmocka_unit_test(test_errors_name_line_and_column),
		cmocka_unit_test(test_pass_details),
		cmocka_unit_test(test_pass_detail_bounded),
		cmocka_unit_test(test_count_and_index),
		cmocka_unit_test(test_aggregates_and_arithmetic),
		cmocka_unit_test(test_quantifiers_and_in),
		cmocka_unit_test(test_before_woken_by_blocked),
		cmocka_unit_test(test_other_mechanisms),
		cmocka_unit_test(test_selector_bound),
		cmocka_unit_test(test_object_fields),
		cmocka_unit_test(test_object_bound),
		cmocka_unit_test(test_object_of_any_field),
		cmocka_unit_test(test_in_field),
		cmocka_unit_test(test_ends_starts_with),
		cmocka_unit_test(test_detail_zh),
		cmocka_unit_test(test_tampered_trace_fails),
		cmocka_unit_test(test_shipped_example_matches_stored_claims),
		cmocka_unit_test(test_check_table),
		cmocka_unit_test(test_check_summary),
		cmocka_unit_test(test_check_errors),
		cmocka_unit_test(test_view_serves_verdicts),
		cmocka_unit_test(test_view_serves_failed_verdicts),
		cmocka_unit_test(test_view_bad_claims),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
