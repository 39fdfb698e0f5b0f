// SPDX-License-Identifier: GPL-2.0
/*
 * test_known_bugs.c - the bugs the hardening work found in ipclab, one cmocka group each,
 * each asserting the CORRECT behaviour.  tests/hardening/tests.cmake lists a group either
 * in IPCLAB_KNOWN_BUGS (not fixed yet: ctest WILL_FAIL, so the suite passes and an
 * unexpected pass says it got fixed) or in IPCLAB_FIXED_BUGS (a plain regression test).
 * All ten are fixed as of commit 225e245.  The comment above each group says what was wrong
 * where, and the fix.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "hlib.h"

static const char valid[] =
	"{\"format\":\"ipclab-trace\",\"version\":1,\"meta\":{},\"processes\":[],\"objects\":[],"
	"\"claims\":[],\"events\":[{\"t\":1,\"pid\":1,\"tid\":1,\"type\":\"exec\"}]}";

static char *put(const char *name, const char *text)
{
	static char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", hdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

/*
 * user/trace_load.c parse_file(): stat() then fopen() a FIFO blocks until a writer comes,
 * forever.  check, export and view all hang on a FIFO (or `ipclab check <(cat t.json)`
 * style input that never ends).  Fix: open(O_RDONLY|O_NONBLOCK|O_CLOEXEC), fstat() the
 * fd, refuse anything but a regular file, then fdopen().
 */
static void test_fifo_input(void **state)
{
	static const char *const cmds[] = { "check", "export --chrome", "view" };
	char fifo[300];

	snprintf(fifo, sizeof(fifo), "%s/trace.fifo", hdir);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	for (int c = 0; c < 3; c++) {
		int st = hsh("timeout -s KILL 5 %s %s %s", IPCLAB_BIN, cmds[c], fifo);

		if (st != 7)
			fail_msg("`ipclab %s FIFO`: exit %d (want 7 at once; 137 = still blocked after 5 s)",
				 cmds[c], st);
	}
}

/*
 * user/main.c cmd_check(): for each claim, json_object_object_get_ex(c, "status", &st)
 * leaves st NULL when the claim is not an object or has no "status", and
 * strcmp(json_object_get_string(NULL), "PASS") dereferences NULL: SIGSEGV (exit 139).
 * trace_load() (user/trace_load.c) checks events but not claims.  Fix: validate claims in
 * trace_load() (objects with string id/text/status), or skip/flag malformed claims.
 */
static void test_check_malformed_claims(void **state)
{
	static const char *const claims[] = { "[{}]", "[1]", "[{\"text\":\"t\"}]",
					      "[{\"status\":\"PASS\"}]" };
	char text[512];

	for (size_t i = 0; i < 4; i++) {
		int st;

		snprintf(text, sizeof(text), "{\"format\":\"ipclab-trace\",\"version\":1,\"meta\":{},"
			 "\"processes\":[],\"objects\":[],\"claims\":%s,\"events\":[]}", claims[i]);
		st = hsh("%s check %s", IPCLAB_BIN, put("claims.json", text));
		if (st >= 128 || (st != 7 && st != 0 && st != 1))
			fail_msg("`ipclab check` of a trace with claims %s: exit %d", claims[i], st);
		if (strstr(hout, "(null)"))
			fail_msg("`ipclab check` printed (null) for claims %s:\n%s", claims[i], hout);
	}
}

/*
 * user/trace_load.c parse_file(): the read loop stops at json_tokener_success, the end of
 * the first JSON value, and never looks at what follows, so "TRACE garbage", "TRACE TRACE"
 * (two traces concatenated) or a trace followed by binary junk is accepted as valid.
 * Fix: after success, require that the rest of the buffer (from
 * json_tokener_get_parse_end()) and of the file is whitespace.
 */
static void test_trailing_data(void **state)
{
	static const char *const tails[] = { " x", "{}", "\x01\x02", " ]" };
	char text[1024];

	for (size_t i = 0; i < 4; i++) {
		int st;

		snprintf(text, sizeof(text), "%s%s\n", valid, tails[i]);
		st = hsh("%s check %s", IPCLAB_BIN, put("trailing.json", text));
		if (st != 7)
			fail_msg("a trace followed by '%s': exit %d (want 7):\n%s", tails[i], st, hout);
	}
}

/*
 * user/trace_load.c parse_file(): json-c represents the JSON value null as a NULL object;
 * for a file holding "null\n" (or "null," ...) the tokener succeeds with obj == NULL, and
 * parse_file() returns NULL without writing err.  check, export and view then print
 * "ipclab: " and nothing else (exit 7).  Found by fuzz_trace_load
 * (tests/fuzz/regress/known/trace_load-json_null).  Fix: in parse_file(), on success with
 * a NULL object, say "%s: not an ipclab trace (the JSON value is null)".
 */
static void test_json_null(void **state)
{
	static const char *const cmds[] = { "check", "export --chrome", "view" };
	char *path = put("null.json", "null\n");

	for (int c = 0; c < 3; c++) {
		int st = hsh("timeout -s KILL 10 %s %s %s", IPCLAB_BIN, cmds[c], path);

		if (st != 7 || !strstr(hout, path))
			fail_msg("`ipclab %s` of \"null\": exit %d, said (want exit 7 and a reason):\n%s",
				 cmds[c], st, hout);
	}
}

/*
 * user/main.c parse_opts() (now user/cli.c): opterr = 0 and an optstring without a
 * leading ':' make getopt return '?' for a missing argument, so `-o` with no value is
 * reported as "unknown option '-o'" and the `case ':'` branch ("option %s needs an
 * argument") never runs.  Fix: start the optstrings with ':' (cli.c getopt_tables()).
 */
static void test_missing_argument_message(void **state)
{
	static const char *const args[] = { "run -o", "run --tier", "trace --timeout",
					     "export --chrome x.json -o", "run --btf" };

	for (size_t i = 0; i < 5; i++) {
		int st = hsh("%s %s", IPCLAB_BIN, args[i]);

		if (st != 2 || !strstr(hout, "needs an argument"))
			fail_msg("`ipclab %s`: exit %d, said:\n%s(want exit 2, \"needs an argument\")",
				 args[i], st, hout);
	}
}

/*
 * user/main.c parse_opts() (now user/cli.c) --timeout: strtod() accepts "nan", "inf" and
 * 1e300; only "<= 0" is refused, and NaN <= 0 is false.  NaN then means no timeout at all, and
 * user/run.c record_loop() converts timeout_s * 1e9 to __u64, undefined for inf/1e300
 * (on x86_64 the deadline wraps and the run "times out" at once, exit 124).  Fix: refuse
 * !isfinite() and values above a sane bound (e.g. 1e6 s).  Probed with `trace` of `true`
 * (only run and trace take --timeout): refused, it traces nothing; accepted, it exits 0.
 */
static void test_timeout_not_finite(void **state)
{
	static const char *const values[] = { "nan", "inf", "1e300", "-nan" };

	for (size_t i = 0; i < 4; i++) {
		int st = hsh("%s trace --timeout %s -q -o %s/t.json -- true", IPCLAB_BIN, values[i],
			     hdir);

		if (st != 2)
			fail_msg("--timeout %s: exit %d (want 2, a usage error):\n%s", values[i], st, hout);
	}
}

/*
 * user/main.c parse_size() (now user/cli.c): "v <<= 30" overflows before the range check,
 * so --buffer 17179869185G (2^34 + 1 GiB) wraps to exactly 1 GiB and is accepted.
 * Fix: check v against the limit before shifting (v > (1ULL << 30) >> shift).  Probed
 * with `trace` of `true`, as --timeout above.
 */
static void test_buffer_overflow(void **state)
{
	int st = hsh("%s trace --buffer 17179869185G -q -o %s/b.json -- true", IPCLAB_BIN, hdir);

	if (st != 2)
		fail_msg("--buffer 17179869185G: exit %d (want 2):\n%s", st, hout);
}

/*
 * user/export.c export_trace() returns -EIO whenever ferror(f), so a full disk is reported
 * as "cannot write FILE: Input/output error" (user/run.c write_trace), not "No space left
 * on device".  Fix: fflush() in export_trace() and return -errno when it fails (or let
 * out_commit()'s fflush report it before discarding).
 */
static void test_disk_full_message(void **state)
{
	char mnt[256];
	int st;

	snprintf(mnt, sizeof(mnt), "%s/tiny", hdir);
	mkdir(mnt, 0755);
	st = hsh("unshare --mount --propagation private /bin/sh -c '"
		 "mount -t tmpfs -o size=64k tmpfs %s || exit 99; "
		 "%s trace -o %s/t.json -- /bin/sh -c "
		 "\"dd if=/dev/zero bs=1 count=3000 2>/dev/null | cat > /dev/null\"'", mnt, IPCLAB_BIN,
		 mnt);
	if (st == 99)
		skip();
	if (st != 5 || !strstr(hout, "No space left on device"))
		fail_msg("full disk: exit %d, said:\n%s(want 5 and \"No space left on device\")", st,
			 hout);
}

/*
 * user/attach.c tracer_open(): strerror(-ret) of a libbpf error code: a garbage --btf file
 * is reported as "cannot read BTF file X: Unknown error 4001" (LIBBPF_ERRNO__FORMAT), and a
 * file that is ELF without .BTF as "No such file or directory".  Fix: libbpf_strerror().
 */
static void test_btf_error_text(void **state)
{
	char btf[300];
	int st;

	snprintf(btf, sizeof(btf), "%s/garbage.btf", hdir);
	assert_int_equal(hsh("awk 'BEGIN { srand(7); for (i = 0; i < 65536; i++) "
			     "printf \"%%c\", int(rand() * 256) }' > %s", btf), 0);
	st = hsh("%s trace --btf %s -o %s/x.json -- true", IPCLAB_BIN, btf, hdir);
	if (st != 4 || strstr(hout, "Unknown error"))
		fail_msg("garbage --btf: exit %d, said:\n%s", st, hout);
}

/*
 * user/serve.c route(): libmicrohttpd percent-decodes the URL, %00 included, and route()
 * compares C strings, so everything after an encoded NUL is ignored:
 * /TOKEN/index.html%00.json and /TOKEN/trace/0.json%00/../../etc/passwd are served as
 * index.html and trace 0.  Only whitelisted files are ever served (no traversal), but the
 * "exact matches only" rule does not hold.  Fix: refuse URLs whose decoded length differs
 * from strlen() (MHD gives the length to the access handler via the connection's URL
 * length, or compare against MHD_lookup_connection_value), or refuse '%00' before decoding
 * (MHD_OPTION_UNESCAPE_CALLBACK).
 */
static void test_view_nul_in_url(void **state)
{
	static const char *const paths[] = { "index.html%00.json", "%00", "trace/0.json%00x" };
	char log[300], token[64];
	unsigned port = 0;
	pid_t pid;

	snprintf(log, sizeof(log), "%s/view.out", hdir);
	{
		char *argv[] = { IPCLAB_BIN, "view", put("v.json", valid), NULL };

		pid = hspawn(argv, log);
	}
	if (!hwait_text(log, "http://", 10)) {
		kill(pid, SIGKILL);
		fail_msg("ipclab view did not start");
	}
	hslurp(log, hout, sizeof(hout));
	assert_int_equal(sscanf(strstr(hout, "http://"), "http://127.0.0.1:%u/%32[0-9a-f]/", &port,
				token), 2);
	for (size_t i = 0; i < 3; i++) {
		hsh("curl -s --max-time 5 --path-as-is -o /dev/null -w '%%{http_code}' "
		    "'http://127.0.0.1:%u/%s/%s'", port, token, paths[i]);
		if (atoi(hout) != 404) {
			kill(pid, SIGINT);
			hwait(pid, 5);
			fail_msg("GET /TOKEN/%s -> %s (want 404)", paths[i], hout);
		}
	}
	kill(pid, SIGINT);
	hwait(pid, 5);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest fifo[] = { cmocka_unit_test(test_fifo_input) };
	const struct CMUnitTest trailing[] = { cmocka_unit_test(test_trailing_data) };
	const struct CMUnitTest jnull[] = { cmocka_unit_test(test_json_null) };
	const struct CMUnitTest claims[] = { cmocka_unit_test(test_check_malformed_claims) };
	const struct CMUnitTest optarg_[] = { cmocka_unit_test(test_missing_argument_message) };
	const struct CMUnitTest timeout[] = { cmocka_unit_test(test_timeout_not_finite) };
	const struct CMUnitTest buffer[] = { cmocka_unit_test(test_buffer_overflow) };
	const struct CMUnitTest enospc[] = { cmocka_unit_test(test_disk_full_message) };
	const struct CMUnitTest btf[] = { cmocka_unit_test(test_btf_error_text) };
	const struct CMUnitTest nul[] = { cmocka_unit_test(test_view_nul_in_url) };
	const struct hgroup groups[] = {
		HGROUP("fifo_input", fifo, false),
		HGROUP("check_claims", claims, false),
		HGROUP("trailing_data", trailing, false),
		HGROUP("json_null", jnull, false),
		HGROUP("missing_optarg", optarg_, false),
		HGROUP("timeout_nonfinite", timeout, false),
		HGROUP("buffer_overflow", buffer, false),
		HGROUP("enospc_message", enospc, true),
		HGROUP("btf_error_text", btf, true),
		HGROUP("view_nul_url", nul, false),
	};

	return hmain(argc, argv, groups, sizeof(groups) / sizeof(groups[0]));
}
