/* drain.h - how the loader's ring-buffer drain keeps up with the probes. */
#ifndef IPCLAB_DRAIN_H
#define IPCLAB_DRAIN_H

#include <sched.h>
#include <stdbool.h>

/* The drain thread's scheduling before drain_sched_raise(), to put back afterwards. */
struct drain_sched {
	int policy;
	struct sched_param param;
	int nice;
	const char *raised;	/* "SCHED_FIFO", "nice -20", or NULL: unchanged */
};

/* Raise the calling thread above the traced programs; 0, or -errno when it stays as it was. */
int drain_sched_raise(struct drain_sched *saved);
/* Back to the scheduling saved by drain_sched_raise(). */
void drain_sched_restore(const struct drain_sched *saved);

#endif
