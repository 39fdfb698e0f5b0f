// SPDX-License-Identifier: GPL-2.0
/*
 * mech/signal/tests/test_claims.c - the signal scenarios' claims (mech/signal/claims.c) on
 * synthetic timelines.  For each scenario an event list shaped like the lab program's trace
 * (the sequences of mech/signal/NOTES.md, measured on 6.18 x86_64), on which every claim
 * passes; then one fact changed per case, and the claim that rests on it must fail.  An empty
 * trace fails every claim.
 */
#include <errno.h>
#include <signal.h>
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
#define KP 0xffff888000007000ULL	/* a pipe */
#define KQ 0xffff888000008000ULL	/* another pipe */
#define KA 0xffff888000009000ULL	/* the ack pipe */
#define HANDLER 0x555555551234ULL
#define SA_RESTORER_ 0x04000000ULL
#define SA_SIGINFO_ 0x4ULL
#define SA_RESTART_ 0x10000000ULL
#define RTMIN IPCLAB_SIGRTMIN
#define BIT(sig) (1ULL << ((sig) - 1))

struct evl {
	struct ipclab_event e[1200];
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

static void role(__u32 pid, const char *name)
{
	struct ipclab_event *e = add(EVT_RENAME, pid, 0, 0);

	snprintf(e->task.comm, sizeof(e->task.comm), "%s", name);
}

static struct ipclab_event *sc(__u32 pid, __u64 start, __u64 dur, int nr, __s64 ret)
{
	struct ipclab_event *e = add(EVT_SYSCALL, pid, start, dur);

	e->nr = nr;
	e->sc.ret = ret;
	e->sc.fds[0] = e->sc.fds[1] = -1;
	return e;
}

static struct ipclab_event *sigaction_ev(__u32 pid, __u64 start, int sig, __u64 flags)
{
	struct ipclab_event *e = sc(pid, start, 2 * US, NR_rt_sigaction, 0);

	e->sc.args[0] = sig;
	e->sc.sigsc.handler = HANDLER;
	e->sc.sigsc.sa_flags = flags | SA_RESTORER_;
	e->sc.sigsc.valid = SIGSC_ACT | SIGSC_BLOCKED;
	return e;
}

static struct ipclab_event *procmask(__u32 pid, __u64 start, int how, __u64 set, __u64 before,
				     __u64 after)
{
	struct ipclab_event *e = sc(pid, start, 1 * US, NR_rt_sigprocmask, 0);

	e->sc.args[0] = how;
	e->sc.sigsc.how = how;
	e->sc.sigsc.set = set;
	e->sc.sigsc.blocked_before = before;
	e->sc.sigsc.blocked_after = after;
	e->sc.sigsc.valid = SIGSC_SET | SIGSC_BLOCKED;
	return e;
}

/* a generation for target, by sender in syscall nr (-1: none) */
static struct ipclab_event *gen(__u32 target, __u64 t, int sig, int result, __u32 sender, int nr)
{
	struct ipclab_event *e = add(EVT_SIGNAL, target, t, 0);

	e->sig.sig = sig;
	e->sig.result = result;
	e->sig.sender_pid = e->sig.sender_tid = sender;
	e->nr = nr;
	return e;
}

static struct ipclab_event *dlv(__u32 pid, __u64 t, int sig, __u64 flags, int code, __u32 sender,
				__s64 value)
{
	struct ipclab_event *e = add(EVT_SIGNAL_DELIVER, pid, t, 0);

	e->sd.sig = sig;
	e->sd.handler = HANDLER;
	e->sd.sa_flags = flags | SA_RESTORER_;
	e->sd.code = code;
	e->sd.sender_pid = sender;
	e->sd.value = value;
	return e;
}

/* a kill-like syscall of sender with its generation for target in the middle */
static struct ipclab_event *send(__u32 sender, __u64 start, int nr, __u32 target, int sig,
				 int result)
{
	struct ipclab_event *k = sc(sender, start, 4 * US, nr, 0);

	k->sc.args[0] = target;
	k->sc.args[1] = sig;
	gen(target, start + 2 * US, sig, result, sender, nr);
	return k;
}

static struct ipclab_event *block(__u32 tid, __u64 start, __u64 dur, int nr, __u32 waker, int wnr)
{
	struct ipclab_event *e = add(EVT_BLOCK, tid, start, dur);

	e->nr = nr;
	e->blk.ts_wake = e->ts - 1;
	e->blk.waker_pid = e->blk.waker_tid = waker;
	e->blk.waker_nr = wnr;
	return e;
}

static struct ipclab_event *pipe_rec(__u64 kptr, __u32 pid, __u64 start, __u64 dur, int write,
				     __s64 result)
{
	struct ipclab_event *e = add(EVT_PIPE_IO, pid, start, dur);

	e->nr = write ? NR_write : NR_read;
	e->io.write = write;
	e->io.fd = write ? 4 : 3;
	e->io.result = result;
	e->io.requested = 1;
	e->io.after.pipe = kptr;
	e->io.after.ino = kptr >> 12;
	e->io.after.dev = 13;
	e->io.after.ring_size = e->io.after.max_usage = 16;
	e->io.after.readers = e->io.after.writers = 1;
	return e;
}

static struct ipclab_event *exit_ev(__u32 pid, __u64 t, int status)
{
	struct ipclab_event *e = add(EVT_EXIT, pid, t, 0);

	e->task.exit_code = status;
	e->flags = EVF_GROUP_DEAD;
	return e;
}

/* the k-th record of type (and, for syscalls, nr; -1 any) of pid in list order */
static struct ipclab_event *nth_rec(int type, __u32 pid, int nr, int k)
{
	for (size_t i = 0; i < L.n; i++) {
		struct ipclab_event *e = &L.e[i];

		if (e->type != type || e->pid != pid || (nr >= 0 && e->nr != nr))
			continue;
		if (k-- == 0)
			return e;
	}
	fail_msg("no record %d of type %d nr %d, pid %u", k, type, nr, pid);
	return NULL;
}

static void drop(struct ipclab_event *e)
{
	size_t i = (size_t)(e - L.e);

	memmove(&L.e[i], &L.e[i + 1], (L.n - i - 1) * sizeof(*e));
	L.n--;
}

/* ---------------------------------------------------------------- evaluation */

/* The list L judged by the scenario's checker (tests/unit/claims_check.h). */
static void evaluate(const char *scenario, struct claim_set *cs)
{
	claims_evaluate(scenario, L.e, L.n, T0, cs);
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

/* Claim `id` fails on the list (and the others are not affected by the test's intent). */
static void assert_fails(const char *scenario, const char *id)
{
	claims_assert_fails(scenario, L.e, L.n, T0, id);
	assert_all_zh(scenario);
}

/* ---------------------------------------------------------------- fixtures */

#define R 100	/* receiver, reader, parent */
#define S 200	/* sender, signaller, child */
#define S2 201	/* the second signaller */

/* signal_kill_handler (NOTES.md 2 and 6) */
static void fx_kill(void)
{
	L.n = 0;
	role(R, "receiver");
	role(S, "sender");
	sigaction_ev(R, 10 * US, SIGUSR1, 0);
	procmask(R, 15 * US, SIG_BLOCK, BIT(SIGUSR1), 0, BIT(SIGUSR1));
	sc(R, 20 * US, 100 * MSEC, NR_rt_sigsuspend, -514);
	block(R, 21 * US, 100 * MSEC - 2 * US, NR_rt_sigsuspend, S, NR_kill);
	send(S, 100 * MSEC, NR_kill, R, SIGUSR1, 0);
	dlv(R, 100 * MSEC + 200 * US, SIGUSR1, 0, 0, S, 0);
	sc(R, 100 * MSEC + 210 * US, 2 * US, NR_rt_sigreturn, -EINTR);
}

static void test_kill_handler(void **state)
{
	(void)state;
	fx_kill();
	assert_all_pass("signal_kill_handler", 4);

	nth_rec(EVT_SIGNAL, R, -1, 0)->sig.result = 2;	/* already pending */
	assert_fails("signal_kill_handler", "kill-generates");

	fx_kill();
	nth_rec(EVT_SIGNAL, R, -1, 0)->ts = nth_rec(EVT_SIGNAL, R, -1, 0)->ts_start =
		T0 + 150 * MSEC;	/* not inside the kill */
	assert_fails("signal_kill_handler", "kill-generates");

	fx_kill();
	nth_rec(EVT_SIGNAL_DELIVER, R, -1, 0)->sd.handler = 0;	/* SIG_DFL ran */
	assert_fails("signal_kill_handler", "handler-runs");

	fx_kill();
	dlv(R, 100 * MSEC + 220 * US, SIGUSR1, 0, 0, S, 0);	/* delivered twice */
	assert_fails("signal_kill_handler", "handler-runs");

	fx_kill();
	nth_rec(EVT_SYSCALL, R, NR_rt_sigreturn, 0)->sc.ret = 0;	/* not EINTR */
	assert_fails("signal_kill_handler", "interrupts-sigsuspend");

	fx_kill();
	nth_rec(EVT_SYSCALL, R, NR_rt_sigsuspend, 0)->sc.ret = -EINTR;
	assert_fails("signal_kill_handler", "interrupts-sigsuspend");

	fx_kill();
	drop(nth_rec(EVT_SYSCALL, S, NR_kill, 0));
	assert_fails("signal_kill_handler", "latency");
}

/* signal_coalesce (NOTES.md 3) */
static void fx_coalesce(void)
{
	L.n = 0;
	role(R, "receiver");
	role(S, "sender");
	sigaction_ev(R, 10 * US, SIGUSR1, 0);
	procmask(R, 15 * US, SIG_BLOCK, BIT(SIGUSR1), 0, BIT(SIGUSR1));
	for (int i = 0; i < 5; i++)
		send(S, 50 * MSEC + i * 5 * US, NR_kill, R, SIGUSR1, i ? 2 : 0);
	gen(R, 51 * MSEC, SIGCHLD, 1, S, -1);
	procmask(R, 52 * MSEC, SIG_UNBLOCK, BIT(SIGUSR1), BIT(SIGUSR1), 0);
	dlv(R, 52 * MSEC + 3 * US, SIGUSR1, 0, 0, S, 0);
	sc(R, 52 * MSEC + 5 * US, 1 * US, NR_rt_sigreturn, 0);
}

static void test_coalesce(void **state)
{
	(void)state;
	fx_coalesce();
	assert_all_pass("signal_coalesce", 3);

	nth_rec(EVT_SYSCALL, R, NR_rt_sigprocmask, 0)->sc.sigsc.blocked_after = 0;
	assert_fails("signal_coalesce", "blocked");

	fx_coalesce();
	nth_rec(EVT_SIGNAL, R, -1, 3)->sig.result = 0;	/* a second one queued */
	assert_fails("signal_coalesce", "already-pending");

	fx_coalesce();
	dlv(R, 52 * MSEC + 8 * US, SIGUSR1, 0, 0, S, 0);	/* delivered twice */
	assert_fails("signal_coalesce", "delivered-once");

	fx_coalesce();
	nth_rec(EVT_SYSCALL, R, NR_rt_sigprocmask, 1)->sc.sigsc.blocked_after = BIT(SIGUSR1);
	assert_fails("signal_coalesce", "delivered-once");	/* never unblocked */
}

/* signal_rt_queue (NOTES.md 4) */
static void fx_rt(void)
{
	L.n = 0;
	role(R, "receiver");
	role(S, "sender");
	sigaction_ev(R, 10 * US, RTMIN, SA_SIGINFO_);
	procmask(R, 15 * US, SIG_BLOCK, BIT(RTMIN), 0, BIT(RTMIN));
	for (int i = 0; i < 5; i++)
		send(S, 50 * MSEC + i * 6 * US, NR_rt_sigqueueinfo, R, RTMIN, 0);
	procmask(R, 52 * MSEC, SIG_UNBLOCK, BIT(RTMIN), BIT(RTMIN), 0);
	for (int i = 0; i < 5; i++) {
		dlv(R, 52 * MSEC + (5 + 4 * i) * US, RTMIN, SA_SIGINFO_, -1, S, i + 1)->sd.pending =
			i < 4 ? BIT(RTMIN) : 0;	/* more queued (NOTES.md 1) */
		sc(R, 52 * MSEC + (6 + 4 * i) * US, 1 * US, NR_rt_sigreturn, 0);
	}
}

static int count_commas(const char *s)
{
	int n = 0;

	for (; *s && *s != ' '; s++)
		n += *s == ',';
	return n;
}

static void test_rt_queue(void **state)
{
	struct claim_set cs;
	const char *d, *more;

	(void)state;
	fx_rt();
	assert_all_pass("signal_rt_queue", 3);

	nth_rec(EVT_SIGNAL, R, -1, 4)->sig.result = 3;	/* overflow_fail */
	assert_fails("signal_rt_queue", "all-queued");

	fx_rt();
	nth_rec(EVT_SIGNAL_DELIVER, R, -1, 1)->sd.value = 3;	/* out of order */
	nth_rec(EVT_SIGNAL_DELIVER, R, -1, 2)->sd.value = 2;
	assert_fails("signal_rt_queue", "five-in-order");

	fx_rt();
	drop(nth_rec(EVT_SIGNAL_DELIVER, R, -1, 4));	/* coalesced like a standard one */
	assert_fails("signal_rt_queue", "five-in-order");
	assert_fails("signal_rt_queue", "queued-not-a-bit");

	fx_rt();
	nth_rec(EVT_SIGNAL_DELIVER, R, -1, 1)->sd.pending = 0;	/* a bit, cleared at once */
	assert_fails("signal_rt_queue", "queued-not-a-bit");

	fx_rt();
	nth_rec(EVT_SIGNAL_DELIVER, R, -1, 4)->sd.pending = BIT(RTMIN);	/* still one left */
	assert_fails("signal_rt_queue", "queued-not-a-bit");

	/* 20 more deliveries than sent: the values listed say how many they leave out */
	fx_rt();
	for (int i = 0; i < 20; i++)
		dlv(R, 60 * MSEC + i * 4 * US, RTMIN, SA_SIGINFO_, -1, S, 10000 + i);
	claims_evaluate("signal_rt_queue", L.e, L.n, T0, &cs);
	d = claim_get(&cs, "five-in-order")->detail;
	if (strncmp(d, "25 deliveries, values 1,2,3,4,5,10000,", 38) || !strstr(d, " more"))
		fail_msg("five-in-order: %s", d);
	more = strstr(d, "\u2026 and ");
	assert_non_null(more);
	/* every value is either listed or counted */
	assert_int_equal(count_commas(d + strlen("25 deliveries, values ")) + 1 +
			 atoi(more + strlen("\u2026 and ")), 25);
}

/* signal_eintr (NOTES.md 2): round 1 on KP, round 2 on KQ; the handler acks on KA */
static void fx_eintr(void)
{
	L.n = 0;
	role(R, "reader");
	role(S, "signaller");
	role(S2, "signaller");
	sigaction_ev(R, 10 * US, SIGUSR1, 0);
	pipe_rec(KP, R, 20 * US, 100 * MSEC, 0, -512);
	block(R, 21 * US, 100 * MSEC - 2 * US, NR_read, S, NR_kill);
	send(S, 100 * MSEC, NR_kill, R, SIGUSR1, 0);
	dlv(R, 100 * MSEC + 30 * US, SIGUSR1, 0, 0, S, 0);
	pipe_rec(KA, R, 100 * MSEC + 32 * US, 2 * US, 1, 1);
	sc(R, 100 * MSEC + 40 * US, 2 * US, NR_rt_sigreturn, -EINTR);
	sigaction_ev(R, 300 * MSEC, SIGUSR1, SA_RESTART_);
	pipe_rec(KQ, R, 300 * MSEC + 20 * US, 100 * MSEC, 0, -512);
	block(R, 300 * MSEC + 21 * US, 100 * MSEC - 2 * US, NR_read, S2, NR_kill);
	send(S2, 400 * MSEC, NR_kill, R, SIGUSR1, 0);
	dlv(R, 400 * MSEC + 30 * US, SIGUSR1, SA_RESTART_, 0, S2, 0);
	pipe_rec(KA + 0x1000, R, 400 * MSEC + 32 * US, 2 * US, 1, 1);
	sc(R, 400 * MSEC + 40 * US, 2 * US, NR_rt_sigreturn, 0);
	pipe_rec(KQ, R, 400 * MSEC + 50 * US, 100 * MSEC, 0, 1);
	block(R, 400 * MSEC + 51 * US, 100 * MSEC - 2 * US, NR_read, S2, NR_write);
	pipe_rec(KQ, S2, 500 * MSEC, 5 * US, 1, 1);
}

static void test_eintr(void **state)
{
	(void)state;
	fx_eintr();
	assert_all_pass("signal_eintr", 3);

	nth_rec(EVT_PIPE_IO, R, NR_read, 0)->io.result = -EINTR;	/* what the program saw */
	assert_fails("signal_eintr", "exit-sees-restart");

	fx_eintr();
	nth_rec(EVT_BLOCK, R, -1, 1)->blk.waker_nr = NR_write;	/* not woken by the kill */
	assert_fails("signal_eintr", "exit-sees-restart");

	fx_eintr();
	nth_rec(EVT_SYSCALL, R, NR_rt_sigreturn, 0)->sc.ret = 0;
	assert_fails("signal_eintr", "eintr");

	fx_eintr();
	nth_rec(EVT_SIGNAL_DELIVER, R, -1, 0)->sd.sa_flags |= SA_RESTART_;
	assert_fails("signal_eintr", "eintr");

	fx_eintr();
	nth_rec(EVT_SYSCALL, R, NR_rt_sigreturn, 1)->sc.ret = -EINTR;	/* not restarted */
	assert_fails("signal_eintr", "restart");

	fx_eintr();
	nth_rec(EVT_PIPE_IO, R, NR_read, 2)->io.result = -EINTR;
	assert_fails("signal_eintr", "restart");
}

/* signal_sigchld (NOTES.md 5) */
static void fx_sigchld(void)
{
	L.n = 0;
	role(R, "parent");
	role(S, "child");
	sigaction_ev(R, 10 * US, SIGCHLD, SA_SIGINFO_);
	procmask(R, 15 * US, SIG_BLOCK, BIT(SIGCHLD), 0, BIT(SIGCHLD));
	sc(R, 20 * US, 100 * MSEC, NR_rt_sigsuspend, -514);
	block(R, 21 * US, 100 * MSEC - 2 * US, NR_rt_sigsuspend, S, -1);
	exit_ev(S, 100 * MSEC, 7 << 8);
	gen(R, 100 * MSEC + 100 * US, SIGCHLD, 0, S, -1);
	dlv(R, 100 * MSEC + 130 * US, SIGCHLD, SA_SIGINFO_, 1, S, 7);
	sc(R, 100 * MSEC + 140 * US, 2 * US, NR_rt_sigreturn, -EINTR);
}

static void test_sigchld(void **state)
{
	(void)state;
	fx_sigchld();
	assert_all_pass("signal_sigchld", 2);

	nth_rec(EVT_SIGNAL, R, -1, 0)->sig.sender_pid = R;	/* sent by someone else */
	assert_fails("signal_sigchld", "sent-by-exit");

	fx_sigchld();
	nth_rec(EVT_SIGNAL, R, -1, 0)->sig.result = 1;	/* ignored */
	assert_fails("signal_sigchld", "sent-by-exit");

	fx_sigchld();
	nth_rec(EVT_SIGNAL_DELIVER, R, -1, 0)->sd.value = 0;	/* another status */
	assert_fails("signal_sigchld", "handler-learns-exit");

	fx_sigchld();
	nth_rec(EVT_SIGNAL_DELIVER, R, -1, 0)->sd.code = 2;	/* CLD_KILLED */
	assert_fails("signal_sigchld", "handler-learns-exit");
}

/* signal_vs_pipe: 50 round trips each (sig_ping 300, sig_pong 301, pipe_ping 400, pipe_pong
 * 401); the signal side costs sig_us of kernel time per call, the pipe side pipe_us */
#define SP 300
#define SO 301
#define PP 400
#define PO 401

static void fx_vs(__u64 sig_ns, __u64 pipe_ns)
{
	__u64 t = 1 * MSEC;

	L.n = 0;
	role(SP, "sig_ping");
	role(SO, "sig_pong");
	role(PP, "pipe_ping");
	role(PO, "pipe_pong");
	for (int i = 0; i < 50; i++, t += 100 * US) {
		sc(SP, t, sig_ns, NR_kill, 0);
		sc(SO, t + 10 * US, sig_ns, NR_rt_sigsuspend, -514);
		dlv(SO, t + 20 * US, SIGUSR1, SA_SIGINFO_, 0, SP, 0);
		sc(SO, t + 21 * US, sig_ns, NR_rt_sigreturn, -EINTR);
		sc(SO, t + 30 * US, sig_ns, NR_kill, 0);
		sc(SP, t + 40 * US, sig_ns, NR_rt_sigsuspend, -514);
		dlv(SP, t + 50 * US, SIGUSR2, SA_SIGINFO_, 0, SO, 0);
		sc(SP, t + 51 * US, sig_ns, NR_rt_sigreturn, -EINTR);
	}
	for (int i = 0; i < 50; i++, t += 100 * US) {
		pipe_rec(KP, PP, t, pipe_ns, 1, 1);
		pipe_rec(KP, PO, t + 10 * US, pipe_ns, 0, 1);
		pipe_rec(KQ, PO, t + 20 * US, pipe_ns, 1, 1);
		pipe_rec(KQ, PP, t + 30 * US, pipe_ns, 0, 1);
	}
}

static void test_vs_pipe(void **state)
{
	struct claim_set cs;

	(void)state;
	fx_vs(2 * US, 2 * US);
	assert_all_pass("signal_vs_pipe", 3);
	/* a round trip of each: 2 x (kill, sigsuspend, sigreturn), 2 x (write, read) */
	claims_assert_cites("signal_vs_pipe", L.e, L.n, T0, "cost", 10, 0, NULL);
	/* the cost claim passes whichever way it comes out, and says which */
	evaluate("signal_vs_pipe", &cs);
	assert_non_null(strstr(claim_get(&cs, "cost")->detail, "more"));	/* 6 calls vs 4 */
	assert_non_null(strstr(claim_get(&cs, "cost")->detail_zh, "信号的开销是管道的"));
	assert_non_null(strstr(claim_get(&cs, "cost")->detail_zh, "不成立"));
	fx_vs(1 * US, 3 * US);
	evaluate("signal_vs_pipe", &cs);
	assert_true(claim_get(&cs, "cost")->pass);
	assert_non_null(strstr(claim_get(&cs, "cost")->detail, "less"));
	assert_non_null(strstr(claim_get(&cs, "cost")->detail_zh, "管道的开销是信号的"));
	assert_null(strstr(claim_get(&cs, "cost")->detail_zh, "不成立"));

	fx_vs(2 * US, 2 * US);
	drop(nth_rec(EVT_SIGNAL_DELIVER, SO, -1, 7));
	assert_fails("signal_vs_pipe", "signal-round-trips");
	assert_fails("signal_vs_pipe", "cost");

	fx_vs(2 * US, 2 * US);
	nth_rec(EVT_PIPE_IO, PO, -1, 9)->io.result = 0;
	assert_fails("signal_vs_pipe", "pipe-round-trips");
	assert_fails("signal_vs_pipe", "cost");
}

static void test_empty_trace_fails_everything(void **state)
{
	const struct scenario *s;

	(void)state;
	claims_assert_section_fails_empty("signal", 6);
	L.n = 0;	/* each claim says, in Chinese too, what is missing */
	for (size_t i = 0; (s = scenario_at(i)); i++)
		if (strcmp(s->section, "signal") == 0)
			assert_all_zh(s->name);
}

/* Each scenario names lab programs that exist (mech/signal/labs/NAME.c) and states its rule. */
static void test_scenario_table(void **state)
{
	const struct scenario *s;

	(void)state;
	for (size_t i = 0; (s = scenario_at(i)); i++) {
		char path[512];
		FILE *f;

		if (strcmp(s->section, "signal") != 0)
			continue;
		assert_non_null(s->summary);
		assert_non_null(strstr(s->rule_zh, "信号"));
		assert_non_null(s->explain);
		snprintf(path, sizeof(path), "%s/mech/signal/labs/%s.c", SOURCE_DIR, s->programs[0]);
		f = fopen(path, "r");
		if (!f)
			fail_msg("%s: no lab program %s", s->name, path);
		fclose(f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_trace_fails_everything),
		cmocka_unit_test(test_scenario_table),
		cmocka_unit_test(test_kill_handler),
		cmocka_unit_test(test_coalesce),
		cmocka_unit_test(test_rt_queue),
		cmocka_unit_test(test_eintr),
		cmocka_unit_test(test_sigchld),
		cmocka_unit_test(test_vs_pipe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
