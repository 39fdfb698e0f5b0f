/*
 * claimlang.h - the claims language (docs/writing-a-lab.md): a teaching assistant states what
 * a trace must show in a small text file, parsed here into claims of named selectors and
 * expectations.  The language names no mechanism: event types and fields are the trace's
 * own strings, looked up only when the claims are evaluated (claimeval.h).
 */
#ifndef IPCLAB_CLAIMLANG_H
#define IPCLAB_CLAIMLANG_H

#include <stddef.h>
#include <stdint.h>

/* The longest id and statements a claim may have: what a trace's claims[] holds
 * (docs/trace.schema.json), so that verdicts stored in a trace are never cut. */
#define CL_ID_MAX 39
#define CL_TEXT_MAX 255
#define CL_TEXT_ZH_MAX 511

enum cl_kind {
	CL_INT, CL_STR, CL_BOOL, CL_NULL,
	CL_FIELD,	/* the current event's field (where / all / any / none): path */
	CL_COUNT,	/* count(name) */
	CL_INDEX,	/* name[index]: an event term */
	CL_EVFIELD,	/* name[index].path: kid a is the CL_INDEX */
	CL_AGG,		/* max/min/sum(name.path): op is the function */
	CL_QUANT,	/* all/any/none name: a */
	CL_CMP,		/* a op b */
	CL_IN,		/* a in [list] */
	CL_MEMBER,	/* a in b: b a field (CL_FIELD, CL_EVFIELD) whose value is an array */
	CL_AFFIX,	/* a ends_with b, a starts_with b: op says which */
	CL_ARITH,	/* a op b, op one of + - * */
	CL_NEG,		/* -a */
	CL_AND, CL_OR, CL_NOT,
	CL_BEFORE,	/* a before b, both event terms */
	CL_WOKEN_BY,	/* a.woken_by == b, both event terms */
};

enum cl_op {
	CL_OP_NONE, CL_OP_EQ, CL_OP_NE, CL_OP_LT, CL_OP_LE, CL_OP_GT, CL_OP_GE,
	CL_OP_ADD, CL_OP_SUB, CL_OP_MUL,
	CL_OP_MAX, CL_OP_MIN, CL_OP_SUM,
	CL_OP_ALL, CL_OP_ANY, CL_OP_NONE_OF,
	CL_OP_ENDS, CL_OP_STARTS,
};

struct cl_node {
	enum cl_kind kind;
	enum cl_op op;
	int64_t num;		/* CL_INT, CL_BOOL; CL_INDEX: the 1-based index (-1: last) */
	char *str;		/* CL_STR's text; CL_FIELD, CL_EVFIELD, CL_AGG: the dotted path */
	int let;		/* CL_COUNT, CL_INDEX, CL_AGG, CL_QUANT: the claim's let */
	struct cl_node *a, *b;
	struct cl_node **list;	/* CL_IN's values */
	size_t nlist;
	char *src;		/* the source text of this term, for details */
};

struct cl_let {
	char *name;
	char *type;		/* an event "type", or "any" */
	struct cl_node *where;	/* NULL: every event of the type */
};

struct cl_expect {
	struct cl_node *e;
	int line;
};

struct cl_claim {
	char *id, *text, *text_zh;
	int line, col;		/* where its 'claim' keyword is */
	struct cl_let *lets;
	size_t nlets;
	struct cl_expect *expects;
	size_t nexpects;
};

struct cl_file {
	struct cl_claim *claims;
	size_t nclaims;
	void *arena;		/* every node and string, freed by cl_free() */
};

/*
 * Parse the claims in text (len bytes, NUL-terminated) read from the file called name.
 * Returns 0, -EINVAL with err holding one line "NAME:LINE:COL: expected X, got Y" (or another
 * precise reason), or -ENOMEM.
 */
int cl_parse(const char *name, const char *text, size_t len, struct cl_file *f, char *err,
	     size_t errlen);
/* Read PATH and parse it; -errno when it cannot be read (err says why). */
int cl_parse_file(const char *path, struct cl_file *f, char *err, size_t errlen);
void cl_free(struct cl_file *f);

#endif
