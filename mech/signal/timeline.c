// SPDX-License-Identifier: GPL-2.0
/*
 * timeline.c - signals in the timeline: a generation or a delivery names no object (the
 * target is the event's lane, the sender a pid), so resolving one only says so.  The
 * records are still this mechanism's, as its trace ops print them.
 */
#include "mechanism.h"

static void signal_resolve(struct timeline *tl, struct tl_event *te, void *state)
{
	(void)tl;
	(void)state;
	te->obj = -1;
}

/* the signal syscalls (its trace ops' syscall_nrs) name no object either */
static void signal_resolve_syscall(struct timeline *tl, struct tl_event *te, void *state)
{
	(void)tl;
	(void)state;
	te->obj = -1;
}

static const __u16 signal_tl_types[] = { EVT_SIGNAL, EVT_SIGNAL_DELIVER, 0 };

const struct mech_timeline_ops signal_timeline_ops = {
	.event_types = signal_tl_types,
	.resolve = signal_resolve,
	.resolve_syscall = signal_resolve_syscall,
};
