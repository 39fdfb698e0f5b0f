// SPDX-License-Identifier: GPL-2.0
/* trace_load.c - parse a trace file and check it is one this ipclab can read. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "export.h"
#include "trace_load.h"

#define MAX_TRACE_BYTES (4ULL << 30)	/* refuse absurd files before reading them */

static bool only_space(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\n' && p[i] != '\r' && p[i] != '\t')
			return false;
	return true;
}

/* A regular file only: a FIFO or a device could block or never end. */
static FILE *open_regular(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	FILE *f;

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (unsigned long long)st.st_size > MAX_TRACE_BYTES) {
		snprintf(err, errlen, "%s: %s", path, S_ISDIR(st.st_mode) ? "is a directory" :
			 !S_ISREG(st.st_mode) ? "not a regular file" : "larger than 4 GiB");
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

static json_object *parse_file(const char *path, char *err, size_t errlen)
{
	struct json_tokener *tok;
	json_object *obj = NULL;
	enum json_tokener_error jerr = json_tokener_continue;
	char buf[1 << 16];
	size_t n = 0, end = 0;
	bool trailing = false;
	FILE *f = open_regular(path, err, errlen);

	if (!f)
		return NULL;
	tok = json_tokener_new_ex(64);
	while (tok && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		obj = json_tokener_parse_ex(tok, buf, (int)n);
		jerr = json_tokener_get_error(tok);
		if (jerr != json_tokener_continue)
			break;
	}
	if (jerr == json_tokener_success) {
		/* one JSON value and nothing after it but white space */
		end = json_tokener_get_parse_end(tok);
		trailing = !only_space(buf + end, n - end);
		while (!trailing && (n = fread(buf, 1, sizeof(buf), f)) > 0)
			trailing = !only_space(buf, n);
	}
	if (!tok || jerr == json_tokener_continue)
		snprintf(err, errlen, "%s: not valid JSON (the file ends early)", path);
	else if (jerr != json_tokener_success)
		snprintf(err, errlen, "%s: not valid JSON: %s at byte %zu", path,
			 json_tokener_error_desc(jerr), json_tokener_get_parse_end(tok));
	else if (trailing)
		snprintf(err, errlen, "%s: not valid JSON: data after the end of the trace", path);
	else if (!obj)
		snprintf(err, errlen, "%s: not an ipclab trace (the JSON value is null)", path);
	if ((jerr != json_tokener_success || trailing) && obj) {
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	fclose(f);
	return obj;
}

static json_object *member(json_object *o, const char *key, json_type type)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

static json_object *member(json_object *o, const char *key, json_type type);

static const char *check_claims(json_object *claims, size_t *bad)
{
	size_t n = json_object_array_length(claims);

	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(claims, i);

		*bad = i;
		if (!json_object_is_type(c, json_type_object) || !member(c, "id", json_type_string) ||
		    !member(c, "text", json_type_string) || !member(c, "status", json_type_string))
			return "lacks a string id, text or status";
	}
	return NULL;
}

/* Times and byte counts are added up by the readers (end = t + dur, bytes copied so far):
 * bounding them by what a double holds exactly (what JavaScript reads exactly) keeps such
 * sums far from overflow.  A key that is absent is fine; one that is there must be in range. */
#define TRACE_NUM_MAX (1LL << 53)

static bool int_in(json_object *e, const char *key, long long min)
{
	json_object *v;
	int64_t x;

	if (!json_object_object_get_ex(e, key, &v))
		return true;
	x = json_object_get_int64(v);
	return json_object_is_type(v, json_type_int) && x >= min && x <= TRACE_NUM_MAX;
}

static const char *check_events(json_object *events, size_t *bad)
{
	size_t n = json_object_array_length(events);

	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(events, i);

		*bad = i;
		if (!json_object_is_type(e, json_type_object))
			return "is not an object";
		if (!member(e, "t", json_type_int) || !member(e, "type", json_type_string) ||
		    !member(e, "pid", json_type_int) || !member(e, "tid", json_type_int))
			return "lacks t, type, pid or tid";
		if (!int_in(e, "t", 0) || !int_in(e, "dur", 0) || !int_in(e, "bytes", -TRACE_NUM_MAX))
			return "has a t, dur or bytes out of range (integers up to 2^53; t, dur >= 0)";
	}
	return NULL;
}

json_object *trace_load(const char *path, char *err, size_t errlen)
{
	json_object *t = parse_file(path, err, errlen), *fmt, *ver, *events;
	const char *why = NULL;
	size_t bad = 0;

	if (!t)
		return NULL;
	fmt = json_object_is_type(t, json_type_object) ? member(t, "format", json_type_string) : NULL;
	ver = fmt ? member(t, "version", json_type_int) : NULL;
	if (!fmt || strcmp(json_object_get_string(fmt), TRACE_FORMAT)) {
		snprintf(err, errlen, "%s: not an ipclab trace (no \"format\": \"%s\")", path,
			 TRACE_FORMAT);
	} else if (!ver || json_object_get_int(ver) < 1) {
		snprintf(err, errlen, "%s: ipclab trace without a valid version", path);
	} else if (json_object_get_int(ver) > TRACE_VERSION) {
		snprintf(err, errlen, "%s: trace format version %d is newer than this ipclab reads "
			 "(%d): use a newer ipclab", path, json_object_get_int(ver), TRACE_VERSION);
	} else if (!member(t, "meta", json_type_object) ||
		   !member(t, "processes", json_type_array) ||
		   !member(t, "objects", json_type_array) || !member(t, "claims", json_type_array) ||
		   !(events = member(t, "events", json_type_array))) {
		snprintf(err, errlen, "%s: incomplete trace: meta, processes, objects, claims or "
			 "events is missing", path);
	} else if ((why = check_events(events, &bad))) {
		snprintf(err, errlen, "%s: event %zu %s", path, bad, why);
	} else if ((why = check_claims(json_object_object_get(t, "claims"), &bad))) {
		snprintf(err, errlen, "%s: claim %zu %s", path, bad, why);
	} else {
		return t;
	}
	json_object_put(t);
	return NULL;
}
