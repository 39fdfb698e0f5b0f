/* claimlang.c - the claims language's lexer and parser (claimlang.h). */
#include "claimlang.h"

#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tok_kind { T_EOF, T_NL, T_IDENT, T_INT, T_STR, T_PUNCT, T_BAD };

struct tok {
	enum tok_kind kind;
	const char *start;	/* in the text */
	size_t len;
	int line, col;
	int64_t num;
	char *str;		/* T_STR's unescaped text (owned by the parser) */
};

struct parser {
	const char *name, *text, *end, *p;
	int line;
	const char *line_start;
	struct tok t;		/* the current token */
	char *err;
	size_t errlen;
	jmp_buf fail;		/* a syntax error or no memory: unwound here, freed by cl_free */
	int ret;
	struct cl_file *f;
	struct cl_claim *claim;	/* the one being read */
	bool in_event;		/* parsing a where / quantifier condition: names are fields */
	int depth;		/* of nested expressions, bounded: the parser recurses */
};

/* Every node and string of a file, freed together: a syntax error unwinds from any depth
 * and must leave nothing behind, attached to the tree or not. */
struct arena_block {
	struct arena_block *next;
	max_align_t data[];
};

static void *xalloc(struct parser *ps, size_t n)
{
	struct arena_block *b = n < SIZE_MAX - sizeof(*b) ? calloc(1, sizeof(*b) + n) : NULL;

	if (!b) {
		ps->ret = -ENOMEM;
		snprintf(ps->err, ps->errlen, "%s: out of memory", ps->name);
		longjmp(ps->fail, 1);
	}
	b->next = ps->f->arena;
	ps->f->arena = b;
	return b->data;
}

static char *xstrndup(struct parser *ps, const char *s, size_t n)
{
	char *d = xalloc(ps, n + 1);

	memcpy(d, s, n);
	return d;
}

static void grow(struct parser *ps, void **arr, size_t n, size_t size)
{
	void *m = realloc(*arr, (n + 1) * size);

	if (!m)
		xalloc(ps, SIZE_MAX);	/* reports the failure; *arr is still the file's */
	memset((char *)m + n * size, 0, size);
	*arr = m;
}

static __attribute__((noreturn, format(printf, 4, 5)))
void fail_at(struct parser *ps, int line, int col, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(ps->err, ps->errlen, "%s:%d:%d: ", ps->name, line, col);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < ps->errlen)
		vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
	va_end(ap);
	ps->ret = -EINVAL;
	longjmp(ps->fail, 1);
}

/* How the current token reads in "got X" */
static void describe(const struct tok *t, char *buf, size_t len)
{
	switch (t->kind) {
	case T_EOF: snprintf(buf, len, "end of file"); break;
	case T_NL: snprintf(buf, len, "end of line"); break;
	case T_STR: snprintf(buf, len, "a string"); break;
	default: snprintf(buf, len, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->start);
	}
}

static __attribute__((noreturn)) void expected(struct parser *ps, const char *what)
{
	char got[64];

	describe(&ps->t, got, sizeof(got));
	fail_at(ps, ps->t.line, ps->t.col, "expected %s, got %s", what, got);
}

/* ---- lexer ---- */

static int col_of(const struct parser *ps, const char *at)
{
	return (int)(at - ps->line_start) + 1;
}

/* Blanks, and a comment: it runs to the end of the line (the newline is a token) */
static void skip_blanks(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r'))
		ps->p++;
	if (ps->p < ps->end && *ps->p == '#')
		while (ps->p < ps->end && *ps->p != '\n')
			ps->p++;
}

static void lex_string(struct parser *ps, struct tok *t)
{
	const char *s = ps->p + 1;
	char *out = xalloc(ps, (size_t)(ps->end - s) + 1);
	size_t n = 0;

	t->str = out;
	for (; s < ps->end && *s != '"' && *s != '\n'; s++) {
		if (*s == '\\') {
			if (s + 1 >= ps->end || (s[1] != '"' && s[1] != '\\'))
				fail_at(ps, t->line, col_of(ps, s),
					"unknown escape in a string: only \\\" and \\\\");
			s++;
		}
		out[n++] = *s;
	}
	if (s >= ps->end || *s != '"')
		fail_at(ps, t->line, t->col, "unterminated string");
	t->kind = T_STR;
	ps->p = s + 1;
}

static void lex_number(struct parser *ps, struct tok *t)
{
	int64_t v = 0;

	while (ps->p < ps->end && isdigit((unsigned char)*ps->p)) {
		if (v > (INT64_MAX - 9) / 10)
			fail_at(ps, t->line, t->col, "number too large");
		v = v * 10 + (*ps->p++ - '0');
	}
	/* sizes as a course writes them: 64K, 1M */
	if (ps->p < ps->end && (*ps->p == 'K' || *ps->p == 'M')) {
		int shift = *ps->p++ == 'K' ? 10 : 20;

		if (v > INT64_MAX >> shift)
			fail_at(ps, t->line, t->col, "number too large");
		v <<= shift;
	}
	if (ps->p < ps->end && (isalnum((unsigned char)*ps->p) || *ps->p == '_'))
		fail_at(ps, t->line, t->col, "bad number '%.*s'",
			(int)(ps->p - t->start + 1), t->start);
	t->kind = T_INT;
	t->num = v;
}

static bool two_char_op(const char *p, const char *end)
{
	static const char *const ops[] = { "==", "!=", "<=", ">=" };

	if (end - p < 2)
		return false;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (p[0] == ops[i][0] && p[1] == ops[i][1])
			return true;
	return false;
}

static void next(struct parser *ps)
{
	struct tok *t = &ps->t;
	char *str = t->str;

	skip_blanks(ps);
	*t = (struct tok){ .start = ps->p, .line = ps->line, .col = col_of(ps, ps->p), .str = str };
	if (ps->p >= ps->end) {
		t->kind = T_EOF;
		return;
	}
	if (*ps->p == '\n') {
		t->kind = T_NL;
		t->len = 1;
		ps->p++;
		ps->line++;
		ps->line_start = ps->p;
		return;
	}
	if (*ps->p == '"') {
		lex_string(ps, t);
	} else if (isdigit((unsigned char)*ps->p)) {
		lex_number(ps, t);
	} else if (isalpha((unsigned char)*ps->p) || *ps->p == '_') {
		while (ps->p < ps->end && (isalnum((unsigned char)*ps->p) || *ps->p == '_'))
			ps->p++;
		t->kind = T_IDENT;
	} else if (two_char_op(ps->p, ps->end)) {
		ps->p += 2;
		t->kind = T_PUNCT;
	} else if (strchr("<>()[],:.+-*=", *ps->p)) {
		ps->p++;
		t->kind = T_PUNCT;
	} else {
		int n = 1;

		/* one UTF-8 character, not one byte of it */
		while (ps->p + n < ps->end && ((unsigned char)ps->p[n] & 0xc0) == 0x80)
			n++;
		t->len = n;
		t->kind = T_BAD;
		expected(ps, "a name, number, string or operator");
	}
	t->len = (size_t)(ps->p - t->start);
}

static bool is(const struct parser *ps, const char *s)
{
	const struct tok *t = &ps->t;

	return (t->kind == T_IDENT || t->kind == T_PUNCT) && t->len == strlen(s) &&
	       !memcmp(t->start, s, t->len);
}

static bool accept(struct parser *ps, const char *s)
{
	if (!is(ps, s))
		return false;
	next(ps);
	return true;
}

static void want(struct parser *ps, const char *s, const char *what)
{
	if (!accept(ps, s))
		expected(ps, what);
}

static char *want_ident(struct parser *ps, const char *what)
{
	char *s;

	if (ps->t.kind != T_IDENT)
		expected(ps, what);
	s = xstrndup(ps, ps->t.start, ps->t.len);
	next(ps);
	return s;
}

/* ---- expressions ---- */

static struct cl_node *node(struct parser *ps, enum cl_kind kind, const char *start)
{
	struct cl_node *n = xalloc(ps, sizeof(*n));

	n->kind = kind;
	n->let = -1;
	n->src = (char *)start;	/* made a string by finish() once the term's end is known */
	return n;
}

/* The term's source text, from its start to the end of the token before the current one */
static struct cl_node *finish(struct parser *ps, struct cl_node *n, const char *prev_end)
{
	const char *start = n->src;
	size_t len = prev_end > start ? (size_t)(prev_end - start) : 0;

	n->src = xstrndup(ps, start, len);
	while (len && isspace((unsigned char)n->src[len - 1]))
		n->src[--len] = '\0';
	return n;
}

static int find_let(const struct cl_claim *c, const char *name, size_t len)
{
	for (size_t i = 0; i < c->nlets; i++)
		if (strlen(c->lets[i].name) == len && !memcmp(c->lets[i].name, name, len))
			return (int)i;
	return -1;
}

static int want_let(struct parser *ps)
{
	int i;

	if (ps->t.kind != T_IDENT)
		expected(ps, "a name made by let");
	i = find_let(ps->claim, ps->t.start, ps->t.len);
	if (i < 0)
		fail_at(ps, ps->t.line, ps->t.col, "unknown name '%.*s': make it with let first",
			(int)ps->t.len, ps->t.start);
	next(ps);
	return i;
}

/* a.b.c: a field path, from the current token (a name, first .. first+len) on */
static char *field_path(struct parser *ps, const char *first, size_t len)
{
	const char *start = first;
	const char *end = first + len;

	next(ps);
	while (is(ps, ".")) {
		next(ps);
		/* a number picks an array's element: args.1 */
		if (ps->t.kind != T_IDENT && ps->t.kind != T_INT)
			expected(ps, "a field name or an array index");
		end = ps->t.start + ps->t.len;
		next(ps);
	}
	return xstrndup(ps, start, (size_t)(end - start));
}

static struct cl_node *parse_expr(struct parser *ps);
#define CL_DEPTH_MAX 64

/* One level deeper (not not not ..., - - - ...): bounded like parentheses */
static struct cl_node *parse_expr_nested(struct parser *ps,
					 struct cl_node *(*parse)(struct parser *ps))
{
	struct cl_node *n;

	if (++ps->depth > CL_DEPTH_MAX)
		fail_at(ps, ps->t.line, ps->t.col, "expression nested more than %d deep",
			CL_DEPTH_MAX);
	n = parse(ps);
	ps->depth--;
	return n;
}

static const char *prev_end(const struct parser *ps)
{
	return ps->t.start;
}

static int64_t want_index(struct parser *ps)
{
	bool neg = accept(ps, "-");
	int64_t v;

	if (ps->t.kind != T_INT)
		expected(ps, "an index (1, 2, ... or -1 for the last)");
	v = ps->t.num;
	if (v == 0)
		fail_at(ps, ps->t.line, ps->t.col, "bad index 0: indices start at 1 (-1: the last)");
	next(ps);
	want(ps, "]", "']'");
	return neg ? -v : v;
}

/* name[i], name[i].field, name[i].woken_by == other[j] */
static struct cl_node *parse_indexed(struct parser *ps, const char *start)
{
	struct cl_node *ix = node(ps, CL_INDEX, start);
	struct cl_node *f;

	ix->let = want_let(ps);
	want(ps, "[", "'[' after a name (count(NAME), NAME[i])");
	ix->num = want_index(ps);
	finish(ps, ix, prev_end(ps));
	if (!accept(ps, "."))
		return ix;
	if (is(ps, "woken_by")) {
		f = node(ps, CL_WOKEN_BY, start);
		next(ps);
		want(ps, "==", "'==' after woken_by");
		f->a = ix;
		f->b = node(ps, CL_INDEX, ps->t.start);
		f->b->let = want_let(ps);
		want(ps, "[", "'[' (woken_by == NAME[i])");
		f->b->num = want_index(ps);
		finish(ps, f->b, prev_end(ps));
		return finish(ps, f, prev_end(ps));
	}
	if (ps->t.kind != T_IDENT)
		expected(ps, "a field name");
	f = node(ps, CL_EVFIELD, start);
	f->a = ix;
	f->str = field_path(ps, ps->t.start, ps->t.len);
	return finish(ps, f, prev_end(ps));
}

static struct cl_node *parse_function(struct parser *ps, const char *start)
{
	static const struct { const char *name; enum cl_op op; } aggs[] = {
		{ "max", CL_OP_MAX }, { "min", CL_OP_MIN }, { "sum", CL_OP_SUM },
	};
	struct cl_node *n;
	bool count = is(ps, "count");
	enum cl_op op = CL_OP_NONE;

	for (size_t i = 0; i < 3; i++)
		if (is(ps, aggs[i].name))
			op = aggs[i].op;
	next(ps);
	want(ps, "(", "'('");
	n = node(ps, count ? CL_COUNT : CL_AGG, start);
	n->op = op;
	n->let = want_let(ps);
	if (!count) {
		want(ps, ".", "'.FIELD' (max(NAME.FIELD))");
		if (ps->t.kind != T_IDENT)
			expected(ps, "a field name");
		n->str = field_path(ps, ps->t.start, ps->t.len);
	}
	want(ps, ")", "')'");
	return finish(ps, n, prev_end(ps));
}

static bool is_function(struct parser *ps)
{
	static const char *const fns[] = { "count", "max", "min", "sum" };
	const char *after = ps->p;

	if (ps->t.kind != T_IDENT)
		return false;
	while (after < ps->end && (*after == ' ' || *after == '\t'))
		after++;
	if (after >= ps->end || *after != '(')
		return false;
	for (size_t i = 0; i < 4; i++)
		if (is(ps, fns[i]))
			return true;
	fail_at(ps, ps->t.line, ps->t.col, "unknown function '%.*s': use count, max, min or sum",
		(int)ps->t.len, ps->t.start);
}

static struct cl_node *parse_literal(struct parser *ps, const char *start)
{
	struct cl_node *n = NULL;

	if (ps->t.kind == T_INT) {
		n = node(ps, CL_INT, start);
		n->num = ps->t.num;
	} else if (ps->t.kind == T_STR) {
		n = node(ps, CL_STR, start);
		n->str = ps->t.str;
		ps->t.str = NULL;
	} else if (is(ps, "true") || is(ps, "false")) {
		n = node(ps, CL_BOOL, start);
		n->num = is(ps, "true");
	} else if (is(ps, "null")) {
		n = node(ps, CL_NULL, start);
	}
	if (n) {
		next(ps);
		finish(ps, n, prev_end(ps));
	}
	return n;
}

static struct cl_node *parse_quantifier(struct parser *ps, const char *start)
{
	struct cl_node *n = node(ps, CL_QUANT, start);
	bool was = ps->in_event;

	n->op = is(ps, "all") ? CL_OP_ALL : is(ps, "any") ? CL_OP_ANY : CL_OP_NONE_OF;
	next(ps);
	n->let = want_let(ps);
	want(ps, ":", "':' (all NAME: CONDITION)");
	ps->in_event = true;
	n->a = parse_expr(ps);
	ps->in_event = was;
	return finish(ps, n, prev_end(ps));
}

static struct cl_node *parse_primary(struct parser *ps)
{
	const char *start = ps->t.start;
	struct cl_node *n = parse_literal(ps, start);

	if (n)
		return n;
	if (accept(ps, "(")) {
		n = parse_expr(ps);
		want(ps, ")", "')'");
		return n;
	}
	if (ps->t.kind != T_IDENT)
		expected(ps, "a value");
	if (ps->in_event) {
		n = node(ps, CL_FIELD, start);
		n->str = field_path(ps, start, ps->t.len);
		return finish(ps, n, prev_end(ps));
	}
	if (is(ps, "all") || is(ps, "any") || is(ps, "none"))
		return parse_quantifier(ps, start);
	if (is_function(ps))
		return parse_function(ps, start);
	return parse_indexed(ps, start);
}

static struct cl_node *parse_unary(struct parser *ps)
{
	const char *start = ps->t.start;

	if (accept(ps, "-")) {
		struct cl_node *n = node(ps, CL_NEG, start);

		n->a = parse_expr_nested(ps, parse_unary);
		return finish(ps, n, prev_end(ps));
	}
	return parse_primary(ps);
}

static struct cl_node *binary(struct parser *ps, enum cl_kind kind, enum cl_op op,
			      struct cl_node *a, struct cl_node *b, const char *start)
{
	struct cl_node *n = node(ps, kind, start);

	n->op = op;
	n->a = a;
	n->b = b;
	return finish(ps, n, prev_end(ps));
}

static struct cl_node *parse_product(struct parser *ps)
{
	const char *start = ps->t.start;
	struct cl_node *n = parse_unary(ps);

	while (accept(ps, "*"))
		n = binary(ps, CL_ARITH, CL_OP_MUL, n, parse_unary(ps), start);
	return n;
}

static struct cl_node *parse_sum(struct parser *ps)
{
	const char *start = ps->t.start;
	struct cl_node *n = parse_product(ps);

	for (;;) {
		if (accept(ps, "+"))
			n = binary(ps, CL_ARITH, CL_OP_ADD, n, parse_product(ps), start);
		else if (accept(ps, "-"))
			n = binary(ps, CL_ARITH, CL_OP_SUB, n, parse_product(ps), start);
		else
			return n;
	}
}

static enum cl_op cmp_op(const struct parser *ps)
{
	static const struct { const char *s; enum cl_op op; } ops[] = {
		{ "==", CL_OP_EQ }, { "!=", CL_OP_NE }, { "<", CL_OP_LT },
		{ "<=", CL_OP_LE }, { ">", CL_OP_GT }, { ">=", CL_OP_GE },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (is(ps, ops[i].s))
			return ops[i].op;
	return CL_OP_NONE;
}

/* X in FIELD: the field's value is a list in the trace (a set of names, say) */
static struct cl_node *parse_member(struct parser *ps, struct cl_node *a, const char *start)
{
	const struct tok at = ps->t;
	struct cl_node *b = parse_sum(ps);

	if (b->kind != CL_FIELD && b->kind != CL_EVFIELD)
		fail_at(ps, at.line, at.col,
			"'in' needs a list [A, B] or a field that holds one, got '%s'", b->src);
	return binary(ps, CL_MEMBER, CL_OP_NONE, a, b, start);
}

static struct cl_node *parse_in(struct parser *ps, struct cl_node *a, const char *start)
{
	struct cl_node *n;

	if (!is(ps, "["))
		return parse_member(ps, a, start);
	n = node(ps, CL_IN, start);
	n->a = a;
	want(ps, "[", "'[' (X in [A, B])");
	do {
		const char *at = ps->t.start;
		bool neg = accept(ps, "-");
		struct cl_node *v = neg && ps->t.kind != T_INT ? NULL : parse_literal(ps, at);

		if (!v)
			expected(ps, neg ? "a number after '-'" :
				 "a literal (number, string, true, false, null)");
		if (neg)
			v->num = -v->num;	/* -1 in a list: an error return, say */
		struct cl_node **list = xalloc(ps, (n->nlist + 1) * sizeof(*list));

		if (n->nlist)
			memcpy(list, n->list, n->nlist * sizeof(*list));
		list[n->nlist++] = v;
		n->list = list;
	} while (accept(ps, ","));
	want(ps, "]", "',' or ']'");
	return finish(ps, n, prev_end(ps));
}

static void want_event_term(struct parser *ps, const struct cl_node *n, const char *op)
{
	if (n->kind != CL_INDEX)
		fail_at(ps, ps->t.line, ps->t.col, "'%s' needs events on both sides (NAME[i]), got '%s'",
			op, n->src);
}

static struct cl_node *parse_comparison(struct parser *ps)
{
	const char *start = ps->t.start;
	struct cl_node *a = parse_sum(ps);
	enum cl_op op = cmp_op(ps);

	if (op != CL_OP_NONE) {
		next(ps);
		return binary(ps, CL_CMP, op, a, parse_sum(ps), start);
	}
	if (accept(ps, "in"))
		return parse_in(ps, a, start);
	if (is(ps, "ends_with") || is(ps, "starts_with")) {
		op = is(ps, "ends_with") ? CL_OP_ENDS : CL_OP_STARTS;
		next(ps);
		return binary(ps, CL_AFFIX, op, a, parse_sum(ps), start);
	}
	if (!ps->in_event && is(ps, "before")) {
		struct cl_node *b;

		want_event_term(ps, a, "before");
		next(ps);
		b = parse_sum(ps);
		want_event_term(ps, b, "before");
		return binary(ps, CL_BEFORE, CL_OP_NONE, a, b, start);
	}
	return a;
}

static struct cl_node *parse_not(struct parser *ps)
{
	const char *start = ps->t.start;

	if (accept(ps, "not")) {
		struct cl_node *n = node(ps, CL_NOT, start);

		n->a = parse_expr_nested(ps, parse_not);
		return finish(ps, n, prev_end(ps));
	}
	return parse_comparison(ps);
}

static struct cl_node *parse_and(struct parser *ps)
{
	const char *start = ps->t.start;
	struct cl_node *n = parse_not(ps);

	while (accept(ps, "and"))
		n = binary(ps, CL_AND, CL_OP_NONE, n, parse_not(ps), start);
	return n;
}

static struct cl_node *parse_expr(struct parser *ps)
{
	const char *start = ps->t.start;
	struct cl_node *n;

	if (++ps->depth > CL_DEPTH_MAX)
		fail_at(ps, ps->t.line, ps->t.col, "expression nested more than %d deep",
			CL_DEPTH_MAX);
	n = parse_and(ps);
	while (accept(ps, "or"))
		n = binary(ps, CL_OR, CL_OP_NONE, n, parse_and(ps), start);
	ps->depth--;
	return n;
}

/* ---- lines ---- */

static void end_of_line(struct parser *ps)
{
	if (ps->t.kind != T_NL && ps->t.kind != T_EOF)
		expected(ps, "end of line");
}

static void need_claim(struct parser *ps, const char *kw)
{
	if (!ps->claim)
		fail_at(ps, ps->t.line, ps->t.col, "'%s' outside a claim: start with 'claim ID'", kw);
}

/* The claim before the next one (or the end) has all it needs: said at its 'claim' line */
static void check_claim_done(struct parser *ps)
{
	const struct cl_claim *c = ps->claim;

	if (!c)
		return;
	if (!c->text)
		fail_at(ps, c->line, c->col, "claim '%s' has no text", c->id);
	if (!c->text_zh)
		fail_at(ps, c->line, c->col, "claim '%s' has no text_zh", c->id);
	if (!c->nexpects)
		fail_at(ps, c->line, c->col, "claim '%s' has no expect", c->id);
}

static void parse_claim_line(struct parser *ps, struct cl_file *f)
{
	const char *s = ps->p;
	int line = ps->t.line, kw_col = ps->t.col, col;
	struct cl_claim *c;

	check_claim_done(ps);
	while (s < ps->end && (*s == ' ' || *s == '\t'))
		s++;
	ps->p = s;
	col = col_of(ps, s);
	/* an id is lower case, digits and dashes: read here, not as the lexer's names */
	while (ps->p < ps->end && (islower((unsigned char)*ps->p) || isdigit((unsigned char)*ps->p) ||
				   (*ps->p == '-' && ps->p > s)))
		ps->p++;
	if (ps->p == s || (ps->p < ps->end && !isspace((unsigned char)*ps->p) && *ps->p != '#'))
		fail_at(ps, line, col, "expected a claim id (a-z, 0-9, '-'), got '%.*s'",
			(int)strcspn(s, " \t\r\n#"), s);
	/* what a trace's claims[].id holds (docs/trace.schema.json): a longer id would be cut,
	 * and two cut alike would be one claim in the viewer */
	if (ps->p - s > CL_ID_MAX)
		fail_at(ps, line, col, "claim id '%.*s' is longer than %d characters",
			(int)(ps->p - s), s, CL_ID_MAX);
	for (size_t i = 0; i < f->nclaims; i++)
		if (strlen(f->claims[i].id) == (size_t)(ps->p - s) &&
		    !memcmp(f->claims[i].id, s, ps->p - s))
			fail_at(ps, line, col, "duplicate claim id '%.*s' (first on line %d)",
				(int)(ps->p - s), s, f->claims[i].line);
	grow(ps, (void **)&f->claims, f->nclaims, sizeof(*f->claims));
	c = &f->claims[f->nclaims++];
	c->id = xstrndup(ps, s, (size_t)(ps->p - s));
	c->line = line;
	c->col = kw_col;
	ps->claim = c;
	next(ps);
}

static void parse_text_line(struct parser *ps, bool zh)
{
	char **slot;

	need_claim(ps, zh ? "text_zh" : "text");
	slot = zh ? &ps->claim->text_zh : &ps->claim->text;
	if (*slot)
		fail_at(ps, ps->t.line, ps->t.col, "claim '%s' has a second %s", ps->claim->id,
			zh ? "text_zh" : "text");
	next(ps);
	if (ps->t.kind != T_STR)
		expected(ps, "a string");
	/* what a trace's claims[].text and text_zh hold: the statement is never cut */
	if (strlen(ps->t.str) > (zh ? CL_TEXT_ZH_MAX : CL_TEXT_MAX))
		fail_at(ps, ps->t.line, ps->t.col, "%s is longer than %d bytes",
			zh ? "text_zh" : "text", zh ? CL_TEXT_ZH_MAX : CL_TEXT_MAX);
	*slot = ps->t.str;
	ps->t.str = NULL;
	next(ps);
}

static void parse_let_line(struct parser *ps)
{
	struct cl_claim *c;
	struct cl_let *l;
	int line, col;

	need_claim(ps, "let");
	c = ps->claim;
	next(ps);
	line = ps->t.line;
	col = ps->t.col;
	if (ps->t.kind == T_IDENT && find_let(c, ps->t.start, ps->t.len) >= 0)
		fail_at(ps, line, col, "'%.*s' is already a name in claim '%s'", (int)ps->t.len,
			ps->t.start, c->id);
	grow(ps, (void **)&c->lets, c->nlets, sizeof(*c->lets));
	l = &c->lets[c->nlets];
	l->name = want_ident(ps, "a name");
	c->nlets++;
	want(ps, "=", "'='");
	l->type = want_ident(ps, "an event type (pipe_write, block, any ...)");
	if (accept(ps, "where")) {
		ps->in_event = true;
		l->where = parse_expr(ps);
		ps->in_event = false;
	}
}

static void parse_expect_line(struct parser *ps)
{
	struct cl_claim *c;
	int line = ps->t.line;

	need_claim(ps, "expect");
	c = ps->claim;
	next(ps);
	grow(ps, (void **)&c->expects, c->nexpects, sizeof(*c->expects));
	c->expects[c->nexpects].line = line;
	c->expects[c->nexpects].e = parse_expr(ps);
	c->nexpects++;
}

static void parse_line(struct parser *ps, struct cl_file *f)
{
	if (is(ps, "claim"))
		parse_claim_line(ps, f);
	else if (is(ps, "text") || is(ps, "text_zh"))
		parse_text_line(ps, is(ps, "text_zh"));
	else if (is(ps, "let"))
		parse_let_line(ps);
	else if (is(ps, "expect"))
		parse_expect_line(ps);
	else if (ps->t.kind == T_IDENT)
		fail_at(ps, ps->t.line, ps->t.col,
			"unknown keyword '%.*s': a line starts with claim, text, text_zh, let or expect",
			(int)ps->t.len, ps->t.start);
	else
		expected(ps, "claim, text, text_zh, let or expect");
	end_of_line(ps);
}

int cl_parse(const char *name, const char *text, size_t len, struct cl_file *f, char *err,
	     size_t errlen)
{
	struct parser ps = { .name = name, .text = text, .end = text + len, .p = text, .line = 1,
			     .line_start = text, .err = err, .errlen = errlen };

	*f = (struct cl_file){ 0 };
	if (errlen)
		err[0] = '\0';
	if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "%s: a NUL byte: not a text file", name);
		return -EINVAL;
	}
	ps.f = f;
	if (setjmp(ps.fail)) {
		cl_free(f);
		return ps.ret;
	}
	next(&ps);
	while (ps.t.kind != T_EOF) {
		if (ps.t.kind != T_NL)
			parse_line(&ps, f);
		if (ps.t.kind == T_NL)
			next(&ps);
	}
	check_claim_done(&ps);
	if (!f->nclaims)
		fail_at(&ps, ps.t.line, ps.t.col, "expected a claim, got end of file");
	return 0;
}

int cl_parse_file(const char *path, struct cl_file *f, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int ret;

	*f = (struct cl_file){ 0 };
	if (!fp) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *b = realloc(buf, cap = 2 * cap + 8192);

			if (!b) {
				ret = -ENOMEM;
				snprintf(err, errlen, "%s: out of memory", path);
				goto cleanup;
			}
			buf = b;
		}
		size_t n = fread(buf + len, 1, 4096, fp);

		len += n;
		if (n < 4096)
			break;
	}
	if (ferror(fp)) {
		ret = -EIO;
		snprintf(err, errlen, "%s: read error", path);
		goto cleanup;
	}
	buf[len] = '\0';
	ret = cl_parse(path, buf, len, f, err, errlen);
cleanup:
	fclose(fp);
	free(buf);
	return ret;
}

void cl_free(struct cl_file *f)
{
	struct arena_block *b = f->arena;

	for (size_t i = 0; i < f->nclaims; i++) {
		free(f->claims[i].lets);
		free(f->claims[i].expects);
	}
	free(f->claims);
	while (b) {
		struct arena_block *next = b->next;

		free(b);
		b = next;
	}
	*f = (struct cl_file){ 0 };
}
