// SPDX-License-Identifier: GPL-2.0
/*
 * chrome.c - `ipclab export --chrome`: an ipclab trace as Chrome Trace Event Format JSON,
 * which the Perfetto UI, chrome://tracing and speedscope open.
 *
 *   syscalls, sleeps, a mechanism's spans  complete events ("X") on the thread's track
 *   its queues (pipe, socket occupancy)    counters ("C") on a "kernel buffers" process
 *   bytes moving writer -> reader          flow events ("s" -> "f", cat "copy")
 *   a traced task waking a sleeping one    flow events ("s" -> "f", cat "wake")
 *   faults, signals, page cache, lifetime  instant events ("i")
 * A mechanism's events are drawn as its trace ops say (mechanism.h: chrome_span,
 * chrome_instant_name, chrome_whole_reads).
 *   process and thread names               metadata ("M")
 * Times are microseconds (fractions keep the nanoseconds).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "chrome.h"
#include "mechanism.h"
#include "trace_read.h"

#define KERNEL_PID 2147483646	/* a pseudo-process for kernel-side tracks (pid >= 1) */

/*
 * Written straight to the stream (no json-c object per output event): faster, and nothing
 * to allocate but the args' non-string values, whose failure is reported (-ENOMEM).
 */
struct out {
	FILE *f;
	bool first;
	int err;
};

/* A JSON string: '"', '\\' and control characters escaped, other bytes as they are. */
static void put_string_len(FILE *f, const char *s, size_t n)
{
	size_t from = 0;

	putc_unlocked('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		fwrite_unlocked(s + from, 1, i - from, f);
		from = i + 1;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else
			fprintf(f, "\\u%04x", c);
	}
	fwrite_unlocked(s + from, 1, n - from, f);
	putc_unlocked('"', f);
}

static void put_string(FILE *f, const char *s)
{
	put_string_len(f, s, strlen(s));
}

/* Nanoseconds as microseconds, exactly (t >= 0: trace_read() checks it). */
static void put_us(FILE *f, const char *key, long long ns)
{
	fprintf(f, ",\"%s\":%lld.%03lld", key, ns / 1000, ns % 1000);
}

/* A trace event's start: ph, name, cat, ts (µs), pid, tid; the caller adds the rest and '}'. */
static void begin(struct out *o, const char *ph, const char *name, const char *cat,
		  long long t_ns, long long pid, long long tid)
{
	fprintf(o->f, "%s{\"ph\":\"%s\",\"name\":", o->first ? "\n" : ",\n", ph);
	put_string(o->f, name);
	if (cat) {
		fputs(",\"cat\":", o->f);
		put_string(o->f, cat);
	}
	put_us(o->f, "ts", t_ns);
	fprintf(o->f, ",\"pid\":%lld,\"tid\":%lld", pid > 0 ? pid : 1, tid > 0 ? tid : 1);
	o->first = false;
}

/* All of the ipclab event's own fields, as the event's args. */
static void put_args(struct out *o, json_object *ev)
{
	bool first = true;

	fputs(",\"args\":{", o->f);
	json_object_object_foreach(ev, k, v) {
		const char *text;
		size_t len;

		if (!strcmp(k, "t") || !strcmp(k, "dur") || !strcmp(k, "pid") || !strcmp(k, "tid"))
			continue;
		if (!first)
			putc_unlocked(',', o->f);
		first = false;
		put_string(o->f, k);
		putc_unlocked(':', o->f);
		if (json_object_is_type(v, json_type_string)) {
			put_string_len(o->f, json_object_get_string(v),
				       json_object_get_string_len(v));
			continue;
		}
		text = json_object_to_json_string_length(v, JSON_C_TO_STRING_PLAIN |
							 JSON_C_TO_STRING_NOSLASHESCAPE, &len);
		if (!text) {
			o->err = -ENOMEM;
			return;
		}
		fwrite_unlocked(text, 1, len, o->f);
	}
	putc_unlocked('}', o->f);
}

static void name_meta(struct out *o, const char *what, long long pid, const char *name)
{
	begin(o, "M", what, NULL, 0, pid, pid);
	fputs(",\"args\":{\"name\":", o->f);
	put_string(o->f, name);
	fputs("}}", o->f);
}

/* A process's track names, as its entry in processes comes by. */
static void metadata(struct out *o, json_object *p)
{
	char name[96];

	snprintf(name, sizeof(name), "%s (%lld)", chrome_str(p, "comm"), chrome_num(p, "pid"));
	name_meta(o, "process_name", chrome_num(p, "pid"), name);
	name_meta(o, "thread_name", chrome_num(p, "pid"), chrome_str(p, "comm"));
}

static void span_name(json_object *ev, const char *type, char *buf, size_t n)
{
	if (!strcmp(type, "block"))
		snprintf(buf, n, "blocked in %s", chrome_get(ev, "syscall") ? chrome_str(ev, "syscall") : "kernel");
	else
		snprintf(buf, n, "%s", chrome_str(ev, "name"));
}

/* An instant's name, as its mechanism gives it (a fault's kind and page); false: none does. */
static bool mech_instant_name(json_object *ev, const char *type, char *name, size_t n)
{
	for (size_t i = 0; i < n_mechanisms; i++) {
		const struct mech_trace_ops *t = mechanisms[i]->trace;

		if (t && t->chrome_instant_name && t->chrome_instant_name(ev, type, name, n))
			return true;
	}
	return false;
}

static void instant(struct out *o, json_object *ev, const char *type)
{
	char name[96];

	if (mech_instant_name(ev, type, name, sizeof(name)))
		;
	else
		snprintf(name, sizeof(name), "%s", type);
	begin(o, "i", name, type, chrome_num(ev, "t"), chrome_num(ev, "pid"), chrome_num(ev, "tid"));
	fputs(",\"s\":\"t\"", o->f);
	put_args(o, ev);
	putc_unlocked('}', o->f);
}

/* A set of small non-negative integers (object ids, pids), a bit each. */
struct bits {
	unsigned char *b;
	size_t bytes;
};

static bool bits_has(const struct bits *s, long long i)
{
	return i >= 0 && (size_t)i / 8 < s->bytes && (s->b[i / 8] >> (i % 8) & 1);
}

static int bits_add(struct bits *s, size_t i)
{
	if (i / 8 >= s->bytes) {
		size_t n = s->bytes ? 2 * s->bytes : 64;
		unsigned char *b;

		while (i / 8 >= n)
			n *= 2;
		b = realloc(s->b, n);
		if (!b)
			return -ENOMEM;
		memset(b + s->bytes, 0, n - s->bytes);
		s->b = b;
		s->bytes = n;
	}
	s->b[i / 8] |= 1u << (i % 8);
	return 0;
}

/*
 * Copies: bytes leave a queue (a pipe, a stream socket) in the order they entered it, so a
 * read's byte range is matched against the writes' ranges (writes by start, reads by end time).  With several
 * writers blocked at once the kernel's real interleaving may differ: the arrows are then
 * approximate; the byte counts are not.
 *
 * Each queue keeps its own list of writes not read yet, oldest first: a read looks only at
 * the writes it overlaps and drops those it used up, so the work is linear in the events
 * even when a queue keeps unread bytes for the whole trace (one list shared by all queues
 * was rescanned from its oldest unread write at every read: quadratic).  A trace whose
 * reads never come (lost events) cannot make the queues grow past PENDING_MAX writes in
 * all: the oldest write of the queue written to is then forgotten (no arrow for it).
 */
#define PENDING_MAX (1u << 20)

struct pending_write {
	long long from, to, t, pid, tid;
};

struct queue_flow {
	long long obj;			/* -1: a free slot of the table */
	long long written, read;	/* bytes through the queue so far */
	struct pending_write *q;	/* circular: q[(head + i) % cap], i < n */
	size_t head, n, cap;
};

struct copies {
	struct queue_flow *queues;	/* open addressing by obj, size a power of two */
	size_t nqueues, size;
	size_t pending;			/* writes queued in all queues */
	long long nobj;			/* objects in the trace: obj must be below */
	long long next_id;	/* flow ids: the wake-ups' too, so that the two never collide */
	struct bits whole;	/* objects a read takes one whole write of (datagram queues) */
};

static bool whole_reads(const struct copies *c, long long obj)
{
	return bits_has(&c->whole, obj);
}

static struct queue_flow *slot_of(struct queue_flow *t, size_t size, long long obj)
{
	size_t i = (size_t)obj * 0x9E3779B97F4A7C15ull & (size - 1);

	while (t[i].obj >= 0 && t[i].obj != obj)
		i = (i + 1) & (size - 1);
	return &t[i];
}

static int grow_table(struct copies *c)
{
	size_t size = c->size ? 2 * c->size : 64;
	struct queue_flow *t = malloc(size * sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < size; i++)
		t[i].obj = -1;
	for (size_t i = 0; i < c->size; i++)
		if (c->queues[i].obj >= 0)
			*slot_of(t, size, c->queues[i].obj) = c->queues[i];
	free(c->queues);
	c->queues = t;
	c->size = size;
	return 0;
}

/* The queue's state, made on first use; NULL when out of memory. */
static struct queue_flow *queue_of(struct copies *c, long long obj)
{
	struct queue_flow *p;

	if (2 * (c->nqueues + 1) > c->size && grow_table(c))
		return NULL;
	p = slot_of(c->queues, c->size, obj);
	if (p->obj < 0) {
		*p = (struct queue_flow){ .obj = obj };
		c->nqueues++;
	}
	return p;
}

static struct pending_write *queued(struct queue_flow *p, size_t i)
{
	return &p->q[(p->head + i) % p->cap];
}

static void drop_oldest(struct copies *c, struct queue_flow *p)
{
	p->head = (p->head + 1) % p->cap;
	p->n--;
	c->pending--;
}

static int push_write(struct copies *c, struct queue_flow *p, struct pending_write w)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		struct pending_write *q = malloc(cap * sizeof(*q));

		if (!q)
			return -ENOMEM;
		for (size_t i = 0; i < p->n; i++)
			q[i] = *queued(p, i);
		free(p->q);
		p->q = q;
		p->cap = cap;
		p->head = 0;
	}
	p->q[(p->head + p->n) % p->cap] = w;
	p->n++;
	c->pending++;
	return 0;
}

/* Byte positions in a queue's stream: a crafted trace can make them add past LLONG_MAX
 * (each event's bytes are bounded, not their sum); they stop there instead. */
static long long stream_add(long long pos, long long bytes)
{
	long long sum;

	return __builtin_add_overflow(pos, bytes, &sum) ? LLONG_MAX : sum;
}

static int copy_write(struct copies *c, json_object *ev, long long obj, long long bytes)
{
	struct queue_flow *p;
	struct pending_write w;

	if (bytes <= 0 || obj < 0 || obj >= c->nobj)
		return 0;
	p = queue_of(c, obj);
	if (!p)
		return -ENOMEM;
	w = (struct pending_write){ p->written, stream_add(p->written, bytes), chrome_num(ev, "t"),
				    chrome_num(ev, "pid"), chrome_num(ev, "tid") };
	p->written = w.to;
	if (c->pending >= PENDING_MAX) {
		if (!p->n)
			return 0;
		drop_oldest(c, p);
	}
	return push_write(c, p, w);
}

static int copy_read(struct out *o, struct copies *c, json_object *ev, long long obj,
		     long long bytes)
{
	long long from, to;
	struct queue_flow *p;

	if (bytes <= 0 || obj < 0 || obj >= c->nobj)
		return 0;
	p = queue_of(c, obj);
	if (!p)
		return -ENOMEM;
	from = p->read;
	to = stream_add(from, bytes);
	if (whole_reads(c, obj))	/* the next message, whole; the reader got its start */
		to = p->n ? queued(p, 0)->to : from;
	p->read = to;
	for (size_t i = 0; i < p->n; i++) {
		struct pending_write *w = queued(p, i);

		if (w->from >= to)
			break;		/* the queue is in stream order */
		if (w->to <= from)
			continue;
		begin(o, "s", "copy", "copy", w->t, w->pid, w->tid);
		fprintf(o->f, ",\"id\":%lld}", ++c->next_id);
		begin(o, "f", "copy", "copy", chrome_num(ev, "t"), chrome_num(ev, "pid"), chrome_num(ev, "tid"));
		fprintf(o->f, ",\"id\":%lld,\"bp\":\"e\"}", c->next_id);
	}
	while (p->n && queued(p, 0)->to <= p->read)
		drop_oldest(c, p);
	return 0;
}

static void copies_free(struct copies *c)
{
	for (size_t i = 0; i < c->size; i++)
		if (c->queues[i].obj >= 0)
			free(c->queues[i].q);
	free(c->queues);
	free(c->whole.b);
}

/* ------------------------------------------------------------------ the visitor */

struct chrome {
	struct out o;
	struct copies c;
	size_t nobjects;	/* seen so far: the next one's id */
	struct bits traced;	/* pids of processes[]: those with a track of their own */
};

/* ------------------------------------------------------------------ wake-ups */

/*
 * A block event names the task that woke the sleeper (waker) and when (wake_t): when the
 * waker is a traced process, an arrow goes from its track at wake_t (inside the syscall it
 * was in, if any) to the sleeper's track where the sleep ends (t + dur).  A waker outside
 * the traced tree has no track to start from, and none is made for it; a sleep ended from
 * interrupt context (waker null) or whose wake-up was not seen (wake_t null) has no arrow.
 * Only the pids are kept, a bit each: every Linux pid is below PID_MAX_LIMIT (2^22 on
 * 64-bit), so the set stays within 512 KiB whatever the trace (a larger pid gets no arrow).
 */
#define PID_LIMIT (1 << 22)

static int note_traced(struct chrome *x, json_object *p)
{
	long long pid = chrome_num(p, "pid");

	return pid > 0 && pid < PID_LIMIT ? bits_add(&x->traced, (size_t)pid) : 0;
}

/* A string field as an arg, when it is one (a null syscall is not known: left out). */
static void put_known(FILE *f, const char *key, json_object *v)
{
	if (!json_object_is_type(v, json_type_string))
		return;
	fprintf(f, ",\"%s\":", key);
	put_string_len(f, json_object_get_string(v), json_object_get_string_len(v));
}

/* Who woke whom, in what calls: both ends carry it (chrome://tracing shows either). */
static void wake_args(struct out *o, json_object *ev, json_object *waker)
{
	fprintf(o->f, ",\"args\":{\"waker_pid\":%lld,\"waker_tid\":%lld",
		chrome_num(waker, "pid"), chrome_num(waker, "tid"));
	put_known(o->f, "waker_comm", chrome_get(waker, "comm"));
	put_known(o->f, "waker_syscall", chrome_get(waker, "syscall"));
	put_known(o->f, "sleeper_syscall", chrome_get(ev, "syscall"));
	fputs("}}", o->f);
}

static void wake_flow(struct chrome *x, json_object *ev)
{
	json_object *waker = chrome_get(ev, "waker"), *wake_t = chrome_get(ev, "wake_t");
	long long t = chrome_num(ev, "t"), end = t + chrome_num(ev, "dur"), wake, pid, tid;
	struct out *o = &x->o;

	if (!json_object_is_type(waker, json_type_object) ||
	    !json_object_is_type(wake_t, json_type_int))
		return;		/* woken from interrupt context, or the wake-up was not seen */
	wake = json_object_get_int64(wake_t);
	if (wake < t || wake > end)
		return;		/* not within its sleep (a crafted trace): nowhere to draw it */
	pid = chrome_num(waker, "pid");
	tid = chrome_num(waker, "tid");
	if (!bits_has(&x->traced, pid) || tid <= 0)
		return;		/* not a traced process: no track to start from */
	begin(o, "s", "wake-up", "wake", wake, pid, tid);
	fprintf(o->f, ",\"id\":%lld", ++x->c.next_id);
	wake_args(o, ev, waker);
	begin(o, "f", "wake-up", "wake", end, chrome_num(ev, "pid"), chrome_num(ev, "tid"));
	fprintf(o->f, ",\"id\":%lld,\"bp\":\"e\"", x->c.next_id);
	wake_args(o, ev, waker);
}

static int on_meta(void *ctx, json_object *meta)
{
	static const char *const keys[] = { "tool", "kernel", "tier", "scenario", "command" };
	struct chrome *x = ctx;

	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{", x->o.f);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		fprintf(x->o.f, "%s\"%s\":", i ? "," : "", keys[i]);
		put_string(x->o.f, chrome_str(meta, keys[i]));
	}
	fputs("},\"traceEvents\":[", x->o.f);
	return 0;
}

static int on_process(void *ctx, json_object *p)
{
	struct chrome *x = ctx;

	metadata(&x->o, p);
	return note_traced(x, p);
}

/* Objects whose queue is read a message at a time, as their mechanism says. */
static int on_object(void *ctx, json_object *obj)
{
	struct chrome *x = ctx;
	size_t id = x->nobjects++;

	for (size_t i = 0; i < n_mechanisms; i++) {
		const struct mech_trace_ops *t = mechanisms[i]->trace;

		if (t && t->chrome_whole_reads && t->chrome_whole_reads(obj))
			return bits_add(&x->c.whole, id);
	}
	return 0;
}

static int on_events_begin(void *ctx, const struct trace_header *h)
{
	struct chrome *x = ctx;

	name_meta(&x->o, "process_name", KERNEL_PID, "kernel buffers");
	x->c.nobj = (long long)h->nobjects;
	return 0;
}

/*
 * 0, or why the output failed: a write error is retried once by fflush() so that errno
 * names it (a full disk is ENOSPC, not "I/O error").
 */
static int out_status(struct out *o)
{
	if (o->err || !ferror(o->f))
		return o->err;
	clearerr(o->f);
	o->err = fflush(o->f) ? -errno : -EIO;
	return o->err;
}

/* A span a mechanism describes (chrome_span): the slice, its queue's counter, the copies. */
static void mech_counter(struct out *o, const struct chrome_span *s, long long t,
			 const long long v[2])
{
	char name[64];

	snprintf(name, sizeof(name), "%s %lld", s->track, s->queue);
	begin(o, "C", name, s->cat, t, KERNEL_PID, KERNEL_PID);
	fputs(",\"args\":{", o->f);
	put_string(o->f, s->keys[0]);
	fprintf(o->f, ":%lld,", v[0]);
	put_string(o->f, s->keys[1]);
	fprintf(o->f, ":%lld}}", v[1]);
}

static void mech_span(struct chrome *x, json_object *ev, const struct chrome_span *s)
{
	struct out *o = &x->o;
	long long t = chrome_num(ev, "t"), end = t + chrome_num(ev, "dur");

	begin(o, "X", s->name, s->cat, t, chrome_num(ev, "pid"), chrome_num(ev, "tid"));
	put_us(o->f, "dur", chrome_num(ev, "dur"));
	put_args(o, ev);
	putc_unlocked('}', o->f);
	if (o->err)
		return;
	if (s->track) {
		mech_counter(o, s, t, s->before);
		mech_counter(o, s, end, s->after);
	}
	/* no queue (< 0) or no bytes: the copies ignore it */
	if (s->into)
		o->err = copy_write(&x->c, ev, s->queue, s->bytes);
	else
		o->err = copy_read(o, &x->c, ev, s->queue, s->bytes);
}

/* A mechanism's event: true when one described it (and it was drawn). */
static bool mech_event(struct chrome *x, json_object *ev, const char *type)
{
	for (size_t i = 0; i < n_mechanisms; i++) {
		const struct mech_trace_ops *t = mechanisms[i]->trace;
		struct chrome_span s = { .queue = -1 };

		if (t && t->chrome_span && t->chrome_span(ev, type, &s)) {
			mech_span(x, ev, &s);
			return true;
		}
	}
	return false;
}

static int on_event(void *ctx, json_object *ev, size_t index)
{
	struct chrome *x = ctx;
	struct out *o = &x->o;
	const char *type = chrome_str(ev, "type");
	char name[96];

	if (mech_event(x, ev, type))
		return out_status(o);
	if (!chrome_get(ev, "dur")) {
		instant(o, ev, type);
		return out_status(o);
	}
	span_name(ev, type, name, sizeof(name));
	begin(o, "X", name, type, chrome_num(ev, "t"), chrome_num(ev, "pid"), chrome_num(ev, "tid"));
	put_us(o->f, "dur", chrome_num(ev, "dur"));
	put_args(o, ev);
	putc_unlocked('}', o->f);
	if (!strcmp(type, "block") && !o->err)
		wake_flow(x, ev);
	return out_status(o);
}

static int on_end(void *ctx, size_t nevents)
{
	struct chrome *x = ctx;

	fputs("\n]}\n", x->o.f);
	return out_status(&x->o);
}

int export_chrome(const char *trace, FILE *f, char *err, size_t errlen)
{
	struct chrome x = { .o = { .f = f, .first = true } };
	const struct trace_visitor v = {
		.meta = on_meta, .process = on_process, .object = on_object,
		.events_begin = on_events_begin,
		.event = on_event, .end = on_end, .ctx = &x,
	};
	int ret = trace_read(trace, &v, 0, err, errlen);

	copies_free(&x.c);
	free(x.traced.b);
	return ret;
}
