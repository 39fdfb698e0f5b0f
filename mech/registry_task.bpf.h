/* SPDX-License-Identifier: GPL-2.0 */
/*
 * registry_task.bpf.h - the BPF side's list of mechanisms, part 1: each mechanism's state in
 * the core's per-thread struct task_ctx.  Part 2 (its hooks) is mech/registry.bpf.h.
 * Adding a mechanism adds a line here and one per hook there (docs/adding-a-mechanism.md).
 */
#ifndef IPCLAB_REGISTRY_TASK_BPF_H
#define IPCLAB_REGISTRY_TASK_BPF_H

#include "pipe/pipe_task.bpf.h"
#include "mmap/mmap_task.bpf.h"
#include "unix/unix_task.bpf.h"
#include "signal/signal_task.bpf.h"
#include "mqueue/mqueue_task.bpf.h"

struct mech_task {
	struct pipe_task pipe;		/* mech/pipe (FIFOs too) */
	struct mmap_task mmap;		/* mech/mmap */
	struct unix_task usock;		/* mech/unix */
	struct signal_task sig;		/* mech/signal: rt_sigprocmask, rt_sigaction */
	struct mqueue_task mq;		/* mech/mqueue: mq_timedsend, mq_timedreceive */
};

#endif
