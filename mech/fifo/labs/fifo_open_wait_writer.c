// SPDX-License-Identifier: GPL-2.0
/*
 * fifo_open_wait_writer - the writer that releases a reader blocked in
 * open() (scenario fifo_open_blocks, with fifo_open_wait_reader).
 *
 * Course notes (section 4, FIFO):
 *   "当创建了一个fifo，就可以使用open函数打开它，常见的文件IO函数都可用于fifo。"
 *   (Once a FIFO is created it can be opened with open(), and the usual
 *   file I/O functions work on it.)
 *   What the notes leave out: a blocking open() of one end waits for
 *   the other end.  Here the reader is already waiting, so this
 *   O_WRONLY open() returns at once and wakes it.
 *
 * Usage: fifo_open_wait_writer [FIFO-PATH]   (default /tmp/ipclab-myfifo)
 *   Start it at the same moment as fifo_open_wait_reader, same path:
 *     ./fifo_open_wait_reader P & ./fifo_open_wait_writer P; wait
 *
 * What it does (one process, "writer"):
 *   wait until the FIFO exists, then sleep 200 ms
 *                               (the reader has made it and is blocked
 *                                in its open());
 *   open(path, O_WRONLY)        -> returns at once;
 *   write(fd, "ready", 5)       -> 5;
 *   close(fd).
 *   Exit 0 if the write returned 5.
 *
 * What to see in the trace:
 *   This open() does not sleep; the reader's open(), asleep since the
 *   start, ends at the same moment.  The writer's close() drops the
 *   last write end, which gives the reader's second read() a 0.  The
 *   writer does not unlink the FIFO: the reader made it and removes it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "../../lab.h"

int main(int argc, char **argv)
{
	const char *path;
	ssize_t n;
	long t0;
	int fd;

	set_role("writer");
	path = fifo_path(argc, argv);
	/* The first output: stdio's own fstat(1) comes before the FIFO. */
	say("FIFO path %s", path);

	wait_for_path(path);
	sleep_ms(200);
	t0 = now_ms();
	fd = open(path, O_WRONLY);
	if (fd < 0)
		die("open(O_WRONLY)");
	say("open(O_WRONLY) = %d after %ld ms (the reader was waiting)",
	    fd, now_ms() - t0);

	n = write(fd, "ready", 5);
	if (n < 0)
		die("write");
	say("write(%d, \"ready\", 5) = %zd", fd, n);

	if (close(fd) < 0)
		die("close");
	say("closed the write end");
	return n == 5 ? 0 : 2;
}
