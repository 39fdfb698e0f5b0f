// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - signals in a trace: `signal` (generation) and `signal_deliver` events, and what
 * rt_sigprocmask, rt_sigaction and the sending syscalls print (docs/trace-format.md,
 * "signal", "signal_deliver" and "Signal syscalls"); their Chrome instants; their
 * meta.probes key.  The core reaches this through signal_trace_ops (mechanism.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chrome.h"
#include "event_parse.h"
#include "event_print.h"
#include "export.h"
#include "mechanism.h"
#include "names.h"
#include "signal_names.h"

/* ---------------------------------------------------------------- names */

/* TRACE_SIGNAL_* (include/trace/events/signal.h): what signal_generate reports */
const char *sig_result_name(int r)
{
	static const char *const names[] = { "delivered", "ignored", "already_pending",
					     "overflow_fail", "lose_info" };

	return r >= 0 && r < 5 ? names[r] : "unknown";
}

/* sa_flags bits (include/uapi/asm-generic/signal-defs.h; SA_RESTORER: x86 and arm64) */
static const struct {
	unsigned long bit;
	const char *name;
} sa_bits[] = {
	{ 0x00000001, "SA_NOCLDSTOP" }, { 0x00000002, "SA_NOCLDWAIT" },
	{ 0x00000004, "SA_SIGINFO" }, { 0x04000000, "SA_RESTORER" },
	{ 0x08000000, "SA_ONSTACK" }, { 0x10000000, "SA_RESTART" },
	{ 0x40000000, "SA_NODEFER" }, { 0x80000000, "SA_RESETHAND" },
};

#define SA_NAMES_MAX (sizeof(sa_bits) / sizeof(sa_bits[0]) + 1)

/* The names of flags' bits into names[] (an unknown rest as one "0x..." in other); count. */
static size_t sa_flag_names(__u64 flags, const char *names[SA_NAMES_MAX], char other[24])
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(sa_bits) / sizeof(sa_bits[0]); i++)
		if (flags & sa_bits[i].bit) {
			names[n++] = sa_bits[i].name;
			flags &= ~(__u64)sa_bits[i].bit;
		}
	if (flags) {
		snprintf(other, 24, "0x%llx", (unsigned long long)flags);
		names[n++] = other;
	}
	return n;
}

static void flags_json(struct jb *b, const char *k, __u64 flags)
{
	const char *names[SA_NAMES_MAX];
	char other[24];

	jb_names(b, k, names, sa_flag_names(flags, names, other));
}

/* A signal set (bit sig-1) as its signals' names, in number order. */
static void set_json(struct jb *b, const char *k, __u64 set)
{
	const char *names[64];
	size_t n = 0;

	for (int sig = 1; sig <= 64; sig++)
		if (set & (1ULL << (sig - 1)))
			names[n++] = signal_name(sig);
	jb_names(b, k, names, n);
}

/* "SIG_DFL", "SIG_IGN" or the handler's address */
static void handler_json(struct jb *b, const char *k, __u64 h)
{
	char buf[24];

	if (h <= 1) {
		jb_str(b, k, h ? "SIG_IGN" : "SIG_DFL");
		return;
	}
	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)h);
	jb_str(b, k, buf);
}

const char *sig_code_name(int code)
{
	switch (code) {
	case 0: return "SI_USER";
	case 0x80: return "SI_KERNEL";
	case -1: return "SI_QUEUE";
	case -2: return "SI_TIMER";
	case -3: return "SI_MESGQ";
	case -4: return "SI_ASYNCIO";
	case -5: return "SI_SIGIO";
	case -6: return "SI_TKILL";
	}
	return NULL;	/* a code of the signal's own (CLD_EXITED ...): the number says it */
}

/* ---------------------------------------------------------------- the JSON trace */

static void generate_json(struct jb *b, const struct ipclab_event *e)
{
	jb_str(b, "type", "signal");
	jb_num(b, "sig", e->sig.sig);
	jb_str(b, "signal", signal_name(e->sig.sig));
	jb_str(b, "result", sig_result_name(e->sig.result));
	jb_num(b, "sender_pid", e->sig.sender_pid);
	jb_num(b, "sender_tid", e->sig.sender_tid);
	jb_syscall(b, "sender_syscall", e->nr);
}

static void deliver_json(struct jb *b, const struct ipclab_event *e)
{
	const struct ipclab_signal_deliver *d = &e->sd;
	const char *code = sig_code_name(d->code);

	jb_str(b, "type", "signal_deliver");
	jb_num(b, "sig", d->sig);
	jb_str(b, "signal", signal_name(d->sig));
	handler_json(b, "handler", d->handler);
	flags_json(b, "flags", d->sa_flags);
	jb_num(b, "code", d->code);
	if (code)
		jb_str(b, "code_name", code);
	else
		jb_null(b, "code_name");
	if (d->sender_pid)
		jb_num(b, "sender_pid", d->sender_pid);
	else
		jb_null(b, "sender_pid");
	/* si_value means something for these codes only; SIGCHLD's si_status lies in the same
	 * place (the kernel's union __sifields) */
	if (d->code == SI_QUEUE_ || d->code == SI_TIMER_ || d->code == SI_MESGQ_)
		jb_num(b, "value", d->value);
	else
		jb_null(b, "value");
	if (d->sig == SIGCHLD_ && d->code >= CLD_EXITED_ && d->code <= CLD_CONTINUED_)
		jb_num(b, "status", d->value);
	set_json(b, "blocked", d->blocked);
	set_json(b, "pending", d->pending);
}

static void signal_event_json(struct jb *b, const struct timeline *tl, const struct tl_event *te)
{
	(void)tl;
	if (te->e->type == EVT_SIGNAL)
		generate_json(b, te->e);
	else
		deliver_json(b, te->e);
}

/* The signal a sending syscall or rt_sigaction names: its argument index, or -1. */
int sig_syscall_sig_arg(int nr)
{
	if (nr == NR_kill || nr == NR_tkill || nr == NR_rt_sigqueueinfo)
		return 1;
	if (nr == NR_tgkill || nr == NR_rt_tgsigqueueinfo)
		return 2;
	if (nr == NR_rt_sigaction)
		return 0;
	return -1;
}

static const char *how_name(int how)
{
	static const char *const names[] = { "SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK" };

	return how >= 0 && how < 3 ? names[how] : "unknown";
}

/* After "ret" (these calls have no object): the signal it names; rt_sigprocmask's how, set
 * and the blocked mask around it; rt_sigaction's new action. */
static void signal_syscall_json(struct jb *b, const struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_event *e = te->e;
	const struct ipclab_sig_syscall *s = &e->sc.sigsc;
	int arg = sig_syscall_sig_arg(e->nr);

	(void)tl;
	if (arg >= 0) {
		jb_num(b, "sig", (long long)e->sc.args[arg]);
		if (e->sc.args[arg])
			jb_str(b, "signal", signal_name((int)e->sc.args[arg]));
		else
			jb_null(b, "signal");	/* kill(pid, 0): does pid exist? */
	}
	if (e->nr != NR_rt_sigprocmask && e->nr != NR_rt_sigaction)
		return;
	if (e->nr == NR_rt_sigprocmask) {
		jb_str(b, "how", how_name(s->how));
		if (s->valid & SIGSC_SET)
			set_json(b, "set", s->set);
		else
			jb_null(b, "set");
	} else if (s->valid & SIGSC_ACT) {
		handler_json(b, "handler", s->handler);
		flags_json(b, "flags", s->sa_flags);
		set_json(b, "mask", s->set);
	} else {
		jb_null(b, "handler");
	}
	if (s->valid & SIGSC_BLOCKED) {
		set_json(b, "blocked_before", s->blocked_before);
		set_json(b, "blocked_after", s->blocked_after);
	}
}

/* ---------------------------------------------------------------- read back (check) */

/* flags_json()'s inverse */
static __u64 sa_flags_of(json_object *ev, const char *k)
{
	__u64 flags = 0;

	for (size_t i = 0; i < jp_len(ev, k); i++) {
		const char *n = jp_str_at(ev, k, i);

		if (!strncmp(n, "0x", 2))
			flags |= strtoull(n, NULL, 16);
		for (size_t b = 0; b < sizeof(sa_bits) / sizeof(sa_bits[0]); b++)
			if (!strcmp(n, sa_bits[b].name))
				flags |= sa_bits[b].bit;
	}
	return flags;
}

/* set_json()'s inverse */
static __u64 set_of(json_object *ev, const char *k)
{
	__u64 set = 0;

	for (size_t i = 0; i < jp_len(ev, k); i++) {
		int sig = signal_number(jp_str_at(ev, k, i));

		if (sig > 0)
			set |= 1ULL << (sig - 1);
	}
	return set;
}

/* handler_json()'s inverse */
static __u64 handler_of(const char *h)
{
	return !strcmp(h, "SIG_IGN") ? 1 : !strcmp(h, "SIG_DFL") ? 0 : strtoull(h, NULL, 16);
}

static int result_of(const char *name)
{
	for (int r = 0; r < 5; r++)
		if (!strcmp(name, sig_result_name(r)))
			return r;
	return 5;
}

static void deliver_from_json(json_object *ev, struct ipclab_signal_deliver *d)
{
	d->sig = (__s32)jp_num(ev, "sig", 0);
	d->handler = handler_of(jp_str(ev, "handler"));
	d->sa_flags = sa_flags_of(ev, "flags");
	d->code = (__s32)jp_num(ev, "code", 0);
	d->sender_pid = (__u32)jp_num(ev, "sender_pid", 0);
	d->value = jp_num(ev, "value", jp_num(ev, "status", 0));	/* SIGCHLD: si_status */
	d->blocked = set_of(ev, "blocked");
	d->pending = set_of(ev, "pending");
}

static bool signal_event_from_json(json_object *ev, const char *type, const struct timeline *tl,
				   struct ipclab_event *e, struct tl_event *te)
{
	(void)tl;
	(void)te;
	if (!strcmp(type, "signal_deliver")) {
		e->type = EVT_SIGNAL_DELIVER;
		deliver_from_json(ev, &e->sd);
		return true;
	}
	if (strcmp(type, "signal"))
		return false;
	e->type = EVT_SIGNAL;
	e->sig.sig = (__s32)jp_num(ev, "sig", 0);
	e->sig.result = result_of(jp_str(ev, "result"));
	e->sig.sender_pid = (__u32)jp_num(ev, "sender_pid", 0);
	e->sig.sender_tid = (__u32)jp_num(ev, "sender_tid", 0);
	e->nr = jp_syscall(ev, "sender_syscall");
	return true;
}

static int how_of(const char *name)
{
	for (int how = 0; how < 3; how++)
		if (!strcmp(name, how_name(how)))
			return how;
	return -1;
}

/* rt_sigprocmask and rt_sigaction: what signal_syscall_json() printed, with which fields
 * were read (SIGSC_*) told by which keys are there */
static void signal_syscall_from_json(json_object *ev, const struct timeline *tl,
				     struct ipclab_event *e, struct tl_event *te)
{
	struct ipclab_sig_syscall *s = &e->sc.sigsc;

	(void)tl;
	(void)te;
	if (e->nr != NR_rt_sigprocmask && e->nr != NR_rt_sigaction)
		return;
	if (e->nr == NR_rt_sigprocmask) {
		s->how = how_of(jp_str(ev, "how"));
		if (jp_has(ev, "set"))
			s->valid |= SIGSC_SET;
		s->set = set_of(ev, "set");
	} else if (jp_has(ev, "handler")) {
		s->valid |= SIGSC_ACT;
		s->handler = handler_of(jp_str(ev, "handler"));
		s->sa_flags = sa_flags_of(ev, "flags");
		s->set = set_of(ev, "mask");
	}
	if (jp_has(ev, "blocked_before")) {
		s->valid |= SIGSC_BLOCKED;
		s->blocked_before = set_of(ev, "blocked_before");
		s->blocked_after = set_of(ev, "blocked_after");
	}
}

/* ---------------------------------------------------------------- Chrome, meta, doctor */

static bool signal_instant_name(json_object *ev, const char *type, char *name, size_t n)
{
	if (!strcmp(type, "signal"))
		snprintf(name, n, "%s (%s)", chrome_str(ev, "signal"), chrome_str(ev, "result"));
	else if (!strcmp(type, "signal_deliver"))
		snprintf(name, n, "deliver %s -> %s", chrome_str(ev, "signal"),
			 chrome_str(ev, "handler"));
	else
		return false;
	return true;
}

/* meta.probes: delivery is a tracepoint in every tier, so every tier records the same.
 * (Generation's key, "signals", is the core's: it stays where traces have always had it.) */
static void signal_probes_json(json_object *probes, const struct trace_meta *m)
{
	json_object *p = json_object_new_object();

	(void)m;
	json_object_object_add(p, "tier", json_object_new_string("tracepoint"));
	json_object_object_add(p, "symbol", json_object_new_string("tp_btf/signal_deliver"));
	json_object_object_add(probes, "signal_deliver", p);
}

static void signal_doctor_lines(enum doctor_part part, const struct doctor_facts *d)
{
	(void)d;
	if (part == DOCTOR_ALWAYS)
		doctor_line("signals", "tp_btf signal_generate + signal_deliver in every tier: "
			    "the same events whatever the tier%s%s", "", "");
}

static const __u16 signal_event_types[] = { EVT_SIGNAL, EVT_SIGNAL_DELIVER, 0 };
static const int signal_syscall_nrs[] = {
	NR_rt_sigprocmask, NR_rt_sigaction, NR_kill, NR_tkill, NR_tgkill, NR_rt_sigqueueinfo,
	NR_rt_tgsigqueueinfo, -1,
};

const struct mech_trace_ops signal_trace_ops = {
	.event_types = signal_event_types,
	.instants = true,
	.syscall_nrs = signal_syscall_nrs,
	.event_json = signal_event_json,
	.syscall_head_json = signal_syscall_json,
	.event_from_json = signal_event_from_json,
	.syscall_from_json = signal_syscall_from_json,
	.chrome_instant_name = signal_instant_name,
	.probes_json = signal_probes_json,
	.doctor_lines = signal_doctor_lines,
};
