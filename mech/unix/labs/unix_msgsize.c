// SPDX-License-Identifier: GPL-2.0
/*
 * unix_msgsize - a datagram must fit in one piece: larger than the send
 * buffer allows, it fails with EMSGSIZE; a stream write of the same size
 * is simply cut into skbs.
 *
 * Course notes (section 2, 进程间通信的方式):
 *   "4）本地套接字，最稳定"   (4) local sockets, the most stable.)
 *
 *   A datagram (or seqpacket message) travels as one skb, charged to
 *   the sender's socket, so it can never be larger than the sender's
 *   send buffer: unix_dgram_sendmsg() refuses len > sk_sndbuf - 32 with
 *   EMSGSIZE before copying anything.  With the default sk_sndbuf
 *   (net.core.wmem_default, 212992 here) the largest datagram is 212960
 *   bytes.  SO_SNDBUF changes the limit - the kernel doubles the value
 *   asked for, to leave room for its overhead.  A stream socket has no
 *   message to keep whole: it cuts any write into skbs of at most
 *   36544 bytes and never says EMSGSIZE.
 *
 * What it does (one process, "msgsize"):
 *   socketpair(AF_UNIX, SOCK_DGRAM, 0, sv); getsockopt(sv[0], SO_SNDBUF) = S;
 *   write(sv[0], S - 32 bytes)     -> S - 32: the largest datagram;
 *   read(sv[1], 1 MiB)             -> S - 32, the whole datagram in one read;
 *   write(sv[0], S - 31 bytes)     -> -1 EMSGSIZE, nothing queued;
 *   setsockopt(sv[0], SO_SNDBUF, 4096); getsockopt -> 8192 (doubled);
 *   write(sv[0], 8160) -> 8160; read -> 8160; write(sv[0], 8161) -> -1 EMSGSIZE;
 *   close both; sleep 20 ms;
 *   socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
 *   write(sv[0], S - 31 bytes)     -> S - 31, whole (cut into 6 skbs);
 *   read(sv[1], 1 MiB) until all came; close both.
 *   Exit 0 if the limits were S - 32 and 8160 and the stream took the
 *   datagram's failing size.
 *
 * What to see in the trace (6.18, S = 212992):
 *   The 212960-byte write queues one skb of 212960 bytes on sv[1]; one
 *   read takes it all.  The 212961-byte write fails at once with
 *   -EMSGSIZE (-90) and the queue stays empty.  After SO_SNDBUF 4096
 *   the limit is 8160.  The stream's 212961-byte write returns 212961
 *   and leaves 6 skbs (5 x 36544 + 30241) in the reader's queue.
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <unistd.h>

#include "../../lab.h"

static char buf[1 << 20];	/* static: no malloc()'d mmap in the trace */

static int sndbuf_of(int fd)
{
	socklen_t len = sizeof(int);
	int v;

	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, &len) < 0)
		die("getsockopt(SO_SNDBUF)");
	say("getsockopt(%d, SO_SNDBUF) = %d", fd, v);
	return v;
}

/* One write of len bytes: its result, or -errno. */
static ssize_t write_len(int fd, size_t len)
{
	ssize_t n = write(fd, buf, len);

	if (n < 0 && errno != EMSGSIZE)
		die("write");
	if (n < 0)
		say("write(%d, %zu bytes) = -1 EMSGSIZE", fd, len);
	else
		say("write(%d, %zu bytes) = %zd", fd, len, n);
	return n < 0 ? -errno : n;
}

static ssize_t read_all(int fd, size_t want)
{
	size_t got = 0;
	ssize_t n;

	while (got < want) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0) {
			if (n < 0)
				die("read");
			break;
		}
		say("read(%d, buf, %zu) = %zd", fd, sizeof(buf), n);
		got += n;
	}
	return (ssize_t)got;
}

/* The largest datagram is sndbuf - 32; 1 if so for this socket. */
static int dgram_limit(int sv[2], int sndbuf)
{
	size_t max = (size_t)sndbuf - 32;
	ssize_t ok, got, over;

	ok = write_len(sv[0], max);
	got = read_all(sv[1], max);
	over = write_len(sv[0], max + 1);
	return ok == (ssize_t)max && got == (ssize_t)max && over == -EMSGSIZE;
}

static int datagrams(int *sndbuf)
{
	int sv[2], small = 4096, ok;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0)
		die("socketpair");
	*sndbuf = sndbuf_of(sv[0]);
	ok = dgram_limit(sv, *sndbuf);
	if (setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)) < 0)
		die("setsockopt(SO_SNDBUF)");
	say("setsockopt(%d, SO_SNDBUF, %d) = 0", sv[0], small);
	ok &= dgram_limit(sv, sndbuf_of(sv[0]));
	if (close(sv[0]) < 0 || close(sv[1]) < 0)
		die("close");
	return ok;
}

static int stream(int sndbuf)
{
	size_t len = (size_t)sndbuf - 31;
	ssize_t n, got;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair");
	n = write_len(sv[0], len);
	got = read_all(sv[1], len);
	if (close(sv[0]) < 0 || close(sv[1]) < 0)
		die("close");
	say("stream: the %zu bytes a datagram could not carry went through whole", len);
	return n == (ssize_t)len && got == (ssize_t)len;
}

int main(void)
{
	int ok, sndbuf;

	set_role("msgsize");
	memset(buf, 'm', sizeof(buf));
	ok = datagrams(&sndbuf);
	sleep_ms(20);
	ok &= stream(sndbuf);
	say(ok ? "datagrams stop at sk_sndbuf - 32 (EMSGSIZE); a stream write does not"
	       : "unexpected result");
	return ok ? 0 : 2;
}
