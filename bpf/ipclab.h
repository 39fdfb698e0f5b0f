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
	EVT_SOCK_IO = 15,	/* send/receive on a Unix domain socket (mech/unix), at return */
	EVT_SIGNAL_DELIVER = 16,	/* signal:signal_deliver in a traced thread (mech/signal) */
	/* mech/mqueue */
	EVT_MQ_IO = 17,		/* mq_timedsend/mq_timedreceive on a POSIX message queue, at return */
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
#define EVF_SOCK	(1u << 12)	/* syscall: sc.sock (a Unix socket), not sc.pipe, is filled */
#define EVF_PEEK	(1u << 13)	/* socket receive with MSG_PEEK: nothing was consumed */

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

/* Identity, link and limits of one Unix domain socket (struct sock), sampled at one instant.
 * The same size as struct ipclab_pipe: the two share a place in struct ipclab_syscall. */
struct ipclab_sock {
	__u64 sock;		/* struct sock address: identity while the socket lives */
	__u64 peer;		/* unix_peer(sk): the connected other end, 0 if none */
	__u64 ino;		/* the socket's sockfs inode */
	__u16 type;		/* SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5 */
	__u8 state;		/* skc_state: TCP_ESTABLISHED 1, TCP_CLOSE 7, TCP_LISTEN 10 */
	__u8 shutdown;		/* sk_shutdown: RCV_SHUTDOWN 1 | SEND_SHUTDOWN 2 */
	__u32 sndbuf;		/* sk_sndbuf */
	__u32 rcvbuf;		/* sk_rcvbuf */
	__u32 max_qlen;		/* sk_max_ack_backlog: a datagram receiver's queue limit (skbs),
				 * or a listener's backlog */
};

/*
 * rt_sigprocmask and rt_sigaction (mech/signal): what they asked for and what the thread's
 * blocked mask was around them.  Signal sets are the first word of the kernel's sigset_t
 * (bit sig-1; 64 signals on every architecture ipclab builds for).  No larger than struct
 * ipclab_pipe: the two share a place in struct ipclab_syscall.
 */
struct ipclab_sig_syscall {
	__u64 set;		/* rt_sigprocmask: *set as read at entry; rt_sigaction: the new
				 * action's sa_mask */
	__u64 blocked_before;	/* the caller's blocked mask at entry (= what *oldset gets) */
	__u64 blocked_after;	/* ... at exit */
	__u64 handler;		/* rt_sigaction: the new action's sa_handler (0 SIG_DFL, 1 SIG_IGN) */
	__u64 sa_flags;		/* rt_sigaction: the new action's sa_flags */
	__s32 how;		/* rt_sigprocmask: SIG_BLOCK 0, SIG_UNBLOCK 1, SIG_SETMASK 2 */
	__u32 valid;		/* SIGSC_* (below): which fields were read */
};

#define SIGSC_SET	(1u << 0)	/* set (rt_sigprocmask's set was not NULL and readable) */
#define SIGSC_ACT	(1u << 1)	/* handler, sa_flags and set (rt_sigaction's act) */
#define SIGSC_BLOCKED	(1u << 2)	/* blocked_before and blocked_after */

/*
 * POSIX message queues (mech/mqueue): one struct mqueue_inode_info sampled at one instant.
 * No larger than struct ipclab_pipe: the two share a place in struct ipclab_syscall (the mq_*
 * syscalls' records carry it, by syscall number).
 */
struct ipclab_mq {
	__u64 queue;		/* struct mqueue_inode_info address: identity while it lives */
	__u64 ino;
	__u64 bytes;		/* qsize: the bytes of the queued messages */
	__u32 dev;
	__u32 msgs;		/* attr.mq_curmsgs */
	__u32 maxmsg;		/* attr.mq_maxmsg */
	__u32 msgsize;		/* attr.mq_msgsize */
	__u32 notify_pid;	/* the mq_notify registration's process (notify_owner), 0: none */
	__u32 waiters;		/* MQW_*: a sender / a receiver sleeps on the queue */
};

#define MQW_SENDER	(1u << 0)	/* e_wait_q[SEND] is not empty */
#define MQW_RECEIVER	(1u << 1)	/* e_wait_q[RECV] is not empty */

struct ipclab_syscall {
	__u64 args[6];
	__s64 ret;
	union {
		struct ipclab_pipe pipe;	/* when an fd argument is a pipe end (pipe.pipe != 0) */
		struct ipclab_sock sock;	/* EVF_SOCK: when it is a Unix socket */
		struct ipclab_sig_syscall sigsc;	/* rt_sigprocmask, rt_sigaction (by nr) */
		struct ipclab_mq mq;		/* mq_open (the fd returned), mq_notify,
						 * mq_getsetattr (by nr; queue 0: not a queue) */
	};
	__s32 fds[2];			/* pipe/pipe2 results */
	char path[IPCLAB_PATH_LEN];	/* openat/mknodat/unlinkat/stat path; mmap: file name */
	__u64 file_ino;			/* mmap: the mapped file (0: anonymous) */
	__u32 file_dev;
	__u32 file_magic;		/* its filesystem's magic (tmpfs/shmem: 0x01021994) */
	__u32 stat_mode;		/* stat family: st_mode / stx_mode as returned */
	__u32 pad;
	__u64 stat_size;		/* stat family: st_size */
};

/*
 * A send or receive on a Unix domain socket (EVT_SOCK_IO).  The queue is the receiving
 * socket's sk_receive_queue: the peer's for a send, the caller's own for a receive.  Bytes are
 * skb lengths less what a partial stream read already consumed (UNIXCB(skb).consumed), summed
 * over every queued skb (for datagrams too, where SIOCINQ reports only the next one).  The
 * charge is the sending socket's sk_wmem_alloc - 1 (SIOCOUTQ): the caller's for a send, its
 * peer's for a receive.
 */
struct ipclab_sock_io {
	struct ipclab_sock s;		/* the socket the call was made on, when it returned */
	__u64 queue;			/* the sock whose receive queue was sampled, 0: unknown */
	__u32 occ_before;		/* bytes queued when the call entered the kernel */
	__u32 occ_after;		/* ... when it returned */
	__u32 skbs_before;		/* skbs queued (sk_receive_queue.qlen) */
	__u32 skbs_after;
	__u32 queue_max;		/* the queue owner's sk_max_ack_backlog */
	__u32 wmem_before;		/* the sender's charge (SIOCOUTQ) at entry */
	__u32 wmem_after;
	__u32 wmem_max;			/* the sender's sk_sndbuf */
	__s32 fd;
	__u32 write;			/* 0 receive, 1 send */
	__u64 requested;
	__s64 result;			/* bytes sent or received, or -errno */
	__u32 data_len;			/* bytes valid in head[] (and in tail[]) */
	__u32 pad;
	__u8 head[IPCLAB_DATA_LEN];
	__u8 tail[IPCLAB_DATA_LEN];
};

/*
 * A send or receive on a POSIX message queue (EVT_MQ_IO, mech/mqueue): the queue when the
 * call returned, and its count, bytes and waiters when it entered the kernel.
 */
struct ipclab_mq_io {
	struct ipclab_mq after;		/* the queue when the call returned */
	__u64 bytes_before;		/* qsize at entry */
	__u32 msgs_before;		/* mq_curmsgs at entry */
	__u32 waiters_before;		/* MQW_* at entry */
	__u32 notify_pid_before;	/* notify_owner's pid at entry */
	__s32 fd;
	__u32 write;			/* 0 receive, 1 send */
	__u32 prio;			/* send: msg_prio; receive: the priority returned (result >= 0) */
	__u64 requested;		/* msg_len: a send's message size, a receive's buffer size */
	__s64 result;			/* send: 0; receive: the message's size; or -errno */
	__u32 data_len;			/* bytes valid in head[] (and in tail[]) */
	__u32 timed;			/* an abs_timeout was given */
	__u8 head[IPCLAB_DATA_LEN];
	__u8 tail[IPCLAB_DATA_LEN];
};

struct ipclab_block {
	__u64 ts_wake;			/* when the waker made the task runnable (0: unknown) */
	__u64 pipe;			/* object the sleeper was reading/writing (a pipe's
					 * pipe_inode_info or a socket's struct sock), 0 if none */
	__u32 waker_pid;		/* 0: woken from interrupt/idle context (timer, ...) */
	__u32 waker_tid;
	__s32 waker_nr;			/* syscall the waker was in, -1 if none */
	__u32 pad;
	__u64 waker_pipe;		/* object the waker was operating on, 0 if none */
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

/* signal:signal_deliver: a traced thread takes a signal from its queue, its action about to
 * run (the event's pid/tid are the thread's).  The kernel traces it before it looks at the
 * action, so SIG_IGN and SIG_DFL deliveries are recorded too. */
struct ipclab_signal_deliver {
	__s32 sig;
	__s32 code;			/* si_code: SI_USER 0, SI_QUEUE -1, SI_TKILL -6, CLD_EXITED 1 */
	__u64 handler;			/* ka->sa.sa_handler: 0 SIG_DFL, 1 SIG_IGN, else the address */
	__u64 sa_flags;			/* ka->sa.sa_flags (SA_RESTART, SA_SIGINFO, ...) */
	__u64 blocked;			/* the thread's blocked mask when it took the signal */
	__u64 pending;			/* what is still pending for it, its own and its process's
					 * (a real-time signal stays pending while more are queued) */
	__s64 value;			/* si_value.sival_int (SI_QUEUE, SI_TIMER, SI_MESGQ; SIGCHLD:
					 * si_status) */
	__u32 sender_pid;		/* si_pid for SI_USER, SI_QUEUE, SI_TKILL and SIGCHLD */
	__u32 pad;
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
	__u64 nvcsw;			/* exit: the thread's voluntary context switches */
	__u64 nivcsw;			/* exit: and involuntary ones (preempted) */
	__u64 syscalls;			/* exit: the syscalls it began while traced */
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
		struct ipclab_sock_io sk;
		struct ipclab_mq_io mq;
		struct ipclab_syscall sc;
		struct ipclab_block blk;
		struct ipclab_signal sig;
		struct ipclab_signal_deliver sd;
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
	case EVT_SOCK_IO:
		return IPCLAB_EVENT_SIZE(sk);
	case EVT_MQ_IO:
		return IPCLAB_EVENT_SIZE(mq);
	case EVT_BLOCK:
		return IPCLAB_EVENT_SIZE(blk);
	case EVT_SIGNAL:
		return IPCLAB_EVENT_SIZE(sig);
	case EVT_SIGNAL_DELIVER:
		return IPCLAB_EVENT_SIZE(sd);
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
	DROP_SKIPPED_SYSCALL = 2,	/* every copy of sys_enter or sys_exit skipped */
	DROP_SKIPPED_FAULT = 3,		/* both fexit_handle_mm_fault copies skipped a completed fault */
	DROP_REASONS
};

/* emulate_skips (tests): which copies of sys_enter/sys_exit and of the process-lifetime
 * tracepoints act as if the kernel skipped them */
enum ipclab_emulate_skip {
	EMULATE_SKIP_ENTER = 1,		/* sys_enter's first copy */
	EMULATE_SKIP_ENTER_ALL = 2,	/* all three copies of sys_enter */
	EMULATE_SKIP_EXIT = 4,		/* sys_exit's first copy */
	EMULATE_SKIP_EXIT_ALL = 8,	/* all three copies of sys_exit */
	EMULATE_SKIP_LIFECYCLE = 16,	/* the first copies of sched_process_fork/exec/exit and task_rename */
	EMULATE_SKIP_PROCESS_EXIT_BOTH = 32,	/* both copies of sched_process_exit */
	EMULATE_SKIP_ENTER_TWO = 64,	/* sys_enter's first two copies */
	EMULATE_SKIP_EXIT_TWO = 128,	/* sys_exit's first two copies */
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
	RECOVERED_FORK_WORKS = 5,	/* sched_process_fork + its stand-in */
	RECOVERED_FORK_CLEARS = 6,
	RECOVERED_EXEC_WORKS = 7,	/* sched_process_exec + its stand-in */
	RECOVERED_EXEC_CLEARS = 8,
	RECOVERED_EXIT_WORKS = 9,	/* sched_process_exit + its stand-in */
	RECOVERED_EXIT_CLEARS = 10,
	RECOVERED_RENAME_WORKS = 11,	/* task_rename + its stand-in */
	RECOVERED_RENAME_CLEARS = 12,
	RECOVERED_KEYS
};

/* Per-process filter state in the `tracked` map. */
enum ipclab_track_state {
	TRACK_PENDING = 1,	/* launched, held before exec: nothing it does is recorded */
	TRACK_ACTIVE = 2,	/* exec'd (or forked from an active process): recorded */
};

#endif /* IPCLAB_H */
