/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pipe.bpf.h - pipes and FIFOs, kernel side: from a file to its pipe_inode_info, the ring's
 * occupancy in bytes and slots, and the records of reads, writes and the calls that move
 * bytes between pipes (splice, tee, vmsplice, sendfile, copy_file_range).  The tracepoint
 * tier samples at sys_enter/sys_exit (the hooks at the end); the fentry/kprobe tiers at the
 * pipe functions (mech/pipe/pipe.bpf.c).  Included by mech/registry.bpf.h.
 */
#ifndef IPCLAB_PIPE_BPF_H
#define IPCLAB_PIPE_BPF_H

#define PIPEFS_MAGIC	0x50495045
#define S_IFIFO		0010000
#define SAMPLE_TRIES 4

/*
 * Sampling a pipe is on the hot path of every traced read and write, so it is done in a
 * few helper calls, not one per field and slot: the counters from head to writers and the
 * bufs pointer are one span of pipe_inode_info, and the used part of bufs[] is copied in at
 * most two pieces into per-CPU scratch (per 256 slots, for pipes larger than 1 MiB).
 *
 * The probes do not hold pipe->mutex, so a pipe's user on another CPU can change it while
 * it is sampled.  The sample is taken again (a few times at most) when head or tail moved
 * while the slots were summed, or when a slot between them held 0 bytes: a writer bumps
 * head before it fills the new slot (fs/pipe.c anon_pipe_write: head + 1, len = 0, copy,
 * len = copied) and a reader empties a slot before it moves tail.  A sample that does not
 * settle is marked EVF_TORN.
 *
 * The direct-load build (IPCLAB_DIRECT, bpf/ipclab.bpf.h) reads the same fields, in the same
 * order, with plain loads instead: no helper call, no scratch.
 */


/*
 * The pipe behind a file, or NULL when the file is not a pipe or FIFO; on the way, the
 * pipe's identity (inode, device) into id and O_NONBLOCK / FIFO into flags.  f_mode goes to
 * *fmode when asked for.
 */
static __always_inline struct pipe_inode_info *file_pipe(struct file *f, __u32 *flags,
							struct ipclab_pipe *id, __u32 *fmode)
{
	struct file_fields ff;
	struct inode_fields in;
	__u64 magic = 0;
	__u32 dev = 0;

	if (!file_fields(f, &ff))
		return NULL;
	inode_fields(ff.inode, &in);
	if ((in.mode & S_IFMT) != S_IFIFO)
		return NULL;
	sb_fields(in.sb, &dev, &magic);
	if (magic != PIPEFS_MAGIC)
		*flags |= EVF_FIFO;
	if (ff.flags & O_NONBLOCK)
		*flags |= EVF_NONBLOCK;
	if (fmode)
		*fmode = ff.mode;
	id->ino = in.ino;
	id->dev = dev;
	/* the open pipe or FIFO keeps its pipe_inode_info in private_data (fs/pipe.c
	 * create_pipe_files, fifo_open); an O_PATH fd of a FIFO has none */
	if (ff.has_private)
		return ff.private_data;
	return BPF_CORE_READ(f, private_data);
}


/* Copy slots [first, first + count) of bufs[] to dst; returns 0 or an error. */
static __always_inline long copy_slots(void *dst, __u32 dst_off, __u64 bufs, __u32 first,
				       __u32 count, __u32 size)
{
	__u32 bytes = count * size;

	if (dst_off >= SCRATCH_HALF || bytes >= SCRATCH_HALF)
		return -1;
	/* keep the masks: clang would drop them after the check, the verifier needs them */
	asm volatile("" : "+r"(dst_off), "+r"(bytes));
	dst_off &= SCRATCH_HALF - 1;
	bytes &= SCRATCH_HALF - 1;
	return bpf_probe_read_kernel(dst + dst_off, bytes, (void *)(bufs + (__u64)first * size));
}

/* ring_chunk_bytes() and ring_bytes_large(): the byte sum in the low 32 bits, the number of
 * slots that held 0 bytes above them, OCC_FAILED when bufs[] could not be read. */
#define OCC_FAILED (1ULL << 63)
#define OCC_EMPTY_SLOTS(occ) ((occ) >> 32)

/*
 * Slots [first, first + count) of a ring of ring_size slots (a power of two), count at most
 * IPCLAB_MAX_SLOTS.  A global function: the verifier checks its loop once per program, not
 * at every place a pipe is sampled, and the same code serves every pipe size.
 */
__u64 ring_chunk_bytes(__u64 bufs, __u32 first, __u32 count, __u32 ring_size);	/* global: in pipe.bpf.c */

/* More than IPCLAB_MAX_SLOTS slots (pipes over 1 MiB): chunk by chunk, so the cost follows
 * the slots in use, not the ring's size.  The sum fits: a pipe holds at most 2 GiB. */
__u64 ring_bytes_large(__u64 bufs, __u32 tail, __u32 n, __u32 ring_size);	/* global: in pipe.bpf.c */

/* Occupancy: slots = head - tail, bytes = sum of bufs[].len between them (FIONREAD).
 * bufs: the address of bufs[], or in the direct-load build the pipe (pipe_counters()). */
static __always_inline __u64 ring_bytes(__u64 bufs, __u32 tail, __u32 n, __u32 ring_size)
{
	if (!n)
		return 0;
	if (n <= IPCLAB_MAX_SLOTS)
		return ring_chunk_bytes(bufs, tail, n, ring_size);
	if (n <= IPCLAB_RING_MAX)
		return ring_bytes_large(bufs, tail, n, ring_size);
	return OCC_FAILED;
}

#define PIPE_FIELD(sp, lo, field) \
	SPAN_GET(sp, lo, FOFF(struct pipe_inode_info, field), __u32)

/* The counters and the bufs pointer, read as one span.  head and tail through
 * core_fixes.bpf.h: their place and width differ between kernels. */
static __always_inline bool pipe_counters(struct pipe_inode_info *pipe, struct ipclab_pipe *out,
					  __u32 *head, __u32 *tail, __u64 *bufs)
{
#ifdef IPCLAB_DIRECT
	struct pipe_inode_info___indices *ix = KERNEL_OBJ(struct pipe_inode_info___indices, pipe);
	struct pipe_inode_info *kp = KERNEL_OBJ(struct pipe_inode_info, pipe);

	if (!pipe)
		return false;
	*head = ix->head;
	*tail = ix->tail;
	out->max_usage = kp->max_usage;
	out->ring_size = kp->ring_size;
	out->readers = kp->readers;
	out->writers = kp->writers;
	/* where the ring is found: the ring functions take the pipe and read its bufs pointer
	 * themselves (a global function takes numbers, not kernel pointers) */
	*bufs = kernel_addr(pipe);
	return true;
#else
	__u32 lo = (PIPE_HEAD_OFF < PIPE_TAIL_OFF ? PIPE_HEAD_OFF : PIPE_TAIL_OFF) & ~7u;
	__u32 hi = max3(FEND(struct pipe_inode_info, writers), FEND(struct pipe_inode_info, bufs),
			FEND(struct pipe_inode_info, ring_size));
	struct span sp = {};

	if (!span_read(&sp, pipe, lo, hi))
		return false;
	*head = pipe_index_load(sp.b + ((PIPE_HEAD_OFF - lo) & (SPAN_MAX - 1)));
	*tail = pipe_index_load(sp.b + ((PIPE_TAIL_OFF - lo) & (SPAN_MAX - 1)));
	out->max_usage = PIPE_FIELD(&sp, lo, max_usage);
	out->ring_size = PIPE_FIELD(&sp, lo, ring_size);
	out->readers = PIPE_FIELD(&sp, lo, readers);
	out->writers = PIPE_FIELD(&sp, lo, writers);
	*bufs = SPAN_GET(&sp, lo, FOFF(struct pipe_inode_info, bufs), __u64);
	return true;
#endif
}

/* head and tail still what they were (adjacent, tail after head: one small read). */
static __always_inline bool pipe_unchanged(struct pipe_inode_info *pipe, __u32 head, __u32 tail)
{
#ifdef IPCLAB_DIRECT
	struct pipe_inode_info___indices *ix = KERNEL_OBJ(struct pipe_inode_info___indices, pipe);

	return ix->head == head && ix->tail == tail;
#else
	__u32 h = PIPE_HEAD_OFF, size = PIPE_INDEX_SIZE, mask = size == 2 ? 0xffff : 0xffffffff;
	__u64 v = 0;

	if (PIPE_TAIL_OFF != h + size || (size != 2 && size != 4) ||
	    bpf_probe_read_kernel(&v, 2 * size, (void *)pipe + h))
		return false;
	/* little endian: head is the low half; shifts, not a pointer into v (the verifier
	 * refuses the `fp | 4` clang makes of one) */
	return ((__u32)v & mask) == head && ((__u32)(v >> (size * 8)) & mask) == tail;
#endif
}

static __always_inline void pipe_sample(struct pipe_inode_info *pipe, struct ipclab_pipe *out,
					__u32 *flags)
{
	__u64 bufs = 0, occ = OCC_FAILED;
	__u32 head = 0, tail = 0;
	bool settled = false;

	out->pipe = (__u64)pipe;
	/* unrolled: 6.1's verifier refuses a loop whose head clang reaches by falling through */
#pragma unroll
	for (int try = 0; try < SAMPLE_TRIES; try++) {
		if (!pipe_counters(pipe, out, &head, &tail, &bufs))
			return;
		occ = ring_bytes(bufs, tail, pipe_index_sub(head, tail), out->ring_size);
		if (occ & OCC_FAILED)
			break;
		/* an empty pipe was read in one piece: nothing to compare */
		settled = head == tail ||
			  (!OCC_EMPTY_SLOTS(occ) && pipe_unchanged(pipe, head, tail));
		if (settled)
			break;
	}
	out->slots = pipe_index_sub(head, tail);
	out->bytes = (__u32)occ;
	if (occ & OCC_FAILED) {
		*flags |= EVF_TRUNC;	/* bytes not counted */
		out->bytes = 0;
	} else if (!settled) {
		*flags |= EVF_TORN;
	}
}

/* The positioned iovec calls are rare: they are resolved at entry in every tier, so one
 * that the kernel rejects on a pipe (preadv/pwritev: ESPIPE) is a pipe event everywhere.
 * read/write/readv/writev are resolved at entry only in the tracepoint tier (the others
 * get the pipe from the pipe functions without walking the fd table). */
static __always_inline bool is_rw_at_entry(__s32 nr)
{
	return tier == TIER_TRACEPOINT ? is_rw_syscall(nr) :
	       nr == NR_preadv || nr == NR_pwritev || nr == NR_preadv2 || nr == NR_pwritev2;
}


/* Calls that move bytes into or out of pipes without the pipe's read/write functions (they
 * work on the ring directly: fs/splice.c), in every tier seen from sys_enter/sys_exit. */
static __always_inline bool is_mover_syscall(__s32 nr)
{
	return nr == NR_splice || nr == NR_tee || nr == NR_vmsplice || nr == NR_sendfile ||
	       nr == NR_copy_file_range;
}


/* -------------------------------------------------- pipe I/O, all tiers */

/* Entry of a pipe read/write: the pipe's identity (kept for the exit) and occupancy. */
static __always_inline void pipe_side_begin(struct pipe_side *s, struct pipe_inode_info *pipe,
					    __u32 flags, const struct ipclab_pipe *id)
{
	struct ipclab_pipe before = {};

	s->flags = flags;
	pipe_sample(pipe, &before, &s->flags);
	s->pipe = (__u64)pipe;
	s->bytes_before = before.bytes;
	s->slots_before = before.slots;
	s->ino = id->ino;
	s->dev = id->dev;
}

/*
 * The record of one pipe a call read from or wrote to.  The pipe is sampled before the
 * record gets its time stamp (the call's end): occupancy after never includes what a call
 * that began after that end did.
 */
static __always_inline void pipe_io_emit(struct task_ctx *c, struct pipe_side *s, bool write,
					 __s32 fd, __s64 result, __u64 requested, __u64 ubuf,
					 __u64 first_len)
{
	struct ipclab_pipe after = { .ino = s->ino, .dev = s->dev };
	__u32 flags = s->flags;
	struct ipclab_batch *b;
	struct ipclab_event *e;

	pipe_sample((void *)s->pipe, &after, &flags);
	e = event_reserve_ctx(EVT_PIPE_IO, c, &b);
	if (!e)
		goto out;
	e->ts_start = c->nr >= 0 ? c->ts_enter : e->ts;
	e->nr = c->nr;
	e->flags = flags;
	e->io.after = after;
	e->io.bytes_before = s->bytes_before;
	e->io.slots_before = s->slots_before;
	e->io.fd = fd;
	e->io.write = write;
	e->io.requested = requested;
	e->io.result = result;
	e->io.data_len = 0;
	__builtin_memset(e->io.head, 0, sizeof(e->io.head) + sizeof(e->io.tail));
	sample_bytes(result, e->io.head, e->io.tail, &e->io.data_len, ubuf, first_len,
		     c->nr == NR_read || c->nr == NR_write);
	batch_release(b);
out:
	s->pipe = 0;
	c->io_emitted = 1;
}

static __always_inline void pipe_io_end(struct task_ctx *c, bool write, __s64 result,
					__u64 requested, __u64 ubuf, __u64 first_len)
{
	pipe_io_emit(c, &c->mech.pipe.io, write, is_rw_syscall(c->nr) ? (__s32)c->args[0] : -1, result,
		     requested, ubuf, first_len);
}

/* fentry/kprobe entry: the pipe comes from the kiocb. Nested calls (fifo_* -> anon_*) skip. */
static __always_inline void pipe_fn_enter(struct kiocb *iocb)
{
	struct ipclab_pipe id = {};
	struct task_ctx *c;
	struct file *f;
	struct pipe_inode_info *pipe;
	__u32 flags = 0;

	if (!current_active())
		return;
	c = ctx_get(bpf_get_current_pid_tgid(), true);
	if (!c || c->mech.pipe.io_depth++ > 0)
		return;
	/* splice & co. are reported from sys_enter/sys_exit, which sampled their pipes; a
	 * pipe function inside one (5.10's sendfile into a pipe writes through pipe_write) would
	 * report the same bytes twice */
	if (is_mover_syscall(c->nr))
		return;
	f = BPF_CORE_READ(iocb, ki_filp);
	pipe = file_pipe(f, &flags, &id, NULL);
	if (pipe)
		pipe_side_begin(&c->mech.pipe.io, pipe, flags, &id);
}

static __always_inline void recover_skipped_entry(struct task_ctx *c, bool write, __s64 ret);

static __always_inline void pipe_fn_exit(struct kiocb *iocb, bool write, __s64 ret,
					 __u64 requested)
{
	struct task_ctx *c;
	__u64 ubuf = 0, sys_requested = 0, first_len = 0;

	if (!current_active())
		return;
	c = ctx_get(bpf_get_current_pid_tgid(), false);
	if (!c)
		return;
	if (c->mech.pipe.io_depth == 0) {
		/* no entry probe ran for this call, nor for one wrapping it */
		if (is_rw_syscall(c->nr) && !c->io_emitted && !c->mech.pipe.io.pipe)
			recover_skipped_entry(c, write, ret);
		return;
	}
	if (--c->mech.pipe.io_depth > 0 || !c->mech.pipe.io.pipe || is_mover_syscall(c->nr))
		return;
	if (is_rw_syscall(c->nr))
		rw_buffer(c, &ubuf, &sys_requested, &first_len);
	pipe_io_end(c, write, ret, requested, ubuf, first_len);
}

static __always_inline __u64 iter_count(struct iov_iter *it)
{
	return BPF_CORE_READ(it, count);
}

static __always_inline void sys_enter_close(struct task_ctx *c)
{
	struct file *f = fd_file((int)c->args[0]);
	struct pipe_inode_info *pipe;
	__u32 flags = 0, fmode = 0;

	c->mech.pipe.closing.pipe = 0;
	pipe = file_pipe(f, &flags, &c->mech.pipe.closing, &fmode);
	if (!pipe)
		return;
	pipe_sample(pipe, &c->mech.pipe.closing, &flags);
	if (fmode & FMODE_READ)
		flags |= EVF_FMODE_READ;
	if (fmode & FMODE_WRITE)
		flags |= EVF_FMODE_WRITE;
	if (file_last_ref(f)) {
		/* the release may be deferred past sys_exit (task_work): count it here */
		flags |= EVF_LAST_REF;
		if (flags & EVF_FMODE_READ)
			c->mech.pipe.closing.readers--;
		if (flags & EVF_FMODE_WRITE)
			c->mech.pipe.closing.writers--;
	}
	c->mech.pipe.close_flags = flags;
}

/* The pipe behind an fd, sampled into side s; f_mode to *fmode when asked for. */
static __always_inline struct pipe_inode_info *fd_pipe_begin(struct pipe_side *s, int fd,
							     __u32 *fmode)
{
	struct file *f = fd_file(fd);
	struct ipclab_pipe id = {};
	struct pipe_inode_info *pipe;
	__u32 flags = 0;

	pipe = file_pipe(f, &flags, &id, fmode);
	if (pipe)
		pipe_side_begin(s, pipe, flags, &id);
	return pipe;
}

/* A read/write (or iovec variant) on a pipe fd is pipe I/O (is_rw_at_entry()). */
static __always_inline void sys_enter_rw(struct task_ctx *c)
{
	fd_pipe_begin(&c->mech.pipe.io, (int)c->args[0], NULL);
}

/*
 * fentry/kprobe tiers: the exit probe of a read/write's pipe function ran, its entry probe
 * did not (the kernel skipped it: on a preemptible kernel another task was preempted inside
 * the same program on this CPU).  The pipe is found from the syscall's fd, as the
 * tracepoint tier does; the occupancy before the call is no longer there to sample, so it is
 * rebuilt from the sample now and the bytes the call moved (exact unless another task moved
 * bytes meanwhile) and the record says so.  Slots before are the slots now.
 */
static __always_inline void recover_skipped_entry(struct task_ctx *c, bool write, __s64 ret)
{
	__u64 ubuf = 0, requested = 0, first_len = 0;
	struct pipe_side *s = &c->mech.pipe.io;

	if (!fd_pipe_begin(s, (int)c->args[0], NULL))
		return;
	if (ret > 0 && write)
		s->bytes_before = s->bytes_before > ret ? s->bytes_before - ret : 0;
	else if (ret > 0)
		s->bytes_before += ret;
	s->flags |= EVF_BEFORE_REBUILT;
	rw_buffer(c, &ubuf, &requested, &first_len);
	pipe_io_end(c, write, ret, requested, ubuf, first_len);
	count_recovered();
}

/*
 * The fds a mover reads from and writes to (-1: none).  vmsplice has one fd: the kernel
 * fills the pipe from the iovecs when the fd was opened for writing, else it empties it
 * into them (fs/splice.c vmsplice_type()); decided at entry from the same f_mode.
 */
static __always_inline void mover_fds(struct task_ctx *c, int *in, int *out)
{
	*in = *out = -1;
	switch (c->nr) {
	case NR_splice:			/* fd_in, off_in, fd_out, off_out, len, flags */
	case NR_copy_file_range:	/* fd_in, off_in, fd_out, off_out, len, flags */
		*in = (int)c->args[0];
		*out = (int)c->args[2];
		break;
	case NR_tee:			/* fd_in, fd_out, len, flags */
		*in = (int)c->args[0];
		*out = (int)c->args[1];
		break;
	case NR_sendfile:		/* out_fd, in_fd, offset, count */
		*in = (int)c->args[1];
		*out = (int)c->args[0];
		break;
	}
}

/* splice and friends: every pipe among their fds is sampled, the one read from in c->mech.pipe.io,
 * the one written to in c->mech.pipe.out. */
static __always_inline void sys_enter_mover(struct task_ctx *c)
{
	__u32 fmode = 0;
	int in, out;

	if (c->nr == NR_vmsplice) {
		struct pipe_side *s = &c->mech.pipe.io;

		if (fd_pipe_begin(s, (int)c->args[0], &fmode) && (fmode & FMODE_WRITE)) {
			c->mech.pipe.out = *s;
			s->pipe = 0;
		}
		return;
	}
	mover_fds(c, &in, &out);
	if (in >= 0)
		fd_pipe_begin(&c->mech.pipe.io, in, NULL);
	if (out >= 0)
		fd_pipe_begin(&c->mech.pipe.out, out, NULL);
}

static __always_inline void sys_exit_pipe_rw(struct task_ctx *c, long ret)
{
	__u64 ubuf = 0, requested = 0, first_len = 0;

	rw_buffer(c, &ubuf, &requested, &first_len);
	pipe_io_end(c, is_write_syscall(c->nr), ret, requested, ubuf, first_len);
}

/*
 * fentry/kprobe tiers: a pipe function's entry probe saw this read/write, but its exit probe
 * did not run (a pipe record clears io.pipe): the kernel skipped it -- on a preemptible
 * kernel another task was preempted inside the same program on this CPU, or a kretprobe
 * had no free instance.  The record is made here as the tracepoint tier makes it, from the
 * entry's sample and the syscall's result; its end time is the syscall's exit.
 */
static __always_inline void sys_exit_recover_rw(struct task_ctx *c, long ret)
{
	sys_exit_pipe_rw(c, ret);
	count_recovered();
}

/*
 * A mover's records, one per pipe: the one it read from (pipe_read), then the one it
 * wrote to (pipe_write).  Both have the call's result as bytes.  requested is the length
 * argument; vmsplice's is the sum of its iovecs.
 */
static __always_inline void sys_exit_mover(struct task_ctx *c, long ret)
{
	__u64 ubuf = 0, requested = 0, first_len = 0;
	int in, out;

	if (c->nr == NR_vmsplice) {
		iov_request(c->args[1], c->args[2], &ubuf, &requested, &first_len);
		in = out = (int)c->args[0];
	} else {
		mover_fds(c, &in, &out);
		requested = c->nr == NR_tee ? c->args[2] : c->nr == NR_sendfile ? c->args[3] :
			    c->args[4];
	}
	if (c->mech.pipe.io.pipe)
		pipe_io_emit(c, &c->mech.pipe.io, false, in, ret, requested, ubuf, first_len);
	if (c->mech.pipe.out.pipe)
		pipe_io_emit(c, &c->mech.pipe.out, true, out, ret, requested, ubuf, first_len);
}

/* The pipe an fd-taking syscall worked on, sampled after it returned. */
static __always_inline void syscall_fd_pipe(struct ipclab_event *e, int fd)
{
	struct file *f = fd_file(fd);
	struct pipe_inode_info *pipe = file_pipe(f, (__u32 *)&e->flags, &e->sc.pipe, NULL);

	if (!pipe)
		return;
	pipe_sample(pipe, &e->sc.pipe, (__u32 *)&e->flags);
}

/* ------------------------------------------------------ the core's hooks */

/* A syscall began: the pipes among its fds, sampled.  True when its fd was a pipe. */
/* A syscall began: no pipe of an earlier one stays the task's (sched_switch names it). */
static __always_inline void pipe_sys_enter_reset(struct task_ctx *c)
{
	struct pipe_task *p = &c->mech.pipe;

	p->io_depth = 0;
	p->io.pipe = 0;
	p->out.pipe = 0;
}

static __always_inline bool pipe_sys_enter(struct task_ctx *c)
{
	struct pipe_task *p = &c->mech.pipe;

	pipe_sys_enter_reset(c);
	if (c->nr == NR_close)
		sys_enter_close(c);
	else if (is_rw_at_entry(c->nr))
		sys_enter_rw(c);
	else if (is_mover_syscall(c->nr))
		sys_enter_mover(c);
	return p->io.pipe || p->out.pipe || (c->nr == NR_close && p->closing.pipe);
}

/* A syscall returns: the pipe records the tracepoint tier makes here, and those a function
 * probe began but could not finish.  True when it made the call's record. */
static __always_inline bool pipe_sys_exit(struct task_ctx *c, long ret)
{
	struct pipe_task *p = &c->mech.pipe;
	bool made = true;

	if (p->io.pipe && is_rw_at_entry(c->nr))
		sys_exit_pipe_rw(c, ret);	/* not reported by a pipe function (fentry/kprobe) */
	else if (p->io.pipe && is_rw_syscall(c->nr))
		sys_exit_recover_rw(c, ret);
	else if ((p->io.pipe || p->out.pipe) && is_mover_syscall(c->nr))
		sys_exit_mover(c, ret);
	else
		made = false;
	p->io.pipe = 0;
	p->out.pipe = 0;
	return made;
}

/* An EVT_SYSCALL record: the pipe an fd argument or result names, pipe()'s two fds, and
 * what close() closed.  True when the syscall is one the pipes describe (close(): when its
 * fd was a pipe). */
static __always_inline bool pipe_syscall_details(struct task_ctx *c, struct ipclab_event *e,
						 long ret)
{
	int fds[2] = { -1, -1 };

	switch (c->nr) {
	case NR_pipe:
	case NR_pipe2:
		if (ret == 0 && !bpf_probe_read_user(fds, sizeof(fds), (void *)c->args[0])) {
			e->sc.fds[0] = fds[0];
			e->sc.fds[1] = fds[1];
			syscall_fd_pipe(e, fds[0]);
		}
		break;
	case NR_close:
		e->sc.pipe = c->mech.pipe.closing;
		e->flags |= c->mech.pipe.close_flags;
		return c->mech.pipe.closing.pipe;	/* else: maybe another mechanism's fd */
	case NR_open:
	case NR_openat:
		if (ret >= 0)
			syscall_fd_pipe(e, ret);
		break;
	case NR_fstat:
	case NR_dup:
	case NR_dup2:
	case NR_dup3:
	case NR_fcntl:
	case NR_lseek:
	case NR_read:
	case NR_write:
	case NR_readv:
	case NR_writev:
	case NR_pread64:
	case NR_pwrite64:
	case NR_preadv:
	case NR_pwritev:
	case NR_preadv2:
	case NR_pwritev2:
	case NR_ftruncate:
		syscall_fd_pipe(e, (int)c->args[0]);
		break;
	default:
		return false;
	}
	return true;
}

/* The pipe a thread reads or writes; waking: also the one a close() is releasing (the last
 * end's close wakes the other side from pipe_release). */
static __always_inline __u64 pipe_task_object(struct task_ctx *c, bool waking)
{
	struct pipe_task *p = &c->mech.pipe;

	if (p->io.pipe)
		return p->io.pipe;
	if (p->out.pipe)
		return p->out.pipe;
	return waking && c->nr == NR_close ? p->closing.pipe : 0;
}

#endif
