// SPDX-License-Identifier: GPL-2.0
/*
 * test_integration.c - the Unix socket scenarios under real BPF, checked to the byte.
 *
 * The group setup runs `ipclab run` once for every unix_* scenario (as root, with the probe
 * tier from IPCLAB_TEST_TIER, default auto).  Each test reads one trace and compares the exact
 * sequence of sends or receives of one process: result, and the receive queue before and
 * after in bytes and in skbs.  These do not depend on the kernel: a stream skb per write,
 * never merged; a datagram per skb; the default backlog of 10 (net.unix.max_dgram_qlen).
 * What the sender is charged per skb (its truesize) depends on the kernel's build, so the
 * charge is checked by its rules (it rises with every queued skb, equally for equal writes;
 * it falls to 0 when the queue is drained), not by its 6.18 values (mech/unix/NOTES.md).
 * Values marked ANY are real races; each says why.  Without the probes there are no
 * sock_send/sock_recv events and every test fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../../tests/integration/trace_read.h"
#include "../../../tests/integration/run_scenarios.h"

static char outdir[] = "/tmp/ipclab-unix-itest.XXXXXX";
static int run_status = -1;

/* One send or receive: its result and the receive queue before and after. */
struct sop {
	long long result, occ_before, occ_after, skbs_before, skbs_after;
};

static void expect_field(json_object *e, const char *key, long long want, const char *ctx,
			 size_t k)
{
	long long got = jint(e, key);

	if (want != ANY && got != want)
		fail_msg("%s #%zu: %s = %lld, expected %lld", ctx, k, key, got, want);
}

/*
 * The first n sends or receives of the process named `role` are these, in this order; with
 * exact, it made no more.  Returns how many it made.
 */
static size_t expect_sops(json_object *trace, const char *role, const char *type,
			  const struct sop *want, size_t n, bool exact)
{
	static json_object *got[1024];
	long long pid = role_pid(trace, role);
	char ctx[64];
	size_t m;

	if (pid < 0)
		fail_msg("no process named %s in the trace", role);
	m = events_of(trace, pid, type, got, 1024);
	snprintf(ctx, sizeof(ctx), "%s %s", role, type);
	if (exact ? m != n : m < n)
		fail_msg("%s: %zu events, expected %s%zu", ctx, m, exact ? "" : "at least ", n);
	for (size_t k = 0; k < n; k++) {
		expect_field(got[k], "bytes", want[k].result, ctx, k);
		expect_field(got[k], "occ_before", want[k].occ_before, ctx, k);
		expect_field(got[k], "occ_after", want[k].occ_after, ctx, k);
		expect_field(got[k], "skbs_before", want[k].skbs_before, ctx, k);
		expect_field(got[k], "skbs_after", want[k].skbs_after, ctx, k);
	}
	return m;
}

/* The sender's charge rises by the same amount for each of the n equal writes from `from`. */
static void expect_equal_charges(json_object *trace, const char *role, size_t from, size_t n)
{
	static json_object *got[1024];
	size_t m = events_of(trace, role_pid(trace, role), "sock_send", got, 1024);
	long long step;

	assert_true(m >= from + n);
	step = jint(got[from], "wmem_after") - jint(got[from], "wmem_before");
	assert_true(step > 0);
	for (size_t k = from; k < from + n; k++) {
		if (jint(got[k], "wmem_after") - jint(got[k], "wmem_before") != step)
			fail_msg("%s send #%zu charged %lld, the first %lld", role, k,
				 jint(got[k], "wmem_after") - jint(got[k], "wmem_before"), step);
		assert_int_equal(jint(got[k], "wmem_max"), jint(got[from], "wmem_max"));
	}
}

static json_object *load(const char *scenario)
{
	return scenario_trace(outdir, scenario);
}

static json_object *object(json_object *t, long long id)
{
	for (size_t i = 0; i < jlen(t, "objects"); i++)
		if (jint(jat(t, "objects", i), "id") == id)
			return jat(t, "objects", i);
	fail_msg("no object %lld", id);
	return NULL;
}

static void test_run_exit_status(void **state)
{
	assert_int_equal(run_status, 0);	/* every claim of every unix scenario passed */
}

/* Four writes queue four skbs (a pipe would merge the first three into one page); one read
 * takes all 8000 bytes, then end of file.  The two ends are one socketpair. */
static void test_socketpair_transfer(void **state)
{
	json_object *t = load("unix_socketpair_transfer"), *ev[8], *a, *b;
	const struct sop w[] = {
		{ 1000, 0, 1000, 0, 1 }, { 1000, 1000, 2000, 1, 2 },
		{ 1000, 2000, 3000, 2, 3 }, { 5000, 3000, 8000, 3, 4 },
	};
	const struct sop r[] = { { 8000, 8000, 0, 4, 0 }, { 0, 0, 0, 0, 0 } };

	expect_sops(t, "writer", "sock_send", w, 4, true);
	expect_sops(t, "reader", "sock_recv", r, 2, true);
	expect_equal_charges(t, "writer", 0, 3);
	events_of(t, role_pid(t, "writer"), "sock_send", ev, 8);
	a = object(t, jint(ev[0], "obj"));
	b = object(t, jint(ev[0], "queue"));
	assert_string_equal(jstr(a, "kind"), "unix_stream");
	assert_true(json_object_get_boolean(jget(a, "socketpair")));
	assert_int_equal(jint(a, "peer"), jint(b, "id"));
	assert_int_equal(jint(b, "peer"), jint(a, "id"));
	/* the read frees the writer's whole charge */
	events_of(t, role_pid(t, "reader"), "sock_recv", ev, 8);
	assert_int_equal(jint(ev[0], "wmem_after"), 0);
	json_object_put(t);
}

/* "one", "two!", "three": the stream reader gets 12 at once, datagram and seqpacket readers
 * 3, 4, 5; then 0 (stream), -EAGAIN (dgram: no end of file), 0 (seqpacket). */
static void test_boundaries(void **state)
{
	json_object *t = load("unix_boundaries");
	const struct sop w[] = { { 3, 0, 3, 0, 1 }, { 4, 3, 7, 1, 2 }, { 5, 7, 12, 2, 3 } };
	const struct sop r[] = {
		{ 12, 12, 0, 3, 0 }, { 0, 0, 0, 0, 0 },
		{ 3, 12, 9, 3, 2 }, { 4, 9, 5, 2, 1 }, { 5, 5, 0, 1, 0 }, { -11, 0, 0, 0, 0 },
		{ 3, 12, 9, 3, 2 }, { 4, 9, 5, 2, 1 }, { 5, 5, 0, 1, 0 }, { 0, 0, 0, 0, 0 },
	};

	expect_sops(t, "wr-stream", "sock_send", w, 3, true);
	expect_sops(t, "wr-dgram", "sock_send", w, 3, true);
	expect_sops(t, "wr-seqpkt", "sock_send", w, 3, true);
	expect_sops(t, "reader", "sock_recv", r, 10, true);
	json_object_put(t);
}

/* A datagram receiver's queue takes 11 (backlog 10, plus one); the 12th send sleeps.  It
 * entered with 11 queued and returned with 11 again (the receiver's read took one out while
 * it slept, then its own went in), unless the receiver read more before the send's return
 * was sampled: a race on two CPUs, so its "after" is not pinned. */
static void test_dgram_blocks(void **state)
{
	json_object *t = load("unix_dgram_blocks");
	struct sop w[12];

	for (int k = 0; k < 11; k++)
		w[k] = (struct sop){ 100, 100 * k, 100 * (k + 1), k, k + 1 };
	w[11] = (struct sop){ 100, 1100, ANY, 11, ANY };
	expect_sops(t, "sender", "sock_send", w, 12, true);
	expect_equal_charges(t, "sender", 0, 11);
	json_object_put(t);
}

/* A stream writer of 4096-byte chunks: the first ones queue one skb each (the count before
 * the writer's budget runs out depends on the kernel's skb sizes: 44 on 6.18 x86_64); the
 * reader, 300 ms late, finds them all and takes one skb per read. */
static void test_stream_blocks(void **state)
{
	json_object *t = load("unix_stream_blocks"), *ev[128];
	struct sop w[40];
	size_t n;

	for (int k = 0; k < 40; k++)
		w[k] = (struct sop){ 4096, 4096LL * k, 4096LL * (k + 1), k, k + 1 };
	expect_sops(t, "writer", "sock_send", w, 40, false);
	expect_equal_charges(t, "writer", 0, 40);
	n = events_of(t, role_pid(t, "reader"), "sock_recv", ev, 128);
	assert_true(n >= 41);
	/* the first read: everything queued so far, one skb taken */
	assert_int_equal(jint(ev[0], "bytes"), 4096);
	assert_int_equal(jint(ev[0], "skbs_before") - jint(ev[0], "skbs_after"), 1);
	assert_true(jint(ev[0], "skbs_before") >= 40);
	assert_int_equal(jint(ev[n - 1], "bytes"), 0);	/* end of file */
	json_object_put(t);
}

/* The largest datagram (sk_sndbuf - 32) is one skb; one byte more is EMSGSIZE (-90); after
 * SO_SNDBUF 4096 the limit is 8160; a stream write of 212961 goes through in 6 skbs. */
static void test_msgsize(void **state)
{
	json_object *t = load("unix_msgsize");
	const struct sop w[] = {
		{ 212960, 0, 212960, 0, 1 }, { -90, 0, 0, 0, 0 }, { 8160, 0, 8160, 0, 1 },
		{ -90, 0, 0, 0, 0 }, { 212961, 0, 212961, 0, ANY },
	};
	const struct sop r[] = {
		{ 212960, 212960, 0, 1, 0 }, { 8160, 8160, 0, 1, 0 }, { 212961, 212961, 0, ANY, 0 },
	};

	expect_sops(t, "msgsize", "sock_send", w, 5, true);
	expect_sops(t, "msgsize", "sock_recv", r, 3, true);
	json_object_put(t);
}

/* Non-blocking reads: -EAGAIN on an empty queue, 10, 10 (the peer gone, its data still
 * there), 0; then stream writes of 4096 until -EAGAIN and 11 datagrams until -EAGAIN. */
static void test_nonblock(void **state)
{
	json_object *t = load("unix_nonblock"), *ev[128];
	const struct sop r[] = {
		{ -11, 0, 0, 0, 0 }, { 10, 10, 0, 1, 0 }, { 10, 10, 0, 1, 0 }, { 0, 0, 0, 0, 0 },
	};
	size_t n, k;

	expect_sops(t, "nonblock", "sock_recv", r, 4, true);
	n = events_of(t, role_pid(t, "nonblock"), "sock_send", ev, 128);
	/* 2 writes of 10, the stream writes, 2 x -EAGAIN, 11 datagrams, -EAGAIN */
	assert_true(n > 16);
	for (k = 2; k < n && jint(ev[k], "bytes") == 4096; k++)
		assert_int_equal(jint(ev[k], "skbs_after"), k - 1);
	assert_true(k + 2 + 11 + 1 == n);
	assert_int_equal(jint(ev[k], "bytes"), -11);
	assert_int_equal(jint(ev[k + 1], "bytes"), -11);
	for (size_t d = 0; d < 11; d++)
		assert_int_equal(jint(ev[k + 2 + d], "skbs_after"), d + 1);
	assert_int_equal(jint(ev[n - 1], "bytes"), -11);
	assert_int_equal(jint(ev[n - 1], "skbs_before"), 11);
	assert_int_equal(jint(ev[n - 1], "queue_max"), 10);
	json_object_put(t);
}

/* After the peer closed: -EPIPE (-32) in every round, nothing queued. */
static void test_epipe(void **state)
{
	json_object *t = load("unix_epipe");
	const struct sop w[] = { { -32, 0, 0, 0, 0 } };

	expect_sops(t, "writer", "sock_send", w, 1, true);
	expect_sops(t, "nosignal", "sock_send", w, 1, true);
	expect_sops(t, "ignorer", "sock_send", w, 1, true);
	json_object_put(t);
}

/* One-byte writes fill the queue with one skb each until the budget is spent; the writes of
 * 65536 are cut into 2 skbs each and the last is short. */
static void test_capacity(void **state)
{
	json_object *t = load("unix_capacity"), *ev[1024];
	size_t n = events_of(t, role_pid(t, "capacity"), "sock_send", ev, 1024), k;

	assert_true(n > 100);
	for (k = 0; k < n && jint(ev[k], "bytes") == 1; k++) {
		assert_int_equal(jint(ev[k], "occ_after"), k + 1);
		assert_int_equal(jint(ev[k], "skbs_after"), k + 1);
	}
	assert_true(k > 100);	/* 278 on 6.18 x86_64 */
	assert_int_equal(jint(ev[k], "bytes"), -11);
	assert_true(jint(ev[k], "wmem_before") >= jint(ev[k], "wmem_max"));
	json_object_put(t);
}

/* The server and the client are unrelated: the request goes one way, the reply the other,
 * each a single skb.  The server's read slept 50 ms for the request, so it entered with an
 * empty queue; whether the reply is there before the client's read enters is a race. */
static void test_server_client(void **state)
{
	json_object *t = load("unix_server_client");
	const struct sop send[] = { { 21, 0, 21, 0, 1 } };
	const struct sop recv[] = { { 21, ANY, 0, ANY, 0 } };
	const struct sop srecv[] = { { 21, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0 } };

	expect_sops(t, "client", "sock_send", send, 1, true);
	expect_sops(t, "server", "sock_recv", srecv, 2, true);
	expect_sops(t, "server", "sock_send", send, 1, true);
	expect_sops(t, "client", "sock_recv", recv, 1, true);
	json_object_put(t);
}

static int run_all(void **state)
{
	(void)state;
	return run_scenarios(outdir, "unix_", &run_status);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_exit_status),
		cmocka_unit_test(test_socketpair_transfer),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_dgram_blocks),
		cmocka_unit_test(test_stream_blocks),
		cmocka_unit_test(test_msgsize),
		cmocka_unit_test(test_nonblock),
		cmocka_unit_test(test_epipe),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_server_client),
	};

	return cmocka_run_group_tests(tests, run_all, NULL);
}
