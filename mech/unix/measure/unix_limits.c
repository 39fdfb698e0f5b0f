// SPDX-License-Identifier: GPL-2.0
/*
 * unix_limits - measure how much a Unix domain socket holds before a
 * writer would block, on the running kernel.  Not a lab program (it is
 * not traced and prints a table, not a story); its numbers are the ones
 * written down in mech/unix/NOTES.md.
 *
 * Build and run (any user):
 *   cc -Wall -Wextra -O2 -o unix_limits mech/unix/measure/unix_limits.c
 *   ./unix_limits
 *
 * Every measurement uses O_NONBLOCK senders: "the next write would
 * block" shows up as EAGAIN instead of a sleep, and the state at that
 * moment is read back with SIOCOUTQ (the sender's charged memory,
 * sk_wmem_alloc) and SIOCINQ (the receiver's queued bytes).  A blocking
 * writer stops at exactly the same point (same check in
 * sock_alloc_send_pskb() / unix_wait_for_peer()), it sleeps instead.
 *
 * Sections:
 *   1. the sysctls and the socket's own SO_SNDBUF / SO_RCVBUF;
 *   2. SOCK_STREAM socketpair: bytes accepted for writes of 1, 64, 1024,
 *      4096, 32768, 65536 and 212992 bytes, and the skb truesize per write;
 *   3. SIOCINQ after a partial read of a stream skb (consumed bytes);
 *   4. SOCK_DGRAM socketpair (the two ends are each other's peer):
 *      datagrams accepted, for several sizes - only sk_sndbuf limits;
 *   5. SOCK_DGRAM receiver bound to an abstract name, sender connect()ed
 *      one way: the receiver's queue length against max_dgram_qlen,
 *      then the same with large datagrams, where sk_sndbuf comes first;
 *   6. EMSGSIZE: the largest datagram, default and after SO_SNDBUF;
 *   7. a pipe, for comparison.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/sockios.h>
#include <unistd.h>

static char buf[1 << 20];

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static long read_sysctl(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int sockopt_int(int fd, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, opt, &v, &len) < 0)
		die("getsockopt");
	return v;
}

static int ioctl_int(int fd, unsigned long req)
{
	int v = -1;

	if (ioctl(fd, req, &v) < 0)
		return -errno;
	return v;
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		die("fcntl");
}

static void pair(int type, int sv[2])
{
	if (socketpair(AF_UNIX, type, 0, sv) < 0)
		die("socketpair");
	set_nonblock(sv[0]);
	set_nonblock(sv[1]);
}

/* Write size-byte chunks on fd until EAGAIN; count calls and bytes. */
static void fill(int fd, size_t size, long *calls, long *bytes, long *last)
{
	ssize_t n;

	*calls = *bytes = *last = 0;
	for (;;) {
		n = write(fd, buf, size);
		if (n < 0) {
			if (errno != EAGAIN)
				die("write");
			return;
		}
		(*calls)++;
		*bytes += n;
		*last = n;
	}
}

static void sysctls(void)
{
	int sv[2];

	printf("== 1. limits\n");
	printf("net.core.wmem_default     %ld\n", read_sysctl("/proc/sys/net/core/wmem_default"));
	printf("net.core.rmem_default     %ld\n", read_sysctl("/proc/sys/net/core/rmem_default"));
	printf("net.core.wmem_max         %ld\n", read_sysctl("/proc/sys/net/core/wmem_max"));
	printf("net.core.rmem_max         %ld\n", read_sysctl("/proc/sys/net/core/rmem_max"));
	printf("net.unix.max_dgram_qlen   %ld\n", read_sysctl("/proc/sys/net/unix/max_dgram_qlen"));
	pair(SOCK_STREAM, sv);
	printf("stream SO_SNDBUF %d SO_RCVBUF %d\n", sockopt_int(sv[0], SO_SNDBUF),
	       sockopt_int(sv[0], SO_RCVBUF));
	close(sv[0]);
	close(sv[1]);
	pair(SOCK_DGRAM, sv);
	printf("dgram  SO_SNDBUF %d SO_RCVBUF %d\n", sockopt_int(sv[0], SO_SNDBUF),
	       sockopt_int(sv[0], SO_RCVBUF));
	close(sv[0]);
	close(sv[1]);
}

static void stream_capacity(void)
{
	static const size_t sizes[] = { 1, 64, 1024, 4096, 32768, 65536, 212992 };
	long calls, bytes, last;
	int sv[2];

	printf("\n== 2. SOCK_STREAM socketpair, non-blocking writer, until EAGAIN\n");
	printf("%8s %8s %9s %8s %10s %10s %9s\n", "write", "writes", "bytes", "last",
	       "SIOCOUTQ", "SIOCINQ", "outq/skb");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int outq, inq;

		pair(SOCK_STREAM, sv);
		fill(sv[0], sizes[i], &calls, &bytes, &last);
		outq = ioctl_int(sv[0], SIOCOUTQ);
		inq = ioctl_int(sv[1], SIOCINQ);
		/* small writes: one skb per write, so outq / writes = truesize */
		printf("%8zu %8ld %9ld %8ld %10d %10d %9ld\n", sizes[i], calls, bytes, last,
		       outq, inq, calls ? outq / calls : 0);
		close(sv[0]);
		close(sv[1]);
	}
}

static void stream_partial_read(void)
{
	int sv[2], inq_before, inq_after;
	ssize_t n;

	printf("\n== 3. SIOCINQ after a partial read of one stream skb\n");
	pair(SOCK_STREAM, sv);
	if (write(sv[0], buf, 100) != 100)
		die("write");
	inq_before = ioctl_int(sv[1], SIOCINQ);
	n = read(sv[1], buf, 30);
	inq_after = ioctl_int(sv[1], SIOCINQ);
	printf("write 100; SIOCINQ %d; read(30) = %zd; SIOCINQ %d (70 = skb len - consumed)\n",
	       inq_before, n, inq_after);
	if (write(sv[0], buf, 50) != 50)
		die("write");
	printf("write 50 more: SIOCINQ %d\n", ioctl_int(sv[1], SIOCINQ));
	n = read(sv[1], buf, sizeof(buf));
	printf("read(all) = %zd; SIOCINQ %d\n", n, ioctl_int(sv[1], SIOCINQ));
	close(sv[0]);
	close(sv[1]);
}

static void dgram_pair(void)
{
	static const size_t sizes[] = { 1, 64, 1024, 4096, 65536 };
	long calls, bytes, last;
	int sv[2];

	printf("\n== 4. SOCK_DGRAM socketpair (ends are each other's peer): until EAGAIN\n");
	printf("%8s %8s %9s %10s %10s %9s\n", "dgram", "sent", "bytes", "SIOCOUTQ",
	       "SIOCINQ", "outq/skb");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pair(SOCK_DGRAM, sv);
		fill(sv[0], sizes[i], &calls, &bytes, &last);
		printf("%8zu %8ld %9ld %10d %10d %9ld\n", sizes[i], calls, bytes,
		       ioctl_int(sv[0], SIOCOUTQ), ioctl_int(sv[1], SIOCINQ),
		       calls ? ioctl_int(sv[0], SIOCOUTQ) / calls : 0);
		close(sv[0]);
		close(sv[1]);
	}
}

/* An abstract address "\0ipclab-limits-<pid>-<n>": no file, gone at close. */
static socklen_t abstract_addr(struct sockaddr_un *a, int n)
{
	int len;

	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	len = snprintf(a->sun_path + 1, sizeof(a->sun_path) - 1, "ipclab-limits-%d-%d",
		       (int)getpid(), n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
}

static void dgram_backlog(void)
{
	static const size_t sizes[] = { 1, 1024, 16384, 32768, 65536, 100000 };
	struct sockaddr_un a;
	long calls, bytes, last;
	socklen_t alen;
	int rx, tx;

	printf("\n== 5. SOCK_DGRAM receiver bound to an abstract name, sender connect()ed one way\n");
	printf("%8s %8s %9s %10s %10s\n", "dgram", "sent", "bytes", "SIOCOUTQ", "rx SIOCINQ");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		rx = socket(AF_UNIX, SOCK_DGRAM, 0);
		tx = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (rx < 0 || tx < 0)
			die("socket");
		alen = abstract_addr(&a, (int)i);
		if (bind(rx, (struct sockaddr *)&a, alen) < 0)
			die("bind");
		if (connect(tx, (struct sockaddr *)&a, alen) < 0)
			die("connect");
		fill(tx, sizes[i], &calls, &bytes, &last);
		printf("%8zu %8ld %9ld %10d %10d\n", sizes[i], calls, bytes,
		       ioctl_int(tx, SIOCOUTQ), ioctl_int(rx, SIOCINQ));
		close(rx);
		close(tx);
	}
}

/* Largest datagram accepted by an empty socketpair with sndbuf (0: default). */
static long max_dgram(int type, int sndbuf_req, int *sndbuf)
{
	long lo = 1, hi = sizeof(buf), mid;
	int sv[2];

	pair(type, sv);
	if (sndbuf_req && setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf_req,
				     sizeof(sndbuf_req)) < 0)
		die("setsockopt(SO_SNDBUF)");
	*sndbuf = sockopt_int(sv[0], SO_SNDBUF);
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		if (send(sv[0], buf, mid, 0) == mid) {
			lo = mid;
			if (recv(sv[1], buf, sizeof(buf), 0) != mid)
				die("recv");
		} else {
			if (errno != EMSGSIZE)
				die("send");
			hi = mid - 1;
		}
	}
	errno = 0;
	if (send(sv[0], buf, lo + 1, 0) >= 0 || errno != EMSGSIZE)
		die("send(max + 1) did not fail with EMSGSIZE");
	close(sv[0]);
	close(sv[1]);
	return lo;
}

static void emsgsize(void)
{
	static const int reqs[] = { 0, 4096, 65536 };
	int sndbuf;

	printf("\n== 6. EMSGSIZE: largest datagram that is accepted (one more byte fails)\n");
	for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		long d = max_dgram(SOCK_DGRAM, reqs[i], &sndbuf);
		long s = max_dgram(SOCK_SEQPACKET, reqs[i], &sndbuf);

		printf("SO_SNDBUF set %6d -> reads %6d: dgram max %ld, seqpacket max %ld "
		       "(sndbuf - %ld)\n", reqs[i], sndbuf, d, s, sndbuf - d);
	}
}

static void pipe_capacity(void)
{
	long calls, bytes, last;
	int fd[2];

	printf("\n== 7. pipe, non-blocking writer, until EAGAIN\n");
	for (size_t size = 1; size <= 65536; size *= 64) {
		if (pipe2(fd, O_NONBLOCK) < 0)
			die("pipe2");
		fill(fd[1], size, &calls, &bytes, &last);
		printf("%8zu-byte writes: %ld writes, %ld bytes\n", size, calls, bytes);
		close(fd[0]);
		close(fd[1]);
	}
}

int main(void)
{
	memset(buf, 'x', sizeof(buf));
	setvbuf(stdout, NULL, _IOLBF, 0);
	sysctls();
	stream_capacity();
	stream_partial_read();
	dgram_pair();
	dgram_backlog();
	emsgsize();
	pipe_capacity();
	return 0;
}
