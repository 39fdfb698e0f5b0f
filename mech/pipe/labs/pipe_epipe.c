// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_epipe - the same with SIGPIPE ignored: write() fails with EPIPE.
 *
 * Course notes (section 3, 管道的写操作):
 *   "读端全部关闭：如果写端继续一直写入，管道会被写满，进程终止，内核给当前进程发 SIGPIPE信号"
 *   (Every read end closed: if the writer keeps writing, the pipe fills
 *   up and the process is terminated: the kernel sends it SIGPIPE.)
 *
 *   "The process is terminated" is only SIGPIPE's default action.  A
 *   process that ignores SIGPIPE survives, and the write() itself tells
 *   what happened: it returns -1 with errno EPIPE.  (Servers do this so
 *   that a client going away does not kill them.)
 *
 * What it does:
 *   pipe(); fork().
 *   child  "writer": signal(SIGPIPE, SIG_IGN); close(read end);
 *                    sleep 100 ms; write(wfd, 10 bytes) -> -1 EPIPE;
 *                    close(write end); exit 0 if errno was EPIPE.
 *   parent "parent": close(read end); close(write end); waitpid().
 *                    Exit 0 if the child exited normally with status 0.
 *
 * What to see in the trace:
 *   Same as pipe_sigpipe up to the write(): it fails at once with
 *   -EPIPE (-32) and nothing is stored.  The kernel still sends SIGPIPE
 *   during the write, but an ignored signal is simply dropped, so the
 *   child goes on: it closes its write end and exits normally with
 *   status 0.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "../../lab.h"

static int writer(int wfd)
{
	ssize_t n;
	int err;

	sleep_ms(100);
	n = xwrite_fill(wfd, 10, 'x');
	err = errno;
	if (n < 0)
		say("write(%d, 10 bytes) = -1, errno %d (%s)", wfd, err,
		    strerror(err));
	else
		say("write(%d, 10 bytes) = %zd: unexpected", wfd, n);
	if (close(wfd) < 0)
		die("close(write end)");
	return n < 0 && err == EPIPE ? 0 : 2;
}

int main(void)
{
	int fd[2], status;
	pid_t pid;

	if (pipe(fd) < 0)
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		set_role("writer");
		if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
			die("signal(SIGPIPE, SIG_IGN)");
		if (close(fd[0]) < 0)
			die("close(read end)");
		exit(writer(fd[1]));
	}
	set_role("parent");
	if (close(fd[0]) < 0)
		die("close(read end)");
	if (close(fd[1]) < 0)
		die("close(write end)");
	say("closed both ends: the pipe has no reader left");
	status = wait_child(pid);
	if (child_ok(status)) {
		say("as predicted: the writer got EPIPE and exited normally");
		return 0;
	}
	say("unexpected: the writer did not exit with status 0");
	return 1;
}
