// SPDX-License-Identifier: GPL-2.0
/*
 * signal.bpf.c - signals: generation (signal:signal_generate) and delivery
 * (signal:signal_deliver) in traced processes.  Both are tracepoints, attached in every
 * tier: the fentry, kprobe and tracepoint tiers record the same events.  The signal syscalls
 * go through the core's sys_enter/sys_exit (signal.bpf.h).
 */
#include "ipclab.bpf.h"

/* A signal was generated for a traced thread or process (the record's pid/tid: the target's
 * lane; the sender is whoever runs).  result is the kernel's TRACE_SIGNAL_* verdict
 * (include/trace/events/signal.h): delivered, ignored, already_pending, overflow_fail,
 * lose_info. */
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

/* SEND_SIG_NOINFO (0) and SEND_SIG_PRIV (1) are not pointers to a siginfo */
#define SIGNAL_INFO_PTR(info) ((unsigned long)(info) > 1)

/*
 * A traced thread takes a signal off its queue (get_signal()), before the kernel acts on it:
 * the action ka is the one that will run (a handler, or SIG_DFL/SIG_IGN).  Runs in the
 * thread itself, on its way back to user mode: after the sys_exit of a syscall the signal
 * interrupted (mech/signal/NOTES.md).
 */
SEC("tp_btf/signal_deliver")
int BPF_PROG(signal_deliver, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct ipclab_event *e;

	if (!current_active())
		return 0;
	e = event_reserve(EVT_SIGNAL_DELIVER);
	if (!e)
		return 0;
	e->sd.sig = sig;
	e->sd.code = 0;
	e->sd.value = 0;
	e->sd.sender_pid = 0;
	e->sd.pad = 0;
	if (SIGNAL_INFO_PTR(info)) {
		e->sd.code = BPF_CORE_READ(info, si_code);
		e->sd.sender_pid = BPF_CORE_READ(info, _sifields._rt._pid);
		e->sd.value = BPF_CORE_READ(info, _sifields._rt._sigval.sival_int);
	}
	e->sd.handler = (__u64)BPF_CORE_READ(ka, sa.sa_handler);
	e->sd.sa_flags = BPF_CORE_READ(ka, sa.sa_flags);
	e->sd.blocked = BPF_CORE_READ(t, blocked.sig[0]);
	/* after this signal was dequeued: what else waits (the thread's and the process's) */
	e->sd.pending = BPF_CORE_READ(t, pending.signal.sig[0]) |
			BPF_CORE_READ(t, signal, shared_pending.signal.sig[0]);
	event_submit(e);
	return 0;
}
