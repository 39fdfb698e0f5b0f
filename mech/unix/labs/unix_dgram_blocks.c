// SPDX-License-Identifier: GPL-2.0
/*
 * unix_dgram_blocks - a datagram writer blocks when the receiver's queue
 * holds more datagrams than its backlog allows (net.unix.max_dgram_qlen).
 *
 * Course notes (section 2, 进程间通信的方式):
 *   "4）本地套接字，最稳定"   (4) local sockets, the most stable.)
 *
 *   A datagram socket does not drop what its receiver has no room for
 *   (UDP would): the writer waits.  The limit is a count, not bytes: a
 *   receiver takes datagrams while its queue holds no more than
 *   sk_max_ack_backlog of them, which is net.unix.max_dgram_qlen (10 by
 *   default) - so 11 fit, and the 12th write sleeps.  The count only
 *   applies to a writer whose receiver is not connected back to it (a
 *   server and its clients, as here); the two ends of a socketpair are
 *   each other's peer and are limited by sk_sndbuf bytes only.  Very
 *   large datagrams hit sk_sndbuf first (mech/unix/NOTES.md).
 *
 *   Unlike a stream writer, which waits until 3/4 of its budget is
 *   free (unix_stream_blocks), a datagram writer is woken by the very
 *   first datagram its receiver takes out.
 *
 * What it does:
 *   reads /proc/sys/net/unix/max_dgram_qlen (Q, 10 by default);
 *   socket(AF_UNIX, SOCK_DGRAM) "rx"; bind(rx, abstract name
 *   "\0ipclab-dgram-PID"): a name without a file; fork().
 *   child  "sender":   close(rx); socket(AF_UNIX, SOCK_DGRAM);
 *                      connect(it, the abstract name);
 *                      Q + 2 x write(100 bytes "dgram #N");  close.
 *   parent "receiver": sleep 300 ms; read(rx, 200) once -> 100;
 *                      sleep 100 ms; read(rx, 200) Q + 1 times -> 100 each;
 *                      close(rx); waitpid().
 *   Exit 0 if every datagram came, whole and in order.  (That write Q + 2
 *   blocked is printed and shown by the trace; the exit status does not
 *   depend on timing.)
 *
 * What to see in the trace:
 *   The sender's connect() links it one way to the receiver (the
 *   receiver's peer stays unset).  Writes 1 to Q + 1 return at once: the
 *   receiver's queue grows to Q + 1 skbs of 100 bytes.  Write Q + 2
 *   finds the queue over the backlog and sleeps (in
 *   unix_wait_for_peer()).  300 ms after the start the receiver's first
 *   read() takes datagram 1, and that read wakes the sender, whose write
 *   then queues datagram Q + 2: back to Q + 1 skbs.  100 ms later the
 *   receiver reads them all, one datagram per read, in order.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../lab.h"

#define DGRAM	100
#define SLOW_MS	50	/* a write that took this long has slept */

/* The backlog limit; the default if /proc cannot tell. */
static int max_dgram_qlen(void)
{
	FILE *f = fopen("/proc/sys/net/unix/max_dgram_qlen", "r");
	int q = 10;

	if (f) {
		if (fscanf(f, "%d", &q) != 1)
			q = 10;
		fclose(f);
	}
	return q;
}

/* "\0ipclab-dgram-PID": the leading 0 byte makes it abstract. */
static socklen_t abstract_name(struct sockaddr_un *a, pid_t pid)
{
	int len;

	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	len = snprintf(a->sun_path + 1, sizeof(a->sun_path) - 1, "ipclab-dgram-%d",
		       (int)pid);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
}

static int sender(const struct sockaddr_un *a, socklen_t alen, int count)
{
	char msg[DGRAM];
	int fd, i, slept = 0;
	ssize_t n;
	long t0, ms;

	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	if (connect(fd, (const struct sockaddr *)a, alen) < 0)
		die("connect");
	say("connect(%d, \"@%s\") = 0", fd, a->sun_path + 1);
	for (i = 1; i <= count; i++) {
		memset(msg, '.', sizeof(msg));
		snprintf(msg, sizeof(msg), "dgram #%d", i);
		t0 = now_ms();
		n = write(fd, msg, sizeof(msg));
		ms = now_ms() - t0;
		if (n < 0)
			die("write");
		if (ms >= SLOW_MS) {
			slept++;
			say("write #%d (%d bytes) = %zd after blocking %ld ms", i, DGRAM, n, ms);
		} else {
			say("write #%d (%d bytes) = %zd", i, DGRAM, n);
		}
		if (n != DGRAM)
			return 2;
	}
	if (close(fd) < 0)
		die("close");
	/* Whether a write slept is timing, which a loaded machine can shift:
	 * the trace shows it; the exit status only judges the data. */
	say("%d datagrams sent, %d write(s) blocked (expected: write #%d)", count, slept,
	    count);
	return 0;
}

/* One read(); 1 if it returned datagram number want, whole. */
static int read_one(int fd, int want)
{
	char buf[2 * DGRAM], expect[32];
	ssize_t n;

	n = read(fd, buf, sizeof(buf));
	if (n < 0)
		die("read");
	snprintf(expect, sizeof(expect), "dgram #%d", want);
	say("read(%d, buf, %zu) = %zd \"%.*s\"", fd, sizeof(buf), n,
	    (int)strnlen(buf, n), buf);
	return n == DGRAM && strncmp(buf, expect, sizeof(expect)) == 0;
}

int main(void)
{
	struct sockaddr_un a;
	socklen_t alen;
	int rx, q, ok, i;
	pid_t pid;

	set_role("receiver");
	q = max_dgram_qlen();
	say("net.unix.max_dgram_qlen = %d: %d datagrams fit, write %d blocks", q, q + 1,
	    q + 2);
	rx = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (rx < 0)
		die("socket");
	alen = abstract_name(&a, getpid());
	if (bind(rx, (struct sockaddr *)&a, alen) < 0)
		die("bind");
	say("bind(%d, \"@%s\") = 0", rx, a.sun_path + 1);

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		set_role("sender");
		if (close(rx) < 0)
			die("close(rx)");
		exit(sender(&a, alen, q + 2));
	}

	sleep_ms(300);
	ok = read_one(rx, 1);
	say("one datagram out: the sender wakes up");
	sleep_ms(100);
	for (i = 2; i <= q + 2; i++)
		ok &= read_one(rx, i);
	if (close(rx) < 0)
		die("close");
	say(ok ? "all %d datagrams came, whole and in order" : "unexpected data (%d)", q + 2);
	if (!child_ok(wait_child(pid)))
		return 1;
	return ok ? 0 : 2;
}
