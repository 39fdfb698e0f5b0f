// SPDX-License-Identifier: GPL-2.0
/*
 * unix_capacity - how much a stream socket holds before its writer
 * would block: it depends on the size of the writes.  A pipe's 64 KiB
 * does not.
 *
 * Course notes (section 3, 管道原理, for pipes):
 *   "默认缓冲区大小为4k,可以使用ulimit -a 命令获取大小"
 *   (The default buffer size is 4k; "ulimit -a" shows it.)
 *
 *   A pipe holds 65536 bytes (pipe_capacity), whatever the writes.  A
 *   local stream socket has no byte capacity at all: each write() is
 *   queued as one skb (or several, above 36544 bytes) on the reader's
 *   socket, and every skb is charged to the writer's socket with its
 *   full memory cost, its truesize: the struct sk_buff and its head
 *   allocation (768 bytes for a small skb on this 6.18 kernel), plus the
 *   pages of a large one.  A new skb is allocated only while the charge
 *   (sk_wmem_alloc, what ioctl(SIOCOUTQ) reports) is below sk_sndbuf,
 *   net.core.wmem_default = 212992 here.  So small writes waste almost
 *   all of the budget on overhead, and large ones use it well.
 *
 * What it does (one process, "capacity"), for W = 1, 64, 4096, 65536:
 *   socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
 *   write(sv[0], W bytes) until -1 EAGAIN;
 *   print how many bytes went in;
 *   close(sv[0]); close(sv[1]); sleep 20 ms.
 *   Then the same with a pipe and 4096-byte writes, for comparison:
 *   pipe2(O_NONBLOCK); write until EAGAIN (65536 bytes).
 *   Exit 0 if every round ended in EAGAIN after at least one write,
 *   and small writes stored fewer bytes than large ones.
 *
 * What to see in the trace (numbers of this machine's 6.18 kernel):
 *   W = 1:     278 writes succeed: 278 bytes in 278 skbs, 768 bytes charged
 *              for each byte stored; write 279 gets -EAGAIN.
 *   W = 64:    278 writes again, 17792 bytes.
 *   W = 4096:  44 writes, 180224 bytes (4864 charged per skb).
 *   W = 65536: each write is cut into a 36544- and a 28992-byte skb;
 *              3 writes go in whole, the 4th only partly (36544 bytes:
 *              a short write, as non-blocking stream writes may be),
 *              233152 bytes in all; the 5th gets -EAGAIN.
 *   The pipe: 16 writes of 4096, 65536 bytes, then -EAGAIN.
 *   In every round the reader's queue (bytes and skbs) grows with each
 *   write until the writer's charge reaches sk_sndbuf.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../lab.h"

/* Non-blocking writes of size bytes until EAGAIN; the bytes stored. */
static long fill(int fd, size_t size, int *writes)
{
	static char buf[65536];
	long stored = 0;
	ssize_t n;

	memset(buf, 'c', sizeof(buf));
	for (*writes = 0; *writes < 1000000; ) {
		n = write(fd, buf, size);
		if (n < 0) {
			if (errno != EAGAIN)
				die("write");
			return stored;
		}
		(*writes)++;
		stored += n;
		if ((size_t)n != size)
			say("  write #%d (%zu bytes) = %zd: a short write", *writes, size, n);
	}
	say("  no EAGAIN after %d writes", *writes);
	exit(2);
}

static long socket_round(size_t size)
{
	int sv[2], writes;
	long stored;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) < 0)
		die("socketpair");
	stored = fill(sv[0], size, &writes);
	say("stream socket, %6zu-byte writes: %4d writes, %6ld bytes stored, then EAGAIN",
	    size, writes, stored);
	if (close(sv[0]) < 0 || close(sv[1]) < 0)
		die("close");
	sleep_ms(20);
	return writes > 0 ? stored : -1;
}

static long pipe_round(void)
{
	int p[2], writes;
	long stored;

	if (pipe2(p, O_NONBLOCK) < 0)
		die("pipe2");
	stored = fill(p[1], 4096, &writes);
	say("pipe,            4096-byte writes: %4d writes, %6ld bytes stored, then EAGAIN",
	    writes, stored);
	if (close(p[0]) < 0 || close(p[1]) < 0)
		die("close");
	return stored;
}

int main(void)
{
	static const size_t sizes[] = { 1, 64, 4096, 65536 };
	long stored[4], pipe_bytes;
	int ok = 1;

	set_role("capacity");
	for (size_t i = 0; i < 4; i++) {
		stored[i] = socket_round(sizes[i]);
		ok &= stored[i] > 0;
	}
	pipe_bytes = pipe_round();
	ok &= stored[0] < stored[2] && stored[2] <= stored[3];
	say("a stream socket holds %ld to %ld bytes depending on the write size; "
	    "a pipe %ld", stored[0], stored[3], pipe_bytes);
	return ok ? 0 : 2;
}
