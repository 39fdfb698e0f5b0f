// SPDX-License-Identifier: GPL-2.0
/*
 * timeline.c - pipes and FIFOs in the timeline: one object per pipe, known by its inode
 * (dev, ino); the pipe_inode_info address (what a block names) may be reused after a pipe
 * is freed and changes when a FIFO is reopened.
 */
#include <string.h>
#include "mechanism.h"
#include "timeline_mech.h"

struct pipe_state {
	struct tl_hash by_inode;	/* (ino, dev) -> the pipe or FIFO object */
};

/* The object of a sampled pipe, made at its first sight; -1 when the record has none. */
static int pipe_obj(struct timeline *tl, struct pipe_state *st, const struct ipclab_pipe *sp,
		    __u16 flags, __s64 t)
{
	struct tl_key k = tl_key3(sp->ino, sp->dev, 0);
	__u64 *at;
	struct tl_object *o;

	if (!sp->pipe)
		return -1;
	at = tl_hash_get(&st->by_inode, k);
	if (at)
		return (int)*at;
	o = tl_obj_new(tl);
	if (!o)
		return -1;
	if (tl_hash_put(&st->by_inode, k, (__u64)o->id))
		tl_mark_failed(tl);
	o->kind = flags & EVF_FIFO ? OBJ_FIFO : OBJ_PIPE;
	o->ino = sp->ino;
	o->dev = sp->dev;
	o->pipe.ring_size = sp->ring_size;
	o->pipe.max_usage = sp->max_usage;
	o->t_first = t;
	return o->id;
}

/* The object, at the address the record saw it at. */
static int pipe_seen(struct timeline *tl, struct pipe_state *st, const struct ipclab_pipe *sp,
		     __u16 flags, __s64 t)
{
	int id = pipe_obj(tl, st, sp, flags, t);

	if (id >= 0)
		tl_obj_set_kptr(tl, id, sp->pipe);
	return id;
}

static void pipe_resolve(struct timeline *tl, struct tl_event *te, void *state)
{
	te->obj = pipe_seen(tl, state, &te->e->io.after, te->e->flags, te->t);
	te->write = te->e->io.write;
}

/* Any syscall on a pipe fd (the core's sys_enter/sys_exit sample it into sc.pipe). */
static void pipe_resolve_syscall(struct timeline *tl, struct tl_event *te, void *state)
{
	const struct ipclab_syscall *sc = &te->e->sc;
	struct tl_object *o;

	te->obj = pipe_seen(tl, state, &sc->pipe, te->e->flags, te->t);
	if (te->obj < 0)
		return;
	o = &tl->objs[te->obj];
	if ((te->e->nr == NR_pipe || te->e->nr == NR_pipe2) && sc->ret == 0) {
		o->creator = te->e->pid;
		o->fds[0] = sc->fds[0];
		o->fds[1] = sc->fds[1];
	}
	if ((te->e->nr == NR_open || te->e->nr == NR_openat) && !o->path[0]) {
		memcpy(o->path, sc->path, sizeof(o->path));
		o->path[sizeof(o->path) - 1] = 0;	/* records are not trusted to be terminated */
	}
}

/* 2^53: the byte counts a trace can hold (docs/trace-format.md). */
#define IO_MAX (1LL << 53)

static bool pipe_possible(const struct ipclab_event *e)
{
	return e->io.result >= -IO_MAX && e->io.result <= IO_MAX;
}

static void pipe_state_free(void *state)
{
	struct pipe_state *st = state;

	tl_hash_free(&st->by_inode);
}

static const __u16 pipe_timeline_types[] = { EVT_PIPE_IO, 0 };

const struct mech_timeline_ops pipe_timeline_ops = {
	.event_types = pipe_timeline_types,
	.state_size = sizeof(struct pipe_state),
	.state_free = pipe_state_free,
	.possible = pipe_possible,
	.resolve = pipe_resolve,
	.resolve_syscall = pipe_resolve_syscall,
};
