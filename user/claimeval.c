/* claimeval.c - judge a claims file on a trace (claimeval.h). */
#include "claimeval.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "claims.h"
#include "trace_read.h"

size_t ce_select_max = CE_SELECT_MAX;
size_t ce_objects_max = CE_OBJECTS_MAX;

/* What the first pass keeps: enough for role, proc, blocked and woken_by. */
struct ce_proc {
	int64_t pid;
	size_t rank;		/* 1-based place in the trace's processes: `proc` */
	char comm[32];
};

struct ce_block {
	int64_t tid, t, end, waker_pid, wake_t;	/* waker_pid -1: none named */
};

/* An entry of the trace's objects[], kept whole for `object.KEY`: sorted by id. */
struct ce_obj {
	int64_t id;
	json_object *o;
};

/* The events one let matched, in trace order. */
struct ce_sel {
	json_object **ev;
	long *index;
	size_t n;
	bool overflow;
};

struct ce_trace {
	const struct cl_file *f;
	struct ce_proc *procs;
	size_t nprocs;
	struct ce_block *blocks;
	size_t nblocks;
	struct ce_obj *objs;
	size_t nobjs;
	bool objs_overflow;	/* more than ce_objects_max: object. fields are unknown */
	struct ce_sel **sels;	/* sels[claim][let] */
	size_t nevents;
};

enum vtype { V_NULL, V_BOOL, V_INT, V_STR, V_EVENT, V_ERR };

struct val {
	enum vtype t;
	int64_t i;		/* V_BOOL, V_INT; V_EVENT: the position in its let */
	const char *s;
	json_object *ev;	/* V_EVENT */
	long index;		/* V_EVENT: the trace's event index */
};

/* One claim being judged. */
struct ce_eval {
	const struct ce_trace *tr;
	const struct cl_claim *c;
	struct ce_sel *sels;
	json_object *cur;	/* the event a where / quantifier condition is about */
	struct ce_result *res;
	bool error;		/* an index past the end: the expect is false, why says so */
	char why[400], why_zh[600];
};

static void why(struct ce_eval *x, const char *en, const char *zh, ...)
	__attribute__((format(printf, 2, 4)));

/* The reason a primitive came out false, in both languages from the same arguments */
static void why(struct ce_eval *x, const char *en, const char *zh, ...)
{
	va_list ap, ap2;

	va_start(ap, zh);
	va_copy(ap2, ap);
	vsnprintf(x->why, sizeof(x->why), en, ap);
	vsnprintf(x->why_zh, sizeof(x->why_zh), zh, ap2);
	va_end(ap2);
	va_end(ap);
}

static void cite(struct ce_eval *x, long index)
{
	struct ce_result *r = x->res;

	for (int i = 0; i < r->nevidence; i++)
		if (r->evidence[i] == index)
			return;
	if (r->nevidence < CE_EVIDENCE_MAX)
		r->evidence[r->nevidence++] = index;
}

static void cite_all(struct ce_eval *x, const struct ce_sel *s)
{
	for (size_t i = 0; i < s->n && x->res->nevidence < CE_EVIDENCE_MAX; i++)
		cite(x, s->index[i]);
}

/* ---- the event's fields ---- */

static int64_t ev_int(json_object *e, const char *key)
{
	return json_object_get_int64(json_object_object_get(e, key));
}

/* The process of e: procs are sorted by pid after the first pass, so a binary search. */
static const struct ce_proc *proc_of(const struct ce_trace *tr, json_object *e, size_t *rank)
{
	int64_t pid = ev_int(e, "pid");
	size_t lo = 0, hi = tr->nprocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tr->procs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == tr->nprocs || tr->procs[lo].pid != pid)
		return NULL;
	*rank = tr->procs[lo].rank;
	return &tr->procs[lo];
}

/* The last block of e's tid that starts inside e's span, or NULL: did the call sleep? */
static const struct ce_block *block_in(const struct ce_trace *tr, json_object *e)
{
	int64_t tid = ev_int(e, "tid"), t = ev_int(e, "t");
	int64_t end = t + ev_int(e, "dur");
	size_t lo = 0, hi = tr->nblocks;
	const struct ce_block *last = NULL;

	/* blocks are sorted by (tid, t): find the first of tid at or after t */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ce_block *b = &tr->blocks[mid];

		if (b->tid < tid || (b->tid == tid && b->t < t))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < tr->nblocks && tr->blocks[lo].tid == tid && tr->blocks[lo].t <= end; lo++)
		last = &tr->blocks[lo];
	return last;
}

static struct val json_val(json_object *j)
{
	switch (json_object_get_type(j)) {
	case json_type_boolean:
		return (struct val){ .t = V_BOOL, .i = json_object_get_boolean(j) };
	case json_type_int:
	case json_type_double:
		return (struct val){ .t = V_INT, .i = json_object_get_int64(j) };
	case json_type_string:
		return (struct val){ .t = V_STR, .s = json_object_get_string(j) };
	default:	/* null, or an object / array: nothing a claim compares */
		return (struct val){ .t = V_NULL };
	}
}

/* The element of array a that key ("0", "1", ...) names, or NULL */
static json_object *array_elem(json_object *a, const char *key)
{
	char *end;
	unsigned long i = strtoul(key, &end, 10);

	if (!isdigit((unsigned char)key[0]) || *end || i >= json_object_array_length(a))
		return NULL;
	return json_object_array_get_idx(a, i);
}

/* The entry of objects[] whose id is the integer id, or NULL (not an integer, none listed) */
static json_object *object_by_id(const struct ce_trace *tr, json_object *id_json)
{
	int64_t id;
	size_t lo = 0, hi = tr->nobjs;

	if (!json_object_is_type(id_json, json_type_int))
		return NULL;
	id = json_object_get_int64(id_json);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tr->objs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < tr->nobjs && tr->objs[lo].id == id ? tr->objs[lo].o : NULL;
}

/* The path segment that turns an object id into its objects[] entry; alone at the start of a
 * path it is the event's own obj's: object.KEY means obj.object.KEY */
#define OBJECT_SEGMENT "object"
#define OBJECT_PREFIX OBJECT_SEGMENT "."

/* A dotted path into j, or NULL when a key is missing: args.1 is an array's element,
 * mapping.object.file the key of the objects[] entry whose id the event's mapping holds */
static json_object *walk(const struct ce_trace *tr, json_object *j, const char *path)
{
	char key[128];

	while (j) {
		size_t n = strcspn(path, ".");
		json_object *next = NULL;

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		if (json_object_is_type(j, json_type_int) && !strcmp(key, OBJECT_SEGMENT))
			next = object_by_id(tr, j);
		else if (json_object_is_type(j, json_type_array))	/* 0-based, as in the JSON */
			next = array_elem(j, key);
		else if (json_object_is_type(j, json_type_object))
			json_object_object_get_ex(j, key, &next);
		if (!path[n])
			return next;
		j = next;
		path += n + 1;
	}
	return NULL;
}

/* The JSON a path names in e: object.KEY in the entry of e's obj (the pseudo-field wins over
 * an event key named object), anything else walked from e itself */
static json_object *field_json(const struct ce_trace *tr, json_object *e, const char *path)
{
	if (!strncmp(path, OBJECT_PREFIX, strlen(OBJECT_PREFIX)))
		return walk(tr, object_by_id(tr, json_object_object_get(e, "obj")),
			    path + strlen(OBJECT_PREFIX));
	return walk(tr, e, path);
}

/* A field of e: the pseudo-fields first, then a dotted path into the event's JSON */
static struct val field(const struct ce_trace *tr, json_object *e, const char *path)
{
	size_t rank = 0;
	const struct ce_proc *p;
	json_object *j;

	if (!strcmp(path, "role") || !strcmp(path, "proc")) {
		p = proc_of(tr, e, &rank);
		if (!p)
			return (struct val){ .t = V_NULL };
		if (path[0] == 'r')
			return (struct val){ .t = V_STR, .s = p->comm };
		return (struct val){ .t = V_INT, .i = (int64_t)rank };
	}
	if (!strcmp(path, "blocked"))
		return (struct val){ .t = V_BOOL, .i = block_in(tr, e) != NULL };
	if (!strcmp(path, "end"))
		return (struct val){ .t = V_INT, .i = ev_int(e, "t") + ev_int(e, "dur") };
	j = field_json(tr, e, path);
	return j ? json_val(j) : (struct val){ .t = V_NULL };
}

/* ---- values ---- */

static void show(const struct val *v, char *buf, size_t len)
{
	switch (v->t) {
	case V_NULL: snprintf(buf, len, "null"); break;
	case V_BOOL: snprintf(buf, len, v->i ? "true" : "false"); break;
	case V_INT: snprintf(buf, len, "%" PRId64, v->i); break;
	case V_STR: snprintf(buf, len, "\"%s\"", v->s); break;
	case V_EVENT: snprintf(buf, len, "event #%ld", v->index); break;
	case V_ERR: snprintf(buf, len, "?"); break;
	}
}

static bool truthy(const struct val *v)
{
	return v->t == V_BOOL && v->i;
}

/* Values of different types compare false, except != which is true */
static bool compare(enum cl_op op, const struct val *a, const struct val *b)
{
	int c;

	if (a->t != b->t)
		return op == CL_OP_NE;
	switch (a->t) {
	case V_INT:
	case V_BOOL:
		c = a->i < b->i ? -1 : a->i > b->i;
		break;
	case V_STR:
		c = strcmp(a->s, b->s);
		break;
	case V_EVENT:
		c = a->index < b->index ? -1 : a->index > b->index;
		break;
	default:
		c = 0;
	}
	if (a->t != V_INT && a->t != V_STR && op != CL_OP_EQ && op != CL_OP_NE)
		return false;	/* true < false means nothing */
	switch (op) {
	case CL_OP_EQ: return c == 0;
	case CL_OP_NE: return c != 0;
	case CL_OP_LT: return c < 0;
	case CL_OP_LE: return c <= 0;
	case CL_OP_GT: return c > 0;
	case CL_OP_GE: return c >= 0;
	default: return false;
	}
}

static const char *op_text(enum cl_op op)
{
	static const char *const t[] = { [CL_OP_EQ] = "==", [CL_OP_NE] = "!=", [CL_OP_LT] = "<",
		[CL_OP_LE] = "<=", [CL_OP_GT] = ">", [CL_OP_GE] = ">=" };

	return op <= CL_OP_GE && t[op] ? t[op] : "?";
}

static struct val eval(struct ce_eval *x, const struct cl_node *n);

static struct val boolean(bool b)
{
	return (struct val){ .t = V_BOOL, .i = b };
}

static struct val eval_index(struct ce_eval *x, const struct cl_node *n)
{
	const struct ce_sel *s = &x->sels[n->let];
	const char *name = x->c->lets[n->let].name;
	int64_t i = n->num > 0 ? n->num - 1 : (int64_t)s->n + n->num;

	if (i < 0 || (size_t)i >= s->n) {
		if (!x->error)
			why(x, "%s has %zu events, no %s", "%s 只有 %zu 个事件，没有 %s", name, s->n,
			    n->src);
		x->error = true;
		return (struct val){ .t = V_ERR };
	}
	cite(x, s->index[i]);
	return (struct val){ .t = V_EVENT, .i = i, .ev = s->ev[i], .index = s->index[i] };
}

static struct val eval_agg(struct ce_eval *x, const struct cl_node *n)
{
	const struct ce_sel *s = &x->sels[n->let];
	struct val out = { .t = V_NULL };
	int64_t acc = 0;

	cite_all(x, s);
	for (size_t i = 0; i < s->n; i++) {
		struct val v = field(x->tr, s->ev[i], n->str);

		if (v.t != V_INT)
			continue;	/* a null field (an error return) counts for nothing */
		if (out.t == V_NULL)
			acc = v.i;
		else if (n->op == CL_OP_SUM)
			acc += v.i;
		else if (n->op == CL_OP_MAX ? v.i > acc : v.i < acc)
			acc = v.i;
		out.t = V_INT;
	}
	out.i = acc;
	return out;
}

/* The position in its let of the first event whose condition is want, or -1 */
static long quant_first(struct ce_eval *x, const struct cl_node *n, bool want)
{
	const struct ce_sel *s = &x->sels[n->let];
	json_object *was = x->cur;

	for (size_t i = 0; i < s->n; i++) {
		struct val v;

		x->cur = s->ev[i];
		v = eval(x, n->a);
		x->cur = was;
		if (truthy(&v) == want)
			return (long)i;
	}
	return -1;
}

static struct val eval_quant(struct ce_eval *x, const struct cl_node *n)
{
	const struct ce_sel *s = &x->sels[n->let];
	const char *name = x->c->lets[n->let].name;
	long i;

	cite_all(x, s);
	i = quant_first(x, n, n->op != CL_OP_ALL);	/* all: the first that fails */
	if (n->op == CL_OP_ALL && i >= 0) {
		why(x, "%s: event #%ld (%s[%ld]) does not match", "%s：事件 #%ld（%s[%ld]）不满足条件",
		    n->src, s->index[i], name, i + 1);
		return boolean(false);
	}
	if (n->op == CL_OP_NONE_OF && i >= 0) {
		why(x, "%s: event #%ld (%s[%ld]) matches", "%s：事件 #%ld（%s[%ld]）满足条件",
		    n->src, s->index[i], name, i + 1);
		return boolean(false);
	}
	if (n->op == CL_OP_ANY && i < 0) {
		why(x, "%s: none of %s's %zu events matches", "%s：%s 的 %zu 个事件都不满足条件",
		    n->src, name, s->n);
		return boolean(false);
	}
	return boolean(true);
}

static struct val eval_cmp(struct ce_eval *x, const struct cl_node *n)
{
	struct val a = eval(x, n->a), b = eval(x, n->b);
	char va[160], vb[160];
	bool ok;

	if (a.t == V_ERR || b.t == V_ERR)
		return (struct val){ .t = V_ERR };
	ok = compare(n->op, &a, &b);
	if (!ok) {
		show(&a, va, sizeof(va));
		show(&b, vb, sizeof(vb));
		if (n->b->kind <= CL_NULL)
			why(x, "%s = %s, expected %s %s", "%s = %s，应为 %s %s", n->a->src, va,
			    op_text(n->op), vb);
		else
			why(x, "%s = %s, expected %s %s = %s", "%s = %s，应为 %s %s = %s", n->a->src,
			    va, op_text(n->op), n->b->src, vb);
	}
	return boolean(ok);
}

static struct val eval_in(struct ce_eval *x, const struct cl_node *n)
{
	struct val a = eval(x, n->a);
	char va[160];

	if (a.t == V_ERR)
		return a;
	for (size_t i = 0; i < n->nlist; i++) {
		struct val b = eval(x, n->list[i]);

		if (compare(CL_OP_EQ, &a, &b))
			return boolean(true);
	}
	show(&a, va, sizeof(va));
	why(x, "%s = %s, not in the list", "%s = %s，不在列表中", n->a->src, va);
	return boolean(false);
}

/* The JSON of a field term (CL_FIELD of the current event, CL_EVFIELD of an indexed one):
 * what `X in FIELD` looks into.  -ERANGE: an index past the end (why says so). */
static int field_term_json(struct ce_eval *x, const struct cl_node *n, json_object **j)
{
	struct val e;

	*j = NULL;
	if (n->kind == CL_FIELD) {
		if (x->cur)
			*j = field_json(x->tr, x->cur, n->str);
		return 0;
	}
	e = eval(x, n->a);
	if (e.t == V_ERR)
		return -ERANGE;
	*j = field_json(x->tr, e.ev, n->str);
	return 0;
}

/* The list's JSON, cut short for a detail: a signal set is a few names */
static void show_json(json_object *j, char *buf, size_t len)
{
	const char *s = j ? json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN) : "null";

	if (strlen(s) < len)
		snprintf(buf, len, "%s", s);
	else
		snprintf(buf, len, "%.*s…", (int)(len > 4 ? len - 4 : 0), s);
}

/* X in FIELD: does the array the field holds have an element equal to X? */
static struct val eval_member(struct ce_eval *x, const struct cl_node *n)
{
	struct val a = eval(x, n->a);
	json_object *list;
	char va[160], vl[200];

	if (a.t == V_ERR || field_term_json(x, n->b, &list))
		return (struct val){ .t = V_ERR };
	for (size_t i = 0; json_object_is_type(list, json_type_array) &&
			   i < json_object_array_length(list); i++) {
		struct val b = json_val(json_object_array_get_idx(list, i));

		if (compare(CL_OP_EQ, &a, &b))
			return boolean(true);
	}
	show(&a, va, sizeof(va));
	show_json(list, vl, sizeof(vl));
	if (!json_object_is_type(list, json_type_array))
		why(x, "%s = %s, not a list", "%s = %s，不是列表", n->b->src, vl);
	else
		why(x, "%s is not in %s = %s", "%s 不在 %s = %s 中", va, n->b->src, vl);
	return boolean(false);
}

static bool has_affix(enum cl_op op, const char *s, const char *affix)
{
	size_t ls = strlen(s), la = strlen(affix);

	if (la > ls)
		return false;
	return !memcmp(op == CL_OP_ENDS ? s + ls - la : s, affix, la);
}

static const char *affix_en(enum cl_op op)
{
	return op == CL_OP_ENDS ? "end with" : "start with";
}

static const char *affix_zh(enum cl_op op)
{
	return op == CL_OP_ENDS ? "结尾" : "开头";
}

/* A ends_with B, A starts_with B: both strings (a null path, a number: false) */
static struct val eval_affix(struct ce_eval *x, const struct cl_node *n)
{
	struct val a = eval(x, n->a), b = eval(x, n->b);
	char va[160], vb[160];

	if (a.t == V_ERR || b.t == V_ERR)
		return (struct val){ .t = V_ERR };
	if (a.t == V_STR && b.t == V_STR && has_affix(n->op, a.s, b.s))
		return boolean(true);
	show(&a, va, sizeof(va));
	show(&b, vb, sizeof(vb));
	/* the two languages put the affix and the verb in different orders: no shared why() */
	snprintf(x->why, sizeof(x->why), "%s = %s, does not %s %s", n->a->src, va,
		 affix_en(n->op), vb);
	snprintf(x->why_zh, sizeof(x->why_zh), "%s = %s，不以 %s %s", n->a->src, va, vb,
		 affix_zh(n->op));
	return boolean(false);
}

static struct val eval_arith(struct ce_eval *x, const struct cl_node *n)
{
	struct val a = eval(x, n->a), b = eval(x, n->b);
	int64_t r;
	bool overflow;

	if (a.t == V_ERR || b.t == V_ERR)
		return (struct val){ .t = V_ERR };
	if (a.t != V_INT || b.t != V_INT)
		return (struct val){ .t = V_NULL };	/* arithmetic on null stays null */
	if (n->op == CL_OP_ADD)
		overflow = __builtin_add_overflow(a.i, b.i, &r);
	else if (n->op == CL_OP_SUB)
		overflow = __builtin_sub_overflow(a.i, b.i, &r);
	else
		overflow = __builtin_mul_overflow(a.i, b.i, &r);
	return overflow ? (struct val){ .t = V_NULL } : (struct val){ .t = V_INT, .i = r };
}

static struct val eval_before(struct ce_eval *x, const struct cl_node *n)
{
	struct val a = eval(x, n->a), b = eval(x, n->b);
	int64_t ta, tb;

	if (a.t == V_ERR || b.t == V_ERR)
		return (struct val){ .t = V_ERR };
	ta = ev_int(a.ev, "t");
	tb = ev_int(b.ev, "t");
	if (ta < tb)
		return boolean(true);
	why(x, "%s starts at t=%" PRId64 ", not before %s at t=%" PRId64,
	    "%s 开始于 t=%" PRId64 "，并不早于 %s（t=%" PRId64 "）", n->a->src, ta, n->b->src, tb);
	return boolean(false);
}

static struct val eval_woken_by(struct ce_eval *x, const struct cl_node *n)
{
	struct val a = eval(x, n->a), b = eval(x, n->b);
	const struct ce_block *blk;
	int64_t bpid, bt, bend;

	if (a.t == V_ERR || b.t == V_ERR)
		return (struct val){ .t = V_ERR };
	blk = block_in(x->tr, a.ev);
	if (!blk) {
		why(x, "%s did not sleep (no block in it)", "%s 没有睡眠（其中没有 block 事件）",
		    n->a->src);
		return boolean(false);
	}
	bpid = ev_int(b.ev, "pid");
	bt = ev_int(b.ev, "t");
	bend = bt + ev_int(b.ev, "dur");
	if (blk->waker_pid != bpid) {
		why(x, "%s was woken by pid %" PRId64 ", not by %s's pid %" PRId64,
		    "%s 被 pid %" PRId64 " 唤醒，而不是 %s 的 pid %" PRId64, n->a->src,
		    blk->waker_pid, n->b->src, bpid);
		return boolean(false);
	}
	if (blk->wake_t < bt || blk->wake_t > bend) {
		why(x, "%s was woken at t=%" PRId64 ", outside %s [%" PRId64 ", %" PRId64 "]",
		    "%s 在 t=%" PRId64 " 被唤醒，不在 %s 的区间 [%" PRId64 ", %" PRId64 "] 内",
		    n->a->src, blk->wake_t, n->b->src, bt, bend);
		return boolean(false);
	}
	return boolean(true);
}

static struct val eval_logic(struct ce_eval *x, const struct cl_node *n)
{
	struct val a = eval(x, n->a);

	if (n->kind == CL_NOT) {
		if (a.t == V_ERR)
			return a;
		if (truthy(&a))
			why(x, "%s is false", "%s 不成立", n->src);
		return boolean(!truthy(&a));
	}
	/* and / or: the first operand decides when it can, as a reader expects */
	if (a.t == V_ERR && n->kind == CL_AND)
		return a;
	if (n->kind == CL_AND && !truthy(&a))
		return boolean(false);
	if (n->kind == CL_OR && truthy(&a))
		return boolean(true);
	{
		struct val b = eval(x, n->b);

		if (b.t == V_ERR)
			return b;
		return boolean(truthy(&b));
	}
}

static struct val eval(struct ce_eval *x, const struct cl_node *n)
{
	switch (n->kind) {
	case CL_INT: return (struct val){ .t = V_INT, .i = n->num };
	case CL_STR: return (struct val){ .t = V_STR, .s = n->str };
	case CL_BOOL: return boolean(n->num);
	case CL_NULL: return (struct val){ .t = V_NULL };
	case CL_FIELD: return x->cur ? field(x->tr, x->cur, n->str) : (struct val){ .t = V_NULL };
	case CL_COUNT:
		cite_all(x, &x->sels[n->let]);
		return (struct val){ .t = V_INT, .i = (int64_t)x->sels[n->let].n };
	case CL_INDEX: return eval_index(x, n);
	case CL_EVFIELD: {
		struct val e = eval(x, n->a);

		return e.t == V_ERR ? e : field(x->tr, e.ev, n->str);
	}
	case CL_AGG: return eval_agg(x, n);
	case CL_QUANT: return eval_quant(x, n);
	case CL_CMP: return eval_cmp(x, n);
	case CL_IN: return eval_in(x, n);
	case CL_MEMBER: return eval_member(x, n);
	case CL_AFFIX: return eval_affix(x, n);
	case CL_ARITH: return eval_arith(x, n);
	case CL_NEG: {
		struct val a = eval(x, n->a);

		if (a.t == V_INT && a.i != INT64_MIN)
			a.i = -a.i;
		else if (a.t != V_ERR)
			a.t = V_NULL;
		return a;
	}
	case CL_AND: case CL_OR: case CL_NOT: return eval_logic(x, n);
	case CL_BEFORE: return eval_before(x, n);
	case CL_WOKEN_BY: return eval_woken_by(x, n);
	}
	return (struct val){ .t = V_NULL };
}

/* ---- what a held expect showed: a PASS's detail ---- */

#define SAY_EN 400
#define SAY_ZH 600

static bool is_literal(const struct cl_node *n)
{
	return n->kind <= CL_NULL || (n->kind == CL_NEG && n->a->kind == CL_INT);
}

static void say(struct ce_eval *x, const struct cl_node *n, char *en, char *zh);

/* "A = 17 (>= 16)", "A = 4096" (== a literal), "A = 15 (== B = 15)"; not: "(not >= 16)" */
static void say_cmp(struct ce_eval *x, const struct cl_node *n, bool negated, char *en, char *zh)
{
	struct val a = eval(x, n->a), b = eval(x, n->b);
	char va[160], vb[160];
	const char *no = negated ? "not " : "";

	show(&a, va, sizeof(va));
	show(&b, vb, sizeof(vb));
	if (is_literal(n->b) && n->op == CL_OP_EQ && !negated) {
		snprintf(en, SAY_EN, "%s = %s", n->a->src, va);
		snprintf(zh, SAY_ZH, "%s = %s", n->a->src, va);
	} else if (is_literal(n->b)) {
		snprintf(en, SAY_EN, "%s = %s (%s%s %s)", n->a->src, va, no, op_text(n->op), vb);
		snprintf(zh, SAY_ZH, "%s = %s（%s%s %s）", n->a->src, va, no, op_text(n->op), vb);
	} else {
		snprintf(en, SAY_EN, "%s = %s (%s%s %s = %s)", n->a->src, va, no, op_text(n->op),
			 n->b->src, vb);
		snprintf(zh, SAY_ZH, "%s = %s（%s%s %s = %s）", n->a->src, va, no, op_text(n->op),
			 n->b->src, vb);
	}
}

/* all: how many events; none: of how many; any: the first that matched */
static void say_quant(struct ce_eval *x, const struct cl_node *n, char *en, char *zh)
{
	const struct ce_sel *s = &x->sels[n->let];
	const char *name = x->c->lets[n->let].name;
	long i;

	if (n->op == CL_OP_ALL) {
		snprintf(en, SAY_EN, "%s (all %zu events)", n->src, s->n);
		snprintf(zh, SAY_ZH, "%s（%zu 个事件全部满足）", n->src, s->n);
	} else if (n->op == CL_OP_NONE_OF) {
		snprintf(en, SAY_EN, "%s (none of %zu events)", n->src, s->n);
		snprintf(zh, SAY_ZH, "%s（%zu 个事件都不满足）", n->src, s->n);
	} else {
		i = quant_first(x, n, true);
		snprintf(en, SAY_EN, "%s (%s[%ld], event #%ld)", n->src, name, i + 1,
			 i >= 0 ? s->index[i] : -1L);
		snprintf(zh, SAY_ZH, "%s（%s[%ld]，事件 #%ld）", n->src, name, i + 1,
			 i >= 0 ? s->index[i] : -1L);
	}
}

static void say_before(struct ce_eval *x, const struct cl_node *n, char *en, char *zh)
{
	struct val a = eval(x, n->a), b = eval(x, n->b);
	int64_t ta = ev_int(a.ev, "t"), tb = ev_int(b.ev, "t");

	snprintf(en, SAY_EN, "%s before %s (t=%" PRId64 " < t=%" PRId64 ")", n->a->src,
		 n->b->src, ta, tb);
	snprintf(zh, SAY_ZH, "%s 早于 %s（t=%" PRId64 " < t=%" PRId64 "）", n->a->src, n->b->src,
		 ta, tb);
}

/* Who woke the event's sleep, and when: the block event's waker */
static void say_woken_by(struct ce_eval *x, const struct cl_node *n, char *en, char *zh)
{
	struct val a = eval(x, n->a);
	const struct ce_block *blk = block_in(x->tr, a.ev);
	int64_t pid = blk ? blk->waker_pid : -1, t = blk ? blk->wake_t : -1;

	snprintf(en, SAY_EN, "%s.woken_by %s (pid %" PRId64 " at t=%" PRId64 ")", n->a->src,
		 n->b->src, pid, t);
	snprintf(zh, SAY_ZH, "%s 被 %s 唤醒（pid %" PRId64 "，t=%" PRId64 "）", n->a->src,
		 n->b->src, pid, t);
}

/* A field that held: "w[17].blocked" when it is true, else its value */
static void say_value(struct ce_eval *x, const struct cl_node *n, char *en, char *zh)
{
	struct val v = eval(x, n);
	char vs[160];

	if (truthy(&v)) {
		snprintf(en, SAY_EN, "%s", n->src);
		snprintf(zh, SAY_ZH, "%s", n->src);
		return;
	}
	show(&v, vs, sizeof(vs));
	snprintf(en, SAY_EN, "%s = %s", n->src, vs);
	snprintf(zh, SAY_ZH, "%s = %s", n->src, vs);
}

/* "SIGUSR1" in m[1].blocked_after: a literal says itself, a term its value too */
static void say_member(struct ce_eval *x, const struct cl_node *n, bool negated, char *en,
		       char *zh)
{
	struct val a = eval(x, n->a);
	json_object *list = NULL;
	char va[160], vl[200];

	field_term_json(x, n->b, &list);
	show(&a, va, sizeof(va));
	show_json(list, vl, sizeof(vl));
	if (negated) {
		snprintf(en, SAY_EN, "%s not in %s = %s", va, n->b->src, vl);
		snprintf(zh, SAY_ZH, "%s 不在 %s = %s 中", va, n->b->src, vl);
	} else if (is_literal(n->a)) {
		snprintf(en, SAY_EN, "%s in %s = %s", va, n->b->src, vl);
		snprintf(zh, SAY_ZH, "%s 在 %s = %s 中", va, n->b->src, vl);
	} else {
		snprintf(en, SAY_EN, "%s = %s (in %s = %s)", n->a->src, va, n->b->src, vl);
		snprintf(zh, SAY_ZH, "%s = %s（在 %s = %s 中）", n->a->src, va, n->b->src, vl);
	}
}

/* path = "/tmp/x/myfifo" (ends with "myfifo"); not: (does not end with ...) */
static void say_affix(struct ce_eval *x, const struct cl_node *n, bool negated, char *en,
		      char *zh)
{
	struct val a = eval(x, n->a), b = eval(x, n->b);
	char va[160], vb[160];
	const char *verb = n->op == CL_OP_ENDS ? "ends with" : "starts with";

	show(&a, va, sizeof(va));
	show(&b, vb, sizeof(vb));
	if (negated) {
		snprintf(en, SAY_EN, "%s = %s (does not %s %s)", n->a->src, va, affix_en(n->op),
			 vb);
		snprintf(zh, SAY_ZH, "%s = %s（不以 %s %s）", n->a->src, va, vb, affix_zh(n->op));
	} else {
		snprintf(en, SAY_EN, "%s = %s (%s %s)", n->a->src, va, verb, vb);
		snprintf(zh, SAY_ZH, "%s = %s（以 %s %s）", n->a->src, va, vb, affix_zh(n->op));
	}
}

static void say_logic(struct ce_eval *x, const struct cl_node *n, char *en, char *zh)
{
	char ea[SAY_EN], za[SAY_ZH], eb[SAY_EN], zb[SAY_ZH];
	struct val a;

	if (n->kind == CL_AND) {
		say(x, n->a, ea, za);
		say(x, n->b, eb, zb);
		snprintf(en, SAY_EN, "%s and %s", ea, eb);
		snprintf(zh, SAY_ZH, "%s，且 %s", za, zb);
		return;
	}
	if (n->kind == CL_OR) {	/* the side that holds, the first if both do */
		a = eval(x, n->a);
		say(x, truthy(&a) ? n->a : n->b, ea, za);
		snprintf(en, SAY_EN, "%s (one side of or)", ea);
		snprintf(zh, SAY_ZH, "%s（or 的一侧成立）", za);
		return;
	}
	if (n->a->kind == CL_CMP) {
		say_cmp(x, n->a, true, en, zh);
	} else if (n->a->kind == CL_MEMBER) {
		say_member(x, n->a, true, en, zh);
	} else if (n->a->kind == CL_AFFIX) {
		say_affix(x, n->a, true, en, zh);
	} else if (n->a->kind == CL_EVFIELD || n->a->kind == CL_FIELD) {
		say_value(x, n->a, en, zh);
	} else {
		snprintf(en, SAY_EN, "%s holds", n->src);
		snprintf(zh, SAY_ZH, "%s 成立", n->src);
	}
}

/* One expect (or part of one) that held, with the values the trace gave */
static void say(struct ce_eval *x, const struct cl_node *n, char *en, char *zh)
{
	switch (n->kind) {
	case CL_CMP: say_cmp(x, n, false, en, zh); return;
	case CL_IN: {
		struct val a = eval(x, n->a);
		char va[160];

		show(&a, va, sizeof(va));
		snprintf(en, SAY_EN, "%s = %s (in the list)", n->a->src, va);
		snprintf(zh, SAY_ZH, "%s = %s（在列表中）", n->a->src, va);
		return;
	}
	case CL_MEMBER: say_member(x, n, false, en, zh); return;
	case CL_AFFIX: say_affix(x, n, false, en, zh); return;
	case CL_QUANT: say_quant(x, n, en, zh); return;
	case CL_BEFORE: say_before(x, n, en, zh); return;
	case CL_WOKEN_BY: say_woken_by(x, n, en, zh); return;
	case CL_EVFIELD: case CL_FIELD: say_value(x, n, en, zh); return;
	case CL_AND: case CL_OR: case CL_NOT: say_logic(x, n, en, zh); return;
	default:
		snprintf(en, SAY_EN, "%s holds", n->src);
		snprintf(zh, SAY_ZH, "%s 成立", n->src);
	}
}

/* An expect's top-level 'and' gives one item per side, as two expects would */
static void say_expect(struct ce_eval *x, const struct cl_node *n, struct claim_list *en,
		       struct claim_list *zh)
{
	char e[SAY_EN], z[SAY_ZH];

	if (n->kind == CL_AND) {
		say_expect(x, n->a, en, zh);
		say_expect(x, n->b, en, zh);
		return;
	}
	say(x, n, e, z);
	claim_list_add(en, "%s", e);
	claim_list_add(zh, "%s", z);
}

static void say_held(struct ce_eval *x)
{
	struct ce_result *r = x->res;
	struct claim_list en, zh;

	claim_list_init(&en, r->detail, sizeof(r->detail), "; ");
	claim_list_init_zh(&zh, r->detail_zh, sizeof(r->detail_zh), "；");
	for (size_t i = 0; i < x->c->nexpects; i++)
		say_expect(x, x->c->expects[i].e, &en, &zh);
}

/* ---- one claim ---- */

/* Whether a path has an object segment anywhere: object.kind, mapping.object.file */
static bool path_uses_object(const char *path)
{
	size_t len = strlen(OBJECT_SEGMENT);

	for (const char *seg = path;; seg++) {
		if (!strncmp(seg, OBJECT_SEGMENT, len) && (seg[len] == '.' || !seg[len]))
			return true;
		seg = strchr(seg, '.');
		if (!seg)
			return false;
	}
}

static bool uses_object(const struct cl_node *n)
{
	if (!n)
		return false;
	if ((n->kind == CL_FIELD || n->kind == CL_EVFIELD || n->kind == CL_AGG) &&
	    path_uses_object(n->str))
		return true;
	for (size_t i = 0; i < n->nlist; i++)
		if (uses_object(n->list[i]))
			return true;
	return uses_object(n->a) || uses_object(n->b);
}

static bool claim_uses_object(const struct cl_claim *c)
{
	for (size_t i = 0; i < c->nlets; i++)
		if (uses_object(c->lets[i].where))
			return true;
	for (size_t i = 0; i < c->nexpects; i++)
		if (uses_object(c->expects[i].e))
			return true;
	return false;
}

static bool judge_overflow(struct ce_eval *x)
{
	/* a trace with more objects than are kept: object.KEY would read null, not the truth */
	if (x->tr->objs_overflow && claim_uses_object(x->c)) {
		why(x, "the trace lists more than %zu objects: object. fields are not kept",
		    "跟踪文件列出的对象超过 %zu 个：无法读取 object. 字段", ce_objects_max);
		return true;
	}
	for (size_t i = 0; i < x->c->nlets; i++)
		if (x->sels[i].overflow) {
			why(x, "selector %s matched more than %zu events: narrow it",
			    "选择器 %s 匹配了超过 %zu 个事件：请缩小范围", x->c->lets[i].name,
			    ce_select_max);
			return true;
		}
	return false;
}

static void judge_claim(struct ce_eval *x)
{
	struct ce_result *r = x->res;

	r->pass = false;
	if (judge_overflow(x))
		goto fail;
	for (size_t i = 0; i < x->c->nexpects; i++) {
		const struct cl_node *e = x->c->expects[i].e;
		struct val v;

		x->why[0] = x->why_zh[0] = '\0';
		x->error = false;
		v = eval(x, e);
		if (truthy(&v) && !x->error)
			continue;
		/* an index past the end says so; a composite says which expect, not a part */
		if (!x->error && (!x->why[0] || e->kind == CL_OR || e->kind == CL_NOT))
			why(x, "%s is false", "%s 不成立", e->src);
		if (!x->error && e->kind == CL_EVFIELD) {
			char vs[160];

			show(&v, vs, sizeof(vs));
			why(x, "%s is %s", "%s 为 %s", e->src, vs);
		}
		goto fail;
	}
	r->pass = true;
	say_held(x);
	return;
fail:
	snprintf(r->detail, sizeof(r->detail), "%s", x->why);
	snprintf(r->detail_zh, sizeof(r->detail_zh), "%s", x->why_zh);
}

/* ---- the two passes ---- */

static int pass1_process(void *ctx, json_object *p)
{
	struct ce_trace *tr = ctx;
	const char *comm = json_object_get_string(json_object_object_get(p, "comm"));
	struct ce_proc *m;

	if ((tr->nprocs & (tr->nprocs - 1)) == 0) {	/* 0, 1, 2, 4 ...: double */
		m = realloc(tr->procs, (tr->nprocs ? 2 * tr->nprocs : 1) * sizeof(*m));
		if (!m)
			return -ENOMEM;
		tr->procs = m;
	}
	m = &tr->procs[tr->nprocs++];
	m->pid = ev_int(p, "pid");
	m->rank = tr->nprocs;
	snprintf(m->comm, sizeof(m->comm), "%s", comm ? comm : "");
	return 0;
}

static int pass1_event(void *ctx, json_object *e, size_t index)
{
	struct ce_trace *tr = ctx;
	const char *type = json_object_get_string(json_object_object_get(e, "type"));
	json_object *waker = json_object_object_get(e, "waker");
	struct ce_block *b;

	(void)index;
	if (!type || strcmp(type, "block"))
		return 0;
	if ((tr->nblocks & (tr->nblocks - 1)) == 0) {	/* 0, 1, 2, 4 ...: double */
		b = realloc(tr->blocks, (tr->nblocks ? 2 * tr->nblocks : 1) * sizeof(*b));
		if (!b)
			return -ENOMEM;
		tr->blocks = b;
	}
	b = &tr->blocks[tr->nblocks++];
	b->tid = ev_int(e, "tid");
	b->t = ev_int(e, "t");
	b->end = b->t + ev_int(e, "dur");
	b->waker_pid = waker && json_object_object_get(waker, "pid") ? ev_int(waker, "pid") : -1;
	b->wake_t = ev_int(e, "wake_t");
	return 0;
}

/* Every entry of objects[] with an integer id, up to ce_objects_max: one more and object.
 * fields are unknown (a claim that uses them FAILs saying so), as a selector's overflow. */
static int pass1_object(void *ctx, json_object *o)
{
	struct ce_trace *tr = ctx;
	json_object *id;
	struct ce_obj *m;

	if (!json_object_object_get_ex(o, "id", &id) || !json_object_is_type(id, json_type_int))
		return 0;
	if (tr->nobjs >= ce_objects_max) {
		tr->objs_overflow = true;
		return 0;
	}
	if ((tr->nobjs & (tr->nobjs - 1)) == 0) {	/* 0, 1, 2, 4 ...: double */
		m = realloc(tr->objs, (tr->nobjs ? 2 * tr->nobjs : 1) * sizeof(*m));
		if (!m)
			return -ENOMEM;
		tr->objs = m;
	}
	m = &tr->objs[tr->nobjs++];
	m->id = json_object_get_int64(id);
	m->o = json_object_get(o);
	return 0;
}

static int by_id(const void *pa, const void *pb)
{
	const struct ce_obj *a = pa, *b = pb;

	return a->id < b->id ? -1 : a->id > b->id;
}

/* The first of equal pids keeps its place: the first process of that pid in the trace. */
static int by_pid_then_rank(const void *pa, const void *pb)
{
	const struct ce_proc *a = pa, *b = pb;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

static int by_tid_then_t(const void *pa, const void *pb)
{
	const struct ce_block *a = pa, *b = pb;

	if (a->tid != b->tid)
		return a->tid < b->tid ? -1 : 1;
	return a->t < b->t ? -1 : a->t > b->t;
}

static int keep(struct ce_sel *s, json_object *e, size_t index)
{
	if (s->n >= ce_select_max) {
		s->overflow = true;
		return 0;
	}
	if ((s->n & (s->n - 1)) == 0) {
		size_t cap = s->n ? 2 * s->n : 1;
		json_object **ev = realloc(s->ev, cap * sizeof(*ev));
		long *ix;

		if (!ev)
			return -ENOMEM;
		s->ev = ev;
		ix = realloc(s->index, cap * sizeof(*ix));
		if (!ix)
			return -ENOMEM;
		s->index = ix;
	}
	s->ev[s->n] = json_object_get(e);
	s->index[s->n++] = (long)index;
	return 0;
}

static int pass2_event(void *ctx, json_object *e, size_t index)
{
	struct ce_trace *tr = ctx;
	const char *type = json_object_get_string(json_object_object_get(e, "type"));

	for (size_t c = 0; c < tr->f->nclaims; c++) {
		const struct cl_claim *cl = &tr->f->claims[c];

		for (size_t l = 0; l < cl->nlets; l++) {
			const struct cl_let *let = &cl->lets[l];
			struct ce_eval x = { .tr = tr, .c = cl, .cur = e };
			struct val v;
			int ret;

			if (strcmp(let->type, "any") && (!type || strcmp(let->type, type)))
				continue;
			if (let->where) {
				v = eval(&x, let->where);
				if (!truthy(&v))
					continue;
			}
			ret = keep(&tr->sels[c][l], e, index);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int pass2_end(void *ctx, size_t nevents)
{
	((struct ce_trace *)ctx)->nevents = nevents;
	return 0;
}

static void free_trace(struct ce_trace *tr)
{
	for (size_t c = 0; tr->sels && c < tr->f->nclaims; c++) {
		for (size_t l = 0; tr->sels[c] && l < tr->f->claims[c].nlets; l++) {
			struct ce_sel *s = &tr->sels[c][l];

			for (size_t i = 0; i < s->n; i++)
				json_object_put(s->ev[i]);
			free(s->ev);
			free(s->index);
		}
		free(tr->sels[c]);
	}
	free(tr->sels);
	free(tr->procs);
	free(tr->blocks);
	for (size_t i = 0; i < tr->nobjs; i++)
		json_object_put(tr->objs[i].o);
	free(tr->objs);
}

static int alloc_sels(struct ce_trace *tr)
{
	tr->sels = calloc(tr->f->nclaims, sizeof(*tr->sels));
	if (!tr->sels)
		return -ENOMEM;
	for (size_t c = 0; c < tr->f->nclaims; c++) {
		tr->sels[c] = calloc(tr->f->claims[c].nlets + 1, sizeof(**tr->sels));
		if (!tr->sels[c])
			return -ENOMEM;
	}
	return 0;
}

int ce_evaluate(const struct cl_file *f, const char *path, struct ce_result *res,
		size_t *nevents, char *err, size_t errlen)
{
	struct ce_trace tr = { .f = f };
	const struct trace_visitor first = { .process = pass1_process, .object = pass1_object,
					     .event = pass1_event, .ctx = &tr };
	const struct trace_visitor second = { .event = pass2_event, .end = pass2_end, .ctx = &tr };
	int ret;

	err[0] = '\0';
	ret = trace_read(path, &first, 0, err, errlen);
	if (ret)
		goto cleanup;
	if (tr.nblocks)
		qsort(tr.blocks, tr.nblocks, sizeof(*tr.blocks), by_tid_then_t);
	if (tr.nprocs)
		qsort(tr.procs, tr.nprocs, sizeof(*tr.procs), by_pid_then_rank);
	if (tr.nobjs)
		qsort(tr.objs, tr.nobjs, sizeof(*tr.objs), by_id);
	ret = alloc_sels(&tr);
	if (ret)
		goto cleanup;
	ret = trace_read(path, &second, 0, err, errlen);
	if (ret)
		goto cleanup;
	for (size_t c = 0; c < f->nclaims; c++) {
		struct ce_eval x = { .tr = &tr, .c = &f->claims[c], .sels = tr.sels[c],
				     .res = &res[c] };

		memset(&res[c], 0, sizeof(res[c]));
		judge_claim(&x);
	}
	*nevents = tr.nevents;
cleanup:
	if (ret == -ENOMEM && !err[0])
		snprintf(err, errlen, "%s: out of memory", path);
	free_trace(&tr);
	return ret;
}
