// SPDX-License-Identifier: GPL-2.0
/*
 * cols.c - the compact columnar form of a trace's events (cols.h; docs/trace-format.md,
 * "The viewer's compact form").
 *
 * The page's line reader (viz/js/events.js, TraceScanner) spends about 2 µs per event
 * scanning JSON text; a million-event trace is then 2 s of scanning before anything is
 * drawn.  Here the same scan is done once, in C, when `ipclab view` starts, and what the
 * reader keeps of each event is written as binary records the page decodes without looking
 * at the text.  It is the reader's scan exactly (the same strict JSON, the same failures),
 * not a reinterpretation: the records hold each kept field's kind of value and value, and
 * the page applies its own checks and type codes to them (events.js columnsOfCompact), so
 * both paths give the same columns.
 *
 * The form also carries what the page needs to build and draw its model before the JSON
 * text has arrived (the text then downloads in the background): the trace's header (the
 * text before the events line) and the full text of the few events whose details the
 * model's build reads (every event of a type outside the bulk ones below, the rt_sig*
 * syscalls, and the first pipe read and write of each process on each pipe, for the fds
 * the pipe's label shows).  Which events those are is a guess the page checks: its build
 * refuses to go on without the text when it asks for another event's details.
 *
 * Layout, little-endian, the records last so that the page can read them as they arrive
 * (what it needs to read them comes first):
 *   header (64 bytes): "IPCLABC3", u64 json_size, u64 strings_at, u32 header_end, u32 n,
 *                      u32 nstrings, u32 ndetails, u64 details_at, u64 head_at,
 *                      u64 records_at
 *   head:              the JSON text's first header_end bytes (up to the events line)
 *   strings:           nstrings x (u16 length, bytes): the field names first (the page
 *                      checks them against its own), then the strings records name
 *   details:           ndetails x (u32 event index, u32 length, the event's JSON text)
 *   n records:         u32 start, u32 end (the event's bytes in the JSON text),
 *                      u32 mask (bit f: field f present), then for each present field in
 *                      order a u8 kind and its value: f64 (NUM), i32 (INT), u32 (STR: the
 *                      index of the string for type, kind, syscall and name, NO_STRING for
 *                      an escaped one, the length otherwise), nothing (null, true, false,
 *                      other)
 * The records and the details are known only at the end of the scan: both go to
 * temporary files meanwhile, appended to the form then.
 * Memory: a line buffer, a string table and a table of (pipe, type, pid) of fixed sizes,
 * whatever the trace's size.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "cols.h"
#include "trace_read.h"

#define LINE_MAX_BYTES (1u << 20)	/* a longer event line: no compact form */
#define MAX_STRINGS 1024
#define MAX_STRING_LEN 255
#define MAX_DEPTH 64			/* as events.js */
#define NO_STRING 0xffffffffu
#define HEADER_BYTES 64
#define MAX_PIPE_SIDES 4096		/* (pipe, type, pid) whose first event is kept */

/* The fields the page's reader keeps, in its order (events.js FIELDS). */
static const char *const fields[] = {
	"t", "dur", "pid", "tid", "type", "obj", "mapping", "kind", "bytes", "occ_before",
	"occ_after", "slots_before", "slots_after", "slots_max", "ring_size", "page", "pages",
	"first_page", "last_page", "handled", "write", "major", "present", "syscall", "name",
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))
enum { F_PID = 2, F_TYPE = 4, F_OBJ = 5, F_KIND = 7, F_SYSCALL = 23, F_NAME = 24 };

/* Kinds of value, as events.js numbers them; INT is a NUM that fits an i32 (4 bytes less). */
enum { ABSENT, NUM, STR, NUL, OTHER, TRUE_, FALSE_, INT };

struct value {
	int kind;
	double num;
	const char *s, *e;	/* a string's content */
	bool esc;
};

struct strings {
	uint32_t n;
	uint16_t len[MAX_STRINGS];
	char text[MAX_STRINGS][MAX_STRING_LEN];
	int16_t slot[2 * MAX_STRINGS];	/* open addressing: index + 1, 0 empty */
};

/* The pipe sides (pipe, type, pid) seen: open addressing, 0 empty. */
struct sides {
	uint32_t n;
	uint64_t key[2 * MAX_PIPE_SIDES];
};

struct derive {
	gzFile in;
	FILE *out;
	FILE *details;		/* the details section, appended to out at the end */
	FILE *records;		/* the records, appended after it */
	uint32_t ndetails;
	struct sides *sides;
	char *buf;
	size_t have;		/* bytes in buf */
	uint64_t base;		/* offset of buf[0] in the JSON text */
	int state;		/* 0 header lines, 1 event lines, 2 after "]}" */
	bool more;		/* the last event line ended with a comma */
	uint32_t header_end, n;
	uint64_t json_size;
	struct strings *str;
	/* the current event: kind, value, string index of each field */
	uint8_t k[NFIELDS];
	double v[NFIELDS];
	uint32_t sid[NFIELDS];
};

/* ---------------------------------------------------------------- strict JSON, as events.js */

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static const char *scan_string(const char *p, const char *end, struct value *v)
{
	v->s = ++p;
	v->esc = false;
	while (p < end) {
		unsigned char c = *p;

		if (c == '"') {
			v->e = p;
			v->kind = STR;
			return p + 1;
		}
		if (c < 32)
			return NULL;
		if (c != '\\') {
			p++;
			continue;
		}
		v->esc = true;
		if (p + 1 < end && p[1] == 'u') {
			if (p + 5 >= end || !is_hex(p[2]) || !is_hex(p[3]) || !is_hex(p[4]) || !is_hex(p[5]))
				return NULL;
			p += 6;
		} else if (p + 1 < end && strchr("\"\\/bfnrt", p[1]) && p[1]) {
			p += 2;
		} else {
			return NULL;
		}
	}
	return NULL;
}

static const char *digits(const char *p, const char *end)
{
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p;
}

/* Integers of up to 15 digits exactly, others as strtod (correctly rounded, as Number()). */
static const char *scan_number(const char *p, const char *end, struct value *v)
{
	const char *s = p, *d0;
	bool simple;
	double x = 0;

	if (*p == '-')
		p++;
	if (p < end && *p == '0') {
		p++;
	} else if (p < end && *p >= '1' && *p <= '9') {
		for (d0 = p; p < end && *p >= '0' && *p <= '9'; p++)
			x = x * 10 + (*p - '0');
		if (p - d0 > 15)
			x = -1;	/* not simple */
	} else {
		return NULL;
	}
	simple = x >= 0;
	if (p < end && *p == '.') {
		simple = false;
		d0 = ++p;
		if ((p = digits(p, end)) == d0)
			return NULL;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		simple = false;
		if (++p < end && (*p == '+' || *p == '-'))
			p++;
		d0 = p;
		if ((p = digits(p, end)) == d0)
			return NULL;
	}
	if (!simple) {
		char tmp[64];

		if (p - s >= (long)sizeof(tmp))
			return NULL;	/* left to the page (a longer number is no time) */
		memcpy(tmp, s, p - s);
		tmp[p - s] = 0;
		x = strtod(tmp, NULL);
	} else if (*s == '-') {
		x = -x;
	}
	v->num = x;
	v->kind = NUM;
	return p;
}

static const char *scan_word(const char *p, const char *end, const char *word, int kind,
			     struct value *v)
{
	size_t n = strlen(word);

	if ((size_t)(end - p) < n || memcmp(p, word, n))
		return NULL;
	v->kind = kind;
	return p + n;
}

static const char *scan_value(const char *p, const char *end, int depth, struct value *v);

/* An array or object from *p; its members are checked, not kept.  No trailing comma. */
static const char *scan_container(const char *p, const char *end, int depth, struct value *v)
{
	char close = *p == '[' ? ']' : '}';
	struct value m;

	p = skip_ws(p + 1, end);
	if (p < end && *p == close)
		goto done;
	for (;;) {
		if (close == '}') {
			if (p >= end || *p != '"' || !(p = scan_string(p, end, &m)))
				return NULL;
			p = skip_ws(p, end);
			if (p >= end || *p != ':')
				return NULL;
			p = skip_ws(p + 1, end);
		}
		if (!(p = scan_value(p, end, depth + 1, &m)))
			return NULL;
		p = skip_ws(p, end);
		if (p < end && *p == ',')
			p = skip_ws(p + 1, end);
		else if (p < end && *p == close)
			break;
		else
			return NULL;
	}
done:
	v->kind = OTHER;
	return p + 1;
}

static const char *scan_value(const char *p, const char *end, int depth, struct value *v)
{
	if (p >= end)
		return NULL;
	if (*p == '"')
		return scan_string(p, end, v);
	if (*p == '-' || (*p >= '0' && *p <= '9'))
		return scan_number(p, end, v);
	if (*p == 'n')
		return scan_word(p, end, "null", NUL, v);
	if (*p == 't')
		return scan_word(p, end, "true", TRUE_, v);
	if (*p == 'f')
		return scan_word(p, end, "false", FALSE_, v);
	if (depth >= MAX_DEPTH || (*p != '[' && *p != '{'))
		return NULL;
	return scan_container(p, end, depth, v);
}

/* ---------------------------------------------------------------- strings and fields */

static int field_of(const char *s, const char *e)
{
	for (size_t f = 0; f < NFIELDS; f++)
		if (strlen(fields[f]) == (size_t)(e - s) && !memcmp(fields[f], s, e - s))
			return f;
	return -1;
}

/* The index of string [s, e) in the table, added if new; -E2BIG when it is full. */
static int64_t intern(struct strings *t, const char *s, const char *e)
{
	size_t len = e - s;
	uint32_t h = 2166136261u;

	if (len > MAX_STRING_LEN)
		return -E2BIG;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	for (uint32_t k = h % (2 * MAX_STRINGS);; k = (k + 1) % (2 * MAX_STRINGS)) {
		int id = t->slot[k] - 1;

		if (id < 0)
			break;
		if (t->len[id] == len && !memcmp(t->text[id], s, len))
			return id;
	}
	if (t->n == MAX_STRINGS)
		return -E2BIG;
	memcpy(t->text[t->n], s, len);
	t->len[t->n] = len;
	for (uint32_t k = h % (2 * MAX_STRINGS);; k = (k + 1) % (2 * MAX_STRINGS))
		if (!t->slot[k]) {
			t->slot[k] = t->n + 1;
			break;
		}
	return t->n++;
}

/* Keep value v of field f (a repeated key: the last one counts, as with JSON.parse). */
static int keep(struct derive *d, int f, const struct value *v)
{
	bool named = f == F_TYPE || f == F_KIND || f == F_SYSCALL || f == F_NAME;
	int64_t id;

	d->k[f] = v->kind;
	d->v[f] = v->kind == NUM ? v->num : 0;
	if (v->kind != STR)
		return 0;
	if (!named) {
		d->sid[f] = v->e - v->s;	/* the page tests `write` for a non-empty string */
		return 0;
	}
	if (v->esc) {
		if (f != F_SYSCALL && f != F_NAME)
			return -EINVAL;	/* the page's reader leaves these to JSON.parse */
		d->sid[f] = NO_STRING;
		return 0;
	}
	id = intern(d->str, v->s, v->e);
	if (id < 0)
		return id;
	d->sid[f] = id;
	return 0;
}

/* One event object [p, end): fills d->k/v/sid; the position after it, or NULL. */
static const char *scan_event(struct derive *d, const char *p, const char *end)
{
	struct value key, v;
	int f;

	memset(d->k, ABSENT, sizeof(d->k));
	if (p >= end || *p != '{')
		return NULL;
	p = skip_ws(p + 1, end);
	if (p < end && *p == '}')
		return p + 1;
	for (;;) {
		if (p >= end || *p != '"' || !(p = scan_string(p, end, &key)) || key.esc)
			return NULL;
		f = field_of(key.s, key.e);
		p = skip_ws(p, end);
		if (p >= end || *p != ':')
			return NULL;
		p = scan_value(skip_ws(p + 1, end), end, 1, &v);
		if (!p || (f >= 0 && keep(d, f, &v)))
			return NULL;
		p = skip_ws(p, end);
		if (p < end && *p == ',')
			p = skip_ws(p + 1, end);
		else if (p < end && *p == '}')
			return p + 1;
		else
			return NULL;
	}
}

/* ---------------------------------------------------------------- records */

static bool is_int32(double x)
{
	return x >= INT32_MIN && x <= INT32_MAX && x == (int32_t)x && !(x == 0 && signbit(x));
}

static int put_record(struct derive *d, uint64_t start, uint64_t end)
{
	uint32_t hdr[3] = { start, end, 0 };
	FILE *o = d->records;

	for (size_t f = 0; f < NFIELDS; f++)
		if (d->k[f] != ABSENT)
			hdr[2] |= 1u << f;
	fwrite(hdr, sizeof(hdr), 1, o);
	for (size_t f = 0; f < NFIELDS; f++) {
		uint8_t kind = d->k[f];
		int32_t i = 0;

		if (kind == NUM && is_int32(d->v[f])) {
			kind = INT;
			i = d->v[f];
		}
		if (kind == ABSENT)
			continue;
		fputc(kind, o);
		if (kind == NUM)
			fwrite(&d->v[f], 8, 1, o);
		else if (kind == INT)
			fwrite(&i, 4, 1, o);
		else if (kind == STR)
			fwrite(&d->sid[f], 4, 1, o);
	}
	d->n++;
	return ferror(o) ? -EIO : 0;
}

/* ---------------------------------------------------------------- details */

static bool is_int32(double x);

static bool string_is(const struct derive *d, int f, const char *what)
{
	uint32_t id = d->sid[f];

	return d->k[f] == STR && id != NO_STRING && d->str->len[id] == strlen(what) &&
	       !memcmp(d->str->text[id], what, d->str->len[id]);
}

/* True the first time (pipe, type, pid) is seen; false after, and when the table is full. */
static bool first_of_side(struct sides *t, int64_t pipe, bool write, int64_t pid)
{
	uint64_t key = ((uint64_t)(pipe & 0xffffff) << 40 | (uint64_t)write << 32 |
			(uint32_t)pid) + 1;
	uint32_t k = (key * 0x9e3779b97f4a7c15ull) >> 40;

	for (k %= 2 * MAX_PIPE_SIDES;; k = (k + 1) % (2 * MAX_PIPE_SIDES)) {
		if (t->key[k] == key)
			return false;
		if (!t->key[k])
			break;
	}
	if (t->n == MAX_PIPE_SIDES)
		return false;
	t->key[k] = key;
	t->n++;
	return true;
}

/* Field f as an integer when it is an i32 number, else `other`. */
static int64_t int_or(const struct derive *d, int f, int64_t other)
{
	return d->k[f] == NUM && is_int32(d->v[f]) ? (int64_t)d->v[f] : other;
}

/*
 * Whether the page's build may read this event's details (the file's header comment):
 * types outside the bulk ones, rt_sig* syscalls (the signal module's masks and returns),
 * the first read and write of each process on each pipe (its fds).
 */
static bool wants_details(struct derive *d)
{
	static const char *const bulk[] = { "block", "fault", "page_cache", "dirty", "fault_around" };
	bool write = string_is(d, F_TYPE, "pipe_write");
	uint32_t id;

	if (string_is(d, F_TYPE, "syscall")) {
		id = d->sid[F_NAME];
		return d->k[F_NAME] == STR && (id == NO_STRING ||
		       (d->str->len[id] >= 6 && !memcmp(d->str->text[id], "rt_sig", 6)));
	}
	/* (an id or pid that is no i32 fails the page's checks anyway: no key needed) */
	if (write || string_is(d, F_TYPE, "pipe_read"))
		return first_of_side(d->sides, int_or(d, F_OBJ, -1), write, int_or(d, F_PID, -1));
	for (size_t i = 0; i < sizeof(bulk) / sizeof(bulk[0]); i++)
		if (string_is(d, F_TYPE, bulk[i]))
			return false;
	return true;
}

static int put_details(struct derive *d, uint32_t index, const char *p, const char *q)
{
	uint32_t hdr[2] = { index, q - p };

	fwrite(hdr, sizeof(hdr), 1, d->details);
	fwrite(p, 1, q - p, d->details);
	d->ndetails++;
	return ferror(d->details) ? -EIO : 0;
}

/* ---------------------------------------------------------------- lines, as events.js */

static int event_line(struct derive *d, const char *p, const char *e, uint64_t at)
{
	const char *q, *r;
	int ret;

	if (p < e && *p == ']') {
		/* "]}" ends the events; only whitespace may follow */
		if ((d->more && d->n > 0) || e - p < 2 || p[1] != '}' || skip_ws(p + 2, e) != e)
			return -EINVAL;
		d->state = 2;
		return 0;
	}
	if (!d->more || !(q = scan_event(d, p, e)))
		return -EINVAL;
	if (at + (e - p) >= UINT32_MAX)
		return -E2BIG;	/* the page's offsets are u32 */
	r = skip_ws(q, e);
	d->more = r < e && *r == ',';
	if (d->more)
		r = skip_ws(r + 1, e);
	if (r != e)
		return -EINVAL;
	if (wants_details(d) && (ret = put_details(d, d->n, p, q)))
		return ret;
	return put_record(d, at, at + (q - p));
}

/* Line [p, e) (no newline, no CR) at offset `at` of the JSON text. */
static int one_line(struct derive *d, const char *p, const char *e, uint64_t at)
{
	static const char events_line[] = "\"events\":[";

	if (d->state == 2)
		return skip_ws(p, e) == e ? 0 : -EINVAL;
	if (d->state == 1)
		return event_line(d, p, e, at);
	if ((size_t)(e - p) == sizeof(events_line) - 1 && !memcmp(p, events_line, e - p)) {
		if (at >= UINT32_MAX)
			return -E2BIG;
		d->header_end = at;
		d->state = 1;
		d->more = true;
	}
	return 0;
}

/* The complete lines of the buffer (and the rest as the last one if `final`); keeps the rest. */
static int buffered_lines(struct derive *d, bool final)
{
	char *p = d->buf, *end = d->buf + d->have;
	int ret = 0;

	while (p < end && !ret) {
		char *nl = memchr(p, '\n', end - p);
		char *e;

		if (!nl && !final)
			break;
		e = nl ? nl : end;
		ret = one_line(d, p, e > p && e[-1] == '\r' ? e - 1 : e, d->base + (p - d->buf));
		p = nl ? nl + 1 : end;
	}
	if (!ret && p == d->buf && d->have == LINE_MAX_BYTES)
		return -E2BIG;	/* a line longer than the buffer */
	d->base += p - d->buf;
	d->have = end - p;
	memmove(d->buf, p, d->have);
	return ret;
}

static int read_lines(struct derive *d)
{
	int ret = 0, got;

	while (!ret) {
		got = gzread(d->in, d->buf + d->have, LINE_MAX_BYTES - d->have);
		if (got < 0)
			return -EIO;
		if (got == 0)
			break;
		d->have += got;
		ret = buffered_lines(d, false);
	}
	if (!ret)
		ret = buffered_lines(d, true);
	if (!ret && d->state != 2)
		ret = -EINVAL;
	return ret;
}

/* ---------------------------------------------------------------- the file */

static int put_strings(struct derive *d)
{
	for (uint32_t i = 0; i < d->str->n; i++) {
		uint16_t len = d->str->len[i];

		fwrite(&len, 2, 1, d->out);
		fwrite(d->str->text[i], 1, len, d->out);
	}
	return fflush(d->out) || ferror(d->out) ? -EIO : 0;
}

/* Appends the trace's head, read again from its start. */
static int put_head(struct derive *d)
{
	uint64_t left = d->header_end;

	if (gzrewind(d->in))
		return -EIO;
	while (left > 0) {
		int n = gzread(d->in, d->buf, left < LINE_MAX_BYTES ? left : LINE_MAX_BYTES);

		if (n <= 0)
			return -EIO;
		fwrite(d->buf, 1, n, d->out);
		left -= n;
	}
	return ferror(d->out) ? -EIO : 0;
}

/* Appends what was written to the temporary file `from`. */
static int append(struct derive *d, FILE *from)
{
	size_t got;

	if (fflush(from) || fseek(from, 0, SEEK_SET))
		return -EIO;
	while ((got = fread(d->buf, 1, LINE_MAX_BYTES, from)) > 0)
		fwrite(d->buf, 1, got, d->out);
	return ferror(from) || ferror(d->out) ? -EIO : 0;
}

struct offsets {
	uint64_t head_at, strings_at, details_at, records_at;
};

static int put_header(struct derive *d, int fd, const struct offsets *at)
{
	unsigned char h[HEADER_BYTES] = "IPCLABC3";
	uint64_t json_size = d->json_size;
	uint32_t counts[4] = { d->header_end, d->n, d->str->n, d->ndetails };

	memcpy(h + 8, &json_size, 8);
	memcpy(h + 16, &at->strings_at, 8);
	memcpy(h + 24, counts, sizeof(counts));
	memcpy(h + 40, &at->details_at, 8);
	memcpy(h + 48, &at->head_at, 8);
	memcpy(h + 56, &at->records_at, 8);
	return pwrite(fd, h, sizeof(h), 0) == sizeof(h) ? 0 : -EIO;
}

/* An anonymous file in $TMPDIR (or /tmp): nothing is left behind. */
static int temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (!dir || !dir[0])
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR))
		return fd >= 0 ? fd : -errno;
	snprintf(path, sizeof(path), "%s/ipclab-cols-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	unlink(path);
	return fd;
}

static int derive_into(struct derive *d, int out_fd)
{
	struct offsets at = { .head_at = HEADER_BYTES };
	int ret;

	for (size_t f = 0; f < NFIELDS; f++)
		if ((ret = intern(d->str, fields[f], fields[f] + strlen(fields[f]))) < 0)
			return ret;
	ret = read_lines(d);
	if (ret)
		return ret;
	d->json_size = d->base + d->have;
	if (fseek(d->out, HEADER_BYTES, SEEK_SET))
		return -errno;
	if ((ret = put_head(d)))
		return ret;
	at.strings_at = at.head_at + d->header_end;
	if ((ret = put_strings(d)))
		return ret;
	at.details_at = ftell(d->out);
	if ((ret = append(d, d->details)) || fflush(d->out))
		return ret ? ret : -EIO;
	at.records_at = ftell(d->out);
	if ((ret = append(d, d->records)) || fflush(d->out))
		return ret ? ret : -EIO;
	return put_header(d, out_fd, &at);
}

/* A temporary file for a section written during the scan, appended at the end. */
static FILE *section_file(void)
{
	int fd = temp_file();
	FILE *f = fd >= 0 ? fdopen(fd, "w+") : NULL;

	if (!f && fd >= 0)
		close(fd);
	return f;
}

int cols_derive(int trace_fd)
{
	struct derive d = { 0 };
	int out_fd = temp_file(), in_fd = dup(trace_fd), ret = -ENOMEM;
	struct stat st;

	if (out_fd < 0 || in_fd < 0) {
		ret = out_fd < 0 ? out_fd : -errno;
		goto out;
	}
	if (fstat(in_fd, &st)) {
		ret = -errno;
		goto out;
	}
	if (st.st_size >= UINT32_MAX && !trace_fd_is_gzip(in_fd)) {
		ret = -E2BIG;	/* known at once: the page's offsets are u32 */
		goto out;
	}
	lseek(in_fd, 0, SEEK_SET);
	d.in = gzdopen(in_fd, "rb");
	if (d.in)
		in_fd = -1;	/* gzclose closes it */
	d.out = fdopen(dup(out_fd), "w");
	d.buf = malloc(LINE_MAX_BYTES);
	d.str = calloc(1, sizeof(*d.str));
	d.sides = calloc(1, sizeof(*d.sides));
	d.details = section_file();
	d.records = section_file();
	if (d.in && d.out && d.buf && d.str && d.sides && d.details && d.records)
		ret = derive_into(&d, out_fd);
out:
	if (d.in)
		gzclose(d.in);
	if (in_fd >= 0)
		close(in_fd);
	if (d.out)
		fclose(d.out);
	if (d.details)
		fclose(d.details);
	if (d.records)
		fclose(d.records);
	free(d.buf);
	free(d.str);
	free(d.sides);
	lseek(trace_fd, 0, SEEK_SET);	/* the gunzip path of serve.c reads from the offset */
	if (ret && out_fd >= 0)
		close(out_fd);
	return ret ? ret : out_fd;
}

/* ---------------------------------------------------------------- the cache */

#define CACHE_MIN_BYTES (16u << 20)	/* smaller traces derive in well under 0.1 s */
#define CACHE_PREFIX "cols3-"		/* the form's version: IPCLABC3 */
#define CACHE_MAX_FORMS 8

/* $XDG_CACHE_HOME/ipclab or ~/.cache/ipclab, made (0700) if missing; -errno. */
static int cache_dir(char *dir, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(dir, len, "%s/ipclab", xdg);
	else if (home && home[0] == '/')
		n = snprintf(dir, len, "%s/.cache/ipclab", home);
	else
		return -ENOENT;
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (mkdir(dir, 0700) && errno == ENOENT) {
		/* ~/.cache itself may be missing */
		char *slash = strrchr(dir, '/');

		*slash = '\0';
		mkdir(dir, 0700);
		*slash = '/';
		mkdir(dir, 0700);
	}
	return 0;
}

/* The cache's name of the form of the trace `st` is: its device, inode, size and mtime. */
static int cache_name(const struct stat *st, char *name, size_t len)
{
	int n = snprintf(name, len, CACHE_PREFIX "%llx-%llx-%llx-%lld.%09ld",
			 (unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
			 (unsigned long long)st->st_size, (long long)st->st_mtim.tv_sec,
			 st->st_mtim.tv_nsec);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* A cached form that looks like one (ours, a regular file, the magic); -errno when not. */
static int cache_open(int dir_fd, const char *name)
{
	char magic[8];
	struct stat st;
	int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_size < HEADER_BYTES || pread(fd, magic, 8, 0) != 8 || memcmp(magic, "IPCLABC3", 8)) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

/* A form of another version of the compact form ("cols2-..."): no reader of this ipclab
 * uses it. */
static bool other_form_version(const char *name)
{
	size_t digits = strspn(name + 4, "0123456789");

	return !strncmp(name, "cols", 4) && digits > 0 && name[4 + digits] == '-' &&
	       strncmp(name, CACHE_PREFIX, sizeof(CACHE_PREFIX) - 1);
}

/*
 * Forget the forms of older versions of the same file (same device and inode), forms of
 * another version of the form, and the least recently used forms beyond CACHE_MAX_FORMS
 * (of traces deleted or not viewed since).
 */
static void cache_forget_older(int dir_fd, const char *name)
{
	const char *third = strchr(strchr(name + sizeof(CACHE_PREFIX) - 1, '-') + 1, '-');
	size_t same = third - name + 1;	/* up to the size: device and inode */
	char oldest[256] = "";
	struct timespec oldest_t = { 0 };
	int fd = dup(dir_fd), forms = 0;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	struct stat st;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d))) {
		if (other_form_version(e->d_name)) {
			unlinkat(dir_fd, e->d_name, 0);
			continue;
		}
		if (strncmp(e->d_name, CACHE_PREFIX, sizeof(CACHE_PREFIX) - 1) || !strcmp(e->d_name, name))
			continue;
		if (!strncmp(e->d_name, name, same)) {
			unlinkat(dir_fd, e->d_name, 0);
			continue;
		}
		if (fstatat(dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		forms++;
		if (!oldest[0] || st.st_atim.tv_sec < oldest_t.tv_sec) {
			snprintf(oldest, sizeof(oldest), "%s", e->d_name);
			oldest_t = st.st_atim;
		}
	}
	closedir(d);
	/* one out per form kept: the count stays at the bound */
	if (forms + 1 > CACHE_MAX_FORMS && oldest[0])
		unlinkat(dir_fd, oldest, 0);
}

/* Copies the derived form (fd `form`) into the cache as `name`; a failure leaves nothing. */
static void cache_store(int dir_fd, const char *name, int form)
{
	char tmp[64];
	struct stat st;
	off_t off = 0;
	int out;

	snprintf(tmp, sizeof(tmp), "tmp-%d", (int)getpid());
	out = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (out < 0)
		return;
	if (fstat(form, &st))
		goto fail;
	while (off < st.st_size) {
		ssize_t n = copy_file_range(form, &off, out, NULL, st.st_size - off, 0);

		if (n <= 0) {
			/* another file system, or no copy_file_range: read and write */
			char buf[1 << 16];
			ssize_t got = pread(form, buf, sizeof(buf), off);

			if (got <= 0 || write(out, buf, got) != got)
				goto fail;
			off += got;
		}
	}
	if (close(out) || renameat(dir_fd, tmp, dir_fd, name)) {
		out = -1;
		goto fail;
	}
	cache_forget_older(dir_fd, name);
	return;
fail:
	if (out >= 0)
		close(out);
	unlinkat(dir_fd, tmp, 0);
}

/* The cache directory open, and the name of trace_fd's form in it; -errno when none. */
static int cache_of(int trace_fd, char *name, size_t len)
{
	char dir[4096];
	struct stat st;
	int fd;

	if (fstat(trace_fd, &st) || !S_ISREG(st.st_mode) || st.st_size < CACHE_MIN_BYTES)
		return -ENOENT;
	if ((fd = cache_dir(dir, sizeof(dir))) || (fd = cache_name(&st, name, len)))
		return fd;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Whether the cached form `fd` is of a JSON text of the trace's size (plain traces). */
static bool cache_fits(int fd, int trace_fd)
{
	struct stat st;
	uint64_t json_size;
	bool gzip = trace_fd_is_gzip(trace_fd);

	lseek(trace_fd, 0, SEEK_SET);
	if (gzip)
		return true;	/* the page checks the decompressed size */
	return !fstat(trace_fd, &st) && pread(fd, &json_size, 8, 8) == 8 &&
	       json_size == (uint64_t)st.st_size;
}

int cols_cached(int trace_fd)
{
	char name[128];
	int dir_fd = cache_of(trace_fd, name, sizeof(name)), fd;

	if (dir_fd < 0)
		return dir_fd;
	fd = cache_open(dir_fd, name);
	close(dir_fd);
	if (fd >= 0 && !cache_fits(fd, trace_fd)) {
		close(fd);
		fd = -EINVAL;
	}
	return fd;
}

int cols_derive_cache(int trace_fd)
{
	char name[128];
	int fd = cols_derive(trace_fd), dir_fd;

	if (fd < 0)
		return fd;
	dir_fd = cache_of(trace_fd, name, sizeof(name));
	if (dir_fd >= 0) {
		cache_store(dir_fd, name, fd);
		close(dir_fd);
	}
	return fd;
}
