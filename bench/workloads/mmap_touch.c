/* mmap_touch FILE SIZE REPS - REPS times: give FILE SIZE bytes of fresh (never cached)
 * pages (ftruncate to 0, then to SIZE), map it MAP_SHARED with MADV_RANDOM (no readahead,
 * so no large folios), store one byte in every 4 KiB page (one write fault per page), unmap. Timed: the REPS repetitions (truncate, mmap,
 * the stores, munmap); the file is created and removed outside the clock.
 *   mmap_touch /var/tmp/x 64M 4    (4 x 16384 page faults)
 */
#include "bench.h"
#include <fcntl.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	unsigned long long size, reps, r, off, faults = 0;
	long page = sysconf(_SC_PAGESIZE);
	double t0, t1;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: %s FILE SIZE REPS   (e.g. /var/tmp/x 64M 4)\n", argv[0]);
		return 2;
	}
	size = parse_num(argv[2]);
	reps = parse_num(argv[3]);
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die("open");
	t0 = now_s();
	for (r = 0; r < reps; r++) {
		volatile char *p;

		if (ftruncate(fd, 0) || ftruncate(fd, (off_t)size))
			die("ftruncate");
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap");
		/* no readahead: each fault allocates one fresh 4 KiB page (no large folios) */
		if (madvise((void *)p, size, MADV_RANDOM))
			die("madvise");
		for (off = 0; off < size; off += (unsigned long long)page, faults++)
			p[off] = (char)r;
		if (munmap((void *)p, size))
			die("munmap");
	}
	t1 = now_s();
	if (ftruncate(fd, 0))
		die("ftruncate");
	close(fd);
	unlink(argv[1]);
	printf("seconds=%.6f ops=%llu bytes=%llu\n", t1 - t0, faults, size * reps);
	return 0;
}
