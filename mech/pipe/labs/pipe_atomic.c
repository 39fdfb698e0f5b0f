// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_atomic - writes of up to PIPE_BUF bytes are never interleaved.
 *
 * Course notes (section 3, 管道的特质 / 查看管道缓冲区大小):
 *   "管道的本质是一块内核缓冲区"
 *   (A pipe is, in essence, a kernel buffer.)
 *   "函数 :  long fpathconf(int fd, int name);"
 *   (fpathconf() tells the pipe's buffer size.)
 *
 *   Several processes may write into that one buffer.  What fpathconf(fd,
 *   _PC_PIPE_BUF) really returns, PIPE_BUF = 4096, is the atomicity
 *   limit: POSIX promises that a write() of at most PIPE_BUF bytes lands
 *   in the pipe in one piece, never mixed with another writer's data.
 *   Larger writes get no such promise: see pipe_atomic_large.
 *
 * What it does:
 *   pipe(); fork 3 writers.
 *   children "writer-A", "writer-B", "writer-C": close(read end);
 *            16 x write(wfd, 4096 bytes of 'A' / 'B' / 'C'), no sleeps;
 *            exit (the write end is closed by exit).
 *   parent   "reader": close(write end) once all 3 are forked;
 *            sleep 100 ms; 48 x read(rfd, 4096) with 1 ms sleeps in
 *            between; checks that each 4096-byte chunk is a single
 *            letter; waitpid() x 3 (the read end is closed by exit).
 *   Exit 0 if no chunk was mixed and every writer exited with 0.
 *
 * What to see in the trace:
 *   writer-A, forked first, usually stores all its 16 chunks before the
 *   others start: that fills the 16 slots exactly, and A exits without
 *   ever blocking.  writer-B and writer-C then sleep in write() because
 *   the pipe is full.  After 100 ms each read() of 4096 bytes frees one
 *   slot and wakes one sleeping writer, whose next write() goes in
 *   whole; B and C take turns, so the stream reads A x 16, then
 *   B C B C ...  Whatever the order, every chunk the reader gets is 4096
 *   bytes of one letter: "mixed chunks: 0".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "../../lab.h"

#define CHUNK		4096		/* = PIPE_BUF */
#define NWRITERS	3
#define PER_WRITER	16
#define NREADS		(NWRITERS * PER_WRITER)

static void writer(int wfd, char c)
{
	ssize_t n;
	int i;

	for (i = 0; i < PER_WRITER; i++) {
		n = xwrite_fill(wfd, CHUNK, c);
		if (n < 0)
			die("write");
		if (n != CHUNK) {
			say("write #%d = %zd: short write, unexpected",
			    i + 1, n);
			exit(2);
		}
	}
	say("%d writes of %d bytes done", PER_WRITER, CHUNK);
	exit(0);
}

/* The chunk's letter, or '?' if it holds more than one. */
static char chunk_letter(const char *buf, size_t len)
{
	size_t i;

	for (i = 1; i < len; i++)
		if (buf[i] != buf[0])
			return '?';
	return buf[0];
}

static int reader(int rfd)
{
	char buf[CHUNK], order[NREADS + 1];
	int i, mixed = 0, bad = 0;
	ssize_t n;

	sleep_ms(100);
	for (i = 0; i < NREADS; i++) {
		if (i)
			sleep_ms(1);
		n = read(rfd, buf, sizeof(buf));
		if (n < 0)
			die("read");
		if (n != CHUNK) {
			say("read #%d = %zd: expected %d", i + 1, n, CHUNK);
			bad = 1;
			order[i] = '-';
			continue;
		}
		order[i] = chunk_letter(buf, n);
		if (order[i] == '?')
			mixed++;
	}
	order[NREADS] = '\0';
	say("%d reads of %d bytes, one letter per chunk: %s", NREADS, CHUNK,
	    order);
	say("mixed chunks: %d", mixed);
	return mixed || bad;
}

int main(void)
{
	static const char *names[NWRITERS] = {
		"writer-A", "writer-B", "writer-C",
	};
	pid_t pid[NWRITERS];
	int fd[2], i, bad, failed = 0;

	if (pipe(fd) < 0)
		die("pipe");
	for (i = 0; i < NWRITERS; i++) {
		pid[i] = fork();
		if (pid[i] < 0)
			die("fork");
		if (pid[i] == 0) {
			set_role(names[i]);
			if (close(fd[0]) < 0)
				die("close(read end)");
			writer(fd[1], 'A' + i);
		}
	}
	set_role("reader");
	if (close(fd[1]) < 0)
		die("close(write end)");
	bad = reader(fd[0]);
	for (i = 0; i < NWRITERS; i++)
		if (!child_ok(wait_child(pid[i])))
			failed = 1;
	return bad ? 2 : failed;
}
