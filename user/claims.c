// SPDX-License-Identifier: GPL-2.0
/* claims.c - the claim records every scenario checker fills. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "claims.h"

static struct claim overflow;	/* absorbs claims past CLAIM_MAX instead of crashing */

struct claim *claim_new(struct claim_set *cs, const char *id, const char *fmt, ...)
{
	struct claim *c = cs->n < CLAIM_MAX ? &cs->c[cs->n++] : &overflow;
	va_list ap;

	memset(c, 0, sizeof(*c));
	snprintf(c->id, sizeof(c->id), "%s", id);
	va_start(ap, fmt);
	vsnprintf(c->text, sizeof(c->text), fmt, ap);
	va_end(ap);
	snprintf(c->detail, sizeof(c->detail), "not evaluated");
	return c;
}

void claim_zh(struct claim *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->text_zh, sizeof(c->text_zh), fmt, ap);
	va_end(ap);
}

bool claim_result(struct claim *c, bool pass, const char *fmt, ...)
{
	va_list ap;

	c->pass = pass;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
	return pass;
}

void claim_cite(struct claim *c, long event_index)
{
	if (event_index >= 0 && c->nevidence < CLAIM_EVIDENCE_MAX)
		c->evidence[c->nevidence++] = event_index;
}

int claims_failed(const struct claim_set *cs)
{
	int n = 0;

	for (int i = 0; i < cs->n; i++)
		n += !cs->c[i].pass;
	return n;
}
