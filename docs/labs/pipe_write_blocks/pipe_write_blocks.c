/* pipe_write_blocks.c - a writer fills a pipe nobody reads yet: its 17th write sleeps
 * until the reader's first read (sudo ipclab run --lab docs/labs/pipe_write_blocks) */
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	static char buf[65536];
	int fd[2];

	memset(buf, 'a', sizeof(buf));
	if (pipe(fd) < 0)
		return 1;
	if (fork() == 0) {
		prctl(PR_SET_NAME, "reader");	/* the role the claims name */
		close(fd[1]);
		nanosleep(&(struct timespec){ 0, 300000000 }, NULL);
		read(fd[0], buf, 4096);		/* frees one slot: the writer wakes */
		while (read(fd[0], buf, sizeof(buf)) > 0)
			;
		return 0;
	}
	prctl(PR_SET_NAME, "writer");
	close(fd[0]);
	for (int i = 0; i < 17; i++)
		write(fd[1], buf, 4096);	/* the 17th finds 16 full slots and sleeps */
	close(fd[1]);
	wait(NULL);
	return 0;
}
