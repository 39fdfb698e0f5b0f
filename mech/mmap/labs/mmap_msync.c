// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_msync - stores through a MAP_SHARED mapping dirty the page cache;
 * msync() writes the dirty pages back to the file.
 *
 * Course notes (section 5, 内存映射区):
 *   "将数据写书缓冲区，则会将数据写入文件。"
 *   (Putting data into the buffer writes it into the file.)
 *   and (MMAP优势) "MMAP对文件的读写操作只需要从磁盘到用户主存的一次数据拷贝过程"
 *   (File I/O through mmap needs only one copy, from the disk to user
 *   memory.)
 *
 *   A store does not write the file: it changes the page in the page
 *   cache (which is the file's contents as every reader sees it) and the
 *   kernel marks that page dirty.  The disk is updated later, by
 *   write-back, or now with msync(MS_SYNC), which writes just the dirty
 *   pages of the range and waits for them.
 *
 * What it does (one process, "msync"):
 *   make_file(DIR/msync.dat, 4 pages of 'm'); open(O_RDWR);
 *   mmap(4 pages, PROT_READ|PROT_WRITE, MAP_SHARED); close(fd);
 *   write 'D' to byte 0 of page 0 and of page 2 (exactly these two
 *   pages); sleep 10 ms; msync(4 pages, MS_SYNC) -> 0; sleep 10 ms;
 *   munmap; unlink.
 *   Without a directory argument the file is /var/tmp/ipclab-msync.dat.
 *   (make_file() writes the file one page at a time, so that each page
 *   is a folio of its own in the page cache and is dirtied on its own;
 *   see lab.h.)
 *
 * What to see in the trace:
 *   Two write faults (error code 0x6: not present, write), on pages 0
 *   and 2, each marking its page of the page cache dirty (pages 1 and 3
 *   are never touched).  10 ms later
 *   msync(MS_SYNC) writes the dirty pages back and returns 0 once they
 *   are on the disk.  munmap 10 ms after that has nothing left to write.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../lab.h"

#define NPAGES	4
#define LEN	(NPAGES * LAB_PAGE)

int main(int argc, char **argv)
{
	char path[PATH_MAX];
	long long t0, t1;
	char *p;
	int fd;

	set_role("msync");
	lab_path(path, sizeof(path), argc, argv, "msync.dat");

	make_file(path, NPAGES, 'm');
	fd = open(path, O_RDWR);
	if (fd < 0)
		die("open");
	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	if (close(fd) < 0)
		die("close");
	say("mmap(%d pages, MAP_SHARED) = %p; fd closed", NPAGES, (void *)p);

	touch_write(p + 0 * LAB_PAGE, 'D');
	touch_write(p + 2 * LAB_PAGE, 'D');
	say("wrote 'D' to pages 0 and 2: two dirty pages in the page cache");
	sleep_ms(10);

	t0 = now_ns();
	if (msync(p, LEN, MS_SYNC) < 0)
		die("msync");
	t1 = now_ns();
	say("msync(MS_SYNC) = 0 after %lld us: the dirty pages are on the disk",
	    (t1 - t0) / 1000);
	sleep_ms(10);

	if (munmap(p, LEN) < 0)
		die("munmap");
	xunlink(path);
	return 0;
}
