/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core_fixes.bpf.h - every kernel field ipclab reads that was renamed, retyped or moved
 * between kernel versions, read through CO-RE so that one BPF object serves them all
 * (and compiles against the vmlinux.h of any of them).
 *
 * Each shim is a local "flavor" of the kernel struct (NAME___suffix: libbpf matches it to
 * the kernel's struct NAME, ignoring the suffix) that names only the fields it needs, with
 * preserve_access_index, so the field's offset, size and existence come from the running
 * kernel's BTF at load time, never from the vmlinux.h the object was compiled with.  Each
 * says which kernel change it follows; keep new ones here, in the same form.
 */
#ifndef IPCLAB_CORE_FIXES_BPF_H
#define IPCLAB_CORE_FIXES_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

/* ------------------------------------------------------------ task_struct::state
 * Linux 5.14, commit 2f064a59a11f ("sched: Change task_struct::state"): `long state`
 * became `unsigned int __state`.
 */
struct task_struct___old {
	long state;
} __attribute__((preserve_access_index));

struct task_struct___new {
	unsigned int __state;
} __attribute__((preserve_access_index));

static __always_inline long task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(struct task_struct___new, __state))
		return BPF_CORE_READ((struct task_struct___new *)t, __state);
	return BPF_CORE_READ((struct task_struct___old *)t, state);
}

/* ------------------------------------------------------------ file reference count
 * Linux 6.13, "fs: port files to file_ref" (Christian Brauner): `atomic_long_t f_count`
 * became `file_ref_t f_ref`, which counts from 0 for one reference (FILE_REF_ONEREF).
 */
struct file___old {
	atomic_long_t f_count;
} __attribute__((preserve_access_index));

struct file_ref___new {
	atomic_long_t refcnt;
} __attribute__((preserve_access_index));

struct file___new {
	struct file_ref___new f_ref;
} __attribute__((preserve_access_index));

/* The caller holds the last reference to f (close() of the last fd of a pipe end). */
static __always_inline bool file_last_ref(struct file *f)
{
	if (bpf_core_field_exists(struct file___new, f_ref))
		return BPF_CORE_READ((struct file___new *)f, f_ref.refcnt.counter) == 0;
	return BPF_CORE_READ((struct file___old *)f, f_count.counter) == 1;
}

/* ------------------------------------------------------------ folios
 * struct folio arrived in 5.16 (Matthew Wilcox's memory folios series, "mm: Introduce
 * struct folio"); a vmlinux.h of 5.10 has none, so the probes name it through this flavour: it compiles
 * against every vmlinux.h, and CO-RE finds `index` and `mapping` inside the kernel's folio
 * (in an anonymous member of it) wherever they are.
 */
struct folio___ipclab {
	struct address_space *mapping;
	unsigned long index;
} __attribute__((preserve_access_index));

/* A large folio keeps its number of pages in the fields of its second page:
 * `_folio_nr_pages` in 6.1 and 6.12, `_nr_pages` in 6.18 and 7.2 (as their BTF shows:
 * Debian's 6.1.0-57, 6.12.118, 7.2.13 and the project machine's 6.18). */
struct folio___nr {
	unsigned int _nr_pages;
} __attribute__((preserve_access_index));

struct folio___folio_nr {
	unsigned int _folio_nr_pages;
} __attribute__((preserve_access_index));

static __always_inline __u64 folio_nr_pages_field(struct folio___ipclab *folio)
{
	if (bpf_core_field_exists(struct folio___nr, _nr_pages))
		return BPF_CORE_READ((struct folio___nr *)folio, _nr_pages);
	if (bpf_core_field_exists(struct folio___folio_nr, _folio_nr_pages))
		return BPF_CORE_READ((struct folio___folio_nr *)folio, _folio_nr_pages);
	return 1;
}

/* ------------------------------------------------------------ helpers by kernel
 * bpf_get_current_task_btf() is helper 158, since 5.11 ("bpf: Add
 * bpf_get_current_task_btf helper"): a vmlinux.h of 5.10 does not name it, so the test for
 * it names the enumerator through a local flavour (CO-RE compares names without ___suffix).
 */
enum bpf_func_id___ipclab {
	BPF_FUNC_get_current_task_btf___ipclab = 158,
};

#define KERNEL_HAS_TASK_BTF_HELPER \
	bpf_core_enum_value_exists(enum bpf_func_id___ipclab, BPF_FUNC_get_current_task_btf___ipclab)

/* ------------------------------------------------------------ pipe_inode_info head/tail
 * Three layouts of the ring's indices:
 *   5.5 - 6.13  `unsigned int head; unsigned int tail;`, plain members (commit
 *               8cefc107ca54, "pipe: Use head and tail pointers for the ring, not cursor
 *               and length").
 *   6.14 -      "fs/pipe: Read pipe->{head,tail} atomically outside pipe->mutex" (Linus
 *               Torvalds, K Prateek Nayak): `pipe_index_t head, tail` in an anonymous struct
 *               inside an anonymous union with `unsigned long head_tail`.  pipe_index_t is
 *               32 bits on 64-bit kernels and 16 bits on 32-bit ones.
 *   6.19 -      "fs/pipe: stop duplicating union pipe_index declaration" (Rasmus
 *               Villemoes; the kernel now builds with -fms-extensions): the anonymous member
 *               is `union pipe_index;`.  A vmlinux.h dumped from such a kernel carries that
 *               line, which a C compiler without -fms-extensions drops ("declaration does not
 *               declare anything"): its struct pipe_inode_info has no head or tail at all.
 * This flavor names only head and tail.  libbpf looks for a field through the kernel's
 * anonymous members, so the offsets below are the kernel's whatever member holds them,
 * and the size says whether pipe_index_t is 2 or 4 bytes.  head and tail are adjacent in
 * every layout (tail right after head).
 */
struct pipe_inode_info___indices {
	unsigned int head;
	unsigned int tail;
} __attribute__((preserve_access_index));

#define PIPE_HEAD_OFF	bpf_core_field_offset(struct pipe_inode_info___indices, head)
#define PIPE_TAIL_OFF	bpf_core_field_offset(struct pipe_inode_info___indices, tail)
#define PIPE_INDEX_SIZE	bpf_core_field_size(struct pipe_inode_info___indices, head)

/* head - tail as the kernel computes it (pipe_occupancy): modulo pipe_index_t's width */
static __always_inline __u32 pipe_index_sub(__u32 a, __u32 b)
{
	return PIPE_INDEX_SIZE == 2 ? (__u16)(a - b) : a - b;
}

/* A pipe_index_t at p (in a copy of the struct), widened to 32 bits. */
static __always_inline __u32 pipe_index_load(const void *p)
{
	return PIPE_INDEX_SIZE == 2 ? *(const __u16 *)p : *(const __u32 *)p;
}

#endif /* IPCLAB_CORE_FIXES_BPF_H */
