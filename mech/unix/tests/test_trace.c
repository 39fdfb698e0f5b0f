// SPDX-License-Identifier: GPL-2.0
/*
 * test_trace.c - Unix sockets in a trace (mech/unix/trace.c and timeline.c): a synthetic
 * trace of every socket kind and outcome (sock_trace.c) printed as JSON event by event and
 * whole, read back by the streaming reader, and exported to Chrome.
 */
#define _GNU_SOURCE
#include <errno.h>
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
#include "sock_trace.h"
#include "timeline.h"
#include "trace_json.h"
#include "round_trip.h"
#include "trace_read.h"

#define T0 5000000000ULL

static struct timeline stl;	/* sock_trace.c's records as a timeline */
static char dir[64], path[128];
static char err[512];

static void base_meta(struct trace_meta *m)
{
	memset(m, 0, sizeof(*m));
	strcpy(m->kernel, "6.18.0-test");
	strcpy(m->machine, "x86_64");
	m->tier = TIER_TRACEPOINT;
	m->t0 = T0;
	strcpy(m->command, "sock_trace");
	m->page_size = 4096;
}

/* The socket event that started `t` ns after T0, as JSON. */
static json_object *sock_json(__s64 t)
{
	for (size_t i = 0; i < stl.n; i++) {
		if (stl.ev[i].t == t) {
			json_object *o = event_to_json(&stl, &stl.ev[i]);

			assert_non_null(o);
			return o;
		}
	}
	fail_msg("no socket event at %lld", (long long)t);
	return NULL;
}

/* A 1000-byte write on a stream socketpair into an empty queue: every field of sock_send,
 * the queue being the receiving end's (B, object 1), the charge the sender's; data and a
 * tail (one buffer), with '"', '\\', '\n' kept escaped and a byte above 0x7e dotted, so the
 * tail's exact bytes are in data_tail_hex too. */
static void test_sock_send(void **state)
{
	json_object *o = sock_json(2000);
	static const char *const order[] = {
		"t", "dur", "pid", "tid", "type", "obj", "peer", "queue", "fd", "requested",
		"bytes", "occ_before", "occ_after", "skbs_before", "skbs_after", "queue_max",
		"wmem_before", "wmem_after", "wmem_max", "nonblock", "data", "data_tail", "data_tail_hex",
		"syscall",
	};
	size_t i = 0;

	expect_int(o, "t", 2000);
	expect_int(o, "dur", 500);
	expect_int(o, "pid", SOCK_W);
	expect_int(o, "tid", SOCK_W);
	expect_str(o, "type", "sock_send");
	expect_int(o, "obj", 0);
	expect_int(o, "peer", 1);
	expect_int(o, "queue", 1);
	expect_int(o, "fd", 3);
	expect_int(o, "requested", 1000);
	expect_int(o, "bytes", 1000);
	expect_absent(o, "error");
	expect_int(o, "occ_before", 0);
	expect_int(o, "occ_after", 1000);
	expect_int(o, "skbs_before", 0);
	expect_int(o, "skbs_after", 1);
	expect_int(o, "queue_max", 0);
	expect_int(o, "wmem_before", 0);
	expect_int(o, "wmem_after", 2304);
	expect_int(o, "wmem_max", 212992);
	expect_bool(o, "nonblock", false);
	expect_absent(o, "peek");
	expect_absent(o, "occ_torn");
	expect_absent(o, "occ_truncated");
	expect_str(o, "data", "0123456789abcdef");
	expect_str(o, "data_tail", "tail\"of\\it\n.xyz!");
	expect_absent(o, "data_hex");	/* the head is printable: its text is exact */
	expect_str(o, "data_tail_hex", "7461696c226f665c69740aff78797a21");
	expect_str(o, "syscall", "write");
	/* the documented order, and nothing else */
	json_object_object_foreach(o, k, v) {
		(void)v;
		assert_true(i < sizeof(order) / sizeof(order[0]));
		assert_string_equal(k, order[i++]);
	}
	assert_int_equal(i, sizeof(order) / sizeof(order[0]));
	json_object_put(o);
}

/* A receive with MSG_PEEK: peek is there, the queue is the caller's own (B), the peer the
 * writer's socket (A); recvfrom copies into one buffer, so the tail is there. */
static void test_sock_recv_peek(void **state)
{
	json_object *o = sock_json(3000);

	expect_str(o, "type", "sock_recv");
	expect_int(o, "pid", SOCK_R);
	expect_int(o, "obj", 1);
	expect_int(o, "peer", 0);
	expect_int(o, "queue", 1);
	expect_int(o, "fd", 4);
	expect_int(o, "requested", 64);
	expect_int(o, "bytes", 64);
	expect_int(o, "occ_before", 1000);
	expect_int(o, "occ_after", 1000);
	expect_int(o, "skbs_before", 1);
	expect_int(o, "skbs_after", 1);
	expect_int(o, "wmem_before", 2304);
	expect_int(o, "wmem_after", 2304);
	expect_bool(o, "peek", true);
	expect_absent(o, "occ_torn");
	expect_str(o, "data_tail", "0123456789ABCDEF");
	expect_str(o, "syscall", "recvfrom");
	json_object_put(o);
}

/* recvmsg: a torn sample is flagged; msg calls sample their first iovec only: no tail. */
static void test_sock_recv_torn_msg(void **state)
{
	json_object *o = sock_json(4000);

	expect_str(o, "type", "sock_recv");
	expect_int(o, "bytes", 1000);
	expect_int(o, "occ_before", 1000);
	expect_int(o, "occ_after", 0);
	expect_int(o, "skbs_after", 0);
	expect_bool(o, "occ_torn", true);
	expect_absent(o, "peek");
	expect_str(o, "data", "0123456789abcdef");
	expect_absent(o, "data_tail");
	expect_str(o, "syscall", "recvmsg");
	json_object_put(o);
}

/* The errors a socket call can end with, by name; no data when nothing was copied; the queue
 * is null when none was sampled, the peer when nobody was found. */
static void test_sock_errors(void **state)
{
	static const struct { __s64 t; const char *error; int code; } cases[] = {
		{ 8000, "EAGAIN", EAGAIN }, { 10000, "EPIPE", EPIPE },
		{ 11000, "EMSGSIZE", EMSGSIZE }, { 14000, "ECONNREFUSED", ECONNREFUSED },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_object *o = sock_json(cases[i].t);

		expect_int(o, "bytes", -cases[i].code);
		expect_str(o, "error", cases[i].error);
		expect_absent(o, "data");
		json_object_put(o);
	}
	{
		json_object *o = sock_json(8000);	/* EAGAIN: non-blocking receive */

		expect_str(o, "type", "sock_recv");
		expect_bool(o, "nonblock", true);
		expect_int(o, "queue", 1);
		json_object_put(o);
		o = sock_json(10000);			/* EPIPE: no queue sampled */
		expect_str(o, "type", "sock_send");
		expect_null(o, "queue");
		expect_int(o, "peer", 1);
		json_object_put(o);
		o = sock_json(11000);			/* EMSGSIZE: to the bound datagram socket */
		expect_int(o, "obj", 3);
		expect_int(o, "peer", 2);
		expect_int(o, "queue", 2);
		expect_int(o, "queue_max", 10);
		json_object_put(o);
		o = sock_json(14000);			/* ECONNREFUSED: nobody there */
		expect_null(o, "peer");
		expect_null(o, "queue");
		json_object_put(o);
	}
}

/* A datagram send whose sum of queued bytes was not summed: occ_truncated. */
static void test_sock_truncated(void **state)
{
	json_object *o = sock_json(12000);

	expect_str(o, "type", "sock_send");
	expect_bool(o, "occ_truncated", true);
	expect_absent(o, "occ_torn");
	expect_int(o, "wmem_after", 768);
	json_object_put(o);
}

/* Syscalls on sockets name the socket as obj, and nothing from the pipe state that shares
 * its place in the record; a block's obj and waker.obj are the sockets slept and woken on. */
static void test_sock_syscall_and_block(void **state)
{
	json_object *o = sock_json(9000), *w;

	expect_str(o, "type", "syscall");
	expect_str(o, "name", "close");
	expect_int(o, "obj", 1);
	expect_absent(o, "occ");
	expect_absent(o, "end");
	expect_absent(o, "last_ref");
	json_object_put(o);
	o = sock_json(1000);
	expect_str(o, "name", "socketpair");
	expect_int(o, "obj", 0);
	expect_ints(o, "fds", (const int64_t[]){ 3, 4 }, 2);
	json_object_put(o);
	o = sock_json(1500);
	expect_str(o, "name", "socket");
	expect_int(o, "ret", 5);
	expect_int(o, "obj", 2);
	expect_absent(o, "fds");
	json_object_put(o);
	o = sock_json(1600);
	expect_str(o, "name", "bind");
	expect_str(o, "path", "/tmp/ipclab.sock");
	expect_int(o, "obj", 2);
	json_object_put(o);
	o = sock_json(5000);
	expect_str(o, "type", "block");
	expect_int(o, "obj", 1);
	w = field(o, "waker");
	expect_int(w, "obj", 0);
	expect_str(w, "syscall", "write");
	json_object_put(o);
}

/* Socket objects: the two ends of a socketpair linked, a path, an abstract name ("@", its
 * bytes dotted), limits, creators and fds. */
static void test_sock_objects(void **state)
{
	struct trace_meta m;
	json_object *doc, *a, *o;

	base_meta(&m);
	doc = export_parsed(&m, &stl, NULL);
	a = field(doc, "objects");
	assert_int_equal(json_object_array_length(a), 4);

	o = json_object_array_get_idx(a, 0);
	expect_int(o, "id", 0);
	expect_str(o, "kind", "unix_stream");
	expect_int(o, "inode", 1001);
	expect_null(o, "path");
	expect_bool(o, "socketpair", true);
	expect_int(o, "peer", 1);
	expect_int(o, "sndbuf", 212992);
	expect_int(o, "rcvbuf", 212992);
	expect_int(o, "queue_max", 0);
	expect_int(o, "created", 1000);
	expect_int(o, "creator", SOCK_W);
	expect_int(o, "fd", 3);
	assert_int_equal(json_object_object_length(o), 12);

	o = json_object_array_get_idx(a, 1);
	expect_str(o, "kind", "unix_stream");
	expect_int(o, "inode", 1002);
	expect_bool(o, "socketpair", true);
	expect_int(o, "peer", 0);
	expect_int(o, "fd", 4);
	expect_int(o, "creator", SOCK_W);

	o = json_object_array_get_idx(a, 2);
	expect_str(o, "kind", "unix_dgram");
	expect_int(o, "inode", 1003);
	expect_str(o, "path", "/tmp/ipclab.sock");
	expect_bool(o, "socketpair", false);
	expect_null(o, "peer");
	expect_int(o, "queue_max", 10);
	expect_int(o, "creator", SOCK_R);
	expect_int(o, "fd", 5);

	o = json_object_array_get_idx(a, 3);
	expect_str(o, "path", "@ipclab.x");
	expect_int(o, "fd", 6);
	json_object_put(doc);
}

/* A socket seen only through another's records: no creator, no fd; seqpacket's kind. */
static void test_sock_object_unseen(void **state)
{
	struct ipclab_event e[1];
	struct timeline t;
	struct trace_meta m;
	json_object *doc, *o;

	memset(e, 0, sizeof(e));
	e[0].type = EVT_SOCK_IO;
	e[0].pid = e[0].tid = SOCK_W;
	e[0].ts_start = T0 + 10;
	e[0].ts = T0 + 20;
	e[0].nr = NR_sendto;
	e[0].sk.s.sock = SOCK_A;
	e[0].sk.s.type = 5;
	e[0].sk.s.sndbuf = 4096;
	e[0].sk.queue = SOCK_B;
	e[0].sk.write = 1;
	assert_int_equal(timeline_build(&t, e, 1, T0), 0);
	base_meta(&m);
	doc = export_parsed(&m, &t, NULL);
	o = json_object_array_get_idx(field(doc, "objects"), 0);
	expect_str(o, "kind", "unix_seqpacket");
	expect_int(o, "sndbuf", 4096);
	expect_null(o, "creator");
	expect_null(o, "fd");
	expect_bool(o, "socketpair", false);
	o = json_object_array_get_idx(field(doc, "objects"), 1);
	expect_str(o, "kind", "unix_stream");	/* known by address only: a stream until seen */
	json_object_put(doc);
	timeline_free(&t);
}

/*
 * A socket trace as export_trace() writes it is read back whole and streamed, with every
 * socket object and sock_send/sock_recv event as written; export --chrome draws it: a
 * counter per event that sampled a queue ("socket N": bytes, skbs), and copy arrows from
 * sends to the receives that took their bytes -- the stream's 1000 bytes once (the peek
 * takes nothing), each datagram to the receive that took it though the receiver took 10 of
 * its 100 bytes (the rest is dropped): the second receive's arrow starts at the second send
 * (13.600 us), not again at the first.  Failed calls and EPIPE/ECONNREFUSED (no queue) draw
 * no counter and no arrow.
 */
static void test_sock_round_trip(void **state)
{
	static struct ipclab_event raw[SOCK_MAX];
	struct timeline tl;
	const struct trace_visitor v = { .object = read_back_object, .event = read_back_event };
	char *out;

	assert_int_equal(timeline_build(&tl, raw, make_sock_trace(raw, T0), T0), 0);
	snprintf(path, sizeof(path), "%s/sock.json", dir);
	write_test_trace(path, &tl, "sock_trace", "IPCLAB_SOCK_TRACE");
	for (int whole = 0; whole < 2; whole++) {
		struct read_back b = { .tl = &tl, .prefix = "sock_", .kinds = "unix_" };
		struct trace_visitor vb = v;
		size_t keep = trace_whole_max;

		vb.ctx = &b;
		if (!whole)
			trace_whole_max = 0;
		assert_int_equal(trace_read(path, &vb, 0, err, sizeof(err)), 0);
		trace_whole_max = keep;
		assert_int_equal(b.objects, 4);
		assert_int_equal(b.events, tl.n);
		assert_int_equal(b.matching, 11);
	}

	out = chrome_of(path, "IPCLAB_SOCK_TRACE");
	assert_int_equal(count_of(out, "\"ph\":\"C\""), 2 * 9);
	assert_int_equal(count_of(out, "\"name\":\"socket 1\""), 2 * 4);
	assert_int_equal(count_of(out, "\"name\":\"socket 2\""), 2 * 5);
	assert_non_null(strstr(out, "\"name\":\"socket 1\",\"cat\":\"socket\",\"ts\":2.500,"
			       "\"pid\":2147483646,\"tid\":2147483646,\"args\":{\"bytes\":1000,"
			       "\"skbs\":1}}"));
	assert_int_equal(count_of(out, "\"ph\":\"s\",\"name\":\"copy\""), 3);
	assert_int_equal(count_of(out, "\"ph\":\"f\",\"name\":\"copy\""), 3);
	/* the writer's write wakes the reader sleeping in read: a wake-up arrow */
	assert_int_equal(count_of(out, "\"ph\":\"s\""), 4);
	assert_int_equal(count_of(out, "\"ph\":\"f\""), 4);
	assert_non_null(strstr(out, "{\"ph\":\"s\",\"name\":\"wake-up\",\"cat\":\"wake\",\"ts\":6.900,"));
	assert_non_null(strstr(out, "{\"ph\":\"f\",\"name\":\"wake-up\",\"cat\":\"wake\",\"ts\":7.000,"));
	assert_non_null(strstr(out, "{\"ph\":\"s\",\"name\":\"copy\",\"cat\":\"copy\",\"ts\":2.000,"));
	assert_non_null(strstr(out, "{\"ph\":\"f\",\"name\":\"copy\",\"cat\":\"copy\",\"ts\":4.000,"));
	assert_non_null(strstr(out, "{\"ph\":\"s\",\"name\":\"copy\",\"cat\":\"copy\",\"ts\":12.000,"));
	assert_non_null(strstr(out, "{\"ph\":\"s\",\"name\":\"copy\",\"cat\":\"copy\",\"ts\":13.600,"));
	assert_non_null(strstr(out, "{\"ph\":\"f\",\"name\":\"copy\",\"cat\":\"copy\",\"ts\":13.850,"));
	assert_non_null(strstr(out, "\"name\":\"send 1000 B\",\"cat\":\"socket\""));
	assert_non_null(strstr(out, "\"name\":\"recv -EAGAIN\",\"cat\":\"socket\""));
	assert_non_null(strstr(out, "\"name\":\"send -ECONNREFUSED\",\"cat\":\"socket\""));
	free(out);
	timeline_free(&tl);
}

static int setup(void **state)
{
	static struct ipclab_event raw[SOCK_MAX];	/* the timeline points into it */

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ipclab-unit-sock.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	return timeline_build(&stl, raw, make_sock_trace(raw, T0), T0);
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
		cmocka_unit_test(test_sock_send),
		cmocka_unit_test(test_sock_recv_peek),
		cmocka_unit_test(test_sock_recv_torn_msg),
		cmocka_unit_test(test_sock_errors),
		cmocka_unit_test(test_sock_truncated),
		cmocka_unit_test(test_sock_syscall_and_block),
		cmocka_unit_test(test_sock_objects),
		cmocka_unit_test(test_sock_object_unseen),
		cmocka_unit_test(test_sock_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
