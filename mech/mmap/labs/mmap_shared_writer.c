// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_shared_writer - one half of mmap_shared_file: a MAP_SHARED file
 * mapping is the same memory in two unrelated processes.
 *
 * Course notes (section 5, 内存映射区):
 *   "存储映射I/O(Memory-mapped I/O)使一个磁盘文件与存储空间中的一个缓冲区相映射。
 *    从缓冲区取数据，就相当于读文件中相应的字节；将数据写书缓冲区，则会将数据写入文件。
 *    这样就可在不使用read和write函数的情况下，使用地址(指针)完成I/O操作。"
 *   (Memory-mapped I/O maps a disk file onto a buffer in memory.  Taking
 *   data from the buffer amounts to reading the matching bytes of the
 *   file; putting data into the buffer writes it into the file.  So I/O
 *   is done through addresses (pointers), without read and write.)
 *
 *   The buffer the two processes share is the file's page in the page
 *   cache: the writer's store goes into that page, and the reader, which
 *   maps the same page, sees it at once.  No read(), no write(), no
 *   msync(), and nothing has to reach the disk for that.
 *
 * ipclab starts this program and mmap_shared_reader at the same moment,
 * with the same directory: they are not parent and child, share no fd,
 * and meet only through the file.
 *
 * What it does (one process, "writer"):
 *   make_file(DIR/shared.dat, 8 pages of '\0');
 *   open(O_RDWR); mmap(8 pages, PROT_READ|PROT_WRITE, MAP_SHARED);
 *   close(fd); sleep 150 ms (the reader maps the file and starts polling);
 *   store "hello through the page cache" at the start of page 0 (the
 *   only touch: one write fault on page 0); sleep 300 ms; munmap;
 *   sleep 100 ms; unlink the file.
 *   Without a directory argument the file is /var/tmp/ipclab-shared.dat.
 *
 * What to see in the trace:
 *   The writer takes exactly one page fault in its mapping, a write
 *   fault on page 0 that marks that page (only) dirty in the page cache,
 *   about 150 ms after its mmap.  Within 10 ms the
 *   reader's next poll of page 0 (it faulted once on that page when it
 *   started polling, and no more) finds the string: no syscall moved
 *   the data.  No page of the file is added to the page cache during
 *   the exchange (make_file's writes left all 8 there), and no other
 *   page of either mapping is touched.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../lab.h"

#define NPAGES	8
#define LEN	(NPAGES * LAB_PAGE)

static const char message[] = "hello through the page cache";

int main(int argc, char **argv)
{
	char path[PATH_MAX];
	char *p;
	int fd;

	set_role("writer");
	lab_path(path, sizeof(path), argc, argv, "shared.dat");

	make_file(path, NPAGES, 0);
	say("made %s: %d pages of zeros", path, NPAGES);
	fd = open(path, O_RDWR);
	if (fd < 0)
		die("open");
	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	if (close(fd) < 0)
		die("close");
	say("mmap(%d pages, MAP_SHARED) = %p; fd closed", NPAGES, (void *)p);

	sleep_ms(150);
	store_string(p, message);
	say("stored \"%s\" at page 0 (one write fault)", message);

	sleep_ms(300);
	if (munmap(p, LEN) < 0)
		die("munmap");
	say("munmap");
	sleep_ms(100);
	xunlink(path);
	return 0;
}
