// SPDX-License-Identifier: GPL-2.0
/*
 * unix_epipe - writing to a stream socket whose peer is closed: EPIPE,
 * and SIGPIPE unless the writer says MSG_NOSIGNAL.
 *
 * Course notes (section 3, 管道的写操作, for pipes):
 *   "读端全部关闭：如果写端继续一直写入，管道会被写满，进程终止，内核给当前进程发 SIGPIPE信号"
 *   (Every read end closed: if the writer keeps writing ... the process
 *   is terminated: the kernel sends it SIGPIPE.)
 *
 *   A connected local socket (SOCK_STREAM, SOCK_SEQPACKET) follows the
 *   same rule: once the other end is closed, the first write() fails
 *   with EPIPE, without storing a byte, and the kernel sends SIGPIPE
 *   from inside that write().  Sockets have a way out that pipes lack:
 *   send(..., MSG_NOSIGNAL) reports EPIPE without any signal, for that
 *   one call, with SIGPIPE still at its default action.
 *
 * What it does, three rounds, one child each:
 *   socketpair(AF_UNIX, SOCK_STREAM, 0, sv); fork().
 *   parent "parent":  close(sv[0]); close(sv[1]): the child's peer socket
 *                     has no fd left and is released; waitpid().
 *   child, round 1 "writer":    SIGPIPE at its default action; close(sv[1]);
 *                     sleep 100 ms; write(sv[0], 10 bytes) -> SIGPIPE kills
 *                     it (exit 3 if it survives).
 *   child, round 2 "nosignal":  SIGPIPE at its default action; close(sv[1]);
 *                     sleep 100 ms; send(sv[0], 10 bytes, MSG_NOSIGNAL) ->
 *                     -1 EPIPE; close(sv[0]); exit 0.
 *   child, round 3 "ignorer":   signal(SIGPIPE, SIG_IGN); close(sv[1]);
 *                     sleep 100 ms; write(sv[0], 10 bytes) -> -1 EPIPE;
 *                     close(sv[0]); exit 0.
 *   Exit 0 if round 1's child died of SIGPIPE and rounds 2 and 3 saw
 *   EPIPE and exited normally.
 *
 * What to see in the trace:
 *   Each round: the parent's two close() calls release the peer socket,
 *   which shuts the connection down for the child's socket too.  100 ms
 *   later the child's write fails at once with -EPIPE (-32) and nothing
 *   is queued.  Round 1: a SIGPIPE is generated during the write() and
 *   the child dies there (waitpid: signal 13).  Round 2: the same error,
 *   but no signal is generated at all.  Round 3: the signal is
 *   generated and dropped (ignored), and the child lives on.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../lab.h"

enum how { PLAIN_WRITE, SEND_NOSIGNAL, WRITE_IGNORED };

/* SIGPIPE to its default action, unblocked: undo what the starter set. */
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

static void child(int fd, enum how how)
{
	static const char msg[10] = "xxxxxxxxxx";
	ssize_t n;
	int err;

	sleep_ms(100);
	if (how == SEND_NOSIGNAL) {
		say("send(%d, 10 bytes, MSG_NOSIGNAL) with the peer closed...", fd);
		n = send(fd, msg, sizeof(msg), MSG_NOSIGNAL);
	} else {
		say("write(%d, 10 bytes) with the peer closed...", fd);
		n = write(fd, msg, sizeof(msg));
	}
	err = errno;
	if (n >= 0) {
		say("returned %zd: the peer is still there?", n);
		exit(2);
	}
	if (how == PLAIN_WRITE) {
		/* Only reached if SIGPIPE did not kill us. */
		say("returned -1 %s: SIGPIPE did not kill us?", strerror(err));
		exit(3);
	}
	say("returned -1 %s, and I am alive", err == EPIPE ? "EPIPE" : strerror(err));
	if (close(fd) < 0)
		die("close");
	exit(err == EPIPE ? 0 : 2);
}

/* One round; 1 if the child ended as predicted. */
static int round_of(const char *name, enum how how)
{
	int sv[2], status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		set_role(name);
		if (how == WRITE_IGNORED) {
			if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
				die("signal(SIGPIPE, SIG_IGN)");
		} else {
			sigpipe_default();
		}
		if (close(sv[1]) < 0)
			die("close(sv[1])");
		child(sv[0], how);
	}
	if (close(sv[0]) < 0 || close(sv[1]) < 0)
		die("close");
	say("closed both ends: %s's peer socket is gone", name);
	status = wait_child(pid);
	if (how == PLAIN_WRITE)
		return WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE;
	return child_ok(status);
}

int main(void)
{
	int ok;

	set_role("parent");
	ok = round_of("writer", PLAIN_WRITE);
	ok &= round_of("nosignal", SEND_NOSIGNAL);
	ok &= round_of("ignorer", WRITE_IGNORED);
	say(ok ? "EPIPE in all three rounds; SIGPIPE killed only the plain writer"
	       : "unexpected result");
	return ok ? 0 : 1;
}
