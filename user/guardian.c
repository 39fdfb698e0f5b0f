// SPDX-License-Identifier: GPL-2.0
/*
 * guardian.c - a forked child holding the read end of a pipe from ipclab.  The pipe reaches
 * end-of-file when ipclab exits for any reason, SIGKILL included; ipclab writes "d" first
 * when it ends normally, so the guardian knows which of the two happened.  It ignores Ctrl-C,
 * SIGTERM and SIGHUP: those are ipclab's to handle, and a guardian killed along with ipclab
 * could no longer clean up after it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "guardian.h"

static void guardian_main(const char *name, int fd, guardian_fn at_end, void *arg)
{
	char c = 0;
	ssize_t n;

	prctl(PR_SET_NAME, name);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	for (int i = 3; i < 1024; i++)	/* hold nothing of ipclab's open (a pipe end, a trace) */
		if (i != fd)
			close(i);
	do
		n = read(fd, &c, 1);
	while (n < 0 && errno == EINTR);
	at_end(arg, n == 1 && c == 'd');
	_exit(0);
}

int guardian_start(struct guardian *g, const char *name, guardian_fn at_end, void *arg)
{
	int p[2];

	g->pid = 0;
	g->fd = -1;
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	g->pid = fork();
	if (g->pid == 0) {
		close(p[1]);
		guardian_main(name, p[0], at_end, arg);
	}
	close(p[0]);
	if (g->pid < 0) {
		int err = -errno;

		close(p[1]);
		g->pid = 0;
		return err;
	}
	g->fd = p[1];
	return 0;
}

void guardian_stop(struct guardian *g)
{
	if (g->fd >= 0) {
		ssize_t r = write(g->fd, "d", 1);	/* fails only if the guardian is gone */

		(void)r;
		close(g->fd);
		g->fd = -1;
	}
	if (g->pid > 0)
		waitpid(g->pid, NULL, 0);
	g->pid = 0;
}
