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
#include <cmocka.h>
#include "outfile.h"

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
	assert_string_not_equal(listing(dir), "");	/* the temporary exists meanwhile */
	assert_int_equal(access(path, F_OK), -1);	/* ...but not the final name yet */
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
