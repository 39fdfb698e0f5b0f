/* bench.h - shared helpers for the ipclab benchmark workloads (bench/workloads/).
 *
 * Every workload times only its own hot loop with CLOCK_MONOTONIC and prints one line
 *   seconds=S ops=N bytes=B [extra=...]
 * on stdout, so tracer start-up, attach and JSON writing are never counted.
 */
#ifndef BENCH_H
#define BENCH_H
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what, strerror(errno));
	exit(1);
}

/* "64K", "1G", "16M", "100k" -> number (binary K/M/G for sizes, k = 1000). */
static inline unsigned long long parse_num(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	switch (*end) {
	case 'K': v *= 1024; break;
	case 'M': v *= 1024 * 1024; break;
	case 'G': v *= 1024.0 * 1024 * 1024; break;
	case 'k': v *= 1e3; break;
	case 'm': v *= 1e6; break;
	default: break;
	}
	return (unsigned long long)v;
}

/* write() all of it, restarting on EINTR and short writes. */
static inline void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		p += w;
		n -= (size_t)w;
	}
}
#endif
