// SPDX-License-Identifier: GPL-2.0
/*
 * test_security.c - what an attacker can reach: `ipclab view`'s HTTP server (loopback
 * only, a random token, a whitelist of files, GET/HEAD only) and the text a traced program
 * controls (its name, file paths, arguments, the bytes it writes) as it travels into the
 * JSON trace and the --html report.  Real BPF (root) for the trace.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "hlib.h"

#define EVIL_WRITER "<img src=x oner"
#define EVIL_READER "</script><scrip"
#define EVIL_DIR "</script><script>alert(1)</script>"
#define EVIL_ARG "</script><img src=x onerror=alert(3)>"

static char trace[300];	/* the evil trace, made by the first test, served by the second */

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static char *slurp_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long size;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(size + 1);
	if (buf && fread(buf, 1, size, f) != (size_t)size) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[size] = 0;
	if (len)
		*len = buf ? (size_t)size : 0;
	fclose(f);
	return buf;
}

static void test_markup_in_trace_and_report(void **state)
{
	char work[300], html[300];
	json_object *t;
	bool writer = false, reader = false, fifo = false, opened = false, data = false;
	char *page, *p;
	size_t len;
	int st;

	snprintf(work, sizeof(work), "%s/work", hdir);
	snprintf(trace, sizeof(trace), "%s/evil.json", hdir);
	snprintf(html, sizeof(html), "%s/evil.html", hdir);
	mkdir(work, 0777);
	st = hsh("%s trace --html -o %s -- %s %s '%s'", IPCLAB_BIN, trace, EVIL_BIN, work, EVIL_ARG);
	if (st != 0)
		fail_msg("exit %d:\n%s", st, hout);

	/* the JSON trace: valid, and the text is there, as text */
	assert_int_equal(hcheck(trace), 0);
	t = hload(trace);
	for (size_t i = 0; i < jlen(t, "processes"); i++) {
		const char *comm = jstr(jat(t, "processes", i), "comm");

		writer |= !strcmp(comm, EVIL_WRITER);
		reader |= !strcmp(comm, EVIL_READER);
	}
	for (size_t i = 0; i < jlen(t, "objects"); i++) {
		json_object *o = jat(t, "objects", i);

		fifo |= !strcmp(jstr(o, "kind"), "fifo") && strstr(jstr(o, "path"), EVIL_DIR);
	}
	for (size_t i = 0; i < jlen(t, "events"); i++) {
		json_object *e = jat(t, "events", i);

		opened |= !strcmp(jstr(e, "name"), "openat") && strstr(jstr(e, "path"), EVIL_DIR);
		data |= !strcmp(jstr(e, "type"), "pipe_write") && strstr(jstr(e, "data"), "</script>");
	}
	assert_non_null(strstr(jstr(hmeta(t), "command"), EVIL_ARG));
	json_object_put(t);
	if (!writer || !reader || !fifo || !opened || !data)
		fail_msg("markup missing from the trace: comm %d/%d, fifo object %d, openat %d, data %d",
			 writer, reader, fifo, opened, data);

	/* the report: each <script> element closes once, and no trace text is markup */
	page = slurp_all(html, &len);
	assert_non_null(page);
	assert_int_equal(strlen(page), len);	/* no NUL bytes */
	if (count(page, "</script") != count(page, "<script"))
		fail_msg("%zu <script openings but %zu </script closings: a trace closed its block",
			 count(page, "<script"), count(page, "</script"));
	assert_int_equal(count(page, "<img src=x"), 0);	/* the program's markup, unescaped */
	p = strstr(page, "class=\"ipclab-trace\">");
	assert_non_null(p);
	{
		char *body = p + strlen("class=\"ipclab-trace\">"), *end = strstr(body, "</script>");
		json_object *embedded;

		assert_non_null(end);
		*end = 0;
		assert_null(strchr(body, '<'));		/* every '<' is \u003c */
		embedded = json_tokener_parse(body);	/* and it is still the same JSON */
		assert_non_null(embedded);
		assert_non_null(strstr(jstr(hmeta(embedded), "command"), EVIL_ARG));
		json_object_put(embedded);
	}
	free(page);
}

/* ------------------------------------------------------------ ipclab view */

static int http(const char *url, const char *extra)
{
	int st = hsh("curl -s --max-time 5 --path-as-is %s -o /dev/null -w '%%{http_code}' '%s'",
		     extra ? extra : "", url);

	return st == 0 ? atoi(hout) : -st;
}

static void test_view_server(void **state)
{
	char log[300], err[300], base[256], url[600], token[64], bad[64];
	unsigned port = 0;
	pid_t pid;
	int st;

	if (!trace[0] || access(trace, R_OK))
		skip();
	snprintf(log, sizeof(log), "%s/view.out", hdir);
	snprintf(err, sizeof(err), "%s/view.err", hdir);
	{
		char *argv[] = { IPCLAB_BIN, "view", trace, NULL };

		pid = hspawn(argv, log);
	}
	if (!hwait_text(log, "http://", 10))
		fail_msg("no URL:\n%s", (hslurp(log, hout, sizeof(hout)), hout));
	hslurp(log, hout, sizeof(hout));
	if (sscanf(strstr(hout, "http://"), "http://127.0.0.1:%u/%32[0-9a-f]/", &port, token) != 2 ||
	    strlen(token) != 32)
		fail_msg("unexpected URL line:\n%s", hout);
	snprintf(base, sizeof(base), "http://127.0.0.1:%u", port);

	/* listening on the loopback address only */
	assert_int_equal(hsh("ss -Hltnp | grep 'pid=%d,'", pid), 0);
	for (char *line = hout; *line; ) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = 0;
		if (*line && !strstr(line, " 127.0.0.1:"))
			fail_msg("ipclab view listens beyond 127.0.0.1: %s", line);
		line = nl ? nl + 1 : line + strlen(line);
	}
	assert_int_equal(hsh("ss -Hltnp | grep 'pid=%d,' | grep -v ' 127\\.0\\.0\\.1:' | wc -l", pid), 0);
	assert_int_equal(atoi(hout), 0);

	/* the token is the only way in */
	snprintf(url, sizeof(url), "%s/", base);
	assert_int_equal(http(url, NULL), 404);
	snprintf(url, sizeof(url), "%s/%s/", base, token);
	assert_int_equal(http(url, NULL), 200);
	snprintf(url, sizeof(url), "%s/%s/trace/0.json", base, token);
	assert_int_equal(http(url, NULL), 200);
	snprintf(url, sizeof(url), "%s/%s", base, token);
	assert_int_equal(http(url, NULL), 404);
	snprintf(bad, sizeof(bad), "%s", token);
	bad[0] = bad[0] == '0' ? '1' : '0';	/* a guess one character off */
	snprintf(url, sizeof(url), "%s/%s/", base, bad);
	assert_int_equal(http(url, NULL), 404);
	snprintf(url, sizeof(url), "%s/0123456789abcdef0123456789abcdef/trace/0.json", base);
	assert_int_equal(http(url, NULL), 404);
	/* the compact form only under the token too */
	snprintf(url, sizeof(url), "%s/%s/trace/0.cols", base, token);
	assert_int_equal(http(url, NULL), 200);
	snprintf(url, sizeof(url), "%s/0123456789abcdef0123456789abcdef/trace/0.cols", base);
	assert_int_equal(http(url, NULL), 404);

	/* the served trace is the file, byte for byte; the page has a CSP header */
	snprintf(url, sizeof(url), "%s/%s/trace/0.json", base, token);
	assert_int_equal(hsh("curl -s --max-time 5 '%s' | cmp - '%s'", url, trace), 0);
	snprintf(url, sizeof(url), "%s/%s/", base, token);
	assert_int_equal(hsh("curl -s --max-time 5 -D - -o /dev/null '%s'", url), 0);
	assert_out_has("Content-Security-Policy: default-src 'none'");
	assert_out_has("X-Content-Type-Options: nosniff");

	/* traversal and other names: 404 */
	{
		static const char *const paths[] = {
			"../README.md", "%2e%2e/README.md", "%2e%2e%2fREADME.md", "..%2fREADME.md",
			"trace/../../etc/passwd", "trace/..%2f..%2fetc%2fpasswd", "/etc/passwd",
			"//etc/passwd", "trace/1.json", "trace/-1.json", "trace/00.json",
			"trace/0.json/", "trace/0.jsonx", "trace/0.json%2f", "trace/", "trace",
			"../../../../../../etc/passwd", "js/../../README.md", "./index.html",
			"index.html/", "js", "js/", "..", "build.mjs/../index.html",
			"trace/1.cols", "trace/-1.cols", "trace/00.cols", "trace/0.cols/",
			"trace/0.colsx", "trace/0.cols%00", "trace/0.col", "trace/0.json.cols",
		};

		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			snprintf(url, sizeof(url), "%s/%s/%s", base, token, paths[i]);
			st = http(url, NULL);
			if (st != 404)
				fail_msg("GET /TOKEN/%s -> %d (want 404)", paths[i], st);
		}
	}

	/* GET and HEAD only */
	snprintf(url, sizeof(url), "%s/%s/", base, token);
	assert_int_equal(http(url, "-X POST -d x=1"), 405);
	assert_int_equal(http(url, "-X PUT -d x=1"), 405);
	assert_int_equal(http(url, "-X DELETE"), 405);
	snprintf(url, sizeof(url), "%s/%s/trace/0.json", base, token);
	assert_int_equal(http(url, "-X POST -d x=1"), 405);
	assert_int_equal(http(url, "-I"), 200);

	/* Ctrl-C stops it, exit 0 */
	assert_int_equal(kill(pid, SIGINT), 0);
	st = hwait(pid, 10);
	hslurp(log, hout, sizeof(hout));
	if (st != 0)
		fail_msg("ipclab view exited %d after SIGINT:\n%s", st, hout);
	assert_int_equal(hsh("ss -Hltn | grep -c ':%u '", port), 1);	/* grep found nothing */
	unlink(err);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markup_in_trace_and_report),
		cmocka_unit_test(test_view_server),
	};
	const struct hgroup groups[] = { HGROUP("security", tests, true) };

	return hmain(argc, argv, groups, 1);
}
