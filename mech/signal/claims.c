// SPDX-License-Identifier: GPL-2.0
/*
 * mech/signal/claims.c - signals, the notes' "2）信号，开销最小，使用灵活，系统优先级比较高，
 * 异步方式", checked against the trace.
 *
 * Every decision reads kernel events: generations (signal:signal_generate: target, sender,
 * the kernel's verdict), deliveries (signal:signal_deliver: the action about to run, si_code,
 * si_value, the sender), the signal syscalls (kill, rt_sigqueueinfo, rt_sigprocmask with the
 * blocked mask before and after, rt_sigaction's new handler, rt_sigsuspend, rt_sigreturn),
 * pipe reads and writes, sleeps with their wakers, exits.  Roles are the names the lab
 * programs gave themselves with prctl(PR_SET_NAME), never anything they printed.
 *
 * The sequences are the ones measured on 6.18 x86_64 (mech/signal/NOTES.md); they follow
 * from the kernel's signal code, not from its version: sys_exit is traced before the signal
 * is acted on, so an interrupted sleep returns -ERESTART* there, and the handler's
 * rt_sigreturn hands the program its result.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "claims.h"
#include "claims_util.h"
#include "mechanism.h"
#include "signal_names.h"

#define ERESTARTSYS_	512	/* include/linux/errno.h: the kernel's own */
#define ERESTARTNOHAND_	514
#define SA_RESTART_	0x10000000u

/* ---------------------------------------------------------------- helpers */

static inline const struct ipclab_event *ev(const struct timeline *tl, long i)
{
	return tl->ev[i].e;
}

static __u32 pid_of(const struct tl_process *p)
{
	return p ? p->pid : 0;
}

/* The k-th record of type (EVT_SIGNAL or EVT_SIGNAL_DELIVER) of signal sig whose lane is
 * p's, or -1. */
static long sig_ev(const struct timeline *tl, const struct tl_process *p, int type, int sig, int k)
{
	struct tl_filter f = TL_ANY;

	if (!p)
		return -1;
	f.type = type;
	f.pid = p->pid;
	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f)) {
		int s = type == EVT_SIGNAL ? ev(tl, i)->sig.sig : ev(tl, i)->sd.sig;

		if (s == sig && k-- == 0)
			return i;
	}
	return -1;
}

static int sig_count(const struct timeline *tl, const struct tl_process *p, int type, int sig)
{
	int n = 0;

	while (sig_ev(tl, p, type, sig, n) >= 0)
		n++;
	return n;
}

/* The k-th syscall nr of p, or -1. */
static long call(const struct timeline *tl, const struct tl_process *p, int nr, int k)
{
	return p ? nth(tl, syscall_of(p->pid, nr), k) : -1;
}

/* p's first syscall nr that begins at or after t, or -1. */
static long call_after(const struct timeline *tl, const struct tl_process *p, int nr, __s64 t)
{
	struct tl_filter f;

	if (!p)
		return -1;
	f = syscall_of(p->pid, nr);
	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f))
		if (tl->ev[i].t >= t)
			return i;
	return -1;
}

/* Did the generation g happen inside the syscall span s? */
static bool inside(const struct timeline *tl, long g, long s)
{
	return g >= 0 && s >= 0 && tl->ev[g].t >= tl->ev[s].t && tl->ev[g].t <= tl_end(&tl->ev[s]);
}

/* p's last rt_sigaction for sig before t: the handler it installed (0: none seen). */
static __u64 installed_handler(const struct timeline *tl, const struct tl_process *p, int sig,
			       __s64 t)
{
	__u64 h = 0;

	for (int k = 0;; k++) {
		long i = call(tl, p, NR_rt_sigaction, k);

		if (i < 0 || tl->ev[i].t > t)
			return h;
		if ((int)ev(tl, i)->sc.args[0] == sig && ev(tl, i)->sc.ret == 0 &&
		    (ev(tl, i)->sc.sigsc.valid & SIGSC_ACT))
			h = ev(tl, i)->sc.sigsc.handler;
	}
}

static bool in_set(__u64 set, int sig)
{
	return set & (1ULL << (sig - 1));
}

/* The rt_sigprocmask of p that unblocked sig (before: blocked, after: not), or -1. */
static long unblock_of(const struct timeline *tl, const struct tl_process *p, int sig)
{
	for (int k = 0;; k++) {
		long i = call(tl, p, NR_rt_sigprocmask, k);
		const struct ipclab_sig_syscall *s;

		if (i < 0)
			return -1;
		s = &ev(tl, i)->sc.sigsc;
		if ((s->valid & SIGSC_BLOCKED) && in_set(s->blocked_before, sig) &&
		    !in_set(s->blocked_after, sig))
			return i;
	}
}

/* The rt_sigprocmask of p that blocked sig, or -1. */
static long block_of(const struct timeline *tl, const struct tl_process *p, int sig)
{
	for (int k = 0;; k++) {
		long i = call(tl, p, NR_rt_sigprocmask, k);
		const struct ipclab_sig_syscall *s;

		if (i < 0)
			return -1;
		s = &ev(tl, i)->sc.sigsc;
		if ((s->valid & SIGSC_BLOCKED) && !in_set(s->blocked_before, sig) &&
		    in_set(s->blocked_after, sig))
			return i;
	}
}

/* ---------------------------------------------------------------- kill -> handler */

static void check_signal_kill_handler(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *r = role(tl, "receiver"), *s = role(tl, "sender");
	long k = call(tl, s, NR_kill, 0);
	long g = sig_ev(tl, r, EVT_SIGNAL, SIGUSR1, 0), d = sig_ev(tl, r, EVT_SIGNAL_DELIVER, SIGUSR1, 0);
	long ss = call(tl, r, NR_rt_sigsuspend, 0);
	long ret = d >= 0 ? call_after(tl, r, NR_rt_sigreturn, tl->ev[d].t) : -1;
	struct claim *c;

	c = claim_new(cs, "kill-generates", "The sender's kill(receiver, SIGUSR1) generates "
		      "SIGUSR1 for the receiver inside the call, and the kernel queues it "
		      "(\"delivered\")");
	claim_zh(c, "发送者的 kill(receiver, SIGUSR1) 在调用内部为接收者产生 SIGUSR1，"
		 "内核将其入队（“delivered”）");
	if (need_zh(c, k >= 0 && g >= 0 ? s : NULL, "kill and SIGUSR1 generation",
		    "kill 和 SIGUSR1 的产生")) {
		const struct ipclab_event *x = ev(tl, g);
		const char *in = x->nr >= 0 ? syscall_name(x->nr) : NULL;
		char where_zh[48];

		claim_cite(c, k);
		claim_cite(c, g);
		claim_result(c, inside(tl, g, k) && ev(tl, k)->sc.args[0] == r->pid &&
			     x->sig.sender_pid == s->pid && x->nr == NR_kill &&
			     x->sig.result == SIG_DELIVERED,
			     "kill(%llu, %llu) by %u; generation from %u in %s: %s",
			     (unsigned long long)ev(tl, k)->sc.args[0],
			     (unsigned long long)ev(tl, k)->sc.args[1], s->pid, x->sig.sender_pid,
			     in ? in : "no syscall", sig_result_name(x->sig.result));
		if (in)
			snprintf(where_zh, sizeof(where_zh), "在 %s 中", in);
		else
			snprintf(where_zh, sizeof(where_zh), "不在系统调用中");
		claim_detail_zh(c, "pid %u 调用 kill(%llu, %llu)；信号由 pid %u %s产生，结果为 %s",
				s->pid, (unsigned long long)ev(tl, k)->sc.args[0],
				(unsigned long long)ev(tl, k)->sc.args[1], x->sig.sender_pid,
				where_zh, sig_result_name(x->sig.result));
	}

	c = claim_new(cs, "handler-runs", "The kernel delivers it once, to the handler the "
		      "receiver installed with sigaction()");
	claim_zh(c, "内核把它递送一次，交给接收者用 sigaction() 安装的处理函数");
	if (need_zh(c, d >= 0 && g >= 0 ? r : NULL, "SIGUSR1 delivery", "SIGUSR1 的递送")) {
		__u64 h = installed_handler(tl, r, SIGUSR1, tl->ev[d].t);

		claim_cite(c, d);
		claim_result(c, sig_count(tl, r, EVT_SIGNAL_DELIVER, SIGUSR1) == 1 && h > 1 &&
			     ev(tl, d)->sd.handler == h && tl->ev[d].t > tl->ev[g].t &&
			     ev(tl, d)->sd.sender_pid == s->pid,
			     "%d delivery(ies); handler 0x%llx, installed 0x%llx; from pid %u",
			     sig_count(tl, r, EVT_SIGNAL_DELIVER, SIGUSR1),
			     (unsigned long long)ev(tl, d)->sd.handler, (unsigned long long)h,
			     ev(tl, d)->sd.sender_pid);
		claim_detail_zh(c, "递送 %d 次；处理函数 0x%llx，安装的是 0x%llx；来自 pid %u",
				sig_count(tl, r, EVT_SIGNAL_DELIVER, SIGUSR1),
				(unsigned long long)ev(tl, d)->sd.handler, (unsigned long long)h,
				ev(tl, d)->sd.sender_pid);
	}

	c = claim_new(cs, "interrupts-sigsuspend", "The signal ends the receiver's sigsuspend(): "
		      "its sys_exit shows -ERESTARTNOHAND, then the handler runs, and its "
		      "rt_sigreturn gives sigsuspend() -EINTR");
	claim_zh(c, "信号结束了接收者的 sigsuspend()：其 sys_exit 显示 -ERESTARTNOHAND，"
		 "随后处理函数执行，处理函数的 rt_sigreturn 使 sigsuspend() 返回 -EINTR");
	if (need_zh(c, ss >= 0 && d >= 0 && ret >= 0 ? r : NULL, "rt_sigsuspend, delivery and "
		    "rt_sigreturn", "rt_sigsuspend、递送和 rt_sigreturn")) {
		claim_cite(c, ss);
		claim_cite(c, ret);
		claim_result(c, ev(tl, ss)->sc.ret == -ERESTARTNOHAND_ &&
			     tl_end(&tl->ev[ss]) <= tl->ev[d].t && ev(tl, ret)->sc.ret == -EINTR,
			     "rt_sigsuspend returned %lld at sys_exit; rt_sigreturn %lld",
			     (long long)ev(tl, ss)->sc.ret, (long long)ev(tl, ret)->sc.ret);
		claim_detail_zh(c, "rt_sigsuspend 在 sys_exit 处返回 %lld；rt_sigreturn 返回 %lld",
				(long long)ev(tl, ss)->sc.ret, (long long)ev(tl, ret)->sc.ret);
	}

	c = claim_new(cs, "latency", "The handler is entered some microseconds after the "
		      "sender's kill began: the time the kernel took to wake and switch to the "
		      "receiver");
	claim_zh(c, "处理函数在发送者开始 kill() 若干微秒后才进入：这是内核唤醒接收者并切换到它所"
		 "用的时间");
	if (need_zh(c, k >= 0 && d >= 0 ? r : NULL, "kill and delivery", "kill 和递送")) {
		__s64 lat = tl->ev[d].t - tl->ev[k].t;

		claim_cite(c, k);
		claim_cite(c, d);
		claim_result(c, lat > 0, "kill began at %.1f us, delivery at %.1f us: %.1f us",
			     tl->ev[k].t / 1e3, tl->ev[d].t / 1e3, lat / 1e3);
		claim_detail_zh(c, "kill 开始于 %.1f μs，递送发生于 %.1f μs：相隔 %.1f μs",
				tl->ev[k].t / 1e3, tl->ev[d].t / 1e3, lat / 1e3);
	}
}

/* ---------------------------------------------------------------- coalescing, queuing */

#define SENDS 5

static void check_signal_coalesce(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *r = role(tl, "receiver"), *s = role(tl, "sender");
	long un = unblock_of(tl, r, SIGUSR1), bl = block_of(tl, r, SIGUSR1);
	long d = sig_ev(tl, r, EVT_SIGNAL_DELIVER, SIGUSR1, 0);
	int kills = 0, gens = sig_count(tl, r, EVT_SIGNAL, SIGUSR1), pending = 0, first = -1;
	struct claim *c;

	for (long k; (k = call(tl, s, NR_kill, kills)) >= 0; kills++)
		;
	for (int i = 0; i < gens; i++) {
		const struct ipclab_event *x = ev(tl, sig_ev(tl, r, EVT_SIGNAL, SIGUSR1, i));

		if (i == 0)
			first = x->sig.result;
		else
			pending += x->sig.result == SIG_ALREADY_PENDING;
	}

	c = claim_new(cs, "blocked", "The receiver blocks SIGUSR1 (rt_sigprocmask SIG_BLOCK) "
		      "before the sender's five kill() calls");
	claim_zh(c, "接收者在发送者的五次 kill() 之前就阻塞了 SIGUSR1（rt_sigprocmask SIG_BLOCK）");
	if (need_zh(c, bl >= 0 && call(tl, s, NR_kill, 0) >= 0 ? r : NULL,
		    "SIG_BLOCK of SIGUSR1 and kill", "对 SIGUSR1 的 SIG_BLOCK 和 kill")) {
		claim_cite(c, bl);
		claim_result(c, kills == SENDS && tl->ev[bl].t < tl->ev[call(tl, s, NR_kill, 0)].t,
			     "SIGUSR1 blocked at %.1f us; %d kill calls from %.1f us", tl->ev[bl].t / 1e3,
			     kills, tl->ev[call(tl, s, NR_kill, 0)].t / 1e3);
		claim_detail_zh(c, "SIGUSR1 在 %.1f μs 被阻塞；从 %.1f μs 起共 %d 次 kill 调用",
				tl->ev[bl].t / 1e3, tl->ev[call(tl, s, NR_kill, 0)].t / 1e3, kills);
	}

	c = claim_new(cs, "already-pending", "The first SIGUSR1 becomes pending; the kernel drops "
		      "the other four (\"already_pending\"): a standard signal is one bit");
	claim_zh(c, "第一个 SIGUSR1 进入未决状态；内核丢弃其余四个（“already_pending”）"
		 "：标准信号的未决状态只是一个位");
	if (need_zh(c, gens ? r : NULL, "SIGUSR1 generation", "SIGUSR1 的产生")) {
		claim_cite(c, sig_ev(tl, r, EVT_SIGNAL, SIGUSR1, 0));
		claim_result(c, gens == SENDS && first == SIG_DELIVERED && pending == SENDS - 1,
			     "%d generations: first %s, %d already_pending", gens,
			     first >= 0 ? sig_result_name(first) : "none", pending);
		claim_detail_zh(c, "产生 %d 次：第一次为 %s，%d 次为 already_pending", gens,
				first >= 0 ? sig_result_name(first) : "无", pending);
	}

	c = claim_new(cs, "delivered-once", "When the receiver unblocks SIGUSR1, the handler runs "
		      "once");
	claim_zh(c, "接收者解除对 SIGUSR1 的阻塞后，处理函数只执行一次");
	if (need_zh(c, un >= 0 && d >= 0 ? r : NULL, "SIG_UNBLOCK and delivery",
		    "SIG_UNBLOCK 和递送")) {
		claim_cite(c, un);
		claim_cite(c, d);
		claim_result(c, sig_count(tl, r, EVT_SIGNAL_DELIVER, SIGUSR1) == 1 &&
			     tl->ev[d].t >= tl_end(&tl->ev[un]),
			     "%d delivery(ies) of SIGUSR1, the first %.1f us after the unblock",
			     sig_count(tl, r, EVT_SIGNAL_DELIVER, SIGUSR1),
			     (tl->ev[d].t - tl_end(&tl->ev[un])) / 1e3);
		claim_detail_zh(c, "SIGUSR1 递送 %d 次，第一次在解除阻塞后 %.1f μs",
				sig_count(tl, r, EVT_SIGNAL_DELIVER, SIGUSR1),
				(tl->ev[d].t - tl_end(&tl->ev[un])) / 1e3);
	}
}

static void check_signal_rt_queue(const struct timeline *tl, struct claim_set *cs)
{
	const int rtmin = IPCLAB_SIGRTMIN;
	const struct tl_process *r = role(tl, "receiver"), *s = role(tl, "sender");
	long un = unblock_of(tl, r, rtmin);
	int gens = sig_count(tl, r, EVT_SIGNAL, rtmin), dels = sig_count(tl, r, EVT_SIGNAL_DELIVER, rtmin);
	int queued = 0, sent = 0, in_order = 1, after = 1;
	char vals[64], vals_zh[64];
	struct claim_list l, l_zh;
	struct claim *c;

	claim_list_init(&l, vals, sizeof(vals), ",");
	claim_list_init_zh(&l_zh, vals_zh, sizeof(vals_zh), "、");
	for (long k; (k = call(tl, s, NR_rt_sigqueueinfo, sent)) >= 0; sent++)
		;
	for (int i = 0; i < gens; i++)
		queued += ev(tl, sig_ev(tl, r, EVT_SIGNAL, rtmin, i))->sig.result == SIG_DELIVERED;
	for (int i = 0; i < dels; i++) {
		long d = sig_ev(tl, r, EVT_SIGNAL_DELIVER, rtmin, i);

		in_order &= ev(tl, d)->sd.value == i + 1 && ev(tl, d)->sd.code == SI_QUEUE_;
		after &= un >= 0 && tl->ev[d].t >= tl_end(&tl->ev[un]);
		claim_list_add(&l, "%lld", (long long)ev(tl, d)->sd.value);
		claim_list_add(&l_zh, "%lld", (long long)ev(tl, d)->sd.value);
	}

	c = claim_new(cs, "all-queued", "Five sigqueue() calls (rt_sigqueueinfo) while the receiver "
		      "blocks SIGRTMIN: each one is queued (\"delivered\"), none dropped");
	claim_zh(c, "接收者阻塞 SIGRTMIN 期间的五次 sigqueue()（rt_sigqueueinfo）"
		 "：每一个都入队（“delivered”），没有被丢弃的");
	if (need_zh(c, sent && gens ? s : NULL, "rt_sigqueueinfo and SIGRTMIN generation",
		    "rt_sigqueueinfo 和 SIGRTMIN 的产生")) {
		claim_cite(c, call(tl, s, NR_rt_sigqueueinfo, 0));
		claim_result(c, sent == SENDS && gens == SENDS && queued == SENDS,
			     "%d rt_sigqueueinfo, %d generations, %d queued", sent, gens, queued);
		claim_detail_zh(c, "rt_sigqueueinfo %d 次，产生 %d 次，入队 %d 次", sent, gens,
				queued);
	}

	c = claim_new(cs, "five-in-order", "After the unblock, the handler runs five times, with "
		      "the values 1 to 5 in the order they were sent (si_code SI_QUEUE)");
	claim_zh(c, "解除阻塞后，处理函数执行五次，值按发送顺序为 1 到 5（si_code 为 SI_QUEUE）");
	if (need_zh(c, dels && un >= 0 ? r : NULL, "SIG_UNBLOCK and SIGRTMIN deliveries",
		    "SIG_UNBLOCK 和 SIGRTMIN 的递送")) {
		claim_cite(c, un);
		claim_cite(c, sig_ev(tl, r, EVT_SIGNAL_DELIVER, rtmin, 0));
		claim_result(c, dels == SENDS && in_order && after, "%d deliveries, values %s%s",
			     dels, vals, after ? "" : " (not all after the unblock)");
		claim_detail_zh(c, "递送 %d 次，值依次为 %s%s", dels, vals_zh,
				after ? "" : "（并非都在解除阻塞之后）");
	}

	c = claim_new(cs, "queued-not-a-bit", "SIGRTMIN stays pending after each of the first "
		      "four deliveries (more of it are queued) and is gone after the fifth");
	claim_zh(c, "前四次递送之后 SIGRTMIN 仍处于未决状态（队列中还有），"
		 "第五次之后才消失");
	if (need_zh(c, dels == SENDS ? r : NULL, "five SIGRTMIN deliveries",
		    "五次 SIGRTMIN 递送")) {
		char pend[16] = "";

		for (int i = 0; i < SENDS; i++) {
			long d = sig_ev(tl, r, EVT_SIGNAL_DELIVER, rtmin, i);

			pend[i] = in_set(ev(tl, d)->sd.pending, rtmin) ? 'P' : '-';
		}
		claim_cite(c, sig_ev(tl, r, EVT_SIGNAL_DELIVER, rtmin, SENDS - 1));
		claim_result(c, !strcmp(pend, "PPPP-"), "still pending after deliveries 1-5: %s "
			     "(P: pending)", pend);
		claim_detail_zh(c, "第 1～5 次递送之后是否仍未决：%s（P：未决）", pend);
	}
}

/* ---------------------------------------------------------------- EINTR vs SA_RESTART */

static void check_signal_eintr(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *r = role(tl, "reader");
	long rd[3], d[2], ret[2];
	struct claim *c;
	bool have = r != NULL;

	for (int i = 0; i < 3; i++)
		have &= (rd[i] = r ? nth(tl, pipe_io(r->pid, 0, -1), i) : -1) >= 0;
	for (int i = 0; i < 2; i++) {
		have &= (d[i] = sig_ev(tl, r, EVT_SIGNAL_DELIVER, SIGUSR1, i)) >= 0;
		ret[i] = have ? call_after(tl, r, NR_rt_sigreturn, tl->ev[d[i]].t) : -1;
		have &= ret[i] >= 0;
	}

	c = claim_new(cs, "exit-sees-restart", "In both rounds the kill wakes the sleeping "
		      "read, whose sys_exit returns -ERESTARTSYS: the syscall ends before the "
		      "kernel looks at the handler's flags");
	claim_zh(c, "两轮中 kill() 都唤醒了正在睡眠的 read()，其 sys_exit 返回 -ERESTARTSYS："
		 "系统调用在内核查看处理函数的标志之前就结束了");
	if (need_zh(c, have ? r : NULL, "three reads and two deliveries",
		    "三次 read 和两次递送")) {
		bool ok = true;

		for (int i = 0; i < 2; i++) {
			long b = tl_block_in(tl, rd[i]);

			ok &= io(tl, rd[i])->result == -ERESTARTSYS_ && b >= 0 &&
			      ev(tl, b)->blk.waker_nr == NR_kill &&
			      tl_end(&tl->ev[rd[i]]) <= tl->ev[d[i]].t;
			claim_cite(c, rd[i]);
		}
		claim_result(c, ok, "reads returned %lld and %lld at sys_exit",
			     (long long)io(tl, rd[0])->result, (long long)io(tl, rd[1])->result);
		claim_detail_zh(c, "两次 read 在 sys_exit 处分别返回 %lld 和 %lld",
				(long long)io(tl, rd[0])->result, (long long)io(tl, rd[1])->result);
	}

	c = claim_new(cs, "eintr", "Without SA_RESTART the handler's rt_sigreturn hands read() "
		      "-EINTR, and the program goes on without data");
	claim_zh(c, "没有 SA_RESTART 时，处理函数的 rt_sigreturn 使 read() 返回 -EINTR，"
		 "程序在没有数据的情况下继续执行");
	if (need_zh(c, have ? r : NULL, "round 1", "第 1 轮")) {
		claim_cite(c, d[0]);
		claim_cite(c, ret[0]);
		claim_result(c, !(ev(tl, d[0])->sd.sa_flags & SA_RESTART_) &&
			     ev(tl, ret[0])->sc.ret == -EINTR && tl->ev[rd[1]].obj != tl->ev[rd[0]].obj,
			     "flags 0x%llx; rt_sigreturn returned %lld; next read on object %d (was %d)",
			     (unsigned long long)ev(tl, d[0])->sd.sa_flags,
			     (long long)ev(tl, ret[0])->sc.ret, tl->ev[rd[1]].obj, tl->ev[rd[0]].obj);
		claim_detail_zh(c, "sa_flags 为 0x%llx；rt_sigreturn 返回 %lld；"
				"下一次 read 在对象 %d 上（被打断的那次在对象 %d 上）",
				(unsigned long long)ev(tl, d[0])->sd.sa_flags,
				(long long)ev(tl, ret[0])->sc.ret, tl->ev[rd[1]].obj, tl->ev[rd[0]].obj);
	}

	c = claim_new(cs, "restart", "With SA_RESTART the kernel re-issues the read after the "
		      "handler: a second read of the same pipe begins after the handler's return and "
		      "returns the byte written later");
	claim_zh(c, "有 SA_RESTART 时，内核在处理函数之后重新发起 read()：对同一管道的第二次 read() 在"
		 "处理函数返回后开始，并返回稍后写入的那个字节");
	if (need_zh(c, have ? r : NULL, "round 2", "第 2 轮")) {
		claim_cite(c, d[1]);
		claim_cite(c, rd[2]);
		claim_result(c, (ev(tl, d[1])->sd.sa_flags & SA_RESTART_) &&
			     ev(tl, ret[1])->sc.ret != -EINTR && tl->ev[rd[2]].obj == tl->ev[rd[1]].obj &&
			     tl->ev[rd[2]].t >= tl_end(&tl->ev[ret[1]]) && io(tl, rd[2])->result == 1,
			     "flags 0x%llx; rt_sigreturn returned %lld; then read returned %lld",
			     (unsigned long long)ev(tl, d[1])->sd.sa_flags,
			     (long long)ev(tl, ret[1])->sc.ret, (long long)io(tl, rd[2])->result);
		claim_detail_zh(c, "sa_flags 为 0x%llx；rt_sigreturn 返回 %lld；随后 read 返回 %lld",
				(unsigned long long)ev(tl, d[1])->sd.sa_flags,
				(long long)ev(tl, ret[1])->sc.ret, (long long)io(tl, rd[2])->result);
	}
}

/* ---------------------------------------------------------------- SIGCHLD */

static void check_signal_sigchld(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *p = role(tl, "parent"), *ch = role(tl, "child");
	long g = sig_ev(tl, p, EVT_SIGNAL, SIGCHLD, 0), d = sig_ev(tl, p, EVT_SIGNAL_DELIVER, SIGCHLD, 0);
	long x = ch ? nth(tl, events_of(ch->pid, EVT_EXIT), 0) : -1;
	struct claim *c;

	c = claim_new(cs, "sent-by-exit", "The child's exit makes the kernel generate SIGCHLD "
		      "for the parent, from the dying child, in no syscall of its own");
	claim_zh(c, "子进程的退出使内核为父进程产生 SIGCHLD，由正在消亡的子进程发出，"
		 "不在它自己的任何系统调用之内");
	if (need_zh(c, g >= 0 && x >= 0 ? ch : NULL, "the child's exit and SIGCHLD",
		    "子进程的退出和 SIGCHLD")) {
		claim_cite(c, x);
		claim_cite(c, g);
		claim_result(c, ev(tl, g)->sig.sender_pid == ch->pid && tl->ev[g].t >= tl->ev[x].t &&
			     ev(tl, g)->sig.result == SIG_DELIVERED,
			     "SIGCHLD from pid %u (the child: %u), %.1f us after its exit: %s",
			     ev(tl, g)->sig.sender_pid, ch->pid, (tl->ev[g].t - tl->ev[x].t) / 1e3,
			     sig_result_name(ev(tl, g)->sig.result));
		claim_detail_zh(c, "SIGCHLD 来自 pid %u（子进程是 %u），在其退出后 %.1f μs 产生，"
				"结果为 %s", ev(tl, g)->sig.sender_pid, ch->pid,
				(tl->ev[g].t - tl->ev[x].t) / 1e3,
				sig_result_name(ev(tl, g)->sig.result));
	}

	c = claim_new(cs, "handler-learns-exit", "The parent's handler gets SIGCHLD with "
		      "CLD_EXITED, the child's pid and its exit status 7");
	claim_zh(c, "父进程的处理函数收到 SIGCHLD，得到 CLD_EXITED、子进程的 pid 及其退出状态 7");
	if (need_zh(c, d >= 0 && ch ? p : NULL, "SIGCHLD delivery", "SIGCHLD 的递送")) {
		const struct ipclab_signal_deliver *sd = &ev(tl, d)->sd;

		claim_cite(c, d);
		claim_result(c, sd->code == CLD_EXITED_ && sd->sender_pid == ch->pid &&
			     sd->value == 7 && sd->handler > 1,
			     "code %d, pid %u, status %lld", sd->code, sd->sender_pid,
			     (long long)sd->value);
		claim_detail_zh(c, "si_code %d，pid %u，退出状态 %lld", sd->code, sd->sender_pid,
				(long long)sd->value);
	}
}

/* ---------------------------------------------------------------- signal vs pipe */

#define TRIPS 50

struct cost {
	int calls, sleeps;
	__s64 kernel_ns;	/* the calls' time less the time asleep in them */
};

static void add_cost(const struct timeline *tl, long i, struct cost *k)
{
	long b = tl_block_in(tl, i);

	k->calls++;
	k->kernel_ns += tl->ev[i].dur;
	if (b >= 0) {
		k->sleeps++;
		k->kernel_ns -= tl->ev[b].dur;
	}
}

/* p's signal syscalls (kill, rt_sigsuspend, rt_sigreturn), or its pipe reads and writes. */
static void cost_of(const struct timeline *tl, const struct tl_process *p, bool pipes,
		    struct cost *k)
{
	static const int sig_nrs[] = { NR_kill, NR_rt_sigsuspend, NR_rt_sigreturn };

	if (!p)
		return;
	if (pipes) {
		struct tl_filter f = events_of(p->pid, EVT_PIPE_IO);

		for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f))
			add_cost(tl, i, k);
		return;
	}
	for (size_t n = 0; n < sizeof(sig_nrs) / sizeof(sig_nrs[0]); n++) {
		struct tl_filter f = syscall_of(p->pid, sig_nrs[n]);

		for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f))
			add_cost(tl, i, k);
	}
}

/* A round trip's worth of what cost_of() counted: p's first call of each kind. */
static void cite_first_round(const struct timeline *tl, struct claim *c,
			     const struct tl_process *p, bool pipes)
{
	static const int sig_nrs[] = { NR_kill, NR_rt_sigsuspend, NR_rt_sigreturn };

	if (!p)
		return;
	if (pipes) {
		claim_cite(c, nth(tl, pipe_io(p->pid, 1, -1), 0));
		claim_cite(c, nth(tl, pipe_io(p->pid, 0, -1), 0));
		return;
	}
	for (size_t n = 0; n < sizeof(sig_nrs) / sizeof(sig_nrs[0]); n++)
		claim_cite(c, nth(tl, syscall_of(p->pid, sig_nrs[n]), 0));
}

static int io_count(const struct timeline *tl, const struct tl_process *p, int write)
{
	struct tl_filter f = pipe_io(pid_of(p), write, -1);
	int n = 0;

	if (!p)
		return 0;
	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f))
		n += io(tl, i)->result == 1;
	return n;
}

static void check_signal_vs_pipe(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *sp = role(tl, "sig_ping"), *so = role(tl, "sig_pong");
	const struct tl_process *pp = role(tl, "pipe_ping"), *po = role(tl, "pipe_pong");
	int d1 = sig_count(tl, so, EVT_SIGNAL_DELIVER, SIGUSR1);
	int d2 = sig_count(tl, sp, EVT_SIGNAL_DELIVER, SIGUSR2);
	int w1 = io_count(tl, pp, 1), r1 = io_count(tl, pp, 0);
	int w2 = io_count(tl, po, 1), r2 = io_count(tl, po, 0);
	struct cost sig = { 0 }, pip = { 0 };
	bool sig_ok = d1 == TRIPS && d2 == TRIPS, pipe_ok = w1 == TRIPS && r1 == TRIPS &&
		      w2 == TRIPS && r2 == TRIPS;
	struct claim *c;

	cost_of(tl, sp, false, &sig);
	cost_of(tl, so, false, &sig);
	cost_of(tl, pp, true, &pip);
	cost_of(tl, po, true, &pip);

	c = claim_new(cs, "signal-round-trips", "50 signal round trips: SIGUSR1 delivered to "
		      "sig_pong 50 times, SIGUSR2 to sig_ping 50 times");
	claim_zh(c, "50 次信号往返：SIGUSR1 递送给 sig_pong 50 次，SIGUSR2 递送给 sig_ping 50 次");
	if (need_zh(c, sp && so ? sp : NULL, "sig_ping and sig_pong", "sig_ping 和 sig_pong")) {
		claim_cite(c, sig_ev(tl, so, EVT_SIGNAL_DELIVER, SIGUSR1, 0));
		claim_result(c, sig_ok, "%d SIGUSR1 and %d SIGUSR2 deliveries", d1, d2);
		claim_detail_zh(c, "SIGUSR1 递送 %d 次，SIGUSR2 递送 %d 次", d1, d2);
	}

	c = claim_new(cs, "pipe-round-trips", "50 pipe round trips: 1-byte writes and reads, "
		      "50 each way");
	claim_zh(c, "50 次管道往返：每个方向各 50 次 1 字节的写和读");
	if (need_zh(c, pp && po ? pp : NULL, "pipe_ping and pipe_pong",
		    "pipe_ping 和 pipe_pong")) {
		claim_cite(c, nth(tl, pipe_io(pp->pid, 1, -1), 0));
		claim_result(c, pipe_ok, "pipe_ping wrote %d and read %d bytes, pipe_pong read %d "
			     "and wrote %d", w1, r1, r2, w2);
		claim_detail_zh(c, "pipe_ping 写 %d 字节、读 %d 字节，pipe_pong 读 %d 字节、"
				"写 %d 字节", w1, r1, r2, w2);
	}

	c = claim_new(cs, "cost", "Per round trip, the kernel time (syscall time less the time "
		      "asleep) and the sleeps of a signal round trip (kill, sigsuspend, "
		      "rt_sigreturn) against a 1-byte pipe round trip: the claim states which was "
		      "cheaper in this trace");
	claim_zh(c, "比较信号往返（kill、sigsuspend、rt_sigreturn）和 1 字节管道往返"
		 "每次的内核时间（系统调用时间减去睡眠时间）与睡眠次数："
		 "结论指出在这份跟踪记录中哪一种开销更小");
	cite_first_round(tl, c, sp, false);
	cite_first_round(tl, c, so, false);
	cite_first_round(tl, c, pp, true);
	cite_first_round(tl, c, po, true);
	if (need_zh(c, sig_ok && pipe_ok ? sp : NULL, "50 complete round trips of each",
		    "两种方式各 50 次完整的往返")) {
		double s = (double)sig.kernel_ns / TRIPS, p = (double)pip.kernel_ns / TRIPS;
		double ratio = s <= p ? p / (s > 0 ? s : 1) : s / (p > 0 ? p : 1);

		claim_result(c, sig.calls > 0 && pip.calls > 0,
			     "signals: %.1f us of kernel time, %.1f syscalls and %.2f sleeps per round "
			     "trip; pipes: %.1f us, %.1f syscalls, %.2f sleeps: signals cost %.2fx %s",
			     s / 1e3, (double)sig.calls / TRIPS, (double)sig.sleeps / TRIPS,
			     p / 1e3, (double)pip.calls / TRIPS, (double)pip.sleeps / TRIPS,
			     ratio, s <= p ? "less (the notes' rule holds here)" :
					     "more (the notes' rule does not hold here)");
		claim_detail_zh(c, "每次往返，信号：内核时间 %.1f μs，%.1f 次系统调用，%.2f 次睡眠；"
				"管道：%.1f μs，%.1f 次系统调用，%.2f 次睡眠。%s %.2f 倍（%s）",
				s / 1e3, (double)sig.calls / TRIPS, (double)sig.sleeps / TRIPS,
				p / 1e3, (double)pip.calls / TRIPS, (double)pip.sleeps / TRIPS,
				s <= p ? "管道的开销是信号的" : "信号的开销是管道的", ratio,
				s <= p ? "讲义中“信号开销最小”的说法在此成立" :
					 "讲义中“信号开销最小”的说法在此不成立");
	}
}

/* ---------------------------------------------------------------- scenarios */

#define RULE "2）信号，开销最小，使用灵活，系统优先级比较高，异步方式"

static const struct scenario signal_scenarios[] = {
	{
		.name = "signal_kill_handler", .section = "signal",
		.summary = "kill() -> the receiver's handler, asynchronously, with its latency",
		.rule_zh = RULE,
		.explain = "The sender's kill generates SIGUSR1 for the receiver (\"delivered\": "
			   "queued, the receiver woken). The receiver's sigsuspend ends "
			   "(-ERESTARTNOHAND at sys_exit), the kernel delivers the signal to the "
			   "installed handler, and the handler's rt_sigreturn gives sigsuspend "
			   "-EINTR. From the kill to the delivery: the signal's latency.",
		.summary_zh = "kill() → 接收者的信号处理函数：异步执行，以及它的延迟",
		.explain_zh = "发送者的 kill() 为接收者产生 SIGUSR1（“delivered”："
			      "信号入队，接收者被唤醒）。接收者的 sigsuspend() 结束（sys_exit 处为"
			      " -ERESTARTNOHAND），内核把信号递送给已安装的处理函数，"
			      "处理函数的 rt_sigreturn 使 sigsuspend() 返回 -EINTR。"
			      "从 kill() 到递送的时间，就是信号的延迟。",
		.look = "The SIGUSR1 mark inside the sender's kill, then the receiver's rt_sigsuspend "
		        "returning and the handler's delivery; the distance from the kill to the "
		        "delivery is the signal's latency.",
		.look_zh = "发送者的 kill 中出现 SIGUSR1 标记，随后接收者的 rt_sigsuspend 返"
		           "回、信号递送给处理函数；从 kill 到递送的距离就是信号的延迟。",
		.programs = { "signal_kill_handler" }, .check = check_signal_kill_handler,
	},
	{
		.name = "signal_coalesce", .section = "signal",
		.summary = "five SIGUSR1 sent while blocked are delivered once",
		.rule_zh = RULE,
		.explain = "A standard signal pending is one bit: the first of five kill() calls "
			   "makes SIGUSR1 pending, the kernel drops the four others "
			   "(\"already_pending\"). When the receiver unblocks it, one delivery.",
		.summary_zh = "阻塞期间发送的五个 SIGUSR1 只递送一次",
		.explain_zh = "标准信号的未决状态只是一位：五次 kill() 中的第一次使 SIGUSR1 进入未"
			      "决状态，内核丢弃其余四次（“already_pending”）"
			      "。接收者解除阻塞时，只递送一次。",
		.look = "Five kill(SIGUSR1) marks while the receiver blocks it: the first is made "
		        "pending, the other four are dropped (already pending); after the unblock only "
		        "one delivery appears.",
		.look_zh = "接收者阻塞 SIGUSR1 时有五个 kill(SIGUSR1) 标记："
		           "第一个变为未决，其余四个因已未决而被丢弃；解除阻塞后只出现一次递送。",
		.programs = { "signal_coalesce" }, .check = check_signal_coalesce,
	},
	{
		.name = "signal_rt_queue", .section = "signal",
		.summary = "five SIGRTMIN sent with values while blocked: five deliveries, in order",
		.rule_zh = RULE,
		.explain = "Real-time signals queue: each sigqueue() (rt_sigqueueinfo) is kept "
			   "with its value, and after the unblock the handler runs five times "
			   "with the values 1 to 5 in the order sent; SIGRTMIN stays pending "
			   "until the last one is taken.",
		.summary_zh = "阻塞期间带值发送五个 SIGRTMIN：按顺序递送五次",
		.explain_zh = "实时信号会排队：每次 sigqueue()（rt_sigqueueinfo）"
			      "连同其值都被保留；解除阻塞后，处理函数按发送顺序执行五次，"
			      "值为 1 到 5；直到最后一个被取走，SIGRTMIN 才不再未决。",
		.look = "Five rt_sigqueueinfo of SIGRTMIN with values 1-5 are all queued; after the "
		        "unblock five deliveries follow, with the values in order 1, 2, 3, 4, 5.",
		.look_zh = "五次带值 1-5 的 rt_sigqueueinfo(SIGRTMIN) 全部排队；"
		           "解除阻塞后依次递送五次，值按顺序为 1、2、3、4、5。",
		.programs = { "signal_rt_queue" }, .check = check_signal_rt_queue,
	},
	{
		.name = "signal_eintr", .section = "signal",
		.summary = "a signal interrupts a blocking pipe read: EINTR, or with SA_RESTART the "
			   "read goes on",
		.rule_zh = RULE,
		.explain = "The kill wakes the read sleeping on an empty pipe. sys_exit shows "
			   "-ERESTARTSYS in both rounds; then the handler runs. Without SA_RESTART "
			   "its rt_sigreturn hands read() -EINTR; with SA_RESTART the kernel "
			   "re-issues the read, which sleeps again and returns the byte written "
			   "100 ms later.",
		.summary_zh = "信号打断阻塞的管道读：返回 EINTR，或在 SA_RESTART 下继续读",
		.explain_zh = "kill() 唤醒了在空管道上睡眠的 read()。两轮中 sys_exit 都显示 -ERESTARTSYS；"
			      "随后处理函数执行。没有 SA_RESTART 时，处理函数的 rt_sigreturn 使 read() 返"
			      "回 -EINTR；有 SA_RESTART 时，内核重新发起 read()，"
			      "它再次睡眠，并返回 100 ms 后写入的那个字节。",
		.look = "The read of an empty pipe is a blocked bar; the kill's wake-up arrow ends it "
		        "with -ERESTARTSYS in both rounds. Without SA_RESTART the handler's "
		        "rt_sigreturn returns -EINTR; with it a second read of the same pipe appears.",
		.look_zh = "读空管道的 read 是一段阻塞条；kill 的唤醒箭头把它结束，"
		           "两轮都返回 -ERESTARTSYS。没有 SA_RESTART 时处理函数的 rt_sigreturn 返"
		           "回 -EINTR；有 SA_RESTART 时同一管道上出现第二次 read。",
		.programs = { "signal_eintr" }, .check = check_signal_eintr,
	},
	{
		.name = "signal_sigchld", .section = "signal",
		.summary = "a child's exit sends its parent SIGCHLD",
		.rule_zh = RULE,
		.explain = "The kernel generates SIGCHLD from the exiting child, in no syscall; "
			   "the parent's handler gets CLD_EXITED, the child's pid and status 7.",
		.summary_zh = "子进程退出时向父进程发送 SIGCHLD",
		.explain_zh = "内核在正在退出的子进程上下文中产生 SIGCHLD，"
			      "不在任何系统调用之内；父进程的处理函数得到 CLD_EXITED、"
			      "子进程的 pid 和退出状态 7。",
		.look = "The child's exit mark, then a SIGCHLD mark for the parent outside any syscall "
		        "(the kernel's exit path), and its delivery with code CLD_EXITED and status 7.",
		.look_zh = "先是子进程的退出标记，随后内核在退出路径上（不在任何系统调用中）"
		           "向父进程产生 SIGCHLD 标记，递送时 code 为 CLD_EXITED，"
		           "status 为 7。",
		.programs = { "signal_sigchld" }, .check = check_signal_sigchld,
	},
	{
		.name = "signal_vs_pipe", .section = "signal",
		.summary = "\"signals have the lowest overhead\": a signal round trip against a 1-byte "
			   "pipe round trip",
		.rule_zh = RULE,
		.explain = "50 round trips by kill + sigsuspend + handler, then 50 by 1-byte "
			   "messages on two pipes. The claim adds up the kernel time of each "
			   "(syscall time less the time asleep) and the sleeps, and says which "
			   "was cheaper in this trace.",
		.summary_zh = "“信号的开销最小”：比较信号往返和 1 字节管道往返",
		.explain_zh = "先用 kill() + sigsuspend() + 处理函数做 50 次往返，"
			      "再用两个管道上的 1 字节消息做 50 次往返。结论累计两者各自的内核时间"
			      "（系统调用时间减去睡眠时间）和睡眠次数，并指出在这份跟踪记录中哪一"
			      "种开销更小。",
		.look = "50 round trips by signals, then 50 by 1-byte pipe messages: compare the two "
		        "parts of the timeline, their syscalls and sleeps per round trip, and read the "
		        "cost claim for which was cheaper in this trace.",
		.look_zh = "先用信号往返 50 次，再用 1 字节管道消息往返 50 次："
		           "比较时间轴上这两段，每次往返的系统调用和睡眠次数，再看开销结论：本次跟踪中哪"
		           "种开销更小。",
		.programs = { "signal_vs_pipe" }, .check = check_signal_vs_pipe,
	},
};

extern const struct mech_trace_ops signal_trace_ops;
extern const struct mech_timeline_ops signal_timeline_ops;
extern const struct mech_probes signal_probes;

const struct mechanism mech_signal = {
	.name = "signal",
	.scenarios = signal_scenarios,
	.n_scenarios = sizeof(signal_scenarios) / sizeof(signal_scenarios[0]),
	.trace = &signal_trace_ops,
	.timeline = &signal_timeline_ops,
	.probes = &signal_probes,
};
