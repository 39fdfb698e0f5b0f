/* evgen THREADS RATE SECONDS [OPS] - an event generator for ipclab's throughput and memory
 * benchmarks. Each of THREADS threads owns a pipe and repeats write(1 byte); read(1 byte):
 * two pipe syscalls that never block, i.e. two events per op under ipclab. RATE is the
 * target number of ops per second over all threads (0: as fast as possible), paced in
 * 1 ms ticks with clock_nanosleep(TIMER_ABSTIME). It runs SECONDS seconds, or, if OPS is
 * given and not 0, until the threads have done OPS ops in total (SECONDS is then ignored).
 * Prints seconds=S ops=N (measured between the threads' common start and the last
 * thread's end).
 */
#include "bench.h"
#include <pthread.h>
#include <stdatomic.h>

static unsigned long long rate_per_thread, ops_per_thread;
static double seconds, t_start;
static int nthreads;
static pthread_barrier_t barrier;

struct worker {
	pthread_t th;
	unsigned long long ops;
	double end;
};

static void add_ns(struct timespec *ts, long ns)
{
	ts->tv_nsec += ns;
	while (ts->tv_nsec >= 1000000000L) {
		ts->tv_nsec -= 1000000000L;
		ts->tv_sec++;
	}
}

static void *work(void *arg)
{
	struct worker *w = arg;
	int fds[2];
	char c = 'e';
	struct timespec tick;
	unsigned long long done = 0;
	double per_tick = rate_per_thread / 1000.0, credit = 0;

	if (pipe(fds))
		die("pipe");
	pthread_barrier_wait(&barrier);
	clock_gettime(CLOCK_MONOTONIC, &tick);
	for (;;) {
		unsigned long long batch = 4096, k;

		if (rate_per_thread) {
			credit += per_tick;
			batch = (unsigned long long)credit;
			credit -= (double)batch;
		}
		if (ops_per_thread && done + batch > ops_per_thread)
			batch = ops_per_thread - done;
		for (k = 0; k < batch; k++) {
			if (write(fds[1], &c, 1) != 1 || read(fds[0], &c, 1) != 1)
				die("pipe io");
		}
		done += batch;
		if (ops_per_thread) {
			if (done >= ops_per_thread)
				break;
		} else if (now_s() - t_start >= seconds) {
			break;
		}
		if (rate_per_thread) {
			add_ns(&tick, 1000000L);
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &tick, NULL) == EINTR)
				;
		}
	}
	w->ops = done;
	w->end = now_s();
	close(fds[0]);
	close(fds[1]);
	return NULL;
}

int main(int argc, char **argv)
{
	struct worker *w;
	unsigned long long rate, ops = 0, total = 0;
	double end = 0;
	int i;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: %s THREADS RATE SECONDS [OPS]\n", argv[0]);
		return 2;
	}
	nthreads = atoi(argv[1]);
	rate = parse_num(argv[2]);
	seconds = atof(argv[3]);
	if (argc == 5)
		ops = parse_num(argv[4]);
	if (nthreads < 1 || nthreads > 64)
		return 2;
	rate_per_thread = (rate + nthreads - 1) / nthreads;
	ops_per_thread = ops ? (ops + nthreads - 1) / nthreads : 0;
	w = calloc(nthreads, sizeof(*w));
	if (!w || pthread_barrier_init(&barrier, NULL, nthreads + 1))
		die("init");
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&w[i].th, NULL, work, &w[i]))
			die("pthread_create");
	t_start = now_s();
	pthread_barrier_wait(&barrier);
	for (i = 0; i < nthreads; i++) {
		pthread_join(w[i].th, NULL);
		total += w[i].ops;
		if (w[i].end > end)
			end = w[i].end;
	}
	printf("seconds=%.6f ops=%llu bytes=%llu\n", end - t_start, total, total);
	return 0;
}
