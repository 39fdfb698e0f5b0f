// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - Unix domain sockets in a trace: socket objects and sock_send/sock_recv events
 * in the JSON trace (docs/trace-format.md, "sockets" and "sock_send, sock_recv"), and what
 * the Chrome export draws for them.  The core reaches this through unix_trace_ops
 * (mechanism.h).
 */
#include <stdlib.h>
#include <string.h>
#include "chrome.h"
#include "event_parse.h"
#include "event_print.h"
#include "export.h"
#include "mechanism.h"
#include "unix.h"
#include "names.h"

/* ---------------------------------------------------------------- the JSON trace */

static const char *sock_kind_name(enum obj_kind k)
{
	return k == OBJ_UNIX_DGRAM ? "unix_dgram" : k == OBJ_UNIX_SEQPACKET ? "unix_seqpacket" :
	       "unix_stream";
}

static json_object *int_or_null(bool known, long long v)
{
	return known ? json_object_new_int64(v) : NULL;
}

static json_object *sock_object_json(const struct tl_object *ob, long page_size)
{
	json_object *o;

	if (!obj_is_socket(ob->kind))
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(ob->id));
	json_object_object_add(o, "kind", json_object_new_string(sock_kind_name(ob->kind)));
	json_object_object_add(o, "inode", json_object_new_int64((long long)ob->ino));
	/* bound name: a path, or "@" + an abstract name (any bytes: dotted) */
	json_object_object_add(o, "path", ob->path[0] ? trace_text(ob->path, sizeof(ob->path)) :
			       NULL);
	json_object_object_add(o, "socketpair", json_object_new_boolean(ob->sock.socketpair));
	json_object_object_add(o, "peer", int_or_null(ob->sock.peer >= 0, ob->sock.peer));
	json_object_object_add(o, "sndbuf", json_object_new_int64(ob->sock.sndbuf));
	json_object_object_add(o, "rcvbuf", json_object_new_int64(ob->sock.rcvbuf));
	json_object_object_add(o, "queue_max", json_object_new_int64(ob->sock.max_qlen));
	json_object_object_add(o, "created", json_object_new_int64(ob->t_first));
	json_object_object_add(o, "creator", int_or_null(ob->creator, ob->creator));
	json_object_object_add(o, "fd", int_or_null(ob->fds[0] >= 0, ob->fds[0]));
	return o;
}

/* Calls that copy from or into one buffer: the tail sampled is the copy's real end.  The
 * msg and iovec calls sample their first iovec only, as for pipes. */
static bool one_buffer(int nr)
{
	return nr == NR_read || nr == NR_write || nr == NR_sendto || nr == NR_recvfrom;
}

static void sock_io_json(struct jb *b, const struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_sock_io *x = &te->e->sk;
	__u16 flags = te->e->flags;
	/* the queue sampled: a send's is its receiver's (te->peer), a receive's the caller's */
	int queue = !x->queue ? -1 : x->write ? te->peer : te->obj;

	jb_str(b, "type", x->write ? "sock_send" : "sock_recv");
	jb_obj(b, "obj", te->obj);
	jb_obj(b, "peer", te->peer);
	jb_obj(b, "queue", queue);
	jb_num(b, "fd", x->fd);
	jb_num(b, "requested", (long long)x->requested);
	jb_result(b, "bytes", x->result);
	jb_num(b, "occ_before", x->occ_before);
	jb_num(b, "occ_after", x->occ_after);
	jb_num(b, "skbs_before", x->skbs_before);
	jb_num(b, "skbs_after", x->skbs_after);
	jb_num(b, "queue_max", x->queue_max);
	jb_num(b, "wmem_before", x->wmem_before);
	jb_num(b, "wmem_after", x->wmem_after);
	jb_num(b, "wmem_max", x->wmem_max);
	jb_bool(b, "nonblock", flags & EVF_NONBLOCK);
	if (flags & EVF_PEEK)
		jb_bool(b, "peek", true);
	if (flags & EVF_TORN)
		jb_bool(b, "occ_torn", true);
	if (flags & EVF_TRUNC)
		jb_bool(b, "occ_truncated", true);
	if (flags & EVF_BEFORE_REBUILT)
		jb_bool(b, "occ_before_rebuilt", true);
	jb_data(b, x->head, x->tail, x->data_len,
		x->result > IPCLAB_DATA_LEN && one_buffer(te->e->nr));
	jb_syscall(b, "syscall", te->e->nr);
}

/* After "obj" (the socket): socketpair's two fds, as pipe/pipe2's. */
static void sock_syscall_json(struct jb *b, const struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_syscall *sc = &te->e->sc;

	if (te->e->nr == NR_socketpair && sc->ret == 0)
		jb_fds(b, "fds", sc->fds[0], sc->fds[1]);
}

/* ---------------------------------------------------------------- read back (check) */

extern const struct mech_trace_ops unix_trace_ops;

#define SOCK_STREAM_ 1
#define SOCK_DGRAM_ 2
#define SOCK_SEQPACKET_ 5
#define TCP_ESTABLISHED_ 1
#define TCP_CLOSE_ 7
#define SHUTDOWN_MASK_ 3	/* RCV_SHUTDOWN | SEND_SHUTDOWN: what a peer's release sets */

static bool is_sock(const struct timeline *tl, int obj)
{
	return obj >= 0 && (size_t)obj < tl->nobjs && obj_is_socket(tl->objs[obj].kind);
}

/*
 * The address a socket object stands for.  A socket first met as a peer (an accept() that
 * began before the client's socket() call: no inode, no creator) became an object of its
 * own, and the socket() later made another for the same struct sock: that one is the other
 * socket whose peer is the same end.
 */
static __u64 sock_kptr(const struct timeline *tl, int id)
{
	const struct tl_object *ob;

	if (!is_sock(tl, id))
		return obj_kptr(id);
	ob = &tl->objs[id];
	if (ob->ino || ob->creator || ob->sock.peer < 0)
		return ob->kptr;
	for (size_t i = 0; i < tl->nobjs; i++)
		if ((int)i != id && is_sock(tl, (int)i) && tl->objs[i].ino &&
		    tl->objs[i].sock.peer == ob->sock.peer)
			return tl->objs[i].kptr;
	return ob->kptr;
}

/* What the trace keeps of a socket: identity, type and limits from its object; its peer
 * (peer: an object id) as the event or the object names it. */
static void sock_state(const struct timeline *tl, int obj, int peer, struct ipclab_sock *s)
{
	const struct tl_object *ob = &tl->objs[obj];

	s->sock = ob->kptr;
	s->peer = sock_kptr(tl, peer);
	s->ino = ob->ino;
	s->type = ob->kind == OBJ_UNIX_DGRAM ? SOCK_DGRAM_ : ob->kind == OBJ_UNIX_SEQPACKET ?
		  SOCK_SEQPACKET_ : SOCK_STREAM_;
	s->state = peer >= 0 ? TCP_ESTABLISHED_ : TCP_CLOSE_;
	s->sndbuf = ob->sock.sndbuf;
	s->rcvbuf = ob->sock.rcvbuf;
	s->max_qlen = ob->sock.max_qlen;
}

static __u16 sock_io_flags(json_object *ev)
{
	return (jp_bool(ev, "nonblock") ? EVF_NONBLOCK : 0) | (jp_bool(ev, "peek") ? EVF_PEEK : 0) |
	       (jp_bool(ev, "occ_torn") ? EVF_TORN : 0) |
	       (jp_bool(ev, "occ_truncated") ? EVF_TRUNC : 0) |
	       (jp_bool(ev, "occ_before_rebuilt") ? EVF_BEFORE_REBUILT : 0);
}

static bool sock_io_from_json(json_object *ev, const char *type, const struct timeline *tl,
			      struct ipclab_event *e, struct tl_event *te)
{
	struct ipclab_sock_io *x = &e->sk;

	if (strcmp(type, "sock_send") && strcmp(type, "sock_recv"))
		return false;
	e->type = EVT_SOCK_IO;
	x->write = !strcmp(type, "sock_send");
	te->write = (__s8)x->write;
	te->obj = jp_obj(ev, "obj");
	te->peer = jp_obj(ev, "peer");
	/* a receive's peer is its socket's; a send's is its receiver, the same when connected */
	if (is_sock(tl, te->obj))
		sock_state(tl, te->obj, te->peer, &x->s);
	x->queue = obj_kptr(jp_obj(ev, "queue"));
	x->fd = (__s32)jp_num(ev, "fd", -1);
	x->requested = (__u64)jp_num(ev, "requested", 0);
	x->result = jp_num(ev, "bytes", 0);
	x->occ_before = (__u32)jp_num(ev, "occ_before", 0);
	x->occ_after = (__u32)jp_num(ev, "occ_after", 0);
	x->skbs_before = (__u32)jp_num(ev, "skbs_before", 0);
	x->skbs_after = (__u32)jp_num(ev, "skbs_after", 0);
	x->queue_max = (__u32)jp_num(ev, "queue_max", 0);
	x->wmem_before = (__u32)jp_num(ev, "wmem_before", 0);
	x->wmem_after = (__u32)jp_num(ev, "wmem_after", 0);
	x->wmem_max = (__u32)jp_num(ev, "wmem_max", 0);
	e->flags = sock_io_flags(ev);
	x->data_len = jp_data(ev, x->head, x->tail);
	e->nr = jp_syscall(ev, "syscall");
	return true;
}

/* A syscall on a socket object: the kernel resolved it to a Unix socket (EVF_SOCK). */
static void sock_syscall_from_json(json_object *ev, const struct timeline *tl,
				   struct ipclab_event *e, struct tl_event *te)
{
	if (!is_sock(tl, te->obj) || mech_trace_for_syscall(e->nr, e->flags | EVF_SOCK) !=
	    &unix_trace_ops)
		return;
	e->flags |= EVF_SOCK;
	sock_state(tl, te->obj, tl->objs[te->obj].sock.peer, &e->sc.sock);
	if (e->nr == NR_socketpair)
		jp_fds(ev, "fds", e->sc.fds);
}

/*
 * sk_shutdown, which the JSON does not carry: a socket's release shuts its peer down both
 * ways (unix_release_sock()), and a socket is released by the last close of it: an event on
 * a socket at or after the last close of its peer the trace shows sees SHUTDOWN_MASK.  (The
 * last close, not the first: after a fork each side closes the end it does not use.  Not
 * seen: a release by exit without close, shutdown() calls.)
 */
static void sock_events_from_json_done(struct timeline *tl, struct ipclab_event *recs)
{
	__s64 *last_close;

	for (size_t i = 0; i < tl->nobjs; i++)	/* the checkers index objects by peer */
		if (tl->objs[i].sock.peer >= (int)tl->nobjs || tl->objs[i].sock.peer < -1)
			tl->objs[i].sock.peer = -1;
	last_close = malloc((tl->nobjs ? tl->nobjs : 1) * sizeof(*last_close));
	if (!last_close)
		return;
	for (size_t i = 0; i < tl->nobjs; i++)
		last_close[i] = -1;
	for (size_t i = 0; i < tl->n; i++)
		if (tl->ev[i].e->type == EVT_SYSCALL && tl->ev[i].e->nr == NR_close &&
		    is_sock(tl, tl->ev[i].obj))
			last_close[tl->ev[i].obj] = tl_end(&tl->ev[i]);
	for (size_t i = 0; i < tl->n; i++) {
		const struct tl_event *te = &tl->ev[i];
		int peer = is_sock(tl, te->obj) ? tl->objs[te->obj].sock.peer : -1;

		if (te->e->type == EVT_SOCK_IO && peer >= 0 && last_close[peer] >= 0 &&
		    last_close[peer] <= te->t)
			recs[i].sk.s.shutdown = SHUTDOWN_MASK_;
	}
	free(last_close);
}

static enum obj_kind sock_kind_of(const char *kind)
{
	return !strcmp(kind, "unix_dgram") ? OBJ_UNIX_DGRAM : !strcmp(kind, "unix_seqpacket") ?
	       OBJ_UNIX_SEQPACKET : OBJ_UNIX_STREAM;
}

static bool sock_object_from_json(json_object *o, const char *kind, struct tl_object *ob,
				  long page_size)
{
	(void)page_size;
	if (strcmp(kind, "unix_stream") && strcmp(kind, "unix_dgram") &&
	    strcmp(kind, "unix_seqpacket"))
		return false;
	ob->kind = sock_kind_of(kind);
	ob->ino = (__u64)jp_num(o, "inode", 0);
	jp_text(o, "path", ob->path, sizeof(ob->path));
	ob->sock.socketpair = jp_bool(o, "socketpair");
	ob->sock.peer = jp_obj(o, "peer");
	ob->sock.sndbuf = (__u32)jp_num(o, "sndbuf", 0);
	ob->sock.rcvbuf = (__u32)jp_num(o, "rcvbuf", 0);
	ob->sock.max_qlen = (__u32)jp_num(o, "queue_max", 0);
	ob->t_first = jp_num(o, "created", 0);
	ob->creator = (__u32)jp_num(o, "creator", 0);
	ob->fds[0] = (int)jp_num(o, "fd", -1);
	return true;
}

/* ---------------------------------------------------------------- Chrome export */

/* An object id, -1 when null or absent. */
static long long id_of(json_object *o, const char *k)
{
	json_object *v = chrome_get(o, k);

	return json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : -1;
}

/* A send or receive: a slice, the receive queue it sampled (bytes and skbs), and the bytes
 * it moved into or out of that queue (a peek moves none). */
static bool sock_chrome_span(json_object *ev, const char *type, struct chrome_span *s)
{
	bool send = !strcmp(type, "sock_send");
	json_object *err = chrome_get(ev, "error");

	if (!send && strcmp(type, "sock_recv"))
		return false;
	if (err)
		snprintf(s->name, sizeof(s->name), "%s -%s", send ? "send" : "recv",
			 json_object_get_string(err));
	else
		snprintf(s->name, sizeof(s->name), "%s %lld B", send ? "send" : "recv",
			 chrome_num(ev, "bytes"));
	s->cat = "socket";
	s->queue = id_of(ev, "queue");
	s->track = s->queue >= 0 ? "socket" : NULL;
	s->keys[0] = "bytes";
	s->keys[1] = "skbs";
	s->before[0] = chrome_num(ev, "occ_before");
	s->before[1] = chrome_num(ev, "skbs_before");
	s->after[0] = chrome_num(ev, "occ_after");
	s->after[1] = chrome_num(ev, "skbs_after");
	s->bytes = json_object_get_boolean(chrome_get(ev, "peek")) ? 0 : chrome_num(ev, "bytes");
	s->into = send;
	return true;
}

/* A datagram or seqpacket receive takes one message whole (its rest is dropped). */
static bool sock_whole_reads(json_object *obj)
{
	json_object *k = chrome_get(obj, "kind");
	const char *kind = json_object_is_type(k, json_type_string) ? json_object_get_string(k) :
			   "";

	return !strcmp(kind, "unix_dgram") || !strcmp(kind, "unix_seqpacket");
}

static json_object *probe_of(const char *tier, const char *symbol)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "tier", json_object_new_string(tier));
	json_object_object_add(o, "symbol", json_object_new_string(symbol));
	return o;
}

/* meta.probes: where sock_send/sock_recv come from in each tier (mech/unix/unix.bpf.h). */
static void sock_probes_json(json_object *probes, const struct trace_meta *m)
{
	int tier = m->tier;
	static const char *const send[] = {
		[TIER_FENTRY] = "fentry/fexit:unix_stream_sendmsg+unix_dgram_sendmsg+"
				"unix_seqpacket_sendmsg",
		[TIER_KPROBE] = "kprobe/kretprobe:unix_stream_sendmsg+unix_dgram_sendmsg+"
				"unix_seqpacket_sendmsg",
		[TIER_TRACEPOINT] = "tp_btf/sys_enter+sys_exit:write,writev,sendto,sendmsg",
	};
	static const char *const recv[] = {
		[TIER_FENTRY] = "fentry/fexit:unix_stream_recvmsg+unix_dgram_recvmsg+"
				"unix_seqpacket_recvmsg",
		[TIER_KPROBE] = "kprobe/kretprobe:unix_stream_recvmsg+unix_dgram_recvmsg+"
				"unix_seqpacket_recvmsg",
		[TIER_TRACEPOINT] = "tp_btf/sys_enter+sys_exit:read,readv,recvfrom,recvmsg",
	};
	const char *name = tier == TIER_FENTRY ? "fentry" : tier == TIER_KPROBE ? "kprobe" :
			   "tracepoint";

	if (tier < TIER_FENTRY || tier > TIER_TRACEPOINT)
		return;
	json_object_object_add(probes, "sock_send", probe_of(name, send[tier]));
	json_object_object_add(probes, "sock_recv", probe_of(name, recv[tier]));
}

static const __u16 sock_event_types[] = { EVT_SOCK_IO, 0 };

const struct mech_trace_ops unix_trace_ops = {
	.event_types = sock_event_types,
	.syscall_flag = EVF_SOCK,
	.event_json = sock_io_json,
	.syscall_json = sock_syscall_json,
	.object_json = sock_object_json,
	.event_from_json = sock_io_from_json,
	.syscall_from_json = sock_syscall_from_json,
	.object_from_json = sock_object_from_json,
	.events_from_json_done = sock_events_from_json_done,
	.chrome_span = sock_chrome_span,
	.chrome_whole_reads = sock_whole_reads,
	.probes_json = sock_probes_json,
};
