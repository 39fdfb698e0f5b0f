// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_resize - F_SETPIPE_SZ changes the capacity of a pipe.
 *
 * Course notes (section 3, 管道原理):
 *   "实际操作过程中缓冲区会根据数据压力作适当调整"
 *   (In practice the buffer is adjusted to the data pressure.)
 *
 *   Linux does not grow a pipe by itself when it fills up: the writer
 *   blocks (or gets EAGAIN).  The size only changes when a program asks
 *   for it with fcntl(fd, F_SETPIPE_SZ, bytes).  The size is rounded up
 *   to a power-of-two number of pages, an unprivileged process may go
 *   up to /proc/sys/fs/pipe-max-size (1 MiB by default), and the kernel
 *   refuses (EBUSY) to shrink a pipe below the data it holds.
 *
 * What it does (one process, "resize"):
 *   pipe(); fcntl(wfd, F_GETFL); fcntl(wfd, F_SETFL, flags | O_NONBLOCK);
 *   fcntl(wfd, F_SETPIPE_SZ, 8192)    -> 8192 (2 slots);
 *   write(wfd, 4096) until EAGAIN      -> 2 chunks fit;
 *   fcntl(wfd, F_SETPIPE_SZ, 262144)  -> 262144 (64 slots);
 *   write(wfd, 4096) until EAGAIN      -> 62 more (64 in all);
 *   fcntl(wfd, F_SETPIPE_SZ, 4096)    -> -1 EBUSY;
 *   close(rfd); close(wfd).
 *   Exit 0 if 2 and then 64 chunks fit and the shrink failed with EBUSY.
 *
 * What to see in the trace:
 *   The same kind of non-blocking 4096-byte writes hit -EAGAIN after 2
 *   chunks, then, after the resize, after 64 chunks in all: the data
 *   already stored is kept and moved to the bigger ring.  The last
 *   fcntl() fails with -EBUSY (-16) because 64 stored pages do not fit
 *   in a 1-page ring.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "../../lab.h"

#define CHUNK	4096

/* Non-blocking 4096-byte writes until EAGAIN; returns how many fit. */
static int fill(int wfd, int *total)
{
	int chunks = 0;
	ssize_t n;

	/* The bound only stops a runaway loop. */
	while (chunks < 1024) {
		n = xwrite_fill(wfd, CHUNK, '0' + *total % 10);
		if (n < 0) {
			if (errno != EAGAIN)
				die("write");
			say("  write #%d = -1 EAGAIN: full, %d chunks fit",
			    *total + 1, chunks);
			return chunks;
		}
		if (n != CHUNK) {
			say("  write #%d = %zd: short write, unexpected",
			    *total + 1, n);
			exit(2);
		}
		chunks++;
		(*total)++;
	}
	return chunks;
}

static int set_size(int wfd, int size)
{
	int r = fcntl(wfd, F_SETPIPE_SZ, size);
	int err = errno;

	if (r < 0)
		say("fcntl(%d, F_SETPIPE_SZ, %d) = -1, errno %s", wfd, size,
		    err == EBUSY ? "EBUSY" : strerror(err));
	else
		say("fcntl(%d, F_SETPIPE_SZ, %d) = %d", wfd, size, r);
	errno = err;
	return r;
}

int main(void)
{
	int fd[2], flags, total = 0, first, second, r, shrink_err;

	set_role("resize");
	if (pipe(fd) < 0)
		die("pipe");
	flags = fcntl(fd[1], F_GETFL, 0);
	if (flags < 0)
		die("fcntl(F_GETFL)");
	flags |= O_NONBLOCK;
	if (fcntl(fd[1], F_SETFL, flags) < 0)
		die("fcntl(F_SETFL)");

	r = set_size(fd[1], 8192);
	if (r < 0)
		die("fcntl(F_SETPIPE_SZ, 8192)");
	if (r != 8192)
		return 2;
	first = fill(fd[1], &total);

	r = set_size(fd[1], 262144);
	if (r < 0)
		die("fcntl(F_SETPIPE_SZ, 262144)");
	if (r != 262144)
		return 2;
	second = fill(fd[1], &total);
	say("%d chunks stored in all (%d bytes)", total, total * CHUNK);

	r = set_size(fd[1], 4096);
	shrink_err = r < 0 ? errno : 0;

	if (close(fd[0]) < 0)
		die("close(read end)");
	if (close(fd[1]) < 0)
		die("close(write end)");

	if (first == 2 && first + second == 64 && r < 0 &&
	    shrink_err == EBUSY) {
		say("as predicted: 2 chunks, then 64, no shrinking (EBUSY)");
		return 0;
	}
	say("unexpected result");
	return 2;
}
