// SPDX-License-Identifier: GPL-2.0
/*
 * export.c - the trace as JSON.  The small parts (meta, processes, objects, claims) are
 * json-c objects; the events array is streamed one object at a time, so memory does not
 * grow with a second copy of the trace.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include "export.h"
#include "names.h"

#define add(o, k, v) json_object_object_add(o, k, v)
#define jint(v) json_object_new_int64((int64_t)(v))
#define jstr(v) json_object_new_string(v)
#define jbool(v) json_object_new_boolean(v)

/* Kernel-supplied text is not trusted to be UTF-8: keep printable ASCII, dot the rest. */
static json_object *jtext(const char *s, size_t max)
{
	char buf[1024];
	size_t i;

	if (max >= sizeof(buf))
		max = sizeof(buf) - 1;
	for (i = 0; i < max && s[i]; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '.';
	buf[i] = 0;
	return json_object_new_string_len(buf, (int)i);
}

static json_object *jbytes(const __u8 *b, size_t n)
{
	char buf[IPCLAB_DATA_LEN + 1];

	if (n > IPCLAB_DATA_LEN)	/* a record is not trusted to be well-formed */
		n = IPCLAB_DATA_LEN;
	for (size_t i = 0; i < n; i++)
		buf[i] = (b[i] >= 0x20 && b[i] < 0x7f) || b[i] == '\n' || b[i] == '\t' ? b[i] : '.';
	return json_object_new_string_len(buf, (int)n);
}

static json_object *jobj(int id)
{
	return id >= 0 ? json_object_new_int(id) : NULL;
}

static void add_syscall_name(json_object *o, const char *key, int nr)
{
	const char *n = syscall_name(nr);
	char buf[24];

	if (nr < 0) {
		add(o, key, NULL);
		return;
	}
	if (!n) {
		snprintf(buf, sizeof(buf), "syscall_%d", nr);
		n = buf;
	}
	add(o, key, jstr(n));
}

static void add_result(json_object *o, const char *key, __s64 r)
{
	add(o, key, jint(r));
	if (r < 0 && r > -4096)
		add(o, "error", jstr(errno_name((int)-r)));
}

static void add_pipe_state(json_object *o, const struct ipclab_pipe *p)
{
	add(o, "occ", jint(p->bytes));
	add(o, "slots", jint(p->slots));
	add(o, "slots_max", jint(p->max_usage));
	add(o, "readers", jint(p->readers));
	add(o, "writers", jint(p->writers));
}

static void pipe_io_fields(json_object *o, const struct tl_event *te)
{
	const struct ipclab_pipe_io *x = &te->e.io;

	add(o, "type", jstr(x->write ? "pipe_write" : "pipe_read"));
	add(o, "obj", jobj(te->obj));
	add(o, "fd", jint(x->fd));
	add(o, "requested", jint(x->requested));
	add_result(o, "bytes", x->result);
	add(o, "occ_before", jint(x->bytes_before));
	add(o, "occ_after", jint(x->after.bytes));
	add(o, "slots_before", jint(x->slots_before));
	add(o, "slots_after", jint(x->after.slots));
	add(o, "slots_max", jint(x->after.max_usage));
	add(o, "ring_size", jint(x->after.ring_size));
	add(o, "readers", jint(x->after.readers));
	add(o, "writers", jint(x->after.writers));
	add(o, "nonblock", jbool(te->e.flags & EVF_NONBLOCK));
	if (te->e.flags & EVF_TRUNC)
		add(o, "occ_truncated", jbool(true));
	if (x->data_len) {
		add(o, "data", jbytes(x->head, x->data_len));
		/* readv/writev: only the first iovec is sampled, so there is no tail */
		if (x->result > IPCLAB_DATA_LEN && te->e.nr != NR_readv && te->e.nr != NR_writev)
			add(o, "data_tail", jbytes(x->tail, IPCLAB_DATA_LEN));
	}
}

static const char *file_type(__u32 mode)
{
	switch (mode & 0170000) {
	case 0010000: return "fifo";
	case 0020000: return "chr";
	case 0040000: return "dir";
	case 0060000: return "blk";
	case 0100000: return "file";
	case 0120000: return "link";
	case 0140000: return "sock";
	}
	return "unknown";
}

static void syscall_fields(json_object *o, const struct tl_event *te)
{
	const struct ipclab_syscall *sc = &te->e.sc;
	json_object *args = json_object_new_array();

	add(o, "type", jstr("syscall"));
	add_syscall_name(o, "name", te->e.nr);
	for (int i = 0; i < 6; i++)
		json_object_array_add(args, jint(sc->args[i]));
	add(o, "args", args);
	add_result(o, "ret", sc->ret);
	if (sc->path[0])
		add(o, "path", jtext(sc->path, sizeof(sc->path)));
	if ((te->e.nr == NR_pipe || te->e.nr == NR_pipe2) && sc->ret == 0) {
		json_object *fds = json_object_new_array();

		json_object_array_add(fds, jint(sc->fds[0]));
		json_object_array_add(fds, jint(sc->fds[1]));
		add(o, "fds", fds);
	}
	if (sc->stat_mode) {
		add(o, "stat_type", jstr(file_type(sc->stat_mode)));
		add(o, "stat_size", jint(sc->stat_size));
	}
	if (te->obj < 0)
		return;
	add(o, "obj", jobj(te->obj));
	if (te->e.nr == NR_mmap || te->e.nr == NR_munmap)
		return;
	add_pipe_state(o, &sc->pipe);
	if (te->e.nr == NR_close) {
		bool rd = te->e.flags & EVF_FMODE_READ, wr = te->e.flags & EVF_FMODE_WRITE;

		add(o, "end", jstr(rd && wr ? "both" : wr ? "write" : "read"));
		add(o, "last_ref", jbool(te->e.flags & EVF_LAST_REF));
	}
}

static void block_fields(json_object *o, const struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_block *b = &te->e.blk;
	json_object *w;

	add(o, "type", jstr("block"));
	add(o, "obj", jobj(te->obj));
	add(o, "wake_t", b->ts_wake ? jint((__s64)(b->ts_wake - tl->t0)) : NULL);
	if (!b->waker_pid) {
		add(o, "waker", NULL);
		return;
	}
	w = json_object_new_object();
	add(w, "pid", jint(b->waker_pid));
	add(w, "tid", jint(b->waker_tid));
	add(w, "comm", jtext(b->waker_comm, sizeof(b->waker_comm)));
	add_syscall_name(w, "syscall", b->waker_nr);
	add(w, "obj", jobj(te->waker_obj));
	add(o, "waker", w);
}

static const char *signal_result(int r)
{
	static const char *const names[] = { "delivered", "ignored", "already_pending",
					     "overflow_fail", "lose_info" };

	return r >= 0 && r < 5 ? names[r] : "unknown";
}

static void task_fields(json_object *o, const struct tl_event *te)
{
	const struct ipclab_event *e = &te->e;
	int st = e->task.exit_code;

	switch (e->type) {
	case EVT_SIGNAL:
		add(o, "type", jstr("signal"));
		add(o, "sig", jint(e->sig.sig));
		add(o, "signal", jstr(signal_name(e->sig.sig)));
		add(o, "result", jstr(signal_result(e->sig.result)));
		add(o, "sender_pid", jint(e->sig.sender_pid));
		add(o, "sender_tid", jint(e->sig.sender_tid));
		break;
	case EVT_FORK:
		add(o, "type", jstr("fork"));
		add(o, "child_pid", jint(e->task.child_pid));
		add(o, "child_tid", jint(e->task.child_tid));
		add(o, "thread", jbool(e->flags & EVF_THREAD));
		break;
	case EVT_EXEC:
		add(o, "type", jstr("exec"));
		add(o, "comm", jtext(e->task.comm, sizeof(e->task.comm)));
		add(o, "filename", jtext(e->task.filename, sizeof(e->task.filename)));
		add(o, "min_flt", jint(e->task.min_flt));
		add(o, "maj_flt", jint(e->task.maj_flt));
		break;
	case EVT_EXIT:
		add(o, "type", jstr("exit"));
		add(o, "status", jint(st));
		add(o, "code", (st & 0x7f) ? NULL : jint((st >> 8) & 0xff));
		add(o, "signal", (st & 0x7f) ? jstr(signal_name(st & 0x7f)) : NULL);
		add(o, "thread", jbool(e->flags & EVF_THREAD));
		add(o, "min_flt", jint(e->task.min_flt));
		add(o, "maj_flt", jint(e->task.maj_flt));
		break;
	case EVT_RENAME:
		add(o, "type", jstr("rename"));
		add(o, "comm", jtext(e->task.comm, sizeof(e->task.comm)));
		break;
	default:
		add(o, "type", jstr("unknown"));
		add(o, "raw_type", jint(e->type));
		break;
	}
}

static const char *fault_kind(const struct timeline *tl, const struct tl_event *te)
{
	__u64 ec = te->e.fault.error_code;

	if (!(ec & 2))
		return ec & 16 ? "exec" : "read";
	/* a write to a present page: private mappings copy it, shared ones mark it dirty */
	if (ec & 1) {
		if (te->obj >= 0 && (tl->objs[te->obj].map.flags & 0x01))
			return "write";
		return "cow";
	}
	return "write";
}

static void memory_fields(json_object *o, const struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_event *e = &te->e;

	switch (e->type) {
	case EVT_FAULT:
		add(o, "type", jstr("fault"));
		add(o, "addr", jint(e->fault.addr));
		add(o, "mapping", jobj(te->obj));
		add(o, "page", te->page >= 0 ? jint(te->page) : NULL);
		add(o, "write", jbool(e->fault.error_code & 2));
		add(o, "present", jbool(e->fault.error_code & 1));
		add(o, "kind", jstr(fault_kind(tl, te)));
		add(o, "major", te->major < 0 ? NULL : jbool(te->major));
		add(o, "user_mode", jbool(!(e->flags & EVF_KERNEL_MODE)));
		add_syscall_name(o, "syscall", e->nr);
		return;
	case EVT_PAGE_CACHE:
	case EVT_DIRTY:
		add(o, "type", jstr(e->type == EVT_DIRTY ? "dirty" : "page_cache"));
		add(o, "inode", jint(e->fp.ino));
		add(o, "dev", jint(e->fp.dev));
		add(o, "index", jint(e->fp.index));
		add(o, "pages", jint(e->fp.last_index - e->fp.index + 1));	/* folio size */
		add(o, "mapping", jobj(te->obj));
		add(o, "page", te->page >= 0 ? jint(te->page) : NULL);
		return;
	case EVT_FAULT_AROUND: {
		__s64 first = te->page, last = te->page + (__s64)(e->fp.last_index - e->fp.index);

		add(o, "type", jstr("fault_around"));
		add(o, "inode", jint(e->fp.ino));
		add(o, "dev", jint(e->fp.dev));
		add(o, "start_index", jint(e->fp.index));
		add(o, "end_index", jint(e->fp.last_index));
		add(o, "mapping", jobj(te->obj));
		add(o, "first_page", te->page >= 0 ? jint(first) : NULL);
		add(o, "last_page", te->page >= 0 ? jint(last) : NULL);
		return;
	}
	case EVT_WRITEBACK:
		add(o, "type", jstr("writeback"));
		add(o, "inode", jint(e->fp.ino));
		add(o, "dev", jint(e->fp.dev));
		return;
	}
}

json_object *event_to_json(const struct timeline *tl, const struct tl_event *te)
{
	json_object *o = json_object_new_object();

	add(o, "t", jint(te->t));
	if (te->dur || te->e.type == EVT_PIPE_IO || te->e.type == EVT_SYSCALL ||
	    te->e.type == EVT_BLOCK)
		add(o, "dur", jint(te->dur));
	add(o, "pid", jint(te->e.pid));
	add(o, "tid", jint(te->e.tid));
	switch (te->e.type) {
	case EVT_PIPE_IO:
		pipe_io_fields(o, te);
		add_syscall_name(o, "syscall", te->e.nr);
		break;
	case EVT_SYSCALL:
		syscall_fields(o, te);
		break;
	case EVT_BLOCK:
		block_fields(o, tl, te);
		add_syscall_name(o, "syscall", te->e.nr);
		break;
	case EVT_FAULT:
	case EVT_PAGE_CACHE:
	case EVT_DIRTY:
	case EVT_FAULT_AROUND:
	case EVT_WRITEBACK:
		memory_fields(o, tl, te);
		break;
	default:
		task_fields(o, te);
		if (te->e.type == EVT_SIGNAL)	/* the sender's syscall: write -> SIGPIPE */
			add_syscall_name(o, "sender_syscall", te->e.nr);
		break;
	}
	return o;
}

static json_object *probe(const char *tier, const char *symbol)
{
	json_object *o = json_object_new_object();

	add(o, "tier", jstr(tier));
	add(o, "symbol", jstr(symbol));
	return o;
}

static json_object *probes_json(const struct trace_meta *m)
{
	json_object *o = json_object_new_object();
	const char *t = tier_name(m->tier);
	bool fn = m->tier != TIER_TRACEPOINT;
	const char *ent = m->tier == TIER_FENTRY ? "fentry/fexit" : "kprobe/kretprobe";
	char buf[4][96];

	snprintf(buf[0], sizeof(buf[0]), "%s:%s", ent, m->syms.read);
	snprintf(buf[1], sizeof(buf[1]), "%s:%s", ent, m->syms.write);
	snprintf(buf[2], sizeof(buf[2]), "%s:%s", ent, m->syms.fifo_read[0] ? m->syms.fifo_read :
		 m->syms.read);
	snprintf(buf[3], sizeof(buf[3]), "%s:%s", ent, m->syms.fifo_write[0] ?
		 m->syms.fifo_write : m->syms.write);
	add(o, "pipe_read", probe(t, fn ? buf[0] : "tp_btf/sys_enter+sys_exit:read,readv"));
	add(o, "pipe_write", probe(t, fn ? buf[1] : "tp_btf/sys_enter+sys_exit:write,writev"));
	add(o, "fifo_read", probe(t, fn ? buf[2] : "tp_btf/sys_enter+sys_exit:read,readv"));
	add(o, "fifo_write", probe(t, fn ? buf[3] : "tp_btf/sys_enter+sys_exit:write,writev"));
	add(o, "syscalls", probe("tracepoint", "tp_btf/sys_enter+sys_exit"));
	add(o, "blocking", probe("tracepoint", "tp_btf/sched_switch+sched_waking"));
	add(o, "signals", probe("tracepoint", "tp_btf/signal_generate"));
	add(o, "processes", probe("tracepoint",
				  "tp_btf/sched_process_fork+exec+exit,task_rename"));
	return o;
}

static void iso_time(char *buf, size_t n, __u64 ns)
{
	time_t s = ns / 1000000000ULL;
	struct tm tm;

	gmtime_r(&s, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), n - strlen(buf), ".%06lluZ",
		 (unsigned long long)(ns % 1000000000ULL) / 1000);
}

json_object *meta_to_json(const struct trace_meta *m, size_t nevents)
{
	json_object *o = json_object_new_object();
	char when[64];

	iso_time(when, sizeof(when), m->start_realtime_ns);
	add(o, "tool", jstr("ipclab " IPCLAB_VERSION));
	add(o, "kernel", jstr(m->kernel));
	add(o, "machine", jstr(m->machine));
	add(o, "tier", jstr(tier_name(m->tier)));
	add(o, "probes", probes_json(m));
	add(o, "clock", jstr("CLOCK_MONOTONIC"));
	add(o, "start_time", jstr(when));
	add(o, "start_ns", jint(m->t0));
	add(o, "command", jtext(m->command, sizeof(m->command)));
	add(o, "scenario", m->scenario ? jstr(m->scenario->name) : NULL);
	if (m->scenario) {
		add(o, "section", jstr(m->scenario->section));
		add(o, "summary", jstr(m->scenario->summary));
		add(o, "explain", jstr(m->scenario->explain));
		add(o, "rule_zh", jstr(m->scenario->rule_zh));
	}
	add(o, "page_size", jint(m->page_size));
	add(o, "events", jint(nevents));
	add(o, "dropped", jint(m->dropped));
	add(o, "lost", jint(m->lost));
	add(o, "interrupted", jbool(m->interrupted));
	add(o, "end_reason", jstr(m->end_reason ? m->end_reason : "exited"));
	return o;
}

static json_object *processes_json(const struct timeline *tl)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < tl->nprocs; i++) {
		const struct tl_process *p = &tl->procs[i];
		json_object *o = json_object_new_object();

		add(o, "pid", jint(p->pid));
		add(o, "ppid", jint(p->ppid));
		add(o, "comm", jtext(p->comm, sizeof(p->comm)));
		add(o, "exe", p->exe[0] ? jtext(p->exe, sizeof(p->exe)) : NULL);
		add(o, "start", jint(p->t_start));
		add(o, "exit", p->exited ? jint(p->t_exit) : NULL);
		add(o, "status", p->exited ? jint(p->exit_status) : NULL);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *prot_string(__u32 prot)
{
	char s[4] = { prot & 1 ? 'r' : '-', prot & 2 ? 'w' : '-', prot & 4 ? 'x' : '-', 0 };

	return jstr(s);
}

static json_object *flags_string(__u32 flags)
{
	static const struct { __u32 bit; const char *name; } names[] = {
		{ 0x01, "MAP_SHARED" }, { 0x02, "MAP_PRIVATE" }, { 0x10, "MAP_FIXED" },
		{ 0x20, "MAP_ANONYMOUS" }, { 0x100, "MAP_GROWSDOWN" }, { 0x2000, "MAP_LOCKED" },
		{ 0x4000, "MAP_NORESERVE" }, { 0x8000, "MAP_POPULATE" }, { 0x40000, "MAP_HUGETLB" },
		{ 0x100000, "MAP_FIXED_NOREPLACE" },
	};
	char buf[256] = "";

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].bit)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
				 buf[0] ? "|" : "", names[i].name);
	return jstr(buf);
}

static json_object *mapping_json(const struct tl_object *ob, long page)
{
	json_object *o = json_object_new_object();
	const struct tl_mapping *m = &ob->map;

	add(o, "id", jint(ob->id));
	add(o, "kind", jstr("mapping"));
	add(o, "start", jint(m->start));
	add(o, "length", jint(m->length));
	add(o, "pages", jint(m->length / page));
	add(o, "prot", prot_string(m->prot));
	add(o, "flags", flags_string(m->flags));
	add(o, "backing", jstr(tl_backing(ob)));
	add(o, "file", m->file_ino && ob->path[0] ? jtext(ob->path, sizeof(ob->path)) : NULL);
	add(o, "inode", m->file_ino ? jint(m->file_ino) : NULL);
	add(o, "dev", m->file_ino ? jint(m->file_dev) : NULL);
	add(o, "offset", jint(m->offset));
	add(o, "created", jint(ob->t_first));
	add(o, "creator", jint(ob->creator));
	add(o, "unmapped", m->unmapped >= 0 ? jint(m->unmapped) : NULL);
	return o;
}

static json_object *objects_json(const struct timeline *tl, long page)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < tl->nobjs; i++) {
		const struct tl_object *ob = &tl->objs[i];
		json_object *o, *fds;

		if (ob->kind == OBJ_MAPPING) {
			json_object_array_add(a, mapping_json(ob, page));
			continue;
		}
		o = json_object_new_object();

		add(o, "id", jint(ob->id));
		add(o, "kind", jstr(ob->kind == OBJ_FIFO ? "fifo" : "pipe"));
		add(o, "inode", jint(ob->ino));
		add(o, "dev", jint(ob->dev));
		add(o, "path", ob->path[0] ? jtext(ob->path, sizeof(ob->path)) : NULL);
		add(o, "capacity", jint((__u64)ob->max_usage * page));
		add(o, "slots", jint(ob->max_usage));
		add(o, "ring_size", jint(ob->ring_size));
		add(o, "created", jint(ob->t_first));
		add(o, "creator", ob->creator ? jint(ob->creator) : NULL);
		if (ob->fds[0] >= 0) {
			fds = json_object_new_array();
			json_object_array_add(fds, jint(ob->fds[0]));
			json_object_array_add(fds, jint(ob->fds[1]));
			add(o, "fds", fds);
		}
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *claims_json(const struct claim_set *cs)
{
	json_object *a = json_object_new_array();

	for (int i = 0; cs && i < cs->n; i++) {
		const struct claim *c = &cs->c[i];
		json_object *o = json_object_new_object(), *ev = json_object_new_array();

		add(o, "id", jstr(c->id));
		add(o, "text", jstr(c->text));
		add(o, "status", jstr(c->pass ? "PASS" : "FAIL"));
		add(o, "detail", jtext(c->detail, sizeof(c->detail)));
		for (int k = 0; k < c->nevidence; k++)
			json_object_array_add(ev, jint(c->evidence[k]));
		add(o, "evidence", ev);
		json_object_array_add(a, o);
	}
	return a;
}

/* "key":value, -- consumes the object */
static void put(FILE *f, const char *key, json_object *o, const char *sep)
{
	fprintf(f, "\"%s\":%s%s", key, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
		sep);
	json_object_put(o);
}

int export_trace(FILE *f, const struct trace_meta *m, const struct timeline *tl,
		 const struct claim_set *cs)
{
	fprintf(f, "{\"format\":\"%s\",\"version\":%d,\n", TRACE_FORMAT, TRACE_VERSION);
	put(f, "meta", meta_to_json(m, tl->n), ",\n");
	put(f, "processes", processes_json(tl), ",\n");
	put(f, "objects", objects_json(tl, m->page_size), ",\n");
	put(f, "claims", claims_json(cs), ",\n");
	fputs("\"events\":[\n", f);
	for (size_t i = 0; i < tl->n; i++) {
		json_object *o = event_to_json(tl, &tl->ev[i]);

		fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), f);
		fputs(i + 1 < tl->n ? ",\n" : "\n", f);
		json_object_put(o);
	}
	fputs("]}\n", f);
	return ferror(f) ? -EIO : 0;
}
