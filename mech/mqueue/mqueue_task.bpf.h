/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mqueue_task.bpf.h - what one traced thread's mq_timedsend/mq_timedreceive keeps between
 * its sys_enter and its sys_exit (a part of the core's struct task_ctx, through
 * mech/registry_task.bpf.h).
 */
#ifndef IPCLAB_MQUEUE_TASK_BPF_H
#define IPCLAB_MQUEUE_TASK_BPF_H

struct mqueue_task {
	__u64 queue;		/* the mqueue_inode_info of the call in progress, 0: none */
	__u64 ino;
	__u64 bytes_before;	/* qsize at entry */
	__u32 dev;
	__u32 msgs_before;	/* attr.mq_curmsgs at entry */
	__u32 waiters_before;	/* MQW_* */
	__u32 notify_pid_before;
	__u32 flags;		/* EVF_NONBLOCK */
	__u32 pad;
};

#endif
