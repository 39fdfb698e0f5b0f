// SPDX-License-Identifier: GPL-2.0
/* scenarios.c - the scenario table: programs to run and the claims to check. */
#include <string.h>
#include "scenarios.h"

const struct scenario scenarios[] = {
	{
		.name = "pipe_transfer", .section = "pipe",
		.summary = "parent->child transfer; the ring fills, small writes merge into a page",
		.rule_zh = "管道的本质是一块内核缓冲区……规定数据从管道的写端流入管道，从读端流出",
		.explain = "Four writes (1000, 1000, 1000, 5000 bytes) land in the kernel buffer "
			   "before the child reads. The first takes a slot; the next two merge into "
			   "the same page; the 5000-byte write tops that page up with 904 bytes and "
			   "takes a second slot. One read copies all 8000 bytes out.",
		.programs = { "pipe_transfer" }, .check = check_pipe_transfer,
	},
	{
		.name = "pipe_read_blocks", .section = "pipe",
		.summary = "read on an empty pipe blocks until a write wakes it",
		.rule_zh = "无数据：如果写端没有全关闭，read阻塞",
		.explain = "The reader sleeps inside read() for ~200 ms; sched_waking names the "
			   "writer's write() on the same pipe as what woke it.",
		.programs = { "pipe_read_blocks" }, .check = check_pipe_read_blocks,
	},
	{
		.name = "pipe_eof", .section = "pipe",
		.summary = "read returns 0 once every write end is closed",
		.rule_zh = "无数据：如果写端全部关闭，read解除阻塞，返回0，相当于读文件读到了尾部",
		.explain = "The reader blocks on an empty pipe; the writer's close() drops the last "
			   "write end (writers: 1 -> 0), which wakes the reader, and read returns 0.",
		.programs = { "pipe_eof" }, .check = check_pipe_eof,
	},
	{
		.name = "pipe_write_blocks", .section = "pipe",
		.summary = "write on a full pipe (16 slots) blocks until a read drains it",
		.rule_zh = "读端没有全部关闭：缓冲区写满了，write阻塞",
		.explain = "Sixteen 4096-byte writes fill all 16 slots (65536 bytes); the 17th "
			   "sleeps until the reader's read frees a slot.",
		.programs = { "pipe_write_blocks" }, .check = check_pipe_write_blocks,
	},
	{
		.name = "pipe_sigpipe", .section = "pipe",
		.summary = "write with every read end closed: SIGPIPE kills the writer",
		.rule_zh = "读端全部关闭：……进程终止，内核给当前进程发 SIGPIPE信号",
		.explain = "The write fails with EPIPE (it does not fill the pipe first, as the "
			   "notes suggest) and the kernel sends SIGPIPE from inside that write.",
		.programs = { "pipe_sigpipe" }, .check = check_pipe_sigpipe,
	},
	{
		.name = "pipe_epipe", .section = "pipe",
		.summary = "same with SIGPIPE ignored: write fails with EPIPE and the writer lives",
		.rule_zh = "读端全部关闭：……内核给当前进程发 SIGPIPE信号",
		.explain = "With SIGPIPE ignored the signal is still generated but dropped "
			   "(signal_generate result: ignored); write returns -1/EPIPE.",
		.programs = { "pipe_epipe" }, .check = check_pipe_epipe,
	},
	{
		.name = "pipe_nonblock", .section = "pipe",
		.summary = "the four non-blocking read cases of the notes",
		.rule_zh = "若是读端设置为非阻塞：写端没有关闭，管道没有数据，read返回-1……"
			   "写端已经关闭，管道没有数据，read返回 0",
		.explain = "Each read's result next to the pipe's occupancy and writer count, "
			   "sampled by the kernel probe at that moment; no read sleeps.",
		.programs = { "pipe_nonblock" }, .check = check_pipe_nonblock,
	},
	{
		.name = "pipe_capacity", .section = "pipe",
		.summary = "the notes say 4 KiB: the pipe holds 65536 bytes in 16 slots",
		.rule_zh = "默认缓冲区大小为4k,可以使用ulimit -a 命令获取大小",
		.explain = "Non-blocking 4096-byte writes take one slot each until all 16 are used "
			   "(65536 bytes); then EAGAIN. 4096 is PIPE_BUF (ulimit -p reports 8 x 512 "
			   "bytes), the limit for atomic writes, not the capacity.",
		.programs = { "pipe_capacity" }, .check = check_pipe_capacity,
	},
	{
		.name = "pipe_resize", .section = "pipe",
		.summary = "F_SETPIPE_SZ changes the capacity (2 slots, 64 slots; EBUSY)",
		.rule_zh = "实际操作过程中缓冲区会根据数据压力作适当调整",
		.explain = "The kernel does not resize a pipe by itself under pressure; a program "
			   "asks with fcntl(F_SETPIPE_SZ). The ring then holds 2 or 64 slots.",
		.programs = { "pipe_resize" }, .check = check_pipe_resize,
	},
	{
		.name = "pipe_two_way", .section = "pipe",
		.summary = "two pipes for two-way traffic (request/reply)",
		.rule_zh = "数据只能在一个方向上流动，若想实现双向流动，必须使用两个管道",
		.explain = "ping on one pipe, pong on the other: each pipe has one writer and one "
			   "reader, in opposite directions.",
		.programs = { "pipe_two_way" }, .check = check_pipe_two_way,
	},
	{
		.name = "pipe_atomic", .section = "pipe",
		.summary = "writes of PIPE_BUF (4096) bytes from three writers never mix",
		.rule_zh = "管道的实质是内核缓冲区，内部使用环形队列实现",
		.explain = "Three writers race 4096-byte records into one pipe; the bytes the "
			   "kernel copied out to each read all come from one writer.",
		.programs = { "pipe_atomic" }, .check = check_pipe_atomic,
	},
	{
		.name = "pipe_atomic_large", .section = "pipe",
		.summary = "writes larger than PIPE_BUF interleave",
		.rule_zh = "管道的实质是内核缓冲区，内部使用环形队列实现",
		.explain = "Two single 200000-byte writes: each blocks part-way on the full pipe, "
			   "and the other writer's pages get in between.",
		.programs = { "pipe_atomic_large" }, .check = check_pipe_atomic_large,
	},
};

const size_t n_scenarios = sizeof(scenarios) / sizeof(scenarios[0]);

const struct scenario *scenario_find(const char *name)
{
	for (size_t i = 0; i < n_scenarios; i++)
		if (strcmp(scenarios[i].name, name) == 0)
			return &scenarios[i];
	return NULL;
}
