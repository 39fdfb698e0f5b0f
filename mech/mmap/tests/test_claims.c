// SPDX-License-Identifier: GPL-2.0
/*
 * mech/mmap/tests/test_claims.c - the mmap scenarios' claims (mech/mmap/claims.c) on
 * synthetic timelines.  For each scenario an event list shaped like its lab program's trace
 * (`ipclab run mmap_...` on 6.18 x86_64, tracepoint tier: the records, flags, lengths and
 * error codes below are the ones those traces hold), on which every claim passes; then one
 * fact changed per case, and the claim that rests on it must fail.  An empty trace fails
 * every claim.
 *
 * Fault-around (filemap:mm_filemap_map_pages) is reported from 6.11 only.  The claims that
 * depend on it (mmap_private_cow, mmap_fault_around, mmap_close_fd) are tested in both
 * shapes: with the fault_around records of a 6.18 trace, and with none (an older kernel;
 * tl->meta is NULL here, so only the records decide).
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

#define T0 9000000000ULL
#define US 1000ULL
#define MSEC 1000000ULL
#define PG 4096ULL
#define DEV 266338304u		/* the traces' /var/tmp device */
#define INO_A 1106038ULL	/* the scenario's file */
#define INO_B 1106027ULL	/* a second one */
#define INO_LIBC 332835ULL
#define SHARED 0x01
#define PRIVATE 0x02
#define ANON 0x20
#define PROT_R 1
#define PROT_RW 3
/* x86 error codes as the traces show them: 4 user, 2 write, 1 present */
#define EC_READ 4
#define EC_WRITE 6
#define EC_COW 7
/* addresses of the mappings, from the traces */
#define A_HINT 0x200000000000ULL	/* the labs' hint address (35184372088832) */
#define A_HEAP 0x7f1000000000ULL
#define A_LIBC 0x7f2000000000ULL

struct evl {
	struct ipclab_event *e;
	size_t n, cap;
};

static struct evl L;

static struct ipclab_event *add(int type, __u32 pid, __u64 start, __u64 dur)
{
	struct ipclab_event *e;

	assert_true(L.n < L.cap);
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

static struct ipclab_event *sc(__u32 pid, __u64 start, __u64 dur, int nr, __s64 ret)
{
	struct ipclab_event *e = add(EVT_SYSCALL, pid, start, dur);

	e->nr = nr;
	e->sc.ret = ret;
	e->sc.fds[0] = e->sc.fds[1] = -1;
	return e;
}

static struct ipclab_event *openat_(__u32 pid, __u64 t, const char *path, __s64 fd)
{
	struct ipclab_event *e = sc(pid, t, 10 * US, NR_openat, fd);

	snprintf(e->sc.path, sizeof(e->sc.path), "%s", path);
	return e;
}

static struct ipclab_event *close_(__u32 pid, __u64 t, int fd, __s64 ret)
{
	struct ipclab_event *e = sc(pid, t, 1 * US, NR_close, ret);

	e->sc.args[0] = fd;
	return e;
}

/* mmap of file `name` (inode ino) on fd 3; ret: the address or -errno */
static struct ipclab_event *mmap_file(__u32 pid, __u64 t, __s64 ret, __u64 len, int prot,
				      int flags, __u64 off, __u64 ino, const char *name)
{
	struct ipclab_event *e = sc(pid, t, 10 * US, NR_mmap, ret);

	e->sc.args[1] = len;
	e->sc.args[2] = prot;
	e->sc.args[3] = flags;
	e->sc.args[4] = 3;
	e->sc.args[5] = off;
	if (ret < 0 && ret >= -4095)
		return e;	/* a failed mmap names no file (the traces' -EACCES) */
	e->sc.file_ino = ino;
	e->sc.file_dev = DEV;
	snprintf(e->sc.path, sizeof(e->sc.path), "%s", name);
	return e;
}

static struct ipclab_event *mmap_anon(__u32 pid, __u64 t, __u64 addr, __u64 len, int flags)
{
	struct ipclab_event *e = sc(pid, t, 5 * US, NR_mmap, (__s64)addr);

	e->sc.args[1] = len;
	e->sc.args[2] = PROT_RW;
	e->sc.args[3] = flags;
	e->sc.args[4] = 0xffffffffULL;	/* fd -1 as the trace shows it */
	return e;
}

static struct ipclab_event *munmap_(__u32 pid, __u64 t, __u64 addr, __u64 len, __s64 ret)
{
	struct ipclab_event *e = sc(pid, t, 10 * US, NR_munmap, ret);

	e->sc.args[0] = addr;
	e->sc.args[1] = len;
	return e;
}

static struct ipclab_event *fault(__u32 pid, __u64 t, __u64 addr, int ec)
{
	struct ipclab_event *e = add(EVT_FAULT, pid, t, 0);

	e->fault.addr = addr;
	e->fault.error_code = ec;
	return e;
}

/* page_cache, dirty, fault_around, writeback of file pages [index, last] */
static struct ipclab_event *fpage(int type, __u32 pid, __u64 t, __u64 ino, __u64 index,
				  __u64 last)
{
	struct ipclab_event *e = add(type, pid, t, 0);

	e->fp.ino = ino;
	e->fp.dev = DEV;
	e->fp.index = index;
	e->fp.last_index = last;
	return e;
}

static void fork_(__u32 parent, __u32 child, __u64 t)
{
	struct ipclab_event *e = add(EVT_FORK, parent, t, 0);

	e->task.ppid = parent;
	e->task.child_pid = e->task.child_tid = child;
}

static struct ipclab_event *exit_ev(__u32 pid, __u64 t, int status)
{
	struct ipclab_event *e = add(EVT_EXIT, pid, t, 0);

	e->task.exit_code = status;
	e->flags = EVF_GROUP_DEAD;
	return e;
}

static struct ipclab_event *signal_ev(__u32 target, __u64 t, int sig, __u32 sender)
{
	struct ipclab_event *e = add(EVT_SIGNAL, target, t, 0);

	e->sig.sig = sig;
	e->sig.sender_pid = e->sig.sender_tid = sender;
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

/* A kernel before 6.11: it cannot report fault-around, so no fault_around record at all. */
static void drop_fault_around(void)
{
	for (size_t i = 0; i < L.n;)
		if (L.e[i].type == EVT_FAULT_AROUND)
			drop(&L.e[i]);
		else
			i++;
}

static void move(struct ipclab_event *e, __u64 t)
{
	__u64 dur = e->ts - e->ts_start;

	e->ts_start = T0 + t;
	e->ts = T0 + t + dur;
}

/* ... and every claim says what the trace showed in Chinese too. */
static void assert_all_pass(const char *scenario, int nclaims)
{
	struct claim_set cs;

	claims_assert_all_pass(scenario, L.e, L.n, T0, nclaims);
	claims_evaluate(scenario, L.e, L.n, T0, &cs);
	claims_assert_all_zh(&cs);
}

static void assert_fails(const char *scenario, const char *id)
{
	claims_assert_fails(scenario, L.e, L.n, T0, id);
}

/* Claim `id` of the scenario reports exactly `detail` on the list. */
static void assert_detail(const char *scenario, const char *id, const char *detail)
{
	struct claim_set cs;

	claims_evaluate(scenario, L.e, L.n, T0, &cs);
	assert_string_equal(claim_get(&cs, id)->detail, detail);
}

/* ---------------------------------------------------------------- mmap_shared_file */

#define W 100	/* writer */
#define R 200	/* reader */
#define AW 0x7f1a00000000ULL

/* Unrelated writer and reader map the same 8-page file MAP_SHARED; the reader's read fault
 * on page 0 maps the whole file (fault-around 0..7); 150 ms later the writer's one write
 * fault on page 0 dirties that page; the reader sees the string and unmaps. */
static void fx_shared(void)
{
	L.n = 0;
	role(W, 1 * MSEC, "writer");
	openat_(W, 1 * MSEC + 20 * US, "/var/tmp/ipclab-mmap_shared_file-x/shared.dat", 3);
	mmap_file(W, 3 * MSEC, AW, 8 * PG, PROT_RW, SHARED, 0, INO_A, "shared.dat");
	role(R, 3 * MSEC + 40 * US, "reader");
	openat_(R, 3 * MSEC + 60 * US, "/var/tmp/ipclab-mmap_shared_file-x/shared.dat", 3);
	mmap_file(R, 3 * MSEC + 80 * US, A_HINT, 8 * PG, PROT_R, SHARED, 0, INO_A, "shared.dat");
	close_(R, 3 * MSEC + 95 * US, 3, 0);
	fault(R, 3 * MSEC + 130 * US, A_HINT, EC_READ);
	fpage(EVT_FAULT_AROUND, R, 3 * MSEC + 135 * US, INO_A, 0, 7);
	fault(W, 153 * MSEC, AW + 28, EC_WRITE);
	fpage(EVT_DIRTY, W, 153 * MSEC + 15 * US, INO_A, 0, 0);
	munmap_(R, 155 * MSEC, A_HINT, 8 * PG, 0);
	exit_ev(R, 155 * MSEC + 40 * US, 0);
	munmap_(W, 453 * MSEC, AW, 8 * PG, 0);
	exit_ev(W, 553 * MSEC, 0);
}

static void test_shared_file(void **state)
{
	const char *s = "mmap_shared_file";

	(void)state;
	fx_shared();
	assert_all_pass(s, 3);

	fx_shared();
	nth_rec(EVT_SYSCALL, R, NR_mmap, 0)->sc.file_ino = INO_B;	/* another file */
	assert_fails(s, "one-file-two-processes");

	fx_shared();
	fork_(W, R, 2 * MSEC);	/* the reader is the writer's child: not unrelated */
	assert_fails(s, "one-file-two-processes");

	fx_shared();
	nth_rec(EVT_SYSCALL, R, NR_mmap, 0)->sc.args[3] = PRIVATE;	/* not MAP_SHARED */
	assert_fails(s, "one-file-two-processes");

	fx_shared();
	fault(W, 153 * MSEC + 30 * US, AW + PG, EC_WRITE);	/* a second store, on page 1 */
	assert_fails(s, "store-faults");

	fx_shared();
	nth_rec(EVT_FAULT, W, -1, 0)->fault.error_code = EC_READ;	/* the writer only read */
	assert_fails(s, "store-faults");

	fx_shared();
	sc(R, 50 * MSEC, 5 * US, NR_pread64, 4096);	/* the reader read() the file */
	assert_fails(s, "reader-sees-store");

	fx_shared();
	move(nth_rec(EVT_SYSCALL, R, NR_munmap, 0), 100 * MSEC);	/* gave up before the store */
	move(nth_rec(EVT_EXIT, R, -1, 0), 100 * MSEC + 40 * US);
	assert_fails(s, "reader-sees-store");

	fx_shared();
	drop_fault_around();	/* no fault-around: the reader faults page 1 too */
	fault(R, 4 * MSEC, A_HINT + PG, EC_READ);
	assert_fails(s, "reader-sees-store");
}

/* ---------------------------------------------------------------- mmap_anon_shared */

#define P 300	/* parent */
#define C 301	/* child */
#define AA 0x7f3000000000ULL

/* mmap of 4 shared anonymous pages, fork; the child stores on page 1 and exits; after
 * waitpid the parent loads page 1. */
static void fx_anon(void)
{
	L.n = 0;
	role(P, 1 * MSEC, "parent");
	mmap_anon(P, 1 * MSEC + 20 * US, AA, 4 * PG, SHARED | ANON);
	fork_(P, C, 1 * MSEC + 180 * US);
	role(C, 1 * MSEC + 650 * US, "child");
	fault(C, 1 * MSEC + 680 * US, AA + PG + 14, EC_WRITE);
	exit_ev(C, 1 * MSEC + 760 * US, 0);
	signal_ev(P, 1 * MSEC + 820 * US, SIGCHLD, C);
	fault(P, 1 * MSEC + 880 * US, AA + PG, EC_READ);
	munmap_(P, 1 * MSEC + 890 * US, AA, 4 * PG, 0);
	exit_ev(P, 1 * MSEC + 920 * US, 0);
}

static void test_anon_shared(void **state)
{
	const char *s = "mmap_anon_shared";

	(void)state;
	fx_anon();
	assert_all_pass(s, 3);

	fx_anon();
	move(nth_rec(EVT_SYSCALL, P, NR_mmap, 0), 1 * MSEC + 200 * US);	/* after the fork */
	assert_fails(s, "anon-shared");

	fx_anon();
	nth_rec(EVT_FAULT, C, -1, 0)->fault.error_code = EC_READ;	/* the child only read */
	assert_fails(s, "child-writes");

	fx_anon();
	nth_rec(EVT_FAULT, C, -1, 0)->fault.addr = AA + 2 * PG;	/* ... on page 2 */
	assert_fails(s, "child-writes");

	fx_anon();
	move(nth_rec(EVT_FAULT, P, -1, 0), 1 * MSEC + 700 * US);	/* before the child's exit */
	assert_fails(s, "parent-reads");

	fx_anon();
	nth_rec(EVT_FAULT, P, -1, 0)->fault.error_code = EC_WRITE;	/* the parent stored */
	assert_fails(s, "parent-reads");

	fx_anon();
	drop(nth_rec(EVT_EXIT, C, -1, 0));	/* the child never exits */
	assert_fails(s, "parent-reads");
}

/* ---------------------------------------------------------------- mmap_private_cow */

#define COW 400

/* A 4-page file written (its pages dirtied before the mapping exists), mapped MAP_PRIVATE
 * read-write: read page 0 (fault-around maps 0..3), 10 ms later write page 0 (present:
 * copy), 10 ms later write page 2 (present too: copy). */
static void fx_cow(void)
{
	L.n = 0;
	role(COW, 1 * MSEC, "cow");
	openat_(COW, 1 * MSEC + 10 * US, "/var/tmp/ipclab-mmap_private_cow-x/private.dat", 3);
	for (int k = 0; k < 4; k++) {
		fpage(EVT_PAGE_CACHE, COW, 1 * MSEC + (50 + 20 * k) * US, INO_A, k, k);
		fpage(EVT_DIRTY, COW, 1 * MSEC + (60 + 20 * k) * US, INO_A, k, k);
	}
	add(EVT_WRITEBACK, COW, 1 * MSEC + 150 * US, 0)->fp.ino = INO_A;
	openat_(COW, 2 * MSEC, "/var/tmp/ipclab-mmap_private_cow-x/private.dat", 3);
	mmap_file(COW, 2 * MSEC + 20 * US, A_HINT, 4 * PG, PROT_RW, PRIVATE, 0, INO_A,
		  "private.dat");
	close_(COW, 2 * MSEC + 30 * US, 3, 0);
	fault(COW, 2 * MSEC + 90 * US, A_HINT, EC_READ);
	fpage(EVT_FAULT_AROUND, COW, 2 * MSEC + 94 * US, INO_A, 0, 3);
	fault(COW, 12 * MSEC, A_HINT, EC_COW);
	fault(COW, 22 * MSEC, A_HINT + 2 * PG, EC_COW);
	munmap_(COW, 22 * MSEC + 50 * US, A_HINT, 4 * PG, 0);
	exit_ev(COW, 27 * MSEC, 0);
}

static void test_private_cow(void **state)
{
	const char *s = "mmap_private_cow";

	(void)state;
	fx_cow();
	assert_all_pass(s, 3);

	/* before 6.11: nothing says whether page 0's fault mapped page 2, so either kind of
	 * write fault on page 2 passes */
	fx_cow();
	drop_fault_around();
	assert_all_pass(s, 3);
	nth_rec(EVT_FAULT, COW, -1, 2)->fault.error_code = EC_WRITE;
	assert_all_pass(s, 3);

	/* a large folio (0..3) mapped page 2 with page 0, with fault-around visible elsewhere
	 * (a libc fault-around record) but not on this file */
	fx_cow();
	drop_fault_around();
	fpage(EVT_FAULT_AROUND, COW, 0, INO_LIBC, 0, 15);
	fpage(EVT_PAGE_CACHE, COW, 1 * MSEC + 130 * US, INO_A, 0, 3);
	assert_all_pass(s, 3);

	fx_cow();
	nth_rec(EVT_FAULT, COW, -1, 1)->fault.error_code = EC_WRITE;	/* no copy: not present */
	assert_fails(s, "read-then-cow");

	fx_cow();
	drop(nth_rec(EVT_FAULT, COW, -1, 0));	/* the write came without a read first */
	assert_fails(s, "read-then-cow");

	fx_cow();
	nth_rec(EVT_FAULT, COW, -1, 2)->fault.error_code = EC_WRITE;	/* fault-around mapped
									 * page 2: it must copy */
	assert_fails(s, "write-unread");

	fx_cow();
	nth_rec(EVT_FAULT_AROUND, COW, -1, 0)->fp.last_index = 1;	/* page 2 never mapped:
									 * a copy is impossible */
	assert_fails(s, "write-unread");

	fx_cow();
	drop_fault_around();
	fault(COW, 32 * MSEC, A_HINT + 3 * PG, EC_COW);	/* before 6.11: a fourth fault */
	move(nth_rec(EVT_SYSCALL, COW, NR_munmap, 0), 33 * MSEC);
	assert_fails(s, "write-unread");

	fx_cow();
	fpage(EVT_DIRTY, COW, 12 * MSEC + 5 * US, INO_A, 0, 0);	/* the store reached the file */
	assert_fails(s, "file-unchanged");
}

/* ---------------------------------------------------------------- mmap_lazy */

#define LZ 500

/* A 16-page file written, then dropped from the cache (fadvise DONTNEED); mmap; 50 ms of
 * nothing; the read of page 0 faults, and that fault reads the 16 pages (read-around) and
 * maps them (fault-around 0..15). */
static void fx_lazy(void)
{
	L.n = 0;
	role(LZ, 1 * MSEC, "lazy");
	openat_(LZ, 1 * MSEC + 30 * US, "/var/tmp/ipclab-mmap_lazy-x/lazy.dat", 3);
	for (int k = 0; k < 16; k++) {
		fpage(EVT_PAGE_CACHE, LZ, 1 * MSEC + (90 + 10 * k) * US, INO_A, k, k);
		fpage(EVT_DIRTY, LZ, 1 * MSEC + (95 + 10 * k) * US, INO_A, k, k);
	}
	openat_(LZ, 8 * MSEC + 200 * US, "/var/tmp/ipclab-mmap_lazy-x/lazy.dat", 3);
	mmap_file(LZ, 8 * MSEC + 300 * US, A_HINT, 16 * PG, PROT_R, PRIVATE, 0, INO_A, "lazy.dat");
	fault(LZ, 58 * MSEC + 400 * US, A_HINT, EC_READ);
	for (int k = 0; k < 16; k++)
		fpage(EVT_PAGE_CACHE, LZ, 58 * MSEC + (410 + k) * US, INO_A, k, k);
	fpage(EVT_FAULT_AROUND, LZ, 58 * MSEC + 700 * US, INO_A, 0, 15);
	munmap_(LZ, 80 * MSEC, A_HINT, 16 * PG, 0);
	exit_ev(LZ, 81 * MSEC, 0);
}

static void test_lazy(void **state)
{
	const char *s = "mmap_lazy";

	(void)state;
	fx_lazy();
	assert_all_pass(s, 2);

	fx_lazy();
	fpage(EVT_PAGE_CACHE, LZ, 8 * MSEC + 320 * US, INO_A, 0, 0);	/* mmap read page 0 */
	assert_fails(s, "mmap-reads-nothing");

	fx_lazy();
	move(nth_rec(EVT_SYSCALL, LZ, NR_mmap, 0), 50 * MSEC);	/* the access 8 ms after mmap,
								 * not after the 50 ms pause */
	assert_fails(s, "mmap-reads-nothing");

	fx_lazy();
	nth_rec(EVT_FAULT, LZ, -1, 0)->fault.addr = A_HINT + PG;	/* first access on page 1 */
	assert_fails(s, "first-access-faults");

	fx_lazy();
	nth_rec(EVT_FAULT, LZ, -1, 0)->fault.error_code = EC_WRITE;	/* a write, not a read */
	assert_fails(s, "first-access-faults");

	fx_lazy();
	for (int k = 0; k < 16; k++)	/* the file was still cached: a minor fault */
		drop(nth_rec(EVT_PAGE_CACHE, LZ, -1, 16));
	assert_fails(s, "first-access-faults");

	fx_lazy();
	/* the thread did something else before the pages came: major cannot be told */
	sc(LZ, 58 * MSEC + 405 * US, 1 * US, NR_write, 40)->sc.args[0] = 1;
	assert_fails(s, "first-access-faults");
}

/* ---------------------------------------------------------------- mmap_fault_around */

#define FA 600
#define AW2 0x7f4000000000ULL

/* R: a 32-page file mapped MAP_SHARED read-only, 16 loads 1 ms apart: one read fault on page
 * 0 and fault-around 0..15.  W: an 8-page file (cached in 4 KiB folios when it was written)
 * mapped read-write: 8 stores, 8 write faults, each dirtying its page. */
static void fx_around(void)
{
	L.n = 0;
	role(FA, 1 * MSEC, "around");
	openat_(FA, 2 * MSEC, "/var/tmp/ipclab-mmap_fault_around-x/around.dat", 3);
	mmap_file(FA, 2 * MSEC + 20 * US, A_HINT, 32 * PG, PROT_R, SHARED, 0, INO_A, "around.dat");
	fault(FA, 2 * MSEC + 150 * US, A_HINT, EC_READ);
	fpage(EVT_FAULT_AROUND, FA, 2 * MSEC + 160 * US, INO_A, 0, 15);
	munmap_(FA, 25 * MSEC, A_HINT, 32 * PG, 0);
	openat_(FA, 26 * MSEC, "/var/tmp/ipclab-mmap_fault_around-x/around2.dat", 3);
	for (int k = 0; k < 8; k++) {
		fpage(EVT_PAGE_CACHE, FA, 26 * MSEC + (50 + 10 * k) * US, INO_B, k, k);
		fpage(EVT_DIRTY, FA, 26 * MSEC + (55 + 10 * k) * US, INO_B, k, k);
	}
	openat_(FA, 38 * MSEC, "/var/tmp/ipclab-mmap_fault_around-x/around2.dat", 3);
	mmap_file(FA, 38 * MSEC + 20 * US, AW2, 8 * PG, PROT_RW, SHARED, 0, INO_B, "around2.dat");
	for (int k = 0; k < 8; k++) {
		fault(FA, (39 + k) * MSEC, AW2 + k * PG, EC_WRITE);
		fpage(EVT_DIRTY, FA, (39 + k) * MSEC + 5 * US, INO_B, k, k);
	}
	munmap_(FA, 48 * MSEC, AW2, 8 * PG, 0);
	exit_ev(FA, 60 * MSEC, 0);
}

/* W's file in one large folio (pages 0..7): one store maps and dirties it all. */
static void fx_around_large_folio(int faults)
{
	fx_around();
	for (int k = 0; k < 8; k++)
		drop(nth_rec(EVT_PAGE_CACHE, FA, -1, 0));
	fpage(EVT_PAGE_CACHE, FA, 26 * MSEC + 50 * US, INO_B, 0, 7);
	/* W's faults are faults 1..8, their dirty records 8..15 (after the file's own 8) */
	for (int k = 7; k >= faults; k--) {
		drop(nth_rec(EVT_FAULT, FA, -1, 1 + k));
		drop(nth_rec(EVT_DIRTY, FA, -1, 8 + k));
	}
}

static void test_fault_around(void **state)
{
	const char *s = "mmap_fault_around";

	(void)state;
	fx_around();
	assert_all_pass(s, 2);

	fx_around();
	drop_fault_around();	/* before 6.11: one fault is all the trace can show */
	assert_all_pass(s, 2);

	fx_around_large_folio(1);	/* 8 pages in one folio: one write fault */
	assert_all_pass(s, 2);

	fx_around();
	nth_rec(EVT_FAULT_AROUND, FA, -1, 0)->fp.last_index = 7;	/* page 15 not mapped */
	assert_fails(s, "read-fault-around");

	fx_around();
	fault(FA, 10 * MSEC, A_HINT + 8 * PG, EC_READ);	/* a second read fault */
	assert_fails(s, "read-fault-around");

	fx_around();
	drop_fault_around();
	for (int k = 1; k < 16; k++)	/* before 6.11, a fault per page: no fault-around */
		fault(FA, (3 + k) * MSEC, A_HINT + k * PG, EC_READ);
	assert_fails(s, "read-fault-around");

	fx_around();
	drop(nth_rec(EVT_FAULT, FA, -1, 4));	/* page 3 stored without a fault */
	assert_fails(s, "write-fault-per-folio");

	fx_around();
	nth_rec(EVT_FAULT, FA, -1, 4)->fault.error_code = EC_READ;	/* a read among them */
	assert_fails(s, "write-fault-per-folio");

	fx_around_large_folio(8);	/* one folio, yet a fault per page */
	assert_fails(s, "write-fault-per-folio");
}

/* ---------------------------------------------------------------- mmap_close_fd */

#define CL 700

/* mmap of a 2-page file, close(fd) at once; 20 ms later a read fault on page 0, whose
 * fault-around maps page 1 as well; exit 0. */
static void fx_close(void)
{
	L.n = 0;
	role(CL, 1 * MSEC, "closer");
	openat_(CL, 6 * MSEC, "/var/tmp/ipclab-mmap_close_fd-x/close.dat", 3);
	mmap_file(CL, 6 * MSEC + 20 * US, A_HINT, 2 * PG, PROT_R, SHARED, 0, INO_B, "close.dat");
	close_(CL, 6 * MSEC + 40 * US, 3, 0);
	fault(CL, 26 * MSEC, A_HINT, EC_READ);
	fpage(EVT_FAULT_AROUND, CL, 26 * MSEC + 12 * US, INO_B, 0, 1);
	munmap_(CL, 26 * MSEC + 60 * US, A_HINT, 2 * PG, 0);
	exit_ev(CL, 31 * MSEC, 0);
}

static void test_close_fd(void **state)
{
	const char *s = "mmap_close_fd";

	(void)state;
	fx_close();
	assert_all_pass(s, 1);

	fx_close();
	drop_fault_around();	/* before 6.11 */
	assert_all_pass(s, 1);

	fx_close();
	nth_rec(EVT_FAULT_AROUND, CL, -1, 0)->fp.last_index = 0;
	fault(CL, 26 * MSEC + 20 * US, A_HINT + PG, EC_READ);	/* page 1 faulted by itself */
	assert_all_pass(s, 1);

	fx_close();
	nth_rec(EVT_SYSCALL, CL, NR_close, 0)->sc.ret = -EBADF;
	assert_fails(s, "mapping-outlives-fd");

	fx_close();
	move(nth_rec(EVT_SYSCALL, CL, NR_close, 0), 27 * MSEC);	/* faults before the close */
	assert_fails(s, "mapping-outlives-fd");

	fx_close();
	nth_rec(EVT_EXIT, CL, -1, 0)->task.exit_code = 1 << 8;	/* exit(1): it went wrong */
	assert_fails(s, "mapping-outlives-fd");

	fx_close();
	nth_rec(EVT_FAULT_AROUND, CL, -1, 0)->fp.last_index = 0;	/* page 1 never mapped */
	assert_fails(s, "mapping-outlives-fd");

	fx_close();
	nth_rec(EVT_SYSCALL, CL, NR_close, 0)->sc.args[0] = 4;	/* another fd closed */
	assert_fails(s, "mapping-outlives-fd");
}

/* ---------------------------------------------------------------- mmap_errors */

#define ER 800
#define AE 0x7f5000000000ULL
#define AQ 0x7f5000010000ULL

/* After opening errors.dat read-only: mmap MAP_SHARED|PROT_WRITE -EACCES, MAP_PRIVATE an
 * address, length 0 -EINVAL, offset 100 -EINVAL, munmap(p + 1) -EINVAL, mmap q (2 pages),
 * munmap(q + 4096) 0, then the cleanup munmaps.  The loader's own mmap/munmap before the
 * open do not count. */
static void fx_errors(void)
{
	L.n = 0;
	mmap_file(ER, 100 * US, A_LIBC, 46231, PROT_R, PRIVATE, 0, 726, "ld.so.cache");
	munmap_(ER, 300 * US, A_LIBC, 46231, 0);
	role(ER, 1 * MSEC, "errors");
	openat_(ER, 1 * MSEC + 20 * US, "/var/tmp/ipclab-mmap_errors-x/errors.dat", 3);
	openat_(ER, 3 * MSEC, "/var/tmp/ipclab-mmap_errors-x/errors.dat", 3);
	mmap_file(ER, 8 * MSEC, -EACCES, PG, PROT_RW, SHARED, 0, INO_A, "errors.dat");
	mmap_file(ER, 13 * MSEC, AE, PG, PROT_RW, PRIVATE, 0, INO_A, "errors.dat");
	mmap_file(ER, 18 * MSEC, -EINVAL, 0, PROT_R, SHARED, 0, INO_A, "errors.dat");
	mmap_file(ER, 23 * MSEC, -EINVAL, PG, PROT_R, SHARED, 100, INO_A, "errors.dat");
	munmap_(ER, 28 * MSEC, AE + 1, PG, -EINVAL);
	mmap_file(ER, 33 * MSEC, AQ, 2 * PG, PROT_R, SHARED, 0, INO_A, "errors.dat");
	munmap_(ER, 38 * MSEC, AQ + PG, PG, 0);
	munmap_(ER, 43 * MSEC, AQ, PG, 0);
	munmap_(ER, 48 * MSEC, AE, PG, 0);
	exit_ev(ER, 50 * MSEC, 0);
}

static void test_errors(void **state)
{
	const char *s = "mmap_errors";

	(void)state;
	fx_errors();
	assert_all_pass(s, 6);

	fx_errors();
	nth_rec(EVT_SYSCALL, ER, NR_mmap, 1)->sc.ret = (__s64)(AE + 0x100000);	/* it worked */
	assert_fails(s, "shared-write-rdonly");

	fx_errors();
	nth_rec(EVT_SYSCALL, ER, NR_mmap, 2)->sc.ret = -EACCES;	/* private refused too */
	assert_fails(s, "private-write-ok");

	fx_errors();
	nth_rec(EVT_SYSCALL, ER, NR_mmap, 3)->sc.ret = -ENOMEM;	/* another error */
	assert_fails(s, "length-zero");

	fx_errors();
	nth_rec(EVT_SYSCALL, ER, NR_mmap, 4)->sc.ret = (__s64)(AE + 0x200000);	/* accepted */
	assert_fails(s, "offset-unaligned");

	fx_errors();
	nth_rec(EVT_SYSCALL, ER, NR_munmap, 1)->sc.ret = 0;	/* unaligned munmap accepted */
	assert_fails(s, "munmap-unaligned");

	fx_errors();
	nth_rec(EVT_SYSCALL, ER, NR_munmap, 2)->sc.ret = -EINVAL;	/* only mmap's own return */
	assert_fails(s, "munmap-partial");

	fx_errors();
	snprintf(nth_rec(EVT_SYSCALL, ER, NR_openat, 0)->sc.path, IPCLAB_PATH_LEN, "other.dat");
	snprintf(nth_rec(EVT_SYSCALL, ER, NR_openat, 1)->sc.path, IPCLAB_PATH_LEN, "other.dat");
	assert_fails(s, "shared-write-rdonly");	/* errors.dat never opened: no calls */
}

/* ---------------------------------------------------------------- mmap_sigbus */

#define PA 900	/* parent */
#define TO 901	/* toucher */
#define AS 0x7f6000000000ULL

/* The parent creates empty.dat and forks; the child maps one page of it MAP_SHARED, its
 * read fault on page 0 finds no data: SIGBUS from the faulting thread, the child dies of
 * it, the parent gets SIGCHLD. */
static void fx_sigbus(void)
{
	L.n = 0;
	role(PA, 1 * MSEC, "parent");
	openat_(PA, 1 * MSEC + 20 * US, "/var/tmp/ipclab-mmap_sigbus-x/empty.dat", 3);
	fork_(PA, TO, 1 * MSEC + 240 * US);
	role(TO, 2 * MSEC + 600 * US, "toucher");
	openat_(TO, 2 * MSEC + 670 * US, "/var/tmp/ipclab-mmap_sigbus-x/empty.dat", 3);
	mmap_file(TO, 2 * MSEC + 690 * US, AS, PG, PROT_RW, SHARED, 0, INO_B, "empty.dat");
	fault(TO, 2 * MSEC + 730 * US, AS, EC_READ);
	signal_ev(TO, 2 * MSEC + 740 * US, SIGBUS, TO);
	exit_ev(TO, 2 * MSEC + 760 * US, SIGBUS);
	signal_ev(PA, 2 * MSEC + 830 * US, SIGCHLD, TO);
	exit_ev(PA, 3 * MSEC, 0);
}

static void test_sigbus(void **state)
{
	const char *s = "mmap_sigbus";

	(void)state;
	fx_sigbus();
	assert_all_pass(s, 3);

	fx_sigbus();
	nth_rec(EVT_SYSCALL, TO, NR_mmap, 0)->sc.args[1] = 2 * PG;	/* not one page */
	assert_fails(s, "maps-empty-file");

	fx_sigbus();
	nth_rec(EVT_SYSCALL, TO, NR_mmap, 0)->sc.ret = -EINVAL;	/* as the notes say */
	assert_fails(s, "maps-empty-file");

	fx_sigbus();
	nth_rec(EVT_SIGNAL, TO, -1, 0)->sig.sender_pid = PA;	/* someone else sent it */
	nth_rec(EVT_SIGNAL, TO, -1, 0)->sig.sender_tid = PA;
	assert_fails(s, "touch-sigbus");

	fx_sigbus();
	move(nth_rec(EVT_SIGNAL, TO, -1, 0), 2 * MSEC + 720 * US);	/* before the fault */
	assert_fails(s, "touch-sigbus");

	fx_sigbus();
	drop(nth_rec(EVT_FAULT, TO, -1, 0));	/* no fault at all */
	assert_fails(s, "touch-sigbus");

	fx_sigbus();
	nth_rec(EVT_EXIT, TO, -1, 0)->task.exit_code = 0;	/* exited normally */
	assert_fails(s, "sigbus-kills");

	fx_sigbus();
	nth_rec(EVT_EXIT, TO, -1, 0)->task.exit_code = SIGKILL;	/* killed by another signal */
	assert_fails(s, "sigbus-kills");
}

/* ---------------------------------------------------------------- mmap_msync */

#define MS_ 1000
#define AM 0x7f7000000000ULL

/* A 4-page file written (4 KiB folios), mapped MAP_SHARED: stores on pages 0 and 2, each a
 * write fault dirtying its page; 10 ms later msync(MS_SYNC) starts writeback of the file
 * and returns 0; munmap 10 ms later. */
static void fx_msync(void)
{
	L.n = 0;
	role(MS_, 1 * MSEC, "msync");
	openat_(MS_, 1 * MSEC + 20 * US, "/var/tmp/ipclab-mmap_msync-x/msync.dat", 3);
	for (int k = 0; k < 4; k++) {
		fpage(EVT_PAGE_CACHE, MS_, 1 * MSEC + (80 + 20 * k) * US, INO_B, k, k);
		fpage(EVT_DIRTY, MS_, 1 * MSEC + (90 + 20 * k) * US, INO_B, k, k);
	}
	add(EVT_WRITEBACK, MS_, 1 * MSEC + 200 * US, 0)->fp.ino = INO_B;
	openat_(MS_, 3 * MSEC, "/var/tmp/ipclab-mmap_msync-x/msync.dat", 3);
	mmap_file(MS_, 3 * MSEC + 20 * US, AM, 4 * PG, PROT_RW, SHARED, 0, INO_B, "msync.dat");
	fault(MS_, 3 * MSEC + 130 * US, AM, EC_WRITE);
	fpage(EVT_DIRTY, MS_, 3 * MSEC + 133 * US, INO_B, 0, 0);
	fault(MS_, 3 * MSEC + 136 * US, AM + 2 * PG, EC_WRITE);
	fpage(EVT_DIRTY, MS_, 3 * MSEC + 137 * US, INO_B, 2, 2);
	sc(MS_, 13 * MSEC, 600 * US, NR_msync, 0)->sc.args[2] = 4;	/* MS_SYNC */
	add(EVT_WRITEBACK, MS_, 13 * MSEC + 22 * US, 0)->fp.ino = INO_B;
	munmap_(MS_, 24 * MSEC, AM, 4 * PG, 0);
	exit_ev(MS_, 26 * MSEC, 0);
}

/* The file in one large folio (pages 0..3): the first store dirties the whole folio, the
 * second store needs no fault. */
static void fx_msync_large_folio(int faults)
{
	fx_msync();
	for (int k = 0; k < 4; k++)
		drop(nth_rec(EVT_PAGE_CACHE, MS_, -1, 0));
	fpage(EVT_PAGE_CACHE, MS_, 1 * MSEC + 80 * US, INO_B, 0, 3);
	/* dirty records 0..3 are the file's own; 4 is page 0's store, 5 page 2's: its folio
	 * was dirty already */
	drop(nth_rec(EVT_DIRTY, MS_, -1, 5));
	if (faults < 2)
		drop(nth_rec(EVT_FAULT, MS_, -1, 1));
}

static void test_msync(void **state)
{
	const char *s = "mmap_msync";

	(void)state;
	fx_msync();
	assert_all_pass(s, 2);

	fx_msync_large_folio(1);
	assert_all_pass(s, 2);

	fx_msync();
	fpage(EVT_DIRTY, MS_, 3 * MSEC + 138 * US, INO_B, 1, 1);	/* page 1 dirtied too */
	assert_fails(s, "stores-dirty-pages");

	fx_msync();
	nth_rec(EVT_FAULT, MS_, -1, 1)->fault.error_code = EC_READ;	/* page 2 only read */
	assert_fails(s, "stores-dirty-pages");

	fx_msync();
	drop(nth_rec(EVT_DIRTY, MS_, -1, 5));	/* page 2 never dirtied */
	assert_fails(s, "stores-dirty-pages");

	fx_msync_large_folio(2);	/* one folio but two write faults */
	assert_fails(s, "stores-dirty-pages");

	fx_msync();
	nth_rec(EVT_SYSCALL, MS_, NR_msync, 0)->sc.ret = -EINVAL;
	assert_fails(s, "msync-writes-back");

	fx_msync();
	move(nth_rec(EVT_WRITEBACK, MS_, -1, 1), 14 * MSEC);	/* after msync returned */
	assert_fails(s, "msync-writes-back");

	fx_msync();
	nth_rec(EVT_WRITEBACK, MS_, -1, 1)->fp.ino = INO_A;	/* another file's writeback */
	assert_fails(s, "msync-writes-back");
}

/* ---------------------------------------------------------------- mmap_vs_write */

#define VS 1100
#define AH 0x7f8000000000ULL	/* the malloc'd 4 MiB */
#define AF 0x7f9000000000ULL	/* the file mapping */

/*
 * Renamed phase-memory: malloc (an anonymous mmap of 4198400 bytes) and memset, one write
 * fault per page (1025 with the malloc header's page); phase-mmap: a 4 MiB MAP_SHARED file
 * mapping, 1024 write faults, plus one in libc (mapped by the loader, not by the phase: not
 * counted); phase-write: 65536 write()s of 64 bytes, gap ns apart; then "done".  Each phase
 * prints a line to stdout (fd 1: not counted).
 */
static void fx_vs(int mem_faults, int map_faults, int writes, __u64 gap)
{
	__u64 t;

	L.n = 0;
	mmap_file(VS, 100 * US, A_LIBC, 1974096, PROT_R, 0x802, 0, INO_LIBC, "libc.so.6");
	role(VS, 1 * MSEC, "phase-memory");
	mmap_anon(VS, 1 * MSEC + 10 * US, AH, 4198400, PRIVATE | ANON);
	for (int k = 0; k < mem_faults; k++)
		fault(VS, 1 * MSEC + 20 * US + k * 2 * US, AH + (k % 1025) * PG, EC_WRITE);
	sc(VS, 4 * MSEC, 5 * US, NR_write, 40)->sc.args[0] = 1;
	munmap_(VS, 4 * MSEC + 10 * US, AH, 4198400, 0);
	role(VS, 5 * MSEC, "phase-mmap");
	openat_(VS, 5 * MSEC + 10 * US, "/var/tmp/ipclab-mmap_vs_write-x/vs_write.dat", 3);
	mmap_file(VS, 5 * MSEC + 60 * US, AF, 4 << 20, PROT_RW, SHARED, 0, INO_A, "vs_write.dat");
	fault(VS, 5 * MSEC + 80 * US, A_LIBC + 200 * PG, EC_READ);
	for (int k = 0; k < map_faults; k++)
		fault(VS, 5 * MSEC + 100 * US + k * 30 * US, AF + k * PG, EC_WRITE);
	sc(VS, 39 * MSEC, 5 * US, NR_write, 40)->sc.args[0] = 1;
	munmap_(VS, 40 * MSEC, AF, 4 << 20, 0);
	role(VS, 41 * MSEC, "phase-write");
	openat_(VS, 41 * MSEC + 10 * US, "/var/tmp/ipclab-mmap_vs_write-x/vs_write.dat", 3);
	t = 42 * MSEC;
	for (int k = 0; k < writes; k++, t += gap)
		sc(VS, t, gap / 2, NR_write, 64)->sc.args[0] = 3;
	sc(VS, t, 5 * US, NR_write, 40)->sc.args[0] = 1;
	role(VS, t + 1 * MSEC, "done");
	exit_ev(VS, t + 2 * MSEC, 0);
}

#define VS_OK 1025, 1024, 65536, 4 * US

/* A phase's claim cites the rename opening the phase, the first four and the last of the
 * records it counted (of type `counted`), and the rename closing it. */
static void assert_phase_cited(const char *scenario, const char *id, int counted)
{
	struct claim c;
	struct timeline tl;

	claims_assert_cites(scenario, L.e, L.n, T0, id, 7, 0, &c);
	assert_int_equal(c.nevidence, 7);
	assert_int_equal(timeline_build(&tl, L.e, L.n, T0), 0);
	assert_int_equal(tl.ev[c.evidence[0]].e->type, EVT_RENAME);
	for (int k = 1; k < 6; k++)
		assert_int_equal(tl.ev[c.evidence[k]].e->type, counted);
	assert_true(c.evidence[5] > c.evidence[4] + 100);	/* the last, far from the first */
	assert_int_equal(tl.ev[c.evidence[6]].e->type, EVT_RENAME);
	timeline_free(&tl);
}

static void test_vs_write(void **state)
{
	const char *s = "mmap_vs_write";

	(void)state;
	fx_vs(VS_OK);
	assert_all_pass(s, 4);
	assert_phase_cited(s, "memory-faults", EVT_FAULT);
	assert_phase_cited(s, "mmap-faults", EVT_FAULT);
	assert_phase_cited(s, "write-syscalls", EVT_SYSCALL);
	claims_assert_cites(s, L.e, L.n, T0, "why-slower", 4, EVT_RENAME, NULL);

	fx_vs(3, 1024, 65536, 4 * US);	/* transparent huge pages: 2 MiB per fault */
	assert_all_pass(s, 4);

	fx_vs(1, 1024, 65536, 4 * US);	/* one fault for 4 MiB: not per page */
	assert_fails(s, "memory-faults");

	fx_vs(1200, 1024, 65536, 4 * US);	/* more faults than pages */
	assert_fails(s, "memory-faults");

	fx_vs(VS_OK);
	sc(VS, 3 * MSEC, 5 * US, NR_write, 64)->sc.args[0] = 3;	/* a write() in the phase */
	assert_fails(s, "memory-faults");

	fx_vs(1025, 1023, 65536, 4 * US);	/* one page of the mapping not faulted */
	assert_fails(s, "mmap-faults");

	fx_vs(VS_OK);
	sc(VS, 38 * MSEC, 5 * US, NR_write, 64)->sc.args[0] = 3;	/* a write() in the phase */
	assert_fails(s, "mmap-faults");

	fx_vs(1025, 1024, 65535, 4 * US);	/* one call short */
	assert_fails(s, "write-syscalls");

	fx_vs(VS_OK);
	nth_rec(EVT_SYSCALL, VS, NR_write, 100)->sc.ret = 32;	/* a short write: 4 MiB - 32 */
	assert_fails(s, "write-syscalls");

	fx_vs(1025, 1024, 65536, 300);	/* write() phase 20 ms, shorter than the mmap phase */
	assert_fails(s, "why-slower");
}

/* ---------------------------------------------------------------- details */

/*
 * A detail lists the faults or pages the verdict counted, "none" when there were none.
 * The lists were once filled inside claim_result()'s first argument and read in a later
 * one: C leaves the order open, GCC read the buffer first (uninitialised), and the details
 * said "file pages dirtied after mmap: " with nothing, or a list from a stale buffer.
 */
static void test_details_list_what_was_counted(void **state)
{
	(void)state;
	fx_cow();
	assert_detail("mmap_private_cow", "file-unchanged", "file pages dirtied after mmap: none");
	/* "none" cites what was checked: the mmap and the faults that wrote */
	claims_assert_cites("mmap_private_cow", L.e, L.n, T0, "file-unchanged", 3, 0, NULL);
	claims_assert_cites("mmap_private_cow", L.e, L.n, T0, "write-unread", 3, EVT_FAULT, NULL);
	fpage(EVT_DIRTY, COW, 12 * MSEC + 5 * US, INO_A, 0, 0);
	assert_detail("mmap_private_cow", "file-unchanged", "file pages dirtied after mmap: 0");

	fx_shared();
	assert_detail("mmap_shared_file", "store-faults", "writer's faults: w0");
	assert_detail("mmap_shared_file", "reader-sees-store", "reader's faults: r0; read syscalls "
		      "after mapping: 0; unmapped after the store");
	drop(nth_rec(EVT_FAULT, R, -1, 0));
	assert_detail("mmap_shared_file", "reader-sees-store", "reader's faults: none; read "
		      "syscalls after mapping: 0; unmapped after the store");

	fx_anon();
	assert_detail("mmap_anon_shared", "child-writes", "child's faults: w1");
	assert_detail("mmap_anon_shared", "parent-reads", "parent's faults: r1");
	drop(nth_rec(EVT_FAULT, P, -1, 0));
	drop(nth_rec(EVT_FAULT, C, -1, 0));
	assert_detail("mmap_anon_shared", "child-writes", "child's faults: none");
	assert_detail("mmap_anon_shared", "parent-reads", "parent's faults: none");

	/* the sender is named: the detail once said "from the faulting thread" whoever sent */
	fx_sigbus();
	assert_detail("mmap_sigbus", "touch-sigbus", "fault on page 0, SIGBUS 0.010 ms later "
		      "from the faulting thread, 901");
	nth_rec(EVT_SIGNAL, TO, -1, 0)->sig.sender_tid = PA;
	assert_detail("mmap_sigbus", "touch-sigbus", "fault on page 0, SIGBUS 0.010 ms later "
		      "from another thread, 900");
}

/* ---------------------------------------------------------------- every scenario */

static void test_empty_trace_fails_everything(void **state)
{
	(void)state;
	claims_assert_section_fails_empty("mmap", 10);
}

static int setup(void **state)
{
	(void)state;
	L.cap = 70000;	/* mmap_vs_write: 65536 writes and 2049 faults */
	L.e = calloc(L.cap, sizeof(*L.e));
	return L.e ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(L.e);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_trace_fails_everything),
		cmocka_unit_test(test_shared_file),
		cmocka_unit_test(test_anon_shared),
		cmocka_unit_test(test_private_cow),
		cmocka_unit_test(test_lazy),
		cmocka_unit_test(test_fault_around),
		cmocka_unit_test(test_close_fd),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_sigbus),
		cmocka_unit_test(test_msync),
		cmocka_unit_test(test_vs_write),
		cmocka_unit_test(test_details_list_what_was_counted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
