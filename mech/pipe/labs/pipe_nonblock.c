// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_nonblock - the notes' four cases of a non-blocking read end.
 *
 * Course notes (section 3, 管道设置非阻塞):
 *   "若是读端设置为非阻塞"             (If the read end is non-blocking:)
 *   "写端没有关闭，管道没有数据，read返回-1"
 *   (1. write end open,   pipe empty: read returns -1)
 *   "写端没有关闭，管道有数据，read返回实际读到的字节数"
 *   (2. write end open,   pipe has data: read returns the bytes read)
 *   "写端已经关闭，管道有数据，read返回实际读到的字节数"
 *   (3. write end closed, pipe has data: read returns the bytes read)
 *   "写端已经关闭，管道没有数据，read返回 0"
 *   (4. write end closed, pipe empty: read returns 0)
 *
 *   The notes set the flag with F_GETFL / |= O_NONBLOCK / F_SETFL (their
 *   snippet mixes up "flags" and "flag"; the version below compiles).
 *   Case 1 is -1 with errno EAGAIN: "would block", not a real error.
 *
 * What it does (one process, "nonblock"):
 *   pipe(); fcntl(rfd, F_GETFL); fcntl(rfd, F_SETFL, flags | O_NONBLOCK);
 *   case 1: read(rfd, 100)                          -> -1 EAGAIN
 *   case 2: write(wfd, 10); read(rfd, 100)          -> 10
 *   case 3: write(wfd, 10); close(wfd); read(rfd, 100) -> 10
 *   case 4: read(rfd, 100)                          -> 0
 *   20 ms sleep between cases; close(rfd).
 *   Exit 0 if the results were -1/EAGAIN, 10, 10, 0.
 *
 * What to see in the trace:
 *   Four read() calls on the same fd, none of which sleeps in the kernel:
 *   -EAGAIN (-11), 10, 10, 0, in four groups 20 ms apart.  Cases 2 and 3
 *   return the same 10 bytes whatever the state of the write end: data
 *   in the pipe is always delivered first, and only an empty pipe tells
 *   "would block" (-EAGAIN) from "end of file" (0).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "../../lab.h"

static ssize_t nb_read(int rfd, int *err)
{
	char buf[100];
	ssize_t n;

	n = read(rfd, buf, sizeof(buf));
	*err = n < 0 ? errno : 0;
	if (n < 0 && *err != EAGAIN)
		die("read");
	return n;
}

static void write10(int wfd)
{
	ssize_t n = xwrite_fill(wfd, 10, 'n');

	if (n < 0)
		die("write");
	say("  write(%d, 10 bytes) = %zd", wfd, n);
	if (n != 10)
		exit(2);
}

static void show(int nr, const char *what, ssize_t n, int err)
{
	if (n < 0)
		say("case %d (%s): read = -1, errno %s", nr, what,
		    err == EAGAIN ? "EAGAIN" : strerror(err));
	else
		say("case %d (%s): read = %zd", nr, what, n);
}

int main(void)
{
	int fd[2], flags, ok, e1, e2, e3, e4;
	ssize_t r1, r2, r3, r4;

	set_role("nonblock");
	if (pipe(fd) < 0)
		die("pipe");

	/* The three steps of the notes, on the read end fd[0]. */
	flags = fcntl(fd[0], F_GETFL, 0);
	if (flags < 0)
		die("fcntl(F_GETFL)");
	flags |= O_NONBLOCK;
	if (fcntl(fd[0], F_SETFL, flags) < 0)
		die("fcntl(F_SETFL)");
	say("read end %d is now O_NONBLOCK", fd[0]);

	r1 = nb_read(fd[0], &e1);
	show(1, "writer open, pipe empty", r1, e1);
	sleep_ms(20);

	write10(fd[1]);
	r2 = nb_read(fd[0], &e2);
	show(2, "writer open, pipe has data", r2, e2);
	sleep_ms(20);

	write10(fd[1]);
	if (close(fd[1]) < 0)
		die("close(write end)");
	say("  closed the write end");
	r3 = nb_read(fd[0], &e3);
	show(3, "writer closed, pipe has data", r3, e3);
	sleep_ms(20);

	r4 = nb_read(fd[0], &e4);
	show(4, "writer closed, pipe empty", r4, e4);

	if (close(fd[0]) < 0)
		die("close(read end)");

	ok = r1 == -1 && e1 == EAGAIN && r2 == 10 && r3 == 10 && r4 == 0;
	say(ok ? "all four cases as the notes say" : "unexpected result");
	return ok ? 0 : 2;
}
