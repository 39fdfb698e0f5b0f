// SPDX-License-Identifier: GPL-2.0
/*
 * unix_socketpair_transfer - parent -> child over a stream socketpair:
 * the same transfer as pipe_transfer, and what differs inside the kernel.
 *
 * Course notes (section 2, 进程间通信的方式):
 *   "现在常用的进程间通信方法有：1）管道，使用最简单 … 4）本地套接字，最稳定"
 *   (The IPC methods in common use today: 1) pipes, the simplest ...
 *   4) local sockets, the most stable.)
 *
 *   socketpair(AF_UNIX, SOCK_STREAM) gives two connected sockets, used
 *   like a pipe's two ends: what one end writes, the other end reads.
 *   Unlike a pipe, both ends can read and write (one connection, two
 *   directions), and the data of each direction waits in the receiving
 *   socket's queue of skbs (socket buffers), not in a ring of pages.
 *
 * What it does:
 *   socketpair(AF_UNIX, SOCK_STREAM, 0, sv); fork().
 *   child  "reader": close(sv[0]); sleep 200 ms;
 *                    read(sv[1], 65536) until it returns 0 (8000, then 0);
 *                    close(sv[1]); exit 0 if 8000 bytes came through.
 *   parent "writer": close(sv[1]);
 *                    write 1000 x 'a', 1000 x 'b', 1000 x 'c', 5000 x 'd'
 *                    on sv[0] (four write() calls, no sleep in between);
 *                    close(sv[0]); waitpid().
 *
 * What to see in the trace:
 *   Each write() copies its bytes once, from the writer's buffer into a
 *   new skb, and queues that skb on the *reader's* socket.  There is no
 *   merging: a pipe put 'a', 'b' and 'c' into one page, the socket keeps
 *   four skbs (1000, 1000, 1000, 5000 bytes: the reader's queue goes
 *   1000/1 skb, 2000/2, 3000/3, 8000/4).  The writer's socket is charged
 *   for every skb (sk_wmem_alloc, what SIOCOUTQ reports) until the reader
 *   has taken it.  200 ms later one read() copies all 8000 bytes out -
 *   the second copy - and frees the four skbs: a stream read goes on
 *   across skbs, the boundaries between the writes are gone.  The
 *   writer's close() shuts the connection down, and the reader's second
 *   read() returns 0, as with a pipe.
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <unistd.h>

#include "../../lab.h"

#define TOTAL	8000

static int reader(int fd)
{
	static char buf[65536];
	size_t total = 0;
	ssize_t n;

	sleep_ms(200);
	do {
		n = read(fd, buf, sizeof(buf));
		if (n < 0)
			die("read");
		say("read(%d, buf, %zu) = %zd", fd, sizeof(buf), n);
		total += n;
	} while (n > 0);
	if (close(fd) < 0)
		die("close");
	say("got %zu bytes in all (expected %d)", total, TOTAL);
	return total == TOTAL ? 0 : 2;
}

static void writer(int fd)
{
	static const struct { size_t len; char c; } msgs[] = {
		{ 1000, 'a' }, { 1000, 'b' }, { 1000, 'c' }, { 5000, 'd' },
	};
	ssize_t n;

	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		n = xwrite_fill(fd, msgs[i].len, msgs[i].c);
		if (n < 0)
			die("write");
		say("write(%d, %zu x '%c') = %zd", fd, msgs[i].len, msgs[i].c, n);
		if ((size_t)n != msgs[i].len)
			exit(2);
	}
	if (close(fd) < 0)
		die("close");
	say("closed my end: the reader's next read() returns 0");
}

int main(void)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		set_role("reader");
		if (close(sv[0]) < 0)
			die("close(sv[0])");
		exit(reader(sv[1]));
	}
	set_role("writer");
	if (close(sv[1]) < 0)
		die("close(sv[1])");
	writer(sv[0]);
	return child_ok(wait_child(pid)) ? 0 : 1;
}
