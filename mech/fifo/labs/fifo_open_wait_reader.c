// SPDX-License-Identifier: GPL-2.0
/*
 * fifo_open_wait_reader - open() of a FIFO blocks until the other end
 * is opened (scenario fifo_open_blocks, with fifo_open_wait_writer).
 *
 * Course notes (section 4, FIFO):
 *   "当创建了一个fifo，就可以使用open函数打开它，常见的文件IO函数都可用于fifo。
 *    如close, read,write,unlink等。"
 *   (Once a FIFO is created it can be opened with open(), and the usual
 *   file I/O functions work on it: close, read, write, unlink and so on.)
 *   What the notes leave out: unlike a regular file, a blocking open()
 *   of a FIFO for reading does not return until some process opens it
 *   for writing (and the other way round).
 *
 * Usage: fifo_open_wait_reader [FIFO-PATH]   (default /tmp/ipclab-myfifo)
 *   Start fifo_open_wait_writer with the same path at the same moment:
 *     ./fifo_open_wait_reader P & ./fifo_open_wait_writer P; wait
 *
 * What it does (one process, "reader"):
 *   mkfifo(path, 0644);
 *   open(path, O_RDONLY)     -> blocks ~200 ms, until the writer opens;
 *   read(fd, buf, 64)        -> 5, "ready";
 *   read(fd, buf, 64)        -> 0 (the writer has closed its end);
 *   close(fd); unlink(path).
 *   Exit 0 if the reads returned 5 ("ready") and 0.
 *
 * What to see in the trace:
 *   The reader's open() starts right after mkfifo() and sleeps in the
 *   kernel for about 200 ms, before any data exists: it is waiting for
 *   a writer, not for data.  It ends at the moment of the writer's
 *   open(), which itself returns at once because a reader is already
 *   waiting.  Then 5 bytes go through and the writer's close() gives
 *   the second read() its 0.
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
	ssize_t r1, r2;
	long t0;
	int fd, rc, ok;

	set_role("reader");
	path = fifo_path(argc, argv);
	/* The first output: stdio's own fstat(1) comes before the FIFO. */
	say("FIFO path %s", path);

	if (mkfifo(path, 0644) < 0)
		die("mkfifo");
	fifo_created(path);
	say("mkfifo(\"%s\", 0644) = 0", path);

	t0 = now_ms();
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open(O_RDONLY)");
	say("open(O_RDONLY) = %d after blocking %ld ms (a writer opened "
	    "the other end)", fd, now_ms() - t0);

	r1 = read(fd, buf, sizeof(buf));
	if (r1 < 0)
		die("read");
	say("read(%d, buf, %zu) = %zd \"%.*s\"", fd, sizeof(buf), r1,
	    (int)r1, buf);
	ok = r1 == 5 && memcmp(buf, "ready", 5) == 0;

	r2 = read(fd, buf, sizeof(buf));
	if (r2 < 0)
		die("read");
	say("read(%d, buf, %zu) = %zd (end of file: the writer closed)",
	    fd, sizeof(buf), r2);

	if (close(fd) < 0)
		die("close");
	rc = unlink(path);
	fifo_unlinked();
	if (rc < 0)
		die("unlink");
	say("unlink(\"%s\") = 0", path);

	ok = ok && r2 == 0;
	say(ok ? "open() waited for the writer" : "unexpected result");
	return ok ? 0 : 2;
}
