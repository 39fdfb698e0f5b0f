// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_sigpipe - writing with every read end closed: SIGPIPE kills the writer.
 *
 * Course notes (section 3, 管道的写操作):
 *   "读端全部关闭：如果写端继续一直写入，管道会被写满，进程终止，内核给当前进程发 SIGPIPE信号"
 *   (Every read end closed: if the writer keeps writing, the pipe fills
 *   up and the process is terminated: the kernel sends it SIGPIPE.)
 *
 *   The trace corrects one detail: nothing "fills up".  The very first
 *   write() after the last read end is gone fails at once, before a
 *   single byte is stored, and the kernel sends SIGPIPE right then.
 *
 * What it does:
 *   pipe(); fork().
 *   child  "writer": SIGPIPE back to its default action (in case the
 *                    program was started with it ignored or blocked);
 *                    close(read end); sleep 100 ms;
 *                    write(wfd, 10 bytes) -> SIGPIPE, the child dies here.
 *                    If write() returns anyway: print the error, exit 3.
 *   parent "parent": close(read end); close(write end); waitpid().
 *                    Exit 0 if the child was killed by SIGPIPE.
 *
 * What to see in the trace:
 *   The parent closes both of its ends at once; with the child's own read
 *   end closed too, the pipe has no reader left.  100 ms later the
 *   child's write() of 10 bytes ends with -EPIPE, a SIGPIPE is sent to
 *   the child during that write, and the child exits by that signal
 *   without ever returning to user space (no "write returned" line).
 *   The parent's waitpid() reports "killed by signal 13".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "../../lab.h"

static void writer(int wfd)
{
	ssize_t n;

	sleep_ms(100);
	say("write(%d, 10 bytes) with no reader left...", wfd);
	n = xwrite_fill(wfd, 10, 'x');
	/* Only reached if SIGPIPE did not kill us. */
	if (n < 0)
		say("write returned -1: %s (SIGPIPE did not kill us?)",
		    strerror(errno));
	else
		say("write returned %zd: the pipe still had a reader?", n);
	exit(3);
}

/*
 * SIGPIPE's default action is the point here: undo a SIG_IGN or a
 * blocked mask inherited from whatever started the program.
 */
static void sigpipe_default(void)
{
	sigset_t set;

	if (signal(SIGPIPE, SIG_DFL) == SIG_ERR)
		die("signal(SIGPIPE, SIG_DFL)");
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	if (sigprocmask(SIG_UNBLOCK, &set, NULL) < 0)
		die("sigprocmask");
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
		sigpipe_default();
		if (close(fd[0]) < 0)
			die("close(read end)");
		writer(fd[1]);
	}
	set_role("parent");
	if (close(fd[0]) < 0)
		die("close(read end)");
	if (close(fd[1]) < 0)
		die("close(write end)");
	say("closed both ends: the pipe has no reader left");
	status = wait_child(pid);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE) {
		say("as predicted: the writer was killed by SIGPIPE");
		return 0;
	}
	say("unexpected: the writer was not killed by SIGPIPE");
	return 1;
}
