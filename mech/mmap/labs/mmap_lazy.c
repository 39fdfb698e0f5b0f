// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_lazy - the notes say creating a mapping reads the file; in fact
 * mmap() reads nothing, and the first access to a page does.
 *
 * Course notes (section 5, 内存映射区, mmap注意事项):
 *   "创建映射区的过程中，隐含着一次对映射文件的读操作，将文件内容读到映射区"
 *   (Creating the mapping implies one read of the mapped file: the
 *   file's contents are read into the mapping.)
 *
 *   mmap() only records the range; it neither reads the file nor maps a
 *   single page.  The first load from the mapping takes a page fault,
 *   and that fault reads the file (here from the disk: the pages were
 *   dropped from the page cache first) and maps the page.
 *
 * What it does (one process, "lazy"):
 *   make_file(DIR/lazy.dat, 16 pages of 'L'); open(O_RDONLY);
 *   posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) (drop the clean pages
 *   from the page cache, so the first access has to go to the disk);
 *   mmap(16 pages, PROT_READ, MAP_PRIVATE); sleep 50 ms (nothing
 *   happens); read byte 0 of page 0; sleep 20 ms; munmap; close; unlink.
 *   Without a directory argument the file is /var/tmp/ipclab-lazy.dat.
 *   The mapping asks for a 2 MiB-aligned address (LAB_MAP_HINT), so that
 *   the pages the fault maps are the same on every run.
 *   Exit 0 if the byte read is 'L'.
 *
 * What to see in the trace:
 *   After mmap returns: 50 ms with no page fault and no page added to
 *   the page cache.  Then one read fault on page 0, and during that
 *   fault all 16 pages of the file are added to the page cache (the
 *   read of page 0 plus read-around: a fault reads a window of pages
 *   around the one it needs) and mapped (fault-around: pages 0-15).
 *   Then nothing more until munmap.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../lab.h"

#define NPAGES	16
#define LEN	(NPAGES * LAB_PAGE)

int main(int argc, char **argv)
{
	char path[PATH_MAX];
	long long t0, t1;
	char *p;
	int fd, err;
	char c;

	set_role("lazy");
	lab_path(path, sizeof(path), argc, argv, "lazy.dat");

	make_file(path, NPAGES, 'L');
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open");
	err = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	if (err) {
		errno = err;
		die("posix_fadvise(POSIX_FADV_DONTNEED)");
	}
	say("%s: %d pages, dropped from the page cache", path, NPAGES);

	p = mmap(LAB_MAP_HINT, LEN, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	say("mmap(%d pages) = %p: nothing read yet; sleeping 50 ms",
	    NPAGES, (void *)p);
	sleep_ms(50);

	t0 = now_ns();
	c = touch_read(p);
	t1 = now_ns();
	say("first access to page 0: '%c' (the fault took %lld us)",
	    c, (t1 - t0) / 1000);
	sleep_ms(20);
	if (munmap(p, LEN) < 0)
		die("munmap");
	if (close(fd) < 0)
		die("close");
	xunlink(path);
	return c == 'L' ? 0 : 2;
}
