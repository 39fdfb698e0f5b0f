// SPDX-License-Identifier: GPL-2.0
/*
 * watchdog.c - every recording gets a cgroup (v2) holding the traced tree, and a watcher
 * process (a guardian, guardian.c).  If ipclab dies -- even by SIGKILL, when no handler
 * runs -- the watcher kills everything in the cgroup.  (The BPF programs need no such help: they detach when ipclab's file
 * descriptors close.)  Without cgroup v2, PR_SET_PDEATHSIG on the launched programs is the
 * fallback.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "watchdog.h"

/* The cgroup v2 mount point (unified or hybrid layout). */
static bool cgroup2_mount(char *out, size_t n)
{
	char line[1024], dev[256], dir[512], type[64];
	FILE *f = fopen("/proc/self/mounts", "r");
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%255s %511s %63s", dev, dir, type) == 3 && !strcmp(type, "cgroup2")) {
			snprintf(out, n, "%s", dir);
			found = true;
		}
	fclose(f);
	return found;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[600];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t r = write(fd, text, strlen(text));	/* best effort */

		(void)r;
		close(fd);
	}
}

/* cgroup.kill (5.14+), else SIGKILL each member until none is left. */
static void kill_members(const char *cg)
{
	char path[600], line[32];

	write_file(cg, "cgroup.kill", "1");
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	for (int round = 0; round < 100; round++) {
		FILE *f = fopen(path, "r");
		int n = 0;

		if (!f)
			return;
		while (fgets(line, sizeof(line), f)) {
			kill(atoi(line), SIGKILL);
			n++;
		}
		fclose(f);
		if (!n)
			return;
		usleep(10000);
	}
}

static void watcher_at_end(void *cgroup, bool done)
{
	if (!done)
		kill_members(cgroup);	/* ipclab is gone: nobody else will stop them */
	for (int i = 0; i < 500 && rmdir(cgroup) && errno == EBUSY; i++)
		usleep(10000);
}

int watchdog_start(struct watchdog *w)
{
	static int seq;
	char mnt[512];
	int err;

	memset(w, 0, sizeof(*w));
	w->watcher.fd = -1;
	if (!cgroup2_mount(mnt, sizeof(mnt)))
		return -ENOENT;
	snprintf(w->cgroup, sizeof(w->cgroup), "%s/ipclab-%d-%d", mnt, getpid(), seq++);
	if (mkdir(w->cgroup, 0755) && errno != EEXIST) {
		w->cgroup[0] = 0;
		return -errno;
	}
	err = guardian_start(&w->watcher, "ipclab-watch", watcher_at_end, w->cgroup);
	if (err) {
		rmdir(w->cgroup);
		w->cgroup[0] = 0;
	}
	return err;
}

void watchdog_adopt(struct watchdog *w, pid_t pid)
{
	char text[32];

	if (!w->cgroup[0])
		return;
	snprintf(text, sizeof(text), "%d", pid);
	write_file(w->cgroup, "cgroup.procs", text);
}

void watchdog_kill(struct watchdog *w)
{
	if (w->cgroup[0])
		kill_members(w->cgroup);
}

void watchdog_stop(struct watchdog *w)
{
	guardian_stop(&w->watcher);
}
