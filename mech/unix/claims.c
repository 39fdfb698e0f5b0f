// SPDX-License-Identifier: GPL-2.0
/*
 * mech/unix/claims.c - local (Unix domain) sockets, the notes' "4）本地套接字，最稳定",
 * checked against the trace.
 *
 * Every decision reads kernel events: socket send/receive records (EVT_SOCK_IO: the receiving
 * socket's queue in bytes and skbs before and after the call, the sender's charge against its
 * sk_sndbuf, the receiver's backlog limit), socket syscalls resolved to their struct sock
 * (EVF_SOCK), sleeps with their wakers, signals and exits.  Roles are the names the lab
 * programs gave themselves with prctl(PR_SET_NAME), never anything they printed.
 *
 * Kernel versions.  An skb's memory cost (its truesize: struct sk_buff plus its head
 * allocation) differs between kernel versions and architectures, and so does everything that
 * follows from it: how many writes fit in a stream writer's budget, which read wakes it.  Those
 * are claimed as the kernel's rule, checked against the charge and the limit the trace
 * recorded; the numbers measured on 6.18 x86_64 (mech/unix/NOTES.md) appear in the texts and
 * comments only, marked "6.18 x86_64".  What does not depend on skb sizes (bytes and skbs
 * queued, the datagram backlog, EMSGSIZE at sk_sndbuf - 32, SO_SNDBUF doubling) is exact.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "claims.h"
#include "claims_util.h"
#include "mechanism.h"

#define RCV_SHUTDOWN_	1	/* sk_shutdown bits (include/net/sock.h) */
#define SEND_SHUTDOWN_	2

/* ---------------------------------------------------------------- helpers */

static inline const struct ipclab_sock_io *skio(const struct timeline *tl, long i)
{
	return &tl->ev[i].e->sk;
}

static struct tl_filter sock_io(__u32 pid, int write, int obj)
{
	struct tl_filter f = TL_ANY;

	f.type = EVT_SOCK_IO;
	f.pid = pid;
	f.write = write;
	f.obj = obj;
	return f;
}

/* The k-th send (write 1) or receive (0) of p on obj (-1: any), or -1. */
static long sio(const struct timeline *tl, const struct tl_process *p, int write, int obj, int k)
{
	return p ? nth(tl, sock_io(p->pid, write, obj), k) : -1;
}

static bool same_nr(int nr, int want)
{
	return nr == want || (want == NR_accept && nr == NR_accept4);	/* libc's accept() */
}

/* The k-th socket syscall `nr` of p that the kernel side resolved to a Unix socket. */
static long sock_call(const struct timeline *tl, const struct tl_process *p, int nr, int k)
{
	struct tl_filter f = TL_ANY;

	if (!p)
		return -1;
	f.type = EVT_SYSCALL;
	f.pid = p->pid;
	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f))
		if (same_nr(tl->ev[i].e->nr, nr) && (tl->ev[i].e->flags & EVF_SOCK) && k-- == 0)
			return i;
	return -1;
}

/* p's close() of an fd of object obj (a socket or a pipe), the first one, or -1. */
static long close_of(const struct timeline *tl, const struct tl_process *p, int obj)
{
	struct tl_filter f = TL_ANY;

	if (!p || obj < 0)
		return -1;
	f = syscall_of(p->pid, NR_close);
	f.obj = obj;
	return tl_next(tl, -1, &f);
}

static long signal_to(const struct timeline *tl, const struct tl_process *p, int sig)
{
	struct tl_filter f = TL_ANY;

	if (!p)
		return -1;
	f.type = EVT_SIGNAL;
	f.pid = p->pid;
	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f))
		if (tl->ev[i].e->sig.sig == sig)
			return i;
	return -1;
}

static long exit_of(const struct timeline *tl, const struct tl_process *p)
{
	return p ? nth(tl, events_of(p->pid, EVT_EXIT), 0) : -1;
}

/* The EVT_BLOCK the call i slept in, or NULL. */
static const struct tl_event *sleep_in(const struct timeline *tl, long i)
{
	long b = i >= 0 ? tl_block_in(tl, i) : -1;

	return b >= 0 ? &tl->ev[b] : NULL;
}

/* "write", or "syscall 1234" when unnamed; "no syscall" for -1 (an interrupt or a timer) */
static const char *nr_name(char buf[32], int nr)
{
	const char *n = nr >= 0 ? syscall_name(nr) : NULL;

	if (n)
		return n;
	if (nr < 0)
		return "no syscall";
	snprintf(buf, 32, "syscall %d", nr);
	return buf;
}

/* nr_name() for a Chinese detail: a syscall's name stays as it is */
static const char *nr_name_zh(char buf[32], int nr)
{
	const char *n = nr >= 0 ? syscall_name(nr) : NULL;

	if (n)
		return n;
	if (nr < 0)
		return "无系统调用";
	snprintf(buf, 32, "系统调用 %d", nr);
	return buf;
}

static bool woken_by(const struct tl_event *b, const struct tl_process *p, int nr)
{
	return b && p && b->e->blk.waker_pid == p->pid && b->e->blk.waker_nr == nr;
}

/*
 * The call of p (direction write, on obj) that woke the sleeper of block b: the last one that
 * began before the wake-up (the waker was inside it).  *ordinal: its 0-based number among p's
 * calls of that kind.
 */
static long waking_call(const struct timeline *tl, const struct tl_event *b,
			const struct tl_process *p, int write, int obj, int *ordinal)
{
	__u64 wake = b->e->blk.ts_wake ? b->e->blk.ts_wake : tl->t0 + tl_end(b);
	struct tl_filter f = sock_io(p->pid, write, obj);
	long best = -1;
	int k = 0;

	*ordinal = -1;
	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f), k++) {
		if (tl->t0 + tl->ev[i].t > wake)
			break;
		best = i;
		*ordinal = k;
	}
	return best;
}

/*
 * A stream writer may allocate another skb while its charge is below sk_sndbuf
 * (sock_alloc_send_pskb(): sk_wmem_alloc_get() < sk_sndbuf; the charge recorded is that
 * value, SIOCOUTQ).  A sleeping writer is woken once 4 x sk_wmem_alloc <= sk_sndbuf
 * (unix_writable(); sk_wmem_alloc is the charge + 1).
 */
static bool budget_left(__u32 charge, __u32 sndbuf)
{
	return charge < sndbuf;
}

static bool writable(__u32 charge, __u32 sndbuf)
{
	return 4ULL * (charge + 1ULL) <= sndbuf;
}

/*
 * Calls k = 0..n-1 of p on obj in one direction: results, and the queue after each (bytes and
 * skbs), must match.  The claim's detail lists what the trace showed.
 */
static bool check_queue(const struct timeline *tl, struct claim *c, const struct tl_process *p,
			int write, int obj, int n, const __s64 *result, const __u32 *occ,
			const __u32 *skbs)
{
	char seen[sizeof(c->detail) - 48], seen_zh[sizeof(c->detail_zh) - 96], rb[32];
	struct claim_list l, lz;
	bool ok = true;

	claim_list_init(&l, seen, sizeof(seen), ", ");
	claim_list_init_zh(&lz, seen_zh, sizeof(seen_zh), "，");
	for (int k = 0; k < n; k++) {
		long i = sio(tl, p, write, obj, k);

		if (i < 0) {
			claim_result(c, false, "only %d of %d %s traced", k, n,
				     write ? "sends" : "receives");
			claim_detail_zh(c, "%d 次%s中只记录到 %d 次", n,
					write ? "发送" : "接收", k);
			return false;
		}
		claim_cite(c, i);
		ok &= skio(tl, i)->result == result[k] && skio(tl, i)->occ_after == occ[k] &&
		      skio(tl, i)->skbs_after == skbs[k];
		claim_list_add(&l, "%s->%u/%u", res(rb, skio(tl, i)->result),
			       skio(tl, i)->occ_after, skio(tl, i)->skbs_after);
		claim_list_add(&lz, "%s→%u/%u", rb, skio(tl, i)->occ_after,
			       skio(tl, i)->skbs_after);
	}
	claim_result(c, ok, "%s (result->bytes/skbs queued after): %s",
		     write ? "sends" : "receives", seen);
	claim_detail_zh(c, "%s（返回值→之后队列中的字节/skb 数）：%s", write ? "发送" : "接收",
			seen_zh);
	return ok;
}

/*
 * Sends k = 0..n-1 of p into obj (all traced), `size` bytes each, into a queue nobody reads:
 * each returns at once and adds one skb, leaving k + 1 skbs and (k + 1) x size bytes; with
 * `budget`, each also began with the writer's charge below its sk_sndbuf.
 */
static bool check_run(const struct timeline *tl, struct claim *c, const struct tl_process *p,
		      int obj, int n, __u32 size, bool budget)
{
	const struct ipclab_sock_io *x = NULL;
	char rb[32];

	for (int k = 0; k < n; k++) {
		long i = sio(tl, p, 1, obj, k);
		bool slept = tl_block_in(tl, i) >= 0;

		x = skio(tl, i);
		if (x->result != size || x->skbs_after != (__u32)k + 1 ||
		    x->occ_after != size * (k + 1) || slept ||
		    (budget && !budget_left(x->wmem_before, x->wmem_max))) {
			claim_cite(c, i);
			claim_result(c, false, "write %d returned %s%s, leaving %u bytes in %u "
				     "skbs; charge before it %u of %u", k + 1,
				     res(rb, x->result), slept ? " after sleeping" : "",
				     x->occ_after, x->skbs_after, x->wmem_before, x->wmem_max);
			claim_detail_zh(c, "第 %d 次写%s返回 %s，之后队列中有 %u 字节、%u 个 skb；"
					"写之前计费 %u / %u", k + 1, slept ? "在睡眠后" : "", rb,
					x->occ_after, x->skbs_after, x->wmem_before, x->wmem_max);
			return false;
		}
	}
	claim_cite(c, sio(tl, p, 1, obj, n - 1));
	claim_result(c, true, "%d writes returned at once, leaving %u bytes in %u skbs; "
		     "charge %u of %u", n, x->occ_after, x->skbs_after, x->wmem_after,
		     x->wmem_max);
	claim_detail_zh(c, "%d 次写都立即返回，之后队列中有 %u 字节、%u 个 skb；计费 %u / %u", n,
			x->occ_after, x->skbs_after, x->wmem_after, x->wmem_max);
	return true;
}

/* The number in a record's first bytes ("dgram #12", "rec 0042"), or -1 if not sampled. */
static int numbered(const struct ipclab_sock_io *x, const char *prefix)
{
	size_t n = strlen(prefix), have = x->data_len < IPCLAB_DATA_LEN ? x->data_len :
					  IPCLAB_DATA_LEN;
	int v = 0;

	if (have <= n || memcmp(x->head, prefix, n) != 0)
		return -1;
	for (size_t i = n; i < have && x->head[i] >= '0' && x->head[i] <= '9'; i++)
		v = v * 10 + (x->head[i] - '0');
	return v;
}

/* ---------------------------------------------------------------- socketpair transfer */

/* "stream", "dgram", "seqpacket": object id's kind (id may be -1) */
static const char *kind_name(const struct timeline *tl, int id)
{
	enum obj_kind k = id >= 0 ? tl->objs[id].kind : OBJ_PIPE;

	return k == OBJ_UNIX_STREAM ? "stream" : k == OBJ_UNIX_DGRAM ? "dgram" :
	       k == OBJ_UNIX_SEQPACKET ? "seqpacket" : "not a socket";
}

/* kind_name() for a Chinese detail: the socket types keep their names */
static const char *kind_name_zh(const struct timeline *tl, int id)
{
	const char *name = kind_name(tl, id);

	return strcmp(name, "not a socket") ? name : "不是套接字";
}

/* Are a and b the two ends the socketpair() call sp made? */
static bool pair_ends(const struct timeline *tl, long sp, int a, int b)
{
	int x = sp >= 0 ? tl->ev[sp].obj : -1, y = x >= 0 ? tl->objs[x].sock.peer : -1;

	return x >= 0 && y >= 0 && a != b && ((a == x && b == y) || (a == y && b == x));
}

static void check_unix_socketpair_transfer(const struct timeline *tl, struct claim_set *cs)
{
	/* The lab's four writes, each one skb on the reader's socket, never merged: the
	 * prototype probe showed 1000/1, 2000/2, 3000/3, 8000/4 on 6.18 (NOTES.md section 3);
	 * bytes and skb counts do not depend on the kernel. */
	static const __s64 results[] = { 1000, 1000, 1000, 5000 };
	static const __u32 occ[] = { 1000, 2000, 3000, 8000 }, skbs[] = { 1, 2, 3, 4 };
	const struct tl_process *w = role(tl, "writer"), *r = role(tl, "reader");
	long w0 = sio(tl, w, 1, -1, 0);
	int tx = w0 >= 0 ? tl->ev[w0].obj : -1, rx = w0 >= 0 ? tl->ev[w0].peer : -1;
	long sp = sock_call(tl, w, NR_socketpair, 0);
	long rd = rx >= 0 ? sio(tl, r, 0, rx, 0) : -1, eof = rx >= 0 ? sio(tl, r, 0, rx, 1) : -1;
	long cl = close_of(tl, w, tx);
	struct claim *c;
	bool ok = true;

	c = claim_new(cs, "two-ends", "socketpair() makes two connected stream sockets: the "
		      "writer writes into one, the reader reads from the other");
	claim_zh(c, "socketpair() 创建两个相连的流式套接字：写者写入其中一个，"
		 "读者从另一个读取");
	if (need_zh(c, sp >= 0 && rd >= 0 ? w : NULL, "socketpair, write and read",
		    "socketpair、写和读")) {
		claim_cite(c, sp);
		claim_result(c, tl->ev[sp].e->sc.ret == 0 && pair_ends(tl, sp, tx, rx) &&
			     tl->objs[tx].kind == OBJ_UNIX_STREAM &&
			     tl->objs[rx].kind == OBJ_UNIX_STREAM,
			     "socketpair returned %lld; writer on object %d (%s), reader on object %d "
			     "(%s)", (long long)tl->ev[sp].e->sc.ret, tx, kind_name(tl, tx), rx,
			     kind_name(tl, rx));
		claim_detail_zh(c, "socketpair 返回 %lld；写者在对象 %d（%s）上，"
				"读者在对象 %d（%s）上",
				(long long)tl->ev[sp].e->sc.ret, tx, kind_name_zh(tl, tx), rx,
				kind_name_zh(tl, rx));
	}

	c = claim_new(cs, "skb-per-write", "Writes of 1000, 1000, 1000 and 5000 bytes queue one "
		      "skb each on the reader's socket: 1000/1, 2000/2, 3000/3, 8000/4 bytes/skbs "
		      "(a pipe merges them)");
	claim_zh(c, "依次写入 1000、1000、1000、5000 字节，每次在读者套接字上排入一个 skb："
		 "字节/skb 数为 1000/1、2000/2、3000/3、8000/4（管道则会合并它们）");
	if (need_zh(c, tx >= 0 ? w : NULL, "write on a socket", "套接字上的写"))
		check_queue(tl, c, w, 1, tx, 4, results, occ, skbs);

	c = claim_new(cs, "charged-to-writer", "Each skb is charged to the writer's send buffer, "
		      "overhead included: the charge grows with every write and exceeds the bytes "
		      "queued");
	claim_zh(c, "每个 skb 连同开销都计入写者的发送缓冲区：计费随每次写入增长，"
		 "并超过排队的字节数");
	if (need_zh(c, sio(tl, w, 1, tx, 3) >= 0 ? w : NULL, "four writes", "四次写")) {
		__u32 last = 0;

		for (int k = 0; k < 4; k++) {
			const struct ipclab_sock_io *x = skio(tl, sio(tl, w, 1, tx, k));

			claim_cite(c, sio(tl, w, 1, tx, k));
			ok &= x->wmem_after > last && x->wmem_after > x->occ_after &&
			      x->wmem_after < x->wmem_max;
			last = x->wmem_after;
		}
		/* 6.18 x86_64: 2304, 4608, 6912, 13312 (NOTES.md section 3) */
		claim_result(c, ok, "charge after the writes: %u, %u, %u, %u bytes of %u",
			     skio(tl, sio(tl, w, 1, tx, 0))->wmem_after,
			     skio(tl, sio(tl, w, 1, tx, 1))->wmem_after,
			     skio(tl, sio(tl, w, 1, tx, 2))->wmem_after, last,
			     skio(tl, sio(tl, w, 1, tx, 3))->wmem_max);
		claim_detail_zh(c, "各次写之后的计费：%u、%u、%u、%u 字节（上限 %u）",
				skio(tl, sio(tl, w, 1, tx, 0))->wmem_after,
				skio(tl, sio(tl, w, 1, tx, 1))->wmem_after,
				skio(tl, sio(tl, w, 1, tx, 2))->wmem_after, last,
				skio(tl, sio(tl, w, 1, tx, 3))->wmem_max);
	}

	c = claim_new(cs, "one-copy-out", "One read copies all 8000 bytes out of the 4 skbs and "
		      "empties the queue: the boundaries between the writes are gone");
	claim_zh(c, "一次 read() 从 4 个 skb 中拷出全部 8000 字节并清空队列："
		 "写入之间的边界消失了");
	if (need_zh(c, rd >= 0 ? r : NULL, "read by the reader", "读者的 read")) {
		const struct ipclab_sock_io *x = skio(tl, rd);

		claim_cite(c, rd);
		claim_result(c, x->result == 8000 && x->occ_before == 8000 && x->skbs_before == 4 &&
			     x->occ_after == 0 && x->skbs_after == 0,
			     "read returned %lld; queue %u bytes/%u skbs -> %u/%u", (long long)x->result,
			     x->occ_before, x->skbs_before, x->occ_after, x->skbs_after);
		claim_detail_zh(c, "read 返回 %lld；队列 %u 字节/%u 个 skb → %u/%u",
				(long long)x->result, x->occ_before, x->skbs_before, x->occ_after,
				x->skbs_after);
	}

	c = claim_new(cs, "eof", "After the writer closes its socket, the reader's next read "
		      "returns 0 (end of file), as with a pipe");
	claim_zh(c, "写者关闭套接字后，读者的下一次 read() 返回 0（文件结束）"
		 "，与管道相同");
	if (need_zh(c, eof >= 0 && cl >= 0 ? r : NULL, "writer's close and second read",
		    "写者的 close 和第二次 read")) {
		const struct ipclab_sock_io *x = skio(tl, eof);

		claim_cite(c, cl);
		claim_cite(c, eof);
		claim_result(c, x->result == 0 && (x->s.shutdown & RCV_SHUTDOWN_) &&
			     tl->ev[cl].t < tl_end(&tl->ev[eof]),
			     "read returned %lld, the socket %s shut down for receiving",
			     (long long)x->result, x->s.shutdown & RCV_SHUTDOWN_ ? "was" : "was not");
		claim_detail_zh(c, "read 返回 %lld，套接字的接收方向%s关闭", (long long)x->result,
				x->s.shutdown & RCV_SHUTDOWN_ ? "已" : "未");
	}
}

/* ---------------------------------------------------------------- boundaries */

struct bround {
	const char *writer;	/* the writing child's role */
	enum obj_kind kind;
	int reads;		/* reads that carry the 12 bytes */
	__s64 last;		/* the final recv(MSG_DONTWAIT) */
};

static const struct bround bounds[] = {
	{ "wr-stream", OBJ_UNIX_STREAM, 1, 0 },
	{ "wr-dgram", OBJ_UNIX_DGRAM, 3, -EAGAIN },
	{ "wr-seqpkt", OBJ_UNIX_SEQPACKET, 3, 0 },
};

/* The reader's socket in round r (the queue the round's writer filled), or -1. */
static int round_rx(const struct timeline *tl, int r)
{
	long w0 = sio(tl, role(tl, bounds[r].writer), 1, -1, 0);

	return w0 >= 0 ? tl->ev[w0].peer : -1;
}

static void claim_reads(const struct timeline *tl, struct claim *c, int r, const __s64 *res_,
			const __u32 *occ, const __u32 *skbs)
{
	const struct tl_process *rd = role(tl, "reader");
	int rx = round_rx(tl, r);

	if (!need_zh(c, rx >= 0 && rd ? rd : NULL, "reader and writes", "读者和写入"))
		return;
	if (tl->objs[rx].kind != bounds[r].kind) {
		claim_result(c, false, "the reader's socket (object %d) has the wrong type", rx);
		claim_detail_zh(c, "读者的套接字（对象 %d）类型不对", rx);
		return;
	}
	check_queue(tl, c, rd, 0, rx, bounds[r].reads, res_, occ, skbs);
}

static void check_unix_boundaries(const struct timeline *tl, struct claim_set *cs)
{
	/* three writes of "one", "two!", "three": 3, 4, 5 bytes, one skb each (any kernel) */
	static const __s64 wres[] = { 3, 4, 5 }, stream_res[] = { 12 }, msg_res[] = { 3, 4, 5 };
	static const __u32 wocc[] = { 3, 7, 12 }, wskbs[] = { 1, 2, 3 };
	static const __u32 stream_after[] = { 0 };
	static const __u32 msg_occ[] = { 9, 5, 0 }, msg_skbs[] = { 2, 1, 0 };
	const struct tl_process *rd = role(tl, "reader");
	struct claim *c;
	char seen[300] = "", seen_zh[600] = "", rb[32];
	size_t len = 0, len_zh = 0;
	bool ok = true;

	c = claim_new(cs, "skb-per-write", "In each round (stream, dgram, seqpacket) the writes "
		      "of 3, 4 and 5 bytes queue 3 skbs on the reader's socket: 3/1, 7/2, 12/3 "
		      "bytes/skbs");
	claim_zh(c, "每一轮（stream、dgram、seqpacket）中，3、4、5 字节的写入在读者套接字上排入 3 个"
		 " skb：字节/skb 数为 3/1、7/2、12/3");
	for (int r = 0; r < 3; r++) {
		const struct tl_process *w = role(tl, bounds[r].writer);
		int rx = round_rx(tl, r);
		long w0 = sio(tl, w, 1, -1, 0);
		struct claim tmp;
		bool round_ok;

		memset(&tmp, 0, sizeof(tmp));
		round_ok = w0 >= 0 && rx >= 0 &&
			   check_queue(tl, &tmp, w, 1, tl->ev[w0].obj, 3, wres, wocc, wskbs);
		ok &= round_ok;
		for (int k = 0; k < 3; k++)
			claim_cite(c, sio(tl, w, 1, -1, k));
		len += snprintf(seen + len, sizeof(seen) - len, "%s%s: %s", r ? "; " : "",
				bounds[r].writer + 3, round_ok ? "ok" : w0 < 0 ? "missing" :
				strstr(tmp.detail, ": ") ? strstr(tmp.detail, ": ") + 2 : tmp.detail);
		if (len >= sizeof(seen))
			len = sizeof(seen) - 1;
		len_zh += snprintf(seen_zh + len_zh, sizeof(seen_zh) - len_zh, "%s%s 轮：%s",
				   r ? "；" : "", bounds[r].writer + 3, round_ok ? "符合" :
				   w0 < 0 ? "缺失" : strstr(tmp.detail_zh, "：") ?
				   strstr(tmp.detail_zh, "：") + strlen("：") : tmp.detail_zh);
		if (len_zh >= sizeof(seen_zh))
			len_zh = sizeof(seen_zh) - 1;
	}
	claim_result(c, ok, "%s", seen);
	claim_detail_zh(c, "%s", seen_zh);

	c = claim_new(cs, "stream-merges", "SOCK_STREAM: one read returns all 12 bytes and empties "
		      "the 3 skbs: the boundaries are lost");
	claim_zh(c, "SOCK_STREAM：一次 read() 返回全部 12 字节并清空 3 个 skb："
		 "边界丢失");
	claim_reads(tl, c, 0, stream_res, stream_after, stream_after);

	c = claim_new(cs, "dgram-keeps", "SOCK_DGRAM: three reads return 3, 4 and 5 bytes, one skb "
		      "each: the boundaries are kept");
	claim_zh(c, "SOCK_DGRAM：三次 read() 分别返回 3、4、5 字节，每次一个 skb："
		 "边界保留");
	claim_reads(tl, c, 1, msg_res, msg_occ, msg_skbs);

	c = claim_new(cs, "seqpacket-keeps", "SOCK_SEQPACKET: three reads return 3, 4 and 5 bytes, "
		      "one skb each: the boundaries are kept");
	claim_zh(c, "SOCK_SEQPACKET：三次 read() 分别返回 3、4、5 字节，每次一个 skb："
		 "边界保留");
	claim_reads(tl, c, 2, msg_res, msg_occ, msg_skbs);

	c = claim_new(cs, "end", "With the writer gone, a non-blocking read gets 0 (end of file) "
		      "on stream and seqpacket, but EAGAIN on dgram: no end of file there");
	claim_zh(c, "写者退出后，非阻塞 read() 在流式和顺序包套接字上得到 0（文件结束）"
		 "，在数据报套接字上却得到 EAGAIN：数据报没有文件结束");
	ok = rd != NULL;
	len = len_zh = 0;
	seen[0] = seen_zh[0] = 0;
	for (int r = 0; r < 3; r++) {
		int rx = round_rx(tl, r);
		long last = rx >= 0 ? sio(tl, rd, 0, rx, bounds[r].reads) : -1;

		claim_cite(c, last);
		ok &= last >= 0 && skio(tl, last)->result == bounds[r].last &&
		      tl_block_in(tl, last) < 0;
		len += snprintf(seen + len, sizeof(seen) - len, "%s%s %s", r ? ", " : "",
				bounds[r].writer + 3,
				last >= 0 ? res(rb, skio(tl, last)->result) : "missing");
		if (len >= sizeof(seen))
			len = sizeof(seen) - 1;
		len_zh += snprintf(seen_zh + len_zh, sizeof(seen_zh) - len_zh, "%s%s %s",
				   r ? "，" : "", bounds[r].writer + 3, last >= 0 ? rb : "缺失");
		if (len_zh >= sizeof(seen_zh))
			len_zh = sizeof(seen_zh) - 1;
	}
	claim_result(c, ok, "last reads: %s", seen);
	claim_detail_zh(c, "各轮最后一次读：%s", seen_zh);
}

/* ---------------------------------------------------------------- capacity */

/* One round of non-blocking writes into one socket until EAGAIN. */
struct fill {
	int obj;
	int writes;		/* that succeeded */
	__u64 stored;		/* bytes they stored */
	long first, last_ok, full;	/* event indices, -1 if none */
	bool in_budget;		/* every successful write began with the charge below sk_sndbuf */
};

/* The k-th distinct socket p wrote into (0-based, in time order), or -1. */
static int kth_written(const struct timeline *tl, const struct tl_process *p, int k)
{
	int seen[16], n = 0;
	struct tl_filter f;

	if (!p)
		return -1;
	f = sock_io(p->pid, 1, -1);
	for (long i = tl_next(tl, -1, &f); i >= 0 && n < 16; i = tl_next(tl, i, &f)) {
		bool known = false;

		for (int j = 0; j < n; j++)
			known |= seen[j] == tl->ev[i].obj;
		if (known)
			continue;
		if (n == k)
			return tl->ev[i].obj;
		seen[n++] = tl->ev[i].obj;
	}
	return -1;
}

static void fill_of(const struct timeline *tl, const struct tl_process *p, int obj,
		    struct fill *f)
{
	struct tl_filter q = sock_io(p ? p->pid : 0, 1, obj);

	memset(f, 0, sizeof(*f));
	f->obj = obj;
	f->first = f->last_ok = f->full = -1;
	f->in_budget = true;
	if (!p || obj < 0)
		return;
	for (long i = tl_next(tl, -1, &q); i >= 0; i = tl_next(tl, i, &q)) {
		const struct ipclab_sock_io *x = skio(tl, i);

		if (f->first < 0)
			f->first = i;
		if (x->result < 0) {
			f->full = i;
			return;
		}
		f->writes++;
		f->stored += x->result;
		f->last_ok = i;
		f->in_budget &= budget_left(x->wmem_before, x->wmem_max);
	}
}

/* Stopped at the budget: writes went in while the charge was below sk_sndbuf, then EAGAIN. */
static bool fill_stopped_at_budget(const struct timeline *tl, const struct fill *f)
{
	const struct ipclab_sock_io *full = f->full >= 0 ? skio(tl, f->full) : NULL;

	return f->writes > 0 && f->in_budget && full && full->result == -EAGAIN &&
	       !budget_left(full->wmem_before, full->wmem_max) &&
	       skio(tl, f->last_ok)->occ_after == f->stored;
}

static void check_unix_capacity(const struct timeline *tl, struct claim_set *cs)
{
	/* The lab's write sizes, one stream socketpair each.  On 6.18 x86_64 (NOTES.md section
	 * 1): 278, 278, 44 and 4 writes (the 4th short: 36544), storing 278, 17792, 180224 and
	 * 233152 bytes; a 1-byte skb costs 768.  Those follow from skb sizes: not asserted. */
	static const unsigned sizes[] = { 1, 64, 4096, 65536 };
	const struct tl_process *p = role(tl, "capacity");
	struct fill f[4];
	struct claim *c;
	char seen[240] = "", seen_zh[480] = "";
	size_t len = 0, len_zh = 0;
	bool ok = true, all = p != NULL;
	__u64 pipe_bytes = 0;
	long pw = -1, pfull = -1;
	int pwrites = 0;

	for (int r = 0; r < 4; r++) {
		fill_of(tl, p, kth_written(tl, p, r), &f[r]);
		all &= f[r].full >= 0 && f[r].writes > 0;
	}

	c = claim_new(cs, "stops-at-sndbuf", "In every round writes go in while the writer's "
		      "charge is below its sk_sndbuf; the first to find it reached fails with "
		      "EAGAIN");
	claim_zh(c, "每一轮中，只要写者的计费低于其 sk_sndbuf，写入就能进行；"
		 "第一次发现计费已达上限的写入以 EAGAIN 失败");
	if (need_zh(c, all ? p : NULL, "four rounds of writes ending in a failure",
		    "以失败告终的四轮写入")) {
		for (int r = 0; r < 4; r++) {
			const struct ipclab_sock_io *x = skio(tl, f[r].full);

			claim_cite(c, f[r].full);
			ok &= fill_stopped_at_budget(tl, &f[r]) &&
			      skio(tl, f[r].first)->requested == sizes[r];
			len += snprintf(seen + len, sizeof(seen) - len, "%s%u B: %d writes, charge "
					"%u of %u", r ? "; " : "", sizes[r], f[r].writes,
					x->wmem_before, x->wmem_max);
			if (len >= sizeof(seen))
				len = sizeof(seen) - 1;
			len_zh += snprintf(seen_zh + len_zh, sizeof(seen_zh) - len_zh,
					   "%s%u 字节：写 %d 次，计费 %u / %u", r ? "；" : "",
					   sizes[r], f[r].writes, x->wmem_before, x->wmem_max);
			if (len_zh >= sizeof(seen_zh))
				len_zh = sizeof(seen_zh) - 1;
		}
		claim_result(c, ok, "%s", seen);
		claim_detail_zh(c, "%s", seen_zh);
	}

	c = claim_new(cs, "skb-overhead", "A 1-byte write costs a whole skb: the same charge "
		      "each time, hundreds of bytes of the budget (768 on 6.18 x86_64)");
	claim_zh(c, "1 字节的写入也要占用一整个 skb：每次计费相同，占去预算数百字节（6.18 x86_64 上"
		 "为 768）");
	if (need_zh(c, f[0].writes > 1 ? p : NULL, "1-byte writes", "1 字节的写入")) {
		const struct ipclab_sock_io *a = skio(tl, f[0].first);
		__u32 each = a->wmem_after - a->wmem_before;
		struct tl_filter q = sock_io(p->pid, 1, f[0].obj);

		int k = 0, odd = 0;

		ok = each >= 256;	/* struct sk_buff alone is over 200 bytes */
		for (long i = f[0].first; i >= 0 && i <= f[0].last_ok; i = tl_next(tl, i, &q)) {
			k++;
			if (!odd && (skio(tl, i)->wmem_after - skio(tl, i)->wmem_before != each ||
				     skio(tl, i)->requested != 1)) {
				odd = k;
				claim_cite(c, i);
			}
		}
		claim_cite(c, f[0].first);
		if (odd) {
			claim_result(c, false, "write %d cost differently from the first (%u bytes)",
				     odd, each);
			claim_detail_zh(c, "第 %d 次写的计费与第一次（%u 字节）不同", odd, each);
		} else {
			claim_result(c, ok, "%d skbs of 1 byte, %u bytes charged for each (%u in all)",
				     f[0].writes, each, skio(tl, f[0].last_ok)->wmem_after);
			claim_detail_zh(c, "%d 个 1 字节的 skb，每个计费 %u 字节（共 %u）",
					f[0].writes, each, skio(tl, f[0].last_ok)->wmem_after);
		}
	}

	c = claim_new(cs, "short-write", "A 65536-byte write that runs out of budget part-way "
		      "returns a short count (36544 on 6.18 x86_64), the next one EAGAIN");
	claim_zh(c, "65536 字节的写入中途用完预算时返回不足的字节数（6.18 x86_64 上为 36544）"
		 "，下一次返回 EAGAIN");
	if (need_zh(c, f[3].writes > 0 && f[3].full >= 0 ? p : NULL, "65536-byte writes",
		    "65536 字节的写入")) {
		const struct ipclab_sock_io *x = skio(tl, f[3].last_ok);

		claim_cite(c, f[3].last_ok);
		claim_result(c, x->result > 0 && (__u64)x->result < x->requested &&
			     x->requested == 65536 && skio(tl, f[3].full)->result == -EAGAIN,
			     "write %d of %llu bytes returned %lld", f[3].writes,
			     (unsigned long long)x->requested, (long long)x->result);
		claim_detail_zh(c, "第 %d 次写（%llu 字节）返回 %lld", f[3].writes,
				(unsigned long long)x->requested, (long long)x->result);
	}

	c = claim_new(cs, "pipe-64k", "The pipe, for comparison, takes 16 writes of 4096 bytes "
		      "(65536) and then says EAGAIN");
	claim_zh(c, "作为对照，管道接受 16 次 4096 字节的写入（65536），之后返回 EAGAIN");
	if (p) {
		struct tl_filter q = pipe_io(p->pid, 1, -1);

		for (long i = tl_next(tl, -1, &q); i >= 0; i = tl_next(tl, i, &q)) {
			pw = pw < 0 ? i : pw;
			if (io(tl, i)->result < 0) {
				pfull = i;
				break;
			}
			pwrites++;
			pipe_bytes += io(tl, i)->result;
		}
	}
	if (need_zh(c, pfull >= 0 ? p : NULL, "pipe writes ending in a failure",
		    "以失败告终的管道写入")) {
		claim_cite(c, pfull);
		claim_result(c, pwrites == 16 && pipe_bytes == 65536 &&
			     io(tl, pfull)->result == -EAGAIN && io(tl, pfull)->bytes_before == 65536,
			     "%d writes, %llu bytes, then %lld", pwrites,
			     (unsigned long long)pipe_bytes, (long long)io(tl, pfull)->result);
		claim_detail_zh(c, "写 %d 次，共 %llu 字节，之后的写返回 %lld", pwrites,
				(unsigned long long)pipe_bytes, (long long)io(tl, pfull)->result);
	}

	c = claim_new(cs, "vs-pipe", "A stream socket's capacity depends on the write size: "
		      "1-byte writes store far less than the pipe's 65536 bytes, 65536-byte "
		      "writes more");
	claim_zh(c, "流式套接字的容量取决于每次写入的大小：1 字节的写入存下的远少于管道的 65536 字"
		 "节，65536 字节的写入则更多");
	if (need_zh(c, all && pipe_bytes ? p : NULL, "four rounds and the pipe",
		    "四轮写入和管道")) {
		/* each round's last stored write (its charge) and the failure ending it */
		for (int r = 0; r < 4; r++) {
			claim_cite(c, f[r].last_ok);
			claim_cite(c, f[r].full);
		}
		claim_cite(c, pfull);
		claim_result(c, f[0].stored < f[1].stored && f[1].stored < f[2].stored &&
			     f[2].stored <= f[3].stored && f[0].stored < pipe_bytes &&
			     f[3].stored > pipe_bytes,
			     "stored %llu, %llu, %llu, %llu bytes = %.1f%%, %.0f%%, %.0f%%, %.0f%% "
			     "of the pipe's %llu", (unsigned long long)f[0].stored,
			     (unsigned long long)f[1].stored, (unsigned long long)f[2].stored,
			     (unsigned long long)f[3].stored, 100.0 * f[0].stored / pipe_bytes,
			     100.0 * f[1].stored / pipe_bytes, 100.0 * f[2].stored / pipe_bytes,
			     100.0 * f[3].stored / pipe_bytes, (unsigned long long)pipe_bytes);
		claim_detail_zh(c, "存下 %llu、%llu、%llu、%llu 字节，"
				"分别是管道 %llu 字节的 %.1f%%、%.0f%%、%.0f%%、%.0f%%",
				(unsigned long long)f[0].stored, (unsigned long long)f[1].stored,
				(unsigned long long)f[2].stored, (unsigned long long)f[3].stored,
				(unsigned long long)pipe_bytes,
				100.0 * f[0].stored / pipe_bytes, 100.0 * f[1].stored / pipe_bytes,
				100.0 * f[2].stored / pipe_bytes, 100.0 * f[3].stored / pipe_bytes);
	}
}

/* ---------------------------------------------------------------- stream writer blocks */

/* The first send of p on obj that slept, and its number (0-based), or -1. */
static long first_blocked(const struct timeline *tl, const struct tl_process *p, int obj,
			  int *k)
{
	struct tl_filter f;

	*k = 0;
	if (!p)
		return -1;
	f = sock_io(p->pid, 1, obj);
	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f), (*k)++)
		if (tl_block_in(tl, i) >= 0)
			return i;
	return -1;
}

static void check_unix_stream_blocks(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *w = role(tl, "writer"), *r = role(tl, "reader");
	long w0 = sio(tl, w, 1, -1, 0);
	int tx = w0 >= 0 ? tl->ev[w0].obj : -1, rx = w0 >= 0 ? tl->ev[w0].peer : -1, nb = 0;
	/* 6.18 x86_64: write 45 (nb = 44) sleeps, an skb of 4096 bytes costs 4864 */
	long blocked = tx >= 0 ? first_blocked(tl, w, tx, &nb) : -1;
	const struct tl_event *b = sleep_in(tl, blocked);
	struct claim *c;

	c = claim_new(cs, "fills-budget", "4096-byte writes return at once, one skb each, while "
		      "the writer's charge is below its sk_sndbuf (44 writes, 180224 bytes on 6.18 "
		      "x86_64)");
	claim_zh(c, "只要写者的计费低于 sk_sndbuf，4096 字节的写入就立即返回，"
		 "每次一个 skb（6.18 x86_64 上为 44 次、180224 字节）");
	if (need_zh(c, blocked >= 0 && nb > 0 ? w : NULL, "writes before a blocked one",
		    "阻塞之前的写入"))
		check_run(tl, c, w, tx, nb, 4096, true);

	c = claim_new(cs, "full-blocks", "The next write finds the charge at sk_sndbuf and "
		      "sleeps");
	claim_zh(c, "下一次写入发现计费已达 sk_sndbuf，于是睡眠");
	if (need_zh(c, b ? w : NULL, "write that slept", "睡眠过的写")) {
		const struct ipclab_sock_io *x = skio(tl, blocked);

		claim_cite(c, blocked);
		claim_cite(c, b - tl->ev);
		claim_result(c, !budget_left(x->wmem_before, x->wmem_max) &&
			     x->skbs_before == (__u32)nb,
			     "write %d found %u skbs queued and %u of %u bytes charged; slept %.1f ms",
			     nb + 1, x->skbs_before, x->wmem_before, x->wmem_max, b->dur / 1e6);
		claim_detail_zh(c, "第 %d 次写发现已有 %u 个 skb 排队，计费 %u / %u 字节；"
				"睡眠 %.1f ms", nb + 1, x->skbs_before, x->wmem_before, x->wmem_max,
				b->dur / 1e6);
	}

	c = claim_new(cs, "wakes-at-quarter", "The writer wakes not at the first read, as a pipe's "
		      "does, but when reads bring its charge down to a quarter of sk_sndbuf (read "
		      "34, 10 skbs left on 6.18 x86_64)");
	claim_zh(c, "写者不像管道那样在第一次读后就被唤醒，而是要等读操作把它的计费降到 sk_sndbuf 的"
		 "四分之一（6.18 x86_64 上为第 34 次读，剩 10 个 skb）");
	if (need_zh(c, b && r && rx >= 0 ? b : NULL, "blocked write and reads",
		    "阻塞的写和读")) {
		int k;
		long rd = waking_call(tl, b, r, 0, rx, &k);

		if (need_zh(c, rd >= 0 && woken_by(b, r, NR_read) ? r : NULL, "wake-up by a read",
			    "由 read 唤醒")) {
			const struct ipclab_sock_io *x = skio(tl, rd);
			/* what this read left: one of the equal skbs less (the writer may have queued
			 * more before the read's own sample at its return) */
			__u32 per_skb = x->skbs_before ? x->wmem_before / x->skbs_before : 0;
			__u32 left = x->wmem_before - per_skb;

			claim_cite(c, rd);
			claim_result(c, k > 0 && x->result == 4096 && writable(left, x->wmem_max) &&
				     !writable(x->wmem_before, x->wmem_max),
				     "woken by read %d, which left %u skbs and %u bytes charged "
				     "(4 x %u %s %u); before it %u", k + 1, x->skbs_before - 1, left,
				     left + 1, writable(left, x->wmem_max) ? "<=" : ">", x->wmem_max,
				     x->wmem_before);
			claim_detail_zh(c, "被第 %d 次读唤醒：这次读之后剩 %u 个 skb，计费 %u 字节"
					"（4 x %u %s %u）；读之前计费 %u", k + 1,
					x->skbs_before - 1, left, left + 1,
					writable(left, x->wmem_max) ? "<=" : ">", x->wmem_max,
					x->wmem_before);
		}
	}

	c = claim_new(cs, "all-through", "All 64 writes complete (262144 bytes) and the reader "
		      "gets every byte, then 0 after the writer's close");
	claim_zh(c, "全部 64 次写入都完成（262144 字节），读者收到每一个字节，"
		 "写者 close() 之后读到 0");
	if (need_zh(c, w && r && tx >= 0 && rx >= 0 ? w : NULL, "writer and reader",
		    "写者和读者")) {
		__u64 in = 0, out = 0;
		int nw = 0, nr = 0;
		long last = -1;
		struct tl_filter f = sock_io(w->pid, 1, tx);

		for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f), nw++)
			in += skio(tl, i)->result > 0 ? skio(tl, i)->result : 0;
		f = sock_io(r->pid, 0, rx);
		for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f), nr++) {
			out += skio(tl, i)->result > 0 ? skio(tl, i)->result : 0;
			last = i;
		}
		claim_cite(c, last);
		claim_result(c, nw == 64 && in == 262144 && out == 262144 && last >= 0 &&
			     skio(tl, last)->result == 0,
			     "%d writes put in %llu bytes; %d reads took out %llu, the last returned %lld",
			     nw, (unsigned long long)in, nr, (unsigned long long)out,
			     last >= 0 ? (long long)skio(tl, last)->result : -1LL);
		claim_detail_zh(c, "%d 次写共写入 %llu 字节；%d 次读共读出 %llu 字节，"
				"最后一次返回 %lld",
				nw, (unsigned long long)in, nr, (unsigned long long)out,
				last >= 0 ? (long long)skio(tl, last)->result : -1LL);
	}
}

/* ---------------------------------------------------------------- datagram writer blocks */

static void check_unix_dgram_blocks(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *s = role(tl, "sender"), *r = role(tl, "receiver");
	long w0 = sio(tl, s, 1, -1, 0), conn = sock_call(tl, s, NR_connect, 0);
	long bnd = sock_call(tl, r, NR_bind, 0), rd0 = -1;
	int tx = w0 >= 0 ? tl->ev[w0].obj : -1, rx = w0 >= 0 ? tl->ev[w0].peer : -1;
	/* the receiver's backlog: net.unix.max_dgram_qlen, 10 unless changed (any kernel); its
	 * queue takes one datagram more (full when qlen > sk_max_ack_backlog) */
	int fit = w0 >= 0 && skio(tl, w0)->queue_max < (1u << 20) ?
		  (int)skio(tl, w0)->queue_max + 1 : 0;
	long wb = fit > 0 ? sio(tl, s, 1, tx, fit) : -1;
	const struct tl_event *b = sleep_in(tl, wb);
	struct claim *c;
	bool ok = true;

	rd0 = rx >= 0 ? sio(tl, r, 0, rx, 0) : -1;
	c = claim_new(cs, "connect-one-way", "The receiver binds a name; the sender's connect() "
		      "to it points the sender's socket at the receiver's, one way: the receiver "
		      "has no peer");
	claim_zh(c, "接收方绑定一个名字；发送方 connect() 到这个名字，使发送方套接字单向指向接收方"
		 "：接收方没有对端");
	if (need_zh(c, conn >= 0 && bnd >= 0 && rd0 >= 0 ? s : NULL, "bind, connect and read",
		    "bind、connect 和 read")) {
		claim_cite(c, bnd);
		claim_cite(c, conn);
		claim_result(c, tl->ev[bnd].e->sc.ret == 0 && tl->ev[bnd].obj == rx &&
			     tl->ev[conn].e->sc.ret == 0 && tl->ev[conn].obj == tx &&
			     tl->ev[conn].e->sc.sock.peer == tl->objs[rx].kptr &&
			     skio(tl, rd0)->s.peer == 0 && tl->objs[rx].kind == OBJ_UNIX_DGRAM,
			     "bind returned %lld, connect %lld; the receiver's socket has %s",
			     (long long)tl->ev[bnd].e->sc.ret, (long long)tl->ev[conn].e->sc.ret,
			     skio(tl, rd0)->s.peer ? "a peer" : "no peer");
		claim_detail_zh(c, "bind 返回 %lld，connect 返回 %lld；接收方的套接字%s",
				(long long)tl->ev[bnd].e->sc.ret, (long long)tl->ev[conn].e->sc.ret,
				skio(tl, rd0)->s.peer ? "有对端" : "没有对端");
	}

	c = claim_new(cs, "backlog-fills", "Writes 1 to 11 return at once, one 100-byte datagram "
		      "each: the receiver's queue grows to 11 skbs (backlog max_dgram_qlen 10, "
		      "plus one)");
	claim_zh(c, "第 1 到 11 次写入立即返回，每次一个 100 字节的数据报："
		 "接收队列增长到 11 个 skb（积压上限 max_dgram_qlen 为 10，"
		 "再加一个）");
	if (need_zh(c, fit > 1 && sio(tl, s, 1, tx, fit - 1) >= 0 ? s : NULL, "writes",
		    "发送方的写入"))
		check_run(tl, c, s, tx, fit, 100, false);

	c = claim_new(cs, "over-backlog-blocks", "Write 12 finds 11 datagrams queued, more than the "
		      "backlog, and sleeps");
	claim_zh(c, "第 12 次写入发现已有 11 个数据报排队，超过积压上限，于是睡眠");
	if (need_zh(c, wb >= 0 ? s : NULL, "write after the backlog", "积压满之后的写")) {
		const struct ipclab_sock_io *x = skio(tl, wb);

		claim_cite(c, wb);
		claim_result(c, b && x->skbs_before == (__u32)fit && x->skbs_before > x->queue_max,
			     "write %d found %u skbs queued (backlog %u) and %s", fit + 1,
			     x->skbs_before, x->queue_max, b ? "slept" : "did not sleep");
		claim_detail_zh(c, "第 %d 次写发现已有 %u 个 skb 排队（积压上限 %u），%s", fit + 1,
				x->skbs_before, x->queue_max, b ? "于是睡眠" : "但没有睡眠");
	}

	c = claim_new(cs, "first-read-wakes", "The receiver's first read takes one datagram out "
		      "and wakes the sender at once (a stream writer waits for 3/4 of its budget); "
		      "the write then completes");
	claim_zh(c, "接收方的第一次 read() 取出一个数据报并立即唤醒发送方（流式写者要等到 3/4 的预"
		 "算空出）；随后这次写入完成");
	if (need_zh(c, b && r && rd0 >= 0 ? b : NULL, "blocked write and reads", "阻塞的写和读")) {
		int k;
		long rd = waking_call(tl, b, r, 0, rx, &k);
		char nb[32];

		claim_cite(c, rd);
		claim_result(c, woken_by(b, r, NR_read) && rd == rd0 &&
			     skio(tl, rd0)->result == 100 &&
			     skio(tl, wb)->result == 100,
			     "woken by pid %u in %s() during read %d; the write returned %lld",
			     b->e->blk.waker_pid, nr_name(nb, b->e->blk.waker_nr), k + 1,
			     (long long)skio(tl, wb)->result);
		claim_detail_zh(c, "被 pid %u 在 %s() 中唤醒（接收方的第 %d 次读）；"
				"这次写返回 %lld",
				b->e->blk.waker_pid, nr_name_zh(nb, b->e->blk.waker_nr), k + 1,
				(long long)skio(tl, wb)->result);
	}

	c = claim_new(cs, "all-in-order", "The receiver gets all 12 datagrams, one per read, 100 "
		      "bytes each, in the order they were sent");
	claim_zh(c, "接收方按发送顺序收到全部 12 个数据报，每次 read() 一个，"
		 "各 100 字节");
	if (need_zh(c, fit > 0 && rd0 >= 0 ? r : NULL, "reads", "接收方的读")) {
		int n = 0;
		struct tl_filter f = sock_io(r->pid, 0, rx);

		ok = true;
		for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f), n++) {
			claim_cite(c, i);
			ok &= skio(tl, i)->result == 100 && numbered(skio(tl, i), "dgram #") == n + 1;
		}
		claim_result(c, ok && n == fit + 1, "%d reads; %s", n,
			     ok ? "each one datagram, numbered in order" :
			     "a read was short, out of order or not sampled");
		claim_detail_zh(c, "读 %d 次；%s", n, ok ? "每次一个数据报，编号依次递增" :
				"有一次读不足、乱序或未采样到数据");
	}
}

/* ---------------------------------------------------------------- EMSGSIZE */

/* The first socket of kind k that p wrote into, or -1. */
static int written_of_kind(const struct timeline *tl, const struct tl_process *p,
			   enum obj_kind k)
{
	for (int n = 0, o; (o = kth_written(tl, p, n)) >= 0; n++)
		if (tl->objs[o].kind == k)
			return o;
	return -1;
}

static void check_unix_msgsize(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *p = role(tl, "msgsize");
	int dg = written_of_kind(tl, p, OBJ_UNIX_DGRAM);
	int st = written_of_kind(tl, p, OBJ_UNIX_STREAM);
	long w[4], rd = -1, sw = st >= 0 ? sio(tl, p, 1, st, 0) : -1;
	struct claim *c;

	for (int k = 0; k < 4; k++)
		w[k] = dg >= 0 ? sio(tl, p, 1, dg, k) : -1;
	if (w[0] >= 0 && tl->ev[w[0]].peer >= 0)
		rd = sio(tl, p, 0, tl->ev[w[0]].peer, 0);

	/* unix_dgram_sendmsg(): len > sk_sndbuf - 32 is EMSGSIZE (5.10 to 6.18 alike) */
	c = claim_new(cs, "largest-fits", "The largest datagram, sk_sndbuf - 32 bytes (212960 by "
		      "default), is queued as one skb, and one read takes it whole");
	claim_zh(c, "最大的数据报为 sk_sndbuf - 32 字节（默认 212960），作为一个 skb 排队，"
		 "一次 read() 整个取走");
	if (need_zh(c, w[0] >= 0 && rd >= 0 ? p : NULL, "datagram write and read",
		    "数据报的写和读")) {
		const struct ipclab_sock_io *x = skio(tl, w[0]), *y = skio(tl, rd);

		claim_cite(c, w[0]);
		claim_cite(c, rd);
		claim_result(c, x->result == (__s64)x->wmem_max - 32 &&
			     x->requested == (__u64)x->result &&
			     x->skbs_after == 1 && x->occ_after == x->result &&
			     y->result == x->result && y->skbs_before == 1 && y->skbs_after == 0,
			     "sk_sndbuf %u: write returned %lld (%u skb queued); read returned %lld",
			     x->wmem_max, (long long)x->result, x->skbs_after, (long long)y->result);
		claim_detail_zh(c, "sk_sndbuf 为 %u：写返回 %lld（排入 %u 个 skb）；读返回 %lld",
				x->wmem_max, (long long)x->result, x->skbs_after,
				(long long)y->result);
	}

	c = claim_new(cs, "one-more-emsgsize", "One byte more fails at once with EMSGSIZE: "
		      "nothing is queued or charged");
	claim_zh(c, "多一个字节就立即以 EMSGSIZE 失败：既不排队，也不计费");
	if (need_zh(c, w[0] >= 0 && w[1] >= 0 ? p : NULL, "second datagram write",
		    "第二次数据报写入")) {
		const struct ipclab_sock_io *x = skio(tl, w[1]);
		char rb[32];

		claim_cite(c, w[1]);
		claim_result(c, x->result == -EMSGSIZE &&
			     x->requested == skio(tl, w[0])->requested + 1 &&
			     x->skbs_after == x->skbs_before && x->wmem_after == x->wmem_before &&
			     tl_block_in(tl, w[1]) < 0,
			     "write of %llu bytes returned %s; queue %u -> %u skbs",
			     (unsigned long long)x->requested, res(rb, x->result), x->skbs_before,
			     x->skbs_after);
		claim_detail_zh(c, "写 %llu 字节返回 %s；队列 %u → %u 个 skb",
				(unsigned long long)x->requested, rb, x->skbs_before,
				x->skbs_after);
	}

	/* setsockopt doubles the value: max(2 x 4096, SOCK_MIN_SNDBUF) = 8192 on every kernel */
	c = claim_new(cs, "sndbuf-doubled", "After SO_SNDBUF 4096 the kernel's sk_sndbuf is 8192 "
		      "(doubled), and the limit 8160: 8160 bytes go, 8161 get EMSGSIZE");
	claim_zh(c, "设置 SO_SNDBUF 4096 后内核的 sk_sndbuf 为 8192（翻倍）"
		 "，上限为 8160：8160 字节可以发送，8161 字节得到 EMSGSIZE");
	if (need_zh(c, w[2] >= 0 && w[3] >= 0 ? p : NULL, "writes after setsockopt",
		    "setsockopt 之后的写入")) {
		const struct ipclab_sock_io *x = skio(tl, w[2]), *y = skio(tl, w[3]);
		char rb[32];

		claim_cite(c, w[2]);
		claim_cite(c, w[3]);
		claim_result(c, x->wmem_max == 8192 && x->result == 8160 && x->requested == 8160 &&
			     y->requested == 8161 && y->result == -EMSGSIZE,
			     "sk_sndbuf %u: write(8160) returned %lld, write(%llu) %s", x->wmem_max,
			     (long long)x->result, (unsigned long long)y->requested,
			     res(rb, y->result));
		claim_detail_zh(c, "sk_sndbuf 为 %u：write(8160) 返回 %lld，write(%llu) 返回 %s",
				x->wmem_max, (long long)x->result,
				(unsigned long long)y->requested, rb);
	}

	c = claim_new(cs, "stream-cuts", "A stream write of the size the datagram socket refused "
		      "goes through whole, cut into several skbs (6 on 6.18 x86_64)");
	claim_zh(c, "数据报套接字拒绝的同样大小，用流式套接字写入则整体通过，"
		 "被切成若干个 skb（6.18 x86_64 上为 6 个）");
	if (need_zh(c, sw >= 0 && w[1] >= 0 ? p : NULL, "stream write", "流式写入")) {
		const struct ipclab_sock_io *x = skio(tl, sw);

		claim_cite(c, sw);
		claim_result(c, x->requested == skio(tl, w[1])->requested &&
			     x->result == (__s64)x->requested && x->skbs_after >= 2 &&
			     x->occ_after == x->result,
			     "write of %llu bytes returned %lld: %u bytes in %u skbs",
			     (unsigned long long)x->requested, (long long)x->result, x->occ_after,
			     x->skbs_after);
		claim_detail_zh(c, "写 %llu 字节返回 %lld：%u 字节分在 %u 个 skb 中",
				(unsigned long long)x->requested, (long long)x->result,
				x->occ_after, x->skbs_after);
	}
}

/* ---------------------------------------------------------------- server and client */

static bool is_stat(int nr)
{
	return nr == NR_newfstatat || nr == NR_stat || nr == NR_statx;
}

/* p's first stat of path, or -1. */
static long stat_of(const struct timeline *tl, const struct tl_process *p, const char *path)
{
	struct tl_filter f = TL_ANY;

	if (!p || !path[0])
		return -1;
	f.type = EVT_SYSCALL;
	f.pid = p->pid;
	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f))
		if (is_stat(tl->ev[i].e->nr) &&
		    strncmp(tl->ev[i].e->sc.path, path, IPCLAB_PATH_LEN) == 0)
			return i;
	return -1;
}

static void check_unix_server_client(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *s = role(tl, "server"), *cl = role(tl, "client");
	long bnd[3], acc = sock_call(tl, s, NR_accept, 0);
	long con = sock_call(tl, cl, NR_connect, 0), con2 = sock_call(tl, cl, NR_connect, 1);
	int lobj, sobj = acc >= 0 ? tl->ev[acc].obj : -1, cobj = con >= 0 ? tl->ev[con].obj : -1;
	long req = sio(tl, cl, 1, cobj, 0), got = sobj >= 0 ? sio(tl, s, 0, sobj, 0) : -1;
	long rep = sobj >= 0 ? sio(tl, s, 1, sobj, 0) : -1, back = sio(tl, cl, 0, cobj, 0);
	long eof = sobj >= 0 ? sio(tl, s, 0, sobj, 1) : -1, ul, st, lcl, ccl;
	const struct tl_event *ab = sleep_in(tl, acc), *rb_ = sleep_in(tl, got);
	struct claim *c;
	char rb[32];

	for (int k = 0; k < 3; k++)
		bnd[k] = sock_call(tl, s, NR_bind, k);
	lobj = bnd[0] >= 0 ? tl->ev[bnd[0]].obj : -1;
	st = lobj >= 0 ? stat_of(tl, s, tl->objs[lobj].path) : -1;
	lcl = close_of(tl, s, lobj);
	ccl = close_of(tl, cl, cobj);
	ul = s ? nth(tl, syscall_of(s->pid, NR_unlink_libc), 0) : -1;

	c = claim_new(cs, "bind-makes-file", "bind() gives the server's socket a path, and a "
		      "socket file (type s, size 0) appears there");
	claim_zh(c, "bind() 给服务器的套接字一个路径，那里出现一个套接字文件（类型 s，"
		 "大小 0）");
	if (need_zh(c, st >= 0 ? s : NULL, "bind and stat of its path", "bind 及对其路径的 stat")) {
		const struct ipclab_syscall *sc = &tl->ev[st].e->sc;

		claim_cite(c, bnd[0]);
		claim_cite(c, st);
		claim_result(c, tl->ev[bnd[0]].e->sc.ret == 0 &&
			     (sc->stat_mode & S_IFMT) == S_IFSOCK &&
			     sc->stat_size == 0 && tl->ev[st].t > tl->ev[bnd[0]].t,
			     "bind(%s) returned %lld; stat: mode 0%o, size %llu", tl->objs[lobj].path,
			     (long long)tl->ev[bnd[0]].e->sc.ret, sc->stat_mode,
			     (unsigned long long)sc->stat_size);
		claim_detail_zh(c, "bind(%s) 返回 %lld；stat：模式 0%o，大小 %llu",
				tl->objs[lobj].path, (long long)tl->ev[bnd[0]].e->sc.ret,
				sc->stat_mode, (unsigned long long)sc->stat_size);
	}

	c = claim_new(cs, "unrelated-meet", "The client, an unrelated program, connects by the "
		      "path; accept() returns the other end of the client's socket");
	claim_zh(c, "客户端是一个无血缘关系的程序，它通过路径连接；accept() 返回与客户端套接字相连"
		 "的另一端");
	if (need_zh(c, con >= 0 && acc >= 0 && cl ? s : NULL, "connect and accept",
		    "connect 和 accept")) {
		const struct ipclab_sock *a = &tl->ev[acc].e->sc.sock, *k = &tl->ev[con].e->sc.sock;

		claim_cite(c, con);
		claim_cite(c, acc);
		claim_result(c, !tl_is_ancestor(tl, s->pid, cl->pid) &&
			     !tl_is_ancestor(tl, cl->pid, s->pid) && tl->ev[con].e->sc.ret == 0 &&
			     tl->ev[acc].e->sc.ret >= 0 && a->sock && k->peer == a->sock &&
			     a->peer == k->sock,
			     "server %u and client %u (parents %u, %u); connect returned %lld, "
			     "accept %lld; the ends %s linked", s->pid, cl->pid, s->ppid, cl->ppid,
			     (long long)tl->ev[con].e->sc.ret, (long long)tl->ev[acc].e->sc.ret,
			     a->sock && k->peer == a->sock && a->peer == k->sock ? "are" : "are not");
		claim_detail_zh(c, "服务器 %u 与客户端 %u（父进程分别为 %u、%u）；"
				"connect 返回 %lld，accept 返回 %lld；两端%s相连", s->pid, cl->pid,
				s->ppid, cl->ppid,
				(long long)tl->ev[con].e->sc.ret, (long long)tl->ev[acc].e->sc.ret,
				a->sock && k->peer == a->sock && a->peer == k->sock ? "" : "没有");
	}

	c = claim_new(cs, "accept-sleeps", "accept() sleeps until the client's connect() wakes it");
	claim_zh(c, "accept() 睡眠，直到客户端的 connect() 将其唤醒");
	if (need_zh(c, ab ? s : NULL, "accept that slept", "睡眠过的 accept")) {
		claim_cite(c, ab - tl->ev);
		claim_result(c, woken_by(ab, cl, NR_connect), "slept %.1f ms; woken by pid %u in "
			     "%s()", ab->dur / 1e6, ab->e->blk.waker_pid,
			     nr_name(rb, ab->e->blk.waker_nr));
		claim_detail_zh(c, "睡眠 %.1f ms；被 pid %u 在 %s() 中唤醒", ab->dur / 1e6,
				ab->e->blk.waker_pid, nr_name_zh(rb, ab->e->blk.waker_nr));
	}

	c = claim_new(cs, "request-reply", "The request (21 bytes) goes client -> server and the "
		      "reply (21 bytes) back, over the one connection");
	claim_zh(c, "请求（21 字节）从客户端发往服务器，应答（21 字节）返回，"
		 "都经过同一个连接");
	if (need_zh(c, req >= 0 && got >= 0 && rep >= 0 && back >= 0 ? s : NULL,
		    "request and reply, sent and received", "请求和应答的发送与接收")) {
		claim_cite(c, req);
		claim_cite(c, got);
		claim_cite(c, rep);
		claim_cite(c, back);
		claim_result(c, skio(tl, req)->result == 21 && tl->ev[req].peer == sobj &&
			     skio(tl, got)->result == 21 && skio(tl, rep)->result == 21 &&
			     tl->ev[rep].peer == cobj && skio(tl, back)->result == 21,
			     "client sent %lld, server got %lld; server sent %lld, client got %lld",
			     (long long)skio(tl, req)->result, (long long)skio(tl, got)->result,
			     (long long)skio(tl, rep)->result, (long long)skio(tl, back)->result);
		claim_detail_zh(c, "客户端发送 %lld，服务器收到 %lld；"
				"服务器发送 %lld，客户端收到 %lld",
				(long long)skio(tl, req)->result, (long long)skio(tl, got)->result,
				(long long)skio(tl, rep)->result,
				(long long)skio(tl, back)->result);
	}

	c = claim_new(cs, "read-waits", "The server's read sleeps until the client's write wakes "
		      "it");
	claim_zh(c, "服务器的 read() 睡眠，直到客户端的 write() 将其唤醒");
	if (need_zh(c, rb_ ? s : NULL, "server read that slept", "服务器睡眠过的 read")) {
		claim_cite(c, rb_ - tl->ev);
		claim_result(c, woken_by(rb_, cl, NR_write), "slept %.1f ms; woken by pid %u in "
			     "%s()", rb_->dur / 1e6, rb_->e->blk.waker_pid,
			     nr_name(rb, rb_->e->blk.waker_nr));
		claim_detail_zh(c, "睡眠 %.1f ms；被 pid %u 在 %s() 中唤醒", rb_->dur / 1e6,
				rb_->e->blk.waker_pid, nr_name_zh(rb, rb_->e->blk.waker_nr));
	}

	c = claim_new(cs, "eof", "The client's close() makes the server's next read return 0");
	claim_zh(c, "客户端的 close() 使服务器的下一次 read() 返回 0");
	if (need_zh(c, eof >= 0 && ccl >= 0 ? s : NULL, "client's close and server's 2nd read",
		    "客户端的 close 和服务器的第二次 read")) {
		claim_cite(c, ccl);
		claim_cite(c, eof);
		claim_result(c, skio(tl, eof)->result == 0 && tl->ev[ccl].t < tl_end(&tl->ev[eof]),
			     "read returned %lld", (long long)skio(tl, eof)->result);
		claim_detail_zh(c, "read 返回 %lld", (long long)skio(tl, eof)->result);
	}

	c = claim_new(cs, "refused", "Once the server has closed its socket, connect() to the "
		      "path left behind is refused at once: ECONNREFUSED");
	claim_zh(c, "服务器关闭套接字后，connect() 到残留的路径立即被拒绝："
		 "ECONNREFUSED");
	if (need_zh(c, con2 >= 0 && lcl >= 0 ? cl : NULL, "server's close and second connect",
		    "服务器的 close 和第二次 connect")) {
		claim_cite(c, lcl);
		claim_cite(c, con2);
		claim_result(c, tl->ev[con2].e->sc.ret == -ECONNREFUSED &&
			     tl_block_in(tl, con2) < 0 &&
			     tl_end(&tl->ev[lcl]) <= tl->ev[con2].t,
			     "connect returned %s", res(rb, tl->ev[con2].e->sc.ret));
		claim_detail_zh(c, "connect 返回 %s", rb);
	}

	c = claim_new(cs, "stale-bind", "The socket file stays behind: bind() to the path fails "
		      "with EADDRINUSE until unlink() removes it, then works");
	claim_zh(c, "套接字文件留在原处：bind() 到该路径以 EADDRINUSE 失败，"
		 "直到 unlink() 删除它后才成功");
	if (need_zh(c, bnd[1] >= 0 && bnd[2] >= 0 && ul >= 0 ? s : NULL, "binds and unlink",
		    "两次 bind 和 unlink")) {
		char r2[32];

		claim_cite(c, bnd[1]);
		claim_cite(c, ul);
		claim_cite(c, bnd[2]);
		claim_result(c, tl->ev[bnd[1]].e->sc.ret == -EADDRINUSE &&
			     tl->ev[ul].e->sc.ret == 0 &&
			     tl->ev[bnd[2]].e->sc.ret == 0 && tl->ev[bnd[1]].t < tl->ev[ul].t &&
			     tl->ev[ul].t < tl->ev[bnd[2]].t,
			     "bind returned %s, unlink %lld, bind again %s",
			     res(rb, tl->ev[bnd[1]].e->sc.ret), (long long)tl->ev[ul].e->sc.ret,
			     res(r2, tl->ev[bnd[2]].e->sc.ret));
		claim_detail_zh(c, "bind 返回 %s，unlink 返回 %lld，再次 bind 返回 %s", rb,
				(long long)tl->ev[ul].e->sc.ret, r2);
	}
}

/* ---------------------------------------------------------------- EPIPE and SIGPIPE */

static void check_unix_epipe(const struct timeline *tl, struct claim_set *cs)
{
	static const char *const kids[] = { "writer", "nosignal", "ignorer" };
	const struct tl_process *p[3];
	long wr[3], sg[3], ex[3];
	struct claim *c;
	bool ok = true;
	char seen[96] = "", seen_zh[192] = "", rb[32];
	size_t len = 0, len_zh = 0;

	for (int k = 0; k < 3; k++) {
		p[k] = role(tl, kids[k]);
		wr[k] = sio(tl, p[k], 1, -1, 0);
		sg[k] = signal_to(tl, p[k], SIGPIPE);
		ex[k] = exit_of(tl, p[k]);
	}

	c = claim_new(cs, "epipe", "With the other end closed, the write in each round fails at "
		      "once with EPIPE: the connection is shut down");
	claim_zh(c, "对端已关闭，每一轮的写入都立即以 EPIPE 失败：连接已经关闭");
	for (int k = 0; k < 3; k++) {
		const struct ipclab_sock_io *x = wr[k] >= 0 ? skio(tl, wr[k]) : NULL;

		claim_cite(c, wr[k]);
		ok &= x && x->result == -EPIPE && (x->s.shutdown & SEND_SHUTDOWN_) &&
		      tl_block_in(tl, wr[k]) < 0;
		len += snprintf(seen + len, sizeof(seen) - len, "%s%s %s", k ? ", " : "", kids[k],
				x ? res(rb, x->result) : "missing");
		if (len >= sizeof(seen))
			len = sizeof(seen) - 1;
		len_zh += snprintf(seen_zh + len_zh, sizeof(seen_zh) - len_zh, "%s%s %s",
				   k ? "，" : "", kids[k], x ? rb : "缺失");
		if (len_zh >= sizeof(seen_zh))
			len_zh = sizeof(seen_zh) - 1;
	}
	claim_result(c, ok, "%s", seen);
	claim_detail_zh(c, "各轮 write 的结果：%s", seen_zh);

	c = claim_new(cs, "sigpipe-kills", "A plain write() raises SIGPIPE from inside the call, "
		      "and its default action kills the writer");
	claim_zh(c, "普通 write() 在调用内部引发 SIGPIPE，其默认动作终止写者");
	if (need_zh(c, sg[0] >= 0 && ex[0] >= 0 ? p[0] : NULL, "SIGPIPE and exit of the writer",
		    "写者的 SIGPIPE 和退出")) {
		const struct ipclab_signal *x = &tl->ev[sg[0]].e->sig;
		int st = tl->ev[ex[0]].e->task.exit_code;

		claim_cite(c, sg[0]);
		claim_cite(c, ex[0]);
		claim_result(c, x->sender_pid == p[0]->pid && tl->ev[sg[0]].e->nr == NR_write &&
			     x->result == 0 && (st & 0x7f) == SIGPIPE,
			     "SIGPIPE from pid %u in %s() (result %d); exit status 0x%x",
			     x->sender_pid, nr_name(rb, tl->ev[sg[0]].e->nr), x->result, st);
		claim_detail_zh(c, "SIGPIPE 由 pid %u 在 %s() 中产生（结果 %d）；退出状态 0x%x",
				x->sender_pid, nr_name_zh(rb, tl->ev[sg[0]].e->nr), x->result, st);
	}

	c = claim_new(cs, "nosignal", "send(MSG_NOSIGNAL) gets EPIPE without any SIGPIPE, and the "
		      "process exits normally");
	claim_zh(c, "send(MSG_NOSIGNAL) 得到 EPIPE 而没有任何 SIGPIPE，进程正常退出");
	if (need_zh(c, wr[1] >= 0 && ex[1] >= 0 ? p[1] : NULL, "send and exit", "send 和退出")) {
		claim_cite(c, wr[1]);
		claim_cite(c, ex[1]);
		claim_result(c, skio(tl, wr[1])->result == -EPIPE &&
			     tl->ev[wr[1]].e->nr == NR_sendto &&
			     sg[1] < 0 && tl->ev[ex[1]].e->task.exit_code == 0,
			     "send returned %s; %s; exit status 0x%x", res(rb, skio(tl, wr[1])->result),
			     sg[1] < 0 ? "no SIGPIPE" : "SIGPIPE generated",
			     tl->ev[ex[1]].e->task.exit_code);
		claim_detail_zh(c, "send 返回 %s；%s；退出状态 0x%x", rb,
				sg[1] < 0 ? "没有 SIGPIPE" : "产生了 SIGPIPE",
				tl->ev[ex[1]].e->task.exit_code);
	}

	c = claim_new(cs, "ignored", "With SIGPIPE ignored, the signal is generated but dropped, "
		      "and the process lives on");
	claim_zh(c, "忽略 SIGPIPE 时，信号产生后被丢弃，进程继续运行");
	if (need_zh(c, sg[2] >= 0 && ex[2] >= 0 ? p[2] : NULL, "SIGPIPE and exit",
		    "SIGPIPE 和退出")) {
		claim_cite(c, sg[2]);
		claim_cite(c, ex[2]);
		/* TRACE_SIGNAL_IGNORED == 1 */
		claim_result(c, tl->ev[sg[2]].e->sig.result == 1 &&
			     tl->ev[ex[2]].e->task.exit_code == 0,
			     "signal_generate result %d; exit status 0x%x", tl->ev[sg[2]].e->sig.result,
			     tl->ev[ex[2]].e->task.exit_code);
		claim_detail_zh(c, "signal_generate 结果 %d；退出状态 0x%x",
				tl->ev[sg[2]].e->sig.result, tl->ev[ex[2]].e->task.exit_code);
	}
}

/* ---------------------------------------------------------------- non-blocking */

static void check_unix_nonblock(const struct timeline *tl, struct claim_set *cs)
{
	static const struct {
		const char *id, *text, *text_zh;
		__s64 result;
		__u32 queued;
		bool peer_gone;
	} cases[] = {
		{ "empty-peer-open", "Peer open, nothing queued: a non-blocking read returns -1 "
		  "(EAGAIN)", "对端打开，队列为空：非阻塞 read() 返回 -1（EAGAIN）",
		  -EAGAIN, 0, false },
		{ "data-peer-open", "Peer open, data queued: read returns the 10 bytes",
		  "对端打开，队列中有数据：read() 返回这 10 字节", 10, 10, false },
		{ "data-peer-closed", "Peer closed, data still queued: read returns the 10 bytes",
		  "对端已关闭，队列中仍有数据：read() 返回这 10 字节", 10, 10, true },
		{ "empty-peer-closed", "Peer closed, nothing queued: read returns 0 (end of file)",
		  "对端已关闭，队列为空：read() 返回 0（文件结束）", 0, 0, true },
	};
	const struct tl_process *p = role(tl, "nonblock");
	int st = -1, dg = written_of_kind(tl, p, OBJ_UNIX_DGRAM), n = 0, slept = 0;
	struct fill fs, fd;
	struct claim *c;
	char rb[32];

	for (int k = 0; k < 4; k++) {
		long i = sio(tl, p, 0, -1, k);
		const struct ipclab_sock_io *x;

		c = claim_new(cs, cases[k].id, "%s", cases[k].text);
		claim_zh(c, "%s", cases[k].text_zh);
		if (!need_zh(c, i >= 0 ? p : NULL, "non-blocking read", "非阻塞 read"))
			continue;
		x = skio(tl, i);
		claim_cite(c, i);
		claim_result(c, x->result == cases[k].result && x->occ_before == cases[k].queued &&
			     !!(x->s.shutdown & RCV_SHUTDOWN_) == cases[k].peer_gone &&
			     (tl->ev[i].e->flags & EVF_NONBLOCK) && tl_block_in(tl, i) < 0,
			     "read returned %s with %u bytes queued, peer %s, %s", res(rb, x->result),
			     x->occ_before, x->s.shutdown & RCV_SHUTDOWN_ ? "gone" : "open",
			     tl->ev[i].e->flags & EVF_NONBLOCK ? "O_NONBLOCK" : "blocking");
		claim_detail_zh(c, "read 返回 %s，此时队列中有 %u 字节，对端%s，%s", rb,
				x->occ_before, x->s.shutdown & RCV_SHUTDOWN_ ? "已关闭" : "打开",
				tl->ev[i].e->flags & EVF_NONBLOCK ? "O_NONBLOCK" : "阻塞方式");
	}

	/* round B: the stream socket written in 4096-byte chunks */
	for (int k = 0, o; (o = kth_written(tl, p, k)) >= 0; k++) {
		long i = sio(tl, p, 1, o, 0);

		if (tl->objs[o].kind == OBJ_UNIX_STREAM && skio(tl, i)->requested == 4096) {
			st = o;
			break;
		}
	}
	fill_of(tl, p, st, &fs);
	fill_of(tl, p, dg, &fd);

	c = claim_new(cs, "stream-eagain", "A non-blocking stream writer gets EAGAIN once its "
		      "charge reaches sk_sndbuf (after 44 writes of 4096 on 6.18 x86_64), even for "
		      "1 byte");
	claim_zh(c, "非阻塞流式写者的计费达到 sk_sndbuf 后（6.18 x86_64 上为 44 次 4096 字节的写入"
		 "之后）得到 EAGAIN，哪怕只写 1 字节");
	if (need_zh(c, fs.full >= 0 ? p : NULL, "stream writes ending in a failure",
		    "以失败告终的流式写入")) {
		long one = sio(tl, p, 1, st, fs.writes + 1);
		char r1[32];

		claim_cite(c, fs.full);
		claim_cite(c, one);
		claim_result(c, fill_stopped_at_budget(tl, &fs) && one >= 0 &&
			     skio(tl, one)->requested == 1 && skio(tl, one)->result == -EAGAIN,
			     "%d writes, then %s at a charge of %u of %u; 1 byte: %s", fs.writes,
			     res(rb, skio(tl, fs.full)->result), skio(tl, fs.full)->wmem_before,
			     skio(tl, fs.full)->wmem_max,
			     one >= 0 ? res(r1, skio(tl, one)->result) : "not tried");
		claim_detail_zh(c, "写 %d 次，然后在计费 %u / %u 时返回 %s；写 1 字节：%s",
				fs.writes,
				skio(tl, fs.full)->wmem_before, skio(tl, fs.full)->wmem_max, rb,
				one >= 0 ? r1 : "未尝试");
	}

	c = claim_new(cs, "dgram-eagain", "A non-blocking datagram writer gets EAGAIN once the "
		      "receiver holds 11 datagrams (backlog 10, plus one)");
	claim_zh(c, "接收方已有 11 个数据报（积压 10，再加一个）时，非阻塞数据报写者得到 EAGAIN");
	if (need_zh(c, fd.full >= 0 ? p : NULL, "datagram writes ending in a failure",
		    "以失败告终的数据报写入")) {
		const struct ipclab_sock_io *x = skio(tl, fd.full);

		claim_cite(c, fd.full);
		claim_result(c, x->result == -EAGAIN && (__u32)fd.writes == x->queue_max + 1 &&
			     x->skbs_before == x->queue_max + 1,
			     "%d datagrams went in, then %s with %u queued (backlog %u)", fd.writes,
			     res(rb, x->result), x->skbs_before, x->queue_max);
		claim_detail_zh(c, "写入 %d 个数据报，然后在已有 %u 个排队时返回 %s（积压上限 %u）",
				fd.writes, x->skbs_before, rb, x->queue_max);
	}

	c = claim_new(cs, "never-sleeps", "No call sleeps: where a blocking socket would wait, "
		      "the non-blocking one returns EAGAIN");
	claim_zh(c, "没有任何调用睡眠：阻塞套接字会等待的地方，非阻塞套接字返回 EAGAIN");
	if (p) {
		struct tl_filter f = sock_io(p->pid, -1, -1);

		for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f), n++)
			if (tl_block_in(tl, i) >= 0) {
				slept++;
				claim_cite(c, i);
			}
	}
	/* none slept: the calls checked, the EAGAINs that stood for a wait first */
	claim_cite(c, fs.full);
	claim_cite(c, fd.full);
	if (p) {
		struct tl_filter f = sock_io(p->pid, -1, -1);

		for (long i = tl_next(tl, -1, &f); i >= 0 && c->nevidence < CLAIM_EVIDENCE_MAX;
		     i = tl_next(tl, i, &f))
			if (i != fs.full && i != fd.full && tl_block_in(tl, i) < 0)
				claim_cite(c, i);
	}
	if (need_zh(c, n > 0 && fs.full >= 0 && fd.full >= 0 ? p : NULL, "three groups of calls",
		    "三组调用")) {
		claim_result(c, slept == 0, "%d of %d socket calls slept", slept, n);
		claim_detail_zh(c, "%d 次套接字调用中有 %d 次睡眠", n, slept);
	}
}

/* ---------------------------------------------------------------- SCM_RIGHTS */

static long fork_of(const struct timeline *tl, const struct tl_process *parent,
		    const struct tl_process *child)
{
	struct tl_filter f = events_of(parent->pid, EVT_FORK);

	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f))
		if (tl->ev[i].e->task.child_pid == child->pid)
			return i;
	return -1;
}

static long pipe_call(const struct timeline *tl, const struct tl_process *p)
{
	long a = p ? nth(tl, syscall_of(p->pid, NR_pipe), 0) : -1;

	return a >= 0 ? a : p ? nth(tl, syscall_of(p->pid, NR_pipe2), 0) : -1;
}

/* p's close of the pipe object obj carrying exactly the given EVF_ bits of mask. */
static long pipe_close(const struct timeline *tl, const struct tl_process *p, int obj,
		       __u16 mask, __u16 want)
{
	struct tl_filter f = syscall_of(p->pid, NR_close);

	f.obj = obj;
	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f))
		if ((tl->ev[i].e->flags & mask) == want)
			return i;
	return -1;
}

static void check_unix_pass_fd(const struct timeline *tl, struct claim_set *cs)
{
	const struct tl_process *o = role(tl, "owner"), *h = role(tl, "helper");
	long fk = o && h ? fork_of(tl, o, h) : -1, pp = pipe_call(tl, o);
	int pobj = pp >= 0 ? tl->ev[pp].obj : -1;
	long snd = -1, rcv = sio(tl, h, 0, -1, 0), hw = h ? nth(tl, pipe_io(h->pid, 1, -1), 0) : -1;
	long r1 = o && pobj >= 0 ? nth(tl, pipe_io(o->pid, 0, pobj), 0) : -1;
	long r2 = o && pobj >= 0 ? nth(tl, pipe_io(o->pid, 0, pobj), 1) : -1;
	long ocl = o && pobj >= 0 ? pipe_close(tl, o, pobj, EVF_FMODE_WRITE, EVF_FMODE_WRITE) : -1;
	long hcl = h && pobj >= 0 ? pipe_close(tl, h, pobj, EVF_FMODE_WRITE | EVF_LAST_REF,
					       EVF_FMODE_WRITE | EVF_LAST_REF) : -1;
	const struct tl_event *b = sleep_in(tl, rcv);
	struct claim *c;

	for (int k = 0; o && (snd = sio(tl, o, 1, -1, k)) >= 0; k++)
		if (tl->ev[snd].e->nr == NR_sendmsg)
			break;

	c = claim_new(cs, "pipe-after-fork", "The owner makes the pipe after fork(): the helper "
		      "cannot have inherited it");
	claim_zh(c, "属主在 fork() 之后才创建管道：辅助进程不可能继承它");
	if (need_zh(c, fk >= 0 && pp >= 0 ? o : NULL, "fork and pipe() call",
		    "fork 和 pipe() 调用")) {
		claim_cite(c, fk);
		claim_cite(c, pp);
		claim_result(c, tl->ev[pp].e->sc.ret == 0 && pobj >= 0 &&
			     tl->ev[fk].t < tl->ev[pp].t &&
			     pipe_call(tl, h) < 0,
			     "fork at %.3f ms, pipe() at %.3f ms returned %lld (object %d)",
			     tl->ev[fk].t / 1e6, tl->ev[pp].t / 1e6, (long long)tl->ev[pp].e->sc.ret,
			     pobj);
		claim_detail_zh(c, "fork 发生在 %.3f ms，pipe() 发生在 %.3f ms，"
				"返回 %lld（对象 %d）",
				tl->ev[fk].t / 1e6, tl->ev[pp].t / 1e6,
				(long long)tl->ev[pp].e->sc.ret, pobj);
	}

	c = claim_new(cs, "fd-in-message", "sendmsg() queues 1 byte carrying the write end "
		      "(SCM_RIGHTS) for the helper; it wakes the helper's recvmsg(), which returns it");
	claim_zh(c, "sendmsg() 为辅助进程排入 1 字节，附带写端（SCM_RIGHTS）"
		 "；它唤醒辅助进程的 recvmsg()，后者收到这个写端");
	if (need_zh(c, snd >= 0 && rcv >= 0 ? o : NULL, "sendmsg and recvmsg",
		    "sendmsg 和 recvmsg")) {
		claim_cite(c, snd);
		claim_cite(c, rcv);
		claim_result(c, skio(tl, snd)->result == 1 && tl->ev[snd].peer == tl->ev[rcv].obj &&
			     skio(tl, rcv)->result == 1 && tl->ev[rcv].e->nr == NR_recvmsg &&
			     woken_by(b, o, NR_sendmsg),
			     "sendmsg returned %lld, recvmsg %lld; the helper %s",
			     (long long)skio(tl, snd)->result, (long long)skio(tl, rcv)->result,
			     woken_by(b, o, NR_sendmsg) ? "slept until the sendmsg" :
			     "was not woken by the sendmsg");
		claim_detail_zh(c, "sendmsg 返回 %lld，recvmsg 返回 %lld；辅助进程%s",
				(long long)skio(tl, snd)->result, (long long)skio(tl, rcv)->result,
				woken_by(b, o, NR_sendmsg) ? "睡眠，直到被这次 sendmsg 唤醒" :
				"没有被这次 sendmsg 唤醒");
	}

	c = claim_new(cs, "same-pipe", "The helper's write goes into the owner's pipe - the same "
		      "object, the same inode - and the owner reads its 21 bytes");
	claim_zh(c, "辅助进程写入的是属主的管道——同一个对象、同一个 inode——属主读到它的 21 字节");
	if (need_zh(c, hw >= 0 && r1 >= 0 && rcv >= 0 ? h : NULL, "helper's write, owner's read",
		    "辅助进程的写、属主的读")) {
		claim_cite(c, hw);
		claim_cite(c, r1);
		claim_result(c, tl->ev[hw].obj == pobj && io(tl, hw)->result == 21 &&
			     io(tl, r1)->result == 21 && tl->ev[hw].t > tl->ev[rcv].t,
			     "helper wrote %lld bytes into object %d (inode %llu); owner read %lld",
			     (long long)io(tl, hw)->result, tl->ev[hw].obj,
			     (unsigned long long)tl->objs[pobj].ino, (long long)io(tl, r1)->result);
		claim_detail_zh(c, "辅助进程向对象 %d（inode %llu）写入 %lld 字节；"
				"属主读到 %lld 字节",
				tl->ev[hw].obj, (unsigned long long)tl->objs[pobj].ino,
				(long long)io(tl, hw)->result, (long long)io(tl, r1)->result);
	}

	c = claim_new(cs, "last-writer", "The owner's close of its write end is not the last: the "
		      "helper's is, and only then does the owner's read return 0");
	claim_zh(c, "属主的 close() 并不是最后一次关闭写端：辅助进程的 close() 才是，"
		 "直到那时属主的 read() 才返回 0");
	if (need_zh(c, ocl >= 0 && hcl >= 0 && r2 >= 0 ? o : NULL, "both closes and the 2nd read",
		    "两次 close 和第二次 read")) {
		claim_cite(c, ocl);
		claim_cite(c, hcl);
		claim_cite(c, r2);
		claim_result(c, !(tl->ev[ocl].e->flags & EVF_LAST_REF) && io(tl, r2)->result == 0 &&
			     io(tl, r2)->after.writers == 0 && tl_end(&tl->ev[r2]) >= tl->ev[hcl].t,
			     "owner's close %s the last; read returned %lld with %u writers",
			     tl->ev[ocl].e->flags & EVF_LAST_REF ? "was" : "was not",
			     (long long)io(tl, r2)->result, io(tl, r2)->after.writers);
		claim_detail_zh(c, "属主的 close %s最后一次关闭写端；"
				"read 返回 %lld，此时写者数为 %u",
				tl->ev[ocl].e->flags & EVF_LAST_REF ? "是" : "不是",
				(long long)io(tl, r2)->result, io(tl, r2)->after.writers);
	}
}

/* ---------------------------------------------------------------- reliable */

/* Every send of w into its first socket and every receive of r from the other end: counts,
 * bytes and order ("rec NNNN" in each record's first bytes). */
struct flow {
	int tx, rx;
	int writes, reads, in_order;
	__u64 in, out;
	long last_read;
};

static void flow_of(const struct timeline *tl, const struct tl_process *w,
		    const struct tl_process *r, struct flow *fl)
{
	long w0 = sio(tl, w, 1, -1, 0);
	struct tl_filter f;

	memset(fl, 0, sizeof(*fl));
	fl->tx = w0 >= 0 ? tl->ev[w0].obj : -1;
	fl->rx = w0 >= 0 ? tl->ev[w0].peer : -1;
	fl->last_read = -1;
	if (fl->tx < 0 || !r)
		return;
	f = sock_io(w->pid, 1, fl->tx);
	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f), fl->writes++)
		fl->in += skio(tl, i)->result > 0 ? skio(tl, i)->result : 0;
	if (fl->rx < 0)
		return;
	f = sock_io(r->pid, 0, fl->rx);
	for (long i = tl_next(tl, -1, &f); i >= 0; i = tl_next(tl, i, &f)) {
		const struct ipclab_sock_io *x = skio(tl, i);

		fl->last_read = i;
		if (x->result <= 0)
			continue;
		fl->out += x->result;
		fl->in_order += x->result == 100 && numbered(x, "rec ") == fl->reads;
		fl->reads++;
	}
}

/* The first send of w that slept, with the reader's read as the waker. */
static bool writer_waits(const struct timeline *tl, struct claim *c, const struct tl_process *w,
			 const struct tl_process *r, const struct flow *fl, bool dgram)
{
	int k;
	long blocked = fl->tx >= 0 ? first_blocked(tl, w, fl->tx, &k) : -1;
	const struct tl_event *b = sleep_in(tl, blocked);
	const struct ipclab_sock_io *x;
	char limit[64], limit_zh[96], nb[32];
	bool at_limit;

	if (!need_zh(c, b ? w : NULL, "write that slept", "睡眠过的写"))
		return false;
	x = skio(tl, blocked);
	claim_cite(c, blocked);
	at_limit = dgram ? x->skbs_before == x->queue_max + 1 :
			   !budget_left(x->wmem_before, x->wmem_max);
	if (dgram) {
		snprintf(limit, sizeof(limit), "%u datagrams queued (backlog %u)", x->skbs_before,
			 x->queue_max);
		snprintf(limit_zh, sizeof(limit_zh), "已有 %u 个数据报排队（积压上限 %u）",
			 x->skbs_before, x->queue_max);
	} else {
		snprintf(limit, sizeof(limit), "%u of %u bytes charged", x->wmem_before,
			 x->wmem_max);
		snprintf(limit_zh, sizeof(limit_zh), "计费 %u / %u 字节", x->wmem_before,
			 x->wmem_max);
	}
	claim_result(c, at_limit && woken_by(b, r, NR_read) && x->result == 100,
		     "write %d slept with %s; woken by pid %u in %s()", k + 1, limit,
		     b->e->blk.waker_pid, nr_name(nb, b->e->blk.waker_nr));
	claim_detail_zh(c, "第 %d 次写在%s时睡眠；被 pid %u 在 %s() 中唤醒", k + 1, limit_zh,
			b->e->blk.waker_pid, nr_name_zh(nb, b->e->blk.waker_nr));
	return c->pass;
}

static void check_unix_reliable(const struct timeline *tl, struct claim_set *cs)
{
	/* the lab's 400 records of 100 bytes per round, record i starting "rec %04d" */
	enum { NREC = 400 };
	const struct tl_process *sw = role(tl, "st-writer"), *dw = role(tl, "dg-writer");
	/* one process reads both rounds; its last name is dg-reader */
	const struct tl_process *r = role(tl, "dg-reader");
	struct flow st, dg;
	struct claim *c;
	char rb[32];

	flow_of(tl, sw, r, &st);
	flow_of(tl, dw, r, &dg);

	c = claim_new(cs, "stream-complete", "Stream: 400 writes of 100 bytes, and the reader gets "
		      "all 40000 bytes in order, then end of file: nothing lost, doubled or "
		      "reordered");
	claim_zh(c, "流式：400 次 100 字节的写入，读者按顺序收到全部 40000 字节，"
		 "然后是文件结束：没有丢失、重复或乱序");
	if (need_zh(c, st.last_read >= 0 ? sw : NULL, "writes and reads", "写和读")) {
		claim_cite(c, st.last_read);
		claim_result(c, st.writes == NREC && st.in == NREC * 100 && st.out == st.in &&
			     st.reads == NREC && st.in_order == NREC &&
			     skio(tl, st.last_read)->result == 0,
			     "%d writes, %llu bytes in; %d reads, %llu bytes out, %d in order; last "
			     "read %s", st.writes, (unsigned long long)st.in, st.reads,
			     (unsigned long long)st.out, st.in_order,
			     res(rb, skio(tl, st.last_read)->result));
		claim_detail_zh(c, "写 %d 次，写入 %llu 字节；读 %d 次，读出 %llu 字节，其中 %d 次"
				"顺序正确；最后一次读返回 %s", st.writes, (unsigned long long)st.in,
				st.reads, (unsigned long long)st.out, st.in_order, rb);
	}

	c = claim_new(cs, "dgram-complete", "Datagram: 400 datagrams of 100 bytes, and the reader "
		      "gets all of them in order, and nothing more");
	claim_zh(c, "数据报：400 个 100 字节的数据报，读者按顺序收到全部，且没有多余");
	if (need_zh(c, dg.last_read >= 0 ? dw : NULL, "writes and reads", "写和读")) {
		claim_cite(c, dg.last_read);
		claim_result(c, dg.writes == NREC && dg.in == NREC * 100 && dg.out == dg.in &&
			     dg.reads == NREC && dg.in_order == NREC &&
			     skio(tl, dg.last_read)->result == -EAGAIN,
			     "%d writes, %llu bytes in; %d reads, %llu bytes out, %d in order; then %s",
			     dg.writes, (unsigned long long)dg.in, dg.reads, (unsigned long long)dg.out,
			     dg.in_order, res(rb, skio(tl, dg.last_read)->result));
		claim_detail_zh(c, "写 %d 次，写入 %llu 字节；读 %d 次，读出 %llu 字节，其中 %d 次"
				"顺序正确；之后返回 %s", dg.writes, (unsigned long long)dg.in,
				dg.reads, (unsigned long long)dg.out, dg.in_order, rb);
	}

	c = claim_new(cs, "stream-writer-waits", "When the reader is behind, the stream writer "
		      "sleeps at its sk_sndbuf (write 279 on 6.18 x86_64) instead of losing data, "
		      "and the reader's reads wake it");
	claim_zh(c, "读者落后时，流式写者在 sk_sndbuf 处睡眠（6.18 x86_64 上为第 279 次写入）"
		 "而不丢数据，由读者的 read() 唤醒");
	writer_waits(tl, c, sw, r, &st, false);

	c = claim_new(cs, "dgram-writer-waits", "The datagram writer sleeps when the receiver "
		      "holds 11 datagrams (backlog + 1) instead of dropping one, and the reader's "
		      "reads wake it");
	claim_zh(c, "接收方已有 11 个数据报（积压 + 1）时，数据报写者睡眠而不丢弃，"
		 "由读者的 read() 唤醒");
	writer_waits(tl, c, dw, r, &dg, true);
}

/* ---------------------------------------------------------------- the scenarios */

static const struct scenario unix_scenarios[] = {
	{
		.name = "unix_socketpair_transfer", .section = "unix",
		.summary = "parent->child over a socketpair: one skb per write, copied in and out",
		.rule_zh = "在内核中开辟一块缓冲区，进程1把数据从用户空间拷贝到内核缓冲区，"
			   "进程2再从内核缓冲区把数据读走",
		.explain = "Each write copies its bytes into a new skb queued on the reader's "
			   "socket (1000/1, 2000/2, 3000/3, 8000/4 bytes/skbs: never merged, "
			   "where a pipe fills pages) and is charged to the writer's socket. One "
			   "read copies all 8000 bytes out; after the writer's close the next "
			   "read returns 0.",
		.summary_zh = "父进程→子进程经 socketpair() 传输：每次写入一个 skb，"
			      "拷入再拷出",
		.explain_zh = "每次 write() 都把数据拷贝进一个新的 skb，挂到读者套接字的接收队列上"
			      "（字节/skb 数依次为 1000/1、2000/2、3000/3、"
			      "8000/4：从不合并，而管道会把数据填进页），并计入写者套接字的发送缓"
			      "冲区。一次 read() 拷出全部 8000 字节；写者 close() 之后，"
			      "下一次 read() 返回 0。",
		.look = "4 writes return at once and queue 4 skbs on the reader's socket (no merging, "
		        "unlike a pipe's page); 200 ms later one read takes all 8000 bytes, and after "
		        "the writer's close the next read returns 0.",
		.look_zh = "4 次写入立即返回，在读者的套接字上排了 4 个 skb（不像管道那样合并进同一页）"
		           "；200 ms 后一次 read 取走全部 8000 字节，"
		           "写者 close 之后下一次 read 返回 0。",
		.programs = { "unix_socketpair_transfer" }, .check = check_unix_socketpair_transfer,
	},
	{
		.name = "unix_boundaries", .section = "unix",
		.summary = "message boundaries: lost in SOCK_STREAM, kept in SOCK_DGRAM and "
			   "SOCK_SEQPACKET",
		.rule_zh = "4）本地套接字，最稳定",
		.explain = "Three writes (3, 4, 5 bytes) queue three skbs in every round. A "
			   "stream read takes all 12 bytes at once; dgram and seqpacket reads "
			   "take one skb each. Then stream and seqpacket report end of file, "
			   "dgram EAGAIN.",
		.summary_zh = "消息边界：SOCK_STREAM 丢失边界，SOCK_DGRAM 与 SOCK_SEQPACKET 保留边界",
		.explain_zh = "每一轮中三次写入（3、4、5 字节）都排入三个 skb。"
			      "流式套接字的一次 read() 取走全部 12 字节；数据报和顺序包套接字每次"
			      " read() 只取一个 skb。之后流式和顺序包套接字报告文件结束，"
			      "数据报套接字返回 EAGAIN。",
		.look = "Three writes per round: the stream reader gets them in one read of 12, the "
		        "datagram and seqpacket readers in reads of 3, 4 and 5; at the end recv "
		        "returns 0 for stream and seqpacket, -EAGAIN for datagram.",
		.look_zh = "每轮三次写入：流式读者一次 read 读到 12 字节，数据报和顺序包读者"
		           "分三次读到 3、4、5 字节；最后的 recv 对流式和顺序包返回 0，"
		           "对数据报返回 -EAGAIN。",
		.programs = { "unix_boundaries" }, .check = check_unix_boundaries,
	},
	{
		.name = "unix_capacity", .section = "unix",
		.summary = "a stream socket holds what the writer's sk_sndbuf pays for; a pipe 64 "
			   "KiB",
		.rule_zh = "默认缓冲区大小为4k,可以使用ulimit -a 命令获取大小",
		.explain = "Every skb is charged to the writer with its overhead until the charge "
			   "reaches sk_sndbuf (212992): 1-byte writes fill it with 278 bytes, 64 "
			   "KiB writes with 233152 (6.18 x86_64). A pipe holds 65536 bytes "
			   "whatever the write size.",
		.summary_zh = "流式套接字能存多少，取决于写者 sk_sndbuf 的计费预算；"
			      "管道固定 64 KiB",
		.explain_zh = "每个 skb 连同其开销都计入写者的发送缓冲区，直到计费达到 sk_sndbuf（"
			      "212992）：1 字节的写入只存下 278 字节就满了，"
			      "64 KiB 的写入则能存 233152 字节（6.18 x86_64）"
			      "。管道无论每次写多少都容纳 65536 字节。",
		.look = "Count the non-blocking writes before -EAGAIN in each round: the stream "
		        "socket's queue is bounded by what the writer's sk_sndbuf pays for, skb "
		        "overhead included, so 1-byte writes fill it with a few hundred bytes and "
		        "4096-byte writes with far more; the pipe holds 16 of 4096, whatever the size.",
		.look_zh = "数一数每一轮非阻塞写入在 -EAGAIN 之前成功了几次：流式套接字的队列受写者 sk_sndbuf 限"
		           "制，skb 开销也计算在内，所以 1 字节的写入只能放下几百字节，"
		           "4096 字节的写入能放下多得多；管道则不论大小，能放 16 次 4096 字节。",
		.programs = { "unix_capacity" }, .check = check_unix_capacity,
	},
	{
		.name = "unix_stream_blocks", .section = "unix",
		.summary = "a stream writer blocks at its sk_sndbuf and wakes when 3/4 is free "
			   "again",
		.rule_zh = "读端没有全部关闭：缓冲区写满了，write阻塞",
		.explain = "4096-byte writes go in until the writer's charge reaches sk_sndbuf "
			   "(44 on 6.18 x86_64); the next one sleeps. The reader's reads free one "
			   "skb each, but the kernel wakes the writer only when 4 x its charge "
			   "fits in sk_sndbuf (after read 34, 10 skbs left, on 6.18 x86_64).",
		.summary_zh = "流式套接字的写者在 sk_sndbuf 处阻塞，等到有 3/4 空闲时才被唤醒",
		.explain_zh = "4096 字节的写入不断进入，直到写者的计费达到 sk_sndbuf（6.18 x86_64 上"
			      "为 44 次）；下一次写入睡眠。读者每次 read() 释放一个 skb，"
			      "但内核要等到写者计费的 4 倍能放进 sk_sndbuf 时才唤醒写者（6.18 x86_64 上"
			      "是第 34 次读之后，还剩 10 个 skb）。",
		.look = "Write 45 is a blocked bar; the reader starts 300 ms later, and the wake-up "
		        "arrow comes not from its first read but from the read that frees 3/4 of the "
		        "budget. Then the remaining writes go in.",
		.look_zh = "第 45 次写成为阻塞条；读者 300 ms 后开始读，唤醒箭头并不来自它的第一次 read，"
		           "而是来自让预算空出 3/4 的那次 read。之后剩下的写入才进去。",
		.programs = { "unix_stream_blocks" }, .check = check_unix_stream_blocks,
	},
	{
		.name = "unix_dgram_blocks", .section = "unix",
		.summary = "a datagram writer blocks when the receiver holds backlog + 1 (11) "
			   "datagrams",
		.rule_zh = "读端没有全部关闭：缓冲区写满了，write阻塞",
		.explain = "The sender is connected one way to a receiver bound to an abstract "
			   "name. 11 datagrams queue (net.unix.max_dgram_qlen 10, plus one); the "
			   "12th write sleeps until the receiver's first read, which wakes it at "
			   "once. No datagram is dropped.",
		.summary_zh = "接收方积压了 11 个数据报（积压上限 10 再加 1）时，数据报写者阻塞",
		.explain_zh = "发送方单向连接到一个绑定在抽象名字上的接收方。"
			      "11 个数据报排队（net.unix.max_dgram_qlen 为 10，"
			      "再加一个）；第 12 次写入睡眠，接收方的第一次 read() 就立即将其唤"
			      "醒。没有数据报被丢弃。",
		.look = "Writes 1-11 queue 11 skbs on the receiver, write 12 is a blocked bar, and the "
		        "receiver's first read (300 ms) sends the wake-up arrow; then 11 reads of 100 "
		        "bytes, in order.",
		.look_zh = "写入 1-11 在接收者上排了 11 个 skb，第 12 次写成为阻塞条，"
		           "接收者 300 ms 时的第一次 read 发出唤醒箭头；随后按顺序 11 次各读 100 字"
		           "节。",
		.programs = { "unix_dgram_blocks" }, .check = check_unix_dgram_blocks,
	},
	{
		.name = "unix_msgsize", .section = "unix",
		.summary = "a datagram must fit in sk_sndbuf - 32 (EMSGSIZE); a stream write is "
			   "cut up",
		.rule_zh = "4）本地套接字，最稳定",
		.explain = "A datagram travels as one skb: 212960 bytes go, 212961 fail with "
			   "EMSGSIZE before anything is queued; SO_SNDBUF 4096 becomes 8192 and "
			   "the limit 8160. A stream write of 212961 bytes returns in full, in "
			   "several skbs.",
		.summary_zh = "数据报必须放得进 sk_sndbuf - 32（否则 EMSGSIZE）"
			      "；流式写入会被切分",
		.explain_zh = "一个数据报作为一个 skb 传输：212960 字节可以发送，"
			      "212961 字节在排队之前就以 EMSGSIZE 失败；SO_SNDBUF 设为 4096 后变成"
			      " 8192，上限变为 8160。流式套接字写 212961 字节则全部返回，"
			      "分成若干个 skb。",
		.look = "A datagram write of sk_sndbuf - 32 queues one skb, one byte more gets "
		        "-EMSGSIZE and queues nothing; the limit follows SO_SNDBUF. A stream write of "
		        "the same size returns in full and queues several skbs.",
		.look_zh = "数据报 write 长度为 sk_sndbuf - 32 时排入一个 skb，"
		           "多一个字节就返回 -EMSGSIZE，什么也不排；该上限随 SO_SNDBUF 变化。"
		           "同样长度的流式 write 全部写入，排成多个 skb。",
		.programs = { "unix_msgsize" }, .check = check_unix_msgsize,
	},
	{
		.name = "unix_server_client", .section = "unix",
		.summary = "unrelated server and client meet on a socket file; refused and stale "
			   "paths",
		.rule_zh = "3）共享映射区，无血缘关系的进程也可以使用  4）本地套接字，最稳定",
		.explain = "bind creates a socket file; accept sleeps until the unrelated "
			   "client's connect; a request and a reply cross the connection; close "
			   "gives the server's read 0. The file stays: a later connect is refused "
			   "(ECONNREFUSED) and bind fails (EADDRINUSE) until unlink.",
		.summary_zh = "无血缘关系的服务器与客户端通过套接字文件会合；"
			      "连接被拒与残留路径",
		.explain_zh = "bind() 创建套接字文件；accept() 睡眠，直到无血缘关系的客户端 connect()；"
			      "请求和应答经同一连接往返；close() 使服务器的 read() 返回 0。"
			      "套接字文件仍然留着：之后的 connect() 被拒绝（ECONNREFUSED）"
			      "，bind() 失败（EADDRINUSE），直到 unlink() 删除它。",
		.look = "The server's accept is a blocked bar until the client's connect (wake-up "
		        "arrow), its read another until the request; the reply goes back, and the "
		        "client's close gives the server's read a 0. Then -ECONNREFUSED, -EADDRINUSE, "
		        "and bind works after unlink.",
		.look_zh = "服务器的 accept 是一段阻塞条，直到客户端 connect（唤醒箭头）"
		           "；它的 read 又阻塞到请求到来；回复发回后，客户端 close 使服务器的 read 返"
		           "回 0。之后依次是 -ECONNREFUSED、-EADDRINUSE，"
		           "unlink 之后 bind 成功。",
		.programs = { "unix_server {dir}/sock", "unix_client {dir}/sock" },
		.check = check_unix_server_client,
	},
	{
		.name = "unix_epipe", .section = "unix",
		.summary = "writing to a closed peer: EPIPE, and SIGPIPE unless MSG_NOSIGNAL",
		.rule_zh = "读端全部关闭：……进程终止，内核给当前进程发 SIGPIPE信号",
		.explain = "In three rounds the peer socket is closed before the child writes: "
			   "the write fails with EPIPE. A plain write raises SIGPIPE and dies; "
			   "send(MSG_NOSIGNAL) raises nothing; with SIGPIPE ignored it is "
			   "generated and dropped.",
		.summary_zh = "向已关闭的对端写：EPIPE，且除非 MSG_NOSIGNAL，"
			      "否则还有 SIGPIPE",
		.explain_zh = "三轮中对端套接字都在子进程写之前关闭：写入以 EPIPE 失败。"
			      "普通 write() 引发 SIGPIPE，进程被终止；send(MSG_NOSIGNAL) 不产生信"
			      "号；忽略 SIGPIPE 时信号产生后被丢弃。",
		.look = "Three rounds: a plain write gets -EPIPE and the SIGPIPE mark ends the child's "
		        "lane; send(MSG_NOSIGNAL) gets -EPIPE and no signal mark; with SIGPIPE "
		        "ignored, -EPIPE and the signal generated but dropped.",
		.look_zh = "三轮：普通 write 返回 -EPIPE，SIGPIPE 标记结束了子进程的泳道；"
		           "send(MSG_NOSIGNAL) 返回 -EPIPE，没有信号标记；"
		           "忽略 SIGPIPE 时返回 -EPIPE，信号产生了但被丢弃。",
		.programs = { "unix_epipe" }, .check = check_unix_epipe,
	},
	{
		.name = "unix_nonblock", .section = "unix",
		.summary = "non-blocking sockets: EAGAIN for reads, stream writes and datagram "
			   "writes",
		.rule_zh = "若是读端设置为非阻塞：写端没有关闭，管道没有数据，read返回-1……"
			   "写端已经关闭，管道没有数据，read返回 0",
		.explain = "The pipe's four read cases hold for a stream socket, its peer in the "
			   "role of the write end. A stream writer gets EAGAIN at its sk_sndbuf, "
			   "even for 1 byte; a datagram writer at the receiver's backlog. No call "
			   "sleeps.",
		.summary_zh = "非阻塞套接字：读、流式写和数据报写都返回 EAGAIN",
		.explain_zh = "管道非阻塞读的四种情形对流式套接字同样成立，"
			      "对端扮演写端的角色。流式写者在 sk_sndbuf 处得到 EAGAIN，"
			      "哪怕只写 1 字节；数据报写者在接收方积压满时得到 EAGAIN。"
			      "没有任何调用睡眠。",
		.look = "No blocked bar anywhere: reads return -EAGAIN, 10, 10, 0 as for a pipe; the "
		        "stream writer gets -EAGAIN after 44 writes of 4096, the datagram writer after "
		        "11 datagrams.",
		.look_zh = "全程没有阻塞条：read 像管道一样返回 -EAGAIN、10、"
		           "10、0；流式写者在 44 次 4096 字节写入后得到 -EAGAIN，"
		           "数据报写者在 11 个数据报后得到 -EAGAIN。",
		.programs = { "unix_nonblock" }, .check = check_unix_nonblock,
	},
	{
		.name = "unix_pass_fd", .section = "unix",
		.summary = "SCM_RIGHTS passes a pipe's write end: the helper writes into that "
			   "pipe",
		.rule_zh = "只能在有血缘关系的进程间使用管道,原因是管道通信需要在各自进程中使用"
			   "对方的文件描述符",
		.explain = "The owner makes a pipe after the fork and sends its write end over a "
			   "socketpair (sendmsg with SCM_RIGHTS). The helper's recvmsg installs a "
			   "new fd for the same open file: its write lands in the owner's pipe, "
			   "and its close is the last writer's.",
		.summary_zh = "SCM_RIGHTS 传递管道的写端：辅助进程写入这个管道",
		.explain_zh = "属主进程在 fork() 之后才创建管道，并通过 socketpair 把写端发送出去"
			      "（sendmsg 携带 SCM_RIGHTS）。辅助进程的 recvmsg() 为同一个打开文件"
			      "安装一个新的 fd：它写的数据进入属主的管道，它的 close() 是最后一个"
			      "写端的关闭。",
		.look = "The owner sendmsg's the pipe's write end with SCM_RIGHTS; the helper's "
		        "recvmsg (a blocked bar) gets a new fd, and its write goes into the owner's "
		        "pipe (same inode) and wakes the owner's read: 21 bytes, then 0.",
		.look_zh = "属主用 SCM_RIGHTS 通过 sendmsg 传出管道写端；"
		           "辅助进程的 recvmsg（一段阻塞条）得到一个新 fd，它的 write 写进属主的管道"
		           "（同一 inode），唤醒属主的 read：读到 21 字节，"
		           "然后是 0。",
		.programs = { "unix_pass_fd" }, .check = check_unix_pass_fd,
	},
	{
		.name = "unix_reliable", .section = "unix",
		.summary = "\"the most stable\": nothing lost, doubled or reordered, stream and "
			   "datagram",
		.rule_zh = "4）本地套接字，最稳定",
		.explain = "400 records of 100 bytes per round with a late reader. The writer "
			   "sleeps when the kernel has no room (stream: its sk_sndbuf; dgram: the "
			   "receiver's backlog) instead of dropping anything; the reader gets "
			   "every record, in order.",
		.summary_zh = "“最稳定”：流式与数据报套接字都不丢失、不重复、不乱序",
		.explain_zh = "每轮写 400 条 100 字节的记录，读者故意读得慢。"
			      "内核没有空间时（流式：写者的 sk_sndbuf；数据报："
			      "接收方的积压队列）写者睡眠而不是丢弃数据；读者按顺序收到每一条记录。",
		.look = "400 records per round: the stream writer becomes a blocked bar until the "
		        "reader drains to a quarter of the budget, the datagram writer at write 12, "
		        "then each read lets one more in; both readers get all 400, in order.",
		.look_zh = "每轮 400 条记录：流式写者成为阻塞条，直到读者读到只剩四分之一预算；"
		           "数据报写者在第 12 次写时阻塞，之后每读一次放进一条；两个读者都按顺序收到全部 400 条"
		           "。",
		.programs = { "unix_reliable" }, .check = check_unix_reliable,
	},
};

extern const struct mech_trace_ops unix_trace_ops;
extern const struct mech_timeline_ops unix_timeline_ops;
extern const struct mech_probes unix_probes;

const struct mechanism mech_unix = {
	.name = "unix",
	.scenarios = unix_scenarios,
	.n_scenarios = sizeof(unix_scenarios) / sizeof(unix_scenarios[0]),
	.trace = &unix_trace_ops,
	.timeline = &unix_timeline_ops,
	.probes = &unix_probes,
};
