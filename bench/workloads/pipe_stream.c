/* pipe_stream BLOCK TOTAL - a parent writes TOTAL bytes into a pipe in BLOCK-byte write()s,
 * a child reads them with 64 KiB read()s until EOF. Timed: from the first write until the
 * child has read everything (the parent waits for it). The fork is before the clock starts.
 *   pipe_stream 64K 1G     (16384 writes)
 *   pipe_stream 64 16M     (262144 writes)
 */
#include "bench.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
	unsigned long long block, total, left, nwrites = 0;
	int fds[2], go[2], status;
	char *buf;
	pid_t child;
	double t0, t1;

	if (argc != 3) {
		fprintf(stderr, "usage: %s BLOCK TOTAL   (e.g. 64K 1G)\n", argv[0]);
		return 2;
	}
	block = parse_num(argv[1]);
	total = parse_num(argv[2]);
	if (!block || block > (64 << 20) || total < block)
		return 2;
	if (pipe(fds) || pipe(go))
		die("pipe");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		static char rbuf[65536];
		unsigned long long got = 0;
		ssize_t r;

		close(fds[1]);
		close(go[0]);
		close(go[1]);
		while ((r = read(fds[0], rbuf, sizeof(rbuf))) != 0) {
			if (r < 0) {
				if (errno == EINTR)
					continue;
				die("read");
			}
			got += (unsigned long long)r;
		}
		if (got != total) {
			fprintf(stderr, "pipe_stream: child read %llu of %llu bytes\n", got, total);
			_exit(1);
		}
		_exit(0);
	}
	close(fds[0]);
	close(go[0]);
	close(go[1]);
	buf = malloc(block);
	if (!buf)
		die("malloc");
	memset(buf, 'x', block);
	t0 = now_s();
	for (left = total; left; nwrites++) {
		size_t n = left < block ? left : block;

		write_all(fds[1], buf, n);
		left -= n;
	}
	close(fds[1]);
	if (waitpid(child, &status, 0) < 0)
		die("waitpid");
	t1 = now_s();
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	printf("seconds=%.6f ops=%llu bytes=%llu\n", t1 - t0, nwrites, total);
	return 0;
}
