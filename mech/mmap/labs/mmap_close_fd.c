// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_close_fd - a mapping outlives the file descriptor it was made
 * from.
 *
 * Course notes (section 5, 内存映射区, mmap注意事项):
 *   "映射区的释放与文件关闭无关，只要映射建立成功，文件可以立即关闭。"
 *   (Releasing the mapping has nothing to do with closing the file: as
 *   soon as the mapping is made, the file can be closed.)
 *
 *   True: the mapping holds its own reference to the open file, so
 *   close(fd) only drops the descriptor.  Pages still fault in from the
 *   file after the close.
 *
 * What it does (one process, "closer"):
 *   make_file(DIR/close.dat, 2 pages of 'c'); open(O_RDONLY);
 *   mmap(2 pages, PROT_READ, MAP_SHARED); close(fd) at once;
 *   sleep 20 ms; read byte 0 of page 0 and of page 1 and print them;
 *   munmap; unlink.
 *   Without a directory argument the file is /var/tmp/ipclab-close.dat.
 *   The mapping asks for a 2 MiB-aligned address (LAB_MAP_HINT), so both
 *   pages always sit in the same page table (see mmap_fault_around).
 *   Exit 0 if both bytes are 'c'.
 *
 * What to see in the trace:
 *   mmap, then the close of its fd, then 20 ms later a read fault on
 *   page 0, with no syscall in between: the file is reached through the
 *   mapping alone.  That fault also maps page 1 (fault-around), so the
 *   load from page 1 takes no fault of its own.  Then munmap.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../lab.h"

#define NPAGES	2
#define LEN	(NPAGES * LAB_PAGE)

int main(int argc, char **argv)
{
	char path[PATH_MAX];
	char c0, c1;
	char *p;
	int fd;

	set_role("closer");
	lab_path(path, sizeof(path), argc, argv, "close.dat");

	make_file(path, NPAGES, 'c');
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open");
	p = mmap(LAB_MAP_HINT, LEN, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	if (close(fd) < 0)
		die("close");
	say("mmap(%d pages) = %p; close(%d) right away", NPAGES, (void *)p, fd);

	sleep_ms(20);
	c0 = touch_read(p);
	c1 = touch_read(p + LAB_PAGE);
	say("with the fd closed: page 0 = '%c', page 1 = '%c'", c0, c1);
	if (munmap(p, LEN) < 0)
		die("munmap");
	xunlink(path);

	if (c0 == 'c' && c1 == 'c')
		return 0;
	say("unexpected contents");
	return 2;
}
