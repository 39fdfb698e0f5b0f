// SPDX-License-Identifier: GPL-2.0
/*
 * timeline.c - memory mappings in the timeline: an object per successful mmap(), ended by
 * a munmap() that covers it; each fault and page-cache record is placed on the mapping (and
 * page) it touched, and a fault's major/minor verdict is merged into it or, without one (the
 * tracepoint tier), judged by the page-cache records right after it.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "mechanism.h"
#include "mmap.h"
#include "timeline_mech.h"

#define PAGE_SIZE_ 4096ULL
#define MAP_SHARED_ 0x01
#define TMPFS_MAGIC_ 0x01021994

/*
 * Live mappings (not unmapped yet) are indexed three ways: by creator and address range
 * (faults, munmap), and by file page, per file and per creator and file (page-cache
 * records).  Each answers exactly what a scan over all objects would.
 */
struct mmap_state {
	struct tl_hash by_creator;	/* creator pid -> struct tl_ival * of addresses */
	struct tl_hash by_file;		/* (file dev, ino) -> struct tl_ival * of file pages */
	struct tl_hash by_creator_file;	/* (creator, file dev, ino) -> the same, per creator */
	struct tl_idlist odd;		/* live mappings whose end wraps past 2^64 (corrupt input) */
	struct tl_hash shm_segs;	/* mech/shm: (shmid, 0) -> size, (shmid, 1) -> key + 1,
					 * from traced shmget() calls */
};

/* A mapping whose end wraps past 2^64 (only a corrupt record has one) contains no address:
 * it waits on a list for a munmap that covers it. */
static bool addr_wraps(const struct tl_mapping *m)
{
	return m->start + m->length < m->start;
}

static __u64 first_page(const struct tl_mapping *m)
{
	return m->offset / PAGE_SIZE_;
}

static __u64 end_page(const struct tl_mapping *m)
{
	return first_page(m) + m->length / PAGE_SIZE_;
}

static struct tl_key creator_file(__u32 creator, const struct tl_mapping *m)
{
	return tl_key3(creator, m->file_dev, m->file_ino);
}

static void mapping_index(struct timeline *tl, struct mmap_state *st, const struct tl_object *o)
{
	const struct tl_mapping *m = &o->map;
	int err = 0;

	if (addr_wraps(m))
		err |= tl_idlist_insert(&st->odd, o->id);
	else
		err |= tl_forest_insert(&st->by_creator, tl_key1(o->creator), m->start,
					m->start + m->length, o->id);
	err |= tl_forest_insert(&st->by_file, tl_key3(m->file_dev, m->file_ino, 0),
				first_page(m), end_page(m), o->id);
	err |= tl_forest_insert(&st->by_creator_file, creator_file(o->creator, m),
				first_page(m), end_page(m), o->id);
	if (err)
		tl_mark_failed(tl);
}

static void mapping_unindex(struct timeline *tl, struct mmap_state *st, const struct tl_object *o)
{
	const struct tl_mapping *m = &o->map;
	int err = 0;

	if (addr_wraps(m))
		tl_idlist_remove(&st->odd, o->id);
	else
		err |= tl_forest_remove(&st->by_creator, tl_key1(o->creator), m->start, o->id);
	err |= tl_forest_remove(&st->by_file, tl_key3(m->file_dev, m->file_ino, 0),
				first_page(m), o->id);
	err |= tl_forest_remove(&st->by_creator_file, creator_file(o->creator, m),
				first_page(m), o->id);
	if (err)
		tl_mark_failed(tl);
}

/* A successful mmap() makes a mapping object. */
static int mapping_new(struct timeline *tl, struct mmap_state *st, const struct tl_event *te)
{
	const struct ipclab_syscall *sc = &te->e->sc;
	struct tl_object *o = tl_obj_new(tl);

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
	mapping_index(tl, st, o);
	return o->id;
}

/* Events come in time order, so a mapping unmapped before now is off the indexes; this
 * still says what "live at t" means. */
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

#define LINEAGE_MAX 64	/* tl_is_ancestor()'s depth */

/* The creators whose mappings pid may have: pid and the ancestors tl_is_ancestor() sees. */
static size_t lineage(const struct timeline *tl, __u32 pid, __u32 out[LINEAGE_MAX + 1])
{
	size_t n = 0;

	out[n++] = pid;
	for (int depth = 0; pid && depth < LINEAGE_MAX; depth++) {
		const struct tl_process *p;

		if (depth)
			out[n++] = pid;
		p = tl_proc(tl, pid);
		if (!p)
			break;
		pid = p->ppid;
	}
	return n;
}

struct space {
	const struct timeline *tl;
	__u32 pid;
	__s64 t;
};

static bool in_space(int id, void *ctx)
{
	const struct space *sp = ctx;
	const struct tl_object *o = &sp->tl->objs[id];

	return mapping_live(o, sp->t) && in_address_space(sp->tl, o, sp->pid, sp->t);
}

/* The mapping of (pid, addr) at time t: its own or one inherited over fork; newest wins. */
static int mapping_at(const struct timeline *tl, const struct mmap_state *st, __u32 pid,
		      __u64 addr, __s64 t)
{
	struct space sp = { tl, pid, t };
	__u32 line[LINEAGE_MAX + 1];
	size_t n = lineage(tl, pid, line);
	int best = -1;

	for (size_t i = 0; i < n; i++)
		best = tl_ival_newest(tl_hash_ptr(&st->by_creator, tl_key1(line[i])), addr, best,
				      in_space, &sp);
	return best;
}

/* The mapping showing file page (dev, ino, index): the event's process first, then any. */
static int mapping_of_file_page(const struct timeline *tl, const struct mmap_state *st,
				__u32 pid, __u32 dev, __u64 ino, __u64 index, __s64 t)
{
	struct space sp = { tl, pid, t };
	__u32 line[LINEAGE_MAX + 1];
	size_t n = lineage(tl, pid, line);
	int best = -1;

	for (size_t i = 0; i < n; i++)
		best = tl_ival_newest(tl_hash_ptr(&st->by_creator_file, tl_key3(line[i], dev, ino)),
				      index, best, in_space, &sp);
	if (best >= 0)
		return best;
	return tl_ival_newest(tl_hash_ptr(&st->by_file, tl_key3(dev, ino, 0)), index, -1, NULL,
			      NULL);
}

struct unmap {
	const struct timeline *tl;
	__u64 start, end;
	__s64 t;
	struct tl_idlist hit;
	bool failed;
};

/* Only a munmap that covers the whole mapping ends it. */
static bool unmap_covers(const struct unmap *u, const struct tl_object *o)
{
	return mapping_live(o, u->t) && u->start <= o->map.start &&
	       u->end >= o->map.start + o->map.length;
}

static void unmap_hit(const struct tl_ival *iv, void *ctx)
{
	struct unmap *u = ctx;

	if (unmap_covers(u, &u->tl->objs[iv->id]) && tl_idlist_insert(&u->hit, iv->id))
		u->failed = true;
}

static void note_munmap(struct timeline *tl, struct mmap_state *st, const struct tl_event *te)
{
	struct unmap u = { .tl = tl, .start = te->e->sc.args[0],
			   .end = te->e->sc.args[0] + te->e->sc.args[1], .t = te->t };
	__u32 pid = te->e->pid;

	if (te->e->sc.ret != 0)
		return;
	/* a child's munmap changes its copy of the address space, not the creator's: only
	 * the caller's own mappings; those ending by `end` start in [start, end] */
	if (u.end >= u.start)
		tl_ival_each(tl_hash_ptr(&st->by_creator, tl_key1(pid)), u.start, u.end,
			     unmap_hit, &u);
	for (size_t i = 0; i < st->odd.n; i++) {
		const struct tl_object *o = &tl->objs[st->odd.id[i]];

		if (o->creator == pid && unmap_covers(&u, o) && tl_idlist_insert(&u.hit, o->id))
			u.failed = true;
	}
	for (size_t i = 0; i < u.hit.n; i++) {
		struct tl_object *o = &tl->objs[u.hit.id[i]];

		mapping_unindex(tl, st, o);
		o->map.unmapped = te->t;
	}
	if (u.failed)
		tl_mark_failed(tl);
	free(u.hit.id);
}


static void note_fault(struct timeline *tl, const struct mmap_state *st, struct tl_event *te)
{
	const struct tl_object *o;

	te->obj = mapping_at(tl, st, te->e->pid, te->e->fault.addr, te->t);
	if (te->obj < 0)
		return;
	o = &tl->objs[te->obj];
	te->page = (te->e->fault.addr - o->map.start) / PAGE_SIZE_;
}

static void note_filepage(struct timeline *tl, const struct mmap_state *st, struct tl_event *te)
{
	const struct ipclab_filepage *fp = &te->e->fp;

	te->obj = mapping_of_file_page(tl, st, te->e->pid, fp->dev, fp->ino, fp->index, te->t);
	if (te->obj >= 0)
		te->page = fp->index - tl->objs[te->obj].map.offset / PAGE_SIZE_;
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
static bool mmap_looks_ahead(const struct timeline *tl, const struct tl_event *te)
{
	__u64 index;

	return te->e->type == EVT_FAULT && !(te->e->flags & EVF_NOFAULT) &&
	       fault_file_page(tl, te, &index);
}

static int mmap_look_ahead(const struct timeline *tl, struct tl_event *te,
			   const struct tl_event *later)
{
	__u64 index;
	int r;

	if (!fault_file_page(tl, te, &index))
		return -1;
	r = after_fault(tl, te, index, later);
	if (r > 0)
		te->major = 1;
	return r < 0 ? -1 : 0;
}

static bool mmap_merged(const struct ipclab_event *e)
{
	return e->type == EVT_FAULT_RESULT;
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

const char *mapping_backing(const struct tl_object *o)
{
	if (o->map.sysv)
		return "sysv shm";	/* mech/shm */
	if (o->map.file_ino)
		return o->map.file_magic == TMPFS_MAGIC_ ? "shmem" : "file";
	return o->map.flags & MAP_SHARED_ ? "shmem" : "anon";
}


static void mmap_resolve(struct timeline *tl, struct tl_event *te, void *state)
{
	switch (te->e->type) {
	case EVT_FAULT:
		note_fault(tl, state, te);
		break;
	case EVT_FAULT_AROUND:
	case EVT_PAGE_CACHE:
	case EVT_DIRTY:
		note_filepage(tl, state, te);
		break;
	}
}

/* ---------------------------------------------------------------- System V shared memory
 * (mech/shm)
 *
 * shmat() maps a segment as do_mmap() would (MAP_SHARED, offset 0, the whole segment) and
 * returns the address: the mapping object starts there and is as long as the size shmget()
 * asked for, page-rounded.  The length is in no argument of shmat, so an attach whose
 * shmget() was not traced makes no object (its faults stay unattributed).  shmdt(addr) ends
 * the caller's own attach at addr (a child's detach leaves its parent's mapping alone, as
 * munmap does).  The kernel gives the segment's shmem file no page-cache or dirty records,
 * and its vm_ops no fault-around: nothing is indexed by file page (file_ino 0).
 */
#define SHM_RDONLY_ 010000
#define SHM_EXEC_ 0100000

static void note_shmget(struct mmap_state *st, struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_syscall *sc = &te->e->sc;

	if (sc->ret < 0)
		return;
	if (tl_hash_put(&st->shm_segs, tl_key3((__u64)sc->ret, 0, 0), sc->args[1]) ||
	    tl_hash_put(&st->shm_segs, tl_key3((__u64)sc->ret, 1, 0), (__u32)sc->args[0] + 1ULL))
		tl_mark_failed(tl);
}

static int sysv_attach_new(struct timeline *tl, struct mmap_state *st, const struct tl_event *te)
{
	const struct ipclab_syscall *sc = &te->e->sc;
	__u64 *size = tl_hash_get(&st->shm_segs, tl_key3((__u32)sc->args[0], 0, 0));
	__u64 *key = tl_hash_get(&st->shm_segs, tl_key3((__u32)sc->args[0], 1, 0));
	struct tl_object *o;

	if (!size || !*size || (sc->ret < 0 && sc->ret >= -4095))
		return -1;
	o = tl_obj_new(tl);
	if (!o)
		return -1;
	o->kind = OBJ_MAPPING;
	o->t_first = te->t;
	o->creator = te->e->pid;
	o->map.start = (__u64)sc->ret;
	o->map.length = (*size + PAGE_SIZE_ - 1) & ~(PAGE_SIZE_ - 1);
	o->map.prot = 1 | (sc->args[2] & SHM_RDONLY_ ? 0 : 2) | (sc->args[2] & SHM_EXEC_ ? 4 : 0);
	o->map.flags = MAP_SHARED_;
	o->map.unmapped = -1;
	o->map.sysv = 1;
	o->map.shmid = (__s32)sc->args[0];
	o->map.shm_key_known = key != NULL;
	o->map.shm_key = key ? (__u32)(*key - 1) : 0;
	/* the kernel's own name for the segment's file (ipc/shm.c newseg) */
	if (key)
		snprintf(o->path, sizeof(o->path), "SYSV%08x", o->map.shm_key);
	mapping_index(tl, st, o);
	return o->id;
}

/* shmdt(addr): the caller's attach that starts at addr, ended. */
static int note_shmdt(struct timeline *tl, struct mmap_state *st, const struct tl_event *te)
{
	int id = mapping_at(tl, st, te->e->pid, te->e->sc.args[0], te->t);
	struct tl_object *o;

	if (id < 0)
		return -1;
	o = &tl->objs[id];
	if (te->e->sc.ret == 0 && o->map.sysv && o->creator == te->e->pid &&
	    o->map.start == te->e->sc.args[0]) {
		mapping_unindex(tl, st, o);
		o->map.unmapped = te->t;
	}
	return id;
}

static void mmap_resolve_syscall(struct timeline *tl, struct tl_event *te, void *state)
{
	const struct ipclab_syscall *sc = &te->e->sc;

	if (te->e->nr == NR_shmget)
		note_shmget(state, tl, te);
	else if (te->e->nr == NR_shmat)
		te->obj = sysv_attach_new(tl, state, te);
	else if (te->e->nr == NR_shmdt)
		te->obj = note_shmdt(tl, state, te);
	else if (te->e->nr == NR_mmap) {
		if (sc->ret >= 0 || sc->ret < -4095)	/* addresses may look negative */
			te->obj = mapping_new(tl, state, te);
	} else if (te->e->nr == NR_munmap) {
		te->obj = mapping_at(tl, state, te->e->pid, sc->args[0], te->t);
		note_munmap(tl, state, te);
	}
}

static void mmap_state_free(void *state)
{
	struct mmap_state *st = state;

	tl_forest_free(&st->by_creator);
	tl_forest_free(&st->by_file);
	tl_forest_free(&st->by_creator_file);
	tl_hash_free(&st->shm_segs);
	free(st->odd.id);
}

static const __u16 mmap_timeline_types[] = {
	EVT_FAULT, EVT_PAGE_CACHE, EVT_DIRTY, EVT_FAULT_AROUND, EVT_WRITEBACK, EVT_FAULT_RESULT, 0
};

const struct mech_timeline_ops mmap_timeline_ops = {
	.event_types = mmap_timeline_types,
	.state_size = sizeof(struct mmap_state),
	.state_free = mmap_state_free,
	.resolve = mmap_resolve,
	.resolve_syscall = mmap_resolve_syscall,
	.looks_ahead = mmap_looks_ahead,
	.look_ahead = mmap_look_ahead,
	.merged = mmap_merged,
	.merge = merge_verdict,
};
