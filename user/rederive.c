// SPDX-License-Identifier: GPL-2.0
/*
 * rederive.c - a JSON trace back into the timeline its claims were judged on, so that
 * `ipclab check` judges an edited trace on what it now says.  Not timeline_build() again:
 * the trace holds what that resolution made (object ids, pages, peers), and is read as
 * written -- objects with their ids, processes, and each event's record through the
 * inverse of its printer (event_parse.c, the mechanisms' *_from_json hooks).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "attach.h"
#include "event_parse.h"
#include "mechanism.h"
#include "rederive.h"

size_t rederive_max_events = REDERIVE_MAX_EVENTS;

/* Room for one more of n items of size sz in *arr (capacity *cap, doubled): 0 or -ENOMEM. */
static int grow(void **arr, size_t *cap, size_t n, size_t sz)
{
	size_t want = *cap ? 2 * *cap : 64;
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*arr, want * sz);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = want;
	return 0;
}

/* Room for the n events meta.events announces, at once: no copies as the arrays grow, so
 * the peak stays at what the events need (more than announced: grow() doubles). */
static int reserve(struct rederive *r, long long n)
{
	if (n <= 0 || (size_t)n > rederive_max_events)
		return 0;
	r->recs = malloc((size_t)n * sizeof(*r->recs));
	r->tl.ev = malloc((size_t)n * sizeof(*r->tl.ev));
	if (!r->recs || !r->tl.ev)
		return -ENOMEM;
	r->cap_ev = r->cap_tl_ev = (size_t)n;
	return 0;
}

int rederive_meta(void *ctx, json_object *meta)
{
	struct rederive *r = ctx;
	struct trace_meta *m = &r->meta;
	json_object *probes;

	m->t0 = (__u64)jp_num(meta, "start_ns", 0);
	m->page_size = (long)jp_num(meta, "page_size", 4096);
	if (tier_parse(jp_str(meta, "tier"), &m->tier))
		m->tier = TIER_TRACEPOINT;
	m->scenario = jp_has(meta, "scenario") ? scenario_find(jp_str(meta, "scenario")) : NULL;
	if (json_object_object_get_ex(meta, "probes", &probes) && probes)
		for (size_t i = 0; i < n_mechanisms; i++) {
			const struct mech_trace_ops *t = mechanisms[i]->trace;

			if (t && t->meta_from_json)
				t->meta_from_json(probes, m);
		}
	r->tl.t0 = m->t0;
	r->tl.meta = m;
	return m->scenario ? reserve(r, jp_num(meta, "events", 0)) : 0;
}

int rederive_process(void *ctx, json_object *o)
{
	struct rederive *r = ctx;
	struct tl_process *p;

	if (!r->meta.scenario)
		return 0;	/* no checker to feed: memory must not grow with the trace */
	if (grow((void **)&r->tl.procs, &r->cap_procs, r->tl.nprocs, sizeof(*p)))
		return -ENOMEM;
	p = &r->tl.procs[r->tl.nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = (__u32)jp_num(o, "pid", 0);
	p->ppid = (__u32)jp_num(o, "ppid", 0);
	jp_text(o, "comm", p->comm, sizeof(p->comm));
	jp_text(o, "exe", p->exe, sizeof(p->exe));
	p->t_start = jp_num(o, "start", 0);
	p->t_exec = -1;		/* the exec events set it */
	p->exited = jp_has(o, "exit");
	p->t_exit = jp_num(o, "exit", 0);
	p->exit_status = (int)jp_num(o, "status", 0);
	return 0;
}

/* A kind no mechanism reads (a newer writer's): skipped, as readers must, by being none
 * of the kinds the checkers ask for; it keeps its place, for the ids. */
#define OBJ_KIND_UNKNOWN ((enum obj_kind)-1)

/* Objects keep the ids they were written with: events name them so. */
int rederive_object(void *ctx, json_object *o)
{
	struct rederive *r = ctx;
	const char *kind = jp_str(o, "kind");
	struct tl_object *ob;

	if (r->err || !r->meta.scenario)
		return 0;	/* no checker to feed: memory must not grow with the trace */
	if (jp_num(o, "id", -1) != (long long)r->tl.nobjs) {
		/* the reading goes on (trace_read() takes a visitor's error for its own) */
		snprintf(r->bad, sizeof(r->bad), "the objects' ids are not their places 0, 1, "
			 "2, ...: place %zu has id %lld", r->tl.nobjs, jp_num(o, "id", -1));
		r->err = -EBADMSG;
		return 0;
	}
	if (grow((void **)&r->tl.objs, &r->cap_objs, r->tl.nobjs, sizeof(*ob)))
		return -ENOMEM;
	ob = &r->tl.objs[r->tl.nobjs];
	memset(ob, 0, sizeof(*ob));
	ob->id = (int)r->tl.nobjs;
	ob->kptr = obj_kptr(ob->id);
	ob->fds[0] = ob->fds[1] = -1;
	ob->sock.peer = -1;
	ob->map.unmapped = -1;
	ob->kind = OBJ_KIND_UNKNOWN;
	for (size_t i = 0; i < n_mechanisms; i++) {
		const struct mech_trace_ops *t = mechanisms[i]->trace;

		if (t && t->object_from_json && t->object_from_json(o, kind, ob, r->meta.page_size))
			break;
	}
	r->tl.nobjs++;
	return 0;
}

int rederive_claim(void *ctx, json_object *o)
{
	struct rederive *r = ctx;
	struct claim *c;
	json_object *ev;

	if (r->stored.n >= CLAIM_MAX) {
		r->nstored++;
		return 0;
	}
	c = &r->stored.c[r->stored.n++];
	r->nstored++;
	memset(c, 0, sizeof(*c));
	jp_text(o, "id", c->id, sizeof(c->id));
	jp_text(o, "text", c->text, sizeof(c->text));
	c->pass = !strcmp(jp_str(o, "status"), "PASS");
	jp_text(o, "detail", c->detail, sizeof(c->detail));
	jp_text(o, "detail_zh", c->detail_zh, sizeof(c->detail_zh));
	if (json_object_object_get_ex(o, "evidence", &ev) && json_object_is_type(ev, json_type_array))
		for (size_t i = 0; i < json_object_array_length(ev) &&
		     c->nevidence < CLAIM_EVIDENCE_MAX; i++)
			c->evidence[c->nevidence++] =
				(long)json_object_get_int64(json_object_array_get_idx(ev, i));
	return 0;
}

/* An exec sets its process's last exec time, as timeline_build() does. */
static void note_exec(struct timeline *tl, const struct tl_event *te)
{
	for (size_t i = 0; i < tl->nprocs; i++)
		if (tl->procs[i].pid == te->e->pid)
			tl->procs[i].t_exec = te->t;
}

/* The checkers index the objects by the ids events give: none may point past them. */
static bool id_ok(const struct timeline *tl, long long id)
{
	return id >= -1 && id < (long long)tl->nobjs;
}

static bool ids_valid(const struct timeline *tl, const struct tl_event *te)
{
	return id_ok(tl, te->obj) && id_ok(tl, te->waker_obj) && id_ok(tl, te->peer);
}

int rederive_event(void *ctx, json_object *ev, size_t index)
{
	struct rederive *r = ctx;
	struct timeline *tl = &r->tl;
	int err;

	if (r->too_big || r->err || !r->meta.scenario)
		return 0;	/* nothing to judge: the reading only checks the file */
	if (index >= rederive_max_events) {
		r->too_big = true;
		return 0;
	}
	if (grow((void **)&r->recs, &r->cap_ev, tl->n, sizeof(*r->recs)) ||
	    grow((void **)&tl->ev, &r->cap_tl_ev, tl->n, sizeof(*tl->ev)))
		return -ENOMEM;
	err = event_parse(tl, ev, &r->recs[tl->n], &tl->ev[tl->n]);
	if (!err && !ids_valid(tl, &tl->ev[tl->n])) {
		snprintf(r->bad, sizeof(r->bad), "event %zu names an object the trace does not "
			 "have", index);
		err = -EBADMSG;
	}
	if (err) {
		r->err = err;
		return 0;	/* the reading goes on: the file may be bad in a worse way */
	}
	if (r->recs[tl->n].type == EVT_EXEC)
		note_exec(tl, &tl->ev[tl->n]);
	tl->n++;
	return 0;
}

int rederive_read(const char *path, struct rederive *r, char *err, size_t errlen)
{
	const struct trace_visitor v = {
		.meta = rederive_meta, .process = rederive_process, .object = rederive_object,
		.claim = rederive_claim, .event = rederive_event, .ctx = r,
	};

	return trace_read(path, &v, 0, err, errlen);
}

int rederive_claims(struct rederive *r, struct claim_set *cs)
{
	struct timeline *tl = &r->tl;

	if (!r->meta.scenario)
		return -ENOENT;
	if (r->too_big)
		return -EFBIG;
	if (r->err)
		return r->err;
	/* the records moved as they grew: point the events at where they are now */
	for (size_t i = 0; i < tl->n; i++)
		tl->ev[i].e = &r->recs[i];
	for (size_t i = 0; i < n_mechanisms; i++) {
		const struct mech_trace_ops *t = mechanisms[i]->trace;

		if (t && t->events_from_json_done)
			t->events_from_json_done(tl, r->recs);
	}
	memset(cs, 0, sizeof(*cs));
	r->meta.scenario->check(tl, cs);
	return 0;
}

const struct claim *rederive_stored(const struct rederive *r, const char *id)
{
	for (int i = 0; i < r->stored.n; i++)
		if (!strcmp(r->stored.c[i].id, id))
			return &r->stored.c[i];
	return NULL;
}

/* a as the trace writes it (export.c's claims_json) is b */
static bool same_text(const char *a, size_t max, const char *b, bool utf8)
{
	json_object *o = utf8 ? trace_text_utf8(a, max) : trace_text(a, max);
	bool same = !strcmp(json_object_get_string(o), b);

	json_object_put(o);
	return same;
}

enum rederive_diff rederive_compare(const struct claim *now, const struct claim *was)
{
	if (!was)
		return REDERIVE_NEW;
	if (now->pass != was->pass)
		return REDERIVE_STATUS;
	if (!same_text(now->detail, sizeof(now->detail), was->detail, false))
		return REDERIVE_DETAIL;
	if (!same_text(now->detail_zh, sizeof(now->detail_zh), was->detail_zh, true))
		return REDERIVE_DETAIL_ZH;
	if (now->nevidence != was->nevidence ||
	    memcmp(now->evidence, was->evidence, now->nevidence * sizeof(now->evidence[0])))
		return REDERIVE_EVIDENCE;
	return REDERIVE_SAME;
}

void rederive_free(struct rederive *r)
{
	free(r->recs);
	free(r->tl.ev);
	free(r->tl.procs);
	free(r->tl.objs);
	memset(r, 0, sizeof(*r));
}
