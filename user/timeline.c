// SPDX-License-Identifier: GPL-2.0
/*
 * timeline.c - turn spooled records into the model: events in time order with times
 * relative to the trace start, the process tree, and one object per pipe/FIFO.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "timeline.h"

static int cmp_event(const void *a, const void *b)
{
	const struct tl_event *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->e.ts != y->e.ts)
		return x->e.ts < y->e.ts ? -1 : 1;
	return (int)x->e.tid - (int)y->e.tid;
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

static struct tl_process *proc_get(struct timeline *tl, __u32 pid, __s64 t)
{
	struct tl_process *p;

	for (size_t i = 0; i < tl->nprocs; i++)
		if (tl->procs[i].pid == pid)
			return &tl->procs[i];
	p = grow(tl->procs, tl->nprocs, sizeof(*p));
	if (!p)
		return NULL;
	tl->procs = p;
	p = &tl->procs[tl->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->t_start = t;
	return p;
}

/* Find the object for a sampled pipe; identity is (dev, ino); the address maps blocks. */
static int obj_get(struct timeline *tl, const struct ipclab_pipe *sp, __u16 flags, __s64 t)
{
	struct tl_object *o;

	if (!sp->pipe)
		return -1;
	for (size_t i = tl->nobjs; i-- > 0;)
		if (tl->objs[i].ino == sp->ino && tl->objs[i].dev == sp->dev)
			return (int)i;
	o = grow(tl->objs, tl->nobjs, sizeof(*o));
	if (!o)
		return -1;
	tl->objs = o;
	o = &tl->objs[tl->nobjs];
	memset(o, 0, sizeof(*o));
	o->id = (int)tl->nobjs;
	o->kind = flags & EVF_FIFO ? OBJ_FIFO : OBJ_PIPE;
	o->kptr = sp->pipe;
	o->ino = sp->ino;
	o->dev = sp->dev;
	o->ring_size = sp->ring_size;
	o->max_usage = sp->max_usage;
	o->t_first = t;
	o->fds[0] = o->fds[1] = -1;
	return (int)tl->nobjs++;
}

/* Blocks carry only the pipe address: the newest object at that address. */
static int obj_by_kptr(const struct timeline *tl, __u64 kptr)
{
	if (!kptr)
		return -1;
	for (size_t i = tl->nobjs; i-- > 0;)
		if (tl->objs[i].kptr == kptr)
			return (int)i;
	return -1;
}

static void note_syscall(struct timeline *tl, struct tl_event *te)
{
	const struct ipclab_syscall *sc = &te->e.sc;
	struct tl_object *o;

	te->obj = obj_get(tl, &sc->pipe, te->e.flags, te->t);
	if (te->obj < 0)
		return;
	o = &tl->objs[te->obj];
	o->kptr = sc->pipe.pipe;
	if ((te->e.nr == NR_pipe || te->e.nr == NR_pipe2) && sc->ret == 0) {
		o->creator = te->e.pid;
		o->fds[0] = sc->fds[0];
		o->fds[1] = sc->fds[1];
	}
	if ((te->e.nr == NR_open || te->e.nr == NR_openat) && !o->path[0])
		memcpy(o->path, sc->path, sizeof(o->path));
}

static void note_task(struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_event *e = &te->e;
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

static void resolve(struct timeline *tl, struct tl_event *te)
{
	const struct ipclab_event *e = &te->e;

	te->obj = te->waker_obj = -1;
	switch (e->type) {
	case EVT_PIPE_IO:
		te->obj = obj_get(tl, &e->io.after, e->flags, te->t);
		if (te->obj >= 0)
			tl->objs[te->obj].kptr = e->io.after.pipe;
		break;
	case EVT_SYSCALL:
		note_syscall(tl, te);
		break;
	case EVT_BLOCK:
		te->obj = obj_by_kptr(tl, e->blk.pipe);
		te->waker_obj = obj_by_kptr(tl, e->blk.waker_pipe);
		break;
	default:
		note_task(tl, te);
		break;
	}
	proc_get(tl, e->pid, te->t);	/* a fork's parent is a lane as well */
}

int timeline_build(struct timeline *tl, const struct ipclab_event *raw, size_t n, __u64 t0)
{
	memset(tl, 0, sizeof(*tl));
	tl->t0 = t0;
	tl->ev = calloc(n ? n : 1, sizeof(*tl->ev));
	if (!tl->ev)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct tl_event *te = &tl->ev[i];

		te->e = raw[i];
		te->t = (__s64)(raw[i].ts_start - t0);
		te->dur = (__s64)(raw[i].ts - raw[i].ts_start);
	}
	tl->n = n;
	qsort(tl->ev, n, sizeof(*tl->ev), cmp_event);
	for (size_t i = 0; i < n; i++)
		resolve(tl, &tl->ev[i]);
	return 0;
}

void timeline_free(struct timeline *tl)
{
	free(tl->ev);
	free(tl->procs);
	free(tl->objs);
	memset(tl, 0, sizeof(*tl));
}

const struct tl_process *tl_proc(const struct timeline *tl, __u32 pid)
{
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

bool tl_match(const struct tl_event *te, const struct tl_filter *f)
{
	if (f->type && te->e.type != f->type)
		return false;
	if (f->write >= 0 && (te->e.type != EVT_PIPE_IO || (int)te->e.io.write != f->write))
		return false;
	if (f->obj >= 0 && te->obj != f->obj)
		return false;
	if (f->pid && te->e.pid != f->pid)
		return false;
	if (f->nr != -2 && te->e.nr != f->nr)
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

		if (b->e.type == EVT_BLOCK && b->e.tid == span->e.tid && tl_end(b) <= tl_end(span))
			return (long)j;
	}
	return -1;
}
