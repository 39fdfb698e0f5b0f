// SPDX-License-Identifier: GPL-2.0
/*
 * mech/shm/claims.c - shared memory (course notes section 4): POSIX shm_open + mmap, and
 * System V shmget/shmat/shmdt/shmctl, checked against the mapping objects (an mmap of a
 * /dev/shm file, or a shmat: mech/mmap/timeline.c) and the page faults placed on them.
 * shmem has no page-cache or dirty tracepoint (docs: mech/shm/NOTES.md): faults are the
 * evidence.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "claims.h"
#include "claims_util.h"
#include "export.h"
#include "mechanism.h"

#define PAGE 4096
#define TMPFS_MAGIC_ 0x01021994

/* The mapping p made of a /dev/shm file whose name starts with prefix, or -1. */
static int posix_mapping(const struct timeline *tl, const struct tl_process *p, const char *prefix)
{
	for (size_t i = 0; p && i < tl->nobjs; i++) {
		const struct tl_object *o = &tl->objs[i];

		if (o->kind == OBJ_MAPPING && o->creator == p->pid && o->map.file_ino &&
		    o->map.file_magic == TMPFS_MAGIC_ && !strncmp(o->path, prefix, strlen(prefix)))
			return (int)i;
	}
	return -1;
}

/* The System V attach p made (shmat), the n-th (0-based) in time order, or -1. */
static int sysv_mapping(const struct timeline *tl, const struct tl_process *p, int n)
{
	for (size_t i = 0; p && i < tl->nobjs; i++) {
		const struct tl_object *o = &tl->objs[i];

		if (o->kind == OBJ_MAPPING && o->creator == p->pid && o->map.sysv && n-- == 0)
			return (int)i;
	}
	return -1;
}

/* Faults in mapping obj, in order: "r0 w2" = read page 0, write page 2.  Returns the count;
 * cites them. */
static int faults_on(const struct timeline *tl, int obj, char *buf, size_t n, struct claim *c)
{
	int count = 0;
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; obj >= 0 && i < tl->n; i++) {
		const struct tl_event *e = &tl->ev[i];

		if (!handled_fault(e) || e->obj != obj)
			continue;
		if (len + 12 < n)
			len += snprintf(buf + len, n - len, "%s%c%lld", count ? " " : "",
					e->e->fault.error_code & 2 ? 'w' : 'r', (long long)e->page);
		if (c)
			claim_cite(c, (long)i);
		count++;
	}
	return count;
}

static long first_fault(const struct timeline *tl, int obj)
{
	for (size_t i = 0; obj >= 0 && i < tl->n; i++)
		if (handled_fault(&tl->ev[i]) && tl->ev[i].obj == obj)
			return (long)i;
	return -1;
}

/* The syscall record that made or named obj (mmap, shmat, shmdt...), the first, or -1. */
static long call_on(const struct timeline *tl, int nr, int obj)
{
	for (size_t i = 0; obj >= 0 && i < tl->n; i++)
		if (tl->ev[i].e->type == EVT_SYSCALL && tl->ev[i].e->nr == nr && tl->ev[i].obj == obj)
			return (long)i;
	return -1;
}

/* read()-family syscalls of pid after time t: data that came by a syscall, not by memory. */
static int reads_after(const struct timeline *tl, __u32 pid, __s64 t)
{
	int reads = 0;

	for (size_t i = 0; i < tl->n; i++) {
		const struct tl_event *e = &tl->ev[i];

		if (e->e->pid == pid && e->t > t && (e->e->type == EVT_SYSCALL ||
						     e->e->type == EVT_PIPE_IO) &&
		    (e->e->nr == NR_read || e->e->nr == NR_pread64 || e->e->nr == NR_readv ||
		     e->e->nr == NR_preadv || e->e->nr == NR_preadv2))
			reads++;
	}
	return reads;
}

/* ---------------------------------------------------------------- shm_posix */

static void check_shm_posix(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *w = role(tl, "writer"), *r = role(tl, "reader");
	int mw = posix_mapping(tl, w, "ipclab-shm-posix"), mr = posix_mapping(tl, r, "ipclab-shm-posix");
	char fw[128], fr[128];
	struct claim *c;
	long wf = first_fault(tl, mw), rf = first_fault(tl, mr);

	c = claim_new(cs, "same-shmem-file", "shm_open names a file on tmpfs (/dev/shm): the "
		      "writer and the exec'd reader map the same shmem file, found by its name "
		      "alone");
	claim_zh(c, "shm_open 命名的是 tmpfs（/dev/shm）上的一个文件：写者和经 exec 启动的读者映射"
		 "同一个 shmem 文件，仅凭名字找到它");
	if (need_zh(c, mw >= 0 && mr >= 0 ? w : NULL, "both processes' mappings of the /dev/shm "
		    "object", "两个进程对 /dev/shm 对象的映射")) {
		const struct tl_process *rp = tl_proc(tl, r->pid);
		bool exec_after = rp && rp->t_exec >= 0 && rp->t_exec > tl->objs[mw].t_first;

		claim_cite(c, call_on(tl, NR_mmap, mw));
		claim_cite(c, call_on(tl, NR_mmap, mr));
		claim_result(c, tl->objs[mw].map.file_ino == tl->objs[mr].map.file_ino &&
			     tl->objs[mw].map.file_dev == tl->objs[mr].map.file_dev &&
			     (tl->objs[mw].map.flags & 3) == 1 && (tl->objs[mr].map.flags & 3) == 1 &&
			     exec_after && w->pid != r->pid,
			     "dev %u inode %llu (%s) mapped MAP_SHARED by %u, dev %u inode %llu by "
			     "%u, which %s", tl->objs[mw].map.file_dev,
			     (unsigned long long)tl->objs[mw].map.file_ino, tl->objs[mw].path, w->pid,
			     tl->objs[mr].map.file_dev, (unsigned long long)tl->objs[mr].map.file_ino,
			     r->pid, exec_after ?
			     "exec'd after (no inherited mapping)" : "did not exec after it");
		claim_detail_zh(c, "设备 %u inode %llu（%s）由进程 %u 以 MAP_SHARED 映射，设备 %u "
				"inode %llu 由进程 %u 映射，%s", tl->objs[mw].map.file_dev,
				(unsigned long long)tl->objs[mw].map.file_ino, tl->objs[mw].path,
				w->pid, tl->objs[mr].map.file_dev,
				(unsigned long long)tl->objs[mr].map.file_ino, r->pid, exec_after ?
				"该进程在此之后执行了 exec（映射不是继承来的）" :
				"该进程在此之后没有执行 exec");
	}

	c = claim_new(cs, "writer-store-fault", "The writer's store is one write fault, on page 0 "
		      "of its mapping");
	claim_zh(c, "写者的写入引发一次写缺页，发生在其映射的第 0 页");
	if (need_zh(c, mw >= 0 ? w : NULL, "writer's mapping", "写者的映射")) {
		int n = faults_on(tl, mw, fw, sizeof(fw), c);	/* before fw is read below */

		claim_result(c, n == 1 && !strcmp(fw, "w0"),
			     "writer's faults: %s", fw[0] ? fw : "none");
		claim_detail_zh(c, "写者的缺页：%s", fw[0] ? fw : "无");
	}

	c = claim_new(cs, "reader-sees-store", "The reader gets the data by memory: one read fault "
		      "on page 0, after the writer's store, and no read() after mapping");
	claim_zh(c, "读者通过内存得到数据：在写者写入之后，第 0 页上一次读缺页，"
		 "映射之后没有 read()");
	if (need_zh(c, mr >= 0 && wf >= 0 ? r : NULL, "reader's mapping and the writer's store",
		    "读者的映射和写者的写入")) {
		int reads = reads_after(tl, r->pid, tl->objs[mr].t_first);
		int n = faults_on(tl, mr, fr, sizeof(fr), c);	/* before fr is read below */

		claim_result(c, n == 1 && !strcmp(fr, "r0") &&
			     rf > wf && reads == 0,
			     "reader's faults: %s (%s the writer's store); read syscalls after "
			     "mapping: %d", fr[0] ? fr : "none", rf > wf ? "after" : "not after", reads);
		claim_detail_zh(c, "读者的缺页：%s（%s写者的写入之后）；"
				"映射之后的 read 类系统调用：%d 次",
				fr[0] ? fr : "无", rf > wf ? "在" : "不在", reads);
	}
}

/* ---------------------------------------------------------------- shm_sysv */

/* p's syscall nr with args[0] == a0 (any when a0 < 0), the n-th, or -1. */
static long call_of(const struct timeline *tl, const struct tl_process *p, int nr, long long a0,
		    int n)
{
	struct tl_filter f = syscall_of(p ? p->pid : 0, nr);

	for (long i = tl_next(tl, -1, &f); p && i >= 0; i = tl_next(tl, i, &f))
		if ((a0 < 0 || (long long)tl->ev[i].e->sc.args[0] == a0) && n-- == 0)
			return i;
	return -1;
}

/* Did shmdt record d end mapping m (its end time is the shmdt's)? */
static bool detached(const struct timeline *tl, long d, int m)
{
	return d >= 0 && m >= 0 && tl->ev[d].obj == m && tl->ev[d].e->sc.ret == 0 &&
	       tl->objs[m].map.unmapped == tl->ev[d].t;
}

static void check_shm_sysv(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *o = role(tl, "owner"), *r = role(tl, "reader");
	long get = call_of(tl, o, NR_shmget, -1, 0);
	long long id = get >= 0 ? tl->ev[get].e->sc.ret : -1;
	int a = sysv_mapping(tl, o, 0), b = sysv_mapping(tl, r, 0);
	long at = call_on(tl, NR_shmat, a), wf = first_fault(tl, a), rf = first_fault(tl, b);
	char fa[128], fb[128];
	struct claim *c;

	c = claim_new(cs, "shmat-returns-address", "shmget returns an id; shmat(id) maps the "
		      "whole segment and returns its address: a shared mapping of the segment");
	claim_zh(c, "shmget 返回一个 id；shmat(id) 映射整个段并返回其地址："
		 "这是对该段的共享映射");
	if (need_zh(c, get >= 0 && id >= 0 && at >= 0 ? o : NULL, "owner's shmget and shmat",
		    "属主的 shmget 和 shmat")) {
		const struct tl_object *m = &tl->objs[a];

		claim_cite(c, get);
		claim_cite(c, at);
		claim_result(c, m->map.shmid == id && (long long)tl->ev[at].e->sc.ret ==
			     (long long)m->map.start && m->map.length == 2 * PAGE &&
			     tl->ev[get].e->sc.args[1] == 2 * PAGE,
			     "shmget(size %llu) = %lld; shmat(%lld) = 0x%llx: segment %d, %llu pages",
			     (unsigned long long)tl->ev[get].e->sc.args[1], id, id,
			     (unsigned long long)m->map.start, m->map.shmid,
			     (unsigned long long)(m->map.length / PAGE));
		claim_detail_zh(c, "shmget(大小 %llu) = %lld；shmat(%lld) = 0x%llx："
				"段 %d，共 %llu 页",
				(unsigned long long)tl->ev[get].e->sc.args[1], id, id,
				(unsigned long long)m->map.start, m->map.shmid,
				(unsigned long long)(m->map.length / PAGE));
	}

	c = claim_new(cs, "owner-store-fault", "The owner's store is one write fault, on page 0 "
		      "of its attach");
	claim_zh(c, "属主的写入引发一次写缺页，发生在其挂接区的第 0 页");
	if (need_zh(c, a >= 0 ? o : NULL, "owner's attach", "属主的挂接")) {
		int n = faults_on(tl, a, fa, sizeof(fa), c);	/* before fa is read below */

		claim_result(c, n == 1 && !strcmp(fa, "w0"),
			     "owner's faults: %s", fa[0] ? fa : "none");
		claim_detail_zh(c, "属主的缺页：%s", fa[0] ? fa : "无");
	}

	c = claim_new(cs, "reader-own-attach", "The reader attaches the same segment by its id "
		      "(read-only, at its own address) and reads the store by memory: one read "
		      "fault on page 0, after the owner's store, no read()");
	claim_zh(c, "读者按 id 挂接同一个段（只读，在它自己的地址上），通过内存读到写入的数据："
		 "在属主写入之后，第 0 页上一次读缺页，没有 read()");
	if (need_zh(c, b >= 0 && wf >= 0 ? r : NULL, "reader's attach and the owner's store",
		    "读者的挂接和属主的写入")) {
		const struct tl_object *m = &tl->objs[b];
		int reads = reads_after(tl, r->pid, m->t_first);
		int nf = faults_on(tl, b, fb, sizeof(fb), c);

		claim_cite(c, call_on(tl, NR_shmat, b));
		claim_result(c, m->map.shmid == id && m->map.prot == 1 && nf == 1 && !strcmp(fb, "r0") &&
			     rf > wf && reads == 0,
			     "segment %d, prot %s; reader's faults: %s (%s the store); read "
			     "syscalls: %d", m->map.shmid, m->map.prot == 1 ? "r--" : "not r--",
			     fb[0] ? fb : "none", rf > wf ? "after" : "not after", reads);
		claim_detail_zh(c, "段 %d，权限 %s；读者的缺页：%s（%s写入之后）；read 类系统调用："
				"%d 次", m->map.shmid, m->map.prot == 1 ? "r--" : "不是 r--",
				fb[0] ? fb : "无", rf > wf ? "在" : "不在", reads);
	}

	c = claim_new(cs, "rmid-then-last-detach", "IPC_RMID only marks an attached segment: "
		      "the owner's shmdt after it still succeeds and ends its mapping, and only "
		      "then is the segment gone (IPC_STAT: EINVAL)");
	claim_zh(c, "IPC_RMID 只是给仍被挂接的段打上标记：之后属主的 shmdt 仍然成功并解除映射，"
		 "直到这时段才消失（IPC_STAT：EINVAL）");
	if (need_zh(c, id >= 0 ? o : NULL, "owner's segment", "属主的段")) {
		long rm = -1, stat = -1, dt = call_of(tl, o, NR_shmdt, -1, 0);
		long rd = call_of(tl, r, NR_shmdt, -1, 0);
		struct tl_filter f = syscall_of(o->pid, NR_shmctl);

		for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f)) {
			const struct ipclab_syscall *sc = &tl->ev[i].e->sc;

			if ((long long)sc->args[0] != id)
				continue;
			if ((sc->args[1] & 0xff) == 0 && rm < 0)
				rm = i;
			else if ((sc->args[1] & 0xff) == 2 && stat < 0)
				stat = i;
		}
		claim_cite(c, rm);
		claim_cite(c, dt);
		claim_cite(c, stat);
		claim_cite(c, rd);
		claim_result(c, rm >= 0 && dt > rm && stat > dt && tl->ev[rm].e->sc.ret == 0 &&
			     detached(tl, dt, a) && detached(tl, rd, b) &&
			     tl->ev[stat].e->sc.ret == -EINVAL,
			     "IPC_RMID %s; the owner's shmdt after it %s; the reader's shmdt %s; "
			     "IPC_STAT after: %lld",
			     rm < 0 ? "not seen" : tl->ev[rm].e->sc.ret ? "failed" : "returned 0",
			     detached(tl, dt, a) && dt > rm ? "ended its mapping" : "did not end it",
			     detached(tl, rd, b) ? "ended its own" : "did not end its own",
			     stat >= 0 ? (long long)tl->ev[stat].e->sc.ret : 0LL);
		claim_detail_zh(c, "IPC_RMID %s；其后属主的 shmdt %s；读者的 shmdt %s；"
				"之后的 IPC_STAT：%lld",
				rm < 0 ? "未见到" : tl->ev[rm].e->sc.ret ? "失败" : "返回 0",
				detached(tl, dt, a) && dt > rm ? "解除了它的映射" : "没有解除映射",
				detached(tl, rd, b) ? "解除了自己的映射" : "没有解除自己的映射",
				stat >= 0 ? (long long)tl->ev[stat].e->sc.ret : 0LL);
	}
}

/* ---------------------------------------------------------------- shm_fault_around */

/* Could this kernel report fault-around (filemap:mm_filemap_map_pages, 6.11+)?  The
 * recording says whether its program attached; a trace read back says so by its events
 * (as mech/mmap/claims.c decides). */
static bool fault_around_visible(const struct timeline *tl)
{
	if (tl->meta && meta_attached(tl->meta, "fault_around"))
		return true;
	for (size_t i = 0; i < tl->n; i++)
		if (tl->ev[i].e->type == EVT_FAULT_AROUND)
			return true;
	return false;
}

static void check_shm_fault_around(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *o = role(tl, "around"), *r = role(tl, "reader");
	int p = posix_mapping(tl, o, "ipclab-shm-around"), s = sysv_mapping(tl, o, 0);
	int p2 = posix_mapping(tl, r, "ipclab-shm-around"), s2 = sysv_mapping(tl, r, 0);
	char f[256], g[256];
	struct claim *c;

	c = claim_new(cs, "writes-fault-per-page", "Writing 8 new pages costs 8 write faults, "
		      "POSIX or System V alike: write faults are never batched");
	claim_zh(c, "写 8 个新页要 8 次写缺页，POSIX 与 System V 都一样：写缺页从不批量处理");
	if (need_zh(c, p >= 0 && s >= 0 ? o : NULL, "writer's two mappings", "写者的两个映射")) {
		int np = faults_on(tl, p, f, sizeof(f), c), ns = faults_on(tl, s, g, sizeof(g), c);

		claim_result(c, np == 8 && ns == 8 && !strcmp(f, "w0 w1 w2 w3 w4 w5 w6 w7") &&
			     !strcmp(g, f), "POSIX: %s; System V: %s", f, g);
		claim_detail_zh(c, "POSIX 映射的缺页：%s；System V 挂接的缺页：%s", f, g);
	}

	c = claim_new(cs, "posix-read-fault-around", "Reading the 8 pages through a POSIX mapping "
		      "costs one read fault: it maps the other 7 pages too (fault-around)");
	claim_zh(c, "通过 POSIX 映射读这 8 页只需一次读缺页：它同时映射了其余 7 页（缺页预映射，"
		 "fault-around）");
	if (need_zh(c, p2 >= 0 ? r : NULL, "reader's POSIX mapping", "读者的 POSIX 映射")) {
		int n = faults_on(tl, p2, f, sizeof(f), c);
		long fa = -1;

		for (size_t i = 0; i < tl->n && fa < 0; i++)
			if (tl->ev[i].e->type == EVT_FAULT_AROUND && tl->ev[i].obj == p2 &&
			    tl->ev[i].page == 0 && tl->ev[i].e->fp.last_index >= tl->ev[i].e->fp.index + 7)
				fa = (long)i;
		claim_cite(c, fa);
		/* before 6.11 the kernel cannot report fault-around: the one fault shows it */
		claim_result(c, n == 1 && !strcmp(f, "r0") && (fa >= 0 || !fault_around_visible(tl)),
			     "%d fault(s): %s; pages 0-7 mapped by it: %s", n, f[0] ? f : "none",
			     fa >= 0 ? "a fault_around event" : fault_around_visible(tl) ?
			     "not seen" : "fault-around (not reportable on this kernel)");
		claim_detail_zh(c, "缺页 %d 次：%s；第 0-7 页由它映射：%s", n, f[0] ? f : "无",
				fa >= 0 ? "见到一个 fault_around 事件" : fault_around_visible(tl) ?
				"未见到" : "缺页预映射（此内核无法报告）");
	}

	c = claim_new(cs, "sysv-fault-per-page", "Reading the same 8 pages through a System V "
		      "attach costs 8 read faults: its vm_ops have no fault-around (map_pages)");
	claim_zh(c, "通过 System V 挂接读同样的 8 页要 8 次读缺页：它的 vm_ops 没有缺页预映射（map_pages）");
	if (need_zh(c, s2 >= 0 ? r : NULL, "reader's System V attach", "读者的 System V 挂接")) {
		int n = faults_on(tl, s2, g, sizeof(g), c);
		bool around = false;

		for (size_t i = 0; i < tl->n; i++)
			around |= tl->ev[i].e->type == EVT_FAULT_AROUND && tl->ev[i].obj == s2;
		claim_result(c, n == 8 && !strcmp(g, "r0 r1 r2 r3 r4 r5 r6 r7") && !around,
			     "%d fault(s): %s%s", n, g[0] ? g : "none",
			     around ? "; a fault_around event on it" : "");
		claim_detail_zh(c, "缺页 %d 次：%s%s", n, g[0] ? g : "无",
				around ? "；其上有一个 fault_around 事件" : "");
	}
}

/* ---------------------------------------------------------------- the scenarios */

static const struct scenario shm_scenarios[] = {
	{
		.name = "shm_posix", .section = "shm",
		.summary = "POSIX shm_open + mmap: a page shared by name, data with no syscall",
		.rule_zh = "3）共享映射区，无血缘关系的进程也可以使用",
		.explain = "shm_open is openat on /dev/shm (tmpfs). The writer's store is one write "
			   "fault; the exec'd reader maps the same shmem file by name and its one "
			   "read fault maps the same page: no read(), no copy.",
		.summary_zh = "POSIX shm_open + mmap：按名字共享一页，传数据无需系统调用",
		.explain_zh = "shm_open 就是在 /dev/shm（tmpfs）上 openat。"
			      "写者的写入引发一次写缺页；经 exec 启动的读者按名字映射同一个 shmem 文"
			      "件，它的一次读缺页映射到同一页：没有 read()，"
			      "也没有拷贝。",
		.look = "In the mapping panel the writer's one write fault on page 0 of "
		        "/dev/shm/ipclab-shm-posix-UID, then the reader, a new program, maps the same "
		        "file (same inode) and takes one read fault on page 0: no read() carries the "
		        "data.",
		.look_zh = "在映射面板中，写者对 /dev/shm/ipclab-shm-posix-UID 的第 0 页"
		           "一次写缺页；读者是 exec 出来的新程序，映射同一文件（同一 inode）"
		           "，在第 0 页一次读缺页：没有任何 read() 搬运数据。",
		.programs = { "shm_posix" }, .check = check_shm_posix,
	},
	{
		.name = "shm_sysv", .section = "shm",
		.summary = "System V shmget/shmat/shmdt; IPC_RMID waits for the last detach",
		.rule_zh = "在进程间完成数据传递需要借助操作系统提供特殊的方法，如：文件、管道、信号、"
			   "贡献内存、消息队列、套接字、命名管道等。",
		.explain = "shmat maps the segment and returns the address; the child attaches the "
			   "same id and reads the store with one fault. IPC_RMID only marks the "
			   "segment: the owner's shmdt, the last detach, destroys it.",
		.summary_zh = "System V shmget/shmat/shmdt；IPC_RMID 要等最后一次分离",
		.explain_zh = "shmat 映射共享段并返回地址；子进程挂接同一个 id，"
			      "通过一次缺页读到写入的数据。IPC_RMID 只是给段打上删除标记："
			      "属主的 shmdt 是最后一次分离，这时段才被销毁。",
		.look = "shmat's result is the start of a 2-page mapping; the child attaches the same "
		        "id read-only and takes one read fault on page 0; IPC_RMID returns 0 while the "
		        "owner is attached, its shmdt still works, and IPC_STAT then fails with "
		        "-EINVAL.",
		.look_zh = "shmat 的返回值就是一段 2 页映射的起始地址；子进程以只读方式挂接同一 id，"
		           "在第 0 页一次读缺页；父进程仍挂接时 IPC_RMID 返回 0，"
		           "之后它的 shmdt 仍然成功，再 IPC_STAT 得到 -EINVAL。",
		.programs = { "shm_sysv" }, .check = check_shm_sysv,
	},
	{
		.name = "shm_fault_around", .section = "shm",
		.summary = "8 pages read: 1 fault through POSIX shm, 8 through System V shm",
		.rule_zh = "操作MMAP的速度和操作内存的速度一样快",
		.explain = "The same shmem pages underneath, but a POSIX mapping's read fault maps "
			   "the neighbouring pages (fault-around) while a System V attach has no "
			   "map_pages: one fault per page. Writes fault per page in both.",
		.summary_zh = "读 8 页：POSIX 共享内存缺页 1 次，System V 共享内存缺页 8 次",
		.explain_zh = "底层是同样的 shmem 页，但 POSIX 映射的读缺页会顺带映射相邻的页（缺"
			      "页预映射，fault-around），而 System V 挂接没有 map_pages："
			      "每页缺页一次。两者的写缺页都是每页一次。",
		.look = "Count the faults per mapping: writing 8 pages takes 8 write faults in both; "
		        "reading takes 1 read fault through POSIX shm (fault-around maps the other 7 "
		        "pages) and 8 through the System V attach.",
		.look_zh = "数一数每个映射的缺页次数：写 8 页时两者都是 8 次写缺页；"
		           "读 8 页时 POSIX 共享内存只有 1 次读缺页（缺页预映射顺便映射"
		           "了另外 7 页），System V 挂接有 8 次。",
		.programs = { "shm_fault_around" }, .check = check_shm_fault_around,
	},
};

extern const struct mech_trace_ops shm_trace_ops;

const struct mechanism mech_shm = {
	.name = "shm",
	.scenarios = shm_scenarios,
	.n_scenarios = sizeof(shm_scenarios) / sizeof(shm_scenarios[0]),
	.trace = &shm_trace_ops,
};
