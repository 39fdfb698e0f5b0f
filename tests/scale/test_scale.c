// SPDX-License-Identifier: GPL-2.0
/*
 * test_scale.c - post-processing scales linearly and in bounded memory (issue #10, item 4).
 *
 * Synthetic spools (no BPF, no root) of N and 4N mmap/touch/munmap cycles, and of N and 4N
 * short-lived children with pids wrapping around a pid_max, are rebuilt into traces by
 * `ipclab replay` (the same timeline and writer as `ipclab trace`).  The child's CPU time
 * (user + system, from wait4: not wall-clock, which a busy machine stretches) must grow at
 * most 5x for 4x the input, and its peak RSS stay under 64 MiB.  Measured (2 cores, busy):
 * mmap 20k/80k 0.14/0.52 s, 18 MiB; fork 20k/80k 0.09/0.30 s, 22 MiB.  Before the timeline
 * had indexes every event scanned every object and process: mmap 20k took 78 MiB, fork
 * 80k 5.7x the CPU time of 20k and 67 MiB.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "spool.h"

#define T0 1000000000ULL
#define MA 0x7f0000000000ULL
#define PG 4096ULL
#define PID_MAX 32768		/* pids wrap as on a machine with the default pid_max */
#define RSS_LIMIT_KB (64 * 1024)
#define RATIO_LIMIT 5.0
#define ROUNDS 3		/* the fastest of 3 runs: less noise from other load */

static char dir[] = "/var/tmp/ipclab-scale.XXXXXX";

struct usage {
	double cpu_s;
	long maxrss_kb;
};

static struct ipclab_event rec(int type, __u32 pid, __u64 t, __u64 dur)
{
	struct ipclab_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.pid = e.tid = pid;
	e.ts_start = T0 + t;
	e.ts = T0 + t + dur;
	e.nr = -1;
	return e;
}

static struct ipclab_event sys(__u32 pid, __u64 t, int nr, __u64 a0, __u64 a1, __s64 ret)
{
	struct ipclab_event e = rec(EVT_SYSCALL, pid, t, 500);

	e.nr = nr;
	e.sc.args[0] = a0;
	e.sc.args[1] = a1;
	e.sc.args[2] = 3;	/* PROT_READ | PROT_WRITE */
	e.sc.args[3] = 0x22;	/* MAP_PRIVATE | MAP_ANONYMOUS */
	e.sc.args[4] = (__u64)-1;
	e.sc.ret = ret;
	return e;
}

/* mmap_churn: one page mapped, touched and unmapped, n times (3 records each). */
static size_t mmap_cycles(struct ipclab_event *ev, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		__u64 t = 3000 * i, addr = MA + (i % 5) * PG;

		ev[k++] = sys(100, t, NR_mmap, 0, PG, (__s64)addr);
		ev[k] = rec(EVT_FAULT, 100, t + 1000, 0);
		ev[k].fault.addr = addr;
		ev[k++].fault.error_code = 6;
		ev[k++] = sys(100, t + 2000, NR_munmap, addr, PG, 0);
	}
	return k;
}

/* fork_churn: n children forked, each makes one syscall and exits (3 records each). */
static size_t fork_cycles(struct ipclab_event *ev, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		__u32 child = 300 + i % (PID_MAX - 300);
		__u64 t = 3000 * i;

		ev[k] = rec(EVT_FORK, 100, t, 0);
		ev[k].task.child_pid = ev[k].task.child_tid = child;
		strcpy(ev[k++].task.comm, "fork_churn");
		ev[k++] = sys(child, t + 1000, NR_close, 3, 0, 0);
		ev[k] = rec(EVT_EXIT, child, t + 2000, 0);
		ev[k].flags = EVF_GROUP_DEAD;
		strcpy(ev[k++].task.comm, "fork_churn");
	}
	return k;
}

static void save(const char *path, size_t (*gen)(struct ipclab_event *, size_t), size_t n)
{
	struct spool sp;
	struct spool_header h = { .tier = TIER_TRACEPOINT, .t0 = T0 };

	spool_init(&sp);
	sp.ev = calloc(3 * n, sizeof(*sp.ev));
	assert_non_null(sp.ev);
	sp.n = sp.cap = gen(sp.ev, n);
	snprintf(h.kernel, sizeof(h.kernel), "synthetic");
	snprintf(h.command, sizeof(h.command), "test_scale");
	assert_int_equal(spool_save(&sp, &h, path), 0);
	spool_free(&sp);
}

/* `ipclab replay spool -o out`: its CPU time and peak RSS. */
static struct usage replay(const char *spool, const char *out)
{
	struct rusage ru;
	struct usage u;
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(126);
		execl(IPCLAB_BIN, IPCLAB_BIN, "replay", spool, "-o", out, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(wait4(pid, &status, 0, &ru), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	u.cpu_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
		  ru.ru_stime.tv_usec / 1e6;
	u.maxrss_kb = ru.ru_maxrss;
	return u;
}

static struct usage best_of(const char *spool, const char *out)
{
	struct usage best = { 1e9, 0 };

	for (int r = 0; r < ROUNDS; r++) {
		struct usage u = replay(spool, out);

		if (u.cpu_s < best.cpu_s)
			best.cpu_s = u.cpu_s;
		if (u.maxrss_kb > best.maxrss_kb)
			best.maxrss_kb = u.maxrss_kb;
	}
	return best;
}

static void scale(const char *name, size_t (*gen)(struct ipclab_event *, size_t), size_t n)
{
	char spool[2][300], out[300];
	struct usage u[2];

	for (int k = 0; k < 2; k++) {
		snprintf(spool[k], sizeof(spool[k]), "%s/%s-%d.spool", dir, name, k);
		save(spool[k], gen, k ? 4 * n : n);
	}
	snprintf(out, sizeof(out), "%s/%s.json", dir, name);
	for (int k = 0; k < 2; k++) {
		u[k] = best_of(spool[k], out);
		print_message("%s %zu: %.3f s CPU, %ld KiB peak RSS\n", name, k ? 4 * n : n,
			      u[k].cpu_s, u[k].maxrss_kb);
		assert_true(u[k].maxrss_kb <= RSS_LIMIT_KB);
	}
	if (u[1].cpu_s > RATIO_LIMIT * u[0].cpu_s)
		fail_msg("%s: 4x the input took %.1fx the CPU time (%.3f s vs %.3f s)", name,
			 u[1].cpu_s / u[0].cpu_s, u[1].cpu_s, u[0].cpu_s);
	for (int k = 0; k < 2; k++)
		unlink(spool[k]);
	unlink(out);
}

/* 20,000 vs 80,000 cycles: 60k vs 240k records, streamed (past one spool chunk). */
static void test_mmap_churn(void **state)
{
	scale("mmap_churn", mmap_cycles, 20000);
}

/* 20,000 vs 80,000 children (the larger wraps the pids). */
static void test_fork_churn(void **state)
{
	scale("fork_churn", fork_cycles, 20000);
}

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);	/* what a failed test left */
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mmap_churn),
		cmocka_unit_test(test_fork_churn),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
