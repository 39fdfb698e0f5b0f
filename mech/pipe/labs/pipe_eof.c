// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_eof - read() returns 0 once every write end is closed.
 *
 * Course notes (section 3, 管道的读操作, 无数据):
 *   "如果写端全部关闭，read解除阻塞，返回0，相当于读文件读到了尾部"
 *   (If every write end is closed, read unblocks and returns 0, just
 *   like reading a file up to its end.)
 *
 * What it does:
 *   pipe(); fork().
 *   child  "reader": close(write end);
 *                    read(rfd, 4096) -> 100;
 *                    read(rfd, 4096) -> blocks ~200 ms, then 0;
 *                    close(read end); exit 0 if the results were 100, 0.
 *   parent "writer": close(read end); write 100 bytes; sleep 200 ms;
 *                    close(write end)  <- this wakes the reader;
 *                    waitpid().
 *
 * What to see in the trace:
 *   The first read() returns the 100 bytes.  The second read() finds
 *   the pipe empty while a write end is still open, so it blocks.  It
 *   does not end with a write: it ends right after the writer's close(),
 *   returning 0.  Closing the last write end is an event the reader is
 *   woken for.  That is also why the reader closes its own copy of the
 *   write end right after fork(): with it open, "every write end
 *   closed" would never be true and the second read() would block
 *   forever.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "../../lab.h"

static int reader(int rfd)
{
	char buf[4096];
	ssize_t r1, r2;
	long t0;

	r1 = read(rfd, buf, sizeof(buf));
	if (r1 < 0)
		die("read");
	say("read(%d, buf, %zu) = %zd", rfd, sizeof(buf), r1);

	t0 = now_ms();
	r2 = read(rfd, buf, sizeof(buf));
	if (r2 < 0)
		die("read");
	say("read(%d, buf, %zu) = %zd after blocking %ld ms (end of file)",
	    rfd, sizeof(buf), r2, now_ms() - t0);

	if (close(rfd) < 0)
		die("close(read end)");
	return r1 == 100 && r2 == 0 ? 0 : 2;
}

static void writer(int wfd)
{
	ssize_t n;

	n = xwrite_fill(wfd, 100, 'e');
	if (n < 0)
		die("write");
	say("write(%d, 100 bytes) = %zd", wfd, n);
	if (n != 100)
		exit(2);
	sleep_ms(200);
	if (close(wfd) < 0)
		die("close(write end)");
	say("closed the write end: the reader's read() returns 0 now");
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
