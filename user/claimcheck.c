/* claimcheck.c - check --claims: the table or the summary rows (claimcheck.h). */
#include "claimcheck.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>
#include "claimeval.h"
#include "claimlang.h"
#include "export.h"

static bool use_color(void)
{
	return isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
}

/* As ipclab run prints its claims, with the claims file where run names the scenario */
void claims_print_table(const struct cl_file *f, const struct ce_result *res, const char *trace,
			size_t nevents, const struct run_opts *o)
{
	bool color = use_color(), zh = o->zh;

	printf(zh ? "\n%s\n  跟踪文件：%s（%zu 个事件）\n" : "\n%s\n  trace: %s (%zu events)\n",
	       o->claims, trace, nevents);
	for (size_t i = 0; i < f->nclaims; i++) {
		const char *mark = res[i].pass ? "PASS" : "FAIL";
		const char *text = zh ? f->claims[i].text_zh : f->claims[i].text;

		if (color)
			printf("  \033[%sm%s\033[0m  %s\n", res[i].pass ? "32" : "1;31", mark, text);
		else
			printf("  %s  %s\n", mark, text);
		printf("        %s\n", zh ? res[i].detail_zh : res[i].detail);
	}
}

/* A CSV field: quoted when it holds a comma, a quote or a line break */
static void csv_field(const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static void print_row(const struct cl_file *f, const struct ce_result *res, const char *trace,
		      size_t fail, int summary)
{
	bool md = summary == SUMMARY_MD;

	if (md)
		printf("| %s | %zu | %zu | %zu | ", trace, f->nclaims, f->nclaims - fail, fail);
	else {
		csv_field(trace);
		printf(",%zu,%zu,%zu,", f->nclaims, f->nclaims - fail, fail);
	}
	for (size_t i = 0, n = 0; i < f->nclaims; i++)
		if (!res[i].pass)
			printf("%s%s", n++ ? " " : "", f->claims[i].id);
	puts(md ? " |" : "");
}

static void print_header(int summary)
{
	if (summary == SUMMARY_MD)
		puts("| trace | claims | pass | fail | failed |\n|---|---|---|---|---|");
	else
		puts("trace,claims,pass,fail,failed");
}

/* One trace: EXIT_OK, EXIT_CLAIMS_FAILED, or the trace's own error */
static int check_trace(const struct cl_file *f, struct ce_result *res, const char *trace,
		       const struct run_opts *o)
{
	char err[512];
	size_t nevents = 0, fail = 0;
	int ret = ce_evaluate(f, trace, res, &nevents, err, sizeof(err));

	if (ret) {
		fprintf(stderr, "ipclab: %s\n", err[0] ? err : strerror(-ret));
		return ret == -ENOMEM ? EXIT_NOMEM : EXIT_USAGE;
	}
	for (size_t i = 0; i < f->nclaims; i++)
		fail += !res[i].pass;
	if (o->summary)
		print_row(f, res, trace, fail, o->summary);
	else
		claims_print_table(f, res, trace, nevents, o);
	return fail ? EXIT_CLAIMS_FAILED : EXIT_OK;
}

int claims_check(char **traces, int n, const struct run_opts *o)
{
	struct cl_file f;
	struct ce_result *res = NULL;
	char err[512];
	int ret = cl_parse_file(o->claims, &f, err, sizeof(err));

	if (ret) {
		fprintf(stderr, "%s%s\n", ret == -EINVAL ? "" : "ipclab: ", err);
		return ret == -ENOMEM ? EXIT_NOMEM : EXIT_USAGE;
	}
	res = calloc(f.nclaims, sizeof(*res));
	if (!res) {
		fprintf(stderr, "ipclab: out of memory\n");
		ret = EXIT_NOMEM;
		goto cleanup;
	}
	if (o->summary)
		print_header(o->summary);
	for (int i = 0; i < n; i++) {
		int r = check_trace(&f, res, traces[i], o);

		fflush(stdout);
		/* a bad trace outranks a failed claim, and the first bad one's status is kept */
		if (r != EXIT_OK && (ret == EXIT_OK || ret == EXIT_CLAIMS_FAILED))
			ret = r;
	}
cleanup:
	free(res);
	cl_free(&f);
	return ret;
}

/* ---- view --claims: the verdicts as JSON ---- */

/*
 * Text from the claims file for a JSON string of at most max bytes: cut at a character
 * boundary, a byte that is not well-formed UTF-8 or a control character made '.', so that
 * a stored claim is what docs/trace.schema.json allows whatever the file held.
 */
static json_object *utf8_text(const char *s, size_t max)
{
	char buf[1024];
	size_t len = 0, cap = max < sizeof(buf) - 1 ? max : sizeof(buf) - 1;
	const unsigned char *p = (const unsigned char *)s;

	while (*p && len < cap) {
		size_t n = *p < 0x80 ? 1 : *p >= 0xc2 && *p <= 0xdf ? 2 :
			   *p >= 0xe0 && *p <= 0xef ? 3 : *p >= 0xf0 && *p <= 0xf4 ? 4 : 0;
		size_t k = 1;

		while (n && k < n && (p[k] & 0xc0) == 0x80)
			k++;
		if (!n || k < n || *p < 0x20 || *p == 0x7f) {
			buf[len++] = '.';
			p++;
			continue;
		}
		if (len + n > cap)
			break;
		memcpy(buf + len, p, n);
		len += n;
		p += n;
	}
	return json_object_new_string_len(buf, len);
}

/* What a trace's claims[] holds (docs/trace.schema.json); the parser already refuses a
 * longer id or statement (CL_ID_MAX ...), so only a detail or the evidence can be cut. */
#define STORED_DETAIL_MAX 319
#define STORED_DETAIL_ZH_MAX 639
#define STORED_EVIDENCE_MAX 24

static int add(json_object *o, const char *key, json_object *v)
{
	if (v && !json_object_object_add(o, key, v))
		return 0;
	json_object_put(v);
	return -ENOMEM;
}

static int add_index(json_object *a, long index)
{
	json_object *v = json_object_new_int64(index);

	if (v && !json_object_array_add(a, v))
		return 0;
	json_object_put(v);
	return -ENOMEM;
}

json_object *claims_verdict_json(const struct cl_claim *c, const struct ce_result *r,
				 const char *source, bool stored)
{
	json_object *o = json_object_new_object(), *ev = json_object_new_array();
	size_t detail_max = stored ? STORED_DETAIL_MAX : sizeof(r->detail) - 1;
	size_t detail_zh_max = stored ? STORED_DETAIL_ZH_MAX : sizeof(r->detail_zh) - 1;
	int nev = stored && r->nevidence > STORED_EVIDENCE_MAX ? STORED_EVIDENCE_MAX : r->nevidence;
	int ret = o && ev ? 0 : -ENOMEM;

	ret = ret ? ret : add(o, "id", utf8_text(c->id, CL_ID_MAX));
	ret = ret ? ret : add(o, "text", utf8_text(c->text, CL_TEXT_MAX));
	ret = ret ? ret : add(o, "text_zh", utf8_text(c->text_zh, CL_TEXT_ZH_MAX));
	ret = ret ? ret : add(o, "status", json_object_new_string(r->pass ? "PASS" : "FAIL"));
	/* the detail quotes the claims file's source text: ASCII, as every detail is */
	ret = ret ? ret : add(o, "detail", trace_text(r->detail, detail_max));
	ret = ret ? ret : add(o, "detail_zh", utf8_text(r->detail_zh, detail_zh_max));
	for (int i = 0; !ret && i < nev; i++)
		ret = add_index(ev, r->evidence[i]);
	if (!ret) {
		ret = add(o, "evidence", ev);
		ev = NULL;
	}
	ret = ret ? ret : add(o, "source", utf8_text(source, CL_TEXT_MAX));
	json_object_put(ev);
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* One trace's verdicts as a JSON text, or NULL (out of memory) */
static char *verdicts_text(const struct cl_file *f, const struct ce_result *res,
			   const char *source)
{
	json_object *doc = json_object_new_object(), *list = json_object_new_array();
	char *text = NULL;

	if (!doc || !list || add(doc, "file", json_object_new_string(source)))
		goto cleanup;
	for (size_t i = 0; i < f->nclaims; i++) {
		json_object *c = claims_verdict_json(&f->claims[i], &res[i], source, false);

		if (!c || json_object_array_add(list, c)) {
			json_object_put(c);
			goto cleanup;
		}
	}
	if (json_object_object_add(doc, "claims", list))
		goto cleanup;
	list = NULL;
	text = strdup(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN));
cleanup:
	json_object_put(list);
	json_object_put(doc);
	return text;
}

int claims_verdicts_json(const char *path, const char *const *traces, int n, char **json)
{
	const char *source = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct ce_result *res = NULL;
	struct cl_file f;
	char err[512];
	size_t nevents;
	int ret = cl_parse_file(path, &f, err, sizeof(err)), status = EXIT_OK;

	for (int i = 0; i < n; i++)
		json[i] = NULL;
	if (ret) {
		fprintf(stderr, "%s%s\n", ret == -EINVAL ? "" : "ipclab: ", err);
		return ret == -ENOMEM ? EXIT_NOMEM : EXIT_USAGE;
	}
	res = calloc(f.nclaims, sizeof(*res));
	for (int i = 0; res && i < n && status == EXIT_OK; i++) {
		ret = ce_evaluate(&f, traces[i], res, &nevents, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "ipclab: %s\n", err[0] ? err : strerror(-ret));
			status = ret == -ENOMEM ? EXIT_NOMEM : EXIT_INPUT;
		} else if (!(json[i] = verdicts_text(&f, res, source))) {
			fprintf(stderr, "ipclab: out of memory\n");
			status = EXIT_NOMEM;
		}
	}
	if (!res) {
		fprintf(stderr, "ipclab: out of memory\n");
		status = EXIT_NOMEM;
	}
	if (status != EXIT_OK)
		for (int i = 0; i < n; i++) {
			free(json[i]);
			json[i] = NULL;
		}
	free(res);
	cl_free(&f);
	return status;
}
