// SPDX-License-Identifier: GPL-2.0
/*
 * fifo_enoent - process B started before process A: open() fails with
 * ENOENT (scenario fifo_enoent).
 *
 * Course notes (section 4, FIFO):
 *   "注意:myfifo文件是在进程A中创建的，如果先启动进程B就会报错。"
 *   (Note: myfifo is created by process A; if process B is started
 *   first, it fails.)
 *
 * Usage: fifo_enoent [FIFO-PATH]   (default /tmp/ipclab-myfifo)
 *   The path must not exist.  (If it is a FIFO left over from an
 *   earlier run, the open() below blocks waiting for a writer instead:
 *   remove it.)
 *
 * What it does (one process, "reader-first"):
 *   open(path, O_RDONLY)   -> -1, errno ENOENT (no such file).
 *   Exit 0 if errno was ENOENT.
 *
 * What to see in the trace:
 *   A single openat() that returns -ENOENT (-2) at once.  The "error" of
 *   the notes is not a FIFO error at all: nothing was created, so the
 *   name lookup fails like for any missing file.  No FIFO object ever
 *   appears in the trace.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "../../lab.h"

int main(int argc, char **argv)
{
	const char *path;
	int fd, err;

	set_role("reader-first");
	path = fifo_path(argc, argv);
	/* The first output: stdio's own fstat(1) comes before the open. */
	say("FIFO path %s (nobody has created it)", path);

	fd = open(path, O_RDONLY);
	err = errno;
	if (fd >= 0) {
		say("open(O_RDONLY) = %d: the path exists, unexpected", fd);
		return 2;
	}
	say("open(\"%s\", O_RDONLY) = -1, errno %s (%s)", path,
	    err == ENOENT ? "ENOENT" : "?", strerror(err));
	return err == ENOENT ? 0 : 2;
}
