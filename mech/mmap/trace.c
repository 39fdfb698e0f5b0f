// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - shared mappings in a trace: mapping objects and the memory events (fault,
 * page_cache, dirty, fault_around, writeback) in the JSON trace (docs/trace-format.md),
 * the names the Chrome export gives faults, their meta.probes entries and their `ipclab
 * doctor` lines.  mmap and munmap records name their mapping in "obj" and carry nothing
 * after it.  The core reaches this through mmap_trace_ops (mechanism.h).
 */
#include <stdlib.h>
#include <string.h>
#include "chrome.h"
#include "event_parse.h"
#include "event_print.h"
#include "export.h"
#include "mechanism.h"
#include "mmap.h"
#include "names.h"

#define add(o, k, v) json_object_object_add(o, k, v)
#define jint(v) json_object_new_int64((int64_t)(v))
#define jstr(v) json_object_new_string(v)

/* ---------------------------------------------------------------- the JSON trace */

static const char *fault_kind(const struct timeline *tl, const struct tl_event *te)
{
	__u64 ec = te->e->fault.error_code;

	if (!(ec & 2))
		return ec & 16 ? "exec" : "read";
	/* a write to a present page: private mappings copy it, shared ones mark it dirty */
	if (ec & 1) {
		/* MAP_PRIVATE is 0x02; unknown memory (shmat, ...) is not assumed private */
		if (te->obj >= 0 && (tl->objs[te->obj].map.flags & 0x03) == 0x02)
			return "cow";
		return "write";
	}
	return "write";
}

static void page_or_null(struct jb *b, const char *k, __s64 page)
{
	if (page >= 0)
		jb_num(b, k, page);
	else
		jb_null(b, k);
}

static void fault_json(struct jb *b, const struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_event *e = te->e;

	jb_str(b, "type", "fault");
	jb_num(b, "addr", (long long)e->fault.addr);
	jb_obj(b, "mapping", te->obj);
	page_or_null(b, "page", te->page);
	jb_bool(b, "write", e->fault.error_code & 2);
	jb_bool(b, "present", e->fault.error_code & 1);
	jb_str(b, "kind", fault_kind(tl, te));
	if (te->major < 0)
		jb_null(b, "major");
	else
		jb_bool(b, "major", te->major);
	jb_bool(b, "user_mode", !(e->flags & EVF_KERNEL_MODE));
	jb_bool(b, "handled", !(e->flags & EVF_NOFAULT));
	jb_syscall(b, "syscall", e->nr);
}

static void memory_json(struct jb *b, const struct timeline *tl, const struct tl_event *te)
{
	const struct ipclab_event *e = te->e;

	switch (e->type) {
	case EVT_FAULT:
		fault_json(b, tl, te);
		return;
	case EVT_PAGE_CACHE:
	case EVT_DIRTY:
		jb_str(b, "type", e->type == EVT_DIRTY ? "dirty" : "page_cache");
		jb_num(b, "inode", (long long)e->fp.ino);
		jb_num(b, "dev", e->fp.dev);
		jb_num(b, "index", (long long)e->fp.index);
		jb_num(b, "pages", (long long)(e->fp.last_index - e->fp.index + 1));	/* folio */
		jb_obj(b, "mapping", te->obj);
		page_or_null(b, "page", te->page);
		return;
	case EVT_FAULT_AROUND:
		jb_str(b, "type", "fault_around");
		jb_num(b, "inode", (long long)e->fp.ino);
		jb_num(b, "dev", e->fp.dev);
		jb_num(b, "start_index", (long long)e->fp.index);
		jb_num(b, "end_index", (long long)e->fp.last_index);
		jb_obj(b, "mapping", te->obj);
		page_or_null(b, "first_page", te->page);
		page_or_null(b, "last_page", te->page >= 0 ?
			     te->page + (__s64)(e->fp.last_index - e->fp.index) : -1);
		return;
	case EVT_WRITEBACK:
		jb_str(b, "type", "writeback");
		jb_num(b, "inode", (long long)e->fp.ino);
		jb_num(b, "dev", e->fp.dev);
		return;
	}
}

static json_object *prot_string(__u32 prot)
{
	char s[4] = { prot & 1 ? 'r' : '-', prot & 2 ? 'w' : '-', prot & 4 ? 'x' : '-', 0 };

	return jstr(s);
}

static json_object *flags_string(__u32 flags)
{
	static const struct { __u32 bits; const char *name; } names[] = {
		{ 0x03, "MAP_SHARED_VALIDATE" }, { 0x01, "MAP_SHARED" }, { 0x02, "MAP_PRIVATE" },
		{ 0x08, "MAP_DROPPABLE" }, { 0x10, "MAP_FIXED" }, { 0x20, "MAP_ANONYMOUS" },
		{ 0x100, "MAP_GROWSDOWN" }, { 0x800, "MAP_DENYWRITE" }, { 0x1000, "MAP_EXECUTABLE" },
		{ 0x2000, "MAP_LOCKED" }, { 0x4000, "MAP_NORESERVE" }, { 0x8000, "MAP_POPULATE" },
		{ 0x10000, "MAP_NONBLOCK" }, { 0x20000, "MAP_STACK" }, { 0x40000, "MAP_HUGETLB" },
		{ 0x80000, "MAP_SYNC" }, { 0x100000, "MAP_FIXED_NOREPLACE" },
	};
	char buf[320] = "";

	/* the mapping type is a 2-bit field; the rest are independent bits */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		__u32 b = names[i].bits;

		if (i < 3 ? (flags & 0x03) == b : (flags & b) == b) {
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
				 buf[0] ? "|" : "", names[i].name);
			if (i >= 3)
				flags &= ~b;
		}
	}
	if (flags & ~0x03U)	/* bits this ipclab has no name for */
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s0x%x", buf[0] ? "|" : "",
			 flags & ~0x03U);
	return jstr(buf);
}

static json_object *mapping_json(const struct tl_object *ob, long page)
{
	json_object *o;
	const struct tl_mapping *m = &ob->map;

	if (ob->kind != OBJ_MAPPING)
		return NULL;
	o = json_object_new_object();
	add(o, "id", jint(ob->id));
	add(o, "kind", jstr("mapping"));
	add(o, "start", jint(m->start));
	add(o, "length", jint(m->length));
	add(o, "pages", jint(m->length / page));
	add(o, "prot", prot_string(m->prot));
	add(o, "flags", flags_string(m->flags));
	add(o, "backing", jstr(mapping_backing(ob)));
	add(o, "file", (m->file_ino || m->sysv) && ob->path[0] ? trace_text(ob->path, sizeof(ob->path)) : NULL);
	add(o, "inode", m->file_ino ? jint(m->file_ino) : NULL);
	add(o, "dev", m->file_ino ? jint(m->file_dev) : NULL);
	add(o, "offset", jint(m->offset));
	add(o, "created", jint(ob->t_first));
	add(o, "creator", jint(ob->creator));
	add(o, "unmapped", m->unmapped >= 0 ? jint(m->unmapped) : NULL);
	/* System V shared memory (mech/shm): the segment a shmat() attached */
	if (m->sysv) {
		add(o, "shmid", jint(m->shmid));
		add(o, "shm_key", m->shm_key_known ? jint(m->shm_key) : NULL);
	}
	return o;
}

/* ---------------------------------------------------------------- read back (check) */

extern const struct mech_trace_ops mmap_trace_ops;

#define TMPFS_MAGIC_ 0x01021994	/* what mapping_backing() calls "shmem" with a file */

/* fault: the error code's bits the printer showed (x86's encoding, as recorded) */
static void fault_from_json(json_object *ev, struct ipclab_event *e, struct tl_event *te)
{
	struct ipclab_fault *f = &e->fault;

	f->addr = (__u64)jp_num(ev, "addr", 0);
	f->error_code = (jp_bool(ev, "write") ? 2 : 0) | (jp_bool(ev, "present") ? 1 : 0) |
			(jp_bool(ev, "user_mode") ? 4 : 0) |
			(!strcmp(jp_str(ev, "kind"), "exec") ? 16 : 0);
	te->obj = jp_obj(ev, "mapping");
	te->page = jp_num(ev, "page", -1);
	te->major = jp_has(ev, "major") ? jp_bool(ev, "major") : -1;
	e->flags = (jp_bool(ev, "user_mode") ? 0 : EVF_KERNEL_MODE) |
		   (jp_bool(ev, "handled") ? 0 : EVF_NOFAULT);
	e->nr = jp_syscall(ev, "syscall");
}

static void file_page_from_json(json_object *ev, const char *first, const char *last,
				struct ipclab_filepage *fp)
{
	fp->ino = (__u64)jp_num(ev, "inode", 0);
	fp->dev = (__u32)jp_num(ev, "dev", 0);
	if (!first)
		return;		/* writeback: a whole file */
	fp->index = (__u64)jp_num(ev, first, 0);
	if (last)
		fp->last_index = (__u64)jp_num(ev, last, 0);
	else	/* a folio: "pages" long */
		fp->last_index = fp->index + (__u64)jp_num(ev, "pages", 1) - 1;
}

static bool memory_from_json(json_object *ev, const char *type, const struct timeline *tl,
			     struct ipclab_event *e, struct tl_event *te)
{
	(void)tl;
	if (!strcmp(type, "fault")) {
		e->type = EVT_FAULT;
		fault_from_json(ev, e, te);
		return true;
	}
	if (!strcmp(type, "page_cache") || !strcmp(type, "dirty")) {
		e->type = !strcmp(type, "dirty") ? EVT_DIRTY : EVT_PAGE_CACHE;
		file_page_from_json(ev, "index", NULL, &e->fp);
		te->page = jp_num(ev, "page", -1);
	} else if (!strcmp(type, "fault_around")) {
		e->type = EVT_FAULT_AROUND;
		file_page_from_json(ev, "start_index", "end_index", &e->fp);
		te->page = jp_num(ev, "first_page", -1);
	} else if (!strcmp(type, "writeback")) {
		e->type = EVT_WRITEBACK;
		file_page_from_json(ev, NULL, NULL, &e->fp);
		return true;
	} else {
		return false;
	}
	te->obj = jp_obj(ev, "mapping");
	return true;
}

/* mmap, munmap, shmat ...: the mapped file, which the JSON gives in the mapping object */
static void mmap_syscall_from_json(json_object *ev, const struct timeline *tl,
				   struct ipclab_event *e, struct tl_event *te)
{
	const struct tl_object *ob;

	(void)ev;
	if (te->obj < 0 || (size_t)te->obj >= tl->nobjs || tl->objs[te->obj].kind != OBJ_MAPPING ||
	    mech_trace_for_syscall(e->nr, e->flags) != &mmap_trace_ops)
		return;
	ob = &tl->objs[te->obj];
	e->sc.file_ino = ob->map.file_ino;
	e->sc.file_dev = ob->map.file_dev;
	e->sc.file_magic = ob->map.file_magic;
}

static __u32 prot_of(const char *s)
{
	return (s[0] == 'r' ? 1 : 0) | (s[0] && s[1] == 'w' ? 2 : 0) |
	       (s[0] && s[1] && s[2] == 'x' ? 4 : 0);
}

/* flags_string()'s inverse: each name's bits, and a trailing "0x..." as it is */
static __u32 map_flags_of(const char *s)
{
	static const struct { const char *name; __u32 bits; } names[] = {
		{ "MAP_SHARED_VALIDATE", 0x03 }, { "MAP_SHARED", 0x01 }, { "MAP_PRIVATE", 0x02 },
		{ "MAP_DROPPABLE", 0x08 }, { "MAP_FIXED", 0x10 }, { "MAP_ANONYMOUS", 0x20 },
		{ "MAP_GROWSDOWN", 0x100 }, { "MAP_DENYWRITE", 0x800 },
		{ "MAP_EXECUTABLE", 0x1000 }, { "MAP_LOCKED", 0x2000 },
		{ "MAP_NORESERVE", 0x4000 }, { "MAP_POPULATE", 0x8000 },
		{ "MAP_NONBLOCK", 0x10000 }, { "MAP_STACK", 0x20000 },
		{ "MAP_HUGETLB", 0x40000 }, { "MAP_SYNC", 0x80000 },
		{ "MAP_FIXED_NOREPLACE", 0x100000 },
	};
	__u32 flags = 0;

	while (*s) {
		size_t len = strcspn(s, "|");

		if (!strncmp(s, "0x", 2))
			flags |= (__u32)strtoul(s, NULL, 16);
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == len && !strncmp(s, names[i].name, len))
				flags |= names[i].bits;
		s += len + (s[len] == '|');
	}
	return flags;
}

static bool mapping_from_json(json_object *o, const char *kind, struct tl_object *ob, long page)
{
	struct tl_mapping *m = &ob->map;
	const char *backing = jp_str(o, "backing");

	(void)page;
	if (strcmp(kind, "mapping"))
		return false;
	ob->kind = OBJ_MAPPING;
	m->start = (__u64)jp_num(o, "start", 0);
	m->length = (__u64)jp_num(o, "length", 0);
	m->prot = prot_of(jp_str(o, "prot"));
	m->flags = map_flags_of(jp_str(o, "flags"));
	jp_text(o, "file", ob->path, sizeof(ob->path));
	m->file_ino = (__u64)jp_num(o, "inode", 0);
	m->file_dev = (__u32)jp_num(o, "dev", 0);
	m->file_magic = m->file_ino && !strcmp(backing, "shmem") ? TMPFS_MAGIC_ : 0;
	m->offset = (__u64)jp_num(o, "offset", 0);
	ob->ino = m->file_ino;
	ob->dev = m->file_dev;
	ob->t_first = jp_num(o, "created", 0);
	ob->creator = (__u32)jp_num(o, "creator", 0);
	m->unmapped = jp_num(o, "unmapped", -1);
	m->sysv = !strcmp(backing, "sysv shm");
	m->shmid = (__s32)jp_num(o, "shmid", 0);
	m->shm_key_known = jp_has(o, "shm_key");
	m->shm_key = (__u32)jp_num(o, "shm_key", 0);
	return true;
}

/* the optional programs mmap_probes_json() shows as attached */
static void mmap_meta_from_json(json_object *probes, struct trace_meta *m)
{
	json_object *dirty;

	if (jp_has(probes, "fault_around") && m->n_optional < TRACE_OPTIONAL_MAX)
		m->optional[m->n_optional++] = "fault_around";
	if (jp_has(probes, "writeback") && m->n_optional < TRACE_OPTIONAL_MAX)
		m->optional[m->n_optional++] = "inode_writeback";
	if (json_object_object_get_ex(probes, "dirty", &dirty) &&
	    strstr(jp_str(dirty, "symbol"), "dirty_page") && m->n_optional < TRACE_OPTIONAL_MAX)
		m->optional[m->n_optional++] = "dirty_page";
}

/* ---------------------------------------------------------------- meta.probes */

static json_object *probe(const char *tier, const char *symbol)
{
	json_object *o = json_object_new_object();

	add(o, "tier", jstr(tier));
	add(o, "symbol", jstr(symbol));
	return o;
}

/* Where faults come from: the x86 exception tracepoints, or (arm64) the software
 * page-fault perf event; the fentry/kprobe tiers add handle_mm_fault's verdict. */
static const char *faults_symbol(const struct trace_meta *m, char *buf, size_t n)
{
	const char *hook = m->fault_perf ? "perf_event:page-faults" :
			   "tp_btf/page_fault_user+page_fault_kernel";

	snprintf(buf, n, "%s%s", hook, m->tier == TIER_TRACEPOINT ? "" :
		 m->tier == TIER_FENTRY ? ",fexit:handle_mm_fault" : ",kretprobe:handle_mm_fault");
	return buf;
}

static void mmap_probes_json(json_object *o, const struct trace_meta *m)
{
	char faults[96];

	add(o, "faults", probe(tier_name(m->tier), faults_symbol(m, faults, sizeof(faults))));
	add(o, "page_cache", probe("tracepoint", "tp_btf/mm_filemap_add_to_page_cache"));
	add(o, "dirty", probe("tracepoint", meta_attached(m, "dirty_page") ? "tp_btf/writeback_dirty_page" :
			      "tp_btf/writeback_dirty_folio"));
	/* optional: kernels before 6.11 have no mm_filemap_map_pages */
	add(o, "fault_around", meta_attached(m, "fault_around") ?
	    probe("tracepoint", "tp_btf/mm_filemap_map_pages") : NULL);
	add(o, "writeback", meta_attached(m, "inode_writeback") ?
	    probe("tracepoint", "tp_btf/sb_mark_inode_writeback") : NULL);
}

/* ---------------------------------------------------------------- Chrome export */

/* "fault KIND pN": the page of its mapping, when known. */
static bool mmap_chrome_instant_name(json_object *ev, const char *type, char *name, size_t n)
{
	json_object *kind = chrome_get(ev, "kind"), *page = chrome_get(ev, "page");

	if (strcmp(type, "fault"))
		return false;
	snprintf(name, n, "fault %s%s%lld", kind && json_object_is_type(kind, json_type_string) ?
		 json_object_get_string(kind) : "", page ? " p" : "",
		 page ? (long long)json_object_get_int64(page) : 0LL);
	return true;
}

/* ---------------------------------------------------------------- ipclab doctor */

static void mmap_doctor_features(const struct btf *btf)
{
	if (btf_has_typedef(btf, "btf_trace_writeback_dirty_folio"))
		doctor_line("dirtied pages", "%s%s", "writeback_dirty_folio", "");
	else if (btf_has_typedef(btf, "btf_trace_writeback_dirty_page"))
		doctor_line("dirtied pages", "%s%s", "writeback_dirty_page (no folios on this "
			    "kernel): ", "one dirty event per page");
	else
		doctor_line("dirtied pages", "%s%s", "NO tracepoint: no dirty events", "");
	if (btf_has_typedef(btf, "btf_trace_mm_filemap_map_pages"))
		doctor_line("fault-around", "%s%s", "yes (filemap:mm_filemap_map_pages)", "");
	else
		doctor_line("fault-around", "%s%s", "no (filemap:mm_filemap_map_pages, Linux 6.11+): "
			    "pages ", "mapped around a fault are not reported; the claims count "
			    "faults instead");
}

static void mmap_doctor_lines(enum doctor_part part, const struct doctor_facts *d)
{
	switch (part) {
	case DOCTOR_FEATURES:
		mmap_doctor_features(d->btf);
		break;
	case DOCTOR_FEATURES_LATE:
		if (btf_has_typedef(d->btf, "btf_trace_sb_mark_inode_writeback"))
			doctor_line("writeback", "%s%s", "yes (writeback:sb_mark_inode_writeback)", "");
		else
			doctor_line("writeback", "%s%s", "no (writeback:sb_mark_inode_writeback): no "
				    "writeback ", "events (meta.probes.writeback is null)");
		break;
	case DOCTOR_ALWAYS:
		if (d->fault_perf >= 0)
			printf("  page faults: %s\n", d->fault_perf ?
			       "perf_event page-faults (the software event, on every CPU)" :
			       "tp_btf/page_fault_user + page_fault_kernel");
		break;
	default:
		break;
	}
}

static const __u16 mmap_event_types[] = {
	EVT_FAULT, EVT_PAGE_CACHE, EVT_DIRTY, EVT_FAULT_AROUND, EVT_WRITEBACK, 0
};
/* shmget/shmat/shmdt/shmctl (mech/shm): shmat makes a mapping, shmdt ends it
 * (timeline.c); mech/shm/trace.c prints their decoded arguments */
static const int mmap_syscalls[] = { NR_mmap, NR_munmap, NR_shmget, NR_shmat, NR_shmdt,
				     NR_shmctl, -1 };

const struct mech_trace_ops mmap_trace_ops = {
	.event_types = mmap_event_types,
	.instants = true,
	.syscall_nrs = mmap_syscalls,
	.event_json = memory_json,
	.object_json = mapping_json,
	.event_from_json = memory_from_json,
	.syscall_from_json = mmap_syscall_from_json,
	.object_from_json = mapping_from_json,
	.meta_from_json = mmap_meta_from_json,
	.chrome_instant_name = mmap_chrome_instant_name,
	.probes_json = mmap_probes_json,
	.doctor_lines = mmap_doctor_lines,
};
