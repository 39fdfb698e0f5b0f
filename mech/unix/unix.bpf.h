/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unix.bpf.h - Unix domain sockets, kernel side: from an fd or a struct socket to the
 * struct sock, its receive queue's bytes and skbs, the sender's charge, and the records.
 *
 * Tiers (mech/unix/NOTES.md): the tracepoint tier samples at sys_enter/sys_exit of
 * read/write/readv/writev/sendto/recvfrom/sendmsg/recvmsg on an AF_UNIX fd; the fentry and
 * kprobe tiers sample at entry and exit of unix_{stream,dgram,seqpacket}_{sendmsg,recvmsg}
 * (mech/unix/unix.bpf.c).  The same two instants, the same record.  A record the function
 * probes began but did not finish (the kernel skipped the exit probe) is finished at
 * sys_exit, as the tracepoint tier does.
 */
#ifndef IPCLAB_UNIX_BPF_H
#define IPCLAB_UNIX_BPF_H

#define AF_UNIX		1
#define S_IFSOCK	0140000
#define SOCKFS_MAGIC	0x534F434B
#define MSG_PEEK	0x2
#define MSG_DONTWAIT	0x40
#define SOCK_TYPE_STREAM 1

/* unix_queue_sample()'s result: bytes in bits 0-31, skbs (qlen) in 32-55, and flags. */
#define UNIXQ_TRUNC	(1ULL << 62)	/* more skbs than the walk follows: bytes are a floor */
#define UNIXQ_TORN	(1ULL << 63)	/* the queue changed while it was walked */
#define UNIXQ_WALK_MAX	1024		/* skbs summed; the default budget queues at most 278 */

/* Global (mech/unix/unix.bpf.c): checked by the verifier once, not in every program. */
__u64 unix_queue_sample(__u64 sk);

static __always_inline __u64 unix_peer_of(struct sock *sk)
{
	return (__u64)BPF_CORE_READ((struct unix_sock *)sk, peer);
}

/* SIOCOUTQ: what the sender's queued skbs cost (sk_wmem_alloc starts at 1). */
static __always_inline __u32 unix_wmem(__u64 skp)
{
	struct sock *sk = (void *)skp;
	__u32 refs;

	if (!sk)
		return 0;
	refs = BPF_CORE_READ(sk, sk_wmem_alloc.refs.counter);
	return refs ? refs - 1 : 0;
}

/* The sockfs inode of the socket sk belongs to (0 for one not accepted yet). */
static __always_inline __u64 unix_ino(struct sock *sk)
{
	struct socket *so = BPF_CORE_READ(sk, sk_socket);
	struct inode *inode;

	if (!so)
		return 0;
	/* SOCK_INODE(): the inode follows the socket in struct socket_alloc */
	inode = (void *)so - bpf_core_field_offset(struct socket_alloc, socket) +
		bpf_core_field_offset(struct socket_alloc, vfs_inode);
	return BPF_CORE_READ(inode, i_ino);
}

static __always_inline void unix_sock_fill(__u64 skp, struct ipclab_sock *out)
{
	struct sock *sk = (void *)skp;

	out->sock = skp;
	out->peer = unix_peer_of(sk);
	out->ino = unix_ino(sk);
	out->type = BPF_CORE_READ(sk, sk_type);
	out->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	out->shutdown = BPF_CORE_READ(sk, sk_shutdown);
	out->sndbuf = BPF_CORE_READ(sk, sk_sndbuf);
	out->rcvbuf = BPF_CORE_READ(sk, sk_rcvbuf);
	out->max_qlen = BPF_CORE_READ(sk, sk_max_ack_backlog);
}

/*
 * The AF_UNIX struct sock behind a file, or 0 (not a socket, or another family); O_NONBLOCK
 * into flags.  Inline, not a global function: on 5.10 and 6.1 the verifier adds a global
 * function's stack to its caller's, and sys_exit's with this one's passes 512 bytes.
 */
static __always_inline __u64 file_unix_sock(struct file *f, __u32 *flags)
{
	struct file_fields ff;
	struct inode_fields in;
	struct socket *so;
	struct sock *sk;

	if (!file_fields(f, &ff))
		return 0;
	inode_fields(ff.inode, &in);
	if ((in.mode & S_IFMT) != S_IFSOCK)
		return 0;
	/* sock_from_file(): an open socket keeps its struct socket in private_data (an O_PATH
	 * fd of a socket file has none and is refused below) */
	so = ff.has_private ? ff.private_data : BPF_CORE_READ(f, private_data);
	if (!so || BPF_CORE_READ(so, file) != f)
		return 0;
	sk = BPF_CORE_READ(so, sk);
	if (!sk || BPF_CORE_READ(sk, __sk_common.skc_family) != AF_UNIX)
		return 0;
	if (ff.flags & O_NONBLOCK)
		*flags |= EVF_NONBLOCK;
	return (__u64)sk;
}

static __always_inline __u64 fd_unix_sock(int fd, __u32 *flags)
{
	return file_unix_sock(fd_file(fd), flags);
}

/* ------------------------------------------------------------ syscalls */

static __always_inline bool unix_io_syscall(__s32 nr)
{
	return nr == NR_sendto || nr == NR_recvfrom || nr == NR_sendmsg || nr == NR_recvmsg;
}

static __always_inline bool unix_send_syscall(__s32 nr)
{
	return nr == NR_sendto || nr == NR_sendmsg;
}

static __always_inline bool unix_syscall_of_interest(__s32 nr)
{
	switch (nr) {
	case NR_socket: case NR_socketpair: case NR_bind: case NR_listen: case NR_connect:
	case NR_accept: case NR_accept4: case NR_shutdown:
	case NR_sendto: case NR_recvfrom: case NR_sendmsg: case NR_recvmsg:
	case NR_sendmmsg: case NR_recvmmsg:
		return true;
	}
	return false;
}

/* The user buffer, the bytes asked for and the MSG_* flags of a send/receive syscall. */
static __always_inline void unix_request(struct task_ctx *c, __u64 *ubuf, __u64 *requested,
					 __u64 *first_len, __u32 *msg_flags)
{
	struct user_msghdr mh = {};

	*msg_flags = 0;
	switch (c->nr) {
	case NR_sendto:		/* fd, buf, len, flags, addr, addrlen */
	case NR_recvfrom:
		*ubuf = c->args[1];
		*requested = *first_len = c->args[2];
		*msg_flags = c->args[3];
		return;
	case NR_sendmsg:	/* fd, msghdr, flags */
	case NR_recvmsg:
		*msg_flags = c->args[2];
		if (bpf_probe_read_user(&mh, sizeof(mh), (void *)c->args[1]))
			return;
		iov_request((__u64)mh.msg_iov, mh.msg_iovlen, ubuf, requested, first_len);
		return;
	}
	if (is_rw_syscall(c->nr))
		rw_buffer(c, ubuf, requested, first_len);
}

/* Entry of a send (write) or receive on sk: which queue and which sender, and their state. */
static __always_inline void unix_begin(struct unix_task *u, __u64 sk, bool write, __u32 flags)
{
	__u64 peer = unix_peer_of((void *)sk), q;

	u->sock = sk;
	u->write = write;
	u->flags = flags;
	u->queue = write ? peer : sk;
	u->sender = write ? sk : peer;
	q = u->queue ? unix_queue_sample(u->queue) : 0;
	u->occ_before = (__u32)q;
	u->skbs_before = (q >> 32) & 0xffffff;
	u->flags |= q & UNIXQ_TRUNC ? EVF_TRUNC : 0;
	u->flags |= q & UNIXQ_TORN ? EVF_TORN : 0;
	u->wmem_before = unix_wmem(u->sender);
}

/*
 * The record.  The queue is sampled before the record gets its time stamp (the call's end),
 * as for pipes.  fd, data and the bytes asked for come from the syscall when the call is one
 * of the send/receive syscalls; otherwise (splice into a socket, io_uring) fd is -1 and
 * requested is the function's length argument.
 */
static __always_inline void unix_emit(struct task_ctx *c, struct unix_task *u, __s64 ret)
{
	__u64 ubuf = 0, requested = u->fn_len, first_len = 0, q;
	bool by_syscall = unix_io_syscall(c->nr) || is_rw_syscall(c->nr);
	__u32 msg_flags = 0, wmem_after, queue_max, wmem_max, flags = u->flags;
	struct sock *queue, *sender;
	struct ipclab_sock s = {};
	struct ipclab_event *e;

	q = u->queue ? unix_queue_sample(u->queue) : 0;
	flags |= q & UNIXQ_TRUNC ? EVF_TRUNC : 0;
	flags |= q & UNIXQ_TORN ? EVF_TORN : 0;
	wmem_after = unix_wmem(u->sender);
	/* (copied out first: BPF_CORE_READ of u->queue would relocate unix_task's fields) */
	queue = (void *)u->queue;
	sender = (void *)u->sender;
	queue_max = queue ? BPF_CORE_READ(queue, sk_max_ack_backlog) : 0;
	wmem_max = sender ? BPF_CORE_READ(sender, sk_sndbuf) : 0;
	unix_sock_fill(u->sock, &s);
	if (by_syscall)
		unix_request(c, &ubuf, &requested, &first_len, &msg_flags);
	e = event_reserve(EVT_SOCK_IO);
	if (!e)
		goto out;
	e->ts_start = c->nr >= 0 ? c->ts_enter : e->ts;
	e->nr = c->nr;
	e->flags = flags;
	e->sk.s = s;
	e->sk.queue = u->queue;
	e->sk.occ_before = u->occ_before;
	e->sk.skbs_before = u->skbs_before;
	e->sk.occ_after = (__u32)q;
	e->sk.skbs_after = (q >> 32) & 0xffffff;
	e->sk.queue_max = queue_max;
	e->sk.wmem_before = u->wmem_before;
	e->sk.wmem_after = wmem_after;
	e->sk.wmem_max = wmem_max;
	e->sk.fd = by_syscall ? (__s32)c->args[0] : -1;
	e->sk.write = u->write;
	e->sk.requested = requested;
	e->sk.result = ret;
	e->sk.data_len = 0;
	e->sk.pad = 0;
	__builtin_memset(e->sk.head, 0, sizeof(e->sk.head) + sizeof(e->sk.tail));
	sample_bytes(ret, e->sk.head, e->sk.tail, &e->sk.data_len, ubuf, first_len,
		     c->nr == NR_read || c->nr == NR_write || c->nr == NR_sendto ||
		     c->nr == NR_recvfrom);
	event_submit(e);
out:
	u->sock = 0;
	c->io_emitted = 1;
}

/* MSG_DONTWAIT makes one call non-blocking, as O_NONBLOCK makes every call on the file. */
static __always_inline __u32 unix_call_flags(__u32 msg_flags, bool write)
{
	__u32 flags = 0;

	if (msg_flags & MSG_DONTWAIT)
		flags |= EVF_NONBLOCK;
	if (!write && (msg_flags & MSG_PEEK))
		flags |= EVF_PEEK;
	return flags;
}

/* Tracepoint tier: a send/receive syscall on an AF_UNIX fd begins. */
static __always_inline void unix_sys_enter_io(struct task_ctx *c)
{
	struct unix_task *u = &c->mech.usock;
	__u64 ubuf = 0, requested = 0, first_len = 0, sk;
	__u32 flags = 0, msg_flags = 0;
	bool write;

	sk = fd_unix_sock((int)c->args[0], &flags);
	if (!sk)
		return;
	write = is_rw_syscall(c->nr) ? is_write_syscall(c->nr) : unix_send_syscall(c->nr);
	if (unix_io_syscall(c->nr))
		unix_request(c, &ubuf, &requested, &first_len, &msg_flags);
	unix_begin(u, sk, write, flags | unix_call_flags(msg_flags, write));
}

/* close(): what the fd was, before it goes. */
static __always_inline void unix_sys_enter_close(struct task_ctx *c)
{
	struct unix_task *u = &c->mech.usock;
	__u32 flags = 0;
	__u64 sk = fd_unix_sock((int)c->args[0], &flags);

	u->closing.sock = 0;
	if (sk)
		unix_sock_fill(sk, &u->closing);
}

/* claimed: the syscall's fd was another mechanism's (a pipe). */
/* A syscall began: no socket of an earlier one stays the task's. */
static __always_inline void unix_sys_enter_reset(struct task_ctx *c)
{
	c->mech.usock.sock = 0;
	c->mech.usock.depth = 0;
}

static __always_inline void unix_sys_enter(struct task_ctx *c, bool claimed)
{
	struct unix_task *u = &c->mech.usock;

	unix_sys_enter_reset(c);
	if (c->nr == NR_close) {
		if (claimed)
			u->closing.sock = 0;
		else
			unix_sys_enter_close(c);
		return;
	}
	/* the fentry/kprobe tiers sample in the socket functions */
	if (tier != TIER_TRACEPOINT || claimed)
		return;
	if (unix_io_syscall(c->nr) || is_rw_syscall(c->nr))
		unix_sys_enter_io(c);
}

/* The tracepoint tier's record, or a function probe's whose exit the kernel skipped. */
static __always_inline bool unix_sys_exit(struct task_ctx *c, long ret)
{
	struct unix_task *u = &c->mech.usock;

	if (!u->sock)
		return false;
	if (tier != TIER_TRACEPOINT)
		count_recovered();
	unix_emit(c, u, ret);
	return true;
}

/* The socket behind an fd, into a syscall record (EVF_SOCK). */
static __always_inline bool unix_fd_into(struct ipclab_event *e, int fd)
{
	__u32 flags = 0;
	__u64 sk = fd_unix_sock(fd, &flags);

	if (!sk)
		return false;
	unix_sock_fill(sk, &e->sc.sock);
	e->flags |= EVF_SOCK;
	return true;
}

/* bind/connect: the name asked for, "@name" for an abstract one (sun_path[0] == 0). */
static __always_inline void unix_addr_path(struct ipclab_event *e, __u64 uaddr, __u64 len)
{
	char first = 0;

	if (!uaddr || len <= 2 || bpf_probe_read_user(&first, 1, (void *)(uaddr + 2)))
		return;
	if (first) {
		bpf_probe_read_user_str(e->sc.path, sizeof(e->sc.path), (void *)(uaddr + 2));
		return;
	}
	len -= 3;	/* family, the leading 0 */
	if (len > sizeof(e->sc.path) - 2)
		len = sizeof(e->sc.path) - 2;
	e->sc.path[0] = '@';
	bpf_probe_read_user(&e->sc.path[1], len & (sizeof(e->sc.path) - 1), (void *)(uaddr + 3));
	e->sc.path[(len + 1) & (sizeof(e->sc.path) - 1)] = 0;
}

/* socketpair: both fds, the first end's socket, and the second end's inode. */
static __always_inline void unix_socketpair_details(struct task_ctx *c, struct ipclab_event *e)
{
	int fds[2] = { -1, -1 };
	__u32 flags = 0;
	__u64 second;

	if (bpf_probe_read_user(fds, sizeof(fds), (void *)c->args[3]))
		return;
	e->sc.fds[0] = fds[0];
	e->sc.fds[1] = fds[1];
	if (!unix_fd_into(e, fds[0]))
		return;
	second = fd_unix_sock(fds[1], &flags);
	e->sc.file_ino = second ? unix_ino((void *)second) : 0;
}

static __always_inline void unix_syscall_details(struct task_ctx *c, struct ipclab_event *e,
						 long ret)
{
	switch (c->nr) {
	case NR_socket:
	case NR_accept:
	case NR_accept4:
		if (ret >= 0)
			unix_fd_into(e, (int)ret);
		break;
	case NR_socketpair:
		if (ret == 0)
			unix_socketpair_details(c, e);
		break;
	case NR_bind:
	case NR_connect:
		unix_addr_path(e, c->args[1], c->args[2]);
		unix_fd_into(e, (int)c->args[0]);
		break;
	case NR_listen:
	case NR_shutdown:
	case NR_sendto:
	case NR_recvfrom:
	case NR_sendmsg:
	case NR_recvmsg:
	case NR_sendmmsg:
	case NR_recvmmsg:
		unix_fd_into(e, (int)c->args[0]);
		break;
	case NR_close:
		if (c->mech.usock.closing.sock) {
			e->sc.sock = c->mech.usock.closing;
			e->flags |= EVF_SOCK;
		}
		break;
	}
}

static __always_inline __u64 unix_task_object(struct task_ctx *c)
{
	if (c->mech.usock.sock)
		return c->mech.usock.sock;
	return c->nr == NR_close ? c->mech.usock.closing.sock : 0;
}

/* ------------------------------------------- fentry/kprobe tiers: functions */

static __always_inline void unix_fn_enter(struct socket *so, struct msghdr *msg, bool write,
					  __u64 len, __u32 msg_flags)
{
	struct unix_task *u;
	struct task_ctx *c;
	__u32 flags = 0;
	__u64 sk;

	if (!current_active())
		return;
	c = ctx_get(bpf_get_current_pid_tgid(), true);
	if (!c)
		return;
	u = &c->mech.usock;
	if (u->depth++ > 0)
		return;
	sk = (__u64)BPF_CORE_READ(so, sk);
	if (!sk)
		return;
	if (write)
		msg_flags = BPF_CORE_READ(msg, msg_flags);
	u->fn_len = len;
	/* the file's O_NONBLOCK reaches the functions as MSG_DONTWAIT (sock_read_iter,
	 * sock_write_iter, __sys_sendto ...), as the tracepoint tier reads it from the file */
	unix_begin(u, sk, write, flags | unix_call_flags(msg_flags, write));
}

/*
 * The exit probe of a send/receive function ran, its entry probe did not (the kernel skipped
 * it: on a preemptible kernel another task was preempted inside the same program on this
 * CPU, or the kprobe was missed).  The socket comes from the syscall's fd, as the tracepoint
 * tier finds it; the queue before the call is no longer there to sample, so it is rebuilt
 * from the sample now and the bytes the call moved (exact unless another task moved bytes
 * meanwhile; the skbs before are the skbs now), and the record says so.
 */
static __always_inline void unix_recover_skipped_entry(struct task_ctx *c, long ret)
{
	struct unix_task *u = &c->mech.usock;
	__u64 ubuf = 0, requested = 0, first_len = 0, sk;
	__u32 flags = 0, msg_flags = 0;
	bool write;

	if (c->io_emitted || !(unix_io_syscall(c->nr) || is_rw_syscall(c->nr)))
		return;
	sk = fd_unix_sock((int)c->args[0], &flags);
	if (!sk)
		return;
	write = is_rw_syscall(c->nr) ? is_write_syscall(c->nr) : unix_send_syscall(c->nr);
	unix_request(c, &ubuf, &requested, &first_len, &msg_flags);
	unix_begin(u, sk, write, flags | unix_call_flags(msg_flags, write) | EVF_BEFORE_REBUILT);
	if (ret > 0 && write)
		u->occ_before = u->occ_before > ret ? u->occ_before - ret : 0;
	else if (ret > 0 && !(u->flags & EVF_PEEK))
		u->occ_before += ret;
	u->fn_len = requested;
	unix_emit(c, u, ret);
	count_recovered();
}

static __always_inline void unix_fn_exit(long ret)
{
	struct unix_task *u;
	struct task_ctx *c;

	if (!current_active())
		return;
	c = ctx_get(bpf_get_current_pid_tgid(), false);
	if (!c)
		return;
	u = &c->mech.usock;
	if (u->depth == 0) {
		/* no entry probe ran for this call, nor for one wrapping it */
		if (!u->sock)
			unix_recover_skipped_entry(c, ret);
		return;
	}
	if (--u->depth > 0 || !u->sock)
		return;
	unix_emit(c, u, ret);
}

#endif
