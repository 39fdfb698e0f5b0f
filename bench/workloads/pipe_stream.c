/* pipe_stream BLOCK TOTAL [READ] - a parent writes TOTAL bytes into a pipe in BLOCK-byte
 * write()s, a child reads them with READ-byte read()s (default 64 KiB) until EOF.  Timed: from
 * the first write until the child has read everything (the parent waits for it); the fork is
 * before the clock starts.  Each side also times its own loop (the writer: first write to
 * close; the reader: first read to EOF, sent back to the parent on a pipe), printed as
 * writer_seconds= and reader_seconds=, with the child's number of read()s as reads=.
 *   pipe_stream 64K 1G      (16384 writes, 64 KiB reads)
 *   pipe_stream 64 16M      (262144 writes, few reads: the reader is rarely behind)
 *   pipe_stream 64 16M 64   (262144 writes and 262144 reads: the symmetric stream, issue 16)
 */
#include "bench.h"
#include <sys/wait.h>

struct reader_result {
	double seconds;			/* first read() to EOF */
	unsigned long long reads;	/* read() calls that returned data */
};

/* the child: read until EOF in rblock-byte read()s, timing its own loop; 0 if all arrived */
static int reader(int fd, int result_fd, unsigned long long rblock, unsigned long long total)
{
	struct reader_result rr = { 0, 0 };
	unsigned long long got = 0;
	char *rbuf = malloc(rblock);
	double t0 = 0;
	ssize_t r;

	if (!rbuf)
		die("malloc");
	for (;;) {
		r = read(fd, rbuf, rblock);
		if (!t0)
			t0 = now_s();	/* after the first read returns: the writer has started */
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("read");
		}
		got += (unsigned long long)r;
		rr.reads++;
	}
	rr.seconds = now_s() - t0;
	if (got != total) {
		fprintf(stderr, "pipe_stream: child read %llu of %llu bytes\n", got, total);
		return 1;
	}
	if (write(result_fd, &rr, sizeof(rr)) != sizeof(rr))
		die("write the result");
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long block, rblock = 65536, total, left, nwrites = 0;
	struct reader_result rr;
	int fds[2], go[2], status;
	char *buf;
	pid_t child;
	double t0, t1, tw;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: %s BLOCK TOTAL [READ]   (e.g. 64K 1G, 64 16M 64)\n", argv[0]);
		return 2;
	}
	block = parse_num(argv[1]);
	total = parse_num(argv[2]);
	if (argc == 4)
		rblock = parse_num(argv[3]);
	if (!block || block > (64 << 20) || total < block || !rblock || rblock > (64 << 20))
		return 2;
	/* go: the child's result (its own loop's seconds and read count) back to the parent */
	if (pipe(fds) || pipe(go))
		die("pipe");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		close(fds[1]);
		close(go[0]);
		_exit(reader(fds[0], go[1], rblock, total));
	}
	close(fds[0]);
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
	tw = now_s();
	close(fds[1]);
	if (waitpid(child, &status, 0) < 0)
		die("waitpid");
	t1 = now_s();
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	if (read(go[0], &rr, sizeof(rr)) != sizeof(rr))
		die("read the reader's result");
	printf("seconds=%.6f ops=%llu bytes=%llu writer_seconds=%.6f reader_seconds=%.6f reads=%llu\n",
	       t1 - t0, nwrites, total, tw - t0, rr.seconds, rr.reads);
	return 0;
}
