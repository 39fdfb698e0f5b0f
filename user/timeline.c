// SPDX-License-Identifier: GPL-2.0
/*
 * timeline.c - turn spooled records into the model: events in time order with times
 * relative to the trace start, the process tree, and the objects (a pipe, a mapping, a
 * socket), which each mechanism's timeline part makes from its records
 * (struct mech_timeline_ops; mech/NAME/timeline.c).
 */
#define _GNU_SOURCE	/* mremap, fallocate */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "mechanism.h"
#include "timeline_mech.h"

#define PAGE_SIZE_ 4096ULL

static int cmp_event(const void *a, const void *b)
{
	const struct tl_event *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->e->ts != y->e->ts)
		return x->e->ts < y->e->ts ? -1 : 1;
	if (x->e->tid != y->e->tid)
		return x->e->tid < y->e->tid ? -1 : 1;
	/* a total order, so qsort here and the merge of spilled runs (spool.c cmp_record)
	 * agree even on ties that only corrupt records have (one tid, two pids) */
	return memcmp(x->e, y->e, sizeof(*x->e));
}

/* Arrays grow in powers of two from 8; `n` elements are in use before adding one. */
static void *grow(void *p, size_t n, size_t size)
{
	if (n == 0)
		return malloc(8 * size);
	if (n < 8 || (n & (n - 1)))
		return p;	/* room left */
	return realloc(p, 2 * n * size);
}

/* ------------------------------------------------------------------ indexes */

/* An array in memory (fd -1) or, when streaming, a shared mapping of a scratch file. */
struct store {
	int fd;
	__u64 off;		/* where the array starts in the file */
	size_t cap;		/* elements mapped */
};

/*
 * Every lookup the model makes while resolving an event, indexed: by pid and by kernel
 * object address here, and each mechanism's own in its state (struct mech_timeline_ops).
 * Each answers exactly what the scan over all objects it replaces answered.
 */
struct tl_index {
	struct tl_hash big_pids;	/* pid >= PID_SLOTS -> index in tl->procs */
	struct tl_hash kptrs;		/* kernel object address -> struct tl_idlist * */
	void **mech_state;		/* per mechanism (mechanisms[]): its timeline state */
	bool failed;			/* out of memory: lookups may miss, the build fails */
	__u32 *pid_slot;		/* pid < PID_SLOTS: 1 + index in tl->procs, 0 none */
	size_t npid_slots;
	struct store objs, procs;	/* where tl->objs and tl->procs live */
};

static void index_free(struct tl_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->kptrs.cap; i++) {
		if (ix->kptrs.slot[i].used) {
			struct tl_idlist *l = (void *)(uintptr_t)ix->kptrs.slot[i].val;

			free(l->id);
			free(l);
		}
	}
	tl_hash_free(&ix->kptrs);
	tl_hash_free(&ix->big_pids);
	free(ix->pid_slot);
	for (size_t m = 0; ix->mech_state && m < n_mechanisms; m++) {
		const struct mech_timeline_ops *ops = mechanisms[m]->timeline;

		if (ix->mech_state[m] && ops && ops->state_free)
			ops->state_free(ix->mech_state[m]);
		free(ix->mech_state[m]);
	}
	free(ix->mech_state);
	free(ix);
}

static struct tl_index *index_new(void)
{
	struct tl_index *ix = calloc(1, sizeof(*ix));

	if (!ix)
		return NULL;
	ix->objs.fd = ix->procs.fd = -1;
	ix->mech_state = calloc(n_mechanisms, sizeof(*ix->mech_state));
	if (!ix->mech_state)
		goto fail;
	for (size_t m = 0; m < n_mechanisms; m++) {
		const struct mech_timeline_ops *ops = mechanisms[m]->timeline;

		if (ops && ops->state_size) {
			ix->mech_state[m] = calloc(1, ops->state_size);
			if (!ix->mech_state[m])
				goto fail;
		}
	}
	return ix;
fail:
	index_free(ix);
	return NULL;
}

/* Object id is no longer at kernel address kptr. */
static void kptr_unindex(struct tl_index *ix, __u64 kptr, int id)
{
	struct tl_idlist *l = tl_hash_ptr(&ix->kptrs, tl_key1(kptr));

	if (!l)
		return;
	tl_idlist_remove(l, id);
	if (!l->n) {
		tl_hash_del(&ix->kptrs, tl_key1(kptr));
		free(l->id);
		free(l);
	}
}

/* Object id is at kernel address kptr now. */
static void kptr_index(struct tl_index *ix, __u64 kptr, int id)
{
	struct tl_idlist *l = tl_hash_ptr(&ix->kptrs, tl_key1(kptr));

	if (!l) {
		l = calloc(1, sizeof(*l));
		if (!l || tl_hash_put(&ix->kptrs, tl_key1(kptr), (uintptr_t)l)) {
			free(l);
			ix->failed = true;
			return;
		}
	}
	if (tl_idlist_insert(l, id))
		ix->failed = true;
}

/* The object's address changed (a FIFO reopened, an address reused): reindex it. */
void tl_obj_set_kptr(struct timeline *tl, int id, __u64 kptr)
{
	struct tl_object *o = &tl->objs[id];

	if (o->kptr == kptr)
		return;
	if (o->kptr)
		kptr_unindex(tl->ix, o->kptr, id);
	o->kptr = kptr;
	if (kptr)
		kptr_index(tl->ix, kptr, id);
}

/* ------------------------------------------------------------------ objects and processes */

/*
 * A long trace can have millions of objects (one per mmap, ~190 bytes each) and, where
 * pid_max is large, millions of processes (~120 bytes), all written in the header at the
 * end.  When streaming, each array is a shared mapping of an unnamed file
 * (tl_stream_objects_in()), and every STORE_TRIM_EVERY elements the pages of all but the
 * newest STORE_KEEP leave memory (MADV_DONTNEED keeps their data in the file): an old one
 * that is still used (a pipe, a long-lived mapping, the traced program's process) faults
 * back in when touched.
 */
#define STORE_TRIM_EVERY 8192
#define STORE_KEEP 1024
#define PROCS_AT (1ULL << 40)	/* the processes' part of the file, after the objects' */

static size_t page_up(size_t bytes)
{
	return (bytes + PAGE_SIZE_ - 1) & ~(PAGE_SIZE_ - 1);
}

/* Elements before `upto` leave memory (their data stays in the file). */
static void store_release(const struct store *st, void *base, size_t upto, size_t size)
{
	size_t bytes = upto * size & ~(PAGE_SIZE_ - 1);

	if (st->fd >= 0 && bytes)
		madvise(base, bytes, MADV_DONTNEED);
}

void tl_objects_release(const struct timeline *tl, size_t upto)
{
	if (tl->ix)
		store_release(&tl->ix->objs, tl->objs, upto, sizeof(*tl->objs));
}

void tl_processes_release(const struct timeline *tl, size_t upto)
{
	if (tl->ix)
		store_release(&tl->ix->procs, tl->procs, upto, sizeof(*tl->procs));
}

/* The file cannot grow (no space): the array moves to memory, as without a file. */
static void *store_to_memory(struct store *st, void *base, size_t n, size_t cap, size_t size)
{
	void *p = malloc(cap * size);

	if (!p)
		return NULL;
	if (n)
		memcpy(p, base, n * size);
	if (base)
		munmap(base, page_up(st->cap * size));
	st->fd = -1;
	return p;
}

/* Room for element n (n are in use); the array may move.  NULL: out of memory. */
static void *store_room(struct store *st, void *base, size_t n, size_t size)
{
	size_t cap, old, bytes;
	void *p;

	if (st->fd < 0)
		return grow(base, n, size);
	if (n > STORE_KEEP && n % STORE_TRIM_EVERY == 0)
		store_release(st, base, n - STORE_KEEP, size);
	if (n < st->cap)
		return base;
	cap = st->cap ? 2 * st->cap : STORE_TRIM_EVERY;	/* a power of two, as grow() */
	old = page_up(st->cap * size);
	bytes = page_up(cap * size);
	/* blocks reserved now: a full disk is an error here, not a SIGBUS on a store later */
	if (fallocate(st->fd, 0, st->off, bytes))
		return store_to_memory(st, base, n, cap, size);
	p = old ? mremap(base, old, bytes, MREMAP_MAYMOVE) :
		  mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, st->fd, st->off);
	if (p == MAP_FAILED)
		return store_to_memory(st, base, n, cap, size);
	st->cap = cap;
	return p;
}

static void store_free(const struct store *st, void *base, size_t size)
{
	if (st->fd < 0)
		free(base);
	else if (base)
		munmap(base, page_up(st->cap * size));
}

static struct tl_object *objs_room(struct timeline *tl)
{
	struct tl_object *o = store_room(&tl->ix->objs, tl->objs, tl->nobjs, sizeof(*o));

	if (o)
		tl->objs = o;
	return o;
}

static struct tl_process *procs_room(struct timeline *tl)
{
	struct tl_process *p = store_room(&tl->ix->procs, tl->procs, tl->nprocs, sizeof(*p));

	if (p)
		tl->procs = p;
	return p;
}

/* ------------------------------------------------------------------ pid lookup */

/* Pids below the kernel's PID_MAX_LIMIT index an array (4 bytes each, flat however many
 * processes come and go); others (only a corrupt record has one) a hash table. */
#define PID_SLOTS (1U << 22)

static const __u32 *pid_lookup(const struct tl_index *ix, __u32 pid)
{
	static __u32 at;
	const __u64 *v;

	if (pid < PID_SLOTS)
		return pid < ix->npid_slots && ix->pid_slot[pid] ? &ix->pid_slot[pid] : NULL;
	v = tl_hash_get(&ix->big_pids, tl_key1(pid));
	if (!v)
		return NULL;
	at = (__u32)(*v + 1);
	return &at;
}

static int pid_store(struct tl_index *ix, __u32 pid, size_t index)
{
	if (pid >= PID_SLOTS)
		return tl_hash_put(&ix->big_pids, tl_key1(pid), index);
	if (pid >= ix->npid_slots) {
		size_t n = ix->npid_slots ? ix->npid_slots : 1024;
		__u32 *slot;

		while (n <= pid)
			n *= 2;
		slot = realloc(ix->pid_slot, n * sizeof(*slot));
		if (!slot)
			return -ENOMEM;
		memset(slot + ix->npid_slots, 0, (n - ix->npid_slots) * sizeof(*slot));
		ix->pid_slot = slot;
		ix->npid_slots = n;
	}
	ix->pid_slot[pid] = (__u32)(index + 1);
	return 0;
}

/* ------------------------------------------------------------------ processes, pipes */

static struct tl_process *proc_get(struct timeline *tl, __u32 pid, __s64 t)
{
	const __u32 *at = pid_lookup(tl->ix, pid);
	struct tl_process *p;

	if (at)
		return &tl->procs[*at - 1];
	p = procs_room(tl);
	if (!p)
		return NULL;
	if (pid_store(tl->ix, pid, tl->nprocs)) {
		tl->ix->failed = true;
		return NULL;
	}
	p = &tl->procs[tl->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->t_start = t;
	p->t_exec = -1;
	return p;
}

struct tl_object *tl_obj_new(struct timeline *tl)
{
	struct tl_object *o = objs_room(tl);

	if (!o) {
		tl->ix->failed = true;
		return NULL;
	}
	o = &tl->objs[tl->nobjs];
	memset(o, 0, sizeof(*o));
	o->id = (int)tl->nobjs++;
	o->fds[0] = o->fds[1] = -1;
	return o;
}

int tl_obj_at(const struct timeline *tl, __u64 kptr)
{
	const struct tl_idlist *l;

	if (!kptr)
		return -1;
	l = tl_hash_ptr(&tl->ix->kptrs, tl_key1(kptr));
	return l && l->n ? l->id[l->n - 1] : -1;
}

void tl_mark_failed(struct timeline *tl)
{
	tl->ix->failed = true;
}

static void note_task(struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_event *e = te->e;
	struct tl_process *p;

	switch (e->type) {
	case EVT_FORK:
		if (e->flags & EVF_THREAD)
			return;
		p = proc_get(tl, e->task.child_pid, te->t);
		if (p) {
			p->ppid = e->pid;
			memcpy(p->comm, e->task.comm, sizeof(p->comm));
		}
		return;
	case EVT_EXEC:
		p = proc_get(tl, e->pid, te->t);
		if (p) {
			if (!p->ppid)
				p->ppid = e->task.ppid;
			memcpy(p->comm, e->task.comm, sizeof(p->comm));
			memcpy(p->exe, e->task.filename, sizeof(p->exe));
			p->t_exec = te->t;
		}
		return;
	case EVT_RENAME:
		p = proc_get(tl, e->pid, te->t);
		if (p && e->pid == e->tid)
			memcpy(p->comm, e->task.comm, sizeof(p->comm));
		return;
	case EVT_EXIT:
		p = proc_get(tl, e->pid, te->t);
		if (p && (e->flags & EVF_GROUP_DEAD || e->pid == e->tid)) {
			p->exited = true;
			p->t_exit = te->t;
			p->exit_status = e->task.exit_code;
			if (!p->comm[0])
				memcpy(p->comm, e->task.comm, sizeof(p->comm));
		}
		return;
	}
}

/* ------------------------------------------------------------------ mechanisms */

static const struct mech_timeline_ops *owner_ops(int m)
{
	return m >= 0 ? mechanisms[m]->timeline : NULL;
}

/* A syscall record goes to the mechanism whose state it carries; the core's records
 * (blocking, processes) stay here. */
static void resolve(struct timeline *tl, struct tl_event *te)
{
	const struct ipclab_event *e = te->e;
	int m = e->type == EVT_SYSCALL ? mech_of_syscall(e->nr, e->flags) : mech_of_record(e->type);
	const struct mech_timeline_ops *ops = owner_ops(m);

	te->obj = te->waker_obj = te->peer = -1;
	te->page = -1;
	te->major = -1;
	te->write = -1;
	if (e->type == EVT_SYSCALL) {
		if (ops && ops->resolve_syscall)
			ops->resolve_syscall(tl, te, tl->ix->mech_state[m]);
	} else if (ops) {
		if (ops->resolve)
			ops->resolve(tl, te, tl->ix->mech_state[m]);
	} else if (e->type == EVT_BLOCK) {
		te->obj = tl_obj_at(tl, e->blk.pipe);
		te->waker_obj = tl_obj_at(tl, e->blk.waker_pipe);
	} else {
		note_task(tl, te);
	}
	proc_get(tl, e->pid, te->t);	/* a fork's parent is a lane as well */
}

/* Let a record that looks ahead (mech_timeline_ops) see the records after it, up to
 * `count`, got by at(ctx, k) for k = 1, 2, ... */
static void look_ahead(const struct timeline *tl, struct tl_event *te, size_t count,
		       const struct tl_event *(*at)(void *ctx, size_t k), void *ctx)
{
	const struct mech_timeline_ops *ops = owner_ops(mech_of_record(te->e->type));

	if (!ops || !ops->looks_ahead || !ops->looks_ahead(tl, te))
		return;
	for (size_t k = 1; k < count; k++)
		if (ops->look_ahead(tl, te, at(ctx, k)) < 0)
			return;
}

/* Is r a record that is not an event of its own?  Then offer it to the events before it,
 * newest first: before(ctx, k) for k = 1 .. count. */
static bool merged(const struct tl_event *r, size_t count,
		   struct tl_event *(*before)(void *ctx, size_t k), void *ctx)
{
	const struct mech_timeline_ops *ops = owner_ops(mech_of_record(r->e->type));

	if (!ops || !ops->merged || !ops->merged(r->e))
		return false;
	for (size_t k = 1; k <= count && !ops->merge(before(ctx, k), r); k++)
		;
	return true;
}

struct build_pass {
	struct timeline *tl;
	size_t i;	/* the record looking ahead */
	size_t out;	/* events kept so far */
};

static const struct tl_event *build_after(void *ctx, size_t k)
{
	const struct build_pass *p = ctx;

	return &p->tl->ev[p->i + k];
}

static struct tl_event *build_before(void *ctx, size_t k)
{
	const struct build_pass *p = ctx;

	return &p->tl->ev[p->out - k];
}

/* Both look at most TL_WINDOW events away, as the streaming path does: a fault its thread
 * never follows up would otherwise scan to the end of the trace (quadratic). */
static void look_ahead_and_merge(struct timeline *tl)
{
	struct build_pass p = { .tl = tl };

	for (p.i = 0; p.i < tl->n; p.i++) {
		struct tl_event *te = &tl->ev[p.i];
		size_t left = tl->n - p.i;

		look_ahead(tl, te, left < TL_WINDOW ? left : TL_WINDOW, build_after, &p);
		if (merged(te, p.out < TL_WINDOW ? p.out : TL_WINDOW, build_before, &p))
			continue;
		tl->ev[p.out++] = *te;
	}
	tl->n = p.out;
}

/* Times and byte counts a trace can hold (docs/trace-format.md): 2^53, about 104 days in ns. */
#define TL_NUM_MAX (1LL << 53)

/* A record the kernel cannot have written: it starts before the trace, ends before it
 * starts, or moves more bytes than exist.  Only a corrupt spool holds one. */
static bool record_possible(const struct ipclab_event *e, __u64 t0)
{
	const struct mech_timeline_ops *ops;

	if (e->ts_start < t0 || e->ts < e->ts_start || e->ts_start - t0 > TL_NUM_MAX ||
	    e->ts - e->ts_start > TL_NUM_MAX)
		return false;
	ops = e->type == EVT_SYSCALL ? NULL : owner_ops(mech_of_record(e->type));
	return !ops || !ops->possible || ops->possible(e);
}

int timeline_build(struct timeline *tl, const struct ipclab_event *raw, size_t n, __u64 t0)
{
	size_t kept = 0;

	memset(tl, 0, sizeof(*tl));
	tl->t0 = t0;
	tl->ev = calloc(n ? n : 1, sizeof(*tl->ev));
	tl->ix = index_new();
	if (!tl->ev || !tl->ix) {
		timeline_free(tl);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct tl_event *te = &tl->ev[kept];

		if (!record_possible(&raw[i], t0)) {
			tl->invalid++;
			continue;
		}
		te->e = &raw[i];
		te->t = (__s64)(raw[i].ts_start - t0);
		te->dur = (__s64)(raw[i].ts - raw[i].ts_start);
		kept++;
	}
	n = tl->n = kept;
	qsort(tl->ev, n, sizeof(*tl->ev), cmp_event);
	for (size_t i = 0; i < n; i++)
		resolve(tl, &tl->ev[i]);
	look_ahead_and_merge(tl);
	if (tl->ix->failed) {
		timeline_free(tl);
		return -ENOMEM;
	}
	return 0;
}

/* ------------------------------------------------------------------ streaming */

int tl_stream_init(struct tl_stream *s, __u64 t0, tl_emit_fn emit, void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->tl.t0 = t0;
	s->emit = emit;
	s->ctx = ctx;
	s->win = calloc(TL_WINDOW, sizeof(*s->win));
	s->rec = calloc(TL_WINDOW, sizeof(*s->rec));
	s->tl.ix = index_new();
	if (!s->win || !s->rec || !s->tl.ix) {
		tl_stream_free(s);
		return -ENOMEM;
	}
	return 0;
}

void tl_stream_objects_in(struct tl_stream *s, int fd, __u64 offset)
{
	struct tl_index *ix = s->tl.ix;

	if (s->tl.nobjs || s->tl.nprocs || offset % PAGE_SIZE_)
		return;
	ix->objs = (struct store){ .fd = fd, .off = offset };
	ix->procs = (struct store){ .fd = fd, .off = offset + PROCS_AT };
}

static struct tl_event *win_at(struct tl_stream *s, size_t k)
{
	return &s->win[(s->head + k) % TL_WINDOW];
}

/* The oldest event leaves the window: judge it by what follows, then emit it. */
static const struct tl_event *stream_after(void *ctx, size_t k)
{
	return win_at(ctx, k);
}

/* The k-th newest event in the window (the record being added is not in it yet). */
static struct tl_event *stream_before(void *ctx, size_t k)
{
	struct tl_stream *s = ctx;

	return win_at(s, s->len - k);
}

static void emit_oldest(struct tl_stream *s)
{
	struct tl_event *te = win_at(s, 0);

	look_ahead(&s->tl, te, s->len, stream_after, s);
	if (!s->err)
		s->err = s->emit(s->ctx, &s->tl, te);
	s->tl.n++;
	s->head = (s->head + 1) % TL_WINDOW;
	s->len--;
}

void tl_stream_add(struct tl_stream *s, const struct ipclab_event *e)
{
	size_t slot;
	struct tl_event *te;

	if (!record_possible(e, s->tl.t0)) {
		s->tl.invalid++;
		return;
	}
	if (s->len == TL_WINDOW)
		emit_oldest(s);
	slot = (s->head + s->len) % TL_WINDOW;
	s->rec[slot] = *e;
	te = &s->win[slot];
	te->e = &s->rec[slot];
	te->t = (__s64)(e->ts_start - s->tl.t0);
	te->dur = (__s64)(e->ts - e->ts_start);
	/* merged into an event still in the window (a fault's verdict), or dropped */
	if (merged(te, s->len, stream_before, s))
		return;
	resolve(&s->tl, te);
	s->len++;
}

int tl_stream_finish(struct tl_stream *s)
{
	while (s->len)
		emit_oldest(s);
	if (!s->err && s->tl.ix->failed)
		s->err = -ENOMEM;	/* an index lost an entry: lookups may have missed */
	return s->err;
}

void tl_stream_free(struct tl_stream *s)
{
	free(s->win);
	free(s->rec);
	s->win = NULL;
	s->rec = NULL;
	timeline_free(&s->tl);
}

void timeline_free(struct timeline *tl)
{
	static const struct store no_store = { .fd = -1 };

	free(tl->ev);
	store_free(tl->ix ? &tl->ix->procs : &no_store, tl->procs, sizeof(*tl->procs));
	store_free(tl->ix ? &tl->ix->objs : &no_store, tl->objs, sizeof(*tl->objs));
	index_free(tl->ix);
	memset(tl, 0, sizeof(*tl));
}

const struct tl_process *tl_proc(const struct timeline *tl, __u32 pid)
{
	const __u32 *at;

	if (tl->ix) {
		at = pid_lookup(tl->ix, pid);
		return at ? &tl->procs[*at - 1] : NULL;
	}
	for (size_t i = 0; i < tl->nprocs; i++)
		if (tl->procs[i].pid == pid)
			return &tl->procs[i];
	return NULL;
}

const struct tl_process *tl_proc_by_comm(const struct timeline *tl, const char *comm)
{
	for (size_t i = 0; i < tl->nprocs; i++)
		if (strncmp(tl->procs[i].comm, comm, IPCLAB_COMM_LEN) == 0)
			return &tl->procs[i];
	return NULL;
}

bool tl_is_ancestor(const struct timeline *tl, __u32 anc, __u32 pid)
{
	for (int depth = 0; pid && depth < 64; depth++) {
		const struct tl_process *p;

		if (pid == anc)
			return true;
		p = tl_proc(tl, pid);
		if (!p)
			return false;
		pid = p->ppid;
	}
	return false;
}

bool tl_match(const struct tl_event *te, const struct tl_filter *f)
{
	if (f->type && te->e->type != f->type)
		return false;
	if (f->write >= 0 && te->write != f->write)
		return false;
	if (f->obj >= 0 && te->obj != f->obj)
		return false;
	if (f->pid && te->e->pid != f->pid)
		return false;
	if (f->nr != -2 && te->e->nr != f->nr)
		return false;
	return true;
}

long tl_next(const struct timeline *tl, long after, const struct tl_filter *f)
{
	for (size_t i = after + 1; i < tl->n; i++)
		if (tl_match(&tl->ev[i], f))
			return (long)i;
	return -1;
}

size_t tl_count(const struct timeline *tl, const struct tl_filter *f)
{
	size_t n = 0;

	for (size_t i = 0; i < tl->n; i++)
		n += tl_match(&tl->ev[i], f);
	return n;
}

long tl_block_in(const struct timeline *tl, long i)
{
	const struct tl_event *span = &tl->ev[i];

	for (size_t j = i + 1; j < tl->n && tl->ev[j].t <= tl_end(span); j++) {
		const struct tl_event *b = &tl->ev[j];

		if (b->e->type == EVT_BLOCK && b->e->tid == span->e->tid && tl_end(b) <= tl_end(span))
			return (long)j;
	}
	return -1;
}
