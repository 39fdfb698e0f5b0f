/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mqueue.bpf.h - POSIX message queues, kernel side: from an fd to the queue's struct
 * mqueue_inode_info, its message count, bytes, limits, waiters and mq_notify registration,
 * sampled at the core's sys_enter and sys_exit of mq_timedsend/mq_timedreceive (every tier:
 * no function probes, mech/mqueue/NOTES.md), and the mq_* syscall records' queue.
 *
 * All inline: nothing here may be a global function called from sys_enter/sys_exit (on 5.10
 * and 6.1 the verifier adds a global function's stack to its caller's).
 */
#ifndef IPCLAB_MQUEUE_BPF_H
#define IPCLAB_MQUEUE_BPF_H

#define MQUEUE_MAGIC	0x19800202	/* ipc/mqueue.c: the mqueue filesystem's s_magic */
#ifndef S_IFREG
#define S_IFREG		0100000
#endif

static __always_inline bool mq_io_syscall(__s32 nr)
{
	return nr == NR_mq_timedsend || nr == NR_mq_timedreceive;
}

static __always_inline bool mq_syscall_of_interest(__s32 nr)
{
	switch (nr) {
	case NR_mq_open: case NR_mq_unlink: case NR_mq_timedsend: case NR_mq_timedreceive:
	case NR_mq_notify: case NR_mq_getsetattr:
		return true;
	}
	return false;
}

/*
 * The queue behind a file, or 0.  Only mqueue_get_inode() makes regular inodes on the mqueue
 * filesystem (its root is a directory), so the magic and S_ISREG identify a queue exactly;
 * the kernel's own test (f_op == &mqueue_file_operations) needs a data symbol that kernels
 * without CONFIG_KALLSYMS_ALL do not export.  The inode is embedded in mqueue_inode_info
 * (MQUEUE_I(): container_of), at an offset CO-RE relocates.
 */
static __always_inline __u64 file_mqueue(struct file *f, __u32 *flags, __u64 *ino, __u32 *dev)
{
	struct file_fields ff;
	struct inode_fields in;
	__u64 magic = 0;

	if (!file_fields(f, &ff))
		return 0;
	inode_fields(ff.inode, &in);
	if ((in.mode & S_IFMT) != S_IFREG)
		return 0;
	sb_fields(in.sb, dev, &magic);
	if (magic != MQUEUE_MAGIC)
		return 0;
	if (ff.flags & O_NONBLOCK)
		*flags |= EVF_NONBLOCK;
	*ino = in.ino;
	return (__u64)ff.inode - bpf_core_field_offset(struct mqueue_inode_info, vfs_inode);
}

/* Is e_wait_q[i] (0: senders, 1: receivers) not empty?  Its list_head points to itself when
 * empty. */
static __always_inline bool mq_waiting(__u64 info, int i)
{
	__u64 head = info + bpf_core_field_offset(struct mqueue_inode_info, e_wait_q) +
		     i * bpf_core_type_size(struct ext_wait_queue) +
		     bpf_core_field_offset(struct ext_wait_queue, list);
	__u64 next = 0;

	bpf_probe_read_kernel(&next, sizeof(next), (void *)head);
	return next && next != head;
}

/* The queue's state now (queue, ino and dev are the caller's). */
static __always_inline void mq_sample(__u64 info, struct ipclab_mq *out)
{
	struct mqueue_inode_info *q = (void *)info;
	struct pid *owner = BPF_CORE_READ(q, notify_owner);

	out->msgs = BPF_CORE_READ(q, attr.mq_curmsgs);
	out->maxmsg = BPF_CORE_READ(q, attr.mq_maxmsg);
	out->msgsize = BPF_CORE_READ(q, attr.mq_msgsize);
	out->bytes = BPF_CORE_READ(q, qsize);
	out->notify_pid = owner ? BPF_CORE_READ(owner, numbers[0].nr) : 0;
	out->waiters = (mq_waiting(info, 0) ? MQW_SENDER : 0) |
		       (mq_waiting(info, 1) ? MQW_RECEIVER : 0);
}

/* sys_enter of mq_timedsend/mq_timedreceive on a queue: sample it. */
/* A syscall began: no queue of an earlier one stays the task's. */
static __always_inline void mqueue_sys_enter_reset(struct task_ctx *c)
{
	c->mech.mq.queue = 0;
}

static __always_inline void mqueue_sys_enter(struct task_ctx *c)
{
	struct mqueue_task *m = &c->mech.mq;
	struct ipclab_mq s = {};
	__u32 flags = 0;

	mqueue_sys_enter_reset(c);
	if (!mq_io_syscall(c->nr))
		return;
	s.queue = file_mqueue(fd_file((int)c->args[0]), &flags, &s.ino, &s.dev);
	if (!s.queue)
		return;
	mq_sample(s.queue, &s);
	m->ino = s.ino;
	m->dev = s.dev;
	m->flags = flags;
	m->bytes_before = s.bytes;
	m->msgs_before = s.msgs;
	m->waiters_before = s.waiters;
	m->notify_pid_before = s.notify_pid;
	m->queue = s.queue;
}

/* sys_exit: the record.  A send's message is at args[1] (msg_len bytes, still there); a
 * receive's was just copied to args[1] (result bytes) and its priority to *args[3]. */
static __always_inline bool mqueue_sys_exit(struct task_ctx *c, long ret)
{
	struct mqueue_task *m = &c->mech.mq;
	bool send = c->nr == NR_mq_timedsend;
	struct ipclab_event *e;
	__s64 moved;

	if (!m->queue)
		return false;
	e = event_reserve(EVT_MQ_IO);
	if (!e)
		goto out;
	e->ts_start = c->ts_enter;
	e->nr = c->nr;
	e->flags = m->flags;
	e->mq.after.queue = m->queue;
	e->mq.after.ino = m->ino;
	e->mq.after.dev = m->dev;
	mq_sample(m->queue, &e->mq.after);
	e->mq.bytes_before = m->bytes_before;
	e->mq.msgs_before = m->msgs_before;
	e->mq.waiters_before = m->waiters_before;
	e->mq.notify_pid_before = m->notify_pid_before;
	e->mq.fd = (__s32)c->args[0];
	e->mq.write = send;
	e->mq.prio = send ? (__u32)c->args[3] : 0;
	if (!send && ret >= 0 && c->args[3])
		bpf_probe_read_user(&e->mq.prio, sizeof(e->mq.prio), (void *)c->args[3]);
	e->mq.requested = c->args[2];
	e->mq.result = ret;
	e->mq.timed = c->args[4] != 0;
	e->mq.data_len = 0;
	__builtin_memset(e->mq.head, 0, sizeof(e->mq.head) + sizeof(e->mq.tail));
	moved = send ? (ret == 0 ? (__s64)c->args[2] : 0) : ret;
	sample_bytes(moved, e->mq.head, e->mq.tail, &e->mq.data_len, c->args[1], c->args[2],
		     true);
	event_submit(e);
out:
	m->queue = 0;
	c->io_emitted = 1;
	return true;
}

/* The queue an fd names, into a syscall record (sc.mq). */
static __always_inline void mq_fd_into(struct ipclab_event *e, int fd)
{
	__u32 flags = 0;

	e->sc.mq.queue = file_mqueue(fd_file(fd), &flags, &e->sc.mq.ino, &e->sc.mq.dev);
	if (e->sc.mq.queue)
		mq_sample(e->sc.mq.queue, &e->sc.mq);
	e->flags |= flags;
}

/* mq_open: the name asked for and the queue of the fd returned; mq_unlink: the name;
 * mq_notify, mq_getsetattr: the queue of the fd. */
static __always_inline bool mqueue_syscall_details(struct task_ctx *c, struct ipclab_event *e,
						   long ret)
{
	switch (c->nr) {
	case NR_mq_open:
		bpf_probe_read_user_str(e->sc.path, sizeof(e->sc.path), (void *)c->args[0]);
		if (ret >= 0)
			mq_fd_into(e, (int)ret);
		return true;
	case NR_mq_unlink:
		bpf_probe_read_user_str(e->sc.path, sizeof(e->sc.path), (void *)c->args[0]);
		return true;
	case NR_mq_notify:
	case NR_mq_getsetattr:
	case NR_mq_timedsend:	/* not a queue (EBADF): no EVT_MQ_IO record */
	case NR_mq_timedreceive:
		mq_fd_into(e, (int)c->args[0]);
		return true;
	}
	return false;
}

/* What a thread sleeping in (or waking from inside) an mq call works on: its queue. */
static __always_inline __u64 mqueue_task_object(struct task_ctx *c)
{
	return c->mech.mq.queue;
}

#endif
