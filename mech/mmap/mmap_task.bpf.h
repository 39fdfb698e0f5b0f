/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmap_task.bpf.h - what one traced thread keeps for the memory probes (a part of the core's
 * struct task_ctx, through mech/registry_task.bpf.h).
 */
#ifndef IPCLAB_MMAP_TASK_BPF_H
#define IPCLAB_MMAP_TASK_BPF_H

struct mmap_task {
	/* kprobe tier: handle_mm_fault's arguments for its kretprobe */
	__u64 fault_addr;
	__u32 fault_flags;
	__u32 pad;
	/* the hit one of a pair of copies handled last (pair_done()) */
	__u64 fault_result_mark;
	__u64 fault_around_mark;
	/* fentry tier: the thread's min_flt + maj_flt + 1 after the last handle_mm_fault hit
	 * a copy handled, 0 before the first (fault_hits_missed()) */
	__u64 faults_seen;
};

#endif
