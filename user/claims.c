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

/* A detail longer than its buffer ends in "…", so that a reader sees it was cut. */
static void mark_cut(char *buf, size_t cap)
{
	static const char ellipsis[] = "\u2026";
	size_t at = cap - sizeof(ellipsis);

	while (at > 0 && ((unsigned char)buf[at] & 0xc0) == 0x80)	/* not inside a character */
		at--;
	memcpy(buf + at, ellipsis, sizeof(ellipsis));
}

bool claim_result(struct claim *c, bool pass, const char *fmt, ...)
{
	va_list ap;
	int n;

	c->pass = pass;
	va_start(ap, fmt);
	n = vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(c->detail))
		mark_cut(c->detail, sizeof(c->detail));
	return pass;
}

void claim_detail_zh(struct claim *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->detail_zh, sizeof(c->detail_zh), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(c->detail_zh))
		mark_cut(c->detail_zh, sizeof(c->detail_zh));
}

void claim_list_init_zh(struct claim_list *l, char *buf, size_t cap, const char *sep)
{
	claim_list_init(l, buf, cap, sep);
	l->zh = true;
}

void claim_list_init(struct claim_list *l, char *buf, size_t cap, const char *sep)
{
	memset(l, 0, sizeof(*l));
	l->buf = buf;
	l->cap = cap;
	l->sep = sep;
	if (cap)
		buf[0] = '\0';
}

void claim_list_add(struct claim_list *l, const char *fmt, ...)
{
	size_t room = l->cap > CLAIM_LIST_TAIL ? l->cap - CLAIM_LIST_TAIL : 0;
	char *at = l->buf + l->len;
	va_list ap;
	int n = 0;

	if (!l->more && l->len < room) {
		n = snprintf(at, room - l->len, "%s", l->n ? l->sep : "");
		if (n >= 0 && l->len + n < room) {
			va_start(ap, fmt);
			n += vsnprintf(at + n, room - l->len - n, fmt, ap);
			va_end(ap);
		}
	}
	if (!l->more && n >= 0 && l->len + n < room) {
		l->len += n;
		l->n++;
		return;
	}
	l->more++;	/* this item and every later one: the list keeps its order */
	if (l->cap)
		snprintf(at, l->cap - l->len, l->zh ? " \u2026 另有 %d 项" : " \u2026 and %d more",
			 l->more);
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
