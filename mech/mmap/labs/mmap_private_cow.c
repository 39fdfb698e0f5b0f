// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_private_cow - a store through a MAP_PRIVATE file mapping is
 * copy-on-write: the process gets its own copy and the file is unchanged.
 *
 * Course notes (section 5, 内存映射区, mmap注意事项):
 *   "当MAP_SHARED时，要求：映射区的权限应<=文件打开的权限(处于对映射区的保护)。
 *    而MAP_PRIVATE则无多为，因为mmap中的权限时对内存的限制。"
 *   (With MAP_SHARED the mapping's permissions must be <= those the file
 *   was opened with (to protect the mapping).  MAP_PRIVATE has no such
 *   rule, because mmap's permissions only restrict the memory.)
 *
 *   Why MAP_PRIVATE needs no such rule: its stores never reach the file.
 *   The first store to a page copies it into a private anonymous page;
 *   the page cache page, and so the file, stay as they were.
 *
 * What it does (one process, "cow"):
 *   make_file(DIR/private.dat, 4 pages of 'f'); open(O_RDWR);
 *   mmap(4 pages, PROT_READ|PROT_WRITE, MAP_PRIVATE); close(fd);
 *   read byte 0 of page 0 (a read fault); sleep 10 ms;
 *   write 'P' to byte 0 of page 0 (a copy-on-write fault); sleep 10 ms;
 *   write 'P' to byte 0 of page 2 (a page the program never read);
 *   munmap; open(O_RDONLY); pread 1 byte at offset 0 and at 2 * 4096;
 *   close; unlink.  Exit 0 if both bytes are still 'f'.
 *   Without a directory argument the file is /var/tmp/ipclab-private.dat.
 *   The mapping asks for a 2 MiB-aligned address (LAB_MAP_HINT) so that
 *   fault-around always covers pages 0-3 (see mmap_fault_around).
 *
 * What to see in the trace:
 *   Three faults in the mapping, 10 ms apart: a read fault on page 0
 *   (error code 0x4: not present, read), a write fault on page 0 (0x7:
 *   the page is present but mapped read-only, so the kernel copies it),
 *   and a write fault on page 2.  The read fault mapped pages 0-3
 *   read-only at once (fault-around), so the fault on page 2, a page
 *   the program never read, is a 0x7 protection fault too, and also a
 *   copy.  No page is dirtied in the page
 *   cache and msync/write-back has nothing to do; the two preads return
 *   'f'.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../lab.h"

#define NPAGES	4
#define LEN	(NPAGES * LAB_PAGE)

static char pread_byte(int fd, off_t off)
{
	char c;
	ssize_t n;

	n = pread(fd, &c, 1, off);
	if (n < 0)
		die("pread");
	if (n != 1) {
		say("pread at %lld returned %zd", (long long)off, n);
		exit(2);
	}
	return c;
}

int main(int argc, char **argv)
{
	char path[PATH_MAX];
	char c, c0, c2;
	char *p;
	int fd;

	set_role("cow");
	lab_path(path, sizeof(path), argc, argv, "private.dat");

	make_file(path, NPAGES, 'f');
	fd = open(path, O_RDWR);
	if (fd < 0)
		die("open");
	p = mmap(LAB_MAP_HINT, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	if (close(fd) < 0)
		die("close");
	say("mmap(%d pages, MAP_PRIVATE) of %s = %p; fd closed",
	    NPAGES, path, (void *)p);

	c = touch_read(p);
	say("page 0 byte 0 reads '%c' (read fault)", c);
	sleep_ms(10);
	touch_write(p, 'P');
	say("wrote 'P' to page 0 (copy-on-write fault)");
	sleep_ms(10);
	touch_write(p + 2 * LAB_PAGE, 'P');
	say("wrote 'P' to page 2 (never read by the program)");
	if (munmap(p, LEN) < 0)
		die("munmap");
	say("munmap: the private copies are gone");

	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open");
	c0 = pread_byte(fd, 0);
	c2 = pread_byte(fd, 2 * LAB_PAGE);
	say("the file: offset 0 = '%c', offset %d = '%c'", c0, 2 * LAB_PAGE, c2);
	if (close(fd) < 0)
		die("close");
	xunlink(path);

	if (c0 == 'f' && c2 == 'f') {
		say("as predicted: the file is unchanged");
		return 0;
	}
	say("unexpected: the private stores reached the file");
	return 2;
}
