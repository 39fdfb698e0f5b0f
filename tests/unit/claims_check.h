/*
 * claims_check.h - a scenario's claims judged on a synthetic list of records, for the unit
 * tests of every mechanism's claims (tests/unit/test_claims.c, mech/NAME/tests/
 * test_claims.c).  Include it after <cmocka.h>.  IPCLAB_TEST_VERBOSE=1 prints each claim's
 * detail, to see that a claim failed for the reason a test intends.
 */
#ifndef IPCLAB_TEST_CLAIMS_CHECK_H
#define IPCLAB_TEST_CLAIMS_CHECK_H

#include <stdlib.h>
#include <string.h>
#include "claims.h"
#include "scenarios.h"
#include "timeline.h"

/* Run the scenario's checker (its mechanism's table, mech/NAME/claims.c) on the records. */
static inline void claims_evaluate(const char *scenario, const struct ipclab_event *e, size_t n,
				   __u64 t0, struct claim_set *cs)
{
	const struct scenario *s = scenario_find(scenario);
	struct timeline tl;

	assert_non_null(s);
	memset(cs, 0, sizeof(*cs));
	assert_int_equal(timeline_build(&tl, e, n, t0), 0);
	s->check(&tl, cs);
	timeline_free(&tl);
}

static inline const struct claim *claim_get(const struct claim_set *cs, const char *id)
{
	for (int i = 0; i < cs->n; i++)
		if (strcmp(cs->c[i].id, id) == 0)
			return &cs->c[i];
	fail_msg("no claim %s", id);
	return NULL;
}

/* The claim cites at least one event, each an index into the timeline of nev events. */
static inline void claim_assert_cites(const char *scenario, const struct claim *c, size_t nev)
{
	if (c->nevidence <= 0)
		fail_msg("%s/%s cites no events: %s", scenario, c->id, c->detail);
	for (int k = 0; k < c->nevidence; k++)
		if (c->evidence[k] < 0 || (size_t)c->evidence[k] >= nev)
			fail_msg("%s/%s cites event %ld of %zu", scenario, c->id, c->evidence[k], nev);
}

/* The scenario states nclaims claims and every one passes on the records, citing events
 * of them (issue #14 section 3). */
static inline void claims_assert_all_pass(const char *scenario, const struct ipclab_event *e,
					  size_t n, __u64 t0, int nclaims)
{
	struct claim_set cs;

	claims_evaluate(scenario, e, n, t0, &cs);
	for (int i = 0; i < cs.n && getenv("IPCLAB_TEST_VERBOSE"); i++)
		print_message("%s/%s passes: %s\n", scenario, cs.c[i].id, cs.c[i].detail);
	for (int i = 0; i < cs.n; i++)
		if (!cs.c[i].pass)
			print_error("%s/%s: %s\n", scenario, cs.c[i].id, cs.c[i].detail);
	assert_int_equal(cs.n, nclaims);
	assert_int_equal(claims_failed(&cs), 0);
	for (int i = 0; i < cs.n; i++)	/* a timeline has no more events than records */
		claim_assert_cites(scenario, &cs.c[i], n);
}

/* A CJK unified ideograph (U+4E00..U+9FFF) somewhere in the UTF-8 text: Chinese words,
 * not just Chinese punctuation around English ones. */
static inline bool claims_has_cjk(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && p[0]; p++) {
		unsigned int cp;

		if ((p[0] & 0xf0) != 0xe0 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			continue;
		cp = (p[0] & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu);
		if (cp >= 0x4e00 && cp <= 0x9fff)
			return true;
	}
	return false;
}

/* Every claim of the set has a Chinese detail (claim_detail_zh()), and it is no more cut
 * than the English one: an ellipsis (a detail that overflowed, or a list's " … 另有 N 项")
 * only where the English detail has one too (issue #14 section 4). */
static inline void claims_assert_all_zh(const struct claim_set *cs)
{
	static const char ellipsis[] = "\u2026";
	int bad = 0;

	for (int i = 0; i < cs->n; i++) {
		const struct claim *c = &cs->c[i];

		if (getenv("IPCLAB_TEST_VERBOSE"))
			print_message("%s: %s\n", c->id, c->detail_zh);
		if (!claims_has_cjk(c->detail_zh)) {
			print_error("%s: no Chinese detail (en: %s)\n", c->id, c->detail);
			bad++;
		} else if (strstr(c->detail_zh, ellipsis) && !strstr(c->detail, ellipsis)) {
			print_error("%s: the Chinese detail is cut: %s\n", c->id, c->detail_zh);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* Claim `id` of the scenario, judged on the records, cites at least `min` events, each an
 * index into the timeline and, unless type is 0, an event of that type; *out gets the claim. */
static inline void claims_assert_cites(const char *scenario, const struct ipclab_event *e,
				       size_t n, __u64 t0, const char *id, int min, int type,
				       struct claim *out)
{
	const struct scenario *s = scenario_find(scenario);
	struct claim_set cs;
	const struct claim *c;
	struct timeline tl;

	assert_non_null(s);
	memset(&cs, 0, sizeof(cs));
	assert_int_equal(timeline_build(&tl, e, n, t0), 0);
	s->check(&tl, &cs);
	c = claim_get(&cs, id);
	claim_assert_cites(scenario, c, tl.n);
	if (c->nevidence < min)
		fail_msg("%s/%s cites %d events, expected at least %d", scenario, id,
			 c->nevidence, min);
	for (int k = 0; type && k < c->nevidence; k++)
		if (tl.ev[c->evidence[k]].e->type != type)
			fail_msg("%s/%s cites event %ld of type %d, expected %d", scenario, id,
				 c->evidence[k], tl.ev[c->evidence[k]].e->type, type);
	if (out)
		*out = *c;
	timeline_free(&tl);
}

/* Claim `id` of the scenario fails on the records. */
static inline void claims_assert_fails(const char *scenario, const struct ipclab_event *e,
				       size_t n, __u64 t0, const char *id)
{
	struct claim_set cs;

	claims_evaluate(scenario, e, n, t0, &cs);
	if (claim_get(&cs, id)->pass)
		fail_msg("%s/%s passed: %s", scenario, id, claim_get(&cs, id)->detail);
	if (getenv("IPCLAB_TEST_VERBOSE"))
		print_message("%s/%s fails: %s\n", scenario, id, claim_get(&cs, id)->detail);
}

/* No records: every scenario of the section (its mechanism's name) states claims and every
 * one fails; the section has nscenarios scenarios. */
static inline void claims_assert_section_fails_empty(const char *section, int nscenarios)
{
	const struct scenario *s;
	struct timeline tl;
	int seen = 0;

	assert_int_equal(timeline_build(&tl, NULL, 0, 0), 0);
	for (size_t i = 0; (s = scenario_at(i)); i++) {
		struct claim_set cs;

		if (strcmp(s->section, section) != 0)
			continue;
		seen++;
		memset(&cs, 0, sizeof(cs));
		s->check(&tl, &cs);
		assert_true(cs.n > 0);
		for (int k = 0; k < cs.n; k++)
			if (cs.c[k].pass)
				fail_msg("%s/%s passed on an empty trace", s->name, cs.c[k].id);
	}
	timeline_free(&tl);
	assert_int_equal(seen, nscenarios);
}

#endif
