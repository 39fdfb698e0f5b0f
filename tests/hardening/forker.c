// SPDX-License-Identifier: GPL-2.0
/*
 * forker - a traced program with many children: N children (default 200), each writes one
 * line "child NNN pid PID\n" into a pipe shared with the parent and exits; the parent reads
 * until end of file and reaps them.  Exit 0 when every child's line arrived.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200, p[2], lines = 0, failed = 0;
	char buf[4096];
	ssize_t r;

	if (n <= 0 || pipe(p)) {
		perror("forker");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 2;
		}
		if (pid == 0) {
			char msg[64];
			int len = snprintf(msg, sizeof(msg), "child %03d pid %d\n", i, (int)getpid());

			close(p[0]);
			_exit(write(p[1], msg, len) == len ? 0 : 1);
		}
	}
	close(p[1]);
	while ((r = read(p[0], buf, sizeof(buf))) > 0)
		for (ssize_t k = 0; k < r; k++)
			lines += buf[k] == '\n';
	for (int st; wait(&st) > 0;)
		failed += !WIFEXITED(st) || WEXITSTATUS(st);
	if (lines != n || failed) {
		fprintf(stderr, "forker: %d lines from %d children, %d failed\n", lines, n, failed);
		return 1;
	}
	return 0;
}
