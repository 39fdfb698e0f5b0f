// SPDX-License-Identifier: GPL-2.0
/*
 * fifo_on_disk - the FIFO file has type p and size 0, even while data
 * sits in the kernel buffer (scenario fifo_on_disk).
 *
 * Course notes (section 4, FIFO):
 *   "FIFO是linux基础文件类型的一种(文件类型为p， ls -l可以查看文件类型)
 *    但FIFO文件在磁盘上没有数据块，文件大小为0，仅仅用来表示内核中一条通道。"
 *   (A FIFO is one of Linux's basic file types (type p, shown by ls -l),
 *   but a FIFO file has no data blocks on disk and its size is 0; it
 *   only stands for a channel in the kernel.)
 *   "进程可以打开这个文件进行read/wirte。实际上是在读写内核缓冲区。"
 *   (Processes open this file to read/write it; in fact they read and
 *   write a kernel buffer.)
 *
 * Usage: fifo_on_disk [FIFO-PATH]   (default /tmp/ipclab-myfifo)
 *
 * What it does (one process, "ondisk"):
 *   mkfifo(path, 0644);
 *   open(path, O_RDWR)       -> fd, at once (Linux; POSIX leaves O_RDWR
 *                               on a FIFO undefined);
 *   write(fd, 100 x 'x')     -> 100;
 *   stat(path)               -> S_ISFIFO, st_size 0 (100 bytes buffered);
 *   read(fd, buf, 200)       -> 100;
 *   stat(path)               -> S_ISFIFO, st_size 0;
 *   close(fd); unlink(path).
 *   stat() is the glibc function: on x86_64 it is a newfstatat() syscall.
 *   Exit 0 if both stats said FIFO and size 0 and the I/O moved 100 bytes.
 *
 * What to see in the trace:
 *   The write() puts 100 bytes in the kernel buffer (occupancy 100), yet
 *   the newfstatat() on the name right after it reports size 0: the
 *   data is not in the file.  The read() empties the buffer and the
 *   second newfstatat() reports the same size 0.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lab.h"

static int show_stat(const char *path, const char *when)
{
	struct stat st;

	if (stat(path, &st) < 0)
		die("stat");
	say("stat(\"%s\") %s: S_ISFIFO %d (type %c), mode %04o, "
	    "st_size %lld, st_blocks %lld", path, when,
	    S_ISFIFO(st.st_mode) ? 1 : 0, S_ISFIFO(st.st_mode) ? 'p' : '?',
	    (unsigned int)(st.st_mode & 07777), (long long)st.st_size,
	    (long long)st.st_blocks);
	return S_ISFIFO(st.st_mode) && st.st_size == 0;
}

int main(int argc, char **argv)
{
	const char *path;
	char buf[200];
	ssize_t n, r;
	int fd, rc, ok1, ok2, ok;

	set_role("ondisk");
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

	n = xwrite_fill(fd, 100, 'x');
	if (n < 0)
		die("write");
	say("write(%d, 100 bytes 'x') = %zd", fd, n);

	ok1 = show_stat(path, "with 100 bytes buffered");

	r = read(fd, buf, sizeof(buf));
	if (r < 0)
		die("read");
	say("read(%d, buf, %zu) = %zd", fd, sizeof(buf), r);

	ok2 = show_stat(path, "with the buffer empty");

	if (close(fd) < 0)
		die("close");
	rc = unlink(path);
	fifo_unlinked();
	if (rc < 0)
		die("unlink");
	say("unlink(\"%s\") = 0", path);

	ok = ok1 && ok2 && n == 100 && r == 100;
	say(ok ? "type p, size 0, data only in the kernel" :
	    "unexpected result");
	return ok ? 0 : 2;
}
