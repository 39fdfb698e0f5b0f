// SPDX-License-Identifier: GPL-2.0
/* probes.c - the programs of mappings (mech/mmap/mmap.bpf.c): faults, the page cache. */
#include "mechanism.h"

/* exceptions:page_fault_user/kernel: x86 only; elsewhere page_fault_perf takes faults */
#define FAULT_TRACEPOINT "btf_trace_page_fault_user"
#define FAULT_AROUND_TRACEPOINT "btf_trace_mm_filemap_map_pages"	/* 6.11+ */

/*
 * Optional ones depend on a tracepoint older kernels lack (filemap:mm_filemap_map_pages
 * arrived in 6.11): they are not attached there, and meta.probes says so.  A tracepoint that
 * changed its name has one program per name (writeback_dirty_page before folios, as on 5.10;
 * writeback_dirty_folio since): the older one is loaded only without the newer.  The
 * stand-in copies (bpf/ipclab.bpf.h, stand_in_used()) come after their first copies.
 */
static const struct mech_program mmap_programs[] = {
	MECH_PROG_NEEDS("page_fault_user", FAULT_TRACEPOINT),
	MECH_PROG_NEEDS("page_fault_kernel", FAULT_TRACEPOINT),
	MECH_PROG("page_cache_add"),
	MECH_PROG_NEEDS("dirty_folio", "btf_trace_writeback_dirty_folio"),
	{ .prog = "dirty_page", .only = TIER_AUTO, .needs = "btf_trace_writeback_dirty_page",
	  .unless = "btf_trace_writeback_dirty_folio" },
	MECH_PROG_PAIR("fault_around", TIER_AUTO, FAULT_AROUND_TRACEPOINT, RECOVERED_AROUND_WORKS),
	MECH_PROG_NEEDS("inode_writeback", "btf_trace_sb_mark_inode_writeback"),
	/* a fault's verdict (major, retried) on the function tiers */
	MECH_PROG_PAIR("fexit_handle_mm_fault", TIER_FENTRY, NULL, RECOVERED_RESULT_WORKS),
	MECH_PROG_TIER("kprobe_handle_mm_fault", TIER_KPROBE),
	/* sleeps for the disk too: many at once */
	{ .prog = "kretprobe_handle_mm_fault", .only = TIER_KPROBE,
	  .retprobe_func = "handle_mm_fault" },
	MECH_PROG_NEEDS("fault_around_stand_in", FAULT_AROUND_TRACEPOINT),
	MECH_PROG_TIER("fexit_handle_mm_fault_stand_in", TIER_FENTRY),
};

const struct mech_probes mmap_probes = {
	.programs = mmap_programs,
	.n_programs = sizeof(mmap_programs) / sizeof(mmap_programs[0]),
	.fault_perf_prog = "page_fault_perf",
	.fault_perf_instead_of = FAULT_TRACEPOINT,
};
