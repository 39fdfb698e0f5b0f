/*
 * trace_json.h - reading back, in unit tests, the JSON the trace writers print: a whole
 * trace parsed strictly, and expectations on one key of an object (each fails the test with
 * the object printed).  Include it after <cmocka.h>.
 */
#ifndef IPCLAB_TEST_TRACE_JSON_H
#define IPCLAB_TEST_TRACE_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "export.h"

static inline json_object *field(json_object *o, const char *k)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, k, &v))
		fail_msg("missing \"%s\" in %s", k, json_object_to_json_string(o));
	return v;
}

static inline void expect_int(json_object *o, const char *k, int64_t want)
{
	json_object *v = field(o, k);

	if (!json_object_is_type(v, json_type_int))
		fail_msg("\"%s\" is not an integer in %s", k, json_object_to_json_string(o));
	assert_int_equal(json_object_get_int64(v), want);
}

static inline void expect_str(json_object *o, const char *k, const char *want)
{
	json_object *v = field(o, k);

	if (!json_object_is_type(v, json_type_string))
		fail_msg("\"%s\" is not a string in %s", k, json_object_to_json_string(o));
	assert_string_equal(json_object_get_string(v), want);
}

static inline void expect_bool(json_object *o, const char *k, bool want)
{
	json_object *v = field(o, k);

	assert_true(json_object_is_type(v, json_type_boolean));
	assert_int_equal(!!json_object_get_boolean(v), want);	/* serialized as true/false */
}

static inline void expect_null(json_object *o, const char *k)
{
	assert_null(field(o, k));
}

static inline void expect_absent(json_object *o, const char *k)
{
	if (json_object_object_get_ex(o, k, NULL))
		fail_msg("unexpected \"%s\" in %s", k, json_object_to_json_string(o));
}

static inline void expect_ints(json_object *o, const char *k, const int64_t *want, size_t n)
{
	json_object *a = field(o, k);

	assert_true(json_object_is_type(a, json_type_array));
	assert_int_equal(json_object_array_length(a), n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(json_object_get_int64(json_object_array_get_idx(a, i)), want[i]);
}

/* Parse a whole document strictly (UTF-8 validated); nothing but whitespace may follow. */
static inline json_object *parse_all(const char *buf, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *o;
	size_t used;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (!o)
		fail_msg("JSON parse error: %s",
			 json_tokener_error_desc(json_tokener_get_error(tok)));
	used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	for (; used < len; used++)
		assert_non_null(strchr(" \t\r\n", buf[used]));
	return o;
}

/* export_trace into a temporary file, read back whole and parsed. */
static inline json_object *export_parsed(const struct trace_meta *m, const struct timeline *t,
				  const struct claim_set *cs)
{
	FILE *f = tmpfile();
	char *buf;
	long len;
	json_object *o;

	assert_non_null(f);
	assert_int_equal(export_trace(f, m, t, cs), 0);
	len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	buf = malloc(len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, len, f), len);
	buf[len] = 0;
	fclose(f);
	o = parse_all(buf, len);
	free(buf);
	return o;
}

/* How often needle occurs in hay. */
static inline size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

#endif
