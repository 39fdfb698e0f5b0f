// SPDX-License-Identifier: GPL-2.0
/*
 * test_trace.c - POSIX message queues in a trace (mech/mqueue/trace.c): a synthetic trace
 * with an mq_open, sends (one longer than the data sample, one EAGAIN on a full
 * non-blocking queue), a receive that fails (EMSGSIZE) and one that succeeds, a sleep on
 * the queue, mq_notify and mq_unlink; each event as JSON, the whole trace read back,
 * exported to Chrome, and (IPCLAB_MQ_TRACE set) copied for the schema check
 * (schema_mq_trace).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "chrome.h"
#include "export.h"
#include "mechanism.h"
#include "timeline.h"
#include "trace_json.h"
#include "round_trip.h"
#include "trace_read.h"

#define T0 5000000000ULL
#define P 4242		/* the sender */
#define R 4343		/* the receiver */
#define KQ 0xffff888012345000ULL	/* the queue */
#define INO 3091059
#define NREC 24

static struct ipclab_event raw[NREC];
static size_t nraw;
static struct timeline stl;
static char dir[64], path[128];
static char err[512];

static struct ipclab_event *rec(int type, __u32 pid, __u64 t, __u64 dur)
{
	struct ipclab_event *e = &raw[nraw++];

	assert_true(nraw <= NREC);
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->pid = e->tid = pid;
	e->ts_start = T0 + t;
	e->ts = T0 + t + dur;
	e->nr = -1;
	return e;
}

static void queue_state(struct ipclab_mq *q, __u32 msgs, __u64 bytes)
{
	q->queue = KQ;
	q->ino = INO;
	q->dev = 20;
	q->maxmsg = 2;
	q->msgsize = 64;
	q->msgs = msgs;
	q->bytes = bytes;
}

static struct ipclab_event *sc(__u32 pid, __u64 t, int nr, __s64 ret)
{
	struct ipclab_event *e = rec(EVT_SYSCALL, pid, t, 500);

	e->nr = nr;
	e->sc.ret = ret;
	e->sc.fds[0] = e->sc.fds[1] = -1;
	return e;
}

/* a send (write) or receive of msg (NULL: none moved), the queue msgs_before -> after */
static struct ipclab_event *io(__u32 pid, __u64 t, __u64 dur, bool write, const char *msg,
			       __s64 result, __u32 before, __u32 after)
{
	struct ipclab_event *e = rec(EVT_MQ_IO, pid, t, dur);
	size_t len = msg ? strlen(msg) : 0;

	e->nr = write ? NR_mq_timedsend : NR_mq_timedreceive;
	queue_state(&e->mq.after, after, after * 5);
	e->mq.msgs_before = before;
	e->mq.bytes_before = before * 5;
	e->mq.fd = 3;
	e->mq.write = write;
	e->mq.requested = write ? len : 64;
	e->mq.result = result;
	if (msg) {
		e->mq.data_len = len < IPCLAB_DATA_LEN ? len : IPCLAB_DATA_LEN;
		memcpy(e->mq.head, msg, e->mq.data_len);
		memcpy(e->mq.tail, msg + len - e->mq.data_len, e->mq.data_len);
	}
	return e;
}

/* times are distinct: each event is found by its t */
static void make_trace(void)
{
	struct ipclab_event *e;

	nraw = 0;
	e = rec(EVT_RENAME, P, 0, 0);
	strcpy(e->task.comm, "sender");
	e = rec(EVT_RENAME, R, 10, 0);
	strcpy(e->task.comm, "receiver");
	e = sc(P, 1000, NR_mq_open, 3);
	strcpy(e->sc.path, "ipclab-q");
	queue_state(&e->sc.mq, 0, 0);
	e = io(P, 2000, 300, true, "hello", 0, 0, 1);
	e->mq.prio = 5;
	e = io(P, 3000, 300, true, "a message of 20 byte", 0, 1, 2);
	e->mq.prio = 1;
	e->mq.after.bytes = 25;
	e = io(P, 4000, 300, true, NULL, -EAGAIN, 2, 2);	/* full, O_NONBLOCK */
	e->mq.requested = 3;
	e->mq.prio = 9;
	e->flags = EVF_NONBLOCK;
	e = io(R, 5000, 300, false, NULL, -EMSGSIZE, 2, 2);	/* a 32-byte buffer */
	e->mq.requested = 32;
	e = io(R, 6000, 50000, false, "hello", 5, 2, 1);	/* slept, a sender waiting */
	e->mq.prio = 5;
	e->mq.timed = 1;
	e->mq.waiters_before = MQW_SENDER;
	e->mq.notify_pid_before = R;
	e = rec(EVT_BLOCK, R, 6100, 40000);
	e->nr = NR_mq_timedreceive;
	e->blk.pipe = KQ;
	e->blk.waker_pid = e->blk.waker_tid = P;
	e->blk.waker_nr = NR_mq_timedsend;
	e->blk.waker_pipe = KQ;
	e->blk.ts_wake = T0 + 46000;
	strcpy(e->blk.waker_comm, "sender");
	e = sc(R, 60000, NR_mq_notify, 0);
	queue_state(&e->sc.mq, 1, 20);
	e->sc.mq.notify_pid = R;
	sc(P, 61000, NR_mq_unlink, 0);
	strcpy(raw[nraw - 1].sc.path, "ipclab-q");
	sc(P, 62000, NR_mq_timedsend, -EBADF);		/* not a queue: a plain syscall */
}

static json_object *ev_at(__s64 t)
{
	for (size_t i = 0; i < stl.n; i++)
		if (stl.ev[i].t == t) {
			json_object *o = event_to_json(&stl, &stl.ev[i]);

			assert_non_null(o);
			return o;
		}
	fail_msg("no event at %lld", (long long)t);
	return NULL;
}

static void expect_names(json_object *o, const char *k, const char *const *want, size_t n)
{
	json_object *a = field(o, k);

	assert_int_equal(json_object_array_length(a), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(json_object_get_string(json_object_array_get_idx(a, i)), want[i]);
}

static void test_queue_object(void **state)
{
	json_object *o;
	int q = -1;

	(void)state;
	for (size_t i = 0; i < stl.nobjs; i++)
		if (stl.objs[i].kind == OBJ_MQUEUE)
			q = (int)i;
	assert_true(q >= 0);
	o = mech_trace_for_event(EVT_MQ_IO)->object_json(&stl.objs[q], 4096);
	assert_non_null(o);
	expect_str(o, "kind", "mqueue");
	expect_int(o, "inode", INO);
	expect_str(o, "path", "ipclab-q");
	expect_int(o, "maxmsg", 2);
	expect_int(o, "msgsize", 64);
	expect_int(o, "creator", P);
	expect_int(o, "fd", 3);
	json_object_put(o);
}

static void test_send_recv(void **state)
{
	static const char *const sender[] = { "sender" };
	json_object *o;

	(void)state;
	o = ev_at(2000);
	expect_str(o, "type", "mq_send");
	expect_int(o, "bytes", 5);
	expect_int(o, "prio", 5);
	expect_int(o, "msgs_before", 0);
	expect_int(o, "msgs_after", 1);
	expect_int(o, "occ_after", 5);
	expect_int(o, "maxmsg", 2);
	expect_str(o, "data", "hello");
	expect_absent(o, "data_tail");
	expect_str(o, "syscall", "mq_timedsend");
	expect_names(o, "waiting_before", NULL, 0);
	json_object_put(o);

	o = ev_at(3000);
	expect_str(o, "data", "a message of 20 ");
	expect_str(o, "data_tail", "ssage of 20 byte");
	json_object_put(o);

	o = ev_at(4000);
	expect_int(o, "bytes", -EAGAIN);
	expect_str(o, "error", "EAGAIN");
	expect_int(o, "prio", 9);
	expect_bool(o, "nonblock", true);
	expect_absent(o, "data");
	json_object_put(o);

	o = ev_at(5000);
	expect_str(o, "type", "mq_recv");
	expect_str(o, "error", "EMSGSIZE");
	expect_int(o, "requested", 32);
	expect_null(o, "prio");
	json_object_put(o);

	o = ev_at(6000);
	expect_int(o, "bytes", 5);
	expect_int(o, "prio", 5);
	expect_bool(o, "timed", true);
	expect_names(o, "waiting_before", sender, 1);
	expect_names(o, "waiting_after", NULL, 0);
	expect_int(o, "notify_pid_before", R);
	expect_str(o, "data", "hello");
	json_object_put(o);
}

static void test_block_and_syscalls(void **state)
{
	json_object *o, *w;

	(void)state;
	o = ev_at(6100);
	expect_str(o, "type", "block");
	assert_true(json_object_is_type(field(o, "obj"), json_type_int));
	w = field(o, "waker");
	expect_str(w, "syscall", "mq_timedsend");
	assert_int_equal(json_object_get_int64(field(w, "obj")),
			 json_object_get_int64(field(o, "obj")));
	json_object_put(o);

	o = ev_at(1000);
	expect_str(o, "name", "mq_open");
	expect_str(o, "path", "ipclab-q");
	expect_int(o, "msgs", 0);
	expect_int(o, "maxmsg", 2);
	expect_absent(o, "occ");
	json_object_put(o);

	o = ev_at(60000);
	expect_str(o, "name", "mq_notify");
	expect_int(o, "msgs", 1);
	expect_int(o, "qsize", 20);
	expect_int(o, "notify_pid", R);
	json_object_put(o);

	o = ev_at(61000);
	expect_str(o, "name", "mq_unlink");
	expect_str(o, "path", "ipclab-q");
	expect_absent(o, "obj");
	json_object_put(o);

	o = ev_at(62000);
	expect_str(o, "name", "mq_timedsend");
	expect_str(o, "error", "EBADF");
	expect_absent(o, "msgs");
	json_object_put(o);
}

/* written whole, read back equal, exported to Chrome: a slice per send/receive */
static void test_round_trip(void **state)
{
	struct read_back b = { .tl = &stl, .prefix = "mq_" };
	const struct trace_visitor v = { .event = read_back_event, .ctx = &b };
	char *out;

	(void)state;
	snprintf(path, sizeof(path), "%s/mq.json", dir);
	write_test_trace(path, &stl, "mq_trace", "IPCLAB_MQ_TRACE");
	assert_int_equal(trace_read(path, &v, 0, err, sizeof(err)), 0);
	assert_int_equal(b.events, stl.n);
	assert_int_equal(b.matching, 5);	/* 3 sends, 2 receives */

	out = chrome_of(path, "IPCLAB_MQ_TRACE");
	assert_non_null(strstr(out, "\"name\":\"mq_send 5 B prio 5\""));
	assert_non_null(strstr(out, "\"name\":\"mq_recv -EMSGSIZE\""));
	assert_int_equal(count_of(out, "\"name\":\"mq_send ") +
			 count_of(out, "\"name\":\"mq_recv "), 5);	/* the slices */
	free(out);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ipclab-unit-mq.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	make_trace();
	return timeline_build(&stl, raw, nraw, T0);
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	timeline_free(&stl);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_object),
		cmocka_unit_test(test_send_recv),
		cmocka_unit_test(test_block_and_syscalls),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
