// SPDX-License-Identifier: GPL-2.0
/*
 * pipe.bpf.c - the pipe read/write functions' probes, fentry/fexit and kprobe/kretprobe
 * tiers (the tracepoint tier samples pipes at sys_enter/sys_exit, bpf/ipclab.bpf.c).
 * Pipes and FIFOs share them: a FIFO is a pipe with a name.
 */
#include "ipclab.bpf.h"

/* The global functions (pipe.bpf.h): the verifier checks each once, not inline in every
 * program. */

/*
 * Slots [first, first + count) of a ring of ring_size slots (a power of two), count at most
 * IPCLAB_MAX_SLOTS.  A global function: the verifier checks its loop once per program, not
 * at every place a pipe is sampled, and the same code serves every pipe size.
 */
#ifdef IPCLAB_DIRECT
/* The direct-load build: bufs is the pipe (pipe_counters()), and each slot's len is one load
 * (no copy into scratch, so nothing another task could overwrite meanwhile). */
__noinline __u64 ring_chunk_bytes(__u64 bufs, __u32 first, __u32 count, __u32 ring_size)
{
	struct pipe_inode_info *pipe = KERNEL_OBJ(struct pipe_inode_info, bufs);
	__u32 size = bpf_core_type_size(struct pipe_buffer);
	void *slots = pipe->bufs;
	__u32 sum = 0, empty = 0;

	if (!slots || !count || count > IPCLAB_MAX_SLOTS || !ring_size)
		return OCC_FAILED;
	for (__u32 i = 0; i < IPCLAB_MAX_SLOTS && i < count; i++) {
		__u32 slot = (first + i) & (ring_size - 1);
		__u32 len = KERNEL_OBJ(struct pipe_buffer, slots + (__u64)slot * size)->len;

		sum += len;
		empty += len == 0;
	}
	return sum | ((__u64)empty << 32);
}
#else
__noinline __u64 ring_chunk_bytes(__u64 bufs, __u32 first, __u32 count, __u32 ring_size)
{
	__u32 size = bpf_core_type_size(struct pipe_buffer);
	__u32 len_off = bpf_core_field_offset(struct pipe_buffer, len);
	__u32 zero = 0, sum = 0, empty = 0, head_part;
	struct bufs_scratch *sc = bpf_map_lookup_elem(&scratch, &zero);
	__u64 gen;

	if (!sc || !bufs || !count || count > IPCLAB_MAX_SLOTS || size > PIPE_BUF_SIZE_MAX ||
	    !ring_size)
		return OCC_FAILED;
	gen = scratch_claim(sc);
	first &= ring_size - 1;
	head_part = count < ring_size - first ? count : ring_size - first;
	if (copy_slots(sc->b, 0, bufs, first, head_part, size))
		return OCC_FAILED;
	if (count > head_part && copy_slots(sc->b, head_part * size, bufs, 0, count - head_part, size))
		return OCC_FAILED;
	for (__u32 i = 0; i < IPCLAB_MAX_SLOTS; i++) {
		__u32 off = i * size + len_off, len;

		if (i >= count || off > SCRATCH_HALF - 4)
			break;
		len = *(__u32 *)&sc->b[off];
		sum += len;
		empty += len == 0;
	}
	if (!scratch_intact(sc, gen))
		empty++;	/* another task's lens, not ours: sample again, as for a torn one */
	return sum | ((__u64)empty << 32);
}
#endif

/* More than IPCLAB_MAX_SLOTS slots (pipes over 1 MiB): chunk by chunk, so the cost follows
 * the slots in use, not the ring's size.  The sum fits: a pipe holds at most 2 GiB. */
__noinline __u64 ring_bytes_large(__u64 bufs, __u32 tail, __u32 n, __u32 ring_size)
{
	__u64 occ = 0, part;

	for (__u32 k = 0; k < IPCLAB_RING_MAX / IPCLAB_MAX_SLOTS; k++) {
		__u32 done = k * IPCLAB_MAX_SLOTS, left = n - done;

		if (done >= n)
			break;
		part = ring_chunk_bytes(bufs, tail + done, left < IPCLAB_MAX_SLOTS ? left :
					IPCLAB_MAX_SLOTS, ring_size);
		if (part & OCC_FAILED)
			return OCC_FAILED;
		occ += part;
	}
	return occ;
}

/* Attach targets are set by the loader from kernel BTF: pipe_read on <= 6.14,
 * anon_pipe_read (pipes) and fifo_pipe_read (FIFOs) from 6.15. */
SEC("fentry/pipe_read")
int BPF_PROG(fentry_pipe_read, struct kiocb *iocb, struct iov_iter *to)
{
	pipe_fn_enter(iocb);
	return 0;
}

SEC("fexit/pipe_read")
int BPF_PROG(fexit_pipe_read, struct kiocb *iocb, struct iov_iter *to, long ret)
{
	/* at exit the iterator has advanced: count what is left + what was copied */
	pipe_fn_exit(iocb, false, ret, iter_count(to) + (ret > 0 ? ret : 0));
	return 0;
}

SEC("fentry/pipe_write")
int BPF_PROG(fentry_pipe_write, struct kiocb *iocb, struct iov_iter *from)
{
	pipe_fn_enter(iocb);
	return 0;
}

SEC("fexit/pipe_write")
int BPF_PROG(fexit_pipe_write, struct kiocb *iocb, struct iov_iter *from, long ret)
{
	pipe_fn_exit(iocb, true, ret, iter_count(from) + (ret > 0 ? ret : 0));
	return 0;
}

SEC("fentry/fifo_pipe_read")
int BPF_PROG(fentry_fifo_read, struct kiocb *iocb, struct iov_iter *to)
{
	pipe_fn_enter(iocb);
	return 0;
}

SEC("fexit/fifo_pipe_read")
int BPF_PROG(fexit_fifo_read, struct kiocb *iocb, struct iov_iter *to, long ret)
{
	pipe_fn_exit(iocb, false, ret, iter_count(to) + (ret > 0 ? ret : 0));
	return 0;
}

SEC("fentry/fifo_pipe_write")
int BPF_PROG(fentry_fifo_write, struct kiocb *iocb, struct iov_iter *from)
{
	pipe_fn_enter(iocb);
	return 0;
}

SEC("fexit/fifo_pipe_write")
int BPF_PROG(fexit_fifo_write, struct kiocb *iocb, struct iov_iter *from, long ret)
{
	pipe_fn_exit(iocb, true, ret, iter_count(from) + (ret > 0 ? ret : 0));
	return 0;
}

/*
 * kprobe tier.  A kretprobe cannot see the arguments, so the entry probe keeps the kiocb
 * and the requested size in the task context.
 */
static __always_inline void kprobe_enter(struct kiocb *iocb, struct iov_iter *it)
{
	struct task_ctx *c;

	pipe_fn_enter(iocb);
	c = ctx_get(bpf_get_current_pid_tgid(), false);
	if (c && c->mech.pipe.io_depth == 1 && !is_mover_syscall(c->nr)) {
		c->args[4] = (__u64)iocb;	/* args 4/5 are unused by read/write(v) */
		c->args[5] = iter_count(it);
	}
}

static __always_inline void kprobe_exit(bool write, long ret)
{
	struct task_ctx *c = ctx_get(bpf_get_current_pid_tgid(), false);

	if (c)
		pipe_fn_exit((struct kiocb *)c->args[4], write, ret, c->args[5]);
}

SEC("kprobe/pipe_read")
int BPF_KPROBE(kprobe_pipe_read, struct kiocb *iocb, struct iov_iter *to)
{
	kprobe_enter(iocb, to);
	return 0;
}

SEC("kretprobe/pipe_read")
int BPF_KRETPROBE(kretprobe_pipe_read, long ret)
{
	kprobe_exit(false, ret);
	return 0;
}

SEC("kprobe/pipe_write")
int BPF_KPROBE(kprobe_pipe_write, struct kiocb *iocb, struct iov_iter *from)
{
	kprobe_enter(iocb, from);
	return 0;
}

SEC("kretprobe/pipe_write")
int BPF_KRETPROBE(kretprobe_pipe_write, long ret)
{
	kprobe_exit(true, ret);
	return 0;
}

SEC("kprobe/fifo_pipe_read")
int BPF_KPROBE(kprobe_fifo_read, struct kiocb *iocb, struct iov_iter *to)
{
	kprobe_enter(iocb, to);
	return 0;
}

SEC("kretprobe/fifo_pipe_read")
int BPF_KRETPROBE(kretprobe_fifo_read, long ret)
{
	kprobe_exit(false, ret);
	return 0;
}

SEC("kprobe/fifo_pipe_write")
int BPF_KPROBE(kprobe_fifo_write, struct kiocb *iocb, struct iov_iter *from)
{
	kprobe_enter(iocb, from);
	return 0;
}

SEC("kretprobe/fifo_pipe_write")
int BPF_KRETPROBE(kretprobe_fifo_write, long ret)
{
	kprobe_exit(true, ret);
	return 0;
}
