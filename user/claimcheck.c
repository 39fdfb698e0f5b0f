/* claimcheck.c - check --claims: the table or the summary rows (claimcheck.h). */
#include "claimcheck.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "claimeval.h"
#include "claimlang.h"

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
