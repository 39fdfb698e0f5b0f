// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_movers.c - test program: move bytes through pipes without read()/write(), fill pipes
 * larger than 1 MiB, write many iovecs at once, and hammer one pipe from several writers.
 *
 *   pipe_movers movers DIR     splice, tee, vmsplice, sendfile, p*v*, copy_file_range on pipes
 *   pipe_movers big            a 2 MiB and a 16 MiB pipe filled and drained
 *   pipe_movers iov            writev of 12 and of 1024 (IOV_MAX) iovecs, readv of 1024
 *   pipe_movers stress N       3 writers of 512-byte records and a reader, N records each
 *   pipe_movers stall          a reader enters read() while a writer is stuck filling a slot
 *
 * Every step is deterministic (one process, or a fixed amount of data) so the integration
 * tests can assert each event's occupancy; each call's result is checked here too, so a
 * surprise shows up as a failing program, not as a confusing trace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static char buf[2 * 1024 * 1024 + 4096];

static int fail(const char *what, long got, long want)
{
	fprintf(stderr, "pipe_movers: %s returned %ld (errno %d), expected %ld\n", what, got,
		errno, want);
	exit(1);
}

#define EXPECT(call, want) do { long r_ = (long)(call); \
	if (r_ != (long)(want)) fail(#call, r_, (long)(want)); } while (0)
/* a call that must fail with this errno */
#define EXPECT_ERR(call, err) do { long r_ = (long)(call); \
	if (r_ != -1 || errno != (err)) fail(#call, r_, -(err)); } while (0)

static int data_file(const char *dir, const char *name, size_t size, int flags)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_CREAT | O_TRUNC | O_RDWR | flags, 0644);
	if (fd < 0)
		fail("open", fd, 0);
	memset(buf, 'f', size);
	EXPECT(write(fd, buf, size), size);
	EXPECT(lseek(fd, 0, SEEK_SET), 0);
	unlink(path);
	return fd;
}

/* The sequence test_movers.c checks, event by event (occupancy of A and B in comments). */
static int movers(const char *dir)
{
	int a[2], b[2], f = data_file(dir, "movers.src", 10000, 0);
	int g = data_file(dir, "movers.dst", 0, 0);
	struct iovec two[2] = { { buf, 100 }, { buf + 100, 200 } };
	struct iovec one = { buf, 500 }, three[3] = { { buf, 10 }, { buf, 20 }, { buf, 30 } };
	loff_t off = 0;

	if (pipe(a) || pipe(b))
		return 1;
	memset(buf, 'a', 1000);
	EXPECT(write(a[1], buf, 1000), 1000);				/* A 0 -> 1000 */
	EXPECT(splice(f, NULL, a[1], NULL, 3000, 0), 3000);		/* A 1000 -> 4000 */
	EXPECT(tee(a[0], b[1], 8192, 0), 4000);				/* A stays, B 0 -> 4000 */
	EXPECT(splice(a[0], NULL, b[1], NULL, 1500, 0), 1500);	/* A -> 2500, B -> 5500 */
	EXPECT(splice(b[0], NULL, g, NULL, 2000, 0), 2000);		/* B 5500 -> 3500 */
	EXPECT(vmsplice(a[1], two, 2, 0), 300);				/* A 2500 -> 2800 */
	EXPECT(vmsplice(b[0], &one, 1, 0), 500);			/* B 3500 -> 3000 */
	EXPECT(sendfile(a[1], f, &off, 700), 700);			/* A 2800 -> 3500 */
	EXPECT_ERR(sendfile(g, b[0], NULL, 100), EINVAL);		/* a pipe cannot be the source */
	EXPECT(pwritev2(a[1], three, 3, -1, 0), 60);			/* A 3500 -> 3560 */
	EXPECT(preadv2(b[0], &one, 1, -1, 0), 500);			/* B 3000 -> 2500 */
	EXPECT_ERR(preadv(b[0], &one, 1, 0), ESPIPE);
	EXPECT_ERR(pwritev(a[1], three, 3, 0), ESPIPE);
	EXPECT_ERR(copy_file_range(b[0], NULL, g, NULL, 100, 0), EINVAL);
	EXPECT_ERR(copy_file_range(f, NULL, a[1], NULL, 100, 0), EINVAL);
	return 0;
}

/* Fill a pipe of `size` bytes in one write and drain it in one read. */
static void fill_and_drain(size_t size, size_t first)
{
	int p[2];
	size_t done = 0;

	if (pipe(p))
		exit(1);
	EXPECT(fcntl(p[1], F_SETPIPE_SZ, size), size);
	memset(buf, 'b', sizeof(buf));
	EXPECT(write(p[1], buf, first), first);
	while (done < size - first) {
		size_t n = size - first - done < 2 * 1024 * 1024 ? size - first - done : 2 * 1024 * 1024;

		EXPECT(write(p[1], buf, n), n);
		done += n;
	}
	for (done = 0; done < size; done += 2 * 1024 * 1024)
		EXPECT(read(p[0], buf, 2 * 1024 * 1024), 2 * 1024 * 1024);
	close(p[0]);
	close(p[1]);
}

static int big(void)
{
	fill_and_drain(2 * 1024 * 1024, 1000);		/* 513 slots, then 512 full ones... */
	fill_and_drain(16 * 1024 * 1024, 4096);
	return 0;
}

static struct iovec iovs[1024];

static int iov(void)
{
	int p[2];

	if (pipe(p))
		return 1;
	memset(buf, 'v', 4096);
	for (int i = 0; i < 1024; i++)
		iovs[i] = (struct iovec){ buf, i < 12 ? 100 : 3 };
	EXPECT(writev(p[1], iovs, 12), 1200);
	EXPECT(read(p[0], buf, 4096), 1200);
	for (int i = 0; i < 1024; i++)
		iovs[i] = (struct iovec){ buf + 3 * i, 3 };
	EXPECT(writev(p[1], iovs, 1024), 3072);
	EXPECT(readv(p[0], iovs, 1024), 3072);
	return 0;
}

/*
 * Several writers and a reader on one pipe, two CPUs: samples race with the pipe's users.
 * The reader mostly takes whole pages, so writes keep adding fresh slots (counted in head
 * around the copy of their bytes) and reads keep emptying them (len 0 before tail moves).
 */
#define RECORD 512

static int stress(long records)
{
	int p[2], status, bad = 0;

	if (pipe(p))
		return 1;
	for (int w = 0; w < 3; w++) {
		if (fork() == 0) {
			close(p[0]);
			memset(buf, 'A' + w, RECORD);
			for (long i = 0; i < records; i++)
				if (write(p[1], buf, RECORD) != RECORD)
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	for (long i = 0;; i++) {
		/* mostly whole slots (the pipe stays near empty, writers add slots), sometimes 4 bytes */
		ssize_t n = read(p[0], buf, i % 8 == 7 ? 4 : 4096);

		if (n <= 0)
			break;
	}
	while (wait(&status) > 0)
		bad |= !WIFEXITED(status) || WEXITSTATUS(status);
	return bad;
}

/*
 * A write whose source page is missing (userfaultfd) stops in the middle of filling its
 * slot: head already counts the slot, its len is still 0 (fs/pipe.c writes head, then
 * copies), and pipe->mutex is held.  While it is stuck, a reader enters read(): the probe
 * samples the pipe at that moment and must not report "1 slot, 0 bytes" as a fact.  The
 * fault is resolved 100 ms later and the read gets the page.
 */
struct stall {
	int uffd, go;
	char *page;
};

static void *resolve_fault(void *arg)
{
	struct stall *st = arg;
	struct uffd_msg msg;
	struct pollfd pfd = { .fd = st->uffd, .events = POLLIN };
	static char src[4096] __attribute__((aligned(4096)));
	struct uffdio_copy copy = { .dst = (unsigned long)st->page, .src = (unsigned long)src,
				    .len = 4096 };

	if (poll(&pfd, 1, 5000) != 1 || read(st->uffd, &msg, sizeof(msg)) != sizeof(msg))
		exit(1);
	EXPECT(write(st->go, "g", 1), 1);	/* the writer is stuck: reader, go */
	usleep(100 * 1000);
	memset(src, 'u', sizeof(src));
	EXPECT(ioctl(st->uffd, UFFDIO_COPY, &copy), 0);
	return NULL;
}

static int stall(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct stall st;
	int p[2], go[2], status;
	pthread_t th;
	pid_t reader;

	if (pipe(p) || pipe(go))
		return 1;
	st.uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	st.go = go[1];
	st.page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (st.uffd < 0 || st.page == MAP_FAILED)
		fail("userfaultfd/mmap", -1, 0);
	reg.range = (struct uffdio_range){ (unsigned long)st.page, 4096 };
	EXPECT(ioctl(st.uffd, UFFDIO_API, &api), 0);
	EXPECT(ioctl(st.uffd, UFFDIO_REGISTER, &reg), 0);
	reader = fork();
	if (reader == 0) {
		EXPECT(read(go[0], buf, 1), 1);
		EXPECT(read(p[0], buf, 4096), 4096);
		_exit(0);
	}
	if (pthread_create(&th, NULL, resolve_fault, &st))
		return 1;
	EXPECT(write(p[1], st.page, 4096), 4096);
	pthread_join(th, NULL);
	if (waitpid(reader, &status, 0) != reader || !WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "movers"))
		return movers(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "big"))
		return big();
	if (argc >= 2 && !strcmp(argv[1], "iov"))
		return iov();
	if (argc >= 3 && !strcmp(argv[1], "stress"))
		return stress(atol(argv[2]));
	if (argc >= 2 && !strcmp(argv[1], "stall"))
		return stall();
	fprintf(stderr, "usage: pipe_movers movers DIR | big | iov | stress N | stall\n");
	return 2;
}
