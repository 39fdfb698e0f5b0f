// SPDX-License-Identifier: GPL-2.0
/*
 * unix_reliable - "the most stable": every message arrives, once, in
 * order, for a stream and for a datagram socket, even when the writer
 * is much faster than the reader.
 *
 * Course notes (section 2, 进程间通信的方式):
 *   "4）本地套接字，最稳定"   (4) local sockets, the most stable.)
 *
 *   Made checkable: a local socket never drops, duplicates or reorders
 *   data.  Even SOCK_DGRAM, unreliable over a network (UDP), is
 *   reliable on one machine: when the receiver is behind, the kernel
 *   puts the writer to sleep instead of dropping the datagram.  (What a
 *   local datagram socket does not give is an end of file: the reader
 *   has to know how many messages to expect.)
 *
 * What it does, two rounds, N = 400 records of 100 bytes each, record
 * i being "rec 000i" padded with the letter 'a' + i % 26:
 *   stream: socketpair(AF_UNIX, SOCK_STREAM); fork().
 *     child  "st-writer": N x write(100 bytes); close; exit 0.
 *     parent "st-reader": sleep 100 ms, and on until the writer sleeps
 *             (/proc/PID/stat says S); read whole records (a stream read
 *             may return part of one: read again for the rest) until
 *             read() returns 0; close.
 *   dgram: socket(AF_UNIX, SOCK_DGRAM) bound to the abstract name
 *          "\0ipclab-reliable-PID"; fork().
 *     child  "dg-writer": socket(AF_UNIX, SOCK_DGRAM); connect(name);
 *             N x write(100 bytes); close; exit 0.
 *     parent "dg-reader": the same wait; N x read(200) (one datagram each);
 *             close.
 *   Each reader checks every record: the expected number, complete,
 *   nothing after the last.  Exit 0 if both rounds got all N in order.
 *   (Which writes blocked is printed; the exit status does not depend
 *   on timing.)
 *
 * What to see in the trace:
 *   stream: the writer's first 278 writes (on 6.18: 278 skbs of 100
 *   bytes, charged 768 bytes each, reach sk_sndbuf) return at once, the
 *   next one sleeps until the reader, 100 ms later, has drained the
 *   queue to a quarter of the budget.  dgram: 11 datagrams fit in the
 *   receiver's queue (max_dgram_qlen + 1), then every read wakes the
 *   writer for one more.  How the reads and the late writes interleave
 *   after the first wake-up varies from run to run; the totals do not:
 *   400 writes of 100 bytes in, 40000 bytes out in the same order,
 *   nothing lost.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../lab.h"

#define NREC	400
#define RECLEN	100
#define SLOW_MS	50	/* a write that took this long has slept */

static void make_record(char *rec, int i)
{
	memset(rec, 'a' + i % 26, RECLEN);
	snprintf(rec, RECLEN, "rec %04d", i);
}

/* N writes of one record each; tells which writes slept. */
static void writer(int fd)
{
	char rec[RECLEN];
	int i, slept = 0;
	ssize_t n;
	long t0, ms;

	for (i = 0; i < NREC; i++) {
		make_record(rec, i);
		t0 = now_ms();
		n = write(fd, rec, RECLEN);
		ms = now_ms() - t0;
		if (n < 0)
			die("write");
		if (n != RECLEN) {
			say("write #%d = %zd: short", i + 1, n);
			exit(2);
		}
		if (ms >= SLOW_MS) {
			slept++;
			say("write #%d blocked %ld ms: the reader is behind", i + 1, ms);
		}
	}
	if (close(fd) < 0)
		die("close");
	/* Whether a write slept is timing: printed, not judged. */
	say("%d records written, %d write(s) blocked", NREC, slept);
	exit(0);
}

/* Compare one received record; counts what is wrong. */
static void check_record(const char *rec, ssize_t len, int i, int *bad)
{
	char want[RECLEN];

	make_record(want, i);
	if (len != RECLEN || memcmp(rec, want, RECLEN) != 0) {
		if (*bad < 5)
			say("record %d: got %zd bytes \"%.8s\": wrong", i, len, rec);
		(*bad)++;
	}
}

/* Read exactly RECLEN bytes from a stream (several reads if need be). */
static ssize_t read_record(int fd, char *rec)
{
	ssize_t got = 0, n;

	while (got < RECLEN) {
		n = read(fd, rec + got, RECLEN - got);
		if (n < 0)
			die("read");
		if (n == 0)
			break;
		got += n;
	}
	return got;
}

/*
 * Let the writer get ahead until it is stuck: at least 100 ms, then until its state in
 * /proc/PID/stat is S (asleep: the only place it sleeps is a blocked write).  On a slow
 * machine (an emulator) 100 ms is not always enough to fill the queue.
 */
static void wait_until_writer_sleeps(pid_t writer)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	sleep_ms(100);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)writer);
	for (int tries = 0; tries < 500; tries++) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			return;
		buf[n] = 0;
		p = strrchr(buf, ')');	/* "pid (comm) S ..." */
		if (!p || p[1] != ' ' || p[2] == 'S' || p[2] == 'D' || p[2] == 'Z')
			return;
		sleep_ms(10);
	}
}

static int stream_reader(int fd, pid_t writer)
{
	char rec[RECLEN];
	int i, bad = 0;
	ssize_t n, end;

	wait_until_writer_sleeps(writer);
	for (i = 0; i < NREC; i++) {
		n = read_record(fd, rec);
		if (n == 0) {
			say("end of file after %d records: %d lost", i, NREC - i);
			return 0;
		}
		check_record(rec, n, i, &bad);
	}
	end = read(fd, rec, RECLEN);
	if (end < 0)
		die("read");
	if (close(fd) < 0)
		die("close");
	say("stream: %d records, %d wrong, then read() = %zd (end of file)", NREC, bad, end);
	return bad == 0 && end == 0;
}

static int dgram_reader(int fd, pid_t writer)
{
	char buf[2 * RECLEN];
	int i, bad = 0;
	ssize_t n;

	wait_until_writer_sleeps(writer);
	for (i = 0; i < NREC; i++) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0)
			die("read");
		check_record(buf, n, i, &bad);
	}
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n >= 0 || errno != EAGAIN) {
		say("a datagram after the last one: unexpected");
		bad++;
	}
	if (close(fd) < 0)
		die("close");
	say("dgram: %d datagrams, %d wrong, none left over", NREC, bad);
	return bad == 0;
}

static int stream_round(void)
{
	int sv[2], ok;
	pid_t pid;

	set_role("st-reader");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		set_role("st-writer");
		if (close(sv[1]) < 0)
			die("close(sv[1])");
		writer(sv[0]);
	}
	if (close(sv[0]) < 0)
		die("close(sv[0])");
	ok = stream_reader(sv[1], pid);
	return child_ok(wait_child(pid)) && ok;
}

static int dgram_round(void)
{
	struct sockaddr_un a;
	socklen_t alen;
	int rx, tx, len, ok;
	pid_t pid;

	set_role("dg-reader");
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	len = snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "ipclab-reliable-%d",
		       (int)getpid());
	alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
	rx = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (rx < 0)
		die("socket");
	if (bind(rx, (struct sockaddr *)&a, alen) < 0)
		die("bind");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		set_role("dg-writer");
		if (close(rx) < 0)
			die("close(rx)");
		tx = socket(AF_UNIX, SOCK_DGRAM, 0);
		if (tx < 0)
			die("socket");
		if (connect(tx, (struct sockaddr *)&a, alen) < 0)
			die("connect");
		writer(tx);
	}
	ok = dgram_reader(rx, pid);
	return child_ok(wait_child(pid)) && ok;
}

int main(void)
{
	int ok;

	ok = stream_round();
	ok &= dgram_round();
	say(ok ? "stream and dgram: all %d records, in order, nothing lost"
	       : "unexpected result (%d records each)", NREC);
	return ok ? 0 : 2;
}
