// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_shared_reader - the other half of mmap_shared_file: a MAP_SHARED
 * file mapping is the same memory in two unrelated processes.
 *
 * Course notes (section 5, 内存映射区):
 *   "从缓冲区取数据，就相当于读文件中相应的字节；将数据写书缓冲区，则会将数据写入文件。
 *    这样就可在不使用read和write函数的情况下，使用地址(指针)完成I/O操作。"
 *   (Taking data from the buffer amounts to reading the matching bytes
 *   of the file; putting data into the buffer writes it into the file.
 *   So I/O is done through addresses (pointers), without read and write.)
 *
 *   This process never calls read(): it polls one byte of its mapping
 *   and sees the writer's store as soon as it is made, because both
 *   mappings point at the same page of the page cache.
 *
 * ipclab starts this program and mmap_shared_writer at the same moment,
 * with the same directory: they are not parent and child, share no fd,
 * and meet only through the file.
 *
 * What it does (one process, "reader"):
 *   every 10 ms (for at most 2 s): open(DIR/shared.dat, O_RDONLY); if
 *   that works and fstat() says 8 pages, go on, else close and retry;
 *   mmap(8 pages, PROT_READ, MAP_SHARED); close(fd);
 *   every 10 ms (for at most 2 s): read byte 0 of page 0; stop when it
 *   is not 0 (the first read is the only fault: a read fault on page 0);
 *   print the string at page 0; munmap.
 *   Without a directory argument the file is /var/tmp/ipclab-shared.dat.
 *   The mapping asks for a 2 MiB-aligned address (LAB_MAP_HINT), so that
 *   the read fault maps the same pages on every run.
 *   Exit 0 if the string was found.
 *
 * What to see in the trace:
 *   One read fault on page 0 right after the reader's mmap, and none
 *   after it: the writer's write fault on the same page, about 150 ms
 *   after its mmap, is followed within 10 ms by the reader's munmap.
 *   The string crossed between the processes with no syscall at all.
 *   The read fault maps all 8 pages read-only (fault-around: they are
 *   all in the page cache), but pages 1-7 are never touched.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lab.h"

#define NPAGES	8
#define LEN	(NPAGES * LAB_PAGE)
#define TRIES	200	/* 200 x 10 ms = 2 s */

/* The file, once the writer has made it whole; -1 after 2 s. */
static int open_when_ready(const char *path)
{
	struct stat st;
	int fd, i;

	for (i = 0; i < TRIES; i++) {
		if (i > 0)
			sleep_ms(10);
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			if (errno != ENOENT)
				die("open");
			continue;
		}
		if (fstat(fd, &st) < 0)
			die("fstat");
		if (st.st_size == LEN)
			return fd;
		if (close(fd) < 0)
			die("close");
	}
	return -1;
}

int main(int argc, char **argv)
{
	char path[PATH_MAX], text[64];
	long t0;
	char *p;
	int fd, i;

	set_role("reader");
	lab_path(path, sizeof(path), argc, argv, "shared.dat");

	fd = open_when_ready(path);
	if (fd < 0) {
		say("%s did not appear with %d bytes within 2 s", path, LEN);
		return 1;
	}
	p = mmap(LAB_MAP_HINT, LEN, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	if (close(fd) < 0)
		die("close");
	say("mmap(%d pages, PROT_READ, MAP_SHARED) = %p; fd closed; polling page 0",
	    NPAGES, (void *)p);

	t0 = now_ms();
	for (i = 0; i < TRIES; i++) {
		if (touch_read(p) != 0)
			break;
		sleep_ms(10);
	}
	if (i == TRIES) {
		say("page 0 still empty after 2 s");
		if (munmap(p, LEN) < 0)
			die("munmap");
		return 2;
	}
	load_string(text, sizeof(text), p);
	say("page 0 says \"%s\" (after %ld ms, %d polls), no read() involved",
	    text, now_ms() - t0, i + 1);
	if (munmap(p, LEN) < 0)
		die("munmap");
	return 0;
}
