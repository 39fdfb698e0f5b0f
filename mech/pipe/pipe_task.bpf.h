/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pipe_task.bpf.h - what one traced thread's pipe I/O in progress keeps between entry and
 * exit (a part of the core's struct task_ctx, through mech/registry_task.bpf.h).  Pipes and
 * FIFOs share it: a FIFO is a pipe with a name.
 */
#ifndef IPCLAB_PIPE_TASK_BPF_H
#define IPCLAB_PIPE_TASK_BPF_H

/* One pipe a call in progress works on: identity and occupancy, sampled at entry. */
struct pipe_side {
	__u64 pipe;			/* 0: none */
	__u64 ino;			/* its identity, read once at entry */
	__u32 dev;
	__u32 flags;			/* EVF_* */
	__u32 bytes_before;
	__u32 slots_before;
};

struct pipe_task {
	__u32 io_depth;			/* nesting of pipe functions (fifo_* wraps anon_*) */
	__u32 close_flags;
	/* pipe I/O in progress: read/write(v), or the pipe splice/tee/... reads from */
	struct pipe_side io;
	/* splice/tee/vmsplice/sendfile/copy_file_range: the pipe they write to */
	struct pipe_side out;
	/* close(): what the fd was, sampled on entry */
	struct ipclab_pipe closing;
};

#endif
