// SPDX-License-Identifier: GPL-2.0
/*
 * test_integration.c - the signal scenarios under real BPF, checked event by event.
 *
 * The group setup runs `ipclab run` once for every signal_* scenario (as root, with the probe
 * tier from IPCLAB_TEST_TIER, default auto).  Each test reads one trace and compares the exact
 * sequence of one process's signal events (generations for it, deliveries to it, its signal
 * syscalls, its pipe reads) with the one measured on 6.18 x86_64 (mech/signal/NOTES.md).
 * They follow from the kernel's signal code, not from its version: sys_exit is traced before
 * the signal is acted on, a standard signal pending is one bit, real-time signals queue.
 * SA_RESTORER is left out (glibc sets it on x86_64 only).  A "*" stands for a value that
 * depends on the architecture or a race, each explained.  Without the probes there are no
 * signal or signal_deliver events (and no signal syscalls) and every test fails.
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

static char outdir[] = "/tmp/ipclab-signal-itest.XXXXXX";
static int run_status = -1;

static json_object *load(const char *scenario)
{
	return scenario_trace(outdir, scenario);
}

/* "A|B" from an array of names (SA_RESTORER left out), "-" when empty */
static void names(json_object *a, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(a, i));

		if (!strcmp(s, "SA_RESTORER"))
			continue;
		len += snprintf(buf + len, n - len, "%s%s", len ? "|" : "", s);
	}
	if (!len)
		snprintf(buf, n, "-");
}

static const char *const SIG_SYSCALLS[] = { "kill", "rt_sigqueueinfo", "rt_sigprocmask",
	"rt_sigaction", "rt_sigsuspend", "rt_sigreturn", NULL };

/* One event as a line, or false when it is not one of the signal events compared (only
 * signal `sig` for generations and deliveries: the SIGCHLD of a child's exit races with
 * them). */
static bool line_of(json_object *e, const char *sig, char *buf, size_t n)
{
	const char *type = jstr(e, "type");
	char a[128], b[128];

	if (!strcmp(type, "signal")) {
		if (strcmp(jstr(e, "signal"), sig))
			return false;
		snprintf(buf, n, "signal %s %s", sig, jstr(e, "result"));
		return true;
	}
	if (!strcmp(type, "signal_deliver")) {
		json_object *v = jget(e, "value");

		if (strcmp(jstr(e, "signal"), sig))
			return false;
		names(jget(e, "flags"), a, sizeof(a));
		names(jget(e, "pending"), b, sizeof(b));
		snprintf(buf, n, "deliver %s %s %s value=%s pending=%s", sig, a,
			 json_object_get_type(jget(e, "code_name")) == json_type_null ? "code" :
			 jstr(e, "code_name"),
			 v && json_object_get_type(v) != json_type_null ? json_object_get_string(v) :
			 "null", b);
		return true;
	}
	if (!strcmp(type, "pipe_read") || !strcmp(type, "pipe_write")) {
		snprintf(buf, n, "%s %lld", type, jint(e, "bytes"));
		return true;
	}
	if (strcmp(type, "syscall"))
		return false;
	for (int i = 0; SIG_SYSCALLS[i]; i++) {
		if (strcmp(jstr(e, "name"), SIG_SYSCALLS[i]))
			continue;
		if (!strcmp(SIG_SYSCALLS[i], "rt_sigprocmask")) {
			names(jget(e, "set"), a, sizeof(a));
			names(jget(e, "blocked_after"), b, sizeof(b));
			snprintf(buf, n, "rt_sigprocmask %s %s -> %s", jstr(e, "how"), a, b);
		} else if (!strcmp(SIG_SYSCALLS[i], "rt_sigaction")) {
			names(jget(e, "flags"), a, sizeof(a));
			snprintf(buf, n, "rt_sigaction %s %s", jstr(e, "signal"), a);
		} else if (jget(e, "signal")) {
			snprintf(buf, n, "%s %s %lld", SIG_SYSCALLS[i], jstr(e, "signal"), jint(e, "ret"));
		} else {
			snprintf(buf, n, "%s %lld", SIG_SYSCALLS[i], jint(e, "ret"));
		}
		return true;
	}
	return false;
}

/* The signal events of the process named role, about signal sig, are exactly want[]
 * ("*" at the end of a line: the rest of it is not compared). */
static void expect_lines(const char *scenario, const char *role, const char *sig,
			 const char *const *want)
{
	json_object *t = load(scenario);
	long long pid = role_pid(t, role);
	size_t k = 0;
	char got[256];

	if (pid < 0)
		fail_msg("%s: no process named %s", scenario, role);
	for (size_t i = 0; i < jlen(t, "events"); i++) {
		json_object *e = jat(t, "events", i);
		size_t cmp;

		if (jint(e, "pid") != pid || !line_of(e, sig, got, sizeof(got)))
			continue;
		if (!want[k])
			fail_msg("%s %s: more events than expected, from \"%s\"", scenario, role, got);
		cmp = strlen(want[k]);
		if (cmp && want[k][cmp - 1] == '*')
			cmp--;
		else
			cmp = strlen(got) + 1;
		if (strncmp(got, want[k], cmp))
			fail_msg("%s %s event %zu: \"%s\", expected \"%s\"", scenario, role, k, got,
				 want[k]);
		k++;
	}
	if (want[k])
		fail_msg("%s %s: %zu events, expected more (\"%s\" next)", scenario, role, k, want[k]);
	json_object_put(t);
}

static void test_run_exit_status(void **state)
{
	(void)state;
	assert_int_equal(run_status, 0);	/* every claim of every signal scenario passed */
}

/* sigsuspend ends with -ERESTARTNOHAND at sys_exit; the handler's rt_sigreturn gives -EINTR */
static void test_kill_handler(void **state)
{
	static const char *const receiver[] = {
		"rt_sigaction SIGUSR1 -", "rt_sigprocmask SIG_BLOCK SIGUSR1 -> SIGUSR1",
		"rt_sigsuspend -514", "signal SIGUSR1 delivered",
		"deliver SIGUSR1 - SI_USER value=null pending=-", "rt_sigreturn -4", NULL,
	};
	static const char *const sender[] = { "kill SIGUSR1 0", NULL };

	(void)state;
	expect_lines("signal_kill_handler", "receiver", "SIGUSR1", receiver);
	expect_lines("signal_kill_handler", "sender", "SIGUSR1", sender);
}

/* 1 delivered + 4 already_pending; one delivery on the unblock's way out */
static void test_coalesce(void **state)
{
	static const char *const receiver[] = {
		"rt_sigaction SIGUSR1 -", "rt_sigprocmask SIG_BLOCK SIGUSR1 -> SIGUSR1",
		"signal SIGUSR1 delivered", "signal SIGUSR1 already_pending",
		"signal SIGUSR1 already_pending", "signal SIGUSR1 already_pending",
		"signal SIGUSR1 already_pending", "rt_sigprocmask SIG_UNBLOCK SIGUSR1 -> -",
		"deliver SIGUSR1 - SI_USER value=null pending=-", "rt_sigreturn 0", NULL,
	};

	(void)state;
	expect_lines("signal_coalesce", "receiver", "SIGUSR1", receiver);
}

/* five queued, five delivered in order with their values; SIGRTMIN stays pending until the
 * last is taken */
static void test_rt_queue(void **state)
{
	static const char *const receiver[] = {
		"rt_sigaction SIGRTMIN SA_SIGINFO",
		"rt_sigprocmask SIG_BLOCK SIGRTMIN -> SIGRTMIN",
		"signal SIGRTMIN delivered", "signal SIGRTMIN delivered", "signal SIGRTMIN delivered",
		"signal SIGRTMIN delivered", "signal SIGRTMIN delivered",
		"rt_sigprocmask SIG_UNBLOCK SIGRTMIN -> -",
		"deliver SIGRTMIN SA_SIGINFO SI_QUEUE value=1 pending=SIGRTMIN", "rt_sigreturn 0",
		"deliver SIGRTMIN SA_SIGINFO SI_QUEUE value=2 pending=SIGRTMIN", "rt_sigreturn 0",
		"deliver SIGRTMIN SA_SIGINFO SI_QUEUE value=3 pending=SIGRTMIN", "rt_sigreturn 0",
		"deliver SIGRTMIN SA_SIGINFO SI_QUEUE value=4 pending=SIGRTMIN", "rt_sigreturn 0",
		"deliver SIGRTMIN SA_SIGINFO SI_QUEUE value=5 pending=-", "rt_sigreturn 0", NULL,
	};
	static const char *const sender[] = {
		"rt_sigqueueinfo SIGRTMIN 0", "rt_sigqueueinfo SIGRTMIN 0", "rt_sigqueueinfo SIGRTMIN 0",
		"rt_sigqueueinfo SIGRTMIN 0", "rt_sigqueueinfo SIGRTMIN 0", NULL,
	};

	(void)state;
	expect_lines("signal_rt_queue", "receiver", "SIGRTMIN", receiver);
	expect_lines("signal_rt_queue", "sender", "SIGRTMIN", sender);
}

/* -ERESTARTSYS at sys_exit in both rounds; rt_sigreturn -EINTR, or the read again */
static void test_eintr(void **state)
{
	static const char *const reader[] = {
		"rt_sigaction SIGUSR1 -",
		"pipe_read -512", "signal SIGUSR1 delivered", "deliver SIGUSR1 - SI_USER value=null pending=-",
		"pipe_write 1",		/* the handler's ack */
		"rt_sigreturn -4",
		"rt_sigaction SIGUSR1 SA_RESTART",
		"pipe_read -512", "signal SIGUSR1 delivered",
		"deliver SIGUSR1 SA_RESTART SI_USER value=null pending=-", "pipe_write 1",
		"rt_sigreturn *",	/* the restored register: x86_64 0 (__NR_read), arm64 the fd */
		"pipe_read 1", NULL,
	};

	(void)state;
	expect_lines("signal_eintr", "reader", "SIGUSR1", reader);
}

/* SIGCHLD from the exiting child: CLD_EXITED (a code of its own: no code_name), status 7 */
static void test_sigchld(void **state)
{
	static const char *const parent[] = {
		"rt_sigaction SIGCHLD SA_SIGINFO", "rt_sigprocmask SIG_BLOCK SIGCHLD -> SIGCHLD",
		"rt_sigsuspend -514", "signal SIGCHLD delivered", "deliver SIGCHLD SA_SIGINFO code value=null pending=-",
		"rt_sigreturn -4", NULL,
	};
	json_object *t = load("signal_sigchld"), *ev[4];
	long long child = role_pid(t, "child");

	(void)state;
	expect_lines("signal_sigchld", "parent", "SIGCHLD", parent);
	assert_int_equal(events_of(t, role_pid(t, "parent"), "signal_deliver", ev, 4), 1);
	assert_int_equal(jint(ev[0], "code"), 1);
	assert_int_equal(jint(ev[0], "status"), 7);
	assert_int_equal(jint(ev[0], "sender_pid"), child);
	assert_int_equal(events_of(t, role_pid(t, "parent"), "signal", ev, 4), 1);
	assert_int_equal(jint(ev[0], "sender_pid"), child);
	assert_true(json_object_get_type(jget(ev[0], "sender_syscall")) == json_type_null);
	json_object_put(t);
}

/* 50 deliveries each way; every kill a delivered generation */
static void test_vs_pipe(void **state)
{
	json_object *t = load("signal_vs_pipe"), *ev[128];

	(void)state;
	assert_int_equal(events_of(t, role_pid(t, "sig_pong"), "signal_deliver", ev, 128), 50);
	assert_int_equal(events_of(t, role_pid(t, "sig_ping"), "signal_deliver", ev, 128), 50);
	assert_int_equal(events_of(t, role_pid(t, "sig_pong"), "signal", ev, 128), 50);
	for (int i = 0; i < 50; i++)
		assert_string_equal(jstr(ev[i], "result"), "delivered");
	assert_int_equal(events_of(t, role_pid(t, "pipe_ping"), "pipe_write", ev, 128), 50);
	assert_int_equal(events_of(t, role_pid(t, "pipe_pong"), "pipe_read", ev, 128), 50);
	json_object_put(t);
}

static int run_all(void **state)
{
	(void)state;
	return run_scenarios(outdir, "signal_", &run_status);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_exit_status),
		cmocka_unit_test(test_kill_handler),
		cmocka_unit_test(test_coalesce),
		cmocka_unit_test(test_rt_queue),
		cmocka_unit_test(test_eintr),
		cmocka_unit_test(test_sigchld),
		cmocka_unit_test(test_vs_pipe),
	};

	return cmocka_run_group_tests(tests, run_all, NULL);
}
