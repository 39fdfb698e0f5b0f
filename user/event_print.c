// SPDX-License-Identifier: GPL-2.0
/*
 * event_print.c - one trace event as a line of JSON, printed straight into a buffer.
 *
 * The events array is most of a trace (millions of lines), so it is not built as json-c
 * objects: that costs a hash table and a dozen allocations per event.  The text printed
 * here is exactly what json-c would print for the same fields; event_to_json() parses it
 * back when a json-c object is wanted (tests, small tools).  Strings that come from traced
 * programs are cut to printable ASCII first, so escaping is only '"' and '\'.
 */
#include <string.h>
#include "event_print.h"
#include "names.h"

struct jb {
	char *p;
	size_t len, cap;
	bool first;
};

static void raw(struct jb *b, const char *s, size_t n)
{
	if (b->len + n < b->cap) {
		memcpy(b->p + b->len, s, n);
		b->len += n;
	} else {
		b->len = b->cap;	/* overflow: the caller sees len == cap */
	}
}

static void key(struct jb *b, const char *k)
{
	size_t n = strlen(k);

	if (b->len + n + 4 >= b->cap) {
		b->len = b->cap;
		return;
	}
	if (!b->first)
		b->p[b->len++] = ',';
	b->first = false;
	b->p[b->len++] = '"';
	memcpy(b->p + b->len, k, n);
	b->len += n;
	b->p[b->len++] = '"';
	b->p[b->len++] = ':';
}

static void num(struct jb *b, const char *k, long long v)
{
	char tmp[24];
	int i = sizeof(tmp);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	key(b, k);
	do
		tmp[--i] = '0' + u % 10;
	while (u /= 10);
	if (v < 0)
		tmp[--i] = '-';
	raw(b, tmp + i, sizeof(tmp) - i);
}

static void null(struct jb *b, const char *k)
{
	key(b, k);
	raw(b, "null", 4);
}

static void boolean(struct jb *b, const char *k, bool v)
{
	key(b, k);
	raw(b, v ? "true" : "false", v ? 4 : 5);
}

/* Untrusted bytes: printable ASCII kept (newline and tab too when allowed), others '.'. */
static void text(struct jb *b, const char *k, const char *s, size_t max, bool nl_tab)
{
	key(b, k);
	raw(b, "\"", 1);
	for (size_t i = 0; i < max && (nl_tab || s[i]); i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', c };

			raw(b, esc, 2);
		} else if (nl_tab && c == '\n') {
			raw(b, "\\n", 2);
		} else if (nl_tab && c == '\t') {
			raw(b, "\\t", 2);
		} else {
			char ch = (c >= 0x20 && c < 0x7f) ? c : '.';

			raw(b, &ch, 1);
		}
	}
	raw(b, "\"", 1);
}

static void str(struct jb *b, const char *k, const char *s)
{
	text(b, k, s, strlen(s), false);
}

static void obj_or_null(struct jb *b, const char *k, int id)
{
	if (id >= 0)
		num(b, k, id);
	else
		null(b, k);
}

static void syscall_name_field(struct jb *b, const char *k, int nr)
{
	const char *n = syscall_name(nr);
	char buf[24];

	if (nr < 0) {
		null(b, k);
		return;
	}
	if (!n) {
		snprintf(buf, sizeof(buf), "syscall_%d", nr);
		n = buf;
	}
	str(b, k, n);
}

static void result(struct jb *b, const char *k, __s64 r)
{
	num(b, k, r);
	if (r < 0 && r > -4096)
		str(b, "error", errno_name((int)-r));
}

static void pipe_state(struct jb *b, const struct ipclab_pipe *p)
{
	num(b, "occ", p->bytes);
	num(b, "slots", p->slots);
	num(b, "slots_max", p->max_usage);
	num(b, "readers", p->readers);
	num(b, "writers", p->writers);
}

static void pipe_io(struct jb *b, const struct tl_event *te)
{
	const struct ipclab_pipe_io *x = &te->e->io;

	str(b, "type", x->write ? "pipe_write" : "pipe_read");
	obj_or_null(b, "obj", te->obj);
	num(b, "fd", x->fd);
	num(b, "requested", (long long)x->requested);
	result(b, "bytes", x->result);
	num(b, "occ_before", x->bytes_before);
	num(b, "occ_after", x->after.bytes);
	num(b, "slots_before", x->slots_before);
	num(b, "slots_after", x->after.slots);
	num(b, "slots_max", x->after.max_usage);
	num(b, "ring_size", x->after.ring_size);
	num(b, "readers", x->after.readers);
	num(b, "writers", x->after.writers);
	boolean(b, "nonblock", te->e->flags & EVF_NONBLOCK);
	if (te->e->flags & EVF_TRUNC)
		boolean(b, "occ_truncated", true);
	if (te->e->flags & EVF_TORN)
		boolean(b, "occ_torn", true);
	if (te->e->flags & EVF_BEFORE_REBUILT)
		boolean(b, "occ_before_rebuilt", true);
	if (x->data_len) {
		text(b, "data", (const char *)x->head, x->data_len < IPCLAB_DATA_LEN ?
		     x->data_len : IPCLAB_DATA_LEN, true);
		/* iovec calls: only the first iovec is sampled, so there is no tail */
		if (x->result > IPCLAB_DATA_LEN && (te->e->nr == NR_read || te->e->nr == NR_write))
			text(b, "data_tail", (const char *)x->tail, IPCLAB_DATA_LEN, true);
	}
	syscall_name_field(b, "syscall", te->e->nr);
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

static void syscall_event(struct jb *b, const struct tl_event *te)
{
	const struct ipclab_syscall *sc = &te->e->sc;

	str(b, "type", "syscall");
	syscall_name_field(b, "name", te->e->nr);
	key(b, "args");
	raw(b, "[", 1);
	for (int i = 0; i < 6; i++) {
		struct jb item = { b->p + b->len, 0, b->cap - b->len, true };

		if (i)
			raw(b, ",", 1);
		item = (struct jb){ b->p + b->len, 0, b->cap - b->len, true };
		num(&item, "", (long long)sc->args[i]);
		/* num() wrote "":N -- keep only N */
		if (item.len > 3 && item.len < item.cap) {
			memmove(b->p + b->len, b->p + b->len + 3, item.len - 3);
			b->len += item.len - 3;
		}
	}
	raw(b, "]", 1);
	result(b, "ret", sc->ret);
	if (sc->path[0])
		text(b, "path", sc->path, sizeof(sc->path), false);
	if ((te->e->nr == NR_pipe || te->e->nr == NR_pipe2) && sc->ret == 0) {
		char fds[40];

		key(b, "fds");
		raw(b, fds, snprintf(fds, sizeof(fds), "[%d,%d]", sc->fds[0], sc->fds[1]));
	}
	if (sc->stat_mode) {
		str(b, "stat_type", file_type(sc->stat_mode));
		num(b, "stat_size", (long long)sc->stat_size);
	}
	if (te->obj < 0)
		return;
	num(b, "obj", te->obj);
	if (te->e->nr == NR_mmap || te->e->nr == NR_munmap)
		return;
	pipe_state(b, &sc->pipe);
	if (te->e->flags & EVF_TORN)
		boolean(b, "occ_torn", true);
	if (te->e->nr == NR_close) {
		bool rd = te->e->flags & EVF_FMODE_READ, wr = te->e->flags & EVF_FMODE_WRITE;

		str(b, "end", rd && wr ? "both" : wr ? "write" : "read");
		boolean(b, "last_ref", te->e->flags & EVF_LAST_REF);
	}
}

static void block(struct jb *b, const struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_block *k = &te->e->blk;

	str(b, "type", "block");
	obj_or_null(b, "obj", te->obj);
	if (k->ts_wake)
		num(b, "wake_t", (long long)(k->ts_wake - tl->t0));
	else
		null(b, "wake_t");
	if (!k->waker_pid) {
		null(b, "waker");
	} else {
		struct jb w = { 0 };

		key(b, "waker");
		raw(b, "{", 1);
		w = (struct jb){ b->p + b->len, 0, b->cap - b->len, true };
		num(&w, "pid", k->waker_pid);
		num(&w, "tid", k->waker_tid);
		text(&w, "comm", k->waker_comm, sizeof(k->waker_comm), false);
		syscall_name_field(&w, "syscall", k->waker_nr);
		obj_or_null(&w, "obj", te->waker_obj);
		b->len = w.len < w.cap ? b->len + w.len : b->cap;
		raw(b, "}", 1);
	}
	syscall_name_field(b, "syscall", te->e->nr);
}

static const char *signal_result(int r)
{
	static const char *const names[] = { "delivered", "ignored", "already_pending",
					     "overflow_fail", "lose_info" };

	return r >= 0 && r < 5 ? names[r] : "unknown";
}

static void task(struct jb *b, const struct tl_event *te)
{
	const struct ipclab_event *e = te->e;
	int st = e->task.exit_code;

	switch (e->type) {
	case EVT_SIGNAL:
		str(b, "type", "signal");
		num(b, "sig", e->sig.sig);
		str(b, "signal", signal_name(e->sig.sig));
		str(b, "result", signal_result(e->sig.result));
		num(b, "sender_pid", e->sig.sender_pid);
		num(b, "sender_tid", e->sig.sender_tid);
		syscall_name_field(b, "sender_syscall", e->nr);
		break;
	case EVT_FORK:
		str(b, "type", "fork");
		num(b, "child_pid", e->task.child_pid);
		num(b, "child_tid", e->task.child_tid);
		boolean(b, "thread", e->flags & EVF_THREAD);
		break;
	case EVT_EXEC:
		str(b, "type", "exec");
		text(b, "comm", e->task.comm, sizeof(e->task.comm), false);
		text(b, "filename", e->task.filename, sizeof(e->task.filename), false);
		num(b, "min_flt", (long long)e->task.min_flt);
		num(b, "maj_flt", (long long)e->task.maj_flt);
		break;
	case EVT_EXIT:
		str(b, "type", "exit");
		num(b, "status", st);
		if (st & 0x7f)
			null(b, "code");
		else
			num(b, "code", (st >> 8) & 0xff);
		if (st & 0x7f)
			str(b, "signal", signal_name(st & 0x7f));
		else
			null(b, "signal");
		boolean(b, "thread", e->flags & EVF_THREAD);
		num(b, "min_flt", (long long)e->task.min_flt);
		num(b, "maj_flt", (long long)e->task.maj_flt);
		break;
	case EVT_RENAME:
		str(b, "type", "rename");
		text(b, "comm", e->task.comm, sizeof(e->task.comm), false);
		break;
	default:
		str(b, "type", "unknown");
		num(b, "raw_type", e->type);
		break;
	}
}

static const char *fault_kind(const struct timeline *tl, const struct tl_event *te)
{
	__u64 ec = te->e->fault.error_code;

	if (!(ec & 2))
		return ec & 16 ? "exec" : "read";
	/* a write to a present page: private mappings copy it, shared ones mark it dirty */
	if (ec & 1) {
		/* MAP_PRIVATE is 0x02; unknown memory (shmat, ...) is not assumed private */
		if (te->obj >= 0 && (tl->objs[te->obj].map.flags & 0x03) == 0x02)
			return "cow";
		return "write";
	}
	return "write";
}

static void page_or_null(struct jb *b, const char *k, __s64 page)
{
	if (page >= 0)
		num(b, k, page);
	else
		null(b, k);
}

static void memory(struct jb *b, const struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_event *e = te->e;

	switch (e->type) {
	case EVT_FAULT:
		str(b, "type", "fault");
		num(b, "addr", (long long)e->fault.addr);
		obj_or_null(b, "mapping", te->obj);
		page_or_null(b, "page", te->page);
		boolean(b, "write", e->fault.error_code & 2);
		boolean(b, "present", e->fault.error_code & 1);
		str(b, "kind", fault_kind(tl, te));
		if (te->major < 0)
			null(b, "major");
		else
			boolean(b, "major", te->major);
		boolean(b, "user_mode", !(e->flags & EVF_KERNEL_MODE));
		boolean(b, "handled", !(e->flags & EVF_NOFAULT));
		syscall_name_field(b, "syscall", e->nr);
		return;
	case EVT_PAGE_CACHE:
	case EVT_DIRTY:
		str(b, "type", e->type == EVT_DIRTY ? "dirty" : "page_cache");
		num(b, "inode", (long long)e->fp.ino);
		num(b, "dev", e->fp.dev);
		num(b, "index", (long long)e->fp.index);
		num(b, "pages", (long long)(e->fp.last_index - e->fp.index + 1));	/* folio */
		obj_or_null(b, "mapping", te->obj);
		page_or_null(b, "page", te->page);
		return;
	case EVT_FAULT_AROUND:
		str(b, "type", "fault_around");
		num(b, "inode", (long long)e->fp.ino);
		num(b, "dev", e->fp.dev);
		num(b, "start_index", (long long)e->fp.index);
		num(b, "end_index", (long long)e->fp.last_index);
		obj_or_null(b, "mapping", te->obj);
		page_or_null(b, "first_page", te->page);
		page_or_null(b, "last_page", te->page >= 0 ?
			     te->page + (__s64)(e->fp.last_index - e->fp.index) : -1);
		return;
	case EVT_WRITEBACK:
		str(b, "type", "writeback");
		num(b, "inode", (long long)e->fp.ino);
		num(b, "dev", e->fp.dev);
		return;
	}
}

size_t event_print(const struct timeline *tl, const struct tl_event *te, char *buf, size_t cap)
{
	struct jb b = { buf, 0, cap, true };
	__u16 type = te->e->type;

	raw(&b, "{", 1);
	num(&b, "t", te->t);
	if (te->dur || type == EVT_PIPE_IO || type == EVT_SYSCALL || type == EVT_BLOCK)
		num(&b, "dur", te->dur);
	num(&b, "pid", te->e->pid);
	num(&b, "tid", te->e->tid);
	switch (type) {
	case EVT_PIPE_IO:
		pipe_io(&b, te);
		break;
	case EVT_SYSCALL:
		syscall_event(&b, te);
		break;
	case EVT_BLOCK:
		block(&b, tl, te);
		break;
	case EVT_FAULT:
	case EVT_PAGE_CACHE:
	case EVT_DIRTY:
	case EVT_FAULT_AROUND:
	case EVT_WRITEBACK:
		memory(&b, tl, te);
		break;
	default:
		task(&b, te);
		break;
	}
	raw(&b, "}", 1);
	if (b.len >= cap)
		return 0;
	buf[b.len] = 0;
	return b.len;
}
