/* SPDX-License-Identifier: GPL-2.0 */
/*
 * signal.bpf.h - signals' part of sys_enter/sys_exit (inline, through mech/registry.bpf.h):
 * the signal syscalls are reported by name, and rt_sigprocmask and rt_sigaction carry what
 * they asked for and the caller's blocked mask before and after.  Generation and delivery
 * have their own programs (signal.bpf.c).
 *
 * The sets are read at entry, where the kernel reads them too (a later change by another
 * thread does not count); the blocked mask is the task's own (task->blocked), so it is known
 * even when the program passed no oldset.
 */
#ifndef IPCLAB_SIGNAL_BPF_H
#define IPCLAB_SIGNAL_BPF_H

/* The kernel's struct sigaction as rt_sigaction(2) reads it on x86_64 and arm64: handler,
 * flags, restorer, mask (arch/x86/include/uapi/asm/signal.h; asm-generic's without
 * SA_RESTORER has no restorer but the same first two members, and arm64 has SA_RESTORER). */
struct signal_uapi_sigaction {
	__u64 handler;
	__u64 flags;
	__u64 restorer;
	__u64 mask;
};

static __always_inline bool signal_syscall_of_interest(__s32 nr)
{
	switch (nr) {
	case NR_rt_sigprocmask: case NR_rt_sigaction: case NR_kill: case NR_tgkill:
	case NR_tkill: case NR_rt_sigqueueinfo: case NR_rt_tgsigqueueinfo:
	case NR_rt_sigtimedwait: case NR_rt_sigsuspend: case NR_pause: case NR_sigaltstack:
	case NR_rt_sigreturn:
		return true;
	}
	return false;
}

/* The calling thread's blocked mask into *dst (a map value or a record: no stack, which
 * sys_enter and sys_exit have little of on 5.10 and 6.1). */
static __always_inline void signal_blocked_into(__u64 *dst)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	if (BPF_CORE_READ_INTO(dst, t, blocked.sig[0]))
		*dst = 0;
}

static __always_inline void signal_sys_enter(struct task_ctx *c)
{
	struct signal_task *s = &c->mech.sig;

	if (c->nr != NR_rt_sigprocmask && c->nr != NR_rt_sigaction)
		return;
	s->valid = SIGSC_BLOCKED;
	s->set = s->handler = s->sa_flags = 0;
	signal_blocked_into(&s->blocked_before);
	if (c->nr == NR_rt_sigprocmask) {	/* how, set, oldset, sigsetsize */
		if (c->args[1] && !bpf_probe_read_user(&s->set, sizeof(s->set), (void *)c->args[1]))
			s->valid |= SIGSC_SET;
		return;
	}
	/* rt_sigaction: sig, act, oldact, sigsetsize; the fields one by one (no struct on the
	 * stack: sys_enter's is near its limit on 5.10) */
	if (c->args[1] &&
	    !bpf_probe_read_user(&s->handler, sizeof(s->handler), (void *)c->args[1]) &&
	    !bpf_probe_read_user(&s->sa_flags, sizeof(s->sa_flags), (void *)(c->args[1] + 8)) &&
	    !bpf_probe_read_user(&s->set, sizeof(s->set),
				 (void *)(c->args[1] + __builtin_offsetof(struct signal_uapi_sigaction, mask))))
		s->valid |= SIGSC_ACT;
}

/* An EVT_SYSCALL record of rt_sigprocmask or rt_sigaction: true when it is one. */
static __always_inline bool signal_syscall_details(struct task_ctx *c, struct ipclab_event *e,
						   long ret)
{
	struct signal_task *s = &c->mech.sig;

	if (c->nr != NR_rt_sigprocmask && c->nr != NR_rt_sigaction)
		return false;
	e->sc.sigsc.set = s->set;
	e->sc.sigsc.blocked_before = s->blocked_before;
	signal_blocked_into(&e->sc.sigsc.blocked_after);
	e->sc.sigsc.handler = s->handler;
	e->sc.sigsc.sa_flags = s->sa_flags;
	e->sc.sigsc.how = c->nr == NR_rt_sigprocmask ? (__s32)c->args[0] : 0;
	e->sc.sigsc.valid = s->valid;
	s->valid = 0;
	return true;
}

#endif
