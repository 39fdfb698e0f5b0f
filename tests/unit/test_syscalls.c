// SPDX-License-Identifier: GPL-2.0
/*
 * test_syscalls.c - the syscall tables ipclab is built with (bpf/syscalls_*.h: the numbers
 * the probes and claims decode, and the names traces show) agree with the kernel's headers:
 * arm64's with asm-generic/unistd.h (syscalls_arm64_check.c), x86_64's with the C library's
 * <asm/unistd_64.h> on an x86_64 machine; and syscall_name() names every decoded call of the
 * architecture built for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/types.h>
#if defined(__x86_64__)
#include <asm/unistd_64.h>
#endif
#include "ipclab.h"
#include "names.h"
#include "syscalls_check.h"

static void test_arm64_table_is_the_generic_one(void **state)
{
	struct table_check c;

	check_arm64_table(&c);
	if (c.bad)
		fail_msg("%d arm64 numbers differ: %s", c.bad, c.why);
}

#if defined(__x86_64__)
static void test_x86_64_table_is_the_kernels(void **state)
{
#define SAME(name) assert_int_equal(NR_##name, __NR_##name);
	DECODED_COMMON(SAME)
	DECODED_LEGACY(SAME)
#undef SAME
#define NAMED(nr, name) assert_int_equal(nr, __NR_##name);
	IPCLAB_SYSCALL_NAMES(NAMED)
#undef NAMED
}
#endif

/* Every call the probes decode has its own name in traces (never "syscall_N"), and the
 * forms the architecture lacks match no number. */
static void test_decoded_calls_are_named(void **state)
{
#define NAMED(name) assert_string_equal(syscall_name(NR_##name), #name);
	DECODED_COMMON(NAMED)
#undef NAMED
#if defined(__aarch64__)
#define UNNAMED(name) assert_null(syscall_name(NR_##name));
	DECODED_LEGACY(UNNAMED)
#undef UNNAMED
	assert_int_equal(NR_unlink_libc, NR_unlinkat);
#else
#define NAMED(name) assert_string_equal(syscall_name(NR_##name), #name);
	DECODED_LEGACY(NAMED)
#undef NAMED
	assert_int_equal(NR_unlink_libc, NR_unlink);
#endif
	assert_string_equal(IPCLAB_ARCH_NAME, IPCLAB_ARCH_MACHINE[0] == 'x' ? "x86_64" : "arm64");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arm64_table_is_the_generic_one),
#if defined(__x86_64__)
		cmocka_unit_test(test_x86_64_table_is_the_kernels),
#endif
		cmocka_unit_test(test_decoded_calls_are_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
