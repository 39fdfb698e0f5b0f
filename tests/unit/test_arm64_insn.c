// SPDX-License-Identifier: GPL-2.0
/*
 * test_arm64_insn.c - bpf/arm64_insn.h, the store/load decoder behind the `write` of arm64
 * page faults in the tracepoint tier.  The words are what an AArch64 assembler (clang
 * --target=aarch64-linux-gnu, -march=armv8.4-a+lse+rcpc, and +sve) made of the mnemonic
 * beside each: stores, atomics and DC ZVA write; loads, prefetches and non-memory
 * instructions do not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "arm64_insn.h"

static const struct {
	unsigned int insn;
	int writes;
	const char *asm_text;
} cases[] = {
	{ 0xf9000001u, 1, "str x1, [x0]" },
	{ 0x39000401u, 1, "strb w1, [x0, #1]" },
	{ 0x78226801u, 1, "strh w1, [x0, x2]" },
	{ 0xf81f8001u, 1, "stur x1, [x0, #-8]" },
	{ 0xf8008c01u, 1, "str x1, [x0, #8]!" },
	{ 0xf8008401u, 1, "str x1, [x0], #8" },
	{ 0xf8000801u, 1, "sttr x1, [x0]" },
	{ 0x38000801u, 1, "sttrb w1, [x0]" },
	{ 0xa9000801u, 1, "stp x1, x2, [x0]" },
	{ 0xad010400u, 1, "stp q0, q1, [x0, #32]" },
	{ 0xa8000801u, 1, "stnp x1, x2, [x0]" },
	{ 0x3d800000u, 1, "str q0, [x0]" },
	{ 0xfd000000u, 1, "str d0, [x0]" },
	{ 0xbd000400u, 1, "str s0, [x0, #4]" },
	{ 0xc8037c01u, 1, "stxr w3, x1, [x0]" },
	{ 0xc89ffc01u, 1, "stlr x1, [x0]" },
	{ 0xc8238801u, 1, "stlxp w3, x1, x2, [x0]" },
	{ 0x4c007000u, 1, "st1 {v0.16b}, [x0]" },
	{ 0x4c9f8800u, 1, "st2 {v0.4s, v1.4s}, [x0], #32" },
	{ 0x0d009000u, 1, "st1 {v0.s}[1], [x0]" },
	{ 0xd50b7420u, 1, "dc zva, x0" },
	{ 0xc8a17c02u, 1, "cas x1, x2, [x0]" },
	{ 0x88e1fc02u, 1, "casal w1, w2, [x0]" },
	{ 0x48227c04u, 1, "casp x2, x3, x4, x5, [x0]" },
	{ 0xf8210002u, 1, "ldadd x1, x2, [x0]" },
	{ 0xb8e18002u, 1, "swpal w1, w2, [x0]" },
	{ 0xf821001fu, 1, "stadd x1, [x0]" },
	{ 0xd91f8001u, 1, "stlur x1, [x0, #-8]" },
	{ 0xf9400001u, 0, "ldr x1, [x0]" },
	{ 0x39400401u, 0, "ldrb w1, [x0, #1]" },
	{ 0xb8a27801u, 0, "ldrsw x1, [x0, x2, lsl #2]" },
	{ 0xf85f8001u, 0, "ldur x1, [x0, #-8]" },
	{ 0xf8400801u, 0, "ldtr x1, [x0]" },
	{ 0xa9400801u, 0, "ldp x1, x2, [x0]" },
	{ 0xad400400u, 0, "ldp q0, q1, [x0]" },
	{ 0x3dc00000u, 0, "ldr q0, [x0]" },
	{ 0xfd400400u, 0, "ldr d0, [x0, #8]" },
	{ 0xc85f7c01u, 0, "ldxr x1, [x0]" },
	{ 0xc8dffc01u, 0, "ldar x1, [x0]" },
	{ 0xc87f8801u, 0, "ldaxp x1, x2, [x0]" },
	{ 0x4c407000u, 0, "ld1 {v0.16b}, [x0]" },
	{ 0x4c400800u, 0, "ld4 {v0.4s, v1.4s, v2.4s, v3.4s}, [x0]" },
	{ 0xf8bfc001u, 0, "ldapr x1, [x0]" },
	{ 0xd95f8001u, 0, "ldapur x1, [x0, #-8]" },
	{ 0x58000001u, 0, "ldr x1, ." },
	{ 0xf9800000u, 0, "prfm pldl1keep, [x0]" },
	{ 0xf8200401u, 0, "ldraa x1, [x0]" },
	{ 0x8b030041u, 0, "add x1, x2, x3" },
	{ 0x14000000u, 0, "b ." },
	{ 0xd65f03c0u, 0, "ret" },
	{ 0xd503201fu, 0, "nop" },
	{ 0xe5e0e000u, 1, "st1d {z0.d}, p0, [x0]" },
	{ 0xe4014000u, 1, "st1b {z0.b}, p0, [x0, x1]" },
	{ 0xe5804000u, 1, "str z0, [x0]" },
	{ 0xa5e0a000u, 0, "ld1d {z0.d}, p0/z, [x0]" },
	{ 0xa4014000u, 0, "ld1b {z0.b}, p0/z, [x0, x1]" },
	{ 0x85804000u, 0, "ldr z0, [x0]" },
	{ 0xc5c1c000u, 0, "ld1d {z0.d}, p0/z, [x0, z1.d]" },
};

static void test_stores_write_loads_read(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (arm64_insn_writes(cases[i].insn) != cases[i].writes)
			fail_msg("%s (0x%08x): writes = %d, expected %d", cases[i].asm_text,
				 cases[i].insn, arm64_insn_writes(cases[i].insn), cases[i].writes);
}

/* The kernel's copy_to_user/clear_user store with STTR and copy_from_user loads with LDTR:
 * faults they take on user pages are told apart too (any register, any offset). */
static void test_uaccess_forms(void **state)
{
	for (unsigned int rt = 0; rt < 32; rt++) {
		assert_true(arm64_insn_writes(0xf8000800u | (1u << 5) | rt));	/* sttr xRt, [x1] */
		assert_false(arm64_insn_writes(0xf8400800u | (1u << 5) | rt));	/* ldtr xRt, [x1] */
		assert_true(arm64_insn_writes(0xd50b7420u | rt));		/* dc zva, xRt */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stores_write_loads_read),
		cmocka_unit_test(test_uaccess_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
