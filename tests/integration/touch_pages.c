// SPDX-License-Identifier: GPL-2.0
/*
 * touch_pages.c - test program: map a fresh file and touch its pages as told.
 *
 *   touch_pages FILE NPAGES shared|private OP...     OP: rN (read page N), wN (write page N)
 *
 * The file is written one page per write() so the page cache holds it in 4 KiB folios
 * (the exact fault set then does not depend on large-folio sizes).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char page[4096];
	volatile char *m;
	long npages;
	int fd, shared;

	if (argc < 4)
		return 2;
	npages = atol(argv[2]);
	shared = strcmp(argv[3], "shared") == 0;
	fd = open(argv[1], O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0)
		return 1;
	memset(page, 'p', sizeof(page));
	for (long i = 0; i < npages; i++)
		if (write(fd, page, sizeof(page)) != sizeof(page))
			return 1;
	m = mmap(NULL, npages * 4096, PROT_READ | PROT_WRITE, shared ? MAP_SHARED : MAP_PRIVATE,
		 fd, 0);
	if (m == MAP_FAILED)
		return 1;
	close(fd);
	for (int i = 4; i < argc; i++) {
		long p = atol(argv[i] + 1);

		if (argv[i][0] == 'w')
			m[p * 4096 + i] = 'w';
		else
			(void)m[p * 4096 + i];
	}
	munmap((void *)m, npages * 4096);
	unlink(argv[1]);
	return 0;
}
