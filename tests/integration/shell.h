/*
 * shell.h - run an ipclab command line as a user types it, for the CLI tests: its exit
 * status, and its output (stdout and stderr together) in `out`; a file it wrote, as JSON (load()).  The test defines `dir`
 * (its private directory, made before the first sh()) before including this.
 */
#ifndef IPCLAB_TEST_SHELL_H
#define IPCLAB_TEST_SHELL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <json-c/json.h>
#include "trace_read.h"

static char out[16384];

/* Run a shell command; returns its exit status, output (stdout+stderr) in `out`. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048], path[300];
	va_list ap;
	int st;
	FILE *f;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	strncat(cmd, " > ", sizeof(cmd) - strlen(cmd) - 1);
	strncat(cmd, path, sizeof(cmd) - strlen(cmd) - 1);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	st = system(cmd);
	out[0] = 0;
	f = fopen(path, "r");
	if (f) {
		n = fread(out, 1, sizeof(out) - 1, f);
		out[n] = 0;
		fclose(f);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* dir/name read as JSON; the test fails when it is not JSON */
static json_object *load(const char *name)
{
	return json_file(dir, name);
}

#define assert_output_has(s) \
	do { if (!strstr(out, s)) fail_msg("output lacks \"%s\":\n%s", s, out); } while (0)
#define assert_output_lacks(s) \
	do { if (strstr(out, s)) fail_msg("output has \"%s\":\n%s", s, out); } while (0)

#endif
