// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - Unix domain sockets in a trace: socket objects and sock_send/sock_recv events
 * in the JSON trace (docs/trace-format.md, "sockets" and "sock_send, sock_recv"), and what
 * the Chrome export draws for them.  The core reaches this through unix_trace_ops
 * (mechanism.h).
 */
#include <string.h>
#include "chrome.h"
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
	.chrome_span = sock_chrome_span,
	.chrome_whole_reads = sock_whole_reads,
	.probes_json = sock_probes_json,
};
