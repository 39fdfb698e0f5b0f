/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unix_task.bpf.h - what one traced thread's Unix socket call in progress keeps between its
 * entry and its exit (a part of the core's struct task_ctx, through mech/registry.bpf.h).
 */
#ifndef IPCLAB_UNIX_TASK_BPF_H
#define IPCLAB_UNIX_TASK_BPF_H

struct unix_task {
	__u64 sock;			/* the socket of the send/receive in progress, 0: none */
	__u64 queue;			/* the sock whose receive queue was sampled, 0: unknown */
	__u64 sender;			/* the sock whose charge (SIOCOUTQ) was sampled */
	__u64 fn_len;			/* fentry/kprobe: the function's length argument */
	__u32 occ_before;
	__u32 skbs_before;
	__u32 wmem_before;
	__u32 flags;			/* EVF_* */
	__u32 write;
	__u32 depth;			/* nesting of probed functions (seqpacket -> dgram) */
	struct ipclab_sock closing;	/* close(): the socket the fd was, at entry */
};

#endif
