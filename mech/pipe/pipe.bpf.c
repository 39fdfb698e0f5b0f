// SPDX-License-Identifier: GPL-2.0
/*
 * pipe.bpf.c - the pipe read/write functions' probes, fentry/fexit and kprobe/kretprobe
 * tiers (the tracepoint tier samples pipes at sys_enter/sys_exit, bpf/ipclab.bpf.c).
 * Pipes and FIFOs share them: a FIFO is a pipe with a name.
 */
#include "ipclab.bpf.h"

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
	c = ctx_get((__u32)bpf_get_current_pid_tgid(), false);
	if (c && c->io_depth == 1 && !is_mover_syscall(c->nr)) {
		c->args[4] = (__u64)iocb;	/* args 4/5 are unused by read/write(v) */
		c->args[5] = iter_count(it);
	}
}

static __always_inline void kprobe_exit(bool write, long ret)
{
	struct task_ctx *c = ctx_get((__u32)bpf_get_current_pid_tgid(), false);

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
