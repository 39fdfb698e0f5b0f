// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_anon_shared - an anonymous MAP_SHARED mapping, shared by a parent
 * and the child it forks: memory-mapped IPC without any file.
 *
 * Course notes (section 5, 内存映射区):
 *   "这样就可在不使用read和write函数的情况下，使用地址(指针)完成I/O操作。"
 *   (So I/O is done through addresses (pointers), without read and
 *   write.)
 *
 *   With MAP_ANONYMOUS there is no file to open at all: the pages are
 *   created on first touch, and fork() hands the same pages to the child
 *   (MAP_SHARED), so a store by one process is seen by the other.
 *
 * What it does:
 *   parent "parent": mmap(4 pages, PROT_READ|PROT_WRITE,
 *                    MAP_SHARED|MAP_ANONYMOUS); fork(); waitpid();
 *                    read the string at page 1 (a read fault) and print
 *                    it; munmap.  Exit 0 if it is "from the child".
 *   child  "child":  store "from the child" at page 1, offset 0 (its only
 *                    touch: a write fault); exit 0.
 *   The parent touches nothing before the child has exited.  The
 *   directory argument is accepted and not used: no file is involved.
 *
 * What to see in the trace:
 *   The parent's mmap of 4 pages, then the child's single write fault on
 *   page 1, the only page that ever comes into existence.  After the
 *   child's exit, the parent's single read fault on page 1 finds that
 *   very page (it maps it, it does not copy it) and the string is
 *   there.  Pages 0, 2 and 3 are never touched by anyone.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include "../../lab.h"

#define NPAGES	4
#define LEN	(NPAGES * LAB_PAGE)

static const char message[] = "from the child";

int main(void)
{
	char text[64];
	int status;
	char *p;
	pid_t pid;

	set_role("parent");
	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	say("mmap(%d pages, MAP_SHARED|MAP_ANONYMOUS) = %p", NPAGES, (void *)p);

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		set_role("child");
		store_string(p + 1 * LAB_PAGE, message);
		say("stored \"%s\" at page 1", message);
		exit(0);
	}

	status = wait_child(pid);
	if (!child_ok(status))
		return 1;
	load_string(text, sizeof(text), p + 1 * LAB_PAGE);
	say("page 1 says \"%s\"", text);
	if (munmap(p, LEN) < 0)
		die("munmap");
	if (strcmp(text, message) != 0) {
		say("unexpected: not what the child stored");
		return 2;
	}
	return 0;
}
