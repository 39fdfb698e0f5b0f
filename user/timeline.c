// SPDX-License-Identifier: GPL-2.0
/*
 * timeline.c - turn spooled records into the model: events in time order with times
 * relative to the trace start, the process tree, and one object per pipe/FIFO.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "timeline.h"

static int cmp_event(const void *a, const void *b)
{
	const struct tl_event *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->e->ts != y->e->ts)
		return x->e->ts < y->e->ts ? -1 : 1;
	return (x->e->tid > y->e->tid) - (x->e->tid < y->e->tid);	/* no overflow */
}

/* Arrays grow in powers of two from 8; `n` elements are in use before adding one. */
static void *grow(void *p, size_t n, size_t size)
{
	if (n == 0)
		return malloc(8 * size);
	if (n < 8 || (n & (n - 1)))
		return p;	/* room left */
	return realloc(p, 2 * n * size);
}

static struct tl_process *proc_get(struct timeline *tl, __u32 pid, __s64 t)
{
	struct tl_process *p;

	for (size_t i = 0; i < tl->nprocs; i++)
		if (tl->procs[i].pid == pid)
			return &tl->procs[i];
	p = grow(tl->procs, tl->nprocs, sizeof(*p));
	if (!p)
		return NULL;
	tl->procs = p;
	p = &tl->procs[tl->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->t_start = t;
	p->t_exec = -1;
	return p;
}

/* Find the object for a sampled pipe; identity is (dev, ino); the address maps blocks. */
static int obj_get(struct timeline *tl, const struct ipclab_pipe *sp, __u16 flags, __s64 t)
{
	struct tl_object *o;

	if (!sp->pipe)
		return -1;
	for (size_t i = tl->nobjs; i-- > 0;)
		if (tl->objs[i].ino == sp->ino && tl->objs[i].dev == sp->dev)
			return (int)i;
	o = grow(tl->objs, tl->nobjs, sizeof(*o));
	if (!o)
		return -1;
	tl->objs = o;
	o = &tl->objs[tl->nobjs];
	memset(o, 0, sizeof(*o));
	o->id = (int)tl->nobjs;
	o->kind = flags & EVF_FIFO ? OBJ_FIFO : OBJ_PIPE;
	o->kptr = sp->pipe;
	o->ino = sp->ino;
	o->dev = sp->dev;
	o->ring_size = sp->ring_size;
	o->max_usage = sp->max_usage;
	o->t_first = t;
	o->fds[0] = o->fds[1] = -1;
	return (int)tl->nobjs++;
}

/* Blocks carry only the pipe address: the newest object at that address. */
static int obj_by_kptr(const struct timeline *tl, __u64 kptr)
{
	if (!kptr)
		return -1;
	for (size_t i = tl->nobjs; i-- > 0;)
		if (tl->objs[i].kptr == kptr)
			return (int)i;
	return -1;
}

#define PAGE_SIZE_ 4096ULL
#define MAP_SHARED_ 0x01
#define MAP_ANONYMOUS_ 0x20
#define TMPFS_MAGIC_ 0x01021994

static struct tl_object *obj_new(struct timeline *tl)
{
	struct tl_object *o = grow(tl->objs, tl->nobjs, sizeof(*o));

	if (!o)
		return NULL;
	tl->objs = o;
	o = &tl->objs[tl->nobjs];
	memset(o, 0, sizeof(*o));
	o->id = (int)tl->nobjs++;
	o->fds[0] = o->fds[1] = -1;
	return o;
}

/* A successful mmap() makes a mapping object. */
static int mapping_new(struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_syscall *sc = &te->e->sc;
	struct tl_object *o = obj_new(tl);

	if (!o)
		return -1;
	o->kind = OBJ_MAPPING;
	o->t_first = te->t;
	o->creator = te->e->pid;
	o->map.start = (__u64)sc->ret;
	o->map.length = (sc->args[1] + PAGE_SIZE_ - 1) & ~(PAGE_SIZE_ - 1);
	o->map.prot = sc->args[2];
	o->map.flags = sc->args[3];
	o->map.offset = sc->file_ino ? sc->args[5] : 0;
	o->map.file_ino = sc->file_ino;
	o->map.file_dev = sc->file_dev;
	o->map.file_magic = sc->file_magic;
	o->map.unmapped = -1;
	memcpy(o->path, sc->path, sizeof(o->path));
	o->path[sizeof(o->path) - 1] = 0;	/* records are not trusted to be terminated */
	return o->id;
}

static bool mapping_live(const struct tl_object *o, __s64 t)
{
	return o->kind == OBJ_MAPPING && o->t_first <= t && (o->map.unmapped < 0 ||
							       o->map.unmapped > t);
}

/*
 * Is mapping o in pid's address space at time t?  Its own, or its ancestors' from before
 * the fork that made pid -- unless pid has exec'd since (a new address space).
 */
static bool in_address_space(const struct timeline *tl, const struct tl_object *o, __u32 pid,
			     __s64 t)
{
	const struct tl_process *p;

	if (o->creator == pid)
		return true;
	if (!tl_is_ancestor(tl, o->creator, pid))
		return false;
	p = tl_proc(tl, pid);
	return p && !(p->t_exec >= 0 && p->t_exec <= t && p->t_exec > o->t_first) &&
	       p->t_start >= o->t_first;
}

/* The mapping of (pid, addr) at time t: its own or one inherited over fork; newest wins. */
static int mapping_at(const struct timeline *tl, __u32 pid, __u64 addr, __s64 t)
{
	for (size_t i = tl->nobjs; i-- > 0;) {
		const struct tl_object *o = &tl->objs[i];

		if (mapping_live(o, t) && addr >= o->map.start &&
		    addr < o->map.start + o->map.length && in_address_space(tl, o, pid, t))
			return (int)i;
	}
	return -1;
}

/* The mapping showing file page (dev, ino, index): the event's process first, then any. */
static int mapping_of_file_page(const struct timeline *tl, __u32 pid, __u32 dev, __u64 ino,
				__u64 index, __s64 t)
{
	int any = -1;

	for (size_t i = tl->nobjs; i-- > 0;) {
		const struct tl_object *o = &tl->objs[i];
		__u64 first = o->map.offset / PAGE_SIZE_;

		if (!mapping_live(o, t) || o->map.file_ino != ino || o->map.file_dev != dev ||
		    index < first || index >= first + o->map.length / PAGE_SIZE_)
			continue;
		if (in_address_space(tl, o, pid, t))
			return (int)i;
		if (any < 0)
			any = (int)i;
	}
	return any;
}

static void note_munmap(struct timeline *tl, const struct tl_event *te)
{
	__u64 start = te->e->sc.args[0], end = start + te->e->sc.args[1];

	if (te->e->sc.ret != 0)
		return;
	for (size_t i = 0; i < tl->nobjs; i++) {
		struct tl_object *o = &tl->objs[i];

		/* only a munmap that covers the whole mapping ends it */
		/* a child's munmap changes its copy of the address space, not the creator's */
		if (mapping_live(o, te->t) && o->creator == te->e->pid &&
		    start <= o->map.start && end >= o->map.start + o->map.length)
			o->map.unmapped = te->t;
	}
}

static void note_syscall(struct timeline *tl, struct tl_event *te)
{
	const struct ipclab_syscall *sc = &te->e->sc;
	struct tl_object *o;

	if (te->e->nr == NR_mmap) {
		if (sc->ret >= 0 || sc->ret < -4095)	/* addresses may look negative */
			te->obj = mapping_new(tl, te);
		return;
	}
	if (te->e->nr == NR_munmap) {
		te->obj = mapping_at(tl, te->e->pid, sc->args[0], te->t);
		note_munmap(tl, te);
		return;
	}
	te->obj = obj_get(tl, &sc->pipe, te->e->flags, te->t);
	if (te->obj < 0)
		return;
	o = &tl->objs[te->obj];
	o->kptr = sc->pipe.pipe;
	if ((te->e->nr == NR_pipe || te->e->nr == NR_pipe2) && sc->ret == 0) {
		o->creator = te->e->pid;
		o->fds[0] = sc->fds[0];
		o->fds[1] = sc->fds[1];
	}
	if ((te->e->nr == NR_open || te->e->nr == NR_openat) && !o->path[0]) {
		memcpy(o->path, sc->path, sizeof(o->path));
		o->path[sizeof(o->path) - 1] = 0;
	}
}

static void note_task(struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_event *e = te->e;
	struct tl_process *p;

	switch (e->type) {
	case EVT_FORK:
		if (e->flags & EVF_THREAD)
			return;
		p = proc_get(tl, e->task.child_pid, te->t);
		if (p) {
			p->ppid = e->pid;
			memcpy(p->comm, e->task.comm, sizeof(p->comm));
		}
		return;
	case EVT_EXEC:
		p = proc_get(tl, e->pid, te->t);
		if (p) {
			if (!p->ppid)
				p->ppid = e->task.ppid;
			memcpy(p->comm, e->task.comm, sizeof(p->comm));
			memcpy(p->exe, e->task.filename, sizeof(p->exe));
			p->t_exec = te->t;
		}
		return;
	case EVT_RENAME:
		p = proc_get(tl, e->pid, te->t);
		if (p && e->pid == e->tid)
			memcpy(p->comm, e->task.comm, sizeof(p->comm));
		return;
	case EVT_EXIT:
		p = proc_get(tl, e->pid, te->t);
		if (p && (e->flags & EVF_GROUP_DEAD || e->pid == e->tid)) {
			p->exited = true;
			p->t_exit = te->t;
			p->exit_status = e->task.exit_code;
			if (!p->comm[0])
				memcpy(p->comm, e->task.comm, sizeof(p->comm));
		}
		return;
	}
}

static void note_fault(struct timeline *tl, struct tl_event *te)
{
	const struct tl_object *o;

	te->obj = mapping_at(tl, te->e->pid, te->e->fault.addr, te->t);
	if (te->obj < 0)
		return;
	o = &tl->objs[te->obj];
	te->page = (te->e->fault.addr - o->map.start) / PAGE_SIZE_;
}

static void note_filepage(struct timeline *tl, struct tl_event *te)
{
	const struct ipclab_filepage *fp = &te->e->fp;

	te->obj = mapping_of_file_page(tl, te->e->pid, fp->dev, fp->ino, fp->index, te->t);
	if (te->obj >= 0)
		te->page = fp->index - tl->objs[te->obj].map.offset / PAGE_SIZE_;
}

static void resolve(struct timeline *tl, struct tl_event *te)
{
	const struct ipclab_event *e = te->e;

	te->obj = te->waker_obj = -1;
	te->page = -1;
	te->major = -1;
	switch (e->type) {
	case EVT_FAULT:
		note_fault(tl, te);
		break;
	case EVT_PAGE_CACHE:
	case EVT_DIRTY:
	case EVT_FAULT_AROUND:
		note_filepage(tl, te);
		break;
	case EVT_WRITEBACK:
	case EVT_FAULT_RESULT:
		break;
	case EVT_PIPE_IO:
		te->obj = obj_get(tl, &e->io.after, e->flags, te->t);
		if (te->obj >= 0)
			tl->objs[te->obj].kptr = e->io.after.pipe;
		break;
	case EVT_SYSCALL:
		note_syscall(tl, te);
		break;
	case EVT_BLOCK:
		te->obj = obj_by_kptr(tl, e->blk.pipe);
		te->waker_obj = obj_by_kptr(tl, e->blk.waker_pipe);
		break;
	default:
		note_task(tl, te);
		break;
	}
	proc_get(tl, e->pid, te->t);	/* a fork's parent is a lane as well */
}

/* The file page a fault touched, or false when the fault is not on a file mapping. */
static bool fault_file_page(const struct timeline *tl, const struct tl_event *f, __u64 *index)
{
	const struct tl_object *o;

	if (f->obj < 0)
		return false;
	o = &tl->objs[f->obj];
	if (!o->map.file_ino)
		return false;
	*index = o->map.offset / PAGE_SIZE_ + f->page;
	return true;
}

/*
 * Major or minor.  fentry/kprobe tiers report handle_mm_fault's verdict in a separate
 * record, merged here into the fault and dropped.  Without it (tracepoint tier) a fault is
 * known to be major when the same thread read that file page into the page cache before
 * doing anything else; otherwise it stays unknown.
 */

/* Event x after fault f (file page index) on f's thread: 1 it read f's page into the page
 * cache (f was major), 0 it says nothing, -1 the thread went on to something else. */
static int after_fault(const struct timeline *tl, const struct tl_event *f, __u64 index,
		       const struct tl_event *x)
{
	const struct tl_object *o = &tl->objs[f->obj];

	if (x->e->tid != f->e->tid)
		return 0;
	if (x->e->type != EVT_PAGE_CACHE && x->e->type != EVT_FAULT_RESULT)
		return -1;
	return x->e->type == EVT_PAGE_CACHE && x->e->fp.index <= index &&
	       x->e->fp.last_index >= index && x->e->fp.ino == o->map.file_ino &&
	       x->e->fp.dev == o->map.file_dev;
}

/* A fault the page-cache rule can judge: handled, on a file mapping. */
static bool judged_by_page_cache(const struct timeline *tl, const struct tl_event *te,
				 __u64 *index)
{
	return te->e->type == EVT_FAULT && !(te->e->flags & EVF_NOFAULT) &&
	       fault_file_page(tl, te, index);
}

/* Does verdict record r (EVT_FAULT_RESULT) belong to fault f?  Then it is merged into f. */
static bool merge_verdict(struct tl_event *f, const struct tl_event *r)
{
	if (f->e->type != EVT_FAULT || f->e->tid != r->e->tid || (f->e->flags & EVF_NOFAULT) ||
	    f->e->fault.addr != r->e->fault.addr)
		return false;
	/* a fault retried after I/O: the first call's "major" stands */
	f->major = f->major == 1 || (r->e->fault.result & 4);
	return true;
}

static void fault_majors(struct timeline *tl)
{
	size_t out = 0;

	for (size_t i = 0; i < tl->n; i++) {
		struct tl_event *te = &tl->ev[i];
		__u64 index;

		if (judged_by_page_cache(tl, te, &index)) {
			for (size_t j = i + 1; j < tl->n; j++) {
				int r = after_fault(tl, te, index, &tl->ev[j]);

				if (r < 0)
					break;
				if (r > 0)
					te->major = 1;
			}
		}
		if (te->e->type == EVT_FAULT_RESULT) {
			for (size_t j = out; j-- > 0 && !merge_verdict(&tl->ev[j], te);)
				;
			continue;	/* merged, not an event of its own */
		}
		tl->ev[out++] = *te;
	}
	tl->n = out;
}

/* Times and byte counts a trace can hold (docs/trace-format.md): 2^53, about 104 days in ns. */
#define TL_NUM_MAX (1LL << 53)

/* A record the kernel cannot have written: it starts before the trace, ends before it
 * starts, or moves more bytes than exist.  Only a corrupt spool holds one. */
static bool record_possible(const struct ipclab_event *e, __u64 t0)
{
	if (e->ts_start < t0 || e->ts < e->ts_start || e->ts_start - t0 > TL_NUM_MAX ||
	    e->ts - e->ts_start > TL_NUM_MAX)
		return false;
	return e->type != EVT_PIPE_IO || (e->io.result >= -TL_NUM_MAX && e->io.result <= TL_NUM_MAX);
}

int timeline_build(struct timeline *tl, const struct ipclab_event *raw, size_t n, __u64 t0)
{
	size_t kept = 0;

	memset(tl, 0, sizeof(*tl));
	tl->t0 = t0;
	tl->ev = calloc(n ? n : 1, sizeof(*tl->ev));
	if (!tl->ev)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct tl_event *te = &tl->ev[kept];

		if (!record_possible(&raw[i], t0)) {
			tl->invalid++;
			continue;
		}
		te->e = &raw[i];
		te->t = (__s64)(raw[i].ts_start - t0);
		te->dur = (__s64)(raw[i].ts - raw[i].ts_start);
		kept++;
	}
	n = tl->n = kept;
	qsort(tl->ev, n, sizeof(*tl->ev), cmp_event);
	for (size_t i = 0; i < n; i++) {
		resolve(tl, &tl->ev[i]);
		tl->fault_around_traced |= tl->ev[i].e->type == EVT_FAULT_AROUND;
	}
	fault_majors(tl);
	return 0;
}

/* ------------------------------------------------------------------ streaming */

int tl_stream_init(struct tl_stream *s, __u64 t0, tl_emit_fn emit, void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->tl.t0 = t0;
	s->emit = emit;
	s->ctx = ctx;
	s->win = calloc(TL_WINDOW, sizeof(*s->win));
	s->rec = calloc(TL_WINDOW, sizeof(*s->rec));
	if (!s->win || !s->rec) {
		tl_stream_free(s);
		return -ENOMEM;
	}
	return 0;
}

static struct tl_event *win_at(struct tl_stream *s, size_t k)
{
	return &s->win[(s->head + k) % TL_WINDOW];
}

/* The oldest event leaves the window: judge it by what follows, then emit it. */
static void emit_oldest(struct tl_stream *s)
{
	struct tl_event *te = win_at(s, 0);
	__u64 index;

	if (judged_by_page_cache(&s->tl, te, &index)) {
		for (size_t k = 1; k < s->len; k++) {
			int r = after_fault(&s->tl, te, index, win_at(s, k));

			if (r < 0)
				break;
			if (r > 0)
				te->major = 1;
		}
	}
	if (!s->err)
		s->err = s->emit(s->ctx, &s->tl, te);
	s->tl.n++;
	s->head = (s->head + 1) % TL_WINDOW;
	s->len--;
}

void tl_stream_add(struct tl_stream *s, const struct ipclab_event *e)
{
	size_t slot;
	struct tl_event *te;

	if (!record_possible(e, s->tl.t0)) {
		s->tl.invalid++;
		return;
	}
	if (s->len == TL_WINDOW)
		emit_oldest(s);
	slot = (s->head + s->len) % TL_WINDOW;
	s->rec[slot] = *e;
	te = &s->win[slot];
	te->e = &s->rec[slot];
	te->t = (__s64)(e->ts_start - s->tl.t0);
	te->dur = (__s64)(e->ts - e->ts_start);
	if (e->type == EVT_FAULT_RESULT) {
		/* merged into its fault, if that is still in the window; never an event itself */
		for (size_t k = s->len; k-- > 0 && !merge_verdict(win_at(s, k), te);)
			;
		return;
	}
	resolve(&s->tl, te);
	s->tl.fault_around_traced |= e->type == EVT_FAULT_AROUND;
	s->len++;
}

int tl_stream_finish(struct tl_stream *s)
{
	while (s->len)
		emit_oldest(s);
	return s->err;
}

void tl_stream_free(struct tl_stream *s)
{
	free(s->win);
	free(s->rec);
	s->win = NULL;
	s->rec = NULL;
	timeline_free(&s->tl);
}

void timeline_free(struct timeline *tl)
{
	free(tl->ev);
	free(tl->procs);
	free(tl->objs);
	memset(tl, 0, sizeof(*tl));
}

const struct tl_process *tl_proc(const struct timeline *tl, __u32 pid)
{
	for (size_t i = 0; i < tl->nprocs; i++)
		if (tl->procs[i].pid == pid)
			return &tl->procs[i];
	return NULL;
}

const struct tl_process *tl_proc_by_comm(const struct timeline *tl, const char *comm)
{
	for (size_t i = 0; i < tl->nprocs; i++)
		if (strncmp(tl->procs[i].comm, comm, IPCLAB_COMM_LEN) == 0)
			return &tl->procs[i];
	return NULL;
}

bool tl_is_ancestor(const struct timeline *tl, __u32 anc, __u32 pid)
{
	for (int depth = 0; pid && depth < 64; depth++) {
		const struct tl_process *p;

		if (pid == anc)
			return true;
		p = tl_proc(tl, pid);
		if (!p)
			return false;
		pid = p->ppid;
	}
	return false;
}

const char *tl_backing(const struct tl_object *o)
{
	if (o->map.file_ino)
		return o->map.file_magic == TMPFS_MAGIC_ ? "shmem" : "file";
	return o->map.flags & MAP_SHARED_ ? "shmem" : "anon";
}

bool tl_match(const struct tl_event *te, const struct tl_filter *f)
{
	if (f->type && te->e->type != f->type)
		return false;
	if (f->write >= 0 && (te->e->type != EVT_PIPE_IO || (int)te->e->io.write != f->write))
		return false;
	if (f->obj >= 0 && te->obj != f->obj)
		return false;
	if (f->pid && te->e->pid != f->pid)
		return false;
	if (f->nr != -2 && te->e->nr != f->nr)
		return false;
	return true;
}

long tl_next(const struct timeline *tl, long after, const struct tl_filter *f)
{
	for (size_t i = after + 1; i < tl->n; i++)
		if (tl_match(&tl->ev[i], f))
			return (long)i;
	return -1;
}

size_t tl_count(const struct timeline *tl, const struct tl_filter *f)
{
	size_t n = 0;

	for (size_t i = 0; i < tl->n; i++)
		n += tl_match(&tl->ev[i], f);
	return n;
}

long tl_block_in(const struct timeline *tl, long i)
{
	const struct tl_event *span = &tl->ev[i];

	for (size_t j = i + 1; j < tl->n && tl->ev[j].t <= tl_end(span); j++) {
		const struct tl_event *b = &tl->ev[j];

		if (b->e->type == EVT_BLOCK && b->e->tid == span->e->tid && tl_end(b) <= tl_end(span))
			return (long)j;
	}
	return -1;
}
