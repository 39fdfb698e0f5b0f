// SPDX-License-Identifier: GPL-2.0
/*
 * test_badinput.c - files other people hand to `ipclab check`, `ipclab export --chrome` and
 * `ipclab view`: malformed, truncated, empty, huge, wrong-version, non-JSON, a directory,
 * /dev/zero, binary garbage...  Each must give exit 7 and one line on stderr, in bounded
 * time, never a crash (exit >= 128) and never a file or a server.  And the command line:
 * unknown options, missing arguments, conflicting or missing operands give one line, exit 2.
 * No privileges needed (one case drops to nobody when run as root).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "hlib.h"

/* A small trace this ipclab reads: the base every malformed variant is made from. */
static const char valid[] =
	"{\"format\":\"ipclab-trace\",\"version\":1,\n"
	"\"meta\":{\"tool\":\"ipclab 0.1.0\",\"kernel\":\"6.18\",\"machine\":\"x86_64\","
	"\"tier\":\"tracepoint\",\"scenario\":null,\"command\":\"sh\",\"page_size\":4096,"
	"\"events\":2,\"dropped\":0,\"lost\":0,\"interrupted\":false,\"end_reason\":\"exited\"},\n"
	"\"processes\":[{\"pid\":10,\"ppid\":1,\"comm\":\"w\",\"exe\":null,\"start\":0,\"exit\":9,"
	"\"status\":0}],\n"
	"\"objects\":[{\"id\":0,\"kind\":\"pipe\",\"inode\":1,\"dev\":2,\"path\":null,"
	"\"capacity\":65536,\"slots\":16,\"ring_size\":16,\"created\":0,\"creator\":10}],\n"
	"\"claims\":[{\"id\":\"c\",\"text\":\"a claim\",\"status\":\"PASS\",\"detail\":\"d\","
	"\"evidence\":[0]}],\n"
	"\"events\":[\n"
	"{\"t\":1,\"dur\":2,\"pid\":10,\"tid\":10,\"type\":\"pipe_write\",\"obj\":0,\"bytes\":5,"
	"\"occ_before\":0,\"occ_after\":5,\"slots_before\":0,\"slots_after\":1},\n"
	"{\"t\":4,\"dur\":1,\"pid\":10,\"tid\":10,\"type\":\"pipe_read\",\"obj\":0,\"bytes\":5,"
	"\"occ_before\":5,\"occ_after\":0,\"slots_before\":1,\"slots_after\":0}\n"
	"]}\n";

static char err[1 << 16], outb[1 << 16];

/* Run a command line with stdout and stderr apart (err, outb); its exit status. */
static __attribute__((format(printf, 1, 2))) int run(const char *fmt, ...)
{
	char cmd[4096], e[300], o[300];
	va_list ap;
	int st;

	snprintf(e, sizeof(e), "%s/.err", hdir);
	snprintf(o, sizeof(o), "%s/.out", hdir);
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd) - 700, fmt, ap);
	va_end(ap);
	snprintf(cmd + strlen(cmd), 700, " >%s 2>%s </dev/null", o, e);
	fflush(NULL);
	st = hstatus(system(cmd));
	hslurp(e, err, sizeof(err));
	hslurp(o, outb, sizeof(outb));
	return st;
}

static void put_file(const char *name, const void *data, size_t n)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", hdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void put_str(const char *name, const char *s)
{
	put_file(name, s, strlen(s));
}

/* valid[] with the first `from` replaced by `to` */
static void put_edit(const char *name, const char *from, const char *to)
{
	char buf[sizeof(valid) + 256];
	const char *at = strstr(valid, from);

	assert_non_null(at);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - valid), valid, to, at + strlen(from));
	put_str(name, buf);
}

/* One bad file, three commands: exit 7, one line on stderr, nothing written or served. */
static void expect_rejected(const char *what, const char *path)
{
	static const char *const cmds[] = { "check", "export --chrome", "view" };
	char out[300];

	snprintf(out, sizeof(out), "%s/exported.json", hdir);
	for (size_t c = 0; c < 3; c++) {
		double t0 = hnow();
		int st = run("timeout -s KILL 60 %s %s '%s'%s%s", IPCLAB_BIN, cmds[c], path,
			     c == 1 ? " -o " : "", c == 1 ? out : "");
		double dt = hnow() - t0;

		if (st == 137)
			fail_msg("%s: `ipclab %s` still ran after 60 s (killed)", what, cmds[c]);
		if (st >= 128)
			fail_msg("%s: `ipclab %s` crashed: status %d\n%s", what, cmds[c], st, err);
		if (st != 7)
			fail_msg("%s: `ipclab %s` exit %d (want 7)\nstderr: %s\nstdout: %s", what,
				 cmds[c], st, err, outb);
		if (hlines(err) != 1 || strncmp(err, "ipclab: ", 8) || !strstr(err, path) ||
		    strlen(err) < 8 + strlen(path) + 8 || strstr(err, "#0 ") || strstr(err, "Sanitizer"))
			fail_msg("%s: `ipclab %s` said (want one line \"ipclab: %s: why\"):\n%s", what,
				 cmds[c], path, err);
		if (outb[0] && c != 0)
			fail_msg("%s: `ipclab %s` printed on stdout: %s", what, cmds[c], outb);
		if (strstr(outb, "http://") || strstr(err, "http://"))
			fail_msg("%s: `ipclab view` started serving", what);
		if (dt > 30)
			fail_msg("%s: `ipclab %s` took %.1f s", what, cmds[c], dt);
		if (c == 1) {
			assert_int_equal(hcount_entries(hdir, "exported.json"), 0);
			assert_int_equal(hcount_entries(hdir, ".exported.json."), 0);
		}
	}
}

static void reject_file(const char *what, const char *name)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/%s", hdir, name);
	expect_rejected(what, path);
	unlink(path);
}

/* ------------------------------------------------------------ the base is fine */

static void test_valid_base_accepted(void **state)
{
	char path[300];

	put_str("valid.json", valid);
	snprintf(path, sizeof(path), "%s/valid.json", hdir);
	assert_int_equal(run("%s check %s", IPCLAB_BIN, path), 0);
	assert_non_null(strstr(outb, "valid trace, 2 events, 1 claims, 0 FAIL"));
	assert_int_equal(run("%s export --chrome %s -o %s/v.chrome.json", IPCLAB_BIN, path, hdir), 0);
	assert_int_equal(run("%s check %s/v.chrome.json", IPCLAB_BIN, hdir), 7);	/* not a trace */
}

/* ------------------------------------------------------------ small bad files */

static void test_not_json(void **state)
{
	static const char nul_inside[] = "{\"format\":\"ipclab-trace\",\0\"version\":1}";
	unsigned char garbage[65536];
	unsigned int x = 12345;

	put_str("empty.json", "");
	reject_file("an empty file", "empty.json");
	put_str("text.json", "this is not a trace\n");
	reject_file("plain text", "text.json");
	put_str("ws.json", " \n\t \n");
	reject_file("only whitespace", "ws.json");
	put_file("nul.json", nul_inside, sizeof(nul_inside) - 1);
	reject_file("a NUL byte inside", "nul.json");
	put_str("bom.json", "\xff\xfe{\0\"\0");
	reject_file("UTF-16", "bom.json");
	for (size_t i = 0; i < sizeof(garbage); i++) {
		x = x * 1103515245 + 12345;	/* deterministic */
		garbage[i] = x >> 16;
	}
	put_file("garbage.bin", garbage, sizeof(garbage));
	reject_file("binary garbage", "garbage.bin");
	garbage[0] = '{';
	put_file("garbage2.bin", garbage, sizeof(garbage));
	reject_file("'{' then binary garbage", "garbage2.bin");
}

static void test_malformed_and_truncated(void **state)
{
	char name[64], buf[sizeof(valid)];

	put_edit("semicolon.json", "\"version\":1", "\"version\";1");
	reject_file("a ';' for a ':'", "semicolon.json");
	put_edit("comma.json", "\"events\":[\n", "\"events\":[,\n");
	reject_file("an extra comma", "comma.json");
	put_edit("unclosed.json", "\"comm\":\"w\"", "\"comm\":\"w");
	reject_file("an unclosed string", "unclosed.json");
	/* cut anywhere: never a valid trace */
	for (size_t cut = 1; cut < sizeof(valid) - 3; cut += (sizeof(valid) - 3) / 12) {
		snprintf(name, sizeof(name), "cut%zu.json", cut);
		memcpy(buf, valid, cut);
		put_file(name, buf, cut);
		reject_file(name, name);
	}
}

static void test_wrong_shape(void **state)
{
	put_str("array.json", "[]");
	reject_file("a JSON array", "array.json");
	put_str("string.json", "\"ipclab-trace\"");
	reject_file("a JSON string", "string.json");
	put_str("null.json", "null");	/* "null\n": test_known_bugs.c json_null */
	reject_file("JSON null without a newline", "null.json");
	put_str("number.json", "1");
	reject_file("a JSON number", "number.json");
	put_edit("format.json", "\"ipclab-trace\"", "\"chrome-trace\"");
	reject_file("another format", "format.json");
	put_edit("noformat.json", "\"format\":\"ipclab-trace\",", "");
	reject_file("no format", "noformat.json");
	put_edit("dupformat.json", "\"version\":1", "\"version\":1,\"format\":\"other\"");
	reject_file("format given twice, the last one wrong", "dupformat.json");
	put_edit("v2.json", "\"version\":1", "\"version\":2");
	reject_file("version 2", "v2.json");
	put_edit("v0.json", "\"version\":1", "\"version\":0");
	reject_file("version 0", "v0.json");
	put_edit("vneg.json", "\"version\":1", "\"version\":-1");
	reject_file("version -1", "vneg.json");
	put_edit("vstr.json", "\"version\":1", "\"version\":\"1\"");
	reject_file("version \"1\"", "vstr.json");
	put_edit("vfloat.json", "\"version\":1", "\"version\":1.5");
	reject_file("version 1.5", "vfloat.json");
	put_edit("vhuge.json", "\"version\":1", "\"version\":99999999999999999999999");
	reject_file("version 1e23", "vhuge.json");
	put_edit("nover.json", "\"version\":1,", "");
	reject_file("no version", "nover.json");
	put_str("noevents.json", "{\"format\":\"ipclab-trace\",\"version\":1,\"meta\":{},"
		"\"processes\":[],\"objects\":[],\"claims\":[]}");
	reject_file("no events", "noevents.json");
	put_edit("eventsobj.json", "\"events\":[\n", "\"events\":{},\"x\":[\n");
	reject_file("events is an object", "eventsobj.json");
	put_edit("nometa.json", "\"meta\":{", "\"mota\":{");
	reject_file("no meta", "nometa.json");
	put_edit("procsobj.json", "\"processes\":[", "\"processes\":{},\"p\":[");
	reject_file("processes is an object", "procsobj.json");
	put_edit("evnum.json", "\"events\":[\n", "\"events\":[1,\n");
	reject_file("an event that is a number", "evnum.json");
	put_edit("evnot.json", "{\"t\":4,", "{\"T\":4,");
	reject_file("an event without t", "evnot.json");
	put_edit("evtstr.json", "{\"t\":4,", "{\"t\":\"4\",");
	reject_file("an event whose t is a string", "evtstr.json");
	put_edit("evtbig.json", "{\"t\":4,", "{\"t\":1e999,");
	reject_file("an event whose t is 1e999", "evtbig.json");
	put_edit("evnopid.json", "\"pid\":10,\"tid\":10,\"type\":\"pipe_read\"",
		 "\"tid\":10,\"type\":\"pipe_read\"");
	reject_file("an event without pid", "evnopid.json");
	{
		char deep[4096] = "{\"format\":\"ipclab-trace\",\"version\":1,\"meta\":";
		size_t n = strlen(deep);

		for (int i = 0; i < 1000; i++)
			deep[n++] = '[';
		deep[n] = 0;
		put_str("deep.json", deep);
		reject_file("1000 nested arrays", "deep.json");
	}
}

static void test_not_files(void **state)
{
	char path[300];

	expect_rejected("a directory", hdir);
	expect_rejected("/dev/zero", "/dev/zero");
	expect_rejected("/dev/null", "/dev/null");
	snprintf(path, sizeof(path), "%s/does-not-exist.json", hdir);
	expect_rejected("a missing file", path);
	snprintf(path, sizeof(path), "%s/loop.json", hdir);
	assert_int_equal(symlink("loop.json", path), 0);
	expect_rejected("a symlink loop", path);
	unlink(path);
	snprintf(path, sizeof(path), "%s/dir.json/", hdir);
	mkdir(path, 0755);
	expect_rejected("a directory named .json", path);
}

static void test_unreadable_file(void **state)
{
	char path[300];
	int st;

	if (geteuid() != 0)
		skip();		/* only root can drop to another user here */
	put_str("secret.json", valid);
	snprintf(path, sizeof(path), "%s/secret.json", hdir);
	chmod(path, 0600);
	chmod(hdir, 0755);
	st = run("setpriv --reuid=65534 --regid=65534 --clear-groups %s check %s", IPCLAB_BIN, path);
	if (st != 7 || hlines(err) != 1 || !strstr(err, "Permission denied"))
		fail_msg("unreadable trace: exit %d:\n%s", st, err);
}

/* ------------------------------------------------------------ huge files */

static void huge(const char *what, const char *name, const char *head, char fill, size_t size)
{
	char path[300];
	FILE *f;
	static char block[1 << 20];

	snprintf(path, sizeof(path), "%s/%s", hdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(head, f);
	memset(block, fill, sizeof(block));
	for (size_t n = strlen(head); n < size; n += sizeof(block))
		fwrite(block, 1, sizeof(block), f);
	assert_int_equal(fclose(f), 0);
	expect_rejected(what, path);
	unlink(path);
}

static void test_huge(void **state)
{
	huge("100 MB of '['", "brackets.json", "", '[', 100 << 20);
	huge("a 100 MB string that never ends", "string.json", "{\"format\":\"", 'a', 100 << 20);
	huge("100 MB of spaces", "spaces.json", "", ' ', 100 << 20);
}

/* ------------------------------------------------------------ the command line */

static void usage(const char *args)
{
	int st = run("timeout -s KILL 20 %s %s", IPCLAB_BIN, args);

	if (st != 2 || hlines(err) != 1 || strncmp(err, "ipclab: ", 8) || outb[0])
		fail_msg("`ipclab %s`: exit %d (want 2 and one line on stderr)\nstderr: %s\nstdout: %s",
			 args, st, err, outb);
}

static void test_usage_errors(void **state)
{
	char args[600];

	put_str("u.json", valid);
	usage("export u.json");				/* no format */
	snprintf(args, sizeof(args), "export %s/u.json", hdir);
	usage(args);
	usage("export --chrome");			/* no trace */
	snprintf(args, sizeof(args), "export --chrome %s/u.json %s/u.json", hdir, hdir);
	usage(args);					/* two traces */
	snprintf(args, sizeof(args), "export --chrome %s/u.json -o", hdir);
	usage(args);					/* -o without its argument */
	snprintf(args, sizeof(args), "export --chrome --frobnicate %s/u.json", hdir);
	usage(args);
	usage("view");
	snprintf(args, sizeof(args), "view %s/u.json %s/u.json %s/u.json", hdir, hdir, hdir);
	usage(args);					/* three traces */
	snprintf(args, sizeof(args), "view --frobnicate %s/u.json", hdir);
	usage(args);
	usage("check");
	snprintf(args, sizeof(args), "check -x %s/u.json", hdir);
	usage(args);
	usage("check --");
	usage("run --tier");				/* missing argument */
	usage("run --buffer");
	usage("run --buffer 12345");
	usage("run --buffer 2G");
	usage("run --timeout 0");
	usage("run --timeout abc");
	usage("run --timeout=-1");
	usage("run no_such_scenario");
	usage("list extra");
	usage("doctor extra");
	usage("frobnicate");
	usage("--frobnicate");
	/* nothing was exported by any of them */
	assert_int_equal(hcount_entries(hdir, "u.chrome.json"), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_base_accepted),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_malformed_and_truncated),
		cmocka_unit_test(test_wrong_shape),
		cmocka_unit_test(test_not_files),
		cmocka_unit_test(test_unreadable_file),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_usage_errors),
	};
	const struct hgroup groups[] = { HGROUP("badinput", tests, false) };

	return hmain(argc, argv, groups, 1);
}
