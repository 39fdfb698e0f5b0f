// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_vs_write - the notes' timing table: writing to memory, to an mmap
 * and to a file, measured on this machine.
 *
 * Course notes (section 5, 内存映射区, MMAP优势):
 *   "MMAP使用逻辑内存对磁盘文件进行映射，操作内存就相当于操作文件，不需要开启线程，
 *    操作MMAP的速度和操作内存的速度一样快"
 *   (MMAP maps the disk file with logical memory: working on the memory
 *   is working on the file, no thread is needed, and working on the MMAP
 *   is as fast as working on memory.)
 *               写入内存       写入mmap      写入文件
 *     OS X      17ms            18ms         2685ms
 *     IOS       55ms            55ms         13116ms
 *     ANDROID   283ms           248ms        13583ms
 *   (write to memory / write to an mmap / write to a file)
 *
 *   On Linux the first two are close, as the notes say, and for the same
 *   reason: both cost one page fault per 4 KiB page touched (anonymous
 *   zero pages for malloc, page cache pages for the mapping, plus the
 *   file system's bookkeeping on the first write to each page).  The
 *   third column depends mostly on the chunk size: write() costs one
 *   syscall per call, so 64-byte writes cost 65536 syscalls for 4 MiB.
 *   None of the three waits for the disk: the mapping and the file are
 *   only dirty page cache when the timer stops.
 *
 * What it does (one process; its name marks the phases in the trace):
 *   phase-memory: p = malloc(4 MiB); memset(p, 1, 4 MiB), timed; free.
 *   phase-mmap:   open(DIR/vs_write.dat, O_RDWR|O_CREAT|O_TRUNC);
 *                 ftruncate(4 MiB) (a sparse file: nothing is written);
 *                 mmap(4 MiB, PROT_READ|PROT_WRITE, MAP_SHARED);
 *                 memset(m, 2, 4 MiB), timed; no msync; munmap; close.
 *   phase-write:  open(same file, O_WRONLY|O_CREAT|O_TRUNC);
 *                 65536 write()s of 64 bytes, timed; close.
 *   done:         print the table next to the notes' numbers; unlink.
 *   Each phase starts with prctl(PR_SET_NAME) (set_role): ipclab uses
 *   the renames as the phase boundaries.
 *   Without a directory argument the file is /var/tmp/ipclab-vs_write.dat.
 *
 * What to see in the trace:
 *   phase-memory: an mmap of 4 MiB + 4 KiB (glibc serves a malloc this
 *   large with mmap, header included), 1025 write faults (the 16-byte
 *   header shifts the 4 MiB so that it spans 1025 pages), its munmap
 *   (free).
 *   phase-mmap: the file's mmap, 1024 write faults in the mapping, each
 *   dirtying a page of the page cache, munmap; no msync.
 *   phase-write: 65536 write syscalls (which dirty the 1024 pages of the
 *   file again) and no fault in any mapping.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../lab.h"

#define SIZE	(4 << 20)
#define CHUNK	64

/* Tell the compiler the memory at p is used, so no store is dropped. */
static inline void keep(void *p)
{
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

static double ms_since(long long t0)
{
	return (now_ns() - t0) / 1e6;
}

static double mb_per_s(double ms)
{
	return ms > 0 ? SIZE / 1e6 / (ms / 1e3) : 0;
}

int main(int argc, char **argv)
{
	char path[PATH_MAX], buf[CHUNK];
	double t_mem, t_map, t_write;
	long long t0;
	ssize_t n;
	char *p, *m;
	int fd, i;

	lab_path(path, sizeof(path), argc, argv, "vs_write.dat");

	/* Phase 1: plain memory. */
	set_role("phase-memory");
	p = malloc(SIZE);
	if (!p)
		die("malloc");
	t0 = now_ns();
	memset(p, 1, SIZE);
	keep(p);
	t_mem = ms_since(t0);
	free(p);
	say("memset of %d MiB of malloc'd memory: %.2f ms", SIZE >> 20, t_mem);

	/* Phase 2: a shared file mapping. */
	set_role("phase-mmap");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("open");
	if (ftruncate(fd, SIZE) < 0)
		die("ftruncate");
	m = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		die("mmap");
	t0 = now_ns();
	memset(m, 2, SIZE);
	keep(m);
	t_map = ms_since(t0);
	if (munmap(m, SIZE) < 0)
		die("munmap");
	if (close(fd) < 0)
		die("close");
	say("memset of a %d MiB MAP_SHARED file mapping: %.2f ms",
	    SIZE >> 20, t_map);

	/* Phase 3: write() in small chunks. */
	set_role("phase-write");
	memset(buf, 3, sizeof(buf));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("open");
	t0 = now_ns();
	for (i = 0; i < SIZE / CHUNK; i++) {
		n = write(fd, buf, CHUNK);
		if (n < 0)
			die("write");
		if (n != CHUNK) {
			say("short write: %zd of %d", n, CHUNK);
			return 2;
		}
	}
	t_write = ms_since(t0);
	if (close(fd) < 0)
		die("close");
	say("%d write()s of %d bytes: %.2f ms", SIZE / CHUNK, CHUNK, t_write);

	/* Phase 4: the table. */
	set_role("done");
	say("%d MiB each; MB/s with 1 MB = 10^6 bytes", SIZE >> 20);
	say("%-26s %10s %9s | %s", "method", "this host", "MB/s",
	    "notes: OS X / iOS / Android");
	say("%-26s %7.2f ms %9.0f | %s", "write to memory (memset)",
	    t_mem, mb_per_s(t_mem), "17 / 55 / 283 ms");
	say("%-26s %7.2f ms %9.0f | %s", "write to mmap (memset)",
	    t_map, mb_per_s(t_map), "18 / 55 / 248 ms");
	say("%-26s %7.2f ms %9.0f | %s", "write to file (64 B write)",
	    t_write, mb_per_s(t_write), "2685 / 13116 / 13583 ms");
	say("Why Linux differs:");
	say("- memory and mmap both pay one page fault per 4 KiB page (1024 here);");
	say("  the mapping adds the file system's work on each page's first store.");
	say("- write() pays one syscall per call: %d calls of %d bytes here;",
	    SIZE / CHUNK, CHUNK);
	say("  the chunk size decides, and one 4 MiB write() would be one call.");
	say("- the notes' 2685 ms reflects tiny chunks on other systems;");
	say("- none of the three waits for the disk: the file is dirty page cache.");
	xunlink(path);
	return 0;
}
