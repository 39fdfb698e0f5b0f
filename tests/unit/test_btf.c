// SPDX-License-Identifier: GPL-2.0
/*
 * test_btf.c - what kernel BTF has, the functions the mechanisms' probes resolved, the probe
 * rows against the BPF objects, probe tier names.  (Pipe functions: mech/pipe/tests.)
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <cmocka.h>
#include "attach.h"
#include "ipclab.skel.h"
#include "mechanism.h"

/* Roles are looked up by name, replaced in place, unknown ones are "", the table is bounded. */
static void test_probe_syms(void **state)
{
	struct probe_syms s = { .n = 0 };
	char role[16];

	assert_string_equal(probe_sym(&s, "pipe_read"), "");
	assert_int_equal(probe_sym_set(&s, "pipe_read", "pipe_read"), 0);
	assert_int_equal(probe_sym_set(&s, "pipe_write", "pipe_write"), 0);
	assert_int_equal(probe_sym_set(&s, "pipe_read", "anon_pipe_read"), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(probe_sym(&s, "pipe_read"), "anon_pipe_read");
	assert_string_equal(probe_sym(&s, "pipe_write"), "pipe_write");
	assert_string_equal(probe_sym(&s, "pipe"), "");
	for (int i = s.n; i < PROBE_SYMS_MAX; i++) {
		snprintf(role, sizeof(role), "role%d", i);
		assert_int_equal(probe_sym_set(&s, role, "f"), 0);
	}
	assert_int_equal(probe_sym_set(&s, "one_more", "f"), -E2BIG);
	assert_int_equal(probe_sym_set(&s, "pipe_read", "pipe_read"), 0);	/* still replaces */
	assert_int_equal(s.n, PROBE_SYMS_MAX);
}

/* Each row names a program of the object, on a function tier, with a fixed function or a
 * role (not both). */
static void check_rows_against(struct bpf_object *obj)
{
	size_t rows = 0;

	for (size_t m = 0; m < n_mechanisms; m++) {
		const struct mech_probes *p = mechanisms[m]->probes;

		for (size_t i = 0; p && i < p->n_rows; i++, rows++) {
			const struct mech_probe *r = &p->rows[i];

			if (!bpf_object__find_program_by_name(obj, r->prog))
				fail_msg("%s's probe row %s: no such BPF program", mechanisms[m]->name,
					 r->prog);
			assert_true(r->tier == TIER_FENTRY || r->tier == TIER_KPROBE);
			assert_true(!r->func != !r->role);
		}
	}
	assert_int_equal(rows, 16 + 24);	/* pipes and FIFOs (16), Unix sockets (24) */
}

/* How many rows of every kind name this program: function probe rows, program rows (the
 * core's and the mechanisms'), the fault perf hook. */
static int rows_naming(const char *name)
{
	size_t n_core;
	const struct mech_program *core = tracer_core_programs(&n_core);
	int n = 0;

	for (size_t i = 0; i < n_core; i++)
		n += !strcmp(core[i].prog, name);
	for (size_t m = 0; m < n_mechanisms; m++) {
		const struct mech_probes *p = mechanisms[m]->probes;

		for (size_t i = 0; p && i < p->n_rows; i++)
			n += !strcmp(p->rows[i].prog, name);
		for (size_t i = 0; p && i < p->n_programs; i++)
			n += !strcmp(p->programs[i].prog, name);
		n += p && p->fault_perf_prog && !strcmp(p->fault_perf_prog, name);
	}
	return n;
}

/* Every program of the object is in exactly one row: one in none would load on no tier or
 * on every one (autoload defaults to on), never chosen; one in two would be attached twice. */
static void check_programs_in_rows(struct bpf_object *obj)
{
	struct bpf_program *prog;
	int n = 0;

	bpf_object__for_each_program(prog, obj) {
		if (rows_naming(bpf_program__name(prog)) != 1)
			fail_msg("BPF program %s is in %d rows (user/attach.c core_programs, "
				 "mech/*/probes.c)", bpf_program__name(prog),
				 rows_naming(bpf_program__name(prog)));
		n++;
	}
	assert_true(n > 50);
}

/* The rows find their programs (by name, attach.c) in the object and in its other builds
 * (user/skel_builds.c: without atomics, direct loads) alike; opened only, nothing loaded. */
static void test_rows_name_programs(void **state)
{
	const void *(*const builds[])(size_t *) = { ipclab_legacy_elf_bytes,
						     ipclab_direct_elf_bytes };
	struct ipclab_bpf *s = ipclab_bpf__open();

	assert_non_null(s);
	check_rows_against(s->obj);
	check_programs_in_rows(s->obj);
	ipclab_bpf__destroy(s);
	for (size_t i = 0; i < sizeof(builds) / sizeof(builds[0]); i++) {
		size_t sz;
		const void *elf = builds[i](&sz);
		struct bpf_object *other = bpf_object__open_mem(elf, sz, NULL);

		assert_non_null(other);
		check_rows_against(other);
		check_programs_in_rows(other);
		bpf_object__close(other);
	}
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
		cmocka_unit_test(test_probe_syms),
		cmocka_unit_test(test_rows_name_programs),
		cmocka_unit_test(test_tier_round_trip),
		cmocka_unit_test(test_synthetic_enum_and_typedef),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
