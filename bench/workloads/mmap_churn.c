/* mmap_churn N - N times: map one anonymous private page, store one byte in it (one fault),
 * unmap it.  Each cycle is a new mapping object in the trace (mmap, fault, munmap): the
 * post-processing scale test for mappings (bench/scale.sh, tests/scale).
 *   mmap_churn 200000
 */
#include "bench.h"
#include <sys/mman.h>

int main(int argc, char **argv)
{
	unsigned long long n, i;
	long page = sysconf(_SC_PAGESIZE);
	double t0, t1;

	if (argc != 2) {
		fprintf(stderr, "usage: %s N   (e.g. 200000)\n", argv[0]);
		return 2;
	}
	n = parse_num(argv[1]);
	t0 = now_s();
	for (i = 0; i < n; i++) {
		volatile char *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap");
		p[0] = (char)i;
		if (munmap((void *)p, page))
			die("munmap");
	}
	t1 = now_s();
	printf("seconds=%.6f ops=%llu bytes=%llu\n", t1 - t0, n, n * (unsigned long long)page);
	return 0;
}
