/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab.h - tiny helpers shared by the ipclab lab programs (mech/NAME/labs/).
 *
 * Everything here is static inline so each lab program stays a single
 * file: "gcc -Wall -Wextra -O2 -o prog mech/NAME/labs/prog.c" is the whole build.
 *
 * The lab programs are traced with eBPF and the claims are checked from
 * the kernel trace, so none of these helpers may touch a pipe on its
 * own: the only pipe syscalls a program makes are the ones written out
 * in that program.  Output goes to stdout/stderr, which are a terminal
 * or a regular file, never a pipe.
 */
#ifndef IPCLAB_LAB_H
#define IPCLAB_LAB_H

/* program_invocation_short_name, strsignal(): define it before any #include. */
#ifndef _GNU_SOURCE
#error "#define _GNU_SOURCE at the top of the lab program"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The name of this process' lane in the trace; see set_role(). */
static char lab_role[16];

static inline const char *role(void)
{
	return lab_role[0] ? lab_role : program_invocation_short_name;
}

/*
 * printf() with a "[role pid]" prefix, flushed at once: nothing may sit
 * in a stdio buffer across fork() (the child would print it a second
 * time when stdout is a regular file), and the lines of the processes
 * stay in the order they happened.
 */
__attribute__((format(printf, 1, 2)))
static inline void say(const char *fmt, ...)
{
	va_list ap;

	printf("[%-8s %d] ", role(), (int)getpid());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* perror() + exit(1), for a syscall that was not supposed to fail. */
static inline void die(const char *what)
{
	int err = errno;

	fflush(stdout);
	fprintf(stderr, "[%-8s %d] %s: %s\n", role(), (int)getpid(), what,
		strerror(err));
	exit(1);
}

/*
 * Wait until the partner process has created path (checked with access(2), which ipclab
 * does not report, every 5 ms, for at most 30 s).  The fixed sleeps after it order the two
 * processes; this makes sure a slow partner (a loaded or emulated machine) has got that far.
 */
static inline void wait_for_path(const char *path)
{
	struct timespec ts = { 0, 5 * 1000000L };

	for (int i = 0; i < 6000 && access(path, F_OK) != 0; i++)
		nanosleep(&ts, NULL);
}

/*
 * Sleep for ms milliseconds.  The sleeps are what make the trace
 * deterministic (who blocks first, who wakes whom), so a signal must
 * not cut one short: resume with the time that is left.
 */
static inline void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0) {
		if (errno != EINTR)
			die("nanosleep");
	}
}

/* /proc/PID/FILE into buf, NUL-terminated: its length, or -1. */
static inline ssize_t read_proc(pid_t pid, const char *file, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

/*
 * Is process pid asleep in a kernel function whose name holds `where`?  /proc/PID/wchan names
 * the function it sleeps in; where the kernel hides it ("0"), the state S in /proc/PID/stat
 * (asleep, somewhere) must do.
 */
static inline int asleep_in(pid_t pid, const char *where)
{
	char buf[256], *state;

	if (read_proc(pid, "wchan", buf, sizeof(buf)) > 0 && strcmp(buf, "0"))
		return strstr(buf, where) != NULL;
	if (read_proc(pid, "stat", buf, sizeof(buf)) <= 0)
		die("read /proc/PID/stat");
	state = strrchr(buf, ')');	/* the name may hold spaces and parentheses */
	return state && state[1] == ' ' && state[2] == 'S';
}

/*
 * Wait until process pid sleeps in `where` (asleep_in()), so that what this program does next
 * finds it there: a write wakes its read, a signal interrupts it.  A fixed pause is not
 * enough on a loaded machine, which may take seconds to get it there; after 30 s something is
 * wrong, and the program says so and exits 1 instead of going on anyway.
 */
static inline void wait_asleep_in(pid_t pid, const char *where)
{
	for (int i = 0; i < 30000; i++) {
		if (asleep_in(pid, where))
			return;
		sleep_ms(1);
	}
	fprintf(stderr, "%s: pid %d never slept in %s() within 30 s\n",
		program_invocation_short_name, (int)pid, where);
	_exit(1);	/* a forked child: leave the parent's buffered output to the parent */
}

/*
 * Monotonic clock in milliseconds, to print how long a call blocked.
 * clock_gettime() goes through the vDSO: it adds nothing to the trace.
 */
static inline long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * Name this process (task->comm, 15 chars max) so that the tracer can
 * give its lane a name.  Called right after fork() in every process.
 */
static inline void set_role(const char *name)
{
	if (prctl(PR_SET_NAME, name, 0, 0, 0) < 0)
		die("prctl(PR_SET_NAME)");
	snprintf(lab_role, sizeof(lab_role), "%s", name);
}

/*
 * Exactly ONE write() of len bytes, all equal to c.  Returns what the
 * write returned, errno intact, so the caller can show a short write,
 * EAGAIN or EPIPE: those are often the point of the exercise.  No retry
 * loop, because a retry would be a second write in the trace.
 */
static inline ssize_t xwrite_fill(int fd, size_t len, char c)
{
	char *buf = malloc(len ? len : 1);
	ssize_t n;
	int err;

	if (!buf)
		die("malloc");
	memset(buf, c, len);
	n = write(fd, buf, len);
	err = errno;
	free(buf);
	errno = err;
	return n;
}

/*
 * waitpid() for one child (retrying on EINTR), tell how it ended and
 * return the raw wait status for the caller to judge.
 */
static inline int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			die("waitpid");
	}
	if (WIFEXITED(status))
		say("child %d exited with status %d", (int)pid,
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		say("child %d killed by signal %d (%s)", (int)pid,
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	return status;
}

/* True when a wait status says "exited normally with status 0". */
static inline int child_ok(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * FIFO lab programs (fifo_*.c): the FIFO's path is argv[1].  ipclab
 * passes a path in a fresh private directory; run alone without an
 * argument a program uses LAB_FIFO_DEFAULT.  No syscall here.
 */
#define LAB_FIFO_DEFAULT "/tmp/ipclab-myfifo"

static inline const char *fifo_path(int argc, char **argv)
{
	if (argc > 2) {
		fprintf(stderr, "usage: %s [FIFO-PATH]\n"
			"  FIFO-PATH defaults to %s\n",
			program_invocation_short_name, LAB_FIFO_DEFAULT);
		exit(1);
	}
	return argc == 2 ? argv[1] : LAB_FIFO_DEFAULT;
}

/*
 * A FIFO this process created and has not unlinked yet: removed by an
 * atexit() handler if the program ends early (die(), an unexpected
 * result), so that a failed run does not leave the name behind.  On
 * the normal path the program makes its own unlink() and calls
 * fifo_unlinked() first, so the handler adds nothing to the trace.
 */
static const char *lab_fifo_owned;

static inline void lab_fifo_cleanup(void)
{
	if (lab_fifo_owned)
		unlink(lab_fifo_owned);
}

/* Call right after a successful mkfifo(path). */
static inline void fifo_created(const char *path)
{
	lab_fifo_owned = path;
	if (atexit(lab_fifo_cleanup) != 0) {
		errno = ENOMEM;
		die("atexit");
	}
}

/* Call right after the program's own unlink(path), whatever it returned. */
static inline void fifo_unlinked(void)
{
	lab_fifo_owned = NULL;
}

/*
 * ---- Helpers for the mmap lab programs (mech/mmap/labs/mmap_*.c) ----
 *
 * Those programs are checked on their page faults, so the helpers below
 * never touch a mapping on their own, and never call malloc() (a
 * malloc() of 128 KiB or more is served by an mmap()/munmap() pair of
 * glibc's own: syscalls in the trace that the program does not list).
 */
#include <fcntl.h>
#include <limits.h>

#define LAB_PAGE	4096

/*
 * An address hint for mmap() (not MAP_FIXED): 2 MiB aligned, far below
 * the libraries and far above the program and its heap.
 *
 * A read fault on a file mapping also maps the neighbouring pages that
 * are in the page cache (fault-around): a window of 16 page-table
 * entries aligned on 16 entries (64 KiB of address space), cut at the
 * ends of the mapping and of the page table (a 2 MiB-aligned block).
 * Where the window falls depends on the address, and ASLR makes that
 * random: at a 2 MiB-aligned start, a read fault on page 0 maps pages
 * 0-15, on every run.  If the range is taken, the kernel just picks
 * another address: a hint can never make mmap() fail.
 */
#define LAB_MAP_HINT	((void *)0x200000000000UL)

/*
 * Path of one of the program's files: "DIR/NAME" when ipclab gives the
 * directory as argv[1], else "/var/tmp/ipclab-NAME".
 */
static inline void lab_path(char *buf, size_t size, int argc, char **argv,
			    const char *name)
{
	int n;

	if (argc > 1 && argv[1][0])
		n = snprintf(buf, size, "%s/%s", argv[1], name);
	else
		n = snprintf(buf, size, "/var/tmp/ipclab-%s", name);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		die(name);
	}
}

/*
 * Create (or truncate) path and fill it with npages pages of fill:
 * open(O_CREAT|O_TRUNC|O_RDWR, 0644), npages write()s of 4096 bytes,
 * fsync(), close().  After it the pages are clean and still in the page
 * cache, one 4 KiB folio per page.
 *
 * One write() per page, not one write() of the whole file, on purpose:
 * ext4 (since Linux 6.16) caches a large write in large folios, e.g. a
 * single 32 KiB folio for 8 pages, and a fault maps a whole folio at
 * once: the first write fault on a MAP_SHARED mapping would make all 8
 * pages writable (and dirty) together, and a read fault in a new page
 * table maps the whole folio instead of the 16-page fault-around
 * window.  Page-sized writes give page-sized folios, and one fault, one
 * dirty page per page touched.
 */
static inline void make_file(const char *path, int npages, char fill)
{
	static char buf[LAB_PAGE];
	ssize_t n;
	int fd, i;

	memset(buf, fill, sizeof(buf));
	fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0)
		die(path);
	for (i = 0; i < npages; i++) {
		n = write(fd, buf, sizeof(buf));
		if (n < 0)
			die("make_file: write");
		if (n != (ssize_t)sizeof(buf)) {
			fflush(stdout);
			fprintf(stderr, "[%-8s %d] make_file: short write %zd of %zu\n",
				role(), (int)getpid(), n, sizeof(buf));
			exit(1);
		}
	}
	if (fsync(fd) < 0)
		die("make_file: fsync");
	if (close(fd) < 0)
		die("make_file: close");
}

/* Monotonic clock in nanoseconds (vDSO: nothing in the trace either). */
static inline long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* unlink() that must succeed. */
static inline void xunlink(const char *path)
{
	if (unlink(path) < 0)
		die(path);
}

/*
 * One load / one store of one byte of a mapping.  The volatile access
 * is what makes the touch happen exactly here, exactly once: the
 * compiler may neither drop it, nor move it across a sleep, nor merge
 * it with another one.
 */
static inline char touch_read(const void *p)
{
	return *(const volatile char *)p;
}

static inline void touch_write(void *p, char c)
{
	*(volatile char *)p = c;
}

/*
 * Store the string s, with its '\0', at dst: the tail first and byte 0
 * last.  Byte 0 is what a reader in another process polls for, so once
 * it sees byte 0 it sees the whole string.  Keep s within one page of
 * dst: then the first store is the only one that can fault.
 */
static inline void store_string(void *dst, const char *s)
{
	volatile char *d = dst;
	size_t i = strlen(s) + 1;

	while (i-- > 0)
		d[i] = s[i];
}

/* Copy a string out of a mapping (at most size - 1 bytes). */
static inline void load_string(char *buf, size_t size, const void *src)
{
	const volatile char *s = src;
	size_t i;

	for (i = 0; i + 1 < size && s[i]; i++)
		buf[i] = s[i];
	buf[i] = '\0';
}

#endif /* IPCLAB_LAB_H */
