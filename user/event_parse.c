// SPDX-License-Identifier: GPL-2.0
/*
 * event_parse.c - a trace event's JSON back into a record and a timeline event: the inverse
 * of event_print.c, key for key.  The core reads what it prints itself (times, syscalls,
 * blocking, fork/exec/exit/rename); each mechanism reads what its printers wrote
 * (mech_trace_ops' *_from_json hooks).  What the JSON does not carry (kernel addresses) is
 * rebuilt from the object ids (obj_kptr()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event_parse.h"
#include "mechanism.h"
#include "names.h"

static json_object *get(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) ? v : NULL;
}

long long jp_num(json_object *o, const char *k, long long def)
{
	json_object *v = get(o, k);

	return v && json_object_is_type(v, json_type_int) ? (long long)json_object_get_int64(v) :
	       def;
}

bool jp_bool(json_object *o, const char *k)
{
	json_object *v = get(o, k);

	return v && json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

const char *jp_str(json_object *o, const char *k)
{
	json_object *v = get(o, k);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

bool jp_has(json_object *o, const char *k)
{
	return get(o, k) != NULL;	/* json-c stores null as NULL */
}

int jp_obj(json_object *o, const char *k)
{
	return (int)jp_num(o, k, -1);
}

void jp_text(json_object *o, const char *k, char *dst, size_t n)
{
	snprintf(dst, n, "%s", jp_str(o, k));
}

int syscall_nr_of(const char *name)
{
	int nr;

	if (sscanf(name, "syscall_%d", &nr) == 1)
		return nr;
	return syscall_number(name);
}

int jp_syscall(json_object *o, const char *k)
{
	return jp_has(o, k) ? syscall_nr_of(jp_str(o, k)) : -1;
}

static json_object *array(json_object *o, const char *k)
{
	json_object *a = get(o, k);

	return a && json_object_is_type(a, json_type_array) ? a : NULL;
}

size_t jp_len(json_object *o, const char *k)
{
	json_object *a = array(o, k);

	return a ? json_object_array_length(a) : 0;
}

static long long num_at(json_object *a, size_t i)
{
	json_object *v = json_object_array_get_idx(a, i);

	return v && json_object_is_type(v, json_type_int) ? (long long)json_object_get_int64(v) :
	       0;
}

const char *jp_str_at(json_object *o, const char *k, size_t i)
{
	json_object *a = array(o, k), *v = a && i < json_object_array_length(a) ?
					  json_object_array_get_idx(a, i) : NULL;

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

void jp_fds(json_object *o, const char *k, __s32 fds[2])
{
	json_object *a = array(o, k);

	if (!a || json_object_array_length(a) != 2)
		return;
	fds[0] = (__s32)num_at(a, 0);
	fds[1] = (__s32)num_at(a, 1);
}

/* Hex pairs into at most n bytes; how many. */
static size_t unhex(const char *s, __u8 *dst, size_t n)
{
	size_t i = 0;
	unsigned int b;

	for (; i < n && s[2 * i] && sscanf(s + 2 * i, "%2x", &b) == 1; i++)
		dst[i] = (__u8)b;
	return i;
}

/* One sample: its exact bytes when the printer gave them in hex, else the text. */
static size_t sample(json_object *o, const char *k, const char *k_hex, __u8 *dst)
{
	const char *s = jp_str(o, k);
	size_t n = strlen(s);

	if (jp_has(o, k_hex))
		return unhex(jp_str(o, k_hex), dst, IPCLAB_DATA_LEN);
	n = n < IPCLAB_DATA_LEN ? n : IPCLAB_DATA_LEN;
	memcpy(dst, s, n);
	return n;
}

__u32 jp_data(json_object *o, __u8 *head, __u8 *tail)
{
	__u32 len = (__u32)sample(o, "data", "data_hex", head);

	sample(o, "data_tail", "data_tail_hex", tail);
	return len;
}

/* ---------------------------------------------------------------- the core's records */

static __u32 stat_mode_of(const char *type)
{
	static const struct { const char *name; __u32 mode; } types[] = {
		{ "fifo", 0010000 }, { "chr", 0020000 }, { "dir", 0040000 },
		{ "blk", 0060000 }, { "file", 0100000 }, { "link", 0120000 },
		{ "sock", 0140000 },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(type, types[i].name))
			return types[i].mode;
	return type[0] ? 1 : 0;	/* "unknown": a mode was returned, of no type ipclab names */
}

static void syscall_args(json_object *ev, __u64 args[6])
{
	json_object *a = array(ev, "args");

	for (size_t i = 0; i < 6 && a && i < json_object_array_length(a); i++)
		args[i] = (__u64)num_at(a, i);
}

static void syscall_parse(const struct timeline *tl, json_object *ev, struct ipclab_event *e,
			  struct tl_event *te)
{
	struct ipclab_syscall *sc = &e->sc;

	e->nr = jp_syscall(ev, "name");
	syscall_args(ev, sc->args);
	sc->ret = jp_num(ev, "ret", 0);
	jp_text(ev, "path", sc->path, sizeof(sc->path));
	/* traces before stat_mode kept the type only */
	sc->stat_mode = (__u32)jp_num(ev, "stat_mode", stat_mode_of(jp_str(ev, "stat_type")));
	sc->stat_size = (__u64)jp_num(ev, "stat_size", 0);
	te->obj = jp_obj(ev, "obj");
	/* every mechanism reads its own keys (syscall_head_json and syscall_json's) */
	for (size_t i = 0; i < n_mechanisms; i++) {
		const struct mech_trace_ops *t = mechanisms[i]->trace;

		if (t && t->syscall_from_json)
			t->syscall_from_json(ev, tl, e, te);
	}
}

static void block_parse(const struct timeline *tl, json_object *ev, struct ipclab_event *e,
			struct tl_event *te)
{
	struct ipclab_block *k = &e->blk;
	json_object *w = get(ev, "waker");

	te->obj = jp_obj(ev, "obj");
	k->pipe = obj_kptr(te->obj);
	k->ts_wake = jp_has(ev, "wake_t") ? tl->t0 + (__u64)jp_num(ev, "wake_t", 0) : 0;
	e->nr = jp_syscall(ev, "syscall");
	k->waker_nr = -1;
	if (!w)
		return;
	k->waker_pid = (__u32)jp_num(w, "pid", 0);
	k->waker_tid = (__u32)jp_num(w, "tid", 0);
	jp_text(w, "comm", k->waker_comm, sizeof(k->waker_comm));
	k->waker_nr = jp_syscall(w, "syscall");
	te->waker_obj = jp_obj(w, "obj");
	k->waker_pipe = obj_kptr(te->waker_obj);
}

static void faults_parse(json_object *ev, struct ipclab_task *t)
{
	t->min_flt = (__u64)jp_num(ev, "min_flt", 0);
	t->maj_flt = (__u64)jp_num(ev, "maj_flt", 0);
}

/* fork, exec, exit, rename: 0, or -EBADMSG when type is none of them */
static int task_parse(json_object *ev, const char *type, struct ipclab_event *e)
{
	struct ipclab_task *t = &e->task;

	if (!strcmp(type, "fork")) {
		e->type = EVT_FORK;
		t->child_pid = (__u32)jp_num(ev, "child_pid", 0);
		t->child_tid = (__u32)jp_num(ev, "child_tid", 0);
		t->ppid = e->pid;
	} else if (!strcmp(type, "exec")) {
		e->type = EVT_EXEC;
		jp_text(ev, "comm", t->comm, sizeof(t->comm));
		jp_text(ev, "filename", t->filename, sizeof(t->filename));
		faults_parse(ev, t);
	} else if (!strcmp(type, "exit")) {
		e->type = EVT_EXIT;
		t->exit_code = (__s32)jp_num(ev, "status", 0);
		faults_parse(ev, t);
		t->nvcsw = (__u64)jp_num(ev, "nvcsw", 0);
		t->nivcsw = (__u64)jp_num(ev, "nivcsw", 0);
		t->syscalls = (__u64)jp_num(ev, "syscalls", 0);
	} else if (!strcmp(type, "rename")) {
		e->type = EVT_RENAME;
		jp_text(ev, "comm", t->comm, sizeof(t->comm));
	} else {
		return -EBADMSG;
	}
	if (jp_bool(ev, "thread"))
		e->flags |= EVF_THREAD;
	return 0;
}

/* A mechanism's event: the one whose event_from_json takes the type.  A type none takes
 * (a newer writer's, "unknown") is skipped, as readers must (docs/trace-format.md), but
 * keeps its place -- evidence indices count it -- as a record of type 0, which no query
 * for a type matches. */
static void mech_parse(const struct timeline *tl, json_object *ev, const char *type,
		       struct ipclab_event *e, struct tl_event *te)
{
	for (size_t i = 0; i < n_mechanisms; i++) {
		const struct mech_trace_ops *t = mechanisms[i]->trace;

		if (t && t->event_from_json && t->event_from_json(ev, type, tl, e, te))
			return;
	}
	e->type = 0;
}

int event_parse(const struct timeline *tl, json_object *ev, struct ipclab_event *e,
		struct tl_event *te)
{
	const char *type = jp_str(ev, "type");

	memset(e, 0, sizeof(*e));
	*te = (struct tl_event){ .e = e, .obj = -1, .waker_obj = -1, .page = -1, .major = -1,
				 .write = -1, .peer = -1 };
	te->t = jp_num(ev, "t", 0);
	te->dur = jp_num(ev, "dur", 0);
	e->ts_start = tl->t0 + (__u64)te->t;
	e->ts = e->ts_start + (__u64)te->dur;
	e->pid = (__u32)jp_num(ev, "pid", 0);
	e->tid = (__u32)jp_num(ev, "tid", 0);
	e->nr = -1;
	if (!strcmp(type, "syscall")) {
		e->type = EVT_SYSCALL;
		syscall_parse(tl, ev, e, te);
		return 0;
	}
	if (!strcmp(type, "block")) {
		e->type = EVT_BLOCK;
		block_parse(tl, ev, e, te);
		return 0;
	}
	if (task_parse(ev, type, e))
		mech_parse(tl, ev, type, e, te);
	return 0;
}
