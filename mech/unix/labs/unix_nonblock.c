// SPDX-License-Identifier: GPL-2.0
/*
 * unix_nonblock - non-blocking local sockets: EAGAIN instead of a sleep,
 * for reads, stream writes and datagram writes.
 *
 * Course notes (section 3, 管道设置非阻塞, for pipes):
 *   "写端没有关闭，管道没有数据，read返回-1"
 *   (write end open, pipe empty: read returns -1)
 *   "写端没有关闭，管道有数据，read返回实际读到的字节数"
 *   "写端已经关闭，管道有数据，read返回实际读到的字节数"
 *   "写端已经关闭，管道没有数据，read返回 0"
 *
 *   A stream socket's reader sees the same four cases as a pipe's, with
 *   the peer socket in the role of the write end.  Writers get EAGAIN
 *   too, each type at its own limit: a stream writer when the memory
 *   charged for its queued skbs reaches sk_sndbuf (so even a 1-byte
 *   write fails then), a datagram writer when its receiver's queue is
 *   over the backlog (net.unix.max_dgram_qlen).
 *
 * What it does (one process, "nonblock"), groups 20 ms apart:
 *   A, reads: socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
 *     fcntl(sv[1], F_GETFL); fcntl(sv[1], F_SETFL, flags | O_NONBLOCK);
 *     case 1: read(sv[1], 100)                          -> -1 EAGAIN
 *     case 2: write(sv[0], 10); read(sv[1], 100)        -> 10
 *     case 3: write(sv[0], 10); close(sv[0]); read(sv[1], 100) -> 10
 *     case 4: read(sv[1], 100)                          -> 0
 *     close(sv[1]).
 *   B, stream writes: socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK);
 *     write(sv[0], 4096) until -1 EAGAIN (44 successes on 6.18);
 *     write(sv[0], 1 byte) -> -1 EAGAIN; close both.
 *   C, datagram writes: socket(AF_UNIX, SOCK_DGRAM) "rx" bound to the
 *     abstract name "\0ipclab-nonblock-PID";
 *     socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK) "tx"; connect(tx, name);
 *     write(tx, 100 bytes) until -1 EAGAIN (Q + 1 = 11 successes);
 *     close both.
 *   Exit 0 if A gave -1/EAGAIN, 10, 10, 0, B and C stopped at EAGAIN
 *   after at least one success, and C after exactly Q + 1.
 *
 * What to see in the trace:
 *   No call ever sleeps.  A: -EAGAIN (-11), 10, 10, 0 on the same
 *   socket; queued data is delivered first even after the peer closed,
 *   and only an empty queue tells "would block" from "end of file".
 *   B: the writer's skbs pile up on sv[1] (one 4096-byte skb per
 *   write) until the charge passes sk_sndbuf; then -EAGAIN, for 4096
 *   bytes and for 1 byte alike.  C: 11 datagrams queue on rx, then
 *   -EAGAIN with rx's queue at 11 skbs, 1100 bytes.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../lab.h"

/* read(fd, 100) that may say EAGAIN: the result, or -errno. */
static ssize_t nb_read(int fd)
{
	char buf[100];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0 && errno != EAGAIN)
		die("read");
	return n < 0 ? -errno : n;
}

static void write10(int fd)
{
	ssize_t n = xwrite_fill(fd, 10, 'n');

	if (n < 0)
		die("write");
	say("  write(%d, 10 bytes) = %zd", fd, n);
	if (n != 10)
		exit(2);
}

static void show(int nr, const char *what, ssize_t n)
{
	if (n == -EAGAIN)
		say("case %d (%s): read = -1, errno EAGAIN", nr, what);
	else
		say("case %d (%s): read = %zd", nr, what, n);
}

/* A: the four read cases; 1 if as predicted. */
static int reads(void)
{
	ssize_t r1, r2, r3, r4;
	int sv[2], flags;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair");
	flags = fcntl(sv[1], F_GETFL, 0);
	if (flags < 0)
		die("fcntl(F_GETFL)");
	if (fcntl(sv[1], F_SETFL, flags | O_NONBLOCK) < 0)
		die("fcntl(F_SETFL)");
	say("A: socket %d is now O_NONBLOCK; its peer is %d", sv[1], sv[0]);

	r1 = nb_read(sv[1]);
	show(1, "peer open, queue empty", r1);
	sleep_ms(20);
	write10(sv[0]);
	r2 = nb_read(sv[1]);
	show(2, "peer open, data queued", r2);
	sleep_ms(20);
	write10(sv[0]);
	if (close(sv[0]) < 0)
		die("close(peer)");
	say("  closed the peer");
	r3 = nb_read(sv[1]);
	show(3, "peer closed, data queued", r3);
	sleep_ms(20);
	r4 = nb_read(sv[1]);
	show(4, "peer closed, queue empty", r4);
	if (close(sv[1]) < 0)
		die("close");
	return r1 == -EAGAIN && r2 == 10 && r3 == 10 && r4 == 0;
}

/* Write size-byte chunks until EAGAIN; the number that went in. */
static int fill(int fd, size_t size, const char *what)
{
	int count = 0;
	ssize_t n;

	for (;;) {
		n = xwrite_fill(fd, size, 'w');
		if (n < 0) {
			if (errno != EAGAIN)
				die("write");
			say("  %s #%d (%zu bytes) = -1 EAGAIN", what, count + 1, size);
			return count;
		}
		count++;
		if ((size_t)n != size) {
			say("  %s #%d: short write %zd of %zu", what, count, n, size);
			exit(2);
		}
		if (count > 100000) {
			say("  %s: no EAGAIN after %d writes", what, count);
			exit(2);
		}
	}
}

/* B: a stream writer's budget; 1 if it ended in EAGAIN, even for 1 byte. */
static int stream_writes(void)
{
	int sv[2], count;
	ssize_t n;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) < 0)
		die("socketpair");
	say("B: stream socketpair %d-%d, both O_NONBLOCK", sv[0], sv[1]);
	count = fill(sv[0], 4096, "write");
	say("  %d writes of 4096 bytes (%d bytes) went in before EAGAIN", count,
	    count * 4096);
	n = xwrite_fill(sv[0], 1, '!');
	if (n >= 0 || errno != EAGAIN) {
		if (n < 0)
			die("write");
		say("  write (1 byte) = %zd: unexpected", n);
		return 0;
	}
	say("  write (1 byte) = -1 EAGAIN: not even one more byte");
	if (close(sv[0]) < 0 || close(sv[1]) < 0)
		die("close");
	return count > 0;
}

static int max_dgram_qlen(void)
{
	FILE *f = fopen("/proc/sys/net/unix/max_dgram_qlen", "r");
	int q = 10;

	if (f) {
		if (fscanf(f, "%d", &q) != 1)
			q = 10;
		fclose(f);
	}
	return q;
}

/* C: a datagram writer against its receiver's backlog; 1 if Q + 1 fit. */
static int dgram_writes(int q)
{
	struct sockaddr_un a;
	socklen_t alen;
	int rx, tx, count, len;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	len = snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "ipclab-nonblock-%d",
		       (int)getpid());
	alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
	rx = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (rx < 0)
		die("socket");
	if (bind(rx, (struct sockaddr *)&a, alen) < 0)
		die("bind");
	tx = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (tx < 0)
		die("socket");
	if (connect(tx, (struct sockaddr *)&a, alen) < 0)
		die("connect");
	say("C: datagram socket %d (O_NONBLOCK) connected to %d at \"@%s\"", tx, rx,
	    a.sun_path + 1);
	count = fill(tx, 100, "datagram write");
	say("  %d datagrams queued before EAGAIN (max_dgram_qlen %d)", count, q);
	if (close(tx) < 0 || close(rx) < 0)
		die("close");
	return count == q + 1;
}

int main(void)
{
	int ok, q;

	set_role("nonblock");
	q = max_dgram_qlen();
	ok = reads();
	sleep_ms(20);
	ok &= stream_writes();
	sleep_ms(20);
	ok &= dgram_writes(q);
	say(ok ? "EAGAIN each time a blocking socket would have slept" : "unexpected result");
	return ok ? 0 : 2;
}
