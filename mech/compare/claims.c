// SPDX-License-Identifier: GPL-2.0
/*
 * claims.c - the mechanisms side by side (issue #13 section 4): the same bytes through a
 * pipe, a FIFO, both kinds of Unix socket and a shared mapping (labs/compare.c), and what
 * each costs according to the trace.  A scenario folder without probes or objects of its
 * own: it reads the other mechanisms' records.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "claims.h"
#include "claims_util.h"
#include "mechanism.h"

#define TOTAL (128 * 1024)	/* labs/compare.c: bytes per pair (one message when larger) */
#define SIZES_MAX 16
#define MAP_SHARED_ 0x01

static const char *const mechs[] = { "pipe", "fifo", "ustrm", "udgrm", "mq", "shm" };
#define N_MECHS (sizeof(mechs) / sizeof(mechs[0]))
#define SHM (N_MECHS - 1)

/* What the trace shows of one side of a pair (process MECH.SIZE.w or .r). */
struct side {
	const struct tl_process *p;
	long exit;		/* its exit record, -1 if none */
	long first_io;		/* its first data call (pipe or socket record), -1 if none */
	long first_map_fault;	/* its first handled fault on a shared mapping, -1 if none */
	long long bytes;	/* moved by its data calls */
	int data_calls;		/* pipe and socket records (read, write, send, recv, ...) */
	int sleeps;		/* block records */
	int map_faults;		/* handled faults on a shared mapping */
	__s64 t_first, t_last;	/* its first and last record */
};

struct pair {
	size_t size;
	struct side w, r;
};

/* TOTAL bytes in whole messages (131 messages of 1000 B: 131000), or one larger message */
static size_t total_for(size_t size)
{
	return size > TOTAL ? size : TOTAL / size * size;
}

static bool shared_mapping(const struct timeline *tl, int obj)
{
	return obj >= 0 && (size_t)obj < tl->nobjs && tl->objs[obj].kind == OBJ_MAPPING &&
	       (tl->objs[obj].map.flags & MAP_SHARED_);
}

static void add_record(const struct timeline *tl, long i, struct side *s)
{
	const struct tl_event *te = &tl->ev[i];
	__s64 r;

	if (s->t_first < 0)
		s->t_first = te->t;
	s->t_last = tl_end(te);
	switch (te->e->type) {
	case EVT_MQ_IO:		/* a send returns 0: its bytes are the message's */
	case EVT_PIPE_IO:
	case EVT_SOCK_IO:
		r = te->e->type == EVT_PIPE_IO ? te->e->io.result :
		    te->e->type == EVT_SOCK_IO ? te->e->sk.result :
		    te->e->mq.write && te->e->mq.result == 0 ? (__s64)te->e->mq.requested :
		    te->e->mq.result;
		s->data_calls++;
		s->bytes += r > 0 ? r : 0;
		if (s->first_io < 0)
			s->first_io = i;
		break;
	case EVT_BLOCK:
		s->sleeps++;
		break;
	case EVT_FAULT:
		if (!handled_fault(te) || !shared_mapping(tl, te->obj))
			break;
		s->map_faults++;
		if (s->first_map_fault < 0)
			s->first_map_fault = i;
		break;
	case EVT_EXIT:
		s->exit = i;
		break;
	}
}

/* labs/compare.c's names: 64 -> "64", 4096 -> "4K", 1048576 -> "1M" */
static void size_label(char *buf, size_t n, size_t size)
{
	if (size % (1024 * 1024) == 0)
		snprintf(buf, n, "%zuM", size / (1024 * 1024));
	else if (size % 1024 == 0)
		snprintf(buf, n, "%zuK", size / 1024);
	else
		snprintf(buf, n, "%zu", size);
}

static size_t size_of_label(const char *s)
{
	char *end;
	size_t v = strtoul(s, &end, 10);

	return v << (*end == 'K' ? 10 : *end == 'M' ? 20 : 0);
}

static void side_of(const struct timeline *tl, const char *mech, size_t size, char end,
		    struct side *s)
{
	char name[IPCLAB_COMM_LEN + 8], label[12];
	struct tl_filter f = TL_ANY;

	memset(s, 0, sizeof(*s));
	s->exit = s->first_io = s->first_map_fault = -1;
	s->t_first = -1;
	size_label(label, sizeof(label), size);
	snprintf(name, sizeof(name), "%s.%s.%c", mech, label, end);
	s->p = role(tl, name);
	if (!s->p)
		return;
	f.pid = s->p->pid;
	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f))
		add_record(tl, i, s);
}

/* The sizes the lab ran, from its writers' names (MECH.SIZE.w), ascending; their count. */
static int sizes_in(const struct timeline *tl, size_t *sizes)
{
	int n = 0;

	for (size_t i = 0; i < tl->nprocs; i++) {
		const char *c = tl->procs[i].comm, *dot = strchr(c, '.');
		size_t len = strlen(c), v;
		int k;

		if (!dot || len < 3 || strcmp(c + len - 2, ".w"))
			continue;
		v = size_of_label(dot + 1);
		for (k = 0; k < n && sizes[k] != v; k++)
			;
		if (k == n && n < SIZES_MAX && v > 0)
			sizes[n++] = v;
	}
	for (int a = 1; a < n; a++)	/* a handful: insertion sort */
		for (int b = a; b > 0 && sizes[b - 1] > sizes[b]; b--) {
			size_t t = sizes[b];

			sizes[b] = sizes[b - 1];
			sizes[b - 1] = t;
		}
	return n;
}

/* Every pair of the trace; how many sizes. */
static int pairs_of(const struct timeline *tl, struct pair pairs[][N_MECHS], size_t *sizes)
{
	int n = sizes_in(tl, sizes);

	for (int k = 0; k < n; k++)
		for (size_t m = 0; m < N_MECHS; m++) {
			pairs[k][m].size = sizes[k];
			side_of(tl, mechs[m], sizes[k], 'w', &pairs[k][m].w);
			side_of(tl, mechs[m], sizes[k], 'r', &pairs[k][m].r);
		}
	return n;
}

/* Skipped by the lab: a datagram over 64 KiB does not fit the default buffer; a queue
 * message over 8 KiB needs root (msgsize_max). */
static bool ran(size_t m, size_t size)
{
	return !(!strcmp(mechs[m], "udgrm") && size > 65536) &&
	       !(!strcmp(mechs[m], "mq") && size > 8192);
}

/* ---------------------------------------------------------------- the claims */

static void check_copies(const struct timeline *tl, struct claim_set *cs,
			 struct pair pairs[][N_MECHS], int nsizes)
{
	struct claim *c = claim_new(cs, "copies", "Through a pipe, a FIFO, both kinds of Unix "
				    "socket and a message queue each byte is copied twice: the writer's "
				    "calls copy every byte into the kernel and the reader's copy every "
				    "byte out");
	char bad[160] = "", bad_zh[240] = "";
	int ok = 0, all = 0;

	claim_zh(c, "经管道、FIFO、两种 Unix 套接字和消息队列传输时，每个字节都被拷贝两次："
		 "写者的调用把每个字节拷入内核，读者的调用再把每个字节拷出");
	for (int k = 0; k < nsizes; k++)
		for (size_t m = 0; m < SHM; m++) {
			struct pair *p = &pairs[k][m];
			long long want = (long long)total_for(p->size);

			if (!ran(m, p->size))
				continue;
			all++;
			if (p->w.bytes == want && p->r.bytes == want) {
				ok++;
				claim_cite(c, p->w.first_io);
			} else if (!bad[0]) {
				snprintf(bad, sizeof(bad), "; %s at %zu B: %lld in, %lld out of %lld",
					 mechs[m], p->size, p->w.bytes, p->r.bytes, want);
				snprintf(bad_zh, sizeof(bad_zh), "；%s 在 %zu B 时：应为 %lld，"
					 "拷入 %lld，拷出 %lld", mechs[m], p->size, want, p->w.bytes,
					 p->r.bytes);
			}
		}
	if (need_zh(c, all ? c : NULL, "pairs of compare's processes", "compare 的进程对")) {
		claim_result(c, ok == all, "%d of %d pairs copied all their bytes (%zu at %zu B) "
			     "in and out%s", ok, all, total_for(pairs[0][0].size), pairs[0][0].size,
			     bad);
		claim_detail_zh(c, "%d 对进程中有 %d 对把全部字节（%zu 字节，每条 %zu B）拷入又拷出%s",
				all, ok, total_for(pairs[0][0].size), pairs[0][0].size, bad_zh);
	}
}

static void check_calls(const struct timeline *tl, struct claim_set *cs,
			struct pair pairs[][N_MECHS], int nsizes)
{
	struct claim *c = claim_new(cs, "one-call-per-message", "A blocking write or send of one "
				    "message is one call at every size, even one larger than the "
				    "buffer: the kernel copies part, sleeps and goes on inside the call");
	char got[sizeof(c->detail) - 48], got_zh[sizeof(c->detail_zh) - 96];
	struct claim_list l, l_zh;
	int ok = 0, all = 0;

	claim_zh(c, "以阻塞方式 write 或 send 一条消息，无论消息多大都只需一次调用，"
		 "即使消息大于缓冲区：内核在这次调用内部拷贝一部分、睡眠、再继续");
	claim_list_init(&l, got, sizeof(got), "; ");
	claim_list_init_zh(&l_zh, got_zh, sizeof(got_zh), "；");
	for (int k = 0; k < nsizes; k++) {
		size_t want = total_for(pairs[k][0].size) / pairs[k][0].size;

		claim_list_add(&l, "%zu B: %zu calls", pairs[k][0].size, want);
		claim_list_add(&l_zh, "%zu B：%zu 次调用", pairs[k][0].size, want);
		for (size_t m = 0; m < SHM; m++) {
			if (!ran(m, pairs[k][m].size))
				continue;
			all++;
			claim_cite(c, pairs[k][m].w.first_io);
			if ((size_t)pairs[k][m].w.data_calls == want)
				ok++;
			else {
				claim_list_add(&l, "%s at %zu B: %d", mechs[m], pairs[k][m].size,
					       pairs[k][m].w.data_calls);
				claim_list_add(&l_zh, "%s 在 %zu B 时：%d 次", mechs[m],
					       pairs[k][m].size, pairs[k][m].w.data_calls);
			}
		}
	}
	(void)tl;
	if (need_zh(c, all ? c : NULL, "pairs of compare's processes", "compare 的进程对")) {
		claim_result(c, ok == all, "%d of %d writers made one call per message: %s", ok,
			     all, got);
		claim_detail_zh(c, "%d 个写者中有 %d 个每条消息只做一次调用：%s", all, ok, got_zh);
	}
}

static void check_shm(const struct timeline *tl, struct claim_set *cs,
		      struct pair pairs[][N_MECHS], int nsizes)
{
	struct claim *c = claim_new(cs, "shm-no-copies", "Through the shared mapping no call "
				    "carries the data: the processes' own stores and loads move it, "
				    "and they fault on its pages once, however many messages pass");
	char bad[160] = "", bad_zh[240] = "";
	int ok = 0, all = 0, faults = 0;

	claim_zh(c, "经共享映射区传输时没有任何调用携带数据：由进程自己读写内存来搬运数据，"
		 "每页只缺页一次，无论传递多少条消息");
	for (int k = 0; k < nsizes; k++) {
		struct pair *p = &pairs[k][SHM];
		/* the flag page and the message pages, each: a first touch, and a write to a
		 * page the first touch mapped read-only */
		int pages = 1 + (int)((p->size + 4095) / 4096), limit = 2 * pages;

		if (!p->w.p || !p->r.p)
			continue;
		all++;
		claim_cite(c, p->w.first_map_fault);
		claim_cite(c, p->r.first_map_fault);
		faults += p->w.map_faults + p->r.map_faults;
		if (!p->w.data_calls && !p->r.data_calls && p->w.map_faults >= 1 &&
		    p->w.map_faults <= limit && p->r.map_faults <= limit)
			ok++;
		else if (!bad[0]) {
			snprintf(bad, sizeof(bad), "; at %zu B: %d+%d data calls, %d+%d faults "
				 "(at most %d each)", p->size, p->w.data_calls, p->r.data_calls,
				 p->w.map_faults, p->r.map_faults, limit);
			snprintf(bad_zh, sizeof(bad_zh), "；%zu B 时：携带数据的调用 %d+%d 次，"
				 "缺页 %d+%d 次（每方至多 %d 次）", p->size, p->w.data_calls,
				 p->r.data_calls, p->w.map_faults, p->r.map_faults, limit);
		}
	}
	(void)tl;
	if (need_zh(c, all ? c : NULL, "shm pairs", "共享映射区的进程对")) {
		claim_result(c, ok == all, "%d of %d shm pairs: 0 bytes through calls, %d faults "
			     "on the mappings in all for %d messages%s", ok, all, faults,
			     (int)(total_for(pairs[0][SHM].size) / pairs[0][SHM].size), bad);
		claim_detail_zh(c, "共享映射区的 %d 对进程中有 %d 对没有字节经过调用；%d 条消息"
				"在映射区上共缺页 %d 次%s", all, ok,
				(int)(total_for(pairs[0][SHM].size) / pairs[0][SHM].size), faults,
				bad_zh);
	}
}

/* The kernel's own counters at exit agree with the trace: every sleep the trace shows is a
 * voluntary context switch the kernel counted. */
static void check_counters(const struct timeline *tl, struct claim_set *cs,
			   struct pair pairs[][N_MECHS], int nsizes)
{
	struct claim *c = claim_new(cs, "counters", "Each process's sleeps in the trace are "
				    "voluntary context switches the kernel counted: at its exit, "
				    "nvcsw is at least the number of its block records");
	char bad[120] = "", bad_zh[200] = "";
	int ok = 0, all = 0;

	claim_zh(c, "跟踪记录中每个进程的睡眠都是内核计数的自愿上下文切换："
		 "进程退出时，nvcsw 至少等于它的阻塞记录数");
	for (int k = 0; k < nsizes; k++)
		for (size_t m = 0; m < N_MECHS; m++) {
			struct side *s[2] = { &pairs[k][m].w, &pairs[k][m].r };

			if (!ran(m, pairs[k][m].size))
				continue;
			for (int j = 0; j < 2; j++) {
				const struct ipclab_task *t = s[j]->exit >= 0 ?
					&tl->ev[s[j]->exit].e->task : NULL;

				all++;
				claim_cite(c, s[j]->exit);
				if (t && t->nvcsw >= (__u64)s[j]->sleeps) {
					ok++;
				} else if (!bad[0]) {
					snprintf(bad, sizeof(bad), "; %s: %d sleeps, %s",
						 s[j]->p ? s[j]->p->comm : mechs[m], s[j]->sleeps,
						 t ? "fewer switches" : "no exit record");
					snprintf(bad_zh, sizeof(bad_zh), "；%s：睡眠 %d 次，%s",
						 s[j]->p ? s[j]->p->comm : mechs[m], s[j]->sleeps,
						 t ? "上下文切换次数更少" : "没有退出记录");
				}
			}
		}
	if (need_zh(c, all ? c : NULL, "processes of compare", "compare 的进程")) {
		claim_result(c, ok == all, "%d of %d processes%s", ok, all, bad);
		claim_detail_zh(c, "%d 个进程中有 %d 个在退出时 nvcsw 不少于其阻塞记录数%s", all,
				ok, bad_zh);
	}
}

/* The measurement at one size, per mechanism: what each message cost. */
static void check_cost(const struct timeline *tl, struct claim_set *cs, struct pair *row)
{
	size_t msgs = total_for(row[0].size) / row[0].size;
	char id[24], d[sizeof(((struct claim *)0)->detail)];
	char d_zh[sizeof(((struct claim *)0)->detail_zh)];
	struct claim_list l, l_zh;
	int all = 0, whole = 0;
	struct claim *c;

	claim_list_init(&l, d, sizeof(d), "; ");
	claim_list_init_zh(&l_zh, d_zh, sizeof(d_zh), "；");

	snprintf(id, sizeof(id), "cost-%zu", row[0].size);
	c = claim_new(cs, id, "At %zu B per message, per mechanism: calls, bytes the kernel "
		      "copied and sleeps per message, and the time from the first to the last "
		      "record of the pair", row[0].size);
	claim_zh(c, "每条消息 %zu B 时，各机制每条消息的调用次数、内核拷贝的字节数和睡眠次数，"
		 "以及这对进程从第一条到最后一条记录的时间", row[0].size);

	for (size_t m = 0; m < N_MECHS; m++) {
		const struct pair *p = &row[m];
		const struct ipclab_task *w, *r;
		__s64 t0, t1;

		if (!ran(m, p->size))
			continue;
		all++;
		if (p->w.exit < 0 || p->r.exit < 0)
			continue;
		whole++;
		w = &tl->ev[p->w.exit].e->task;
		r = &tl->ev[p->r.exit].e->task;
		t0 = p->w.t_first < p->r.t_first ? p->w.t_first : p->r.t_first;
		t1 = p->w.t_last > p->r.t_last ? p->w.t_last : p->r.t_last;
		claim_cite(c, p->w.exit);
		claim_list_add(&l, "%s %.1f calls, %.0f B, %.2f sleeps, %.1f ms", mechs[m],
			      (double)(w->syscalls + r->syscalls) / msgs,
			      (double)(p->w.bytes + p->r.bytes) / msgs,
			      (double)(p->w.sleeps + p->r.sleeps) / msgs, (t1 - t0) / 1e6);
		claim_list_add(&l_zh, "%s：%.1f 次调用，%.0f B，睡眠 %.2f 次，%.1f ms", mechs[m],
			      (double)(w->syscalls + r->syscalls) / msgs,
			      (double)(p->w.bytes + p->r.bytes) / msgs,
			      (double)(p->w.sleeps + p->r.sleeps) / msgs, (t1 - t0) / 1e6);
	}
	if (need_zh(c, all ? c : NULL, "pairs at this size", "这一消息大小的进程对")) {
		claim_result(c, whole == all, "%s", whole == all ? d : "a pair has no exit record");
		claim_detail_zh(c, "%s", whole == all ? d_zh : "有一对进程没有退出记录");
	}
}

static void check_compare(const struct timeline *tl, struct claim_set *cs)
{
	static struct pair pairs[SIZES_MAX][N_MECHS];
	size_t sizes[SIZES_MAX];
	int n = pairs_of(tl, pairs, sizes);

	check_copies(tl, cs, pairs, n);
	check_calls(tl, cs, pairs, n);
	check_shm(tl, cs, pairs, n);
	check_counters(tl, cs, pairs, n);
	for (int k = 0; k < n && cs->n < CLAIM_MAX; k++)
		check_cost(tl, cs, pairs[k]);
}

/* ---------------------------------------------------------------- scenarios */

static const struct scenario compare_scenarios[] = {
	{
		.name = "compare", .section = "compare",
		.summary = "the same 128 KiB through a pipe, a FIFO, Unix stream and datagram "
			   "sockets, a message queue and a shared mapping, at 64 B, 4 KiB and "
			   "64 KiB per message",
		.rule_zh = "现在常用的进程间通信方法有：1）管道，使用最简单 2）信号，开销最小 "
			   "3）共享映射区 4）本地套接字，最稳定；写入内存 17ms，写入mmap 18ms，"
			   "写入文件 2685ms",
		.explain = "Each mechanism and size is a pair of processes named MECH.SIZE.w and "
			   ".r (pipe.64.w, ustrm.4K.r). The copying mechanisms move every byte twice (in by the writer's "
			   "call, out by the reader's), one call per message; the shared mapping "
			   "moves none through calls: a futex handshake, and a fault per page "
			   "touched. The cost claims give, per message, the syscalls each pair "
			   "made (counted at sys_enter, futex included), the bytes copied, the "
			   "sleeps, and the pair's time; they state what this kernel showed, not "
			   "a ranking.",
		.summary_zh = "同样的 128 KiB 分别经管道、FIFO、Unix 流式与数据报套接字、"
			      "消息队列和共享映射区传输，每条消息 64 B、4 KiB 和 64 KiB",
		.explain_zh = "每种机制、每种消息大小各由一对进程完成，进程名为 MECH.SIZE.w 和 .r（"
			      "如 pipe.64.w、ustrm.4K.r）。需要拷贝的机制把每个字节搬运两次（写者"
			      "的调用拷入，读者的调用拷出），每条消息一次调用；"
			      "共享映射区不经过任何调用搬运数据：只有一次 futex 握手，"
			      "以及每个被访问的页一次缺页。开销结论按每条消息给出每对进程的系统调"
			      "用次数（在 sys_enter 处计数，含 futex）、拷贝的字节数、"
			      "睡眠次数以及这对进程的耗时；它们陈述的是本内核上的实测结果，"
			      "而不是排名。",
		.look = "Compare the pairs of lanes MECH.SIZE.w and MECH.SIZE.r: the copying "
		        "mechanisms show one write and one read per message with copy arrows in and "
		        "out, the shared mapping shows only futex calls and a few faults; then read "
		        "the cost claims, per message, side by side.",
		.look_zh = "逐对查看泳道 MECH.SIZE.w 和 MECH.SIZE.r："
		           "需要拷贝的机制每条消息一次写、一次读，拷入拷出各有一条拷贝箭头；"
		           "共享映射只有 futex 调用和少量缺页。再并排看各开销结论中每条消息的代价。",
		.programs = { "compare {dir} {sizes}" }, .check = check_compare,
	},
};

const struct mechanism mech_compare = {
	.name = "compare",
	.scenarios = compare_scenarios,
	.n_scenarios = sizeof(compare_scenarios) / sizeof(compare_scenarios[0]),
};
