/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipclab.bpf.h - what every BPF source of ipclab shares: the maps, the per-task state, the
 * record batches and the helpers that read kernel structures, all inline (each program is
 * one function after inlining).  The sources (bpf/ipclab.bpf.c: syscalls, blocking,
 * signals, process lifetime; mech/NAME/NAME.bpf.c: a mechanism's own programs) are compiled
 * one by one and linked into one object (`bpftool gen object`), so the maps are defined
 * here as weak symbols the linker merges, and the loader's read-only settings are defined
 * once, in bpf/ipclab.bpf.c.
 *
 * Three probe tiers fill the same records (ipclab.h):
 *   fentry/fexit   on a mechanism's kernel functions (pipe_read, unix_stream_sendmsg, ...)
 *                  (cheapest, needs BPF trampolines)
 *   kprobe/kretp.  on the same functions              (needs CONFIG_KPROBES)
 *   tracepoint     syscall tracepoints + fd -> file -> the mechanism's object
 * The loader enables one tier's function probes; everything else (syscalls of interest,
 * blocking, signals, process lifetime) comes from tracepoints in every tier.  The core names
 * no mechanism: sys_enter/sys_exit, sched_switch and sched_waking reach them through the
 * hooks of mech/registry.bpf.h (declared below, included at the end), and each
 * mechanism's per-thread state is its part of struct mech_task (mech/registry_task.bpf.h).
 *
 * All programs first check that the current process is in the traced tree (`tracked`),
 * so untraced processes pay one hash lookup per event; sys_enter and sys_exit look up the
 * thread's context (`tasks`) instead, which only a thread of a traced process has (ctx_of()).
 */
#ifndef IPCLAB_BPF_H
#define IPCLAB_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ipclab.h"
#include "arm64_insn.h"
#include "core_fixes.bpf.h"	/* fields renamed or moved between kernels */
#include "../mech/registry_task.bpf.h"	/* each mechanism's part of struct task_ctx */

#define S_IFMT		00170000
#define O_NONBLOCK	00004000
#define FMODE_READ	0x1
#define FMODE_WRITE	0x2
#define EAGAIN		11

/* Set by the loader before load. */
extern const volatile __u32 tier;
extern const volatile __u64 wakeup_bytes;	/* wake the reader once this much waits */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024 * 1024);	/* resized by the loader (--buffer) */
} events SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);		/* tgid */
	__type(value, __u32);		/* enum ipclab_track_state */
} tracked SEC(".maps") __weak;

/* What one traced thread is doing right now. */
struct task_ctx {
	__u64 ts_enter;
	__u64 args[6];
	__s32 nr;			/* syscall in progress, -1 when in user space */
	__u32 io_emitted;		/* a mechanism already reported this syscall */
	__u32 entered;			/* a copy of sys_enter did this syscall's work; the
					 * copy of sys_exit that does its work clears it */
	__u32 seen_enter;		/* a sys_enter ran for this task: each syscall has one */
	/* sleeping */
	__u64 ts_block;
	__u64 ts_wake;
	__u64 waker_pipe;
	__u32 waker_pid;
	__u32 waker_tid;
	__s32 waker_nr;
	__u32 pad2;
	char waker_comm[IPCLAB_COMM_LEN];
	__u32 emulated_tick;		/* syscalls counted for emulate_skips (tests) */
	__u32 syscalls;			/* every syscall the thread began (the exit record's) */
	__u32 tid;			/* whose context this is (set where it is made: */
	__u32 tgid;			/*   ctx_get(), ctx_enter()), so a record needs no helper */
	struct mech_task mech;		/* the mechanisms' own (mech/registry_task.bpf.h) */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);		/* tid */
	__type(value, struct task_ctx);
} tasks SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DROP_REASONS);
	__type(key, __u32);		/* enum ipclab_drop */
	__type(value, __u64);
} dropped SEC(".maps") __weak;

/*
 * Records made although the kernel skipped the program that makes them (meta.recovered):
 * by a stand-in copy, or a pipe record by the pipe function's other probe or at sys_exit
 * (RECOVERED_RECORDS); the symmetric pairs count their works and clears (pair_done()).
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RECOVERED_KEYS);
	__type(key, __u32);		/* enum ipclab_recovered */
	__type(value, __u64);
} recovered SEC(".maps") __weak;

/*
 * Interrupt nesting per CPU, so a wakeup from a timer or device interrupt is not blamed on
 * whichever task it interrupted. (The per-CPU preempt count is not reachable: kernels
 * without CONFIG_KALLSYMS_ALL do not export per-CPU variables to BPF.)
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __s32);
} irq_depth SEC(".maps") __weak;

static const struct task_ctx zero_ctx = { .nr = -1 };

/* ---------------------------------------------------------------- helpers */

static __always_inline bool tgid_active(__u32 tgid)
{
	__u32 *state = bpf_map_lookup_elem(&tracked, &tgid);

	return state && *state == TRACK_ACTIVE;
}

static __always_inline bool current_active(void)
{
	return tgid_active(bpf_get_current_pid_tgid() >> 32);
}

/*
 * The context of the current thread (id: bpf_get_current_pid_tgid()), made if asked for.
 * Callers that create test tgid_active() first: only threads of an active process have one.
 * A thread id reused by another process may find a context left behind when both copies
 * of a thread's exit were skipped (7.x): creating takes it over for the new thread.
 */
static __always_inline struct task_ctx *ctx_get(__u64 id, bool create)
{
	__u32 tid = (__u32)id, tgid = id >> 32;
	struct task_ctx *c = bpf_map_lookup_elem(&tasks, &tid);

	if (!create)
		return c;
	if (!c) {
		bpf_map_update_elem(&tasks, &tid, &zero_ctx, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&tasks, &tid);
	}
	if (c && c->tgid != tgid) {
		c->tid = tid;
		c->tgid = tgid;
	}
	return c;
}

/*
 * The context of a traced thread, found with one lookup by thread id, without asking
 * `tracked` about its process first: a context exists only for a thread of an active
 * process (ctx_get()), the thread's exit deletes it (process_exit_run()), and the loader
 * deletes them all when it stops recording (tracer_forget_all()).  tgid tells a context
 * left behind by a thread whose exit was skipped from a thread that got its id later.
 */
static __always_inline struct task_ctx *ctx_of(__u64 id)
{
	__u32 tid = (__u32)id;
	struct task_ctx *c = bpf_map_lookup_elem(&tasks, &tid);

	return c && c->tgid == id >> 32 ? c : NULL;
}

/* sys_enter: a traced thread's context; a thread without one gets one if its process is
 * active (its first syscall since it was forked or its process exec'd). */
static __always_inline struct task_ctx *ctx_enter(__u64 id)
{
	struct task_ctx *c = ctx_of(id);

	if (c || !tgid_active(id >> 32))
		return c;
	return ctx_get(id, true);
}

/*
 * Events are not reserved in the ring buffer one by one: a reservation takes the ring's
 * spinlock with interrupts off, shared by every CPU, and measured ~600 ns of a traced
 * syscall's ~1.4 us on these machines.  Each CPU appends records to its own batches instead
 * and hands a full batch to the ring buffer in one copy; the loader collects what is left in
 * the batches at the end (tracer_collect_batches()).
 *
 * A program owns a batch from event_reserve() to event_submit(): it claims one of its CPU's
 * BATCH_LEVELS batches with an atomic compare-and-swap on `busy`, the first free one.  A
 * program that runs on the same CPU meanwhile takes the next free batch: one that interrupts
 * it (a signal sent from a timer interrupt, a page fault taken by a probe read) or, where
 * programs can be preempted, another task's.  Programs do not migrate, but they can be
 * preempted: fentry/fexit programs run with only migration disabled, so under preempt=full
 * or lazy (Arch, and any PREEMPT_DYNAMIC kernel booted so) or PREEMPT_RT another task can
 * run a program on that CPU while one is between reserve and submit; tracepoint programs run
 * with preemption disabled on 6.18 (the syscall tracepoints since 6.14 disable it for BPF).
 * A nesting depth counter, which this replaced, assumed last-in first-out and let a
 * preempting task write into, or flush, a batch whose record was still being written.  When
 * every batch of the CPU is taken the event is counted in `dropped` (DROP_BUSY).
 */
#define BATCH_LEVELS IPCLAB_BATCH_LEVELS
#define BATCH_MAX IPCLAB_BATCH_MAX

extern const volatile __u32 batch_bytes;	/* loader: smaller for a small --buffer */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BATCH_LEVELS);	/* loader: BATCH_LEVELS per possible CPU */
	__type(key, __u32);
	__type(value, struct ipclab_batch);
} batches SEC(".maps") __weak;

static __always_inline void count_recovered_key(__u32 key)
{
	__u64 *n = bpf_map_lookup_elem(&recovered, &key);

	if (n)
		__sync_fetch_and_add(n, 1);	/* a preempting program may count too */
}

static __always_inline void count_recovered(void)
{
	count_recovered_key(RECOVERED_RECORDS);
}

static __always_inline void count_dropped(__u32 why, __u32 n)
{
	__u64 *d = bpf_map_lookup_elem(&dropped, &why);

	if (d)
		__sync_fetch_and_add(d, n);	/* a preempting program may count too */
}

/* Hand the batch to the ring buffer; wake the loader only for a backlog (it also polls). */
static __always_inline void batch_flush(struct ipclab_batch *b)
{
	__u64 flags = BPF_RB_NO_WAKEUP;
	__u32 len = b->len & (BATCH_MAX - 1);	/* a no-op (len < BATCH_MAX): the verifier's bound */

	if (len) {
		if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) + len >= wakeup_bytes)
			flags = BPF_RB_FORCE_WAKEUP;
		if (bpf_ringbuf_output(&events, b->data, len, flags))
			count_dropped(DROP_RING_FULL, b->count);
	}
	b->len = 0;
	b->count = 0;
}

/*
 * BPF atomics (compare-and-swap, and fetch-and-add that returns the old value) arrived in
 * Linux 5.12, and older verifiers refuse the instructions wherever they stand, dead code
 * included ("BPF_STX uses reserved fields"), so no load-time test can keep them in one
 * object.  The build compiles this file a second time with IPCLAB_NO_ATOMICS, and the loader
 * picks that object on kernels that lack the instructions.  Without them a batch is claimed
 * with a plain load and store: correct where a program can only be interrupted, never
 * preempted, because an interrupting program finishes (and frees the batch) before the one it
 * interrupted resumes.  Kernels before 5.11 run every BPF program with preemption disabled
 * (migrate_disable() was preempt_disable() there).
 */
static __always_inline bool batch_try_claim(struct ipclab_batch *b)
{
#ifdef IPCLAB_NO_ATOMICS
	if (*(volatile __u64 *)&b->busy)
		return false;
	*(volatile __u64 *)&b->busy = 1;
	asm volatile("" ::: "memory");	/* the record is written after the claim */
	return true;
#else
	return __sync_val_compare_and_swap(&b->busy, 0, 1) == 0;
#endif
}

/* The first of this CPU's batches nobody is filling, now ours; NULL when all are taken. */
static __always_inline struct ipclab_batch *batch_claim(void)
{
	__u32 key = bpf_get_smp_processor_id() * BATCH_LEVELS;

	for (int level = 0; level < BATCH_LEVELS; level++, key++) {
		struct ipclab_batch *b = bpf_map_lookup_elem(&batches, &key);

		if (b && batch_try_claim(b))
			return b;
	}
	return NULL;
}

/* A record of thread tid of process pid, in a batch of this CPU, now ours (*bp): the record
 * ends with event_submit(), or with batch_release(*bp) where the caller kept it. */
static __always_inline struct ipclab_event *event_reserve_as(__u16 type, __u32 pid, __u32 tid,
							     struct ipclab_batch **bp)
{
	__u32 size = event_size(type), off;
	struct ipclab_event *e;
	struct ipclab_batch *b = batch_claim();

	*bp = b;
	if (!b) {
		count_dropped(DROP_BUSY, 1);
		return NULL;
	}
	/* len stays below batch_bytes <= BATCH_MAX, so the masks change nothing */
	if (b->len + size >= batch_bytes)
		batch_flush(b);
	off = b->len & (BATCH_MAX - 1);
	e = (void *)b->data + off;
	b->len = off + size;
	b->count++;
	e->ts = bpf_ktime_get_ns();
	e->ts_start = e->ts;
	e->pid = pid;
	e->tid = tid;
	e->type = type;
	e->flags = 0;
	e->nr = -1;
	return e;
}

/* A record of the current thread. */
static __always_inline struct ipclab_event *event_reserve(__u16 type)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct ipclab_batch *b;

	return event_reserve_as(type, id >> 32, (__u32)id, &b);
}

/*
 * A record of the current thread, whose context c is at hand (no helper call for its ids),
 * in batch *bp: batch_release(*bp) ends it without looking the batch up again (the hot
 * records: pipe I/O and syscalls).
 */
static __always_inline struct ipclab_event *event_reserve_ctx(__u16 type,
							      const struct task_ctx *c,
							      struct ipclab_batch **bp)
{
	return event_reserve_as(type, c->tgid, c->tid, bp);
}

/* The record in batch b (event_reserve_ctx()) is complete: b is free for the next program. */
static __always_inline void batch_release(struct ipclab_batch *b)
{
	b->busy = 0;
}

/* The record is complete: its batch (the one e lies in) is free for the next program. */
static __always_inline void event_submit(struct ipclab_event *e)
{
	__u32 key = bpf_get_smp_processor_id() * BATCH_LEVELS;

	for (int level = 0; level < BATCH_LEVELS; level++, key++) {
		struct ipclab_batch *b = bpf_map_lookup_elem(&batches, &key);

		if (b && (void *)e >= (void *)b->data && (void *)e < (void *)b->data + BATCH_MAX) {
			b->busy = 0;
			return;
		}
	}
}

/*
 * Reading kernel structures.  A helper call costs about 40 ns on the machines this was
 * measured on (bench/), and the syscall probes run on every traced read and write, so
 * several fields of one struct are fetched in one call: the bytes from the lowest field to
 * the highest, at offsets relocated by CO-RE (the span follows each kernel's layout).  Where
 * a kernel's span would not fit, the fields are read one by one.
 */
#define SPAN_MAX 128

struct span {
	__u8 b[SPAN_MAX + 8];	/* + 8: a field at any masked offset stays in bounds */
};

#define FOFF(type, field) bpf_core_field_offset(type, field)
#define FEND(type, field) (bpf_core_field_offset(type, field) + bpf_core_field_size(type, field))
/* Field at offset off of a span read from offset lo; the mask is for the verifier. */
#define SPAN_GET(sp, lo, off, T) (*(T *)((sp)->b + (((off) - (lo)) & (SPAN_MAX - 1))))

/* Where a span starts: its lowest field, rounded down so that every field in it stays
 * naturally aligned on the stack (the verifier refuses misaligned stack loads). */
static __always_inline __u32 span_lo(__u32 a, __u32 b, __u32 c)
{
	__u32 m = a < b ? a : b;

	return (m < c ? m : c) & ~7u;
}

static __always_inline __u32 max3(__u32 a, __u32 b, __u32 c)
{
	__u32 m = a > b ? a : b;

	return m > c ? m : c;
}

/* Bytes [lo, hi) of obj into sp; false if they do not fit or cannot be read. */
static __always_inline bool span_read(struct span *sp, const void *obj, __u32 lo, __u32 hi)
{
	if (!obj || hi <= lo || hi - lo > SPAN_MAX)
		return false;
	return bpf_probe_read_kernel(sp->b, hi - lo, obj + lo) == 0;
}

/*
 * The direct-load build (IPCLAB_DIRECT, Linux 6.2+): the kfunc bpf_rdonly_cast() ("bpf: Add
 * a kfunc for generic type cast", Linux 6.2) turns any address into a read-only pointer of a
 * kernel type, whose fields the program reads with plain loads: the verifier replaces the
 * call with a register move, and the JIT gives each load an exception-table entry, so a bad
 * address reads 0 where bpf_probe_read_kernel() would have failed.  A field then costs a
 * load instead of a helper call.  The kfunc cannot be in the objects for older kernels (an
 * unresolved kfunc fails the load), hence a third build of the same sources; the loader
 * picks it where the kernel's BTF has the kfunc (user/attach.c).
 */
#ifdef IPCLAB_DIRECT
extern void *bpf_rdonly_cast(void *obj, __u32 btf_id) __ksym;

/* p (any address: a pointer of another type, or a number) as a kernel object of type */
#define KERNEL_OBJ(type, p) \
	((type *)bpf_rdonly_cast((void *)(p), bpf_core_type_id_kernel(type)))

/*
 * The address in p as a plain number, for a global function (which takes numbers, not
 * kernel pointers): depending on the kernel, a `void *` field loaded from a kernel object
 * is a number (6.2) or read-only memory (6.17+) to the verifier.  Both are cast to the
 * same pointer type and NULL, cast alike, is subtracted: the verifier lets a privileged
 * program subtract two pointers and calls the difference a number.
 */
static __always_inline __u64 kernel_addr(const void *p)
{
	__u64 a = (__u64)KERNEL_OBJ(struct file, p);

	asm volatile("%0 -= %1" : "+r"(a) : "r"(KERNEL_OBJ(struct file, 0)));
	return a;
}
#endif

/*
 * bpf_get_current_task_btf() (Linux 5.11) gives a task the program reads with plain loads;
 * before it, the task is read with helper calls.  Decided when the object is loaded: the
 * verifier skips the branch this kernel does not take, so the helper it lacks never counts.
 * The tests force the old way on new kernels (task_by_helpers) to check it there too.
 */
extern const volatile bool task_by_helpers;	/* loader: IPCLAB_EMULATE_OLD_KERNEL (tests) */

#define HAVE_TASK_BTF (!task_by_helpers && KERNEL_HAS_TASK_BTF_HELPER)

/* Only for BTF-typed programs (tp_btf): the task is read with plain loads. */
static __always_inline struct file *fd_file_btf(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct files_struct *files = task->files;
	struct fdtable *fdt;
	struct file *f = NULL;

	if (fd < 0 || !files)
		return NULL;
	fdt = files->fdt;
	if (!fdt || (unsigned int)fd >= fdt->max_fds)
		return NULL;
#ifdef IPCLAB_DIRECT
	/* fdt->fd is a `struct file **`: no BTF type names its elements, so the slot is read
	 * as the first field of a list_head cast there (`next`, a pointer at offset 0): a load
	 * instead of a helper call.  A number again for the callers, as the copy gives. */
	{
		__u64 slot = kernel_addr(fdt->fd) + (__u64)(unsigned int)fd * sizeof(void *);

		f = (struct file *)kernel_addr(KERNEL_OBJ(struct list_head, slot)->next);
	}
#else
	bpf_probe_read_kernel(&f, sizeof(f), &fdt->fd[fd]);
#endif
	return f;
}

/* The same through helper calls (kernels before 5.11). */
static __always_inline struct file *fd_file_read(int fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *f = NULL;

	if (fd < 0 || !fdt || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

static __always_inline struct file *fd_file(int fd)
{
	if (HAVE_TASK_BTF)
		return fd_file_btf(fd);
	return fd_file_read(fd);
}

struct file_fields {
	struct inode *inode;
	void *private_data;	/* a pipe's or FIFO's pipe_inode_info (valid if has_private) */
	__u32 flags;		/* f_flags: O_NONBLOCK */
	__u32 mode;		/* f_mode: FMODE_READ, FMODE_WRITE */
	bool has_private;
};

/*
 * f_inode, f_flags, f_mode and, where the kernel's layout puts it close enough (6.12+),
 * private_data, in one read.  Elsewhere private_data is read later, only for pipes.
 */
static __always_inline bool file_fields(struct file *f, struct file_fields *ff)
{
#ifdef IPCLAB_DIRECT
	struct file *kf = KERNEL_OBJ(struct file, f);

	if (!f)
		return false;
	ff->inode = kf->f_inode;
	ff->flags = kf->f_flags;
	ff->mode = kf->f_mode;
	ff->private_data = kf->private_data;
	ff->has_private = true;
	return ff->inode != NULL;
#else
	__u32 lo = span_lo(FOFF(struct file, f_inode), FOFF(struct file, f_flags),
			FOFF(struct file, f_mode));
	__u32 hi = max3(FEND(struct file, f_inode), FEND(struct file, f_flags),
			FEND(struct file, f_mode));
	__u32 plo = FOFF(struct file, private_data) & ~7u, phi = FEND(struct file, private_data);
	struct span sp = {};

	if (!f)
		return false;
	lo = lo < plo ? lo : plo;
	hi = hi > phi ? hi : phi;
	ff->has_private = hi - lo <= SPAN_MAX;
	if (!ff->has_private) {
		lo = span_lo(FOFF(struct file, f_inode), FOFF(struct file, f_flags),
			     FOFF(struct file, f_mode));
		hi = max3(FEND(struct file, f_inode), FEND(struct file, f_flags),
			  FEND(struct file, f_mode));
	}
	if (!span_read(&sp, f, lo, hi)) {
		ff->has_private = false;
		/* set although unused: clang may load it anyway, and 5.10's verifier refuses a
		 * read of stack never written (newer ones allow it for root) */
		ff->private_data = NULL;
		ff->inode = BPF_CORE_READ(f, f_inode);
		ff->flags = BPF_CORE_READ(f, f_flags);
		ff->mode = BPF_CORE_READ(f, f_mode);
		return ff->inode != NULL;
	}
	ff->inode = SPAN_GET(&sp, lo, FOFF(struct file, f_inode), struct inode *);
	ff->flags = SPAN_GET(&sp, lo, FOFF(struct file, f_flags), __u32);
	ff->mode = SPAN_GET(&sp, lo, FOFF(struct file, f_mode), __u32);
	ff->private_data = ff->has_private ?
		SPAN_GET(&sp, lo, FOFF(struct file, private_data), void *) : NULL;
	return ff->inode != NULL;
#endif
}

struct inode_fields {
	struct super_block *sb;
	__u64 ino;
	__u16 mode;
};

static __always_inline void inode_fields(struct inode *inode, struct inode_fields *in)
{
#ifdef IPCLAB_DIRECT
	struct inode *ki = KERNEL_OBJ(struct inode, inode);

	in->mode = ki->i_mode;
	in->sb = ki->i_sb;
	in->ino = ki->i_ino;
#else
	__u32 lo = span_lo(FOFF(struct inode, i_mode), FOFF(struct inode, i_sb),
			FOFF(struct inode, i_ino));
	__u32 hi = max3(FEND(struct inode, i_mode), FEND(struct inode, i_sb),
			FEND(struct inode, i_ino));
	struct span sp = {};

	if (!span_read(&sp, inode, lo, hi)) {
		in->mode = BPF_CORE_READ(inode, i_mode);
		in->sb = BPF_CORE_READ(inode, i_sb);
		in->ino = BPF_CORE_READ(inode, i_ino);
		return;
	}
	in->mode = SPAN_GET(&sp, lo, FOFF(struct inode, i_mode), __u16);
	in->sb = SPAN_GET(&sp, lo, FOFF(struct inode, i_sb), struct super_block *);
	in->ino = SPAN_GET(&sp, lo, FOFF(struct inode, i_ino), __u64);
#endif
}

/* The filesystem's device and magic number. */
static __always_inline void sb_fields(struct super_block *sb, __u32 *dev, __u64 *magic)
{
#ifdef IPCLAB_DIRECT
	struct super_block *ks = KERNEL_OBJ(struct super_block, sb);

	*dev = ks->s_dev;
	*magic = ks->s_magic;
#else
	__u32 lo = span_lo(FOFF(struct super_block, s_dev), FOFF(struct super_block, s_magic),
			FOFF(struct super_block, s_dev));
	__u32 hi = max3(FEND(struct super_block, s_dev), FEND(struct super_block, s_magic),
			FEND(struct super_block, s_dev));
	struct span sp = {};

	if (!span_read(&sp, sb, lo, hi)) {
		*dev = BPF_CORE_READ(sb, s_dev);
		*magic = BPF_CORE_READ(sb, s_magic);
		return;
	}
	*dev = SPAN_GET(&sp, lo, FOFF(struct super_block, s_dev), __u32);
	*magic = SPAN_GET(&sp, lo, FOFF(struct super_block, s_magic), __u64);
#endif
}

/*
 * Per-CPU scratch: room to copy up to IPCLAB_MAX_SLOTS pipe slots (mech/pipe/pipe.bpf.h
 * samples a ring through it) or 64 iovecs (iov_total()), with a generation counter that
 * tells a sample whether something else used the scratch meanwhile.
 */
#define PIPE_BUF_SIZE_MAX 64	/* sizeof(struct pipe_buffer) is 40 on x86_64 */

#define SCRATCH_HALF (IPCLAB_MAX_SLOTS * PIPE_BUF_SIZE_MAX)	/* a power of two */

/* Twice the largest copy, so offset and length can each be masked to SCRATCH_HALF - 1 and
 * the verifier still sees every write in bounds. */
struct bufs_scratch {
	__u8 b[2 * SCRATCH_HALF];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bufs_scratch);
} scratch SEC(".maps") __weak;

/*
 * fentry/fexit programs run with migration, not preemption, disabled: on a preemptible kernel
 * (preempt=full or lazy, PREEMPT_RT) another traced task on this CPU can use the scratch
 * between our copy and our sum.  Each use bumps a generation kept in the scratch's last 8
 * bytes (no copy reaches them: at most SCRATCH_HALF bytes are used); a sum whose generation
 * changed meanwhile is not trusted.  (iov_total()'s sum has no such check: a preempted one can
 * be off; it only feeds `requested`.)
 */
#define SCRATCH_GEN_OFF (2 * SCRATCH_HALF - 8)

static __always_inline __u64 scratch_claim(struct bufs_scratch *sc)
{
#ifdef IPCLAB_NO_ATOMICS	/* not preemptible there (batch_try_claim()): a plain increment */
	volatile __u64 *gen = (volatile __u64 *)&sc->b[SCRATCH_GEN_OFF];
	__u64 next = *gen + 1;

	*gen = next;
	return next;
#else
	return __sync_fetch_and_add((__u64 *)&sc->b[SCRATCH_GEN_OFF], 1) + 1;
#endif
}

static __always_inline bool scratch_intact(struct bufs_scratch *sc, __u64 gen)
{
	return *(volatile __u64 *)&sc->b[SCRATCH_GEN_OFF] == gen;
}


/* The iovec calls reach the pipe's read_iter/write_iter like read/write do (preadv and
 * pwritev fail with ESPIPE on a pipe; preadv2/pwritev2 at offset -1 work like readv/writev). */
static __always_inline bool is_iov_syscall(__s32 nr)
{
	return nr == NR_readv || nr == NR_writev || nr == NR_preadv || nr == NR_pwritev ||
	       nr == NR_preadv2 || nr == NR_pwritev2;
}

static __always_inline bool is_rw_syscall(__s32 nr)
{
	return nr == NR_read || nr == NR_write || is_iov_syscall(nr);
}

static __always_inline bool is_write_syscall(__s32 nr)
{
	return nr == NR_write || nr == NR_writev || nr == NR_pwritev || nr == NR_pwritev2;
}

/* The mechanisms' hooks (mech/registry.bpf.h, included at the end of this file). */
static __always_inline void mech_sys_enter(struct task_ctx *c);
static __always_inline void mech_sys_enter_none(struct task_ctx *c);
static __always_inline bool mech_sys_exit(struct task_ctx *c, long ret);
static __always_inline bool mech_syscall_of_interest(__s32 nr);
static __always_inline void mech_syscall_details(struct task_ctx *c, struct ipclab_event *e,
						 long ret);
static __always_inline __u64 mech_task_object(struct task_ctx *c, bool waking);

/* Syscalls reported as EVT_SYSCALL spans (besides pipe I/O, reported as EVT_PIPE_IO). */
static __always_inline bool syscall_of_interest(__s32 nr)
{
	switch (nr) {
	case NR_read: case NR_write: case NR_readv: case NR_writev:
	case NR_pread64: case NR_pwrite64:
	case NR_preadv: case NR_pwritev: case NR_preadv2: case NR_pwritev2:
	case NR_open: case NR_openat: case NR_close: case NR_lseek:
	case NR_stat: case NR_fstat: case NR_lstat: case NR_newfstatat: case NR_statx:
	case NR_mmap: case NR_munmap: case NR_msync: case NR_ftruncate:
	case NR_pipe: case NR_pipe2: case NR_dup: case NR_dup2: case NR_dup3:
	case NR_fcntl: case NR_mknod: case NR_mknodat: case NR_unlink: case NR_unlinkat:
	case NR_splice: case NR_tee: case NR_vmsplice: case NR_sendfile: case NR_copy_file_range:
		return true;
	}
	return mech_syscall_of_interest(nr);
}

#define IOV_MAX_SEGS 1024	/* UIO_MAXIOV: more is EINVAL */
#define IOV_CHUNK 64		/* iovecs read per helper call */
#define IOV_SIZE 16		/* struct iovec, x86_64 user ABI: base at 0, len at 8 */

/*
 * The bytes an iovec array asks for: every iovec's length, up to IOV_MAX.  Read into
 * scratch 64 iovecs per helper call; a global function, so the verifier checks its loops
 * once per program.
 */
__u64 iov_total(__u64 uiov, __u32 cnt);	/* global: in bpf/ipclab.bpf.c */

/* An iovec array: its first buffer (for data samples) and the bytes it asks for. */
static __always_inline void iov_request(__u64 uiov, __u64 cnt, __u64 *ubuf, __u64 *requested,
					__u64 *first_len)
{
	struct iovec iov = {};

	*requested = 0;
	if (!cnt || bpf_probe_read_user(&iov, sizeof(iov), (void *)uiov))
		return;
	*ubuf = (__u64)iov.iov_base;
	*first_len = iov.iov_len;
	*requested = cnt == 1 ? iov.iov_len :
		     iov_total(uiov, cnt < IOV_MAX_SEGS ? cnt : IOV_MAX_SEGS);
}

/* The user buffer of a read/write (or iovec variant) and the bytes it asks for. */
static __always_inline void rw_buffer(struct task_ctx *c, __u64 *ubuf, __u64 *requested,
				      __u64 *first_len)
{
	if (is_iov_syscall(c->nr)) {
		iov_request(c->args[1], c->args[2], ubuf, requested, first_len);
		return;
	}
	*ubuf = c->args[1];
	*requested = c->args[2];
	*first_len = c->args[2];
}

/* First and last bytes a call copied (n, its result): what a student would want to see.
 * iovec calls: only the first iovec (of first_len bytes) is sampled. */
static __always_inline void sample_bytes(__s64 n, __u8 *head, __u8 *tail, __u32 *data_len,
					 __u64 ubuf, __u64 first_len, bool single_buf)
{
	if (n <= 0 || !ubuf)
		return;
	if ((__u64)n > first_len)
		n = first_len;
	*data_len = n < IPCLAB_DATA_LEN ? n : IPCLAB_DATA_LEN;
	bpf_probe_read_user(head, IPCLAB_DATA_LEN, (void *)ubuf);
	if (n > IPCLAB_DATA_LEN && single_buf)
		bpf_probe_read_user(tail, IPCLAB_DATA_LEN, (void *)(ubuf + n - IPCLAB_DATA_LEN));
	else
		__builtin_memcpy(tail, head, IPCLAB_DATA_LEN);
}


/* ------------------------------------------------------------ syscalls */


/*
 * The six syscall arguments, as the architecture passes them.  x86_64: di, si, dx, r10, r8,
 * r9.  arm64: x0-x5 (regs[0..5]); at sys_enter x0 still holds the first argument (the return
 * value overwrites it only at exit, and orig_x0 keeps a copy).
 */
static __always_inline void syscall_args(struct pt_regs *regs, __u64 *args)
{
#if defined(__TARGET_ARCH_arm64)
	args[0] = regs->regs[0];
	args[1] = regs->regs[1];
	args[2] = regs->regs[2];
	args[3] = regs->regs[3];
	args[4] = regs->regs[4];
	args[5] = regs->regs[5];
#else
	args[0] = regs->di;
	args[1] = regs->si;
	args[2] = regs->dx;
	args[3] = regs->r10;
	args[4] = regs->r8;
	args[5] = regs->r9;
#endif
}

/*
 * sys_enter and sys_exit have two stand-in copies each (see stand_in_used()): the
 * tracepoint runs the copies in attach order, 0, 1, 2.  Copy 0 always does the work and
 * sets `entered`; a later copy does it only where `entered` is still clear (every earlier
 * copy was skipped), and the copy of sys_exit that does the syscall's work clears it.
 */
/*
 * Tests only (IPCLAB_EMULATE_SKIPS, set by the loader; 0 removes this code at load time):
 * the kernel's skips made to happen on this kernel, on every 5th syscall of each task.
 * Bits: EMULATE_SKIP_* (bpf/ipclab.h).
 */
extern const volatile __u32 emulate_skips;

static __always_inline bool emulated_skip(struct task_ctx *c, bool at_exit, int copy)
{
	__u32 first = at_exit ? EMULATE_SKIP_EXIT : EMULATE_SKIP_ENTER;
	__u32 two = at_exit ? EMULATE_SKIP_EXIT_TWO : EMULATE_SKIP_ENTER_TWO;
	__u32 all = at_exit ? EMULATE_SKIP_EXIT_ALL : EMULATE_SKIP_ENTER_ALL;

	if (!at_exit && copy == 0)
		c->emulated_tick++;
	if (c->emulated_tick % 5)
		return false;
	return (emulate_skips & all) || (copy == 0 && (emulate_skips & first)) ||
	       (copy < 2 && (emulate_skips & two));
}

/*
 * Does a syscall need its start time, arguments and the mechanisms' entry work?  In the
 * tracepoint tier only a syscall of interest does: its records are the only ones made from
 * sys_enter/sys_exit, and every mechanism's entry work is for one of them (pipe and socket
 * I/O, close, the movers, rt_sigprocmask/rt_sigaction, mq send/receive).  In the function
 * tiers a pipe or socket function can run inside any syscall (io_uring_enter issuing a read
 * inline) and its record takes that syscall's start and arguments, so every syscall keeps
 * them there.  `tier` is read-only data: the verifier drops the branch not taken.
 */
static __always_inline bool syscall_needs_entry(__s32 nr)
{
	return tier != TIER_TRACEPOINT || syscall_of_interest(nr);
}

static __always_inline void sys_enter_run(struct pt_regs *regs, long id, int copy)
{
	struct task_ctx *c;

	c = ctx_enter(bpf_get_current_pid_tgid());
	if (!c)
		return;
	if (emulate_skips && emulated_skip(c, false, copy))
		return;
	if (copy > 0) {
		if (c->entered)
			return;
		count_recovered();
	}
	c->entered = 1;
	/* still set: every copy of sys_exit was skipped on the previous syscall */
	if (c->nr >= 0 && syscall_of_interest(c->nr))
		count_dropped(DROP_SKIPPED_SYSCALL, 1);
	c->seen_enter = 1;
	c->syscalls++;
	c->nr = id;
	c->io_emitted = 0;
	c->ts_block = 0;
	if (!syscall_needs_entry(id)) {
		mech_sys_enter_none(c);
		return;
	}
	c->ts_enter = bpf_ktime_get_ns();
	/* regs is a BTF-typed argument: plain loads, not one helper call each (this runs on
	 * every traced syscall) */
	syscall_args(regs, c->args);
	mech_sys_enter(c);
}

/* The syscall's number at sys_exit, where the tracepoint does not pass it. */
static __always_inline __s32 syscall_nr(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_arm64)
	return regs->syscallno;
#else
	return regs->orig_ax;
#endif
}


/* What stat(2) told the program.  struct stat is the architecture's: x86_64 has st_mode at
 * 24, st_size at 48; arm64 has asm-generic's, st_mode at 16, st_size at 48.  struct statx
 * is the same everywhere: stx_mode at 28 (16 bits), stx_size at 40. */
#if defined(__TARGET_ARCH_arm64)
#define STAT_MODE_OFF 16
#else
#define STAT_MODE_OFF 24
#endif
#define STAT_SIZE_OFF 48

static __always_inline void stat_result(struct ipclab_event *e, __u64 buf, bool statx)
{
	__u16 mode16 = 0;

	if (statx) {
		bpf_probe_read_user(&mode16, sizeof(mode16), (void *)(buf + 28));
		e->sc.stat_mode = mode16;
		bpf_probe_read_user(&e->sc.stat_size, sizeof(e->sc.stat_size), (void *)(buf + 40));
		return;
	}
	bpf_probe_read_user(&e->sc.stat_mode, sizeof(e->sc.stat_mode), (void *)(buf + STAT_MODE_OFF));
	bpf_probe_read_user(&e->sc.stat_size, sizeof(e->sc.stat_size), (void *)(buf + STAT_SIZE_OFF));
}


/* What an EVT_SYSCALL record says beyond number, arguments and result: the paths and stat
 * results of the file calls here, the objects through the mechanisms. */
static __always_inline void syscall_details(struct task_ctx *c, struct ipclab_event *e, long ret)
{
	switch (c->nr) {
	case NR_open:
	case NR_mknod:
	case NR_unlink:
		bpf_probe_read_user_str(e->sc.path, sizeof(e->sc.path), (void *)c->args[0]);
		break;
	case NR_openat:
	case NR_mknodat:
	case NR_unlinkat:
		bpf_probe_read_user_str(e->sc.path, sizeof(e->sc.path), (void *)c->args[1]);
		break;
	case NR_stat:
	case NR_lstat:
		bpf_probe_read_user_str(e->sc.path, sizeof(e->sc.path), (void *)c->args[0]);
		if (ret == 0)
			stat_result(e, c->args[1], false);
		break;
	case NR_fstat:
		if (ret == 0)
			stat_result(e, c->args[1], false);
		break;
	case NR_newfstatat:
	case NR_statx:
		bpf_probe_read_user_str(e->sc.path, sizeof(e->sc.path), (void *)c->args[1]);
		if (ret == 0)
			stat_result(e, c->nr == NR_statx ? c->args[4] : c->args[2], c->nr == NR_statx);
		break;
	}
	mech_syscall_details(c, e, ret);
}

/*
 * Stand-in copies.  A program does not run on a CPU where it is already running, and from
 * 7.x (Debian's 7.2, PREEMPT_LAZY) tracepoint and fentry/fexit programs run preemptible:
 * a task preempted inside sys_exit makes every other task that leaves a syscall on that CPU
 * meanwhile skip it (measured on 7.2: sys_exit, fault_around and fexit_handle_mm_fault
 * skipped 6 to 34 times in a trace).  Disabling preemption inside the program
 * (bpf_preempt_disable(), 6.10+) cannot help: the kernel marks the program running before
 * its first instruction, and bpf_preempt_enable() is itself where a pending preemption
 * happens.  So these programs are attached twice: the second copy has its own per-CPU
 * marker, runs on every hit too, and does the work only where the first did not (the
 * task's state says so), counting it in `recovered`.  Both are skipped only if two tasks
 * are preempted inside the two copies on one CPU; the loader counts only the second copy's
 * skips as dropped.  sys_enter and sys_exit, which run on every syscall, have a third copy:
 * with two, a 7.2 guest tracing the compare scenario lost one syscall among ~10^5 (skips:
 * 443 first copy, 38 second).  They count exactly the syscalls every copy missed
 * (DROP_SKIPPED_SYSCALL).  The tracepoint calls its programs in attach order (measured:
 * nothing recovered where nothing was skipped), and the copy of sys_exit that does the work
 * always ends with nr = -1.
 */
static __always_inline void stand_in_used(bool stand_in)
{
	if (stand_in)
		count_recovered();
}

/*
 * fexit copies: a trampoline runs its fexit programs newest first (measured on 7.2), so
 * which copy runs first is not fixed.  Whichever does runs the hit and leaves its key in
 * the task's mark; the other finds the key, clears it and does nothing.  When one copy was
 * skipped the other does the work and the key stays: on the next hit with the same key the
 * first copy clears it and the second does the work, so nothing is lost.  Works minus
 * clears is the number of hits one copy handled alone (RECOVERED_*_WORKS/CLEARS, per pair).
 */
static __always_inline bool pair_done(__u64 *mark, __u64 key, __u32 works_key, bool count)
{
	if (*mark == key) {
		*mark = 0;
		if (count)
			count_recovered_key(works_key + 1);	/* its CLEARS key */
		return true;
	}
	*mark = key;
	if (count)	/* false: a hit that makes no record */
		count_recovered_key(works_key);
	return false;
}

static __always_inline void sys_exit_run(struct pt_regs *regs, long ret, int copy)
{
	struct ipclab_batch *b;
	struct ipclab_event *e;
	struct task_ctx *c;

	c = ctx_of(bpf_get_current_pid_tgid());
	if (!c)
		return;
	if (emulate_skips && emulated_skip(c, true, copy))
		return;
	if (c->nr < 0) {
		/* the first copy ran: it always ends with nr = -1.  Or, for the first copy, this
		 * syscall's entry was not seen although the task's earlier ones were: both copies
		 * of sys_enter were skipped.  (A task's first syscall may have begun before it was
		 * traced: its exec, its fork.) */
		if (copy == 0 && c->seen_enter && syscall_of_interest(syscall_nr(regs)))
			count_dropped(DROP_SKIPPED_SYSCALL, 1);
		return;
	}
	stand_in_used(copy > 0);
	if (syscall_needs_entry(c->nr) && !mech_sys_exit(c, ret) && !c->io_emitted &&
	    syscall_of_interest(c->nr) &&
	    (e = event_reserve_ctx(EVT_SYSCALL, c, &b))) {
		e->ts_start = c->ts_enter;
		e->nr = c->nr;
		__builtin_memcpy(e->sc.args, c->args, sizeof(e->sc.args));
		e->sc.ret = ret;
		e->sc.pipe.pipe = 0;
		e->sc.fds[0] = e->sc.fds[1] = -1;
		e->sc.path[0] = 0;
		e->sc.file_ino = 0;
		e->sc.file_dev = e->sc.file_magic = e->sc.stat_mode = 0;
		e->sc.stat_size = 0;
		syscall_details(c, e, ret);
		batch_release(b);
	}
	c->nr = -1;
	c->entered = 0;
	c->ts_block = 0;
}

/* ------------------------------------------------------------ blocking */

static __always_inline bool in_irq_context(void)
{
	__u32 zero = 0;
	__s32 *d = bpf_map_lookup_elem(&irq_depth, &zero);

	return d && *d > 0;
}

static __always_inline void irq_nest(int delta)
{
	__u32 zero = 0;
	__s32 *d = bpf_map_lookup_elem(&irq_depth, &zero);

	if (d && (*d > 0 || delta > 0))
		*d += delta;
}

/* ------------------------------------------------------ signals, lifetime */

#include "../mech/registry.bpf.h"	/* the mechanisms' hooks */

#endif /* IPCLAB_BPF_H */
