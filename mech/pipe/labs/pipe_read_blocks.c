// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_read_blocks - read() blocks on an empty pipe until a write.
 *
 * Course notes (section 3, 管道的读操作, 无数据):
 *   "如果写端没有全关闭，read阻塞"
 *   (If not every write end is closed, read blocks.)
 *   and, once data is there: "read正常读，返回读出的字节数"
 *   (read reads normally and returns the number of bytes read.)
 *
 * What it does:
 *   pipe(); fork().
 *   child  "reader": close(write end);
 *                    read(rfd, 4096)  -> blocks ~200 ms, then 64;
 *                    read(rfd, 4096) until it returns 0;
 *                    close(read end); exit 0 if the first read gave 64.
 *   parent "writer": close(read end); sleep 200 ms;
 *                    write 64 bytes ("hello from the writer", padded);
 *                    close(write end); waitpid().
 *
 * What to see in the trace:
 *   The reader's first read() starts at once and sleeps inside the
 *   kernel for ~200 ms (the pipe is empty and the writer still holds
 *   the write end open).  The writer's write() of 64 bytes wakes it up:
 *   the read ends right after the write, returning 64, although the
 *   reader asked for 4096 - read() returns what is there, it does not
 *   wait for the full count.  The next read() returns 0 once the writer
 *   has closed its end.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "../../lab.h"

#define MSG_LEN	64

static int reader(int rfd)
{
	char buf[4096];
	ssize_t first, n;
	long t0;
	int shown;

	t0 = now_ms();
	first = read(rfd, buf, sizeof(buf));
	if (first < 0)
		die("read");
	/* Show the text without its padding. */
	for (shown = first; shown > 0 && (buf[shown - 1] == ' ' ||
					   buf[shown - 1] == '\n'); shown--)
		;
	say("read(%d, buf, %zu) = %zd after blocking %ld ms: \"%.*s\"",
	    rfd, sizeof(buf), first, now_ms() - t0, shown, buf);
	n = first;
	while (n > 0) {
		n = read(rfd, buf, sizeof(buf));
		if (n < 0)
			die("read");
		say("read(%d, buf, %zu) = %zd", rfd, sizeof(buf), n);
	}
	if (close(rfd) < 0)
		die("close(read end)");
	return first == MSG_LEN ? 0 : 2;
}

static void writer(int wfd)
{
	char msg[MSG_LEN];
	const char *text = "hello from the writer";
	ssize_t n;

	/* A readable line padded with spaces to exactly 64 bytes. */
	memset(msg, ' ', sizeof(msg));
	memcpy(msg, text, strlen(text));
	msg[MSG_LEN - 1] = '\n';

	sleep_ms(200);
	n = write(wfd, msg, sizeof(msg));
	if (n < 0)
		die("write");
	say("write(%d, \"%s...\", %zu) = %zd", wfd, text, sizeof(msg), n);
	if (n != MSG_LEN)
		exit(2);
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
