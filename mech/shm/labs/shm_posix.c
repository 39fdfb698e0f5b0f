// SPDX-License-Identifier: GPL-2.0
/*
 * shm_posix - POSIX shared memory: two processes that share nothing but
 * a name see the same page, and the data crosses with no syscall.
 *
 * Course notes (section 2, 进程间通信的方式):
 *   "3）共享映射区，无血缘关系的进程也可以使用"
 *   (Shared mappings: unrelated processes can use them too.)
 *
 *   shm_open(NAME) is openat("/dev/shm/NAME"): a file on tmpfs (shmem),
 *   mapped with mmap(MAP_SHARED).  The reader is a new program (exec),
 *   so it inherits no mapping and no fd: it finds the memory by its name.
 *
 * What it does:
 *   "writer": shm_unlink(NAME) (a stale one, if any); fd = shm_open(NAME,
 *   O_CREAT|O_EXCL|O_RDWR, 0600); ftruncate(fd, 1 page); W = mmap(1 page,
 *   PROT_READ|PROT_WRITE, MAP_SHARED, fd); close(fd); store a string at
 *   W (one write fault, page 0); sleep 20 ms; fork; the child execs this
 *   program again as "reader"; wait for it; munmap(W); shm_unlink(NAME).
 *   "reader" (the exec'd child): fd = shm_open(NAME, O_RDONLY); R =
 *   mmap(1 page, PROT_READ, MAP_SHARED, fd); close(fd); load the string
 *   from R (one read fault, page 0); munmap(R).
 *   NAME is /ipclab-shm-posix-UID (one per user: /dev/shm is sticky).
 *   Exit 0 if the reader read the writer's string.
 *
 * What to see in the trace:
 *   Two mapping objects, backing "shmem", the same /dev/shm file (same
 *   dev and inode), made by two processes that are not sharing any
 *   mapping (the reader exec'd).  The writer's one write fault on page 0,
 *   later the reader's one read fault on page 0: the same shmem page.
 *   The reader makes no read() after mapping: the string came by memory.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../lab.h"

#define MSG "hello through /dev/shm"

static void shm_name(char *buf, size_t n)
{
	snprintf(buf, n, "/ipclab-shm-posix-%u", (unsigned)getuid());
}

static int reader(void)
{
	char name[64], got[64];
	char *r;
	int fd;

	set_role("reader");
	shm_name(name, sizeof(name));
	fd = shm_open(name, O_RDONLY, 0);
	if (fd < 0)
		die("shm_open");
	r = mmap(NULL, LAB_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (r == MAP_FAILED)
		die("mmap");
	if (close(fd) < 0)
		die("close");
	load_string(got, sizeof(got), r);
	say("read \"%s\" from %s", got, name);
	if (munmap(r, LAB_PAGE) < 0)
		die("munmap");
	return strcmp(got, MSG) ? 2 : 0;
}

int main(int argc, char **argv)
{
	char name[64];
	char *w;
	pid_t child;
	int fd, status;

	if (argc > 1 && !strcmp(argv[1], "--reader"))
		return reader();
	set_role("writer");
	shm_name(name, sizeof(name));
	if (shm_unlink(name) < 0 && errno != ENOENT)
		die("shm_unlink (stale)");
	fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd < 0)
		die("shm_open");
	if (ftruncate(fd, LAB_PAGE) < 0)
		die("ftruncate");
	w = mmap(NULL, LAB_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (w == MAP_FAILED)
		die("mmap");
	if (close(fd) < 0)
		die("close");
	store_string(w, MSG);
	say("stored \"%s\" in %s", MSG, name);
	sleep_ms(20);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		execl("/proc/self/exe", "shm_posix", "--reader", (char *)NULL);
		die("execl");
	}
	status = wait_child(child);
	if (munmap(w, LAB_PAGE) < 0)
		die("munmap");
	if (shm_unlink(name) < 0)
		die("shm_unlink");
	return child_ok(status) ? 0 : 1;
}
