// SPDX-License-Identifier: GPL-2.0
/*
 * mmap.bpf.c - memory mappings: page faults and their verdicts, the page cache, dirtied
 * pages, fault-around, writeback.
 */
#include "ipclab.bpf.h"

/* ------------------------------------------------------- memory mappings */

/* Inside pagefault_disable(): a fault here is not handled (see record_fault()). */
static __always_inline bool current_pagefault_disabled(void)
{
	struct task_struct *task;

	if (HAVE_TASK_BTF) {
		task = bpf_get_current_task_btf();
		return task->pagefault_disabled;
	}
	/* the helper that reads it copies inside its own pagefault_disable(): it sees one more
	 * than the faulting code had (measured: every fault "unhandled" with "!= 0") */
	task = (struct task_struct *)bpf_get_current_task();
	return BPF_CORE_READ(task, pagefault_disabled) > 1;
}

/* Faults on user addresses: from user mode, or in the kernel (copy_to_user into an untouched
 * buffer).  Both are counted by the kernel's min_flt/maj_flt, so both are recorded.
 *
 * A fault taken inside pagefault_disable() is not handled at all: the faulting access fails
 * through the exception table and the kernel does not count it.  The caller resolves it and
 * retries - x86 signal delivery does so when XSAVE into the user's stack faults - so such a
 * fault is followed by a handled one at the same address.  It is flagged, not dropped: it
 * did happen, and a count that matches min_flt must leave it out. */
#if defined(__TARGET_ARCH_arm64)
#define REGS_IP(regs) BPF_CORE_READ(regs, pc)
#else
#define REGS_IP(regs) BPF_CORE_READ(regs, ip)
#endif

/* The instruction pointer comes from regs (the tracepoints) or, when regs is NULL, from ip
 * (the perf event): regs is read only for traced tasks. */
static __always_inline void record_fault(unsigned long address, struct pt_regs *regs, __u64 ip,
					 unsigned long error_code, __u16 flags)
{
	struct ipclab_event *e;

	if (!current_active())
		return;
	if (current_pagefault_disabled())
		flags |= EVF_NOFAULT;
	e = event_reserve(EVT_FAULT);
	if (!e)
		return;
	e->flags = flags;
	e->fault.addr = address;
	e->fault.error_code = error_code;
	e->fault.ip = regs ? REGS_IP(regs) : ip;
	e->fault.result = 0;
	{
		__u32 tid = e->tid;
		struct task_ctx *c = bpf_map_lookup_elem(&tasks, &tid);

		e->nr = c ? c->nr : -1;
	}
	event_submit(e);
}

/* The x86 exception tracepoints: the error code is the hardware's.  (Compiled for every
 * architecture, so that every skeleton has the same programs; loaded only on x86.) */
SEC("tp_btf/page_fault_user")
int BPF_PROG(page_fault_user, unsigned long address, struct pt_regs *regs,
	     unsigned long error_code)
{
	record_fault(address, regs, 0, error_code, 0);
	return 0;
}

#if defined(__TARGET_ARCH_arm64)
#define USER_ADDR_END (1ULL << 52)	/* arm64: TTBR0 addresses, 48 bits (52 with LVA) */
#else
#define USER_ADDR_END 0x800000000000ULL	/* x86_64, 4-level paging: user half */
#endif

SEC("tp_btf/page_fault_kernel")
int BPF_PROG(page_fault_kernel, unsigned long address, struct pt_regs *regs,
	     unsigned long error_code)
{
	if (address < USER_ADDR_END)
		record_fault(address, regs, 0, error_code, EVF_KERNEL_MODE);
	return 0;
}

/*
 * Architectures without those tracepoints (arm64): the software page-fault perf event
 * (PERF_COUNT_SW_PAGE_FAULTS), which the fault handler raises once per fault exception with
 * the faulting address and registers, on every CPU (user/attach.c).  It has no error code,
 * so one is made in the x86 encoding the rest of ipclab reads (ipclab.h struct ipclab_fault):
 *   4 (user)       the registers are user mode's (pstate EL0);
 *   1 (present)    a non-faulting read of the address succeeds: the page is mapped readable,
 *                  so the fault is a write or fetch to a page mapped without that permission;
 *   16 (fetch)     user mode and the address is the pc (A64 instructions never cross a page);
 *   2 (write)      the instruction at the pc is a store, compare-and-swap, atomic or DC ZVA
 *                  (bpf/arm64_insn.h): arm64's syndrome register is not reachable from here.
 * The arm64 handler raises the event after it has given up on faults taken with page faults
 * disabled, so EVF_NOFAULT never shows there (x86's tracepoints see those).
 */
static __always_inline void perf_fault_regs(struct bpf_perf_event_data *ctx, __u64 *pc,
					    bool *user)
{
#if defined(__TARGET_ARCH_arm64)
	*pc = ctx->regs.pc;
	*user = (ctx->regs.pstate & 0xf) == 0;	/* PSR_MODE_EL0t (PSR_MODE_MASK 0xf) */
#else
	*pc = ctx->regs.ip;
	/* the context is read 8 bytes at a time (the verifier refuses a 2-byte load of cs) */
	*user = (*(volatile __u64 *)&ctx->regs.cs & 3) == 3;
#endif
}

static __always_inline bool fault_insn_writes(__u64 pc, bool user)
{
#if defined(__TARGET_ARCH_arm64)
	__u32 insn = 0;
	long err = user ? bpf_probe_read_user(&insn, sizeof(insn), (void *)pc) :
			  bpf_probe_read_kernel(&insn, sizeof(insn), (void *)pc);

	return !err && arm64_insn_writes(insn);
#else
	return false;	/* not decoded: x86 has the tracepoints, with the hardware's error code */
#endif
}

SEC("perf_event")
int page_fault_perf(struct bpf_perf_event_data *ctx)
{
	__u64 addr = ctx->addr, pc = 0, error_code = 0;
	bool user = false;
	__u8 byte;

	if (!current_active())
		return 0;
	perf_fault_regs(ctx, &pc, &user);
	if (!user && addr >= USER_ADDR_END)
		return 0;
	if (user)
		error_code |= 4;
	if (bpf_probe_read_user(&byte, sizeof(byte), (void *)addr) == 0)
		error_code |= 1;
	if (user && addr == pc)
		error_code |= 16;
	else if (fault_insn_writes(pc, user))
		error_code |= 2;
	record_fault(addr, NULL, pc, error_code, user ? 0 : EVF_KERNEL_MODE);
	return 0;
}

/* fentry/kprobe tiers: handle_mm_fault's return says whether the fault was major. */
/* handle_mm_fault's verdict on a user fault of a traced task. */
static __always_inline void fault_result_emit(unsigned long address, unsigned int flags, long ret)
{
	struct ipclab_event *e;

	e = event_reserve(EVT_FAULT_RESULT);
	if (!e)
		return;
	e->fault.addr = address;
	e->fault.error_code = flags;
	e->fault.ip = 0;
	e->fault.result = ret;
	event_submit(e);
}

static __always_inline void fault_result(unsigned long address, unsigned int flags, long ret)
{
	if (!current_active() || !(flags & 0x40))	/* FAULT_FLAG_USER */
		return;
	fault_result_emit(address, flags, ret);
}

/*
 * fentry tier: the two fexit copies of handle_mm_fault, a symmetric pair (pair_done(),
 * above sys_exit_run), run on every hit of a traced thread, its kernel-mode faults too.
 *
 * A hit both copies were skipped on is counted exactly, where the kernel itself counts it:
 * handle_mm_fault adds every fault it completes (neither VM_FAULT_RETRY nor an error) to the
 * thread's min_flt or maj_flt (mm_account_fault(), 5.9+, "mm: do page fault accounting in
 * handle_mm_fault"; nothing else adds to them), so the copy that handles a hit expects the
 * sum to have grown by one since the last hit a copy saw, or by none, and counts the rest
 * (DROP_SKIPPED_FAULT), as does the thread's exit (mmap_task_exit()).  The kernel's skip
 * counts cannot say this: most skips on a 7.2 guest were other tasks' faults (the loader's
 * own among them), and a bound from them failed traces that had lost nothing.  A hit
 * skipped by both copies that ended in a retry or an error is not counted: its retry
 * follows with FAULT_FLAG_TRIED, and an error ends in a signal the trace shows.
 */
#define FAULT_FLAG_USER_BIT 0x40
#define VM_FAULT_NOT_COUNTED 0xc73	/* RETRY 0x400 | ERROR: OOM, SIGBUS, SIGSEGV,
					 * HWPOISON(_LARGE), FALLBACK (include/linux/mm_types.h) */

static __always_inline void fexit_fault_result(unsigned long address, unsigned int flags,
					       long ret, bool stand_in)
{
	bool user = flags & FAULT_FLAG_USER_BIT;
	struct task_ctx *c;
	__u64 faults, key;

	if (!current_active())
		return;
	c = ctx_get(bpf_get_current_pid_tgid(), true);
	if (!c) {
		/* without a task context (map full) only the first-attached copy reports */
		if (user && !stand_in)
			fault_result_emit(address, flags, ret);
		return;
	}
	faults = thread_faults();
	/* one hit's key: a retried fault has FAULT_FLAG_TRIED, a later completed one a
	 * larger sum */
	key = (address | 1) ^ ((__u64)flags << 48) ^ (faults << 32);
	if (pair_done(&c->mech.mmap.fault_result_mark, key, RECOVERED_RESULT_WORKS, user))
		return;
	fault_hits_missed(&c->mech.mmap, faults, !(ret & VM_FAULT_NOT_COUNTED));
	if (user)
		fault_result_emit(address, flags, ret);
}

SEC("fexit/handle_mm_fault")
int BPF_PROG(fexit_handle_mm_fault, struct vm_area_struct *vma, unsigned long address,
	     unsigned int flags, struct pt_regs *regs, long ret)
{
	fexit_fault_result(address, flags, ret, false);
	return 0;
}

SEC("fexit/handle_mm_fault")
int BPF_PROG(fexit_handle_mm_fault_stand_in, struct vm_area_struct *vma, unsigned long address,
	     unsigned int flags, struct pt_regs *regs, long ret)
{
	fexit_fault_result(address, flags, ret, true);
	return 0;
}

SEC("kprobe/handle_mm_fault")
int BPF_KPROBE(kprobe_handle_mm_fault, struct vm_area_struct *vma, unsigned long address,
	       unsigned int flags)
{
	struct task_ctx *c;

	if (!current_active())
		return 0;
	c = ctx_get(bpf_get_current_pid_tgid(), true);
	if (c) {
		c->mech.mmap.fault_addr = address;
		c->mech.mmap.fault_flags = flags;
	}
	return 0;
}

SEC("kretprobe/handle_mm_fault")
int BPF_KRETPROBE(kretprobe_handle_mm_fault, long ret)
{
	struct task_ctx *c = ctx_get(bpf_get_current_pid_tgid(), false);

	if (c)
		fault_result(c->mech.mmap.fault_addr, c->mech.mmap.fault_flags, ret);
	return 0;
}

static __always_inline void record_filepage(__u16 type, struct address_space *mapping,
					    __u64 index, __u64 last)
{
	struct inode *host = BPF_CORE_READ(mapping, host);
	struct ipclab_event *e;

	if (!host)
		return;
	e = event_reserve(type);
	if (!e)
		return;
	e->fp.ino = BPF_CORE_READ(host, i_ino);
	e->fp.dev = BPF_CORE_READ(host, i_sb, s_dev);
	e->fp.index = index;
	e->fp.last_index = last;
	event_submit(e);
}

/* Pages in a folio: large folios (several pages cached, mapped and dirtied as one) carry
 * their size in the second page (core_fixes.bpf.h: the field was renamed). */
static __always_inline __u64 folio_pages(struct folio___ipclab *folio)
{
	unsigned long flags = 0;

	/* the page flags word is the folio's first field on every kernel */
	bpf_probe_read_kernel(&flags, sizeof(flags), folio);
	if (!(flags & (1UL << bpf_core_enum_value(enum pageflags, PG_head))))
		return 1;
	return folio_nr_pages_field(folio);
}

/* A page's file offset and mapping as kernels before folios name them (6.18 calls the
 * offset __folio_index). */
struct page___old {
	struct address_space *mapping;
	unsigned long index;
} __attribute__((preserve_access_index));

/*
 * A folio read into the page cache, in the context of the task that needed it.  Kernels
 * without folios (5.10) pass a struct page, always a single page for the regular files the
 * lab maps (the page cache of 5.10 holds huge pages only for shmem and read-only
 * executables), so one page is recorded.
 */
SEC("tp_btf/mm_filemap_add_to_page_cache")
int BPF_PROG(page_cache_add, struct folio___ipclab *folio)
{
	struct page___old *page = (void *)folio;
	__u64 index;

	if (!current_active())
		return 0;
	if (!bpf_core_type_exists(struct folio___ipclab)) {
		index = BPF_CORE_READ(page, index);
		record_filepage(EVT_PAGE_CACHE, BPF_CORE_READ(page, mapping), index, index);
		return 0;
	}
	index = BPF_CORE_READ(folio, index);
	record_filepage(EVT_PAGE_CACHE, BPF_CORE_READ(folio, mapping), index,
			index + folio_pages(folio) - 1);
	return 0;
}

/* A folio dirtied (stores through a shared mapping, or write()). */
SEC("tp_btf/writeback_dirty_folio")
int BPF_PROG(dirty_folio, struct folio___ipclab *folio, struct address_space *mapping)
{
	__u64 index;

	if (!mapping || !current_active())
		return 0;
	index = BPF_CORE_READ(folio, index);
	record_filepage(EVT_DIRTY, mapping, index, index + folio_pages(folio) - 1);
	return 0;
}

/* The same on kernels without folios (5.10): one page dirtied.  The loader enables one of the two. */
SEC("tp_btf/writeback_dirty_page")
int BPF_PROG(dirty_page, struct page___old *page, struct address_space *mapping)
{
	__u64 index;

	if (!mapping || !current_active())
		return 0;
	index = BPF_CORE_READ(page, index);
	record_filepage(EVT_DIRTY, mapping, index, index);
	return 0;
}

/* Fault-around: one fault maps the cached pages index..last without faulting (6.11+). */
static __always_inline void fault_around_run(struct address_space *mapping, unsigned long index,
					     unsigned long last, bool stand_in)
{
	struct task_ctx *c;

	if (!mapping || !current_active())
		return;
	c = ctx_get(bpf_get_current_pid_tgid(), true);
	if (c ? pair_done(&c->mech.mmap.fault_around_mark, ((__u64)index << 1 | 1) ^ ((__u64)last << 40),
			     RECOVERED_AROUND_WORKS, true) :
		stand_in)
		return;
	record_filepage(EVT_FAULT_AROUND, mapping, index, last);
}

SEC("tp_btf/mm_filemap_map_pages")
int BPF_PROG(fault_around, struct address_space *mapping, unsigned long index,
	     unsigned long last)
{
	fault_around_run(mapping, index, last, false);
	return 0;
}

SEC("tp_btf/mm_filemap_map_pages")
int BPF_PROG(fault_around_stand_in, struct address_space *mapping, unsigned long index,
	     unsigned long last)
{
	fault_around_run(mapping, index, last, true);
	return 0;
}

/* A file's first page went under writeback (msync, fsync, or the flusher). */
SEC("tp_btf/sb_mark_inode_writeback")
int BPF_PROG(inode_writeback, struct inode *inode)
{
	struct ipclab_event *e;

	if (!inode || !current_active())
		return 0;
	e = event_reserve(EVT_WRITEBACK);
	if (!e)
		return 0;
	e->fp.ino = BPF_CORE_READ(inode, i_ino);
	e->fp.dev = BPF_CORE_READ(inode, i_sb, s_dev);
	e->fp.index = e->fp.last_index = 0;
	event_submit(e);
	return 0;
}
