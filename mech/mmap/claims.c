// SPDX-License-Identifier: GPL-2.0
/*
 * mech/mmap/claims.c - the memory-mapping section of the course notes, checked against page
 * faults (exceptions:page_fault_user/kernel), page-cache insertions, dirtied pages,
 * writeback and the mmap/munmap/msync syscalls.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "claims.h"
#include "claims_util.h"
#include "export.h"
#include "mechanism.h"
#include "mmap.h"

#define MS 1000000LL
#define PAGE 4096

/* The mapping `pid` made of the file called `name` (the loader's libc mappings are not). */
static int mapping_named(const struct timeline *tl, const struct tl_process *p, const char *name)
{
	for (size_t i = 0; p && i < tl->nobjs; i++) {
		const struct tl_object *o = &tl->objs[i];

		if (o->kind == OBJ_MAPPING && o->creator == p->pid && o->map.file_ino &&
		    strcmp(o->path, name) == 0)
			return (int)i;
	}
	return -1;
}

static long mmap_call(const struct timeline *tl, int obj)
{
	for (size_t i = 0; obj >= 0 && i < tl->n; i++)
		if (tl->ev[i].e->type == EVT_SYSCALL && tl->ev[i].e->nr == NR_mmap && tl->ev[i].obj == obj)
			return (long)i;
	return -1;
}

/* Faults of pid (0: anyone) in mapping obj, in order: "r0 w2 c0" = read page 0, write
 * page 2, copy-on-write page 0.  Returns the count; cites them. */
static int fault_list(const struct timeline *tl, int obj, __u32 pid, char *buf, size_t n,
		      struct claim *c)
{
	struct claim_list l;
	int count = 0;

	claim_list_init(&l, buf, n, " ");
	for (size_t i = 0; obj >= 0 && i < tl->n; i++) {
		const struct tl_event *e = &tl->ev[i];
		char kind;

		if (!handled_fault(e) || e->obj != obj || (pid && e->e->pid != pid))
			continue;
		kind = !(e->e->fault.error_code & 2) ? 'r' : (e->e->fault.error_code & 1) ?
		       ((tl->objs[obj].map.flags & 0x03) == 0x02 ? 'c' : 'p') : 'w';
		claim_list_add(&l, "%c%lld", kind, (long long)e->page);
		if (c)
			claim_cite(c, (long)i);
		count++;
	}
	return count;
}

static long first_fault(const struct timeline *tl, int obj, long after)
{
	for (size_t i = after + 1; obj >= 0 && i < tl->n; i++)
		if (handled_fault(&tl->ev[i]) && tl->ev[i].obj == obj)
			return (long)i;
	return -1;
}

/* File pages of type (EVT_DIRTY, EVT_PAGE_CACHE) for the mapping's file after time t:
 * "0 2"; returns the count.  Cites them if c. */
static int file_pages(const struct timeline *tl, int type, int obj, __s64 t, char *buf, size_t n,
		      struct claim *c)
{
	struct claim_list l;
	int count = 0;

	claim_list_init(&l, buf, n, " ");
	for (size_t i = 0; obj >= 0 && i < tl->n; i++) {
		const struct tl_event *e = &tl->ev[i];

		if (e->e->type != type || e->t < t || e->e->fp.ino != tl->objs[obj].map.file_ino ||
		    e->e->fp.dev != tl->objs[obj].map.file_dev)
			continue;
		claim_list_add(&l, "%llu", (unsigned long long)e->e->fp.index);
		if (c)
			claim_cite(c, (long)i);
		count++;
	}
	return count;
}

/* The page-cache folio holding file page `index` of the mapping's file, as pages of the
 * mapping [*first, *last]: from the newest page_cache insertion covering it.  A single page
 * when the trace never saw it inserted. */
static void folio_of(const struct timeline *tl, int obj, __s64 page, __s64 *first, __s64 *last)
{
	const struct tl_object *o = &tl->objs[obj];
	__u64 base = o->map.offset / PAGE, index = base + page;

	*first = *last = page;
	for (size_t i = 0; i < tl->n; i++) {
		const struct ipclab_filepage *fp = &tl->ev[i].e->fp;

		if (tl->ev[i].e->type == EVT_PAGE_CACHE && fp->ino == o->map.file_ino &&
		    fp->dev == o->map.file_dev && fp->index <= index && fp->last_index >= index) {
			*first = (__s64)fp->index - (__s64)base;
			*last = (__s64)fp->last_index - (__s64)base;
		}
	}
}

/*
 * Did fault `f` map `page` as well?  Either fault-around mapped it (filemap:mm_filemap_map_pages
 * right after the fault), or it lies in the same large folio as the faulting page (a fault
 * maps the whole folio).  Returns the reason, or NULL.
 */
static const char *also_mapped(const struct timeline *tl, long f, __s64 page)
{
	const struct tl_event *fe = &tl->ev[f];
	__s64 first, last;

	for (size_t i = f + 1; i < tl->n; i++) {
		const struct tl_event *e = &tl->ev[i];

		if (e->e->tid != fe->e->tid)
			continue;
		if (e->e->type != EVT_FAULT_AROUND && e->e->type != EVT_PAGE_CACHE)
			break;
		if (e->e->type == EVT_FAULT_AROUND && e->obj == fe->obj && e->page <= page &&
		    e->page + (__s64)(e->e->fp.last_index - e->e->fp.index) >= page)
			return "fault-around";
	}
	folio_of(tl, fe->obj, fe->page, &first, &last);
	return page >= first && page <= last ? "large folio" : NULL;
}

/* also_mapped()'s reason as the course names it. */
static const char *why_zh(const char *why)
{
	if (!why)
		return "";
	return !strcmp(why, "fault-around") ? "缺页预映射" : "大 folio";
}

/* Distinct page-cache folios holding the given pages of a mapping. */
static int folios_holding(const struct timeline *tl, int obj, const __s64 *pages, int n)
{
	__s64 seen_first[64];
	int folios = 0;

	for (int k = 0; k < n && folios < 64; k++) {
		__s64 first, last;
		bool known = false;

		folio_of(tl, obj, pages[k], &first, &last);
		for (int j = 0; j < folios; j++)
			known |= seen_first[j] == first;
		if (!known)
			seen_first[folios++] = first;
	}
	return folios;
}

/*
 * Could this kernel report fault-around (filemap:mm_filemap_map_pages, 6.11+)?  The
 * recording says whether its program attached; a trace read back says so by its events.
 */
static bool fault_around_visible(const struct timeline *tl)
{
	if (tl->meta && meta_attached(tl->meta, "fault_around"))
		return true;
	for (size_t i = 0; i < tl->n; i++)
		if (tl->ev[i].e->type == EVT_FAULT_AROUND)
			return true;
	return false;
}

static void check_mmap_shared_file(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *w = role(tl, "writer"), *r = role(tl, "reader");
	int mw = mapping_named(tl, w, "shared.dat"), mr = mapping_named(tl, r, "shared.dat");
	char fw[128], fr[128];
	struct claim *c;
	long wf = first_fault(tl, mw, -1), unmap = -1;
	int reads = 0, n;

	c = claim_new(cs, "one-file-two-processes", "Two unrelated processes map the same file "
		      "MAP_SHARED");
	claim_zh(c, "两个无血缘关系的进程以 MAP_SHARED 映射同一个文件");
	if (need_zh(c, mw >= 0 && mr >= 0 ? w : NULL, "both processes' mappings of shared.dat",
		    "两个进程对 shared.dat 的映射")) {
		claim_cite(c, mmap_call(tl, mw));
		claim_cite(c, mmap_call(tl, mr));
		claim_result(c, tl->objs[mw].map.file_ino == tl->objs[mr].map.file_ino &&
			     (tl->objs[mw].map.flags & 1) && (tl->objs[mr].map.flags & 1) &&
			     !tl_is_ancestor(tl, w->pid, r->pid) && !tl_is_ancestor(tl, r->pid, w->pid),
			     "inode %llu mapped by %u and %u", (unsigned long long)tl->objs[mw].map.file_ino,
			     w->pid, r->pid);
		claim_detail_zh(c, "inode %llu 被 %u 和 %u 映射",
				(unsigned long long)tl->objs[mw].map.file_ino, w->pid, r->pid);
	}

	c = claim_new(cs, "store-faults", "The writer's store is one write fault, on page 0");
	claim_zh(c, "写者的写入引发一次写缺页，发生在第 0 页");
	if (need_zh(c, mw >= 0 ? w : NULL, "the writer's mapping",
		    "写者的映射")) {
		int n = fault_list(tl, mw, 0, fw, sizeof(fw), c);

		claim_result(c, n == 1 && !strcmp(fw, "w0"), "writer's faults: %s",
			     fw[0] ? fw : "none");
		claim_detail_zh(c, "写者的缺页：%s", fw[0] ? fw : "无");
	}

	c = claim_new(cs, "reader-sees-store", "The reader sees the store through its own mapping: "
		      "one read fault on page 0, no read() of the file, and it stops polling only "
		      "after the writer's store");
	claim_zh(c, "读者通过自己的映射看到写入：第 0 页上一次读缺页，没有对文件 read()，"
		 "而且直到写者写入之后它才停止轮询");
	if (need_zh(c, mr >= 0 && wf >= 0 ? r : NULL, "the reader's mapping and the writer's store",
		    "读者的映射与写者的写入")) {
		struct tl_filter f = syscall_of(r->pid, NR_munmap);

		for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f))
			if (tl->ev[i].obj == mr)
				unmap = i;
		for (size_t i = 0; i < tl->n; i++) {
			const struct tl_event *e = &tl->ev[i];

			if (e->e->pid == r->pid && e->t > tl->objs[mr].t_first &&
			    (e->e->nr == NR_read || e->e->nr == NR_pread64 || e->e->nr == NR_readv) &&
			    (e->e->type == EVT_SYSCALL || e->e->type == EVT_PIPE_IO))
				reads++;
		}
		claim_cite(c, unmap);
		n = fault_list(tl, mr, 0, fr, sizeof(fr), c);
		claim_result(c, n == 1 && !strcmp(fr, "r0") && reads == 0 && unmap > wf,
			     "reader's faults: %s; read syscalls after mapping: %d; unmapped %s the "
			     "store", fr[0] ? fr : "none", reads, unmap > wf ? "after" : "before");
		claim_detail_zh(c, "读者的缺页：%s；映射之后的 read 类系统调用：%d 次；"
				"解除映射发生在写者写入%s", fr[0] ? fr : "无", reads,
				unmap > wf ? "之后" : "之前");
	}
}

static void check_mmap_anon_shared(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *par = role(tl, "parent"), *ch = role(tl, "child");
	int m = -1;
	char fc[128], fp[128];
	struct claim *c;

	for (size_t i = 0; par && i < tl->nobjs; i++)
		if (tl->objs[i].kind == OBJ_MAPPING && tl->objs[i].creator == par->pid &&
		    (tl->objs[i].map.flags & 0x21) == 0x21 && tl->objs[i].map.length == 4 * PAGE)
			m = (int)i;

	c = claim_new(cs, "anon-shared", "MAP_SHARED|MAP_ANONYMOUS gives memory backed by shmem, "
		      "inherited by the child across fork");
	claim_zh(c, "MAP_SHARED|MAP_ANONYMOUS 得到由 shmem 支撑的内存，子进程经 fork 继承它");
	if (need_zh(c, m >= 0 && ch ? par : NULL, "the parent's shared anonymous mapping and a child",
		    "父进程的共享匿名映射与子进程")) {
		claim_cite(c, mmap_call(tl, m));
		claim_result(c, !strcmp(mapping_backing(&tl->objs[m]), "shmem") &&
			     tl->objs[m].t_first < ch->t_start,
			     "backing %s, mapped %s the fork", mapping_backing(&tl->objs[m]),
			     tl->objs[m].t_first < ch->t_start ? "before" : "after");
		claim_detail_zh(c, "后备存储为 %s，映射建立于 fork %s", mapping_backing(&tl->objs[m]),
				tl->objs[m].t_first < ch->t_start ? "之前" : "之后");
	}

	c = claim_new(cs, "child-writes", "The child's store is one write fault on page 1 of the "
		      "inherited mapping");
	claim_zh(c, "子进程的写入在继承来的映射的第 1 页上引发一次写缺页");
	if (need_zh(c, m >= 0 && ch ? par : NULL, "mapping and child",
		    "映射与子进程")) {
		int n = fault_list(tl, m, ch->pid, fc, sizeof(fc), c);

		claim_result(c, n == 1 && !strcmp(fc, "w1"), "child's faults: %s",
			     fc[0] ? fc : "none");
		claim_detail_zh(c, "子进程的缺页：%s", fc[0] ? fc : "无");
	}

	c = claim_new(cs, "parent-reads", "After the child exits, the parent reads page 1: one read "
		      "fault on the same shared page, no copy");
	claim_zh(c, "子进程退出后，父进程读第 1 页：在同一个共享页上一次读缺页，"
		 "没有拷贝");
	if (need_zh(c, m >= 0 && ch && ch->exited ? par : NULL, "mapping and the child's exit",
		    "映射与子进程的退出")) {
		long pf = -1;
		int n = fault_list(tl, m, par->pid, fp, sizeof(fp), c);

		for (size_t i = 0; i < tl->n; i++)
			if (handled_fault(&tl->ev[i]) && tl->ev[i].obj == m &&
			    tl->ev[i].e->pid == par->pid)
				pf = pf < 0 ? (long)i : pf;
		claim_result(c, n == 1 && !strcmp(fp, "r1") && pf >= 0 && tl->ev[pf].t > ch->t_exit,
			     "parent's faults: %s", fp[0] ? fp : "none");
		claim_detail_zh(c, "父进程的缺页：%s", fp[0] ? fp : "无");
	}
}

static void check_mmap_private_cow(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *p = role(tl, "cow");
	int m = mapping_named(tl, p, "private.dat");
	char f[128], d[128];
	struct claim *c;

	c = claim_new(cs, "read-then-cow", "MAP_PRIVATE: reading page 0 maps the file's page; "
		      "writing it then faults again and copies it (copy-on-write)");
	claim_zh(c, "MAP_PRIVATE：读第 0 页映射文件的页；随后写它再次缺页并复制该页（写时复制）");
	if (need_zh(c, m >= 0 ? p : NULL, "the private mapping",
		    "私有映射")) {
		fault_list(tl, m, 0, f, sizeof(f), c);
		claim_result(c, !strncmp(f, "r0 c0", 5), "faults in order: %s", f);
		claim_detail_zh(c, "依次发生的缺页：%s", f);
	}

	c = claim_new(cs, "write-unread", "Writing page 2, never read by the program, is one "
		      "fault: copy-on-write if the read of page 0 had already mapped it read-only "
		      "(fault-around or a large folio), a plain write fault otherwise");
	claim_zh(c, "写程序从未读过的第 2 页只缺页一次：若读第 0 页时已把它以只读方式映射（缺页预"
		 "映射或大 folio），这次是写时复制，否则是普通的写缺页");
	if (need_zh(c, m >= 0 ? p : NULL, "the private mapping",
		    "私有映射")) {
		long f0 = first_fault(tl, m, -1);
		const char *why = f0 >= 0 ? also_mapped(tl, f0, 2) : NULL;

		fault_list(tl, m, 0, f, sizeof(f), c);
		if (!why && !fault_around_visible(tl)) {	/* kernel < 6.11: not visible */
			claim_result(c, !strcmp(f, "r0 c0 c2") || !strcmp(f, "r0 c0 w2"),
				     "faults in order: %s (%s); this kernel cannot report "
				     "fault-around", f, strstr(f, "c2") ? "page 2 was already mapped" :
				     "page 2 was not mapped");
			claim_detail_zh(c, "依次发生的缺页：%s（%s）；本内核无法报告缺页预映射", f,
					strstr(f, "c2") ? "第 2 页此前已被映射" : "第 2 页此前未被映射");
		} else {
			claim_result(c, why ? !strcmp(f, "r0 c0 c2") : !strcmp(f, "r0 c0 w2"),
				     "faults in order: %s; page 2 %s%s", f, why ? "was mapped by the "
				     "first fault: " : "was not mapped before its write", why ? why : "");
			claim_detail_zh(c, "依次发生的缺页：%s；第 2 页%s%s", f,
					why ? "已由第一次缺页映射：" : "在写之前未被映射", why_zh(why));
		}
	}

	c = claim_new(cs, "file-unchanged", "The file is unchanged: private writes never dirty its "
		      "page cache");
	claim_zh(c, "文件保持不变：私有写入从不弄脏它的页缓存");
	if (need_zh(c, m >= 0 ? p : NULL, "the private mapping",
		    "私有映射")) {
		int n;

		/* what was checked: the mapping and its writes (faults), and any page dirtied */
		claim_cite(c, mmap_call(tl, m));
		fault_list(tl, m, 0, f, sizeof(f), c);
		n = file_pages(tl, EVT_DIRTY, m, tl->objs[m].t_first, d, sizeof(d), c);
		claim_result(c, n == 0, "file pages dirtied after mmap: %s", d[0] ? d : "none");
		claim_detail_zh(c, "mmap 之后被弄脏的文件页：%s", d[0] ? d : "无");
	}
}

static void check_mmap_lazy(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *p = role(tl, "lazy");
	int m = mapping_named(tl, p, "lazy.dat");
	long mm = mmap_call(tl, m), ff = first_fault(tl, m, mm);
	char pc[256];
	struct claim *c;
	int before, after;

	c = claim_new(cs, "mmap-reads-nothing", "mmap() itself reads nothing: no fault and no page "
		      "read into the page cache until the first access (the notes say otherwise)");
	claim_zh(c, "mmap() 本身什么都不读：在第一次访问之前既没有缺页，也没有页被读入页缓存（讲义"
		 "的说法与此相反）");
	if (need_zh(c, ff >= 0 ? p : NULL, "the mapping and an access to it",
		    "映射及对它的访问")) {
		claim_cite(c, mm);
		before = file_pages(tl, EVT_PAGE_CACHE, m, tl->ev[mm].t, pc, sizeof(pc), NULL) -
			 file_pages(tl, EVT_PAGE_CACHE, m, tl->ev[ff].t, pc, sizeof(pc), NULL);
		claim_result(c, before == 0 && tl->ev[ff].t - tl_end(&tl->ev[mm]) >= 20 * MS,
			     "%d pages read between mmap and the first access %.1f ms later", before,
			     (tl->ev[ff].t - tl_end(&tl->ev[mm])) / 1e6);
		claim_detail_zh(c, "从 mmap 到 %.1f ms 后的第一次访问之间，读入了 %d 页",
				(tl->ev[ff].t - tl_end(&tl->ev[mm])) / 1e6, before);
	}

	c = claim_new(cs, "first-access-faults", "The first access is a read fault on page 0, and "
		      "that fault reads the file from disk (a major fault)");
	claim_zh(c, "第一次访问是第 0 页上的读缺页，这次缺页从磁盘读取文件（主缺页）");
	if (need_zh(c, ff >= 0 ? p : NULL, "a fault in the mapping",
		    "映射中的缺页")) {
		claim_cite(c, ff);
		after = file_pages(tl, EVT_PAGE_CACHE, m, tl->ev[ff].t, pc, sizeof(pc), NULL);
		claim_result(c, tl->ev[ff].page == 0 && !(tl->ev[ff].e->fault.error_code & 2) &&
			     after > 0 && tl->ev[ff].major == 1,
			     "fault on page %lld, major=%d; file pages read after it: %s",
			     (long long)tl->ev[ff].page, tl->ev[ff].major, pc[0] ? pc : "none");
		claim_detail_zh(c, "缺页发生在第 %lld 页，major=%d；此后读入的文件页：%s",
				(long long)tl->ev[ff].page, tl->ev[ff].major, pc[0] ? pc : "无");
	}
}

static void check_mmap_fault_around(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *p = role(tl, "around");
	int r = mapping_named(tl, p, "around.dat"), w = mapping_named(tl, p, "around2.dat");
	char f[256];
	struct claim *c;
	long fa = -1;

	for (size_t i = 0; r >= 0 && i < tl->n; i++)
		if (tl->ev[i].e->type == EVT_FAULT_AROUND && tl->ev[i].obj == r && fa < 0)
			fa = (long)i;

	c = claim_new(cs, "read-fault-around", "Reading 16 pages of a cached file costs one fault: "
		      "that fault maps the neighbouring pages too (fault-around, or a whole large "
		      "folio)");
	claim_zh(c, "读已缓存文件的 16 页只需一次缺页：这次缺页顺带映射了相邻的页（缺页预映射，"
		 "或整个大 folio）");
	if (need_zh(c, r >= 0 ? p : NULL, "the read mapping",
		    "用于读的映射")) {
		int n = fault_list(tl, r, 0, f, sizeof(f), c);
		long f0 = first_fault(tl, r, -1);
		const char *why = f0 >= 0 ? also_mapped(tl, f0, 15) : NULL;

		claim_cite(c, fa);
		/* before 6.11 the kernel cannot report fault-around: the fault count shows it */
		claim_result(c, n == 1 && !strcmp(f, "r0") && (why || !fault_around_visible(tl)),
			     "%d fault(s): %s; page 15 mapped by that fault through %s", n, f,
			     why ? why : fault_around_visible(tl) ? "nothing seen" :
			     "fault-around (not reportable on this kernel)");
		claim_detail_zh(c, "%d 次缺页：%s；%s%s%s", n, f,
				why || !fault_around_visible(tl) ? "第 15 页由这次缺页经" :
				"未见这次缺页映射第 15 页", why ? why_zh(why) :
				fault_around_visible(tl) ? "" : "缺页预映射",
				why ? "一并映射" : fault_around_visible(tl) ? "" :
				"一并映射（本内核无法报告）");
	}

	c = claim_new(cs, "write-fault-per-folio", "Write faults are not batched by fault-around: "
		      "writing 8 pages costs one write fault per page-cache folio (8 for 4 KiB "
		      "folios)");
	claim_zh(c, "写缺页不会被缺页预映射批量处理：写 8 页，每个页缓存 folio 一次写缺页（4 KiB 的"
		 " folio 即 8 次）");
	if (need_zh(c, w >= 0 ? p : NULL, "the write mapping",
		    "用于写的映射")) {
		static const __s64 pages[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
		int n = fault_list(tl, w, 0, f, sizeof(f), c), folios = folios_holding(tl, w, pages, 8);
		bool writes = !strchr(f, 'r') && !strchr(f, 'c');

		claim_result(c, n == folios && writes && f[0] == 'w' && f[1] == '0',
			     "%d write fault(s) (%s) for 8 pages in %d folio(s)", n, f, folios);
		claim_detail_zh(c, "8 页分布在 %d 个 folio 中，发生 %d 次写缺页（%s）", folios, n, f);
	}
}

static void check_mmap_close_fd(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *p = role(tl, "closer");
	int m = mapping_named(tl, p, "close.dat");
	long mm = mmap_call(tl, m), cl = -1, ex = -1;
	char f[128];
	struct claim *c;

	if (mm >= 0) {
		struct tl_filter fc = syscall_of(p->pid, NR_close);

		for (long i = tl_next(tl, mm, &fc); i >= 0 && cl < 0; i = tl_next(tl, i, &fc))
			if (tl->ev[i].e->sc.args[0] == tl->ev[mm].e->sc.args[4])
				cl = i;
		ex = nth(tl, events_of(p->pid, EVT_EXIT), 0);
	}
	c = claim_new(cs, "mapping-outlives-fd", "The mapping keeps working after close(fd): the "
		      "pages fault in from the file after the close, without error");
	claim_zh(c, "close(fd) 之后映射照常工作：关闭之后这些页仍能从文件缺页调入，"
		 "没有错误");
	if (need_zh(c, cl >= 0 && ex >= 0 ? p : NULL, "mmap, close of its fd and exit",
		    "mmap、关闭其 fd 的 close() 与进程退出")) {
		long ff = first_fault(tl, m, -1);
		int n = fault_list(tl, m, 0, f, sizeof(f), c);
		/* page 1 needs its own fault unless page 0's fault mapped it too */
		const char *why = ff >= 0 ? also_mapped(tl, ff, 1) : NULL;
		bool both = !strcmp(f, "r0 r1") ||
			    (!strcmp(f, "r0") && (why || !fault_around_visible(tl)));

		claim_cite(c, cl);
		claim_result(c, tl->ev[cl].e->sc.ret == 0 && ff > cl && n >= 1 && both &&
			     tl->ev[ex].e->task.exit_code == 0,
			     "close returned %lld; then faults %s%s%s; exit status %d",
			     (long long)tl->ev[cl].e->sc.ret, f, why ? ", page 1 mapped by " : "",
			     why ? why : "", tl->ev[ex].e->task.exit_code);
		claim_detail_zh(c, "close 返回 %lld；之后的缺页：%s%s%s%s；退出状态 %d",
				(long long)tl->ev[cl].e->sc.ret, f, why ? "，第 1 页经" : "",
				why_zh(why), why ? "一并映射" : "", tl->ev[ex].e->task.exit_code);
	}
}

/* The process's mmap/munmap calls after it first opened a file whose name ends in `name`. */
static int calls_after_open(const struct timeline *tl, __u32 pid, const char *name, int nr,
			    long *out, int max)
{
	struct tl_filter f = syscall_of(pid, NR_openat);
	long start = -1;
	int n = 0;

	for (long i = tl_next(tl, -1, &f); i >= 0 && start < 0; i = tl_next(tl, i, &f)) {
		size_t l = strnlen(tl->ev[i].e->sc.path, IPCLAB_PATH_LEN), k = strlen(name);

		if (l >= k && !memcmp(tl->ev[i].e->sc.path + l - k, name, k))
			start = i;
	}
	f = syscall_of(pid, nr);
	for (long i = start >= 0 ? tl_next(tl, start, &f) : -1; i >= 0 && n < max;
	     i = tl_next(tl, i, &f))
		out[n++] = i;
	return n;
}

static void claim_ret(const struct timeline *tl, struct claim_set *cs, const char *id,
		      const char *text, const char *text_zh, long i, bool ok_means_success,
		      __s64 want)
{
	struct claim *c = claim_new(cs, id, "%s", text);
	char rb[32];
	bool addr;

	claim_zh(c, "%s", text_zh);
	if (!need_zh(c, i >= 0 ? c : NULL, "the call",
		    "该系统调用"))
		return;
	claim_cite(c, i);
	claim_result(c, ok_means_success ? tl->ev[i].e->sc.ret >= 0 || tl->ev[i].e->sc.ret < -4095 :
		     tl->ev[i].e->sc.ret == want, "%s(len %llu, off %llu) returned %s",
		     tl->ev[i].e->nr == NR_mmap ? "mmap" : "munmap",
		     (unsigned long long)tl->ev[i].e->sc.args[1],
		     (unsigned long long)(tl->ev[i].e->nr == NR_mmap ? tl->ev[i].e->sc.args[5] : 0),
		     tl->ev[i].e->sc.ret < -4095 || tl->ev[i].e->sc.ret >= 0 ? "an address or 0" :
		     res(rb, tl->ev[i].e->sc.ret));
	/* "返回一个地址或 0", but "返回 -EINVAL" (rb: res() above) */
	addr = tl->ev[i].e->sc.ret < -4095 || tl->ev[i].e->sc.ret >= 0;
	claim_detail_zh(c, "%s(len %llu, off %llu) 返回%s%s",
			tl->ev[i].e->nr == NR_mmap ? "mmap" : "munmap",
			(unsigned long long)tl->ev[i].e->sc.args[1],
			(unsigned long long)(tl->ev[i].e->nr == NR_mmap ? tl->ev[i].e->sc.args[5] : 0),
			addr ? "" : " ", addr ? "一个地址或 0" : rb);
}

static void check_mmap_errors(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *p = role(tl, "errors");
	long mm[8] = { -1, -1, -1, -1, -1, -1, -1, -1 }, um[8] = { -1, -1, -1, -1, -1, -1, -1, -1 };

	if (p) {
		calls_after_open(tl, p->pid, "errors.dat", NR_mmap, mm, 8);
		calls_after_open(tl, p->pid, "errors.dat", NR_munmap, um, 8);
	}
	claim_ret(tl, cs, "shared-write-rdonly", "PROT_WRITE + MAP_SHARED on an O_RDONLY fd fails "
		  "with EACCES (the mapping may not exceed the open's rights)",
		  "对 O_RDONLY 打开的 fd 以 PROT_WRITE + MAP_SHARED 映射会以 EACCES 失败"
		  "（映射的权限不能超过 open 的权限）", mm[0], false, -EACCES);
	claim_ret(tl, cs, "private-write-ok", "... while MAP_PRIVATE with PROT_WRITE works: writes "
		  "stay in private copies",
		  "……而 MAP_PRIVATE 加 PROT_WRITE 可以成功：写入只进入私有副本", mm[1], true, 0);
	claim_ret(tl, cs, "length-zero", "A length of 0 fails with EINVAL",
		  "长度为 0 以 EINVAL 失败", mm[2], false, -EINVAL);
	claim_ret(tl, cs, "offset-unaligned", "An offset that is not a multiple of the page size "
		  "fails with EINVAL", "偏移量不是页大小的整数倍时以 EINVAL 失败", mm[3], false, -EINVAL);
	claim_ret(tl, cs, "munmap-unaligned", "munmap of an address that is not page aligned fails "
		  "with EINVAL", "对未按页对齐的地址 munmap 以 EINVAL 失败", um[0], false, -EINVAL);
	claim_ret(tl, cs, "munmap-partial", "munmap of a page-aligned address mmap did not return "
		  "succeeds: it unmaps just that range (the notes say only mmap's return may be "
		  "passed)",
		  "对 mmap 未返回过、但按页对齐的地址 munmap 会成功：只解除那一段的映射"
		  "（讲义说只能传入 mmap 的返回值）", um[1], false, 0);
}

static void check_mmap_sigbus(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *t = role(tl, "toucher");
	int m = mapping_named(tl, t, "empty.dat");
	long mm = mmap_call(tl, m), ff = first_fault(tl, m, -1), sg = -1, ex = -1;
	struct claim *c;

	if (t) {
		struct tl_filter f = events_of(t->pid, EVT_SIGNAL);

		for (long i = tl_next(tl, -1, &f); i >= 0 && sg < 0; i = tl_next(tl, i, &f))
			if (tl->ev[i].e->sig.sig == SIGBUS)
				sg = i;
		ex = nth(tl, events_of(t->pid, EVT_EXIT), 0);
	}
	c = claim_new(cs, "maps-empty-file", "mmap of a 0-byte file with a length of one page "
		      "succeeds (the notes say it cannot be created)");
	claim_zh(c, "以一页的长度 mmap 一个 0 字节的文件会成功（讲义说无法创建）");
	if (need_zh(c, mm >= 0 ? t : NULL, "the mapping of empty.dat",
		    "对 empty.dat 的映射")) {
		claim_cite(c, mm);
		claim_result(c, tl->ev[mm].e->sc.args[1] == PAGE, "mmap(len %llu) returned an address",
			     (unsigned long long)tl->ev[mm].e->sc.args[1]);
		claim_detail_zh(c, "mmap(len %llu) 返回了一个地址",
				(unsigned long long)tl->ev[mm].e->sc.args[1]);
	}
	c = claim_new(cs, "touch-sigbus", "Touching the page faults, and the fault finds no file "
		      "data: the kernel sends SIGBUS (the notes' \"bus error\")");
	claim_zh(c, "访问该页引发缺页，缺页处理找不到文件数据：内核发送 SIGBUS（即讲义中的“总线错误”）");
	if (need_zh(c, ff >= 0 && sg >= 0 ? t : NULL, "a fault in the mapping and a SIGBUS",
		    "映射中的缺页与 SIGBUS")) {
		claim_cite(c, ff);
		claim_cite(c, sg);
		bool from_faulter = tl->ev[sg].e->sig.sender_tid == tl->ev[ff].e->tid;

		claim_result(c, tl->ev[sg].t >= tl->ev[ff].t && from_faulter && tl->ev[ff].page == 0,
			     "fault on page %lld, SIGBUS %.3f ms later from %s %u",
			     (long long)tl->ev[ff].page, (tl->ev[sg].t - tl->ev[ff].t) / 1e6,
			     from_faulter ? "the faulting thread," : "another thread,",
			     tl->ev[sg].e->sig.sender_tid);
		claim_detail_zh(c, "缺页发生在第 %lld 页，%.3f ms 后 SIGBUS 由%s %u 发出",
				(long long)tl->ev[ff].page, (tl->ev[sg].t - tl->ev[ff].t) / 1e6,
				from_faulter ? "发生缺页的线程" : "另一个线程",
				tl->ev[sg].e->sig.sender_tid);
	}
	c = claim_new(cs, "sigbus-kills", "SIGBUS's default action terminates the process");
	claim_zh(c, "SIGBUS 的默认动作终止进程");
	if (need_zh(c, ex >= 0 ? t : NULL, "exit of the toucher",
		    "toucher 的退出")) {
		claim_cite(c, ex);
		claim_result(c, (tl->ev[ex].e->task.exit_code & 0x7f) == SIGBUS, "exit status 0x%x",
			     tl->ev[ex].e->task.exit_code);
		claim_detail_zh(c, "退出状态 0x%x", tl->ev[ex].e->task.exit_code);
	}
}

static void check_mmap_msync(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *p = role(tl, "msync");
	int m = mapping_named(tl, p, "msync.dat");
	long ms = p ? nth(tl, syscall_of(p->pid, NR_msync), 0) : -1, wb = -1;
	char f[128], d[128];
	struct claim *c;

	c = claim_new(cs, "stores-dirty-pages", "Stores through the shared mapping dirty exactly "
		      "the page-cache folios holding the pages written (0 and 2), one write fault each");
	claim_zh(c, "经共享映射的写入恰好弄脏存放被写页（第 0 页和第 2 页）"
		 "的页缓存 folio，每个一次写缺页");
	if (need_zh(c, m >= 0 ? p : NULL, "the mapping of msync.dat",
		    "对 msync.dat 的映射")) {
		static const __s64 written[] = { 0, 2 };
		int faults = fault_list(tl, m, 0, f, sizeof(f), c);
		int dirty = file_pages(tl, EVT_DIRTY, m, tl->objs[m].t_first, d, sizeof(d), NULL);
		int folios = folios_holding(tl, m, written, 2);
		__s64 a0, b0, a2, b2;

		folio_of(tl, m, 0, &a0, &b0);
		folio_of(tl, m, 2, &a2, &b2);
		claim_result(c, dirty == folios && faults == folios && !strchr(f, 'r') &&
			     (folios == 1 ? !strcmp(d, "0") : !strcmp(d, a2 == 0 ? "0" : "0 2")),
			     "faults %s; dirtied folios at file pages %s (folios: %lld..%lld, %lld..%lld)",
			     f, d[0] ? d : "none", (long long)a0, (long long)b0, (long long)a2,
			     (long long)b2);
		claim_detail_zh(c, "缺页：%s；被弄脏的 folio 位于文件页 %s（folio 范围：%lld..%lld、"
				"%lld..%lld）", f, d[0] ? d : "无", (long long)a0, (long long)b0,
				(long long)a2, (long long)b2);
	}
	c = claim_new(cs, "msync-writes-back", "msync(MS_SYNC) writes the dirty pages back to the "
		      "file before it returns");
	claim_zh(c, "msync(MS_SYNC) 在返回之前把脏页写回文件");
	if (need(c, ms >= 0 && m >= 0 ? p : NULL, "msync")) {
		for (size_t i = ms + 1; i < tl->n && wb < 0; i++)
			if (tl->ev[i].e->type == EVT_WRITEBACK && tl->ev[i].t <= tl_end(&tl->ev[ms]) &&
			    tl->ev[i].e->fp.ino == tl->objs[m].map.file_ino)
				wb = (long)i;
		claim_cite(c, ms);
		claim_cite(c, wb);
		claim_result(c, tl->ev[ms].e->sc.ret == 0 && wb >= 0,
			     "msync returned %lld; writeback of the file %s inside the call",
			     (long long)tl->ev[ms].e->sc.ret, wb >= 0 ? "started" : "did not start");
		claim_detail_zh(c, "msync 返回 %lld；文件的写回%s在这次调用之内开始",
				(long long)tl->ev[ms].e->sc.ret, wb >= 0 ? "" : "没有");
	}
}

/* Phase boundaries are the program's renames (prctl): [start of name, next rename). */
static bool phase(const struct timeline *tl, __u32 pid, const char *name, __s64 *from, __s64 *to)
{
	struct tl_filter f = events_of(pid, EVT_RENAME);

	*from = -1;
	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f)) {
		if (*from >= 0) {
			*to = tl->ev[i].t;
			return true;
		}
		if (!strncmp(tl->ev[i].e->task.comm, name, IPCLAB_COMM_LEN))
			*from = tl->ev[i].t;
	}
	return false;
}

/* A phase's records are thousands: the claims cite its first few of a kind and its last. */
#define PHASE_SAMPLE 4

struct phase_sample {
	long first[PHASE_SAMPLE], last;
	int n;
};

static void sample_add(struct phase_sample *s, long i)
{
	if (s->n < PHASE_SAMPLE)
		s->first[s->n++] = i;
	s->last = i;
}

static void sample_cite(struct claim *c, const struct phase_sample *s)
{
	for (int k = 0; k < s->n; k++)
		claim_cite(c, s->first[k]);
	if (s->n == PHASE_SAMPLE && s->last != s->first[PHASE_SAMPLE - 1])
		claim_cite(c, s->last);
}

struct phase_counts {
	__s64 ns;
	long faults_file, faults_anon, writes;
	__u64 bytes;
	long start, end;	/* the renames that open and close the phase */
	struct phase_sample file, anon, write;	/* what was counted */
};

/* The rename record at time t of pid, -1 if none. */
static long rename_at(const struct timeline *tl, __u32 pid, __s64 t)
{
	struct tl_filter f = events_of(pid, EVT_RENAME);

	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f))
		if (tl->ev[i].t == t)
			return i;
	return -1;
}

/* A phase's evidence: its bounds and a sample of what it counted. */
static void cite_phase(struct claim *c, const struct phase_counts *pc,
		       const struct phase_sample *counted)
{
	claim_cite(c, pc->start);
	sample_cite(c, counted);
	claim_cite(c, pc->end);
}

/* Up to 8 mappings the phase's own mmap() calls made (its file mapping, a big malloc). */
struct phase_maps {
	long obj[8];
	int n;
};

static bool phase_made(const struct phase_maps *m, long obj)
{
	for (int i = 0; i < m->n; i++)
		if (m->obj[i] == obj)
			return true;
	return false;
}

/*
 * File faults count only in mappings the phase made: a fault in libc's text (where address
 * randomisation puts a page boundary decides whether the phase touches a new one) is not the
 * 4 MiB the claim is about, and it made the count 1025 in one run of four.
 */
static struct phase_counts count_phase(const struct timeline *tl, __u32 pid, __s64 from, __s64 to)
{
	struct phase_counts pc = { .ns = to - from };
	struct phase_maps made = { .n = 0 };

	pc.start = rename_at(tl, pid, from);
	pc.end = rename_at(tl, pid, to);

	for (size_t i = 0; i < tl->n; i++) {
		const struct tl_event *e = &tl->ev[i];

		if (e->e->pid == pid && e->t >= from && e->t < to && e->e->type == EVT_SYSCALL &&
		    e->e->nr == NR_mmap && e->obj >= 0 && made.n < 8)
			made.obj[made.n++] = e->obj;
	}
	for (size_t i = 0; i < tl->n; i++) {
		const struct tl_event *e = &tl->ev[i];

		if (e->e->pid != pid || e->t < from || e->t >= to)
			continue;
		if (handled_fault(e) && e->obj >= 0) {
			if (!tl->objs[e->obj].map.file_ino) {
				pc.faults_anon++;
				sample_add(&pc.anon, (long)i);
			} else if (phase_made(&made, e->obj)) {
				pc.faults_file++;
				sample_add(&pc.file, (long)i);
			}
		}
		if (e->e->type == EVT_SYSCALL && e->e->nr == NR_write && e->e->sc.args[0] > 2) {
			pc.writes++;
			sample_add(&pc.write, (long)i);
			pc.bytes += e->e->sc.ret > 0 ? e->e->sc.ret : 0;
		}
	}
	return pc;
}

static void check_mmap_vs_write(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *p = tl_proc_by_comm(tl, "done");
	struct phase_counts mem = { .start = -1, .end = -1 }, map = mem, wr = mem;
	__s64 a, b;
	bool ok = p && phase(tl, p->pid, "phase-memory", &a, &b);
	struct claim *c;

	if (ok)
		mem = count_phase(tl, p->pid, a, b);
	ok = ok && phase(tl, p->pid, "phase-mmap", &a, &b);
	if (ok)
		map = count_phase(tl, p->pid, a, b);
	ok = ok && phase(tl, p->pid, "phase-write", &a, &b);
	if (ok)
		wr = count_phase(tl, p->pid, a, b);

	c = claim_new(cs, "memory-faults", "Writing 4 MiB of fresh malloc'd memory costs page "
		      "faults -- one per 4 KiB page, or one per 2 MiB where a transparent huge page "
		      "is used -- and no syscall per byte");
	claim_zh(c, "写 4 MiB 新 malloc 的内存要付出缺页的代价——每 4 KiB 页一次，"
		 "用了透明大页时每 2 MiB 一次——而不是每字节一次系统调用");
	cite_phase(c, &mem, &mem.anon);
	if (need_zh(c, ok ? p : NULL, "the three phases (renames)",
		    "三个阶段（以进程改名为界）")) {
		claim_result(c, mem.faults_anon >= 2 && mem.faults_anon <= 1100 && mem.writes == 0,
			     "%ld anonymous faults (%s), %ld write() calls, %.1f ms", mem.faults_anon,
			     mem.faults_anon >= 1000 ? "one per page" : "huge pages took part",
			     mem.writes, mem.ns / 1e6);
		claim_detail_zh(c, "匿名缺页 %ld 次（%s），write() 调用 %ld 次，耗时 %.1f ms",
				mem.faults_anon, mem.faults_anon >= 1000 ? "每页一次" : "用到了大页",
				mem.writes, mem.ns / 1e6);
	}
	c = claim_new(cs, "mmap-faults", "Writing 4 MiB through a shared file mapping costs one "
		      "fault per page (1024) and no write() at all");
	claim_zh(c, "通过共享文件映射写 4 MiB，每页一次缺页（1024 次），完全没有 write()");
	cite_phase(c, &map, &map.file);
	if (need_zh(c, ok ? p : NULL, "the three phases (renames)",
		    "三个阶段（以进程改名为界）")) {
		claim_result(c, map.faults_file == 1024 && map.writes == 0,
			     "%ld faults in the phase's file mapping, %ld write() calls, %.1f ms", map.faults_file,
			     map.writes, map.ns / 1e6);
		claim_detail_zh(c, "本阶段文件映射中缺页 %ld 次，write() 调用 %ld 次，耗时 %.1f ms",
				map.faults_file, map.writes, map.ns / 1e6);
	}
	c = claim_new(cs, "write-syscalls", "Writing 4 MiB with write() in 64-byte chunks costs "
		      "65536 syscalls");
	claim_zh(c, "以 64 字节为单位用 write() 写 4 MiB 要 65536 次系统调用");
	cite_phase(c, &wr, &wr.write);
	if (need_zh(c, ok ? p : NULL, "the three phases (renames)",
		    "三个阶段（以进程改名为界）")) {
		claim_result(c, wr.writes == 65536 && wr.bytes == 4u << 20,
			     "%ld write() calls, %llu bytes, %.1f ms", wr.writes,
			     (unsigned long long)wr.bytes, wr.ns / 1e6);
		claim_detail_zh(c, "write() 调用 %ld 次，共 %llu 字节，耗时 %.1f ms", wr.writes,
				(unsigned long long)wr.bytes, wr.ns / 1e6);
	}
	c = claim_new(cs, "why-slower", "Per byte, a syscall per 64 bytes costs more than a fault "
		      "per 4096: the write() phase is the slowest, as in the notes' table");
	claim_zh(c, "按字节平均，每 64 字节一次系统调用比每 4096 字节一次缺页开销更大："
		 "write() 阶段最慢，与讲义的表格一致");
	/* the phases' bounds: the renames that time them */
	claim_cite(c, mem.start);
	claim_cite(c, map.start);
	claim_cite(c, wr.start);
	claim_cite(c, wr.end);
	if (need_zh(c, ok ? p : NULL, "the three phases (renames)",
		    "三个阶段（以进程改名为界）")) {
		claim_result(c, wr.ns > map.ns && wr.ns > mem.ns,
			     "memory %.1f ms, mmap %.1f ms, write() %.1f ms (notes: 17, 18, 2685 ms)",
			     mem.ns / 1e6, map.ns / 1e6, wr.ns / 1e6);
		claim_detail_zh(c, "内存 %.1f ms，mmap %.1f ms，write() %.1f ms（讲义：17、18、2685 ms）",
				mem.ns / 1e6, map.ns / 1e6, wr.ns / 1e6);
	}
}

/* ---------------------------------------------------------------- the scenarios */

static const struct scenario mmap_scenarios[] = {
	{
		.name = "mmap_shared_file", .section = "mmap",
		.summary = "MAP_SHARED file mapping: an unrelated process sees the stores, no read()",
		.rule_zh = "共享映射区，无血缘关系的进程也可以使用",
		.explain = "Writer and reader map the same file; the writer's store is one write fault "
			   "on page 0, the reader's one read fault on page 0 maps the same page-cache "
			   "page, so it sees the store without any read() or further fault.",
		.summary_zh = "MAP_SHARED 文件映射：无血缘关系的进程不用 read() 就能看到写入",
		.explain_zh = "写者和读者映射同一个文件；写者的写入在第 0 页上引发一次写缺页，"
			      "读者在第 0 页上的一次读缺页映射到同一个页缓存页，"
			      "因此无需 read()、也无需再次缺页就能看到写入的数据。",
		.look = "Two unrelated lanes map the same file: the reader's one read fault on page 0 "
		        "then polls without faults; the writer's one write fault on page 0 dirties "
		        "that page, and the reader sees the string with no read or write syscall.",
		.look_zh = "两条无血缘关系的泳道映射同一个文件：读者在第 0 页上只有一次读缺页，"
		           "之后轮询不再缺页；写者在第 0 页上一次写缺页把该页弄脏，读者不经过任何 read/write 系"
		           "统调用就看到了字符串。",
		.programs = { "mmap_shared_writer {dir}", "mmap_shared_reader {dir}" },
		.check = check_mmap_shared_file,
	},
	{
		.name = "mmap_anon_shared", .section = "mmap",
		.summary = "anonymous MAP_SHARED memory between parent and child",
		.rule_zh = "MAP_SHARED",
		.explain = "MAP_SHARED|MAP_ANONYMOUS memory lives in shmem; after fork the child's "
			   "store and the parent's later load fault on the same page.",
		.summary_zh = "父子进程之间的匿名 MAP_SHARED 内存",
		.explain_zh = "MAP_SHARED|MAP_ANONYMOUS 的内存位于 shmem 中；"
			      "fork 之后，子进程的写入和父进程随后的读取在同一页上缺页。",
		.look = "One mmap of 4 pages before the fork; in the mapping panel the child takes one "
		        "write fault on page 1, and after waitpid the parent one read fault on the "
		        "same page 1. Pages 0, 2 and 3 are never touched.",
		.look_zh = "fork 之前一次 mmap 4 页；在映射面板中，子进程在第 1 页上一次写缺页，"
		           "waitpid 之后父进程在同一第 1 页上一次读缺页。第 0、"
		           "2、3 页从未被访问。",
		.programs = { "mmap_anon_shared" }, .check = check_mmap_anon_shared,
	},
	{
		.name = "mmap_private_cow", .section = "mmap",
		.summary = "MAP_PRIVATE write is copy-on-write; the file stays unchanged",
		.rule_zh = "而MAP_PRIVATE则无所谓，因为mmap中的权限是对内存的限制",
		.explain = "A read maps the file's page read-only; the write then faults again (a "
			   "write to a present page) and gets a private copy. No file page is dirtied.",
		.summary_zh = "MAP_PRIVATE 的写入是写时复制；文件保持不变",
		.explain_zh = "读操作把文件页以只读方式映射进来；随后的写再次缺页（对已存在页的写"
			      "），得到一份私有副本。没有任何文件页被弄脏。",
		.look = "Three faults 10 ms apart: a read fault on page 0 that maps pages 0-3, then "
		        "write faults on pages 0 and 2 (present but read-only: a copy). No page of the "
		        "page cache turns dirty, and both preads still return 'f'.",
		.look_zh = "三次缺页，相隔 10 ms：第 0 页的读缺页一次映射了第 0-3 页，"
		           "随后第 0 页和第 2 页的写缺页（页存在但只读：写时复制）"
		           "。页缓存中没有页被弄脏，两次 pread 仍返回 'f'。",
		.programs = { "mmap_private_cow {dir}" }, .check = check_mmap_private_cow,
	},
	{
		.name = "mmap_lazy", .section = "mmap",
		.summary = "the notes: mapping implies reading the file -- really: the first access does",
		.rule_zh = "创建映射区的过程中，隐含着一次对映射文件的读操作，将文件内容读到映射区",
		.explain = "mmap() only records the mapping. Nothing is read until the first access "
			   "faults; that fault reads the file page (and its readahead window) into "
			   "the page cache: a major fault.",
		.summary_zh = "讲义说映射就意味着读文件——实际上是第一次访问才读",
		.explain_zh = "mmap() 只记录这个映射。直到第一次访问引发缺页之前什么都不读；"
			      "这次缺页把文件页（及其预读窗口）读入页缓存："
			      "这是一次主缺页（major fault）。",
		.look = "After mmap, 50 ms with no fault and no page-cache insertion; then the first "
		        "read fault on page 0, during which the pages are read into the page cache and "
		        "mapped.",
		.look_zh = "mmap 之后 50 ms 内没有缺页，也没有页进入页缓存；"
		           "直到第 0 页上的第一次读缺页，文件页才在这次缺页中被读入页缓存并映射。",
		.programs = { "mmap_lazy {dir}" }, .check = check_mmap_lazy,
	},
	{
		.name = "mmap_fault_around", .section = "mmap",
		.summary = "one read fault maps 16 cached pages; writes fault once per page",
		.rule_zh = "操作MMAP的速度和操作内存的速度一样快",
		.explain = "On a read fault the kernel also maps the neighbouring cached pages "
			   "(fault_around_bytes, 64 KiB): 16 reads, 1 fault. Write faults are not "
			   "batched: 8 pages written, 8 faults.",
		.summary_zh = "一次读缺页映射 16 个已缓存的页；写则每页缺页一次",
		.explain_zh = "读缺页时内核会顺带映射相邻的已缓存页（缺页预映射，"
			      "fault_around_bytes 为 64 KiB）：读 16 页，缺页 1 次。"
			      "写缺页不会批量处理：写 8 页，缺页 8 次。",
		.look = "R: 16 loads but one read fault, on page 0, that maps pages 0-15; pages 16-31 "
		        "never fault. W: 8 stores and 8 write faults, one per page, each dirtying its "
		        "own page.",
		.look_zh = "R：16 次读取却只有一次读缺页（第 0 页），它映射了第 0-15 页；"
		           "第 16-31 页从不缺页。W：8 次写入就有 8 次写缺页，"
		           "每页一次，各自弄脏自己那一页。",
		.programs = { "mmap_fault_around {dir}" }, .check = check_mmap_fault_around,
	},
	{
		.name = "mmap_close_fd", .section = "mmap",
		.summary = "close(fd) right after mmap: the mapping keeps working",
		.rule_zh = "映射区的释放与文件关闭无关，只要映射建立成功，文件可以立即关闭",
		.explain = "The mapping holds its own reference to the file: after close(fd) both "
			   "pages still fault in and read the file.",
		.summary_zh = "mmap 之后立即 close(fd)：映射照常工作",
		.explain_zh = "映射自己持有对文件的引用：close(fd) 之后，两个页仍能缺页调入并读到"
			      "文件内容。",
		.look = "mmap, then close, then 20 ms later a read fault on page 0 with no syscall in "
		        "between: the mapping outlives the fd. That fault also maps page 1, so reading "
		        "page 1 takes no fault.",
		.look_zh = "mmap、close，20 ms 后第 0 页发生读缺页，中间没有任何系统调用："
		           "映射比 fd 活得久。这次缺页顺便映射了第 1 页，所以读第 1 页不再缺页。",
		.programs = { "mmap_close_fd {dir}" }, .check = check_mmap_close_fd,
	},
	{
		.name = "mmap_errors", .section = "mmap",
		.summary = "EACCES, EINVAL for length 0 / unaligned offset / unaligned munmap",
		.rule_zh = "文件偏移量必须为0或者4k的整数倍；munmap传入的地址一定是mmap的返回地址",
		.explain = "Each rule as the kernel enforces it; and munmap of any page-aligned part "
			   "of a mapping works (it unmaps just that part).",
		.summary_zh = "mmap 的错误：权限超出时 EACCES；长度为 0、偏移未对齐、munmap 地址未对齐时 EINVAL",
		.explain_zh = "逐条展示内核如何执行这些规则；此外，对映射中任意按页对齐的部分调用"
			      " munmap 都能成功（只解除那一部分的映射）。",
		.look = "Nine calls 5 ms apart and no fault: -EACCES, an address, -EINVAL three times "
		        "(length 0, offset 100, munmap(p + 1)), an address, then 0, 0, 0; munmap of a "
		        "page in the middle of a mapping succeeds.",
		.look_zh = "九次调用，相隔 5 ms，没有缺页：-EACCES、一个地址、"
		           "三次 -EINVAL（长度 0、偏移 100、munmap(p + 1)）"
		           "、又一个地址，然后 0、0、0；对映射中间某一页的 munmap 也成功。",
		.programs = { "mmap_errors {dir}" }, .check = check_mmap_errors,
	},
	{
		.name = "mmap_sigbus", .section = "mmap",
		.summary = "mapping a 0-byte file succeeds; touching it raises SIGBUS",
		.rule_zh = "当映射区文件大小为0时，不能创建映射区……mmap使用时常常会出现总线错误",
		.explain = "mmap does not check the file size. The first access faults, the fault "
			   "finds no file page, and the kernel sends SIGBUS.",
		.summary_zh = "映射 0 字节的文件会成功；访问它则引发 SIGBUS",
		.explain_zh = "mmap 不检查文件大小。第一次访问引发缺页，缺页处理找不到文件页，"
			      "内核发送 SIGBUS。",
		.look = "The child's mmap of the empty file returns an address; its read fault on page "
		        "0 raises SIGBUS (the signal mark) and the child's lane ends in that fault; "
		        "waitpid reports signal 7.",
		.look_zh = "子进程对空文件的 mmap 返回了地址；它在第 0 页上的读缺页产生 SIGBUS（信号"
		           "标记），子进程的泳道就在这次缺页中结束；waitpid 报告信号 7。",
		.programs = { "mmap_sigbus {dir}" }, .check = check_mmap_sigbus,
	},
	{
		.name = "mmap_msync", .section = "mmap",
		.summary = "stores dirty page-cache pages; msync(MS_SYNC) writes them back",
		.rule_zh = "将数据写入缓冲区，则会将数据写入文件",
		.explain = "Each store to a clean page is a write fault that marks that file page "
			   "dirty; msync starts writeback of the file before returning.",
		.summary_zh = "写入弄脏页缓存页；msync(MS_SYNC) 将其写回",
		.explain_zh = "每次写入干净页都引发一次写缺页，把对应的文件页标记为脏；"
			      "msync 在返回之前启动对文件的写回。",
		.look = "Exactly two write faults, on pages 0 and 2, each dirtying its page; 10 ms "
		        "later msync(MS_SYNC) returns 0 once the dirty pages are written back, and "
		        "munmap follows.",
		.look_zh = "恰好两次写缺页，在第 0 页和第 2 页，各自弄脏该页；10 ms 后 msync(MS_SYNC) 在"
		           "脏页写回后返回 0，随后是 munmap。",
		.programs = { "mmap_msync {dir}" }, .check = check_mmap_msync,
	},
	{
		.name = "mmap_vs_write", .section = "mmap",
		.summary = "the notes' table: memory vs mmap vs write(), with faults and syscalls",
		.rule_zh = "写入内存 17ms / 写入mmap 18ms / 写入文件 2685ms",
		.explain = "4 MiB three ways. Memory and mmap cost one fault per 4 KiB page; write() "
			   "in 64-byte chunks costs 65536 syscalls. None waits for the disk.",
		.summary_zh = "讲义中的速度表：比较写内存、写 mmap 和 write() 三种方式，"
			      "并统计缺页和系统调用次数",
		.explain_zh = "用三种方式写 4 MiB。写内存和写 mmap 每 4 KiB 页一次缺页；"
			      "以 64 字节为单位 write() 则要 65536 次系统调用。"
			      "三者都不等待磁盘。",
		.look = "The lane is renamed phase-memory, phase-mmap, phase-write: about 1025 faults "
		        "for malloc'd memory, 1024 for the file mapping, then 65536 write syscalls and "
		        "no fault. Compare the lengths of the three phases.",
		.look_zh = "泳道依次改名为 phase-memory、phase-mmap、"
		           "phase-write：写 malloc 的内存约 1025 次缺页，"
		           "写文件映射 1024 次缺页，然后是 65536 次 write 系统调用、"
		           "没有缺页。比较三个阶段的时间长短。",
		.programs = { "mmap_vs_write {dir}" }, .check = check_mmap_vs_write,
	},
};

extern const struct mech_trace_ops mmap_trace_ops;
extern const struct mech_timeline_ops mmap_timeline_ops;
extern const struct mech_probes mmap_probes;

const struct mechanism mech_mmap = {
	.name = "mmap",
	.scenarios = mmap_scenarios,
	.n_scenarios = sizeof(mmap_scenarios) / sizeof(mmap_scenarios[0]),
	.trace = &mmap_trace_ops,
	.timeline = &mmap_timeline_ops,
	.probes = &mmap_probes,
};
