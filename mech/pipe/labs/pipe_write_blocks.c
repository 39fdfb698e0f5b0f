// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_write_blocks - write() blocks on a full pipe until a read drains it.
 *
 * Course notes (section 3, 管道的写操作, 读端没有全部关闭):
 *   "缓冲区写满了，write阻塞"
 *   (When the buffer is full, write blocks.)
 *   "缓冲区没写满，继续write"
 *   (While the buffer is not full, write goes on.)
 *
 * What it does:
 *   pipe(); fork().
 *   child  "reader": close(write end); sleep 300 ms;
 *                    read(rfd, 4096) once  -> frees one slot, wakes the writer;
 *                    sleep 100 ms;
 *                    read(rfd, 65536) until it returns 0;
 *                    close(read end); exit 0 if 17 * 4096 bytes came through.
 *   parent "writer": close(read end);
 *                    17 x write(wfd, 4096 bytes)  (blocking fd);
 *                    close(write end); waitpid().
 *
 * What to see in the trace:
 *   Writes 1 to 16 return at once: each 4096-byte write takes one of the
 *   ring's 16 page slots (64 KiB, not the 4 KiB the notes say - see
 *   pipe_capacity).  Write 17 finds the ring full and sleeps in the
 *   kernel for ~300 ms.  It ends right after the reader's first
 *   read() of 4096 bytes, which emptied one slot and woke the writer.
 *   100 ms later the reader gets the 16 slots left (65536 bytes) in one
 *   read(), then 0 since the writer has closed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "../../lab.h"

#define CHUNK	4096
#define NCHUNK	17

static int reader(int rfd)
{
	static char buf[65536];
	size_t total;
	ssize_t n;

	sleep_ms(300);
	n = read(rfd, buf, CHUNK);
	if (n < 0)
		die("read");
	say("read(%d, buf, %d) = %zd: one slot free, the writer wakes up",
	    rfd, CHUNK, n);
	total = n;

	sleep_ms(100);
	do {
		n = read(rfd, buf, sizeof(buf));
		if (n < 0)
			die("read");
		say("read(%d, buf, %zu) = %zd", rfd, sizeof(buf), n);
		total += n;
	} while (n > 0);

	if (close(rfd) < 0)
		die("close(read end)");
	say("got %zu bytes in all (expected %d)", total, NCHUNK * CHUNK);
	return total == NCHUNK * CHUNK ? 0 : 2;
}

static void writer(int wfd)
{
	ssize_t n;
	long t0;
	int i;

	for (i = 1; i <= NCHUNK; i++) {
		t0 = now_ms();
		n = xwrite_fill(wfd, CHUNK, 'a' + (i - 1) % 26);
		if (n < 0)
			die("write");
		say("write #%d (%d bytes) = %zd after %ld ms", i, CHUNK, n,
		    now_ms() - t0);
		if (n != CHUNK)
			exit(2);
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
