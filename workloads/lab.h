/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab.h - tiny helpers shared by the ipclab pipe lab programs.
 *
 * Everything here is static inline so each lab program stays a single
 * file: "gcc -Wall -Wextra -O2 -o prog workloads/prog.c" is the whole build.
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

#endif /* IPCLAB_LAB_H */
