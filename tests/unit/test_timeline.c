// SPDX-License-Identifier: GPL-2.0
/* test_timeline.c - the trace model: ordering, object identity, processes, queries. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "timeline.h"

#define T0 5000000000ULL	/* CLOCK_MONOTONIC of trace start */
#define KA 0xffff888000001000ULL
#define KB 0xffff888000002000ULL

static struct ipclab_event ev(int type, __u32 pid, __u32 tid, __u64 start, __u64 dur)
{
	struct ipclab_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.pid = pid;
	e.tid = tid;
	e.ts_start = T0 + start;
	e.ts = T0 + start + dur;
	e.nr = -1;
	return e;
}

static struct ipclab_event pio(__u32 pid, __u64 start, __u64 dur, int write, __u64 kptr,
			       __u64 ino)
{
	struct ipclab_event e = ev(EVT_PIPE_IO, pid, pid, start, dur);

	e.nr = write ? NR_write : NR_read;
	e.io.write = write;
	e.io.after.pipe = kptr;
	e.io.after.ino = ino;
	e.io.after.dev = 13;
	e.io.after.ring_size = 16;
	e.io.after.max_usage = 16;
	e.io.result = 1;
	return e;
}

static struct ipclab_event blk(__u32 tid, __u64 start, __u64 dur, __u64 pipe, __u64 waker_pipe)
{
	struct ipclab_event e = ev(EVT_BLOCK, tid, tid, start, dur);

	e.nr = NR_read;
	e.blk.pipe = pipe;
	e.blk.waker_pipe = waker_pipe;
	return e;
}

static struct ipclab_event task(int type, __u32 pid, __u32 tid, __u64 t, const char *comm)
{
	struct ipclab_event e = ev(type, pid, tid, t, 0);

	snprintf(e.task.comm, sizeof(e.task.comm), "%s", comm);
	return e;
}

/* Events come back sorted by start time, with t = ts_start - t0 and dur = ts - ts_start. */
static void test_sorted_by_start(void **state)
{
	struct ipclab_event raw[3] = {
		pio(10, 3000, 50, 1, KA, 1),
		pio(10, 1000, 9000, 0, KA, 1),	/* starts first, ends last */
		pio(10, 2000, 10, 1, KA, 1),
	};
	struct timeline tl;

	assert_int_equal(timeline_build(&tl, raw, 3, T0), 0);
	assert_int_equal(tl.n, 3);
	assert_int_equal(tl.ev[0].t, 1000);
	assert_int_equal(tl.ev[0].dur, 9000);
	assert_int_equal(tl.ev[0].e->io.write, 0);
	assert_int_equal(tl.ev[1].t, 2000);
	assert_int_equal(tl.ev[1].dur, 10);
	assert_int_equal(tl.ev[2].t, 3000);
	assert_int_equal(tl.t0, T0);
	timeline_free(&tl);
}

/* Equal start times are ordered by end time, then by tid. */
static void test_sort_ties(void **state)
{
	struct ipclab_event raw[3] = {
		pio(30, 500, 20, 1, KA, 1),
		pio(20, 500, 20, 1, KA, 1),
		pio(10, 500, 90, 1, KA, 1),
	};
	struct timeline tl;

	assert_int_equal(timeline_build(&tl, raw, 3, T0), 0);
	assert_int_equal(tl.ev[0].e->tid, 20);
	assert_int_equal(tl.ev[1].e->tid, 30);
	assert_int_equal(tl.ev[2].e->tid, 10);
	timeline_free(&tl);
}

/* One object per (dev, ino), even when the kernel address changes; a reused address
 * with a new inode is a new object, and the FIFO flag sets the kind. */
static void test_object_identity(void **state)
{
	struct ipclab_event raw[4] = {
		pio(10, 100, 1, 1, KA, 7),
		pio(10, 200, 1, 1, KB, 7),	/* same inode, other address: same pipe */
		pio(10, 300, 1, 1, KA, 8),	/* address reused by a new pipe */
		pio(10, 400, 1, 0, KB, 9),
	};
	struct timeline tl;

	raw[3].flags = EVF_FIFO;
	raw[3].io.after.dev = 99;
	assert_int_equal(timeline_build(&tl, raw, 4, T0), 0);
	assert_int_equal(tl.nobjs, 3);
	assert_int_equal(tl.ev[0].obj, 0);
	assert_int_equal(tl.ev[1].obj, 0);
	assert_int_equal(tl.ev[2].obj, 1);
	assert_int_equal(tl.ev[3].obj, 2);
	assert_int_equal(tl.objs[0].ino, 7);
	assert_int_equal(tl.objs[0].kind, OBJ_PIPE);
	assert_int_equal(tl.objs[0].t_first, 100);
	assert_int_equal(tl.objs[2].kind, OBJ_FIFO);
	assert_int_equal(tl.objs[2].dev, 99);
	assert_int_equal(tl.objs[1].id, 1);
	timeline_free(&tl);
}

/* Same inode number on another device is another object. */
static void test_object_dev_matters(void **state)
{
	struct ipclab_event raw[2] = { pio(10, 100, 1, 1, KA, 7), pio(10, 200, 1, 1, KB, 7) };
	struct timeline tl;

	raw[1].io.after.dev = 14;
	assert_int_equal(timeline_build(&tl, raw, 2, T0), 0);
	assert_int_equal(tl.nobjs, 2);
	assert_int_not_equal(tl.ev[0].obj, tl.ev[1].obj);
	timeline_free(&tl);
}

/* A block carries only pipe addresses: it maps to the newest object at each address,
 * for the sleeper's pipe and the waker's; unknown addresses give -1. */
static void test_block_resolution(void **state)
{
	struct ipclab_event raw[5] = {
		pio(10, 100, 1, 1, KA, 7),	/* object 0 at KA */
		pio(10, 200, 1, 1, KB, 8),	/* object 1 at KB */
		blk(20, 300, 50, KB, KA),
		pio(10, 400, 1, 1, KA, 9),	/* KA reused: object 2 */
		blk(20, 500, 50, KA, 0xdead),
	};
	struct timeline tl;

	assert_int_equal(timeline_build(&tl, raw, 5, T0), 0);
	assert_int_equal(tl.ev[2].e->type, EVT_BLOCK);
	assert_int_equal(tl.ev[2].obj, 1);
	assert_int_equal(tl.ev[2].waker_obj, 0);
	assert_int_equal(tl.ev[4].obj, 2);
	assert_int_equal(tl.ev[4].waker_obj, -1);
	timeline_free(&tl);
}

/* pipe2() that succeeded records creator and fds on the object; open() its path. */
static void test_syscall_objects(void **state)
{
	struct ipclab_event raw[3];
	struct timeline tl;

	raw[0] = ev(EVT_SYSCALL, 10, 10, 100, 5);
	raw[0].nr = NR_pipe2;
	raw[0].sc.fds[0] = 3;
	raw[0].sc.fds[1] = 4;
	raw[0].sc.pipe.pipe = KA;
	raw[0].sc.pipe.ino = 7;
	raw[1] = ev(EVT_SYSCALL, 11, 11, 200, 5);
	raw[1].nr = NR_openat;
	raw[1].flags = EVF_FIFO;
	raw[1].sc.ret = 5;
	raw[1].sc.pipe.pipe = KB;
	raw[1].sc.pipe.ino = 8;
	strcpy(raw[1].sc.path, "/tmp/fifo");
	raw[2] = ev(EVT_SYSCALL, 12, 12, 300, 5);	/* no pipe: no object */
	raw[2].nr = NR_close;
	assert_int_equal(timeline_build(&tl, raw, 3, T0), 0);
	assert_int_equal(tl.nobjs, 2);
	assert_int_equal(tl.objs[0].creator, 10);
	assert_int_equal(tl.objs[0].fds[0], 3);
	assert_int_equal(tl.objs[0].fds[1], 4);
	assert_int_equal(tl.objs[1].creator, 0);
	assert_int_equal(tl.objs[1].fds[0], -1);
	assert_int_equal(tl.objs[1].kind, OBJ_FIFO);
	assert_string_equal(tl.objs[1].path, "/tmp/fifo");
	assert_int_equal(tl.ev[2].obj, -1);
	timeline_free(&tl);
}

/* Processes: fork gives the child and its parent, exec the name and program, a rename
 * by the main thread the role name, exit the status; thread forks/exits/renames don't. */
static void test_processes(void **state)
{
	struct ipclab_event raw[8];
	struct timeline tl;
	const struct tl_process *p;

	raw[0] = task(EVT_EXEC, 100, 100, 10, "shell");
	raw[0].task.ppid = 1;
	raw[1] = task(EVT_FORK, 100, 100, 20, "shell");
	raw[1].task.child_pid = 200;
	raw[1].task.child_tid = 200;
	raw[2] = task(EVT_EXEC, 200, 200, 30, "cat");
	raw[2].task.ppid = 555;		/* known from the fork: kept */
	strcpy(raw[2].task.filename, "/bin/cat");
	raw[3] = task(EVT_RENAME, 200, 200, 40, "reader");
	raw[4] = task(EVT_FORK, 200, 200, 50, "reader");
	raw[4].flags = EVF_THREAD;
	raw[4].task.child_pid = 200;
	raw[4].task.child_tid = 201;
	raw[5] = task(EVT_RENAME, 200, 201, 60, "worker");	/* a thread: not the lane */
	raw[6] = task(EVT_EXIT, 200, 201, 70, "worker");	/* a thread exits */
	raw[6].task.exit_code = 9;
	raw[7] = task(EVT_EXIT, 200, 200, 80, "reader");
	raw[7].flags = EVF_GROUP_DEAD;
	raw[7].task.exit_code = 3 << 8;
	assert_int_equal(timeline_build(&tl, raw, 8, T0), 0);
	assert_int_equal(tl.nprocs, 2);
	p = tl_proc(&tl, 100);
	assert_non_null(p);
	assert_int_equal(p->ppid, 1);
	assert_string_equal(p->comm, "shell");
	assert_false(p->exited);
	p = tl_proc(&tl, 200);
	assert_non_null(p);
	assert_int_equal(p->ppid, 100);
	assert_int_equal(p->t_start, 20);
	assert_string_equal(p->comm, "reader");
	assert_string_equal(p->exe, "/bin/cat");
	assert_true(p->exited);
	assert_int_equal(p->t_exit, 80);
	assert_int_equal(p->exit_status, 3 << 8);
	assert_ptr_equal(tl_proc_by_comm(&tl, "reader"), p);
	assert_null(tl_proc_by_comm(&tl, "worker"));
	assert_null(tl_proc(&tl, 201));
	timeline_free(&tl);
}

/* A fork's parent is a lane from its fork on, even if nothing else of it was seen. */
static void test_fork_parent_is_lane(void **state)
{
	struct ipclab_event raw[1] = { task(EVT_FORK, 100, 100, 40, "sh") };
	struct timeline tl;
	const struct tl_process *p;

	raw[0].task.child_pid = raw[0].task.child_tid = 101;
	assert_int_equal(timeline_build(&tl, raw, 1, T0), 0);
	assert_int_equal(tl.nprocs, 2);
	p = tl_proc(&tl, 100);
	assert_non_null(p);
	assert_int_equal(p->t_start, 40);
	p = tl_proc(&tl, 101);
	assert_non_null(p);
	assert_int_equal(p->ppid, 100);
	assert_string_equal(p->comm, "sh");
	timeline_free(&tl);
}

/* Many processes and objects (past the arrays' growth steps) all stay distinct. */
static void test_growth(void **state)
{
	enum { N = 70 };
	struct ipclab_event raw[N];
	struct timeline tl;

	for (int i = 0; i < N; i++)
		raw[i] = pio(1000 + i, 10 * i, 1, 1, KA + 0x100 * i, 500 + i);
	assert_int_equal(timeline_build(&tl, raw, N, T0), 0);
	assert_int_equal(tl.nprocs, N);
	assert_int_equal(tl.nobjs, N);
	for (int i = 0; i < N; i++) {
		assert_int_equal(tl.procs[i].pid, 1000 + i);
		assert_int_equal(tl.objs[i].ino, 500 + i);
		assert_int_equal(tl.ev[i].obj, i);
	}
	timeline_free(&tl);
}

/* An empty trace builds an empty model. */
static void test_empty(void **state)
{
	struct timeline tl;
	struct tl_filter any = TL_ANY;

	assert_int_equal(timeline_build(&tl, NULL, 0, T0), 0);
	assert_int_equal(tl.n, 0);
	assert_int_equal(tl.nprocs, 0);
	assert_int_equal(tl.nobjs, 0);
	assert_int_equal(tl_next(&tl, -1, &any), -1);
	assert_int_equal(tl_count(&tl, &any), 0);
	timeline_free(&tl);
}

/* tl_next/tl_count honour type, direction, object, pid and syscall filters. */
static void test_queries(void **state)
{
	struct ipclab_event raw[5] = {
		pio(10, 100, 1, 1, KA, 7),
		pio(20, 200, 1, 0, KA, 7),
		pio(10, 300, 1, 1, KB, 8),
		pio(10, 400, 1, 1, KA, 7),
		task(EVT_RENAME, 10, 10, 500, "writer"),
	};
	struct timeline tl;
	struct tl_filter f = TL_ANY;

	assert_int_equal(timeline_build(&tl, raw, 5, T0), 0);
	assert_int_equal(tl_count(&tl, &f), 5);
	f.type = EVT_PIPE_IO;
	assert_int_equal(tl_count(&tl, &f), 4);
	f.write = 1;
	assert_int_equal(tl_count(&tl, &f), 3);
	f.obj = 0;
	assert_int_equal(tl_count(&tl, &f), 2);
	assert_int_equal(tl_next(&tl, -1, &f), 0);
	assert_int_equal(tl_next(&tl, 0, &f), 3);
	assert_int_equal(tl_next(&tl, 3, &f), -1);
	f.pid = 20;
	assert_int_equal(tl_count(&tl, &f), 0);
	f.write = 0;
	assert_int_equal(tl_next(&tl, -1, &f), 1);
	f = (struct tl_filter)TL_ANY;
	f.nr = NR_read;
	assert_int_equal(tl_count(&tl, &f), 1);
	f.nr = -1;		/* the rename happened outside a syscall */
	assert_int_equal(tl_next(&tl, -1, &f), 4);
	f = (struct tl_filter)TL_ANY;
	f.write = 0;		/* direction implies pipe I/O */
	assert_int_equal(tl_count(&tl, &f), 1);
	timeline_free(&tl);
}

/* tl_block_in finds the sleep of the same thread inside the span, nothing else. */
static void test_block_in(void **state)
{
	struct ipclab_event raw[6] = {
		pio(10, 100, 1000, 0, KA, 7),	/* read 100..1100 */
		blk(11, 150, 100, KA, 0),	/* another thread: not ours */
		blk(10, 200, 2000, KA, 0),	/* ends after the read: not inside */
		blk(10, 300, 500, KA, 0),	/* inside */
		pio(10, 2000, 100, 0, KA, 7),	/* read 2000..2100 */
		blk(10, 2200, 50, KA, 0),	/* after the span */
	};
	struct timeline tl;

	assert_int_equal(timeline_build(&tl, raw, 6, T0), 0);
	assert_int_equal(tl.ev[0].t, 100);
	assert_int_equal(tl_block_in(&tl, 0), 3);
	assert_int_equal(tl.ev[4].t, 2000);
	assert_int_equal(tl_block_in(&tl, 4), -1);
	timeline_free(&tl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_by_start),
		cmocka_unit_test(test_sort_ties),
		cmocka_unit_test(test_object_identity),
		cmocka_unit_test(test_object_dev_matters),
		cmocka_unit_test(test_block_resolution),
		cmocka_unit_test(test_syscall_objects),
		cmocka_unit_test(test_processes),
		cmocka_unit_test(test_fork_parent_is_lane),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_queries),
		cmocka_unit_test(test_block_in),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
