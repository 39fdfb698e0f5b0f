// SPDX-License-Identifier: GPL-2.0
/*
 * mech/mqueue/claims.c - POSIX message queues, the notes' "消息队列" (one of the mechanisms
 * their section 2 lists), checked against the trace.
 *
 * Every decision reads kernel events: the mq_send/mq_recv records (the queue's message
 * count, bytes and waiting tasks sampled at the syscall's entry and exit, the priority, the
 * first bytes of the message), sleeps with their wakers, and the processes' names (set with
 * prctl(PR_SET_NAME) by the lab programs), never what the programs printed.
 *
 * The sequences are the ones measured on 6.18 x86_64 (mech/mqueue/NOTES.md); they follow
 * from ipc/mqueue.c, not from its version: a send that finds a receiver waiting hands the
 * message over without queueing it (pipelined_send), and a receive that finds a sender
 * waiting puts the sender's message into the queue itself (pipelined_receive).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "claims.h"
#include "claims_util.h"
#include "mechanism.h"

/* ---------------------------------------------------------------- helpers */

static const struct ipclab_mq_io *mqio(const struct timeline *tl, long i)
{
	return &tl->ev[i].e->mq;
}

/* The k-th mq record of p (send: write 1, receive: 0), or -1. */
static long mq_call(const struct timeline *tl, const struct tl_process *p, int write, int k)
{
	struct tl_filter f = TL_ANY;

	if (!p)
		return -1;
	f.type = EVT_MQ_IO;
	f.pid = p->pid;
	f.write = write;
	return nth(tl, f, k);
}

static int mq_calls(const struct timeline *tl, const struct tl_process *p, int write)
{
	int n = 0;

	while (mq_call(tl, p, write, n) >= 0)
		n++;
	return n;
}

static const __u64 *ev_args(const struct timeline *tl, long i)
{
	return tl->ev[i].e->sc.args;
}

static const char *name_or(const char *name)
{
	return name ? name : "no syscall";
}

static const char *name_or_zh(const char *name)
{
	return name ? name : "不在系统调用中";
}

static const char *yes_no_zh(bool yes)
{
	return yes ? "是" : "否";
}

/* Do two records carry the same message (its first bytes, as sampled)? */
static bool same_message(const struct ipclab_mq_io *a, const struct ipclab_mq_io *b)
{
	return a->data_len && a->data_len == b->data_len &&
	       !memcmp(a->head, b->head, a->data_len);
}

/* The message's first bytes as text, for details. */
static const char *msg_text(const struct ipclab_mq_io *x, char *buf, size_t n)
{
	size_t len = x->data_len < n - 1 ? x->data_len : n - 1;

	for (size_t i = 0; i < len; i++)
		buf[i] = x->head[i] >= 0x20 && x->head[i] < 0x7f ? (char)x->head[i] : '.';
	buf[len] = 0;
	return buf;
}

#define NOT_SWITCHED_OUT (-2)

/*
 * The sleep inside mq record i, on its queue, woken by waker in syscall nr: its index; -1
 * with the claim failed saying why.  Or NOT_SWITCHED_OUT: no sleep was recorded, but the
 * partner's call (record partner, inside i's span) found this one waiting on the queue
 * (flag, MQW_*): the task queued itself in wq_sleep() and was preempted before schedule()
 * (sched_switch reports a preemption, not a sleep); the partner's wake-up made it runnable
 * again before it ran, so it never was switched out asleep.  Seen on a loaded machine.
 */
static long woken_by(struct claim *c, const struct timeline *tl, long i,
		     const struct tl_process *waker, int nr, long partner, __u32 flag)
{
	long b = tl_block_in(tl, i);
	const struct ipclab_block *blk;

	if (b < 0) {
		if (partner >= 0 && (mqio(tl, partner)->waiters_before & flag) &&
		    tl->ev[partner].t >= tl->ev[i].t && tl->ev[partner].t <= tl_end(&tl->ev[i])) {
			claim_cite(c, partner);
			return NOT_SWITCHED_OUT;
		}
		claim_result(c, false, "the call did not sleep");
		claim_detail_zh(c, "这次调用没有睡眠");
		return -1;
	}
	blk = &tl->ev[b].e->blk;
	claim_cite(c, b);
	if (tl->ev[b].obj != tl->ev[i].obj) {
		claim_result(c, false, "it slept on object %d, not on the queue %d", tl->ev[b].obj,
			     tl->ev[i].obj);
		claim_detail_zh(c, "它睡眠在对象 %d 上，而不是队列 %d 上", tl->ev[b].obj,
				tl->ev[i].obj);
		return -1;
	}
	if (blk->waker_pid != waker->pid || blk->waker_nr != nr) {
		claim_result(c, false, "it was woken by pid %u in %s, not by the %s (pid %u) in %s",
			     blk->waker_pid, name_or(syscall_name(blk->waker_nr)), waker->comm,
			     waker->pid, name_or(syscall_name(nr)));
		claim_detail_zh(c, "唤醒它的是 pid %u（%s），而不是 %s（pid %u）的 %s",
				blk->waker_pid, name_or_zh(syscall_name(blk->waker_nr)), waker->comm,
				waker->pid, name_or_zh(syscall_name(nr)));
		return -1;
	}
	if (tl->ev[b].waker_obj != tl->ev[i].obj) {
		claim_result(c, false, "the waker was working on object %d, not on the queue",
			     tl->ev[b].waker_obj);
		claim_detail_zh(c, "唤醒者操作的是对象 %d，而不是这个队列", tl->ev[b].waker_obj);
		return -1;
	}
	return b;
}

/* ---------------------------------------------------------------- mq_priority */

#define PRIO_MSGS 4

static void check_mq_priority(const struct timeline *tl, struct claim_set *cs)
{
	static const unsigned int sent_prio[PRIO_MSGS] = { 1, 5, 3, 3 };
	static const unsigned int recv_prio[PRIO_MSGS] = { 5, 3, 3, 1 };
	const struct tl_process *snd = role(tl, "sender"), *rcv = role(tl, "receiver");
	long s[PRIO_MSGS], r[PRIO_MSGS];
	bool have_s = true, have_r = true;
	struct claim *c;
	char got[64] = "", got_zh[64] = "";
	size_t off = 0, off_zh = 0;

	for (int k = 0; k < PRIO_MSGS; k++) {
		s[k] = mq_call(tl, snd, 1, k);
		r[k] = mq_call(tl, rcv, 0, k);
		have_s &= s[k] >= 0 && mqio(tl, s[k])->result == 0;
		have_r &= r[k] >= 0 && mqio(tl, r[k])->result >= 0;
	}

	c = claim_new(cs, "sends-queue", "The sender's four mq_send (priorities 1, 5, 3, 3) all "
		      "stay in the queue: 1, 2, 3, then 4 messages");
	claim_zh(c, "发送者的四次 mq_send（优先级 1、5、3、3）都留在队列中："
		 "依次为 1、2、3、4 条消息");
	if (need_zh(c, have_s ? c : NULL, "four successful mq_send of the sender",
		    "发送者的四次成功的 mq_send")) {
		bool ok = mq_calls(tl, snd, 1) == PRIO_MSGS;

		for (int k = 0; k < PRIO_MSGS; k++) {
			claim_cite(c, s[k]);
			ok &= mqio(tl, s[k])->prio == sent_prio[k] &&
			      mqio(tl, s[k])->msgs_before == (__u32)k &&
			      mqio(tl, s[k])->after.msgs == (__u32)k + 1 &&
			      tl->ev[s[k]].obj == tl->ev[s[0]].obj;
		}
		claim_result(c, ok, "%d sends; queue after the last: %u messages, %llu bytes",
			     mq_calls(tl, snd, 1), mqio(tl, s[PRIO_MSGS - 1])->after.msgs,
			     (unsigned long long)mqio(tl, s[PRIO_MSGS - 1])->after.bytes);
		claim_detail_zh(c, "共 %d 次发送；最后一次之后队列中有 %u 条消息，共 %llu 字节",
				mq_calls(tl, snd, 1), mqio(tl, s[PRIO_MSGS - 1])->after.msgs,
				(unsigned long long)mqio(tl, s[PRIO_MSGS - 1])->after.bytes);
	}

	c = claim_new(cs, "highest-first", "mq_receive returns the highest priority first: "
		      "5, 3, 3, 1");
	claim_zh(c, "mq_receive 先取出优先级最高的消息：依次为 5、3、3、1");
	if (need_zh(c, have_r ? c : NULL, "four successful mq_receive of the receiver",
		    "接收者的四次成功的 mq_receive")) {
		bool ok = mq_calls(tl, rcv, 0) == PRIO_MSGS;

		for (int k = 0; k < PRIO_MSGS; k++) {
			claim_cite(c, r[k]);
			ok &= mqio(tl, r[k])->prio == recv_prio[k];
			off += snprintf(got + off, sizeof(got) - off, "%s%u", k ? " " : "",
					mqio(tl, r[k])->prio);
			off_zh += snprintf(got_zh + off_zh, sizeof(got_zh) - off_zh, "%s%u",
					   k ? "、" : "", mqio(tl, r[k])->prio);
		}
		claim_result(c, ok, "priorities received: %s", got);
		claim_detail_zh(c, "收到的优先级依次为 %s", got_zh);
	}

	c = claim_new(cs, "fifo-within-priority", "Among equal priorities, messages come out in "
		      "the order they were sent (mid-a before mid-b)");
	claim_zh(c, "优先级相同的消息按发送顺序取出（mid-a 先于 mid-b）");
	if (need_zh(c, have_s && have_r ? c : NULL, "four sends and four receives",
		    "四次发送和四次接收")) {
		int prev = -1;
		bool ok = true;
		char a[24], b[24];

		/* each receive's message is the send with the same bytes; within priority 3 the
		 * sends' order must be kept */
		for (int k = 1; k <= 2; k++) {
			int from = -1;

			for (int j = 0; j < PRIO_MSGS; j++)
				if (same_message(mqio(tl, s[j]), mqio(tl, r[k])))
					from = j;
			claim_cite(c, r[k]);
			ok &= from > prev && mqio(tl, r[k])->prio == 3;
			prev = from;
		}
		msg_text(mqio(tl, r[1]), a, sizeof(a));
		msg_text(mqio(tl, r[2]), b, sizeof(b));
		claim_result(c, ok, "priority-3 messages received: \"%s\" then \"%s\"", a, b);
		claim_detail_zh(c, "收到的优先级 3 消息：先“%s”，后“%s”", a, b);
	}

	c = claim_new(cs, "receives-drain", "Each mq_receive takes one message: 4, 3, 2, 1 "
		      "before, 3, 2, 1, 0 after");
	claim_zh(c, "每次 mq_receive 取走一条消息：之前为 4、3、2、1 条，之后为 3、"
		 "2、1、0 条");
	if (need_zh(c, have_r ? c : NULL, "four successful mq_receive of the receiver",
		    "接收者的四次成功的 mq_receive")) {
		bool ok = true;

		for (int k = 0; k < PRIO_MSGS; k++) {
			claim_cite(c, r[k]);
			ok &= mqio(tl, r[k])->msgs_before == (__u32)(PRIO_MSGS - k) &&
			      mqio(tl, r[k])->after.msgs == (__u32)(PRIO_MSGS - k - 1);
		}
		claim_result(c, ok, "the last receive left %u messages, %llu bytes",
			     mqio(tl, r[PRIO_MSGS - 1])->after.msgs,
			     (unsigned long long)mqio(tl, r[PRIO_MSGS - 1])->after.bytes);
		claim_detail_zh(c, "最后一次接收之后队列中剩 %u 条消息，%llu 字节",
				mqio(tl, r[PRIO_MSGS - 1])->after.msgs,
				(unsigned long long)mqio(tl, r[PRIO_MSGS - 1])->after.bytes);
	}
}

/* ---------------------------------------------------------------- mq_full_blocks */

#define FULL_MAX 4

static void check_mq_full_blocks(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *snd = role(tl, "sender"), *rcv = role(tl, "receiver");
	long s[FULL_MAX + 1], r[FULL_MAX + 1], last, first, b;
	bool have_s = true, have_r = true;
	struct claim *c;

	for (int k = 0; k <= FULL_MAX; k++) {
		s[k] = mq_call(tl, snd, 1, k);
		r[k] = mq_call(tl, rcv, 0, k);
		have_s &= s[k] >= 0 && mqio(tl, s[k])->result == 0;
		have_r &= r[k] >= 0 && mqio(tl, r[k])->result >= 0;
	}
	last = s[FULL_MAX];
	first = r[0];

	c = claim_new(cs, "fills-to-maxmsg", "The first four sends fill the queue to its "
		      "mq_maxmsg of 4 without sleeping");
	claim_zh(c, "前四次发送把队列填到 mq_maxmsg（4 条），没有睡眠");
	if (need_zh(c, have_s ? c : NULL, "five successful mq_send of the sender",
		    "发送者的五次成功的 mq_send")) {
		bool ok = true;

		for (int k = 0; k < FULL_MAX; k++) {
			claim_cite(c, s[k]);
			ok &= mqio(tl, s[k])->after.msgs == (__u32)k + 1 &&
			      mqio(tl, s[k])->after.maxmsg == FULL_MAX && tl_block_in(tl, s[k]) < 0;
		}
		claim_result(c, ok, "after the 4th send: %u of %u messages",
			     mqio(tl, s[FULL_MAX - 1])->after.msgs,
			     mqio(tl, s[FULL_MAX - 1])->after.maxmsg);
		claim_detail_zh(c, "第 4 次发送之后队列为 %u/%u 条消息",
				mqio(tl, s[FULL_MAX - 1])->after.msgs,
				mqio(tl, s[FULL_MAX - 1])->after.maxmsg);
	}

	c = claim_new(cs, "full-send-blocks", "The 5th mq_send finds 4 of 4 messages and sleeps "
		      "until the receiver's mq_receive wakes it");
	claim_zh(c, "第 5 次 mq_send 发现队列为 4/4，于是睡眠，直到接收者的 mq_receive 将其唤醒");
	if (need_zh(c, have_s && rcv ? c : NULL, "5th send (or no receiver)",
		    "第 5 次发送（或没有接收者）")) {
		const struct ipclab_mq_io *x = mqio(tl, last);

		claim_cite(c, last);
		if (x->msgs_before != x->after.maxmsg) {
			claim_result(c, false, "it entered with %u of %u messages", x->msgs_before,
				     x->after.maxmsg);
			claim_detail_zh(c, "它进入时队列为 %u/%u 条消息", x->msgs_before,
					x->after.maxmsg);
		} else if ((b = woken_by(c, tl, last, rcv, NR_mq_timedreceive, first,
					 MQW_SENDER)) >= 0) {
			claim_result(c, true, "entered with %u of %u messages, slept %.1f ms, woken "
				     "by the receiver's mq_timedreceive", x->msgs_before,
				     x->after.maxmsg, tl->ev[b].dur / 1e6);
			claim_detail_zh(c, "进入时队列为 %u/%u 条消息，睡眠 %.1f ms，"
					"被接收者的 mq_timedreceive 唤醒", x->msgs_before,
					x->after.maxmsg, tl->ev[b].dur / 1e6);
		} else if (b == NOT_SWITCHED_OUT) {
			claim_result(c, true, "entered with %u of %u messages and waited on the "
				     "queue until the receiver's mq_timedreceive (which found it "
				     "waiting); preempted before it slept, so no sleep is recorded",
				     x->msgs_before, x->after.maxmsg);
			claim_detail_zh(c, "进入时队列为 %u/%u 条消息，在队列上等待，直到接收者的 "
					"mq_timedreceive（它发现发送者正在等待）；"
					"发送者在睡眠之前被抢占，所以跟踪中没有睡眠记录",
					x->msgs_before, x->after.maxmsg);
		}
	}

	c = claim_new(cs, "receiver-inserts", "The receive that wakes the sender puts the "
		      "sender's message into the queue itself: it enters and leaves with 4");
	claim_zh(c, "唤醒发送者的那次接收顺带把发送者的消息放进了队列：进入和离开时都是 4 条");
	if (need_zh(c, have_r ? c : NULL, "five successful mq_receive of the receiver",
		    "接收者的五次成功的 mq_receive")) {
		const struct ipclab_mq_io *x = mqio(tl, first);

		claim_cite(c, first);
		claim_result(c, x->msgs_before == FULL_MAX && x->after.msgs == FULL_MAX &&
			     (x->waiters_before & MQW_SENDER) && !(x->after.waiters & MQW_SENDER),
			     "messages %u -> %u, a sender waiting: %s -> %s", x->msgs_before,
			     x->after.msgs, x->waiters_before & MQW_SENDER ? "yes" : "no",
			     x->after.waiters & MQW_SENDER ? "yes" : "no");
		claim_detail_zh(c, "消息 %u → %u 条，有发送者在等待：%s → %s", x->msgs_before,
				x->after.msgs, yes_no_zh(x->waiters_before & MQW_SENDER),
				yes_no_zh(x->after.waiters & MQW_SENDER));
	}

	c = claim_new(cs, "all-in-order", "The receiver gets all five messages, m1 to m5, in "
		      "the order sent");
	claim_zh(c, "接收者按发送顺序收到全部五条消息，m1 到 m5");
	if (need_zh(c, have_s && have_r ? c : NULL, "five sends and five receives",
		    "五次发送和五次接收")) {
		bool ok = true;

		for (int k = 0; k <= FULL_MAX; k++) {
			claim_cite(c, r[k]);
			ok &= same_message(mqio(tl, s[k]), mqio(tl, r[k]));
		}
		claim_result(c, ok && mq_calls(tl, rcv, 0) == FULL_MAX + 1,
			     "%d receives; the queue after the last: %u messages",
			     mq_calls(tl, rcv, 0), mqio(tl, r[FULL_MAX])->after.msgs);
		claim_detail_zh(c, "共 %d 次接收；最后一次之后队列中有 %u 条消息",
				mq_calls(tl, rcv, 0), mqio(tl, r[FULL_MAX])->after.msgs);
	}
}

/* ---------------------------------------------------------------- mq_empty_blocks */

static void check_mq_empty_blocks(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *snd = role(tl, "sender"), *rcv = role(tl, "receiver");
	long s = mq_call(tl, snd, 1, 0), r = mq_call(tl, rcv, 0, 0), b;
	struct claim *c;

	c = claim_new(cs, "empty-receive-blocks", "The receiver's mq_receive finds the queue "
		      "empty and sleeps until the sender's mq_send wakes it");
	claim_zh(c, "接收者的 mq_receive 发现队列为空，于是睡眠，直到发送者的 mq_send 将其唤醒");
	if (need_zh(c, r >= 0 && snd ? c : NULL, "receive of the receiver (or no sender)",
		    "接收者的接收（或没有发送者）")) {
		const struct ipclab_mq_io *x = mqio(tl, r);

		claim_cite(c, r);
		if (x->msgs_before != 0) {
			claim_result(c, false, "it entered with %u messages", x->msgs_before);
			claim_detail_zh(c, "它进入时队列中有 %u 条消息", x->msgs_before);
		} else if ((b = woken_by(c, tl, r, snd, NR_mq_timedsend, s, MQW_RECEIVER)) >= 0) {
			claim_result(c, x->result == 5, "entered with 0 messages, slept %.1f ms, "
				     "woken by the sender's mq_timedsend, returned %lld",
				     tl->ev[b].dur / 1e6, (long long)x->result);
			claim_detail_zh(c, "进入时队列中有 0 条消息，睡眠 %.1f ms，"
					"被发送者的 mq_timedsend 唤醒，返回 %lld",
					tl->ev[b].dur / 1e6, (long long)x->result);
		} else if (b == NOT_SWITCHED_OUT) {
			claim_result(c, x->result == 5, "entered with 0 messages and waited on the "
				     "queue until the sender's mq_timedsend (which found it waiting), "
				     "returned %lld; preempted before it slept, so no sleep is recorded",
				     (long long)x->result);
			claim_detail_zh(c, "进入时队列中有 0 条消息，在队列上等待，直到发送者的 "
					"mq_timedsend（它发现接收者正在等待），返回 %lld；"
					"接收者在睡眠之前被抢占，所以跟踪中没有睡眠记录",
					(long long)x->result);
		}
	}

	c = claim_new(cs, "handed-over", "The send finds a receiver waiting and hands the "
		      "message to it: the queue holds 0 messages before and after");
	claim_zh(c, "发送时发现有接收者在等待，直接把消息交给它：前后队列中都是 0 条消息");
	if (need_zh(c, s >= 0 ? c : NULL, "mq_send of the sender", "发送者的 mq_send")) {
		const struct ipclab_mq_io *x = mqio(tl, s);

		claim_cite(c, s);
		claim_result(c, x->result == 0 && (x->waiters_before & MQW_RECEIVER) &&
			     !(x->after.waiters & MQW_RECEIVER) && x->msgs_before == 0 &&
			     x->after.msgs == 0 && x->bytes_before == 0 && x->after.bytes == 0,
			     "a receiver waiting: %s -> %s; messages %u -> %u, bytes %llu -> %llu",
			     x->waiters_before & MQW_RECEIVER ? "yes" : "no",
			     x->after.waiters & MQW_RECEIVER ? "yes" : "no", x->msgs_before,
			     x->after.msgs, (unsigned long long)x->bytes_before,
			     (unsigned long long)x->after.bytes);
		claim_detail_zh(c, "有接收者在等待：%s → %s；消息 %u → %u 条，字节 %llu → %llu",
				yes_no_zh(x->waiters_before & MQW_RECEIVER),
				yes_no_zh(x->after.waiters & MQW_RECEIVER), x->msgs_before,
				x->after.msgs, (unsigned long long)x->bytes_before,
				(unsigned long long)x->after.bytes);
	}

	c = claim_new(cs, "message-intact", "The receiver gets the message with its priority: "
		      "\"hello\", priority 2");
	claim_zh(c, "接收者收到完整的消息及其优先级：\"hello\"，优先级 2");
	if (need_zh(c, s >= 0 && r >= 0 ? c : NULL, "send and receive of the message",
		    "这条消息的发送和接收")) {
		char t[24];

		claim_cite(c, r);
		msg_text(mqio(tl, r), t, sizeof(t));
		claim_result(c, same_message(mqio(tl, s), mqio(tl, r)) && mqio(tl, r)->prio == 2 &&
			     mqio(tl, s)->prio == 2, "received \"%s\" with priority %u", t,
			     mqio(tl, r)->prio);
		claim_detail_zh(c, "收到“%s”，优先级 %u", t, mqio(tl, r)->prio);
	}
}

/* ---------------------------------------------------------------- mq_errors */

/* The first mq record of p (send: write 1) that failed with -err, or -1. */
static long mq_failed(const struct timeline *tl, const struct tl_process *p, int write, int err)
{
	for (int k = 0;; k++) {
		long i = mq_call(tl, p, write, k);

		if (i < 0 || mqio(tl, i)->result == -err)
			return i;
	}
}

/* A failed call left the queue as it was and did not sleep. */
static bool untouched(const struct timeline *tl, long i)
{
	const struct ipclab_mq_io *x = mqio(tl, i);

	return x->msgs_before == x->after.msgs && x->bytes_before == x->after.bytes &&
	       tl_block_in(tl, i) < 0;
}

static void check_mq_errors(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *u = role(tl, "user");
	long big = mq_failed(tl, u, 1, EMSGSIZE), small = mq_failed(tl, u, 0, EMSGSIZE);
	long full = mq_failed(tl, u, 1, EAGAIN), empty = mq_failed(tl, u, 0, EAGAIN);
	struct claim *c;

	c = claim_new(cs, "send-too-big", "A message longer than mq_msgsize is refused: "
		      "EMSGSIZE, the queue unchanged");
	claim_zh(c, "超过 mq_msgsize 的消息被拒绝：EMSGSIZE，队列不变");
	if (need_zh(c, big >= 0 ? c : NULL, "an mq_send failing with EMSGSIZE",
		    "以 EMSGSIZE 失败的 mq_send")) {
		const struct ipclab_mq_io *x = mqio(tl, big);

		claim_cite(c, big);
		claim_result(c, x->requested > x->after.msgsize && untouched(tl, big),
			     "%llu bytes against mq_msgsize %u", (unsigned long long)x->requested,
			     x->after.msgsize);
		claim_detail_zh(c, "消息 %llu 字节，而 mq_msgsize 为 %u",
				(unsigned long long)x->requested, x->after.msgsize);
	}

	c = claim_new(cs, "buffer-too-small", "A receive buffer smaller than mq_msgsize is "
		      "refused (EMSGSIZE) even when every queued message would fit in it");
	claim_zh(c, "小于 mq_msgsize 的接收缓冲区被拒绝（EMSGSIZE），即使队列中每条消息都放得下");
	if (need_zh(c, small >= 0 ? c : NULL, "an mq_receive failing with EMSGSIZE",
		    "以 EMSGSIZE 失败的 mq_receive")) {
		const struct ipclab_mq_io *x = mqio(tl, small);

		claim_cite(c, small);
		claim_result(c, x->requested < x->after.msgsize && x->msgs_before > 0 &&
			     x->bytes_before <= x->requested && untouched(tl, small),
			     "a %llu-byte buffer, mq_msgsize %u; %u messages of %llu bytes in all "
			     "queued", (unsigned long long)x->requested, x->after.msgsize,
			     x->msgs_before, (unsigned long long)x->bytes_before);
		claim_detail_zh(c, "缓冲区 %llu 字节，mq_msgsize 为 %u；队列中有 %u 条消息，"
				"共 %llu 字节", (unsigned long long)x->requested, x->after.msgsize,
				x->msgs_before, (unsigned long long)x->bytes_before);
	}

	c = claim_new(cs, "full-eagain", "With O_NONBLOCK, a send to a full queue fails at once "
		      "with EAGAIN instead of sleeping");
	claim_zh(c, "在 O_NONBLOCK 下，向已满的队列发送立即以 EAGAIN 失败，"
		 "而不是睡眠");
	if (need_zh(c, full >= 0 ? c : NULL, "an mq_send failing with EAGAIN",
		    "以 EAGAIN 失败的 mq_send")) {
		const struct ipclab_mq_io *x = mqio(tl, full);

		claim_cite(c, full);
		claim_result(c, (tl->ev[full].e->flags & EVF_NONBLOCK) &&
			     x->msgs_before == x->after.maxmsg && untouched(tl, full),
			     "%u of %u messages, O_NONBLOCK: %s", x->msgs_before, x->after.maxmsg,
			     tl->ev[full].e->flags & EVF_NONBLOCK ? "yes" : "no");
		claim_detail_zh(c, "队列为 %u/%u 条消息，O_NONBLOCK：%s", x->msgs_before,
				x->after.maxmsg, yes_no_zh(tl->ev[full].e->flags & EVF_NONBLOCK));
	}

	c = claim_new(cs, "empty-eagain", "With O_NONBLOCK, a receive from an empty queue fails "
		      "at once with EAGAIN");
	claim_zh(c, "在 O_NONBLOCK 下，从空队列接收立即以 EAGAIN 失败");
	if (need_zh(c, empty >= 0 ? c : NULL, "an mq_receive failing with EAGAIN",
		    "以 EAGAIN 失败的 mq_receive")) {
		const struct ipclab_mq_io *x = mqio(tl, empty);

		claim_cite(c, empty);
		claim_result(c, (tl->ev[empty].e->flags & EVF_NONBLOCK) && x->msgs_before == 0 &&
			     untouched(tl, empty), "%u messages, O_NONBLOCK: %s", x->msgs_before,
			     tl->ev[empty].e->flags & EVF_NONBLOCK ? "yes" : "no");
		claim_detail_zh(c, "队列中有 %u 条消息，O_NONBLOCK：%s", x->msgs_before,
				yes_no_zh(tl->ev[empty].e->flags & EVF_NONBLOCK));
	}
}

/* ---------------------------------------------------------------- mq_unrelated */

#define O_CREAT_ 0100

/* p's k-th mq_open, or -1. */
static long mq_open_of(const struct timeline *tl, const struct tl_process *p, int k)
{
	return p ? nth(tl, syscall_of(p->pid, NR_mq_open), k) : -1;
}

static void check_mq_unrelated(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *w = role(tl, "writer"), *r = role(tl, "reader");
	long wo = mq_open_of(tl, w, 0), ro = mq_open_of(tl, r, 0), ro2 = mq_open_of(tl, r, 1);
	long first = mq_call(tl, r, 0, 0);
	struct claim *c;

	c = claim_new(cs, "unrelated-by-name", "Two unrelated processes (neither forked the "
		      "other) reach the same queue by its name");
	claim_zh(c, "两个无血缘关系的进程（谁也没有 fork 谁）按名字访问同一个队列");
	if (need_zh(c, wo >= 0 && ro >= 0 ? c : NULL, "mq_open of the writer and of the reader",
		    "写者和读者的 mq_open")) {
		bool kin = tl_is_ancestor(tl, w->pid, r->pid) || tl_is_ancestor(tl, r->pid, w->pid);

		claim_cite(c, wo);
		claim_cite(c, ro);
		claim_result(c, !kin && tl->ev[wo].obj >= 0 && tl->ev[wo].obj == tl->ev[ro].obj &&
			     (ev_args(tl, wo)[1] & O_CREAT_) && !(ev_args(tl, ro)[1] & O_CREAT_),
			     "writer %u %s reader %u; writer's queue %d (O_CREAT: %s), reader's %d "
			     "(O_CREAT: %s)", w->pid, kin ? "related to" : "unrelated to", r->pid,
			     tl->ev[wo].obj, ev_args(tl, wo)[1] & O_CREAT_ ? "yes" : "no",
			     tl->ev[ro].obj, ev_args(tl, ro)[1] & O_CREAT_ ? "yes" : "no");
		claim_detail_zh(c, "写者（pid %u）与读者（pid %u）%s；写者的队列 %d（O_CREAT："
				"%s），读者的队列 %d（O_CREAT：%s）", w->pid, r->pid,
				kin ? "有血缘关系" : "无血缘关系", tl->ev[wo].obj,
				yes_no_zh(ev_args(tl, wo)[1] & O_CREAT_), tl->ev[ro].obj,
				yes_no_zh(ev_args(tl, ro)[1] & O_CREAT_));
	}

	c = claim_new(cs, "outlives-writer", "The queue keeps the writer's 3 messages after the "
		      "writer has exited, without mq_close");
	claim_zh(c, "写者退出后（没有 mq_close），队列仍保留写者的 3 条消息");
	if (need_zh(c, w && w->exited && first >= 0 ? c : NULL,
		    "exit of the writer and receive of the reader", "写者的退出和读者的接收")) {
		claim_cite(c, first);
		claim_result(c, w->t_exit < tl->ev[first].t && mqio(tl, first)->msgs_before == 3 &&
			     tl->ev[first].obj == tl->ev[wo].obj,
			     "writer exited %.1f ms before the first receive, which found %u messages",
			     (tl->ev[first].t - w->t_exit) / 1e6, mqio(tl, first)->msgs_before);
		claim_detail_zh(c, "写者在第一次接收之前 %.1f ms 退出；这次接收看到队列中有 "
				"%u 条消息", (tl->ev[first].t - w->t_exit) / 1e6,
				mqio(tl, first)->msgs_before);
	}

	c = claim_new(cs, "messages-kept", "The reader gets one, two, three, the writer's "
		      "messages in the order sent");
	claim_zh(c, "读者按发送顺序收到写者的消息 one、two、three");
	if (need_zh(c, mq_calls(tl, w, 1) == 3 && mq_calls(tl, r, 0) == 3 ? c : NULL,
		    "3 sends and 3 receives", "3 次发送和 3 次接收")) {
		bool ok = true;

		for (int k = 0; k < 3; k++) {
			claim_cite(c, mq_call(tl, r, 0, k));
			ok &= same_message(mqio(tl, mq_call(tl, w, 1, k)),
					   mqio(tl, mq_call(tl, r, 0, k)));
		}
		claim_result(c, ok, "the last receive left %u messages",
			     mqio(tl, mq_call(tl, r, 0, 2))->after.msgs);
		claim_detail_zh(c, "最后一次接收之后队列中剩 %u 条消息",
				mqio(tl, mq_call(tl, r, 0, 2))->after.msgs);
	}

	c = claim_new(cs, "unlink-removes-name", "After mq_unlink the name is gone: mq_open "
		      "without O_CREAT fails with ENOENT");
	claim_zh(c, "mq_unlink 之后名字消失：不带 O_CREAT 的 mq_open 以 ENOENT 失败");
	if (need_zh(c, ro2 >= 0 ? c : NULL, "second mq_open of the reader",
		    "读者的第二次 mq_open")) {
		long un = r ? nth(tl, syscall_of(r->pid, NR_mq_unlink), 0) : -1;
		bool unlinked = un >= 0 && tl->ev[un].e->sc.ret == 0;

		claim_cite(c, ro2);
		claim_result(c, unlinked && tl->ev[un].t < tl->ev[ro2].t &&
			     tl->ev[ro2].e->sc.ret == -ENOENT, "mq_unlink %s, then mq_open returned "
			     "%lld", unlinked ? "succeeded" : "missing",
			     (long long)tl->ev[ro2].e->sc.ret);
		claim_detail_zh(c, "%s，随后 mq_open 返回 %lld",
				unlinked ? "mq_unlink 成功" : "没有成功的 mq_unlink",
				(long long)tl->ev[ro2].e->sc.ret);
	}
}

/* ---------------------------------------------------------------- mq_notify */

#define SI_MESGQ_ (-3)		/* include/uapi/asm-generic/siginfo.h */
#define SIGUSR1_ 10

/* The first signal event of sig for target generated within span i (by its task), or -1. */
static long signal_in(const struct timeline *tl, long i, __u32 target, int sig)
{
	struct tl_filter f = TL_ANY;

	f.type = EVT_SIGNAL;
	f.pid = target;
	for (long j = tl_next(tl, -1, &f); j >= 0; j = tl_next(tl, j, &f)) {
		const struct ipclab_event *g = tl->ev[j].e;

		if (g->sig.sig == sig && g->sig.sender_pid == tl->ev[i].e->pid &&
		    tl->ev[j].t >= tl->ev[i].t && tl->ev[j].t <= tl_end(&tl->ev[i]))
			return j;
	}
	return -1;
}

static void check_mq_notify(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *o = role(tl, "owner"), *snd = role(tl, "sender");
	long reg = o ? nth(tl, syscall_of(o->pid, NR_mq_notify), 0) : -1;
	long s = mq_call(tl, snd, 1, 0), d = o ? nth(tl, events_of(o->pid, EVT_SIGNAL_DELIVER), 0) : -1;
	struct claim *c;

	c = claim_new(cs, "registered", "The owner's mq_notify registers it on the queue");
	claim_zh(c, "属主的 mq_notify 在队列上完成注册");
	if (need_zh(c, reg >= 0 ? c : NULL, "mq_notify of the owner", "属主的 mq_notify")) {
		const struct ipclab_syscall *sc = &tl->ev[reg].e->sc;

		claim_cite(c, reg);
		claim_result(c, sc->ret == 0 && sc->mq.queue && sc->mq.notify_pid == o->pid,
			     "returned %lld; registered on the queue: pid %u", (long long)sc->ret,
			     sc->mq.notify_pid);
		claim_detail_zh(c, "返回 %lld；队列上登记的是 pid %u", (long long)sc->ret,
				sc->mq.notify_pid);
	}

	c = claim_new(cs, "send-notifies-once", "The sender's mq_send into the empty queue raises "
		      "SIGUSR1 for the owner, inside the send, and ends the registration");
	claim_zh(c, "发送者向空队列 mq_send 时，在这次发送内部为属主产生 SIGUSR1，"
		 "并结束注册");
	if (need_zh(c, s >= 0 && o ? c : NULL, "mq_send of the sender", "发送者的 mq_send")) {
		const struct ipclab_mq_io *x = mqio(tl, s);
		long g = signal_in(tl, s, o->pid, SIGUSR1_);

		claim_cite(c, s);
		if (g >= 0)
			claim_cite(c, g);
		claim_result(c, g >= 0 && x->msgs_before == 0 && x->after.msgs == 1 &&
			     x->notify_pid_before == o->pid && x->after.notify_pid == 0,
			     "messages %u -> %u; registered pid %u -> %u; SIGUSR1 for the owner "
			     "generated in the send: %s", x->msgs_before, x->after.msgs,
			     x->notify_pid_before, x->after.notify_pid, g >= 0 ? "yes" : "no");
		claim_detail_zh(c, "消息 %u → %u 条；登记的 pid %u → %u；"
				"这次发送中为属主产生了 SIGUSR1：%s", x->msgs_before, x->after.msgs,
				x->notify_pid_before, x->after.notify_pid, yes_no_zh(g >= 0));
	}

	c = claim_new(cs, "delivered-mesgq", "The owner's handler gets SIGUSR1 with si_code "
		      "SI_MESGQ and the value it registered, 42");
	claim_zh(c, "属主的处理函数收到 SIGUSR1，si_code 为 SI_MESGQ，值为它注册的 42");
	if (need_zh(c, d >= 0 ? c : NULL, "signal delivery to the owner", "向属主递送的信号")) {
		const struct ipclab_signal_deliver *x = &tl->ev[d].e->sd;

		claim_cite(c, d);
		claim_result(c, x->sig == SIGUSR1_ && x->code == SI_MESGQ_ && x->value == 42,
			     "signal %d, si_code %d, value %lld", x->sig, x->code,
			     (long long)x->value);
		claim_detail_zh(c, "信号 %d，si_code %d，值 %lld", x->sig, x->code,
				(long long)x->value);
	}
}

/* ---------------------------------------------------------------- scenarios */

/* the notes name message queues only in their list of mechanisms (贡献内存 [sic]: 共享内存) */
#define RULE "在进程间完成数据传递需要借助操作系统提供特殊的方法，" \
	"如：文件、管道、信号、贡献内存、消息队列、套接字、命名管道等。"


static const struct scenario mqueue_scenarios[] = {
	{
		.name = "mq_priority", .section = "mqueue",
		.summary = "messages come out highest priority first, FIFO among equals",
		.rule_zh = RULE,
		.explain = "Four mq_send with priorities 1, 5, 3, 3 leave 4 messages in the queue. "
			   "Four mq_receive return them with priorities 5, 3, 3, 1: the kernel keeps "
			   "one list per priority (an rb-tree of them) and takes the first message "
			   "of the highest; mid-a, sent before mid-b, comes out first.",
		.summary_zh = "消息按优先级从高到低取出，同优先级先进先出",
		.explain_zh = "四次 mq_send 的优先级为 1、5、3、3，队列中留下 4 条消息。"
			      "四次 mq_receive 按优先级 5、3、3、1 返回它们："
			      "内核为每个优先级维护一个链表（这些链表组织成红黑树）"
			      "，总是取最高优先级的第一条；先发送的 mid-a 先于 mid-b 取出。",
		.look = "Four mq_send (priorities 1, 5, 3, 3) take the queue from 0 to 4 messages; the "
		        "four mq_recv return priorities 5, 3, 3, 1: highest first, first in first out "
		        "among equals.",
		.look_zh = "四次 mq_send（优先级 1、5、3、3）使队列从 0 条变为 4 条；"
		           "四次 mq_recv 依次取出优先级 5、3、3、1：优先级高的先出，"
		           "同优先级先进先出。",
		.programs = { "mq_priority" }, .check = check_mq_priority,
	},
	{
		.name = "mq_full_blocks", .section = "mqueue",
		.summary = "a full queue (mq_maxmsg 4) blocks the 5th mq_send until a receive",
		.rule_zh = RULE,
		.explain = "The queue holds at most mq_maxmsg = 4 messages. The 5th send enters "
			   "with 4 of 4 and sleeps. The receiver's first mq_receive takes m1 and, "
			   "inside the same call, puts the sleeping sender's m5 into the queue and "
			   "wakes it: that receive enters with 4 messages and leaves with 4.",
		.summary_zh = "队列已满（mq_maxmsg 为 4）时第 5 次 mq_send 阻塞，"
			      "直到有接收",
		.explain_zh = "队列最多容纳 mq_maxmsg = 4 条消息。第 5 次发送进入时队列为 4/4，"
			      "于是睡眠。接收者的第一次 mq_receive 取走 m1，"
			      "并在同一次调用中把睡眠中发送者的 m5 放进队列、"
			      "唤醒发送者：这次接收进入时有 4 条消息，离开时仍有 4 条。",
		.look = "The 5th mq_send enters at 4/4 and is a blocked bar on the queue; follow the "
		        "wake-up arrow from the receiver's first mq_recv, after which the queue is 4/4 "
		        "again: the sender's message went in.",
		.look_zh = "第 5 次 mq_send 进入时队列为 4/4，成为队列上的一段阻塞条；"
		           "顺着唤醒箭头看到接收者的第一次 mq_recv，之后队列又是 4/4："
		           "发送者的消息放进去了。",
		.programs = { "mq_full_blocks" }, .check = check_mq_full_blocks,
	},
	{
		.name = "mq_empty_blocks", .section = "mqueue",
		.summary = "a receive on an empty queue blocks; the send hands the message over",
		.rule_zh = RULE,
		.explain = "The receiver's mq_receive enters with 0 messages and sleeps. 100 ms "
			   "later the sender's mq_send finds it waiting and gives it the message "
			   "directly: the send enters and leaves with 0 messages (the message never "
			   "enters the queue) and wakes the receiver from inside mq_timedsend.",
		.summary_zh = "在空队列上接收会阻塞；发送时把消息直接交给接收者",
		.explain_zh = "接收者的 mq_receive 进入时队列中有 0 条消息，"
			      "于是睡眠。100 ms 后发送者的 mq_send 发现它在等待，"
			      "直接把消息交给它：发送进入和离开时队列都是 0 条（消息从未进入队列）"
			      "，并在 mq_timedsend 内部唤醒接收者。",
		.look = "The mq_recv enters at 0 messages and is a blocked bar; the mq_send finds the "
		        "receiver waiting and hands the message over directly (wake-up arrow): the "
		        "queue holds 0 before and after.",
		.look_zh = "mq_recv 进入时队列为 0 条，成为一段阻塞条；mq_send 发现有接收者在等，"
		           "直接把消息交给它（唤醒箭头）：前后队列中都是 0 条。",
		.programs = { "mq_empty_blocks" }, .check = check_mq_empty_blocks,
	},
	{
		.name = "mq_errors", .section = "mqueue",
		.summary = "EMSGSIZE for a message or a buffer that does not fit mq_msgsize; "
			   "EAGAIN with O_NONBLOCK on a full or empty queue",
		.rule_zh = RULE,
		.explain = "The kernel checks a queue's limits at every call, before anything "
			   "moves: a 65-byte message on a 64-byte queue and a 32-byte receive "
			   "buffer (although both queued messages are 1 byte) get EMSGSIZE; with "
			   "O_NONBLOCK a send to the full queue (2 of 2) and a receive from the "
			   "empty one get EAGAIN instead of sleeping. Each leaves the queue as it "
			   "was.",
		.summary_zh = "消息长于或缓冲区短于 mq_msgsize 时 EMSGSIZE；O_NONBLOCK 下"
			      "队列满或空时 EAGAIN",
		.explain_zh = "内核在每次调用时、在移动任何数据之前检查队列的限制："
			      "在 64 字节的队列上发送 65 字节的消息、用 32 字节的缓冲区接收（尽管"
			      "队列中两条消息都只有 1 字节），都得到 EMSGSIZE；"
			      "在 O_NONBLOCK 下，向已满（2/2）的队列发送和从空队列接收都得到 EAGAIN 而"
			      "不是睡眠。每次调用后队列保持原样。",
		.look = "No blocked bar anywhere: -EMSGSIZE for a message larger than the queue's size "
		        "and for a receive buffer too small, then with O_NONBLOCK -EAGAIN on the full "
		        "and on the empty queue; the queue's count does not change.",
		.look_zh = "全程没有阻塞条：消息超过队列的消息长度、接收缓冲区太小，都返回 -EMSGSIZE；"
		           "加了 O_NONBLOCK 后，队列满和队列空时都返回 -EAGAIN；"
		           "队列中的消息数不变。",
		.programs = { "mq_errors" }, .check = check_mq_errors,
	},
	{
		.name = "mq_unrelated", .section = "mqueue",
		.summary = "two unrelated programs share a queue by name; it keeps its messages "
			   "after the writer exits",
		.rule_zh = RULE,
		.explain = "Two programs started separately (not parent and child): the writer "
			   "creates the queue by name, sends 3 messages and exits without closing "
			   "it. The reader opens the same name (no O_CREAT), finds the 3 messages "
			   "in the queue the writer left, receives them, and mq_unlink removes the "
			   "name: the next mq_open fails with ENOENT.",
		.summary_zh = "两个无血缘关系的程序按名字共享队列；写者退出后队列仍保留消息",
		.explain_zh = "分别启动的两个程序（不是父子）：写者按名字创建队列，"
			      "发送 3 条消息后不关闭队列就退出。读者打开同一个名字（不带 O_CREAT）"
			      "，在队列中找到写者留下的 3 条消息并接收它们；"
			      "mq_unlink 删除名字后，下一次 mq_open 以 ENOENT 失败。",
		.look = "Two unrelated lanes mq_open the same name; the writer sends 3 messages and "
		        "exits, and the reader's first mq_recv still finds 3: the queue outlives its "
		        "writer. After mq_unlink, mq_open fails with -ENOENT.",
		.look_zh = "两条无血缘关系的泳道按同一名字 mq_open；写者发送 3 条后退出，"
		           "读者第一次 mq_recv 时队列里仍有 3 条：队列比写者活得久。"
		           "mq_unlink 之后，mq_open 返回 -ENOENT。",
		.programs = { "mq_unrelated_writer {dir}", "mq_unrelated_reader {dir}" },
		.check = check_mq_unrelated,
	},
	{
		.name = "mq_notify", .section = "mqueue",
		.summary = "mq_notify: a message arriving in the empty queue signals the owner, once",
		.rule_zh = RULE,
		.explain = "The owner registers with mq_notify (SIGEV_SIGNAL, SIGUSR1, value 42) "
			   "and waits in sigsuspend. The sender's mq_send puts the first message "
			   "into the empty queue: inside that send the kernel generates SIGUSR1 for "
			   "the owner and removes the registration (one notification per "
			   "registration). The owner's handler gets si_code SI_MESGQ and the "
			   "value 42, then it receives the message.",
		.summary_zh = "mq_notify：消息到达空队列时向属主发一次信号",
		.explain_zh = "属主用 mq_notify 注册（SIGEV_SIGNAL、SIGUSR1、"
			      "值 42），然后在 sigsuspend 中等待。发送者的 mq_send 把第一条消息放"
			      "进空队列：内核在这次发送内部为属主产生 SIGUSR1，"
			      "并撤销注册（每次注册只通知一次）。属主的处理函数得到 si_code SI_MESGQ 和"
			      "值 42，随后接收这条消息。",
		.look = "The sender's mq_send into the empty queue (0 to 1) carries a SIGUSR1 signal "
		        "mark for the owner and clears the registration; the owner's delivery shows "
		        "SI_MESGQ and the value 42.",
		.look_zh = "发送者向空队列的 mq_send（0 条变 1 条）中带有一个发给注册进程的 SIGUSR1 信"
		           "号标记，并清除了注册；注册进程收到的信号为 SI_MESGQ，"
		           "值为 42。",
		.programs = { "mq_notify" }, .check = check_mq_notify,
	},
};

extern const struct mech_trace_ops mqueue_trace_ops;
extern const struct mech_timeline_ops mqueue_timeline_ops;

const struct mechanism mech_mqueue = {
	.name = "mqueue",
	.scenarios = mqueue_scenarios,
	.n_scenarios = sizeof(mqueue_scenarios) / sizeof(mqueue_scenarios[0]),
	.trace = &mqueue_trace_ops,
	.timeline = &mqueue_timeline_ops,
};
