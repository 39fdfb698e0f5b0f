// SPDX-License-Identifier: GPL-2.0
/*
 * trace_read.c - read a trace back without holding it.
 *
 * The writer emits the top-level keys in a fixed order, events last, one event per line
 * (docs/trace-format.md, "Layout").  So the reader walks the top-level object itself and
 * hands each value of it - meta, one process, one object, one claim, one event - to
 * json-c on its own, bounded in size, and frees it once the visitor has seen it: memory
 * does not grow with the trace, and a trace of any size is read in one pass.  Where the
 * keys come in another order (a file rewritten by another tool), the file is parsed whole,
 * which only a small one may be.
 *
 * Input goes through zlib's gz* functions, which read an uncompressed file as it is: a
 * .json.gz trace is read the same way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "export.h"
#include "trace_read.h"

size_t trace_whole_max = TRACE_WHOLE_MAX;

#define FEED_MAX (64u << 10)	/* bytes handed to json-c at a time */
#define READ_MAX (1u << 20)	/* bytes asked of zlib at a time */
#define TAIL_MAX 4096		/* bytes of a file's end looked at by TRACE_READ_HEADER */

/* Times and byte counts are added up by the readers (end = t + dur, bytes copied so far):
 * bounding them by what a double holds exactly (what JavaScript reads exactly) keeps such
 * sums far from overflow.  A key that is absent is fine; one that is there must be in range. */
#define TRACE_NUM_MAX (1LL << 53)

/* Internal outcomes of a pass, besides 0 and negative errors. */
#define STOP_REORDERED 1	/* keys out of order: read the file whole */
#define STOP_HEADER 2		/* TRACE_READ_HEADER: seen enough */

enum part { P_FORMAT, P_VERSION, P_META, P_PROCESSES, P_OBJECTS, P_CLAIMS, P_EVENTS, NPARTS,
	    P_OTHER = NPARTS };

static const char *const part_name[NPARTS] = {
	"format", "version", "meta", "processes", "objects", "claims", "events",
};

struct reader {
	const char *path;
	char *err;
	size_t errlen;
	const struct trace_visitor *v;
	unsigned flags;
	/* input: buf[pos, len) is what has not been parsed yet */
	gzFile gz;
	bool in_memory;			/* buf holds the whole (small) file */
	char *buf;
	size_t cap, len, pos;
	unsigned long long base;	/* offset of buf[0] in the (uncompressed) file */
	bool eof;
	struct json_tokener *tok;
	/* one pass */
	bool dry;			/* check the order only: nothing goes to v */
	unsigned seen;			/* 1 << enum part */
	bool format_checked;
	json_object *format, *version;
	struct trace_header h;
	size_t nevents;
	long long last_t;
};

static __attribute__((format(printf, 3, 4))) int fail(struct reader *r, int ret,
						       const char *fmt, ...)
{
	size_t n;
	va_list ap;

	if (r->err[0])
		return ret;	/* the first reason is the one given */
	n = snprintf(r->err, r->errlen, "%s: ", r->path);
	if (n >= r->errlen)
		return ret;
	va_start(ap, fmt);
	vsnprintf(r->err + n, r->errlen - n, fmt, ap);
	va_end(ap);
	return ret;
}

static int nomem(struct reader *r)
{
	return fail(r, -ENOMEM, "out of memory while reading the trace");
}

static unsigned long long offset(const struct reader *r)
{
	return r->base + r->pos;
}

static int ends_early(struct reader *r)
{
	if (offset(r) == 0)
		return fail(r, -EBADMSG, "not a trace: the file is empty");
	return fail(r, -EBADMSG, "not valid JSON (the file ends early)");
}

/* ------------------------------------------------------------------ input */

static int gz_fail(struct reader *r)
{
	int zerr;
	const char *msg = gzerror(r->gz, &zerr);

	if (zerr == Z_MEM_ERROR)
		return nomem(r);
	if (zerr == Z_ERRNO)
		return fail(r, -errno, "cannot read: %s", strerror(errno));
	if (zerr == Z_BUF_ERROR)
		return fail(r, -EBADMSG, "not valid gzip (the compressed file ends early)");
	return fail(r, -EBADMSG, "not valid gzip: %s", msg);
}

/* More input once buf is used up: 0 (at the end: r->eof) or an error. */
static int refill(struct reader *r)
{
	int n, zerr;

	if (r->pos < r->len || r->eof)
		return 0;
	if (r->in_memory) {
		r->eof = true;
		return 0;
	}
	r->base += r->len;
	r->len = r->pos = 0;
	n = gzread(r->gz, r->buf, r->cap < READ_MAX ? r->cap : READ_MAX);
	if (n < 0)
		return gz_fail(r);
	if (n == 0) {
		gzerror(r->gz, &zerr);
		if (zerr != Z_OK)
			return gz_fail(r);
		r->eof = true;
	}
	r->len = n;
	return 0;
}

#define CH_END -1	/* no more input */
#define CH_ERR -2	/* a read error, reported */

/* The next character that is not white space, left in place. */
static int peek(struct reader *r, int *ret)
{
	for (;;) {
		*ret = refill(r);
		if (*ret)
			return CH_ERR;
		if (r->pos == r->len)
			return CH_END;
		for (; r->pos < r->len; r->pos++) {
			unsigned char c = r->buf[r->pos];

			if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
				return c;
		}
	}
}

/* Consume `want` (after white space), or fail saying it was expected. */
static int expect(struct reader *r, int want, const char *what)
{
	int ret, c = peek(r, &ret);

	if (c == CH_ERR)
		return ret;
	if (c == CH_END)
		return ends_early(r);
	if (c != want)
		return fail(r, -EBADMSG, "not valid JSON: expected %s at byte %llu", what, offset(r));
	r->pos++;
	return 0;
}

/*
 * One JSON value from the input, through json-c, at most TRACE_VALUE_MAX bytes of it.
 * json-c 0.16 has no error code for a failed allocation: errno says ENOMEM then.
 */
static int parse_value(struct reader *r, const char *what, json_object **out)
{
	size_t fed = 0;
	int ret;

	*out = NULL;
	json_tokener_reset(r->tok);
	for (;;) {
		size_t n, end;
		enum json_tokener_error jerr;
		json_object *o;

		ret = refill(r);
		if (ret)
			return ret;
		if (r->pos == r->len)
			return ends_early(r);
		n = r->len - r->pos < FEED_MAX ? r->len - r->pos : FEED_MAX;
		errno = 0;
		o = json_tokener_parse_ex(r->tok, r->buf + r->pos, (int)n);
		jerr = json_tokener_get_error(r->tok);
		end = json_tokener_get_parse_end(r->tok);
		if (errno == ENOMEM) {
			json_object_put(o);
			return nomem(r);
		}
		if (jerr == json_tokener_success || (jerr == json_tokener_continue && end == n)) {
			r->pos += end;
			fed += end;
			if (fed > TRACE_VALUE_MAX) {
				json_object_put(o);
				return fail(r, -EBADMSG, "%s is larger than %u MiB: not a trace "
					    "this ipclab writes", what, TRACE_VALUE_MAX >> 20);
			}
			if (jerr == json_tokener_continue)
				continue;
			*out = o;
			return 0;
		}
		r->pos += end;
		return fail(r, -EBADMSG, "not valid JSON: %s at byte %llu",
			    jerr == json_tokener_continue ? "unexpected character" :
			    json_tokener_error_desc(jerr), offset(r));
	}
}

/* ------------------------------------------------------------------ checks */

static json_object *member(json_object *o, const char *key, json_type type)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

static bool int_in(json_object *e, const char *key, long long min)
{
	json_object *v;
	int64_t x;

	if (!json_object_object_get_ex(e, key, &v))
		return true;
	x = json_object_get_int64(v);
	return json_object_is_type(v, json_type_int) && x >= min && x <= TRACE_NUM_MAX;
}

static const char *event_problem(json_object *e)
{
	if (!json_object_is_type(e, json_type_object))
		return "is not an object";
	if (!member(e, "t", json_type_int) || !member(e, "type", json_type_string) ||
	    !member(e, "pid", json_type_int) || !member(e, "tid", json_type_int))
		return "lacks t, type, pid or tid";
	if (!int_in(e, "t", 0) || !int_in(e, "dur", 0) || !int_in(e, "bytes", -TRACE_NUM_MAX))
		return "has a t, dur or bytes out of range (integers up to 2^53; t, dur >= 0)";
	return NULL;
}

static bool claim_ok(json_object *c)
{
	return json_object_is_type(c, json_type_object) && member(c, "id", json_type_string) &&
	       member(c, "text", json_type_string) && member(c, "status", json_type_string);
}

/* format and version, checked before anything else is looked at */
static int check_format(struct reader *r)
{
	int64_t v;

	if (r->format_checked)
		return 0;
	r->format_checked = true;
	if (!json_object_is_type(r->format, json_type_string) ||
	    strcmp(json_object_get_string(r->format), TRACE_FORMAT))
		return fail(r, -EBADMSG, "not an ipclab trace (no \"format\": \"%s\")", TRACE_FORMAT);
	v = json_object_get_int64(r->version);
	if (!json_object_is_type(r->version, json_type_int) || v < 1)
		return fail(r, -EBADMSG, "ipclab trace without a valid version");
	if (v > TRACE_VERSION)
		return fail(r, -EBADMSG, "trace format version %lld is newer than this ipclab reads "
			    "(%d): use a newer ipclab", (long long)v, TRACE_VERSION);
	r->h.version = (int)v;
	return 0;
}

/* ------------------------------------------------------------------ the parts */

/* One element of processes, objects, claims or events, checked, then visited. */
static int element(struct reader *r, enum part p, json_object *o, size_t i)
{
	const struct trace_visitor *v = r->dry ? NULL : r->v;
	const char *why;
	long long t;

	switch (p) {
	case P_PROCESSES:
		r->h.nprocesses++;
		return v && v->process ? v->process(v->ctx, o) : 0;
	case P_OBJECTS:
		r->h.nobjects++;
		return v && v->object ? v->object(v->ctx, o) : 0;
	case P_CLAIMS:
		if (!claim_ok(o))
			return fail(r, -EBADMSG, "claim %zu lacks a string id, text or status", i);
		r->h.nclaims++;
		return v && v->claim ? v->claim(v->ctx, o) : 0;
	case P_EVENTS:
		why = event_problem(o);
		if (why)
			return fail(r, -EBADMSG, "event %zu %s", i, why);
		t = json_object_get_int64(json_object_object_get(o, "t"));
		if (i && t < r->last_t)
			return fail(r, -EBADMSG, "event %zu is out of time order (t %lld after %lld)",
				    i, t, r->last_t);
		r->last_t = t;
		r->nevents++;
		return v && v->event ? v->event(v->ctx, o, i) : 0;
	default:
		return 0;
	}
}

static int begin_part(struct reader *r, enum part p)
{
	const struct trace_visitor *v = r->dry ? NULL : r->v;

	if (p == P_META && !json_object_is_type(r->h.meta, json_type_object))
		return fail(r, -EBADMSG, "incomplete trace: \"%s\" is not an object", "meta");
	if (p == P_META && v && v->meta)
		return v->meta(v->ctx, r->h.meta);
	if (p == P_EVENTS && v && v->events_begin)
		return v->events_begin(v->ctx, &r->h);
	return 0;
}

/* After the last event: the parts all there, as many events as meta says. */
static int finish(struct reader *r)
{
	const struct trace_visitor *v = r->dry ? NULL : r->v;
	json_object *n = member(r->h.meta, "events", json_type_int);
	int ret;

	if (!(r->seen & 1u << P_FORMAT))
		return fail(r, -EBADMSG, "not an ipclab trace (no \"format\": \"%s\")", TRACE_FORMAT);
	if (!(r->seen & 1u << P_VERSION))
		return fail(r, -EBADMSG, "ipclab trace without a valid version");
	ret = check_format(r);
	if (ret)
		return ret;
	for (int p = P_META; p < NPARTS; p++)
		if (!(r->seen & 1u << p))
			return fail(r, -EBADMSG, "incomplete trace: \"%s\" is missing", part_name[p]);
	if (n && json_object_get_int64(n) != (int64_t)r->nevents)
		return fail(r, -EBADMSG, "incomplete trace: meta.events is %lld but the file has "
			    "%zu events", (long long)json_object_get_int64(n), r->nevents);
	return v && v->end ? v->end(v->ctx, r->nevents) : 0;
}

/* ------------------------------------------------------------------ streaming */

static enum part part_of(const char *key)
{
	for (int p = 0; p < NPARTS; p++)
		if (!strcmp(key, part_name[p]))
			return p;
	return P_OTHER;
}

/* The first of the parts in mask not seen yet, or the last one seen. */
static enum part first_missing(const struct reader *r, unsigned mask)
{
	for (int q = 0; q < NPARTS; q++)
		if (mask & ~r->seen & 1u << q)
			return q;
	return P_FORMAT;
}

static enum part last_seen(const struct reader *r)
{
	for (int q = NPARTS; q-- > 0;)
		if (r->seen & 1u << q)
			return q;
	return P_FORMAT;
}

/*
 * A key of the top-level object: known keys once each, in the writer's order (format and
 * version before the rest).  Out of order, a small file is read whole instead (dry pass),
 * a large one refused.
 */
static int key_order(struct reader *r, enum part p)
{
	static const char order[] = "the order is format, version, meta, processes, objects, "
				    "claims, events, which a trace too large to read whole keeps";
	unsigned before = (1u << p) - 1, later = ~0u << (p + 1);

	if (p == P_OTHER)
		return 0;
	if (r->seen & 1u << p)
		return fail(r, -EBADMSG, "not a trace this ipclab reads: \"%s\" appears twice", part_name[p]);
	if (p <= P_VERSION)
		before = 0, later &= ~(1u << P_VERSION | 1u << P_FORMAT);
	if ((r->seen & before) == before && !(r->seen & later)) {
		r->seen |= 1u << p;
		return p >= P_META ? check_format(r) : 0;
	}
	if (r->dry)
		return STOP_REORDERED;
	if ((r->seen & before) != before)
		return fail(r, -EBADMSG, "not a trace as ipclab writes it: \"%s\" is missing or "
			    "comes after \"%s\" (%s)", part_name[first_missing(r, before)],
			    part_name[p], order);
	return fail(r, -EBADMSG, "not a trace as ipclab writes it: \"%s\" comes after \"%s\" "
		    "(%s)", part_name[p], part_name[last_seen(r)], order);
}

static void element_name(enum part p, size_t i, char *buf, size_t n)
{
	static const char *const one[NPARTS] = {
		[P_PROCESSES] = "process", [P_OBJECTS] = "object", [P_CLAIMS] = "claim",
		[P_EVENTS] = "event",
	};

	snprintf(buf, n, "%s %zu", one[p], i);
}

static int read_array(struct reader *r, enum part p)
{
	char what[48];
	int ret, c = peek(r, &ret);

	if (c == CH_ERR)
		return ret;
	if (c != '[') {
		if (c == CH_END)
			return ends_early(r);
		return fail(r, -EBADMSG, "incomplete trace: \"%s\" is not an array", part_name[p]);
	}
	r->pos++;
	ret = begin_part(r, p);
	if (ret)
		return ret;
	c = peek(r, &ret);
	if (c == CH_ERR)
		return ret;
	if (c == ']') {
		r->pos++;
		return 0;
	}
	for (size_t i = 0;; i++) {
		json_object *o;

		element_name(p, i, what, sizeof(what));
		ret = parse_value(r, what, &o);
		if (!ret)
			ret = element(r, p, o, i);
		json_object_put(o);
		if (ret)
			return ret;
		if (p == P_EVENTS && (r->flags & TRACE_READ_HEADER) && !r->dry)
			return STOP_HEADER;
		c = peek(r, &ret);
		if (c == ',' || c == ']') {
			r->pos++;
			if (c == ']')
				return 0;
			continue;
		}
		if (c == CH_ERR)
			return ret;
		return c == CH_END ? ends_early(r) :
		       fail(r, -EBADMSG, "not valid JSON: expected ',' or ']' after %s at byte %llu",
			    what, offset(r));
	}
}

/* The value of a top-level key. */
static int read_part(struct reader *r, enum part p, const char *key)
{
	json_object *o;
	char what[80];
	int ret;

	if (p >= P_PROCESSES && p <= P_EVENTS)
		return read_array(r, p);
	snprintf(what, sizeof(what), "\"%.64s\"", key);
	ret = parse_value(r, what, &o);
	if (ret)
		return ret;
	switch (p) {
	case P_FORMAT:
		r->format = o;
		return 0;
	case P_VERSION:
		r->version = o;
		return 0;
	case P_META:
		r->h.meta = o;
		return begin_part(r, p);
	default:
		json_object_put(o);	/* a key this reader does not know: ignored */
		return 0;
	}
}

static int read_key(struct reader *r, enum part *p, char *key, size_t n)
{
	json_object *k;
	int ret = parse_value(r, "a key", &k);

	if (ret)
		return ret;
	if (!json_object_is_type(k, json_type_string)) {
		json_object_put(k);
		return fail(r, -EBADMSG, "not valid JSON: expected a key at byte %llu", offset(r));
	}
	snprintf(key, n, "%s", json_object_get_string(k));
	*p = part_of(json_object_get_string(k));
	json_object_put(k);
	return key_order(r, *p);
}

static int stream_pass(struct reader *r)
{
	char key[80];
	enum part p = P_OTHER;
	int ret, c = peek(r, &ret);

	if (c == CH_ERR)
		return ret;
	if (c == CH_END)
		return ends_early(r);
	if (c != '{')
		return strchr("[\"-0123456789tfn", c) ?
		       fail(r, -EBADMSG, "not an ipclab trace (the JSON value is not an object)") :
		       fail(r, -EBADMSG, "not valid JSON: unexpected character at byte %llu",
			    offset(r));
	r->pos++;
	if (peek(r, &ret) == '}') {
		r->pos++;
	} else {
		for (;;) {
			ret = read_key(r, &p, key, sizeof(key));
			if (!ret)
				ret = expect(r, ':', "':'");
			if (!ret)
				ret = read_part(r, p, key);
			if (ret)
				return ret;
			c = peek(r, &ret);
			if (c == ',' || c == '}') {
				r->pos++;
				if (c == '}')
					break;
				continue;
			}
			if (c == CH_ERR)
				return ret;
			return c == CH_END ? ends_early(r) :
			       fail(r, -EBADMSG, "not valid JSON: expected ',' or '}' at byte %llu",
				    offset(r));
		}
	}
	c = peek(r, &ret);
	if (c == CH_ERR)
		return ret;
	if (c != CH_END)
		return fail(r, -EBADMSG, "not valid JSON: data after the end of the trace");
	return finish(r);
}

/* ------------------------------------------------------------------ a small file, whole */

static int whole_array(struct reader *r, json_object *t, enum part p)
{
	json_object *a;
	size_t n;
	int ret;

	if (!json_object_object_get_ex(t, part_name[p], &a))
		return fail(r, -EBADMSG, "incomplete trace: \"%s\" is missing", part_name[p]);
	if (!json_object_is_type(a, json_type_array))
		return fail(r, -EBADMSG, "incomplete trace: \"%s\" is not an array", part_name[p]);
	r->seen |= 1u << p;
	ret = begin_part(r, p);
	n = json_object_array_length(a);
	for (size_t i = 0; !ret && i < n; i++)
		ret = element(r, p, json_object_array_get_idx(a, i), i);
	return ret;
}

/* The parts in the writer's order, from a parsed trace. */
static int whole_parts(struct reader *r, json_object *t)
{
	int ret;

	if (!json_object_is_type(t, json_type_object))
		return fail(r, -EBADMSG, "not an ipclab trace (the JSON value is not an object)");
	r->format = json_object_get(json_object_object_get(t, "format"));
	r->version = json_object_get(json_object_object_get(t, "version"));
	ret = check_format(r);
	if (ret)
		return ret;
	r->seen = 1u << P_FORMAT | 1u << P_VERSION;
	if (!json_object_object_get_ex(t, "meta", &r->h.meta))
		return fail(r, -EBADMSG, "incomplete trace: \"%s\" is missing", "meta");
	json_object_get(r->h.meta);
	r->seen |= 1u << P_META;
	ret = begin_part(r, P_META);
	for (int p = P_PROCESSES; !ret && p < NPARTS; p++)
		ret = whole_array(r, t, p);
	return ret ? ret : finish(r);
}

static int whole_pass(struct reader *r)
{
	json_object *t;
	enum json_tokener_error jerr;
	size_t end;
	int ret;

	json_tokener_reset(r->tok);
	errno = 0;
	t = json_tokener_parse_ex(r->tok, r->buf, (int)r->len);
	jerr = json_tokener_get_error(r->tok);
	end = json_tokener_get_parse_end(r->tok);
	r->pos = end;
	if (errno == ENOMEM)
		ret = nomem(r);
	else if (jerr == json_tokener_continue)
		ret = ends_early(r);
	else if (jerr != json_tokener_success)
		ret = fail(r, -EBADMSG, "not valid JSON: %s at byte %zu",
			   json_tokener_error_desc(jerr), end);
	else if (peek(r, &ret) != CH_END)
		ret = fail(r, -EBADMSG, "not valid JSON: data after the end of the trace");
	else
		ret = whole_parts(r, t);
	json_object_put(t);
	return ret;
}

/* ------------------------------------------------------------------ the file */

bool trace_fd_is_gzip(int fd)
{
	unsigned char m[2];

	return pread(fd, m, 2, 0) == 2 && m[0] == 0x1f && m[1] == 0x8b;
}

/* A regular file only: a FIFO or a device could block or never end. */
static int open_regular(struct reader *r, struct stat *st)
{
	int fd = open(r->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return fail(r, -errno, "%s", strerror(errno));
	if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
		close(fd);
		return fail(r, -EBADMSG, "%s", S_ISDIR(st->st_mode) ? "is a directory" : "not a regular file");
	}
	return fd;
}

/* The writer ends a trace with "}\n]}\n" (or "[\n]}\n"): a cheap test for a cut file. */
static int check_tail(struct reader *r, int fd, off_t size)
{
	char tail[TAIL_MAX];
	size_t n = size < TAIL_MAX ? (size_t)size : TAIL_MAX;
	const char want[] = "]}";
	ssize_t got = pread(fd, tail, n, size - n);
	int k = 1;

	if (got != (ssize_t)n)
		return fail(r, got < 0 ? -errno : -EIO, "cannot read: %s",
			    got < 0 ? strerror(errno) : "short read");
	for (size_t i = n; i-- > 0;) {
		char c = tail[i];

		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (k < 0)
			return c == '}' || c == '[' ? 0 : ends_early(r);
		if (c != want[k])
			break;
		k--;
	}
	r->base = size;
	r->pos = r->len = 0;
	return ends_early(r);
}

/* Fill buf from the start: the whole file when it is small (up to trace_whole_max). */
static int load_small(struct reader *r)
{
	size_t want = trace_whole_max + 1;	/* one byte more: is there more? */

	while (r->len < want) {
		int n = gzread(r->gz, r->buf + r->len, want - r->len);

		if (n < 0)
			return gz_fail(r);
		if (n == 0) {
			int zerr;

			gzerror(r->gz, &zerr);
			if (zerr != Z_OK)
				return gz_fail(r);
			r->in_memory = true;
			return 0;
		}
		r->len += n;
	}
	/* larger: streamed from the start */
	r->len = 0;
	return gzrewind(r->gz) ? gz_fail(r) : 0;
}

static void reset_pass(struct reader *r, bool dry)
{
	json_object_put(r->format);
	json_object_put(r->version);
	json_object_put(r->h.meta);
	r->format = r->version = r->h.meta = NULL;
	memset(&r->h, 0, sizeof(r->h));
	r->seen = 0;
	r->format_checked = false;
	r->nevents = 0;
	r->last_t = 0;
	r->pos = 0;
	r->eof = false;
	r->dry = dry;
}

static int read_all(struct reader *r)
{
	int ret = load_small(r);

	if (ret)
		return ret;
	if (r->in_memory) {
		/* a small file: is it in the writer's order? (a dry pass, cheap at this size) */
		reset_pass(r, true);
		ret = stream_pass(r);
		if (ret == STOP_REORDERED) {
			reset_pass(r, false);
			return whole_pass(r);
		}
		if (ret)
			return ret;
	}
	reset_pass(r, false);
	ret = stream_pass(r);
	return ret == STOP_HEADER ? 0 : ret;
}

int trace_read(const char *path, const struct trace_visitor *v, unsigned flags, char *err,
	       size_t errlen)
{
	struct reader r = { .path = path, .err = err, .errlen = errlen, .v = v, .flags = flags };
	struct stat st;
	int fd, gzfd = -1, ret;
	bool gzip;

	err[0] = 0;
	fd = open_regular(&r, &st);
	if (fd < 0)
		return fd;
	gzip = trace_fd_is_gzip(fd);
	r.cap = trace_whole_max + 1 > READ_MAX ? trace_whole_max + 1 : READ_MAX;
	r.buf = malloc(r.cap);
	r.tok = json_tokener_new_ex(32);
	gzfd = dup(fd);
	if (gzfd < 0) {
		ret = fail(&r, -errno, "%s", strerror(errno));
		goto out;
	}
	r.gz = r.buf && r.tok ? gzdopen(gzfd, "rb") : NULL;
	if (!r.gz) {
		close(gzfd);
		ret = nomem(&r);
		goto out;
	}
	json_tokener_set_flags(r.tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS);
	gzbuffer(r.gz, 256 << 10);
	ret = read_all(&r);
	if (!ret && (flags & TRACE_READ_HEADER) && !gzip && !r.in_memory)
		ret = check_tail(&r, fd, st.st_size);
	gzclose(r.gz);
out:
	reset_pass(&r, false);
	if (r.tok)	/* json-c 0.16 dereferences NULL here */
		json_tokener_free(r.tok);
	free(r.buf);
	close(fd);
	return ret > 0 ? 0 : ret;
}
