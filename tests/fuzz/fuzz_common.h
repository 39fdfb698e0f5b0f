/* fuzz_common.h - shared by the libFuzzer harnesses: inputs as files (memfd, no disk),
 * and the one property every consumer of a trace must keep: what ipclab writes, ipclab
 * reads back. */
#ifndef IPCLAB_FUZZ_COMMON_H
#define IPCLAB_FUZZ_COMMON_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <json-c/json.h>
#include "trace_read.h"

#define FUZZ_DIE(...) do { fprintf(stderr, "fuzz: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

struct memfile {
	int fd;
	char path[64];
};

/* A file in memory with a path the project's readers can open ("/proc/self/fd/N"). */
static inline void memfile_init(struct memfile *m, const char *name)
{
	m->fd = memfd_create(name, MFD_CLOEXEC);
	if (m->fd < 0)
		FUZZ_DIE("memfd_create failed");
	snprintf(m->path, sizeof(m->path), "/proc/self/fd/%d", m->fd);
}

static inline void memfile_set(struct memfile *m, const void *data, size_t size)
{
	if (ftruncate(m->fd, 0) || (size && pwrite(m->fd, data, size, 0) != (ssize_t)size))
		FUZZ_DIE("cannot write the memfd");
}

/* trace_read() failed: its reason must be one non-empty line. */
static inline void check_error_line(const char *err)
{
	if (!err[0] || strchr(err, '\n'))
		FUZZ_DIE("trace_read: bad error message '%s'", err);
}

/* A trace ipclab wrote (text, len) must be a trace trace_read() accepts, streamed (the
 * writer's key order) and checked to its end. */
static inline void check_trace_reads_back(struct memfile *m, const char *text, size_t len)
{
	char err[512] = "";
	size_t whole = trace_whole_max;

	if (len < 3 || memcmp(text + len - 3, "]}\n", 3))
		FUZZ_DIE("exported trace does not end with the events array");
	memfile_set(m, text, len);
	trace_whole_max = 0;	/* no reading whole: the order must be the writer's */
	if (trace_read(m->path, NULL, 0, err, sizeof(err)))
		FUZZ_DIE("ipclab cannot read back a trace it wrote: %s", err);
	trace_whole_max = whole;
}

/* IPCLAB_FUZZ_STRICT=1 (run-fuzzer.sh one): no tolerance for known bugs.  There are no
 * tolerances at the moment; a known_WHAT(...) helper goes here when a bug in a property the
 * harnesses check (not a sanitizer report) is found and not fixed yet. */
static inline int fuzz_strict(void)
{
	const char *s = getenv("IPCLAB_FUZZ_STRICT");

	return s && s[0] == '1';
}

#endif
