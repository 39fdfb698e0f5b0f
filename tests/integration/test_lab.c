// SPDX-License-Identifier: GPL-2.0
/*
 * test_lab.c - labs without touching ipclab's C (issue #15): `run --lab DIR` on the shipped
 * example lab and on broken ones, and `trace --claims FILE`.  The verdicts must be stored in
 * the trace (with their "source"), the exit status must follow them, and a bad claims file
 * or a program that does not compile must leave no trace behind.  Runs real BPF as root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "trace_read.h"

#define EXAMPLE_LAB SOURCE_DIR "/docs/labs/pipe_write_blocks"

static char dir[] = "/tmp/ipclab-lab.XXXXXX";
#include "shell.h"

/* One line of output (the error), and nothing else. */
static void assert_one_line(void)
{
	char *nl = strchr(out, '\n');

	if (!nl || nl[1])
		fail_msg("want exactly one line, got:\n%s", out);
}

static bool exists(const char *name)
{
	char path[300];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return lstat(path, &st) == 0;
}

/* Files in dir/sub, hidden ones (a temporary left behind) included */
static int entries(const char *sub)
{
	char path[300];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}


static void write_file(const char *name, const char *text)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A lab folder dir/NAME holding the example's program and the given claims */
static void make_lab(const char *name, const char *claims)
{
	char file[300];

	assert_int_equal(sh("mkdir -p %s/%s && cp %s/pipe_write_blocks.c %s/%s/%s.c", dir, name,
			    EXAMPLE_LAB, dir, name, name), 0);
	snprintf(file, sizeof(file), "%s/%s.claims", name, name);
	write_file(file, claims);
}

static void assert_schema_valid(const char *name)
{
	assert_int_equal(sh("/usr/bin/python3 %s/tests/schema/validate_traces.py "
			    "%s/docs/trace.schema.json %s/%s", SOURCE_DIR, SOURCE_DIR, dir, name), 0);
}

/* Every stored claim has status want (NULL: either), its source, and the fields check reads */
static size_t assert_claims(json_object *t, const char *source, const char *want)
{
	size_t n = jlen(t, "claims");

	for (size_t i = 0; i < n; i++) {
		json_object *c = jat(t, "claims", i);

		assert_string_equal(jstr(c, "source"), source);
		assert_non_null(jget(c, "text_zh"));
		assert_non_null(jget(c, "detail"));
		assert_non_null(jget(c, "evidence"));
		if (want)
			assert_string_equal(jstr(c, "status"), want);
	}
	return n;
}

static const char failing_claims[] =
	"# the writer writes 17 times: 100 is wrong\n"
	"claim too-many\n"
	"  text    \"The writer writes 100 times\"\n"
	"  text_zh \"写者写了 100 次\"\n"
	"  let w = pipe_write where role == \"writer\"\n"
	"  expect count(w) >= 100\n"
	"claim blocks\n"
	"  text    \"The 17th write blocks\"\n"
	"  text_zh \"第 17 次写入阻塞\"\n"
	"  let w = pipe_write where role == \"writer\"\n"
	"  expect w[17].blocked\n";

static const char bad_claims[] =
	"claim a\n"
	"  text    \"x\"\n"
	"  text_zh \"x\"\n"
	"  expct 1\n";

/* The shipped example: built, traced, every claim PASSes and is stored with its source */
static void test_run_lab_passes(void **state)
{
	json_object *t;

	assert_int_equal(sh("%s run --lab %s -o %s/pass", IPCLAB_BIN, EXAMPLE_LAB, dir), 0);
	assert_output_has("pipe_write_blocks.claims\n");
	assert_output_has("PASS  The 17th write finds all 16 slots full and blocks");
	assert_output_lacks("FAIL");
	t = load("pass/pipe_write_blocks.json");
	assert_int_equal(assert_claims(t, "pipe_write_blocks.claims", "PASS"), 4);
	assert_string_equal(jstr(jat(t, "claims", 1), "id"), "full-blocks");
	/* the meta names the lab and its claims file (the viewer's title and its lab text) */
	assert_string_equal(jstr(json_object_object_get(t, "meta"), "lab"), "pipe_write_blocks");
	assert_string_equal(jstr(json_object_object_get(t, "meta"), "claims_file"),
			    "pipe_write_blocks.claims");
	json_object_put(t);
	assert_int_equal(entries("pass"), 1);	/* the trace, no temporary */
	assert_schema_valid("pass/pipe_write_blocks.json");
	/* ipclab check shows the stored verdicts, and says it cannot judge them without the file */
	assert_int_equal(sh("%s check %s/pass/pipe_write_blocks.json", IPCLAB_BIN, dir), 0);
	assert_output_has("(as stored, from the claims file pipe_write_blocks.claims: "
			  "check --claims pipe_write_blocks.claims judges them again)");
	assert_output_has("4 claims, 0 FAIL");
}

/* The table in Chinese; --gzip writes NAME.json.gz */
static void test_run_lab_zh_gzip(void **state)
{
	assert_int_equal(sh("%s run --lab %s --lang zh --gzip -o %s/zh", IPCLAB_BIN, EXAMPLE_LAB,
			    dir), 0);
	assert_output_has("跟踪文件：");
	assert_output_has("PASS  第 17 次写入发现 16 个槽位全满，于是阻塞");
	assert_true(exists("zh/pipe_write_blocks.json.gz"));
	assert_int_equal(sh("%s check %s/zh/pipe_write_blocks.json.gz", IPCLAB_BIN, dir), 0);
}

/* A claims file the trace refutes: exit 1, the FAIL printed and stored */
static void test_run_lab_fails(void **state)
{
	json_object *t;

	make_lab("wrong", failing_claims);
	assert_int_equal(sh("%s run --lab %s/wrong -o %s/wrongout", IPCLAB_BIN, dir, dir), 1);
	assert_output_has("FAIL  The writer writes 100 times");
	assert_output_has("expected >= 100");
	assert_output_has("PASS  The 17th write blocks");
	t = load("wrongout/wrong.json");
	assert_int_equal(assert_claims(t, "wrong.claims", NULL), 2);
	assert_string_equal(jstr(jat(t, "claims", 0), "status"), "FAIL");
	assert_string_equal(jstr(jat(t, "claims", 1), "status"), "PASS");
	json_object_put(t);
	assert_schema_valid("wrongout/wrong.json");
}

/* A bad claims file: its one line, exit 2, nothing built or traced, no output at all */
static void test_run_lab_bad_claims(void **state)
{
	make_lab("bad", bad_claims);
	assert_int_equal(sh("%s run --lab %s/bad -o %s/badout", IPCLAB_BIN, dir, dir), 2);
	assert_output_has("bad/bad.claims:4:3: unknown keyword 'expct'");
	assert_one_line();
	assert_false(exists("badout"));
}

/* A program that does not compile: the compiler's words, exit 9, no trace */
static void test_run_lab_does_not_compile(void **state)
{
	make_lab("broken", "claim a\n  text \"a\"\n  text_zh \"a\"\n  let w = pipe_write\n"
			   "  expect count(w) >= 1\n");
	write_file("broken/broken.c", "int main(void) { return undeclared_name; }\n");
	assert_int_equal(sh("%s run --lab %s/broken -o %s/brokenout", IPCLAB_BIN, dir, dir), 9);
	assert_output_has("undeclared_name");	/* what cc said */
	assert_output_has("broken.c did not compile (cc exited with status 1): nothing traced");
	assert_false(exists("brokenout/broken.json"));
}

/* What DIR must hold, and run's arguments with --lab: one line each, exit 2 */
static void test_run_lab_folder_errors(void **state)
{
	static const struct { const char *setup, *args, *says; } cases[] = {
		{ "mkdir -p D", "--lab D/nosuch", "lab D/nosuch: No such file or directory" },
		{ "mkdir D/empty", "--lab D/empty", "lab D/empty: no program: a lab is NAME.c and NAME.claims" },
		{ "mkdir D/noclaims && touch D/noclaims/p.c", "--lab D/noclaims",
		  "lab D/noclaims: no claims file: a lab is p.c and p.claims" },
		{ "mkdir D/two && touch D/two/a.c D/two/b.c D/two/a.claims", "--lab D/two",
		  "two programs, " },
		{ "mkdir D/twoc && touch D/twoc/a.c D/twoc/a.claims D/twoc/b.claims", "--lab D/twoc",
		  "two claims files, " },
		{ "mkdir D/names && touch D/names/a.c D/names/b.claims", "--lab D/names",
		  "lab D/names: a.c and b.claims: name them the same, NAME.c and NAME.claims" },
		{ "true", "--lab D/empty pipe_eof",
		  "--lab DIR runs the lab alone: no SCENARIO with it (see ipclab run --help)" },
		{ "true", "--lab D/empty --sizes 64",
		  "--sizes is the compare scenario's, not --lab's (see ipclab run --help)" },
		{ "true", "--lba D/empty", "run: unknown option '--lba'; did you mean '--lab'?" },
		{ "true", "--lab", "run: option --lab needs an argument" },
	};
	char setup[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* D: a folder in the test's directory, O: an output that must not appear */
		snprintf(setup, sizeof(setup), "cd %s && %s", dir, cases[i].setup);
		assert_int_equal(sh("%s", setup), 0);
		assert_int_equal(sh("cd %s && %s run -o O %s", dir, IPCLAB_BIN, cases[i].args), 2);
		assert_output_has(cases[i].says);
		assert_one_line();
		assert_false(exists("O"));
	}
}

/* trace --claims: read first, judged, stored, exit 0/1/2; streamed and plain writers alike */
static void test_trace_claims(void **state)
{
	json_object *t;

	assert_int_equal(sh("cc -O2 -o %s/prog %s/pipe_write_blocks.c", dir, EXAMPLE_LAB), 0);
	assert_int_equal(sh("mkdir -p %s/tr", dir), 0);
	assert_int_equal(sh("%s trace -o %s/tr/ok.json --claims %s/pipe_write_blocks.claims -- %s/prog",
			    IPCLAB_BIN, dir, EXAMPLE_LAB, dir), 0);
	assert_output_has("PASS  The reader's read frees a slot and wakes the writer");
	t = load("tr/ok.json");
	assert_int_equal(assert_claims(t, "pipe_write_blocks.claims", "PASS"), 4);
	assert_string_equal(jstr(json_object_object_get(t, "meta"), "claims_file"),
			    "pipe_write_blocks.claims");
	assert_null(json_object_object_get(json_object_object_get(t, "meta"), "lab"));
	json_object_put(t);
	assert_schema_valid("tr/ok.json");

	/* a long trace is streamed from a spilled spool (a small chunk makes this one long),
	 * and without O_TMPFILE the temporaries have names: none may be left */
	write_file("fail.claims", failing_claims);
	assert_int_equal(sh("IPCLAB_SPOOL_CHUNK=64 IPCLAB_NO_O_TMPFILE=1 %s trace -o %s/tr/fail.json "
			    "--claims %s/fail.claims --lang zh -- %s/prog", IPCLAB_BIN, dir, dir, dir),
			 1);
	assert_output_has("FAIL  写者写了 100 次");
	t = load("tr/fail.json");
	assert_int_equal(assert_claims(t, "fail.claims", NULL), 2);
	assert_string_equal(jstr(jat(t, "claims", 0), "status"), "FAIL");
	json_object_put(t);
	assert_schema_valid("tr/fail.json");
	assert_int_equal(entries("tr"), 2);

	/* the traced command's failure is still trace's 1, with its line */
	assert_int_equal(sh("%s trace -o %s/tr/cmd.json --claims %s/pipe_write_blocks.claims -- "
			    "sh -c '%s/prog; exit 3'", IPCLAB_BIN, dir, EXAMPLE_LAB, dir), 1);
	assert_output_has("exited with status 3");
	assert_output_lacks("FAIL");

	/* a bad claims file: its line, exit 2, nothing traced */
	write_file("bad.claims", bad_claims);
	assert_int_equal(sh("%s trace -o %s/tr/bad.json --claims %s/bad.claims -- %s/prog",
			    IPCLAB_BIN, dir, dir, dir), 2);
	assert_output_has("bad.claims:4:3: unknown keyword 'expct'");
	assert_one_line();
	assert_false(exists("tr/bad.json"));
	assert_int_equal(sh("%s trace -o %s/tr/none.json --claims %s/none.claims -- true",
			    IPCLAB_BIN, dir, dir), 2);
	assert_one_line();
	assert_false(exists("tr/none.json"));
	assert_int_equal(entries("tr"), 3);
}

/* trace's own options around --claims */
static void test_trace_claims_usage(void **state)
{
	assert_int_equal(sh("%s trace --lang zh -o %s/x.json -- true", IPCLAB_BIN, dir), 2);
	assert_output_has("--lang needs --claims FILE (see ipclab trace --help)");
	assert_one_line();
	assert_int_equal(sh("%s trace --clams x.claims -o %s/x.json -- true", IPCLAB_BIN, dir), 2);
	assert_output_has("trace: unknown option '--clams'; did you mean '--claims'?");
	assert_one_line();
	assert_false(exists("x.json"));
	assert_int_equal(sh("%s trace --help", IPCLAB_BIN), 0);
	assert_output_has("--claims FILE");
	assert_int_equal(sh("%s run --help", IPCLAB_BIN), 0);
	assert_output_has("--lab DIR");
	assert_int_equal(sh("%s --help", IPCLAB_BIN), 0);
	assert_output_has("9 a lab's program did not compile");
}

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_lab_passes),
		cmocka_unit_test(test_run_lab_zh_gzip),
		cmocka_unit_test(test_run_lab_fails),
		cmocka_unit_test(test_run_lab_bad_claims),
		cmocka_unit_test(test_run_lab_does_not_compile),
		cmocka_unit_test(test_run_lab_folder_errors),
		cmocka_unit_test(test_trace_claims),
		cmocka_unit_test(test_trace_claims_usage),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "integration tests load BPF: run them as root (sudo make test)\n");
		return 77;
	}
	return cmocka_run_group_tests_name("lab", tests, setup, teardown);
}
