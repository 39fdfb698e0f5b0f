// SPDX-License-Identifier: GPL-2.0
/*
 * fifo_hello_writer - process A of the notes' FIFO example (scenario
 * fifo_hello, together with fifo_hello_reader).
 *
 * Course notes (section 4, FIFO):
 *   "但通过FIFO,不相关的进程也能通信"
 *   (But through a FIFO, unrelated processes can communicate too.)
 *   "进程A：创建一个fifo文件，myfifo / 调用open函数打开myfifo文件 /
 *    调用write函数写入一个字符串 如“hello world” (其实是将数据写入到内核缓冲区) /
 *    调用close函数关闭myfifo文件"
 *   (Process A: create a FIFO file, myfifo; open myfifo with open();
 *   write a string such as "hello world" with write() (in fact the data
 *   goes into a kernel buffer); close myfifo with close().)
 *
 * Usage: fifo_hello_writer [FIFO-PATH]   (default /tmp/ipclab-myfifo)
 *   Start fifo_hello_reader with the same path at the same moment:
 *     ./fifo_hello_writer P & ./fifo_hello_reader P; wait
 *   The two are unrelated processes: no fork(), no shared fd, only the
 *   path and the sleeps.
 *
 * What it does (one process, "writer"):
 *   mkfifo(path, 0644)                 -> 0 (EEXIST is fatal: a left-over
 *                                         FIFO from an earlier run);
 *   open(path, O_WRONLY)               -> blocks ~200 ms, until the reader
 *                                         opens the other end;
 *   write(fd, "hello world", 11)       -> 11;
 *   close(fd); sleep 100 ms; unlink(path).
 *   Exit 0 if the write returned 11.
 *
 * What to see in the trace:
 *   mkfifo() is a mknodat() with S_IFIFO: it only makes a name, no
 *   channel yet.  The writer's open() sleeps in the kernel for about
 *   200 ms: opening one end of a FIFO waits for the other end (the
 *   notes do not say so).  The reader's open() wakes it, and both
 *   open() calls end at the same moment.  The write() then puts 11
 *   bytes into the kernel buffer behind the name, the reader's read()
 *   takes them out, and the writer's close() (the last write end) is
 *   what gives the reader's second read() its 0.  The unlink() 100 ms
 *   later removes only the name.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lab.h"

int main(int argc, char **argv)
{
	const char *path;
	ssize_t n;
	long t0;
	int fd, rc;

	set_role("writer");
	path = fifo_path(argc, argv);
	/* The first output: stdio's own fstat(1) comes before the FIFO. */
	say("FIFO path %s", path);

	if (mkfifo(path, 0644) < 0) {
		if (errno == EEXIST)
			fprintf(stderr, "%s exists already (left over from "
				"an earlier run?): remove it and start again\n",
				path);
		die("mkfifo");
	}
	fifo_created(path);
	say("mkfifo(\"%s\", 0644) = 0", path);

	t0 = now_ms();
	fd = open(path, O_WRONLY);
	if (fd < 0)
		die("open(O_WRONLY)");
	say("open(O_WRONLY) = %d after blocking %ld ms (the reader opened "
	    "the other end)", fd, now_ms() - t0);

	n = write(fd, "hello world", 11);
	if (n < 0)
		die("write");
	say("write(%d, \"hello world\", 11) = %zd", fd, n);

	if (close(fd) < 0)
		die("close");
	say("closed the write end: the reader's next read() returns 0");

	sleep_ms(100);
	rc = unlink(path);
	fifo_unlinked();
	if (rc < 0)
		die("unlink");
	say("unlink(\"%s\") = 0", path);
	return n == 11 ? 0 : 2;
}
