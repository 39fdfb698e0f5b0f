// SPDX-License-Identifier: GPL-2.0
/*
 * shm_sysv - System V shared memory: shmget makes a segment, shmat maps
 * it (its result is the address), shmdt unmaps it, and IPC_RMID only
 * marks it: the segment lives until the last detach.
 *
 * Course notes (section 2, 进程间通信的方式): shared memory is only named
 *   among the methods ("如：文件、管道、信号、贡献内存[sic]、消息队列、
 *   套接字、命名管道等"); the notes say nothing of System V's calls.  What
 *   they do: shmget creates the segment, shmat attaches it to the address
 *   space, shmdt detaches it, shmctl(IPC_RMID) removes it.
 *
 * What it does:
 *   "owner": id = shmget(IPC_PRIVATE, 2 pages, IPC_CREAT|0600); A =
 *   shmat(id, NULL, 0); store a string at A (one write fault, page 0);
 *   sleep 20 ms; fork.
 *   "reader" (the child): B = shmat(id, NULL, SHM_RDONLY); load the
 *   string from B (one read fault, page 0 of B); shmdt(B); exit.
 *   "owner" again: wait for the reader; shmctl(id, IPC_RMID) (still
 *   attached at A: the segment is only marked); load the string from A
 *   again (no fault: the page is mapped); shmdt(A) (the last detach:
 *   now it is destroyed); shmctl(id, IPC_STAT) fails with EINVAL.
 *   Exit 0 if the reader read the string, A still held it after
 *   IPC_RMID, and IPC_STAT failed with EINVAL at the end.
 *
 * What to see in the trace:
 *   shmat's result is the address of a mapping object (backing "sysv
 *   shm", the shmid of shmget's result, 2 pages).  The owner's write
 *   fault on page 0 of A, then the reader's read fault on page 0 of B:
 *   another mapping of the same segment.  Each shmdt ends its mapping;
 *   IPC_RMID returned 0 before the last shmdt and IPC_STAT failed after.
 */
#define _GNU_SOURCE
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include "../../lab.h"

#define MSG "hello through System V shm"
#define PAGES 2

static int reader(int id)
{
	char got[64];
	char *b;

	set_role("reader");
	b = shmat(id, NULL, SHM_RDONLY);
	if (b == (void *)-1)
		die("shmat");
	load_string(got, sizeof(got), b);
	say("read \"%s\" from segment %d at %p", got, id, (void *)b);
	if (shmdt(b) < 0)
		die("shmdt");
	return strcmp(got, MSG) ? 2 : 0;
}

int main(void)
{
	struct shmid_ds ds;
	char got[64];
	char *a;
	pid_t child;
	int id, status, bad = 0;

	set_role("owner");
	id = shmget(IPC_PRIVATE, PAGES * LAB_PAGE, IPC_CREAT | 0600);
	if (id < 0)
		die("shmget");
	a = shmat(id, NULL, 0);
	if (a == (void *)-1)
		die("shmat");
	store_string(a, MSG);
	say("segment %d attached at %p; stored \"%s\"", id, (void *)a, MSG);
	sleep_ms(20);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0)
		_exit(reader(id));
	status = wait_child(child);
	if (shmctl(id, IPC_RMID, NULL) < 0)
		die("shmctl(IPC_RMID)");
	load_string(got, sizeof(got), a);
	if (strcmp(got, MSG)) {
		say("after IPC_RMID the segment holds \"%s\"", got);
		bad = 1;
	}
	if (shmdt(a) < 0)
		die("shmdt");
	if (shmctl(id, IPC_STAT, &ds) == 0 || errno != EINVAL) {
		say("IPC_STAT after the last shmdt: %s", strerror(errno));
		bad = 1;
	} else {
		say("after the last shmdt the segment is gone (IPC_STAT: EINVAL)");
	}
	if (!child_ok(status))
		return 1;
	return bad ? 2 : 0;
}
