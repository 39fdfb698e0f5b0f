// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - POSIX message queues in a trace: queue objects and mq_send/mq_recv events in
 * the JSON trace (docs/trace-format.md, "mqueues" and "mq_send, mq_recv"), the mq_* syscall
 * records' queue, and what the Chrome export draws for them.  The core reaches this through
 * mqueue_trace_ops (mechanism.h).
 */
#include <string.h>
#include "chrome.h"
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
	.chrome_span = mq_chrome_span,
	.chrome_whole_reads = mq_whole_reads,
	.probes_json = mq_probes_json,
};
