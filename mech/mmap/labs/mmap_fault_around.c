// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_fault_around - one read fault maps several pages at once
 * (fault-around), while write faults on a shared mapping come one per
 * page.
 *
 * Course notes (section 5, 内存映射区, mmap注意事项):
 *   "创建映射区的过程中，隐含着一次对映射文件的读操作，将文件内容读到映射区"
 *   (Creating the mapping implies one read of the mapped file: the
 *   file's contents are read into the mapping.)
 *
 *   Nothing is mapped by mmap() itself (see mmap_lazy); pages come in on
 *   faults.  But not one fault per page: a read fault on a file mapping
 *   also maps the pages around it that are already in the page cache,
 *   up to 64 KiB (16 pages, /sys/kernel/debug/fault_around_bytes),
 *   read-only.  A write fault on a MAP_SHARED mapping maps just its own
 *   page, writable, because the kernel has to note each page that
 *   becomes dirty.  (Both hold for 4 KiB page cache folios, which is
 *   what make_file() creates by writing the file one page at a time; a
 *   fault maps a large folio whole.  See make_file() in lab.h.)
 *
 * What it does (one process, "around"):
 *   make_file(DIR/around.dat, 32 pages of 'a') (the pages stay in the
 *   page cache after the writes + fsync); open(O_RDWR);
 *   mmap(32 pages, PROT_READ, MAP_SHARED) = R; close(fd);
 *   read byte 0 of pages 0, 1, ..., 15 of R in order, 1 ms apart;
 *   munmap(R);
 *   make_file(DIR/around2.dat, 8 pages of 'b'); open(O_RDWR);
 *   mmap(8 pages, PROT_READ|PROT_WRITE, MAP_SHARED) = W; close(fd);
 *   write 'w' to byte 0 of pages 0, 1, ..., 7 of W in order (never read
 *   first), 1 ms apart; munmap(W); unlink both files.
 *   Without a directory argument the files are /var/tmp/ipclab-around.dat
 *   and /var/tmp/ipclab-around2.dat.  R asks for a 2 MiB-aligned address
 *   (LAB_MAP_HINT): the fault-around window is aligned on 16 page-table
 *   entries and cut at the end of the page table, so at a random address
 *   the fault on page 0 could map anything from 1 to 16 pages.
 *   Exit 0 if every byte read was 'a'.
 *
 * What to see in the trace:
 *   In R: 16 loads, 1 ms apart, but a single read fault, on page 0; it
 *   mapped pages 0-15 (one fault-around, file offsets 0-65535), and pages
 *   16-31 are never faulted.  In W: 8
 *   stores and 8 write faults, one on each page 0-7, 1 ms apart, and
 *   each of them dirties its page.  No page is added to the page cache
 *   by any fault: make_file's writes left all of them there.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../lab.h"

#define R_PAGES		32
#define R_TOUCHED	16
#define W_PAGES		8

int main(int argc, char **argv)
{
	char path_r[PATH_MAX], path_w[PATH_MAX];
	char *r, *w;
	int fd, i, bad = 0;

	set_role("around");
	lab_path(path_r, sizeof(path_r), argc, argv, "around.dat");
	lab_path(path_w, sizeof(path_w), argc, argv, "around2.dat");

	/* Reads: one fault maps 16 pages. */
	make_file(path_r, R_PAGES, 'a');
	fd = open(path_r, O_RDWR);
	if (fd < 0)
		die("open");
	r = mmap(LAB_MAP_HINT, R_PAGES * LAB_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (r == MAP_FAILED)
		die("mmap");
	if (close(fd) < 0)
		die("close");
	say("R = mmap(%d pages, PROT_READ, MAP_SHARED) = %p; reading pages 0-%d",
	    R_PAGES, (void *)r, R_TOUCHED - 1);
	for (i = 0; i < R_TOUCHED; i++) {
		if (i > 0)
			sleep_ms(1);
		if (touch_read(r + i * LAB_PAGE) != 'a')
			bad++;
	}
	if (munmap(r, R_PAGES * LAB_PAGE) < 0)
		die("munmap");
	say("read %d pages (%d not 'a'); munmap(R)", R_TOUCHED, bad);

	/* Writes: one fault per page. */
	make_file(path_w, W_PAGES, 'b');
	fd = open(path_w, O_RDWR);
	if (fd < 0)
		die("open");
	w = mmap(NULL, W_PAGES * LAB_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 fd, 0);
	if (w == MAP_FAILED)
		die("mmap");
	if (close(fd) < 0)
		die("close");
	say("W = mmap(%d pages, PROT_READ|PROT_WRITE, MAP_SHARED) = %p; writing pages 0-%d",
	    W_PAGES, (void *)w, W_PAGES - 1);
	for (i = 0; i < W_PAGES; i++) {
		if (i > 0)
			sleep_ms(1);
		touch_write(w + i * LAB_PAGE, 'w');
	}
	if (munmap(w, W_PAGES * LAB_PAGE) < 0)
		die("munmap");
	say("wrote %d pages; munmap(W)", W_PAGES);

	xunlink(path_r);
	xunlink(path_w);
	return bad ? 2 : 0;
}
