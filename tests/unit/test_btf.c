// SPDX-License-Identifier: GPL-2.0
/* test_btf.c - pipe symbols from kernel BTF (real and synthetic), probe tier names. */
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

/* On >= 6.15 the running kernel's pipe I/O is anon_pipe_* and FIFOs fifo_pipe_*. */
static void test_vmlinux_symbols(void **state)
{
	struct btf *btf = vmlinux_or_skip();
	struct pipe_symbols s;

	memset(&s, 0x55, sizeof(s));
	assert_int_equal(btf_resolve_pipe_symbols(btf, &s), 0);
	assert_string_equal(s.read, "anon_pipe_read");
	assert_string_equal(s.write, "anon_pipe_write");
	assert_string_equal(s.fifo_read, "fifo_pipe_read");
	assert_string_equal(s.fifo_write, "fifo_pipe_write");
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

/* <= 6.14 naming: only pipe_read/pipe_write; FIFOs share them, fifo names empty. */
static void test_synthetic_old_names(void **state)
{
	static const char *const names[] = { "pipe_read", "pipe_write" };
	struct btf *btf = btf_with(names, 2);
	struct pipe_symbols s;

	memset(&s, 0x55, sizeof(s));
	assert_int_equal(btf_resolve_pipe_symbols(btf, &s), 0);
	assert_string_equal(s.read, "pipe_read");
	assert_string_equal(s.write, "pipe_write");
	assert_string_equal(s.fifo_read, "");
	assert_string_equal(s.fifo_write, "");
	btf__free(btf);
}

/* Both namings present: the >= 6.15 names win; without fifo_* the fifo names stay empty. */
static void test_synthetic_new_names_preferred(void **state)
{
	static const char *const names[] = { "pipe_read", "pipe_write", "anon_pipe_read",
					      "anon_pipe_write" };
	struct btf *btf = btf_with(names, 4);
	struct pipe_symbols s;

	assert_int_equal(btf_resolve_pipe_symbols(btf, &s), 0);
	assert_string_equal(s.read, "anon_pipe_read");
	assert_string_equal(s.write, "anon_pipe_write");
	assert_string_equal(s.fifo_read, "");
	btf__free(btf);
}

/* Neither naming (or only half of one): -ENOENT and nothing resolved. */
static void test_synthetic_none(void **state)
{
	static const char *const names[] = { "vfs_read", "pipe_read", "anon_pipe_write" };
	struct btf *btf = btf_with(names, 3);
	struct pipe_symbols s;

	memset(&s, 0x55, sizeof(s));
	assert_int_equal(btf_resolve_pipe_symbols(btf, &s), -ENOENT);
	assert_string_equal(s.read, "");
	assert_string_equal(s.write, "");
	btf__free(btf);
}

/* A type (not a function) named pipe_read does not count. */
static void test_synthetic_kind_matters(void **state)
{
	struct btf *btf = btf__new_empty();
	struct pipe_symbols s;

	assert_non_null(btf);
	assert_true(btf__add_int(btf, "pipe_read", 4, 0) > 0);
	assert_true(btf__add_int(btf, "pipe_write", 4, 0) > 0);
	assert_false(btf_has_func(btf, "pipe_read"));
	assert_int_equal(btf_resolve_pipe_symbols(btf, &s), -ENOENT);
	btf__free(btf);
}

/* Every tier name parses back to its tier; unknown names are rejected, out untouched. */
static void test_tier_round_trip(void **state)
{
	static const enum ipclab_tier tiers[] = { TIER_AUTO, TIER_FENTRY, TIER_KPROBE,
						  TIER_TRACEPOINT };
	enum ipclab_tier t;

	for (size_t i = 0; i < 4; i++) {
		t = (enum ipclab_tier)-1;
		assert_int_equal(tier_parse(tier_name(tiers[i]), &t), 0);
		assert_int_equal(t, tiers[i]);
	}
	assert_string_equal(tier_name(TIER_FENTRY), "fentry");
	assert_string_equal(tier_name(TIER_TRACEPOINT), "tracepoint");
	t = TIER_KPROBE;
	assert_int_equal(tier_parse("bogus", &t), -EINVAL);
	assert_int_equal(tier_parse("", &t), -EINVAL);
	assert_int_equal(tier_parse("FENTRY", &t), -EINVAL);
	assert_int_equal(tier_parse("?", &t), -EINVAL);
	assert_int_equal(t, TIER_KPROBE);
	assert_string_equal(tier_name((enum ipclab_tier)42), "?");
}

/*
 * What doctor asks kernel BTF about older kernels: a helper's enum value (5.10 has no
 * BPF_FUNC_get_current_task_btf) and a tracepoint's btf_trace_* typedef (no
 * writeback_dirty_folio there).  A name of the other kind, or in another enum, is no answer.
 */
static void test_synthetic_enum_and_typedef(void **state)
{
	struct btf *btf = btf__new_empty();
	int e = btf__add_enum(btf, "bpf_func_id", 4), other, ptr;

	assert_true(e > 0);
	assert_int_equal(btf__add_enum_value(btf, "BPF_FUNC_get_current_task", 35), 0);
	other = btf__add_enum(btf, "other_enum", 4);
	assert_true(other > 0);
	assert_int_equal(btf__add_enum_value(btf, "BPF_FUNC_get_current_task_btf", 158), 0);
	ptr = btf__add_ptr(btf, 0);
	assert_true(btf__add_typedef(btf, "btf_trace_writeback_dirty_page", ptr) > 0);
	assert_true(btf__add_int(btf, "btf_trace_writeback_dirty_folio", 4, 0) > 0);

	assert_true(btf_has_enum_value(btf, "bpf_func_id", "BPF_FUNC_get_current_task"));
	assert_false(btf_has_enum_value(btf, "bpf_func_id", "BPF_FUNC_get_current_task_btf"));
	assert_false(btf_has_enum_value(btf, "no_such_enum", "BPF_FUNC_get_current_task"));
	assert_true(btf_has_typedef(btf, "btf_trace_writeback_dirty_page"));
	assert_false(btf_has_typedef(btf, "btf_trace_writeback_dirty_folio"));	/* an INT */
	assert_false(btf_has_enum_value(NULL, "bpf_func_id", "BPF_FUNC_get_current_task"));
	assert_false(btf_has_typedef(NULL, "btf_trace_writeback_dirty_page"));
	btf__free(btf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmlinux_symbols),
		cmocka_unit_test(test_vmlinux_has_func),
		cmocka_unit_test(test_synthetic_old_names),
		cmocka_unit_test(test_synthetic_new_names_preferred),
		cmocka_unit_test(test_synthetic_none),
		cmocka_unit_test(test_synthetic_kind_matters),
		cmocka_unit_test(test_tier_round_trip),
		cmocka_unit_test(test_synthetic_enum_and_typedef),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
