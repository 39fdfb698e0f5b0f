// SPDX-License-Identifier: GPL-2.0
/*
 * chrome.c - `ipclab export --chrome`: an ipclab trace as Chrome Trace Event Format JSON,
 * which the Perfetto UI, chrome://tracing and speedscope open.
 *
 *   syscalls, pipe reads/writes, sleeps   complete events ("X") on the thread's track
 *   pipe occupancy                         counters ("C") on a "kernel buffers" process
 *   bytes moving writer -> reader          flow events ("s" -> "f")
 *   faults, signals, page cache, lifetime  instant events ("i")
 *   process and thread names               metadata ("M")
 * Times are microseconds (fractions keep the nanoseconds).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "chrome.h"
#include "trace_read.h"

#define KERNEL_PID 2147483646	/* a pseudo-process for kernel-side tracks (pid >= 1) */

#define add(o, k, v) json_object_object_add(o, k, v)

struct out {
	FILE *f;
	bool first;
};

static void emit(struct out *o, json_object *ev)
{
	fputs(o->first ? "\n" : ",\n", o->f);
	fputs(json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN |
					     JSON_C_TO_STRING_NOSLASHESCAPE), o->f);
	o->first = false;
	json_object_put(ev);
}

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

static long long num(json_object *o, const char *k)
{
	return json_object_get_int64(get(o, k));
}

static const char *str(json_object *o, const char *k)
{
	json_object *v = get(o, k);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

/* A trace event skeleton: ph, name, cat, ts (µs), pid, tid. */
static json_object *base(const char *ph, const char *name, const char *cat, long long t_ns,
			 long long pid, long long tid)
{
	json_object *e = json_object_new_object();

	add(e, "ph", json_object_new_string(ph));
	add(e, "name", json_object_new_string(name));
	if (cat)
		add(e, "cat", json_object_new_string(cat));
	add(e, "ts", json_object_new_double(t_ns / 1000.0));
	add(e, "pid", json_object_new_int64(pid > 0 ? pid : 1));
	add(e, "tid", json_object_new_int64(tid > 0 ? tid : 1));
	return e;
}

/* All of the ipclab event's own fields, as the event's args. */
static json_object *args_of(json_object *ev)
{
	json_object *a = json_object_new_object();

	json_object_object_foreach(ev, k, v) {
		if (!strcmp(k, "t") || !strcmp(k, "dur") || !strcmp(k, "pid") || !strcmp(k, "tid"))
			continue;
		add(a, k, json_object_get(v));
	}
	return a;
}

static void name_meta(struct out *o, const char *what, long long pid, const char *name)
{
	json_object *e = base("M", what, NULL, 0, pid, pid), *a = json_object_new_object();

	add(a, "name", json_object_new_string(name));
	add(e, "args", a);
	emit(o, e);
}

/* A process's track names, as its entry in processes comes by. */
static void metadata(struct out *o, json_object *p)
{
	char name[96];

	snprintf(name, sizeof(name), "%s (%lld)", str(p, "comm"), num(p, "pid"));
	name_meta(o, "process_name", num(p, "pid"), name);
	name_meta(o, "thread_name", num(p, "pid"), str(p, "comm"));
}

static void span_name(json_object *ev, const char *type, char *buf, size_t n)
{
	if (!strcmp(type, "pipe_read") || !strcmp(type, "pipe_write")) {
		if (get(ev, "error"))
			snprintf(buf, n, "%s -%s", type + 5, str(ev, "error"));
		else
			snprintf(buf, n, "%s %lld B", type + 5, num(ev, "bytes"));
	} else if (!strcmp(type, "block")) {
		snprintf(buf, n, "blocked in %s", get(ev, "syscall") ? str(ev, "syscall") : "kernel");
	} else {
		snprintf(buf, n, "%s", str(ev, "name"));
	}
}

static void counter(struct out *o, json_object *ev, long long t, const char *which)
{
	char name[48];
	json_object *c, *a = json_object_new_object();
	char key_b[16], key_s[16];

	snprintf(key_b, sizeof(key_b), "occ_%s", which);
	snprintf(key_s, sizeof(key_s), "slots_%s", which);
	snprintf(name, sizeof(name), "pipe %lld", num(ev, "obj"));
	c = base("C", name, "pipe", t, KERNEL_PID, KERNEL_PID);
	add(a, "bytes", json_object_new_int64(num(ev, key_b)));
	add(a, "slots", json_object_new_int64(num(ev, key_s)));
	add(c, "args", a);
	emit(o, c);
}

static void instant(struct out *o, json_object *ev, const char *type)
{
	char name[96];
	json_object *e;

	if (!strcmp(type, "fault"))
		snprintf(name, sizeof(name), "fault %s%s%lld", str(ev, "kind"),
			 get(ev, "page") ? " p" : "", get(ev, "page") ? num(ev, "page") : 0LL);
	else if (!strcmp(type, "signal"))
		snprintf(name, sizeof(name), "%s (%s)", str(ev, "signal"), str(ev, "result"));
	else
		snprintf(name, sizeof(name), "%s", type);
	e = base("i", name, type, num(ev, "t"), num(ev, "pid"), num(ev, "tid"));
	add(e, "s", json_object_new_string("t"));
	add(e, "args", args_of(ev));
	emit(o, e);
}

/*
 * Copies: bytes leave the pipe in the order they entered it, so a read's byte range is
 * matched against the writes' ranges (writes by start, reads by end time).  With several
 * writers blocked at once the kernel's real interleaving may differ: the arrows are then
 * approximate; the byte counts are not.
 *
 * Each pipe keeps its own queue of writes not read yet, oldest first: a read looks only at
 * the writes it overlaps and drops those it used up, so the work is linear in the events
 * even when a pipe keeps unread bytes for the whole trace (one queue shared by all pipes
 * was rescanned from its oldest unread write at every read: quadratic).  A trace whose
 * reads never come (lost events) cannot make the queues grow past PENDING_MAX writes in
 * all: the oldest write of the pipe written to is then forgotten (no arrow for it).
 */
#define PENDING_MAX (1u << 20)

struct pending_write {
	long long from, to, t, pid, tid;
};

struct pipe_flow {
	long long obj;			/* -1: a free slot of the table */
	long long written, read;	/* bytes through the pipe so far */
	struct pending_write *q;	/* circular: q[(head + i) % cap], i < n */
	size_t head, n, cap;
};

struct copies {
	struct pipe_flow *pipes;	/* open addressing by obj, size a power of two */
	size_t npipes, size;
	size_t pending;			/* writes queued in all pipes */
	long long nobj;			/* objects in the trace: obj must be below */
	long long next_id;
};

static struct pipe_flow *slot_of(struct pipe_flow *t, size_t size, long long obj)
{
	size_t i = (size_t)obj * 0x9E3779B97F4A7C15ull & (size - 1);

	while (t[i].obj >= 0 && t[i].obj != obj)
		i = (i + 1) & (size - 1);
	return &t[i];
}

static int grow_table(struct copies *c)
{
	size_t size = c->size ? 2 * c->size : 64;
	struct pipe_flow *t = malloc(size * sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < size; i++)
		t[i].obj = -1;
	for (size_t i = 0; i < c->size; i++)
		if (c->pipes[i].obj >= 0)
			*slot_of(t, size, c->pipes[i].obj) = c->pipes[i];
	free(c->pipes);
	c->pipes = t;
	c->size = size;
	return 0;
}

/* The pipe's state, made on first use; NULL when out of memory. */
static struct pipe_flow *pipe_of(struct copies *c, long long obj)
{
	struct pipe_flow *p;

	if (2 * (c->npipes + 1) > c->size && grow_table(c))
		return NULL;
	p = slot_of(c->pipes, c->size, obj);
	if (p->obj < 0) {
		*p = (struct pipe_flow){ .obj = obj };
		c->npipes++;
	}
	return p;
}

static struct pending_write *queued(struct pipe_flow *p, size_t i)
{
	return &p->q[(p->head + i) % p->cap];
}

static void drop_oldest(struct copies *c, struct pipe_flow *p)
{
	p->head = (p->head + 1) % p->cap;
	p->n--;
	c->pending--;
}

static int push_write(struct copies *c, struct pipe_flow *p, struct pending_write w)
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

/* Byte positions in a pipe's stream: a crafted trace can make them add past LLONG_MAX
 * (each event's bytes are bounded, not their sum); they stop there instead. */
static long long stream_add(long long pos, long long bytes)
{
	long long sum;

	return __builtin_add_overflow(pos, bytes, &sum) ? LLONG_MAX : sum;
}

static int copy_write(struct copies *c, json_object *ev)
{
	long long obj = num(ev, "obj"), bytes = num(ev, "bytes");
	struct pipe_flow *p;
	struct pending_write w;

	if (bytes <= 0 || obj < 0 || obj >= c->nobj)
		return 0;
	p = pipe_of(c, obj);
	if (!p)
		return -ENOMEM;
	w = (struct pending_write){ p->written, stream_add(p->written, bytes), num(ev, "t"),
				    num(ev, "pid"), num(ev, "tid") };
	p->written = w.to;
	if (c->pending >= PENDING_MAX) {
		if (!p->n)
			return 0;
		drop_oldest(c, p);
	}
	return push_write(c, p, w);
}

static int copy_read(struct out *o, struct copies *c, json_object *ev)
{
	long long obj = num(ev, "obj"), bytes = num(ev, "bytes"), from, to;
	struct pipe_flow *p;

	if (bytes <= 0 || obj < 0 || obj >= c->nobj)
		return 0;
	p = pipe_of(c, obj);
	if (!p)
		return -ENOMEM;
	from = p->read;
	to = stream_add(from, bytes);
	p->read = to;
	for (size_t i = 0; i < p->n; i++) {
		struct pending_write *w = queued(p, i);
		json_object *s, *f;

		if (w->from >= to)
			break;		/* the queue is in stream order */
		if (w->to <= from)
			continue;
		s = base("s", "copy", "copy", w->t, w->pid, w->tid);
		add(s, "id", json_object_new_int64(++c->next_id));
		emit(o, s);
		f = base("f", "copy", "copy", num(ev, "t"), num(ev, "pid"), num(ev, "tid"));
		add(f, "id", json_object_new_int64(c->next_id));
		add(f, "bp", json_object_new_string("e"));
		emit(o, f);
	}
	while (p->n && queued(p, 0)->to <= p->read)
		drop_oldest(c, p);
	return 0;
}

static void copies_free(struct copies *c)
{
	for (size_t i = 0; i < c->size; i++)
		if (c->pipes[i].obj >= 0)
			free(c->pipes[i].q);
	free(c->pipes);
}

/* ------------------------------------------------------------------ the visitor */

struct chrome {
	struct out o;
	struct copies c;
};

static int on_meta(void *ctx, json_object *meta)
{
	struct chrome *x = ctx;
	json_object *m = json_object_new_object();

	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":", x->o.f);
	add(m, "tool", json_object_new_string(str(meta, "tool")));
	add(m, "kernel", json_object_new_string(str(meta, "kernel")));
	add(m, "tier", json_object_new_string(str(meta, "tier")));
	add(m, "scenario", json_object_new_string(str(meta, "scenario")));
	add(m, "command", json_object_new_string(str(meta, "command")));
	fputs(json_object_to_json_string_ext(m, JSON_C_TO_STRING_PLAIN), x->o.f);
	json_object_put(m);
	fputs(",\"traceEvents\":[", x->o.f);
	return 0;
}

static int on_process(void *ctx, json_object *p)
{
	struct chrome *x = ctx;

	metadata(&x->o, p);
	return 0;
}

static int on_events_begin(void *ctx, const struct trace_header *h)
{
	struct chrome *x = ctx;

	name_meta(&x->o, "process_name", KERNEL_PID, "kernel buffers");
	x->c.nobj = (long long)h->nobjects;
	return 0;
}

static int on_event(void *ctx, json_object *ev, size_t index)
{
	struct chrome *x = ctx;
	struct out *o = &x->o;
	const char *type = str(ev, "type");
	char name[96];
	json_object *e;

	if (!get(ev, "dur")) {
		instant(o, ev, type);
		return ferror(o->f) ? -EIO : 0;
	}
	span_name(ev, type, name, sizeof(name));
	e = base("X", name, !strncmp(type, "pipe_", 5) ? "pipe" : type, num(ev, "t"),
		 num(ev, "pid"), num(ev, "tid"));
	add(e, "dur", json_object_new_double(num(ev, "dur") / 1000.0));
	add(e, "args", args_of(ev));
	emit(o, e);
	if (!strncmp(type, "pipe_", 5) && get(ev, "obj")) {
		int ret;

		counter(o, ev, num(ev, "t"), "before");
		counter(o, ev, num(ev, "t") + num(ev, "dur"), "after");
		ret = !strcmp(type, "pipe_write") ? copy_write(&x->c, ev) : copy_read(o, &x->c, ev);
		if (ret)
			return ret;
	}
	return ferror(o->f) ? -EIO : 0;
}

static int on_end(void *ctx, size_t nevents)
{
	struct chrome *x = ctx;

	fputs("\n]}\n", x->o.f);
	return ferror(x->o.f) ? -EIO : 0;
}

int export_chrome(const char *trace, FILE *f, char *err, size_t errlen)
{
	struct chrome x = { .o = { .f = f, .first = true } };
	const struct trace_visitor v = {
		.meta = on_meta, .process = on_process, .events_begin = on_events_begin,
		.event = on_event, .end = on_end, .ctx = &x,
	};
	int ret = trace_read(trace, &v, 0, err, errlen);

	copies_free(&x.c);
	return ret;
}
