// SPDX-License-Identifier: GPL-2.0
/*
 * test_claims.c - scenario claims on synthetic timelines.  For each scenario a minimal
 * event list that should pass every claim, then one fact changed per case and the claim
 * that depends on it must fail.  An empty trace fails every claim of every scenario.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "claims_check.h"
#include "claims.h"
#include "scenarios.h"
#include "timeline.h"

#define T0 7000000000ULL
#define US 1000ULL
#define MSEC 1000000ULL
#define KA 0xffff888000001000ULL	/* pipe 1: address, inode 7 */
#define KB 0xffff888000002000ULL	/* pipe 2: address, inode 8 (any other: inode 9) */
#define W 100				/* "writer" / "parent" / "writer-A" */
#define R 200				/* "reader" / "child" */
#define P 300				/* single-process scenarios */
#define F_SETPIPE_SZ_ 1031
#define F_GETPIPE_SZ_ 1032

/* ---------------------------------------------------------------- event lists */

struct evl {
	struct ipclab_event e[160];
	size_t n;
};

static struct ipclab_event *add(struct evl *l, int type, __u32 pid, __u64 start, __u64 dur)
{
	struct ipclab_event *e;

	assert_true(l->n < sizeof(l->e) / sizeof(l->e[0]));
	e = &l->e[l->n++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->pid = e->tid = pid;
	e->ts_start = T0 + start;
	e->ts = T0 + start + dur;
	e->nr = -1;
	return e;
}

static void set_pipe(struct ipclab_pipe *p, __u64 kptr, __u32 bytes)
{
	p->pipe = kptr;
	p->ino = kptr == KA ? 7 : kptr == KB ? 8 : 9;
	p->dev = 13;
	p->ring_size = 16;
	p->max_usage = 16;
	p->readers = 1;
	p->writers = 1;
	p->bytes = bytes;
	p->slots = (bytes + 4095) / 4096;
}

/* A read or write on pipe `kptr` with occupancy `before` -> `after`. */
static struct ipclab_event *io_on(struct evl *l, __u64 kptr, __u32 pid, __u64 start, __u64 dur,
				  int write, __s64 result, __u32 before, __u32 after)
{
	struct ipclab_event *e = add(l, EVT_PIPE_IO, pid, start, dur);

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

static struct ipclab_event *io(struct evl *l, __u32 pid, __u64 start, __u64 dur, int write,
			       __s64 result, __u32 before, __u32 after)
{
	return io_on(l, KA, pid, start, dur, write, result, before, after);
}

static void fill_data(struct ipclab_event *e, int letter)
{
	e->io.data_len = IPCLAB_DATA_LEN;
	memset(e->io.head, letter, IPCLAB_DATA_LEN);
	memset(e->io.tail, letter, IPCLAB_DATA_LEN);
}

static void role(struct evl *l, __u32 pid, const char *name)
{
	struct ipclab_event *e = add(l, EVT_RENAME, pid, 0, 0);

	snprintf(e->task.comm, sizeof(e->task.comm), "%s", name);
}

/* `tid` slept on pipe KA; `waker` in syscall `nr` on KA woke it just before it ran. */
static struct ipclab_event *block(struct evl *l, __u32 tid, __u64 start, __u64 dur,
				  __u32 waker, int nr)
{
	struct ipclab_event *e = add(l, EVT_BLOCK, tid, start, dur);

	e->nr = NR_read;
	e->blk.pipe = KA;
	e->blk.ts_wake = e->ts - 1;
	e->blk.waker_pid = e->blk.waker_tid = waker;
	e->blk.waker_nr = nr;
	e->blk.waker_pipe = KA;
	snprintf(e->blk.waker_comm, sizeof(e->blk.waker_comm), "pid%u", waker);
	return e;
}

static struct ipclab_event *syscall_ev(struct evl *l, __u32 pid, __u64 start, __u64 dur, int nr,
				       __s64 ret)
{
	struct ipclab_event *e = add(l, EVT_SYSCALL, pid, start, dur);

	e->nr = nr;
	e->sc.ret = ret;
	return e;
}

/* The k-th pipe I/O of `pid` in direction `write`, in list (= time) order. */
static struct ipclab_event *nth_io(struct evl *l, __u32 pid, int write, int k)
{
	int left = k;

	for (size_t i = 0; i < l->n; i++)
		if (l->e[i].type == EVT_PIPE_IO && l->e[i].pid == pid &&
		    (int)l->e[i].io.write == write && left-- == 0)
			return &l->e[i];
	fail_msg("no pipe I/O #%d of pid %u", k, pid);
	return NULL;
}

static struct ipclab_event *first(struct evl *l, int type)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->e[i].type == type)
			return &l->e[i];
	fail_msg("no event of type %d", type);
	return NULL;
}

static void drop(struct evl *l, struct ipclab_event *e)
{
	size_t i = e - l->e;

	memmove(&l->e[i], &l->e[i + 1], (l->n - i - 1) * sizeof(*e));
	l->n--;
}

/* ---------------------------------------------------------------- evaluation */

/* The list judged by the scenario's checker (tests/unit/claims_check.h). */
static void evaluate(const char *scenario, const struct evl *l, struct claim_set *cs)
{
	claims_evaluate(scenario, l->e, l->n, T0, cs);
}

/* ... and every claim says what the trace showed in Chinese too. */
static void assert_all_pass(const char *scenario, const struct evl *l, int nclaims)
{
	struct claim_set cs;

	claims_assert_all_pass(scenario, l->e, l->n, T0, nclaims);
	evaluate(scenario, l, &cs);
	claims_assert_all_zh(&cs);
}

/* Claim `id`'s detail ends with `tail`: nothing dropped from its end. */
static void assert_detail_ends(const char *scenario, const struct evl *l, const char *id,
			       const char *tail)
{
	struct claim_set cs;
	const char *d;

	claims_evaluate(scenario, l->e, l->n, T0, &cs);
	d = claim_get(&cs, id)->detail;
	if (strlen(d) < strlen(tail) || strcmp(d + strlen(d) - strlen(tail), tail))
		fail_msg("%s/%s: \"%s\" does not end \"%s\"", scenario, id, d, tail);
}

static void assert_fails(const char *scenario, const struct evl *l, const char *id)
{
	claims_assert_fails(scenario, l->e, l->n, T0, id);
}

/* ---------------------------------------------------------------- fixtures */

static void fx_transfer(struct evl *l)
{
	static const __s64 res[] = { 1000, 1000, 1000, 5000 };
	__u32 occ = 0;

	l->n = 0;
	role(l, W, "writer");
	role(l, R, "reader");
	for (int k = 0; k < 4; k++) {
		io(l, W, (10 + 10 * k) * US, 5 * US, 1, res[k], occ, occ + res[k]);
		occ += res[k];
	}
	io(l, R, 60 * US, 5 * US, 0, 8000, 8000, 0);
	io(l, R, 100 * US, 5 * US, 0, 0, 0, 0)->io.after.writers = 0;
}

static void fx_read_blocks(struct evl *l)
{
	l->n = 0;
	role(l, W, "writer");
	role(l, R, "reader");
	io(l, R, 10 * US, 210 * MSEC, 0, 64, 0, 0);
	block(l, R, 20 * US, 200 * MSEC, W, NR_write);
	io(l, W, 200 * MSEC, 10 * US, 1, 64, 0, 64);
}

static void fx_eof(struct evl *l)
{
	struct ipclab_event *e;

	l->n = 0;
	role(l, W, "writer");
	role(l, R, "reader");
	io(l, W, 10 * US, 5 * US, 1, 100, 0, 100);
	io(l, R, 20 * US, 5 * US, 0, 100, 100, 0);
	io(l, R, 30 * US, 100 * MSEC, 0, 0, 0, 0)->io.after.writers = 0;
	block(l, R, 40 * US, 99 * MSEC, W, NR_close)->blk.ts_wake = T0 + 99 * MSEC + 500 * US;
	e = syscall_ev(l, W, 99 * MSEC, 1 * MSEC, NR_close, 0);
	e->flags = EVF_LAST_REF | EVF_FMODE_WRITE;
	set_pipe(&e->sc.pipe, KA, 0);
	e->sc.pipe.writers = 0;
}

static void fx_write_blocks(struct evl *l)
{
	struct ipclab_event *e;

	l->n = 0;
	role(l, W, "writer");
	role(l, R, "reader");
	for (int k = 0; k < 16; k++)
		io(l, W, (10 + 10 * k) * US, 5 * US, 1, 4096, 4096 * k, 4096 * (k + 1));
	e = io(l, W, 200 * US, 100 * MSEC, 1, 4096, 65536, 65536);
	e->io.slots_before = 16;
	block(l, W, 210 * US, 99 * MSEC, R, NR_read);
	io(l, R, 99 * MSEC, 10 * US, 0, 4096, 65536, 61440);
}

static void fx_sigpipe(struct evl *l, int ignored)
{
	struct ipclab_event *e;

	l->n = 0;
	role(l, W, "writer");
	io(l, W, 10 * US, 5 * US, 1, -EPIPE, 0, 0)->io.after.readers = 0;
	e = add(l, EVT_SIGNAL, W, 12 * US, 0);
	e->nr = NR_write;
	e->sig.sig = SIGPIPE;
	e->sig.result = ignored;	/* TRACE_SIGNAL_IGNORED == 1 */
	e->sig.sender_pid = e->sig.sender_tid = W;
	e = add(l, EVT_EXIT, W, 20 * US, 0);
	e->flags = EVF_GROUP_DEAD;
	e->task.exit_code = ignored ? 0 : SIGPIPE;
}

static void fx_nonblock(struct evl *l)
{
	static const struct { __s64 result; __u32 bytes, writers; } rd[] = {
		{ -EAGAIN, 0, 1 }, { 10, 10, 1 }, { 10, 10, 0 }, { 0, 0, 0 },
	};

	l->n = 0;
	role(l, P, "nonblock");
	for (int k = 0; k < 4; k++) {
		struct ipclab_event *e = io(l, P, (10 + 10 * k) * US, 2 * US, 0, rd[k].result,
					    rd[k].bytes, 0);

		e->flags = EVF_NONBLOCK;
		e->io.after.writers = rd[k].writers;
	}
}

static void fx_capacity(struct evl *l)
{
	l->n = 0;
	role(l, P, "capacity");
	syscall_ev(l, P, 5 * US, 1 * US, NR_fcntl, 65536)->sc.args[1] = F_GETPIPE_SZ_;
	for (int k = 0; k < 16; k++)
		io(l, P, (10 + 10 * k) * US, 5 * US, 1, 4096, 4096 * k, 4096 * (k + 1));
	io(l, P, 200 * US, 5 * US, 1, -EAGAIN, 65536, 65536);
	io(l, P, 210 * US, 5 * US, 1, -EAGAIN, 65536, 65536)->io.requested = 1;
}

static struct ipclab_event *full_write(struct evl *l, __u64 start, __u32 slots)
{
	struct ipclab_event *e = io(l, P, start, 5 * US, 1, -EAGAIN, slots * 4096, slots * 4096);

	e->io.after.max_usage = slots;
	return e;
}

static void fx_resize(struct evl *l)
{
	struct ipclab_event *e;

	l->n = 0;
	role(l, P, "resize");
	syscall_ev(l, P, 10 * US, 1 * US, NR_fcntl, 8192)->sc.args[1] = F_SETPIPE_SZ_;
	io(l, P, 20 * US, 5 * US, 1, 4096, 0, 4096);
	io(l, P, 30 * US, 5 * US, 1, 4096, 4096, 8192);
	full_write(l, 40 * US, 2);
	syscall_ev(l, P, 50 * US, 1 * US, NR_fcntl, 262144)->sc.args[1] = F_SETPIPE_SZ_;
	full_write(l, 60 * US, 64);
	e = syscall_ev(l, P, 70 * US, 1 * US, NR_fcntl, -EBUSY);
	e->sc.args[1] = F_SETPIPE_SZ_;
	set_pipe(&e->sc.pipe, KA, 262144);
}

static void fx_two_way(struct evl *l)
{
	l->n = 0;
	role(l, W, "parent");
	role(l, R, "child");
	for (int k = 0; k < 3; k++) {
		__u64 t = (100 + 100 * k) * US;

		io_on(l, KA, W, t, 1 * US, 1, 16, 0, 16);
		io_on(l, KA, R, t + 2 * US, 1 * US, 0, 16, 16, 0);
		io_on(l, KB, R, t + 4 * US, 1 * US, 1, 16, 0, 16);
		io_on(l, KB, W, t + 6 * US, 1 * US, 0, 16, 16, 0);
	}
}

static void fx_atomic(struct evl *l)
{
	static const char *const names[] = { "writer-A", "writer-B", "writer-C" };

	l->n = 0;
	role(l, R, "reader");
	for (int k = 0; k < 3; k++)
		role(l, W + k, names[k]);
	for (int i = 0; i < 48; i++) {
		fill_data(io(l, W + i % 3, 100 * US * (i + 1), 40 * US, 1, 4096, 0, 4096),
			  'A' + i % 3);
		fill_data(io(l, R, 100 * US * (i + 1) + 50 * US, 10 * US, 0, 4096, 4096, 0),
			  'A' + i % 3);
	}
	block(l, W, 100 * US + 5 * US, 20 * US, R, NR_read);
}

static void fx_atomic_large(struct evl *l)
{
	static const char stream[] = "ABAB";

	l->n = 0;
	role(l, W, "writer-A");
	role(l, W + 1, "writer-B");
	role(l, R, "reader");
	io(l, W, 10 * US, 100 * MSEC, 1, 200000, 0, 65536);
	io(l, W + 1, 20 * US, 100 * MSEC, 1, 200000, 65536, 65536);
	block(l, W, 30 * US, 50 * MSEC, R, NR_read);
	for (int k = 0; k < 4; k++)
		fill_data(io(l, R, (k + 1) * MSEC, 10 * US, 0, 4096, 65536, 61440), stream[k]);
}

/* ---------------------------------------------------------------- tests */

/* No events: every claim of every scenario fails -- nothing passes without probe data. */
static void test_empty_trace_fails_everything(void **state)
{
	struct timeline tl;

	assert_true(scenario_count() >= 12);
	assert_int_equal(timeline_build(&tl, NULL, 0, T0), 0);
	for (size_t s = 0; s < scenario_count(); s++) {
		struct claim_set cs;

		memset(&cs, 0, sizeof(cs));
		scenario_at(s)->check(&tl, &cs);
		assert_true(cs.n > 0);
		for (int i = 0; i < cs.n; i++)
			if (cs.c[i].pass)
				fail_msg("%s/%s passed on an empty trace", scenario_at(s)->name,
					 cs.c[i].id);
		assert_int_equal(claims_failed(&cs), cs.n);
	}
	timeline_free(&tl);
}

/* Roles come only from task_rename: the transfer trace without its renames fails all. */
static void test_roles_required(void **state)
{
	struct evl l;
	struct claim_set cs;

	fx_transfer(&l);
	drop(&l, first(&l, EVT_RENAME));
	drop(&l, first(&l, EVT_RENAME));
	evaluate("pipe_transfer", &l, &cs);
	assert_int_equal(claims_failed(&cs), cs.n);
}

/* pipe_transfer: the fixture passes; wrong occupancy, a misdirected byte count, or a
 * final read that still sees a writer each fail their claim. */
static void test_transfer(void **state)
{
	struct evl l;

	fx_transfer(&l);
	assert_all_pass("pipe_transfer", &l, 4);

	nth_io(&l, W, 1, 2)->io.after.bytes = 2000;	/* 2000 instead of 3000 */
	assert_fails("pipe_transfer", &l, "fill-merge");

	fx_transfer(&l);
	nth_io(&l, W, 1, 3)->io.after.slots = 3;	/* no merge into the last page */
	assert_fails("pipe_transfer", &l, "fill-merge");

	fx_transfer(&l);
	nth_io(&l, R, 0, 0)->io.after.bytes = 1000;	/* read left data behind */
	assert_fails("pipe_transfer", &l, "one-copy-out");

	fx_transfer(&l);
	io(&l, R, 70 * US, 1 * US, 1, 10, 0, 10);	/* reader writes back */
	assert_fails("pipe_transfer", &l, "one-way");

	fx_transfer(&l);
	nth_io(&l, R, 0, 1)->io.after.writers = 1;	/* 0 with a writer left */
	assert_fails("pipe_transfer", &l, "eof");

	fx_transfer(&l);
	drop(&l, nth_io(&l, R, 0, 1));			/* no second read */
	assert_fails("pipe_transfer", &l, "eof");
}

/* pipe_read_blocks: wrong waker, no sleep, or a short sleep fail their claims. */
static void test_read_blocks(void **state)
{
	struct evl l;

	fx_read_blocks(&l);
	assert_all_pass("pipe_read_blocks", &l, 3);

	first(&l, EVT_BLOCK)->blk.waker_pid = 4242;	/* waker pid wrong */
	assert_fails("pipe_read_blocks", &l, "woken-by-write");

	fx_read_blocks(&l);
	first(&l, EVT_BLOCK)->blk.waker_nr = NR_close;	/* woken by something else */
	assert_fails("pipe_read_blocks", &l, "woken-by-write");

	fx_read_blocks(&l);
	first(&l, EVT_BLOCK)->blk.waker_pipe = KB;	/* waker on another pipe */
	assert_fails("pipe_read_blocks", &l, "woken-by-write");

	fx_read_blocks(&l);
	drop(&l, first(&l, EVT_BLOCK));			/* no block event */
	assert_fails("pipe_read_blocks", &l, "read-blocks");
	assert_fails("pipe_read_blocks", &l, "woken-by-write");

	fx_read_blocks(&l);
	first(&l, EVT_BLOCK)->tid = R + 1;		/* another thread slept */
	assert_fails("pipe_read_blocks", &l, "read-blocks");

	fx_read_blocks(&l);
	nth_io(&l, R, 0, 0)->io.bytes_before = 64;	/* data was already there */
	assert_fails("pipe_read_blocks", &l, "read-blocks");

	fx_read_blocks(&l);
	first(&l, EVT_BLOCK)->ts = T0 + 20 * US + 100 * MSEC;	/* woke before the write */
	assert_fails("pipe_read_blocks", &l, "returns-after-write");

	/* a reader that reached read() 100 ms late (a loaded machine) still slept until the
	 * write: it passes, although it slept 100 ms, not 200 */
	fx_read_blocks(&l);
	nth_io(&l, R, 0, 0)->ts_start = T0 + 100 * MSEC;
	first(&l, EVT_BLOCK)->ts_start = T0 + 100 * MSEC + 10 * US;
	assert_all_pass("pipe_read_blocks", &l, 3);

	fx_read_blocks(&l);
	nth_io(&l, R, 0, 0)->ts_start = T0 + 200 * MSEC + 20 * US;	/* began after the write */
	assert_fails("pipe_read_blocks", &l, "returns-after-write");
}

/* pipe_eof: a close that is not the last write end, a wake outside the close, or a
 * 0 from read with a writer left each fail. */
static void test_eof(void **state)
{
	struct evl l;

	fx_eof(&l);
	assert_all_pass("pipe_eof", &l, 4);

	nth_io(&l, R, 0, 0)->io.result = 50;
	assert_fails("pipe_eof", &l, "data-first");

	fx_eof(&l);
	drop(&l, first(&l, EVT_BLOCK));
	assert_fails("pipe_eof", &l, "blocks-while-writer-open");
	assert_fails("pipe_eof", &l, "close-wakes");

	fx_eof(&l);
	first(&l, EVT_SYSCALL)->flags = EVF_FMODE_WRITE;	/* not the last reference */
	assert_fails("pipe_eof", &l, "close-wakes");

	fx_eof(&l);
	first(&l, EVT_SYSCALL)->flags = EVF_LAST_REF | EVF_FMODE_READ;	/* the read end */
	assert_fails("pipe_eof", &l, "close-wakes");

	fx_eof(&l);
	first(&l, EVT_BLOCK)->blk.ts_wake = T0 + 50 * MSEC;	/* woke before the close */
	assert_fails("pipe_eof", &l, "close-wakes");

	fx_eof(&l);
	first(&l, EVT_BLOCK)->blk.waker_pid = R;
	assert_fails("pipe_eof", &l, "close-wakes");

	/* the final fput as task_work (before 6.15), 5 ms after close returned on a loaded
	 * machine: it passes while the writer has not run user code since, and fails once
	 * the writer's next syscall had begun before the wake */
	fx_eof(&l);
	first(&l, EVT_BLOCK)->blk.ts_wake = T0 + 105 * MSEC;
	assert_fails("pipe_eof", &l, "close-wakes");	/* no later event: 1 ms after close */
	syscall_ev(&l, W, 110 * MSEC, 10 * US, NR_write, 60);
	assert_all_pass("pipe_eof", &l, 4);
	first(&l, EVT_BLOCK)->blk.ts_wake = T0 + 110 * MSEC + 5 * US;
	assert_fails("pipe_eof", &l, "close-wakes");

	fx_eof(&l);
	nth_io(&l, R, 0, 1)->io.after.writers = 1;	/* read result 0 with writers=1 */
	assert_fails("pipe_eof", &l, "eof");
}

/* pipe_write_blocks: a short fill, no sleep, the wrong waker, a larger ring each fail. */
static void test_write_blocks(void **state)
{
	struct evl l;

	fx_write_blocks(&l);
	assert_all_pass("pipe_write_blocks", &l, 4);

	nth_io(&l, W, 1, 7)->io.after.slots = 9;
	assert_fails("pipe_write_blocks", &l, "fills-slot-by-slot");

	fx_write_blocks(&l);
	drop(&l, first(&l, EVT_BLOCK));			/* no block event */
	assert_fails("pipe_write_blocks", &l, "full-blocks");
	assert_fails("pipe_write_blocks", &l, "read-wakes-writer");

	fx_write_blocks(&l);
	nth_io(&l, W, 1, 16)->io.bytes_before = 61440;	/* not full */
	assert_fails("pipe_write_blocks", &l, "full-blocks");

	fx_write_blocks(&l);
	first(&l, EVT_BLOCK)->blk.waker_nr = NR_write;
	assert_fails("pipe_write_blocks", &l, "read-wakes-writer");

	fx_write_blocks(&l);
	nth_io(&l, W, 1, 16)->io.result = -EINTR;
	assert_fails("pipe_write_blocks", &l, "read-wakes-writer");

	fx_write_blocks(&l);
	nth_io(&l, W, 1, 16)->io.after.max_usage = 32;
	assert_fails("pipe_write_blocks", &l, "capacity");
}

/* pipe_sigpipe: another errno, a signal from outside the write, a normal exit or death
 * by another signal fail. */
static void test_sigpipe(void **state)
{
	struct evl l;

	fx_sigpipe(&l, 0);
	assert_all_pass("pipe_sigpipe", &l, 3);

	nth_io(&l, W, 1, 0)->io.result = -EAGAIN;
	assert_fails("pipe_sigpipe", &l, "epipe");

	fx_sigpipe(&l, 0);
	nth_io(&l, W, 1, 0)->io.after.readers = 1;
	assert_fails("pipe_sigpipe", &l, "epipe");

	fx_sigpipe(&l, 0);
	first(&l, EVT_SIGNAL)->nr = -1;			/* not from inside write() */
	assert_fails("pipe_sigpipe", &l, "sigpipe-sent");

	fx_sigpipe(&l, 0);
	first(&l, EVT_SIGNAL)->sig.sig = SIGTERM;	/* no SIGPIPE at all */
	assert_fails("pipe_sigpipe", &l, "sigpipe-sent");

	fx_sigpipe(&l, 0);
	first(&l, EVT_EXIT)->task.exit_code = 0;
	assert_fails("pipe_sigpipe", &l, "sigpipe-kills");

	fx_sigpipe(&l, 0);
	first(&l, EVT_EXIT)->task.exit_code = SIGKILL;	/* killed, but not by SIGPIPE */
	assert_fails("pipe_sigpipe", &l, "sigpipe-kills");

	fx_sigpipe(&l, 0);
	first(&l, EVT_EXIT)->task.exit_code = SIGPIPE << 8;	/* exit(13): no signal */
	assert_fails("pipe_sigpipe", &l, "sigpipe-kills");
}

/* pipe_epipe: a delivered signal or a death by SIGPIPE fail the ignored-signal claims. */
static void test_epipe(void **state)
{
	struct evl l;

	fx_sigpipe(&l, 1);
	assert_all_pass("pipe_epipe", &l, 3);

	first(&l, EVT_SIGNAL)->sig.result = 0;		/* delivered, not ignored */
	assert_fails("pipe_epipe", &l, "sigpipe-ignored");

	fx_sigpipe(&l, 1);
	first(&l, EVT_EXIT)->task.exit_code = SIGPIPE;
	assert_fails("pipe_epipe", &l, "writer-survives");

	fx_sigpipe(&l, 1);
	nth_io(&l, W, 1, 0)->io.result = 0;
	assert_fails("pipe_epipe", &l, "epipe");
}

/* pipe_nonblock: a blocking fd, a sleep, or the wrong result per case fail that case. */
static void test_nonblock(void **state)
{
	struct evl l;

	fx_nonblock(&l);
	assert_all_pass("pipe_nonblock", &l, 4);

	nth_io(&l, P, 0, 0)->flags = 0;			/* fd without O_NONBLOCK */
	assert_fails("pipe_nonblock", &l, "empty-writer-open");

	fx_nonblock(&l);
	block(&l, P, 11 * US, 1 * US, W, NR_write);	/* the read slept */
	assert_fails("pipe_nonblock", &l, "empty-writer-open");

	fx_nonblock(&l);
	nth_io(&l, P, 0, 1)->io.result = 5;
	assert_fails("pipe_nonblock", &l, "data-writer-open");

	fx_nonblock(&l);
	nth_io(&l, P, 0, 2)->io.after.writers = 1;
	assert_fails("pipe_nonblock", &l, "data-writer-closed");

	fx_nonblock(&l);
	nth_io(&l, P, 0, 3)->io.result = -EAGAIN;	/* EAGAIN though no writer is left */
	assert_fails("pipe_nonblock", &l, "empty-writer-closed");
}

/* pipe_capacity: a fill that stops early, a 1-byte write that succeeds, a 4 KiB size. */
static void test_capacity(void **state)
{
	struct evl l;

	fx_capacity(&l);
	assert_all_pass("pipe_capacity", &l, 3);
	assert_detail_ends("pipe_capacity", &l, "slot-by-slot", ", 4096->61440/15, 4096->65536/16");

	nth_io(&l, P, 1, 15)->io.result = 2048;
	assert_fails("pipe_capacity", &l, "slot-by-slot");

	fx_capacity(&l);
	nth_io(&l, P, 1, 17)->io.result = 1;
	assert_fails("pipe_capacity", &l, "full-eagain");

	fx_capacity(&l);
	first(&l, EVT_SYSCALL)->sc.ret = 4096;
	assert_fails("pipe_capacity", &l, "not-4k");
}

/* pipe_resize: the wrong fill level or a shrink that succeeds fail. */
static void test_resize(void **state)
{
	struct evl l;

	fx_resize(&l);
	assert_all_pass("pipe_resize", &l, 3);

	nth_io(&l, P, 1, 2)->io.bytes_before = 4096;
	assert_fails("pipe_resize", &l, "shrink-2-slots");

	fx_resize(&l);
	nth_io(&l, P, 1, 3)->io.after.max_usage = 16;
	assert_fails("pipe_resize", &l, "grow-64-slots");

	fx_resize(&l);
	l.e[l.n - 1].sc.ret = 0;
	assert_fails("pipe_resize", &l, "no-shrink-below-data");
}

/* pipe_two_way: one pipe for both directions, or a reply before its request, fail. */
static void test_two_way(void **state)
{
	struct evl l;

	fx_two_way(&l);
	assert_all_pass("pipe_two_way", &l, 3);
	claims_assert_cites("pipe_two_way", l.e, l.n, T0, "two-pipes", 2, EVT_PIPE_IO, NULL);
	claims_assert_cites("pipe_two_way", l.e, l.n, T0, "each-one-way", 12, EVT_PIPE_IO, NULL);

	io_on(&l, KB, W, 900 * US, 1 * US, 1, 16, 0, 16);	/* parent writes child's pipe */
	assert_fails("pipe_two_way", &l, "each-one-way");

	fx_two_way(&l);
	io_on(&l, 0xffff888000003000ULL, W, 900 * US, 1 * US, 0, 0, 0, 0);	/* third pipe */
	assert_fails("pipe_two_way", &l, "two-pipes");

	fx_two_way(&l);
	nth_io(&l, R, 1, 1)->ts_start = T0 + 201 * US;	/* reply before request read ends */
	assert_fails("pipe_two_way", &l, "request-reply");
}

/* pipe_atomic: a partial write, a mixed record, or no wake by the reader fail. */
static void test_atomic(void **state)
{
	struct evl l;

	fx_atomic(&l);
	assert_all_pass("pipe_atomic", &l, 3);
	/* 48 writes: a bounded share of them, every one a write */
	claims_assert_cites("pipe_atomic", l.e, l.n, T0, "whole-writes", CLAIM_EVIDENCE_MAX,
			    EVT_PIPE_IO, NULL);
	claims_assert_cites("pipe_atomic", l.e, l.n, T0, "records-unmixed", CLAIM_EVIDENCE_MAX,
			    EVT_PIPE_IO, NULL);
	claims_assert_cites("pipe_atomic", l.e, l.n, T0, "writers-wait", 2, 0, NULL);

	nth_io(&l, W + 1, 1, 3)->io.result = 2048;
	assert_fails("pipe_atomic", &l, "whole-writes");

	fx_atomic(&l);
	nth_io(&l, R, 0, 9)->io.tail[IPCLAB_DATA_LEN - 1] = 'B';	/* an 'A' record ends in B */
	assert_fails("pipe_atomic", &l, "records-unmixed");

	fx_atomic(&l);
	drop(&l, first(&l, EVT_BLOCK));
	assert_fails("pipe_atomic", &l, "writers-wait");
}

/* pipe_atomic_large: split writes, no interleaving, or no sleep fail. */
static void test_atomic_large(void **state)
{
	struct evl l;

	fx_atomic_large(&l);
	assert_all_pass("pipe_atomic_large", &l, 3);

	nth_io(&l, W, 1, 0)->io.result = 100000;
	assert_fails("pipe_atomic_large", &l, "single-calls");

	fx_atomic_large(&l);
	fill_data(nth_io(&l, R, 0, 1), 'A');		/* stream AABB: one switch */
	fill_data(nth_io(&l, R, 0, 2), 'B');
	assert_fails("pipe_atomic_large", &l, "interleaved");

	fx_atomic_large(&l);
	drop(&l, first(&l, EVT_BLOCK));
	assert_fails("pipe_atomic_large", &l, "blocks-part-way");
}

/* Claim records: results, citations (bounded, negatives ignored) and the fail count. */
static void test_claim_records(void **state)
{
	struct claim_set cs;
	struct claim *a, *b;

	memset(&cs, 0, sizeof(cs));
	a = claim_new(&cs, "a", "text %d", 1);
	b = claim_new(&cs, "b", "other");
	assert_false(a->pass);
	assert_string_equal(a->text, "text 1");
	assert_string_equal(a->detail, "not evaluated");
	assert_int_equal(claims_failed(&cs), 2);
	assert_true(claim_result(a, true, "ok %s", "x"));
	assert_string_equal(a->detail, "ok x");
	assert_int_equal(claims_failed(&cs), 1);
	claim_cite(b, -1);
	assert_int_equal(b->nevidence, 0);
	for (int i = 0; i < CLAIM_EVIDENCE_MAX + 5; i++)
		claim_cite(b, i);
	assert_int_equal(b->nevidence, CLAIM_EVIDENCE_MAX);
	assert_int_equal(b->evidence[CLAIM_EVIDENCE_MAX - 1], CLAIM_EVIDENCE_MAX - 1);
}

/* A list that does not fit its buffer says how many items it left out; a detail cut at
 * its buffer ends in an ellipsis. */
static void test_claim_list(void **state)
{
	struct claim_set cs;
	struct claim_list l;
	struct claim *c;
	char buf[CLAIM_LIST_TAIL + 16], big[400];

	claim_list_init(&l, buf, sizeof(buf), ", ");
	assert_string_equal(buf, "");
	for (int i = 1; i <= 3; i++)
		claim_list_add(&l, "%d", i * 100);
	assert_string_equal(buf, "100, 200, 300");
	for (int i = 4; i <= 9; i++)
		claim_list_add(&l, "%d", i * 100);
	assert_string_equal(buf, "100, 200, 300 \u2026 and 6 more");
	assert_int_equal(l.n, 3);
	assert_int_equal(l.more, 6);

	memset(&cs, 0, sizeof(cs));
	c = claim_new(&cs, "a", "text");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	claim_result(c, true, "%s", big);
	assert_int_equal(strlen(c->detail), sizeof(c->detail) - 1);
	assert_string_equal(c->detail + sizeof(c->detail) - 4, "\u2026");
	claim_result(c, true, "short");
	assert_string_equal(c->detail, "short");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_trace_fails_everything),
		cmocka_unit_test(test_roles_required),
		cmocka_unit_test(test_transfer),
		cmocka_unit_test(test_read_blocks),
		cmocka_unit_test(test_eof),
		cmocka_unit_test(test_write_blocks),
		cmocka_unit_test(test_sigpipe),
		cmocka_unit_test(test_epipe),
		cmocka_unit_test(test_nonblock),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_two_way),
		cmocka_unit_test(test_atomic),
		cmocka_unit_test(test_atomic_large),
		cmocka_unit_test(test_claim_records),
		cmocka_unit_test(test_claim_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
