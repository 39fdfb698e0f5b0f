/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ipclab.h - the event records shared by the BPF probes (bpf/) and the loader (user/).
 *
 * This header is the contract between kernel and user side: every probe tier fills the
 * same records, so everything after the ring buffer is tier-agnostic.  Keep it free of
 * kernel or libc headers so both sides can include it (vmlinux.h or linux/types.h first).
 */
#ifndef IPCLAB_H
#define IPCLAB_H

#define IPCLAB_COMM_LEN 16
#define IPCLAB_DATA_LEN 16	/* bytes sampled from the start and the end of each copy */
#define IPCLAB_PATH_LEN 64
#define IPCLAB_MAX_SLOTS 256	/* slots summed per helper call of an occupancy sample */
#define IPCLAB_RING_MAX (1u << 19)	/* slots of the largest pipe: 2 GiB (fs/pipe.c
					 * round_pipe_size) in 4 KiB pages */

/* Probe tiers, in the order `auto` tries them. */
enum ipclab_tier {
	TIER_AUTO = 0,
	TIER_FENTRY = 1,
	TIER_KPROBE = 2,
	TIER_TRACEPOINT = 3,
};

enum ipclab_event_type {
	EVT_PIPE_IO = 1,	/* read/write on a pipe or FIFO, emitted when it returns */
	EVT_SYSCALL = 2,	/* another syscall of interest, emitted when it returns */
	EVT_BLOCK = 3,		/* a task slept inside a syscall; emitted when it runs again */
	EVT_SIGNAL = 4,		/* signal:signal_generate for a traced target */
	EVT_FORK = 5,
	EVT_EXEC = 6,
	EVT_EXIT = 7,
	EVT_RENAME = 8,		/* prctl(PR_SET_NAME) and friends: a lane changes its name */
	EVT_FAULT = 9,		/* user page fault (exceptions:page_fault_user; arm64: the
				 * page-faults perf event) */
	EVT_PAGE_CACHE = 10,	/* filemap:mm_filemap_add_to_page_cache */
	EVT_DIRTY = 11,		/* writeback:writeback_dirty_folio */
	EVT_FAULT_AROUND = 12,	/* filemap:mm_filemap_map_pages: pages mapped without faulting */
	EVT_WRITEBACK = 13,	/* writeback:sb_mark_inode_writeback: a file went under writeback */
	EVT_FAULT_RESULT = 14,	/* fentry/kprobe tiers: handle_mm_fault's verdict on a fault */
};

/* ipclab_event.flags */
#define EVF_NONBLOCK	(1u << 0)	/* the file had O_NONBLOCK */
#define EVF_FIFO	(1u << 1)	/* the pipe is a FIFO (not on pipefs) */
#define EVF_THREAD	(1u << 2)	/* fork/exit of a thread, not a process */
#define EVF_TRUNC	(1u << 3)	/* occupancy bytes not summed (cannot happen on x86_64) */
#define EVF_LAST_REF	(1u << 4)	/* close() dropped the last reference to the file */
#define EVF_FMODE_READ	(1u << 5)	/* the fd was a read end */
#define EVF_FMODE_WRITE	(1u << 6)	/* the fd was a write end */
#define EVF_GROUP_DEAD	(1u << 7)	/* exit: the whole thread group is gone */
#define EVF_KERNEL_MODE	(1u << 8)	/* fault: taken in the kernel on a user address */
#define EVF_NOFAULT	(1u << 9)	/* fault: taken with page faults disabled, not handled */
#define EVF_TORN	(1u << 10)	/* pipe I/O: a sample kept changing under the probe */
#define EVF_BEFORE_REBUILT (1u << 11)	/* pipe I/O: entry probe skipped, before = after -/+ bytes */

/*
 * Syscall numbers ipclab decodes, per architecture (the loader names the rest from the
 * number: user/names.c).  The BPF object is compiled with -D__TARGET_ARCH_<arch>, the loader
 * by a compiler for that architecture (cmake/arch.cmake), so both see the same table.
 *
 * arm64 has the generic table (include/uapi/asm-generic/unistd.h, with __ARCH_WANT_NEW_STAT
 * for fstat/newfstatat): only the *at, pipe2 and dup3 forms.  The calls it lacks get
 * NR_ABSENT(x86 number): never a syscall number (those are below 1024), distinct from each
 * other so that switch statements over NR_* still compile, and never equal to a task's nr.
 */
#define NR_ABSENT(n)	(1000000 + (n))

#if defined(__TARGET_ARCH_arm64) || (!defined(__TARGET_ARCH_x86) && defined(__aarch64__))
#include "syscalls_arm64.h"
#elif defined(__TARGET_ARCH_x86) || defined(__x86_64__)
#include "syscalls_x86_64.h"
#else
#error "ipclab supports x86_64 and arm64 only (cmake/arch.cmake)"
#endif

/* The syscall glibc makes for a call whose plain form the architecture lacks: what the lab
 * programs' unlink() is on the wire, for the claims (user/claims_*.c). */
#define NR_unlink_libc	(NR_unlink < NR_ABSENT(0) ? NR_unlink : NR_unlinkat)

/* Identity and state of one pipe_inode_info, sampled at one instant. */
struct ipclab_pipe {
	__u64 pipe;		/* kernel address: identity while the pipe lives */
	__u64 ino;
	__u32 dev;
	__u32 ring_size;	/* slots allocated */
	__u32 max_usage;	/* slots a writer may fill: "full" when slots >= this */
	__u32 readers;
	__u32 writers;
	__u32 bytes;		/* sum of bufs[].len from tail to head (= FIONREAD) */
	__u32 slots;		/* head - tail */
	__u32 pad;
};

struct ipclab_pipe_io {
	struct ipclab_pipe after;	/* state when the call returned */
	__u32 bytes_before;		/* occupancy when the call entered the kernel */
	__u32 slots_before;
	__s32 fd;
	__u32 write;			/* 0 read, 1 write (splice and tee: one record per pipe) */
	__u64 requested;
	__s64 result;			/* bytes copied, or -errno */
	__u32 data_len;			/* bytes valid in head[] (and in tail[]) */
	__u32 pad;
	__u8 head[IPCLAB_DATA_LEN];	/* first bytes copied */
	__u8 tail[IPCLAB_DATA_LEN];	/* last bytes copied */
};

struct ipclab_syscall {
	__u64 args[6];
	__s64 ret;
	struct ipclab_pipe pipe;	/* when an fd argument is a pipe end (pipe.pipe != 0) */
	__s32 fds[2];			/* pipe/pipe2 results */
	char path[IPCLAB_PATH_LEN];	/* openat/mknodat/unlinkat/stat path; mmap: file name */
	__u64 file_ino;			/* mmap: the mapped file (0: anonymous) */
	__u32 file_dev;
	__u32 file_magic;		/* its filesystem's magic (tmpfs/shmem: 0x01021994) */
	__u32 stat_mode;		/* stat family: st_mode / stx_mode as returned */
	__u32 pad;
	__u64 stat_size;		/* stat family: st_size */
};

struct ipclab_block {
	__u64 ts_wake;			/* when the waker made the task runnable (0: unknown) */
	__u64 pipe;			/* pipe the sleeper was reading/writing, 0 if none */
	__u32 waker_pid;		/* 0: woken from interrupt/idle context (timer, ...) */
	__u32 waker_tid;
	__s32 waker_nr;			/* syscall the waker was in, -1 if none */
	__u32 pad;
	__u64 waker_pipe;		/* pipe the waker was operating on, 0 if none */
	char waker_comm[IPCLAB_COMM_LEN];
};

struct ipclab_signal {
	__s32 sig;
	__s32 errno_;
	__s32 code;
	__s32 result;			/* TRACE_SIGNAL_*: 0 delivered, 1 ignored, ... */
	__u32 sender_pid;		/* the event's pid/tid are the target's (its lane) */
	__u32 sender_tid;
};

struct ipclab_fault {
	__u64 addr;
	__u64 error_code;		/* x86's encoding: 1 present, 2 write, 4 user, 16 instruction
					 * fetch (arm64: made from the perf event, ipclab.bpf.c
					 * page_fault_perf) */
	__u64 ip;
	__u32 result;			/* EVT_FAULT_RESULT: vm_fault_t (VM_FAULT_MAJOR = 4) */
	__u32 pad;
};

/* page cache, dirty, fault-around, writeback: a file's pages */
struct ipclab_filepage {
	__u64 ino;
	__u32 dev;
	__u32 pad;
	__u64 index;			/* page index in the file */
	__u64 last_index;		/* fault-around: last page mapped */
};

struct ipclab_task {
	__u32 ppid;			/* fork: parent tgid */
	__u32 child_pid;		/* fork: child tgid / tid */
	__u32 child_tid;
	__s32 exit_code;		/* exit: wait status (code << 8 | signal) */
	char comm[IPCLAB_COMM_LEN];
	char filename[IPCLAB_PATH_LEN];	/* exec: the program */
	__u64 min_flt;			/* exec/exit: the kernel's own fault counters */
	__u64 maj_flt;
};

struct ipclab_event {
	__u64 ts;		/* ns, CLOCK_MONOTONIC; for spans: when the call returned */
	__u64 ts_start;		/* spans: when the call began / the task slept; else == ts */
	__u32 pid;		/* tgid */
	__u32 tid;
	__u16 type;		/* enum ipclab_event_type */
	__u16 flags;		/* EVF_* */
	__s32 nr;		/* syscall the task was in; -1 if none */
	union {
		struct ipclab_pipe_io io;
		struct ipclab_syscall sc;
		struct ipclab_block blk;
		struct ipclab_signal sig;
		struct ipclab_task task;
		struct ipclab_fault fault;
		struct ipclab_filepage fp;
	};
};

/*
 * A record is as long as its type needs (a pipe read/write: 152 bytes, not the union's 240):
 * batches and the ring buffer hold more events and the loader copies less.  The loader
 * reads records back with the same sizes and zero-fills the rest.  In BPF, type is a
 * constant at every call site, so this folds to a constant.
 */
#define IPCLAB_EVENT_SIZE(member) \
	(__builtin_offsetof(struct ipclab_event, member) + sizeof(((struct ipclab_event *)0)->member))

static inline __attribute__((always_inline)) __u32 event_size(__u16 type)
{
	switch (type) {
	case EVT_PIPE_IO:
		return IPCLAB_EVENT_SIZE(io);
	case EVT_BLOCK:
		return IPCLAB_EVENT_SIZE(blk);
	case EVT_SIGNAL:
		return IPCLAB_EVENT_SIZE(sig);
	case EVT_FAULT:
	case EVT_FAULT_RESULT:
		return IPCLAB_EVENT_SIZE(fault);
	case EVT_PAGE_CACHE:
	case EVT_DIRTY:
	case EVT_FAULT_AROUND:
	case EVT_WRITEBACK:
		return IPCLAB_EVENT_SIZE(fp);
	case EVT_FORK:
	case EVT_EXEC:
	case EVT_EXIT:
	case EVT_RENAME:
		return IPCLAB_EVENT_SIZE(task);
	default:
		return sizeof(struct ipclab_event);
	}
}

/* Per-CPU batches of records (bpf/ipclab.bpf.c event_reserve()): what the ring buffer
 * carries, one batch per sample, and what the loader collects from the `batches` map at the
 * end of a recording. */
#define IPCLAB_BATCH_LEVELS 3		/* per CPU: a program, one interrupting or preempting it,
					 * and an interrupt of that one */
#define IPCLAB_BATCH_MAX (64 * 1024)
#define IPCLAB_RECORD_MAX 256		/* > sizeof(struct ipclab_event) */

struct ipclab_batch {
	__u32 len;			/* bytes of records in data */
	__u32 count;			/* records in data */
	__u64 busy;			/* 1 while a program writes a record here (64 bits: the
					 * compare-and-swap every BPF target has) */
	__u8 data[IPCLAB_BATCH_MAX + IPCLAB_RECORD_MAX];	/* + one record: the verifier's bound */
};

/* Why records were dropped: the keys of the `dropped` map (meta.dropped is their sum). */
enum ipclab_drop {
	DROP_RING_FULL = 0,		/* the ring buffer had no room for a batch */
	DROP_BUSY = 1,			/* every batch of the CPU was being written */
	DROP_SKIPPED_SYSCALL = 2,	/* both copies of sys_enter or sys_exit skipped */
	DROP_REASONS
};

/* emulate_skips (tests): which copies of sys_enter/sys_exit act as if the kernel skipped them */
enum ipclab_emulate_skip {
	EMULATE_SKIP_ENTER = 1,		/* sys_enter's first copy */
	EMULATE_SKIP_ENTER_BOTH = 2,	/* both copies of sys_enter */
	EMULATE_SKIP_EXIT = 4,		/* sys_exit's first copy */
	EMULATE_SKIP_EXIT_BOTH = 8,	/* both copies of sys_exit */
};

/* Keys of the `recovered` map: records made although the kernel skipped a program. */
enum ipclab_recovered {
	RECOVERED_RECORDS = 0,		/* made by a stand-in or the other pipe probe */
	/* per symmetric pair of copies (pair_done()): hits a copy handled, and hits a copy
	 * found handled by the other; works - clears = hits one copy handled alone */
	RECOVERED_AROUND_WORKS = 1,	/* fault_around + fault_around_stand_in */
	RECOVERED_AROUND_CLEARS = 2,
	RECOVERED_RESULT_WORKS = 3,	/* fexit_handle_mm_fault + its stand-in */
	RECOVERED_RESULT_CLEARS = 4,
	RECOVERED_KEYS
};

/* Per-process filter state in the `tracked` map. */
enum ipclab_track_state {
	TRACK_PENDING = 1,	/* launched, held before exec: nothing it does is recorded */
	TRACK_ACTIVE = 2,	/* exec'd (or forked from an active process): recorded */
};

#endif /* IPCLAB_H */
