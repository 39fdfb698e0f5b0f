// SPDX-License-Identifier: GPL-2.0
/*
 * evil_name DIR [ARGS...] - attacker-controlled text in everything ipclab records:
 *   the writer names itself "<img src=x oner" then "ror=alert(1)>" (comm is 15 bytes),
 *   the reader names itself "</script><scrip";
 *   both open a FIFO at the relative path "</script><script>alert(1)</script>/p" under DIR
 *   (nested directories: '/' cannot be in a name) and the writer sends markup through it.
 * ARGS are ignored: they put markup into the recorded command line.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define FIFO_DIR1 "<"
#define FIFO_DIR2 "</script><script>alert(1)<"
#define FIFO_DIR3 "</script><script>alert(1)</script>"
#define FIFO_PATH FIFO_DIR3 "/p"
#define PAYLOAD "</script><img src=x onerror=alert(1)><script>alert(2)</script>"

int main(int argc, char **argv)
{
	char buf[256];
	pid_t pid;
	int fd, st;

	if (argc < 2 || chdir(argv[1])) {
		perror("evil_name: chdir");
		return 2;
	}
	mkdir(FIFO_DIR1, 0755);
	mkdir(FIFO_DIR2, 0755);
	mkdir(FIFO_DIR3, 0755);
	unlink(FIFO_PATH);
	if (mkfifo(FIFO_PATH, 0644)) {
		perror("evil_name: mkfifo");
		return 2;
	}
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NAME, "</script><scrip");
		fd = open(FIFO_PATH, O_RDONLY);
		while (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
			;
		_exit(fd < 0);
	}
	prctl(PR_SET_NAME, "<img src=x oner");
	fd = open(FIFO_PATH, O_WRONLY);
	if (fd < 0 || write(fd, PAYLOAD, strlen(PAYLOAD)) < 0) {
		perror("evil_name: write");
		return 2;
	}
	prctl(PR_SET_NAME, "ror=alert(1)>");
	prctl(PR_SET_NAME, "<img src=x oner");
	close(fd);
	waitpid(pid, &st, 0);
	unlink(FIFO_PATH);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
