// SPDX-License-Identifier: GPL-2.0
/*
 * test_integration.c - the message queue scenarios under real BPF, checked event by event.
 *
 * The group setup runs `ipclab run` once for every mq_* scenario (as root, with the probe
 * tier from IPCLAB_TEST_TIER, default auto).  Each test reads one trace and compares the exact
 * sequence of one process's queue events (its mq_send/mq_recv records with the queue's
 * messages, bytes and waiting tasks before and after, its sleeps with their wakers, and its
 * mq_open/mq_unlink) with the one measured on 6.18 x86_64 (mech/mqueue/NOTES.md).  They
 * follow from ipc/mqueue.c, not from its version: a send to a waiting receiver hands the
 * message over (0 -> 0), a receive with a sender waiting inserts the sender's message (4 ->
 * 4).  A "*" ends a line whose rest is a race, each explained.  Without the probes there are
 * no mq_send/mq_recv events and every test fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../../tests/integration/trace_read.h"
#include "../../../tests/integration/run_scenarios.h"

static char outdir[] = "/tmp/ipclab-mqueue-itest.XXXXXX";
static int run_status = -1;

/* "sender|receiver" from a waiting array, "-" when empty */
static void names(json_object *a, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; a && i < json_object_array_length(a); i++)
		len += snprintf(buf + len, n - len, "%s%s", len ? "|" : "",
				json_object_get_string(json_object_array_get_idx(a, i)));
	if (!len)
		snprintf(buf, n, "-");
}

/* One event as a line, or false when it is not one of the events compared. */
static bool line_of(json_object *t, json_object *e, char *buf, size_t n)
{
	const char *type = jstr(e, "type");
	char a[64], b[64];

	if (!strcmp(type, "mq_send") || !strcmp(type, "mq_recv")) {
		names(jget(e, "waiting_before"), a, sizeof(a));
		names(jget(e, "waiting_after"), b, sizeof(b));
		/* prio: null for a failed receive */
		snprintf(buf, n, "%s %s = %lld prio %lld waiting %s->%s bytes %lld->%lld "
			 "msgs %lld->%lld", type + 3, jget(e, "data") ? jstr(e, "data") : "-",
			 jint(e, "bytes"), jget(e, "prio") ? jint(e, "prio") : -1, a, b,
			 jint(e, "occ_before"), jint(e, "occ_after"), jint(e, "msgs_before"),
			 jint(e, "msgs_after"));
		return true;
	}
	if (!strcmp(type, "block")) {
		json_object *w = jget(e, "waker");
		bool same = w && json_object_get_type(w) == json_type_object &&
			    jint(w, "obj") == jint(e, "obj");

		if (json_object_get_type(jget(e, "obj")) == json_type_null)
			return false;
		snprintf(buf, n, "block in %s, woken by %s in %s%s", jstr(e, "syscall"),
			 w ? jstr(w, "comm") : "-", w ? jstr(w, "syscall") : "-",
			 same ? " on the queue" : "");
		return true;
	}
	/* SIGUSR1 only: the sender's exit also sends SIGCHLD, in an order of its own */
	if (!strcmp(type, "signal") && !strcmp(jstr(e, "signal"), "SIGUSR1")) {
		snprintf(buf, n, "signal SIGUSR1 %s from pid %s in %s", jstr(e, "result"),
			 jint(e, "sender_pid") == jint(e, "pid") ? "self" : "other",
			 jget(e, "sender_syscall") ? jstr(e, "sender_syscall") : "-");
		return true;
	}
	if (!strcmp(type, "signal_deliver") && !strcmp(jstr(e, "signal"), "SIGUSR1")) {
		snprintf(buf, n, "deliver SIGUSR1 %s value %lld", jstr(e, "code_name"),
			 jint(e, "value"));
		return true;
	}
	if (strcmp(type, "syscall") || strncmp(jstr(e, "name"), "mq_", 3))
		return false;
	if (!strcmp(jstr(e, "name"), "mq_notify")) {
		snprintf(buf, n, "mq_notify %lld registered %s", jint(e, "ret"),
			 jint(e, "notify_pid") == jint(e, "pid") ? "self" : "other");
		return true;
	}
	if (!strcmp(jstr(e, "name"), "mq_open"))
		/* the fd number depends on what the loader's parent left open (ctest: 4) */
		snprintf(buf, n, "mq_open %s msgs %lld maxmsg %lld msgsize %lld",
			 jint(e, "ret") >= 0 ? "fd" : "error", jint(e, "msgs"), jint(e, "maxmsg"),
			 jint(e, "msgsize"));
	else
		snprintf(buf, n, "%s %lld", jstr(e, "name"), jint(e, "ret"));
	(void)t;
	return true;
}

/* Does got match want ("*" at the end: the rest is not compared)? */
static bool line_matches(const char *got, const char *want)
{
	size_t cmp = strlen(want);

	if (cmp && want[cmp - 1] == '*')
		cmp--;
	else
		cmp = strlen(got) + 1;
	return !strncmp(got, want, cmp);
}

/* The queue events of the process named role are exactly want[] ("*" at the end of a line:
 * the rest of it is not compared; "?" at its start: the line may be missing, a sleep that
 * was not recorded because the task was preempted after it queued itself on the queue and
 * woken before it ran again, on a loaded machine: the claims then rest on the partner's
 * record, which found it waiting). */
static void expect_lines(const char *scenario, const char *role, const char *const *want)
{
	json_object *t = scenario_trace(outdir, scenario);
	long long pid = role_pid(t, role);
	size_t k = 0;
	char got[256];

	if (pid < 0)
		fail_msg("%s: no process named %s", scenario, role);
	for (size_t i = 0; i < jlen(t, "events"); i++) {
		json_object *e = jat(t, "events", i);
		if (jint(e, "pid") != pid || !line_of(t, e, got, sizeof(got)))
			continue;
		if (want[k] && want[k][0] == '?' && !line_matches(got, want[k] + 1))
			k++;	/* an optional line that is not there */
		if (!want[k])
			fail_msg("%s %s: more events than expected, from \"%s\"", scenario, role, got);
		if (!line_matches(got, want[k] + (want[k][0] == '?')))
			fail_msg("%s %s event %zu: \"%s\", expected \"%s\"", scenario, role, k, got,
				 want[k]);
		k++;
	}
	if (want[k] && want[k][0] == '?')
		k++;
	if (want[k])
		fail_msg("%s %s: %zu events, expected more (\"%s\" next)", scenario, role, k, want[k]);
	json_object_put(t);
}

static void test_run_exit_status(void **state)
{
	(void)state;
	assert_int_equal(run_status, 0);	/* every claim of every mq scenario passed */
}

/* 4 sends queue (bytes: "low" 3, "high" 4, "mid-a" 5, "mid-b" 5); the receives take 5 3 3 1 */
static void test_priority(void **state)
{
	static const char *const sender[] = {
		"mq_open fd msgs 0 maxmsg 4 msgsize 64",
		"send low = 3 prio 1 waiting -->- bytes 0->3 msgs 0->1",
		"send high = 4 prio 5 waiting -->- bytes 3->7 msgs 1->2",
		"send mid-a = 5 prio 3 waiting -->- bytes 7->12 msgs 2->3",
		"send mid-b = 5 prio 3 waiting -->- bytes 12->17 msgs 3->4",
		"mq_unlink 0", NULL,
	};
	static const char *const receiver[] = {
		"recv high = 4 prio 5 waiting -->- bytes 17->13 msgs 4->3",
		"recv mid-a = 5 prio 3 waiting -->- bytes 13->8 msgs 3->2",
		"recv mid-b = 5 prio 3 waiting -->- bytes 8->3 msgs 2->1",
		"recv low = 3 prio 1 waiting -->- bytes 3->0 msgs 1->0", NULL,
	};

	(void)state;
	expect_lines("mq_priority", "sender", sender);
	expect_lines("mq_priority", "receiver", receiver);
}

/* The 5th send enters at 4 of 4 and sleeps; the receiver's first receive takes m1, inserts
 * m5 (bytes stay 8, msgs 4) and wakes the sender, still inside mq_timedreceive. */
static void test_full_blocks(void **state)
{
	static const char *const sender[] = {
		"mq_open fd msgs 0 maxmsg 4 msgsize 64",
		"send m1 = 2 prio 0 waiting -->- bytes 0->2 msgs 0->1",
		"send m2 = 2 prio 0 waiting -->- bytes 2->4 msgs 1->2",
		"send m3 = 2 prio 0 waiting -->- bytes 4->6 msgs 2->3",
		"send m4 = 2 prio 0 waiting -->- bytes 6->8 msgs 3->4",
		/* after: the receiver may have drained some or all of the queue before the woken
		 * sender's sys_exit samples it (measured 0: a race) */
		"send m5 = 2 prio 0 waiting -->- bytes 8->*",
		"?block in mq_timedsend, woken by receiver in mq_timedreceive on the queue",
		"mq_unlink 0", NULL,
	};
	static const char *const receiver[] = {
		"recv m1 = 2 prio 0 waiting sender->- bytes 8->8 msgs 4->4",
		"recv m2 = 2 prio 0 waiting -->- bytes 8->6 msgs 4->3",
		"recv m3 = 2 prio 0 waiting -->- bytes 6->4 msgs 3->2",
		"recv m4 = 2 prio 0 waiting -->- bytes 4->2 msgs 2->1",
		"recv m5 = 2 prio 0 waiting -->- bytes 2->0 msgs 1->0", NULL,
	};

	(void)state;
	expect_lines("mq_full_blocks", "sender", sender);
	expect_lines("mq_full_blocks", "receiver", receiver);
}

/* The receive sleeps on the empty queue; the send hands "hello" over: 0 -> 0 messages. */
static void test_empty_blocks(void **state)
{
	static const char *const receiver[] = {
		"mq_open fd msgs 0 maxmsg 4 msgsize 64",
		"recv hello = 5 prio 2 waiting -->- bytes 0->0 msgs 0->0",
		"?block in mq_timedreceive, woken by sender in mq_timedsend on the queue",
		"mq_unlink 0", NULL,
	};
	static const char *const sender[] = {
		"send hello = 5 prio 2 waiting receiver->- bytes 0->0 msgs 0->0", NULL,
	};

	(void)state;
	expect_lines("mq_empty_blocks", "receiver", receiver);
	expect_lines("mq_empty_blocks", "sender", sender);
}

/* Each refusal leaves the queue (2 of 2, then 0) as it was; prio -1: null */
static void test_errors(void **state)
{
	static const char *const user[] = {
		"mq_open fd msgs 0 maxmsg 2 msgsize 64",
		"send a = 1 prio 0 waiting -->- bytes 0->1 msgs 0->1",
		"send b = 1 prio 0 waiting -->- bytes 1->2 msgs 1->2",
		"send - = -11 prio 0 waiting -->- bytes 2->2 msgs 2->2",	/* EAGAIN */
		"send - = -90 prio 0 waiting -->- bytes 2->2 msgs 2->2",	/* EMSGSIZE */
		"recv - = -90 prio -1 waiting -->- bytes 2->2 msgs 2->2",	/* EMSGSIZE */
		"recv a = 1 prio 0 waiting -->- bytes 2->1 msgs 2->1",
		"recv b = 1 prio 0 waiting -->- bytes 1->0 msgs 1->0",
		"recv - = -11 prio -1 waiting -->- bytes 0->0 msgs 0->0",	/* EAGAIN */
		"mq_unlink 0", NULL,
	};

	(void)state;
	expect_lines("mq_errors", "user", user);
}

/* The writer's queue keeps its 3 messages (11 bytes) after it exits; the reader's second
 * mq_open, after mq_unlink, fails with ENOENT (-2: it has no queue, so no msgs) */
static void test_unrelated(void **state)
{
	static const char *const writer[] = {
		"mq_open fd msgs 0 maxmsg 4 msgsize 64",
		"send one = 3 prio 0 waiting -->- bytes 0->3 msgs 0->1",
		"send two = 3 prio 0 waiting -->- bytes 3->6 msgs 1->2",
		"send three = 5 prio 0 waiting -->- bytes 6->11 msgs 2->3", NULL,
	};
	static const char *const reader[] = {
		"mq_open fd msgs 3 maxmsg 4 msgsize 64",
		"recv one = 3 prio 0 waiting -->- bytes 11->8 msgs 3->2",
		"recv two = 3 prio 0 waiting -->- bytes 8->5 msgs 2->1",
		"recv three = 5 prio 0 waiting -->- bytes 5->0 msgs 1->0",
		"mq_unlink 0", "mq_open error *", NULL,
	};

	(void)state;
	expect_lines("mq_unrelated", "writer", writer);
	expect_lines("mq_unrelated", "reader", reader);
}

/* The send into the empty queue clears the registration (9039 -> 0, measured) and raises
 * SIGUSR1 for the owner from inside mq_timedsend; SI_MESGQ with the registered value. */
static void test_notify(void **state)
{
	static const char *const owner[] = {
		"mq_open fd msgs 0 maxmsg 4 msgsize 64",
		"mq_notify 0 registered self",
		"signal SIGUSR1 delivered from pid other in mq_timedsend",
		"deliver SIGUSR1 SI_MESGQ value 42",
		"recv ping = 4 prio 0 waiting -->- bytes 4->0 msgs 1->0",
		"mq_unlink 0", NULL,
	};
	static const char *const sender[] = {
		"send ping = 4 prio 0 waiting -->- bytes 0->4 msgs 0->1", NULL,
	};
	json_object *t = scenario_trace(outdir, "mq_notify"), *ev[4];
	long long o = role_pid(t, "owner");

	(void)state;
	expect_lines("mq_notify", "owner", owner);
	expect_lines("mq_notify", "sender", sender);
	assert_int_equal(events_of(t, role_pid(t, "sender"), "mq_send", ev, 4), 1);
	assert_int_equal(jint(ev[0], "notify_pid_before"), o);
	assert_int_equal(jint(ev[0], "notify_pid_after"), 0);
	json_object_put(t);
}

static int run_all(void **state)
{
	(void)state;
	return run_scenarios(outdir, "mq_", &run_status);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_exit_status),
		cmocka_unit_test(test_priority),
		cmocka_unit_test(test_full_blocks),
		cmocka_unit_test(test_empty_blocks),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_unrelated),
		cmocka_unit_test(test_notify),
	};

	return cmocka_run_group_tests(tests, run_all, NULL);
}
