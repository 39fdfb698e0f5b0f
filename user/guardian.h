/* SPDX-License-Identifier: GPL-2.0 */
/* guardian.h - a child process that cleans up after ipclab, even after a SIGKILL. */
#ifndef IPCLAB_GUARDIAN_H
#define IPCLAB_GUARDIAN_H

#include <stdbool.h>
#include <sys/types.h>

/* Called in the guardian when ipclab said "done" (done) or died (!done); then it exits. */
typedef void (*guardian_fn)(void *arg, bool done);

struct guardian {
	pid_t pid;	/* 0 when none */
	int fd;		/* ipclab's end of the pipe, -1 when none */
};

int guardian_start(struct guardian *g, const char *name, guardian_fn at_end, void *arg);
void guardian_stop(struct guardian *g);

#endif
