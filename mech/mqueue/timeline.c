// SPDX-License-Identifier: GPL-2.0
/*
 * timeline.c - POSIX message queues in the timeline: one object per queue, known by its
 * struct mqueue_inode_info address and inode number.  A queue lives while it has a name or
 * an open descriptor; an address seen again with another inode is a new queue.
 */
#include <string.h>
#include "mechanism.h"
#include "timeline_mech.h"

/* The queue object for a sample (a new one at a fresh address or inode), or -1. */
static int mq_obj(struct timeline *tl, const struct ipclab_mq *q, __s64 t)
{
	int id = q->queue ? tl_obj_at(tl, q->queue) : -1;
	struct tl_object *o;

	if (!q->queue)
		return -1;
	if (id >= 0 && (tl->objs[id].kind != OBJ_MQUEUE || tl->objs[id].ino != q->ino))
		id = -1;
	if (id < 0) {
		o = tl_obj_new(tl);
		if (!o)
			return -1;
		o->kind = OBJ_MQUEUE;
		o->t_first = t;
		o->ino = q->ino;
		o->dev = q->dev;
		o->mq.maxmsg = q->maxmsg;
		o->mq.msgsize = q->msgsize;
		tl_obj_set_kptr(tl, o->id, q->queue);
		id = o->id;
	}
	return id;
}

static void mq_resolve(struct timeline *tl, struct tl_event *te, void *state)
{
	(void)state;
	te->write = te->e->mq.write;
	te->obj = mq_obj(tl, &te->e->mq.after, te->t);
}

/* mq_open names the queue (the name given, without glibc's leading '/') and, when it made
 * it, its creator; the other mq_* calls name the queue they worked on. */
static void mq_resolve_syscall(struct timeline *tl, struct tl_event *te, void *state)
{
	const struct ipclab_syscall *sc = &te->e->sc;
	struct tl_object *o;
	bool fresh;

	(void)state;
	if (te->e->nr == NR_mq_unlink)
		return;
	fresh = sc->mq.queue && tl_obj_at(tl, sc->mq.queue) < 0;
	te->obj = mq_obj(tl, &sc->mq, te->t);
	if (te->obj < 0 || te->e->nr != NR_mq_open || sc->ret < 0)
		return;
	o = &tl->objs[te->obj];
	if (!o->path[0]) {
		memcpy(o->path, sc->path, sizeof(o->path));
		o->path[sizeof(o->path) - 1] = 0;
	}
	if (fresh) {
		o->creator = te->e->pid;
		o->fds[0] = (int)sc->ret;
	}
}

/* 2^53: the sizes a trace can hold (docs/trace-format.md). */
#define IO_MAX (1LL << 53)

static bool mq_possible(const struct ipclab_event *e)
{
	return e->mq.result >= -IO_MAX && e->mq.result <= IO_MAX &&
	       e->mq.requested <= (__u64)IO_MAX && e->mq.after.bytes <= (__u64)IO_MAX &&
	       e->mq.bytes_before <= (__u64)IO_MAX;
}

static const __u16 mq_timeline_types[] = { EVT_MQ_IO, 0 };

const struct mech_timeline_ops mqueue_timeline_ops = {
	.event_types = mq_timeline_types,
	.possible = mq_possible,
	.resolve = mq_resolve,
	.resolve_syscall = mq_resolve_syscall,
};
