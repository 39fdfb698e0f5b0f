// SPDX-License-Identifier: GPL-2.0
/*
 * fifo_lseek - a FIFO cannot seek: lseek() fails with ESPIPE, and a
 * read always returns the oldest data (scenario fifo_lseek).
 *
 * Course notes (section 4, FIFO):
 *   "fifo严格遵循先进现出，对fifo的读总是从开始处返回数据，对于他们的写怎是把数据添加到末尾。
 *    他们不支持诸如lseek等文件定位操作(因为fifo文件并没有文件内容，文件内容在内核缓冲区内)"
 *   (A FIFO is strictly first in, first out: a read always returns data
 *   from the beginning, a write always appends at the end.  FIFOs do
 *   not support positioning such as lseek (the FIFO file has no
 *   content; the content is in a kernel buffer).)
 *
 * Usage: fifo_lseek [FIFO-PATH]   (default /tmp/ipclab-myfifo)
 *
 * What it does (one process, "seeker"):
 *   mkfifo(path, 0644);
 *   open(path, O_RDWR)        -> fd, at once;
 *   write(fd, "abcde", 5)     -> 5;
 *   lseek(fd, 0, SEEK_SET)    -> -1, ESPIPE;
 *   read(fd, buf, 64)         -> 5, "abcde";
 *   close(fd); unlink(path).
 *   Exit 0 if the results were 5, -1/ESPIPE, 5 "abcde".
 *
 *   O_RDWR on a FIFO: POSIX leaves the result undefined.  Linux allows
 *   it and the open() does not block - the process is its own reader
 *   and writer (fifo(7)).  It lets one process show the rule alone.
 *
 * What to see in the trace:
 *   lseek() returns -ESPIPE (-29) at once: there is no file position to
 *   move.  The read() that follows still returns "abcde" from its start,
 *   not from some offset: the kernel buffer is a queue, and a read
 *   takes the oldest bytes.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lab.h"

int main(int argc, char **argv)
{
	const char *path;
	char buf[64];
	ssize_t n, r;
	off_t off;
	int fd, err, rc, ok;

	set_role("seeker");
	path = fifo_path(argc, argv);
	/* The first output: stdio's own fstat(1) comes before the FIFO. */
	say("FIFO path %s", path);

	if (mkfifo(path, 0644) < 0)
		die("mkfifo");
	fifo_created(path);
	say("mkfifo(\"%s\", 0644) = 0", path);

	fd = open(path, O_RDWR);
	if (fd < 0)
		die("open(O_RDWR)");
	say("open(O_RDWR) = %d (Linux: no blocking)", fd);

	n = write(fd, "abcde", 5);
	if (n < 0)
		die("write");
	say("write(%d, \"abcde\", 5) = %zd", fd, n);

	off = lseek(fd, 0, SEEK_SET);
	err = errno;
	if (off < 0 && err != ESPIPE)
		die("lseek");
	if (off < 0)
		say("lseek(%d, 0, SEEK_SET) = -1, errno ESPIPE (%s)", fd,
		    strerror(err));
	else
		say("lseek(%d, 0, SEEK_SET) = %lld: unexpected", fd,
		    (long long)off);

	r = read(fd, buf, sizeof(buf));
	if (r < 0)
		die("read");
	say("read(%d, buf, %zu) = %zd \"%.*s\"", fd, sizeof(buf), r, (int)r,
	    buf);

	if (close(fd) < 0)
		die("close");
	rc = unlink(path);
	fifo_unlinked();
	if (rc < 0)
		die("unlink");
	say("unlink(\"%s\") = 0", path);

	ok = n == 5 && off == -1 && err == ESPIPE && r == 5 &&
	     memcmp(buf, "abcde", 5) == 0;
	say(ok ? "no seeking; the read starts at the oldest byte" :
	    "unexpected result");
	return ok ? 0 : 2;
}
