// SPDX-License-Identifier: GPL-2.0
/*
 * drain.c - the ring-buffer drain's priority while recording.
 *
 * The drain is one thread; the traced programs may be dozens of busy threads.  Under the
 * normal scheduler the drain then gets its share like any of them: 64 writer threads on a
 * 2-CPU machine left it about 1/65 of the CPU, the 16 MiB ring buffer filled in a fraction
 * of a second and 2-49% of the events were dropped (issue #10).  Draining costs ~65 ns per
 * event against ~1 us of probe work per traced syscall, so the drain needs little CPU, but it
 * needs it when data waits.  It therefore runs at the lowest real-time priority while the
 * programs run: it sleeps in epoll until the probes wake it (a backlog of --buffer/8) or the
 * 50 ms poll timeout, empties the ring and sleeps again.  It cannot starve the machine: it
 * only works while the probes produce, and the kernel keeps 5% of each second for normal
 * tasks (sched_rt_runtime_us).  SCHED_RESET_ON_FORK: nothing it starts inherits the priority.
 * Without CAP_SYS_NICE, nice -20 is tried (RLIMIT_NICE may allow it), else nothing changes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include "drain.h"

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

int drain_sched_raise(struct drain_sched *saved)
{
	struct sched_param rt = { .sched_priority = sched_get_priority_min(SCHED_FIFO) };

	memset(saved, 0, sizeof(*saved));
	saved->policy = sched_getscheduler(0);
	sched_getparam(0, &saved->param);
	errno = 0;
	saved->nice = getpriority(PRIO_PROCESS, 0);	/* 0 = the calling thread on Linux */
	if (saved->policy < 0 || errno)
		return -errno;
	if (saved->policy != SCHED_OTHER && saved->policy != SCHED_BATCH)
		return 0;	/* already real-time (or idle, chosen by the user): leave it */
	if (!sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &rt)) {
		saved->raised = "SCHED_FIFO";
		return 0;
	}
	if (!setpriority(PRIO_PROCESS, 0, -20)) {
		saved->raised = "nice -20";
		return 0;
	}
	return -errno;
}

void drain_sched_restore(const struct drain_sched *saved)
{
	if (!saved->raised)
		return;
	sched_setscheduler(0, saved->policy, &saved->param);
	setpriority(PRIO_PROCESS, 0, saved->nice);
}
