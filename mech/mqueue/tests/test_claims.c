// SPDX-License-Identifier: GPL-2.0
/*
 * mech/mqueue/tests/test_claims.c - the message queue scenarios' claims
 * (mech/mqueue/claims.c) on synthetic timelines.  For each scenario an event list shaped like
 * the lab program's trace (the sequences of mech/mqueue/NOTES.md, measured on 6.18 x86_64),
 * on which every claim passes; then one fact changed per case, and the claim that rests on it
 * must fail.  An empty trace fails every claim.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../../tests/unit/claims_check.h"
#include "claims.h"
#include "names.h"
#include "scenarios.h"
#include "timeline.h"

#define T0 7000000000ULL
#define US 1000ULL
#define MSEC 1000000ULL
#define KQ 0xffff888000007000ULL	/* the queue */
#define KP 0xffff888000009000ULL	/* something else */
#define SND 100
#define RCV 101

struct evl {
	struct ipclab_event e[64];
	size_t n;
};

static struct evl L;

static struct ipclab_event *add(int type, __u32 pid, __u64 start, __u64 dur)
{
	struct ipclab_event *e;

	assert_true(L.n < sizeof(L.e) / sizeof(L.e[0]));
	e = &L.e[L.n++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->pid = e->tid = pid;
	e->ts_start = T0 + start;
	e->ts = T0 + start + dur;
	e->nr = -1;
	return e;
}

static void role(__u32 pid, __u64 t, const char *name)
{
	struct ipclab_event *e = add(EVT_RENAME, pid, t, 0);

	snprintf(e->task.comm, sizeof(e->task.comm), "%s", name);
}

static void queue(struct ipclab_mq *q, __u32 msgs, __u64 bytes, __u32 waiters)
{
	q->queue = KQ;
	q->ino = 3091059;
	q->dev = 20;
	q->maxmsg = 4;
	q->msgsize = 64;
	q->msgs = msgs;
	q->bytes = bytes;
	q->waiters = waiters;
}

static void mq_open_ev(__u32 pid, __u64 t)
{
	struct ipclab_event *e = add(EVT_SYSCALL, pid, t, 10 * US);

	e->nr = NR_mq_open;
	e->sc.ret = 3;
	e->sc.fds[0] = e->sc.fds[1] = -1;
	strcpy(e->sc.path, "ipclab-q");
	queue(&e->sc.mq, 0, 0, 0);
}

/* a successful send or receive of msg with prio; the queue before -> after */
static struct ipclab_event *io(__u32 pid, __u64 t, __u64 dur, bool send, const char *msg,
			       __u32 prio, __u32 before, __u32 after)
{
	struct ipclab_event *e = add(EVT_MQ_IO, pid, t, dur);
	size_t len = strlen(msg);

	e->nr = send ? NR_mq_timedsend : NR_mq_timedreceive;
	queue(&e->mq.after, after, after * 2, 0);
	e->mq.msgs_before = before;
	e->mq.bytes_before = before * 2;
	e->mq.fd = 3;
	e->mq.write = send;
	e->mq.prio = prio;
	e->mq.requested = send ? len : 64;
	e->mq.result = send ? 0 : (__s64)len;
	e->mq.data_len = len;
	memcpy(e->mq.head, msg, len);
	memcpy(e->mq.tail, msg, len);
	return e;
}

/* pid sleeps in syscall nr on obj from start for dur, woken by waker in waker_nr */
static struct ipclab_event *blk(__u32 pid, __u64 start, __u64 dur, int nr, __u64 obj,
				__u32 waker, int waker_nr)
{
	struct ipclab_event *e = add(EVT_BLOCK, pid, start, dur);

	e->nr = nr;
	e->blk.pipe = obj;
	e->blk.waker_pid = e->blk.waker_tid = waker;
	e->blk.waker_nr = waker_nr;
	e->blk.waker_pipe = waker ? obj : 0;
	e->blk.ts_wake = e->ts - 10 * US;
	return e;
}

/* Every claim on the list, passed or failed, has its detail in Chinese too. */
static void assert_all_zh(const char *scenario)
{
	struct claim_set cs;

	claims_evaluate(scenario, L.e, L.n, T0, &cs);
	claims_assert_all_zh(&cs);
}

static void assert_all_pass(const char *scenario, int nclaims)
{
	claims_assert_all_pass(scenario, L.e, L.n, T0, nclaims);
	assert_all_zh(scenario);
}

static void assert_fails(const char *scenario, const char *id)
{
	claims_assert_fails(scenario, L.e, L.n, T0, id);
	assert_all_zh(scenario);
}

/* ---------------------------------------------------------------- mq_priority */

/* sends i = 0..3, receives 4..7 (L.e indices: 3 + i) */
static void priority_trace(void)
{
	L.n = 0;
	role(SND, 0, "sender");
	mq_open_ev(SND, 1 * MSEC);
	role(RCV, 1 * MSEC + 500, "receiver");	/* 3 events before the sends */
	io(SND, 2 * MSEC, 5 * US, true, "low", 1, 0, 1);
	io(SND, 3 * MSEC, 5 * US, true, "high", 5, 1, 2);
	io(SND, 4 * MSEC, 5 * US, true, "mid-a", 3, 2, 3);
	io(SND, 5 * MSEC, 5 * US, true, "mid-b", 3, 3, 4);
	io(RCV, 6 * MSEC, 5 * US, false, "high", 5, 4, 3);
	io(RCV, 7 * MSEC, 5 * US, false, "mid-a", 3, 3, 2);
	io(RCV, 8 * MSEC, 5 * US, false, "mid-b", 3, 2, 1);
	io(RCV, 9 * MSEC, 5 * US, false, "low", 1, 1, 0);
}

static void test_priority_passes(void **state)
{
	(void)state;
	priority_trace();
	assert_all_pass("mq_priority", 4);
	claims_assert_cites("mq_priority", L.e, L.n, T0, "receives-drain", 4, EVT_MQ_IO, NULL);
}

static void test_priority_fails(void **state)
{
	(void)state;
	priority_trace();
	L.e[5].mq.after.msgs = 2;		/* the 2nd message did not stay */
	assert_fails("mq_priority", "sends-queue");
	priority_trace();
	L.e[3].mq.result = -EAGAIN;		/* a send failed */
	assert_fails("mq_priority", "sends-queue");
	priority_trace();
	L.e[7].mq.prio = 3;			/* a 3 came out before the 5 */
	assert_fails("mq_priority", "highest-first");
	priority_trace();
	memcpy(L.e[8].mq.head, "mid-b", 5);	/* mid-b before mid-a */
	memcpy(L.e[9].mq.head, "mid-a", 5);
	assert_fails("mq_priority", "fifo-within-priority");
	priority_trace();
	L.e[10].mq.after.msgs = 1;		/* the last receive left a message */
	assert_fails("mq_priority", "receives-drain");
	priority_trace();
	L.n = 7;				/* no receives */
	assert_fails("mq_priority", "highest-first");
	L.n = 0;
	assert_fails("mq_priority", "sends-queue");
}

/* ---------------------------------------------------------------- mq_full_blocks */

/* L.e: 0 sender, 1 mq_open, 2 receiver, 3..7 sends, 8 the 5th send's sleep, 9..13 receives */
static void full_trace(void)
{
	struct ipclab_event *e;

	L.n = 0;
	role(SND, 0, "sender");
	mq_open_ev(SND, 1 * MSEC);
	role(RCV, 1 * MSEC + 500, "receiver");
	for (int k = 0; k < 4; k++) {
		char m[4];

		snprintf(m, sizeof(m), "m%d", k + 1);
		io(SND, 2 * MSEC + k * 10 * US, 5 * US, true, m, 0, k, k + 1);
	}
	io(SND, 3 * MSEC, 100 * MSEC, true, "m5", 0, 4, 0);	/* after: a race */
	blk(SND, 3 * MSEC + 5 * US, 99 * MSEC, NR_mq_timedsend, KQ, RCV, NR_mq_timedreceive);
	e = io(RCV, 102 * MSEC, 20 * US, false, "m1", 0, 4, 4);
	e->mq.waiters_before = MQW_SENDER;
	for (int k = 1; k < 5; k++) {
		char m[4];

		snprintf(m, sizeof(m), "m%d", k + 1);
		io(RCV, 103 * MSEC + k * 10 * US, 5 * US, false, m, 0, 5 - k, 4 - k);
	}
}

static void test_full_passes(void **state)
{
	(void)state;
	full_trace();
	assert_all_pass("mq_full_blocks", 4);
}

/* Preempted after queueing itself, before schedule(): no sleep recorded, but the receive
 * found it waiting (measured once on a loaded machine, for the receiver of mq_empty_blocks). */
static void test_full_not_switched_out(void **state)
{
	(void)state;
	full_trace();
	L.e[8].type = EVT_RENAME;
	strcpy(L.e[8].task.comm, "sender");
	assert_all_pass("mq_full_blocks", 4);
}

static void test_full_fails(void **state)
{
	(void)state;
	full_trace();
	L.e[6].mq.after.maxmsg = 10;		/* not full at 4 */
	assert_fails("mq_full_blocks", "fills-to-maxmsg");
	full_trace();
	L.e[7].mq.msgs_before = 3;		/* the 5th send did not find it full */
	assert_fails("mq_full_blocks", "full-send-blocks");
	full_trace();
	L.e[8].type = EVT_RENAME;		/* it did not sleep ... */
	strcpy(L.e[8].task.comm, "sender");
	L.e[9].mq.waiters_before = 0;		/* ... nor wait on the queue */
	assert_fails("mq_full_blocks", "full-send-blocks");
	full_trace();
	L.e[8].blk.waker_nr = NR_mq_timedsend;	/* woken from another call */
	assert_fails("mq_full_blocks", "full-send-blocks");
	full_trace();
	L.e[8].blk.pipe = KP;			/* slept on something else */
	assert_fails("mq_full_blocks", "full-send-blocks");
	full_trace();
	L.e[9].mq.after.msgs = 3;		/* the receive did not insert m5 */
	assert_fails("mq_full_blocks", "receiver-inserts");
	full_trace();
	L.e[9].mq.waiters_before = 0;		/* no sender was waiting */
	assert_fails("mq_full_blocks", "receiver-inserts");
	full_trace();
	memcpy(L.e[13].mq.head, "m4", 2);	/* out of order */
	assert_fails("mq_full_blocks", "all-in-order");
	L.n = 0;
	assert_fails("mq_full_blocks", "full-send-blocks");
}

/* ---------------------------------------------------------------- mq_empty_blocks */

/* L.e: 0 receiver, 1 mq_open, 2 sender, 3 the receive, 4 its sleep, 5 the send */
static void empty_trace(void)
{
	struct ipclab_event *e;

	L.n = 0;
	role(RCV, 0, "receiver");
	mq_open_ev(RCV, 1 * MSEC);
	role(SND, 1 * MSEC + 500, "sender");
	io(RCV, 2 * MSEC, 100 * MSEC, false, "hello", 2, 0, 0);
	blk(RCV, 2 * MSEC + 5 * US, 99 * MSEC, NR_mq_timedreceive, KQ, SND, NR_mq_timedsend);
	e = io(SND, 101 * MSEC, 20 * US, true, "hello", 2, 0, 0);
	e->mq.waiters_before = MQW_RECEIVER;
}

static void test_empty_passes(void **state)
{
	(void)state;
	empty_trace();
	assert_all_pass("mq_empty_blocks", 3);
}

/* preempted before it slept: the send found it waiting (the trace measured once) */
static void test_empty_not_switched_out(void **state)
{
	(void)state;
	empty_trace();
	L.e[4].type = EVT_RENAME;
	strcpy(L.e[4].task.comm, "receiver");
	assert_all_pass("mq_empty_blocks", 3);
}

static void test_empty_fails(void **state)
{
	(void)state;
	empty_trace();
	L.e[3].mq.msgs_before = 1;		/* not empty */
	assert_fails("mq_empty_blocks", "empty-receive-blocks");
	empty_trace();
	L.e[4].type = EVT_RENAME;		/* no sleep, and the send found nobody waiting */
	strcpy(L.e[4].task.comm, "receiver");
	L.e[5].mq.waiters_before = 0;
	assert_fails("mq_empty_blocks", "empty-receive-blocks");
	empty_trace();
	L.e[4].type = EVT_RENAME;		/* no sleep, the send outside the receive */
	strcpy(L.e[4].task.comm, "receiver");
	L.e[5].ts_start = T0 + 200 * MSEC;
	L.e[5].ts = L.e[5].ts_start + 20 * US;
	assert_fails("mq_empty_blocks", "empty-receive-blocks");
	empty_trace();
	L.e[4].blk.waker_pid = L.e[4].blk.waker_tid = 0;	/* a timer woke it */
	assert_fails("mq_empty_blocks", "empty-receive-blocks");
	empty_trace();
	L.e[4].blk.waker_pipe = KP;		/* the waker worked on something else */
	assert_fails("mq_empty_blocks", "empty-receive-blocks");
	empty_trace();
	L.e[5].mq.after.msgs = 1;		/* queued, not handed over */
	L.e[5].mq.after.bytes = 5;
	assert_fails("mq_empty_blocks", "handed-over");
	empty_trace();
	L.e[5].mq.waiters_before = 0;		/* nobody was waiting */
	assert_fails("mq_empty_blocks", "handed-over");
	empty_trace();
	L.e[3].mq.prio = 0;			/* the priority was lost */
	assert_fails("mq_empty_blocks", "message-intact");
	empty_trace();
	memcpy(L.e[3].mq.head, "HELLO", 5);	/* other bytes */
	assert_fails("mq_empty_blocks", "message-intact");
	L.n = 0;
	assert_fails("mq_empty_blocks", "handed-over");
}

/* ---------------------------------------------------------------- mq_errors */

/* a failed call of the user on the queue (2 of 2 or 0), nonblocking */
static struct ipclab_event *failed(__u64 t, bool send, __u64 requested, int err, __u32 msgs)
{
	struct ipclab_event *e = io(SND, t, 2 * US, send, "", 0, msgs, msgs);

	queue(&e->mq.after, msgs, msgs, 0);
	e->mq.after.maxmsg = 2;
	e->mq.bytes_before = msgs;
	e->mq.requested = requested;
	e->mq.result = -err;
	e->mq.data_len = 0;
	e->flags = EVF_NONBLOCK;
	return e;
}

/* L.e: 0 user, 1 mq_open, 2 send EAGAIN, 3 send EMSGSIZE, 4 recv EMSGSIZE, 5 recv EAGAIN */
static void errors_trace(void)
{
	L.n = 0;
	role(SND, 0, "user");
	mq_open_ev(SND, 1 * MSEC);
	failed(2 * MSEC, true, 1, EAGAIN, 2);
	failed(3 * MSEC, true, 65, EMSGSIZE, 2);
	failed(4 * MSEC, false, 32, EMSGSIZE, 2);
	failed(5 * MSEC, false, 64, EAGAIN, 0);
}

static void test_errors_passes(void **state)
{
	(void)state;
	errors_trace();
	assert_all_pass("mq_errors", 4);
}

static void test_errors_fails(void **state)
{
	(void)state;
	errors_trace();
	L.e[3].mq.requested = 64;		/* it fitted: refused for another reason */
	assert_fails("mq_errors", "send-too-big");
	errors_trace();
	L.e[3].mq.after.msgs = 1;		/* the queue changed */
	assert_fails("mq_errors", "send-too-big");
	errors_trace();
	L.e[4].mq.msgs_before = L.e[4].mq.after.msgs = 0;	/* nothing was queued */
	assert_fails("mq_errors", "buffer-too-small");
	errors_trace();
	L.e[4].mq.bytes_before = L.e[4].mq.after.bytes = 100;	/* they would not have fitted */
	assert_fails("mq_errors", "buffer-too-small");
	errors_trace();
	L.e[2].flags = 0;			/* not O_NONBLOCK */
	assert_fails("mq_errors", "full-eagain");
	errors_trace();
	L.e[2].mq.msgs_before = L.e[2].mq.after.msgs = 1;	/* not full */
	assert_fails("mq_errors", "full-eagain");
	errors_trace();
	L.e[5].mq.msgs_before = L.e[5].mq.after.msgs = 1;	/* not empty */
	assert_fails("mq_errors", "empty-eagain");
	errors_trace();
	blk(SND, 5 * MSEC + 100, 1 * US, NR_mq_timedreceive, KQ, 0, -1);	/* it slept */
	assert_fails("mq_errors", "empty-eagain");
	L.n = 0;
	assert_fails("mq_errors", "send-too-big");
}

/* ---------------------------------------------------------------- mq_unrelated */

#define ROOT 99

static void fork_ev(__u32 parent, __u32 child, __u64 t)
{
	struct ipclab_event *e = add(EVT_FORK, parent, t, 0);

	e->task.ppid = parent;
	e->task.child_pid = e->task.child_tid = child;
}

static struct ipclab_event *open_ev(__u32 pid, __u64 t, __u64 oflag, __s64 ret, __u32 msgs)
{
	struct ipclab_event *e = add(EVT_SYSCALL, pid, t, 10 * US);

	e->nr = NR_mq_open;
	e->sc.ret = ret;
	e->sc.args[1] = oflag;
	e->sc.fds[0] = e->sc.fds[1] = -1;
	strcpy(e->sc.path, "ipclab-q");
	if (ret >= 0)
		queue(&e->sc.mq, msgs, msgs * 3, 0);
	return e;
}

/* L.e: 0-1 forks, 2 writer, 3 reader, 4 writer's open, 5-7 sends, 8 exit, 9 reader's open,
 * 10-12 receives, 13 unlink, 14 the second open */
static void unrelated_trace(void)
{
	static const char *const m[] = { "one", "two", "six" };
	struct ipclab_event *e;

	L.n = 0;
	fork_ev(ROOT, SND, 0);
	fork_ev(ROOT, RCV, 10);
	role(SND, 20, "writer");
	role(RCV, 30, "reader");
	open_ev(SND, 1 * MSEC, 0301, 3, 0);		/* O_WRONLY|O_CREAT|O_EXCL */
	for (int k = 0; k < 3; k++)
		io(SND, 2 * MSEC + k * 10 * US, 5 * US, true, m[k], 0, k, k + 1);
	e = add(EVT_EXIT, SND, 3 * MSEC, 0);
	e->flags = EVF_GROUP_DEAD;
	open_ev(RCV, 100 * MSEC, 0, 3, 3);
	for (int k = 0; k < 3; k++)
		io(RCV, 101 * MSEC + k * 10 * US, 5 * US, false, m[k], 0, 3 - k, 2 - k);
	e = add(EVT_SYSCALL, RCV, 102 * MSEC, 5 * US);
	e->nr = NR_mq_unlink;
	e->sc.fds[0] = e->sc.fds[1] = -1;
	open_ev(RCV, 103 * MSEC, 0, -ENOENT, 0);
}

static void test_unrelated_passes(void **state)
{
	(void)state;
	unrelated_trace();
	assert_all_pass("mq_unrelated", 4);
}

static void test_unrelated_fails(void **state)
{
	(void)state;
	unrelated_trace();
	L.e[1].pid = L.e[1].tid = L.e[1].task.ppid = SND;	/* the reader is the writer's child */
	assert_fails("mq_unrelated", "unrelated-by-name");
	unrelated_trace();
	L.e[9].sc.args[1] = 0100;		/* the reader created it too */
	assert_fails("mq_unrelated", "unrelated-by-name");
	unrelated_trace();
	L.e[9].sc.mq.queue = KP;		/* another queue */
	L.e[9].sc.mq.ino = 1;
	assert_fails("mq_unrelated", "unrelated-by-name");
	unrelated_trace();
	L.e[8].ts = L.e[8].ts_start = T0 + 200 * MSEC;	/* the writer was still there */
	assert_fails("mq_unrelated", "outlives-writer");
	unrelated_trace();
	L.e[10].mq.msgs_before = 2;		/* a message was lost */
	assert_fails("mq_unrelated", "outlives-writer");
	unrelated_trace();
	memcpy(L.e[11].mq.head, "six", 3);	/* out of order */
	assert_fails("mq_unrelated", "messages-kept");
	unrelated_trace();
	L.e[14].sc.ret = 3;			/* the name was still there */
	assert_fails("mq_unrelated", "unlink-removes-name");
	unrelated_trace();
	L.e[13].sc.ret = -ENOENT;		/* the unlink failed */
	assert_fails("mq_unrelated", "unlink-removes-name");
	L.n = 0;
	assert_fails("mq_unrelated", "outlives-writer");
}

/* ---------------------------------------------------------------- mq_notify */

/* L.e: 0 owner, 1 mq_open, 2 sender, 3 mq_notify, 4 the send, 5 the signal, 6 the delivery */
static void notify_trace(void)
{
	struct ipclab_event *e;

	L.n = 0;
	role(RCV, 0, "owner");
	mq_open_ev(RCV, 1 * MSEC);
	role(SND, 1 * MSEC + 500, "sender");
	e = add(EVT_SYSCALL, RCV, 2 * MSEC, 2 * US);
	e->nr = NR_mq_notify;
	e->sc.fds[0] = e->sc.fds[1] = -1;
	queue(&e->sc.mq, 0, 0, 0);
	e->sc.mq.notify_pid = RCV;
	e = io(SND, 50 * MSEC, 20 * US, true, "ping", 0, 0, 1);
	e->mq.notify_pid_before = RCV;
	e = add(EVT_SIGNAL, RCV, 50 * MSEC + 10 * US, 0);
	e->nr = NR_mq_timedsend;
	e->sig.sig = 10;
	e->sig.sender_pid = e->sig.sender_tid = SND;
	e = add(EVT_SIGNAL_DELIVER, RCV, 50 * MSEC + 200 * US, 0);
	e->sd.sig = 10;
	e->sd.code = -3;
	e->sd.value = 42;
	e->sd.sender_pid = SND;
}

static void test_notify_passes(void **state)
{
	(void)state;
	notify_trace();
	assert_all_pass("mq_notify", 3);
}

static void test_notify_fails(void **state)
{
	(void)state;
	notify_trace();
	L.e[3].sc.mq.notify_pid = 0;		/* not registered */
	assert_fails("mq_notify", "registered");
	notify_trace();
	L.e[4].mq.after.notify_pid = RCV;	/* still registered after the send */
	assert_fails("mq_notify", "send-notifies-once");
	notify_trace();
	L.e[5].ts = L.e[5].ts_start = T0 + 60 * MSEC;	/* not within the send */
	assert_fails("mq_notify", "send-notifies-once");
	notify_trace();
	L.e[4].mq.msgs_before = 1;		/* the queue was not empty */
	assert_fails("mq_notify", "send-notifies-once");
	notify_trace();
	L.e[6].sd.code = 0;			/* SI_USER: a kill, not the queue */
	assert_fails("mq_notify", "delivered-mesgq");
	notify_trace();
	L.e[6].sd.value = 7;
	assert_fails("mq_notify", "delivered-mesgq");
	L.n = 0;
	assert_fails("mq_notify", "registered");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_priority_passes),
		cmocka_unit_test(test_priority_fails),
		cmocka_unit_test(test_full_passes),
		cmocka_unit_test(test_full_not_switched_out),
		cmocka_unit_test(test_full_fails),
		cmocka_unit_test(test_empty_passes),
		cmocka_unit_test(test_empty_not_switched_out),
		cmocka_unit_test(test_empty_fails),
		cmocka_unit_test(test_errors_passes),
		cmocka_unit_test(test_errors_fails),
		cmocka_unit_test(test_unrelated_passes),
		cmocka_unit_test(test_unrelated_fails),
		cmocka_unit_test(test_notify_passes),
		cmocka_unit_test(test_notify_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
