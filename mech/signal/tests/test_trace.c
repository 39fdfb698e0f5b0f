// SPDX-License-Identifier: GPL-2.0
/*
 * test_trace.c - signals in a trace (mech/signal/trace.c): a synthetic trace with every
 * generation result, deliveries to a handler, SIG_DFL and SIG_IGN with every flag name, a
 * queued value, SIGCHLD's status, real-time names, and the signal syscalls' fields; each
 * event as JSON, the whole trace read back, exported to Chrome, and (IPCLAB_SIGNAL_TRACE set)
 * copied for the schema check (schema_signal_trace).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "chrome.h"
#include "export.h"
#include "mechanism.h"
#include "timeline.h"
#include "trace_json.h"
#include "round_trip.h"
#include "trace_read.h"

#define T0 5000000000ULL
#define P 4242		/* the receiver */
#define Q 4343		/* the sender */
#define NREC 24

static struct ipclab_event raw[NREC];
static size_t nraw;
static struct timeline stl;
static char dir[64], path[128];
static char err[512];

static struct ipclab_event *rec(int type, __u32 pid, __u64 t, __u64 dur)
{
	struct ipclab_event *e = &raw[nraw++];

	assert_true(nraw <= NREC);
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->pid = e->tid = pid;
	e->ts_start = T0 + t;
	e->ts = T0 + t + dur;
	e->nr = -1;
	return e;
}

static struct ipclab_event *gen(__u64 t, int sig, int result, int nr)
{
	struct ipclab_event *e = rec(EVT_SIGNAL, P, t, 0);

	e->sig.sig = sig;
	e->sig.result = result;
	e->sig.sender_pid = e->sig.sender_tid = Q;
	e->nr = nr;
	return e;
}

static struct ipclab_event *dlv(__u64 t, int sig, __u64 handler, __u64 flags, int code,
				__u32 sender, __s64 value)
{
	struct ipclab_event *e = rec(EVT_SIGNAL_DELIVER, P, t, 0);

	e->sd.sig = sig;
	e->sd.handler = handler;
	e->sd.sa_flags = flags;
	e->sd.code = code;
	e->sd.sender_pid = sender;
	e->sd.value = value;
	e->sd.blocked = 1ULL << (SIGUSR2 - 1);
	e->sd.pending = sig >= 34 ? 1ULL << (sig - 1) : 0;	/* more of a real-time one queued */
	return e;
}

static struct ipclab_event *sc(__u32 pid, __u64 t, int nr, __s64 ret)
{
	struct ipclab_event *e = rec(EVT_SYSCALL, pid, t, 500);

	e->nr = nr;
	e->sc.ret = ret;
	e->sc.fds[0] = e->sc.fds[1] = -1;
	return e;
}

/* times are distinct: each event is found by its t */
static void make_trace(void)
{
	struct ipclab_event *e;

	nraw = 0;
	e = rec(EVT_RENAME, P, 0, 0);
	strcpy(e->task.comm, "receiver");
	e = rec(EVT_RENAME, Q, 10, 0);
	strcpy(e->task.comm, "sender");
	e = sc(P, 1000, NR_rt_sigaction, 0);		/* SIGUSR1: a handler, every flag */
	e->sc.args[0] = SIGUSR1;
	e->sc.sigsc.handler = 0x55af949404c0ULL;
	e->sc.sigsc.sa_flags = 0xdc000007ULL | 0x100;	/* all named bits and one unknown */
	e->sc.sigsc.set = 1ULL << (SIGUSR2 - 1);
	e->sc.sigsc.valid = SIGSC_ACT | SIGSC_BLOCKED;
	e = sc(P, 2000, NR_rt_sigaction, 0);		/* a query: no act */
	e->sc.args[0] = SIGUSR2;
	e->sc.sigsc.valid = SIGSC_BLOCKED;
	e = sc(P, 3000, NR_rt_sigprocmask, 0);		/* SIG_BLOCK SIGUSR1, SIGRTMIN+1 */
	e->sc.sigsc.how = SIG_BLOCK;
	e->sc.sigsc.set = (1ULL << (SIGUSR1 - 1)) | (1ULL << 34);
	e->sc.sigsc.blocked_after = e->sc.sigsc.set;
	e->sc.sigsc.valid = SIGSC_SET | SIGSC_BLOCKED;
	e = sc(P, 4000, NR_rt_sigprocmask, 0);		/* a query: no set */
	e->sc.sigsc.how = SIG_SETMASK;
	e->sc.sigsc.blocked_before = e->sc.sigsc.blocked_after = 1ULL << (SIGUSR1 - 1);
	e->sc.sigsc.valid = SIGSC_BLOCKED;
	e = sc(Q, 5000, NR_kill, 0);
	e->sc.args[0] = P;
	e->sc.args[1] = SIGUSR1;
	for (int r = 0; r < 5; r++)
		gen(5100 + r, SIGUSR1, r, NR_kill);
	gen(5200, SIGUSR1, 9, NR_kill);			/* a result the tool does not know */
	e = sc(Q, 6000, NR_kill, 0);			/* kill(pid, 0) */
	e->sc.args[0] = P;
	e = sc(Q, 7000, NR_rt_sigqueueinfo, 0);
	e->sc.args[0] = P;
	e->sc.args[1] = 35;
	gen(7100, 35, 0, NR_rt_sigqueueinfo);
	sc(P, 8000, NR_rt_sigsuspend, -514);
	dlv(9000, SIGUSR1, 0x55af949404c0ULL, 0x14000000ULL, 0, Q, 0);	/* SA_RESTART */
	dlv(9100, 35, 0x55af949404c0ULL, 0x4ULL, -1, Q, 7);	/* SIGRTMIN+1, SI_QUEUE, 7 */
	dlv(9200, SIGCHLD, 0x55af949404c0ULL, 0x4ULL, 1, Q, 3);	/* CLD_EXITED, status 3 */
	dlv(9300, SIGTERM, 0, 0, 0x80, 0, 0);		/* SIG_DFL, from the kernel */
	dlv(9400, 32, 1, 0, -6, Q, 0);			/* SIG_IGN, glibc's SIG32, SI_TKILL */
	sc(P, 9500, NR_rt_sigreturn, -EINTR);
}

static json_object *ev_at(__s64 t)
{
	for (size_t i = 0; i < stl.n; i++)
		if (stl.ev[i].t == t) {
			json_object *o = event_to_json(&stl, &stl.ev[i]);

			assert_non_null(o);
			return o;
		}
	fail_msg("no event at %lld", (long long)t);
	return NULL;
}

static void expect_names(json_object *o, const char *k, const char *const *want, size_t n)
{
	json_object *a = field(o, k);

	assert_int_equal(json_object_array_length(a), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(json_object_get_string(json_object_array_get_idx(a, i)), want[i]);
}

/* every TRACE_SIGNAL_* result by name, and "unknown"; the event byte-identical to the core's
 * former printer (the keys in this order) */
static void test_generation(void **state)
{
	static const char *const results[] = { "delivered", "ignored", "already_pending",
					       "overflow_fail", "lose_info" };
	static const char *const order[] = { "t", "pid", "tid", "type", "sig", "signal", "result",
					     "sender_pid", "sender_tid", "sender_syscall" };
	json_object *o;
	size_t i = 0;

	(void)state;
	for (int r = 0; r < 5; r++) {
		o = ev_at(5100 + r);
		expect_str(o, "result", results[r]);
		json_object_put(o);
	}
	o = ev_at(5200);
	expect_str(o, "result", "unknown");
	json_object_object_foreach(o, k, v) {
		(void)v;
		assert_true(i < sizeof(order) / sizeof(order[0]));
		assert_string_equal(k, order[i++]);
	}
	expect_str(o, "signal", "SIGUSR1");
	expect_int(o, "sender_pid", Q);
	expect_str(o, "sender_syscall", "kill");
	json_object_put(o);
	o = ev_at(7100);
	expect_str(o, "signal", "SIGRTMIN+1");
	expect_str(o, "sender_syscall", "rt_sigqueueinfo");
	json_object_put(o);
}

static void test_deliver(void **state)
{
	static const char *const order[] = { "t", "pid", "tid", "type", "sig", "signal", "handler",
					     "flags", "code", "code_name", "sender_pid", "value",
					     "blocked", "pending" };
	static const char *const restart[] = { "SA_RESTORER", "SA_RESTART" };
	static const char *const usr2[] = { "SIGUSR2" };
	static const char *const rt1[] = { "SIGRTMIN+1" };
	json_object *o = ev_at(9000);
	size_t i = 0;

	(void)state;
	json_object_object_foreach(o, k, v) {
		(void)v;
		assert_true(i < sizeof(order) / sizeof(order[0]));
		assert_string_equal(k, order[i++]);
	}
	expect_str(o, "type", "signal_deliver");
	expect_int(o, "sig", SIGUSR1);
	expect_str(o, "handler", "0x55af949404c0");
	expect_names(o, "flags", restart, 2);
	expect_str(o, "code_name", "SI_USER");
	expect_int(o, "sender_pid", Q);
	expect_null(o, "value");	/* SI_USER carries none */
	expect_absent(o, "status");
	expect_names(o, "blocked", usr2, 1);
	expect_names(o, "pending", NULL, 0);
	json_object_put(o);

	o = ev_at(9100);
	expect_str(o, "signal", "SIGRTMIN+1");
	expect_names(o, "pending", rt1, 1);
	expect_str(o, "code_name", "SI_QUEUE");
	expect_int(o, "value", 7);
	json_object_put(o);

	o = ev_at(9200);
	expect_null(o, "code_name");	/* CLD_EXITED: SIGCHLD's own */
	expect_int(o, "code", 1);
	expect_null(o, "value");
	expect_int(o, "status", 3);
	json_object_put(o);

	o = ev_at(9300);
	expect_str(o, "handler", "SIG_DFL");
	expect_names(o, "flags", NULL, 0);
	expect_str(o, "code_name", "SI_KERNEL");
	expect_null(o, "sender_pid");
	json_object_put(o);

	o = ev_at(9400);
	expect_str(o, "handler", "SIG_IGN");
	expect_str(o, "signal", "SIG32");
	expect_str(o, "code_name", "SI_TKILL");
	json_object_put(o);
}

static void test_syscalls(void **state)
{
	static const char *const all[] = { "SA_NOCLDSTOP", "SA_NOCLDWAIT", "SA_SIGINFO",
					   "SA_RESTORER", "SA_ONSTACK", "SA_RESTART", "SA_NODEFER",
					   "SA_RESETHAND", "0x100" };
	static const char *const usr1_rt1[] = { "SIGUSR1", "SIGRTMIN+1" };
	static const char *const usr1[] = { "SIGUSR1" };
	static const char *const usr2[] = { "SIGUSR2" };
	json_object *o = ev_at(1000);

	(void)state;
	expect_str(o, "name", "rt_sigaction");
	expect_str(o, "signal", "SIGUSR1");
	expect_str(o, "handler", "0x55af949404c0");
	expect_names(o, "flags", all, 9);
	expect_names(o, "mask", usr2, 1);
	expect_names(o, "blocked_before", NULL, 0);
	json_object_put(o);

	o = ev_at(2000);
	expect_null(o, "handler");
	expect_absent(o, "flags");
	json_object_put(o);

	o = ev_at(3000);
	expect_str(o, "how", "SIG_BLOCK");
	expect_names(o, "set", usr1_rt1, 2);
	expect_names(o, "blocked_after", usr1_rt1, 2);
	expect_absent(o, "sig");
	json_object_put(o);

	o = ev_at(4000);
	expect_str(o, "how", "SIG_SETMASK");
	expect_null(o, "set");
	expect_names(o, "blocked_before", usr1, 1);
	json_object_put(o);

	o = ev_at(5000);
	expect_str(o, "name", "kill");
	expect_int(o, "sig", SIGUSR1);
	expect_str(o, "signal", "SIGUSR1");
	json_object_put(o);

	o = ev_at(6000);
	expect_int(o, "sig", 0);
	expect_null(o, "signal");
	json_object_put(o);

	o = ev_at(7000);
	expect_str(o, "name", "rt_sigqueueinfo");
	expect_str(o, "signal", "SIGRTMIN+1");
	json_object_put(o);

	o = ev_at(8000);
	expect_str(o, "name", "rt_sigsuspend");
	expect_str(o, "error", "ERESTARTNOHAND");
	json_object_put(o);

	o = ev_at(9500);
	expect_str(o, "name", "rt_sigreturn");
	expect_str(o, "error", "EINTR");
	json_object_put(o);
}

/* written whole, read back equal, exported to Chrome: one instant per signal event */
static void test_round_trip(void **state)
{
	struct read_back b = { .tl = &stl, .prefix = "signal" };
	const struct trace_visitor v = { .event = read_back_event, .ctx = &b };
	char *out;

	(void)state;
	snprintf(path, sizeof(path), "%s/signal.json", dir);
	write_test_trace(path, &stl, "signal_trace", "IPCLAB_SIGNAL_TRACE");
	assert_int_equal(trace_read(path, &v, 0, err, sizeof(err)), 0);
	assert_int_equal(b.events, stl.n);
	assert_int_equal(b.matching, 12);	/* 7 generations, 5 deliveries */

	out = chrome_of(path, "IPCLAB_SIGNAL_TRACE");
	assert_non_null(strstr(out, "\"name\":\"SIGUSR1 (already_pending)\""));
	assert_non_null(strstr(out, "\"name\":\"deliver SIGUSR1 -> 0x55af949404c0\""));
	assert_non_null(strstr(out, "\"name\":\"deliver SIGTERM -> SIG_DFL\""));
	assert_int_equal(count_of(out, "\"cat\":\"signal_deliver\""), 5);
	free(out);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ipclab-unit-signal.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	make_trace();
	return timeline_build(&stl, raw, nraw, T0);
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	timeline_free(&stl);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generation),
		cmocka_unit_test(test_deliver),
		cmocka_unit_test(test_syscalls),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
