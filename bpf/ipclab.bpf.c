// SPDX-License-Identifier: GPL-2.0
/*
 * ipclab.bpf.c - the core programs of ipclab's kernel side: syscalls (every one passes
 * through sys_enter/sys_exit), blocking and wake-ups, process lifetime.  The mechanisms'
 * own programs (signal generation and delivery too) are in mech/NAME/NAME.bpf.c; all share
 * bpf/ipclab.bpf.h and are linked into one object.
 */
#include "ipclab.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load (declared in ipclab.bpf.h). */
const volatile __u32 tier = TIER_TRACEPOINT;
const volatile __u64 wakeup_bytes = 256 * 1024;	/* wake the reader once this much waits */
const volatile __u32 batch_bytes = BATCH_MAX;	/* loader: smaller for a small --buffer */
const volatile bool task_by_helpers = false;	/* loader: IPCLAB_EMULATE_OLD_KERNEL (tests) */
const volatile __u32 emulate_skips = 0;

/* The global functions (ipclab.bpf.h): the verifier checks each once, not inline in every
 * program. */

/*
 * The bytes an iovec array asks for: every iovec's length, up to IOV_MAX.  Read into
 * scratch 64 iovecs per helper call; a global function, so the verifier checks its loops
 * once per program.
 */
__noinline __u64 iov_total(__u64 uiov, __u32 cnt)
{
	struct bufs_scratch *sc;
	__u32 zero = 0;
	__u64 total = 0;

	sc = bpf_map_lookup_elem(&scratch, &zero);
	if (!sc)
		return 0;
	scratch_claim(sc);	/* a pipe sample we preempted must not trust its lens */
	for (__u32 k = 0; k < IOV_MAX_SEGS / IOV_CHUNK; k++) {
		__u32 done = k * IOV_CHUNK, n, bytes;

		if (done >= cnt)
			break;
		n = cnt - done < IOV_CHUNK ? cnt - done : IOV_CHUNK;
		bytes = n * IOV_SIZE;
		asm volatile("" : "+r"(bytes));
		bytes &= 2 * IOV_CHUNK * IOV_SIZE - 1;
		if (bpf_probe_read_user(sc->b, bytes, (void *)(uiov + (__u64)done * IOV_SIZE)))
			break;
		for (__u32 i = 0; i < IOV_CHUNK; i++) {
			if (i >= n)
				break;
			total += *(__u64 *)&sc->b[i * IOV_SIZE + 8];
		}
	}
	return total;
}


/* Three copies each (stand_in_used() in ipclab.bpf.h): with two, a 7.2 guest under load
 * still lost one syscall in ~10^5 where tasks were preempted inside both on one CPU. */
SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	sys_enter_run(regs, id, 0);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_stand_in, struct pt_regs *regs, long id)
{
	sys_enter_run(regs, id, 1);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_stand_in2, struct pt_regs *regs, long id)
{
	sys_enter_run(regs, id, 2);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	sys_exit_run(regs, ret, 0);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_stand_in, struct pt_regs *regs, long ret)
{
	sys_exit_run(regs, ret, 1);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_stand_in2, struct pt_regs *regs, long ret)
{
	sys_exit_run(regs, ret, 2);
	return 0;
}

SEC("tp_btf/irq_handler_entry")
int BPF_PROG(irq_enter) { irq_nest(1); return 0; }
SEC("tp_btf/irq_handler_exit")
int BPF_PROG(irq_exit) { irq_nest(-1); return 0; }
SEC("tp_btf/softirq_entry")
int BPF_PROG(softirq_enter) { irq_nest(1); return 0; }
SEC("tp_btf/softirq_exit")
int BPF_PROG(softirq_exit) { irq_nest(-1); return 0; }
SEC("tp_btf/hrtimer_expire_entry")
int BPF_PROG(hrtimer_enter) { irq_nest(1); return 0; }
SEC("tp_btf/hrtimer_expire_exit")
int BPF_PROG(hrtimer_exit) { irq_nest(-1); return 0; }

/*
 * A traced thread went to sleep inside a syscall, or one that slept runs again.  Every
 * context switch of the machine runs this: the tasks' ids are plain loads from the
 * BTF-typed arguments (tp_btf, every supported kernel), not helper calls (~40 ns each).
 * The NULL tests are for 6.13, whose verifier took every raw tracepoint argument for
 * possibly NULL ("bpf: Mark raw_tp arguments with PTR_MAYBE_NULL", reverted in 6.14).
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u32 prev_tid, next_tid;
	struct ipclab_event *e;
	struct task_ctx *c;

	if (!prev || !next)
		return 0;
	prev_tid = prev->pid;
	next_tid = next->pid;

	c = bpf_map_lookup_elem(&tasks, &prev_tid);
	if (c && c->nr >= 0 && !preempt && task_state(prev) != 0) {
		c->ts_block = bpf_ktime_get_ns();
		c->ts_wake = 0;
		c->waker_pid = c->waker_tid = 0;
		c->waker_nr = -1;
		c->waker_pipe = 0;
		c->waker_comm[0] = 0;
	}
	c = bpf_map_lookup_elem(&tasks, &next_tid);
	if (!c || !c->ts_block || c->nr < 0)
		return 0;
	e = event_reserve(EVT_BLOCK);
	if (e) {
		e->pid = next->tgid;
		e->tid = next_tid;
		e->ts_start = c->ts_block;
		e->nr = c->nr;
		e->blk.ts_wake = c->ts_wake;
		e->blk.pipe = mech_task_object(c, false);
		e->blk.waker_pid = c->waker_pid;
		e->blk.waker_tid = c->waker_tid;
		e->blk.waker_nr = c->waker_nr;
		e->blk.waker_pipe = c->waker_pipe;
		__builtin_memcpy(e->blk.waker_comm, c->waker_comm, IPCLAB_COMM_LEN);
		event_submit(e);
	}
	c->ts_block = 0;
	return 0;
}

/* sched_waking runs in the waker's context (sched_wakeup may run on the target CPU). */
SEC("tp_btf/sched_waking")
int BPF_PROG(sched_waking, struct task_struct *p)
{
	__u32 tid, cur_tid;
	struct task_ctx *c, *w;
	__u64 id;

	if (!p)
		return 0;
	tid = p->pid;	/* a plain load, as in sched_switch */

	c = bpf_map_lookup_elem(&tasks, &tid);
	if (!c || !c->ts_block || c->ts_wake)
		return 0;
	c->ts_wake = bpf_ktime_get_ns();
	if (in_irq_context())
		return 0;	/* a timer or device woke it: no task to name */
	id = bpf_get_current_pid_tgid();
	cur_tid = (__u32)id;
	c->waker_pid = id >> 32;
	c->waker_tid = cur_tid;
	bpf_get_current_comm(c->waker_comm, sizeof(c->waker_comm));
	w = bpf_map_lookup_elem(&tasks, &cur_tid);
	if (w) {
		c->waker_nr = w->nr;
		c->waker_pipe = mech_task_object(w, true);
	}
	return 0;
}

/*
 * Process lifetime.  On 7.x these tracepoints run their programs preemptible, so they can be
 * skipped like sys_exit (see stand_in_used() in ipclab.bpf.h; measured on 7.2: one
 * sched_process_exit skipped in a matrix run, and the run then waited for an exit that never
 * came).  A lost fork leaves a child untraced, a lost exec leaves a launch held, a lost exit
 * keeps the process "tracked": each has a stand-in copy.  Both copies run in the same task,
 * one after the other: the first leaves the hit's mark under the task's id and the stand-in
 * takes it, or, finding none, does the work itself (lifecycle_stand_in_done()).  The stand-in
 * looks for the mark before anything else: the first copy's exit may have untracked the
 * process already.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);	/* a mark left by a skipped stand-in ages out */
	__uint(max_entries, 1024);
	__type(key, __u32);			/* tid */
	__type(value, __u64);			/* the hit: the task, child or bprm pointer */
} lifecycle_marks SEC(".maps");

/* Tests: the first copy acts as if skipped (EMULATE_SKIP_LIFECYCLE), or both copies of
 * sched_process_exit (EMULATE_SKIP_PROCESS_EXIT_BOTH). */
static __always_inline bool lifecycle_emulated_skip(bool stand_in, bool is_exit)
{
	if (!stand_in && (emulate_skips & EMULATE_SKIP_LIFECYCLE))
		return true;
	return is_exit && (emulate_skips & EMULATE_SKIP_PROCESS_EXIT_BOTH);
}

/*
 * The stand-in: did the first copy handle this hit?  It takes the mark and counts a clear.
 * Works minus clears is then the number of hits one copy handled alone (the other skipped),
 * which the loader uses to bound the hits both copies missed (both_skipped_max()).
 */
static __always_inline bool lifecycle_stand_in_done(__u64 hit, __u32 works_key)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *mark = bpf_map_lookup_elem(&lifecycle_marks, &tid);

	if (!mark || *mark != hit)
		return false;
	bpf_map_delete_elem(&lifecycle_marks, &tid);
	count_recovered_key(works_key + 1);	/* its CLEARS key */
	return true;
}

/* Called by a copy that is about to do a hit's work: the first leaves its mark for the
 * stand-in; either counts a work. */
static __always_inline void lifecycle_working(bool stand_in, __u64 hit, __u32 works_key)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (!stand_in)
		bpf_map_update_elem(&lifecycle_marks, &tid, &hit, BPF_ANY);
	count_recovered_key(works_key);
}

static __always_inline void process_fork_run(struct task_struct *child, bool stand_in)
{
	__u32 child_tgid = BPF_CORE_READ(child, tgid), child_pid = BPF_CORE_READ(child, pid);
	__u32 state = TRACK_ACTIVE;
	struct ipclab_event *e;

	if (emulate_skips && lifecycle_emulated_skip(stand_in, false))
		return;
	if (stand_in && lifecycle_stand_in_done((__u64)child, RECOVERED_FORK_WORKS))
		return;
	if (!current_active())
		return;
	lifecycle_working(stand_in, (__u64)child, RECOVERED_FORK_WORKS);
	bpf_map_update_elem(&tracked, &child_tgid, &state, BPF_ANY);
	e = event_reserve(EVT_FORK);
	if (!e)
		return;
	e->task.ppid = e->pid;
	e->task.child_pid = child_tgid;
	e->task.child_tid = child_pid;
	if (child_pid != child_tgid)
		e->flags |= EVF_THREAD;
	BPF_CORE_READ_STR_INTO(&e->task.comm, child, comm);
	event_submit(e);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	process_fork_run(child, false);
	return 0;
}

static __always_inline void process_exec_run(struct task_struct *p, struct linux_binprm *bprm,
					     bool stand_in)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct ipclab_event *e;
	__u32 *state;

	if (emulate_skips && lifecycle_emulated_skip(stand_in, false))
		return;
	if (stand_in && lifecycle_stand_in_done((__u64)bprm, RECOVERED_EXEC_WORKS))
		return;
	state = bpf_map_lookup_elem(&tracked, &tgid);
	if (!state)
		return;
	lifecycle_working(stand_in, (__u64)bprm, RECOVERED_EXEC_WORKS);
	*state = TRACK_ACTIVE;	/* a held launch starts being recorded at its exec */
	e = event_reserve(EVT_EXEC);
	if (!e)
		return;
	e->task.ppid = BPF_CORE_READ(p, real_parent, tgid);
	BPF_CORE_READ_STR_INTO(&e->task.comm, p, comm);
	bpf_probe_read_kernel_str(e->task.filename, sizeof(e->task.filename),
				  BPF_CORE_READ(bprm, filename));
	e->task.min_flt = BPF_CORE_READ(p, min_flt);
	e->task.maj_flt = BPF_CORE_READ(p, maj_flt);
	event_submit(e);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_process_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	process_exec_run(p, bprm, false);
	return 0;
}

static __always_inline void process_exit_run(struct task_struct *p, bool stand_in)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = (__u32)id;
	bool group_dead = BPF_CORE_READ(p, signal, live.counter) == 0;
	struct ipclab_event *e;
	struct task_ctx *c;
	__u32 syscalls;

	if (emulate_skips && lifecycle_emulated_skip(stand_in, true))
		return;
	if (stand_in && lifecycle_stand_in_done((__u64)p, RECOVERED_EXIT_WORKS))
		return;
	c = bpf_map_lookup_elem(&tasks, &tid);
	syscalls = c ? c->syscalls : 0;
	if (c && tgid_active(tgid))	/* not after the loader let the process go */
		mech_task_exit(c);
	bpf_map_delete_elem(&tasks, &tid);
	if (!bpf_map_lookup_elem(&tracked, &tgid))
		return;
	lifecycle_working(stand_in, (__u64)p, RECOVERED_EXIT_WORKS);
	e = event_reserve(EVT_EXIT);
	if (e) {
		e->task.exit_code = BPF_CORE_READ(p, exit_code);
		e->task.min_flt = BPF_CORE_READ(p, min_flt);
		e->task.maj_flt = BPF_CORE_READ(p, maj_flt);
		e->task.nvcsw = BPF_CORE_READ(p, nvcsw);
		e->task.nivcsw = BPF_CORE_READ(p, nivcsw);
		e->task.syscalls = syscalls;
		e->task.ppid = BPF_CORE_READ(p, real_parent, tgid);
		BPF_CORE_READ_STR_INTO(&e->task.comm, p, comm);
		if (tid != tgid)
			e->flags |= EVF_THREAD;
		if (group_dead)
			e->flags |= EVF_GROUP_DEAD;
		event_submit(e);
	}
	if (group_dead)
		bpf_map_delete_elem(&tracked, &tgid);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *p)
{
	process_exit_run(p, false);
	return 0;
}

/* The stand-in copies (attached after the first copies, so they run after them). */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork_stand_in, struct task_struct *parent, struct task_struct *child)
{
	process_fork_run(child, true);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_process_exec_stand_in, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	process_exec_run(p, bprm, true);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit_stand_in, struct task_struct *p)
{
	process_exit_run(p, true);
	return 0;
}

/*
 * A lane's name (prctl(PR_SET_NAME), a write to /proc/PID/comm).  Preemptible on 7.x like the
 * lifetime tracepoints, and as needed: a lost rename leaves the lane under its old name, and
 * every claim that finds a process by its role misses it (measured on 7.2, kprobe tier, in a
 * matrix run: pipe_atomic's reader stayed "pipe_atomic").  So it has a stand-in copy too.
 */
static __always_inline void task_rename_run(struct task_struct *task, const char *comm,
					    bool stand_in)
{
	struct ipclab_event *e;

	if (emulate_skips && lifecycle_emulated_skip(stand_in, false))
		return;
	if (stand_in && lifecycle_stand_in_done((__u64)task, RECOVERED_RENAME_WORKS))
		return;
	if (!tgid_active(BPF_CORE_READ(task, tgid)))
		return;
	lifecycle_working(stand_in, (__u64)task, RECOVERED_RENAME_WORKS);
	e = event_reserve(EVT_RENAME);
	if (!e)
		return;
	e->pid = BPF_CORE_READ(task, tgid);
	e->tid = BPF_CORE_READ(task, pid);
	bpf_probe_read_kernel_str(e->task.comm, sizeof(e->task.comm), comm);
	event_submit(e);
}

SEC("tp_btf/task_rename")
int BPF_PROG(task_rename, struct task_struct *task, const char *comm)
{
	task_rename_run(task, comm, false);
	return 0;
}

SEC("tp_btf/task_rename")
int BPF_PROG(task_rename_stand_in, struct task_struct *task, const char *comm)
{
	task_rename_run(task, comm, true);
	return 0;
}
