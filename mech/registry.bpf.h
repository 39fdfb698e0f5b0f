/* SPDX-License-Identifier: GPL-2.0 */
/*
 * registry.bpf.h - the BPF side's list of mechanisms, part 2: the hooks the core's
 * sys_enter/sys_exit, sched_switch and sched_waking call (declared in bpf/ipclab.bpf.h),
 * each calling every mechanism that has one.  Included at the end of bpf/ipclab.bpf.h, so a
 * mechanism's hooks may use every core helper.  All inline: every syscall still passes
 * through one sys_enter and one sys_exit program.
 */
#ifndef IPCLAB_REGISTRY_BPF_H
#define IPCLAB_REGISTRY_BPF_H

#include "pipe/pipe.bpf.h"
#include "mmap/mmap.bpf.h"
#include "unix/unix.bpf.h"
#include "signal/signal.bpf.h"
#include "shm/shm.bpf.h"	/* System V shared memory (mech/shm) */
#include "mqueue/mqueue.bpf.h"

/* A syscall began (after the core recorded its number and arguments).  An fd is one
 * mechanism's: the first that claims it, the others skip it. */
static __always_inline void mech_sys_enter(struct task_ctx *c)
{
	bool claimed = pipe_sys_enter(c);

	unix_sys_enter(c, claimed);
	signal_sys_enter(c);
	mqueue_sys_enter(c);	/* its own syscalls: no other mechanism claims them */
}

/* A syscall no mechanism looks at began (sys_enter_run() skips mech_sys_enter()): only the
 * resets, so that no object of an earlier syscall is taken for this one's. */
static __always_inline void mech_sys_enter_none(struct task_ctx *c)
{
	pipe_sys_enter_reset(c);
	unix_sys_enter_reset(c);
	mqueue_sys_enter_reset(c);
}

/* A syscall returns: true when a mechanism made its record (the core makes none). */
static __always_inline bool mech_sys_exit(struct task_ctx *c, long ret)
{
	if (pipe_sys_exit(c, ret) || mqueue_sys_exit(c, ret))
		return true;
	return unix_sys_exit(c, ret);
}

/* A traced thread exits (its task context still there). */
static __always_inline void mech_task_exit(struct task_ctx *c)
{
	mmap_task_exit(c);
}

/* Syscalls a mechanism wants reported as EVT_SYSCALL. */
static __always_inline bool mech_syscall_of_interest(__s32 nr)
{
	return unix_syscall_of_interest(nr) || signal_syscall_of_interest(nr) ||
	       shm_syscall_of_interest(nr) ||	/* mech/shm */
	       mq_syscall_of_interest(nr);	/* mech/mqueue */
}

/* An EVT_SYSCALL record's mechanism details: the first mechanism that describes the syscall. */
static __always_inline void mech_syscall_details(struct task_ctx *c, struct ipclab_event *e,
						 long ret)
{
	/* one mechanism describes a syscall: the verifier then walks their cases one after the
	 * other, not every combination of them */
	if (signal_syscall_details(c, e, ret) || mqueue_syscall_details(c, e, ret) ||
	    pipe_syscall_details(c, e, ret) || mmap_syscall_details(c, e, ret))
		return;
	unix_syscall_details(c, e, ret);
}

/* The object a thread works on right now (what a sleep or, waking, a wake-up is about),
 * 0: none. */
static __always_inline __u64 mech_task_object(struct task_ctx *c, bool waking)
{
	__u64 obj = pipe_task_object(c, waking);

	if (!obj)
		obj = mqueue_task_object(c);
	return obj ? obj : unix_task_object(c);
}

#endif
