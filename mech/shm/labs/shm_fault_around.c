// SPDX-License-Identifier: GPL-2.0
/*
 * shm_fault_around - reading 8 pages of POSIX shared memory costs one
 * page fault; reading 8 pages of a System V segment costs 8.
 *
 * Course notes (section 4, 内存映射区):
 *   "操作MMAP的速度和操作内存的速度一样快"
 *   (Working on a mapping is as fast as working on memory.)
 *
 *   Both kinds are the same shmem pages underneath, but a POSIX mapping
 *   is an ordinary shmem file mapping, whose read faults also map the
 *   neighbouring pages already in memory (fault-around, up to 16 pages),
 *   while a System V attach has its own vm_ops (ipc/shm.c shm_vm_ops)
 *   with no map_pages: every page faults on its own.
 *
 * What it does:
 *   "around": P = a POSIX object /ipclab-shm-around-UID of 8 pages
 *   (shm_open, ftruncate, mmap MAP_SHARED at a 2 MiB-aligned address,
 *   close); S = shmat(shmget(IPC_PRIVATE, 8 pages)); write byte 0 of
 *   each page of P, then of S (the pages now exist); sleep 20 ms; fork.
 *   "reader" (the child): P2 = shm_open + mmap(8 pages, PROT_READ) of
 *   the same name at the next 2 MiB-aligned address; S2 = shmat(id,
 *   SHM_RDONLY); read byte 0 of pages 0-7 of P2, 1 ms apart, then of
 *   S2; munmap(P2); shmdt(S2).
 *   "around" again: wait; munmap(P); shm_unlink; IPC_RMID; shmdt(S).
 *   Exit 0 if the reader read every page's byte.
 *
 * What to see in the trace:
 *   The reader's P2: one read fault (page 0), whose fault-around mapped
 *   pages 0-7 (a fault_around event on kernels 6.11+, where it can be
 *   reported).  Its S2: 8 read faults, pages 0-7, one per load.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "../../lab.h"

#define PAGES 8
#define LEN (PAGES * LAB_PAGE)

static void shm_name(char *buf, size_t n)
{
	snprintf(buf, n, "/ipclab-shm-around-%u", (unsigned)getuid());
}

static char *map_posix(const char *name, int oflag, int prot, void *hint)
{
	char *p;
	int fd = shm_open(name, oflag, 0600);

	if (fd < 0)
		die("shm_open");
	if ((oflag & O_CREAT) && ftruncate(fd, LEN) < 0)
		die("ftruncate");
	p = mmap(hint, LEN, prot, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	if (close(fd) < 0)
		die("close");
	return p;
}

static int reader(const char *name, int id)
{
	char *p2, *s2;
	int i, bad = 0;

	set_role("reader");
	p2 = map_posix(name, O_RDONLY, PROT_READ, (char *)LAB_MAP_HINT + 0x200000);
	s2 = shmat(id, NULL, SHM_RDONLY);
	if (s2 == (void *)-1)
		die("shmat");
	say("reading 8 pages of POSIX shm at %p, then of System V shm at %p",
	    (void *)p2, (void *)s2);
	for (i = 0; i < PAGES; i++) {
		bad |= touch_read(p2 + i * LAB_PAGE) != 'p';
		sleep_ms(1);
	}
	for (i = 0; i < PAGES; i++) {
		bad |= touch_read(s2 + i * LAB_PAGE) != 's';
		sleep_ms(1);
	}
	if (munmap(p2, LEN) < 0)
		die("munmap");
	if (shmdt(s2) < 0)
		die("shmdt");
	return bad ? 2 : 0;
}

int main(void)
{
	char name[64];
	char *p, *s;
	pid_t child;
	int i, id, status;

	set_role("around");
	shm_name(name, sizeof(name));
	if (shm_unlink(name) < 0 && errno != ENOENT)
		die("shm_unlink (stale)");
	p = map_posix(name, O_CREAT | O_EXCL | O_RDWR, PROT_READ | PROT_WRITE, LAB_MAP_HINT);
	id = shmget(IPC_PRIVATE, LEN, IPC_CREAT | 0600);
	if (id < 0)
		die("shmget");
	s = shmat(id, NULL, 0);
	if (s == (void *)-1)
		die("shmat");
	for (i = 0; i < PAGES; i++)
		touch_write(p + i * LAB_PAGE, 'p');
	for (i = 0; i < PAGES; i++)
		touch_write(s + i * LAB_PAGE, 's');
	sleep_ms(20);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0)
		_exit(reader(name, id));
	status = wait_child(child);
	if (munmap(p, LEN) < 0)
		die("munmap");
	if (shm_unlink(name) < 0)
		die("shm_unlink");
	if (shmctl(id, IPC_RMID, NULL) < 0)
		die("shmctl(IPC_RMID)");
	if (shmdt(s) < 0)
		die("shmdt");
	return child_ok(status) ? 0 : 1;
}
