// SPDX-License-Identifier: GPL-2.0
/*
 * test_probes.c - the kernel functions pipes and FIFOs are probed on (mech/pipe/probes.c),
 * resolved from kernel BTF, real and synthetic.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <cmocka.h>
#include "attach.h"
#include "mechanism.h"

extern const struct mech_probes pipe_probes;

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

/* A BTF holding `int` and one global function `int NAME(void)` per name. */
static struct btf *btf_with(const char *const *names, int n)
{
	struct btf *btf = btf__new_empty();
	int int_id, proto;

	assert_non_null(btf);
	int_id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	assert_true(int_id > 0);
	proto = btf__add_func_proto(btf, int_id);
	assert_true(proto > 0);
	for (int i = 0; i < n; i++)
		assert_true(btf__add_func(btf, names[i], BTF_FUNC_GLOBAL, proto) > 0);
	return btf;
}

/* The running kernel is at least major.minor. */
static bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

static struct btf *vmlinux_or_skip(void)
{
	struct btf *btf;

	if (access(VMLINUX_BTF, R_OK) || !kernel_at_least(6, 15))
		skip();
	btf = btf__load_vmlinux_btf();
	if (libbpf_get_error(btf))
		fail_msg("cannot load %s: %s", VMLINUX_BTF, strerror(errno));
	return btf;
}

/* Resolve into syms, which starts with a stale role that resolving replaces. */
static int resolve(const struct btf *btf, struct probe_syms *syms, char *why, size_t n)
{
	memset(syms, 0, sizeof(*syms));
	assert_int_equal(probe_sym_set(syms, "fifo_read", "stale"), 0);
	why[0] = 0;
	return pipe_probes.resolve(btf, syms, why, n);
}

/* btf resolves, every role to what is expected: pipe_read, pipe_write, fifo_read, fifo_write. */
static void assert_resolves(const struct btf *btf, struct probe_syms *s, const char *read,
			    const char *write, const char *fifo_read, const char *fifo_write)
{
	char why[96];

	assert_int_equal(resolve(btf, s, why, sizeof(why)), 0);
	assert_string_equal(probe_sym(s, "pipe_read"), read);
	assert_string_equal(probe_sym(s, "pipe_write"), write);
	assert_string_equal(probe_sym(s, "fifo_read"), fifo_read);
	assert_string_equal(probe_sym(s, "fifo_write"), fifo_write);
	assert_int_equal(s->n, 4);
}

/* On >= 6.15 the running kernel's pipe I/O is anon_pipe_* and FIFOs fifo_pipe_*. */
static void test_vmlinux_symbols(void **state)
{
	struct btf *btf = vmlinux_or_skip();
	struct probe_syms s;

	assert_resolves(btf, &s, "anon_pipe_read", "anon_pipe_write", "fifo_pipe_read",
			"fifo_pipe_write");
	btf__free(btf);
}

/* btf_has_func looks names up as functions: pipe_write is gone on >= 6.15. */
static void test_vmlinux_has_func(void **state)
{
	struct btf *btf = vmlinux_or_skip();

	assert_false(btf_has_func(btf, "pipe_write"));
	assert_true(btf_has_func(btf, "anon_pipe_write"));
	assert_true(btf_has_func(btf, "vfs_write"));
	assert_false(btf_has_func(btf, "pipe_inode_info"));	/* a struct, not a function */
	assert_false(btf_has_func(NULL, "anon_pipe_write"));
	btf__free(btf);
}

/* <= 6.14 naming: only pipe_read/pipe_write; FIFOs share them, fifo names empty (and
 * `ipclab run`'s first line says nothing of FIFOs). */
static void test_synthetic_old_names(void **state)
{
	static const char *const names[] = { "pipe_read", "pipe_write" };
	struct btf *btf = btf_with(names, 2);
	struct probe_syms s;
	char note[160];

	assert_resolves(btf, &s, "pipe_read", "pipe_write", "", "");
	pipe_probes.attached_note(&s, note, sizeof(note));
	assert_string_equal(note, "pipe functions pipe_read/pipe_write");
	btf__free(btf);
}

/* Both namings present: the >= 6.15 names win; without fifo_* the fifo names stay empty. */
static void test_synthetic_new_names_preferred(void **state)
{
	static const char *const names[] = { "pipe_read", "pipe_write", "anon_pipe_read",
					      "anon_pipe_write" };
	struct btf *btf = btf_with(names, 4);
	struct probe_syms s;

	assert_resolves(btf, &s, "anon_pipe_read", "anon_pipe_write", "", "");
	btf__free(btf);
}

/* The 6.15 naming with the FIFO wrappers: run's first line names the read one, and every row
 * probes one of the roles filled, never a fixed name. */
static void test_synthetic_fifo_wrappers(void **state)
{
	static const char *const names[] = { "anon_pipe_read", "anon_pipe_write",
					      "fifo_pipe_read", "fifo_pipe_write" };
	struct btf *btf = btf_with(names, 4);
	struct probe_syms s;
	char note[160];

	assert_resolves(btf, &s, "anon_pipe_read", "anon_pipe_write", "fifo_pipe_read",
			"fifo_pipe_write");
	pipe_probes.attached_note(&s, note, sizeof(note));
	assert_string_equal(note, "pipe functions anon_pipe_read/anon_pipe_write, FIFOs "
			    "fifo_pipe_read");
	assert_int_equal(pipe_probes.n_rows, 16);	/* 4 roles x entry/exit x fentry/kprobe */
	for (size_t i = 0; i < pipe_probes.n_rows; i++) {
		assert_null(pipe_probes.rows[i].func);
		assert_non_null(pipe_probes.rows[i].role);
		assert_true(probe_sym(&s, pipe_probes.rows[i].role)[0]);
	}
	btf__free(btf);
}

/* Neither naming (or only half of one): -ENOENT, nothing resolved, and why. */
static void test_synthetic_none(void **state)
{
	static const char *const names[] = { "vfs_read", "pipe_read", "anon_pipe_write" };
	struct btf *btf = btf_with(names, 3);
	struct probe_syms s;
	char why[96];

	assert_int_equal(resolve(btf, &s, why, sizeof(why)), -ENOENT);
	assert_string_equal(probe_sym(&s, "pipe_read"), "");
	assert_string_equal(probe_sym(&s, "pipe_write"), "");
	assert_string_equal(probe_sym(&s, "fifo_read"), "");
	assert_string_equal(why, "kernel BTF has neither pipe_read nor anon_pipe_read");
	btf__free(btf);
}

/* A type (not a function) named pipe_read does not count. */
static void test_synthetic_kind_matters(void **state)
{
	struct btf *btf = btf__new_empty();
	struct probe_syms s;
	char why[96];

	assert_non_null(btf);
	assert_true(btf__add_int(btf, "pipe_read", 4, 0) > 0);
	assert_true(btf__add_int(btf, "pipe_write", 4, 0) > 0);
	assert_false(btf_has_func(btf, "pipe_read"));
	assert_int_equal(resolve(btf, &s, why, sizeof(why)), -ENOENT);
	btf__free(btf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmlinux_symbols),
		cmocka_unit_test(test_vmlinux_has_func),
		cmocka_unit_test(test_synthetic_old_names),
		cmocka_unit_test(test_synthetic_new_names_preferred),
		cmocka_unit_test(test_synthetic_fifo_wrappers),
		cmocka_unit_test(test_synthetic_none),
		cmocka_unit_test(test_synthetic_kind_matters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
