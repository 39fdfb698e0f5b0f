// SPDX-License-Identifier: GPL-2.0
/*
 * timeline.c - Unix domain sockets in the timeline: one object per socket, known by its
 * struct sock address, which the kernel may reuse once a socket is freed: so the calls that
 * make a socket (socket, socketpair, accept) always start a new object there.
 */
#include <string.h>
#include "mechanism.h"
#include "timeline_mech.h"
#include "unix.h"

static enum obj_kind sock_kind(__u16 type)
{
	return type == 2 ? OBJ_UNIX_DGRAM : type == 5 ? OBJ_UNIX_SEQPACKET : OBJ_UNIX_STREAM;
}

/* A new socket object at address kptr (kind from type: SOCK_*). */
static int sock_new(struct timeline *tl, __u64 kptr, __u16 type, __s64 t)
{
	struct tl_object *o = tl_obj_new(tl);

	if (!o)
		return -1;
	o->kind = sock_kind(type);
	o->t_first = t;
	o->sock.peer = -1;
	tl_obj_set_kptr(tl, o->id, kptr);
	return o->id;
}

/* The socket object at kptr (a new one when fresh); details fill in from the first record
 * that has them. */
static int sock_obj(struct timeline *tl, __u64 kptr, const struct ipclab_sock *s, bool fresh,
		    __s64 t)
{
	int id = fresh ? -1 : tl_obj_at(tl, kptr);
	struct tl_object *o;

	if (!kptr)
		return -1;
	if (id >= 0 && !obj_is_socket(tl->objs[id].kind))
		id = -1;
	if (id < 0)
		id = sock_new(tl, kptr, s ? s->type : 1, t);
	if (id < 0 || !s || s->sock != kptr)
		return id;
	o = &tl->objs[id];
	if (!o->ino && s->ino)
		o->ino = s->ino;
	if (!o->sock.sndbuf) {
		o->kind = sock_kind(s->type);
		o->sock.sndbuf = s->sndbuf;
		o->sock.rcvbuf = s->rcvbuf;
		o->sock.max_qlen = s->max_qlen;
	}
	return id;
}

/* Link two ends, once: the first other end a socket is seen with. */
static void sock_link(struct timeline *tl, int a, int b)
{
	if (a < 0 || b < 0)
		return;
	if (tl->objs[a].sock.peer < 0)
		tl->objs[a].sock.peer = b;
	if (tl->objs[b].sock.peer < 0)
		tl->objs[b].sock.peer = a;
}

static void unix_resolve(struct timeline *tl, struct tl_event *te, void *state)
{
	const struct ipclab_sock_io *io = &te->e->sk;
	/* a send's other end is the receiver it queued into; when no queue was sampled (EPIPE
	 * after the peer went), the end it is connected to */
	__u64 other = io->write && io->queue ? io->queue : io->s.peer;

	(void)state;
	te->write = io->write;
	te->obj = sock_obj(tl, io->s.sock, &io->s, false, te->t);
	te->peer = sock_obj(tl, other, NULL, false, te->t);
	if (io->s.peer)
		sock_link(tl, te->obj, other == io->s.peer ? te->peer :
			  sock_obj(tl, io->s.peer, NULL, false, te->t));
}

/* socketpair()'s second end: an object of its own, linked to the first. */
static void socketpair_second(struct timeline *tl, struct tl_event *te)
{
	const struct ipclab_syscall *sc = &te->e->sc;
	int peer = sock_new(tl, sc->sock.peer, sc->sock.type, te->t);

	if (peer >= 0) {
		struct tl_object *p = &tl->objs[peer];

		p->ino = sc->file_ino;	/* the second end's inode (unix.bpf.h) */
		p->sock.sndbuf = sc->sock.sndbuf;
		p->sock.rcvbuf = sc->sock.rcvbuf;
		p->sock.max_qlen = sc->sock.max_qlen;
		p->sock.socketpair = true;
		p->creator = te->e->pid;
		p->fds[0] = sc->fds[1];
	}
	sock_link(tl, te->obj, peer);
}

/* The calls that make sockets start new objects; the others name the socket they worked on. */
static void unix_resolve_syscall(struct timeline *tl, struct tl_event *te, void *state)
{
	const struct ipclab_syscall *sc = &te->e->sc;
	int nr = te->e->nr;
	bool made = sc->ret >= 0 && (nr == NR_socket || nr == NR_socketpair || nr == NR_accept ||
				     nr == NR_accept4);
	struct tl_object *o;

	(void)state;
	te->obj = sock_obj(tl, sc->sock.sock, &sc->sock, made, te->t);
	if (te->obj < 0)
		return;
	if (nr == NR_socketpair && made)
		socketpair_second(tl, te);
	else if (sc->sock.peer)
		sock_link(tl, te->obj, sock_obj(tl, sc->sock.peer, NULL, false, te->t));
	o = &tl->objs[te->obj];
	if (made) {
		o->creator = te->e->pid;
		o->fds[0] = nr == NR_socketpair ? sc->fds[0] : (int)sc->ret;
		o->sock.socketpair = nr == NR_socketpair;
	}
	if (nr == NR_bind && sc->ret == 0 && !o->path[0]) {
		memcpy(o->path, sc->path, sizeof(o->path));
		o->path[sizeof(o->path) - 1] = 0;
	}
}

/* 2^53: the byte counts a trace can hold (docs/trace-format.md). */
#define IO_MAX (1LL << 53)

static bool unix_possible(const struct ipclab_event *e)
{
	return e->sk.result >= -IO_MAX && e->sk.result <= IO_MAX;
}

static const __u16 unix_timeline_types[] = { EVT_SOCK_IO, 0 };

const struct mech_timeline_ops unix_timeline_ops = {
	.event_types = unix_timeline_types,
	.possible = unix_possible,
	.resolve = unix_resolve,
	.resolve_syscall = unix_resolve_syscall,
};
