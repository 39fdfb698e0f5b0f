/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmap.bpf.h - memory mappings, the syscall side: what an mmap() record says about the file
 * it maps.  (Faults, page cache, dirtying and writeback are mech/mmap/mmap.bpf.c's programs.)
 * Included by mech/registry.bpf.h.
 */
#ifndef IPCLAB_MMAP_BPF_H
#define IPCLAB_MMAP_BPF_H

/* The file behind a new mapping: identity, name and filesystem. */
static __always_inline void mmap_file(struct ipclab_event *e, int fd)
{
	struct file *f = fd_file(fd);
	struct inode *inode;

	if (!f)
		return;
	inode = BPF_CORE_READ(f, f_inode);
	e->sc.file_ino = BPF_CORE_READ(inode, i_ino);
	e->sc.file_dev = BPF_CORE_READ(inode, i_sb, s_dev);
	e->sc.file_magic = BPF_CORE_READ(inode, i_sb, s_magic);
	bpf_probe_read_kernel_str(e->sc.path, sizeof(e->sc.path),
				  BPF_CORE_READ(f, f_path.dentry, d_name.name));
}

/* True for mmap(), whose record this describes. */
static __always_inline bool mmap_syscall_details(struct task_ctx *c, struct ipclab_event *e,
						 long ret)
{
	if (c->nr != NR_mmap)
		return false;
	/* MAP_ANONYMOUS (0x20) ignores the fd */
	if (ret >= 0 && !(c->args[3] & 0x20))
		mmap_file(e, (int)c->args[4]);
	return true;
}

/* fentry tier (fexit_fault_result() in mmap.bpf.c): the thread's faults so far as the
 * kernel counts them. */
static __always_inline __u64 thread_faults(void)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	return BPF_CORE_READ(t, min_flt) + BPF_CORE_READ(t, maj_flt);
}

/* Count the completed hits of this thread no copy ran on, up to `faults` (the kernel's sum
 * now, this hit included when `counted`), and remember where the count stands. */
static __always_inline void fault_hits_missed(struct mmap_task *m, __u64 faults, bool counted)
{
	__u64 expected = m->faults_seen - 1 + counted;

	/* 0 until a copy saw one of the thread's hits: the sum before that is not ours */
	if (m->faults_seen && faults > expected)
		count_dropped(DROP_SKIPPED_FAULT, faults - expected);
	m->faults_seen = faults + 1;
}

/* A thread exits: the faults it completed since the last hit a copy saw were skipped by
 * both copies (a fault after this point is not in the trace's time anyway). */
static __always_inline void mmap_task_exit(struct task_ctx *c)
{
	if (c->mech.mmap.faults_seen)
		fault_hits_missed(&c->mech.mmap, thread_faults(), false);
}

#endif
