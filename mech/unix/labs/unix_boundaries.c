// SPDX-License-Identifier: GPL-2.0
/*
 * unix_boundaries - message boundaries: lost in SOCK_STREAM, kept in
 * SOCK_DGRAM and SOCK_SEQPACKET.
 *
 * Course notes (section 2, 进程间通信的方式):
 *   "4）本地套接字，最稳定"   (4) local sockets, the most stable.)
 *
 *   A local socket comes in three types.  SOCK_STREAM is a byte stream,
 *   like a pipe: the reader gets bytes, not the writer's write() calls.
 *   SOCK_DGRAM and SOCK_SEQPACKET carry messages: each read() returns
 *   exactly one write()'s bytes.  SEQPACKET is connected and reliable
 *   like a stream and keeps boundaries like a datagram socket; it also
 *   has an end of file, which a datagram socket has not.
 *
 * What it does, once per type (stream, dgram, seqpacket), in that order:
 *   socketpair(AF_UNIX, type, 0, sv); fork().
 *   child  "wr-stream" / "wr-dgram" / "wr-seqpkt":
 *                    close(sv[1]);
 *                    write(sv[0], "one", 3); write "two!" (4); write "three" (5);
 *                    close(sv[0]); exit 0.
 *   parent "reader": close(sv[0]); waitpid() (the three writes are all
 *                    queued by then); read(sv[1], buf, 64) until 12 bytes
 *                    came; then one recv(sv[1], buf, 64, MSG_DONTWAIT);
 *                    close(sv[1]).
 *   Exit 0 if stream gave 1 read of 12 bytes then 0 (end of file),
 *   dgram 3 reads of 3, 4, 5 then -EAGAIN, seqpacket 3 reads of 3, 4, 5
 *   then 0.
 *
 * What to see in the trace:
 *   In all three rounds the writer's three write() calls queue three
 *   skbs on the reader's socket (3, 4 and 5 bytes).  stream: the
 *   reader's first read() takes all three skbs and returns 12,
 *   "onetwo!three" - the boundaries are gone.  dgram and seqpacket: the
 *   reads return 3, 4, 5, one skb each, in order.  The last, non-blocking
 *   recv() shows the end: stream and seqpacket return 0 (the writer
 *   closed, the connection is shut down), dgram returns -EAGAIN: a
 *   datagram socket has no connection to shut down, so a blocking read
 *   there would wait for ever.
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <unistd.h>

#include "../../lab.h"

struct round {
	int type;
	const char *name;	/* the writer's role */
	int reads;		/* reads that carry data */
	int last;		/* what the final recv() returns: 0, or -errno */
};

static void writer(int fd)
{
	static const char *const msgs[] = { "one", "two!", "three" };
	ssize_t n;

	for (size_t i = 0; i < 3; i++) {
		n = write(fd, msgs[i], strlen(msgs[i]));
		if (n < 0)
			die("write");
		say("write(%d, \"%s\", %zu) = %zd", fd, msgs[i], strlen(msgs[i]), n);
		if ((size_t)n != strlen(msgs[i]))
			exit(2);
	}
	if (close(fd) < 0)
		die("close");
	exit(0);
}

/* Read until the 12 bytes are in, then probe the end. */
static int reader(int fd, const struct round *r)
{
	char buf[64];
	int reads = 0, total = 0, last;
	ssize_t n;

	while (total < 12) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0) {
			if (n < 0)
				die("read");
			say("read = 0 before 12 bytes came: unexpected");
			return 2;
		}
		reads++;
		total += (int)n;
		say("read(%d, buf, %zu) = %zd \"%.*s\"", fd, sizeof(buf), n, (int)n, buf);
	}
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	last = n < 0 ? -errno : (int)n;
	if (n < 0 && errno != EAGAIN)
		die("recv");
	if (n < 0)
		say("recv(%d, buf, %zu, MSG_DONTWAIT) = -1 EAGAIN: no end of file "
		    "on a datagram socket", fd, sizeof(buf));
	else
		say("recv(%d, buf, %zu, MSG_DONTWAIT) = %zd%s", fd, sizeof(buf), n,
		    n == 0 ? " (end of file: the writer closed)" : "");
	if (close(fd) < 0)
		die("close");
	say("%s: %d read(s) for 3 writes", r->name + 3, reads);
	return reads == r->reads && last == r->last ? 0 : 2;
}

static int run_round(const struct round *r)
{
	int sv[2], rc;
	pid_t pid;

	if (socketpair(AF_UNIX, r->type, 0, sv) < 0)
		die("socketpair");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		set_role(r->name);
		if (close(sv[1]) < 0)
			die("close(sv[1])");
		writer(sv[0]);
	}
	if (close(sv[0]) < 0)
		die("close(sv[0])");
	if (!child_ok(wait_child(pid)))
		return 1;
	rc = reader(sv[1], r);
	return rc;
}

int main(void)
{
	static const struct round rounds[] = {
		{ SOCK_STREAM, "wr-stream", 1, 0 },
		{ SOCK_DGRAM, "wr-dgram", 3, -EAGAIN },
		{ SOCK_SEQPACKET, "wr-seqpkt", 3, 0 },
	};
	int rc = 0, r;

	set_role("reader");
	for (size_t i = 0; i < 3; i++) {
		r = run_round(&rounds[i]);
		if (r > rc)
			rc = r;
	}
	say(rc == 0 ? "stream lost the boundaries, dgram and seqpacket kept them"
		    : "unexpected result");
	return rc;
}
