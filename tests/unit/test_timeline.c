// SPDX-License-Identifier: GPL-2.0
/* test_timeline.c - the trace model: ordering, object identity, processes, queries. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "mechanism.h"
#include "timeline.h"
#include "tl_index.h"

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

/* ------------------------------------------------------------------ mappings and indexes */

#define PG 4096ULL
#define MA 0x7f0000000000ULL	/* mapping addresses */
#define MB 0x7f0000100000ULL
#define FILE_INO 77
#define MAP_PRIVATE_ 0x02
#define MAP_FIXED_ 0x10

static struct ipclab_event mmap_ev(__u32 pid, __u64 t, __u64 addr, __u64 len, __u32 flags,
				   __u64 ino, __u64 off)
{
	struct ipclab_event e = ev(EVT_SYSCALL, pid, pid, t, 5);

	e.nr = NR_mmap;
	e.sc.args[0] = addr;
	e.sc.args[1] = len;
	e.sc.args[2] = 3;
	e.sc.args[3] = flags;
	e.sc.args[5] = off;
	e.sc.ret = (__s64)addr;
	e.sc.file_ino = ino;
	e.sc.file_dev = ino ? 9 : 0;
	return e;
}

static struct ipclab_event munmap_ev(__u32 pid, __u64 t, __u64 addr, __u64 len)
{
	struct ipclab_event e = ev(EVT_SYSCALL, pid, pid, t, 5);

	e.nr = NR_munmap;
	e.sc.args[0] = addr;
	e.sc.args[1] = len;
	return e;
}

static struct ipclab_event fault_ev(__u32 pid, __u64 t, __u64 addr)
{
	struct ipclab_event e = ev(EVT_FAULT, pid, pid, t, 0);

	e.fault.addr = addr;
	return e;
}

static struct ipclab_event page_ev(__u32 pid, __u64 t, __u64 index)
{
	struct ipclab_event e = ev(EVT_PAGE_CACHE, pid, pid, t, 0);

	e.fp.ino = FILE_INO;
	e.fp.dev = 9;
	e.fp.index = e.fp.last_index = index;
	return e;
}

static struct ipclab_event fork_ev(__u32 parent, __u32 child, __u64 t, const char *comm)
{
	struct ipclab_event e = task(EVT_FORK, parent, parent, t, comm);

	e.task.child_pid = e.task.child_tid = child;
	return e;
}

/* The event at time t (the tests use distinct times). */
static const struct tl_event *at(const struct timeline *tl, __s64 t)
{
	for (size_t i = 0; i < tl->n; i++)
		if (tl->ev[i].t == t)
			return &tl->ev[i];
	fail_msg("no event at t=%lld", (long long)t);
	return NULL;
}

/* A munmap of part of a mapping leaves it (and its other pages) in place; only one that
 * covers it whole ends it, and only the creator's: a child's changes the child's copy. */
static void test_munmap_partial(void **state)
{
	struct ipclab_event raw[] = {
		mmap_ev(10, 100, MA, 4 * PG, MAP_PRIVATE_, 0, 0),
		fork_ev(10, 11, 150, "p"),
		munmap_ev(10, 200, MA + PG, PG),		/* the middle page */
		munmap_ev(11, 250, MA, 4 * PG),			/* the child's copy */
		fault_ev(10, 300, MA + PG + 8),
		munmap_ev(10, 400, MA - PG, 6 * PG),		/* covers it */
		fault_ev(10, 500, MA),
	};
	struct timeline tl;

	assert_int_equal(timeline_build(&tl, raw, sizeof(raw) / sizeof(raw[0]), T0), 0);
	assert_int_equal(tl.nobjs, 1);
	assert_int_equal(at(&tl, 200)->obj, 0);
	assert_int_equal(at(&tl, 300)->obj, 0);
	assert_int_equal(at(&tl, 300)->page, 1);
	assert_int_equal(at(&tl, 250)->obj, 0);		/* resolved before it ends anything */
	assert_int_equal(at(&tl, 400)->obj, -1);	/* its start address is outside */
	assert_int_equal(tl.objs[0].map.unmapped, 400);
	assert_int_equal(at(&tl, 500)->obj, -1);
	timeline_free(&tl);
}

/* MAP_FIXED over part of a mapping: the newest mapping wins where they overlap, the older
 * one elsewhere; unmapping the newer one uncovers the older. */
static void test_map_fixed_overlap(void **state)
{
	struct ipclab_event raw[] = {
		mmap_ev(10, 100, MA, 8 * PG, MAP_PRIVATE_, 0, 0),
		mmap_ev(10, 200, MA + 2 * PG, 2 * PG, MAP_PRIVATE_ | MAP_FIXED_, 0, 0),
		fault_ev(10, 300, MA + 2 * PG + 1),
		fault_ev(10, 310, MA + PG),
		fault_ev(10, 320, MA + 5 * PG),
		fault_ev(10, 330, MA + 8 * PG),			/* just past the end */
		munmap_ev(10, 400, MA + 2 * PG, 2 * PG),
		fault_ev(10, 500, MA + 3 * PG),
	};
	struct timeline tl;

	assert_int_equal(timeline_build(&tl, raw, sizeof(raw) / sizeof(raw[0]), T0), 0);
	assert_int_equal(tl.nobjs, 2);
	assert_int_equal(at(&tl, 300)->obj, 1);
	assert_int_equal(at(&tl, 300)->page, 0);
	assert_int_equal(at(&tl, 310)->obj, 0);
	assert_int_equal(at(&tl, 310)->page, 1);
	assert_int_equal(at(&tl, 320)->obj, 0);
	assert_int_equal(at(&tl, 320)->page, 5);
	assert_int_equal(at(&tl, 330)->obj, -1);
	assert_int_equal(tl.objs[1].map.unmapped, 400);
	assert_int_equal(tl.objs[0].map.unmapped, -1);	/* not covered by that munmap */
	assert_int_equal(at(&tl, 500)->obj, 0);
	assert_int_equal(at(&tl, 500)->page, 3);
	timeline_free(&tl);
}

/* Children and grandchildren see mappings made before their fork, not after; exec ends
 * that (a new address space). */
static void test_inherited_mapping(void **state)
{
	struct ipclab_event raw[] = {
		mmap_ev(10, 100, MA, PG, MAP_PRIVATE_, 0, 0),
		fork_ev(10, 11, 150, "child"),
		mmap_ev(10, 160, MB, PG, MAP_PRIVATE_, 0, 0),	/* after the fork */
		fault_ev(11, 200, MA),
		fork_ev(11, 12, 210, "grandchild"),
		fault_ev(12, 220, MA + 5),
		fault_ev(11, 250, MB),
		task(EVT_EXEC, 11, 11, 300, "exec"),
		fault_ev(11, 400, MA),
		fault_ev(12, 410, MA),			/* the grandchild did not exec */
	};
	struct timeline tl;

	assert_int_equal(timeline_build(&tl, raw, sizeof(raw) / sizeof(raw[0]), T0), 0);
	assert_int_equal(at(&tl, 200)->obj, 0);
	assert_int_equal(at(&tl, 220)->obj, 0);
	assert_int_equal(at(&tl, 250)->obj, -1);
	assert_int_equal(at(&tl, 400)->obj, -1);
	assert_int_equal(at(&tl, 410)->obj, 0);
	timeline_free(&tl);
}

/* File pages: the event's own mapping of the page first, then the newest of anyone's. */
static void test_file_pages(void **state)
{
	struct ipclab_event raw[] = {
		mmap_ev(10, 100, MA, 4 * PG, 1, FILE_INO, 2 * PG),	/* file pages 2..5 */
		mmap_ev(30, 110, MB, 8 * PG, 1, FILE_INO, 0),		/* pages 0..7 */
		page_ev(10, 200, 3),
		page_ev(40, 210, 3),
		page_ev(10, 220, 7),
		munmap_ev(30, 300, MB, 8 * PG),
		page_ev(10, 310, 7),
		page_ev(40, 320, 2),
	};
	struct timeline tl;

	assert_int_equal(timeline_build(&tl, raw, sizeof(raw) / sizeof(raw[0]), T0), 0);
	assert_int_equal(at(&tl, 200)->obj, 0);
	assert_int_equal(at(&tl, 200)->page, 1);
	assert_int_equal(at(&tl, 210)->obj, 1);
	assert_int_equal(at(&tl, 210)->page, 3);
	assert_int_equal(at(&tl, 220)->obj, 1);
	assert_int_equal(at(&tl, 310)->obj, -1);
	assert_int_equal(at(&tl, 320)->obj, 0);
	assert_int_equal(at(&tl, 320)->page, 0);
	timeline_free(&tl);
}

/*
 * A reused pid is the same lane (processes are keyed by pid in the trace): the second
 * fork updates parent and name and keeps the first start.  Thousands of pids, reused
 * past pid_max, all resolve.
 */
static void test_pid_reuse(void **state)
{
	enum { N = 5000, PID_MAX = 3000 };
	struct ipclab_event *raw = calloc(3 * N, sizeof(*raw));
	struct timeline tl;
	const struct tl_process *p;
	size_t n = 0;

	assert_non_null(raw);
	for (int i = 0; i < N; i++) {
		__u32 child = 300 + i % PID_MAX;

		raw[n++] = fork_ev(10 + i % 2, child, 100 + 10 * i, i < PID_MAX ? "first" : "again");
		raw[n] = task(EVT_EXIT, child, child, 105 + 10 * i, "x");
		raw[n++].flags = EVF_GROUP_DEAD;
	}
	assert_int_equal(timeline_build(&tl, raw, n, T0), 0);
	assert_int_equal(tl.nprocs, 2 + PID_MAX);
	for (int i = 0; i < PID_MAX; i++) {
		int last = i + PID_MAX < N ? i + PID_MAX : i;	/* the latest fork of that pid */

		p = tl_proc(&tl, 300 + i);
		assert_non_null(p);
		assert_int_equal(p->t_start, 100 + 10 * i);
		assert_int_equal(p->ppid, 10 + last % 2);
		assert_string_equal(p->comm, last == i ? "first" : "again");
		assert_true(p->exited);
	}
	assert_null(tl_proc(&tl, 300 + PID_MAX));
	timeline_free(&tl);
	/* pids past the kernel's limit (a corrupt record) are looked up as well */
	raw[0] = fork_ev(10, 0xfffffff0U, 100, "big");
	raw[1] = fork_ev(0xfffffff0U, 4194304, 200, "limit");
	assert_int_equal(timeline_build(&tl, raw, 2, T0), 0);
	assert_int_equal(tl.nprocs, 3);
	assert_string_equal(tl_proc(&tl, 0xfffffff0U)->comm, "big");
	assert_int_equal(tl_proc(&tl, 4194304)->ppid, 0xfffffff0U);
	assert_null(tl_proc(&tl, 4194305));
	timeline_free(&tl);
	free(raw);
}

/* Blocks name the newest object at a pipe address, as that address is reused by a new
 * pipe and a FIFO's object moves to a new address when it is opened again. */
static void test_kptr_reuse(void **state)
{
	struct ipclab_event raw[] = {
		pio(10, 100, 1, 1, KA, 1),
		pio(10, 200, 1, 1, KA, 2),	/* a new pipe at A's old address */
		blk(10, 300, 5, KA, 0),
		pio(10, 400, 1, 1, KB, 1),	/* pipe 1 now at B */
		blk(10, 500, 5, KB, KA),
		pio(10, 600, 1, 1, KB, 2),	/* pipe 2 too */
		blk(10, 700, 5, KB, KA),
	};
	struct timeline tl;

	assert_int_equal(timeline_build(&tl, raw, sizeof(raw) / sizeof(raw[0]), T0), 0);
	assert_int_equal(tl.nobjs, 2);
	assert_int_equal(at(&tl, 300)->obj, 1);
	assert_int_equal(at(&tl, 500)->obj, 0);
	assert_int_equal(at(&tl, 500)->waker_obj, 1);
	assert_int_equal(at(&tl, 700)->obj, 1);
	assert_int_equal(at(&tl, 700)->waker_obj, -1);	/* nothing is at A any more */
	timeline_free(&tl);
}

static __u32 rnd(__u32 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static bool even(int id, void *ctx)
{
	(void)ctx;
	return id % 2 == 0;
}

static void count_each(const struct tl_ival *iv, void *ctx)
{
	(*(int *)ctx)++;
	(void)iv;
}

/* The interval tree answers what a scan of all intervals answers, through random
 * inserts and removals of overlapping intervals. */
static void test_ival_matches_scan(void **state)
{
	enum { N = 3000 };
	static __u64 lo[N], hi[N];
	static bool in[N];
	struct tl_ival *root = NULL;
	__u32 r = 12345;

	for (int i = 0; i < N; i++) {
		lo[i] = rnd(&r) % 100000;
		hi[i] = lo[i] + rnd(&r) % (i % 10 ? 50 : 5000);	/* some long, some empty */
		assert_int_equal(tl_ival_insert(&root, lo[i], hi[i], i), 0);
		in[i] = true;
		if (i % 3 == 0) {	/* remove an earlier one */
			int k = rnd(&r) % (i + 1);

			assert_int_equal(tl_ival_remove(&root, lo[k], k), in[k]);
			in[k] = false;
		}
		for (int q = 0; q < 3; q++) {
			__u64 x = rnd(&r) % 101000, a = rnd(&r) % 100000, b = a + rnd(&r) % 500;
			int want = -1, want_even = -1, want_n = 0, got_n = 0;

			for (int k = 0; k <= i; k++) {
				if (in[k] && lo[k] <= x && x < hi[k]) {
					want = k;
					want_even = k % 2 ? want_even : k;
				}
				want_n += in[k] && lo[k] >= a && lo[k] <= b;
			}
			assert_int_equal(tl_ival_newest(root, x, -1, NULL, NULL), want);
			assert_int_equal(tl_ival_newest(root, x, -1, even, NULL), want_even);
			tl_ival_each(root, a, b, count_each, &got_n);
			assert_int_equal(got_n, want_n);
		}
	}
	tl_ival_free(&root);
	assert_null(root);
}

/* The hash table keeps every key through growth and deletions (probe runs shift back). */
static void test_hash(void **state)
{
	enum { N = 20000 };
	struct tl_hash h = { 0 };

	for (__u64 i = 0; i < N; i++)
		assert_int_equal(tl_hash_put(&h, (struct tl_key){ i, i * 7, 1 }, i + 1), 0);
	for (__u64 i = 0; i < N; i += 2)
		tl_hash_del(&h, (struct tl_key){ i, i * 7, 1 });
	assert_int_equal(h.n, N / 2);
	for (__u64 i = 0; i < N; i++) {
		__u64 *v = tl_hash_get(&h, (struct tl_key){ i, i * 7, 1 });

		if (i % 2) {
			assert_non_null(v);
			assert_int_equal(*v, i + 1);
		} else {
			assert_null(v);
		}
	}
	assert_null(tl_hash_get(&h, (struct tl_key){ 1, 7, 2 }));	/* every part counts */
	tl_hash_free(&h);
}

/* Work, not time: the tree comparisons per mmap/fault/munmap cycle do not grow with the
 * number of mappings made before (they grew linearly with a scan over all objects). */
static unsigned long long cycles_work(size_t cycles)
{
	struct ipclab_event *raw = calloc(3 * cycles, sizeof(*raw));
	unsigned long long before = tl_ival_visits;
	struct timeline tl;

	assert_non_null(raw);
	for (size_t i = 0; i < cycles; i++) {
		__u64 addr = MA + (i % 7) * PG, t = 100 * i;

		raw[3 * i] = mmap_ev(10, t, addr, PG, MAP_PRIVATE_, 0, 0);
		raw[3 * i + 1] = fault_ev(10, t + 10, addr);
		raw[3 * i + 2] = munmap_ev(10, t + 20, addr, PG);
	}
	assert_int_equal(timeline_build(&tl, raw, 3 * cycles, T0), 0);
	assert_int_equal(tl.nobjs, cycles);
	assert_int_equal(tl.ev[3 * cycles - 2].obj, (int)cycles - 1);
	assert_int_equal(tl.objs[cycles - 1].map.unmapped, 100 * (cycles - 1) + 20);
	timeline_free(&tl);
	free(raw);
	return tl_ival_visits - before;
}

static void test_linear_work(void **state)
{
	unsigned long long n = cycles_work(5000), n4 = cycles_work(20000);

	/* measured: 2 comparisons per cycle at both sizes (one for the fault, one for the
	 * munmap's range); allow some slack, far below the 4x growth of a scan */
	assert_true(n <= 5000 * 4);
	assert_true(n4 <= 5 * n);
}

/*
 * Major or minor, decided by records after the fault (mech/mmap/timeline.c, through the
 * core's look-ahead and merge): the same in timeline_build() and in the streaming path.
 *   t=200: a fault on file page 1, then its thread reads page 1 into the page cache: major;
 *   t=300: a fault on page 2, then its thread makes a syscall: stays unknown (-1), and the
 *          page-cache read of page 2 at t=320 comes too late;
 *   t=400: a fault with a verdict record saying major (result & 4): merged, 1;
 *   t=500: a fault with a verdict saying minor: merged, 0.
 * The two verdict records are not events of their own: 10 records, 8 events.
 */
static struct ipclab_event verdict_ev(__u32 pid, __u64 t, __u64 addr, __u32 result)
{
	struct ipclab_event e = ev(EVT_FAULT_RESULT, pid, pid, t, 0);

	e.fault.addr = addr;
	e.fault.result = result;
	return e;
}

#define VERDICT_RECORDS 10

static void check_verdicts(const struct timeline *tl)
{
	assert_int_equal(tl->n, VERDICT_RECORDS - 2);
	assert_int_equal(at(tl, 200)->major, 1);
	assert_int_equal(at(tl, 300)->major, -1);
	assert_int_equal(at(tl, 400)->major, 1);
	assert_int_equal(at(tl, 500)->major, 0);
	assert_int_equal(at(tl, 500)->obj, 0);
	assert_int_equal(at(tl, 500)->page, 3);
}

struct collected {
	struct timeline tl;	/* the emitted events, copied: ev[i].e points into recs */
	struct ipclab_event recs[VERDICT_RECORDS];
};

static int collect_emit(void *ctx, const struct timeline *tl, const struct tl_event *te)
{
	struct collected *c = ctx;

	(void)tl;
	c->recs[c->tl.n] = *te->e;
	c->tl.ev[c->tl.n] = *te;
	c->tl.ev[c->tl.n].e = &c->recs[c->tl.n];
	c->tl.n++;
	return 0;
}

static void test_fault_verdicts(void **state)
{
	const struct ipclab_event verdict_trace[VERDICT_RECORDS] = {
		mmap_ev(10, 100, MA, 4 * PG, 1, FILE_INO, 0),
		fault_ev(10, 200, MA + PG), page_ev(10, 210, 1),
		fault_ev(10, 300, MA + 2 * PG), munmap_ev(10, 310, MB, PG), page_ev(10, 320, 2),
		fault_ev(10, 400, MA), verdict_ev(10, 401, MA, 4),
		fault_ev(10, 500, MA + 3 * PG), verdict_ev(10, 501, MA + 3 * PG, 0),
	};
	struct tl_event evs[VERDICT_RECORDS];
	struct collected c = { .tl = { .ev = evs } };
	struct timeline tl;
	struct tl_stream st;

	(void)state;
	assert_int_equal(timeline_build(&tl, verdict_trace, VERDICT_RECORDS, T0), 0);
	check_verdicts(&tl);
	timeline_free(&tl);
	assert_int_equal(tl_stream_init(&st, T0, collect_emit, &c), 0);
	for (size_t i = 0; i < VERDICT_RECORDS; i++)
		tl_stream_add(&st, &verdict_trace[i]);
	assert_int_equal(tl_stream_finish(&st), 0);
	check_verdicts(&c.tl);
	tl_stream_free(&st);
}

/* Every record type a mechanism prints (its trace ops) is one its timeline part resolves:
 * otherwise its events would name no object. */
static void test_registry_resolves_what_it_prints(void **state)
{
	(void)state;
	for (size_t m = 0; m < n_mechanisms; m++) {
		const struct mech_trace_ops *tr = mechanisms[m]->trace;
		const struct mech_timeline_ops *tlo = mechanisms[m]->timeline;

		for (const __u16 *ty = tr ? tr->event_types : NULL; ty && *ty; ty++) {
			bool found = false;

			assert_non_null(tlo);
			for (const __u16 *t2 = tlo->event_types; t2 && *t2; t2++)
				found |= *t2 == *ty;
			if (!found)
				fail_msg("%s prints record type %u but does not resolve it",
					 mechanisms[m]->name, *ty);
		}
		if (tr && (tr->syscall_nrs || tr->syscall_flag || tr->syscall_default))
			assert_true(tlo && tlo->resolve_syscall);
	}
}

struct emitted {
	size_t n;
	int bad;
};

/* Each fault is emitted with its own mapping, which is still readable then. */
static int check_emit(void *ctx, const struct timeline *tl, const struct tl_event *te)
{
	struct emitted *em = ctx;

	em->n++;
	if (te->e->type == EVT_FAULT &&
	    (te->obj < 0 || tl->objs[te->obj].map.start != te->e->fault.addr))
		em->bad++;
	return 0;
}

/*
 * Streaming with the objects in a file: past many trims (pages of old objects dropped from
 * memory) every object still reads back whole, during the stream and after it.
 */
static void test_stream_objects_in_file(void **state)
{
	enum { CYCLES = 30000 };
	struct emitted em = { 0, 0 };
	struct stat sb;
	struct tl_stream st;
	FILE *f = tmpfile();

	assert_non_null(f);
	assert_int_equal(tl_stream_init(&st, T0, check_emit, &em), 0);
	tl_stream_objects_in(&st, fileno(f), 8192);
	for (size_t i = 0; i < CYCLES; i++) {
		__u64 addr = MA + i * PG, t = 100 * i;
		struct ipclab_event e[3] = {
			mmap_ev(10, t, addr, PG, MAP_PRIVATE_, 0, 0),
			fault_ev(10, t + 10, addr),
			munmap_ev(10, t + 20, addr, i % 3 ? PG : 0),	/* every third stays */
		};

		for (int k = 0; k < 3; k++)
			tl_stream_add(&st, &e[k]);
	}
	assert_int_equal(tl_stream_finish(&st), 0);
	assert_int_equal(em.n, 3 * CYCLES);
	assert_int_equal(em.bad, 0);
	assert_int_equal(st.tl.nobjs, CYCLES);
	/* they are in the file (from offset 8192), not in a fallback copy in memory */
	assert_true(fstat(fileno(f), &sb) == 0 &&
		    sb.st_size >= 8192 + (off_t)(CYCLES * sizeof(struct tl_object)));
	tl_objects_release(&st.tl, CYCLES);
	for (size_t i = 0; i < CYCLES; i++) {
		const struct tl_object *o = &st.tl.objs[i];

		assert_int_equal(o->id, i);
		assert_int_equal(o->map.start, MA + i * PG);
		assert_int_equal(o->map.unmapped, i % 3 ? (__s64)(100 * i + 20) : -1);
	}
	tl_stream_free(&st);
	fclose(f);
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
		cmocka_unit_test(test_munmap_partial),
		cmocka_unit_test(test_map_fixed_overlap),
		cmocka_unit_test(test_inherited_mapping),
		cmocka_unit_test(test_file_pages),
		cmocka_unit_test(test_pid_reuse),
		cmocka_unit_test(test_kptr_reuse),
		cmocka_unit_test(test_ival_matches_scan),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_linear_work),
		cmocka_unit_test(test_stream_objects_in_file),
		cmocka_unit_test(test_fault_verdicts),
		cmocka_unit_test(test_registry_resolves_what_it_prints),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
