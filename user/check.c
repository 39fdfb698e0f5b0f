// SPDX-License-Identifier: GPL-2.0
/*
 * check.c - `ipclab check TRACE` without --claims: is the file a trace this ipclab reads, and
 * what do its claims say now?  (With --claims: claimcheck.c.)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "claims.h"
#include "rederive.h"
#include "trace_read.h"

/* check.h */
int trace_read_status(int ret, const char *err, const char *what_out)
{
	if (ret == -ENOMEM) {
		fprintf(stderr, "ipclab: %s\n", err[0] ? err : "out of memory");
		return EXIT_NOMEM;
	}
	if (err[0]) {
		fprintf(stderr, "ipclab: %s\n", err);
		return EXIT_INPUT;
	}
	fprintf(stderr, "ipclab: cannot write %s: %s\n", what_out ? what_out : "output",
		strerror(-ret));
	return EXIT_OUTPUT;
}

/*
 * `check TRACE...`: is each file a trace this ipclab reads, and did its claims pass?  The
 * reader checks the file to its end; the claims are printed once it has (an invalid file
 * prints nothing but its reason).  A trace of a scenario this ipclab knows has its claims
 * judged again, by the scenario's own checker, on a timeline rebuilt from its events
 * (rederive.c): an edited trace is judged on what it now says, and each claim whose verdict
 * differs from the stored one says so.  Other traces' claims are shown as stored.  What
 * check keeps of those is bounded: the claims' text up to CHECK_TEXT_MAX bytes, counts for
 * the rest.
 */
#define CHECK_TEXT_MAX (4u << 20)

struct check {
	struct rederive rd;	/* first: the rederive_* callbacks take the check as theirs */
	size_t nclaims, fail, nevents;
	char source[64];	/* the claims file the stored claims came from, if any */
	char *text;		/* "  STATUS  text\n" per claim shown */
	size_t len, cap, hidden;
};

static int check_claim(void *ctx, json_object *c)
{
	struct check *k = ctx;
	const char *st = json_object_get_string(json_object_object_get(c, "status"));
	const char *text = json_object_get_string(json_object_object_get(c, "text"));
	size_t need = strlen(st) + strlen(text) + 8;

	const char *source = json_object_get_string(json_object_object_get(c, "source"));

	k->nclaims++;
	k->fail += strcmp(st, "PASS") != 0;
	if (source && !k->source[0])
		snprintf(k->source, sizeof(k->source), "%s", source);
	rederive_claim(&k->rd, c);
	if (k->len + need > CHECK_TEXT_MAX) {
		k->hidden++;
		return 0;
	}
	if (k->len + need > k->cap) {
		size_t cap = 2 * (k->len + need);
		char *t = realloc(k->text, cap);

		if (!t)
			return -ENOMEM;
		k->text = t;
		k->cap = cap;
	}
	k->len += snprintf(k->text + k->len, k->cap - k->len, "  %s  %s\n", st, text);
	return 0;
}

static int check_end(void *ctx, size_t nevents)
{
	struct check *k = ctx;

	k->nevents = nevents;
	return 0;
}

/* The claims as stored in the trace; how many FAILed. */
static size_t print_stored(const struct check *k, const struct run_opts *o)
{
	if (!o->quiet && k->len)
		fwrite(k->text, 1, k->len, stdout);
	if (!o->quiet && k->hidden)
		printf("  ... and %zu more claims\n", k->hidden);
	return k->fail;
}

static const char *verdict(bool pass)
{
	return pass ? "PASS" : "FAIL";
}

/* One re-derived claim, and how it differs from what the trace stored; true if it does. */
static bool print_rederived(const struct claim *c, const struct claim *was, bool quiet)
{
	enum rederive_diff d = rederive_compare(c, was);

	if (quiet)
		return d != REDERIVE_SAME;
	printf("  %s  %s\n", verdict(c->pass), c->text);
	switch (d) {
	case REDERIVE_SAME:
		break;
	case REDERIVE_NEW:
		printf("        not in the trace's claims; the events say %s\n", verdict(c->pass));
		break;
	case REDERIVE_STATUS:
		printf("        stored %s, the events now say %s\n", verdict(was->pass),
		       verdict(c->pass));
		break;
	case REDERIVE_DETAIL:
		printf("        stored detail \"%s\", the events now say \"%s\"\n", was->detail,
		       c->detail);
		break;
	case REDERIVE_DETAIL_ZH:
		printf("        stored detail_zh \"%s\", the events now say \"%s\"\n",
		       was->detail_zh, c->detail_zh);
		break;
	case REDERIVE_EVIDENCE:
		printf("        stored evidence differs: the events now cite");
		for (int i = 0; i < c->nevidence && i < 8; i++)
			printf("%s%ld", i ? ", " : " ", c->evidence[i]);
		printf("%s\n", !c->nevidence ? " none" : c->nevidence > 8 ? ", ..." : "");
		break;
	}
	return d != REDERIVE_SAME;
}

/* The re-derived claims (and those stored that the checker no longer states); how many
 * FAILed, *ndiff how many differ. */
static size_t print_claims_again(struct check *k, const struct claim_set *cs, bool quiet,
				 size_t *ndiff)
{
	size_t fail = 0;

	for (int i = 0; i < cs->n; i++) {
		fail += !cs->c[i].pass;
		*ndiff += print_rederived(&cs->c[i], rederive_stored(&k->rd, cs->c[i].id), quiet);
	}
	for (int i = 0; i < k->rd.stored.n; i++) {
		bool found = false;

		for (int j = 0; j < cs->n && !found; j++)
			found = !strcmp(cs->c[j].id, k->rd.stored.c[i].id);
		if (found)
			continue;
		++*ndiff;
		if (!quiet)
			printf("  ----  %s\n        stored %s, not a claim of this scenario\n",
			       k->rd.stored.c[i].text, verdict(k->rd.stored.c[i].pass));
	}
	return fail;
}

/*
 * The verdicts for a trace read: judged again when it is a known scenario's.  The claims'
 * FAIL count, or -1 when the events cannot be read back (said on stderr).
 */
static long check_verdicts(const char *path, struct check *k, const struct run_opts *o,
			   size_t *ndiff)
{
	static struct claim_set cs;	/* ~30 KB: not on the stack */
	int ret = rederive_claims(&k->rd, &cs);

	if (ret == -ENOENT) {
		/* not a scenario's: nothing here can judge them, so say they are as stored */
		if (!o->quiet && k->nclaims && k->source[0])
			printf("  (as stored, from the claims file %s: check --claims %s judges them again)\n",
			       k->source, k->source);
		else if (!o->quiet && k->nclaims)
			printf("  (as stored: no scenario of this ipclab made them)\n");
		return (long)print_stored(k, o);
	}
	if (ret == -EFBIG) {
		printf("  (more than %zu events: the claims are not judged again, as stored:)\n",
		       rederive_max_events);
		return (long)print_stored(k, o);
	}
	if (ret) {
		fprintf(stderr, "ipclab: %s: cannot judge its claims again: %s\n", path, k->rd.bad);
		return -1;
	}
	k->nclaims = (size_t)cs.n;	/* the claims judged now */
	return (long)print_claims_again(k, &cs, o->quiet, ndiff);
}

int check_trace(const char *path, const struct run_opts *o)
{
	struct check k = { 0 };
	const struct trace_visitor v = {
		.meta = rederive_meta, .process = rederive_process, .object = rederive_object,
		.claim = check_claim, .event = rederive_event, .end = check_end, .ctx = &k,
	};
	char err[512];
	int ret = trace_read(path, &v, 0, err, sizeof(err));
	size_t ndiff = 0;
	long fail;

	if (ret) {
		ret = trace_read_status(ret, err, NULL);
		goto out;
	}
	fail = check_verdicts(path, &k, o, &ndiff);
	if (fail < 0) {
		ret = EXIT_INPUT;
		goto out;
	}
	printf("%s: valid trace, %zu events, %zu claims, %ld FAIL", path, k.nevents, k.nclaims,
	       fail);
	if (ndiff)
		printf(", %zu differing from the stored verdicts", ndiff);
	printf("\n");
	ret = fail ? EXIT_CLAIMS_FAILED : EXIT_OK;
out:
	free(k.text);
	rederive_free(&k.rd);
	return ret;
}

