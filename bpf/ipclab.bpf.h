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
 *   fentry/fexit   on the pipe read/write functions   (cheapest, needs BPF trampolines)
 *   kprobe/kretp.  on the same functions              (needs CONFIG_KPROBES)
 *   tracepoint     syscall tracepoints + fd -> file -> inode -> pipe_inode_info
 * The loader enables one tier's pipe programs; everything else (syscalls of interest,
 * blocking, signals, process lifetime) comes from tracepoints in every tier.
 *
 * All programs first check that the current process is in the traced tree (`tracked`),
 * so untraced processes pay one hash lookup per event.
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

#define PIPEFS_MAGIC	0x50495045
#define S_IFMT		00170000
#define S_IFIFO		0010000
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

/* One pipe a call in progress works on: identity and occupancy, sampled at entry. */
struct pipe_side {
	__u64 pipe;			/* 0: none */
	__u64 ino;			/* its identity, read once at entry */
	__u32 dev;
	__u32 flags;			/* EVF_* */
	__u32 bytes_before;
	__u32 slots_before;
};

/* What one traced thread is doing right now. */
struct task_ctx {
	__u64 ts_enter;
	__u64 args[6];
	__s32 nr;			/* syscall in progress, -1 when in user space */
	__u32 io_depth;			/* nesting of pipe functions (fifo_* wraps anon_*) */
	/* pipe I/O in progress: read/write(v), or the pipe splice/tee/... reads from */
	struct pipe_side io;
	/* splice/tee/vmsplice/sendfile/copy_file_range: the pipe they write to */
	struct pipe_side out;
	__u32 io_emitted;		/* a pipe tier already reported this syscall */
	__u32 entered;			/* sys_enter's first copy ran; its stand-in clears it */
	/* close(): what the fd was, sampled on entry */
	struct ipclab_pipe closing;
	__u32 close_flags;
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
	/* kprobe tier: handle_mm_fault's arguments for its kretprobe */
	__u64 fault_addr;
	__u32 fault_flags;
	__u32 emulated_tick;		/* syscalls counted for emulate_skips (tests) */
	/* the hit one of a pair of copies handled last (pair_done()) */
	__u64 fault_result_mark;
	__u64 fault_around_mark;
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

static __always_inline struct task_ctx *ctx_get(__u32 tid, bool create)
{
	struct task_ctx *c = bpf_map_lookup_elem(&tasks, &tid);

	if (c || !create)
		return c;
	bpf_map_update_elem(&tasks, &tid, &zero_ctx, BPF_NOEXIST);
	return bpf_map_lookup_elem(&tasks, &tid);
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

static __always_inline struct ipclab_event *event_reserve(__u16 type)
{
	__u32 size = event_size(type), off;
	__u64 id = bpf_get_current_pid_tgid();
	struct ipclab_event *e;
	struct ipclab_batch *b = batch_claim();

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
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->type = type;
	e->flags = 0;
	e->nr = -1;
	return e;
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
	bpf_probe_read_kernel(&f, sizeof(f), &fdt->fd[fd]);
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
}

struct inode_fields {
	struct super_block *sb;
	__u64 ino;
	__u16 mode;
};

static __always_inline void inode_fields(struct inode *inode, struct inode_fields *in)
{
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
}

/* The filesystem's device and magic number. */
static __always_inline void sb_fields(struct super_block *sb, __u32 *dev, __u64 *magic)
{
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
}

/*
 * The pipe behind a file, or NULL when the file is not a pipe or FIFO; on the way, the
 * pipe's identity (inode, device) into id and O_NONBLOCK / FIFO into flags.  f_mode goes to
 * *fmode when asked for.
 */
static __always_inline struct pipe_inode_info *file_pipe(struct file *f, __u32 *flags,
							struct ipclab_pipe *id, __u32 *fmode)
{
	struct file_fields ff;
	struct inode_fields in;
	__u64 magic = 0;
	__u32 dev = 0;

	if (!file_fields(f, &ff))
		return NULL;
	inode_fields(ff.inode, &in);
	if ((in.mode & S_IFMT) != S_IFIFO)
		return NULL;
	sb_fields(in.sb, &dev, &magic);
	if (magic != PIPEFS_MAGIC)
		*flags |= EVF_FIFO;
	if (ff.flags & O_NONBLOCK)
		*flags |= EVF_NONBLOCK;
	if (fmode)
		*fmode = ff.mode;
	id->ino = in.ino;
	id->dev = dev;
	/* the open pipe or FIFO keeps its pipe_inode_info in private_data (fs/pipe.c
	 * create_pipe_files, fifo_open); an O_PATH fd of a FIFO has none */
	if (ff.has_private)
		return ff.private_data;
	return BPF_CORE_READ(f, private_data);
}

/*
 * Sampling a pipe is on the hot path of every traced read and write, so it is done in a
 * few helper calls, not one per field and slot: the counters from head to writers and the
 * bufs pointer are one span of pipe_inode_info, and the used part of bufs[] is copied in at
 * most two pieces into per-CPU scratch (per 256 slots, for pipes larger than 1 MiB).
 *
 * The probes do not hold pipe->mutex, so a pipe's user on another CPU can change it while
 * it is sampled.  The sample is taken again (a few times at most) when head or tail moved
 * while the slots were summed, or when a slot between them held 0 bytes: a writer bumps
 * head before it fills the new slot (fs/pipe.c anon_pipe_write: head + 1, len = 0, copy,
 * len = copied) and a reader empties a slot before it moves tail.  A sample that does not
 * settle is marked EVF_TORN.
 */
#define PIPE_BUF_SIZE_MAX 64	/* sizeof(struct pipe_buffer) is 40 on x86_64 */

#define SCRATCH_HALF (IPCLAB_MAX_SLOTS * PIPE_BUF_SIZE_MAX)	/* a power of two */
#define SAMPLE_TRIES 4

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

/* Copy slots [first, first + count) of bufs[] to dst; returns 0 or an error. */
static __always_inline long copy_slots(void *dst, __u32 dst_off, __u64 bufs, __u32 first,
				       __u32 count, __u32 size)
{
	__u32 bytes = count * size;

	if (dst_off >= SCRATCH_HALF || bytes >= SCRATCH_HALF)
		return -1;
	/* keep the masks: clang would drop them after the check, the verifier needs them */
	asm volatile("" : "+r"(dst_off), "+r"(bytes));
	dst_off &= SCRATCH_HALF - 1;
	bytes &= SCRATCH_HALF - 1;
	return bpf_probe_read_kernel(dst + dst_off, bytes, (void *)(bufs + (__u64)first * size));
}

/* ring_chunk_bytes() and ring_bytes_large(): the byte sum in the low 32 bits, the number of
 * slots that held 0 bytes above them, OCC_FAILED when bufs[] could not be read. */
#define OCC_FAILED (1ULL << 63)
#define OCC_EMPTY_SLOTS(occ) ((occ) >> 32)

/*
 * Slots [first, first + count) of a ring of ring_size slots (a power of two), count at most
 * IPCLAB_MAX_SLOTS.  A global function: the verifier checks its loop once per program, not
 * at every place a pipe is sampled, and the same code serves every pipe size.
 */
__u64 ring_chunk_bytes(__u64 bufs, __u32 first, __u32 count, __u32 ring_size);	/* global: in bpf/ipclab.bpf.c */

/* More than IPCLAB_MAX_SLOTS slots (pipes over 1 MiB): chunk by chunk, so the cost follows
 * the slots in use, not the ring's size.  The sum fits: a pipe holds at most 2 GiB. */
__u64 ring_bytes_large(__u64 bufs, __u32 tail, __u32 n, __u32 ring_size);	/* global: in bpf/ipclab.bpf.c */

/* Occupancy: slots = head - tail, bytes = sum of bufs[].len between them (FIONREAD). */
static __always_inline __u64 ring_bytes(__u64 bufs, __u32 tail, __u32 n, __u32 ring_size)
{
	if (!n)
		return 0;
	if (n <= IPCLAB_MAX_SLOTS)
		return ring_chunk_bytes(bufs, tail, n, ring_size);
	if (n <= IPCLAB_RING_MAX)
		return ring_bytes_large(bufs, tail, n, ring_size);
	return OCC_FAILED;
}

#define PIPE_FIELD(sp, lo, field) \
	SPAN_GET(sp, lo, FOFF(struct pipe_inode_info, field), __u32)

/* The counters and the bufs pointer, read as one span.  head and tail through
 * core_fixes.bpf.h: their place and width differ between kernels. */
static __always_inline bool pipe_counters(struct pipe_inode_info *pipe, struct ipclab_pipe *out,
					  __u32 *head, __u32 *tail, __u64 *bufs)
{
	__u32 lo = (PIPE_HEAD_OFF < PIPE_TAIL_OFF ? PIPE_HEAD_OFF : PIPE_TAIL_OFF) & ~7u;
	__u32 hi = max3(FEND(struct pipe_inode_info, writers), FEND(struct pipe_inode_info, bufs),
			FEND(struct pipe_inode_info, ring_size));
	struct span sp = {};

	if (!span_read(&sp, pipe, lo, hi))
		return false;
	*head = pipe_index_load(sp.b + ((PIPE_HEAD_OFF - lo) & (SPAN_MAX - 1)));
	*tail = pipe_index_load(sp.b + ((PIPE_TAIL_OFF - lo) & (SPAN_MAX - 1)));
	out->max_usage = PIPE_FIELD(&sp, lo, max_usage);
	out->ring_size = PIPE_FIELD(&sp, lo, ring_size);
	out->readers = PIPE_FIELD(&sp, lo, readers);
	out->writers = PIPE_FIELD(&sp, lo, writers);
	*bufs = SPAN_GET(&sp, lo, FOFF(struct pipe_inode_info, bufs), __u64);
	return true;
}

/* head and tail still what they were (adjacent, tail after head: one small read). */
static __always_inline bool pipe_unchanged(struct pipe_inode_info *pipe, __u32 head, __u32 tail)
{
	__u32 h = PIPE_HEAD_OFF, size = PIPE_INDEX_SIZE, mask = size == 2 ? 0xffff : 0xffffffff;
	__u64 v = 0;

	if (PIPE_TAIL_OFF != h + size || (size != 2 && size != 4) ||
	    bpf_probe_read_kernel(&v, 2 * size, (void *)pipe + h))
		return false;
	/* little endian: head is the low half; shifts, not a pointer into v (the verifier
	 * refuses the `fp | 4` clang makes of one) */
	return ((__u32)v & mask) == head && ((__u32)(v >> (size * 8)) & mask) == tail;
}

static __always_inline void pipe_sample(struct pipe_inode_info *pipe, struct ipclab_pipe *out,
					__u32 *flags)
{
	__u64 bufs = 0, occ = OCC_FAILED;
	__u32 head = 0, tail = 0;
	bool settled = false;

	out->pipe = (__u64)pipe;
	/* unrolled: 6.1's verifier refuses a loop whose head clang reaches by falling through */
#pragma unroll
	for (int try = 0; try < SAMPLE_TRIES; try++) {
		if (!pipe_counters(pipe, out, &head, &tail, &bufs))
			return;
		occ = ring_bytes(bufs, tail, pipe_index_sub(head, tail), out->ring_size);
		if (occ & OCC_FAILED)
			break;
		/* an empty pipe was read in one piece: nothing to compare */
		settled = head == tail ||
			  (!OCC_EMPTY_SLOTS(occ) && pipe_unchanged(pipe, head, tail));
		if (settled)
			break;
	}
	out->slots = pipe_index_sub(head, tail);
	out->bytes = (__u32)occ;
	if (occ & OCC_FAILED) {
		*flags |= EVF_TRUNC;	/* bytes not counted */
		out->bytes = 0;
	} else if (!settled) {
		*flags |= EVF_TORN;
	}
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

/* The positioned iovec calls are rare: they are resolved at entry in every tier, so one
 * that the kernel rejects on a pipe (preadv/pwritev: ESPIPE) is a pipe event everywhere.
 * read/write/readv/writev are resolved at entry only in the tracepoint tier (the others
 * get the pipe from the pipe functions without walking the fd table). */
static __always_inline bool is_rw_at_entry(__s32 nr)
{
	return tier == TIER_TRACEPOINT ? is_rw_syscall(nr) :
	       nr == NR_preadv || nr == NR_pwritev || nr == NR_preadv2 || nr == NR_pwritev2;
}

static __always_inline bool is_write_syscall(__s32 nr)
{
	return nr == NR_write || nr == NR_writev || nr == NR_pwritev || nr == NR_pwritev2;
}

/* Calls that move bytes into or out of pipes without the pipe's read/write functions (they
 * work on the ring directly: fs/splice.c), in every tier seen from sys_enter/sys_exit. */
static __always_inline bool is_mover_syscall(__s32 nr)
{
	return nr == NR_splice || nr == NR_tee || nr == NR_vmsplice || nr == NR_sendfile ||
	       nr == NR_copy_file_range;
}

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
	return false;
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

/* First and last bytes that crossed the pipe: what a student would want to see.
 * iovec calls: only the first iovec (of first_len bytes) is sampled. */
static __always_inline void sample_data(struct ipclab_pipe_io *io, __u64 ubuf, __u64 first_len,
					bool single_buf)
{
	__s64 n = io->result;

	if (n <= 0 || !ubuf)
		return;
	if ((__u64)n > first_len)
		n = first_len;
	io->data_len = n < IPCLAB_DATA_LEN ? n : IPCLAB_DATA_LEN;
	bpf_probe_read_user(io->head, IPCLAB_DATA_LEN, (void *)ubuf);
	if (n > IPCLAB_DATA_LEN && single_buf)
		bpf_probe_read_user(io->tail, IPCLAB_DATA_LEN, (void *)(ubuf + n - IPCLAB_DATA_LEN));
	else
		__builtin_memcpy(io->tail, io->head, IPCLAB_DATA_LEN);
}

/* -------------------------------------------------- pipe I/O, all tiers */

/* Entry of a pipe read/write: the pipe's identity (kept for the exit) and occupancy. */
static __always_inline void pipe_side_begin(struct pipe_side *s, struct pipe_inode_info *pipe,
					    __u32 flags, const struct ipclab_pipe *id)
{
	struct ipclab_pipe before = {};

	s->flags = flags;
	pipe_sample(pipe, &before, &s->flags);
	s->pipe = (__u64)pipe;
	s->bytes_before = before.bytes;
	s->slots_before = before.slots;
	s->ino = id->ino;
	s->dev = id->dev;
}

/*
 * The record of one pipe a call read from or wrote to.  The pipe is sampled before the
 * record gets its time stamp (the call's end): occupancy after never includes what a call
 * that began after that end did.
 */
static __always_inline void pipe_io_emit(struct task_ctx *c, struct pipe_side *s, bool write,
					 __s32 fd, __s64 result, __u64 requested, __u64 ubuf,
					 __u64 first_len)
{
	struct ipclab_pipe after = { .ino = s->ino, .dev = s->dev };
	__u32 flags = s->flags;
	struct ipclab_event *e;

	pipe_sample((void *)s->pipe, &after, &flags);
	e = event_reserve(EVT_PIPE_IO);
	if (!e)
		goto out;
	e->ts_start = c->nr >= 0 ? c->ts_enter : e->ts;
	e->nr = c->nr;
	e->flags = flags;
	e->io.after = after;
	e->io.bytes_before = s->bytes_before;
	e->io.slots_before = s->slots_before;
	e->io.fd = fd;
	e->io.write = write;
	e->io.requested = requested;
	e->io.result = result;
	e->io.data_len = 0;
	__builtin_memset(e->io.head, 0, sizeof(e->io.head) + sizeof(e->io.tail));
	sample_data(&e->io, ubuf, first_len, c->nr == NR_read || c->nr == NR_write);
	event_submit(e);
out:
	s->pipe = 0;
	c->io_emitted = 1;
}

static __always_inline void pipe_io_end(struct task_ctx *c, bool write, __s64 result,
					__u64 requested, __u64 ubuf, __u64 first_len)
{
	pipe_io_emit(c, &c->io, write, is_rw_syscall(c->nr) ? (__s32)c->args[0] : -1, result,
		     requested, ubuf, first_len);
}

/* fentry/kprobe entry: the pipe comes from the kiocb. Nested calls (fifo_* -> anon_*) skip. */
static __always_inline void pipe_fn_enter(struct kiocb *iocb)
{
	struct ipclab_pipe id = {};
	struct task_ctx *c;
	struct file *f;
	struct pipe_inode_info *pipe;
	__u32 flags = 0;

	if (!current_active())
		return;
	c = ctx_get((__u32)bpf_get_current_pid_tgid(), true);
	if (!c || c->io_depth++ > 0)
		return;
	/* splice & co. are reported from sys_enter/sys_exit, which sampled their pipes; a
	 * pipe function inside one (5.10's sendfile into a pipe writes through pipe_write) would
	 * report the same bytes twice */
	if (is_mover_syscall(c->nr))
		return;
	f = BPF_CORE_READ(iocb, ki_filp);
	pipe = file_pipe(f, &flags, &id, NULL);
	if (pipe)
		pipe_side_begin(&c->io, pipe, flags, &id);
}

static __always_inline void recover_skipped_entry(struct task_ctx *c, bool write, __s64 ret);

static __always_inline void pipe_fn_exit(struct kiocb *iocb, bool write, __s64 ret,
					 __u64 requested)
{
	struct task_ctx *c;
	__u64 ubuf = 0, sys_requested = 0, first_len = 0;

	if (!current_active())
		return;
	c = ctx_get((__u32)bpf_get_current_pid_tgid(), false);
	if (!c)
		return;
	if (c->io_depth == 0) {
		/* no entry probe ran for this call, nor for one wrapping it */
		if (is_rw_syscall(c->nr) && !c->io_emitted && !c->io.pipe)
			recover_skipped_entry(c, write, ret);
		return;
	}
	if (--c->io_depth > 0 || !c->io.pipe || is_mover_syscall(c->nr))
		return;
	if (is_rw_syscall(c->nr))
		rw_buffer(c, &ubuf, &sys_requested, &first_len);
	pipe_io_end(c, write, ret, requested, ubuf, first_len);
}

static __always_inline __u64 iter_count(struct iov_iter *it)
{
	return BPF_CORE_READ(it, count);
}

/* ------------------------------------------------------------ syscalls */

static __always_inline void sys_enter_close(struct task_ctx *c)
{
	struct file *f = fd_file((int)c->args[0]);
	struct pipe_inode_info *pipe;
	__u32 flags = 0, fmode = 0;

	c->closing.pipe = 0;
	pipe = file_pipe(f, &flags, &c->closing, &fmode);
	if (!pipe)
		return;
	pipe_sample(pipe, &c->closing, &flags);
	if (fmode & FMODE_READ)
		flags |= EVF_FMODE_READ;
	if (fmode & FMODE_WRITE)
		flags |= EVF_FMODE_WRITE;
	if (file_last_ref(f)) {
		/* the release may be deferred past sys_exit (task_work): count it here */
		flags |= EVF_LAST_REF;
		if (flags & EVF_FMODE_READ)
			c->closing.readers--;
		if (flags & EVF_FMODE_WRITE)
			c->closing.writers--;
	}
	c->close_flags = flags;
}

/* The pipe behind an fd, sampled into side s; f_mode to *fmode when asked for. */
static __always_inline struct pipe_inode_info *fd_pipe_begin(struct pipe_side *s, int fd,
							     __u32 *fmode)
{
	struct file *f = fd_file(fd);
	struct ipclab_pipe id = {};
	struct pipe_inode_info *pipe;
	__u32 flags = 0;

	pipe = file_pipe(f, &flags, &id, fmode);
	if (pipe)
		pipe_side_begin(s, pipe, flags, &id);
	return pipe;
}

/* A read/write (or iovec variant) on a pipe fd is pipe I/O (is_rw_at_entry()). */
static __always_inline void sys_enter_rw(struct task_ctx *c)
{
	fd_pipe_begin(&c->io, (int)c->args[0], NULL);
}

/*
 * fentry/kprobe tiers: the exit probe of a read/write's pipe function ran, its entry probe
 * did not (the kernel skipped it: on a preemptible kernel another task was preempted inside
 * the same program on this CPU).  The pipe is found from the syscall's fd, as the
 * tracepoint tier does; the occupancy before the call is no longer there to sample, so it is
 * rebuilt from the sample now and the bytes the call moved (exact unless another task moved
 * bytes meanwhile) and the record says so.  Slots before are the slots now.
 */
static __always_inline void recover_skipped_entry(struct task_ctx *c, bool write, __s64 ret)
{
	__u64 ubuf = 0, requested = 0, first_len = 0;
	struct pipe_side *s = &c->io;

	if (!fd_pipe_begin(s, (int)c->args[0], NULL))
		return;
	if (ret > 0 && write)
		s->bytes_before = s->bytes_before > ret ? s->bytes_before - ret : 0;
	else if (ret > 0)
		s->bytes_before += ret;
	s->flags |= EVF_BEFORE_REBUILT;
	rw_buffer(c, &ubuf, &requested, &first_len);
	pipe_io_end(c, write, ret, requested, ubuf, first_len);
	count_recovered();
}

/*
 * The fds a mover reads from and writes to (-1: none).  vmsplice has one fd: the kernel
 * fills the pipe from the iovecs when the fd was opened for writing, else it empties it
 * into them (fs/splice.c vmsplice_type()); decided at entry from the same f_mode.
 */
static __always_inline void mover_fds(struct task_ctx *c, int *in, int *out)
{
	*in = *out = -1;
	switch (c->nr) {
	case NR_splice:			/* fd_in, off_in, fd_out, off_out, len, flags */
	case NR_copy_file_range:	/* fd_in, off_in, fd_out, off_out, len, flags */
		*in = (int)c->args[0];
		*out = (int)c->args[2];
		break;
	case NR_tee:			/* fd_in, fd_out, len, flags */
		*in = (int)c->args[0];
		*out = (int)c->args[1];
		break;
	case NR_sendfile:		/* out_fd, in_fd, offset, count */
		*in = (int)c->args[1];
		*out = (int)c->args[0];
		break;
	}
}

/* splice and friends: every pipe among their fds is sampled, the one read from in c->io,
 * the one written to in c->out. */
static __always_inline void sys_enter_mover(struct task_ctx *c)
{
	__u32 fmode = 0;
	int in, out;

	if (c->nr == NR_vmsplice) {
		struct pipe_side *s = &c->io;

		if (fd_pipe_begin(s, (int)c->args[0], &fmode) && (fmode & FMODE_WRITE)) {
			c->out = *s;
			s->pipe = 0;
		}
		return;
	}
	mover_fds(c, &in, &out);
	if (in >= 0)
		fd_pipe_begin(&c->io, in, NULL);
	if (out >= 0)
		fd_pipe_begin(&c->out, out, NULL);
}

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
 * sys_enter has a stand-in copy too (see stand_in_used()): the tracepoint runs the first
 * copy before it, and the first copy leaves `entered` set, so the stand-in does the work
 * only where the first copy was skipped - whatever happened at the previous sys_exit.
 */
/*
 * Tests only (IPCLAB_EMULATE_SKIPS, set by the loader; 0 removes this code at load time):
 * the kernel's skips made to happen on this kernel, on every 5th syscall of each task.
 * Bits: EMULATE_SKIP_* (bpf/ipclab.h).
 */
extern const volatile __u32 emulate_skips;

static __always_inline bool emulated_skip(struct task_ctx *c, bool at_exit, bool stand_in)
{
	__u32 first = at_exit ? EMULATE_SKIP_EXIT : EMULATE_SKIP_ENTER;
	__u32 both = at_exit ? EMULATE_SKIP_EXIT_BOTH : EMULATE_SKIP_ENTER_BOTH;

	if (!at_exit && !stand_in)
		c->emulated_tick++;
	if (c->emulated_tick % 5)
		return false;
	return (emulate_skips & both) || (!stand_in && (emulate_skips & first));
}

static __always_inline void sys_enter_run(struct pt_regs *regs, long id, bool stand_in)
{
	struct task_ctx *c;

	if (!current_active())
		return;
	c = ctx_get((__u32)bpf_get_current_pid_tgid(), true);
	if (!c)
		return;
	if (emulate_skips && emulated_skip(c, false, stand_in))
		return;
	if (stand_in) {
		if (c->entered) {
			c->entered = 0;
			return;
		}
		count_recovered();
	} else {
		c->entered = 1;
	}
	/* still set: both copies of sys_exit were skipped on the previous syscall */
	if (c->nr >= 0 && syscall_of_interest(c->nr))
		count_dropped(DROP_SKIPPED_SYSCALL, 1);
	c->seen_enter = 1;
	c->nr = id;
	c->ts_enter = bpf_ktime_get_ns();
	/* regs is a BTF-typed argument: plain loads, not one helper call each (this runs on
	 * every traced syscall) */
	syscall_args(regs, c->args);
	c->io_emitted = 0;
	c->io_depth = 0;
	c->io.pipe = 0;
	c->out.pipe = 0;
	c->ts_block = 0;
	if (id == NR_close)
		sys_enter_close(c);
	else if (is_rw_at_entry(id))
		sys_enter_rw(c);
	else if (is_mover_syscall(id))
		sys_enter_mover(c);
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

static __always_inline void sys_exit_pipe_rw(struct task_ctx *c, long ret)
{
	__u64 ubuf = 0, requested = 0, first_len = 0;

	rw_buffer(c, &ubuf, &requested, &first_len);
	pipe_io_end(c, is_write_syscall(c->nr), ret, requested, ubuf, first_len);
}

/*
 * fentry/kprobe tiers: a pipe function's entry probe saw this read/write, but its exit probe
 * did not run (a pipe record clears io.pipe): the kernel skipped it -- on a preemptible
 * kernel another task was preempted inside the same program on this CPU, or a kretprobe
 * had no free instance.  The record is made here as the tracepoint tier makes it, from the
 * entry's sample and the syscall's result; its end time is the syscall's exit.
 */
static __always_inline void sys_exit_recover_rw(struct task_ctx *c, long ret)
{
	sys_exit_pipe_rw(c, ret);
	count_recovered();
}

/*
 * A mover's records, one per pipe: the one it read from (pipe_read), then the one it
 * wrote to (pipe_write).  Both have the call's result as bytes.  requested is the length
 * argument; vmsplice's is the sum of its iovecs.
 */
static __always_inline void sys_exit_mover(struct task_ctx *c, long ret)
{
	__u64 ubuf = 0, requested = 0, first_len = 0;
	int in, out;

	if (c->nr == NR_vmsplice) {
		iov_request(c->args[1], c->args[2], &ubuf, &requested, &first_len);
		in = out = (int)c->args[0];
	} else {
		mover_fds(c, &in, &out);
		requested = c->nr == NR_tee ? c->args[2] : c->nr == NR_sendfile ? c->args[3] :
			    c->args[4];
	}
	if (c->io.pipe)
		pipe_io_emit(c, &c->io, false, in, ret, requested, ubuf, first_len);
	if (c->out.pipe)
		pipe_io_emit(c, &c->out, true, out, ret, requested, ubuf, first_len);
}

/* The pipe an fd-taking syscall worked on, sampled after it returned. */
static __always_inline void syscall_fd_pipe(struct ipclab_event *e, int fd)
{
	struct file *f = fd_file(fd);
	struct pipe_inode_info *pipe = file_pipe(f, (__u32 *)&e->flags, &e->sc.pipe, NULL);

	if (!pipe)
		return;
	pipe_sample(pipe, &e->sc.pipe, (__u32 *)&e->flags);
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

/* The file behind a new mapping: identity, name and filesystem. */
static __always_inline void mmap_file(struct ipclab_event *e, int fd)
{
	struct file *f = fd_file(fd);
	struct inode *inode;

	if (!f)
		return;
	inode = BPF_CORE_READ(f, f_inode);
	e->sc.file_ino = BPF_CORE_READ(inode, i_ino);
	e->sc.file_dev = BPF_CORE_READ(inode, i_sb, s_dev);
	e->sc.file_magic = BPF_CORE_READ(inode, i_sb, s_magic);
	bpf_probe_read_kernel_str(e->sc.path, sizeof(e->sc.path),
				  BPF_CORE_READ(f, f_path.dentry, d_name.name));
}

static __always_inline void syscall_details(struct task_ctx *c, struct ipclab_event *e, long ret)
{
	int fds[2] = { -1, -1 };

	switch (c->nr) {
	case NR_pipe:
	case NR_pipe2:
		if (ret == 0 && !bpf_probe_read_user(fds, sizeof(fds), (void *)c->args[0])) {
			e->sc.fds[0] = fds[0];
			e->sc.fds[1] = fds[1];
			syscall_fd_pipe(e, fds[0]);
		}
		break;
	case NR_close:
		e->sc.pipe = c->closing;
		e->flags |= c->close_flags;
		break;
	case NR_open:
		bpf_probe_read_user_str(e->sc.path, sizeof(e->sc.path), (void *)c->args[0]);
		if (ret >= 0)
			syscall_fd_pipe(e, ret);
		break;
	case NR_openat:
	case NR_mknodat:
	case NR_unlinkat:
		bpf_probe_read_user_str(e->sc.path, sizeof(e->sc.path), (void *)c->args[1]);
		if (c->nr == NR_openat && ret >= 0)
			syscall_fd_pipe(e, ret);
		break;
	case NR_mknod:
	case NR_unlink:
		bpf_probe_read_user_str(e->sc.path, sizeof(e->sc.path), (void *)c->args[0]);
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
		syscall_fd_pipe(e, (int)c->args[0]);
		break;
	case NR_newfstatat:
	case NR_statx:
		bpf_probe_read_user_str(e->sc.path, sizeof(e->sc.path), (void *)c->args[1]);
		if (ret == 0)
			stat_result(e, c->nr == NR_statx ? c->args[4] : c->args[2], c->nr == NR_statx);
		break;
	case NR_mmap:
		/* MAP_ANONYMOUS (0x20) ignores the fd */
		if (ret >= 0 && !(c->args[3] & 0x20))
			mmap_file(e, (int)c->args[4]);
		break;
	case NR_dup:
	case NR_dup2:
	case NR_dup3:
	case NR_fcntl:
	case NR_lseek:
	case NR_read:
	case NR_write:
	case NR_readv:
	case NR_writev:
	case NR_pread64:
	case NR_pwrite64:
	case NR_preadv:
	case NR_pwritev:
	case NR_preadv2:
	case NR_pwritev2:
	case NR_ftruncate:
		syscall_fd_pipe(e, (int)c->args[0]);
		break;
	}
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
 * skips as dropped.  sys_exit: the tracepoint calls its programs in attach order (measured:
 * nothing recovered where nothing was skipped), and the first copy always ends with nr = -1.
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
static __always_inline bool pair_done(__u64 *mark, __u64 key, __u32 works_key)
{
	if (*mark == key) {
		*mark = 0;
		count_recovered_key(works_key + 1);	/* its CLEARS key */
		return true;
	}
	*mark = key;
	count_recovered_key(works_key);
	return false;
}

static __always_inline void sys_exit_run(struct pt_regs *regs, long ret, bool stand_in)
{
	struct ipclab_event *e;
	struct task_ctx *c;

	if (!current_active())
		return;
	c = ctx_get((__u32)bpf_get_current_pid_tgid(), false);
	if (!c)
		return;
	if (emulate_skips && emulated_skip(c, true, stand_in))
		return;
	if (c->nr < 0) {
		/* the first copy ran: it always ends with nr = -1.  Or, for the first copy, this
		 * syscall's entry was not seen although the task's earlier ones were: both copies
		 * of sys_enter were skipped.  (A task's first syscall may have begun before it was
		 * traced: its exec, its fork.) */
		if (!stand_in && c->seen_enter && syscall_of_interest(syscall_nr(regs)))
			count_dropped(DROP_SKIPPED_SYSCALL, 1);
		return;
	}
	stand_in_used(stand_in);
	if (c->io.pipe && is_rw_at_entry(c->nr))
		sys_exit_pipe_rw(c, ret);	/* not reported by a pipe function (fentry/kprobe) */
	else if (c->io.pipe && is_rw_syscall(c->nr))
		sys_exit_recover_rw(c, ret);
	else if ((c->io.pipe || c->out.pipe) && is_mover_syscall(c->nr))
		sys_exit_mover(c, ret);
	else if (!c->io_emitted && syscall_of_interest(c->nr) && (e = event_reserve(EVT_SYSCALL))) {
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
		event_submit(e);
	}
	c->nr = -1;
	c->io.pipe = 0;
	c->out.pipe = 0;
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

#endif /* IPCLAB_BPF_H */
