// SPDX-License-Identifier: GPL-2.0
/*
 * sock_trace.c - a synthetic Unix socket trace (what mech/unix's probes record), printed
 * through the Unix mechanism's trace ops (mech/unix/trace.c, listed in mech/registry.c).
 *
 * The numbers are what 6.18 showed for these calls (mech/unix/NOTES.md): a 1000-byte write on
 * a stream socketpair into an empty queue makes one skb and charges the sender 2304 bytes of
 * its 212992; a datagram receiver's backlog is 10 skbs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "mechanism.h"
#include "sock_trace.h"

static struct ipclab_event rec(__u64 t0, int type, __u32 pid, __u64 start, __u64 dur, int nr)
{
	struct ipclab_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.pid = e.tid = pid;
	e.ts_start = t0 + start;
	e.ts = t0 + start + dur;
	e.nr = nr;
	return e;
}

static void sock_state(struct ipclab_sock *s, __u64 sock, __u64 peer, __u64 ino, __u16 type)
{
	s->sock = sock;
	s->peer = peer;
	s->ino = ino;
	s->type = type;
	s->state = peer ? 1 : 7;
	s->sndbuf = s->rcvbuf = 212992;
	s->max_qlen = type == 2 ? 10 : 0;
}

/* A send or receive on the stream pair: the queue is B's for A's sends, and B's for B's
 * receives; the charge is A's. */
static struct ipclab_event pair_io(__u64 t0, __u64 start, int nr, int write, __s64 result)
{
	struct ipclab_event e = rec(t0, EVT_SOCK_IO, write ? SOCK_W : SOCK_R, start, 500, nr);
	struct ipclab_sock_io *x = &e.sk;

	sock_state(&x->s, write ? SOCK_A : SOCK_B, write ? SOCK_B : SOCK_A, write ? 1001 : 1002, 1);
	x->queue = SOCK_B;
	x->fd = write ? 3 : 4;
	x->write = write;
	x->result = result;
	x->wmem_max = 212992;
	return e;
}

static size_t syscalls(struct ipclab_event *raw, __u64 t0)
{
	size_t n = 0;
	struct ipclab_event *e;

	e = &raw[n++];		/* socketpair(AF_UNIX, SOCK_STREAM, 0, sv) = 0, sv = {3, 4} */
	*e = rec(t0, EVT_SYSCALL, SOCK_W, 1000, 300, NR_socketpair);
	e->flags = EVF_SOCK;
	e->sc.args[0] = 1;
	e->sc.args[1] = 1;
	e->sc.args[3] = 0x7ffd2000;
	e->sc.fds[0] = 3;
	e->sc.fds[1] = 4;
	sock_state(&e->sc.sock, SOCK_A, SOCK_B, 1001, 1);
	e->sc.file_ino = 1002;

	e = &raw[n++];		/* socket(AF_UNIX, SOCK_DGRAM, 0) = 5 */
	*e = rec(t0, EVT_SYSCALL, SOCK_R, 1500, 100, NR_socket);
	e->flags = EVF_SOCK;
	e->sc.args[0] = 1;
	e->sc.args[1] = 2;
	e->sc.ret = 5;
	sock_state(&e->sc.sock, SOCK_D, 0, 1003, 2);

	e = &raw[n++];		/* bind(5, "/tmp/ipclab.sock") = 0 */
	*e = rec(t0, EVT_SYSCALL, SOCK_R, 1600, 100, NR_bind);
	e->flags = EVF_SOCK;
	e->sc.args[0] = 5;
	sock_state(&e->sc.sock, SOCK_D, 0, 1003, 2);
	strcpy(e->sc.path, "/tmp/ipclab.sock");

	e = &raw[n++];		/* socket(AF_UNIX, SOCK_DGRAM, 0) = 6 */
	*e = rec(t0, EVT_SYSCALL, SOCK_W, 1700, 100, NR_socket);
	e->flags = EVF_SOCK;
	e->sc.ret = 6;
	sock_state(&e->sc.sock, SOCK_E, 0, 1004, 2);

	e = &raw[n++];		/* bind(6, "\0ipclab\1x") = 0: abstract, "@" + the name */
	*e = rec(t0, EVT_SYSCALL, SOCK_W, 1800, 100, NR_bind);
	e->flags = EVF_SOCK;
	e->sc.args[0] = 6;
	sock_state(&e->sc.sock, SOCK_E, 0, 1004, 2);
	strcpy(e->sc.path, "@ipclab\001x");
	return n;
}

size_t make_sock_trace(struct ipclab_event *raw, __u64 t0)
{
	size_t n = syscalls(raw, t0);
	struct ipclab_event *e;

	e = &raw[n++];		/* write(3, "0123456789abcdef...", 1000) = 1000 into B's empty queue */
	*e = pair_io(t0, 2000, NR_write, 1, 1000);
	e->sk.requested = 1000;
	e->sk.occ_after = 1000;
	e->sk.skbs_after = 1;
	e->sk.wmem_after = 2304;
	e->sk.data_len = IPCLAB_DATA_LEN;
	memcpy(e->sk.head, "0123456789abcdef", IPCLAB_DATA_LEN);
	memcpy(e->sk.tail, "tail\"of\\it\n\377xyz!", IPCLAB_DATA_LEN);

	e = &raw[n++];		/* recvfrom(4, buf, 64, MSG_PEEK) = 64: nothing consumed */
	*e = pair_io(t0, 3000, NR_recvfrom, 0, 64);
	e->flags = EVF_PEEK;
	e->sk.requested = 64;
	e->sk.occ_before = e->sk.occ_after = 1000;
	e->sk.skbs_before = e->sk.skbs_after = 1;
	e->sk.wmem_before = e->sk.wmem_after = 2304;
	e->sk.data_len = IPCLAB_DATA_LEN;
	memcpy(e->sk.head, "0123456789abcdef", IPCLAB_DATA_LEN);
	memcpy(e->sk.tail, "0123456789ABCDEF", IPCLAB_DATA_LEN);

	e = &raw[n++];		/* recvmsg(4) = 1000, the queue sampled while it changed */
	*e = pair_io(t0, 4000, NR_recvmsg, 0, 1000);
	e->flags = EVF_TORN;
	e->sk.requested = 4096;
	e->sk.occ_before = 1000;
	e->sk.skbs_before = 1;
	e->sk.wmem_before = 2304;
	e->sk.data_len = IPCLAB_DATA_LEN;
	memcpy(e->sk.head, "0123456789abcdef", IPCLAB_DATA_LEN);

	e = &raw[n++];		/* reader sleeps in read(4), woken by the writer's write(3) */
	*e = rec(t0, EVT_BLOCK, SOCK_R, 5000, 2000, NR_read);
	e->blk.pipe = SOCK_B;
	e->blk.ts_wake = t0 + 6900;
	e->blk.waker_pid = e->blk.waker_tid = SOCK_W;
	e->blk.waker_nr = NR_write;
	e->blk.waker_pipe = SOCK_A;
	strcpy(e->blk.waker_comm, "writer");

	e = &raw[n++];		/* non-blocking recvfrom(4) on the empty queue = -EAGAIN */
	*e = pair_io(t0, 8000, NR_recvfrom, 0, -EAGAIN);
	e->flags = EVF_NONBLOCK;
	e->sk.requested = 64;

	e = &raw[n++];		/* close(4) */
	*e = rec(t0, EVT_SYSCALL, SOCK_R, 9000, 100, NR_close);
	e->flags = EVF_SOCK | EVF_LAST_REF;
	e->sc.args[0] = 4;
	sock_state(&e->sc.sock, SOCK_B, SOCK_A, 1002, 1);

	e = &raw[n++];		/* write(3) after the peer closed = -EPIPE; no queue sampled */
	*e = pair_io(t0, 10000, NR_write, 1, -EPIPE);
	e->sk.queue = 0;
	e->sk.requested = 10;

	e = &raw[n++];		/* sendto(6, 300000 bytes, "/tmp/ipclab.sock") = -EMSGSIZE */
	*e = rec(t0, EVT_SOCK_IO, SOCK_W, 11000, 500, NR_sendto);
	sock_state(&e->sk.s, SOCK_E, 0, 1004, 2);
	e->sk.queue = SOCK_D;
	e->sk.fd = 6;
	e->sk.write = 1;
	e->sk.requested = 300000;
	e->sk.result = -EMSGSIZE;
	e->sk.occ_before = e->sk.occ_after = 0;
	e->sk.queue_max = 10;
	e->sk.wmem_max = 212992;

	e = &raw[n++];		/* sendto(6, 100 bytes, "/tmp/ipclab.sock") = 100: a datagram */
	*e = rec(t0, EVT_SOCK_IO, SOCK_W, 12000, 500, NR_sendto);
	e->flags = EVF_TRUNC;
	sock_state(&e->sk.s, SOCK_E, 0, 1004, 2);
	e->sk.queue = SOCK_D;
	e->sk.fd = 6;
	e->sk.write = 1;
	e->sk.requested = e->sk.result = 100;
	e->sk.occ_after = 100;
	e->sk.skbs_after = 1;
	e->sk.queue_max = 10;
	e->sk.wmem_after = 768;
	e->sk.wmem_max = 212992;

	e = &raw[n++];		/* recvfrom(5, buf, 10) = 10: the rest of the datagram is dropped */
	*e = rec(t0, EVT_SOCK_IO, SOCK_R, 13000, 500, NR_recvfrom);
	sock_state(&e->sk.s, SOCK_D, 0, 1003, 2);
	e->sk.queue = SOCK_D;
	e->sk.fd = 5;
	e->sk.requested = e->sk.result = 10;
	e->sk.occ_before = 100;
	e->sk.skbs_before = 1;
	e->sk.queue_max = 10;

	e = &raw[n++];		/* sendto(6, 50 bytes, "/tmp/ipclab.sock") = 50: a second datagram */
	*e = rec(t0, EVT_SOCK_IO, SOCK_W, 13600, 200, NR_sendto);
	sock_state(&e->sk.s, SOCK_E, 0, 1004, 2);
	e->sk.queue = SOCK_D;
	e->sk.fd = 6;
	e->sk.write = 1;
	e->sk.requested = e->sk.result = 50;
	e->sk.occ_after = 50;
	e->sk.skbs_after = 1;
	e->sk.queue_max = 10;
	e->sk.wmem_after = 768;
	e->sk.wmem_max = 212992;

	e = &raw[n++];		/* recvfrom(5, buf, 10) = 10: the second datagram's start */
	*e = rec(t0, EVT_SOCK_IO, SOCK_R, 13850, 100, NR_recvfrom);
	sock_state(&e->sk.s, SOCK_D, 0, 1003, 2);
	e->sk.queue = SOCK_D;
	e->sk.fd = 5;
	e->sk.requested = e->sk.result = 10;
	e->sk.occ_before = 50;
	e->sk.skbs_before = 1;
	e->sk.queue_max = 10;

	e = &raw[n++];		/* sendto(6, "/tmp/gone.sock") = -ECONNREFUSED: nobody bound there */
	*e = rec(t0, EVT_SOCK_IO, SOCK_W, 14000, 500, NR_sendto);
	sock_state(&e->sk.s, SOCK_E, 0, 1004, 2);
	e->sk.fd = 6;
	e->sk.write = 1;
	e->sk.requested = 5;
	e->sk.result = -ECONNREFUSED;
	e->sk.wmem_max = 212992;
	return n;
}
