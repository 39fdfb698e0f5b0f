// SPDX-License-Identifier: GPL-2.0
/*
 * test_interrupt.c - Ctrl-C (SIGINT), SIGTERM and SIGKILL at different moments of
 * `ipclab trace` on a long trace (evgen, bench/workloads: 2M pipe events), real BPF, root.
 *
 *   during the recording      the program stops, the trace is written, marked interrupted
 *   while the trace is        ipclab ends within a second, exit 130, no file and a line
 *   sorted/resolved/written   saying so (a header that is written first cannot be made right
 *                             for fewer events in a gzip stream: no trace rather than a lie)
 *   SIGKILL while writing     nothing is left in the directory (unnamed O_TMPFILE, or the
 *                             named fallback's watcher)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>
#include "trace_read.h"

static char dir[] = "/var/tmp/ipclab-intr.XXXXXX";	/* on disk, like a user's traces */

struct child {
	pid_t pid;
	FILE *out;		/* its stdout + stderr */
	char log[16384];	/* what it said so far */
	size_t len;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ipclab trace -o DIR/NAME [extra env] -- sh -c "echo started; evgen ARGS", output
 * through a pipe. */
static void start(struct child *c, const char *name, const char *env, const char *evgen)
{
	char path[300], cmd[600];
	char *argv[16] = { "ipclab", "trace", "-o", path, "--", "sh", "-c", cmd };
	int p[2], k = 8;

	snprintf(cmd, sizeof(cmd), "echo started; exec %s %s", EVGEN, evgen);
	argv[k] = NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(pipe(p), 0);
	memset(c, 0, sizeof(*c));
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		/* a progress line as each phase begins: the moments to signal */
		setenv("IPCLAB_PROGRESS_AFTER", "0", 1);
		if (env)
			putenv((char *)env);
		execv(IPCLAB_BIN, argv);
		_exit(127);
	}
	close(p[1]);
	c->out = fdopen(p[0], "r");
	assert_non_null(c->out);
}

/* Read its output until a line contains `what`; false if it ended first. */
static bool wait_for(struct child *c, const char *what)
{
	char line[1024];

	while (fgets(line, sizeof(line), c->out)) {
		snprintf(c->log + c->len, sizeof(c->log) - c->len, "%s", line);
		c->len = strlen(c->log);
		if (strstr(line, what))
			return true;
	}
	return false;
}

/* It ended before the moment to signal it: say how. */
static void ended_early(struct child *c, const char *phase)
{
	int st = 0;

	waitpid(c->pid, &st, 0);
	fail_msg("no '%s' progress line before ipclab ended (%s %d):\n%s", phase,
		 WIFEXITED(st) ? "exit" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st),
		 c->log);
}

/* Signal it; returns its exit status, and the seconds it took to exit in *took. */
static int stop(struct child *c, int sig, double *took)
{
	double t0 = now_s();
	int st;

	kill(c->pid, sig);
	assert_int_equal(waitpid(c->pid, &st, 0), c->pid);
	*took = now_s() - t0;
	wait_for(c, "\1");	/* the rest of what it said */
	fclose(c->out);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Names in the test directory, joined by spaces ("" when empty). */
static const char *listing(void)
{
	static char out[2048];
	struct dirent *e;
	DIR *d = opendir(dir);

	out[0] = 0;
	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s",
				 out[0] ? " " : "", e->d_name);
	closedir(d);
	return out;
}

static void empty_dir(void)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	char path[600];

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
}

/* 500k ops of 2 threads: 1M pipe events, a second or more of sorting, resolving and
 * writing each (IPCLAB_PROGRESS_AFTER=0 shows when each begins). */
static const char long_trace[] = "2 0 0 500000";

/* A signal while the trace is being made: exit 130 within a second, no file, one line. */
static void interrupt_writing(const char *name, const char *env, const char *phase, int sig)
{
	struct child c;
	double took;
	int st;

	empty_dir();
	start(&c, name, env, long_trace);
	assert_true(wait_for(&c, "ops="));	/* evgen is done: the recording ends */
	if (!wait_for(&c, phase))
		ended_early(&c, phase);
	st = stop(&c, sig, &took);
	if (st != 130 || took > 1.0)
		fail_msg("signal %d while %s: exit %d after %.3f s (want 130 within 1 s):\n%s", sig,
			 phase, st, took, c.log);
	if (!strstr(c.log, "no trace written"))
		fail_msg("no line saying there is no trace:\n%s", c.log);
	printf("  signal %d while %s %s: exit %d after %.3f s\n", sig, phase, name, st, took);
	assert_string_equal(listing(), "");	/* no trace, no temporary */
}

static void test_sigint_while_sorting(void **state)
{
	interrupt_writing("s.json", NULL, "sorting", SIGINT);
}

static void test_sigint_while_resolving(void **state)
{
	interrupt_writing("r.json.gz", NULL, "resolving", SIGINT);
}

static void test_sigterm_while_writing(void **state)
{
	interrupt_writing("w.json", NULL, "writing", SIGTERM);
}

static void test_sigint_while_writing_gzip(void **state)
{
	interrupt_writing("w.json.gz", NULL, "writing", SIGINT);
}

/* Where the filesystem has no O_TMPFILE: the named temporary is removed too. */
static void test_sigint_while_writing_named_fallback(void **state)
{
	interrupt_writing("n.json", "IPCLAB_NO_O_TMPFILE=1", "writing", SIGINT);
}

/* SIGKILL runs no handler: the file must not exist anywhere in the first place. */
static void kill_writing(const char *env)
{
	struct child c;
	double took;

	empty_dir();
	start(&c, "k.json", env, long_trace);
	assert_true(wait_for(&c, "ops="));
	if (!wait_for(&c, "writing"))
		ended_early(&c, "writing");
	assert_int_equal(stop(&c, SIGKILL, &took), 128 + SIGKILL);
	/* the fallback's watcher notices the death and removes the name at once */
	for (int i = 0; i < 100 && strcmp(listing(), ""); i++)
		usleep(10000);
	if (strcmp(listing(), ""))
		fail_msg("left behind after SIGKILL: %s", listing());
}

static void test_sigkill_while_writing(void **state)
{
	kill_writing(NULL);
}

static void test_sigkill_while_writing_named_fallback(void **state)
{
	kill_writing("IPCLAB_NO_O_TMPFILE=1");
}

/* The whole trace, through zlib (reads plain files as they are). */
static json_object *load_any(const char *name)
{
	char path[300], buf[1 << 16];
	json_tokener *tok = json_tokener_new_ex(64);
	json_object *t = NULL;
	gzFile z;
	int n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	z = gzopen(path, "rb");
	assert_non_null(z);
	while (!t && (n = gzread(z, buf, sizeof(buf))) > 0) {
		t = json_tokener_parse_ex(tok, buf, n);
		if (!t && json_tokener_get_error(tok) != json_tokener_continue)
			fail_msg("%s: not valid JSON", path);
	}
	gzclose(z);
	json_tokener_free(tok);
	if (!t)
		fail_msg("%s: truncated", path);
	return t;
}

/*
 * Ctrl-C while the program runs: it is stopped and the trace written (spilled: more than
 * one 32768-record chunk), marked interrupted, with meta.events what the file holds.
 */
static void interrupt_recording(const char *name)
{
	const char paced[] = "2 20000 30";	/* 40k events/s for 30 s */
	json_object *t, *m;
	struct child c;
	double took;
	int st;

	empty_dir();
	start(&c, name, NULL, paced);
	assert_true(wait_for(&c, "started"));	/* the probes are attached */
	usleep(1500000);
	st = stop(&c, SIGINT, &took);
	if (st != 130 || took > 1.0)
		fail_msg("SIGINT while tracing: exit %d after %.3f s (want 130 within 1 s):\n%s",
			 st, took, c.log);
	assert_string_equal(listing(), name);
	printf("  SIGINT while tracing %s: exit %d after %.3f s\n", name, st, took);
	t = load_any(name);
	m = jget(t, "meta");
	assert_true(json_object_get_boolean(jget(m, "interrupted")));
	assert_string_equal(jstr(m, "end_reason"), "interrupted");
	assert_int_equal(jint(m, "events"), jlen(t, "events"));
	if (jlen(t, "events") <= 32768)	/* more than one chunk: the spilled path */
		fail_msg("only %zu events in 1.5 s of evgen at 40k events/s", jlen(t, "events"));
	json_object_put(t);
}

static void test_sigint_while_tracing(void **state)
{
	interrupt_recording("i.json");
}

static void test_sigint_while_tracing_gzip(void **state)
{
	interrupt_recording("i.json.gz");
}

/* The first Ctrl-C stops the program; a second one, while the trace is written, ends it. */
static void test_second_sigint_while_writing(void **state)
{
	const char fast[] = "2 0 60";
	struct child c;
	double took;
	int st;

	empty_dir();
	start(&c, "twice.json", NULL, fast);
	assert_true(wait_for(&c, "started"));
	usleep(2000000);
	kill(c.pid, SIGINT);
	if (!wait_for(&c, "resolving"))
		ended_early(&c, "resolving");
	st = stop(&c, SIGINT, &took);
	if (st != 130 || took > 1.0)
		fail_msg("second SIGINT: exit %d after %.3f s (want 130 within 1 s):\n%s", st, took,
			 c.log);
	assert_string_equal(listing(), "");
}

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	empty_dir();
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigint_while_sorting),
		cmocka_unit_test(test_sigint_while_resolving),
		cmocka_unit_test(test_sigterm_while_writing),
		cmocka_unit_test(test_sigint_while_writing_gzip),
		cmocka_unit_test(test_sigint_while_writing_named_fallback),
		cmocka_unit_test(test_sigkill_while_writing),
		cmocka_unit_test(test_sigkill_while_writing_named_fallback),
		cmocka_unit_test(test_sigint_while_tracing),
		cmocka_unit_test(test_sigint_while_tracing_gzip),
		cmocka_unit_test(test_second_sigint_while_writing),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "integration tests load BPF: run them as root (sudo make test)\n");
		return 77;
	}
	return cmocka_run_group_tests_name("interrupt", tests, setup, teardown);
}
