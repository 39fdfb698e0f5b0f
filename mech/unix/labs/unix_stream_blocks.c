// SPDX-License-Identifier: GPL-2.0
/*
 * unix_stream_blocks - a stream socket's writer blocks when its budget
 * is used up, and wakes only once the reader has freed three quarters.
 *
 * Course notes (section 2, 进程间通信的方式):
 *   "4）本地套接字，最稳定"   (4) local sockets, the most stable.)
 *   and section 3 on pipes: "缓冲区写满了，write阻塞"
 *   (When the buffer is full, write blocks.)
 *
 *   A socket blocks its writer too, but what fills up is not a fixed
 *   buffer.  Every write() is turned into skbs queued on the reader's
 *   socket, and each skb is charged, with its overhead (its "truesize":
 *   the struct sk_buff, the head allocation, the pages), to the
 *   *writer's* socket (sk_wmem_alloc, what ioctl(SIOCOUTQ) reports).  A
 *   new skb is allocated only while that charge is below the writer's
 *   send buffer, sk_sndbuf (net.core.wmem_default, 212992 bytes here).
 *   So how many bytes fit depends on the write size: with 4096-byte
 *   writes an skb costs 4864 bytes, and 44 writes (180224 bytes) fit;
 *   with 1-byte writes it is 278 bytes, with 64 KiB writes 233152 bytes
 *   (mech/unix/NOTES.md).  A pipe holds 65536 bytes whatever the write
 *   size.
 *
 *   Waking up is not symmetric either: the reader frees an skb's charge
 *   when it has read it, but the kernel wakes the writer only when the
 *   charge has fallen to a quarter of sk_sndbuf (unix_writable():
 *   4 x sk_wmem_alloc <= sk_sndbuf), not at the first free byte as a
 *   pipe does.
 *
 * What it does:
 *   socketpair(AF_UNIX, SOCK_STREAM, 0, sv); fork().
 *   child  "reader": close(sv[0]); sleep 300 ms;
 *                    64 x { read(sv[1], 4096); sleep 5 ms };
 *                    read(sv[1], 4096) -> 0 (the writer closed);
 *                    close(sv[1]); exit 0 if 64 x 4096 bytes came.
 *   parent "writer": close(sv[1]);
 *                    64 x write(sv[0], 4096 bytes)  (blocking socket);
 *                    close(sv[0]); waitpid().
 *   Exit 0 if all the data came through.  (The blocked write is printed
 *   and shown by the trace; the exit status does not depend on timing.)
 *
 * What to see in the trace (numbers of this machine's 6.18 kernel):
 *   Writes 1 to 44 return at once; each queues one 4096-byte skb on the
 *   reader's socket (skbs 1 to 44, 180224 bytes) and charges 4864
 *   bytes to the writer.  Write 45 finds 214016 bytes charged, more
 *   than sk_sndbuf, and sleeps.  The reader starts 300 ms later; each
 *   read() takes one skb.  The writer does NOT wake at the first read:
 *   it wakes right after read 34, which leaves 10 skbs (48640 bytes
 *   charged, <= 212992 / 4).  Then writes 45 to 64 return at once (the
 *   queue grows to 30 skbs) and the reader drains it, 5 ms per read.
 *   The reader's 65th read() returns 0 after the writer's close().
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <unistd.h>

#include "../../lab.h"

#define CHUNK	4096
#define NCHUNK	64
#define SLOW_MS	50	/* a write that took this long has slept */

static int reader(int fd)
{
	static char buf[CHUNK];
	size_t total = 0;
	ssize_t n;
	int i;

	sleep_ms(300);
	for (i = 1; i <= NCHUNK; i++) {
		n = read(fd, buf, CHUNK);
		if (n < 0)
			die("read");
		say("read #%d (%d) = %zd", i, CHUNK, n);
		total += n;
		sleep_ms(5);
	}
	n = read(fd, buf, CHUNK);
	if (n < 0)
		die("read");
	say("read #%d (%d) = %zd%s", i, CHUNK, n, n == 0 ? " (the writer closed)" : "");
	if (close(fd) < 0)
		die("close");
	say("got %zu bytes in all (expected %d)", total, NCHUNK * CHUNK);
	return total == NCHUNK * CHUNK && n == 0 ? 0 : 2;
}

/* Returns how many writes slept. */
static int writer(int fd)
{
	int i, slept = 0;
	ssize_t n;
	long t0, ms;

	for (i = 1; i <= NCHUNK; i++) {
		t0 = now_ms();
		n = xwrite_fill(fd, CHUNK, 'a' + (i - 1) % 26);
		ms = now_ms() - t0;
		if (n < 0)
			die("write");
		if (ms >= SLOW_MS) {
			slept++;
			say("write #%d (%d bytes) = %zd after blocking %ld ms", i, CHUNK, n, ms);
		} else {
			say("write #%d (%d bytes) = %zd", i, CHUNK, n);
		}
		if (n != CHUNK)
			exit(2);
	}
	if (close(fd) < 0)
		die("close");
	say("closed my end; %d write(s) blocked", slept);
	return slept;
}

int main(void)
{
	int sv[2], slept;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		set_role("reader");
		if (close(sv[0]) < 0)
			die("close(sv[0])");
		exit(reader(sv[1]));
	}
	set_role("writer");
	if (close(sv[1]) < 0)
		die("close(sv[1])");
	slept = writer(sv[0]);
	/* Whether a write slept is timing, which a loaded machine can shift:
	 * the trace shows it; the exit status only judges the data. */
	say("%d write(s) blocked (expected: 1)", slept);
	return child_ok(wait_child(pid)) ? 0 : 1;
}
