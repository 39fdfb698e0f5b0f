// SPDX-License-Identifier: GPL-2.0
/*
 * launch.c - start a workload held before its exec.
 *
 * The loader marks the child "pending" in the BPF filter while it waits on the release
 * pipe; the kernel side starts recording at the child's exec.  So the hold itself (a pipe
 * read!) never shows up as scenario activity.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "launch.h"

void run_user_from_env(struct run_user *u)
{
	const char *uid = getenv("SUDO_UID"), *gid = getenv("SUDO_GID");

	u->drop = false;
	if (geteuid() != 0 || !uid || !gid)
		return;
	u->uid = strtoul(uid, NULL, 10);
	u->gid = strtoul(gid, NULL, 10);
	u->drop = u->uid != 0;
}

static void child_fail(int status_fd, int err)
{
	ssize_t r = write(status_fd, &err, sizeof(err));

	(void)r;
	_exit(127);
}

static void child_run(char *const argv[], const struct run_user *u, int hold_fd, int status_fd,
		      int out_fd, pid_t parent)
{
	char c;

	if (out_fd >= 0 && (dup2(out_fd, STDOUT_FILENO) < 0 || dup2(out_fd, STDERR_FILENO) < 0))
		child_fail(status_fd, errno);

	if (u->drop && (setgroups(1, &u->gid) || setgid(u->gid) || setuid(u->uid)))
		child_fail(status_fd, errno);
	/* after setuid: credential changes clear the parent-death signal */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	if (read(hold_fd, &c, 1) != 1)
		_exit(127);	/* the loader went away before releasing us */
	close(hold_fd);
	execvp(argv[0], argv);
	child_fail(status_fd, errno);
}

int launch_held(char *const argv[], const struct run_user *u, int out_fd, struct launch *l)
{
	int hold[2], status[2];
	pid_t parent = getpid();

	if (pipe2(hold, O_CLOEXEC))
		return -errno;
	if (pipe2(status, O_CLOEXEC)) {
		close(hold[0]);
		close(hold[1]);
		return -errno;
	}
	l->pid = fork();
	if (l->pid < 0) {
		int err = -errno;

		close(hold[0]);
		close(hold[1]);
		close(status[0]);
		close(status[1]);
		return err;
	}
	if (l->pid == 0) {
		close(hold[1]);
		close(status[0]);
		child_run(argv, u, hold[0], status[1], out_fd, parent);
	}
	close(hold[0]);
	close(status[1]);
	l->release_fd = hold[1];
	l->status_fd = status[0];
	return 0;
}

int launch_release(struct launch *l)
{
	int child_err = 0;
	ssize_t n;

	n = write(l->release_fd, "g", 1);
	close(l->release_fd);
	l->release_fd = -1;
	if (n != 1)
		return -EPIPE;
	n = read(l->status_fd, &child_err, sizeof(child_err));
	close(l->status_fd);
	l->status_fd = -1;
	return n == sizeof(child_err) ? -child_err : 0;
}

void launch_abort(struct launch *l)
{
	if (l->release_fd >= 0)
		close(l->release_fd);
	if (l->status_fd >= 0)
		close(l->status_fd);
	if (l->pid > 0) {
		kill(l->pid, SIGKILL);
		waitpid(l->pid, NULL, 0);
	}
}
