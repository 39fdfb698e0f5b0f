// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - pipes and FIFOs in a trace: pipe and fifo objects, pipe_read/pipe_write events
 * and the pipe state of syscall events in the JSON trace (docs/trace-format.md), what the
 * Chrome export draws for them, their meta.probes entries and their `ipclab doctor` lines.
 *
 * FIFOs share all of it: a FIFO is a pipe with a name (the same pipe_inode_info, the same
 * read and write functions before 6.15, EVF_FIFO on its records), so mech/fifo has no trace
 * ops of its own and its records and objects are printed here.  The core reaches this
 * through pipe_trace_ops (mechanism.h).
 */
#include <string.h>
#include "chrome.h"
#include "event_parse.h"
#include "event_print.h"
#include "export.h"
#include "mechanism.h"
#include "names.h"

/* ---------------------------------------------------------------- the JSON trace */

static void pipe_io_json(struct jb *b, const struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_pipe_io *x = &te->e->io;
	__u16 flags = te->e->flags;

	jb_str(b, "type", x->write ? "pipe_write" : "pipe_read");
	jb_obj(b, "obj", te->obj);
	jb_num(b, "fd", x->fd);
	jb_num(b, "requested", (long long)x->requested);
	jb_result(b, "bytes", x->result);
	jb_num(b, "occ_before", x->bytes_before);
	jb_num(b, "occ_after", x->after.bytes);
	jb_num(b, "slots_before", x->slots_before);
	jb_num(b, "slots_after", x->after.slots);
	jb_num(b, "slots_max", x->after.max_usage);
	jb_num(b, "ring_size", x->after.ring_size);
	jb_num(b, "readers", x->after.readers);
	jb_num(b, "writers", x->after.writers);
	jb_bool(b, "nonblock", flags & EVF_NONBLOCK);
	if (flags & EVF_TRUNC)
		jb_bool(b, "occ_truncated", true);
	if (flags & EVF_TORN)
		jb_bool(b, "occ_torn", true);
	if (flags & EVF_BEFORE_REBUILT)
		jb_bool(b, "occ_before_rebuilt", true);
	/* iovec calls: only the first iovec is sampled, so there is no tail */
	jb_data(b, x->head, x->tail, x->data_len, x->result > IPCLAB_DATA_LEN &&
		(te->e->nr == NR_read || te->e->nr == NR_write));
	jb_syscall(b, "syscall", te->e->nr);
}

/* Before "obj": the two fds pipe and pipe2 made. */
static void pipe_syscall_head_json(struct jb *b, const struct timeline *tl,
				   const struct tl_event *te)
{
	const struct ipclab_syscall *sc = &te->e->sc;

	if ((te->e->nr == NR_pipe || te->e->nr == NR_pipe2) && sc->ret == 0)
		jb_fds(b, "fds", sc->fds[0], sc->fds[1]);
}

/* After "obj": the pipe's state the core's sys_exit sampled, and which end a close closed. */
static void pipe_syscall_json(struct jb *b, const struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_pipe *p = &te->e->sc.pipe;
	__u16 flags = te->e->flags;

	jb_num(b, "occ", p->bytes);
	jb_num(b, "slots", p->slots);
	jb_num(b, "slots_max", p->max_usage);
	jb_num(b, "readers", p->readers);
	jb_num(b, "writers", p->writers);
	if (flags & EVF_TORN)
		jb_bool(b, "occ_torn", true);
	if (te->e->nr == NR_close) {
		bool rd = flags & EVF_FMODE_READ, wr = flags & EVF_FMODE_WRITE;

		jb_str(b, "end", rd && wr ? "both" : wr ? "write" : "read");
		jb_bool(b, "last_ref", flags & EVF_LAST_REF);
	}
}

#define add(o, k, v) json_object_object_add(o, k, v)
#define jint(v) json_object_new_int64((int64_t)(v))

static json_object *pipe_object_json(const struct tl_object *ob, long page)
{
	json_object *o, *fds;

	if (ob->kind != OBJ_PIPE && ob->kind != OBJ_FIFO)
		return NULL;
	o = json_object_new_object();
	add(o, "id", jint(ob->id));
	add(o, "kind", json_object_new_string(ob->kind == OBJ_FIFO ? "fifo" : "pipe"));
	add(o, "inode", jint(ob->ino));
	add(o, "dev", jint(ob->dev));
	add(o, "path", ob->path[0] ? trace_text(ob->path, sizeof(ob->path)) : NULL);
	add(o, "capacity", jint((__u64)ob->pipe.max_usage * page));
	add(o, "slots", jint(ob->pipe.max_usage));
	add(o, "ring_size", jint(ob->pipe.ring_size));
	add(o, "created", jint(ob->t_first));
	add(o, "creator", ob->creator ? jint(ob->creator) : NULL);
	if (ob->fds[0] >= 0) {
		fds = json_object_new_array();
		json_object_array_add(fds, jint(ob->fds[0]));
		json_object_array_add(fds, jint(ob->fds[1]));
		add(o, "fds", fds);
	}
	return o;
}

/* ---------------------------------------------------------------- read back (check) */

extern const struct mech_trace_ops pipe_trace_ops;

static bool is_pipe(const struct timeline *tl, int obj)
{
	return obj >= 0 && (size_t)obj < tl->nobjs &&
	       (tl->objs[obj].kind == OBJ_PIPE || tl->objs[obj].kind == OBJ_FIFO);
}

/* The pipe's identity, which the JSON gives as its object. */
static void pipe_identity(const struct timeline *tl, int obj, struct ipclab_pipe *p,
			  __u16 *flags)
{
	if (!is_pipe(tl, obj))
		return;
	p->pipe = tl->objs[obj].kptr;
	p->ino = tl->objs[obj].ino;
	p->dev = tl->objs[obj].dev;
	if (tl->objs[obj].kind == OBJ_FIFO)
		*flags |= EVF_FIFO;
}

static __u16 io_flags(json_object *ev)
{
	return (jp_bool(ev, "nonblock") ? EVF_NONBLOCK : 0) |
	       (jp_bool(ev, "occ_truncated") ? EVF_TRUNC : 0) |
	       (jp_bool(ev, "occ_torn") ? EVF_TORN : 0) |
	       (jp_bool(ev, "occ_before_rebuilt") ? EVF_BEFORE_REBUILT : 0);
}

static bool pipe_io_from_json(json_object *ev, const char *type, const struct timeline *tl,
			      struct ipclab_event *e, struct tl_event *te)
{
	struct ipclab_pipe_io *x = &e->io;

	if (strcmp(type, "pipe_write") && strcmp(type, "pipe_read"))
		return false;
	e->type = EVT_PIPE_IO;
	x->write = !strcmp(type, "pipe_write");
	te->write = (__s8)x->write;
	te->obj = jp_obj(ev, "obj");
	x->fd = (__s32)jp_num(ev, "fd", -1);
	x->requested = (__u64)jp_num(ev, "requested", 0);
	x->result = jp_num(ev, "bytes", 0);
	x->bytes_before = (__u32)jp_num(ev, "occ_before", 0);
	x->after.bytes = (__u32)jp_num(ev, "occ_after", 0);
	x->slots_before = (__u32)jp_num(ev, "slots_before", 0);
	x->after.slots = (__u32)jp_num(ev, "slots_after", 0);
	x->after.max_usage = (__u32)jp_num(ev, "slots_max", 0);
	x->after.ring_size = (__u32)jp_num(ev, "ring_size", 0);
	x->after.readers = (__u32)jp_num(ev, "readers", 0);
	x->after.writers = (__u32)jp_num(ev, "writers", 0);
	e->flags = io_flags(ev);
	pipe_identity(tl, te->obj, &x->after, &e->flags);
	x->data_len = jp_data(ev, x->head, x->tail);
	e->nr = jp_syscall(ev, "syscall");
	return true;
}

static __u16 close_flags(json_object *ev)
{
	const char *end = jp_str(ev, "end");
	__u16 f = jp_bool(ev, "last_ref") ? EVF_LAST_REF : 0;

	if (!strcmp(end, "read") || !strcmp(end, "both"))
		f |= EVF_FMODE_READ;
	if (!strcmp(end, "write") || !strcmp(end, "both"))
		f |= EVF_FMODE_WRITE;
	return f;
}

static void pipe_syscall_from_json(json_object *ev, const struct timeline *tl,
				   struct ipclab_event *e, struct tl_event *te)
{
	struct ipclab_pipe *p = &e->sc.pipe;

	if (e->nr == NR_pipe || e->nr == NR_pipe2)
		jp_fds(ev, "fds", e->sc.fds);
	/* the pipe's state is there when the event names a pipe and no other mechanism owns
	 * the call (mmap's, signal's and mqueue's syscalls) */
	if (!is_pipe(tl, te->obj) || mech_trace_for_syscall(e->nr, e->flags) != &pipe_trace_ops)
		return;
	p->bytes = (__u32)jp_num(ev, "occ", 0);
	p->slots = (__u32)jp_num(ev, "slots", 0);
	p->max_usage = (__u32)jp_num(ev, "slots_max", 0);
	p->readers = (__u32)jp_num(ev, "readers", 0);
	p->writers = (__u32)jp_num(ev, "writers", 0);
	p->ring_size = tl->objs[te->obj].pipe.ring_size;
	e->flags |= (jp_bool(ev, "occ_torn") ? EVF_TORN : 0) | close_flags(ev);
	pipe_identity(tl, te->obj, p, &e->flags);
}

static bool pipe_object_from_json(json_object *o, const char *kind, struct tl_object *ob,
				  long page)
{
	if (strcmp(kind, "pipe") && strcmp(kind, "fifo"))
		return false;
	ob->kind = !strcmp(kind, "fifo") ? OBJ_FIFO : OBJ_PIPE;
	ob->ino = (__u64)jp_num(o, "inode", 0);
	ob->dev = (__u32)jp_num(o, "dev", 0);
	jp_text(o, "path", ob->path, sizeof(ob->path));
	ob->pipe.max_usage = (__u32)jp_num(o, "slots", 0);
	ob->pipe.ring_size = (__u32)jp_num(o, "ring_size", 0);
	ob->t_first = jp_num(o, "created", 0);
	ob->creator = (__u32)jp_num(o, "creator", 0);
	jp_fds(o, "fds", ob->fds);
	return true;
}

/* ---------------------------------------------------------------- meta.probes */

static json_object *probe(const char *tier, const char *symbol)
{
	json_object *o = json_object_new_object();

	add(o, "tier", json_object_new_string(tier));
	add(o, "symbol", json_object_new_string(symbol));
	return o;
}

/* The functions the fentry/kprobe tiers resolved from BTF (meta.syms, roles from
 * mech/pipe/probes.c); the tracepoint tier samples read/write at sys_enter/sys_exit.  FIFOs
 * have their own wrappers from 6.15. */
static void pipe_probes_json(json_object *o, const struct trace_meta *m)
{
	const char *t = tier_name(m->tier);
	bool fn = m->tier != TIER_TRACEPOINT;
	const char *ent = m->tier == TIER_FENTRY ? "fentry/fexit" : "kprobe/kretprobe";
	const char *read = probe_sym(&m->syms, "pipe_read");
	const char *write = probe_sym(&m->syms, "pipe_write");
	const char *fifo_read = probe_sym(&m->syms, "fifo_read");
	const char *fifo_write = probe_sym(&m->syms, "fifo_write");
	char buf[4][96];

	snprintf(buf[0], sizeof(buf[0]), "%s:%s", ent, read);
	snprintf(buf[1], sizeof(buf[1]), "%s:%s", ent, write);
	snprintf(buf[2], sizeof(buf[2]), "%s:%s", ent, fifo_read[0] ? fifo_read : read);
	snprintf(buf[3], sizeof(buf[3]), "%s:%s", ent, fifo_write[0] ? fifo_write : write);
	add(o, "pipe_read", probe(t, fn ? buf[0] : "tp_btf/sys_enter+sys_exit:read,readv"));
	add(o, "pipe_write", probe(t, fn ? buf[1] : "tp_btf/sys_enter+sys_exit:write,writev"));
	add(o, "fifo_read", probe(t, fn ? buf[2] : "tp_btf/sys_enter+sys_exit:read,readv"));
	add(o, "fifo_write", probe(t, fn ? buf[3] : "tp_btf/sys_enter+sys_exit:write,writev"));
}

/* ---------------------------------------------------------------- Chrome export */

/*
 * A pipe read or write (any "pipe_" type with a "dur", as the export always took them): a
 * slice, the pipe's occupancy (bytes and slots) when the event names its pipe, and the
 * bytes it moved (tee leaves its bytes in the pipe: no arrow).
 */
static bool pipe_chrome_span(json_object *ev, const char *type, struct chrome_span *s)
{
	bool write = !strcmp(type, "pipe_write");

	if (strncmp(type, "pipe_", 5) || !chrome_get(ev, "dur"))
		return false;
	if (!write && strcmp(type, "pipe_read"))
		snprintf(s->name, sizeof(s->name), "%s", chrome_str(ev, "name"));
	else if (chrome_get(ev, "error"))
		snprintf(s->name, sizeof(s->name), "%s -%s", type + 5, chrome_str(ev, "error"));
	else
		snprintf(s->name, sizeof(s->name), "%s %lld B", type + 5, chrome_num(ev, "bytes"));
	s->cat = "pipe";
	s->track = chrome_get(ev, "obj") ? "pipe" : NULL;
	s->keys[0] = "bytes";
	s->keys[1] = "slots";
	s->before[0] = chrome_num(ev, "occ_before");
	s->before[1] = chrome_num(ev, "slots_before");
	s->after[0] = chrome_num(ev, "occ_after");
	s->after[1] = chrome_num(ev, "slots_after");
	s->queue = chrome_get(ev, "obj") ? chrome_num(ev, "obj") : -1;	/* < 0: no arrow */
	s->into = write;
	s->bytes = write || strcmp(chrome_str(ev, "syscall"), "tee") ? chrome_num(ev, "bytes") : 0;
	return true;
}

/* ---------------------------------------------------------------- ipclab doctor */

extern const struct mech_probes pipe_probes;

static void pipe_doctor_lines(enum doctor_part part, const struct doctor_facts *d)
{
	struct probe_syms sy = { .n = 0 };
	char why[96];

	if (part != DOCTOR_BTF)
		return;
	if (pipe_probes.resolve(d->btf, &sy, why, sizeof(why)) == 0) {
		doctor_line("pipe functions", "%s / %s", probe_sym(&sy, "pipe_read"),
			    probe_sym(&sy, "pipe_write"));
		if (probe_sym(&sy, "fifo_read")[0])
			doctor_line("FIFO wrappers", "%s / %s", probe_sym(&sy, "fifo_read"),
				    probe_sym(&sy, "fifo_write"));
		else
			doctor_line("FIFO functions", "%s%s", "same as pipes (kernel < 6.15)", "");
	} else {
		doctor_line("pipe functions", "%s%s", "NOT FOUND in BTF", "");
	}
	printf("  %-22s %s\n", "pipe_write in BTF", btf_has_func(d->btf, "pipe_write") ? "yes" :
	       "no");
	printf("  %-22s %s\n", "anon_pipe_write in BTF",
	       btf_has_func(d->btf, "anon_pipe_write") ? "yes" : "no");
}

static bool pipe_doctor_tier(const struct tracer *tr, char *buf, size_t n)
{
	const char *how = tr->tier == TIER_FENTRY ? "fentry/fexit" : "kprobe/kretprobe";
	const char *fifo_read = probe_sym(&tr->syms, "fifo_read");

	if (tr->tier == TIER_FENTRY || tr->tier == TIER_KPROBE)
		snprintf(buf, n, "%s on %s, %s%s%s%s%s", how, probe_sym(&tr->syms, "pipe_read"),
			 probe_sym(&tr->syms, "pipe_write"), fifo_read[0] ? ", " : "", fifo_read,
			 fifo_read[0] ? ", " : "", probe_sym(&tr->syms, "fifo_write"));
	else
		snprintf(buf, n, "tp_btf/sys_enter+sys_exit, fd -> file -> inode -> pipe_inode_info");
	return true;
}

static const __u16 pipe_event_types[] = { EVT_PIPE_IO, 0 };

const struct mech_trace_ops pipe_trace_ops = {
	.event_types = pipe_event_types,
	.syscall_default = true,
	.event_json = pipe_io_json,
	.syscall_head_json = pipe_syscall_head_json,
	.syscall_json = pipe_syscall_json,
	.object_json = pipe_object_json,
	.event_from_json = pipe_io_from_json,
	.syscall_from_json = pipe_syscall_from_json,
	.object_from_json = pipe_object_from_json,
	.chrome_span = pipe_chrome_span,
	.probes_json = pipe_probes_json,
	.probes_first = true,
	.doctor_lines = pipe_doctor_lines,
	.doctor_tier = pipe_doctor_tier,
};
