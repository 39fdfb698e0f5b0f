/* rederive.h - a scenario's claims judged again on what a JSON trace's events say (`ipclab
 * check` without --claims): the timeline rebuilt from the trace's processes, objects and
 * events (user/event_parse.c) and handed to the scenario's own checker. */
#ifndef IPCLAB_REDERIVE_H
#define IPCLAB_REDERIVE_H

#include <stdbool.h>
#include <json-c/json.h>
#include "claims.h"
#include "export.h"
#include "timeline.h"
#include "trace_read.h"

/*
 * A rebuilt timeline holds ~320 bytes an event in memory (the record and the timeline
 * event): past this many events (160 MB) check does not judge the claims again and shows the
 * trace's stored statuses, so that it stays within the readers' memory bound
 * (docs/trace-format.md, "Reading a trace").  Scenario traces have hundreds to ~70000.
 */
#define REDERIVE_MAX_EVENTS 500000
extern size_t rederive_max_events;	/* REDERIVE_MAX_EVENTS; the unit tests lower it */

struct rederive {
	struct timeline tl;
	struct trace_meta meta;
	struct ipclab_event *recs;	/* tl.ev[i].e == &recs[i] once complete */
	size_t cap_ev, cap_tl_ev, cap_procs, cap_objs;
	bool too_big;			/* more events than rederive_max_events: none kept */
	struct claim_set stored;	/* the trace's claims as written (the first CLAIM_MAX) */
	size_t nstored;			/* all of them */
	int err;			/* -EBADMSG: a value that cannot be read back */
	char bad[96];			/* ... which, and why */
};

/* The visitor's callbacks (trace_read.h), for a caller that wraps them: ctx is a struct
 * rederive, zeroed before the reading. */
int rederive_meta(void *ctx, json_object *meta);
int rederive_process(void *ctx, json_object *p);
int rederive_object(void *ctx, json_object *o);
int rederive_claim(void *ctx, json_object *c);
int rederive_event(void *ctx, json_object *e, size_t index);

/* Read a whole trace into r (trace_read()'s return and err). */
int rederive_read(const char *path, struct rederive *r, char *err, size_t errlen);

/*
 * After the reading: run the scenario's checker on the rebuilt timeline into cs.  0, or
 * -ENOENT (the trace names no scenario this ipclab knows), -EFBIG (too many events),
 * r->err.
 */
int rederive_claims(struct rederive *r, struct claim_set *cs);

/* The stored claim with c's id, or NULL. */
const struct claim *rederive_stored(const struct rederive *r, const char *id);

/* How a claim judged again (now) differs from the stored one (was, NULL: none stored): the
 * status first, then the detail, detail_zh, the evidence. */
enum rederive_diff {
	REDERIVE_SAME, REDERIVE_NEW, REDERIVE_STATUS, REDERIVE_DETAIL, REDERIVE_DETAIL_ZH,
	REDERIVE_EVIDENCE,
};
enum rederive_diff rederive_compare(const struct claim *now, const struct claim *was);

void rederive_free(struct rederive *r);

#endif
