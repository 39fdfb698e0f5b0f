// SPDX-License-Identifier: GPL-2.0
/*
 * gen_trace.c - a synthetic ipclab trace of any size, laid out as the writer lays it out
 * (user/export.c): for the scale test (tests/scale) and the reader benchmark (bench/).
 *
 *   gen_trace EVENTS OUT [MAPPINGS]
 *
 * OUT "-" is stdout; OUT ending in .gz is written gzip-compressed (zlib, level 1).  The
 * events repeat a cycle of ten that looks like a traced pipeline:
 * 64-byte writes and reads on one pipe, 16-byte ones on a second, syscalls, sleeps, faults
 * and page-cache insertions (about 300 bytes an event, like real traces).  Pipe 0 gets one
 * byte at the start that is never read: a pipe that keeps unread bytes, the case that made
 * `export --chrome` quadratic (GEN_TRACE_ALL_READ=1 in the environment leaves it out, to
 * time the old export on the same sizes); GEN_TRACE_PIPES_ONLY=1 makes every other event
 * a 64-byte write and every other one its read, all on pipe 1: the most work per event for
 * the copy arrows.  MAPPINGS (default 2) mapping objects pad "objects", as a
 * program that maps and unmaps 200,000 times would.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static ssize_t gz_write(void *gz, const char *buf, size_t n)
{
	return gzwrite(gz, buf, n) == (int)n ? (ssize_t)n : -1;
}

static int gz_close(void *gz)
{
	return gzclose(gz) == Z_OK ? 0 : -1;
}

static FILE *open_out(const char *path)
{
	size_t n = strlen(path);
	gzFile gz;

	if (!strcmp(path, "-"))
		return stdout;
	if (n < 3 || strcmp(path + n - 3, ".gz"))
		return fopen(path, "w");
	gz = gzopen(path, "wb1");
	return gz ? fopencookie(gz, "w", (cookie_io_functions_t){ .write = gz_write,
								 .close = gz_close }) : NULL;
}

static void header(FILE *f, unsigned long long n, unsigned long long mappings)
{
	fprintf(f, "{\"format\":\"ipclab-trace\",\"version\":1,\n\"meta\":{\"tool\":\"ipclab 0.1.0\","
		"\"kernel\":\"6.18\",\"machine\":\"x86_64\",\"tier\":\"tracepoint\",\"probes\":{},"
		"\"clock\":\"CLOCK_MONOTONIC\",\"start_time\":\"2026-01-01T00:00:00.000000Z\","
		"\"start_ns\":1000,\"command\":\"gen_trace\",\"scenario\":null,\"page_size\":4096,"
		"\"events\":%llu,\"dropped\":0,\"lost\":0,\"interrupted\":false,"
		"\"end_reason\":\"exited\"},\n", n);
	fputs("\"processes\":[{\"pid\":100,\"ppid\":1,\"comm\":\"writer\",\"exe\":null,\"start\":0,"
	      "\"exit\":null,\"status\":null},{\"pid\":101,\"ppid\":100,\"comm\":\"reader\","
	      "\"exe\":null,\"start\":0,\"exit\":null,\"status\":null}],\n\"objects\":[", f);
	for (unsigned long long i = 0; i < 3 + mappings; i++) {
		if (i < 3)
			fprintf(f, "%s{\"id\":%llu,\"kind\":\"pipe\",\"inode\":%llu,\"dev\":15,"
				"\"path\":null,\"capacity\":65536,\"slots\":16,\"ring_size\":16,"
				"\"created\":0,\"creator\":100,\"fds\":[3,4]}", i ? "," : "", i,
				1000 + i);
		else
			fprintf(f, ",{\"id\":%llu,\"kind\":\"mapping\",\"pid\":100,\"start\":%llu,"
				"\"length\":4096,\"prot\":3,\"flags\":34,\"backing\":\"anon\","
				"\"inode\":null,\"dev\":null,\"path\":null,\"offset\":0,\"created\":0,"
				"\"unmapped\":null}", i, 0x7f0000000000ull + 4096 * i);
	}
	fputs("],\n\"claims\":[],\n\"events\":[\n", f);
}

static void pipe_io(FILE *f, unsigned long long t, int write, int obj, int bytes, int pid,
		    int occ)
{
	fprintf(f, "{\"t\":%llu,\"dur\":%d,\"pid\":%d,\"tid\":%d,\"type\":\"pipe_%s\",\"obj\":%d,"
		"\"fd\":%d,\"requested\":%d,\"bytes\":%d,\"occ_before\":%d,\"occ_after\":%d,"
		"\"slots_before\":%d,\"slots_after\":%d,\"slots_max\":16,\"ring_size\":16,"
		"\"readers\":1,\"writers\":1,\"nonblock\":false,\"data\":\"aaaaaaaaaaaaaaaa\","
		"\"data_tail\":\"aaaaaaaaaaaaaaaa\",\"syscall\":\"%s\"}", t, 900, pid, pid,
		write ? "write" : "read", obj, write ? 4 : 3, bytes, bytes,
		write ? occ : occ + bytes, write ? occ + bytes : occ, occ > 0, 1,
		write ? "write" : "read");
}

static void event(FILE *f, unsigned long long i)
{
	unsigned long long t = 1000 + 1000 * i;

	if (getenv("GEN_TRACE_PIPES_ONLY")) {
		pipe_io(f, t, i % 2, 1, 64, 100 + i % 2, 0);
		return;
	}
	switch (i % 10) {
	case 0: case 3:
		pipe_io(f, t, 1, 1, 64, 100, 0);
		break;
	case 1: case 4:
		pipe_io(f, t, 0, 1, 64, 101, 0);
		break;
	case 7:
		pipe_io(f, t, 1, 2, 16, 100, 0);
		break;
	case 8:
		pipe_io(f, t, 0, 2, 16, 101, 0);
		break;
	case 2:
		fprintf(f, "{\"t\":%llu,\"dur\":700,\"pid\":100,\"tid\":100,\"type\":\"syscall\","
			"\"name\":\"mmap\",\"args\":[0,8192,3,34,4294967295,0],"
			"\"ret\":140230287118336,\"obj\":3}", t);
		break;
	case 5:
		fprintf(f, "{\"t\":%llu,\"pid\":101,\"tid\":101,\"type\":\"fault\",\"obj\":3,"
			"\"address\":139841157926912,\"page\":0,\"kind\":\"write\",\"major\":false,"
			"\"user\":true,\"ip\":94812345678912,\"first\":true}", t);
		break;
	case 6:
		fprintf(f, "{\"t\":%llu,\"dur\":800,\"pid\":101,\"tid\":101,\"type\":\"block\","
			"\"obj\":1,\"wake_t\":%llu,\"waker\":{\"pid\":100,\"tid\":100,"
			"\"comm\":\"writer\",\"syscall\":\"write\",\"obj\":1},\"syscall\":\"read\"}",
			t, t + 800);
		break;
	default:
		fprintf(f, "{\"t\":%llu,\"pid\":100,\"tid\":100,\"type\":\"page_cache\","
			"\"inode\":5317559,\"dev\":266338304,\"index\":4,\"pages\":2,"
			"\"mapping\":null,\"page\":null}", t);
	}
}

int main(int argc, char **argv)
{
	unsigned long long n, mappings;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: gen_trace EVENTS OUT [MAPPINGS]\n");
		return 2;
	}
	n = strtoull(argv[1], NULL, 10);
	mappings = argc > 3 ? strtoull(argv[3], NULL, 10) : 2;
	f = open_out(argv[2]);
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	header(f, n, mappings);
	for (unsigned long long i = 0; i < n; i++) {
		if (i)
			fputs(",\n", f);
		if (i == 0 && !getenv("GEN_TRACE_ALL_READ")) {	/* pipe 0 keeps it to the end */
			pipe_io(f, 500, 1, 0, 1, 100, 0);
			continue;
		}
		event(f, i);
	}
	fputs(n ? "\n]}\n" : "]}\n", f);
	return fclose(f) ? 1 : 0;
}
