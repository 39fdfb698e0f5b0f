// SPDX-License-Identifier: GPL-2.0
/* test_outfile.c - output files are complete or absent, and never follow planted links. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <zlib.h>
#include <cmocka.h>
#include "outfile.h"
#include "report.h"

static const struct run_user nobody_drop = { .drop = false };

struct dir {
	char path[PATH_MAX];
};

/* A fresh empty directory per test, removed afterwards. */
static int setup(void **state)
{
	struct dir *d = calloc(1, sizeof(*d));

	if (!d)
		return -1;
	snprintf(d->path, sizeof(d->path), "/tmp/ipclab-unit-outfile.XXXXXX");
	if (!mkdtemp(d->path)) {
		free(d);
		return -1;
	}
	*state = d;
	return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	chmod(p, 0700);
	return remove(p);
}

static int teardown(void **state)
{
	struct dir *d = *state;

	nftw(d->path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(d);
	return 0;
}

static const char *in(void **state, const char *name)
{
	static char buf[4][PATH_MAX];
	static int k;
	char *p = buf[k++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", ((struct dir *)*state)->path, name);
	return p;
}

/* Names in the directory (no . and ..), sorted, joined by spaces. */
static const char *listing(const char *dir)
{
	static char out[1024];
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);

	out[0] = 0;
	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		if (strcmp(ents[i]->d_name, ".") && strcmp(ents[i]->d_name, ".."))
			snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s",
				 out[0] ? " " : "", ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	return out;
}

static const char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* open + commit leaves exactly the final file, whole, mode 0644; no temp files. */
static void test_commit_leaves_only_final(void **state)
{
	const char *dir = ((struct dir *)*state)->path, *path = in(state, "trace.json");
	struct out_file o;
	struct stat st;

	assert_int_equal(out_open(&o, path), 0);
	assert_non_null(o.f);
	fputs("{\"ok\":1}\n", o.f);
	assert_string_equal(listing(dir), "");	/* the temporary has no name (O_TMPFILE) */
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(out_commit(&o, &nobody_drop), 0);
	assert_string_equal(listing(dir), "trace.json");
	assert_string_equal(slurp(path), "{\"ok\":1}\n");
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0644);
}

/* Committing over an existing file replaces it whole. */
static void test_commit_replaces_existing(void **state)
{
	const char *dir = ((struct dir *)*state)->path, *path = in(state, "t.json");
	struct out_file o;

	spit(path, "old contents that are longer than the new ones");
	assert_int_equal(out_open(&o, path), 0);
	fputs("new", o.f);
	assert_string_equal(slurp(path), "old contents that are longer than the new ones");
	assert_int_equal(out_commit(&o, &nobody_drop), 0);
	assert_string_equal(slurp(path), "new");
	assert_string_equal(listing(dir), "t.json");
}

/* discard leaves nothing behind, and an existing file at the path is kept. */
static void test_discard_leaves_nothing(void **state)
{
	const char *dir = ((struct dir *)*state)->path;
	struct out_file o;

	assert_int_equal(out_open(&o, in(state, "a.json")), 0);
	fputs("partial", o.f);
	out_discard(&o);
	assert_string_equal(listing(dir), "");

	spit(in(state, "b.json"), "keep");
	assert_int_equal(out_open(&o, in(state, "b.json")), 0);
	fputs("partial", o.f);
	out_discard(&o);
	assert_string_equal(listing(dir), "b.json");
	assert_string_equal(slurp(in(state, "b.json")), "keep");
}

/* A symlink planted at the target is replaced by a regular file; its target untouched. */
static void test_symlink_replaced_not_followed(void **state)
{
	const char *path = in(state, "trace.json"), *victim = in(state, "victim");
	struct out_file o;
	struct stat st;

	spit(victim, "secret");
	assert_int_equal(chmod(victim, 0600), 0);
	assert_int_equal(symlink(victim, path), 0);
	assert_int_equal(out_open(&o, path), 0);
	fputs("trace", o.f);
	assert_int_equal(out_commit(&o, &nobody_drop), 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_string_equal(slurp(path), "trace");
	assert_string_equal(slurp(victim), "secret");
	assert_int_equal(stat(victim, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_string_equal(listing(((struct dir *)*state)->path), "trace.json victim");
}

/* A dangling symlink at the target is not followed to create its target either. */
static void test_dangling_symlink_not_followed(void **state)
{
	const char *path = in(state, "trace.json"), *nowhere = in(state, "created-by-link");
	struct out_file o;
	struct stat st;

	assert_int_equal(symlink(nowhere, path), 0);
	assert_int_equal(out_open(&o, path), 0);
	fputs("trace", o.f);
	assert_int_equal(out_commit(&o, &nobody_drop), 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(access(nowhere, F_OK), -1);
}

/* A commit that cannot rename (target is a directory) fails and leaves no temporary. */
static void test_commit_failure_cleans_up(void **state)
{
	const char *dir = ((struct dir *)*state)->path, *path = in(state, "sub");
	struct out_file o;

	assert_int_equal(mkdir(path, 0755), 0);
	spit(in(state, "sub/x"), "x");
	assert_int_equal(out_open(&o, path), 0);
	fputs("trace", o.f);
	assert_true(out_commit(&o, &nobody_drop) < 0);
	assert_string_equal(listing(dir), "sub");
}

/* out_prepare_dir creates nested directories, is idempotent, leaves no probe file. */
static void test_prepare_dir_nested(void **state)
{
	const char *deep = in(state, "a/b/c");
	struct stat st;

	assert_int_equal(out_prepare_dir(deep, &nobody_drop), 0);
	assert_int_equal(stat(deep, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_string_equal(listing(deep), "");
	assert_int_equal(out_prepare_dir(deep, &nobody_drop), 0);
	assert_int_equal(out_prepare_dir(in(state, "a/b/c/"), &nobody_drop), 0);
	assert_string_equal(listing(in(state, "a")), "b");
}

/* out_prepare_dir under (or at) a regular file fails with a negative errno. */
static void test_prepare_dir_under_file(void **state)
{
	const char *file = in(state, "plain");
	int err;

	spit(file, "x");
	err = out_prepare_dir(in(state, "plain/sub/deeper"), &nobody_drop);
	assert_true(err < 0);
	assert_int_equal(err, -ENOTDIR);
	assert_int_equal(out_prepare_dir(file, &nobody_drop), -ENOTDIR);
	assert_string_equal(slurp(file), "x");
}

/* out_check_path: fine in an existing directory (no probe left), an error when the
 * parent does not exist, -EISDIR when the path is a directory. */
static void test_check_path(void **state)
{
	const char *dir = ((struct dir *)*state)->path;

	assert_int_equal(out_check_path(in(state, "t.json")), 0);
	assert_string_equal(listing(dir), "");
	assert_int_equal(out_check_path(in(state, "missing/t.json")), -ENOENT);
	assert_int_equal(out_check_path(dir), -EISDIR);
	spit(in(state, "plain"), "x");
	assert_true(out_check_path(in(state, "plain/t.json")) < 0);
}

/* out_open in a directory that does not exist fails, with nothing to clean up. */
/* An empty -o is refused up front, not after a whole trace was recorded. */
static void test_empty_paths_refused(void **state)
{
	assert_true(out_check_path("") < 0);
	assert_true(out_prepare_dir("", &nobody_drop) < 0);
}

static void test_open_missing_dir(void **state)
{
	struct out_file o;

	assert_int_equal(out_open(&o, in(state, "missing/t.json")), -ENOENT);
	assert_null(o.f);
}

/* A process killed (SIGKILL: no handler runs) while writing leaves nothing behind. */
static void killed_while_writing_leaves_nothing(const char *dir, const char *path)
{
	int p[2], st;
	char c;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct out_file o;

		if (out_open_as(&o, path, true))
			_exit(1);
		fputs("partial", o.f);
		fflush(o.f);
		if (write(p[1], "w", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);	/* it is writing */
	close(p[0]);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	/* the fallback's watcher removes its named temporary when it sees ipclab gone */
	for (int i = 0; i < 200 && strcmp(listing(dir), ""); i++)
		usleep(10000);
	assert_string_equal(listing(dir), "");
}

static void test_sigkill_leaves_nothing(void **state)
{
	killed_while_writing_leaves_nothing(((struct dir *)*state)->path, in(state, "k.json.gz"));
}

/* Filesystems without O_TMPFILE: a named temporary, the same guarantees. */
static void test_named_fallback(void **state)
{
	const char *dir = ((struct dir *)*state)->path, *path = in(state, "f.json");
	struct out_file o;

	setenv("IPCLAB_NO_O_TMPFILE", "1", 1);
	assert_int_equal(out_open(&o, path), 0);
	fputs("whole", o.f);
	assert_true(strncmp(listing(dir), ".f.json.", 8) == 0);	/* named meanwhile */
	assert_int_equal(out_commit(&o, &nobody_drop), 0);
	assert_string_equal(listing(dir), "f.json");
	assert_string_equal(slurp(path), "whole");
	assert_int_equal(out_open(&o, in(state, "g.json")), 0);
	fputs("partial", o.f);
	out_discard(&o);
	assert_string_equal(listing(dir), "f.json");
	assert_int_equal(unlink(path), 0);
	killed_while_writing_leaves_nothing(dir, path);
	unsetenv("IPCLAB_NO_O_TMPFILE");
}

/* Text that compresses like a trace, but not to nothing: numbers that change. */
static size_t fill_text(char *buf, size_t cap)
{
	size_t len = 0;

	for (unsigned i = 0; len + 128 < cap; i++)
		len += snprintf(buf + len, cap - len, "{\"t\":%u,\"pid\":%u,\"bytes\":%u},\n",
				i * 977u, 1000 + i % 7, (i * 2654435761u) >> 20);
	return len;
}

/* gzip: what is written comes back byte for byte through zlib (and gzip's magic). */
static void test_gzip_round_trip(void **state)
{
	const char *path = in(state, "t.json.gz");
	size_t cap = 8 << 20, len = 0, got;
	char *text = malloc(cap), *back = malloc(cap);
	unsigned char magic[2];
	struct out_file o;
	struct stat st;
	gzFile z;
	FILE *f;

	assert_non_null(text);
	assert_non_null(back);
	len = fill_text(text, cap);
	assert_int_equal(out_open_as(&o, path, true), 0);
	/* in odd pieces, across stdio's and deflate's buffer boundaries */
	for (size_t off = 0, k = 1; off < len; off += k, k = k * 7 % 100003 + 1)
		assert_int_equal(fwrite(text + off, 1, off + k > len ? len - off : k, o.f),
				 off + k > len ? len - off : k);
	assert_int_equal(fflush(o.f), 0);
	assert_true(out_bytes(&o) > 0);
	assert_int_equal(out_commit(&o, &nobody_drop), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 1000 && (size_t)st.st_size < len / 3);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(magic, 1, 2, f), 2);
	fclose(f);
	assert_int_equal(magic[0], 0x1f);
	assert_int_equal(magic[1], 0x8b);
	z = gzopen(path, "rb");
	assert_non_null(z);
	got = 0;
	for (int n; (n = gzread(z, back + got, cap - got)) > 0;)
		got += n;
	assert_int_equal(gzclose(z), Z_OK);
	assert_int_equal(got, len);
	assert_memory_equal(back, text, len);
	free(text);
	free(back);
}

/* An empty gzip trace is still a whole gzip stream (header and trailer). */
static void test_gzip_empty(void **state)
{
	const char *path = in(state, "e.gz");
	struct out_file o;
	char c;
	gzFile z;

	assert_int_equal(out_open_as(&o, path, true), 0);
	assert_int_equal(out_commit(&o, &nobody_drop), 0);
	z = gzopen(path, "rb");
	assert_non_null(z);
	assert_int_equal(gzread(z, &c, 1), 0);
	assert_int_equal(gzclose(z), Z_OK);
}

static void test_gz_path(void **state)
{
	assert_true(out_is_gz_path("t.json.gz"));
	assert_true(out_is_gz_path("dir/x.gz"));
	assert_false(out_is_gz_path("t.json"));
	assert_false(out_is_gz_path(".gz"));
	assert_false(out_is_gz_path("t.gzip"));
}

/* --html next to a trace: x.json and x.json.gz both give x.html */
static void test_report_path(void **state)
{
	char out[PATH_MAX];

	report_path_for("d/x.json", out, sizeof(out));
	assert_string_equal(out, "d/x.html");
	report_path_for("d/x.json.gz", out, sizeof(out));
	assert_string_equal(out, "d/x.html");
	report_path_for("x.gz", out, sizeof(out));
	assert_string_equal(out, "x.html");
	report_path_for("x.trace", out, sizeof(out));
	assert_string_equal(out, "x.trace.html");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_leaves_only_final, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_replaces_existing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_discard_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_replaced_not_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dangling_symlink_not_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_failure_cleans_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_dir_nested, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_dir_under_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_missing_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_paths_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigkill_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_named_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gzip_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gzip_empty, setup, teardown),
		cmocka_unit_test(test_gz_path),
		cmocka_unit_test(test_report_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
