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
#include "mechanism.h"
#include "names.h"

/*
 * The helpers below run a dozen times per event, on tens of millions of events: they are
 * inlined (so a literal key's length is known when compiling) and write straight into the
 * buffer after one room check.  What they print is unchanged; only the way it is written.
 */
#define HOT static inline __attribute__((always_inline))

/* What raw() and key_n() copy is a few bytes (a number's digits, a mechanism's key through
 * jb_*_n()): when its length is known only when running, it is copied here in words rather
 * than by a call to memcpy() for each. */
HOT char *copy_small(char *o, const char *k, size_t n)
{
	if (__builtin_constant_p(n)) {
		memcpy(o, k, n);
		return o + n;
	}
	for (; n >= 8; n -= 8, o += 8, k += 8)
		memcpy(o, k, 8);
	if (n >= 4) {
		memcpy(o, k, 4);
		o += 4;
		k += 4;
		n -= 4;
	}
	while (n--)
		*o++ = *k++;
	return o;
}

HOT void raw(struct jb *b, const char *s, size_t n)
{
	if (b->len + n < b->cap) {
		copy_small(b->p + b->len, s, n);
		b->len += n;
	} else {
		b->len = b->cap;	/* overflow: the caller sees len == cap */
	}
}

HOT void key_n(struct jb *b, const char *k, size_t n)
{
	char *o;

	if (b->len + n + 4 >= b->cap) {
		b->len = b->cap;
		return;
	}
	o = b->p + b->len;
	if (!b->first)
		*o++ = ',';
	b->first = false;
	*o++ = '"';
	o = copy_small(o, k, n);
	*o++ = '"';
	*o++ = ':';
	b->len = o - b->p;
}

#define key(b, k) key_n(b, k, __builtin_strlen(k))

static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* v in decimal, as printf's %lld, ending at end; returns where it starts. */
HOT char *decimal(char *end, long long v)
{
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	while (u >= 100) {
		unsigned int r = u % 100;

		u /= 100;
		end -= 2;
		memcpy(end, digit_pairs + 2 * r, 2);
	}
	if (u >= 10) {
		end -= 2;
		memcpy(end, digit_pairs + 2 * u, 2);
	} else {
		*--end = '0' + u;
	}
	if (v < 0)
		*--end = '-';
	return end;
}

/* Digits of u in decimal (1 to 20). */
HOT size_t decimal_digits(unsigned long long u)
{
	size_t n = 1;

	for (unsigned long long p = 10; n < 20 && u >= p; p *= 10)
		n++;
	return n;
}

/* A bare number (an array element), printed in place as raw() would have copied it. */
HOT void number(struct jb *b, long long v)
{
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	size_t n = decimal_digits(u) + (v < 0);

	if (b->len + n >= b->cap) {
		b->len = b->cap;
		return;
	}
	decimal(b->p + b->len + n, v);
	b->len += n;
}

HOT void num_n(struct jb *b, const char *k, size_t kn, long long v)
{
	key_n(b, k, kn);
	number(b, v);
}

#define num(b, k, v) num_n(b, k, __builtin_strlen(k), v)

HOT void null_n(struct jb *b, const char *k, size_t kn)
{
	key_n(b, k, kn);
	raw(b, "null", 4);
}

#define null(b, k) null_n(b, k, __builtin_strlen(k))

HOT void boolean_n(struct jb *b, const char *k, size_t kn, bool v)
{
	key_n(b, k, kn);
	raw(b, v ? "true" : "false", v ? 4 : 5);
}

#define boolean(b, k, v) boolean_n(b, k, __builtin_strlen(k), v)

/* One byte of text() at o: returns the end of what it wrote (1 or 2 bytes). */
HOT char *text_byte(char *o, unsigned char c, bool nl_tab)
{
	if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
		*o++ = c;
	} else if (c == '"' || c == '\\') {
		*o++ = '\\';
		*o++ = c;
	} else if (nl_tab && c == '\n') {
		*o++ = '\\';
		*o++ = 'n';
	} else if (nl_tab && c == '\t') {
		*o++ = '\\';
		*o++ = 't';
	} else {
		*o++ = '.';
	}
	return o;
}

/* Untrusted bytes: printable ASCII kept (newline and tab too when allowed), others '.'. */
static void text_n(struct jb *b, const char *k, size_t kn, const char *s, size_t max,
		   bool nl_tab)
{
	char *o;

	key_n(b, k, kn);
	if (b->len + 2 * max + 2 >= b->cap) {
		/* it may not fit: byte by byte, so that an overflow is seen as before */
		raw(b, "\"", 1);
		for (size_t i = 0; i < max && (nl_tab || s[i]); i++) {
			char two[2], *end = text_byte(two, s[i], nl_tab);

			raw(b, two, end - two);
		}
		raw(b, "\"", 1);
		return;
	}
	o = b->p + b->len;	/* room for every byte escaped */
	*o++ = '"';
	for (size_t i = 0; i < max && (nl_tab || s[i]); i++)
		o = text_byte(o, s[i], nl_tab);
	*o++ = '"';
	b->len = o - b->p;
}

#define text(b, k, s, max, nl_tab) text_n(b, k, __builtin_strlen(k), s, max, nl_tab)

HOT void str_n(struct jb *b, const char *k, size_t kn, const char *s)
{
	text_n(b, k, kn, s, strlen(s), false);
}

#define str(b, k, s) str_n(b, k, __builtin_strlen(k), s)

HOT void obj_or_null_n(struct jb *b, const char *k, size_t kn, int id)
{
	if (id >= 0)
		num_n(b, k, kn, id);
	else
		null_n(b, k, kn);
}

#define obj_or_null(b, k, id) obj_or_null_n(b, k, __builtin_strlen(k), id)

static void syscall_name_field_n(struct jb *b, const char *k, size_t kn, int nr)
{
	const char *n = syscall_name(nr);
	char buf[24];

	if (nr < 0) {
		null_n(b, k, kn);
		return;
	}
	if (!n) {
		snprintf(buf, sizeof(buf), "syscall_%d", nr);
		n = buf;
	}
	str_n(b, k, kn, n);
}

#define syscall_name_field(b, k, nr) syscall_name_field_n(b, k, __builtin_strlen(k), nr)

static void result_n(struct jb *b, const char *k, size_t kn, __s64 r)
{
	num_n(b, k, kn, r);
	if (r < 0 && r > -4096)
		str(b, "error", errno_name((int)-r));
}

#define result(b, k, r) result_n(b, k, __builtin_strlen(k), r)

/* ---------------------------------------------------------------- for the mechanisms */

void jb_num_n(struct jb *b, const char *k, size_t kn, long long v)
{
	num_n(b, k, kn, v);
}

void jb_null_n(struct jb *b, const char *k, size_t kn)
{
	null_n(b, k, kn);
}

void jb_bool_n(struct jb *b, const char *k, size_t kn, bool v)
{
	boolean_n(b, k, kn, v);
}

void jb_str_n(struct jb *b, const char *k, size_t kn, const char *s)
{
	str_n(b, k, kn, s);
}

void jb_obj_n(struct jb *b, const char *k, size_t kn, int id)
{
	obj_or_null_n(b, k, kn, id);
}

void jb_fds(struct jb *b, const char *k, int a, int c)
{
	char fds[40];

	key(b, k);
	raw(b, fds, snprintf(fds, sizeof(fds), "[%d,%d]", a, c));
}

void jb_result_n(struct jb *b, const char *k, size_t kn, __s64 r)
{
	result_n(b, k, kn, r);
}

void jb_syscall_n(struct jb *b, const char *k, size_t kn, int nr)
{
	syscall_name_field_n(b, k, kn, nr);
}

void jb_names(struct jb *b, const char *k, const char *const *names, size_t n)
{
	key(b, k);
	raw(b, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			raw(b, ",", 1);
		raw(b, "\"", 1);
		raw(b, names[i], strlen(names[i]));
		raw(b, "\"", 1);
	}
	raw(b, "]", 1);
}

/* True when text() (with newline and tab) would dot a byte: the text form lost it. */
static bool text_loses_bytes(const __u8 *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] < 0x20 || s[i] > 0x7e) && s[i] != '\n' && s[i] != '\t')
			return true;
	return false;
}

static void hex(struct jb *b, const char *k, const __u8 *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *o;

	key(b, k);
	if (b->len + 2 * n + 2 >= b->cap) {
		b->len = b->cap;	/* raw() would have stopped at the same place: no line */
		return;
	}
	o = b->p + b->len;
	*o++ = '"';
	for (size_t i = 0; i < n; i++) {
		*o++ = digits[s[i] >> 4];
		*o++ = digits[s[i] & 15];
	}
	*o++ = '"';
	b->len = o - b->p;
}

/* A sample as text, and as hex only when the text lost a byte: most copies are text, and a
 * million-event trace should not carry every sample twice. */
static void sample(struct jb *b, const char *k, const char *k_hex, const __u8 *s, size_t n)
{
	text(b, k, (const char *)s, n, true);
	if (text_loses_bytes(s, n))
		hex(b, k_hex, s, n);
}

void jb_data(struct jb *b, const __u8 *head, const __u8 *tail, __u32 len, bool with_tail)
{
	if (!len)
		return;
	sample(b, "data", "data_hex", head, len < IPCLAB_DATA_LEN ? len : IPCLAB_DATA_LEN);
	if (with_tail)
		sample(b, "data_tail", "data_tail_hex", tail, IPCLAB_DATA_LEN);
}

/* ---------------------------------------------------------------- the core's records */

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

static void syscall_event(struct jb *b, const struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_syscall *sc = &te->e->sc;
	const struct mech_trace_ops *mech;

	str(b, "type", "syscall");
	syscall_name_field(b, "name", te->e->nr);
	key(b, "args");
	raw(b, "[", 1);
	for (int i = 0; i < 6; i++) {
		if (i)
			raw(b, ",", 1);
		number(b, (long long)sc->args[i]);
	}
	raw(b, "]", 1);
	result(b, "ret", sc->ret);
	if (sc->path[0])
		text(b, "path", sc->path, sizeof(sc->path), false);
	for (size_t i = 0; i < n_mechanisms; i++) {
		mech = mechanisms[i]->trace;
		if (mech && mech->syscall_head_json)
			mech->syscall_head_json(b, tl, te);
	}
	if (sc->stat_mode) {
		str(b, "stat_type", file_type(sc->stat_mode));
		num(b, "stat_size", (long long)sc->stat_size);
		num(b, "stat_mode", sc->stat_mode);	/* the permission bits too (check) */
	}
	if (te->obj < 0)
		return;
	num(b, "obj", te->obj);
	mech = mech_trace_for_syscall(te->e->nr, te->e->flags);
	if (mech && mech->syscall_json)
		mech->syscall_json(b, tl, te);
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

static void task(struct jb *b, const struct tl_event *te)
{
	const struct ipclab_event *e = te->e;
	int st = e->task.exit_code;

	switch (e->type) {
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
		num(b, "nvcsw", (long long)e->task.nvcsw);
		num(b, "nivcsw", (long long)e->task.nivcsw);
		num(b, "syscalls", (long long)e->task.syscalls);
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

/* The record types printed here; the others are a mechanism's (or unknown). */
static bool core_event(__u16 type)
{
	switch (type) {
	case EVT_SYSCALL: case EVT_BLOCK: case EVT_FORK: case EVT_EXEC:
	case EVT_EXIT: case EVT_RENAME:
		return true;
	}
	return false;
}

size_t event_print(const struct timeline *tl, const struct tl_event *te, char *buf, size_t cap)
{
	struct jb b = { buf, 0, cap, true };
	__u16 type = te->e->type;
	/* looked up only for what is not the core's: printing is most of an export's time */
	const struct mech_trace_ops *mech = core_event(type) ? NULL : mech_trace_for_event(type);

	raw(&b, "{", 1);
	num(&b, "t", te->t);
	if (te->dur || type == EVT_SYSCALL || type == EVT_BLOCK || (mech && !mech->instants))
		num(&b, "dur", te->dur);
	num(&b, "pid", te->e->pid);
	num(&b, "tid", te->e->tid);
	switch (type) {
	case EVT_SYSCALL:
		syscall_event(&b, tl, te);
		break;
	case EVT_BLOCK:
		block(&b, tl, te);
		break;
	default:
		if (mech && mech->event_json)
			mech->event_json(&b, tl, te);
		else
			task(&b, te);
		break;
	}
	raw(&b, "}", 1);
	if (b.len >= cap)
		return 0;
	buf[b.len] = 0;
	return b.len;
}
