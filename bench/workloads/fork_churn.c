/* fork_churn N - N times: fork a child that exits at once, and wait for it.  Each child is a
 * process (a lane) in the trace: the post-processing scale test for processes
 * (bench/scale.sh, tests/scale).  Pids wrap around pid_max when N is large.
 *   fork_churn 20000
 */
#include "bench.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
	unsigned long long n, i;
	double t0, t1;

	if (argc != 2) {
		fprintf(stderr, "usage: %s N   (e.g. 20000)\n", argv[0]);
		return 2;
	}
	n = parse_num(argv[1]);
	t0 = now_s();
	for (i = 0; i < n; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid)
			die("waitpid");
	}
	t1 = now_s();
	printf("seconds=%.6f ops=%llu bytes=0\n", t1 - t0, n);
	return 0;
}
