// SPDX-License-Identifier: GPL-2.0
/*
 * test_movers.c - pipe occupancy under real BPF where read()/write() are not the whole story:
 * splice, tee, vmsplice, sendfile and the positioned iovec calls on pipes; pipes larger than
 * 1 MiB; writev of many iovecs; samples taken while other CPUs change the pipe.
 *
 * Each test traces tests/integration/pipe_movers.c (as root: the big pipes and userfaultfd
 * need it) and checks the pipe events it must produce, field by field.  The exact values
 * were measured once on the kernels of the matrix and follow from fs/pipe.c and
 * fs/splice.c; each says why.  Without the probes there are no pipe events and every test
 * fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "trace_read.h"

static char dir[] = "/var/tmp/ipclab-movers.XXXXXX";

static json_object *trace_of(const char *name, const char *args)
{
	char cmd[1024], path[300];
	json_object *t;

	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	/* as root even under sudo: F_SETPIPE_SZ and userfaultfd */
	snprintf(cmd, sizeof(cmd), "env -u SUDO_UID -u SUDO_GID %s trace -q -o %s -- %s %s",
		 IPCLAB_BIN, path, PIPE_MOVERS, args);
	assert_int_equal(system(cmd), 0);
	t = json_object_from_file(path);
	assert_non_null(t);
	assert_int_equal(jint(jget(t, "meta"), "dropped"), 0);
	return t;
}

struct io {
	const char *type, *syscall;
	long long requested, bytes, occ_before, occ_after, slots_before, slots_after;
	int pipe;	/* which of the program's pipes: the first one seen is 0 */
};

static void expect_io(json_object *e, const struct io *w, long long obj, size_t k)
{
	const char *keys[] = { "requested", "bytes", "occ_before", "occ_after", "slots_before",
			       "slots_after" };
	long long want[] = { w->requested, w->bytes, w->occ_before, w->occ_after,
			     w->slots_before, w->slots_after };

	if (strcmp(jstr(e, "type"), w->type) || strcmp(jstr(e, "syscall"), w->syscall))
		fail_msg("event #%zu: %s %s, expected %s %s", k, jstr(e, "type"),
			 jstr(e, "syscall"), w->type, w->syscall);
	if (jint(e, "obj") != obj)
		fail_msg("event #%zu (%s): obj %lld, expected %lld", k, w->syscall, jint(e, "obj"),
			 obj);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (jint(e, keys[i]) != want[i])
			fail_msg("event #%zu (%s): %s = %lld, expected %lld", k, w->syscall,
				 keys[i], jint(e, keys[i]), want[i]);
	if (jget(e, "occ_torn") || jget(e, "occ_truncated"))
		fail_msg("event #%zu (%s): sample marked torn/truncated in a quiet pipe", k,
			 w->syscall);
}

/* The pipe events of the traced program, in order, against `want`; pipes numbered by first
 * appearance among the pipe events (their obj ids are assigned the same way). */
static void expect_ios(json_object *t, const struct io *want, size_t n)
{
	long long objs[8];
	size_t k = 0, nobj = 0;

	for (size_t i = 0; i < jlen(t, "events"); i++) {
		json_object *e = jat(t, "events", i);
		const char *type = jstr(e, "type");

		if (strcmp(type, "pipe_read") && strcmp(type, "pipe_write"))
			continue;
		if (k == n)
			fail_msg("more pipe events than the %zu expected (next: %s %s)", n, type,
				 jstr(e, "syscall"));
		if (want[k].pipe == (int)nobj && nobj < 8)
			objs[nobj++] = jint(e, "obj");
		assert_true(want[k].pipe < (int)nobj);
		expect_io(e, &want[k], objs[want[k].pipe], k);
		k++;
	}
	if (k != n)
		fail_msg("%zu pipe events, expected %zu", k, n);
}

/*
 * pipe_movers movers: pipes A (0) and B (1).  Slots: splice and tee move or share whole
 * pipe buffers (fs/splice.c); vmsplice puts each iovec in a buffer of its own.
 */
static void test_splice_tee_vmsplice_sendfile(void **state)
{
	static const struct io want[] = {
		{ "pipe_write", "write", 1000, 1000, 0, 1000, 0, 1, 0 },
		/* file -> pipe: one page-cache buffer */
		{ "pipe_write", "splice", 3000, 3000, 1000, 4000, 1, 2, 0 },
		/* tee: A keeps its bytes and slots, B shares both buffers */
		{ "pipe_read", "tee", 8192, 4000, 4000, 4000, 2, 2, 0 },
		{ "pipe_write", "tee", 8192, 4000, 0, 4000, 0, 2, 1 },
		/* pipe -> pipe: A's first buffer (1000) moves whole, 500 of the next is shared */
		{ "pipe_read", "splice", 1500, 1500, 4000, 2500, 2, 1, 0 },
		{ "pipe_write", "splice", 1500, 1500, 4000, 5500, 2, 4, 1 },
		/* pipe -> file: B's first two buffers (1000 + 500) and 500 of the third */
		{ "pipe_read", "splice", 2000, 2000, 5500, 3500, 4, 3, 1 },
		/* two iovecs of 100 and 200: two buffers; requested sums the iovecs */
		{ "pipe_write", "vmsplice", 300, 300, 2500, 2800, 1, 3, 0 },
		/* B's read end: vmsplice copies out to the iovec */
		{ "pipe_read", "vmsplice", 500, 500, 3500, 3000, 3, 3, 1 },
		{ "pipe_write", "sendfile", 700, 700, 2800, 3500, 3, 4, 0 },
		/* a pipe cannot be sendfile's source: EINVAL, nothing moved */
		{ "pipe_read", "sendfile", 100, -22, 3000, 3000, 3, 3, 1 },
		/* offset -1: like writev/readv; 10+20+30 merge into one new buffer */
		{ "pipe_write", "pwritev2", 60, 60, 3500, 3560, 4, 5, 0 },
		{ "pipe_read", "preadv2", 500, 500, 3000, 2500, 3, 3, 1 },
		/* a real offset on a pipe: ESPIPE */
		{ "pipe_read", "preadv", 500, -29, 2500, 2500, 3, 3, 1 },
		{ "pipe_write", "pwritev", 60, -29, 3560, 3560, 5, 5, 0 },
		/* copy_file_range wants regular files: EINVAL both ways */
		{ "pipe_read", "copy_file_range", 100, -22, 2500, 2500, 3, 3, 1 },
		{ "pipe_write", "copy_file_range", 100, -22, 3560, 3560, 5, 5, 0 },
	};
	char args[256];
	json_object *t;

	snprintf(args, sizeof(args), "movers %s", dir);
	t = trace_of("movers", args);
	expect_ios(t, want, sizeof(want) / sizeof(want[0]));
	json_object_put(t);
}

/* Raise fs.pipe-max-size for the big pipes (root may; the old value is put back). */
static long pipe_max_size(long set)
{
	FILE *f = fopen("/proc/sys/fs/pipe-max-size", set ? "w" : "r");
	long v = -1;

	if (!f)
		return -1;
	if (set)
		v = fprintf(f, "%ld\n", set) > 0 ? set : -1;
	else if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	return fclose(f) ? -1 : v;
}

static long saved_max_size = -1;

/* Put fs.pipe-max-size back (also from teardown, should a test fail in between). */
static void restore_max_size(void)
{
	if (saved_max_size > 0 && saved_max_size < 16 * 1024 * 1024)
		pipe_max_size(saved_max_size);
	saved_max_size = -1;
}

/*
 * pipe_movers big: a 2 MiB pipe (512 slots) and a 16 MiB one (4096 slots), each filled by
 * writes and drained by 2 MiB reads.  Occupancy is exact at every size, past the 256 slots
 * one helper call sums.  The first 2 MiB write merges 3096 bytes into the 1000-byte slot.
 */
static void test_big_pipes_exact(void **state)
{
	static const struct io want[] = {
		{ "pipe_write", "write", 1000, 1000, 0, 1000, 0, 1, 0 },
		{ "pipe_write", "write", 2096152, 2096152, 1000, 2097152, 1, 512, 0 },
		{ "pipe_read", "read", 2097152, 2097152, 2097152, 0, 512, 0, 0 },
		{ "pipe_write", "write", 4096, 4096, 0, 4096, 0, 1, 1 },
		{ "pipe_write", "write", 2097152, 2097152, 4096, 2101248, 1, 513, 1 },
		{ "pipe_write", "write", 2097152, 2097152, 2101248, 4198400, 513, 1025, 1 },
		{ "pipe_write", "write", 2097152, 2097152, 4198400, 6295552, 1025, 1537, 1 },
		{ "pipe_write", "write", 2097152, 2097152, 6295552, 8392704, 1537, 2049, 1 },
		{ "pipe_write", "write", 2097152, 2097152, 8392704, 10489856, 2049, 2561, 1 },
		{ "pipe_write", "write", 2097152, 2097152, 10489856, 12587008, 2561, 3073, 1 },
		{ "pipe_write", "write", 2097152, 2097152, 12587008, 14684160, 3073, 3585, 1 },
		{ "pipe_write", "write", 2093056, 2093056, 14684160, 16777216, 3585, 4096, 1 },
		{ "pipe_read", "read", 2097152, 2097152, 16777216, 14680064, 4096, 3584, 1 },
		{ "pipe_read", "read", 2097152, 2097152, 14680064, 12582912, 3584, 3072, 1 },
		{ "pipe_read", "read", 2097152, 2097152, 12582912, 10485760, 3072, 2560, 1 },
		{ "pipe_read", "read", 2097152, 2097152, 10485760, 8388608, 2560, 2048, 1 },
		{ "pipe_read", "read", 2097152, 2097152, 8388608, 6291456, 2048, 1536, 1 },
		{ "pipe_read", "read", 2097152, 2097152, 6291456, 4194304, 1536, 1024, 1 },
		{ "pipe_read", "read", 2097152, 2097152, 4194304, 2097152, 1024, 512, 1 },
		{ "pipe_read", "read", 2097152, 2097152, 2097152, 0, 512, 0, 1 },
	};
	json_object *t;

	saved_max_size = pipe_max_size(0);
	assert_true(saved_max_size > 0);
	if (saved_max_size < 16 * 1024 * 1024)
		assert_int_equal(pipe_max_size(16 * 1024 * 1024), 16 * 1024 * 1024);
	t = trace_of("big", "big");
	restore_max_size();
	expect_ios(t, want, sizeof(want) / sizeof(want[0]));
	json_object_put(t);
}

/* pipe_movers iov: requested is the whole request, up to IOV_MAX iovecs. */
static void test_writev_many_iovecs(void **state)
{
	static const struct io want[] = {
		{ "pipe_write", "writev", 1200, 1200, 0, 1200, 0, 1, 0 },	/* 12 x 100 */
		{ "pipe_read", "read", 4096, 1200, 1200, 0, 1, 0, 0 },
		{ "pipe_write", "writev", 3072, 3072, 0, 3072, 0, 1, 0 },	/* 1024 x 3 */
		{ "pipe_read", "readv", 3072, 3072, 3072, 0, 1, 0, 0 },		/* 1024 x 3 */
	};
	json_object *t = trace_of("iov", "iov");

	expect_ios(t, want, sizeof(want) / sizeof(want[0]));
	json_object_put(t);
}

/* ------------------------------------------------------------- torn samples */

struct stream {			/* one pipe's calls that moved bytes, as sorted times */
	long long *t, *sum;	/* time, and bytes moved by the calls up to and including it */
	size_t n;
};

static int cmp_pair(const void *a, const void *b)
{
	const long long *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Calls of this type on obj that moved bytes, keyed by start or end time. */
static void stream_of(json_object *t, long long obj, const char *type, bool end,
		      struct stream *s)
{
	long long (*pairs)[2] = calloc(jlen(t, "events") + 1, sizeof(*pairs));

	assert_non_null(pairs);
	s->n = 0;
	for (size_t i = 0; i < jlen(t, "events"); i++) {
		json_object *e = jat(t, "events", i);

		if (strcmp(jstr(e, "type"), type) || jint(e, "obj") != obj || jint(e, "bytes") <= 0)
			continue;
		pairs[s->n][0] = jint(e, "t") + (end ? jint(e, "dur") : 0);
		pairs[s->n++][1] = jint(e, "bytes");
	}
	qsort(pairs, s->n, sizeof(*pairs), cmp_pair);
	s->t = calloc(s->n + 1, sizeof(long long));
	s->sum = calloc(s->n + 1, sizeof(long long));
	assert_true(s->t && s->sum);
	for (size_t i = 0; i < s->n; i++) {
		s->t[i] = pairs[i][0];
		s->sum[i] = pairs[i][1] + (i ? s->sum[i - 1] : 0);
	}
	free(pairs);
}

/* Bytes moved by the calls keyed at or before time x (strict: before x). */
static long long moved_by(const struct stream *s, long long x, bool strict)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->t[mid] < x || (!strict && s->t[mid] == x))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? s->sum[lo - 1] : 0;
}

/*
 * No sample that is not marked occ_torn may show a state the pipe never was in:
 *  - a slot with no bytes (bytes < slots) or more than a page per slot;
 *  - bytes the calls could not account for.  A sample taken at a moment T inside the
 *    event's span [t0, t1] saw at most what writes that had begun by t1 put in minus what
 *    reads that had ended before t0 took out, and at least what writes that had ended
 *    before t0 put in minus what reads that had begun by t1 took out.
 * Returns how many samples were marked torn.
 */
static long long check_samples(json_object *t, long long obj)
{
	struct stream ws, we, rs, re;
	long long torn = 0;

	stream_of(t, obj, "pipe_write", false, &ws);
	stream_of(t, obj, "pipe_write", true, &we);
	stream_of(t, obj, "pipe_read", false, &rs);
	stream_of(t, obj, "pipe_read", true, &re);
	for (size_t i = 0; i < jlen(t, "events"); i++) {
		json_object *e = jat(t, "events", i);
		long long t0 = jint(e, "t"), t1 = t0 + jint(e, "dur");
		long long hi = moved_by(&ws, t1, false) - moved_by(&re, t0, true);
		long long lo = moved_by(&we, t0, true) - moved_by(&rs, t1, false);
		const char *occ[] = { "occ_before", "occ_after" };
		const char *slots[] = { "slots_before", "slots_after" };

		if (strncmp(jstr(e, "type"), "pipe_", 5) || jint(e, "obj") != obj)
			continue;
		if (jget(e, "occ_torn")) {
			torn++;
			continue;
		}
		for (int k = 0; k < 2; k++) {
			long long b = jint(e, occ[k]), s = jint(e, slots[k]);

			if (b < s || b > 4096 * s)
				fail_msg("%s at t=%lld: %lld bytes in %lld slots, not marked torn",
					 jstr(e, "syscall"), t0, b, s);
			if (b > hi || b < lo)
				fail_msg("%s at t=%lld: %s %lld outside [%lld, %lld], not marked torn",
					 jstr(e, "syscall"), t0, occ[k], b, lo, hi);
		}
	}
	free(ws.t), free(ws.sum), free(we.t), free(we.sum);
	free(rs.t), free(rs.sum), free(re.t), free(re.sum);
	return torn;
}

/* The pipe with the most events (the stressed one).  Object ids count mappings too (an
 * instrumented pipe_movers, under the sanitizers, maps a lot). */
static long long busiest_pipe(json_object *t)
{
	size_t nobj = jlen(t, "objects");
	long long *count = calloc(nobj + 1, sizeof(*count)), best = -1;

	assert_non_null(count);
	for (size_t i = 0; i < jlen(t, "events"); i++) {
		json_object *e = jat(t, "events", i);
		long long o = jint(e, "obj");

		if (!strncmp(jstr(e, "type"), "pipe_", 5) && o >= 0 && (size_t)o < nobj)
			count[o]++;
	}
	for (size_t o = 0; o < nobj; o++)
		if (count[o] && (best < 0 || count[o] > count[best]))
			best = o;
	free(count);
	return best;
}

/*
 * Three writers of 512-byte records and a reader, on two CPUs: every sample races with them.
 * Before the samples were re-read and stamped in order, 0.01-0.02% of events showed a
 * slot with no bytes (a slot counted by head while its page was still being copied, or
 * emptied by a reader before tail moved) or bytes from a write that began after the event
 * ended.  Statistical: it needs the processes to really run in parallel.
 */
static void test_contended_samples_consistent(void **state)
{
	json_object *t = trace_of("stress", "stress 20000");
	long long obj = busiest_pipe(t), torn;

	assert_true(obj >= 0);
	torn = check_samples(t, obj);
	print_message("  %lld samples marked torn\n", torn);
	json_object_put(t);
}

/*
 * A write stuck copying its page (userfaultfd) while a reader enters read().  On kernels
 * whose pipe_write counts the slot in head before it copies (up to 6.15), the reader's
 * sample sees a slot with 0 bytes for as long as the writer is stuck: it must be marked
 * torn.  Newer kernels copy first, and the sample is simply consistent.
 */
static void test_stalled_writer_sample(void **state)
{
	json_object *t = trace_of("stall", "stall");
	long long obj = -1;

	for (size_t i = 0; i < jlen(t, "events"); i++) {
		json_object *e = jat(t, "events", i);

		if (!strcmp(jstr(e, "type"), "pipe_write") && jint(e, "bytes") == 4096)
			obj = jint(e, "obj");
	}
	assert_true(obj >= 0);
	check_samples(t, obj);
	json_object_put(t);
}

/* The traces above match docs/trace.schema.json, and export to Chrome Trace Event Format
 * that tests/schema/check_chrome.py accepts (tee's source read makes no copy flow). */
static void test_traces_valid(void **state)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "cd %s && /usr/bin/python3 %s/tests/schema/validate_traces.py "
		 "%s/docs/trace.schema.json movers.json big.json iov.json stall.json > schema.out "
		 "&& for f in movers iov; do %s export -q --chrome $f.json -o $f.chrome || exit 1; "
		 "done && /usr/bin/python3 %s/tests/schema/check_chrome.py movers.chrome iov.chrome "
		 "> chrome.out", dir, SOURCE_DIR, SOURCE_DIR, IPCLAB_BIN, SOURCE_DIR);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	if (geteuid() != 0)
		return -1;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	restore_max_size();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_splice_tee_vmsplice_sendfile),
		cmocka_unit_test(test_big_pipes_exact),
		cmocka_unit_test(test_writev_many_iovecs),
		cmocka_unit_test(test_contended_samples_consistent),
		cmocka_unit_test(test_stalled_writer_sample),
		cmocka_unit_test(test_traces_valid),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "integration tests need root\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
