// SPDX-License-Identifier: GPL-2.0
/*
 * mech/unix/tests/test_claims.c - the Unix socket scenarios' claims (mech/unix/claims.c) on
 * synthetic timelines, as tests/unit/test_claims.c does for pipes.  For each scenario an event
 * list shaped like the lab program's trace, on which every claim passes; then one fact changed
 * per case, and the claim that depends on it must fail.  An empty trace fails every claim.
 *
 * The numbers are the 6.18 x86_64 ones of mech/unix/NOTES.md (an skb of 1 byte charged 768
 * bytes, of 4096 bytes 4864; sk_sndbuf 212992; max_dgram_qlen 10).  (This file is in tests/,
 * not next to claims.c: the build puts every mech/NAME/\*.c into the core.)
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
#include <sys/stat.h>
#include <cmocka.h>
#include "../../../tests/unit/claims_check.h"
#include "claims.h"
#include "scenarios.h"
#include "timeline.h"

#define T0 7000000000ULL
#define US 1000ULL
#define MSEC 1000000ULL
#define SNDBUF 212992
#define SKB1 768		/* charge of an skb of up to 64 bytes (6.18 x86_64) */
#define SKB4K 4864		/* of a 4096-byte write */
#define STREAM 1
#define DGRAM 2
#define SEQPACKET 5
#define KP 0xffff888000007000ULL	/* a pipe */
#define KQ 0xffff888000008000ULL	/* another pipe */

/* struct sock addresses */
static __u64 sk(int n)
{
	return 0xffff888100000000ULL + (__u64)n * 0x1000ULL;
}

/* ---------------------------------------------------------------- event lists */

struct evl {
	struct ipclab_event e[2400];
	size_t n;
};

static struct evl L;		/* one list at a time; too big for the stack */
static __u16 g_type = STREAM;	/* the socket type the next records carry */

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

static void reset(void)
{
	L.n = 0;
	g_type = STREAM;
}

static void role_at(__u32 pid, const char *name, __u64 t)
{
	struct ipclab_event *e = add(EVT_RENAME, pid, t, 0);

	snprintf(e->task.comm, sizeof(e->task.comm), "%s", name);
}

static void role(__u32 pid, const char *name)
{
	role_at(pid, name, 0);
}

static struct ipclab_event *syscall_ev(__u32 pid, __u64 start, __u64 dur, int nr, __s64 ret)
{
	struct ipclab_event *e = add(EVT_SYSCALL, pid, start, dur);

	e->nr = nr;
	e->sc.ret = ret;
	e->sc.fds[0] = e->sc.fds[1] = -1;
	return e;
}

static void fill_sock(struct ipclab_sock *s, __u64 sock, __u64 peer, __u16 type)
{
	s->sock = sock;
	s->peer = peer;
	s->ino = sock >> 12;
	s->type = type;
	s->state = 1;
	s->sndbuf = SNDBUF;
	s->rcvbuf = SNDBUF;
	s->max_qlen = type == DGRAM ? 10 : 0;
}

/* A socket syscall the kernel side resolved to socket `sock` (EVF_SOCK). */
static struct ipclab_event *sockcall(__u32 pid, __u64 start, __u64 dur, int nr, __s64 ret,
				     __u64 sock, __u64 peer)
{
	struct ipclab_event *e = syscall_ev(pid, start, dur, nr, ret);

	e->flags = EVF_SOCK;
	fill_sock(&e->sc.sock, sock, peer, g_type);
	if (nr == NR_socketpair) {
		e->sc.fds[0] = 3;
		e->sc.fds[1] = 4;
	}
	return e;
}

static struct ipclab_event *pair(__u32 pid, __u64 start, __u64 a, __u64 b)
{
	return sockcall(pid, start, 1 * US, NR_socketpair, 0, a, b);
}

/* A send or receive on `sock` (other end `peer`) sampling `queue`. */
static struct ipclab_event *sock_rec(__u32 pid, __u64 start, __u64 dur, int write, __u64 sock,
				     __u64 peer, __u64 queue, __s64 result, __u32 occ_b,
				     __u32 skbs_b, __u32 occ_a, __u32 skbs_a)
{
	struct ipclab_event *e = add(EVT_SOCK_IO, pid, start, dur);

	e->nr = write ? NR_write : NR_read;
	fill_sock(&e->sk.s, sock, peer, g_type);
	e->sk.queue = queue;
	e->sk.write = write;
	e->sk.fd = 3;
	e->sk.result = result;
	e->sk.requested = result > 0 ? (__u64)result : 100;
	e->sk.occ_before = occ_b;
	e->sk.skbs_before = skbs_b;
	e->sk.occ_after = occ_a;
	e->sk.skbs_after = skbs_a;
	e->sk.queue_max = 10;
	e->sk.wmem_max = SNDBUF;
	return e;
}

static struct ipclab_event *snd(__u32 pid, __u64 start, __u64 dur, __u64 from, __u64 to,
				__s64 result, __u32 occ_b, __u32 skbs_b, __u32 occ_a, __u32 skbs_a)
{
	return sock_rec(pid, start, dur, 1, from, to, to, result, occ_b, skbs_b, occ_a, skbs_a);
}

static struct ipclab_event *rcv(__u32 pid, __u64 start, __u64 dur, __u64 on, __u64 peer,
				__s64 result, __u32 occ_b, __u32 skbs_b, __u32 occ_a, __u32 skbs_a)
{
	return sock_rec(pid, start, dur, 0, on, peer, on, result, occ_b, skbs_b, occ_a, skbs_a);
}

static void charge(struct ipclab_event *e, __u32 before, __u32 after)
{
	e->sk.wmem_before = before;
	e->sk.wmem_after = after;
}

static void stamp(struct ipclab_event *e, const char *fmt, int n)
{
	char buf[IPCLAB_DATA_LEN + 1];

	memset(buf, '.', sizeof(buf));
	snprintf(buf, sizeof(buf), fmt, n);
	e->sk.data_len = IPCLAB_DATA_LEN;
	memcpy(e->sk.head, buf, IPCLAB_DATA_LEN);
}

/* `tid` slept in syscall nr; `waker` in syscall wnr woke it 1 ns before it ran again. */
static struct ipclab_event *block(__u32 tid, __u64 start, __u64 dur, int nr, __u32 waker, int wnr)
{
	struct ipclab_event *e = add(EVT_BLOCK, tid, start, dur);

	e->nr = nr;
	e->blk.ts_wake = e->ts - 1;
	e->blk.waker_pid = e->blk.waker_tid = waker;
	e->blk.waker_nr = wnr;
	snprintf(e->blk.waker_comm, sizeof(e->blk.waker_comm), "pid%u", waker);
	return e;
}

static void set_pipe(struct ipclab_pipe *p, __u64 kptr, __u32 bytes)
{
	p->pipe = kptr;
	p->ino = kptr == KP ? 7 : 8;
	p->dev = 13;
	p->ring_size = 16;
	p->max_usage = 16;
	p->readers = 1;
	p->writers = 1;
	p->bytes = bytes;
	p->slots = (bytes + 4095) / 4096;
}

static struct ipclab_event *pipe_rec(__u64 kptr, __u32 pid, __u64 start, __u64 dur, int write,
				     __s64 result, __u32 before, __u32 after)
{
	struct ipclab_event *e = add(EVT_PIPE_IO, pid, start, dur);

	e->nr = write ? NR_write : NR_read;
	e->io.write = write;
	e->io.fd = write ? 4 : 3;
	e->io.result = result;
	e->io.requested = result > 0 ? (__u64)result : 4096;
	e->io.bytes_before = before;
	e->io.slots_before = (before + 4095) / 4096;
	set_pipe(&e->io.after, kptr, after);
	return e;
}

static struct ipclab_event *signal_ev(__u32 pid, __u64 start, int sig, int result)
{
	struct ipclab_event *e = add(EVT_SIGNAL, pid, start, 0);

	e->nr = NR_write;
	e->sig.sig = sig;
	e->sig.result = result;
	e->sig.sender_pid = e->sig.sender_tid = pid;
	return e;
}

static struct ipclab_event *exit_ev(__u32 pid, __u64 start, int status)
{
	struct ipclab_event *e = add(EVT_EXIT, pid, start, 0);

	e->flags = EVF_GROUP_DEAD;
	e->task.exit_code = status;
	return e;
}

/* fork() by parent: the child starts with the parent's name, `comm`. */
static struct ipclab_event *fork_ev(__u32 parent, __u64 start, __u32 child, const char *comm)
{
	struct ipclab_event *e = add(EVT_FORK, parent, start, 0);

	e->task.child_pid = e->task.child_tid = child;
	snprintf(e->task.comm, sizeof(e->task.comm), "%s", comm);
	return e;
}

/* The k-th record of `type` of pid (0: any) in list order; for EVT_SOCK_IO and EVT_PIPE_IO
 * only those in direction `write` (-1: any). */
static struct ipclab_event *nth_ev(int type, __u32 pid, int write, int k)
{
	for (size_t i = 0; i < L.n; i++) {
		struct ipclab_event *e = &L.e[i];

		if (e->type != type || (pid && e->pid != pid))
			continue;
		if (write >= 0 && type == EVT_SOCK_IO && (int)e->sk.write != write)
			continue;
		if (write >= 0 && type == EVT_PIPE_IO && (int)e->io.write != write)
			continue;
		if (k-- == 0)
			return e;
	}
	fail_msg("no record %d of type %d, pid %u", k, type, pid);
	return NULL;
}

static struct ipclab_event *nth_call(__u32 pid, int nr, int k)
{
	for (size_t i = 0; i < L.n; i++)
		if (L.e[i].type == EVT_SYSCALL && L.e[i].pid == pid && L.e[i].nr == nr && k-- == 0)
			return &L.e[i];
	fail_msg("no syscall %d #%d of pid %u", nr, k, pid);
	return NULL;
}

static void drop(struct ipclab_event *e)
{
	size_t i = e - L.e;

	memmove(&L.e[i], &L.e[i + 1], (L.n - i - 1) * sizeof(*e));
	L.n--;
}

/* ---------------------------------------------------------------- evaluation */

/* The list L judged by the scenario's checker (tests/unit/claims_check.h). */
static void evaluate(const char *scenario, struct claim_set *cs)
{
	claims_evaluate(scenario, L.e, L.n, T0, cs);
}

static void assert_all_pass(const char *scenario, int nclaims)
{
	struct claim_set cs;

	claims_assert_all_pass(scenario, L.e, L.n, T0, nclaims);
	evaluate(scenario, &cs);
	claims_assert_all_zh(&cs);
}

/* Claim `id` fails on the list (and the others are not affected by the test's intent). */
static void assert_fails(const char *scenario, const char *id)
{
	claims_assert_fails(scenario, L.e, L.n, T0, id);
}

/* ---------------------------------------------------------------- fixtures */

#define W 100
#define R 200
#define P 300

/* writer -> reader over a stream socketpair: 1000, 1000, 1000, 5000, then read, close, 0 */
static void fx_transfer(void)
{
	static const __s64 res[] = { 1000, 1000, 1000, 5000 };
	static const __u32 wmem[] = { 2304, 4608, 6912, 13312 };	/* NOTES.md section 3 */
	__u32 occ = 0;

	reset();
	role(W, "writer");
	role(R, "reader");
	pair(W, 5 * US, sk(1), sk(2));
	for (int k = 0; k < 4; k++) {
		charge(snd(W, (10 + 10 * k) * US, 5 * US, sk(1), sk(2), res[k], occ, k,
			   occ + res[k], k + 1), k ? wmem[k - 1] : 0, wmem[k]);
		occ += res[k];
	}
	sockcall(W, 60 * US, 1 * US, NR_close, 0, sk(1), sk(2));
	rcv(R, 200 * MSEC, 10 * US, sk(2), sk(1), 8000, 8000, 4, 0, 0);
	rcv(R, 201 * MSEC, 10 * US, sk(2), sk(1), 0, 0, 0, 0, 0)->sk.s.shutdown = 3;
}

static void test_transfer(void **state)
{
	fx_transfer();
	assert_all_pass("unix_socketpair_transfer", 5);
	claims_assert_cites("unix_socketpair_transfer", L.e, L.n, T0, "charged-to-writer", 4,
			    EVT_SOCK_IO, NULL);

	nth_call(W, NR_socketpair, 0)->sc.sock.type = DGRAM;
	assert_fails("unix_socketpair_transfer", "two-ends");

	fx_transfer();
	nth_ev(EVT_SOCK_IO, W, 1, 2)->sk.skbs_after = 2;	/* merged into the last skb */
	assert_fails("unix_socketpair_transfer", "skb-per-write");

	fx_transfer();
	nth_ev(EVT_SOCK_IO, W, 1, 1)->sk.wmem_after = 1500;	/* less than the bytes queued */
	assert_fails("unix_socketpair_transfer", "charged-to-writer");

	fx_transfer();
	nth_ev(EVT_SOCK_IO, R, 0, 0)->sk.result = 4000;
	assert_fails("unix_socketpair_transfer", "one-copy-out");

	fx_transfer();
	nth_ev(EVT_SOCK_IO, R, 0, 1)->sk.s.shutdown = 0;	/* 0 without the peer gone */
	assert_fails("unix_socketpair_transfer", "eof");

	fx_transfer();
	drop(nth_call(W, NR_close, 0));
	assert_fails("unix_socketpair_transfer", "eof");
}

/* Roles come only from task_rename: without the renames every claim fails. */
static void test_roles_required(void **state)
{
	struct claim_set cs;

	fx_transfer();
	drop(nth_ev(EVT_RENAME, 0, -1, 0));
	drop(nth_ev(EVT_RENAME, 0, -1, 0));
	evaluate("unix_socketpair_transfer", &cs);
	assert_int_equal(claims_failed(&cs), cs.n);
}

/* three rounds: a writer child writes 3, 4, 5 bytes, the parent reads them, then recv() */
static void fx_boundaries(void)
{
	static const char *const names[] = { "wr-stream", "wr-dgram", "wr-seqpkt" };
	static const __u16 types[] = { STREAM, DGRAM, SEQPACKET };
	static const __s64 last[] = { 0, -EAGAIN, 0 };

	reset();
	role(R, "reader");
	for (int r = 0; r < 3; r++) {
		__u64 t = r * 10 * MSEC, tx = sk(10 + 2 * r), rx = sk(11 + 2 * r);
		__u32 occ = 0;
		struct ipclab_event *e;

		role(W + r, names[r]);
		g_type = types[r];
		pair(R, t, tx, rx);
		for (int k = 0; k < 3; k++) {
			snd(W + r, t + (10 + 10 * k) * US, 2 * US, tx, rx, 3 + k, occ, k, occ + 3 + k,
			    k + 1);
			occ += 3 + k;
		}
		if (r == 0) {
			rcv(R, t + 1 * MSEC, 5 * US, rx, tx, 12, 12, 3, 0, 0);
		} else {
			rcv(R, t + 1 * MSEC, 5 * US, rx, tx, 3, 12, 3, 9, 2);
			rcv(R, t + 1 * MSEC + 10 * US, 5 * US, rx, tx, 4, 9, 2, 5, 1);
			rcv(R, t + 1 * MSEC + 20 * US, 5 * US, rx, tx, 5, 5, 1, 0, 0);
		}
		e = rcv(R, t + 2 * MSEC, 5 * US, rx, tx, last[r], 0, 0, 0, 0);
		e->nr = NR_recvfrom;
		e->flags = EVF_NONBLOCK;
		e->sk.s.shutdown = r == 1 ? 0 : 3;
	}
}

static void test_boundaries(void **state)
{
	fx_boundaries();
	assert_all_pass("unix_boundaries", 5);

	nth_ev(EVT_SOCK_IO, W + 1, 1, 1)->sk.skbs_after = 1;
	assert_fails("unix_boundaries", "skb-per-write");

	fx_boundaries();
	nth_ev(EVT_SOCK_IO, R, 0, 0)->sk.result = 3;		/* the stream kept a boundary */
	assert_fails("unix_boundaries", "stream-merges");

	fx_boundaries();
	nth_ev(EVT_SOCK_IO, R, 0, 2)->sk.result = 7;		/* two datagrams in one read */
	assert_fails("unix_boundaries", "dgram-keeps");

	fx_boundaries();
	nth_call(R, NR_socketpair, 2)->sc.sock.type = STREAM;	/* not a seqpacket socket */
	assert_fails("unix_boundaries", "seqpacket-keeps");

	fx_boundaries();
	nth_ev(EVT_SOCK_IO, R, 0, 6)->sk.skbs_after = 1;	/* seqpacket's 1st read */
	assert_fails("unix_boundaries", "seqpacket-keeps");

	fx_boundaries();
	nth_ev(EVT_SOCK_IO, R, 0, 5)->sk.result = 0;		/* an end of file on dgram */
	assert_fails("unix_boundaries", "end");
}

/* Non-blocking writes of `size` into a fresh socketpair until EAGAIN; ch: charge per write. */
static void capacity_round(int r, unsigned size, int writes, __u32 ch, __s64 short_last)
{
	__u64 t = r * 10 * MSEC, tx = sk(20 + 2 * r), rx = sk(21 + 2 * r);
	__u32 occ = 0, skbs_per = size > 36544 ? 2 : 1;
	struct ipclab_event *e;

	pair(P, t, tx, rx);
	for (int k = 0; k < writes; k++) {
		__s64 n = k == writes - 1 && short_last ? short_last : size;

		e = snd(P, t + (10 + k) * US, 500, tx, rx, n, occ, k * skbs_per, occ + n,
			(k + 1) * skbs_per);
		e->sk.requested = size;
		e->flags = EVF_NONBLOCK;
		charge(e, k * ch, (k + 1) * ch);
		occ += n;
	}
	e = snd(P, t + (10 + writes) * US, 500, tx, rx, -EAGAIN, occ, writes * skbs_per, occ,
		writes * skbs_per);
	e->sk.requested = size;
	e->flags = EVF_NONBLOCK;
	charge(e, writes * ch, writes * ch);
}

static void fx_capacity(void)
{
	__u64 t = 50 * MSEC;

	reset();
	role(P, "capacity");
	/* NOTES.md section 1, 6.18 x86_64; the 65536-byte writes cost 59584 each, and the 4th
	 * (short) one stops at 36544 bytes */
	capacity_round(0, 1, 278, SKB1, 0);
	capacity_round(1, 64, 278, SKB1, 0);
	capacity_round(2, 4096, 44, SKB4K, 0);
	capacity_round(3, 65536, 4, 59584, 36544);
	for (int k = 0; k < 16; k++)
		pipe_rec(KP, P, t + k * 10 * US, 5 * US, 1, 4096, 4096 * k, 4096 * (k + 1));
	pipe_rec(KP, P, t + 200 * US, 5 * US, 1, -EAGAIN, 65536, 65536);
}

static void test_capacity(void **state)
{
	fx_capacity();
	assert_all_pass("unix_capacity", 5);

	/* the 4096-byte round's EAGAIN with budget left (rounds of 278 + 1, 278 + 1, 44 + 1) */
	nth_ev(EVT_SOCK_IO, P, 1, 279 + 279 + 44)->sk.wmem_before = 100000;
	assert_fails("unix_capacity", "stops-at-sndbuf");

	fx_capacity();
	nth_ev(EVT_SOCK_IO, P, 1, 4)->sk.wmem_after += 1000;	/* one skb costs more */
	assert_fails("unix_capacity", "skb-overhead");

	fx_capacity();
	nth_ev(EVT_SOCK_IO, P, 1, 279 + 279 + 45 + 3)->sk.result = 65536;	/* whole */
	assert_fails("unix_capacity", "short-write");

	fx_capacity();
	nth_ev(EVT_PIPE_IO, P, 1, 3)->io.result = 2048;
	assert_fails("unix_capacity", "pipe-64k");

	fx_capacity();
	for (int k = 0; k < 4; k++)				/* 64 KiB writes storing little */
		nth_ev(EVT_SOCK_IO, P, 1, 279 + 279 + 45 + k)->sk.result = 10000;
	assert_fails("unix_capacity", "vs-pipe");
}

/* 44 writes of 4096 go in; write 45 sleeps until read 34 (of 64) leaves 10 skbs */
static void fx_stream_blocks(__u64 wake_read)
{
	__u64 rd0 = 300 * MSEC, wake = rd0 + wake_read * 5 * MSEC + 5 * US, t;

	reset();
	role(W, "writer");
	role(R, "reader");
	pair(W, 5 * US, sk(1), sk(2));
	for (int k = 0; k < 44; k++)
		charge(snd(W, (10 + 10 * k) * US, 5 * US, sk(1), sk(2), 4096, 4096 * k, k,
			   4096 * (k + 1), k + 1), SKB4K * k, SKB4K * (k + 1));
	charge(snd(W, 500 * US, wake + 10 * US - 500 * US, sk(1), sk(2), 4096, 180224, 44, 45056,
		   11), 44 * SKB4K, 11 * SKB4K);
	block(W, 510 * US, wake + 1 - 510 * US, NR_write, R, NR_read);
	for (int k = 0; k < 64; k++) {
		__u32 left = k < 44 ? 44 - k : 1;

		t = rd0 + k * 5 * MSEC;
		charge(rcv(R, t, 10 * US, sk(2), sk(1), 4096, 4096 * left, left, 4096 * (left - 1),
			   left - 1), SKB4K * left, SKB4K * (left - 1));
	}
	for (int k = 45; k < 64; k++)
		snd(W, wake + (20 + 10 * k) * US, 5 * US, sk(1), sk(2), 4096, 0, 0, 4096, 1);
	rcv(R, rd0 + 64 * 5 * MSEC, 10 * US, sk(2), sk(1), 0, 0, 0, 0, 0)->sk.s.shutdown = 3;
}

static void test_stream_blocks(void **state)
{
	fx_stream_blocks(33);
	assert_all_pass("unix_stream_blocks", 4);

	nth_ev(EVT_SOCK_IO, W, 1, 10)->sk.skbs_after = 10;
	assert_fails("unix_stream_blocks", "fills-budget");

	fx_stream_blocks(33);
	nth_ev(EVT_SOCK_IO, W, 1, 44)->sk.wmem_before = 100000;	/* slept with budget left */
	assert_fails("unix_stream_blocks", "full-blocks");

	fx_stream_blocks(32);		/* woken by read 33, which left 11 skbs: too early */
	assert_fails("unix_stream_blocks", "wakes-at-quarter");

	fx_stream_blocks(33);
	nth_ev(EVT_BLOCK, W, -1, 0)->blk.waker_nr = NR_write;
	assert_fails("unix_stream_blocks", "wakes-at-quarter");

	fx_stream_blocks(33);
	drop(nth_ev(EVT_SOCK_IO, R, 0, 64));			/* no end of file */
	assert_fails("unix_stream_blocks", "all-through");
}

/* sender -> receiver bound to a name: 11 datagrams, the 12th sleeps until the first read */
static void fx_dgram_blocks(int wake_read)
{
	__u64 rx = sk(31), tx = sk(30), rd1 = 300 * MSEC, wake;
	struct ipclab_event *e;

	reset();
	g_type = DGRAM;
	role(R, "receiver");
	role(W, "sender");
	sockcall(R, 5 * US, 1 * US, NR_socket, 3, rx, 0);
	sockcall(R, 10 * US, 1 * US, NR_bind, 0, rx, 0);
	sockcall(W, 50 * US, 1 * US, NR_socket, 3, tx, 0);
	sockcall(W, 60 * US, 1 * US, NR_connect, 0, tx, rx);
	for (int k = 0; k < 11; k++)
		stamp(snd(W, (100 + 10 * k) * US, 5 * US, tx, rx, 100, 100 * k, k, 100 * (k + 1),
			  k + 1), "dgram #%d", k + 1);
	wake = wake_read ? 400 * MSEC + 10 * US * (wake_read - 1) + 5 * US : rd1 + 5 * US;
	stamp(snd(W, 300 * US, wake + 10 * US - 300 * US, tx, rx, 100, 1100, 11, 1100, 11),
	      "dgram #%d", 12);
	block(W, 310 * US, wake + 1 - 310 * US, NR_write, R, NR_read);
	for (int k = 0; k < 12; k++) {
		__u32 left = k ? 12 - k : 11;

		e = rcv(R, k ? 400 * MSEC + 10 * US * (k - 1) : rd1, 10 * US, rx, 0, 100,
			100 * left, left, 100 * (left - 1), left - 1);
		stamp(e, "dgram #%d", k + 1);
	}
}

static void test_dgram_blocks(void **state)
{
	fx_dgram_blocks(0);
	assert_all_pass("unix_dgram_blocks", 5);

	nth_ev(EVT_SOCK_IO, R, 0, 0)->sk.s.peer = sk(30);	/* connected back */
	assert_fails("unix_dgram_blocks", "connect-one-way");

	fx_dgram_blocks(0);
	nth_ev(EVT_SOCK_IO, W, 1, 5)->sk.result = 50;
	assert_fails("unix_dgram_blocks", "backlog-fills");

	fx_dgram_blocks(0);
	nth_ev(EVT_SOCK_IO, W, 1, 11)->sk.skbs_before = 10;	/* slept below the backlog */
	assert_fails("unix_dgram_blocks", "over-backlog-blocks");

	fx_dgram_blocks(2);		/* woken by the second read, not the first */
	assert_fails("unix_dgram_blocks", "first-read-wakes");

	fx_dgram_blocks(0);
	stamp(nth_ev(EVT_SOCK_IO, R, 0, 3), "dgram #%d", 5);	/* out of order */
	stamp(nth_ev(EVT_SOCK_IO, R, 0, 4), "dgram #%d", 4);
	assert_fails("unix_dgram_blocks", "all-in-order");
}

/* datagram limit sk_sndbuf - 32, SO_SNDBUF 4096 -> 8192, then a stream write of 212961 */
static void fx_msgsize(void)
{
	struct ipclab_event *e;

	reset();
	role(P, "msgsize");
	g_type = DGRAM;
	pair(P, 5 * US, sk(40), sk(41));
	snd(P, 10 * US, 50 * US, sk(40), sk(41), 212960, 0, 0, 212960, 1);
	rcv(P, 70 * US, 50 * US, sk(41), sk(40), 212960, 212960, 1, 0, 0);
	snd(P, 130 * US, 2 * US, sk(40), sk(41), -EMSGSIZE, 0, 0, 0, 0)->sk.requested = 212961;
	e = snd(P, 140 * US, 5 * US, sk(40), sk(41), 8160, 0, 0, 8160, 1);
	e->sk.wmem_max = 8192;
	e = rcv(P, 150 * US, 5 * US, sk(41), sk(40), 8160, 8160, 1, 0, 0);
	e = snd(P, 160 * US, 2 * US, sk(40), sk(41), -EMSGSIZE, 0, 0, 0, 0);
	e->sk.requested = 8161;
	e->sk.wmem_max = 8192;
	g_type = STREAM;
	pair(P, 20 * MSEC, sk(42), sk(43));
	snd(P, 20 * MSEC + 10 * US, 50 * US, sk(42), sk(43), 212961, 0, 0, 212961, 6);
	rcv(P, 20 * MSEC + 70 * US, 50 * US, sk(43), sk(42), 212961, 212961, 6, 0, 0);
}

static void test_msgsize(void **state)
{
	fx_msgsize();
	assert_all_pass("unix_msgsize", 4);

	nth_ev(EVT_SOCK_IO, P, 1, 0)->sk.skbs_after = 2;
	assert_fails("unix_msgsize", "largest-fits");

	fx_msgsize();
	nth_ev(EVT_SOCK_IO, P, 1, 1)->sk.skbs_after = 1;	/* something was queued */
	assert_fails("unix_msgsize", "one-more-emsgsize");

	fx_msgsize();
	nth_ev(EVT_SOCK_IO, P, 1, 2)->sk.wmem_max = 4096;	/* not doubled */
	assert_fails("unix_msgsize", "sndbuf-doubled");

	fx_msgsize();
	nth_ev(EVT_SOCK_IO, P, 1, 4)->sk.skbs_after = 1;
	assert_fails("unix_msgsize", "stream-cuts");
}

#define SOCK_PATH "/var/tmp/ipclab-unix_server_client-Ab12Cd/sock"

static struct ipclab_event *with_path(struct ipclab_event *e)
{
	snprintf(e->sc.path, sizeof(e->sc.path), "%s", SOCK_PATH);
	return e;
}

/* server: socket, bind, stat, listen, accept (sleeps), read, write, read 0, closes, stale
 * binds; client: connect, write, read, close, refused connect */
static void fx_server_client(void)
{
	const __u32 S = 100, C = 200;
	const __u64 lsn = sk(50), cli = sk(51), srv = sk(52);
	struct ipclab_event *e;

	reset();
	role(S, "server");
	role(C, "client");
	sockcall(S, 10 * US, 1 * US, NR_socket, 3, lsn, 0);
	with_path(sockcall(S, 20 * US, 1 * US, NR_bind, 0, lsn, 0));
	e = with_path(syscall_ev(S, 30 * US, 1 * US, NR_newfstatat, 0));
	e->sc.stat_mode = S_IFSOCK | 0755;
	sockcall(S, 40 * US, 1 * US, NR_listen, 0, lsn, 0);
	sockcall(S, 50 * US, 200 * MSEC, NR_accept, 4, srv, cli);
	block(S, 60 * US, 200 * MSEC - 20 * US, NR_accept, C, NR_connect);
	sockcall(C, 199 * MSEC, 1 * US, NR_socket, 3, cli, 0);
	sockcall(C, 200 * MSEC, 20 * US, NR_connect, 0, cli, srv);
	rcv(S, 201 * MSEC, 49 * MSEC + 20 * US, srv, cli, 21, 0, 0, 0, 0);
	block(S, 202 * MSEC, 48 * MSEC + 10 * US, NR_read, C, NR_write);
	snd(C, 250 * MSEC, 10 * US, cli, srv, 21, 0, 0, 21, 1);
	snd(S, 252 * MSEC, 10 * US, srv, cli, 21, 0, 0, 21, 1);
	rcv(C, 253 * MSEC, 10 * US, cli, srv, 21, 21, 1, 0, 0);
	rcv(S, 252 * MSEC + 100 * US, 2 * MSEC, srv, cli, 0, 0, 0, 0, 0)->sk.s.shutdown = 3;
	sockcall(C, 254 * MSEC, 10 * US, NR_close, 0, cli, srv);
	sockcall(S, 255 * MSEC, 10 * US, NR_close, 0, srv, cli);
	sockcall(S, 256 * MSEC, 10 * US, NR_close, 0, lsn, 0);
	sockcall(C, 350 * MSEC, 1 * US, NR_socket, 3, sk(53), 0);
	sockcall(C, 351 * MSEC, 5 * US, NR_connect, -ECONNREFUSED, sk(53), 0);
	sockcall(C, 352 * MSEC, 1 * US, NR_close, 0, sk(53), 0);
	sockcall(S, 460 * MSEC, 1 * US, NR_socket, 3, sk(54), 0);
	with_path(sockcall(S, 461 * MSEC, 1 * US, NR_bind, -EADDRINUSE, sk(54), 0));
	with_path(syscall_ev(S, 462 * MSEC, 5 * US, NR_unlink_libc, 0));
	with_path(sockcall(S, 463 * MSEC, 1 * US, NR_bind, 0, sk(54), 0));
	sockcall(S, 464 * MSEC, 1 * US, NR_close, 0, sk(54), 0);
}

static void test_server_client(void **state)
{
	fx_server_client();
	assert_all_pass("unix_server_client", 8);

	nth_call(100, NR_newfstatat, 0)->sc.stat_mode = S_IFREG | 0644;
	assert_fails("unix_server_client", "bind-makes-file");

	fx_server_client();
	fork_ev(100, 1 * US, 200, "client");			/* the client is the server's child */
	assert_fails("unix_server_client", "unrelated-meet");

	fx_server_client();
	nth_call(100, NR_accept, 0)->sc.sock.peer = sk(53);	/* not the client's socket */
	assert_fails("unix_server_client", "unrelated-meet");

	fx_server_client();
	nth_ev(EVT_BLOCK, 100, -1, 0)->blk.waker_nr = NR_write;
	assert_fails("unix_server_client", "accept-sleeps");

	fx_server_client();
	nth_ev(EVT_SOCK_IO, 100, 1, 0)->sk.result = 10;
	assert_fails("unix_server_client", "request-reply");

	fx_server_client();
	drop(nth_ev(EVT_BLOCK, 100, -1, 1));
	assert_fails("unix_server_client", "read-waits");

	fx_server_client();
	nth_ev(EVT_SOCK_IO, 100, 0, 1)->sk.result = 21;
	assert_fails("unix_server_client", "eof");

	fx_server_client();
	nth_call(200, NR_connect, 1)->sc.ret = -ENOENT;
	assert_fails("unix_server_client", "refused");

	fx_server_client();
	nth_call(100, NR_bind, 1)->sc.ret = 0;
	assert_fails("unix_server_client", "stale-bind");
}

/* three children write into a socket whose peer is closed */
static void fx_epipe(void)
{
	static const char *const names[] = { "writer", "nosignal", "ignorer" };
	struct ipclab_event *e;

	reset();
	role(P, "parent");
	for (int k = 0; k < 3; k++) {
		__u64 t = k * 200 * MSEC;

		pair(P, t, sk(60 + 2 * k), sk(61 + 2 * k));
		fork_ev(P, t + 10 * US, W + k, "parent");
		role_at(W + k, names[k], t + 15 * US);
		sockcall(P, t + 20 * US, 1 * US, NR_close, 0, sk(60 + 2 * k), sk(61 + 2 * k));
		sockcall(P, t + 30 * US, 1 * US, NR_close, 0, sk(61 + 2 * k), sk(60 + 2 * k));
		e = snd(W + k, t + 100 * MSEC, 5 * US, sk(60 + 2 * k), sk(61 + 2 * k), -EPIPE, 0, 0,
			0, 0);
		e->sk.requested = 10;
		e->sk.s.shutdown = 3;
		if (k == 1)
			e->nr = NR_sendto;
		else
			signal_ev(W + k, t + 100 * MSEC + 2 * US, SIGPIPE, k == 2);
		exit_ev(W + k, t + 100 * MSEC + 10 * US, k == 0 ? SIGPIPE : 0);
	}
}

static void test_epipe(void **state)
{
	fx_epipe();
	assert_all_pass("unix_epipe", 4);

	nth_ev(EVT_SOCK_IO, W + 2, 1, 0)->sk.result = -ECONNRESET;
	assert_fails("unix_epipe", "epipe");

	fx_epipe();
	nth_ev(EVT_SOCK_IO, W, 1, 0)->sk.s.shutdown = 0;	/* still connected */
	assert_fails("unix_epipe", "epipe");

	fx_epipe();
	nth_ev(EVT_EXIT, W, -1, 0)->task.exit_code = 0;
	assert_fails("unix_epipe", "sigpipe-kills");

	fx_epipe();
	signal_ev(W + 1, 200 * MSEC + 100 * MSEC + 2 * US, SIGPIPE, 0);
	assert_fails("unix_epipe", "nosignal");

	fx_epipe();
	nth_ev(EVT_SIGNAL, W + 2, -1, 0)->sig.result = 0;	/* delivered, not ignored */
	assert_fails("unix_epipe", "ignored");
}

/* A: four non-blocking reads; B: stream writes until EAGAIN; C: datagram writes until EAGAIN */
static void fx_nonblock(void)
{
	static const struct { __s64 res; __u32 occ; __u8 shut; } rd[] = {
		{ -EAGAIN, 0, 0 }, { 10, 10, 0 }, { 10, 10, 3 }, { 0, 0, 3 },
	};
	__u64 a0 = sk(70), a1 = sk(71), b0 = sk(72), b1 = sk(73), tx = sk(74), rx = sk(75);
	struct ipclab_event *e;

	reset();
	role(P, "nonblock");
	pair(P, 5 * US, a0, a1);
	for (int k = 0; k < 4; k++) {
		__u64 t = (10 + 20 * k) * MSEC;

		if (k == 1 || k == 2)
			snd(P, t - 1 * MSEC, 5 * US, a0, a1, 10, 0, 0, 10, 1);
		if (k == 2)
			sockcall(P, t - 500 * US, 1 * US, NR_close, 0, a0, a1);
		e = rcv(P, t, 5 * US, a1, a0, rd[k].res, rd[k].occ, rd[k].occ ? 1 : 0, 0, 0);
		e->flags = EVF_NONBLOCK;
		e->sk.s.shutdown = rd[k].shut;
	}
	pair(P, 100 * MSEC, b0, b1);
	for (int k = 0; k <= 45; k++) {
		__s64 n = k < 44 ? 4096 : -EAGAIN;
		__u32 q = k < 44 ? k : 44;

		e = snd(P, 100 * MSEC + (10 + 10 * k) * US, 5 * US, b0, b1, n, 4096 * q, q,
			4096 * (q + (k < 44)), q + (k < 44));
		e->flags = EVF_NONBLOCK;
		e->sk.requested = k == 45 ? 1 : 4096;
		charge(e, SKB4K * q, SKB4K * (q + (k < 44)));
	}
	g_type = DGRAM;
	sockcall(P, 200 * MSEC, 1 * US, NR_socket, 3, rx, 0);
	sockcall(P, 200 * MSEC + 10 * US, 1 * US, NR_bind, 0, rx, 0);
	sockcall(P, 200 * MSEC + 20 * US, 1 * US, NR_socket, 4, tx, 0);
	sockcall(P, 200 * MSEC + 30 * US, 1 * US, NR_connect, 0, tx, rx);
	for (int k = 0; k <= 11; k++) {
		__u32 q = k < 11 ? k : 11;

		e = snd(P, 200 * MSEC + (40 + 10 * k) * US, 5 * US, tx, rx, k < 11 ? 100 : -EAGAIN,
			100 * q, q, 100 * (q + (k < 11)), q + (k < 11));
		e->flags = EVF_NONBLOCK;
	}
}

static void test_nonblock(void **state)
{
	fx_nonblock();
	assert_all_pass("unix_nonblock", 7);
	/* none slept: the two EAGAINs that stood for a wait, and the other calls checked */
	claims_assert_cites("unix_nonblock", L.e, L.n, T0, "never-sleeps", 3, EVT_SOCK_IO, NULL);

	nth_ev(EVT_SOCK_IO, P, 0, 0)->sk.result = 0;
	assert_fails("unix_nonblock", "empty-peer-open");

	fx_nonblock();
	nth_ev(EVT_SOCK_IO, P, 0, 1)->sk.s.shutdown = 3;
	assert_fails("unix_nonblock", "data-peer-open");

	fx_nonblock();
	nth_ev(EVT_SOCK_IO, P, 0, 2)->sk.result = 5;
	assert_fails("unix_nonblock", "data-peer-closed");

	fx_nonblock();
	nth_ev(EVT_SOCK_IO, P, 0, 3)->sk.result = -EAGAIN;
	assert_fails("unix_nonblock", "empty-peer-closed");

	fx_nonblock();
	nth_ev(EVT_SOCK_IO, P, 0, 3)->flags = 0;		/* a blocking fd */
	assert_fails("unix_nonblock", "empty-peer-closed");

	fx_nonblock();
	nth_ev(EVT_SOCK_IO, P, 1, 2 + 45)->sk.result = 1;	/* the 1-byte write went in */
	assert_fails("unix_nonblock", "stream-eagain");

	fx_nonblock();
	drop(nth_ev(EVT_SOCK_IO, P, 1, 2 + 46 + 10));		/* EAGAIN after 10 datagrams */
	assert_fails("unix_nonblock", "dgram-eagain");

	fx_nonblock();
	block(P, 10 * MSEC + 1 * US, 2 * US, NR_read, 0, -1);
	assert_fails("unix_nonblock", "never-sleeps");
}

/* owner makes a pipe after the fork and sends its write end to the helper */
static void fx_pass_fd(void)
{
	const __u32 O = 100, H = 200;
	struct ipclab_event *e;

	reset();
	role(O, "owner");
	pair(O, 5 * US, sk(80), sk(81));
	fork_ev(O, 10 * US, H, "owner");
	role_at(H, "helper", 15 * US);
	e = rcv(H, 20 * US, 100 * MSEC + 30 * US, sk(81), sk(80), 1, 0, 0, 0, 0);
	e->nr = NR_recvmsg;
	block(H, 30 * US, 100 * MSEC + 10 * US, NR_recvmsg, O, NR_sendmsg);
	e = syscall_ev(O, 100 * MSEC, 5 * US, NR_pipe2, 0);
	set_pipe(&e->sc.pipe, KP, 0);
	e->sc.fds[0] = 5;
	e->sc.fds[1] = 6;
	snd(O, 100 * MSEC + 30 * US, 10 * US, sk(80), sk(81), 1, 0, 0, 1, 1)->nr = NR_sendmsg;
	e = syscall_ev(O, 100 * MSEC + 60 * US, 5 * US, NR_close, 0);
	e->flags = EVF_FMODE_WRITE;
	set_pipe(&e->sc.pipe, KP, 0);
	pipe_rec(KP, O, 100 * MSEC + 70 * US, 400 * US, 0, 21, 0, 0);
	pipe_rec(KP, H, 100 * MSEC + 400 * US, 10 * US, 1, 21, 0, 21);
	pipe_rec(KP, O, 100 * MSEC + 550 * US, 100 * US, 0, 0, 0, 0)->io.after.writers = 0;
	e = syscall_ev(H, 100 * MSEC + 600 * US, 5 * US, NR_close, 0);
	e->flags = EVF_FMODE_WRITE | EVF_LAST_REF;
	set_pipe(&e->sc.pipe, KP, 0);
	e->sc.pipe.writers = 0;
}

static void test_pass_fd(void **state)
{
	fx_pass_fd();
	assert_all_pass("unix_pass_fd", 4);

	nth_call(100, NR_pipe2, 0)->ts_start = nth_call(100, NR_pipe2, 0)->ts = T0 + 8 * US;
	assert_fails("unix_pass_fd", "pipe-after-fork");	/* made before the fork */

	fx_pass_fd();
	syscall_ev(200, 50 * US, 5 * US, NR_pipe2, 0);		/* the helper has a pipe of its own */
	assert_fails("unix_pass_fd", "pipe-after-fork");

	fx_pass_fd();
	drop(nth_ev(EVT_BLOCK, 200, -1, 0));			/* recvmsg did not wait for it */
	assert_fails("unix_pass_fd", "fd-in-message");

	fx_pass_fd();
	set_pipe(&nth_ev(EVT_PIPE_IO, 200, 1, 0)->io.after, KQ, 21);	/* another pipe */
	assert_fails("unix_pass_fd", "same-pipe");

	fx_pass_fd();
	nth_call(100, NR_close, 0)->flags |= EVF_LAST_REF;	/* the owner's close was the last */
	assert_fails("unix_pass_fd", "last-writer");
}

/* 400 records of 100 bytes, stream then dgram, the reader 100 ms late */
static void fx_reliable(void)
{
	const __u32 SW = 101, DW = 102;
	__u64 t, wake;
	struct ipclab_event *e;

	reset();
	role_at(R, "st-reader", 0);
	role_at(R, "dg-reader", 1 * MSEC);
	role(SW, "st-writer");
	role(DW, "dg-writer");
	/* stream: 278 writes fit (278 x 768 >= 212992), write 279 sleeps until read 210 */
	pair(R, 5 * US, sk(90), sk(91));
	for (int k = 0; k < 278; k++)
		charge(snd(SW, (10 + k) * US, 500, sk(90), sk(91), 100, 100 * k, k, 100 * (k + 1),
			   k + 1), SKB1 * k, SKB1 * (k + 1));
	wake = 100 * MSEC + 209 * 20 * US + 5 * US;
	charge(snd(SW, 300 * US, wake + 10 * US - 300 * US, sk(90), sk(91), 100, 27800, 278, 0, 0),
	       SKB1 * 278, SKB1 * 69);
	block(SW, 310 * US, wake + 1 - 310 * US, NR_write, R, NR_read);
	for (int k = 279; k < 400; k++)
		snd(SW, wake + (20 + k) * US, 500, sk(90), sk(91), 100, 0, 0, 100, 1);
	for (int k = 0; k < 400; k++)
		stamp(rcv(R, 100 * MSEC + k * 20 * US, 5 * US, sk(91), sk(90), 100, 100, 1, 0, 0),
		      "rec %04d", k);
	rcv(R, 100 * MSEC + 400 * 20 * US, 5 * US, sk(91), sk(90), 0, 0, 0, 0, 0);
	/* dgram: 11 datagrams fit, write 12 sleeps until the first read */
	g_type = DGRAM;
	t = 200 * MSEC;
	sockcall(R, t, 1 * US, NR_socket, 3, sk(93), 0);
	sockcall(R, t + 2 * US, 1 * US, NR_bind, 0, sk(93), 0);
	sockcall(DW, t + 5 * US, 1 * US, NR_socket, 3, sk(92), 0);
	sockcall(DW, t + 6 * US, 1 * US, NR_connect, 0, sk(92), sk(93));
	for (int k = 0; k < 11; k++)
		snd(DW, t + (10 + k) * US, 500, sk(92), sk(93), 100, 100 * k, k, 100 * (k + 1), k + 1);
	wake = t + 100 * MSEC + 5 * US;
	snd(DW, t + 30 * US, wake + 10 * US - t - 30 * US, sk(92), sk(93), 100, 1100, 11, 1100, 11);
	block(DW, t + 40 * US, wake + 1 - t - 40 * US, NR_write, R, NR_read);
	for (int k = 12; k < 400; k++)
		snd(DW, t + 100 * MSEC + (20 + 20 * k) * US, 500, sk(92), sk(93), 100, 1000, 10, 1100,
		    11);
	for (int k = 0; k < 400; k++) {
		e = rcv(R, t + 100 * MSEC + k * 20 * US, 5 * US, sk(93), 0, 100, 1100, 11, 1000, 10);
		stamp(e, "rec %04d", k);
	}
	e = rcv(R, t + 100 * MSEC + 400 * 20 * US, 5 * US, sk(93), 0, -EAGAIN, 0, 0, 0, 0);
	e->nr = NR_recvfrom;
	e->flags = EVF_NONBLOCK;
}

static void test_reliable(void **state)
{
	fx_reliable();
	assert_all_pass("unix_reliable", 4);

	stamp(nth_ev(EVT_SOCK_IO, R, 0, 7), "rec %04d", 8);	/* two records swapped */
	stamp(nth_ev(EVT_SOCK_IO, R, 0, 8), "rec %04d", 7);
	assert_fails("unix_reliable", "stream-complete");

	fx_reliable();
	drop(nth_ev(EVT_SOCK_IO, R, 0, 401 + 123));		/* a datagram lost */
	assert_fails("unix_reliable", "dgram-complete");

	fx_reliable();
	nth_ev(EVT_SOCK_IO, 101, 1, 278)->sk.wmem_before = 1000;	/* slept with room left */
	assert_fails("unix_reliable", "stream-writer-waits");

	fx_reliable();
	nth_ev(EVT_BLOCK, 102, -1, 0)->blk.waker_pid = 0;	/* woken by a timer */
	assert_fails("unix_reliable", "dgram-writer-waits");
}

/* No events: every claim of every Unix socket scenario fails. */
static void test_empty_trace_fails_everything(void **state)
{
	(void)state;
	claims_assert_section_fails_empty("unix", 11);
}

/* Each scenario names lab programs that exist (mech/unix/labs/NAME.c) and states its rule. */
static void test_scenario_table(void **state)
{
	const struct scenario *s;

	for (size_t i = 0; (s = scenario_at(i)); i++) {
		if (strcmp(s->section, "unix") != 0)
			continue;
		assert_non_null(s->summary);
		assert_non_null(s->rule_zh);
		assert_non_null(s->explain);
		assert_non_null(s->programs[0]);
		for (int k = 0; k < SCENARIO_MAX_PROGRAMS && s->programs[k]; k++) {
			char path[512];
			FILE *f;

			snprintf(path, sizeof(path), "%s/mech/unix/labs/%.*s.c", SOURCE_DIR,
				 (int)strcspn(s->programs[k], " "), s->programs[k]);
			f = fopen(path, "r");
			if (!f)
				fail_msg("%s: no lab program %s", s->name, path);
			fclose(f);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_trace_fails_everything),
		cmocka_unit_test(test_scenario_table),
		cmocka_unit_test(test_roles_required),
		cmocka_unit_test(test_transfer),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_stream_blocks),
		cmocka_unit_test(test_dgram_blocks),
		cmocka_unit_test(test_msgsize),
		cmocka_unit_test(test_server_client),
		cmocka_unit_test(test_epipe),
		cmocka_unit_test(test_nonblock),
		cmocka_unit_test(test_pass_fd),
		cmocka_unit_test(test_reliable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
