// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_atomic_large - writes larger than PIPE_BUF may be interleaved.
 *
 * Course notes (section 3, 管道的写操作, 读端没有全部关闭):
 *   "缓冲区写满了，write阻塞"
 *   (When the buffer is full, write blocks.)
 *
 *   The notes do not say what happens to a write() that is bigger than
 *   the whole buffer.  It blocks part-way: the kernel copies what fits,
 *   sleeps, and goes on when a reader makes room.  While it sleeps,
 *   another writer can get in, so two big writes end up interleaved in
 *   the stream.  Only writes of at most PIPE_BUF (4096) bytes are
 *   promised to stay in one piece (see pipe_atomic).
 *
 * What it does:
 *   pipe(); fork 2 writers.
 *   child  "writer-A": close(read end);
 *                      ONE write(wfd, 200000 bytes of 'A'); exit.
 *   child  "writer-B": close(read end); sleep 20 ms;
 *                      ONE write(wfd, 200000 bytes of 'B'); exit.
 *   parent "reader":   close(write end) once both are forked; sleep 100 ms;
 *                      read(rfd, 4096) with 1 ms sleeps in between, until
 *                      it returns 0; count how often the letter changes
 *                      between consecutive bytes of the stream;
 *                      waitpid() x 2.
 *   The write ends are closed by the writers' exit, the read end by the
 *   reader's.  Exit 0 unless a syscall failed: the interleaving is what
 *   the trace shows, the program only reports it.
 *
 * What to see in the trace:
 *   writer-A's write() starts first, fills the 16 slots (65536 bytes)
 *   and sleeps inside the write.  20 ms later writer-B's write() starts
 *   and sleeps too, without storing anything: the pipe is full.  Both
 *   are now queued, A first.  Each read() of 4096 bytes frees one slot
 *   and wakes only the writer at the head of the queue (an "exclusive"
 *   wait, so they do not both rush in); that writer copies one page,
 *   finds the pipe full again and goes back to the END of the queue.  So
 *   A and B take turns page by page: the stream is ~17 pages of 'A',
 *   then B, A, B, A...  Each write() still returns 200000, i.e. from
 *   user space both writes "succeeded in one call", yet the reader saw
 *   them mixed: many letter changes instead of 1.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "../../lab.h"

#define BIG	200000
#define MAXRUNS	8	/* how many runs of the stream to print */

static void writer(int wfd, char c, int delay_ms)
{
	ssize_t n;
	long t0;

	if (delay_ms)
		sleep_ms(delay_ms);
	t0 = now_ms();
	n = xwrite_fill(wfd, BIG, c);
	if (n < 0)
		die("write");
	say("write(%d, %d x '%c') = %zd after %ld ms", wfd, BIG, c, n,
	    now_ms() - t0);
	exit(n == BIG ? 0 : 2);
}

static void reader(int rfd)
{
	static char buf[4096];
	long count[2] = { 0, 0 }, run = 0, changes = 0, runs = 0;
	int reads = 0;
	char last = 0;
	ssize_t n, i;

	sleep_ms(100);
	for (;;) {
		n = read(rfd, buf, sizeof(buf));
		if (n < 0)
			die("read");
		reads++;
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			if (buf[i] == 'A' || buf[i] == 'B')
				count[buf[i] - 'A']++;
			if (buf[i] == last) {
				run++;
				continue;
			}
			if (last) {
				changes++;
				if (++runs <= MAXRUNS)
					say("  run %ld: %ld x '%c'", runs,
					    run, last);
			}
			last = buf[i];
			run = 1;
		}
		sleep_ms(1);
	}
	if (last && ++runs <= MAXRUNS)
		say("  run %ld: %ld x '%c'", runs, run, last);
	say("%d reads (the last one returned 0); %ld x 'A', %ld x 'B'",
	    reads, count[0], count[1]);
	say("letter changes in the stream: %ld (%ld runs)%s", changes, runs,
	    changes > 1 ? ": the two big writes were interleaved" : "");
}

int main(void)
{
	pid_t a, b;
	int fd[2], failed = 0;

	if (pipe(fd) < 0)
		die("pipe");
	a = fork();
	if (a < 0)
		die("fork");
	if (a == 0) {
		set_role("writer-A");
		if (close(fd[0]) < 0)
			die("close(read end)");
		writer(fd[1], 'A', 0);
	}
	b = fork();
	if (b < 0)
		die("fork");
	if (b == 0) {
		set_role("writer-B");
		if (close(fd[0]) < 0)
			die("close(read end)");
		writer(fd[1], 'B', 20);
	}
	set_role("reader");
	if (close(fd[1]) < 0)
		die("close(write end)");
	reader(fd[0]);
	if (!child_ok(wait_child(a)))
		failed = 1;
	if (!child_ok(wait_child(b)))
		failed = 1;
	return failed;
}
