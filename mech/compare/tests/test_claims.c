// SPDX-License-Identifier: GPL-2.0
/*
 * mech/compare/tests/test_claims.c - the comparison scenario's claims (mech/compare/claims.c)
 * on a synthetic timeline shaped like labs/compare.c's trace at two sizes (4 KiB and
 * 8 KiB: 32 and 16 messages of the 128 KiB per pair): every claim passes; then one fact
 * changed per case, and the claim that rests on it must fail.  An empty trace fails them all.
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
#define TOTAL (128 * 1024)
#define PARENT 100
#define MAP_ADDR 0x7f0000000000ULL
#define KPIPE 0xffff888000007000ULL
#define KSOCK 0xffff888000009000ULL

static const char *const mechs[] = { "pipe", "fifo", "ustrm", "udgrm", "mq", "shm" };
static const size_t sizes[] = { 4096, 8192 };	/* mq runs up to 8 KiB */

struct evl {
	struct ipclab_event e[2400];
	size_t n;
};

static struct evl L;
static __u64 now;

static struct ipclab_event *add(int type, __u32 pid, __u64 dur)
{
	struct ipclab_event *e;

	assert_true(L.n < sizeof(L.e) / sizeof(L.e[0]));
	e = &L.e[L.n++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->pid = e->tid = pid;
	now += 10 * US;
	e->ts_start = T0 + now;
	e->ts = T0 + now + dur;
	e->nr = -1;
	return e;
}

static void spawn(__u32 pid, const char *name)
{
	struct ipclab_event *e = add(EVT_FORK, PARENT, 0);

	e->task.ppid = PARENT;
	e->task.child_pid = e->task.child_tid = pid;
	e = add(EVT_RENAME, pid, 0);
	snprintf(e->task.comm, sizeof(e->task.comm), "%s", name);
}

static void mq_call(__u32 pid, bool write, __s64 bytes)
{
	struct ipclab_event *e = add(EVT_MQ_IO, pid, 5 * US);

	e->nr = write ? NR_mq_timedsend : NR_mq_timedreceive;
	e->mq.write = write;
	e->mq.requested = (__u64)bytes;
	e->mq.result = write ? 0 : bytes;	/* a send returns 0 */
	e->mq.fd = 3;
}

static void data_call(__u32 pid, bool sock, bool write, __s64 bytes)
{
	struct ipclab_event *e = add(sock ? EVT_SOCK_IO : EVT_PIPE_IO, pid, 5 * US);

	e->nr = write ? NR_write : NR_read;
	if (sock) {
		e->sk.write = write;
		e->sk.requested = (__u64)bytes;
		e->sk.result = bytes;
		e->sk.s.sock = KSOCK + pid;
		e->sk.queue = KSOCK + pid;
		e->sk.fd = 3;
	} else {
		e->io.write = write;
		e->io.requested = (__u64)bytes;
		e->io.result = bytes;
		e->io.after.pipe = KPIPE;
		e->io.fd = 3;
	}
}

static void sleep_once(__u32 pid)
{
	add(EVT_BLOCK, pid, 50 * US);
}

static void fault_at(__u32 pid, __u64 addr, bool write)
{
	struct ipclab_event *e = add(EVT_FAULT, pid, 0);

	e->fault.addr = addr;
	e->fault.error_code = 4 | (write ? 2 : 0);
}

static void exit_of(__u32 pid, __u64 nvcsw, __u64 syscalls)
{
	struct ipclab_event *e = add(EVT_EXIT, pid, 0);

	e->task.nvcsw = nvcsw;
	e->task.syscalls = syscalls;
}

/* One pair as the lab makes it: the writer's calls (or stores), the reader's, one sleep
 * each, their exits with their counters. */
static void pair(size_t m, size_t size, __u32 w, __u32 r)
{
	char name[16];
	size_t msgs = TOTAL / size, pages = 1 + size / 4096;
	bool sock = m == 2 || m == 3, mq = m == 4, shm = m == 5;

	snprintf(name, sizeof(name), "%s.%zuK.r", mechs[m], size / 1024);
	spawn(r, name);
	snprintf(name, sizeof(name), "%s.%zuK.w", mechs[m], size / 1024);
	spawn(w, name);
	for (size_t i = 0; i < msgs && !shm; i++) {
		if (mq) {
			mq_call(w, true, (__s64)size);
			mq_call(r, false, (__s64)size);
			continue;
		}
		data_call(w, sock, true, (__s64)size);
		data_call(r, sock, false, (__s64)size);
	}
	if (shm) {	/* the writer touches the flag and every message page; the reader too */
		for (size_t pg = 0; pg < pages; pg++)
			fault_at(w, MAP_ADDR + pg * 4096, true);
		for (size_t pg = 0; pg < pages; pg++)
			fault_at(r, MAP_ADDR + pg * 4096, false);
	}
	sleep_once(r);
	sleep_once(w);
	exit_of(w, 1, msgs + 4);
	exit_of(r, 1, msgs + 4);
}

static void mmap_shared(size_t len)
{
	struct ipclab_event *e = add(EVT_SYSCALL, PARENT, 5 * US);

	e->nr = NR_mmap;
	e->sc.args[1] = len;
	e->sc.args[2] = 3;		/* PROT_READ | PROT_WRITE */
	e->sc.args[3] = 0x21;		/* MAP_SHARED | MAP_ANONYMOUS */
	e->sc.args[4] = (__u64)-1;
	e->sc.ret = (__s64)MAP_ADDR;
	e->sc.fds[0] = e->sc.fds[1] = -1;
}

static void munmap_shared(size_t len)
{
	struct ipclab_event *e = add(EVT_SYSCALL, PARENT, 5 * US);

	e->nr = NR_munmap;
	e->sc.args[0] = MAP_ADDR;
	e->sc.args[1] = len;
	e->sc.fds[0] = e->sc.fds[1] = -1;
}

static void compare_trace(void)
{
	__u32 pid = 200;

	L.n = 0;
	now = 0;
	for (size_t m = 0; m < 6; m++)
		for (size_t k = 0; k < 2; k++, pid += 2) {
			size_t len = 4096 + sizes[k];

			if (m == 5)
				mmap_shared(len);
			pair(m, sizes[k], pid, pid + 1);
			if (m == 5)
				munmap_shared(len);
		}
}

#define NCLAIMS 6	/* copies, one-call-per-message, shm-no-copies, counters, cost x 2 */

static void test_passes(void **state)
{
	struct claim_set cs;

	compare_trace();
	claims_assert_all_pass("compare", L.e, L.n, T0, NCLAIMS);
	claims_evaluate("compare", L.e, L.n, T0, &cs);
	claims_assert_all_zh(&cs);
	/* 5 writers at each of 2 sizes; both sides of the shm pairs; 12 processes' exits */
	claims_assert_cites("compare", L.e, L.n, T0, "one-call-per-message", 10, 0, NULL);
	claims_assert_cites("compare", L.e, L.n, T0, "shm-no-copies", 4, EVT_FAULT, NULL);
	claims_assert_cites("compare", L.e, L.n, T0, "counters", 12, EVT_EXIT, NULL);
}

static void test_empty_fails_all(void **state)
{
	struct claim_set cs;

	claims_evaluate("compare", L.e, 0, T0, &cs);
	assert_true(cs.n >= 4);
	assert_int_equal(claims_failed(&cs), cs.n);
}

/* The n-th record of a type by the process named name. */
static struct ipclab_event *find(const char *name, int type, int n)
{
	__u32 pid = 0;

	for (size_t i = 0; i < L.n; i++)
		if (L.e[i].type == EVT_RENAME && !strcmp(L.e[i].task.comm, name))
			pid = L.e[i].pid;
	for (size_t i = 0; i < L.n; i++)
		if (L.e[i].pid == pid && L.e[i].type == type && n-- == 0)
			return &L.e[i];
	fail_msg("no record %d of %s", type, name);
	return NULL;
}

/* A reader that got one byte less: the bytes did not all come out. */
static void test_copies_fail(void **state)
{
	compare_trace();
	find("ustrm.4K.r", EVT_SOCK_IO, 1)->sk.result = 4095;
	claims_assert_fails("compare", L.e, L.n, T0, "copies");
	compare_trace();
	find("pipe.8K.w", EVT_PIPE_IO, 0)->io.result = -EPIPE;
	claims_assert_fails("compare", L.e, L.n, T0, "copies");
}

/* A queue send that failed (EAGAIN): its message never went in. */
static void test_mq_copies_fail(void **state)
{
	compare_trace();
	find("mq.8K.w", EVT_MQ_IO, 3)->mq.result = -EAGAIN;
	claims_assert_fails("compare", L.e, L.n, T0, "copies");
}

/* A writer whose message took two calls (a short write) */
static void test_calls_fail(void **state)
{
	compare_trace();
	find("fifo.4K.w", EVT_PIPE_IO, 2)->type = EVT_SYSCALL;	/* one call fewer seen */
	claims_assert_fails("compare", L.e, L.n, T0, "one-call-per-message");
}

/* Data through a call on the shm pair, or a fault per message instead of per page. */
static void test_shm_fails(void **state)
{
	struct ipclab_event *e;

	compare_trace();
	e = find("shm.8K.r", EVT_BLOCK, 0);
	e->type = EVT_PIPE_IO;
	e->io.write = 0;
	e->io.result = 8;
	e->io.after.pipe = KPIPE;
	claims_assert_fails("compare", L.e, L.n, T0, "shm-no-copies");
	compare_trace();
	for (size_t i = 0; i < L.n; i++)	/* every fault of the writer 3 more times */
		if (L.e[i].type == EVT_FAULT && L.n + 3 < sizeof(L.e) / sizeof(L.e[0])) {
			for (int k = 0; k < 3; k++)
				L.e[L.n++] = L.e[i];
		}
	claims_assert_fails("compare", L.e, L.n, T0, "shm-no-copies");
}

/* More sleeps in the trace than the kernel's voluntary switches, or an exit missing. */
static void test_counters_fail(void **state)
{
	compare_trace();
	find("udgrm.8K.w", EVT_EXIT, 0)->task.nvcsw = 0;
	claims_assert_fails("compare", L.e, L.n, T0, "counters");
	compare_trace();
	find("pipe.4K.r", EVT_EXIT, 0)->type = EVT_BLOCK;
	claims_assert_fails("compare", L.e, L.n, T0, "counters");
	claims_assert_fails("compare", L.e, L.n, T0, "cost-4096");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passes),
		cmocka_unit_test(test_empty_fails_all),
		cmocka_unit_test(test_copies_fail),
		cmocka_unit_test(test_mq_copies_fail),
		cmocka_unit_test(test_calls_fail),
		cmocka_unit_test(test_shm_fails),
		cmocka_unit_test(test_counters_fail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
