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
#include "chrome.h"

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

static void metadata(struct out *o, json_object *trace)
{
	json_object *procs = get(trace, "processes"), *e, *a;
	char name[96];

	for (size_t i = 0; i < json_object_array_length(procs); i++) {
		json_object *p = json_object_array_get_idx(procs, i);

		snprintf(name, sizeof(name), "%s (%lld)", str(p, "comm"), num(p, "pid"));
		e = base("M", "process_name", NULL, 0, num(p, "pid"), num(p, "pid"));
		a = json_object_new_object();
		add(a, "name", json_object_new_string(name));
		add(e, "args", a);
		emit(o, e);
		e = base("M", "thread_name", NULL, 0, num(p, "pid"), num(p, "pid"));
		a = json_object_new_object();
		add(a, "name", json_object_new_string(str(p, "comm")));
		add(e, "args", a);
		emit(o, e);
	}
	e = base("M", "process_name", NULL, 0, KERNEL_PID, KERNEL_PID);
	a = json_object_new_object();
	add(a, "name", json_object_new_string("kernel buffers"));
	add(e, "args", a);
	emit(o, e);
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
 */
struct pending_write {
	long long obj, from, to, t, pid, tid;
};

struct copies {
	struct pending_write *w;
	size_t n, cap, head;
	long long *written, *read;	/* per object */
	size_t nobj;
	long long next_id;
};

/* Byte positions in a pipe's stream: a crafted trace can make them add past LLONG_MAX
 * (each event's bytes are bounded, not their sum); they stop there instead. */
static long long stream_add(long long pos, long long bytes)
{
	long long sum;

	return __builtin_add_overflow(pos, bytes, &sum) ? LLONG_MAX : sum;
}

static void copy_write(struct copies *c, json_object *ev)
{
	long long obj = num(ev, "obj"), bytes = num(ev, "bytes");

	if (bytes <= 0 || obj < 0 || (size_t)obj >= c->nobj)
		return;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		struct pending_write *w = realloc(c->w, cap * sizeof(*w));

		if (!w)
			return;
		c->w = w;
		c->cap = cap;
	}
	c->w[c->n++] = (struct pending_write){ obj, c->written[obj],
					       stream_add(c->written[obj], bytes),
					       num(ev, "t"), num(ev, "pid"), num(ev, "tid") };
	c->written[obj] = stream_add(c->written[obj], bytes);
}

static void copy_read(struct out *o, struct copies *c, json_object *ev)
{
	long long obj = num(ev, "obj"), bytes = num(ev, "bytes"), from, to;

	if (bytes <= 0 || obj < 0 || (size_t)obj >= c->nobj)
		return;
	from = c->read[obj];
	to = stream_add(from, bytes);
	c->read[obj] = to;
	for (size_t i = c->head; i < c->n; i++) {
		struct pending_write *w = &c->w[i];
		json_object *s, *f;

		if (w->obj != obj || w->to <= from || w->from >= to)
			continue;
		s = base("s", "copy", "copy", w->t, w->pid, w->tid);
		add(s, "id", json_object_new_int64(++c->next_id));
		emit(o, s);
		f = base("f", "copy", "copy", num(ev, "t"), num(ev, "pid"), num(ev, "tid"));
		add(f, "id", json_object_new_int64(c->next_id));
		add(f, "bp", json_object_new_string("e"));
		emit(o, f);
	}
	while (c->head < c->n && c->read[c->w[c->head].obj] >= c->w[c->head].to)
		c->head++;
}

static void events(struct out *o, json_object *trace, struct copies *c)
{
	json_object *evs = get(trace, "events");
	size_t n = json_object_array_length(evs);

	for (size_t i = 0; i < n; i++) {
		json_object *ev = json_object_array_get_idx(evs, i), *x;
		const char *type = str(ev, "type");
		char name[96];

		if (!get(ev, "dur")) {
			instant(o, ev, type);
			continue;
		}
		span_name(ev, type, name, sizeof(name));
		x = base("X", name, !strncmp(type, "pipe_", 5) ? "pipe" : type, num(ev, "t"),
			 num(ev, "pid"), num(ev, "tid"));
		add(x, "dur", json_object_new_double(num(ev, "dur") / 1000.0));
		add(x, "args", args_of(ev));
		emit(o, x);
		if (!strncmp(type, "pipe_", 5) && get(ev, "obj")) {
			counter(o, ev, num(ev, "t"), "before");
			counter(o, ev, num(ev, "t") + num(ev, "dur"), "after");
			if (!strcmp(type, "pipe_write"))
				copy_write(c, ev);
			else if (strcmp(str(ev, "syscall"), "tee"))	/* tee leaves its bytes */
				copy_read(o, c, ev);
		}
	}
}

int export_chrome(json_object *trace, FILE *f)
{
	struct out o = { .f = f, .first = true };
	struct copies c = { 0 };
	json_object *meta = get(trace, "meta"), *m;

	c.nobj = json_object_array_length(get(trace, "objects"));
	c.written = calloc(c.nobj + 1, sizeof(long long));
	c.read = calloc(c.nobj + 1, sizeof(long long));
	if (!c.written || !c.read) {
		free(c.written);
		free(c.read);
		return -1;
	}
	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":", f);
	m = json_object_new_object();
	add(m, "tool", json_object_new_string(str(meta, "tool")));
	add(m, "kernel", json_object_new_string(str(meta, "kernel")));
	add(m, "tier", json_object_new_string(str(meta, "tier")));
	add(m, "scenario", json_object_new_string(str(meta, "scenario")));
	add(m, "command", json_object_new_string(str(meta, "command")));
	fputs(json_object_to_json_string_ext(m, JSON_C_TO_STRING_PLAIN), f);
	json_object_put(m);
	fputs(",\"traceEvents\":[", f);
	metadata(&o, trace);
	events(&o, trace, &c);
	fputs("\n]}\n", f);
	free(c.w);
	free(c.written);
	free(c.read);
	return ferror(f) ? -1 : 0;
}
