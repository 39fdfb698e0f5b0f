// SPDX-License-Identifier: GPL-2.0
/*
 * mech/shm/tests/test_claims.c - the shared-memory scenarios' claims (mech/shm/claims.c) on
 * synthetic timelines.  For each scenario an event list shaped like the lab program's trace
 * (mech/shm/NOTES.md, measured on 6.18 x86_64, tracepoint tier), on which every claim
 * passes; then one fact changed per case, and the claim that rests on it must fail.  An
 * empty trace fails every claim.  The mappings are made by the real timeline (mmap and shmat
 * records: mech/mmap/timeline.c), so these also test that shmat makes a mapping of the size
 * shmget asked for and that shmdt ends it.
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
#define PAGE 4096ULL
#define TMPFS 0x01021994
#define DEV 27
#define INO 13
#define W_ADDR 0x7f0000000000ULL	/* the writer's / owner's mapping */
#define R_ADDR 0x7f1000000000ULL	/* the reader's */
#define ID 11
#define PROT_RW 3
#define MAP_SHARED_ 1
#define SHM_RDONLY_ 010000
#define IPC_RMID_ 0
#define IPC_STAT_ 2

struct evl {
	struct ipclab_event e[400];
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

static void fork_ev(__u32 parent, __u64 t, __u32 child, const char *comm)
{
	struct ipclab_event *e = add(EVT_FORK, parent, t, 0);

	e->task.child_pid = e->task.child_tid = child;
	snprintf(e->task.comm, sizeof(e->task.comm), "%s", comm);
}

static void exec_ev(__u32 pid, __u64 t, __u32 ppid, const char *comm)
{
	struct ipclab_event *e = add(EVT_EXEC, pid, t, 0);

	e->task.ppid = ppid;
	snprintf(e->task.comm, sizeof(e->task.comm), "%s", comm);
	snprintf(e->task.filename, sizeof(e->task.filename), "/proc/self/exe");
}

static struct ipclab_event *sc(__u32 pid, __u64 start, int nr, __s64 ret)
{
	struct ipclab_event *e = add(EVT_SYSCALL, pid, start, 5 * US);

	e->nr = nr;
	e->sc.ret = ret;
	e->sc.fds[0] = e->sc.fds[1] = -1;
	return e;
}

/* mmap of the /dev/shm file NAME, pages long */
static struct ipclab_event *mmap_shm(__u32 pid, __u64 t, __u64 addr, int pages, int prot,
				     const char *name)
{
	struct ipclab_event *e = sc(pid, t, NR_mmap, (__s64)addr);

	e->sc.args[1] = pages * PAGE;
	e->sc.args[2] = prot;
	e->sc.args[3] = MAP_SHARED_;
	e->sc.args[4] = 3;
	e->sc.file_ino = INO;
	e->sc.file_dev = DEV;
	e->sc.file_magic = TMPFS;
	snprintf(e->sc.path, sizeof(e->sc.path), "%s", name);
	return e;
}

static struct ipclab_event *munmap_ev(__u32 pid, __u64 t, __u64 addr, int pages)
{
	struct ipclab_event *e = sc(pid, t, NR_munmap, 0);

	e->sc.args[0] = addr;
	e->sc.args[1] = pages * PAGE;
	return e;
}

static struct ipclab_event *fault(__u32 pid, __u64 t, __u64 addr, bool write)
{
	struct ipclab_event *e = add(EVT_FAULT, pid, t, 0);

	e->fault.addr = addr;
	e->fault.error_code = 4 | (write ? 2 : 0);
	return e;
}

static struct ipclab_event *shmget_ev(__u32 pid, __u64 t, int pages, __s64 id)
{
	struct ipclab_event *e = sc(pid, t, NR_shmget, id);

	e->sc.args[1] = pages * PAGE;
	e->sc.args[2] = 01000 | 0600;
	return e;
}

static struct ipclab_event *shmat_ev(__u32 pid, __u64 t, __u64 id, __u64 flags, __u64 addr)
{
	struct ipclab_event *e = sc(pid, t, NR_shmat, (__s64)addr);

	e->sc.args[0] = id;
	e->sc.args[2] = flags;
	return e;
}

static struct ipclab_event *shmdt_ev(__u32 pid, __u64 t, __u64 addr)
{
	struct ipclab_event *e = sc(pid, t, NR_shmdt, 0);

	e->sc.args[0] = addr;
	return e;
}

static struct ipclab_event *shmctl_ev(__u32 pid, __u64 t, __u64 id, int cmd, __s64 ret)
{
	struct ipclab_event *e = sc(pid, t, NR_shmctl, ret);

	e->sc.args[0] = id;
	e->sc.args[1] = cmd;
	return e;
}

/* ---------------------------------------------------------------- shm_posix */

/* writer 100 maps, stores (w0), forks 101, which execs, maps the same file and reads (r0) */
static void fx_posix(void)
{
	L.n = 0;
	role(100, 0, "writer");
	mmap_shm(100, 1 * MSEC, W_ADDR, 1, PROT_RW, "ipclab-shm-posix-0");
	fault(100, 2 * MSEC, W_ADDR, true);
	fork_ev(100, 22 * MSEC, 101, "writer");
	exec_ev(101, 23 * MSEC, 100, "shm_posix");
	role(101, 24 * MSEC, "reader");
	mmap_shm(101, 25 * MSEC, R_ADDR, 1, 1, "ipclab-shm-posix-0");
	fault(101, 26 * MSEC, R_ADDR + 5, false);
	munmap_ev(101, 27 * MSEC, R_ADDR, 1);
	munmap_ev(100, 28 * MSEC, W_ADDR, 1);
}

static void pass(const char *scenario, int nclaims)
{
	struct claim_set cs;

	claims_assert_all_pass(scenario, L.e, L.n, T0, nclaims);
	claims_evaluate(scenario, L.e, L.n, T0, &cs);
	claims_assert_all_zh(&cs);
}

static void fails(const char *scenario, const char *id)
{
	claims_assert_fails(scenario, L.e, L.n, T0, id);
}

static struct ipclab_event *nth(int type, __u32 pid, int k)
{
	for (size_t i = 0; i < L.n; i++)
		if (L.e[i].type == type && L.e[i].pid == pid && k-- == 0)
			return &L.e[i];
	fail_msg("no such record");
	return NULL;
}

static void test_posix(void **state)
{
	(void)state;
	fx_posix();
	pass("shm_posix", 3);

	/* another file: not the same memory */
	fx_posix();
	nth(EVT_SYSCALL, 101, 0)->sc.file_ino = INO + 1;
	fails("shm_posix", "same-shmem-file");
	/* no exec: the reader could have inherited the mapping */
	fx_posix();
	nth(EVT_EXEC, 101, 0)->type = EVT_RENAME;
	fails("shm_posix", "same-shmem-file");
	/* the writer's store faulted twice */
	fx_posix();
	fault(100, 3 * MSEC, W_ADDR + 100, true);
	fails("shm_posix", "writer-store-fault");
	/* the reader read the data with read() after mapping */
	fx_posix();
	sc(101, 25 * MSEC + 500 * US, NR_read, 23)->sc.args[0] = 3;
	fails("shm_posix", "reader-sees-store");
	/* the reader's fault came before the store */
	fx_posix();
	nth(EVT_FAULT, 100, 0)->ts = nth(EVT_FAULT, 100, 0)->ts_start = T0 + 26 * MSEC + 1;
	fails("shm_posix", "reader-sees-store");
}

/* ---------------------------------------------------------------- shm_sysv */

/* owner 200: shmget, shmat, store (w0), fork 201: shmat RDONLY, read (r0), shmdt; owner:
 * IPC_RMID, shmdt, IPC_STAT -> EINVAL */
static void fx_sysv(void)
{
	L.n = 0;
	role(200, 0, "owner");
	shmget_ev(200, 1 * MSEC, 2, ID);
	shmat_ev(200, 2 * MSEC, ID, 0, W_ADDR);
	fault(200, 3 * MSEC, W_ADDR, true);
	fork_ev(200, 23 * MSEC, 201, "owner");
	role(201, 24 * MSEC, "reader");
	shmat_ev(201, 25 * MSEC, ID, SHM_RDONLY_, R_ADDR);
	fault(201, 26 * MSEC, R_ADDR, false);
	shmdt_ev(201, 27 * MSEC, R_ADDR);
	shmctl_ev(200, 28 * MSEC, ID, IPC_RMID_, 0);
	shmdt_ev(200, 29 * MSEC, W_ADDR);
	shmctl_ev(200, 30 * MSEC, ID, IPC_STAT_, -EINVAL);
}

static void test_sysv(void **state)
{
	(void)state;
	fx_sysv();
	pass("shm_sysv", 4);

	/* the attach is not the size shmget asked for */
	fx_sysv();
	nth(EVT_SYSCALL, 200, 0)->sc.args[1] = 3 * PAGE;
	fails("shm_sysv", "shmat-returns-address");
	/* no shmget traced: the attach has no length, no mapping */
	fx_sysv();
	nth(EVT_SYSCALL, 200, 0)->nr = NR_close;
	fails("shm_sysv", "shmat-returns-address");
	fails("shm_sysv", "owner-store-fault");
	/* the store faulted on page 1 */
	fx_sysv();
	nth(EVT_FAULT, 200, 0)->fault.addr = W_ADDR + PAGE;
	fails("shm_sysv", "owner-store-fault");
	/* the reader attached read-write */
	fx_sysv();
	nth(EVT_SYSCALL, 201, 0)->sc.args[2] = 0;
	fails("shm_sysv", "reader-own-attach");
	/* the reader attached another segment */
	fx_sysv();
	nth(EVT_SYSCALL, 201, 0)->sc.args[0] = ID + 1;
	fails("shm_sysv", "reader-own-attach");
	/* the owner's store after the reader's read */
	fx_sysv();
	nth(EVT_FAULT, 200, 0)->ts = nth(EVT_FAULT, 200, 0)->ts_start = T0 + 26 * MSEC + 1;
	fails("shm_sysv", "reader-own-attach");
	/* the owner's detach failed: its mapping is not ended */
	fx_sysv();
	nth(EVT_SYSCALL, 200, 3)->sc.ret = -EINVAL;
	fails("shm_sysv", "rmid-then-last-detach");
	/* IPC_STAT still worked after the last detach */
	fx_sysv();
	nth(EVT_SYSCALL, 200, 4)->sc.ret = 0;
	fails("shm_sysv", "rmid-then-last-detach");
	/* IPC_RMID after the detach: no "only marked" to see */
	fx_sysv();
	nth(EVT_SYSCALL, 200, 2)->ts_start = T0 + 29 * MSEC + 500 * US;
	nth(EVT_SYSCALL, 200, 2)->ts = T0 + 29 * MSEC + 600 * US;
	fails("shm_sysv", "rmid-then-last-detach");
}

/* ---------------------------------------------------------------- shm_fault_around */

#define P_ADDR 0x200000000000ULL	/* the POSIX mapping (LAB_MAP_HINT) */
#define P2_ADDR 0x200000200000ULL	/* the reader's */
#define S_ADDR 0x7f2000000000ULL
#define S2_ADDR 0x7f3000000000ULL

static void fault_around_ev(__u32 pid, __u64 t, __u64 first, __u64 last)
{
	struct ipclab_event *e = add(EVT_FAULT_AROUND, pid, t, 0);

	e->fp.ino = INO;
	e->fp.dev = DEV;
	e->fp.index = first;
	e->fp.last_index = last;
}

/* around 300 writes 8 pages of each, reader 301 reads: 1 fault (+ fault-around) and 8 */
static void fx_around(bool traced)
{
	L.n = 0;
	role(300, 0, "around");
	mmap_shm(300, 1 * MSEC, P_ADDR, 8, PROT_RW, "ipclab-shm-around-0");
	shmget_ev(300, 2 * MSEC, 8, ID);
	shmat_ev(300, 3 * MSEC, ID, 0, S_ADDR);
	for (int i = 0; i < 8; i++)
		fault(300, 4 * MSEC + i * US, P_ADDR + i * PAGE, true);
	for (int i = 0; i < 8; i++)
		fault(300, 5 * MSEC + i * US, S_ADDR + i * PAGE, true);
	fork_ev(300, 25 * MSEC, 301, "around");
	role(301, 26 * MSEC, "reader");
	mmap_shm(301, 27 * MSEC, P2_ADDR, 8, 1, "ipclab-shm-around-0");
	shmat_ev(301, 28 * MSEC, ID, SHM_RDONLY_, S2_ADDR);
	fault(301, 29 * MSEC, P2_ADDR, false);
	if (traced)
		fault_around_ev(301, 29 * MSEC + 1 * US, 0, 7);
	for (int i = 0; i < 8; i++)
		fault(301, 40 * MSEC + i * MSEC, S2_ADDR + i * PAGE, false);
	munmap_ev(301, 50 * MSEC, P2_ADDR, 8);
	shmdt_ev(301, 51 * MSEC, S2_ADDR);
}

static void test_fault_around(void **state)
{
	(void)state;
	fx_around(true);
	pass("shm_fault_around", 3);
	/* before 6.11 (no mm_filemap_map_pages) the single fault is the evidence */
	fx_around(false);
	pass("shm_fault_around", 3);

	/* one page written twice, one not at all */
	fx_around(true);
	nth(EVT_FAULT, 300, 9)->fault.addr = S_ADDR;
	fails("shm_fault_around", "writes-fault-per-page");
	/* a second read fault on the POSIX mapping */
	fx_around(true);
	fault(301, 30 * MSEC, P2_ADDR + 3 * PAGE, false);
	fails("shm_fault_around", "posix-read-fault-around");
	/* fault-around traced, but none on the POSIX mapping */
	fx_around(true);
	nth(EVT_FAULT_AROUND, 301, 0)->fp.ino = INO + 1;
	fails("shm_fault_around", "posix-read-fault-around");
	/* a System V page not faulted: 7 faults */
	fx_around(true);
	nth(EVT_FAULT, 301, 8)->fault.addr = S2_ADDR + 6 * PAGE;
	fails("shm_fault_around", "sysv-fault-per-page");
	/* the System V attach not made (no shmget traced): no mapping to count on */
	fx_around(true);
	nth(EVT_SYSCALL, 300, 1)->nr = NR_close;
	fails("shm_fault_around", "sysv-fault-per-page");
	fails("shm_fault_around", "writes-fault-per-page");
}

static void test_empty_trace_fails_everything(void **state)
{
	struct claim_set cs;

	(void)state;
	L.n = 0;
	for (size_t i = 0; i < scenario_count(); i++) {
		const struct scenario *s = scenario_at(i);

		if (strcmp(s->section, "shm") != 0)
			continue;
		claims_evaluate(s->name, L.e, 0, T0, &cs);
		assert_true(cs.n > 0);
		assert_int_equal(claims_failed(&cs), cs.n);
	}
}

static void test_scenario_table(void **state)
{
	int n = 0;

	(void)state;
	for (size_t i = 0; i < scenario_count(); i++) {
		const struct scenario *s = scenario_at(i);
		char path[1024];
		FILE *f;

		if (strcmp(s->section, "shm") != 0)
			continue;
		n++;
		assert_non_null(s->summary);
		assert_non_null(s->rule_zh);
		assert_non_null(s->explain);
		snprintf(path, sizeof(path), "%s/mech/shm/labs/%s.c", SOURCE_DIR, s->programs[0]);
		f = fopen(path, "r");
		if (!f)
			fail_msg("%s: no lab program %s", s->name, path);
		fclose(f);
	}
	assert_int_equal(n, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_trace_fails_everything),
		cmocka_unit_test(test_scenario_table),
		cmocka_unit_test(test_posix),
		cmocka_unit_test(test_sysv),
		cmocka_unit_test(test_fault_around),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
