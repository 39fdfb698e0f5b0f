// SPDX-License-Identifier: GPL-2.0
/*
 * fifo_nonblock_open - open() with O_NONBLOCK: a reader may open at
 * once, a writer gets ENXIO while there is no reader (scenario
 * fifo_nonblock_open).
 *
 * Course notes (section 4, FIFO):
 *   "当创建了一个fifo，就可以使用open函数打开它"
 *   (Once a FIFO is created it can be opened with open().)
 *   What the notes leave out: a blocking open() waits for the other
 *   end (see fifo_open_blocks).  With O_NONBLOCK it never waits: the
 *   read side opens at once, and the write side fails with ENXIO if
 *   no process has the FIFO open for reading.
 *
 * Usage: fifo_nonblock_open [FIFO-PATH]   (default /tmp/ipclab-myfifo)
 *
 * What it does (one process, "nonblock"):
 *   mkfifo(path, 0644);
 *   open(path, O_WRONLY|O_NONBLOCK)   -> -1, ENXIO (no reader);
 *   sleep 20 ms;
 *   open(path, O_RDONLY|O_NONBLOCK)   -> r, at once (no writer needed);
 *   sleep 20 ms;
 *   open(path, O_WRONLY|O_NONBLOCK)   -> w, now that a reader exists;
 *   close(w); close(r); unlink(path).
 *   Exit 0 if the three opens gave ENXIO, an fd, an fd.
 *
 * What to see in the trace:
 *   Three openat() calls 20 ms apart, none of which sleeps: -ENXIO (-6),
 *   then two file descriptors.  The same O_WRONLY|O_NONBLOCK open
 *   fails or succeeds only according to whether a read end is open -
 *   the reader here is the same process, through the fd r.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lab.h"

int main(int argc, char **argv)
{
	const char *path;
	int w1, e1, r, w, rc, ok;

	set_role("nonblock");
	path = fifo_path(argc, argv);
	/* The first output: stdio's own fstat(1) comes before the FIFO. */
	say("FIFO path %s", path);

	if (mkfifo(path, 0644) < 0)
		die("mkfifo");
	fifo_created(path);
	say("mkfifo(\"%s\", 0644) = 0", path);

	w1 = open(path, O_WRONLY | O_NONBLOCK);
	e1 = errno;
	if (w1 < 0 && e1 != ENXIO)
		die("open(O_WRONLY|O_NONBLOCK)");
	if (w1 < 0)
		say("open(O_WRONLY|O_NONBLOCK) = -1, errno ENXIO (no reader)");
	else
		say("open(O_WRONLY|O_NONBLOCK) = %d: unexpected", w1);
	sleep_ms(20);

	r = open(path, O_RDONLY | O_NONBLOCK);
	if (r < 0)
		die("open(O_RDONLY|O_NONBLOCK)");
	say("open(O_RDONLY|O_NONBLOCK) = %d (no writer needed)", r);
	sleep_ms(20);

	w = open(path, O_WRONLY | O_NONBLOCK);
	if (w < 0)
		die("open(O_WRONLY|O_NONBLOCK)");
	say("open(O_WRONLY|O_NONBLOCK) = %d (fd %d is a reader)", w, r);

	if (close(w) < 0)
		die("close(w)");
	if (close(r) < 0)
		die("close(r)");
	rc = unlink(path);
	fifo_unlinked();
	if (rc < 0)
		die("unlink");
	say("unlink(\"%s\") = 0", path);

	ok = w1 == -1 && e1 == ENXIO;
	say(ok ? "ENXIO, then ok, ok" : "unexpected result");
	return ok ? 0 : 2;
}
