// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli.c - the ipclab command as a user meets it: exit codes, one-line errors,
 * privileges, output files, `trace` of an ordinary shell pipeline, interruption.
 * Runs real BPF as root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <signal.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "trace_read.h"

static char dir[] = "/tmp/ipclab-cli.XXXXXX";
#include "shell.h"


static bool exists(const char *name)
{
	char path[300];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return lstat(path, &st) == 0;
}

static void test_help_version(void **state)
{
	assert_int_equal(sh("%s --help", IPCLAB_BIN), 0);
	assert_output_has("Exit status");
	assert_output_has("sudo ipclab trace");
	assert_int_equal(sh("%s --version", IPCLAB_BIN), 0);
	assert_output_has("ipclab ");
	assert_int_equal(sh("%s", IPCLAB_BIN), 2);
}

static void assert_one_line(void);

static void test_usage_errors(void **state)
{
	assert_int_equal(sh("%s run no_such_scenario -o %s/x", IPCLAB_BIN, dir), 2);
	assert_output_has("unknown scenario 'no_such_scenario'");
	assert_output_has("pipe_transfer");	/* the valid names are listed */
	assert_int_equal(sh("%s run --tier bogus", IPCLAB_BIN), 2);
	assert_output_has("unknown tier");
	assert_int_equal(sh("%s run --buffer 3000", IPCLAB_BIN), 2);
	assert_int_equal(sh("%s frobnicate", IPCLAB_BIN), 2);
	assert_int_equal(sh("%s trace", IPCLAB_BIN), 2);
	assert_int_equal(sh("%s run --bogus-option", IPCLAB_BIN), 2);
	assert_output_has("unknown option");
	/* compare's message sizes: 1 byte to 1M, at most 8 */
	assert_int_equal(sh("%s run --sizes 0 compare", IPCLAB_BIN), 2);
	assert_output_has("bad --sizes '0'");
	assert_int_equal(sh("%s run --sizes 2m compare", IPCLAB_BIN), 2);
	assert_int_equal(sh("%s run --sizes 64,,4k compare", IPCLAB_BIN), 2);
	assert_int_equal(sh("%s run --sizes 1,2,3,4,5,6,7,8,9 compare", IPCLAB_BIN), 2);
	assert_int_equal(sh("%s trace --sizes 64 -- true", IPCLAB_BIN), 2);	/* run's only */
	/* the claims table's language: en or zh, nothing else, and run's option only */
	assert_int_equal(sh("%s run --lang fr pipe_transfer", IPCLAB_BIN), 2);
	assert_output_has("unknown language 'fr': use en or zh");
	assert_one_line();
	assert_int_equal(sh("%s run --lang pipe_transfer", IPCLAB_BIN), 2);
	assert_int_equal(sh("%s check --lang zh x.json", IPCLAB_BIN), 2);	/* --claims' only */
	assert_output_has("--lang needs --claims FILE");
	assert_one_line();
}

/* One line of output (the usage error), and nothing else. */
static void assert_one_line(void)
{
	char *nl = strchr(out, '\n');

	if (!nl || nl[1])
		fail_msg("want exactly one line, got:\n%s", out);
}

/*
 * What each subcommand's --help must list, and option lines (as the help prints them) of
 * options it does not take, which it must not.
 */
static const struct {
	const char *cmd;
	const char *has[10];
	const char *lacks[4];
} helps[] = {
	{ "list", { "Usage: ipclab list\n" }, { "-o, --output", "-t, --tier", "-q, --quiet" } },
	{ "run", { "Usage: ipclab run [OPTIONS] [SCENARIO...]", "-o, --output DIR", "-t, --tier TIER",
		   "-b, --buffer SIZE", "--btf FILE", "--timeout SEC", "--html", "--gzip",
		   "-q, --quiet", "--lang LANG" }, { "--save-spool FILE", "--chrome " } },
	{ "trace", { "Usage: ipclab trace [OPTIONS] [--] CMD [ARGS...]", "-o, --output FILE",
		     "--tier", "--buffer", "--btf", "--timeout", "--save-spool FILE", "--html",
		     "--gzip" }, { "--chrome " } },
	{ "doctor", { "Usage: ipclab doctor [OPTIONS]\n", "--btf FILE" },
	  { "-t, --tier", "-o, --output", "--timeout SEC", "-q, --quiet" } },
	{ "replay", { "Usage: ipclab replay [OPTIONS] SPOOL", "-o, --output OUT", "--gzip",
		      "--quiet" }, { "-t, --tier", "--html ", "--save-spool FILE", "--timeout SEC" } },
	{ "check", { "Usage: ipclab check [OPTIONS] TRACE...", "-q, --quiet" },
	  { "-o, --output", "-t, --tier", "--timeout SEC", "--html " } },
	{ "view", { "Usage: ipclab view [OPTIONS] TRACE [TRACE2]", "--port N", "Exit 5" },
	  { "-o, --output", "--html ", "-q, --quiet" } },
	{ "export", { "Usage: ipclab export [OPTIONS] --chrome TRACE", "--chrome", "-o, --output OUT",
		      "--quiet" }, { "-t, --tier", "--html ", "--gzip " } },
	{ "help", { "Usage: ipclab help [COMMAND]" }, { "-o, --output", "-t, --tier" } },
};

/* `ipclab CMD --help` (and -h, and `ipclab help CMD`): that command's own options, exit 0. */
static void test_command_help(void **state)
{
	char first[sizeof(out)];

	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++) {
		assert_int_equal(sh("%s %s --help", IPCLAB_BIN, helps[i].cmd), 0);
		for (size_t k = 0; k < 9 && helps[i].has[k]; k++)
			if (!strstr(out, helps[i].has[k]))
				fail_msg("%s --help lacks \"%s\":\n%s", helps[i].cmd, helps[i].has[k], out);
		for (size_t k = 0; k < 4 && helps[i].lacks[k]; k++)
			if (strstr(out, helps[i].lacks[k]))
				fail_msg("%s --help lists %s:\n%s", helps[i].cmd, helps[i].lacks[k], out);
		assert_output_has("-h, --help");
		strcpy(first, out);
		assert_int_equal(sh("%s %s -h", IPCLAB_BIN, helps[i].cmd), 0);
		assert_string_equal(out, first);
		assert_int_equal(sh("%s help %s", IPCLAB_BIN, helps[i].cmd), 0);
		assert_string_equal(out, first);
	}
}

/* `ipclab --help` and `ipclab help`: every subcommand, one line each; no option list. */
static void test_overview(void **state)
{
	char first[sizeof(out)], line[64];

	assert_int_equal(sh("%s help", IPCLAB_BIN), 0);
	strcpy(first, out);
	assert_int_equal(sh("%s --help", IPCLAB_BIN), 0);
	assert_string_equal(out, first);
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++) {
		snprintf(line, sizeof(line), "\n  %-8s ", helps[i].cmd);
		assert_output_has(line);
	}
	assert_output_has("ipclab COMMAND --help");
	if (strstr(out, "--save-spool") || strstr(out, "--buffer"))
		fail_msg("the overview lists options:\n%s", out);
}

/*
 * An option the subcommand does not use is a usage error: one line naming the command
 * and the option and pointing at the command's help, exit 2, nothing run or written.
 * Before, one parser served every subcommand and these were accepted and ignored
 * (`doctor --tier tracepoint` ran doctor; `run --save-spool` ran the scenario).
 */
static void test_options_not_taken(void **state)
{
	static const struct { const char *args, *says; } cases[] = {
		{ "doctor --tier tracepoint", "doctor: unknown option '--tier'" },
		{ "doctor -q", "doctor: unknown option '-q'" },
		{ "doctor --timeout=5", "doctor: unknown option '--timeout'" },
		{ "run --save-spool S -o D pipe_nonblock", "run: unknown option '--save-spool'" },
		{ "run --chrome -o D pipe_nonblock", "run: unknown option '--chrome'" },
		{ "view --html T", "view: unknown option '--html'" },
		{ "run --port 8080 -o D pipe_nonblock", "run: unknown option '--port'" },
		{ "export --chrome --port 8080 T", "export: unknown option '--port'" },
		{ "check --timeout 5 T", "check: unknown option '--timeout'" },
		{ "check -o D T", "check: unknown option '-o'" },
		{ "export --chrome --tier kprobe T", "export: unknown option '--tier'" },
		{ "export --chrome --gzip T", "export: unknown option '--gzip'" },
		{ "replay --html S", "replay: unknown option '--html'" },
		{ "replay --buffer 4M S", "replay: unknown option '--buffer'" },
		{ "list -q", "list: unknown option '-q'" },
		{ "trace --chrome -o D -- true", "trace: unknown option '--chrome'" },
		{ "run --quiet=yes -o D pipe_nonblock", "run: option '--quiet' takes no argument" },
	};
	char cmd[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *sp = strchr(cases[i].args, ' ');

		/* S, T, D: names in the scratch directory that must not appear */
		assert_int_equal(sh("cd %s && %s %s", dir, IPCLAB_BIN, cases[i].args), 2);
		assert_output_has(cases[i].says);
		snprintf(cmd, sizeof(cmd), "(see ipclab %.*s --help)", (int)(sp - cases[i].args),
			 cases[i].args);
		assert_output_has(cmd);
		assert_one_line();
		assert_false(exists("D"));
		assert_false(exists("T.chrome.json"));
	}
}

/* A typo gets the nearest name; a word that is no typo gets the list of commands. */
static void test_typo_suggestions(void **state)
{
	static const struct { const char *args, *says; } cases[] = {
		{ "chek x.json", "unknown command 'chek'; did you mean 'check'?" },
		{ "tarce -- true", "did you mean 'trace'?" },
		{ "doctr", "did you mean 'doctor'?" },
		{ "exprot --chrome x.json", "did you mean 'export'?" },
		{ "lsit", "did you mean 'list'?" },
		{ "veiw x.json", "did you mean 'view'?" },
		{ "run --tire auto", "run: unknown option '--tire'; did you mean '--tier'?" },
		{ "trace --timout 1 -- true", "did you mean '--timeout'?" },
		{ "run --ti 1", "it could be '--tier' or '--timeout'" },
		{ "run pipe_trasnfer", "unknown scenario 'pipe_trasnfer' (did you mean 'pipe_transfer'?)" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(sh("%s %s", IPCLAB_BIN, cases[i].args), 2);
		assert_output_has(cases[i].says);
		assert_one_line();
	}
	assert_int_equal(sh("%s frobnicate", IPCLAB_BIN), 2);
	assert_output_has("the commands are list, run, trace, doctor, replay, check, view, export");
	if (strstr(out, "did you mean"))
		fail_msg("a suggestion for a word that is not a typo:\n%s", out);
}

/*
 * The forms the repository's own callers use (tests/vm/init, bench/, tests/fuzz,
 * tests/CMakeLists.txt, tests/viz) still work, options before or after the operands.
 */
static void test_old_forms(void **state)
{
	/* the guests: run --tier T --timeout N -o DIR SCENARIOS; trace ... -q -o F -- cmd */
	assert_int_equal(sh("%s run --tier tracepoint --timeout 60 -o %s/old pipe_transfer",
			    IPCLAB_BIN, dir), 0);
	assert_true(exists("old/pipe_transfer.json"));
	/* tests/CMakeLists.txt, tests/fuzz: run SCENARIO -q --gzip -o DIR */
	assert_int_equal(sh("%s run pipe_nonblock -q --gzip -t tracepoint -o %s/oldgz", IPCLAB_BIN,
			    dir), 0);
	assert_true(exists("oldgz/pipe_nonblock.json.gz"));
	assert_int_equal(sh("%s trace --tier tracepoint --timeout 60 -q -b 4M -o %s/old.json "
			    "--save-spool %s/old.spool -- sh -c 'echo x | cat'", IPCLAB_BIN, dir,
			    dir), 0);
	/* bench/write_size.py, bench/scale.sh: replay SPOOL [-q] -o OUT */
	assert_int_equal(sh("%s replay %s/old.spool -q -o %s/replayed.json --gzip", IPCLAB_BIN, dir,
			    dir), 0);
	assert_true(exists("replayed.json.gz"));
	/* tests/hardening, bench/readers.sh, tests/viz: check -q, export -q --chrome T -o OUT */
	assert_int_equal(sh("%s check -q %s/old.json %s/replayed.json.gz", IPCLAB_BIN, dir, dir), 0);
	assert_int_equal(sh("%s export -q --chrome %s/old.json -o %s/old.chrome.json", IPCLAB_BIN,
			    dir, dir), 0);
	assert_true(exists("old.chrome.json"));
	/* doctor still takes --btf, and uses it: no tier loads without BTF */
	assert_int_equal(sh("%s doctor --btf /nonexistent.btf", IPCLAB_BIN), 4);
	assert_output_has("cannot read BTF file /nonexistent.btf");
}

/* trace: options end at the command; what follows is the command's, -q and -o included. */
static void test_trace_options_end_at_command(void **state)
{
	char path[300];
	FILE *f;
	char line[128] = "";

	assert_int_equal(sh("%s trace -q -t tracepoint -o %s/args.json -- "
			    "sh -c 'echo \"$@\" > %s/args.txt' sh -q -o x --tier bogus", IPCLAB_BIN,
			    dir, dir), 0);
	snprintf(path, sizeof(path), "%s/args.txt", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	assert_string_equal(line, "-q -o x --tier bogus\n");
	assert_false(exists("x"));
	/* without "--" too: the first operand ends the options */
	assert_int_equal(sh("%s trace -q -t tracepoint -o %s/args2.json sh -c 'exit 0' -q --html",
			    IPCLAB_BIN, dir), 0);
	assert_true(exists("args2.json"));
	assert_false(exists("args2.html"));
}

/* run --html: the reports next to the traces, and one line at the end that says where. */
static void test_run_html_says_where(void **state)
{
	char want[400];

	assert_int_equal(sh("%s run -t tracepoint -o %s/html pipe_nonblock pipe_transfer --html",
			    IPCLAB_BIN, dir), 0);
	assert_true(exists("html/pipe_nonblock.html"));
	assert_true(exists("html/pipe_transfer.html"));
	snprintf(want, sizeof(want), "\nHTML reports in %s/html/: pipe_nonblock.html "
		 "pipe_transfer.html\n", dir);
	assert_output_has(want);
}

/* --lang zh: the whole table in Chinese, the trace line and the totals too */
static void test_run_lang_zh(void **state)
{
	char want[400];

	assert_int_equal(sh("%s run -t tracepoint -o %s/zh --lang zh pipe_transfer", IPCLAB_BIN,
			    dir), 0);
	snprintf(want, sizeof(want), "\n  跟踪文件：%s/zh/pipe_transfer.json（", dir);
	assert_output_has(want);
	assert_output_has("个事件）\n");
	assert_output_has("  PASS  写者关闭写端后，下一次 read() 返回 0（文件结束）\n");
	assert_output_has("\n1 个场景共 4 条结论：4 条 PASS，0 条 FAIL\n");
	if (strstr(out, "claims in") || strstr(out, "  trace: "))
		fail_msg("English left in the Chinese table:\n%s", out);
}

static void test_not_root(void **state)
{
	assert_int_equal(sh("setpriv --reuid=65534 --regid=65534 --clear-groups %s run "
			    "pipe_nonblock -o /tmp", IPCLAB_BIN), 3);
	assert_output_has("sudo");
}

static void test_unwritable_output_before_tracing(void **state)
{
	assert_int_equal(sh("%s run pipe_nonblock -o /proc/ipclab-nope", IPCLAB_BIN), 5);
	assert_output_has("not writable");
	if (strstr(out, "probes attached"))
		fail_msg("tracing started before the output check:\n%s", out);
	assert_int_equal(sh("%s trace -o /proc/nope/t.json -- true", IPCLAB_BIN), 5);
}

static void test_missing_command(void **state)
{
	assert_int_equal(sh("%s trace -o %s/missing.json -- /nonexistent/prog", IPCLAB_BIN, dir), 6);
	assert_output_has("No such file");
	assert_false(exists("missing.json"));
}

static void test_missing_btf(void **state)
{
	assert_int_equal(sh("%s trace --btf /nonexistent.btf -o %s/nobtf.json -- true", IPCLAB_BIN,
			    dir), 4);
	assert_output_has("BTF");
}

/* A forced tier either attaches and is recorded, or fails in one clear line. */
static void test_forced_tiers(void **state)
{
	const char *tiers[] = { "fentry", "kprobe", "tracepoint" };

	for (int i = 0; i < 3; i++) {
		int st = sh("%s trace --tier %s -o %s/tier.json -- true", IPCLAB_BIN, tiers[i], dir);

		if (st == 0) {
			json_object *t = load("tier.json");

			assert_string_equal(jstr(jget(t, "meta"), "tier"), tiers[i]);
			json_object_put(t);
		} else {
			assert_int_equal(st, 4);
			assert_output_has(tiers[i]);
			assert_output_has("cannot attach");
		}
	}
	/* the tracepoint tier attaches everywhere ipclab supports */
	assert_int_equal(sh("%s trace --tier tracepoint -o %s/tier.json -- true", IPCLAB_BIN, dir), 0);
}

/* `ipclab trace` of a student's shell pipeline: the bytes cross a real pipe. */
static void test_trace_shell_pipeline(void **state)
{
	json_object *t, *w = NULL, *r = NULL, *create = NULL;

	assert_int_equal(sh("%s trace -o %s/sh.json -- sh -c 'echo hello | cat > /dev/null'",
			    IPCLAB_BIN, dir), 0);
	t = load("sh.json");
	assert_string_equal(jstr(t, "format"), "ipclab-trace");
	assert_true(jlen(t, "processes") >= 3);	/* sh, echo side, cat */
	for (size_t i = 0; i < jlen(t, "events"); i++) {
		json_object *e = jat(t, "events", i);

		if (!strcmp(jstr(e, "type"), "pipe_write") && !w)
			w = e;
		if (!strcmp(jstr(e, "type"), "pipe_read") && jint(e, "bytes") > 0 && !r)
			r = e;
		if (!strcmp(jstr(e, "type"), "syscall") && !strcmp(jstr(e, "name"), "pipe2"))
			create = e;
	}
	assert_non_null(create);
	assert_non_null(w);
	assert_non_null(r);
	assert_int_equal(jint(w, "bytes"), 6);
	assert_string_equal(jstr(w, "data"), "hello\n");
	assert_int_equal(jint(r, "bytes"), 6);
	assert_int_equal(jint(w, "obj"), jint(r, "obj"));
	assert_int_equal(jint(w, "obj"), jint(create, "obj"));
	assert_string_equal(jstr(jget(jget(jget(t, "meta"), "probes"), "pipe_write"), "tier"),
			    jstr(jget(t, "meta"), "tier"));
	json_object_put(t);
}

static void test_command_failure_status(void **state)
{
	assert_int_equal(sh("%s trace -o %s/fail.json -- sh -c 'exit 3'", IPCLAB_BIN, dir), 1);
	assert_output_has("exited with status 3");
	assert_true(exists("fail.json"));
	assert_int_equal(sh("%s trace -o %s/segv.json -- sh -c 'kill -SEGV $$'", IPCLAB_BIN, dir), 1);
	assert_output_has("killed by signal 11");
}

/* Under sudo the program runs as the invoking user, who also owns the trace. */
static void test_sudo_user(void **state)
{
	char path[300];
	struct stat st;
	FILE *f;
	int uid = -1;

	chmod(dir, 01777);
	assert_int_equal(sh("SUDO_UID=65534 SUDO_GID=65534 %s trace -o %s/u.json -- "
			    "sh -c 'id -u > %s/uid.txt'", IPCLAB_BIN, dir, dir), 0);
	snprintf(path, sizeof(path), "%s/uid.txt", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &uid), 1);
	fclose(f);
	assert_int_equal(uid, 65534);
	snprintf(path, sizeof(path), "%s/u.json", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 65534);
}

static void expect_interrupted(const char *name, const char *reason)
{
	json_object *t = load(name), *m = jget(t, "meta");

	assert_true(json_object_get_boolean(jget(m, "interrupted")));
	assert_string_equal(jstr(m, "end_reason"), reason);
	json_object_put(t);
}

/*
 * --timeout 0.5 ends a 30-second sleep: exit 124, the trace marked "timeout", and the trace
 * itself shows the sleep killed (SIGKILL, wait status 9) about 0.5 s after it started, in
 * the kernel's clock (measured: 0.50 s).  The wall clock is checked only against the 30 s the
 * sleep would take: on a loaded machine ipclab's own start can take several seconds.
 */
static void test_timeout(void **state)
{
	time_t t0 = time(NULL);
	json_object *t, *p;

	assert_int_equal(sh("%s trace --timeout 0.5 -o %s/to.json -- sleep 30", IPCLAB_BIN, dir), 124);
	assert_true(time(NULL) - t0 < 25);
	expect_interrupted("to.json", "timeout");
	t = load("to.json");
	p = json_object_array_get_idx(jget(t, "processes"), 0);
	assert_string_equal(jstr(p, "comm"), "sleep");
	assert_int_equal(json_object_get_int(jget(p, "status")), 9);
	assert_true(json_object_get_int64(jget(p, "exit")) - json_object_get_int64(jget(p, "start")) <
		    5000000000LL);
	json_object_put(t);
}

/*
 * `run` with a scenario that times out goes on with the next one: pipe_write_blocks sleeps
 * 400 ms by design, so --timeout 0.3 always stops it; its trace is written and marked, the
 * next scenario still runs and writes its trace, and the run exits 124 at the end.  (Before,
 * the first timeout ended the run and every later scenario had no trace.)
 */
static void test_run_timeout_goes_on(void **state)
{
	assert_int_equal(sh("%s run -q --timeout 0.3 -o %s/runto pipe_write_blocks pipe_transfer",
			    IPCLAB_BIN, dir), 124);
	expect_interrupted("runto/pipe_write_blocks.json", "timeout");
	assert_true(exists("runto/pipe_transfer.json"));
	assert_output_has("pipe_write_blocks: timed out");
}

static void test_sigint(void **state)
{
	char path[300];
	pid_t pid;
	int st;

	snprintf(path, sizeof(path), "%s/int.json", dir);
	pid = fork();
	if (pid == 0) {
		execl(IPCLAB_BIN, "ipclab", "trace", "-q", "-o", path, "--", "sleep", "30",
		      (char *)NULL);
		_exit(127);
	}
	sleep(1);
	kill(pid, SIGINT);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 130);
	expect_interrupted("int.json", "interrupted");
	/* the traced sleep did not survive */
	assert_int_not_equal(sh("pgrep -f '^sleep 30$'"), 0);
}

static void test_symlink_not_followed(void **state)
{
	char link[300], victim[300];
	FILE *f;
	struct stat st;

	snprintf(victim, sizeof(victim), "%s/victim.txt", dir);
	snprintf(link, sizeof(link), "%s/planted.json", dir);
	f = fopen(victim, "w");
	fputs("precious\n", f);
	fclose(f);
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(sh("%s trace -o %s -- true", IPCLAB_BIN, link), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(stat(victim, &st), 0);
	assert_int_equal(st.st_size, 9);
}

static void test_doctor(void **state)
{
	assert_int_equal(sh("%s doctor", IPCLAB_BIN), 0);
	assert_output_has("kernel BTF");
	assert_output_has("tracepoint  OK");
	assert_output_has("--tier auto would use");
	/* a tier this kernel refuses outright is found before its whole build is loaded (the
	 * two refused here cost 3.3 s of every start when it was): its reason is the check's */
	if (sh("%s doctor | grep -q '^  fentry      no'", IPCLAB_BIN) == 0) {
		assert_int_equal(sh("%s doctor | grep '^  fentry      no' | "
				    "grep -q 'checked: a minimal fentry program on '", IPCLAB_BIN), 0);
	}
	if (sh("%s doctor | grep -q '^  kprobe      no'", IPCLAB_BIN) == 0 &&
	    access("/sys/bus/event_source/devices/kprobe", F_OK) != 0) {
		assert_int_equal(sh("%s doctor | grep '^  kprobe      no' | "
				    "grep -q 'checked: no kprobe PMU'", IPCLAB_BIN), 0);
	}
}

/* A trace the viewer can serve, with no BPF: the viewer tests' fixture */
#define VIEW_TRACE SOURCE_DIR "/tests/viz/fixtures/pipe_transfer.json"

/* A listening socket on 127.0.0.1 at a port the kernel chose; *port is it. */
static int listen_anywhere(unsigned int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* view --port: out of range is a usage error (exit 2), a taken port one line and exit 5. */
static void test_view_port_refused(void **state)
{
	static const char *const bad[] = { "0", "65536", "-1", "80x", "" };
	unsigned int port;
	int fd;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sh("%s view --port '%s' %s", IPCLAB_BIN, bad[i], VIEW_TRACE), 2);
		assert_output_has("a port number from 1 to 65535 (see ipclab view --help)");
		assert_one_line();
	}
	fd = listen_anywhere(&port);
	assert_int_equal(sh("timeout 10 %s view --port %u %s", IPCLAB_BIN, port, VIEW_TRACE), 5);
	assert_output_has("is taken");
	assert_one_line();
	close(fd);
}

/*
 * view --port N serves on N: the printed URL names it, and the page and the trace answer
 * there.  The port is one the kernel just handed out and released, so it is free.
 */
static void test_view_port_serves(void **state)
{
	unsigned int port;
	char url[256] = "", want[64], *nl;
	int fd = listen_anywhere(&port);
	pid_t pid;

	close(fd);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char path[300], arg[16];

		snprintf(path, sizeof(path), "%s/view.out", dir);
		snprintf(arg, sizeof(arg), "%u", port);
		freopen(path, "w", stdout);
		execl(IPCLAB_BIN, "ipclab", "view", "--port", arg, VIEW_TRACE, (char *)NULL);
		_exit(127);
	}
	for (int tries = 0; tries < 100 && !strchr(url, '\n'); tries++) {
		char path[300];
		FILE *f;

		usleep(50000);
		snprintf(path, sizeof(path), "%s/view.out", dir);
		f = fopen(path, "r");
		if (f) {
			if (!fgets(url, sizeof(url), f))
				url[0] = 0;
			fclose(f);
		}
	}
	nl = strchr(url, '\n');
	if (nl)
		*nl = 0;
	snprintf(want, sizeof(want), "http://127.0.0.1:%u/", port);
	if (strncmp(url, want, strlen(want)))
		fail_msg("view --port %u printed \"%s\"", port, url);
	assert_int_equal(sh("curl -s -o /dev/null -w '%%{http_code}' '%s'", url), 0);
	assert_string_equal(out, "200");
	*strchr(url, '?') = 0;
	assert_int_equal(sh("curl -s -o /dev/null -w '%%{http_code}' '%strace/0.json'", url), 0);
	assert_string_equal(out, "200");
	kill(pid, SIGTERM);	/* the server this test started */
	assert_int_equal(waitpid(pid, NULL, 0), pid);
}

/* export --chrome: x.json and x.json.gz give x.chrome.json; -o names it. */
static void test_export_chrome_name(void **state)
{
	/* in parentheses: sh() sends the command's output to its own file */
	assert_int_equal(sh("(cp %s %s/ex.json && gzip -c %s > %s/exgz.json.gz)", VIEW_TRACE, dir,
			    VIEW_TRACE, dir), 0);
	assert_int_equal(sh("%s export --chrome %s/ex.json", IPCLAB_BIN, dir), 0);
	assert_true(exists("ex.chrome.json"));
	assert_false(exists("ex.json.chrome.json"));
	assert_int_equal(sh("%s export --chrome %s/exgz.json.gz", IPCLAB_BIN, dir), 0);
	assert_true(exists("exgz.chrome.json"));
	assert_false(exists("exgz.json.chrome.json"));
	assert_int_equal(sh("%s export -q --chrome %s/ex.json -o %s/named.json", IPCLAB_BIN, dir,
			    dir), 0);
	assert_true(exists("named.json"));
}

/*
 * What a kernel before 5.11/5.12 gets (the BPF object without atomics, the task read with
 * helper calls), on this kernel: the claims of the pipe, FIFO and memory scenarios still
 * hold.  The helper-call read of pagefault_disabled once flagged every fault "not handled"
 * (the read itself runs inside pagefault_disable()), and the mmap claims failed.
 */
static void test_old_kernel_paths(void **state)
{
	/* exit 0: every claim PASSed */
	assert_int_equal(sh("IPCLAB_EMULATE_OLD_KERNEL=1 %s run --tier tracepoint -o %s/old "
			    "pipe_transfer pipe_write_blocks fifo_hello mmap_lazy mmap_shared_file "
			    "mmap_msync mmap_vs_write", IPCLAB_BIN, dir), 0);
	assert_output_has("the build without BPF atomics");
}

/*
 * The build a kernel without the direct-load one gets (5.12 to 6.1), on this kernel: the
 * pipe, FIFO, socket and queue claims hold with the fields read by helper calls; and the
 * direct-load build is the one taken where the kernel has bpf_rdonly_cast (the other
 * integration tests run it).
 */
static void test_main_build_paths(void **state)
{
	assert_int_equal(sh("IPCLAB_NO_DIRECT_LOADS=1 %s run --tier tracepoint -o %s/mainb "
			    "pipe_transfer pipe_write_blocks fifo_hello unix_socketpair_transfer "
			    "mq_full_blocks", IPCLAB_BIN, dir), 0);
	assert_output_has("; the main build)");
	if (sh("%s doctor | grep -q 'direct loads *yes'", IPCLAB_BIN) != 0)
		skip();	/* a kernel before 6.2 */
	assert_int_equal(sh("%s run --tier tracepoint -o %s/directb pipe_transfer", IPCLAB_BIN,
			    dir), 0);
	assert_output_has("; the direct-load build)");
}

/* The pipe reads and writes of `env ipclab trace` running a 44- and a 64-byte write and read
 * (python3: one syscall each): the sampled head and tail must be exactly those bytes. */
static void check_head_tail(const char *env, const char *name)
{
	static const char *const want[][2] = {	/* data, data_tail of the 44, then 64 bytes */
		{ "ABCDEFGHIJKLMNOP", "cdefghijklmnopqr" },
		{ "0123456789abcdef", "MNOPQRSTUVWXYZ+/" },
	};
	json_object *t, *e[4];
	char path[64];
	int pid = -1;

	snprintf(path, sizeof(path), "%s.json", name);
	assert_int_equal(sh("%s %s trace -q -o %s/%s -- /usr/bin/python3 -c \"import os; "
			    "r, w = os.pipe(); "
			    "os.write(w, b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqr'); os.read(r, 100); "
			    "os.write(w, b'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/'); "
			    "os.read(r, 100)\"", env, IPCLAB_BIN, dir, path), 0);
	t = json_file(dir, path);
	for (size_t i = 0; i < jlen(t, "processes") && pid < 0; i++)
		if (strstr(jstr(jat(t, "processes", i), "comm"), "python"))
			pid = jint(jat(t, "processes", i), "pid");
	for (int k = 0; k < 2; k++) {
		const char *type = k ? "pipe_read" : "pipe_write";

		assert_int_equal(events_of(t, pid, type, e, 4), 2);
		for (int i = 0; i < 2; i++) {
			assert_int_equal(jint(e[i], "bytes"), i ? 64 : 44);
			assert_string_equal(jstr(e[i], "data"), want[i][0]);
			assert_string_equal(jstr(e[i], "data_tail"), want[i][1]);
		}
	}
	json_object_put(t);
}

/* The data sample of a 17-64 byte call (head and tail: two user reads), in the direct-load
 * and the main build alike. */
static void test_data_head_tail(void **state)
{
	check_head_tail("", "ht_default");
	check_head_tail("IPCLAB_NO_DIRECT_LOADS=1", "ht_main");
}

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_command_help),
		cmocka_unit_test(test_overview),
		cmocka_unit_test(test_options_not_taken),
		cmocka_unit_test(test_typo_suggestions),
		cmocka_unit_test(test_old_forms),
		cmocka_unit_test(test_trace_options_end_at_command),
		cmocka_unit_test(test_not_root),
		cmocka_unit_test(test_unwritable_output_before_tracing),
		cmocka_unit_test(test_run_html_says_where),
		cmocka_unit_test(test_run_lang_zh),
		cmocka_unit_test(test_missing_command),
		cmocka_unit_test(test_missing_btf),
		cmocka_unit_test(test_forced_tiers),
		cmocka_unit_test(test_trace_shell_pipeline),
		cmocka_unit_test(test_command_failure_status),
		cmocka_unit_test(test_sudo_user),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_run_timeout_goes_on),
		cmocka_unit_test(test_sigint),
		cmocka_unit_test(test_symlink_not_followed),
		cmocka_unit_test(test_doctor),
		cmocka_unit_test(test_view_port_refused),
		cmocka_unit_test(test_view_port_serves),
		cmocka_unit_test(test_export_chrome_name),
		cmocka_unit_test(test_old_kernel_paths),
		cmocka_unit_test(test_main_build_paths),
		cmocka_unit_test(test_data_head_tail),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "integration tests load BPF: run them as root (sudo make test)\n");
		return 77;
	}
	return cmocka_run_group_tests_name("cli", tests, setup, NULL);
}
