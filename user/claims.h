/* claims.h - what a scenario states, proved or refuted from the trace. */
#ifndef IPCLAB_CLAIMS_H
#define IPCLAB_CLAIMS_H

#include <stdbool.h>
#include "timeline.h"

#define CLAIM_MAX 16
#define CLAIM_EVIDENCE_MAX 24

struct claim {
	char id[40];
	char text[256];		/* the statement, as the course would make it */
	char text_zh[512];	/* the same statement in Chinese (UTF-8: 3 bytes a character) */
	bool pass;
	char detail[320];	/* what the trace showed */
	char detail_zh[640];	/* the same in Chinese (claim_detail_zh()), or empty */
	long evidence[CLAIM_EVIDENCE_MAX];	/* indices into the trace's events */
	int nevidence;
};

struct claim_set {
	struct claim c[CLAIM_MAX];
	int n;
};

struct claim *claim_new(struct claim_set *cs, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The claim's statement in Chinese, set right after claim_new(). */
void claim_zh(struct claim *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets pass/fail and the detail; returns pass. */
bool claim_result(struct claim *c, bool pass, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The detail in Chinese, set after claim_result() from the same facts. */
void claim_detail_zh(struct claim *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void claim_cite(struct claim *c, long event_index);

/* A list for a claim's detail, built in the caller's buffer: an item that does not fit is
 * counted, and the list then ends "… and N more" rather than stopping silently. */
struct claim_list {
	char *buf;
	size_t cap, len;	/* len: the items so far; the tail, if any, follows */
	const char *sep;	/* between items */
	int n, more;
	bool zh;		/* the tail in Chinese: " … 另有 N 项" */
};
#define CLAIM_LIST_TAIL 24	/* room kept for " … and N more" */

void claim_list_init(struct claim_list *l, char *buf, size_t cap, const char *sep);
/* The same, for a Chinese detail (claim_detail_zh()). */
void claim_list_init_zh(struct claim_list *l, char *buf, size_t cap, const char *sep);
void claim_list_add(struct claim_list *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int claims_failed(const struct claim_set *cs);

#endif
