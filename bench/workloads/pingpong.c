/* pingpong N - N round trips of a 1-byte message between a parent and a child over two
 * pipes (parent writes, child reads and writes back, parent reads). Every message wakes
 * the other side. Timed: the N round trips, after the fork.
 */
#include "bench.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
	unsigned long long n, i;
	int ab[2], ba[2], status;
	char c = 'p';
	pid_t child;
	double t0, t1;

	if (argc != 2) {
		fprintf(stderr, "usage: %s ROUNDTRIPS   (e.g. 100k)\n", argv[0]);
		return 2;
	}
	n = parse_num(argv[1]);
	if (pipe(ab) || pipe(ba))
		die("pipe");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		ssize_t r;

		close(ab[1]);
		close(ba[0]);
		while ((r = read(ab[0], &c, 1)) == 1)
			write_all(ba[1], &c, 1);
		if (r < 0)
			die("read");
		_exit(0);
	}
	close(ab[0]);
	close(ba[1]);
	t0 = now_s();
	for (i = 0; i < n; i++) {
		write_all(ab[1], &c, 1);
		if (read(ba[0], &c, 1) != 1)
			die("read");
	}
	t1 = now_s();
	close(ab[1]);
	if (waitpid(child, &status, 0) < 0)
		die("waitpid");
	printf("seconds=%.6f ops=%llu bytes=%llu\n", t1 - t0, n, n);
	return 0;
}
