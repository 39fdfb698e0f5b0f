// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_two_way - one pipe carries data one way; two pipes for a dialogue.
 *
 * Course notes (section 3, 管道的局限性):
 *   "数据只能在一个方向上流动，若想实现双向流动，必须使用两个管道"
 *   (Data flows in one direction only; for two-way traffic you must use
 *   two pipes.)
 *
 * What it does:
 *   pipe(to_child); pipe(to_parent); fork().
 *   child  "child":  close(to_child write end); close(to_parent read end);
 *                    3 x { read(to_child, 64) -> 16 "ping N";
 *                          write(to_parent, 16 "pong N") };
 *                    read(to_child, 64) -> 0 (the parent closed);
 *                    close(to_child read end); close(to_parent write end);
 *                    exit 0 if all went as expected.
 *   parent "parent": close(to_child read end); close(to_parent write end);
 *                    3 x { write(to_child, 16 "ping N");
 *                          read(to_parent, 64) -> 16 "pong N" };
 *                    close(to_child write end);
 *                    read(to_parent, 64) -> 0 (the child closed);
 *                    waitpid().
 *
 * What to see in the trace:
 *   Two pipes, each with exactly one writer and one reader: pings only
 *   ever go through to_child, pongs only through to_parent.  Each side's
 *   read() blocks until the other side's write() on the other pipe: the
 *   trace is a zig-zag of write -> wake -> read -> write -> wake -> read.
 *   At the end the parent's close() ends the child's last read() with 0,
 *   and the child's close() ends the parent's last read() with 0.
 *   Every process closes the ends it does not use right after fork():
 *   if the child kept to_parent's read end, it could read its own pongs
 *   back, and the final reads would never see end of file.
 *   The parent's read end of to_parent is left for exit() to close.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "../../lab.h"

#define MSG_LEN	16
#define ROUNDS	3

/* Write one 16-byte message "<word> <nr>", NUL padded. */
static void send_msg(int fd, const char *word, int nr)
{
	char msg[MSG_LEN] = { 0 };
	ssize_t n;

	snprintf(msg, sizeof(msg), "%s %d", word, nr);
	n = write(fd, msg, sizeof(msg));
	if (n < 0)
		die("write");
	say("write(%d, \"%s\", %d) = %zd", fd, msg, MSG_LEN, n);
	if (n != MSG_LEN)
		exit(2);
}

/* One read(fd, 64); returns 0 if it brought exactly "<word> <nr>". */
static int recv_msg(int fd, const char *word, int nr)
{
	char buf[64], want[MSG_LEN] = { 0 };
	ssize_t n;

	n = read(fd, buf, sizeof(buf));
	if (n < 0)
		die("read");
	snprintf(want, sizeof(want), "%s %d", word, nr);
	say("read(%d, buf, %zu) = %zd: \"%.*s\"", fd, sizeof(buf), n,
	    (int)strnlen(buf, n > 0 ? n : 0), buf);
	return n == MSG_LEN && memcmp(buf, want, MSG_LEN) == 0 ? 0 : -1;
}

/* One read(fd, 64) that should see end of file. */
static int recv_eof(int fd)
{
	char buf[64];
	ssize_t n;

	n = read(fd, buf, sizeof(buf));
	if (n < 0)
		die("read");
	say("read(%d, buf, %zu) = %zd%s", fd, sizeof(buf), n,
	    n == 0 ? " (end of file)" : "");
	return n == 0 ? 0 : -1;
}

static int child(int in, int out)
{
	int i, bad = 0;

	for (i = 1; i <= ROUNDS; i++) {
		bad |= recv_msg(in, "ping", i);
		send_msg(out, "pong", i);
	}
	bad |= recv_eof(in);
	if (close(in) < 0)
		die("close(to_child read end)");
	if (close(out) < 0)
		die("close(to_parent write end)");
	return bad ? 2 : 0;
}

static int parent(int out, int in)
{
	int i, bad = 0;

	for (i = 1; i <= ROUNDS; i++) {
		send_msg(out, "ping", i);
		bad |= recv_msg(in, "pong", i);
	}
	if (close(out) < 0)
		die("close(to_child write end)");
	say("closed to_child's write end");
	bad |= recv_eof(in);
	return bad;
}

int main(void)
{
	int to_child[2], to_parent[2], bad;
	pid_t pid;

	if (pipe(to_child) < 0)
		die("pipe(to_child)");
	if (pipe(to_parent) < 0)
		die("pipe(to_parent)");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		set_role("child");
		if (close(to_child[1]) < 0)
			die("close(to_child write end)");
		if (close(to_parent[0]) < 0)
			die("close(to_parent read end)");
		exit(child(to_child[0], to_parent[1]));
	}
	set_role("parent");
	if (close(to_child[0]) < 0)
		die("close(to_child read end)");
	if (close(to_parent[1]) < 0)
		die("close(to_parent write end)");
	bad = parent(to_child[1], to_parent[0]);
	if (!child_ok(wait_child(pid)))
		return 1;
	return bad ? 2 : 0;
}
