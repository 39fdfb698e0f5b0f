/* launch.h - start a program held before exec, so the probes see it from its first step. */
#ifndef IPCLAB_LAUNCH_H
#define IPCLAB_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Under sudo, workloads run as the invoking user, not as root. */
struct run_user {
	bool drop;
	uid_t uid;
	gid_t gid;
};

void run_user_from_env(struct run_user *u);

struct launch {
	pid_t pid;
	int release_fd;		/* write end: one byte releases the child */
	int status_fd;		/* read end, close-on-exec in the child: EOF means exec worked */
};

/* Fork a child that waits before exec; its stdout/stderr go to out_fd when >= 0.
 * Returns 0 or -errno. */
int launch_held(char *const argv[], const struct run_user *u, int out_fd, struct launch *l);
/* Let it exec; returns 0 or the child's -errno from execvp (e.g. -ENOENT). */
int launch_release(struct launch *l);
void launch_abort(struct launch *l);

#endif
