// SPDX-License-Identifier: GPL-2.0
/*
 * ipclab.bpf.c - the core programs of ipclab's kernel side: syscalls (every one passes
 * through sys_enter/sys_exit), blocking and wake-ups, signals, process lifetime.  The
 * mechanisms' own programs are in mech/NAME/NAME.bpf.c; all share bpf/ipclab.bpf.h and are
 * linked into one object.
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
 * Slots [first, first + count) of a ring of ring_size slots (a power of two), count at most
 * IPCLAB_MAX_SLOTS.  A global function: the verifier checks its loop once per program, not
 * at every place a pipe is sampled, and the same code serves every pipe size.
 */
__noinline __u64 ring_chunk_bytes(__u64 bufs, __u32 first, __u32 count, __u32 ring_size)
{
	__u32 size = bpf_core_type_size(struct pipe_buffer);
	__u32 len_off = bpf_core_field_offset(struct pipe_buffer, len);
	__u32 zero = 0, sum = 0, empty = 0, head_part;
	struct bufs_scratch *sc = bpf_map_lookup_elem(&scratch, &zero);
	__u64 gen;

	if (!sc || !bufs || !count || count > IPCLAB_MAX_SLOTS || size > PIPE_BUF_SIZE_MAX ||
	    !ring_size)
		return OCC_FAILED;
	gen = scratch_claim(sc);
	first &= ring_size - 1;
	head_part = count < ring_size - first ? count : ring_size - first;
	if (copy_slots(sc->b, 0, bufs, first, head_part, size))
		return OCC_FAILED;
	if (count > head_part && copy_slots(sc->b, head_part * size, bufs, 0, count - head_part, size))
		return OCC_FAILED;
	for (__u32 i = 0; i < IPCLAB_MAX_SLOTS; i++) {
		__u32 off = i * size + len_off, len;

		if (i >= count || off > SCRATCH_HALF - 4)
			break;
		len = *(__u32 *)&sc->b[off];
		sum += len;
		empty += len == 0;
	}
	if (!scratch_intact(sc, gen))
		empty++;	/* another task's lens, not ours: sample again, as for a torn one */
	return sum | ((__u64)empty << 32);
}

/* More than IPCLAB_MAX_SLOTS slots (pipes over 1 MiB): chunk by chunk, so the cost follows
 * the slots in use, not the ring's size.  The sum fits: a pipe holds at most 2 GiB. */
__noinline __u64 ring_bytes_large(__u64 bufs, __u32 tail, __u32 n, __u32 ring_size)
{
	__u64 occ = 0, part;

	for (__u32 k = 0; k < IPCLAB_RING_MAX / IPCLAB_MAX_SLOTS; k++) {
		__u32 done = k * IPCLAB_MAX_SLOTS, left = n - done;

		if (done >= n)
			break;
		part = ring_chunk_bytes(bufs, tail + done, left < IPCLAB_MAX_SLOTS ? left :
					IPCLAB_MAX_SLOTS, ring_size);
		if (part & OCC_FAILED)
			return OCC_FAILED;
		occ += part;
	}
	return occ;
}

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


SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	sys_enter_run(regs, id, false);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_stand_in, struct pt_regs *regs, long id)
{
	sys_enter_run(regs, id, true);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	sys_exit_run(regs, ret, false);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_stand_in, struct pt_regs *regs, long ret)
{
	sys_exit_run(regs, ret, true);
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

/* A traced thread went to sleep inside a syscall, or one that slept runs again. */
SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u32 prev_tid = BPF_CORE_READ(prev, pid), next_tid = BPF_CORE_READ(next, pid);
	struct ipclab_event *e;
	struct task_ctx *c;

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
		e->pid = BPF_CORE_READ(next, tgid);
		e->tid = next_tid;
		e->ts_start = c->ts_block;
		e->nr = c->nr;
		e->blk.ts_wake = c->ts_wake;
		e->blk.pipe = c->io.pipe ? c->io.pipe : c->out.pipe;
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
	__u32 tid = BPF_CORE_READ(p, pid), cur_tid;
	struct task_ctx *c, *w;
	__u64 id;

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
		/* a close() that drops the last end wakes the other side from pipe_release */
		c->waker_pipe = w->io.pipe ? w->io.pipe : w->out.pipe ? w->out.pipe :
				(w->nr == NR_close ? w->closing.pipe : 0);
	}
	return 0;
}

SEC("tp_btf/signal_generate")
int BPF_PROG(signal_generate, int sig, struct kernel_siginfo *info, struct task_struct *task,
	     int group, int result)
{
	struct ipclab_event *e;
	__u64 id;

	if (!tgid_active(BPF_CORE_READ(task, tgid)))
		return 0;
	e = event_reserve(EVT_SIGNAL);
	if (!e)
		return 0;
	id = bpf_get_current_pid_tgid();
	e->pid = BPF_CORE_READ(task, tgid);
	e->tid = BPF_CORE_READ(task, pid);
	e->sig.sig = sig;
	e->sig.errno_ = info ? BPF_CORE_READ(info, si_errno) : 0;
	e->sig.code = info ? BPF_CORE_READ(info, si_code) : 0;
	e->sig.result = result;
	e->sig.sender_pid = id >> 32;
	e->sig.sender_tid = (__u32)id;
	/* the sender's syscall, when it is one of ours (write -> SIGPIPE) */
	{
		__u32 tid = (__u32)id;
		struct task_ctx *c = bpf_map_lookup_elem(&tasks, &tid);

		e->nr = c ? c->nr : -1;
	}
	event_submit(e);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 child_tgid = BPF_CORE_READ(child, tgid), child_pid = BPF_CORE_READ(child, pid);
	__u32 state = TRACK_ACTIVE;
	struct ipclab_event *e;

	if (!current_active())
		return 0;
	bpf_map_update_elem(&tracked, &child_tgid, &state, BPF_ANY);
	e = event_reserve(EVT_FORK);
	if (!e)
		return 0;
	e->task.ppid = e->pid;
	e->task.child_pid = child_tgid;
	e->task.child_tid = child_pid;
	if (child_pid != child_tgid)
		e->flags |= EVF_THREAD;
	BPF_CORE_READ_STR_INTO(&e->task.comm, child, comm);
	event_submit(e);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_process_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 *state = bpf_map_lookup_elem(&tracked, &tgid);
	struct ipclab_event *e;

	if (!state)
		return 0;
	*state = TRACK_ACTIVE;	/* a held launch starts being recorded at its exec */
	e = event_reserve(EVT_EXEC);
	if (!e)
		return 0;
	e->task.ppid = BPF_CORE_READ(p, real_parent, tgid);
	BPF_CORE_READ_STR_INTO(&e->task.comm, p, comm);
	bpf_probe_read_kernel_str(e->task.filename, sizeof(e->task.filename),
				  BPF_CORE_READ(bprm, filename));
	e->task.min_flt = BPF_CORE_READ(p, min_flt);
	e->task.maj_flt = BPF_CORE_READ(p, maj_flt);
	event_submit(e);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *p)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = (__u32)id;
	bool group_dead = BPF_CORE_READ(p, signal, live.counter) == 0;
	struct ipclab_event *e;

	bpf_map_delete_elem(&tasks, &tid);
	if (!bpf_map_lookup_elem(&tracked, &tgid))
		return 0;
	e = event_reserve(EVT_EXIT);
	if (e) {
		e->task.exit_code = BPF_CORE_READ(p, exit_code);
		e->task.min_flt = BPF_CORE_READ(p, min_flt);
		e->task.maj_flt = BPF_CORE_READ(p, maj_flt);
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
	return 0;
}

SEC("tp_btf/task_rename")
int BPF_PROG(task_rename, struct task_struct *task, const char *comm)
{
	struct ipclab_event *e;

	if (!tgid_active(BPF_CORE_READ(task, tgid)))
		return 0;
	e = event_reserve(EVT_RENAME);
	if (!e)
		return 0;
	e->pid = BPF_CORE_READ(task, tgid);
	e->tid = BPF_CORE_READ(task, pid);
	bpf_probe_read_kernel_str(e->task.comm, sizeof(e->task.comm), comm);
	event_submit(e);
	return 0;
}
