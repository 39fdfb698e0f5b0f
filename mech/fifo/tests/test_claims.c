// SPDX-License-Identifier: GPL-2.0
/*
 * mech/fifo/tests/test_claims.c - the FIFO scenarios' claims (mech/fifo/claims.c) on
 * synthetic timelines.  For each scenario an event list shaped like the lab programs' trace
 * (`ipclab run fifo_*` on 6.18 x86_64, tracepoint tier: the times below are that run's,
 * rounded), on which every claim passes; then one fact changed per case, and the claim that
 * rests on it must fail.  An empty trace fails every claim.
 *
 * What the real traces look like, and the fixtures copy: every program's loader opens
 * /etc/ld.so.cache and stdio stats fd 1 (no path) before the FIFO, which the claims must
 * skip; every record on a FIFO fd carries EVF_FIFO and the pipe sample (inode, readers,
 * writers); an open that fails (ENOENT, ENXIO) has no sample; the block inside a blocking
 * open names no pipe (obj null), only its waker and the waker's syscall.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <cmocka.h>
#include "../../../tests/unit/claims_check.h"
#include "claims.h"
#include "scenarios.h"
#include "timeline.h"

#define T0 7000000000ULL
#define US 1000ULL
#define MSEC 1000000ULL
#define KF 0xffff888000005000ULL	/* the FIFO's pipe_inode_info */
#define KF2 0xffff888000006000ULL	/* another FIFO (another inode) */
#define KP 0xffff888000007000ULL	/* an anonymous pipe */
#define FIFO_DEV 0x0fe00000		/* the disk the FIFO file is on (266338304 in the run) */
#define AT_FDCWD_ ((__u64)(__u32)-100)	/* as the syscall tracepoint saw it: 4294967196 */
#define FIFO_PATH "/var/tmp/ipclab-fifo-XXXXXX/myfifo"
#define LOADER 50	/* ipclab: the parent of every lab process, not in the trace */
#define W 100		/* "writer" */
#define R 200		/* "reader" */
#define P 300		/* single-process scenarios */
#define OTHER 400	/* a process with no role */

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

/* The pipe sample of a record on FIFO `kptr` (KP: an anonymous pipe, no EVF_FIFO). */
static void on_fifo(struct ipclab_event *e, struct ipclab_pipe *p, __u64 kptr, __u32 bytes,
		    __u32 readers, __u32 writers)
{
	if (kptr != KP)
		e->flags |= EVF_FIFO;
	p->pipe = kptr;
	p->ino = kptr == KF ? 1106031 : kptr == KF2 ? 1106032 : 77;
	p->dev = kptr == KP ? 13 : FIFO_DEV;
	p->ring_size = p->max_usage = 16;
	p->readers = readers;
	p->writers = writers;
	p->bytes = bytes;
	p->slots = (bytes + 4095) / 4096;
}

static struct ipclab_event *sc(__u32 pid, __u64 start, __u64 dur, int nr, __s64 ret)
{
	struct ipclab_event *e = add(EVT_SYSCALL, pid, start, dur);

	e->nr = nr;
	e->sc.ret = ret;
	e->sc.fds[0] = e->sc.fds[1] = -1;
	return e;
}

/* exec of a lab program by the loader; the loader's open of /etc/ld.so.cache; its
 * prctl(PR_SET_NAME) to its role; stdio's fstat(1) (newfstatat with no path), 250 us in: the
 * claims look past the open and the fstat */
static void start(__u32 pid, __u64 t, const char *name)
{
	struct ipclab_event *e = add(EVT_EXEC, pid, t, 0);

	e->task.ppid = LOADER;
	snprintf(e->task.comm, sizeof(e->task.comm), "lab%u", pid);
	e = sc(pid, t + 100 * US, 5 * US, NR_openat, 3);
	e->sc.args[0] = AT_FDCWD_;
	e->sc.args[2] = O_RDONLY | O_CLOEXEC;
	strcpy(e->sc.path, "/etc/ld.so.cache");
	e = add(EVT_RENAME, pid, t + 200 * US, 0);
	snprintf(e->task.comm, sizeof(e->task.comm), "%s", name);
	e = sc(pid, t + 250 * US, 5 * US, NR_newfstatat, 0);
	e->sc.stat_mode = S_IFREG | 0644;
}

static struct ipclab_event *mkfifo_ev(__u32 pid, __u64 start)
{
	struct ipclab_event *e = sc(pid, start, 35 * US, NR_mknodat, 0);

	e->sc.args[0] = AT_FDCWD_;
	e->sc.args[2] = S_IFIFO | 0644;		/* 4516 */
	strcpy(e->sc.path, FIFO_PATH);
	return e;
}

/* openat(AT_FDCWD, FIFO_PATH, flags): a success samples the FIFO, a failure nothing */
static struct ipclab_event *open_ev(__u32 pid, __u64 start, __u64 dur, int flags, __s64 ret,
				    __u32 readers, __u32 writers)
{
	struct ipclab_event *e = sc(pid, start, dur, NR_openat, ret);

	e->sc.args[0] = AT_FDCWD_;
	e->sc.args[2] = (__u64)flags;
	strcpy(e->sc.path, FIFO_PATH);
	if (ret >= 0)
		on_fifo(e, &e->sc.pipe, KF, 0, readers, writers);
	if (flags & O_NONBLOCK)
		e->flags |= EVF_NONBLOCK;
	return e;
}

static struct ipclab_event *path_sc(__u32 pid, __u64 start, __u64 dur, int nr, __s64 ret)
{
	struct ipclab_event *e = sc(pid, start, dur, nr, ret);

	strcpy(e->sc.path, FIFO_PATH);
	return e;
}

/* close(fd) of the last reference to one end of the FIFO */
static struct ipclab_event *close_ev(__u32 pid, __u64 start, int fd, __u16 fmode,
				     __u32 readers, __u32 writers)
{
	struct ipclab_event *e = sc(pid, start, 3 * US, NR_close, 0);

	e->sc.args[0] = (__u64)fd;
	on_fifo(e, &e->sc.pipe, KF, 0, readers, writers);
	e->flags |= EVF_LAST_REF | fmode;
	return e;
}

/* A read or write on the FIFO (fd 3), occupancy before -> after, its data's first bytes. */
static struct ipclab_event *fio(__u32 pid, __u64 start, __u64 dur, int write, __s64 result,
				__u32 before, __u32 after, const char *data)
{
	struct ipclab_event *e = add(EVT_PIPE_IO, pid, start, dur);
	size_t n = data ? strlen(data) : 0;

	e->nr = write ? NR_write : NR_read;
	e->io.write = write;
	e->io.fd = 3;
	e->io.result = result;
	e->io.requested = write ? (__u64)result : 64;
	e->io.bytes_before = before;
	e->io.slots_before = (before + 4095) / 4096;
	on_fifo(e, &e->io.after, KF, after, 1, 1);
	e->io.data_len = n < IPCLAB_DATA_LEN ? n : IPCLAB_DATA_LEN;
	memcpy(e->io.head, data ? data : "", e->io.data_len);
	return e;
}

/* `tid` slept in syscall nr (on no pipe); `waker` in syscall `wnr` woke it 40 us before it ran */
static struct ipclab_event *block(__u32 tid, __u64 start, __u64 dur, int nr, __u32 waker,
				  int wnr)
{
	struct ipclab_event *e = add(EVT_BLOCK, tid, start, dur);

	e->nr = nr;
	e->blk.ts_wake = e->ts - 40 * US;
	e->blk.waker_pid = e->blk.waker_tid = waker;
	e->blk.waker_nr = wnr;
	if (waker)
		snprintf(e->blk.waker_comm, sizeof(e->blk.waker_comm), "pid%u", waker);
	return e;
}

static void nanosleep_ev(__u32 pid, __u64 start, __u64 dur)
{
	sc(pid, start, dur, SYS_clock_nanosleep, 0);
	block(pid, start + 5 * US, dur - 10 * US, SYS_clock_nanosleep, 0, -1);
}

static void exit_ev(__u32 pid, __u64 t)
{
	struct ipclab_event *e = add(EVT_EXIT, pid, t, 0);

	e->flags = EVF_GROUP_DEAD;
}

/* the k-th record of type (and, for syscalls and blocks, nr; -1 any) of pid in list order */
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

/* the k-th open of the FIFO's path by pid */
static struct ipclab_event *nth_open(__u32 pid, int k)
{
	for (size_t i = 0; i < L.n; i++) {
		struct ipclab_event *e = &L.e[i];

		if (e->type == EVT_SYSCALL && e->pid == pid && e->nr == NR_openat &&
		    strcmp(e->sc.path, FIFO_PATH) == 0 && k-- == 0)
			return e;
	}
	fail_msg("no open %d of the FIFO by pid %u", k, pid);
	return NULL;
}

static void drop(struct ipclab_event *e)
{
	size_t i = (size_t)(e - L.e);

	memmove(&L.e[i], &L.e[i + 1], (L.n - i - 1) * sizeof(*e));
	L.n--;
}

/* a record moved to begin at `start`, keeping its length */
static void move_to(struct ipclab_event *e, __u64 start)
{
	__u64 dur = e->ts - e->ts_start;

	e->ts_start = T0 + start;
	e->ts = T0 + start + dur;
}

/* the record's pipe sample moved to FIFO or pipe `kptr` */
static void resample(struct ipclab_event *e, __u64 kptr)
{
	struct ipclab_pipe *p = e->type == EVT_PIPE_IO ? &e->io.after : &e->sc.pipe;

	e->flags &= (__u16)~EVF_FIFO;
	on_fifo(e, p, kptr, p->bytes, p->readers, p->writers);
}

/* ---------------------------------------------------------------- evaluation */

/* ... and every claim says what the trace showed in Chinese too. */
static void assert_all_pass(const char *scenario, int nclaims)
{
	struct claim_set cs;

	claims_assert_all_pass(scenario, L.e, L.n, T0, nclaims);
	claims_evaluate(scenario, L.e, L.n, T0, &cs);
	claims_assert_all_zh(&cs);
}

/* The named claims fail (claims_assert_fails, NULL-terminated list) and every other claim of
 * the scenario still passes: the fact a case changes is the one those claims rest on. */
static void assert_fails_only(const char *scenario, ...)
{
	const char *ids[4];
	struct claim_set cs;
	int n = 0;
	va_list ap;

	va_start(ap, scenario);
	while (n < 4 && (ids[n] = va_arg(ap, const char *)))
		claims_assert_fails(scenario, L.e, L.n, T0, ids[n++]);
	va_end(ap);
	claims_evaluate(scenario, L.e, L.n, T0, &cs);
	for (int i = 0; i < cs.n; i++) {
		bool named = false;

		for (int k = 0; k < n; k++)
			named = named || strcmp(cs.c[i].id, ids[k]) == 0;
		if (!named && !cs.c[i].pass)
			fail_msg("%s/%s failed as well: %s", scenario, cs.c[i].id, cs.c[i].detail);
	}
}

#define assert_fails(scenario, ...) assert_fails_only(scenario, __VA_ARGS__, (const char *)NULL)

/* ---------------------------------------------------------------- fixtures */

/* fifo_hello: the writer mkfifo()s and its open(O_WRONLY) sleeps until the reader, started
 * 29 ms later and pausing 200 ms, opens O_RDONLY; then "hello world" across, close, EOF,
 * and the writer's unlink 100 ms later. */
static void fx_hello(void)
{
	L.n = 0;
	start(W, 1 * MSEC, "writer");
	mkfifo_ev(W, 25140 * US);
	open_ev(W, 25190 * US, 207380 * US, O_WRONLY, 3, 1, 1);
	block(W, 25200 * US, 207365 * US, NR_openat, R, NR_openat);

	start(R, 29 * MSEC, "reader");
	nanosleep_ev(R, 31900 * US, 200600 * US);
	open_ev(R, 232545 * US, 16 * US, O_RDONLY, 3, 1, 1);

	fio(W, 232600 * US, 9 * US, 1, 11, 0, 11, "hello world");
	close_ev(W, 232615 * US, 3, EVF_FMODE_WRITE, 1, 0);
	fio(R, 232638 * US, 3 * US, 0, 11, 11, 0, "hello world")->io.after.writers = 0;
	fio(R, 232648 * US, 1 * US, 0, 0, 0, 0, NULL)->io.after.writers = 0;
	close_ev(R, 232655 * US, 3, EVF_FMODE_READ, 0, 0);
	exit_ev(R, 232677 * US);
	nanosleep_ev(W, 232630 * US, 100080 * US);
	path_sc(W, 332733 * US, 52 * US, NR_unlink_libc, 0);
	exit_ev(W, 332834 * US);
}

/* fifo_open_blocks: the reader mkfifo()s and its open(O_RDONLY) sleeps ~198 ms until the
 * writer, after a 200 ms pause, opens O_WRONLY and wakes it; "ready", close, EOF, unlink. */
static void fx_open_blocks(void)
{
	L.n = 0;
	start(R, 2 * MSEC, "reader");
	mkfifo_ev(R, 2445 * US);
	open_ev(R, 6643 * US, 197585 * US, O_RDONLY, 3, 1, 0)->sc.pipe.bytes = 5;
	block(R, 6663 * US, 197550 * US, NR_openat, W, NR_openat);	/* ends at 204.213 ms */

	start(W, 3600 * US, "writer");
	nanosleep_ev(W, 4054 * US, 200071 * US);
	open_ev(W, 204156 * US, 27 * US, O_WRONLY, 3, 1, 1);
	fio(W, 204214 * US, 10 * US, 1, 5, 0, 5, "ready");
	close_ev(W, 204230 * US, 3, EVF_FMODE_WRITE, 1, 0)->sc.pipe.bytes = 5;
	exit_ev(W, 204260 * US);

	fio(R, 204280 * US, 15 * US, 0, 5, 5, 0, "ready")->io.after.writers = 0;
	fio(R, 204320 * US, 1 * US, 0, 0, 0, 0, NULL)->io.after.writers = 0;
	close_ev(R, 204326 * US, 3, EVF_FMODE_READ, 0, 0);
	path_sc(R, 204340 * US, 38 * US, NR_unlink_libc, 0);
	exit_ev(R, 204409 * US);
}

/* fifo_enoent: one open(O_RDONLY) of a path nobody created: -ENOENT at once, no FIFO. */
static void fx_enoent(void)
{
	L.n = 0;
	start(P, 2 * MSEC, "reader-first");
	open_ev(P, 2539 * US, 17 * US, O_RDONLY, -ENOENT, 0, 0);
	exit_ev(P, 2586 * US);
}

/* fifo_nonblock_open: three non-blocking opens 20 ms apart, none sleeps: O_WRONLY with no
 * reader -ENXIO, O_RDONLY fd 3 (0 writers), O_WRONLY fd 4 (1 reader). */
static void fx_nonblock(void)
{
	L.n = 0;
	start(P, 4 * MSEC, "nonblock");
	mkfifo_ev(P, 4458 * US);
	open_ev(P, 4500 * US, 6 * US, O_WRONLY | O_NONBLOCK, -ENXIO, 0, 0);
	nanosleep_ev(P, 4519 * US, 20084 * US);
	open_ev(P, 24615 * US, 16 * US, O_RDONLY | O_NONBLOCK, 3, 1, 0);
	nanosleep_ev(P, 24667 * US, 20081 * US);
	open_ev(P, 44761 * US, 13 * US, O_WRONLY | O_NONBLOCK, 4, 1, 1);
	close_ev(P, 44809 * US, 4, EVF_FMODE_WRITE, 1, 0);
	close_ev(P, 44813 * US, 3, EVF_FMODE_READ, 0, 0);
	path_sc(P, 44819 * US, 27 * US, NR_unlink_libc, 0);
	exit_ev(P, 44878 * US);
}

/* fifo_lseek: open(O_RDWR), write "abcde", lseek(3, 0, SEEK_SET) -ESPIPE, read "abcde". */
static void fx_lseek(void)
{
	struct ipclab_event *e;

	L.n = 0;
	start(P, 2 * MSEC, "seeker");
	mkfifo_ev(P, 2272 * US);
	open_ev(P, 2315 * US, 4 * US, O_RDWR, 3, 1, 1);
	fio(P, 2324 * US, 4 * US, 1, 5, 0, 5, "abcde");
	e = sc(P, 2333 * US, 1 * US, NR_lseek, -ESPIPE);
	e->sc.args[0] = 3;
	on_fifo(e, &e->sc.pipe, KF, 5, 1, 1);
	fio(P, 2349 * US, 2 * US, 0, 5, 5, 0, "abcde");
	close_ev(P, 2356 * US, 3, EVF_FMODE_READ | EVF_FMODE_WRITE, 0, 0);
	path_sc(P, 2360 * US, 14 * US, NR_unlink_libc, 0);
	exit_ev(P, 2392 * US);
}

/* stat(FIFO_PATH) as newfstatat(AT_FDCWD, path, buf, 0): type p, size 0 */
static struct ipclab_event *stat_ev(__u64 start)
{
	struct ipclab_event *e = path_sc(P, start, 2 * US, NR_newfstatat, 0);

	e->sc.args[0] = AT_FDCWD_;
	e->sc.stat_mode = S_IFIFO | 0644;
	e->sc.stat_size = 0;
	return e;
}

/* fifo_on_disk: open(O_RDWR), write 100 'x', stat (type p, size 0), read 100, stat again. */
static void fx_on_disk(void)
{
	static const char x16[] = "xxxxxxxxxxxxxxxx";

	L.n = 0;
	start(P, 2 * MSEC, "ondisk");	/* its fstat(1) is the first newfstatat: no path */
	mkfifo_ev(P, 2258 * US);
	open_ev(P, 2297 * US, 5 * US, O_RDWR, 3, 1, 1);
	fio(P, 2307 * US, 4 * US, 1, 100, 0, 100, x16)->io.requested = 100;
	stat_ev(2316 * US);
	fio(P, 2324 * US, 3 * US, 0, 100, 100, 0, x16)->io.requested = 200;
	stat_ev(2331 * US);
	close_ev(P, 2338 * US, 3, EVF_FMODE_READ | EVF_FMODE_WRITE, 0, 0);
	path_sc(P, 2342 * US, 14 * US, NR_unlink_libc, 0);
	exit_ev(P, 2375 * US);
}

/* fifo_unlink: open(O_RDWR), unlink 0, write and read "still here", open again -ENOENT. */
static void fx_unlink(void)
{
	L.n = 0;
	start(P, 5 * MSEC, "unlinker");
	mkfifo_ev(P, 6003 * US);
	open_ev(P, 6042 * US, 5 * US, O_RDWR, 3, 1, 1);
	path_sc(P, 6052 * US, 7 * US, NR_unlink_libc, 0);
	fio(P, 6092 * US, 4 * US, 1, 10, 0, 10, "still here");
	fio(P, 6101 * US, 2 * US, 0, 10, 10, 0, "still here");
	open_ev(P, 6107 * US, 5 * US, O_RDONLY | O_NONBLOCK, -ENOENT, 0, 0);
	close_ev(P, 6126 * US, 3, EVF_FMODE_READ | EVF_FMODE_WRITE, 0, 0);
	exit_ev(P, 6156 * US);
}

/* ---------------------------------------------------------------- tests */

static void test_hello(void **state)
{
	struct ipclab_event *e;

	(void)state;
	fx_hello();
	assert_all_pass("fifo_hello", 3);

	nth_rec(EVT_EXEC, R, -1, 0)->task.ppid = W;	/* the reader is the writer's child */
	assert_fails("fifo_hello", "unrelated");

	fx_hello();
	resample(nth_open(R, 0), KF2);		/* the reader opened another FIFO */
	assert_fails("fifo_hello", "unrelated");

	/* a pipe2() pair on the object (descriptors shared the anonymous way): a guard real
	 * traces cannot trip, since pipe2 makes a pipefs pipe, never the FIFO's inode */
	fx_hello();
	e = sc(W, 25100 * US, 10 * US, NR_pipe2, 0);
	e->sc.fds[0] = 3;
	e->sc.fds[1] = 4;
	on_fifo(e, &e->sc.pipe, KF, 0, 1, 1);
	assert_fails("fifo_hello", "unrelated");

	fx_hello();		/* the reader opened no "myfifo" path */
	strcpy(nth_open(R, 0)->sc.path, "/tmp/otherpipe");
	assert_fails("fifo_hello", "unrelated");

	fx_hello();
	nth_rec(EVT_SYSCALL, W, NR_mknodat, 0)->sc.ret = -EEXIST;	/* mkfifo failed */
	assert_fails("fifo_hello", "mkfifo");

	fx_hello();		/* mknod of a regular file, not S_IFIFO: no mkfifo call */
	nth_rec(EVT_SYSCALL, W, NR_mknodat, 0)->sc.args[2] = S_IFREG | 0644;
	assert_fails("fifo_hello", "mkfifo");

	fx_hello();		/* the FIFO was made only after the reader had opened it */
	move_to(nth_rec(EVT_SYSCALL, W, NR_mknodat, 0), 232580 * US);
	assert_fails("fifo_hello", "mkfifo");

	fx_hello();		/* the reader made the FIFO, not the writer */
	nth_rec(EVT_SYSCALL, W, NR_mknodat, 0)->pid = R;
	nth_rec(EVT_SYSCALL, R, NR_mknodat, 0)->tid = R;
	assert_fails("fifo_hello", "mkfifo");

	fx_hello();
	memcpy(nth_rec(EVT_PIPE_IO, R, -1, 0)->io.head, "jello", 5);	/* other bytes read */
	assert_fails("fifo_hello", "through-kernel");

	fx_hello();
	nth_rec(EVT_PIPE_IO, W, -1, 0)->io.result = 5;	/* a short write of 5 bytes */
	assert_fails("fifo_hello", "through-kernel");

	fx_hello();
	drop(nth_rec(EVT_PIPE_IO, R, -1, 0));		/* no read... */
	drop(nth_rec(EVT_PIPE_IO, R, -1, 0));		/* ... at all */
	assert_fails("fifo_hello", "through-kernel");

	fx_hello();		/* every record on an anonymous pipe: there is no FIFO object */
	for (size_t i = 0; i < L.n; i++)
		if (L.e[i].flags & EVF_FIFO)
			resample(&L.e[i], KP);
	assert_fails("fifo_hello", "through-kernel", "unrelated");
}

static void test_open_blocks(void **state)
{
	struct ipclab_event *e;

	(void)state;
	fx_open_blocks();
	assert_all_pass("fifo_open_blocks", 2);

	/* A late reader (the load case the claim was changed for): its open begins at 150 ms
	 * and sleeps only 54 ms, until the writer's open at 204.156 ms -- still the rule. */
	fx_open_blocks();
	e = nth_open(R, 0);
	move_to(e, 150 * MSEC);
	e->ts = T0 + 204229 * US;
	e = nth_rec(EVT_BLOCK, R, NR_openat, 0);
	move_to(e, 150020 * US);
	e->ts = T0 + 204213 * US;
	e->blk.ts_wake = e->ts - 40 * US;
	assert_all_pass("fifo_open_blocks", 2);

	fx_open_blocks();	/* the open's sleep ended at 99.7 ms, before the writer's open */
	e = nth_rec(EVT_BLOCK, R, NR_openat, 0);
	e->ts = e->ts_start + 93 * MSEC;
	e->blk.ts_wake = e->ts - 40 * US;
	assert_fails("fifo_open_blocks", "open-blocks");

	fx_open_blocks();
	drop(nth_rec(EVT_BLOCK, R, NR_openat, 0));	/* the open never slept */
	assert_fails("fifo_open_blocks", "open-blocks", "writer-open-releases");

	fx_open_blocks();	/* the reader's open began after the writer's (204.16 ms) */
	e = nth_open(R, 0);
	move_to(e, 204160 * US);
	e->ts = T0 + 204229 * US;
	move_to(nth_rec(EVT_BLOCK, R, NR_openat, 0), 204165 * US);
	nth_rec(EVT_BLOCK, R, NR_openat, 0)->ts = T0 + 204213 * US;
	assert_fails("fifo_open_blocks", "open-blocks");

	fx_open_blocks();	/* the reader's open (and its sleep) ended at 100 ms, before the
				 * writer's open */
	e = nth_open(R, 0);
	e->ts = T0 + 100 * MSEC;
	e = nth_rec(EVT_BLOCK, R, NR_openat, 0);
	e->ts = T0 + 99 * MSEC;
	e->blk.ts_wake = e->ts - 40 * US;
	assert_fails("fifo_open_blocks", "open-blocks", "writer-open-releases");

	fx_open_blocks();
	drop(nth_open(W, 0));				/* the writer never opened */
	assert_fails("fifo_open_blocks", "open-blocks", "writer-open-releases");

	fx_open_blocks();	/* another process, not the writer, woke the open */
	e = nth_rec(EVT_BLOCK, R, NR_openat, 0);
	e->blk.waker_pid = e->blk.waker_tid = OTHER;
	assert_fails("fifo_open_blocks", "writer-open-releases");

	fx_open_blocks();	/* the writer woke it from write(), not from its open */
	nth_rec(EVT_BLOCK, R, NR_openat, 0)->blk.waker_nr = NR_write;
	assert_fails("fifo_open_blocks", "writer-open-releases");

	fx_open_blocks();
	resample(nth_open(W, 0), KF2);		/* the writer opened another FIFO */
	assert_fails("fifo_open_blocks", "writer-open-releases");
}

static void test_enoent(void **state)
{
	(void)state;
	fx_enoent();
	assert_all_pass("fifo_enoent", 2);
	/* the failed open and the exit after which there is still no FIFO */
	claims_assert_cites("fifo_enoent", L.e, L.n, T0, "no-channel", 2, 0, NULL);

	nth_open(P, 0)->sc.ret = 3;	/* the open succeeded (nothing sampled) */
	assert_fails("fifo_enoent", "enoent");

	fx_enoent();
	nth_open(P, 0)->sc.ret = -EACCES;	/* failed for another reason */
	assert_fails("fifo_enoent", "enoent");

	fx_enoent();
	drop(nth_open(P, 0));	/* no open of the FIFO's path (only ld.so.cache's) */
	assert_fails("fifo_enoent", "enoent", "no-channel");

	fx_enoent();		/* a FIFO object exists: some close sampled one */
	close_ev(OTHER, 2570 * US, 3, EVF_FMODE_READ, 0, 0);
	assert_fails("fifo_enoent", "no-channel");
}

static void test_nonblock_open(void **state)
{
	struct ipclab_event *e;

	(void)state;
	fx_nonblock();
	assert_all_pass("fifo_nonblock_open", 3);

	nth_open(P, 0)->sc.ret = -ENOENT;	/* the first open found no FIFO */
	assert_fails("fifo_nonblock_open", "wronly-enxio");

	fx_nonblock();				/* the first open was not for writing */
	nth_open(P, 0)->sc.args[2] = O_RDONLY | O_NONBLOCK;
	assert_fails("fifo_nonblock_open", "wronly-enxio");

	fx_nonblock();
	nth_open(P, 1)->sc.ret = -EINTR;	/* the O_RDONLY open failed */
	assert_fails("fifo_nonblock_open", "rdonly-succeeds");

	fx_nonblock();				/* the O_RDONLY open slept */
	e = nth_open(P, 1);
	block(P, e->ts_start - T0 + 2 * US, 10 * US, NR_openat, OTHER, NR_openat);
	assert_fails("fifo_nonblock_open", "rdonly-succeeds");

	fx_nonblock();
	nth_open(P, 1)->sc.pipe.writers = 1;	/* a writer was there already */
	assert_fails("fifo_nonblock_open", "rdonly-succeeds");

	fx_nonblock();
	nth_open(P, 2)->sc.ret = -ENXIO;	/* the reader did not count */
	assert_fails("fifo_nonblock_open", "wronly-with-reader");

	fx_nonblock();
	nth_open(P, 2)->sc.pipe.readers = 0;	/* no reader at the third open */
	assert_fails("fifo_nonblock_open", "wronly-with-reader");

	fx_nonblock();
	drop(nth_open(P, 2));			/* only two opens */
	assert_fails("fifo_nonblock_open", "wronly-with-reader");

	fx_nonblock();				/* a blocking O_RDONLY open (it had no writer) */
	nth_open(P, 1)->sc.args[2] = O_RDONLY;
	assert_fails("fifo_nonblock_open", "rdonly-succeeds");

	fx_nonblock();				/* a blocking O_WRONLY open that found a reader */
	nth_open(P, 2)->sc.args[2] = O_WRONLY;
	assert_fails("fifo_nonblock_open", "wronly-with-reader");

	fx_nonblock();				/* a read-write open: it counts as a writer itself */
	nth_open(P, 2)->sc.args[2] = O_RDWR | O_NONBLOCK;
	assert_fails("fifo_nonblock_open", "wronly-with-reader");
}

static void test_lseek(void **state)
{
	(void)state;
	fx_lseek();
	assert_all_pass("fifo_lseek", 2);

	nth_rec(EVT_SYSCALL, P, NR_lseek, 0)->sc.ret = 0;	/* the seek worked */
	assert_fails("fifo_lseek", "espipe");

	fx_lseek();		/* -ESPIPE, but on an anonymous pipe, not the FIFO */
	resample(nth_rec(EVT_SYSCALL, P, NR_lseek, 0), KP);
	assert_fails("fifo_lseek", "espipe");

	fx_lseek();
	drop(nth_rec(EVT_SYSCALL, P, NR_lseek, 0));	/* no lseek */
	assert_fails("fifo_lseek", "espipe");

	fx_lseek();		/* last in, first out */
	memcpy(nth_rec(EVT_PIPE_IO, P, NR_read, 0)->io.head, "edcba", 5);
	assert_fails("fifo_lseek", "first-in-first-out");

	fx_lseek();		/* the read started past the beginning: 3 bytes, "cde" */
	memcpy(nth_rec(EVT_PIPE_IO, P, NR_read, 0)->io.head, "cde", 3);
	nth_rec(EVT_PIPE_IO, P, NR_read, 0)->io.result = 3;
	nth_rec(EVT_PIPE_IO, P, NR_read, 0)->io.data_len = 3;
	assert_fails("fifo_lseek", "first-in-first-out");
}

static void test_on_disk(void **state)
{
	(void)state;
	fx_on_disk();
	assert_all_pass("fifo_on_disk", 1);

	nth_rec(EVT_SYSCALL, P, NR_newfstatat, 1)->sc.stat_size = 100;	/* on disk */
	assert_fails("fifo_on_disk", "size-zero-while-full");

	fx_on_disk();		/* the path is a regular file */
	nth_rec(EVT_SYSCALL, P, NR_newfstatat, 1)->sc.stat_mode = S_IFREG | 0644;
	assert_fails("fifo_on_disk", "size-zero-while-full");

	fx_on_disk();
	nth_rec(EVT_PIPE_IO, P, NR_write, 0)->io.after.bytes = 0;	/* the buffer was empty */
	assert_fails("fifo_on_disk", "size-zero-while-full");

	fx_on_disk();
	nth_rec(EVT_PIPE_IO, P, NR_read, 0)->io.bytes_before = 40;	/* 40 bytes at the read */
	assert_fails("fifo_on_disk", "size-zero-while-full");

	fx_on_disk();		/* the first stat came before the write */
	move_to(nth_rec(EVT_SYSCALL, P, NR_newfstatat, 1), 2303 * US);
	assert_fails("fifo_on_disk", "size-zero-while-full");

	fx_on_disk();		/* the first stat came after the read */
	move_to(nth_rec(EVT_SYSCALL, P, NR_newfstatat, 1), 2328 * US);
	assert_fails("fifo_on_disk", "size-zero-while-full");

	fx_on_disk();		/* no stat of the path: only stdio's fstat(1) */
	drop(nth_rec(EVT_SYSCALL, P, NR_newfstatat, 2));
	drop(nth_rec(EVT_SYSCALL, P, NR_newfstatat, 1));
	assert_fails("fifo_on_disk", "size-zero-while-full");
}

static void test_unlink(void **state)
{
	(void)state;
	fx_unlink();
	assert_all_pass("fifo_unlink", 2);

	nth_rec(EVT_SYSCALL, P, NR_unlink_libc, 0)->sc.ret = -ENOENT;	/* unlink failed */
	assert_fails("fifo_unlink", "works-after-unlink");

	fx_unlink();		/* the unlink came after the write (still before the 2nd open) */
	move_to(nth_rec(EVT_SYSCALL, P, NR_unlink_libc, 0), 6099 * US);
	assert_fails("fifo_unlink", "works-after-unlink");

	fx_unlink();		/* other bytes came out */
	memcpy(nth_rec(EVT_PIPE_IO, P, NR_read, 0)->io.head, "still gone", 10);
	assert_fails("fifo_unlink", "works-after-unlink");

	fx_unlink();
	drop(nth_rec(EVT_PIPE_IO, P, NR_write, 0));	/* nothing written after the unlink */
	assert_fails("fifo_unlink", "works-after-unlink");

	fx_unlink();
	nth_open(P, 1)->sc.ret = 4;		/* the second open found the name */
	assert_fails("fifo_unlink", "name-gone");

	fx_unlink();
	drop(nth_open(P, 1));			/* no second open */
	assert_fails("fifo_unlink", "name-gone");

	fx_unlink();		/* the ENOENT open came before the unlink: another cause */
	move_to(nth_open(P, 1), nth_rec(EVT_SYSCALL, P, NR_unlink_libc, 0)->ts_start - T0 - 50 * US);
	assert_fails("fifo_unlink", "name-gone");
}

/* Roles come only from task_rename: the fifo_hello trace without its renames fails all. */
static void test_roles_required(void **state)
{
	struct claim_set cs;

	(void)state;
	fx_hello();
	drop(nth_rec(EVT_RENAME, W, -1, 0));
	drop(nth_rec(EVT_RENAME, R, -1, 0));
	claims_evaluate("fifo_hello", L.e, L.n, T0, &cs);
	assert_int_equal(cs.n, 3);
	assert_int_equal(claims_failed(&cs), 3);
}

static void test_empty_trace_fails_everything(void **state)
{
	(void)state;
	claims_assert_section_fails_empty("fifo", 7);
}

/* Each scenario names lab programs that exist (mech/fifo/labs/NAME.c; arguments follow the
 * name) and states its rule. */
static void test_scenario_table(void **state)
{
	const struct scenario *s;

	(void)state;
	for (size_t i = 0; (s = scenario_at(i)); i++) {
		if (strcmp(s->section, "fifo") != 0)
			continue;
		assert_non_null(s->summary);
		assert_non_null(s->rule_zh);
		assert_non_null(s->explain);
		for (int k = 0; k < (int)(sizeof(s->programs) / sizeof(s->programs[0])) &&
				s->programs[k]; k++) {
			char path[512];
			FILE *f;

			snprintf(path, sizeof(path), "%s/mech/fifo/labs/%.*s.c", SOURCE_DIR,
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
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_open_blocks),
		cmocka_unit_test(test_enoent),
		cmocka_unit_test(test_nonblock_open),
		cmocka_unit_test(test_lseek),
		cmocka_unit_test(test_on_disk),
		cmocka_unit_test(test_unlink),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
