// SPDX-License-Identifier: GPL-2.0
/*
 * mech/fifo/claims.c - the FIFO section of the course notes, checked against the trace.
 * FIFOs go through the same pipe probes; their objects have kind "fifo" and a path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "claims.h"
#include "claims_util.h"
#include "mechanism.h"


/* The k-th open of the scenario's FIFO path by pid (the loader's opens are not it). */
static long fifo_open(const struct timeline *tl, __u32 pid, int k)
{
	struct tl_filter f = syscall_of(pid, NR_openat);

	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f))
		if (path_is_fifo_arg(tl->ev[i].e->sc.path) && k-- == 0)
			return i;
	return -1;
}

static int fifo_object(const struct timeline *tl)
{
	for (size_t i = 0; i < tl->nobjs; i++)
		if (tl->objs[i].kind == OBJ_FIFO)
			return (int)i;
	return -1;
}

static long mkfifo_call(const struct timeline *tl, __u32 pid)
{
	struct tl_filter f = syscall_of(pid, NR_mknodat);

	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f))
		if ((tl->ev[i].e->sc.args[2] & S_IFMT) == S_IFIFO)
			return i;
	return -1;
}

static bool data_is(const struct ipclab_pipe_io *x, const char *s)
{
	size_t n = strlen(s);

	return x->result == (__s64)n && x->data_len >= (n < 16 ? n : 16) &&
	       memcmp(x->head, s, n < 16 ? n : 16) == 0;
}

static void check_fifo_hello(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *w = role(tl, "writer"), *r = role(tl, "reader");
	int obj = fifo_object(tl);
	long wo = w ? fifo_open(tl, w->pid, 0) : -1, ro = r ? fifo_open(tl, r->pid, 0) : -1;
	long mk = w ? mkfifo_call(tl, w->pid) : -1;
	long wr = w && obj >= 0 ? nth(tl, pipe_io(w->pid, 1, obj), 0) : -1;
	long rd = r && obj >= 0 ? nth(tl, pipe_io(r->pid, 0, obj), 0) : -1;
	struct claim *c;

	c = claim_new(cs, "unrelated", "Two unrelated processes (not parent and child, no shared "
		      "descriptors) reach the same FIFO by opening its path");
	claim_zh(c, "两个无血缘关系的进程（不是父子，也不共享描述符）通过打开同一路径访问同一个 FIFO");
	if (need_zh(c, wo >= 0 && ro >= 0 ? w : NULL, "opens of the FIFO by writer and reader",
		    "写者和读者对 FIFO 的 open()")) {
		claim_cite(c, wo);
		claim_cite(c, ro);
		claim_result(c, !tl_is_ancestor(tl, w->pid, r->pid) &&
			     !tl_is_ancestor(tl, r->pid, w->pid) && obj >= 0 &&
			     tl->ev[wo].obj == obj && tl->ev[ro].obj == obj &&
			     tl_count(tl, &(struct tl_filter){ .type = EVT_SYSCALL, .write = -1,
				      .obj = obj, .pid = 0, .nr = NR_pipe2 }) == 0,
			     "writer %u and reader %u (parents %u, %u) opened object %d by path",
			     w->pid, r->pid, w->ppid, r->ppid, obj);
		claim_detail_zh(c, "写者 %u 与读者 %u（父进程分别为 %u、%u）按路径打开了对象 %d",
				w->pid, r->pid, w->ppid, r->ppid, obj);
	}

	c = claim_new(cs, "mkfifo", "Process A creates the FIFO with mkfifo (a file of type p)");
	claim_zh(c, "进程 A 用 mkfifo 创建 FIFO（一个类型为 p 的文件）");
	if (need_zh(c, mk >= 0 ? w : NULL, "mknodat(S_IFIFO) by the writer",
		    "写者的 mknodat(S_IFIFO)")) {
		claim_cite(c, mk);
		claim_result(c, tl->ev[mk].e->sc.ret == 0 && (ro < 0 || tl->ev[mk].t < tl->ev[ro].t),
			     "mknodat(%.*s, S_IFIFO|0%llo) returned %lld", IPCLAB_PATH_LEN,
			     tl->ev[mk].e->sc.path,
			     (unsigned long long)(tl->ev[mk].e->sc.args[2] & 0777),
			     (long long)tl->ev[mk].e->sc.ret);
		claim_detail_zh(c, "mknodat(%.*s, S_IFIFO|0%llo) 返回 %lld", IPCLAB_PATH_LEN,
				tl->ev[mk].e->sc.path,
				(unsigned long long)(tl->ev[mk].e->sc.args[2] & 0777),
				(long long)tl->ev[mk].e->sc.ret);
	}

	c = claim_new(cs, "through-kernel", "\"hello world\" is written into the kernel buffer "
		      "and read out of it: the FIFO file only names the channel");
	claim_zh(c, "\"hello world\" 被写入内核缓冲区再从中读出：FIFO 文件只是给通道起了个名字");
	if (need_zh(c, wr >= 0 && rd >= 0 ? w : NULL, "write and read on the FIFO",
		    "FIFO 上的写入与读取")) {
		claim_cite(c, wr);
		claim_cite(c, rd);
		claim_result(c, data_is(io(tl, wr), "hello world") && data_is(io(tl, rd), "hello world")
			     && tl->objs[obj].kind == OBJ_FIFO && tl->objs[obj].path[0],
			     "write of %lld bytes into FIFO %s; read of %lld bytes",
			     (long long)io(tl, wr)->result, tl->objs[obj].path,
			     (long long)io(tl, rd)->result);
		claim_detail_zh(c, "向 FIFO %s 写入 %lld 字节；读出 %lld 字节", tl->objs[obj].path,
				(long long)io(tl, wr)->result, (long long)io(tl, rd)->result);
	}
}

static void check_fifo_open_blocks(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *w = role(tl, "writer"), *r = role(tl, "reader");
	long ro = r ? fifo_open(tl, r->pid, 0) : -1, wo = w ? fifo_open(tl, w->pid, 0) : -1;
	long blk = ro >= 0 ? tl_block_in(tl, ro) : -1;
	const struct tl_event *b = blk >= 0 ? &tl->ev[blk] : NULL;
	struct claim *c;

	/* Not a duration: under load the reader may reach open() late and sleep less than the
	 * writer's pause; what the rule says is that it slept until the writer's open. */
	c = claim_new(cs, "open-blocks", "open(O_RDONLY) of a FIFO blocks until a writer opens it");
	claim_zh(c, "打开 FIFO 的 open(O_RDONLY) 会阻塞，直到有写者打开它");
	if (need_zh(c, ro >= 0 ? r : NULL, "the reader's open",
		    "读者的 open()")) {
		claim_cite(c, ro);
		claim_cite(c, blk);
		char slept[32] = "never slept", slept_zh[48] = "从未睡眠";

		if (b) {
			snprintf(slept, sizeof(slept), "slept %.1f ms", b->dur / 1e6);
			snprintf(slept_zh, sizeof(slept_zh), "睡眠了 %.1f ms", b->dur / 1e6);
		}
		claim_result(c, b && wo >= 0 && tl->ev[ro].t < tl->ev[wo].t &&
			     tl_end(b) >= tl->ev[wo].t, "the open %s%s", slept,
			     wo < 0 ? "; the writer never opened" :
			     tl->ev[ro].t >= tl->ev[wo].t ? "; it began after the writer's open" :
			     b && tl_end(b) < tl->ev[wo].t ? ", and woke before the writer's open" : "");
		claim_detail_zh(c, "open() %s%s", slept_zh,
				wo < 0 ? "；写者从未打开 FIFO" :
				tl->ev[ro].t >= tl->ev[wo].t ? "；它在写者的 open() 之后才开始" :
				b && tl_end(b) < tl->ev[wo].t ? "，并在写者的 open() 之前就醒了" : "");
	}

	c = claim_new(cs, "writer-open-releases", "The writer's open of the same FIFO wakes it");
	claim_zh(c, "写者对同一 FIFO 的 open() 唤醒了它");
	if (need_zh(c, b && wo >= 0 ? w : NULL, "blocked open and the writer's open",
		    "阻塞的 open() 与写者的 open()")) {
		claim_cite(c, wo);
		claim_result(c, b->e->blk.waker_pid == w->pid && b->e->blk.waker_nr == NR_openat &&
			     tl->ev[ro].obj >= 0 && tl->ev[ro].obj == tl->ev[wo].obj &&
			     tl_end(&tl->ev[ro]) >= tl->ev[wo].t,
			     "woken by pid %u in syscall %d; both opened object %d", b->e->blk.waker_pid,
			     b->e->blk.waker_nr, tl->ev[ro].obj);
		claim_detail_zh(c, "被 pid %u 在系统调用 %d 中唤醒；双方打开的都是对象 %d",
				b->e->blk.waker_pid, b->e->blk.waker_nr, tl->ev[ro].obj);
	}
}

static void check_fifo_enoent(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *p = role(tl, "reader-first");
	long o = p ? fifo_open(tl, p->pid, 0) : -1;
	struct claim *c;

	c = claim_new(cs, "enoent", "Opening a FIFO that nobody has created yet fails with ENOENT");
	claim_zh(c, "打开一个还没有人创建的 FIFO 以 ENOENT 失败");
	if (need_zh(c, o >= 0 ? p : NULL, "the open",
		    "open()")) {
		claim_cite(c, o);
		claim_result(c, tl->ev[o].e->sc.ret == -ENOENT, "open(%.*s) returned %lld", IPCLAB_PATH_LEN,
			     tl->ev[o].e->sc.path, (long long)tl->ev[o].e->sc.ret);
		claim_detail_zh(c, "open(%.*s) 返回 %lld", IPCLAB_PATH_LEN, tl->ev[o].e->sc.path,
				(long long)tl->ev[o].e->sc.ret);
	}
	c = claim_new(cs, "no-channel", "No kernel buffer exists: there is no FIFO object");
	claim_zh(c, "不存在内核缓冲区：没有 FIFO 对象");
	/* the failed open, and the exit after which the trace still holds no FIFO */
	claim_cite(c, o);
	claim_cite(c, p ? nth(tl, events_of(p->pid, EVT_EXIT), 0) : -1);
	claim_result(c, o >= 0 && fifo_object(tl) < 0, "%s",
		     fifo_object(tl) < 0 ? "no FIFO object in the trace" : "a FIFO object exists");
	claim_detail_zh(c, "%s", fifo_object(tl) < 0 ? "跟踪中没有 FIFO 对象" : "存在一个 FIFO 对象");
}

/* Was open record o made with this access mode and O_NONBLOCK? (openat: flags are args[2]) */
static bool opened_nonblock(const struct timeline *tl, long o, int accmode)
{
	__u64 flags = tl->ev[o].e->sc.args[2];

	return (flags & O_ACCMODE) == (__u64)accmode && (flags & O_NONBLOCK);
}

static void check_fifo_nonblock_open(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *p = role(tl, "nonblock");
	long o[3];
	struct claim *c;

	for (int k = 0; k < 3; k++)
		o[k] = p ? fifo_open(tl, p->pid, k) : -1;

	c = claim_new(cs, "wronly-enxio", "open(O_WRONLY|O_NONBLOCK) with no reader fails with "
		      "ENXIO");
	claim_zh(c, "没有读者时 open(O_WRONLY|O_NONBLOCK) 以 ENXIO 失败");
	if (need_zh(c, o[0] >= 0 ? p : NULL, "first open",
		    "第一次 open()")) {
		claim_cite(c, o[0]);
		claim_result(c, tl->ev[o[0]].e->sc.ret == -ENXIO && opened_nonblock(tl, o[0], O_WRONLY),
			     "returned %lld", (long long)tl->ev[o[0]].e->sc.ret);
		claim_detail_zh(c, "open() 返回 %lld", (long long)tl->ev[o[0]].e->sc.ret);
	}
	c = claim_new(cs, "rdonly-succeeds", "open(O_RDONLY|O_NONBLOCK) succeeds at once with no "
		      "writer");
	claim_zh(c, "没有写者时 open(O_RDONLY|O_NONBLOCK) 立即成功");
	if (need_zh(c, o[1] >= 0 ? p : NULL, "second open",
		    "第二次 open()")) {
		claim_cite(c, o[1]);
		claim_result(c, tl->ev[o[1]].e->sc.ret >= 0 && tl_block_in(tl, o[1]) < 0 &&
			     tl->ev[o[1]].e->sc.pipe.writers == 0 &&
			     opened_nonblock(tl, o[1], O_RDONLY),
			     "returned fd %lld, %u writers", (long long)tl->ev[o[1]].e->sc.ret,
			     tl->ev[o[1]].e->sc.pipe.writers);
		claim_detail_zh(c, "open() 返回文件描述符 %lld，此时写端 %u 个",
				(long long)tl->ev[o[1]].e->sc.ret, tl->ev[o[1]].e->sc.pipe.writers);
	}
	c = claim_new(cs, "wronly-with-reader", "Once a reader exists, open(O_WRONLY|O_NONBLOCK) "
		      "succeeds");
	claim_zh(c, "有了读者之后，open(O_WRONLY|O_NONBLOCK) 成功");
	if (need_zh(c, o[2] >= 0 ? p : NULL, "third open",
		    "第三次 open()")) {
		claim_cite(c, o[2]);
		claim_result(c, tl->ev[o[2]].e->sc.ret >= 0 && tl->ev[o[2]].e->sc.pipe.readers == 1 &&
			     opened_nonblock(tl, o[2], O_WRONLY),
			     "returned fd %lld with %u reader(s)", (long long)tl->ev[o[2]].e->sc.ret,
			     tl->ev[o[2]].e->sc.pipe.readers);
		claim_detail_zh(c, "open() 返回文件描述符 %lld，此时读端 %u 个",
				(long long)tl->ev[o[2]].e->sc.ret, tl->ev[o[2]].e->sc.pipe.readers);
	}
}

static void check_fifo_lseek(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *p = role(tl, "seeker");
	int obj = fifo_object(tl);
	long sk = p ? nth(tl, syscall_of(p->pid, NR_lseek), 0) : -1;
	long wr = p && obj >= 0 ? nth(tl, pipe_io(p->pid, 1, obj), 0) : -1;
	long rd = p && obj >= 0 ? nth(tl, pipe_io(p->pid, 0, obj), 0) : -1;
	struct claim *c;

	c = claim_new(cs, "espipe", "lseek on a FIFO fails with ESPIPE: there is no file position");
	claim_zh(c, "对 FIFO 调用 lseek 以 ESPIPE 失败：它没有文件位置");
	if (need(c, sk >= 0 ? p : NULL, "lseek")) {
		claim_cite(c, sk);
		claim_result(c, tl->ev[sk].e->sc.ret == -ESPIPE && tl->ev[sk].obj == obj && obj >= 0,
			     "lseek returned %lld on object %d", (long long)tl->ev[sk].e->sc.ret,
			     tl->ev[sk].obj);
		claim_detail_zh(c, "对对象 %d 的 lseek 返回 %lld", tl->ev[sk].obj,
				(long long)tl->ev[sk].e->sc.ret);
	}
	c = claim_new(cs, "first-in-first-out", "Reads return the data in the order it was "
		      "written, from the beginning");
	claim_zh(c, "read() 从头开始，按写入的顺序返回数据");
	if (need_zh(c, wr >= 0 && rd >= 0 ? p : NULL, "write and read",
		    "写入与读取")) {
		claim_cite(c, wr);
		claim_cite(c, rd);
		claim_result(c, data_is(io(tl, wr), "abcde") && data_is(io(tl, rd), "abcde"),
			     "wrote %lld bytes, read %lld", (long long)io(tl, wr)->result,
			     (long long)io(tl, rd)->result);
		claim_detail_zh(c, "写入 %lld 字节，读出 %lld 字节", (long long)io(tl, wr)->result,
				(long long)io(tl, rd)->result);
	}
}

static void check_fifo_on_disk(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *p = role(tl, "ondisk");
	int obj = fifo_object(tl);
	long st = p ? nth(tl, syscall_of(p->pid, NR_newfstatat), 0) : -1;
	long wr = p && obj >= 0 ? nth(tl, pipe_io(p->pid, 1, obj), 0) : -1;
	long rd = p && obj >= 0 ? nth(tl, pipe_io(p->pid, 0, obj), 0) : -1;
	struct claim *c;

	/* the first newfstatat on the FIFO's path (stdio's fstat of stdout has no path) */
	while (st >= 0 && !path_is_fifo_arg(tl->ev[st].e->sc.path))
		st = tl_next(tl, st, &(struct tl_filter){ .type = EVT_SYSCALL, .write = -1, .obj = -1,
			     .pid = p->pid, .nr = NR_newfstatat });
	c = claim_new(cs, "size-zero-while-full", "On disk the FIFO is a file of type p and size "
		      "0, while its data (100 bytes) sits in the kernel buffer");
	claim_zh(c, "在磁盘上 FIFO 是一个类型为 p、大小为 0 的文件，而它的数据（100 字节）"
		 "存放在内核缓冲区中");
	if (need_zh(c, st >= 0 && wr >= 0 && rd >= 0 ? p : NULL, "write, stat and read",
		    "写入、stat 与读取")) {
		const struct ipclab_syscall *sc = &tl->ev[st].e->sc;

		claim_cite(c, wr);
		claim_cite(c, st);
		claim_cite(c, rd);
		claim_result(c, (sc->stat_mode & S_IFMT) == S_IFIFO && sc->stat_size == 0 &&
			     io(tl, wr)->after.bytes == 100 && tl->ev[st].t > tl_end(&tl->ev[wr]) &&
			     tl_end(&tl->ev[st]) < tl->ev[rd].t && io(tl, rd)->bytes_before == 100,
			     "stat: mode 0%o, size %llu; kernel buffer %u bytes before, %u at the read",
			     sc->stat_mode, (unsigned long long)sc->stat_size,
			     io(tl, wr)->after.bytes, io(tl, rd)->bytes_before);
		claim_detail_zh(c, "stat：st_mode 0%o，大小 %llu；内核缓冲区在 stat 之前有 %u 字节，"
				"读取时有 %u 字节", sc->stat_mode, (unsigned long long)sc->stat_size,
				io(tl, wr)->after.bytes, io(tl, rd)->bytes_before);
	}
}

static void check_fifo_unlink(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *p = role(tl, "unlinker");
	int obj = fifo_object(tl);
	long ul = p ? nth(tl, syscall_of(p->pid, NR_unlink_libc), 0) : -1;
	long wr = p && obj >= 0 ? nth(tl, pipe_io(p->pid, 1, obj), 0) : -1;
	long rd = p && obj >= 0 ? nth(tl, pipe_io(p->pid, 0, obj), 0) : -1;
	long again = p ? fifo_open(tl, p->pid, 1) : -1;
	struct claim *c;

	c = claim_new(cs, "works-after-unlink", "After unlink the open FIFO still carries data: "
		      "the name is gone, the kernel buffer is not");
	claim_zh(c, "unlink 之后，已打开的 FIFO 仍能传输数据：名字没了，内核缓冲区还在");
	if (need_zh(c, ul >= 0 && wr >= 0 && rd >= 0 ? p : NULL, "unlink, write and read",
		    "unlink、写入与读取")) {
		claim_cite(c, ul);
		claim_cite(c, wr);
		claim_cite(c, rd);
		claim_result(c, tl->ev[ul].e->sc.ret == 0 && tl_end(&tl->ev[ul]) < tl->ev[wr].t &&
			     data_is(io(tl, wr), "still here") && data_is(io(tl, rd), "still here"),
			     "unlink returned %lld; then wrote %lld and read %lld bytes",
			     (long long)tl->ev[ul].e->sc.ret, (long long)io(tl, wr)->result,
			     (long long)io(tl, rd)->result);
		claim_detail_zh(c, "unlink 返回 %lld；随后写入 %lld 字节，读出 %lld 字节",
				(long long)tl->ev[ul].e->sc.ret, (long long)io(tl, wr)->result,
				(long long)io(tl, rd)->result);
	}
	c = claim_new(cs, "name-gone", "Opening the path again fails with ENOENT");
	claim_zh(c, "再次打开该路径以 ENOENT 失败");
	if (need_zh(c, again >= 0 && ul >= 0 ? p : NULL, "unlink and a second open",
		    "unlink 与第二次 open()")) {
		claim_cite(c, ul);
		claim_cite(c, again);
		claim_result(c, tl->ev[again].e->sc.ret == -ENOENT &&
			     tl->ev[again].t > tl_end(&tl->ev[ul]),
			     "open returned %lld, %s the unlink", (long long)tl->ev[again].e->sc.ret,
			     tl->ev[again].t > tl_end(&tl->ev[ul]) ? "after" : "before");
		claim_detail_zh(c, "open() 返回 %lld，发生在 unlink %s",
				(long long)tl->ev[again].e->sc.ret,
				tl->ev[again].t > tl_end(&tl->ev[ul]) ? "之后" : "之前");
	}
}

/* ---------------------------------------------------------------- the scenarios */

static const struct scenario fifo_scenarios[] = {
	{
		.name = "fifo_hello", .section = "fifo",
		.summary = "two unrelated processes: A mkfifo()s and writes \"hello world\", B reads it",
		.rule_zh = "通过FIFO,不相关的进程也能通信",
		.explain = "Two programs started separately share no descriptors: the writer creates "
			   "the FIFO with mkfifo (mknodat S_IFIFO), both open it by path, and the 11 "
			   "bytes cross the same kernel buffer a pipe uses.",
		.summary_zh = "两个无血缘关系的进程：A 用 mkfifo() 创建 FIFO 并写入 \"hello world\"，B 读出",
		.explain_zh = "分别启动的两个程序不共享任何描述符：写者用 mkfifo（mknodat S_IFIFO）"
			      "创建 FIFO，双方按路径打开它，这 11 个字节经过的正是管道所用的同一种"
			      "内核缓冲区。",
		.look = "Two unrelated lanes, no fork: the writer's openat(O_WRONLY) is a blocked bar "
		        "of about 200 ms that ends when the reader's openat(O_RDONLY) arrives. Then "
		        "write 11 and read 11, and the writer's close gives the second read a 0.",
		.look_zh = "两条无血缘关系的泳道，没有 fork：写者的 openat(O_WRONLY) 是一段约"
		           " 200 ms 的阻塞条，直到读者的 openat(O_RDONLY) 到来才一起结束。"
		           "随后 write 11 字节、read 11 字节；写者 close 后，"
		           "第二次 read 返回 0。",
		.programs = { "fifo_hello_writer {dir}/myfifo", "fifo_hello_reader {dir}/myfifo" },
		.check = check_fifo_hello,
	},
	{
		.name = "fifo_open_blocks", .section = "fifo",
		.summary = "open() of a FIFO blocks until the other end is opened",
		.rule_zh = "调用open函数打开myfifo文件",
		.explain = "The reader's open(O_RDONLY) sleeps ~200 ms; the writer's open(O_WRONLY) "
			   "of the same FIFO is what wakes it (sched_waking names it).",
		.summary_zh = "打开 FIFO 的 open() 会阻塞，直到另一端也被打开",
		.explain_zh = "读者的 open(O_RDONLY) 睡眠约 200 ms；唤醒它的是写者对同一 FIFO 的 open(O_WRONLY)（"
			      "sched_waking 指明了这一点）。",
		.look = "The reader's openat(O_RDONLY) is a blocked bar of about 200 ms before any "
		        "data exists; follow the wake-up arrow from the writer's openat(O_WRONLY), "
		        "which returns at once. Then read 5 and read 0.",
		.look_zh = "读者的 openat(O_RDONLY) 在还没有任何数据时就是一段约 200 ms 的"
		           "阻塞条；顺着唤醒箭头看到写者的 openat(O_WRONLY)，"
		           "它立即返回。之后 read 返回 5，再返回 0。",
		.programs = { "fifo_open_wait_reader {dir}/myfifo", "fifo_open_wait_writer {dir}/myfifo" },
		.check = check_fifo_open_blocks,
	},
	{
		.name = "fifo_enoent", .section = "fifo",
		.summary = "B started before A created the FIFO: open fails with ENOENT",
		.rule_zh = "注意:myfifo文件是在进程A中创建的，如果先启动进程B就会报错。",
		.explain = "Without the FIFO file there is nothing to open: openat returns -ENOENT "
			   "and no kernel buffer exists.",
		.summary_zh = "B 在 A 创建 FIFO 之前启动：open() 以 ENOENT 失败",
		.explain_zh = "没有 FIFO 文件就无从打开：openat 返回 -ENOENT，"
			      "也不存在内核缓冲区。",
		.look = "A single openat(O_RDONLY) returns -ENOENT at once, with no blocked bar: the "
		        "name lookup failed, and no FIFO object appears in the \"kernel buffer at the cursor\" panel.",
		.look_zh = "只有一次 openat(O_RDONLY)，立即返回 -ENOENT，"
		           "没有阻塞条：按名字查找失败，“游标时刻的内核缓冲区”面板中也没有出现任何 FIFO 对象。",
		.programs = { "fifo_enoent {dir}/myfifo" }, .check = check_fifo_enoent,
	},
	{
		.name = "fifo_nonblock_open", .section = "fifo",
		.summary = "O_NONBLOCK open: for writing with no reader -> ENXIO; for reading -> ok",
		.rule_zh = "当创建了一个fifo，就可以使用open函数打开它",
		.explain = "A non-blocking open cannot wait for a partner: with no reader a writer "
			   "gets ENXIO, while a reader succeeds at once.",
		.summary_zh = "O_NONBLOCK 打开：无读者时以写方式打开得到 ENXIO；"
			      "以读方式打开则成功",
		.explain_zh = "非阻塞的 open() 不能等待另一方：没有读者时写者得到 ENXIO，"
			      "而读者立即成功。",
		.look = "Three openat calls 20 ms apart and no blocked bar: O_WRONLY|O_NONBLOCK gets "
		        "-ENXIO while nobody reads, O_RDONLY|O_NONBLOCK gets an fd, and then "
		        "O_WRONLY|O_NONBLOCK succeeds too.",
		.look_zh = "三次 openat 相隔 20 ms，没有一条阻塞条：没有读者时 O_WRONLY|O_NONBLOCK 返"
		           "回 -ENXIO，O_RDONLY|O_NONBLOCK 得到 fd，"
		           "之后 O_WRONLY|O_NONBLOCK 也成功了。",
		.programs = { "fifo_nonblock_open {dir}/myfifo" }, .check = check_fifo_nonblock_open,
	},
	{
		.name = "fifo_lseek", .section = "fifo",
		.summary = "lseek on a FIFO fails with ESPIPE; data comes out first in, first out",
		.rule_zh = "它们不支持诸如lseek等文件定位操作",
		.explain = "A FIFO has no file position: lseek returns -ESPIPE, and reads return "
			   "the bytes in the order they were written.",
		.summary_zh = "对 FIFO 调用 lseek 以 ESPIPE 失败；数据先进先出",
		.explain_zh = "FIFO 没有文件位置：lseek 返回 -ESPIPE，read() 按写入的顺序返回数据。",
		.look = "openat(O_RDWR) returns at once; after write 5 \"abcde\" the lseek returns "
		        "-ESPIPE, and the read still returns the 5 bytes from the oldest one: the "
		        "FIFO's buffer only goes first in, first out.",
		.look_zh = "openat(O_RDWR) 立即返回；write 5 字节 \"abcde\" 之后，"
		           "lseek 返回 -ESPIPE，read 仍从最早的字节开始读回这 5 字节："
		           "FIFO 的缓冲区只能先进先出。",
		.programs = { "fifo_lseek {dir}/myfifo" }, .check = check_fifo_lseek,
	},
	{
		.name = "fifo_on_disk", .section = "fifo",
		.summary = "the FIFO file has type p and size 0 while data sits in the kernel buffer",
		.rule_zh = "FIFO文件在磁盘上没有数据块，文件大小为0，仅仅用来表示内核中一条通道",
		.explain = "stat() on the path says type p (S_IFIFO), size 0, at the moment the "
			   "kernel buffer holds 100 bytes.",
		.summary_zh = "数据存放在内核缓冲区时，FIFO 文件的类型为 p、"
			      "大小为 0",
		.explain_zh = "在内核缓冲区存有 100 字节的同一时刻，对该路径 stat() 得到类型 p（S_IFIFO）"
			      "、大小 0。",
		.look = "The \"kernel buffer at the cursor\" panel holds 100 bytes after the write, yet newfstatat on the path "
		        "reports S_IFIFO and size 0, before and after the read: the file on disk only "
		        "names the kernel buffer.",
		.look_zh = "write 之后“游标时刻的内核缓冲区”面板显示有 100 字节，但对路径的 newfstatat 报告 S_IFIFO、"
		           "大小为 0，read 前后都是如此：磁盘上的文件只是内核缓冲区的名字。",
		.programs = { "fifo_on_disk {dir}/myfifo" }, .check = check_fifo_on_disk,
	},
	{
		.name = "fifo_unlink", .section = "fifo",
		.summary = "unlink while open: the channel keeps working, the name is gone",
		.rule_zh = "常见的文件IO函数都可用于fifo。如close, read,write,unlink等",
		.explain = "unlink removes the name only; the open file keeps the kernel buffer "
			   "alive, and a new open of the path fails with ENOENT.",
		.summary_zh = "打开期间 unlink：通道照常工作，名字已经消失",
		.explain_zh = "unlink 只删除名字；打开的文件使内核缓冲区继续存在，"
			      "而再次按路径 open() 以 ENOENT 失败。",
		.look = "unlink returns 0, yet the following write 10 and read 10 still go through the "
		        "same FIFO object; only a new openat on the path fails with -ENOENT.",
		.look_zh = "unlink 返回 0 之后，接下来的 write 10 字节和 read 10 字节仍"
		           "然经过同一个 FIFO 对象；只有再按路径 openat 才返回 -ENOENT。",
		.programs = { "fifo_unlink {dir}/myfifo" }, .check = check_fifo_unlink,
	},
};

const struct mechanism mech_fifo = {
	.name = "fifo",
	.scenarios = fifo_scenarios,
	.n_scenarios = sizeof(fifo_scenarios) / sizeof(fifo_scenarios[0]),
};
