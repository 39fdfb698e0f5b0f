// SPDX-License-Identifier: GPL-2.0
/*
 * test_integration.c - the comparison scenario under real BPF.
 *
 * The group setup runs `ipclab run compare` once (as root, the probe tier from
 * IPCLAB_TEST_TIER, default auto).  Every claim must PASS and nothing be dropped
 * (scenario_trace()); then, per pair of processes (labs/compare.c: MECH.SIZE.w and .r), the
 * records the kernel gave: a copying mechanism's writer (pipe, FIFO, both sockets, message
 * queue) makes exactly one data record per message (128 KiB / SIZE), each moving SIZE bytes, and its reader's records add up to
 * 128 KiB; the shm pair makes none; every process's exit record counts at least its data
 * calls among its syscalls.  These follow from the syscalls the program makes, not from the
 * kernel version.  Without the probes there are no records and every test fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../../tests/integration/trace_read.h"

#define TOTAL (128 * 1024)

static char outdir[] = "/tmp/ipclab-compare-itest.XXXXXX";
static int run_status = -1;
static json_object *trace;

static const char *const copying[] = { "pipe", "fifo", "ustrm", "udgrm", "mq" };
static const long long sizes[] = { 64, 4096, 65536 };
static const char *const labels[] = { "64", "4K", "64K" };	/* in the names */

/* The data records of process comm: pipe_read/pipe_write or sock_send/sock_recv. */
enum kind { PIPE_IO, SOCK_IO, MQ_IO };

static const char *const record_types[][2] = {	/* [kind][write] */
	{ "pipe_read", "pipe_write" }, { "sock_recv", "sock_send" }, { "mq_recv", "mq_send" },
};

static size_t data_records(const char *comm, enum kind k, bool write, json_object **out,
			   size_t max)
{
	long long pid = role_pid(trace, comm);

	if (pid < 0)
		fail_msg("no process %s", comm);
	return events_of(trace, pid, record_types[k][write], out, max);
}

static json_object *exit_of(const char *comm)
{
	json_object *e[1] = { NULL };

	assert_int_equal(events_of(trace, role_pid(trace, comm), "exit", e, 1), 1);
	return e[0];
}

static void test_claims_pass(void **state)
{
	assert_int_equal(run_status, 0);
	trace = scenario_trace(outdir, "compare");
	assert_int_equal(jlen(trace, "claims"), 7);	/* 4, and a cost claim per size */
}

/* One write or send per message, each moving the whole message; the reader gets it all. */
static void test_copying_pairs(void **state)
{
	static json_object *ev[4096];
	char name[16];

	assert_non_null(trace);
	for (size_t m = 0; m < 5; m++)
		for (size_t k = 0; k < 3; k++) {
			enum kind kind = m == 4 ? MQ_IO : m >= 2 ? SOCK_IO : PIPE_IO;
			long long got = 0;
			size_t n;

			if (m == 4 && sizes[k] > 8192)
				continue;	/* the lab skips it: msgsize_max */

			snprintf(name, sizeof(name), "%s.%s.w", copying[m], labels[k]);
			n = data_records(name, kind, true, ev, 4096);
			assert_int_equal(n, TOTAL / sizes[k]);
			for (size_t i = 0; i < n; i++)
				assert_int_equal(jint(ev[i], "bytes"), sizes[k]);
			assert_true(jint(exit_of(name), "syscalls") >= (long long)n);
			snprintf(name, sizeof(name), "%s.%s.r", copying[m], labels[k]);
			n = data_records(name, kind, false, ev, 4096);
			for (size_t i = 0; i < n; i++)
				got += jint(ev[i], "bytes");
			assert_int_equal(got, TOTAL);
			assert_true(jint(exit_of(name), "syscalls") >= (long long)n);
		}
}

/* The shm pairs: no data record at all; the handshake's futex calls are counted at exit
 * (each side wakes the other once per message: at least that many syscalls). */
static void test_shm_pairs(void **state)
{
	json_object *ev[1];
	char name[16];

	assert_non_null(trace);
	for (size_t k = 0; k < 3; k++)
		for (int side = 0; side < 2; side++) {
			snprintf(name, sizeof(name), "shm.%s.%c", labels[k], side ? 'r' : 'w');
			for (int kind = PIPE_IO; kind <= MQ_IO; kind++) {
				assert_int_equal(data_records(name, kind, true, ev, 1), 0);
				assert_int_equal(data_records(name, kind, false, ev, 1), 0);
			}
			assert_true(jint(exit_of(name), "syscalls") >= TOTAL / sizes[k]);
		}
}

static int setup(void **state)
{
	const char *tier = getenv("IPCLAB_TEST_TIER");
	char cmd[1024];

	if (!mkdtemp(outdir))
		return -1;
	snprintf(cmd, sizeof(cmd), "%s run -o %s --tier %s compare > %s/run.out 2>&1",
		 IPCLAB_BIN, outdir, tier ? tier : "auto", outdir);
	run_status = system(cmd);
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	if (trace)
		json_object_put(trace);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", outdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_claims_pass),
		cmocka_unit_test(test_copying_pairs),
		cmocka_unit_test(test_shm_pairs),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "integration tests load BPF: run them as root (sudo make test)\n");
		return 77;
	}
	return cmocka_run_group_tests_name("compare", tests, setup, teardown);
}
