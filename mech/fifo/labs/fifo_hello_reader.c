// SPDX-License-Identifier: GPL-2.0
/*
 * fifo_hello_reader - process B of the notes' FIFO example (scenario
 * fifo_hello, together with fifo_hello_writer).
 *
 * Course notes (section 4, FIFO):
 *   "进程B: 调用open函数打开myfifo文件，获得文件描述符 /
 *    调用read函数读取文件内容(起始就是从内核中读取数据) /
 *    调用close函数关闭myfifo文件"
 *   (Process B: open myfifo with open() and get a file descriptor;
 *   read the file's content with read() (in fact it reads from the
 *   kernel); close myfifo with close().)
 *   "注意:myfifo文件是在进程A中创建的，如果先启动进程B就会报错。"
 *   (Note: myfifo is created by process A; if B is started first it
 *   fails.  Hence the 200 ms sleep below; fifo_enoent shows the error.)
 *
 * Usage: fifo_hello_reader [FIFO-PATH]   (default /tmp/ipclab-myfifo)
 *   Start it at the same moment as fifo_hello_writer, same path:
 *     ./fifo_hello_writer P & ./fifo_hello_reader P; wait
 *
 * What it does (one process, "reader"):
 *   wait until the FIFO exists, then sleep 200 ms
 *                                 (the writer has made it and is blocked
 *                                  in its open());
 *   open(path, O_RDONLY)          -> returns at once: a writer is waiting;
 *   read(fd, buf, 64)             -> 11, "hello world";
 *   read(fd, buf, 64)             -> 0 (the writer has closed its end);
 *   close(fd).
 *   Exit 0 if it got the 11 bytes "hello world" and then 0.
 *
 * What to see in the trace:
 *   No fork() anywhere: the two lanes are unrelated processes that
 *   meet on the FIFO's name.  The reader's open() returns at once and
 *   wakes the writer's open(), which had been sleeping ~200 ms.  The
 *   first read() returns 11 although it asked for 64 (read() returns
 *   what is there; if it runs before the writer's write() it sleeps
 *   until that write).  The second read() returns 0 once the writer's
 *   close() has dropped the last write end, as with a pipe.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "../../lab.h"

int main(int argc, char **argv)
{
	const char *path;
	char buf[64];
	ssize_t r1, r2;
	long t0;
	int fd, ok;

	set_role("reader");
	path = fifo_path(argc, argv);
	/* The first output: stdio's own fstat(1) comes before the FIFO. */
	say("FIFO path %s", path);

	wait_for_path(path);
	sleep_ms(200);
	t0 = now_ms();
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		if (errno == ENOENT)
			fprintf(stderr, "%s does not exist: start "
				"fifo_hello_writer first (or together)\n",
				path);
		die("open(O_RDONLY)");
	}
	say("open(O_RDONLY) = %d after %ld ms (the writer was waiting)",
	    fd, now_ms() - t0);

	r1 = read(fd, buf, sizeof(buf));
	if (r1 < 0)
		die("read");
	say("read(%d, buf, %zu) = %zd \"%.*s\"", fd, sizeof(buf), r1,
	    (int)r1, buf);
	ok = r1 == 11 && memcmp(buf, "hello world", 11) == 0;

	r2 = read(fd, buf, sizeof(buf));
	if (r2 < 0)
		die("read");
	say("read(%d, buf, %zu) = %zd (end of file: the writer closed)",
	    fd, sizeof(buf), r2);

	if (close(fd) < 0)
		die("close");
	ok = ok && r2 == 0;
	say(ok ? "got \"hello world\" through the FIFO" : "unexpected result");
	return ok ? 0 : 2;
}
