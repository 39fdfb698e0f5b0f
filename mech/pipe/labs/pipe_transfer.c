// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_transfer - parent -> child transfer, and how the ring fills.
 *
 * Course notes (section 3, 管道原理 / 管道的特质):
 *   "管道的实质是内核缓冲区，内部使用环形队列实现"
 *   (A pipe is really a kernel buffer, implemented as a ring queue.)
 *   "规定数据从管道的写端流入管道，从读端流出"
 *   (Data flows into the pipe at the write end and out at the read end.)
 *
 * What it does:
 *   pipe(); fork().
 *   child  "reader": close(write end); sleep 200 ms;
 *                    read(rfd, 65536) until it returns 0 (8000, then 0);
 *                    close(read end); exit 0 if 8000 bytes came through.
 *   parent "writer": close(read end);
 *                    write 1000 x 'a', 1000 x 'b', 1000 x 'c', 5000 x 'd'
 *                    (four write() calls, no sleep in between);
 *                    close(write end); waitpid().
 *
 * What to see in the trace:
 *   The four writes all complete at once: nobody is reading yet, the
 *   data just sits in the ring.  The ring is made of page-sized slots
 *   (16 x 4 KiB by default), and small writes are merged into the last,
 *   not yet full slot: after 'a', 'b', 'c' one slot holds 3000 bytes.
 *   The 5000-byte write first tops that slot up with 904 bytes
 *   (5000 mod 4096), then takes a fresh slot for the other 4096.  So
 *   8000 bytes occupy 2 of the 16 slots.  200 ms later the reader's
 *   first read() takes all 8000 bytes in one go (one read does not
 *   match one write: a pipe is a byte stream, not a message queue), and
 *   the second read() returns 0 because the writer has closed its end.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "../../lab.h"

#define TOTAL	8000

static int reader(int rfd)
{
	static char buf[65536];
	size_t total = 0;
	ssize_t n;

	sleep_ms(200);
	do {
		n = read(rfd, buf, sizeof(buf));
		if (n < 0)
			die("read");
		say("read(%d, buf, %zu) = %zd", rfd, sizeof(buf), n);
		total += n;
	} while (n > 0);
	if (close(rfd) < 0)
		die("close(read end)");
	say("got %zu bytes in all (expected %d)", total, TOTAL);
	return total == TOTAL ? 0 : 2;
}

static void writer(int wfd)
{
	static const struct { size_t len; char c; } w[] = {
		{ 1000, 'a' }, { 1000, 'b' }, { 1000, 'c' }, { 5000, 'd' },
	};
	size_t i;
	ssize_t n;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		n = xwrite_fill(wfd, w[i].len, w[i].c);
		if (n < 0)
			die("write");
		say("write(%d, %zu x '%c') = %zd", wfd, w[i].len, w[i].c, n);
		if ((size_t)n != w[i].len) {
			say("short write: unexpected");
			exit(2);
		}
	}
	if (close(wfd) < 0)
		die("close(write end)");
	say("closed the write end");
}

int main(void)
{
	int fd[2];
	pid_t pid;

	if (pipe(fd) < 0)
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		set_role("reader");
		if (close(fd[1]) < 0)
			die("close(write end)");
		exit(reader(fd[0]));
	}
	set_role("writer");
	if (close(fd[0]) < 0)
		die("close(read end)");
	writer(fd[1]);
	return child_ok(wait_child(pid)) ? 0 : 1;
}
