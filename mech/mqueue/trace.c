// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - POSIX message queues in a trace: queue objects and mq_send/mq_recv events in
 * the JSON trace (docs/trace-format.md, "mqueues" and "mq_send, mq_recv"), the mq_* syscall
 * records' queue, and what the Chrome export draws for them.  The core reaches this through
 * mqueue_trace_ops (mechanism.h).
 */
#include <string.h>
#include "chrome.h"
#include "event_parse.h"
#include "event_print.h"
#include "export.h"
#include "mechanism.h"
#include "names.h"

/* ---------------------------------------------------------------- the JSON trace */

static json_object *int_or_null(bool known, long long v)
{
	return known ? json_object_new_int64(v) : NULL;
}

static json_object *mq_object_json(const struct tl_object *ob, long page_size)
{
	json_object *o;

	(void)page_size;
	if (ob->kind != OBJ_MQUEUE)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(ob->id));
	json_object_object_add(o, "kind", json_object_new_string("mqueue"));
	json_object_object_add(o, "inode", json_object_new_int64((long long)ob->ino));
	/* the name mq_open was given (glibc strips the leading '/') */
	json_object_object_add(o, "path", ob->path[0] ? trace_text(ob->path, sizeof(ob->path)) :
			       NULL);
	json_object_object_add(o, "maxmsg", json_object_new_int64(ob->mq.maxmsg));
	json_object_object_add(o, "msgsize", json_object_new_int64(ob->mq.msgsize));
	json_object_object_add(o, "created", json_object_new_int64(ob->t_first));
	json_object_object_add(o, "creator", int_or_null(ob->creator, ob->creator));
	json_object_object_add(o, "fd", int_or_null(ob->fds[0] >= 0, ob->fds[0]));
	return o;
}

static void jb_waiters(struct jb *b, const char *k, __u32 w)
{
	static const char *const names[] = { "sender", "receiver" };
	const char *set[2];
	size_t n = 0;

	if (w & MQW_SENDER)
		set[n++] = names[0];
	if (w & MQW_RECEIVER)
		set[n++] = names[1];
	jb_names(b, k, set, n);
}

static void mq_io_json(struct jb *b, const struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_mq_io *x = &te->e->mq;
	bool ok = x->result >= 0;

	(void)tl;
	jb_str(b, "type", x->write ? "mq_send" : "mq_recv");
	jb_obj(b, "obj", te->obj);
	jb_num(b, "fd", x->fd);
	jb_num(b, "requested", (long long)x->requested);
	jb_result(b, "bytes", x->write && ok ? (__s64)x->requested : x->result);
	if (ok || x->write)
		jb_num(b, "prio", x->prio);
	else
		jb_null(b, "prio");
	jb_num(b, "msgs_before", x->msgs_before);
	jb_num(b, "msgs_after", x->after.msgs);
	jb_num(b, "occ_before", (long long)x->bytes_before);
	jb_num(b, "occ_after", (long long)x->after.bytes);
	jb_num(b, "maxmsg", x->after.maxmsg);
	jb_num(b, "msgsize", x->after.msgsize);
	jb_waiters(b, "waiting_before", x->waiters_before);
	jb_waiters(b, "waiting_after", x->after.waiters);
	jb_num(b, "notify_pid_before", x->notify_pid_before);
	jb_num(b, "notify_pid_after", x->after.notify_pid);
	jb_bool(b, "nonblock", te->e->flags & EVF_NONBLOCK);
	jb_bool(b, "timed", x->timed);
	jb_data(b, x->head, x->tail, x->data_len, x->data_len >= IPCLAB_DATA_LEN &&
		(x->write ? x->requested : (__u64)x->result) > IPCLAB_DATA_LEN);
	jb_syscall(b, "syscall", te->e->nr);
}

/* After "obj" (the queue) in an mq_* syscall event: its state then. */
static void mq_syscall_json(struct jb *b, const struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_mq *q = &te->e->sc.mq;

	(void)tl;
	if (!q->queue)
		return;
	jb_num(b, "msgs", q->msgs);
	jb_num(b, "qsize", (long long)q->bytes);
	jb_num(b, "maxmsg", q->maxmsg);
	jb_num(b, "msgsize", q->msgsize);
	jb_num(b, "notify_pid", q->notify_pid);
}

/* ---------------------------------------------------------------- read back (check) */

extern const struct mech_trace_ops mqueue_trace_ops;

static bool is_queue(const struct timeline *tl, int obj)
{
	return obj >= 0 && (size_t)obj < tl->nobjs && tl->objs[obj].kind == OBJ_MQUEUE;
}

/* ["sender","receiver"] back into MQW_* bits */
static __u32 waiters_of(json_object *ev, const char *k)
{
	__u32 w = 0;

	for (size_t i = 0; i < jp_len(ev, k); i++) {
		const char *n = jp_str_at(ev, k, i);

		w |= !strcmp(n, "sender") ? MQW_SENDER : !strcmp(n, "receiver") ? MQW_RECEIVER : 0;
	}
	return w;
}

static void queue_identity(const struct timeline *tl, int obj, struct ipclab_mq *q)
{
	if (!is_queue(tl, obj))
		return;
	q->queue = tl->objs[obj].kptr;
	q->ino = tl->objs[obj].ino;
	q->dev = tl->objs[obj].dev;
}

static bool mq_io_from_json(json_object *ev, const char *type, const struct timeline *tl,
			    struct ipclab_event *e, struct tl_event *te)
{
	struct ipclab_mq_io *x = &e->mq;

	if (strcmp(type, "mq_send") && strcmp(type, "mq_recv"))
		return false;
	e->type = EVT_MQ_IO;
	x->write = !strcmp(type, "mq_send");
	te->write = (__s8)x->write;
	te->obj = jp_obj(ev, "obj");
	x->fd = (__s32)jp_num(ev, "fd", -1);
	x->requested = (__u64)jp_num(ev, "requested", 0);
	x->result = jp_num(ev, "bytes", 0);
	if (x->write && x->result >= 0)
		x->result = 0;		/* mq_timedsend returns 0; "bytes" showed the message */
	x->prio = (__u32)jp_num(ev, "prio", 0);
	x->msgs_before = (__u32)jp_num(ev, "msgs_before", 0);
	x->after.msgs = (__u32)jp_num(ev, "msgs_after", 0);
	x->bytes_before = (__u64)jp_num(ev, "occ_before", 0);
	x->after.bytes = (__u64)jp_num(ev, "occ_after", 0);
	x->after.maxmsg = (__u32)jp_num(ev, "maxmsg", 0);
	x->after.msgsize = (__u32)jp_num(ev, "msgsize", 0);
	x->waiters_before = waiters_of(ev, "waiting_before");
	x->after.waiters = waiters_of(ev, "waiting_after");
	x->notify_pid_before = (__u32)jp_num(ev, "notify_pid_before", 0);
	x->after.notify_pid = (__u32)jp_num(ev, "notify_pid_after", 0);
	x->timed = jp_bool(ev, "timed");
	e->flags = jp_bool(ev, "nonblock") ? EVF_NONBLOCK : 0;
	queue_identity(tl, te->obj, &x->after);
	x->data_len = jp_data(ev, x->head, x->tail);
	e->nr = jp_syscall(ev, "syscall");
	return true;
}

/* An mq_* syscall's queue: printed ("msgs" ...) only when the record had one. */
static void mq_syscall_from_json(json_object *ev, const struct timeline *tl,
				 struct ipclab_event *e, struct tl_event *te)
{
	struct ipclab_mq *q = &e->sc.mq;

	if (mech_trace_for_syscall(e->nr, e->flags) != &mqueue_trace_ops || !jp_has(ev, "msgs"))
		return;
	q->msgs = (__u32)jp_num(ev, "msgs", 0);
	q->bytes = (__u64)jp_num(ev, "qsize", 0);
	q->maxmsg = (__u32)jp_num(ev, "maxmsg", 0);
	q->msgsize = (__u32)jp_num(ev, "msgsize", 0);
	q->notify_pid = (__u32)jp_num(ev, "notify_pid", 0);
	queue_identity(tl, te->obj, q);
	if (!q->queue)
		q->queue = 1;	/* a queue the trace printed has an address, whatever its object */
}

static bool mq_object_from_json(json_object *o, const char *kind, struct tl_object *ob,
				long page_size)
{
	(void)page_size;
	if (strcmp(kind, "mqueue"))
		return false;
	ob->kind = OBJ_MQUEUE;
	ob->ino = (__u64)jp_num(o, "inode", 0);
	jp_text(o, "path", ob->path, sizeof(ob->path));
	ob->mq.maxmsg = (__u32)jp_num(o, "maxmsg", 0);
	ob->mq.msgsize = (__u32)jp_num(o, "msgsize", 0);
	ob->t_first = jp_num(o, "created", 0);
	ob->creator = (__u32)jp_num(o, "creator", 0);
	ob->fds[0] = (int)jp_num(o, "fd", -1);
	return true;
}

/* ---------------------------------------------------------------- Chrome export */

static long long id_of(json_object *o, const char *k)
{
	json_object *v = chrome_get(o, k);

	return json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : -1;
}

/* A send or receive: a slice, the queue's messages and bytes, and the bytes moved. */
static bool mq_chrome_span(json_object *ev, const char *type, struct chrome_span *s)
{
	bool send = !strcmp(type, "mq_send");
	json_object *err = chrome_get(ev, "error");

	if (!send && strcmp(type, "mq_recv"))
		return false;
	if (err)
		snprintf(s->name, sizeof(s->name), "%s -%s", send ? "mq_send" : "mq_recv",
			 json_object_get_string(err));
	else
		snprintf(s->name, sizeof(s->name), "%s %lld B prio %lld",
			 send ? "mq_send" : "mq_recv", chrome_num(ev, "bytes"),
			 chrome_num(ev, "prio"));
	s->cat = "mqueue";
	s->queue = id_of(ev, "obj");
	s->track = s->queue >= 0 ? "mqueue" : NULL;
	s->keys[0] = "msgs";
	s->keys[1] = "bytes";
	s->before[0] = chrome_num(ev, "msgs_before");
	s->before[1] = chrome_num(ev, "occ_before");
	s->after[0] = chrome_num(ev, "msgs_after");
	s->after[1] = chrome_num(ev, "occ_after");
	s->bytes = err ? 0 : chrome_num(ev, "bytes");
	s->into = send;
	return true;
}

/* A receive takes one whole message. */
static bool mq_whole_reads(json_object *obj)
{
	json_object *k = chrome_get(obj, "kind");

	return json_object_is_type(k, json_type_string) &&
	       !strcmp(json_object_get_string(k), "mqueue");
}

static json_object *probe_of(const char *tier, const char *symbol)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "tier", json_object_new_string(tier));
	json_object_object_add(o, "symbol", json_object_new_string(symbol));
	return o;
}

/* meta.probes: every tier samples at the syscall tracepoints (mech/mqueue/mqueue.bpf.h),
 * so every tier records the same. */
static void mq_probes_json(json_object *probes, const struct trace_meta *m)
{
	(void)m;
	json_object_object_add(probes, "mq_send",
			       probe_of("tracepoint", "tp_btf/sys_enter+sys_exit:mq_timedsend"));
	json_object_object_add(probes, "mq_recv",
			       probe_of("tracepoint", "tp_btf/sys_enter+sys_exit:mq_timedreceive"));
}

static const __u16 mq_event_types[] = { EVT_MQ_IO, 0 };
static const int mq_syscall_nrs[] = {
	NR_mq_open, NR_mq_unlink, NR_mq_timedsend, NR_mq_timedreceive, NR_mq_notify,
	NR_mq_getsetattr, -1
};

const struct mech_trace_ops mqueue_trace_ops = {
	.event_types = mq_event_types,
	.syscall_nrs = mq_syscall_nrs,
	.event_json = mq_io_json,
	.syscall_json = mq_syscall_json,
	.object_json = mq_object_json,
	.event_from_json = mq_io_from_json,
	.syscall_from_json = mq_syscall_from_json,
	.object_from_json = mq_object_from_json,
	.chrome_span = mq_chrome_span,
	.chrome_whole_reads = mq_whole_reads,
	.probes_json = mq_probes_json,
};
