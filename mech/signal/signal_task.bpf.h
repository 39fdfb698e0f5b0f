/* SPDX-License-Identifier: GPL-2.0 */
/*
 * signal_task.bpf.h - what one traced thread's rt_sigprocmask or rt_sigaction keeps between
 * its entry and its exit (a part of the core's struct task_ctx, through mech/registry.bpf.h).
 */
#ifndef IPCLAB_SIGNAL_TASK_BPF_H
#define IPCLAB_SIGNAL_TASK_BPF_H

struct signal_task {
	__u64 set;		/* rt_sigprocmask: *set; rt_sigaction: act->sa_mask */
	__u64 blocked_before;	/* the thread's blocked mask at entry */
	__u64 handler;		/* rt_sigaction: act->sa_handler */
	__u64 sa_flags;		/* rt_sigaction: act->sa_flags */
	__u32 valid;		/* SIGSC_* (bpf/ipclab.h) */
	__u32 pad;
};

#endif
