/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * arm64_insn.h - does an A64 instruction that took a data abort write to memory?
 *
 * On arm64 the tracepoint tier sees page faults through the software page-fault perf event
 * (bpf/ipclab.bpf.c page_fault_perf), which carries the address and the registers but not
 * the exception syndrome (ESR) that says whether the access was a write.  The instruction at
 * the faulting pc says it instead: this decodes the A64 load/store encodings (Arm ARM, "Loads
 * and Stores" and the SVE memory groups) far enough to tell a store from a load.  Shared by
 * the BPF object and the unit test (tests/unit/test_arm64_insn.c): plain bit operations only.
 *
 * Writes: every store (STR*, STUR*, STTR* - the kernel's copy_to_user -, STP, STNP, STXR,
 * STLR, SIMD&FP and SVE stores, ST1-ST4), compare-and-swap and the atomic read-modify-write
 * instructions (LDADD, SWP, ...: they write), and DC ZVA (glibc's memset zeroes with it).
 * Everything else - loads, prefetches, and instructions it does not decode (FEAT_MOPS
 * CPY/SET, ...) - is reported as a read.
 */
#ifndef IPCLAB_ARM64_INSN_H
#define IPCLAB_ARM64_INSN_H

#define A64_BIT(insn, n)	(((insn) >> (n)) & 1u)

/* Load/store exclusive, ordered, and compare-and-swap: bits 29:24 = 001000. */
static inline int a64_exclusive_writes(unsigned int insn)
{
	unsigned int rt2 = (insn >> 10) & 0x1f;

	if (!A64_BIT(insn, 22))
		return 1;			/* STXR, STLXR, STLR, STXP, ... */
	/* CAS/CASP have bit 21 set and Rt2 = 11111; LDXP with an Rt2 of xzr is not real code */
	return A64_BIT(insn, 21) && rt2 == 0x1f;
}

/* Load/store register, every addressing form, atomics: bits 29:27 = 111. */
static inline int a64_register_writes(unsigned int insn)
{
	unsigned int opc = (insn >> 22) & 3;

	if (!A64_BIT(insn, 24) && A64_BIT(insn, 21)) {
		if (((insn >> 10) & 3) == 0) {
			/* atomic memory operations write, but LDAPR (o3 = 1, opc = 100) only loads */
			return !(A64_BIT(insn, 15) && ((insn >> 12) & 7) == 4);
		}
		if (A64_BIT(insn, 10))
			return 0;		/* LDRAA/LDRAB: pointer-authenticated loads */
	}
	if (A64_BIT(insn, 26))			/* SIMD&FP: opc 00 and 10 store, 01 and 11 load */
		return (opc & 1) == 0;
	return opc == 0;			/* 01 loads, 10 and 11 sign-extending loads, PRFM */
}

static inline int arm64_insn_writes(unsigned int insn)
{
	if ((insn & 0xffffffe0u) == 0xd50b7420u)
		return 1;			/* DC ZVA, Xt */
	if ((insn & 0x1e000000u) == 0x04000000u && A64_BIT(insn, 31))
		return ((insn >> 29) & 7) == 7;	/* SVE memory: 111 stores, 100-110 loads */
	if ((insn & 0x0a000000u) != 0x08000000u)
		return 0;			/* not a load or store */
	if ((insn & 0xbe000000u) == 0x0c000000u)
		return !A64_BIT(insn, 22);	/* SIMD structures: ST1-ST4 / LD1-LD4 */
	if ((insn & 0x3f000000u) == 0x08000000u)
		return a64_exclusive_writes(insn);
	if ((insn & 0x3b000000u) == 0x18000000u)
		return 0;			/* LDR (literal), PRFM (literal) */
	if ((insn & 0x3f000000u) == 0x19000000u)
		return ((insn >> 22) & 3) == 0;	/* STLUR / LDAPUR (RCpc, unscaled) */
	if ((insn & 0x38000000u) == 0x28000000u)
		return !A64_BIT(insn, 22);	/* STP/LDP, STNP/LDNP, STGP, SIMD&FP pairs */
	if ((insn & 0x38000000u) == 0x38000000u)
		return a64_register_writes(insn);
	return 0;
}

#endif /* IPCLAB_ARM64_INSN_H */
