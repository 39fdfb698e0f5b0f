// SPDX-License-Identifier: GPL-2.0
/*
 * unix_pass_fd - pass a pipe's write end to another process with
 * SCM_RIGHTS; that process then writes into the very same pipe.
 *
 * Course notes (section 3, 管道):
 *   "管道是一种最基本的IPC机制，也称匿名管道，应用于有血缘关系的进程之间"
 *   (A pipe is the most basic IPC mechanism, also called an anonymous
 *   pipe, used between related processes.)
 *
 *   "Related" because the only ordinary way to reach a pipe is to
 *   inherit its fds across fork().  A local socket offers another way:
 *   sendmsg() with an SCM_RIGHTS control message carries open files,
 *   and the receiver's recvmsg() installs a new fd for each of them in
 *   the receiving process.  The receiver gets the same open file - the
 *   same pipe object - not a copy of its data.
 *
 * What it does:
 *   socketpair(AF_UNIX, SOCK_STREAM, 0, sv); fork().
 *   child  "helper": close(sv[0]);
 *                    recvmsg(sv[1]) -> blocks ~100 ms, then 1 byte plus one
 *                    fd (SCM_RIGHTS), installed as its lowest free fd N;
 *                    fstat(N): a pipe; sleep 50 ms, then until the owner
 *                    sleeps in read() (it has closed its own write end);
 *                    write(N, "written by the helper", 21); close(N);
 *                    close(sv[1]); exit 0.
 *   parent "owner":  close(sv[1]); sleep 100 ms;
 *                    pipe(p)  - made only now, after the fork(): the helper
 *                               never inherited it;
 *                    fstat(p[1]);
 *                    sendmsg(sv[0], 1 byte "P" + SCM_RIGHTS { p[1] });
 *                    close(p[1]): the helper's fd is now the only write end;
 *                    read(p[0], 64) -> blocks until the helper's write, 21;
 *                    read(p[0], 64) -> 0 (the helper closed the last write end);
 *                    close(p[0]); close(sv[0]); waitpid().
 *   Exit 0 if the owner read the helper's 21 bytes, then 0.  (The two
 *   fstat() lines print the same inode number: one pipe.)
 *
 * What to see in the trace:
 *   One pipe object, created by the owner after the fork().  The
 *   owner's sendmsg() queues one 1-byte skb that carries the open file
 *   on the helper's socket, and wakes the helper's recvmsg(), which
 *   returns 1 and installs a new fd for the pipe's write end in the
 *   helper.  The helper's write() then goes into the owner's pipe -
 *   same object, same inode - and wakes the owner's read().  The
 *   owner's second read() returns 0 only after the helper's close(),
 *   because the helper's fd was the last write end.
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../../lab.h"

/* Room for one fd in a control message, aligned as the kernel wants it. */
union fd_cmsg {
	char buf[CMSG_SPACE(sizeof(int))];
	struct cmsghdr align;
};

static ino_t fd_inode(int fd, const char *who)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		die("fstat");
	say("fstat(%d): %s, inode %lu (%s)", fd, S_ISFIFO(st.st_mode) ? "a pipe" : "NOT a pipe",
	    (unsigned long)st.st_ino, who);
	return st.st_ino;
}

/* sendmsg() of one byte with fd attached as SCM_RIGHTS. */
static void send_fd(int sock, int fd)
{
	union fd_cmsg u;
	char byte = 'P';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	ssize_t n;

	memset(&u, 0, sizeof(u));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	n = sendmsg(sock, &msg, 0);
	if (n < 0)
		die("sendmsg");
	say("sendmsg(%d, 1 byte + SCM_RIGHTS {fd %d}) = %zd", sock, fd, n);
}

/* recvmsg() of one byte and the fd that came with it (-1 if none). */
static int recv_fd(int sock)
{
	union fd_cmsg u;
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	long t0 = now_ms();
	ssize_t n;
	int fd = -1;

	n = recvmsg(sock, &msg, 0);
	if (n < 0)
		die("recvmsg");
	c = CMSG_FIRSTHDR(&msg);
	if (n == 1 && c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	say("recvmsg(%d) = %zd after %ld ms, SCM_RIGHTS gave fd %d", sock, n,
	    now_ms() - t0, fd);
	return fd;
}

static int helper(int sock)
{
	static const char msg[] = "written by the helper";
	ssize_t n;
	int fd;

	fd = recv_fd(sock);
	if (fd < 0) {
		say("no fd came with the message: unexpected");
		return 2;
	}
	fd_inode(fd, "the fd that came through the socket");
	/* let the owner close its own write end and go to sleep in its read() first: then the
	 * helper's is the last write end and its write wakes the read, in every run (on a busy
	 * machine a fixed pause could end before the owner got there) */
	sleep_ms(50);
	wait_asleep_in(getppid(), "pipe_read");	/* anon_pipe_read on 6.18 */
	n = write(fd, msg, strlen(msg));
	if (n < 0)
		die("write");
	say("write(%d, \"%s\", %zu) = %zd: into the owner's pipe", fd, msg, strlen(msg), n);
	if (close(fd) < 0 || close(sock) < 0)
		die("close");
	return n == (ssize_t)strlen(msg) ? 0 : 2;
}

static int owner(int sock)
{
	char buf[64];
	ssize_t n1, n2;
	int p[2], ok;

	sleep_ms(100);
	if (pipe(p) < 0)
		die("pipe");
	say("pipe() = {%d, %d}: made after the fork, the helper cannot have it", p[0], p[1]);
	fd_inode(p[1], "the owner's write end");
	send_fd(sock, p[1]);
	if (close(p[1]) < 0)
		die("close(p[1])");
	say("closed my write end: the helper holds the only one");

	n1 = read(p[0], buf, sizeof(buf));
	if (n1 < 0)
		die("read");
	say("read(%d, buf, %zu) = %zd \"%.*s\"", p[0], sizeof(buf), n1, (int)n1, buf);
	ok = n1 == 21 && memcmp(buf, "written by the helper", 21) == 0;
	n2 = read(p[0], buf, sizeof(buf));
	if (n2 < 0)
		die("read");
	say("read(%d, buf, %zu) = %zd (the helper closed the last write end)", p[0],
	    sizeof(buf), n2);
	if (close(p[0]) < 0 || close(sock) < 0)
		die("close");
	return ok && n2 == 0;
}

int main(void)
{
	int sv[2], ok;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		set_role("helper");
		if (close(sv[0]) < 0)
			die("close(sv[0])");
		exit(helper(sv[1]));
	}
	set_role("owner");
	if (close(sv[1]) < 0)
		die("close(sv[1])");
	ok = owner(sv[0]);
	if (!child_ok(wait_child(pid)))
		return 1;
	say(ok ? "the helper wrote into the owner's pipe through a passed fd"
	       : "unexpected result");
	return ok ? 0 : 2;
}
