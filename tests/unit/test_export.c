// SPDX-License-Identifier: GPL-2.0
/* test_export.c - events and whole traces as JSON (docs: the ipclab-trace format). */
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
#include "claims.h"
#include "export.h"
#include "trace_json.h"
#include "mechanism.h"
#include "scenarios.h"
#include "timeline.h"

#define T0 1000000000000ULL
#define KA 0xffff888000001000ULL	/* the anonymous pipe, inode 77 */
#define KF 0xffff888000009000ULL	/* a FIFO, inode 88 */
#define W 100
#define R 200

/* ---------------------------------------------------------------- the trace */

static struct ipclab_event ev(int type, __u32 pid, __u64 start, __u64 dur, int nr)
{
	struct ipclab_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.pid = e.tid = pid;
	e.ts_start = T0 + start;
	e.ts = T0 + start + dur;
	e.nr = nr;
	return e;
}

static void pipe_state(struct ipclab_pipe *p, __u64 kptr, __u32 bytes, __u32 slots)
{
	p->pipe = kptr;
	p->ino = kptr == KA ? 77 : 88;
	p->dev = kptr == KA ? 13 : 2049;
	p->ring_size = kptr == KA ? 16 : 2;
	p->max_usage = kptr == KA ? 16 : 2;
	p->readers = 1;
	p->writers = 1;
	p->bytes = bytes;
	p->slots = slots;
}

static struct ipclab_event task(int type, __u32 pid, __u64 t, const char *comm)
{
	struct ipclab_event e = ev(type, pid, t, 0, -1);

	snprintf(e.task.comm, sizeof(e.task.comm), "%s", comm);
	return e;
}

/* One of each event kind; times (ns after T0) identify them: see at(). */
static size_t make_trace(struct ipclab_event *raw)
{
	size_t n = 0;
	struct ipclab_event *e;

	raw[n] = task(EVT_EXEC, W, 50, "wl");
	strcpy(raw[n++].task.filename, "/work/wl");
	raw[n++] = task(EVT_RENAME, W, 60, "writer");
	raw[n] = task(EVT_FORK, W, 100, "writer");
	raw[n].task.child_pid = raw[n].task.child_tid = R;
	n++;
	raw[n] = task(EVT_EXEC, R, 200, "cat");
	raw[n].task.ppid = W;
	strcpy(raw[n++].task.filename, "/bin/cat");
	raw[n++] = task(EVT_RENAME, R, 250, "reader");

	e = &raw[n++];		/* pipe2(fds, O_NONBLOCK) = 0, fds 3 and 4 */
	*e = ev(EVT_SYSCALL, W, 1000, 300, NR_pipe2);
	e->sc.args[0] = 0x7ffd1000;
	e->sc.args[1] = 2048;
	e->sc.fds[0] = 3;
	e->sc.fds[1] = 4;
	pipe_state(&e->sc.pipe, KA, 0, 0);

	e = &raw[n++];		/* write(4, "hi\1\377\n", 5) = 5 */
	*e = ev(EVT_PIPE_IO, W, 2000, 500, NR_write);
	e->io.write = 1;
	e->io.fd = 4;
	e->io.requested = 5;
	e->io.result = 5;
	e->io.data_len = 5;
	memcpy(e->io.head, "hi\x01\xff\n", 5);
	memcpy(e->io.tail, "hi\x01\xff\n", 5);
	pipe_state(&e->io.after, KA, 5, 1);

	e = &raw[n++];		/* non-blocking read(3, buf, 64) = -EAGAIN */
	*e = ev(EVT_PIPE_IO, R, 3000, 40, NR_read);
	e->flags = EVF_NONBLOCK;
	e->io.fd = 3;
	e->io.requested = 64;
	e->io.result = -EAGAIN;
	pipe_state(&e->io.after, KA, 0, 0);

	e = &raw[n++];		/* reader sleeps 6 us in read(), woken by the writer's write */
	*e = ev(EVT_BLOCK, R, 4000, 6000, NR_read);
	e->blk.pipe = KA;
	e->blk.ts_wake = T0 + 9500;
	e->blk.waker_pid = e->blk.waker_tid = W;
	e->blk.waker_nr = NR_write;
	e->blk.waker_pipe = KA;
	strcpy(e->blk.waker_comm, "writer");

	e = &raw[n++];		/* close(4): the last write end */
	*e = ev(EVT_SYSCALL, W, 11000, 100, NR_close);
	e->flags = EVF_LAST_REF | EVF_FMODE_WRITE;
	e->sc.args[0] = 4;
	pipe_state(&e->sc.pipe, KA, 0, 0);
	e->sc.pipe.writers = 0;

	e = &raw[n++];		/* SIGPIPE generated inside write(), ignored */
	*e = ev(EVT_SIGNAL, W, 12000, 0, NR_write);
	e->sig.sig = SIGPIPE;
	e->sig.result = 1;
	e->sig.sender_pid = e->sig.sender_tid = W;

	raw[n] = task(EVT_EXIT, R, 13000, "reader");	/* killed by SIGPIPE */
	raw[n].flags = EVF_GROUP_DEAD;
	raw[n++].task.exit_code = SIGPIPE;

	e = &raw[n++];		/* a 4096-byte write into a FIFO: head and tail sampled */
	*e = ev(EVT_PIPE_IO, W, 14000, 700, NR_write);
	e->flags = EVF_FIFO;
	e->io.write = 1;
	e->io.fd = 5;
	e->io.requested = e->io.result = 4096;
	e->io.data_len = IPCLAB_DATA_LEN;
	memset(e->io.head, 'x', IPCLAB_DATA_LEN);
	memset(e->io.tail, 'y', IPCLAB_DATA_LEN);
	pipe_state(&e->io.after, KF, 4096, 1);
	return n;
}

static struct timeline tl;

static int setup(void **state)
{
	static struct ipclab_event raw[32];	/* the timeline points into it */
	size_t n = make_trace(raw);

	/* handed over in reverse: the model must sort them */
	for (size_t i = 0; i < n / 2; i++) {
		struct ipclab_event x = raw[i];

		raw[i] = raw[n - 1 - i];
		raw[n - 1 - i] = x;
	}
	return timeline_build(&tl, raw, n, T0);
}

static int teardown(void **state)
{
	timeline_free(&tl);
	return 0;
}

/* The event that started `t` ns after T0. */
static const struct tl_event *at(__s64 t)
{
	for (size_t i = 0; i < tl.n; i++)
		if (tl.ev[i].t == t)
			return &tl.ev[i];
	fail_msg("no event at %lld", (long long)t);
	return NULL;
}

static json_object *to_json(const struct tl_event *te)
{
	json_object *o = event_to_json(&tl, te);

	assert_non_null(o);
	return o;
}

static void base_meta(struct trace_meta *m)
{
	memset(m, 0, sizeof(*m));
	strcpy(m->kernel, "6.18.0-test");
	strcpy(m->machine, "x86_64");
	m->tier = TIER_KPROBE;
	probe_sym_set(&m->syms, "pipe_read", "anon_pipe_read");	/* mech/pipe/probes.c */
	probe_sym_set(&m->syms, "pipe_write", "anon_pipe_write");
	m->start_realtime_ns = 1700000000123456789ULL;
	m->t0 = T0;
	strcpy(m->command, "sh -c 'ls | wc'");
	m->page_size = 4096;
}

/* ---------------------------------------------------------------- events */

/* A pipe write: times relative to t0, object id, occupancy before/after, data with
 * non-printable bytes dotted ('\n' kept) and their exact bytes in data_hex, no tail for a
 * short copy, no error. */
static void test_pipe_write(void **state)
{
	json_object *o = to_json(at(2000));

	expect_str(o, "type", "pipe_write");
	expect_int(o, "t", 2000);
	expect_int(o, "dur", 500);
	expect_int(o, "pid", W);
	expect_int(o, "tid", W);
	expect_int(o, "obj", 0);
	expect_int(o, "fd", 4);
	expect_int(o, "requested", 5);
	expect_int(o, "bytes", 5);
	expect_absent(o, "error");
	expect_int(o, "occ_before", 0);
	expect_int(o, "occ_after", 5);
	expect_int(o, "slots_before", 0);
	expect_int(o, "slots_after", 1);
	expect_int(o, "slots_max", 16);
	expect_int(o, "readers", 1);
	expect_int(o, "writers", 1);
	expect_bool(o, "nonblock", false);
	expect_str(o, "data", "hi..\n");
	expect_str(o, "data_hex", "686901ff0a");	/* the dotted bytes, exactly */
	expect_absent(o, "data_tail");
	expect_absent(o, "data_tail_hex");
	expect_str(o, "syscall", "write");
	json_object_put(o);
}

/* A non-blocking read that failed: negative byte count with its errno name, no data. */
static void test_pipe_read_eagain(void **state)
{
	json_object *o = to_json(at(3000));

	expect_str(o, "type", "pipe_read");
	expect_int(o, "t", 3000);
	expect_int(o, "dur", 40);
	expect_int(o, "pid", R);
	expect_int(o, "bytes", -EAGAIN);
	expect_str(o, "error", "EAGAIN");
	expect_bool(o, "nonblock", true);
	expect_int(o, "occ_before", 0);
	expect_int(o, "occ_after", 0);
	expect_absent(o, "data");
	expect_str(o, "syscall", "read");
	json_object_put(o);
}

/* A long copy into a FIFO: its own object, head and tail samples, printable, so no hex. */
static void test_fifo_write_tail(void **state)
{
	json_object *o = to_json(at(14000));

	expect_str(o, "type", "pipe_write");
	expect_int(o, "obj", 1);
	expect_int(o, "bytes", 4096);
	expect_str(o, "data", "xxxxxxxxxxxxxxxx");
	expect_str(o, "data_tail", "yyyyyyyyyyyyyyyy");
	expect_absent(o, "data_hex");		/* printable: the text is exact */
	expect_absent(o, "data_tail_hex");
	expect_int(o, "slots_max", 2);
	json_object_put(o);
}

/* ring_size is reported; occ_truncated only with EVF_TRUNC, occ_torn only with EVF_TORN;
 * writev and splice have no data_tail (only read and write sample a tail). */
static void test_pipe_io_ring_trunc_writev(void **state)
{
	struct tl_event c = *at(14000);
	struct ipclab_event rec_c = *c.e;

	c.e = &rec_c;
	json_object *o = to_json(&c);

	expect_int(o, "ring_size", 2);
	expect_absent(o, "occ_truncated");
	json_object_put(o);

	rec_c.flags |= EVF_TRUNC;
	rec_c.nr = NR_writev;
	o = to_json(&c);
	expect_bool(o, "occ_truncated", true);
	expect_str(o, "data", "xxxxxxxxxxxxxxxx");
	expect_absent(o, "data_tail");
	expect_str(o, "syscall", "writev");
	expect_absent(o, "occ_torn");
	json_object_put(o);

	/* a sample that did not settle; splice: no tail (no user buffer, nothing sampled) */
	rec_c.flags = EVF_TORN;
	rec_c.nr = NR_splice;
	o = to_json(&c);
	expect_bool(o, "occ_torn", true);
	expect_absent(o, "occ_truncated");
	expect_absent(o, "data_tail");
	expect_str(o, "syscall", "splice");
	expect_absent(o, "occ_before_rebuilt");
	json_object_put(o);

	/* the entry probe was skipped: the exit probe rebuilt occ_before and says so */
	rec_c.flags = EVF_BEFORE_REBUILT;
	o = to_json(&c);
	expect_bool(o, "occ_before_rebuilt", true);
	expect_absent(o, "occ_torn");
	json_object_put(o);
}

/* pipe2: name, the six arguments, result, the two fds and the object's state. */
static void test_syscall_pipe2(void **state)
{
	static const int64_t args[6] = { 0x7ffd1000, 2048, 0, 0, 0, 0 }, fds[2] = { 3, 4 };
	json_object *o = to_json(at(1000));

	expect_str(o, "type", "syscall");
	expect_str(o, "name", "pipe2");
	expect_int(o, "t", 1000);
	expect_int(o, "dur", 300);
	expect_ints(o, "args", args, 6);
	expect_int(o, "ret", 0);
	expect_absent(o, "error");
	expect_ints(o, "fds", fds, 2);
	expect_int(o, "obj", 0);
	expect_int(o, "occ", 0);
	expect_int(o, "slots", 0);
	expect_int(o, "slots_max", 16);
	expect_int(o, "writers", 1);
	expect_absent(o, "end");
	expect_absent(o, "path");
	json_object_put(o);
}

/* close of the last write end: which end, last_ref, the writer count after. */
static void test_syscall_close(void **state)
{
	json_object *o = to_json(at(11000));

	expect_str(o, "type", "syscall");
	expect_str(o, "name", "close");
	expect_int(o, "obj", 0);
	expect_str(o, "end", "write");
	expect_bool(o, "last_ref", true);
	expect_int(o, "writers", 0);
	expect_absent(o, "fds");
	json_object_put(o);
}

/* A failed call names its errno; the closed end is read, write or both; an unknown
 * syscall is named by number; no pipe, no obj. */
static void test_syscall_error_and_unknown(void **state)
{
	struct tl_event c = *at(11000);
	struct ipclab_event rec_c = *c.e;

	c.e = &rec_c;
	json_object *o;

	rec_c.sc.ret = -EBADF;
	rec_c.flags = 0;
	o = to_json(&c);
	expect_int(o, "ret", -EBADF);
	expect_str(o, "error", "EBADF");
	expect_str(o, "end", "read");
	expect_bool(o, "last_ref", false);
	json_object_put(o);

	rec_c.flags = EVF_FMODE_READ | EVF_FMODE_WRITE;	/* a FIFO opened O_RDWR */
	o = to_json(&c);
	expect_str(o, "end", "both");
	json_object_put(o);

	rec_c.nr = 999;
	c.obj = -1;
	o = to_json(&c);
	expect_str(o, "name", "syscall_999");
	expect_absent(o, "obj");
	expect_absent(o, "end");
	json_object_put(o);
}

/* A sleep: duration, object, wake time relative to t0, and the waker with its object. */
static void test_block_waker(void **state)
{
	json_object *o = to_json(at(4000)), *w;

	expect_str(o, "type", "block");
	expect_int(o, "t", 4000);
	expect_int(o, "dur", 6000);
	expect_int(o, "pid", R);
	expect_int(o, "obj", 0);
	expect_int(o, "wake_t", 9500);
	expect_str(o, "syscall", "read");
	w = field(o, "waker");
	assert_non_null(w);
	expect_int(w, "pid", W);
	expect_int(w, "tid", W);
	expect_str(w, "comm", "writer");
	expect_str(w, "syscall", "write");
	expect_int(w, "obj", 0);
	json_object_put(o);
}

/* The waker's object is its own (here the FIFO), not the sleeper's. */
static void test_block_waker_other_object(void **state)
{
	struct tl_event c = *at(4000);
	struct ipclab_event rec_c = *c.e;

	c.e = &rec_c;
	json_object *o;

	c.waker_obj = 1;
	o = to_json(&c);
	expect_int(o, "obj", 0);
	expect_int(field(o, "waker"), "obj", 1);
	json_object_put(o);
}

/* A sleep ended by a timer: waker null; unknown wake time and object are null. */
static void test_block_no_waker(void **state)
{
	struct tl_event c = *at(4000);
	struct ipclab_event rec_c = *c.e;

	c.e = &rec_c;
	json_object *o;

	rec_c.blk.waker_pid = 0;
	rec_c.blk.ts_wake = 0;
	c.obj = -1;
	o = to_json(&c);
	expect_null(o, "waker");
	expect_null(o, "wake_t");
	expect_null(o, "obj");
	json_object_put(o);
}

/* SIGPIPE generated and ignored, from inside the sender's write(); instants have no
 * "dur". */
static void test_signal(void **state)
{
	json_object *o = to_json(at(12000));

	expect_str(o, "type", "signal");
	expect_int(o, "t", 12000);
	expect_absent(o, "dur");
	expect_int(o, "sig", SIGPIPE);
	expect_str(o, "signal", "SIGPIPE");
	expect_str(o, "result", "ignored");
	expect_int(o, "sender_pid", W);
	expect_int(o, "sender_tid", W);
	expect_str(o, "sender_syscall", "write");
	expect_absent(o, "syscall");
	json_object_put(o);
}

/* fork, exec and rename carry the child, the program and the new name. */
static void test_fork_exec_rename(void **state)
{
	json_object *o = to_json(at(100));

	expect_str(o, "type", "fork");
	expect_int(o, "pid", W);
	expect_int(o, "child_pid", R);
	expect_int(o, "child_tid", R);
	expect_bool(o, "thread", false);
	expect_absent(o, "dur");
	json_object_put(o);

	o = to_json(at(200));
	expect_str(o, "type", "exec");
	expect_int(o, "pid", R);
	expect_str(o, "comm", "cat");
	expect_str(o, "filename", "/bin/cat");
	json_object_put(o);

	o = to_json(at(250));
	expect_str(o, "type", "rename");
	expect_str(o, "comm", "reader");
	json_object_put(o);
}

/* Exit by SIGPIPE: signal named, code null; a normal exit: code, signal null. */
static void test_exit(void **state)
{
	struct tl_event c = *at(13000);
	struct ipclab_event rec_c = *c.e;

	c.e = &rec_c;
	json_object *o = to_json(&c);

	expect_str(o, "type", "exit");
	expect_int(o, "status", SIGPIPE);
	expect_null(o, "code");
	expect_str(o, "signal", "SIGPIPE");
	expect_bool(o, "thread", false);
	json_object_put(o);

	rec_c.task.exit_code = 3 << 8;
	o = to_json(&c);
	expect_int(o, "code", 3);
	expect_null(o, "signal");
	json_object_put(o);
}

/* ---------------------------------------------------------------- whole traces */

/* Programs the kernel skipped are named with their runs; recovered records are counted. */
static void test_export_skipped(void **state)
{
	struct trace_meta m;
	struct claim_set cs;
	json_object *doc, *meta, *sk;

	base_meta(&m);
	m.tier = TIER_FENTRY;
	m.dropped = 1;		/* 3 skipped runs, 2 of them recovered */
	m.nskipped = 2;
	snprintf(m.skipped[0].name, sizeof(m.skipped[0].name), "fentry_pipe_write");
	m.skipped[0].runs = 2;
	snprintf(m.skipped[1].name, sizeof(m.skipped[1].name), "kretprobe_pipe_read");
	m.skipped[1].runs = 1;
	m.recovered = 2;
	memset(&cs, 0, sizeof(cs));
	doc = export_parsed(&m, &tl, &cs);
	meta = field(doc, "meta");
	sk = field(meta, "skipped");
	assert_int_equal(json_object_object_length(sk), 2);
	expect_int(sk, "fentry_pipe_write", 2);
	expect_int(sk, "kretprobe_pipe_read", 1);
	expect_int(meta, "recovered", 2);
	expect_int(meta, "dropped", 1);
	json_object_put(doc);
}

/* The whole trace parses and has format, version, meta, processes, objects (capacity =
 * slots * page size), claims, and every event in time order. */
static void test_export_trace(void **state)
{
	struct trace_meta m;
	struct claim_set cs;
	json_object *doc, *meta, *a, *o;
	struct claim *c;
	int64_t last = -1;

	base_meta(&m);
	m.tier = TIER_FENTRY;
	m.scenario = scenario_find("pipe_transfer");
	m.dropped = 7;
	m.lost = 2;
	m.interrupted = true;
	m.end_reason = "interrupted";
	memset(&cs, 0, sizeof(cs));
	c = claim_new(&cs, "alpha", "first");
	claim_result(c, true, "seen");
	claim_cite(c, 1);
	claim_cite(c, 4);
	claim_result(claim_new(&cs, "beta", "second"), false, "not seen");

	doc = export_parsed(&m, &tl, &cs);
	expect_str(doc, "format", "ipclab-trace");
	expect_int(doc, "version", 1);

	meta = field(doc, "meta");
	expect_str(meta, "tier", "fentry");
	expect_int(meta, "dropped", 7);
	expect_int(meta, "lost", 2);
	expect_absent(meta, "skipped");		/* only when the kernel skipped a program */
	expect_absent(meta, "recovered");
	expect_bool(meta, "interrupted", true);
	expect_str(meta, "end_reason", "interrupted");
	expect_int(meta, "events", (int64_t)tl.n);
	expect_int(meta, "page_size", 4096);
	expect_int(meta, "start_ns", (int64_t)T0);
	expect_str(meta, "start_time", "2023-11-14T22:13:20.123456Z");
	expect_str(meta, "kernel", "6.18.0-test");
	expect_str(meta, "command", "sh -c 'ls | wc'");
	expect_str(meta, "scenario", "pipe_transfer");
	expect_str(meta, "section", "pipe");
	expect_str(field(field(meta, "probes"), "pipe_read"), "symbol",
		   "fentry/fexit:anon_pipe_read");
	expect_str(field(field(meta, "probes"), "fifo_write"), "symbol",
		   "fentry/fexit:anon_pipe_write");

	a = field(doc, "processes");
	assert_int_equal(json_object_array_length(a), 2);
	o = json_object_array_get_idx(a, 0);
	expect_int(o, "pid", W);
	expect_str(o, "comm", "writer");
	expect_str(o, "exe", "/work/wl");
	expect_null(o, "exit");
	o = json_object_array_get_idx(a, 1);
	expect_int(o, "pid", R);
	expect_int(o, "ppid", W);
	expect_str(o, "comm", "reader");
	expect_str(o, "exe", "/bin/cat");
	expect_int(o, "start", 100);
	expect_int(o, "exit", 13000);
	expect_int(o, "status", SIGPIPE);

	a = field(doc, "objects");
	assert_int_equal(json_object_array_length(a), 2);
	o = json_object_array_get_idx(a, 0);
	expect_int(o, "id", 0);
	expect_str(o, "kind", "pipe");
	expect_int(o, "inode", 77);
	expect_int(o, "capacity", 16 * 4096);
	expect_int(o, "slots", 16);
	expect_int(o, "created", 1000);
	expect_int(o, "creator", W);
	expect_ints(o, "fds", (const int64_t[]){ 3, 4 }, 2);
	expect_null(o, "path");
	o = json_object_array_get_idx(a, 1);
	expect_int(o, "id", 1);
	expect_str(o, "kind", "fifo");
	expect_int(o, "capacity", 2 * 4096);
	expect_int(o, "dev", 2049);
	expect_null(o, "creator");
	expect_absent(o, "fds");

	a = field(doc, "claims");
	assert_int_equal(json_object_array_length(a), 2);
	o = json_object_array_get_idx(a, 0);
	expect_str(o, "id", "alpha");
	expect_str(o, "status", "PASS");
	expect_str(o, "detail", "seen");
	expect_ints(o, "evidence", (const int64_t[]){ 1, 4 }, 2);
	o = json_object_array_get_idx(a, 1);
	expect_str(o, "status", "FAIL");
	expect_ints(o, "evidence", NULL, 0);

	a = field(doc, "events");
	assert_int_equal(json_object_array_length(a), tl.n);
	assert_int_equal(tl.n, 13);
	for (size_t i = 0; i < tl.n; i++) {
		o = json_object_array_get_idx(a, i);
		assert_true(json_object_get_int64(field(o, "t")) >= last);
		last = json_object_get_int64(field(o, "t"));
		assert_non_null(json_object_get_string(field(o, "type")));
	}
	expect_str(json_object_array_get_idx(a, 0), "type", "exec");
	expect_str(json_object_array_get_idx(a, tl.n - 1), "type", "pipe_write");
	json_object_put(doc);
}

/* An empty trace without a scenario or claims: still a complete document; the end
 * reason defaults to "exited", the scenario is null. */
static void test_export_empty(void **state)
{
	struct trace_meta m;
	struct timeline empty;
	json_object *doc, *meta;

	base_meta(&m);
	assert_int_equal(timeline_build(&empty, NULL, 0, T0), 0);
	doc = export_parsed(&m, &empty, NULL);
	meta = field(doc, "meta");
	expect_str(meta, "end_reason", "exited");
	expect_null(meta, "scenario");
	expect_absent(meta, "section");
	expect_bool(meta, "interrupted", false);
	expect_int(meta, "events", 0);
	expect_str(meta, "tier", "kprobe");
	assert_int_equal(json_object_array_length(field(doc, "events")), 0);
	assert_int_equal(json_object_array_length(field(doc, "claims")), 0);
	assert_int_equal(json_object_array_length(field(doc, "processes")), 0);
	json_object_put(doc);
	timeline_free(&empty);
}

/* Long text is not cut short: a 600-character command and a claim detail that fills
 * its buffer (319 characters) come out whole. */
static void test_export_long_text(void **state)
{
	struct trace_meta m;
	struct claim_set cs;
	char detail[320];
	json_object *doc;

	base_meta(&m);
	memset(m.command, 'c', 600);
	m.command[600] = 0;
	memset(detail, 'd', sizeof(detail) - 1);
	detail[sizeof(detail) - 1] = 0;
	memset(&cs, 0, sizeof(cs));
	claim_result(claim_new(&cs, "long", "long detail"), true, "%s", detail);
	assert_int_equal(strlen(cs.c[0].detail), 319);
	doc = export_parsed(&m, &tl, &cs);
	expect_str(field(doc, "meta"), "command", m.command);
	expect_str(json_object_array_get_idx(field(doc, "claims"), 0), "detail", detail);
	json_object_put(doc);
}

/* A claim's Chinese detail keeps its UTF-8 (it was cut to ASCII dots once); bytes of quoted
 * kernel text that are not well-formed UTF-8 or are control characters become '.'. */
static void test_export_detail_zh(void **state)
{
	struct trace_meta m;
	struct claim_set cs;
	struct claim *c;
	json_object *doc, *claim;

	base_meta(&m);
	memset(&cs, 0, sizeof(cs));
	c = claim_new(&cs, "zh", "Chinese detail");
	claim_result(c, true, "read returned 0");
	claim_detail_zh(c, "read() 返回 0；进程 %s 退出 \xf0\x9f\x90\xa7", "c\xc3\x28\xff\x1b\xe4\xb8");
	doc = export_parsed(&m, &tl, &cs);
	claim = json_object_array_get_idx(field(doc, "claims"), 0);
	expect_str(claim, "detail", "read returned 0");
	expect_str(claim, "detail_zh", "read() 返回 0；进程 c.(.... 退出 \xf0\x9f\x90\xa7");
	json_object_put(doc);
	memset(&cs, 0, sizeof(cs));
	claim_result(claim_new(&cs, "en", "no Chinese detail"), true, "seen");
	doc = export_parsed(&m, &tl, &cs);
	assert_null(json_object_object_get(json_object_array_get_idx(field(doc, "claims"), 0),
					   "detail_zh"));
	json_object_put(doc);
}

/* Hostile or non-UTF-8 kernel text (comm, filename, path, waker comm, command) still
 * yields valid, strictly parsed UTF-8 JSON; markup survives as text, high bytes as '.'. */
static void test_export_hostile_text(void **state)
{
	static const char img[] = "<img src=x onerror=alert(1)>";
	static const char high[IPCLAB_COMM_LEN] = { (char)0xc3, (char)0x28, (char)0xff,
						     (char)0x80, 'a', '"', '\\', 0x1b, 0 };
	struct ipclab_event raw[4];
	struct trace_meta m;
	struct timeline t;
	json_object *doc, *procs, *evs;

	raw[0] = task(EVT_EXEC, 300, 10, "");
	memcpy(raw[0].task.comm, img, IPCLAB_COMM_LEN);	/* 16 bytes, no NUL */
	strcpy(raw[0].task.filename, img);
	raw[1] = task(EVT_RENAME, 301, 20, "");
	memcpy(raw[1].task.comm, high, sizeof(high));
	raw[2] = ev(EVT_SYSCALL, 300, 30, 5, NR_openat);
	memcpy(raw[2].sc.path, "/tmp/\xfe\xff<script>", 16);
	raw[3] = ev(EVT_BLOCK, 300, 40, 5, NR_read);
	raw[3].blk.waker_pid = 301;
	memcpy(raw[3].blk.waker_comm, high, sizeof(high));
	assert_int_equal(timeline_build(&t, raw, 4, T0), 0);
	base_meta(&m);
	snprintf(m.command, sizeof(m.command), "%s \xe4\xb8 \"q\" %s", img, high);

	doc = export_parsed(&m, &t, NULL);
	procs = field(doc, "processes");
	expect_str(json_object_array_get_idx(procs, 0), "comm", "<img src=x onerr");
	expect_str(json_object_array_get_idx(procs, 0), "exe", img);
	expect_str(json_object_array_get_idx(procs, 1), "comm", ".(..a\"\\.");
	evs = field(doc, "events");
	expect_str(json_object_array_get_idx(evs, 0), "filename", img);
	expect_str(json_object_array_get_idx(evs, 1), "comm", ".(..a\"\\.");
	expect_str(json_object_array_get_idx(evs, 2), "path", "/tmp/..<script>");
	expect_str(field(json_object_array_get_idx(evs, 3), "waker"), "comm", ".(..a\"\\.");
	expect_str(field(doc, "meta"), "command",
		   "<img src=x onerror=alert(1)> .. \"q\" .(..a\"\\.");
	json_object_put(doc);
	timeline_free(&t);
}

/* ---------------------------------------------------------------- export --chrome */

/*
 * W writes 5 bytes that R reads at once (a copy arrow), then R sleeps in a second read from
 * 4000 to 10000 ns and W's next write wakes it at 9500: the sleep's waker is waker_pid
 * (0: none, as from a timer), its wake-up seen at wake ns (0: not seen).
 */
static size_t wake_trace(struct ipclab_event *raw, __u32 waker_pid, __u64 wake)
{
	size_t n = 0;
	struct ipclab_event *e;

	raw[n++] = task(EVT_EXEC, W, 50, "writer");
	raw[n] = task(EVT_FORK, W, 100, "writer");
	raw[n].task.child_pid = raw[n].task.child_tid = R;
	n++;
	raw[n] = task(EVT_EXEC, R, 200, "reader");
	raw[n++].task.ppid = W;

	e = &raw[n++];		/* pipe2(fds) = 0, fds 3 and 4 */
	*e = ev(EVT_SYSCALL, W, 1000, 300, NR_pipe2);
	e->sc.fds[0] = 3;
	e->sc.fds[1] = 4;
	pipe_state(&e->sc.pipe, KA, 0, 0);
	for (int i = 0; i < 2; i++) {	/* write(4, "hello", 5) = 5 at 2000 and 9000 */
		e = &raw[n++];
		*e = ev(EVT_PIPE_IO, W, i ? 9000 : 2000, 1000, NR_write);
		e->io.write = 1;
		e->io.fd = 4;
		e->io.requested = e->io.result = e->io.data_len = 5;
		pipe_state(&e->io.after, KA, 5, 1);
	}
	for (int i = 0; i < 2; i++) {	/* read(3, buf, 64) = 5 at 3000, then from 3900 */
		e = &raw[n++];
		*e = ev(EVT_PIPE_IO, R, i ? 3900 : 3000, i ? 6200 : 40, NR_read);
		e->io.fd = 3;
		e->io.requested = 64;
		e->io.result = 5;
		pipe_state(&e->io.after, KA, 0, 0);
	}
	e = &raw[n++];		/* the second read sleeps */
	*e = ev(EVT_BLOCK, R, 4000, 6000, NR_read);
	e->blk.pipe = KA;
	e->blk.ts_wake = wake ? T0 + wake : 0;
	e->blk.waker_pid = e->blk.waker_tid = waker_pid;
	e->blk.waker_nr = waker_pid ? NR_write : -1;
	e->blk.waker_pipe = waker_pid ? KA : 0;
	strcpy(e->blk.waker_comm, waker_pid ? "writer" : "");
	return n;
}

/* The trace written by export_trace, exported by export_chrome, parsed. */
static json_object *chrome_of(struct ipclab_event *raw, size_t n)
{
	char path[] = "/tmp/ipclab-unit-chrome.XXXXXX", err[256];
	struct trace_meta m;
	struct timeline t;
	char *out = NULL;
	size_t len = 0;
	json_object *doc;
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	assert_non_null(f);
	base_meta(&m);
	assert_int_equal(timeline_build(&t, raw, n, T0), 0);
	assert_int_equal(export_trace(f, &m, &t, NULL), 0);
	assert_int_equal(fclose(f), 0);
	timeline_free(&t);
	f = open_memstream(&out, &len);
	assert_non_null(f);
	assert_int_equal(export_chrome(path, f, err, sizeof(err)), 0);
	fclose(f);
	unlink(path);
	doc = parse_all(out, len);
	free(out);
	return doc;
}

/* The Chrome events of phase ph and category cat, up to max of them; how many there are. */
static size_t chrome_events(json_object *doc, const char *ph, const char *cat,
			    json_object **found, size_t max)
{
	json_object *evs = field(doc, "traceEvents");
	size_t n = 0;

	for (size_t i = 0; i < json_object_array_length(evs); i++) {
		json_object *e = json_object_array_get_idx(evs, i), *c;

		if (strcmp(json_object_get_string(field(e, "ph")), ph) ||
		    !json_object_object_get_ex(e, "cat", &c) || strcmp(json_object_get_string(c), cat))
			continue;
		if (n < max)
			found[n] = e;
		n++;
	}
	return n;
}

static void expect_us(json_object *o, const char *k, double want)
{
	assert_true(json_object_is_type(field(o, k), json_type_double));
	assert_true(json_object_get_double(field(o, k)) == want);
}

/*
 * A sleep whose waker is traced: one wake-up arrow, from the waker's track when it woke the
 * sleeper (9.5 us) to the sleeper's where the sleep ends (10 us), the end bound to its
 * enclosing slice; its id is not the copy arrow's.
 */
static void test_chrome_wake_flow(void **state)
{
	struct ipclab_event raw[16];
	json_object *doc = chrome_of(raw, wake_trace(raw, W, 9500));
	json_object *s[2], *f[2], *copy[2], *a;

	assert_int_equal(chrome_events(doc, "s", "wake", s, 2), 1);
	assert_int_equal(chrome_events(doc, "f", "wake", f, 2), 1);
	expect_str(s[0], "name", "wake-up");
	expect_int(s[0], "pid", W);
	expect_int(s[0], "tid", W);
	expect_us(s[0], "ts", 9.5);
	expect_absent(s[0], "bp");
	expect_str(f[0], "name", "wake-up");
	expect_int(f[0], "pid", R);
	expect_int(f[0], "tid", R);
	expect_us(f[0], "ts", 10.0);
	expect_str(f[0], "bp", "e");
	expect_int(f[0], "id", json_object_get_int64(field(s[0], "id")));
	a = field(s[0], "args");
	expect_int(a, "waker_pid", W);
	expect_int(a, "waker_tid", W);
	expect_str(a, "waker_comm", "writer");
	expect_str(a, "waker_syscall", "write");
	expect_str(a, "sleeper_syscall", "read");

	/* the copy of the first 5 bytes: an arrow of its own, with another id */
	assert_int_equal(chrome_events(doc, "s", "copy", copy, 2), 1);
	assert_int_equal(chrome_events(doc, "f", "copy", copy + 1, 1), 1);
	expect_int(copy[1], "id", json_object_get_int64(field(copy[0], "id")));
	assert_int_not_equal(json_object_get_int64(field(copy[0], "id")),
			     json_object_get_int64(field(s[0], "id")));
	json_object_put(doc);
}

/* A waker outside the traced processes has no track: no arrow (the sleep is still drawn). */
static void test_chrome_wake_untraced(void **state)
{
	struct ipclab_event raw[16];
	json_object *doc = chrome_of(raw, wake_trace(raw, 999, 9500)), *x[8];
	size_t nx = chrome_events(doc, "X", "block", x, 8);

	assert_int_equal(nx, 1);
	expect_int(field(field(x[0], "args"), "waker"), "pid", 999);
	assert_int_equal(chrome_events(doc, "s", "wake", NULL, 0), 0);
	assert_int_equal(chrome_events(doc, "f", "wake", NULL, 0), 0);
	json_object_put(doc);
}

/* A sleep without a waker (a timer's), or whose wake-up was not seen: no arrow. */
static void test_chrome_wake_none(void **state)
{
	struct ipclab_event raw[16];
	json_object *doc = chrome_of(raw, wake_trace(raw, 0, 0)), *x[8];

	assert_int_equal(chrome_events(doc, "X", "block", x, 8), 1);
	expect_null(field(x[0], "args"), "waker");
	assert_int_equal(chrome_events(doc, "s", "wake", NULL, 0), 0);
	assert_int_equal(chrome_events(doc, "f", "wake", NULL, 0), 0);
	json_object_put(doc);

	doc = chrome_of(raw, wake_trace(raw, W, 0));	/* a waker, no wake time */
	assert_int_equal(chrome_events(doc, "X", "block", x, 8), 1);
	expect_null(field(x[0], "args"), "wake_t");
	assert_int_equal(chrome_events(doc, "s", "wake", NULL, 0), 0);
	json_object_put(doc);
}

/* ---------------------------------------------------------------- mapping flags */

/* The flags a mapping object shows for the mmap flags argument `flags`. */
static void flags_of(const __u32 *flags, size_t n, char out[][320])
{
	struct ipclab_event raw[40];
	struct timeline t;
	struct trace_meta m;
	json_object *o, *objs;

	assert_true(n <= 40);
	for (size_t i = 0; i < n; i++) {
		raw[i] = ev(EVT_SYSCALL, 10, 100 + 10 * i, 5, NR_mmap);
		raw[i].sc.args[1] = 4096;
		raw[i].sc.args[3] = flags[i];
		raw[i].sc.ret = 0x7f0000000000LL + 0x10000 * i;
	}
	base_meta(&m);
	assert_int_equal(timeline_build(&t, raw, n, T0), 0);
	o = export_parsed(&m, &t, NULL);
	objs = field(o, "objects");
	assert_int_equal(json_object_array_length(objs), n);
	for (size_t i = 0; i < n; i++)
		snprintf(out[i], 320, "%s", json_object_get_string(
			 field(json_object_array_get_idx(objs, i), "flags")));
	json_object_put(o);
	timeline_free(&t);
}

/* docs/trace-format.md's row for a mapping's `flags`. */
static char *doc_flags_row(void)
{
	static char line[4096];
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/docs/trace-format.md", SOURCE_DIR);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "| `flags` | string |", 20)) {
			fclose(f);
			return line;
		}
	fclose(f);
	fail_msg("no flags row in %s", path);
	return NULL;
}

/*
 * The flags string shows the argument as the program passed it, named bit by bit --
 * MAP_DENYWRITE too, which glibc's loader still passes and the kernel has ignored since
 * 5.14 -- and unnamed bits as one hex number.  The format document lists exactly the names
 * the writer uses (it used to say MAP_DENYWRITE and MAP_STACK were left out).
 */
static void test_mapping_flags(void **state)
{
	static const __u32 combos[] = { 0x802, 0x03, 0x20022, 0x80000001, 0x1812 };
	static const char *const want[] = {
		"MAP_PRIVATE|MAP_DENYWRITE", "MAP_SHARED_VALIDATE",
		"MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK", "MAP_SHARED|0x80000000",
		"MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE|MAP_EXECUTABLE",
	};
	char got[40][320], names[2048] = "", *row = doc_flags_row(), *p;
	__u32 bits[32];
	size_t nnames = 0;

	flags_of(combos, 5, got);
	for (int i = 0; i < 5; i++)
		assert_string_equal(got[i], want[i]);
	/* each single bit (with a mapping type, as a real call has), and MAP_SHARED alone */
	for (int b = 0; b < 32; b++)
		bits[b] = (b == 0 ? 0x01 : 0x02) | (1u << b);
	flags_of(bits, 32, got);
	for (int b = 0; b < 32; b++) {
		for (char *tok = strtok(got[b], "|"); tok; tok = strtok(NULL, "|")) {
			char quoted[64];

			if (!strncmp(tok, "0x", 2))
				continue;	/* unnamed */
			snprintf(quoted, sizeof(quoted), "`%s`", tok);
			if (!strstr(names, quoted)) {
				strcat(names, quoted);
				nnames++;
			}
			if (!strstr(row, quoted))
				fail_msg("the writer names %s, docs/trace-format.md does not", tok);
		}
	}
	/* and the doc names nothing else, and leaves nothing out */
	for (p = strstr(row, "`MAP_"); p; p = strstr(p + 1, "`MAP_")) {
		char name[64];
		size_t len = strcspn(p + 1, "`");

		snprintf(name, sizeof(name), "`%.*s`", (int)len, p + 1);
		if (strcmp(name, "`MAP_SHARED_VALIDATE`") && !strstr(names, name))
			fail_msg("docs/trace-format.md names %s, the writer does not", name);
	}
	assert_null(strstr(row, "left out"));
	assert_true(nnames >= 16);
}


/*
 * Who prints what (mechanism.h): every record type and every syscall record has one owner,
 * and the order of the lookup is the one the core had before the mechanisms moved out --
 * mmap/munmap are the mapping's whatever their flags, EVF_SOCK beats the pipe's default.
 */
static void test_mech_dispatch(void **state)
{
	extern const struct mech_trace_ops pipe_trace_ops, mmap_trace_ops, unix_trace_ops;
	static const __u16 mmap_types[] = { EVT_FAULT, EVT_PAGE_CACHE, EVT_DIRTY,
					    EVT_FAULT_AROUND, EVT_WRITEBACK };

	assert_ptr_equal(mech_trace_for_event(EVT_PIPE_IO), &pipe_trace_ops);
	assert_ptr_equal(mech_trace_for_event(EVT_SOCK_IO), &unix_trace_ops);
	for (size_t i = 0; i < sizeof(mmap_types) / sizeof(mmap_types[0]); i++)
		assert_ptr_equal(mech_trace_for_event(mmap_types[i]), &mmap_trace_ops);
	/* the core's own, and results the timeline folds into faults: no mechanism */
	assert_null(mech_trace_for_event(EVT_SYSCALL));
	assert_null(mech_trace_for_event(EVT_BLOCK));
	assert_null(mech_trace_for_event(EVT_FAULT_RESULT));
	assert_null(mech_trace_for_event(999));
	assert_true(mmap_trace_ops.instants);
	assert_false(pipe_trace_ops.instants || unix_trace_ops.instants);

	assert_ptr_equal(mech_trace_for_syscall(NR_read, 0), &pipe_trace_ops);
	assert_ptr_equal(mech_trace_for_syscall(NR_close, EVF_FIFO), &pipe_trace_ops);
	assert_ptr_equal(mech_trace_for_syscall(NR_read, EVF_SOCK), &unix_trace_ops);
	assert_ptr_equal(mech_trace_for_syscall(NR_mmap, 0), &mmap_trace_ops);
	assert_ptr_equal(mech_trace_for_syscall(NR_munmap, EVF_SOCK), &mmap_trace_ops);
	/* meta.probes: only the pipe's come before the core's keys */
	assert_true(pipe_trace_ops.probes_first);
	assert_false(mmap_trace_ops.probes_first || unix_trace_ops.probes_first);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipe_write),
		cmocka_unit_test(test_mech_dispatch),
		cmocka_unit_test(test_pipe_read_eagain),
		cmocka_unit_test(test_fifo_write_tail),
		cmocka_unit_test(test_pipe_io_ring_trunc_writev),
		cmocka_unit_test(test_syscall_pipe2),
		cmocka_unit_test(test_syscall_close),
		cmocka_unit_test(test_syscall_error_and_unknown),
		cmocka_unit_test(test_block_waker),
		cmocka_unit_test(test_block_waker_other_object),
		cmocka_unit_test(test_block_no_waker),
		cmocka_unit_test(test_signal),
		cmocka_unit_test(test_fork_exec_rename),
		cmocka_unit_test(test_exit),
		cmocka_unit_test(test_export_trace),
		cmocka_unit_test(test_export_skipped),
		cmocka_unit_test(test_export_empty),
		cmocka_unit_test(test_export_long_text),
		cmocka_unit_test(test_export_detail_zh),
		cmocka_unit_test(test_export_hostile_text),
		cmocka_unit_test(test_mapping_flags),
		cmocka_unit_test(test_chrome_wake_flow),
		cmocka_unit_test(test_chrome_wake_untraced),
		cmocka_unit_test(test_chrome_wake_none),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
