// SPDX-License-Identifier: GPL-2.0
/*
 * timeline.c - turn spooled records into the model: events in time order with times
 * relative to the trace start, the process tree, and one object per pipe/FIFO.
 */
#define _GNU_SOURCE	/* mremap, fallocate */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "timeline.h"
#include "tl_index.h"

#define PAGE_SIZE_ 4096ULL
#define MAP_SHARED_ 0x01
#define MAP_ANONYMOUS_ 0x20
#define TMPFS_MAGIC_ 0x01021994

static int cmp_event(const void *a, const void *b)
{
	const struct tl_event *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->e->ts != y->e->ts)
		return x->e->ts < y->e->ts ? -1 : 1;
	if (x->e->tid != y->e->tid)
		return x->e->tid < y->e->tid ? -1 : 1;
	/* a total order, so qsort here and the merge of spilled runs (spool.c cmp_record)
	 * agree even on ties that only corrupt records have (one tid, two pids) */
	return memcmp(x->e, y->e, sizeof(*x->e));
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

/* ------------------------------------------------------------------ indexes */

/* Object ids in ascending order (the newest last). */
struct tl_idlist {
	int *id;
	size_t n, cap;
};

/* An array in memory (fd -1) or, when streaming, a shared mapping of a scratch file. */
struct store {
	int fd;
	__u64 off;		/* where the array starts in the file */
	size_t cap;		/* elements mapped */
};

/*
 * Every lookup the model makes while resolving an event, indexed: by pid, by pipe identity
 * and address, and for mappings that are live (not yet unmapped) by address per creator and
 * by file page.  Each answers exactly what the scan over all objects it replaces answered.
 */
struct tl_index {
	struct tl_hash big_pids;	/* pid >= PID_SLOTS -> index in tl->procs */
	struct tl_hash pipes;		/* (ino, dev) -> newest pipe or FIFO object */
	struct tl_hash kptrs;		/* pipe_inode_info address -> struct tl_idlist * */
	struct tl_hash by_creator;	/* creator pid -> struct tl_ival * of addresses */
	struct tl_hash by_file;		/* (file dev, ino) -> struct tl_ival * of file pages */
	struct tl_hash by_creator_file;	/* (creator, file dev, ino) -> the same, per creator */
	struct tl_idlist odd;		/* live mappings whose end wraps past 2^64 (corrupt input) */
	bool failed;			/* out of memory: lookups may miss, the build fails */
	__u32 *pid_slot;		/* pid < PID_SLOTS: 1 + index in tl->procs, 0 none */
	size_t npid_slots;
	struct store objs, procs;	/* where tl->objs and tl->procs live */
};

static int idlist_insert(struct tl_idlist *l, int id)
{
	size_t i = l->n;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 4;
		int *ids = realloc(l->id, cap * sizeof(*ids));

		if (!ids)
			return -ENOMEM;
		l->id = ids;
		l->cap = cap;
	}
	while (i > 0 && l->id[i - 1] > id)	/* new objects go last: no move */
		i--;
	memmove(&l->id[i + 1], &l->id[i], (l->n - i) * sizeof(*l->id));
	l->id[i] = id;
	l->n++;
	return 0;
}

static void idlist_remove(struct tl_idlist *l, int id)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < l->n && l->id[lo] == id) {
		memmove(&l->id[lo], &l->id[lo + 1], (l->n - lo - 1) * sizeof(*l->id));
		l->n--;
	}
}

static struct tl_key key1(__u64 a)
{
	return (struct tl_key){ a, 0, 0 };
}

static struct tl_key key3(__u64 a, __u64 b, __u64 c)
{
	return (struct tl_key){ a, b, c };
}

static void *hash_ptr(const struct tl_hash *h, struct tl_key k)
{
	__u64 *v = tl_hash_get(h, k);

	return v ? (void *)(uintptr_t)*v : NULL;
}

/* Store a tree's new root under k; an empty tree leaves the table. */
static void set_root(struct tl_index *ix, struct tl_hash *h, struct tl_key k,
		     struct tl_ival *root)
{
	if (!root)
		tl_hash_del(h, k);
	else if (tl_hash_put(h, k, (uintptr_t)root))
		ix->failed = true;	/* the tree leaks; the build reports ENOMEM */
}

static void tree_insert(struct tl_index *ix, struct tl_hash *h, struct tl_key k, __u64 lo,
			__u64 hi, int id)
{
	struct tl_ival *root = hash_ptr(h, k);

	if (tl_ival_insert(&root, lo, hi, id))
		ix->failed = true;
	set_root(ix, h, k, root);
}

static void tree_remove(struct tl_index *ix, struct tl_hash *h, struct tl_key k, __u64 lo,
			int id)
{
	struct tl_ival *root = hash_ptr(h, k);

	tl_ival_remove(&root, lo, id);
	set_root(ix, h, k, root);
}

static void index_free_trees(struct tl_hash *h)
{
	for (size_t i = 0; i < h->cap; i++) {
		if (h->slot[i].used) {
			struct tl_ival *root = (void *)(uintptr_t)h->slot[i].val;

			tl_ival_free(&root);
		}
	}
	tl_hash_free(h);
}

static void index_free(struct tl_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->kptrs.cap; i++) {
		if (ix->kptrs.slot[i].used) {
			struct tl_idlist *l = (void *)(uintptr_t)ix->kptrs.slot[i].val;

			free(l->id);
			free(l);
		}
	}
	tl_hash_free(&ix->kptrs);
	tl_hash_free(&ix->big_pids);
	free(ix->pid_slot);
	tl_hash_free(&ix->pipes);
	index_free_trees(&ix->by_creator);
	index_free_trees(&ix->by_file);
	index_free_trees(&ix->by_creator_file);
	free(ix->odd.id);
	free(ix);
}

/* Object id is no longer at pipe address kptr. */
static void kptr_unindex(struct tl_index *ix, __u64 kptr, int id)
{
	struct tl_idlist *l = hash_ptr(&ix->kptrs, key1(kptr));

	if (!l)
		return;
	idlist_remove(l, id);
	if (!l->n) {
		tl_hash_del(&ix->kptrs, key1(kptr));
		free(l->id);
		free(l);
	}
}

/* Object id is at pipe address kptr now. */
static void kptr_index(struct tl_index *ix, __u64 kptr, int id)
{
	struct tl_idlist *l = hash_ptr(&ix->kptrs, key1(kptr));

	if (!l) {
		l = calloc(1, sizeof(*l));
		if (!l || tl_hash_put(&ix->kptrs, key1(kptr), (uintptr_t)l)) {
			free(l);
			ix->failed = true;
			return;
		}
	}
	if (idlist_insert(l, id))
		ix->failed = true;
}

/* The object's pipe address changed (a FIFO reopened, an address reused): reindex it. */
static void obj_set_kptr(struct timeline *tl, int id, __u64 kptr)
{
	struct tl_object *o = &tl->objs[id];

	if (o->kptr == kptr)
		return;
	if (o->kptr)
		kptr_unindex(tl->ix, o->kptr, id);
	o->kptr = kptr;
	if (kptr)
		kptr_index(tl->ix, kptr, id);
}

/* ------------------------------------------------------------------ objects and processes */

/*
 * A long trace can have millions of objects (one per mmap, ~190 bytes each) and, where
 * pid_max is large, millions of processes (~120 bytes), all written in the header at the
 * end.  When streaming, each array is a shared mapping of an unnamed file
 * (tl_stream_objects_in()), and every STORE_TRIM_EVERY elements the pages of all but the
 * newest STORE_KEEP leave memory (MADV_DONTNEED keeps their data in the file): an old one
 * that is still used (a pipe, a long-lived mapping, the traced program's process) faults
 * back in when touched.
 */
#define STORE_TRIM_EVERY 8192
#define STORE_KEEP 1024
#define PROCS_AT (1ULL << 40)	/* the processes' part of the file, after the objects' */

static size_t page_up(size_t bytes)
{
	return (bytes + PAGE_SIZE_ - 1) & ~(PAGE_SIZE_ - 1);
}

/* Elements before `upto` leave memory (their data stays in the file). */
static void store_release(const struct store *st, void *base, size_t upto, size_t size)
{
	size_t bytes = upto * size & ~(PAGE_SIZE_ - 1);

	if (st->fd >= 0 && bytes)
		madvise(base, bytes, MADV_DONTNEED);
}

void tl_objects_release(const struct timeline *tl, size_t upto)
{
	if (tl->ix)
		store_release(&tl->ix->objs, tl->objs, upto, sizeof(*tl->objs));
}

void tl_processes_release(const struct timeline *tl, size_t upto)
{
	if (tl->ix)
		store_release(&tl->ix->procs, tl->procs, upto, sizeof(*tl->procs));
}

/* The file cannot grow (no space): the array moves to memory, as without a file. */
static void *store_to_memory(struct store *st, void *base, size_t n, size_t cap, size_t size)
{
	void *p = malloc(cap * size);

	if (!p)
		return NULL;
	if (n)
		memcpy(p, base, n * size);
	if (base)
		munmap(base, page_up(st->cap * size));
	st->fd = -1;
	return p;
}

/* Room for element n (n are in use); the array may move.  NULL: out of memory. */
static void *store_room(struct store *st, void *base, size_t n, size_t size)
{
	size_t cap, old, bytes;
	void *p;

	if (st->fd < 0)
		return grow(base, n, size);
	if (n > STORE_KEEP && n % STORE_TRIM_EVERY == 0)
		store_release(st, base, n - STORE_KEEP, size);
	if (n < st->cap)
		return base;
	cap = st->cap ? 2 * st->cap : STORE_TRIM_EVERY;	/* a power of two, as grow() */
	old = page_up(st->cap * size);
	bytes = page_up(cap * size);
	/* blocks reserved now: a full disk is an error here, not a SIGBUS on a store later */
	if (fallocate(st->fd, 0, st->off, bytes))
		return store_to_memory(st, base, n, cap, size);
	p = old ? mremap(base, old, bytes, MREMAP_MAYMOVE) :
		  mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, st->fd, st->off);
	if (p == MAP_FAILED)
		return store_to_memory(st, base, n, cap, size);
	st->cap = cap;
	return p;
}

static void store_free(const struct store *st, void *base, size_t size)
{
	if (st->fd < 0)
		free(base);
	else if (base)
		munmap(base, page_up(st->cap * size));
}

static struct tl_object *objs_room(struct timeline *tl)
{
	struct tl_object *o = store_room(&tl->ix->objs, tl->objs, tl->nobjs, sizeof(*o));

	if (o)
		tl->objs = o;
	return o;
}

static struct tl_process *procs_room(struct timeline *tl)
{
	struct tl_process *p = store_room(&tl->ix->procs, tl->procs, tl->nprocs, sizeof(*p));

	if (p)
		tl->procs = p;
	return p;
}

/* ------------------------------------------------------------------ pid lookup */

/* Pids below the kernel's PID_MAX_LIMIT index an array (4 bytes each, flat however many
 * processes come and go); others (only a corrupt record has one) a hash table. */
#define PID_SLOTS (1U << 22)

static const __u32 *pid_lookup(const struct tl_index *ix, __u32 pid)
{
	static __u32 at;
	const __u64 *v;

	if (pid < PID_SLOTS)
		return pid < ix->npid_slots && ix->pid_slot[pid] ? &ix->pid_slot[pid] : NULL;
	v = tl_hash_get(&ix->big_pids, key1(pid));
	if (!v)
		return NULL;
	at = (__u32)(*v + 1);
	return &at;
}

static int pid_store(struct tl_index *ix, __u32 pid, size_t index)
{
	if (pid >= PID_SLOTS)
		return tl_hash_put(&ix->big_pids, key1(pid), index);
	if (pid >= ix->npid_slots) {
		size_t n = ix->npid_slots ? ix->npid_slots : 1024;
		__u32 *slot;

		while (n <= pid)
			n *= 2;
		slot = realloc(ix->pid_slot, n * sizeof(*slot));
		if (!slot)
			return -ENOMEM;
		memset(slot + ix->npid_slots, 0, (n - ix->npid_slots) * sizeof(*slot));
		ix->pid_slot = slot;
		ix->npid_slots = n;
	}
	ix->pid_slot[pid] = (__u32)(index + 1);
	return 0;
}

/* ------------------------------------------------------------------ processes, pipes */

static struct tl_process *proc_get(struct timeline *tl, __u32 pid, __s64 t)
{
	const __u32 *at = pid_lookup(tl->ix, pid);
	struct tl_process *p;

	if (at)
		return &tl->procs[*at - 1];
	p = procs_room(tl);
	if (!p)
		return NULL;
	if (pid_store(tl->ix, pid, tl->nprocs)) {
		tl->ix->failed = true;
		return NULL;
	}
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
	__u64 *at;
	struct tl_object *o;

	if (!sp->pipe)
		return -1;
	at = tl_hash_get(&tl->ix->pipes, key3(sp->ino, sp->dev, 0));
	if (at)
		return (int)*at;
	o = objs_room(tl);
	if (!o)
		return -1;
	if (tl_hash_put(&tl->ix->pipes, key3(sp->ino, sp->dev, 0), tl->nobjs)) {
		tl->ix->failed = true;
		return -1;
	}
	o = &tl->objs[tl->nobjs];
	memset(o, 0, sizeof(*o));
	o->id = (int)tl->nobjs;
	o->kind = flags & EVF_FIFO ? OBJ_FIFO : OBJ_PIPE;
	o->ino = sp->ino;
	o->dev = sp->dev;
	o->ring_size = sp->ring_size;
	o->max_usage = sp->max_usage;
	o->t_first = t;
	o->fds[0] = o->fds[1] = -1;
	tl->nobjs++;
	obj_set_kptr(tl, o->id, sp->pipe);
	return o->id;
}

/* Blocks carry only the pipe address: the newest object at that address. */
static int obj_by_kptr(const struct timeline *tl, __u64 kptr)
{
	const struct tl_idlist *l;

	if (!kptr)
		return -1;
	l = hash_ptr(&tl->ix->kptrs, key1(kptr));
	return l && l->n ? l->id[l->n - 1] : -1;
}

/* ------------------------------------------------------------------ mappings */

/* Live mappings (not unmapped yet) are indexed three ways: by creator and address range
 * (faults, munmap), and by file page, per file and per creator and file (page-cache
 * records).  A mapping whose end wraps past 2^64 (only a corrupt record has one) contains no
 * address: it waits on a list for a munmap that covers it, as before. */
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
	return key3(creator, m->file_dev, m->file_ino);
}

static void mapping_index(struct timeline *tl, const struct tl_object *o)
{
	struct tl_index *ix = tl->ix;
	const struct tl_mapping *m = &o->map;

	if (addr_wraps(m)) {
		if (idlist_insert(&ix->odd, o->id))
			ix->failed = true;
	} else {
		tree_insert(ix, &ix->by_creator, key1(o->creator), m->start, m->start + m->length,
			    o->id);
	}
	tree_insert(ix, &ix->by_file, key3(m->file_dev, m->file_ino, 0), first_page(m),
		    end_page(m), o->id);
	tree_insert(ix, &ix->by_creator_file, creator_file(o->creator, m), first_page(m),
		    end_page(m), o->id);
}

static void mapping_unindex(struct timeline *tl, const struct tl_object *o)
{
	struct tl_index *ix = tl->ix;
	const struct tl_mapping *m = &o->map;

	if (addr_wraps(m))
		idlist_remove(&ix->odd, o->id);
	else
		tree_remove(ix, &ix->by_creator, key1(o->creator), m->start, o->id);
	tree_remove(ix, &ix->by_file, key3(m->file_dev, m->file_ino, 0), first_page(m), o->id);
	tree_remove(ix, &ix->by_creator_file, creator_file(o->creator, m), first_page(m), o->id);
}

static struct tl_object *obj_new(struct timeline *tl)
{
	struct tl_object *o = objs_room(tl);

	if (!o)
		return NULL;
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
	mapping_index(tl, o);
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
static int mapping_at(const struct timeline *tl, __u32 pid, __u64 addr, __s64 t)
{
	struct space sp = { tl, pid, t };
	__u32 line[LINEAGE_MAX + 1];
	size_t n = lineage(tl, pid, line);
	int best = -1;

	for (size_t i = 0; i < n; i++)
		best = tl_ival_newest(hash_ptr(&tl->ix->by_creator, key1(line[i])), addr, best,
				      in_space, &sp);
	return best;
}

/* The mapping showing file page (dev, ino, index): the event's process first, then any. */
static int mapping_of_file_page(const struct timeline *tl, __u32 pid, __u32 dev, __u64 ino,
				__u64 index, __s64 t)
{
	struct space sp = { tl, pid, t };
	__u32 line[LINEAGE_MAX + 1];
	size_t n = lineage(tl, pid, line);
	int best = -1;

	for (size_t i = 0; i < n; i++)
		best = tl_ival_newest(hash_ptr(&tl->ix->by_creator_file, key3(line[i], dev, ino)),
				      index, best, in_space, &sp);
	if (best >= 0)
		return best;
	return tl_ival_newest(hash_ptr(&tl->ix->by_file, key3(dev, ino, 0)), index, -1, NULL,
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

	if (unmap_covers(u, &u->tl->objs[iv->id]) && idlist_insert(&u->hit, iv->id))
		u->failed = true;
}

static void note_munmap(struct timeline *tl, const struct tl_event *te)
{
	struct unmap u = { .tl = tl, .start = te->e->sc.args[0],
			   .end = te->e->sc.args[0] + te->e->sc.args[1], .t = te->t };
	__u32 pid = te->e->pid;

	if (te->e->sc.ret != 0)
		return;
	/* a child's munmap changes its copy of the address space, not the creator's: only
	 * the caller's own mappings; those ending by `end` start in [start, end] */
	if (u.end >= u.start)
		tl_ival_each(hash_ptr(&tl->ix->by_creator, key1(pid)), u.start, u.end, unmap_hit,
			     &u);
	for (size_t i = 0; i < tl->ix->odd.n; i++) {
		const struct tl_object *o = &tl->objs[tl->ix->odd.id[i]];

		if (o->creator == pid && unmap_covers(&u, o) && idlist_insert(&u.hit, o->id))
			u.failed = true;
	}
	for (size_t i = 0; i < u.hit.n; i++) {
		struct tl_object *o = &tl->objs[u.hit.id[i]];

		mapping_unindex(tl, o);
		o->map.unmapped = te->t;
	}
	tl->ix->failed |= u.failed;
	free(u.hit.id);
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
	obj_set_kptr(tl, te->obj, sc->pipe.pipe);
	o = &tl->objs[te->obj];
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
			obj_set_kptr(tl, te->obj, e->io.after.pipe);
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

/* Both look at most TL_WINDOW events away, as the streaming path does: a fault its thread
 * never follows up would otherwise scan to the end of the trace (quadratic). */
static void fault_majors(struct timeline *tl)
{
	size_t out = 0;

	for (size_t i = 0; i < tl->n; i++) {
		struct tl_event *te = &tl->ev[i];
		__u64 index;

		if (judged_by_page_cache(tl, te, &index)) {
			for (size_t j = i + 1; j < tl->n && j - i < TL_WINDOW; j++) {
				int r = after_fault(tl, te, index, &tl->ev[j]);

				if (r < 0)
					break;
				if (r > 0)
					te->major = 1;
			}
		}
		if (te->e->type == EVT_FAULT_RESULT) {
			for (size_t j = out; j-- > 0 && out - j <= TL_WINDOW &&
			     !merge_verdict(&tl->ev[j], te);)
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
	tl->ix = calloc(1, sizeof(*tl->ix));
	if (!tl->ev || !tl->ix) {
		timeline_free(tl);
		return -ENOMEM;
	}
	tl->ix->objs.fd = tl->ix->procs.fd = -1;
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
	if (tl->ix->failed) {
		timeline_free(tl);
		return -ENOMEM;
	}
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
	s->tl.ix = calloc(1, sizeof(*s->tl.ix));
	if (!s->win || !s->rec || !s->tl.ix) {
		tl_stream_free(s);
		return -ENOMEM;
	}
	s->tl.ix->objs.fd = s->tl.ix->procs.fd = -1;
	return 0;
}

void tl_stream_objects_in(struct tl_stream *s, int fd, __u64 offset)
{
	struct tl_index *ix = s->tl.ix;

	if (s->tl.nobjs || s->tl.nprocs || offset % PAGE_SIZE_)
		return;
	ix->objs = (struct store){ .fd = fd, .off = offset };
	ix->procs = (struct store){ .fd = fd, .off = offset + PROCS_AT };
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
	if (!s->err && s->tl.ix->failed)
		s->err = -ENOMEM;	/* an index lost an entry: lookups may have missed */
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
	static const struct store no_store = { .fd = -1 };

	free(tl->ev);
	store_free(tl->ix ? &tl->ix->procs : &no_store, tl->procs, sizeof(*tl->procs));
	store_free(tl->ix ? &tl->ix->objs : &no_store, tl->objs, sizeof(*tl->objs));
	index_free(tl->ix);
	memset(tl, 0, sizeof(*tl));
}

const struct tl_process *tl_proc(const struct timeline *tl, __u32 pid)
{
	const __u32 *at;

	if (tl->ix) {
		at = pid_lookup(tl->ix, pid);
		return at ? &tl->procs[*at - 1] : NULL;
	}
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
