// SPDX-License-Identifier: GPL-2.0
/*
 * fifo_unlink - unlink() removes the name, not the channel: an open
 * FIFO keeps working (scenario fifo_unlink).
 *
 * Course notes (section 4, FIFO):
 *   "当创建了一个fifo，就可以使用open函数打开它，常见的文件IO函数都可用于fifo。
 *    如close, read,write,unlink等。"
 *   (Once a FIFO is created it can be opened with open(), and the usual
 *   file I/O functions work on it: close, read, write, unlink and so on.)
 *   "仅仅用来表示内核中一条通道"
 *   (It only stands for a channel in the kernel.)
 *
 * Usage: fifo_unlink [FIFO-PATH]   (default /tmp/ipclab-myfifo)
 *
 * What it does (one process, "unlinker"):
 *   mkfifo(path, 0644);
 *   open(path, O_RDWR)               -> fd (Linux; POSIX leaves O_RDWR
 *                                       on a FIFO undefined);
 *   unlink(path)                     -> 0;
 *   write(fd, "still here", 10)      -> 10;
 *   read(fd, buf, 64)                -> 10, "still here";
 *   open(path, O_RDONLY|O_NONBLOCK)  -> -1, ENOENT;
 *   close(fd).
 *   Exit 0 if the results were 0, 10, 10 "still here", -1/ENOENT.
 *
 * What to see in the trace:
 *   The write() and read() after the unlink() go through the same FIFO
 *   object as before: the kernel buffer lives as long as an fd refers
 *   to it.  The name is gone, though: the second open() fails with
 *   -ENOENT (-2) at once, so no new process could join the channel.
 *   The FIFO object ends with the close().
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
	int fd, fd2, err, rc, ok;

	set_role("unlinker");
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
	say("open(O_RDWR) = %d", fd);

	rc = unlink(path);
	fifo_unlinked();
	if (rc < 0)
		die("unlink");
	say("unlink(\"%s\") = 0: the name is gone, fd %d is still open",
	    path, fd);

	n = write(fd, "still here", 10);
	if (n < 0)
		die("write");
	say("write(%d, \"still here\", 10) = %zd", fd, n);

	r = read(fd, buf, sizeof(buf));
	if (r < 0)
		die("read");
	say("read(%d, buf, %zu) = %zd \"%.*s\"", fd, sizeof(buf), r, (int)r,
	    buf);

	fd2 = open(path, O_RDONLY | O_NONBLOCK);
	err = errno;
	if (fd2 >= 0)
		say("open(O_RDONLY|O_NONBLOCK) = %d: unexpected", fd2);
	else
		say("open(\"%s\", O_RDONLY|O_NONBLOCK) = -1, errno %s (%s)",
		    path, err == ENOENT ? "ENOENT" : "?", strerror(err));

	if (close(fd) < 0)
		die("close");
	say("closed fd %d: the channel ends here", fd);

	ok = n == 10 && r == 10 && memcmp(buf, "still here", 10) == 0 &&
	     fd2 == -1 && err == ENOENT;
	say(ok ? "the FIFO worked after unlink(); only the name was gone" :
	    "unexpected result");
	return ok ? 0 : 2;
}
