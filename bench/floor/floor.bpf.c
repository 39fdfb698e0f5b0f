// SPDX-License-Identifier: GPL-2.0
/*
 * floor.bpf.c - the least any tracer on ipclab's syscall hooks must do (issue 16 §1).
 *
 * tp_btf/sys_enter and tp_btf/sys_exit, as ipclab attaches them: decide whether the current
 * task is in the traced process tree, and if so count the syscall in a per-CPU counter.
 * Nothing else: no ring buffer, no record.  What `floor -- CMD` costs over the untraced
 * CMD is the price of these hooks themselves, the floor under ipclab's own cost.
 *
 * The filter: task local storage (one byte per task of the tree).  Of the honest filters it
 * is the cheapest: a task outside the tree has no storage at all, so its test is one pointer
 * load (task->bpf_storage == NULL), and a task inside it finds its element in the storage's
 * cache, with no hashing (a hash of tgids, as ipclab's `tracked`, hashes on every syscall).
 * The loader seeds the root task through a pidfd; sched_process_fork extends the set to every
 * child process and thread of a member; the kernel frees a task's storage when the task is
 * freed, which is the "removed on exit".
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

enum { FLOOR_ENTER, FLOOR_EXIT, FLOOR_FORK, FLOOR_NCOUNTERS };

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u8);
} in_tree SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FLOOR_NCOUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline void count(__u32 which)
{
	__u64 *n = bpf_map_lookup_elem(&counts, &which);

	if (n)
		(*n)++;	/* per-CPU: no atomic needed */
}

static __always_inline int current_in_tree(void)
{
	return bpf_task_storage_get(&in_tree, bpf_get_current_task_btf(), 0, 0) != NULL;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_sys_enter, struct pt_regs *regs, long id)
{
	if (current_in_tree())
		count(FLOOR_ENTER);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_sys_exit, struct pt_regs *regs, long ret)
{
	if (current_in_tree())
		count(FLOOR_EXIT);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(floor_fork, struct task_struct *parent, struct task_struct *child)
{
	/* runs in the forking task (current): a member's new process or thread joins */
	if (!current_in_tree())
		return 0;
	bpf_task_storage_get(&in_tree, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	count(FLOOR_FORK);
	return 0;
}
