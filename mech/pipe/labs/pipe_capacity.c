// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_capacity - the notes say the pipe buffer is 4 KiB: measure it.
 *
 * Course notes (section 3, 管道原理):
 *   "默认缓冲区大小为4k,可以使用ulimit -a 命令获取大小"
 *   (The default buffer size is 4k; "ulimit -a" shows it.)
 *   and 查看管道缓冲区大小: "函数 :  long fpathconf(int fd, int name);"
 *   (To see the pipe buffer size, use fpathconf().)
 *
 *   Both sources answer another question.  "ulimit -a" (pipe size: 8 x
 *   512 bytes) and fpathconf(fd, _PC_PIPE_BUF) give PIPE_BUF = 4096:
 *   the largest write() the kernel promises not to interleave with other
 *   writers (see pipe_atomic).  The capacity - how much a pipe holds
 *   before write() blocks - is 16 pages = 65536 bytes on Linux, and
 *   fcntl(fd, F_GETPIPE_SZ) reports it.
 *
 * What it does (one process, "capacity"):
 *   pipe(); print fpathconf(wfd, _PC_PIPE_BUF) (4096) and
 *   fcntl(wfd, F_GETPIPE_SZ) (65536);
 *   fcntl(wfd, F_GETFL); fcntl(wfd, F_SETFL, flags | O_NONBLOCK);
 *   write(wfd, 4096 bytes of '0' + i % 10) until one fails with EAGAIN
 *   (16 successes, then -1 EAGAIN); one more write of 1 byte -> EAGAIN too;
 *   print "capacity: N bytes"; close(rfd); close(wfd).
 *   Exit 0 if 16 chunks fit.
 *
 * What to see in the trace:
 *   16 writes of 4096 bytes that return 4096 without ever sleeping, then
 *   a write that returns -EAGAIN (-11) because every slot of the ring is
 *   used: 65536 bytes are stored, sixteen times what the notes say.  The
 *   1-byte write fails as well: a full slot cannot take one more byte,
 *   and there is no free slot.  (With a blocking write end, the 17th
 *   write would sleep instead: see pipe_write_blocks.)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "../../lab.h"

#define CHUNK	4096

int main(void)
{
	int fd[2], flags, chunks = 0, ok;
	long pipe_buf, size;
	size_t stored = 0;
	ssize_t n;

	set_role("capacity");
	if (pipe(fd) < 0)
		die("pipe");

	errno = 0;
	pipe_buf = fpathconf(fd[1], _PC_PIPE_BUF);
	if (pipe_buf < 0)
		die("fpathconf(_PC_PIPE_BUF)");
	say("fpathconf(%d, _PC_PIPE_BUF) = %ld  (PIPE_BUF: atomic-write limit)",
	    fd[1], pipe_buf);
	size = fcntl(fd[1], F_GETPIPE_SZ);
	if (size < 0)
		die("fcntl(F_GETPIPE_SZ)");
	say("fcntl(%d, F_GETPIPE_SZ) = %ld  (the capacity)", fd[1], size);

	flags = fcntl(fd[1], F_GETFL, 0);
	if (flags < 0)
		die("fcntl(F_GETFL)");
	flags |= O_NONBLOCK;
	if (fcntl(fd[1], F_SETFL, flags) < 0)
		die("fcntl(F_SETFL)");

	/* The bound only stops a runaway loop; 16 is what we expect. */
	while (chunks < 1024) {
		n = xwrite_fill(fd[1], CHUNK, '0' + chunks % 10);
		if (n < 0) {
			if (errno != EAGAIN)
				die("write");
			say("write #%d (%d bytes) = -1 EAGAIN: pipe full",
			    chunks + 1, CHUNK);
			break;
		}
		say("write #%d (%d bytes) = %zd", chunks + 1, CHUNK, n);
		stored += n;
		if (n != CHUNK) {
			say("short write: unexpected");
			return 2;
		}
		chunks++;
	}

	n = xwrite_fill(fd[1], 1, '!');
	if (n < 0 && errno != EAGAIN)
		die("write");
	if (n < 0)
		say("write (1 byte) = -1 EAGAIN: not even one more byte");
	else
		say("write (1 byte) = %zd: unexpected", n);

	say("capacity: %zu bytes (%d chunks of %d)", stored, chunks, CHUNK);
	if (close(fd[0]) < 0)
		die("close(read end)");
	if (close(fd[1]) < 0)
		die("close(write end)");

	ok = chunks == 16 && n < 0;
	return ok ? 0 : 2;
}
