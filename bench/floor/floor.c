// SPDX-License-Identifier: GPL-2.0
/*
 * floor -- CMD ARGS: the minimal tracer of bench/floor/floor.bpf.c around one command.
 *
 * Starts CMD held before its exec (as `ipclab trace` does, user/launch.c), loads and attaches
 * the three programs, puts CMD's task into the traced set through a pidfd, releases it, waits
 * for it, and prints the syscalls counted in its process tree on stderr (stdout is CMD's):
 *   floor: sys_enter=N sys_exit=N forks=N
 * Exit status: CMD's (128 + signal if it was killed), 2 for a usage error, 1 for a failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

enum { FLOOR_ENTER, FLOOR_EXIT, FLOOR_FORK, FLOOR_NCOUNTERS };

struct held {
	pid_t pid;
	int release_fd;
};

/* fork CMD; the child waits for one byte on a pipe before its exec */
static int start_held(char **argv, struct held *h)
{
	int hold[2];
	char c;

	if (pipe2(hold, O_CLOEXEC))
		return -errno;
	h->pid = fork();
	if (h->pid < 0) {
		int err = -errno;

		close(hold[0]);
		close(hold[1]);
		return err;
	}
	if (h->pid == 0) {
		close(hold[1]);
		if (read(hold[0], &c, 1) != 1)
			_exit(127);	/* the loader went away before releasing us */
		execvp(argv[0], argv);
		fprintf(stderr, "floor: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(hold[0]);
	h->release_fd = hold[1];
	return 0;
}

/* the root of the tree: task storage of a task is keyed by a pidfd from user space */
static int seed_root(struct floor_bpf *skel, pid_t pid)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0), err = 0;
	__u8 member = 1;

	if (pidfd < 0)
		return -errno;
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.in_tree), &pidfd, &member, BPF_NOEXIST))
		err = -errno;
	close(pidfd);
	return err;
}

static int sum_counts(struct floor_bpf *skel, __u64 totals[FLOOR_NCOUNTERS])
{
	int ncpus = libbpf_num_possible_cpus(), fd = bpf_map__fd(skel->maps.counts);
	__u64 *per_cpu;

	if (ncpus < 0)
		return ncpus;
	per_cpu = calloc(ncpus, sizeof(*per_cpu));
	if (!per_cpu)
		return -ENOMEM;
	for (__u32 k = 0; k < FLOOR_NCOUNTERS; k++) {
		totals[k] = 0;
		if (bpf_map_lookup_elem(fd, &k, per_cpu)) {
			int err = -errno;

			free(per_cpu);
			return err;
		}
		for (int c = 0; c < ncpus; c++)
			totals[k] += per_cpu[c];
	}
	free(per_cpu);
	return 0;
}

static int wait_status(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	struct floor_bpf *skel = NULL;
	struct held h = { .pid = -1, .release_fd = -1 };
	__u64 totals[FLOOR_NCOUNTERS];
	int err, rc = 1;

	if (argc < 3 || strcmp(argv[1], "--")) {
		fprintf(stderr, "usage: floor -- CMD [ARGS...]\n");
		return 2;
	}
	/* started before the load so that the BPF maps and links are not inherited by CMD */
	err = start_held(argv + 2, &h);
	if (err)
		goto fail;
	skel = floor_bpf__open_and_load();
	if (!skel) {
		err = -errno;
		goto fail;
	}
	err = floor_bpf__attach(skel);
	if (err)
		goto fail;
	err = seed_root(skel, h.pid);
	if (err)
		goto fail;
	if (write(h.release_fd, "g", 1) != 1) {
		err = -errno;
		goto fail;
	}
	close(h.release_fd);
	h.release_fd = -1;
	rc = wait_status(h.pid);
	h.pid = -1;
	err = sum_counts(skel, totals);
	if (err)
		goto fail;
	fprintf(stderr, "floor: sys_enter=%llu sys_exit=%llu forks=%llu\n",
		(unsigned long long)totals[FLOOR_ENTER], (unsigned long long)totals[FLOOR_EXIT],
		(unsigned long long)totals[FLOOR_FORK]);
	goto cleanup;
fail:
	fprintf(stderr, "floor: %s\n", strerror(-err));
	rc = 1;
cleanup:
	if (h.release_fd >= 0)
		close(h.release_fd);	/* the held child reads EOF and exits 127 */
	if (h.pid > 0) {
		kill(h.pid, SIGKILL);
		waitpid(h.pid, NULL, 0);
	}
	floor_bpf__destroy(skel);
	return rc;
}
