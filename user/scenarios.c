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
	{
		.name = "fifo_hello", .section = "fifo",
		.summary = "two unrelated processes: A mkfifo()s and writes \"hello world\", B reads it",
		.rule_zh = "通过FIFO,不相关的进程也能通信",
		.explain = "Two programs started separately share no descriptors: the writer creates "
			   "the FIFO with mkfifo (mknodat S_IFIFO), both open it by path, and the 11 "
			   "bytes cross the same kernel buffer a pipe uses.",
		.programs = { "fifo_hello_writer {dir}/myfifo", "fifo_hello_reader {dir}/myfifo" },
		.check = check_fifo_hello,
	},
	{
		.name = "fifo_open_blocks", .section = "fifo",
		.summary = "open() of a FIFO blocks until the other end is opened",
		.rule_zh = "调用open函数打开myfifo文件",
		.explain = "The reader's open(O_RDONLY) sleeps ~200 ms; the writer's open(O_WRONLY) "
			   "of the same FIFO is what wakes it (sched_waking names it).",
		.programs = { "fifo_open_wait_reader {dir}/myfifo", "fifo_open_wait_writer {dir}/myfifo" },
		.check = check_fifo_open_blocks,
	},
	{
		.name = "fifo_enoent", .section = "fifo",
		.summary = "B started before A created the FIFO: open fails with ENOENT",
		.rule_zh = "注意:myfifo文件是在进程A中创建的，如果先启动进程B就会报错。",
		.explain = "Without the FIFO file there is nothing to open: openat returns -ENOENT "
			   "and no kernel buffer exists.",
		.programs = { "fifo_enoent {dir}/myfifo" }, .check = check_fifo_enoent,
	},
	{
		.name = "fifo_nonblock_open", .section = "fifo",
		.summary = "O_NONBLOCK open: for writing with no reader -> ENXIO; for reading -> ok",
		.rule_zh = "当创建了一个fifo，就可以使用open函数打开它",
		.explain = "A non-blocking open cannot wait for a partner: with no reader a writer "
			   "gets ENXIO, while a reader succeeds at once.",
		.programs = { "fifo_nonblock_open {dir}/myfifo" }, .check = check_fifo_nonblock_open,
	},
	{
		.name = "fifo_lseek", .section = "fifo",
		.summary = "lseek on a FIFO fails with ESPIPE; data comes out first in, first out",
		.rule_zh = "它们不支持诸如lseek等文件定位操作",
		.explain = "A FIFO has no file position: lseek returns -ESPIPE, and reads return "
			   "the bytes in the order they were written.",
		.programs = { "fifo_lseek {dir}/myfifo" }, .check = check_fifo_lseek,
	},
	{
		.name = "fifo_on_disk", .section = "fifo",
		.summary = "the FIFO file has type p and size 0 while data sits in the kernel buffer",
		.rule_zh = "FIFO文件在磁盘上没有数据块，文件大小为0，仅仅用来表示内核中一条通道",
		.explain = "stat() on the path says type p (S_IFIFO), size 0, at the moment the "
			   "kernel buffer holds 100 bytes.",
		.programs = { "fifo_on_disk {dir}/myfifo" }, .check = check_fifo_on_disk,
	},
	{
		.name = "fifo_unlink", .section = "fifo",
		.summary = "unlink while open: the channel keeps working, the name is gone",
		.rule_zh = "常见的文件IO函数都可用于fifo。如close, read,write,unlink等",
		.explain = "unlink removes the name only; the open file keeps the kernel buffer "
			   "alive, and a new open of the path fails with ENOENT.",
		.programs = { "fifo_unlink {dir}/myfifo" }, .check = check_fifo_unlink,
	},
	{
		.name = "mmap_shared_file", .section = "mmap",
		.summary = "MAP_SHARED file mapping: an unrelated process sees the stores, no read()",
		.rule_zh = "共享映射区，无血缘关系的进程也可以使用",
		.explain = "Writer and reader map the same file; the writer's store is one write fault "
			   "on page 0, the reader's one read fault on page 0 maps the same page-cache "
			   "page, so it sees the store without any read() or further fault.",
		.programs = { "mmap_shared_writer {dir}", "mmap_shared_reader {dir}" },
		.check = check_mmap_shared_file,
	},
	{
		.name = "mmap_anon_shared", .section = "mmap",
		.summary = "anonymous MAP_SHARED memory between parent and child",
		.rule_zh = "MAP_SHARED",
		.explain = "MAP_SHARED|MAP_ANONYMOUS memory lives in shmem; after fork the child's "
			   "store and the parent's later load fault on the same page.",
		.programs = { "mmap_anon_shared" }, .check = check_mmap_anon_shared,
	},
	{
		.name = "mmap_private_cow", .section = "mmap",
		.summary = "MAP_PRIVATE write is copy-on-write; the file stays unchanged",
		.rule_zh = "而MAP_PRIVATE则无所谓，因为mmap中的权限是对内存的限制",
		.explain = "A read maps the file's page read-only; the write then faults again (a "
			   "write to a present page) and gets a private copy. No file page is dirtied.",
		.programs = { "mmap_private_cow {dir}" }, .check = check_mmap_private_cow,
	},
	{
		.name = "mmap_lazy", .section = "mmap",
		.summary = "the notes: mapping implies reading the file -- really: the first access does",
		.rule_zh = "创建映射区的过程中，隐含着一次对映射文件的读操作，将文件内容读到映射区",
		.explain = "mmap() only records the mapping. Nothing is read until the first access "
			   "faults; that fault reads the file page (and its readahead window) into "
			   "the page cache: a major fault.",
		.programs = { "mmap_lazy {dir}" }, .check = check_mmap_lazy,
	},
	{
		.name = "mmap_fault_around", .section = "mmap",
		.summary = "one read fault maps 16 cached pages; writes fault once per page",
		.rule_zh = "操作MMAP的速度和操作内存的速度一样快",
		.explain = "On a read fault the kernel also maps the neighbouring cached pages "
			   "(fault_around_bytes, 64 KiB): 16 reads, 1 fault. Write faults are not "
			   "batched: 8 pages written, 8 faults.",
		.programs = { "mmap_fault_around {dir}" }, .check = check_mmap_fault_around,
	},
	{
		.name = "mmap_close_fd", .section = "mmap",
		.summary = "close(fd) right after mmap: the mapping keeps working",
		.rule_zh = "映射区的释放与文件关闭无关，只要映射建立成功，文件可以立即关闭",
		.explain = "The mapping holds its own reference to the file: after close(fd) both "
			   "pages still fault in and read the file.",
		.programs = { "mmap_close_fd {dir}" }, .check = check_mmap_close_fd,
	},
	{
		.name = "mmap_errors", .section = "mmap",
		.summary = "EACCES, EINVAL for length 0 / unaligned offset / unaligned munmap",
		.rule_zh = "文件偏移量必须为0或者4k的整数倍；munmap传入的地址一定是mmap的返回地址",
		.explain = "Each rule as the kernel enforces it; and munmap of any page-aligned part "
			   "of a mapping works (it unmaps just that part).",
		.programs = { "mmap_errors {dir}" }, .check = check_mmap_errors,
	},
	{
		.name = "mmap_sigbus", .section = "mmap",
		.summary = "mapping a 0-byte file succeeds; touching it raises SIGBUS",
		.rule_zh = "当映射区文件大小为0时，不能创建映射区……mmap使用时常常会出现总线错误",
		.explain = "mmap does not check the file size. The first access faults, the fault "
			   "finds no file page, and the kernel sends SIGBUS.",
		.programs = { "mmap_sigbus {dir}" }, .check = check_mmap_sigbus,
	},
	{
		.name = "mmap_msync", .section = "mmap",
		.summary = "stores dirty page-cache pages; msync(MS_SYNC) writes them back",
		.rule_zh = "将数据写入缓冲区，则会将数据写入文件",
		.explain = "Each store to a clean page is a write fault that marks that file page "
			   "dirty; msync starts writeback of the file before returning.",
		.programs = { "mmap_msync {dir}" }, .check = check_mmap_msync,
	},
	{
		.name = "mmap_vs_write", .section = "mmap",
		.summary = "the notes' table: memory vs mmap vs write(), with faults and syscalls",
		.rule_zh = "写入内存 17ms / 写入mmap 18ms / 写入文件 2685ms",
		.explain = "4 MiB three ways. Memory and mmap cost one fault per 4 KiB page; write() "
			   "in 64-byte chunks costs 65536 syscalls. None waits for the disk.",
		.programs = { "mmap_vs_write {dir}" }, .check = check_mmap_vs_write,
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
