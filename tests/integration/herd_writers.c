// SPDX-License-Identifier: GPL-2.0
/*
 * herd_writers THREADS WRITES SIZE - many threads writing small messages into one pipe, the
 * load that made ipclab drop events (issue #10): THREADS writer threads each write(2) WRITES
 * messages of SIZE bytes into the same pipe; the main thread reads them out in 64 KiB reads
 * until every writer has closed.  The number of write(2) calls is THREADS * WRITES, a fixed
 * parameter, so a test can count them in the trace.  All writers start together (barrier).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fds[2];
static long writes, size;
static pthread_barrier_t start;

static void die(const char *what)
{
	fprintf(stderr, "herd_writers: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void *writer(void *arg)
{
	char msg[4096];

	memset(msg, 'a' + (int)(long)arg % 26, sizeof(msg));
	pthread_barrier_wait(&start);
	for (long i = 0; i < writes; i++)
		if (write(fds[1], msg, size) != size)	/* <= PIPE_BUF: never short */
			die("write");
	return NULL;
}

int main(int argc, char **argv)
{
	static char buf[65536];
	long threads, total = 0;
	pthread_t *th;
	ssize_t n;

	if (argc != 4) {
		fprintf(stderr, "usage: herd_writers THREADS WRITES SIZE\n");
		return 2;
	}
	threads = atol(argv[1]);
	writes = atol(argv[2]);
	size = atol(argv[3]);
	if (threads < 1 || threads > 1024 || writes < 0 || size < 1 || size > 4096)
		return 2;
	th = calloc(threads, sizeof(*th));
	if (!th || pipe(fds) || pthread_barrier_init(&start, NULL, threads + 1))
		die("init");
	for (long i = 0; i < threads; i++)
		if (pthread_create(&th[i], NULL, writer, (void *)i))
			die("pthread_create");
	pthread_barrier_wait(&start);
	while (total < threads * writes * size) {
		n = read(fds[0], buf, sizeof(buf));
		if (n <= 0)
			die("read");
		total += n;
	}
	for (long i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	printf("writes=%ld bytes=%ld\n", threads * writes, total);
	return 0;
}
