// SPDX-License-Identifier: GPL-2.0
/*
 * compare - the same transfer through each IPC mechanism, at several message sizes.
 *
 * Course notes (section 2, 进程间通信的方式, and the mmap section's table):
 *   "1）管道，使用最简单 2）信号，开销最小 ... 3）共享映射区 4）本地套接字，最稳定"
 *   "写入内存 17ms  写入mmap 18ms  写入文件 2685ms"
 * The notes rank the methods by ease, overhead and speed.  This program moves
 * the same bytes through each one so that the trace can show what each costs:
 * syscalls, bytes copied between user space and the kernel, sleeps, faults.
 *
 * Usage: compare [DIR [SIZE...]]  (DIR for the FIFO, default /tmp; sizes in
 *                                   bytes, default 64 4096 65536)
 *
 * For each mechanism and each SIZE, two fresh processes move TOTAL bytes
 * (128 KiB, or one message when SIZE is larger) in messages of SIZE bytes,
 * writer -> reader, and exit.  Their names in the trace say which pair they
 * are: MECH.SIZE.w and MECH.SIZE.r, the size in K or M when it is a whole
 * number of them: "pipe.64.w", "ustrm.4K.r", "shm.1M.w".
 *   pipe     pipe(); the writer write()s each message, the reader read()s
 *            until it has TOTAL bytes (a read takes what is there).
 *   fifo     the same through DIR/compare-fifo.PID (mkfifo; each side opens
 *            it).
 *   ustrm    socketpair(AF_UNIX, SOCK_STREAM): write() / read().
 *   udgrm    socketpair(AF_UNIX, SOCK_DGRAM): one send() / recv() per message
 *            (sizes up to 65536; a larger datagram does not fit the socket's
 *            default buffer and is skipped).
 *   mq       a POSIX message queue (mq_open, 10 messages of SIZE bytes at
 *            most, unlinked at once: the processes hold it by descriptor):
 *            one mq_send() / mq_receive() per message (sizes up to 8192, the
 *            default msgsize_max; larger ones need root and are skipped).
 *   shm      a shared anonymous mapping (MAP_SHARED|MAP_ANONYMOUS, made before
 *            fork): page 0 holds a flag, the message area starts at page 1.
 *            The writer waits until the flag is 0, copies the message in with
 *            memcpy() and sets the flag to 1; the reader waits for 1, copies
 *            it out, sets 0.  Waiting is futex(FUTEX_WAIT) on the flag, and
 *            each side calls futex(FUTEX_WAKE) after setting it: no read() or
 *            write() carries the data.
 * The reader checks every byte (each message is filled with its number).
 * For each pair the program prints how long it took by its own clock, from
 * making the channel to reaping both processes (bench/ compares it untraced
 * and traced: the probe effect).
 * Exit 0 when every reader received all TOTAL bytes intact.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <mqueue.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "../../lab.h"

#define TOTAL (128 * 1024)
#define MAX_SIZE (1024 * 1024)
#define DGRAM_MAX 65536
#define PAGE 4096

#define MQ_MSGSIZE_MAX 8192	/* /proc/sys/fs/mqueue/msgsize_max's default: more needs root */
#define MQ_DEPTH 10		/* msg_max's default */

enum mech { PIPE, FIFO, USTREAM, UDGRAM, MQ, SHM, N_MECH };

/* short: a process name holds 15 characters ("ustrm.1000000.w") */
static const char *const mech_names[N_MECH] = { "pipe", "fifo", "ustrm", "udgrm", "mq", "shm" };

/* The channel of one pair: two fds (read end, write end) or the shared area. */
struct channel {
	int rfd, wfd;
	const char *fifo;
	_Atomic uint32_t *flag;		/* shm: 1 = a message waits in data */
	unsigned char *data;
	size_t map_len;
};

/* TOTAL bytes in whole messages (131 messages of 1000 B: 131000), or one larger message */
static size_t total_for(size_t size)
{
	return size > TOTAL ? size : TOTAL / size * size;
}

static void fill(unsigned char *buf, size_t size, size_t msg)
{
	memset(buf, (int)(msg & 0xff), size);
}

/* ---------------------------------------------------------------- shm handshake */

static void futex_wait(_Atomic uint32_t *word, uint32_t val)
{
	if (syscall(SYS_futex, word, FUTEX_WAIT, val, NULL, NULL, 0) < 0 &&
	    errno != EAGAIN && errno != EINTR)
		die("futex(FUTEX_WAIT)");
}

static void futex_wake(_Atomic uint32_t *word)
{
	if (syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0) < 0)
		die("futex(FUTEX_WAKE)");
}

/* Wait until *flag == want, then (after the caller's copy) set it to !want and wake. */
static void shm_wait_for(_Atomic uint32_t *flag, uint32_t want)
{
	uint32_t v;

	while ((v = atomic_load(flag)) != want)
		futex_wait(flag, v);
}

static void shm_hand_over(_Atomic uint32_t *flag, uint32_t val)
{
	atomic_store(flag, val);
	futex_wake(flag);
}

/* ---------------------------------------------------------------- the two sides */

static void write_all(int fd, const unsigned char *buf, size_t size)
{
	ssize_t n = write(fd, buf, size);

	/* a blocking write to a pipe or stream socket moves all its bytes in one call */
	if (n != (ssize_t)size)
		die("write");
}

static void writer(enum mech m, struct channel *ch, size_t size)
{
	static unsigned char buf[MAX_SIZE];
	size_t n = total_for(size) / size;

	if (m == FIFO) {
		ch->wfd = open(ch->fifo, O_WRONLY);
		if (ch->wfd < 0)
			die("open fifo for writing");
	}
	for (size_t i = 0; i < n; i++) {
		fill(buf, size, i);
		if (m == SHM) {
			shm_wait_for(ch->flag, 0);
			memcpy(ch->data, buf, size);
			shm_hand_over(ch->flag, 1);
		} else if (m == UDGRAM) {
			if (send(ch->wfd, buf, size, 0) != (ssize_t)size)
				die("send");
		} else if (m == MQ) {
			if (mq_send(ch->wfd, (const char *)buf, size, 0) < 0)
				die("mq_send");
		} else {
			write_all(ch->wfd, buf, size);
		}
	}
	if (m != SHM)
		close(ch->wfd);
}

/* Check the bytes at stream offset off..off+len against the message numbers. */
static int intact(const unsigned char *buf, size_t len, size_t off, size_t size)
{
	for (size_t k = 0; k < len; k++)
		if (buf[k] != (unsigned char)(((off + k) / size) & 0xff))
			return 0;
	return 1;
}

static size_t reader(enum mech m, struct channel *ch, size_t size)
{
	static unsigned char buf[MAX_SIZE];
	size_t total = total_for(size), got = 0;
	ssize_t n;

	if (m == FIFO) {
		ch->rfd = open(ch->fifo, O_RDONLY);
		if (ch->rfd < 0)
			die("open fifo for reading");
	}
	while (got < total) {
		if (m == SHM) {
			shm_wait_for(ch->flag, 1);
			memcpy(buf, ch->data, size);
			shm_hand_over(ch->flag, 0);
			n = (ssize_t)size;
		} else if (m == UDGRAM) {
			n = recv(ch->rfd, buf, size, 0);
		} else if (m == MQ) {
			n = mq_receive(ch->rfd, (char *)buf, size, NULL);
		} else {
			n = read(ch->rfd, buf, size);
		}
		if (n < 0)
			die("read");
		if (n == 0 || !intact(buf, (size_t)n, got, size))
			break;
		got += (size_t)n;
	}
	return got;
}

/* ---------------------------------------------------------------- one pair */

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int open_channel(enum mech m, struct channel *ch, size_t size, const char *dir)
{
	static char fifo[4096];
	int fds[2];

	memset(ch, 0, sizeof(*ch));
	ch->rfd = ch->wfd = -1;
	switch (m) {
	case PIPE:
		if (pipe(fds) < 0)
			die("pipe");
		break;
	case FIFO:
		snprintf(fifo, sizeof(fifo), "%s/compare-fifo.%d", dir, (int)getpid());
		unlink(fifo);
		if (mkfifo(fifo, 0600) < 0)
			die("mkfifo");
		ch->fifo = fifo;
		return 0;
	case USTREAM:
	case UDGRAM:
		if (socketpair(AF_UNIX, m == USTREAM ? SOCK_STREAM : SOCK_DGRAM, 0, fds) < 0)
			die("socketpair");
		break;
	case MQ: {
		struct mq_attr attr = { .mq_maxmsg = MQ_DEPTH, .mq_msgsize = (long)size };
		char name[64];

		snprintf(name, sizeof(name), "/ipclab-compare-%d", (int)getpid());
		fds[0] = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
		if (fds[0] < 0)
			die("mq_open");
		mq_unlink(name);	/* the descriptors keep it; nothing is left behind */
		fds[1] = dup(fds[0]);	/* one per side, as for the other mechanisms */
		if (fds[1] < 0)
			die("dup");
		break;
	}
	case SHM:
		ch->map_len = PAGE + (size + PAGE - 1) / PAGE * PAGE;
		ch->flag = mmap(NULL, ch->map_len, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (ch->flag == MAP_FAILED)
			die("mmap");
		ch->data = (unsigned char *)ch->flag + PAGE;
		return 0;
	default:
		return -1;
	}
	ch->rfd = fds[0];
	ch->wfd = fds[1];
	return 0;
}

static void close_channel(enum mech m, struct channel *ch)
{
	if (ch->rfd >= 0)
		close(ch->rfd);
	if (ch->wfd >= 0)
		close(ch->wfd);
	if (m == FIFO)
		unlink(ch->fifo);
	if (m == SHM)
		munmap((void *)ch->flag, ch->map_len);
}

/* 64 -> "64", 4096 -> "4K", 1048576 -> "1M" */
static void size_label(char *buf, size_t n, size_t size)
{
	if (size % (1024 * 1024) == 0)
		snprintf(buf, n, "%zuM", size / (1024 * 1024));
	else if (size % 1024 == 0)
		snprintf(buf, n, "%zuK", size / 1024);
	else
		snprintf(buf, n, "%zu", size);
}

static pid_t start_side(enum mech m, struct channel *ch, size_t size, int is_writer)
{
	char name[16], label[24];
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid > 0)
		return pid;
	size_label(label, sizeof(label), size);
	/* at most 15 characters: a name has 5, a size label 7 ("1000000") */
	snprintf(name, sizeof(name), "%.5s.%.7s.%c", mech_names[m], label, is_writer ? 'w' : 'r');
	set_role(name);
	if (is_writer) {
		if (ch->rfd >= 0)
			close(ch->rfd);
		writer(m, ch, size);
		_exit(0);
	}
	if (ch->wfd >= 0)
		close(ch->wfd);
	_exit(reader(m, ch, size) == total_for(size) ? 0 : 1);
}

/* One pair: 0 when the reader got every byte. */
static int run_pair(enum mech m, size_t size, const char *dir)
{
	struct channel ch;
	long long t0;
	pid_t r, w;
	int ok;

	if (m == UDGRAM && size > DGRAM_MAX) {
		say("%s %zu B: skipped (a datagram over %d B does not fit the default buffer)",
		    mech_names[m], size, DGRAM_MAX);
		return 0;
	}
	if (m == MQ && size > MQ_MSGSIZE_MAX) {
		say("%s %zu B: skipped (a message over %d B needs root: msgsize_max)",
		    mech_names[m], size, MQ_MSGSIZE_MAX);
		return 0;
	}
	t0 = now_us();
	open_channel(m, &ch, size, dir);
	r = start_side(m, &ch, size, 0);
	w = start_side(m, &ch, size, 1);
	if (ch.rfd >= 0)	/* only the two sides hold the ends: EOF when the writer exits */
		close(ch.rfd);
	if (ch.wfd >= 0)
		close(ch.wfd);
	ch.rfd = ch.wfd = -1;
	ok = child_ok(wait_child(w)) & child_ok(wait_child(r));
	close_channel(m, &ch);
	/* the program's own clock: bench/ compares it untraced and traced (the probe effect) */
	say("%s %zu B x %zu: %s in %lld us", mech_names[m], size, total_for(size) / size,
	    ok ? "all bytes arrived intact" : "FAILED", now_us() - t0);
	return ok ? 0 : 1;
}

static int parse_size(const char *s, size_t *size)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*end || v == 0 || v > MAX_SIZE)
		return -1;
	*size = v;
	return 0;
}

int main(int argc, char **argv)
{
	size_t sizes[16] = { 64, 4096, 65536 };
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	int nsizes = 3, failed = 0;

	if (argc > 2) {
		nsizes = 0;
		for (int i = 2; i < argc && nsizes < 16; i++)
			if (parse_size(argv[i], &sizes[nsizes++])) {
				fprintf(stderr, "compare: bad size '%s' (1 to %d bytes)\n", argv[i],
					MAX_SIZE);
				return 2;
			}
	}
	for (int m = 0; m < N_MECH; m++)
		for (int i = 0; i < nsizes; i++)
			failed |= run_pair((enum mech)m, sizes[i], dir);
	return failed;
}
