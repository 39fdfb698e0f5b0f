// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - `--html`: a report a student can hand in.  The viewer bundle and its CSS are
 * inlined under a Content-Security-Policy that allows exactly those two (by hash, from the
 * viewer build), and each trace sits in a <script type="application/json"> data block with
 * every '<' written as \u003c, so nothing in a trace can close the block or run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "outfile.h"
#include "report.h"

#ifndef IPCLAB_REPORT_DIR
#define IPCLAB_REPORT_DIR "viz-build"
#endif

const char *report_dir(void)
{
	const char *d = getenv("IPCLAB_REPORT_DIR");

	return d && d[0] ? d : IPCLAB_REPORT_DIR;
}

void report_path_for(const char *trace, char *out, size_t n)
{
	size_t len = strlen(trace);

	if (len > 3 && !strcmp(trace + len - 3, ".gz"))
		len -= 3;
	if (len > 5 && !strncmp(trace + len - 5, ".json", 5))
		len -= 5;
	snprintf(out, n, "%.*s.html", (int)len, trace);
}

static char *slurp(const char *dir, const char *name, char *err, size_t errlen)
{
	char path[4096];
	FILE *f;
	long size;
	char *buf = NULL;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "viewer build missing (%s: %s): run make build", path,
			 strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc(size + 1)) && fread(buf, 1, size, f) == (size_t)size)
		buf[size] = 0;
	else {
		free(buf);
		buf = NULL;
		snprintf(err, errlen, "cannot read %s", path);
	}
	fclose(f);
	return buf;
}

/* The "policy ..." line of csp-hashes.txt, in place. */
static const char *policy_of(char *hashes)
{
	char *p = strstr(hashes, "\npolicy ");

	if (!p)
		return NULL;
	p += 8;
	p[strcspn(p, "\n")] = 0;
	return p;
}

/* The trace's JSON (zlib reads a .json.gz trace and a plain one alike): the report holds
 * the text, so it opens anywhere. */
static int embed_trace(FILE *out, const char *path)
{
	gzFile in = gzopen(path, "rb");
	char buf[1 << 16];
	int n, err = 0;

	if (!in)
		return errno ? -errno : -ENOMEM;
	fputs("<script type=\"application/json\" class=\"ipclab-trace\">", out);
	while ((n = gzread(in, buf, sizeof(buf))) > 0)
		for (int i = 0; i < n; i++) {
			if (buf[i] == '<')
				fputs("\\u003c", out);	/* only inside JSON strings: means '<' */
			else
				putc(buf[i], out);
		}
	if (n < 0)
		err = -EIO;	/* a damaged .gz */
	fputs("</script>\n", out);
	gzclose(in);
	return err;
}

/* Copy the template, replacing each @@NAME@@ placeholder once, in order. */
static int fill(FILE *out, const char *tpl, const char *policy, const char *css, const char *js,
		const char *const *traces, int n)
{
	static const char *const marks[] = { "@@CSP@@", "@@CSS@@", "@@TRACES@@", "@@JS@@" };
	const char *p = tpl;

	for (int m = 0; m < 4; m++) {
		const char *at = strstr(p, marks[m]);
		int err;

		if (!at)
			return -EINVAL;
		fwrite(p, 1, at - p, out);
		if (m == 0)
			fputs(policy, out);
		else if (m == 1)
			fputs(css, out);
		else if (m == 3)
			fputs(js, out);
		else
			for (int i = 0; i < n; i++)
				if ((err = embed_trace(out, traces[i])))
					return err;
		p = at + strlen(marks[m]);
	}
	fputs(p, out);
	return ferror(out) ? -EIO : 0;
}

int report_write(const char *html, const char *const *traces, int n, const struct run_user *u,
		 char *err, size_t errlen)
{
	const char *dir = report_dir(), *policy;
	char *tpl = slurp(dir, "report-template.html", err, errlen);
	char *css = tpl ? slurp(dir, "viewer.css", err, errlen) : NULL;
	char *js = css ? slurp(dir, "viewer.bundle.js", err, errlen) : NULL;
	char *hashes = js ? slurp(dir, "csp-hashes.txt", err, errlen) : NULL;
	struct out_file of;
	int ret = -ENOENT;

	if (!hashes)
		goto out;
	policy = policy_of(hashes);
	ret = policy ? out_open(&of, html) : -EINVAL;
	if (ret) {
		snprintf(err, errlen, "%s: %s", html, policy ? strerror(-ret) : "no CSP policy in "
			 "the viewer build");
		goto out;
	}
	ret = fill(of.f, tpl, policy, css, js, traces, n);
	if (ret) {
		out_discard(&of);
		snprintf(err, errlen, "%s: %s", html, ret == -EINVAL ?
			 "report template lacks a placeholder" : strerror(-ret));
		goto out;
	}
	ret = out_commit(&of, u);
	if (ret)
		snprintf(err, errlen, "%s: %s", html, strerror(-ret));
out:
	free(tpl);
	free(css);
	free(js);
	free(hashes);
	return ret;
}
