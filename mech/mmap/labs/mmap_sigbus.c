// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_sigbus - the notes say an empty file cannot be mapped; in fact
 * mmap() succeeds, and touching the page raises SIGBUS.
 *
 * Course notes (section 5, 内存映射区, mmap注意事项):
 *   "特别注意，当映射区文件大小为0时，不能创建映射区。所以，用于映射的文件必须要有实际大小；
 *    mmap使用时常常会出现总线错误，通常时由于共享文件存储空间大小引起的"
 *   (Take special care: when the file is 0 bytes, the mapping cannot be
 *   created.  So a file to be mapped must have a real size.  Bus errors
 *   are common with mmap, usually caused by the size of the shared file.)
 *
 *   The second half is the true one.  mmap() of a 0-byte file succeeds:
 *   it checks neither the size nor anything else about the contents.
 *   The first access to a page that lies wholly beyond the end of the
 *   file is what fails, with SIGBUS (a "bus error").
 *
 * What it does:
 *   parent  "parent":  open(DIR/empty.dat, O_CREAT|O_TRUNC|O_RDWR) (0
 *                      bytes), close; fork(); waitpid(); print how the
 *                      child ended; unlink.  Exit 0 if SIGBUS killed it.
 *   child   "toucher": SIGBUS back to its default action, unblocked,
 *                      and no core dump (prctl(PR_SET_DUMPABLE, 0));
 *                      open(DIR/empty.dat, O_RDWR);
 *                      mmap(4096, PROT_READ|PROT_WRITE, MAP_SHARED) ->
 *                      succeeds; close(fd); read byte 0 -> SIGBUS kills
 *                      it.  If the read returns anyway: exit 3.
 *   Without a directory argument the file is /var/tmp/ipclab-empty.dat.
 *
 * What to see in the trace:
 *   The child's mmap of the 0-byte file returns an address, not an
 *   error.  Then one read fault on page 0 of that mapping, during which
 *   the kernel sends SIGBUS to the child; the child dies by it without
 *   returning to its code, and the parent's waitpid reports signal 7.
 *   No page is added to the page cache: there is nothing to read.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../lab.h"

/*
 * Undo a SIG_IGN or a blocked mask inherited from whatever started us,
 * and make sure the death by SIGBUS leaves no core dump behind (a core
 * file in the current directory, or a dump piped to a crash handler
 * such as systemd-coredump or apport, which would show up in the trace).
 */
static void sigbus_default(void)
{
	sigset_t set;

	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		die("prctl(PR_SET_DUMPABLE)");
	if (signal(SIGBUS, SIG_DFL) == SIG_ERR)
		die("signal(SIGBUS, SIG_DFL)");
	sigemptyset(&set);
	sigaddset(&set, SIGBUS);
	if (sigprocmask(SIG_UNBLOCK, &set, NULL) < 0)
		die("sigprocmask");
}

static void toucher(const char *path)
{
	char *p;
	int fd;
	char c;

	sigbus_default();
	fd = open(path, O_RDWR);
	if (fd < 0)
		die("open");
	p = mmap(NULL, LAB_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	if (close(fd) < 0)
		die("close");
	say("mmap(4096) of the 0-byte file = %p: it worked; now reading byte 0",
	    (void *)p);
	c = touch_read(p);
	/* Only reached if SIGBUS did not kill us. */
	say("read byte 0 = %d: no SIGBUS?", c);
	exit(3);
}

int main(int argc, char **argv)
{
	char path[PATH_MAX];
	int fd, status;
	pid_t pid;

	set_role("parent");
	lab_path(path, sizeof(path), argc, argv, "empty.dat");

	fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0)
		die("open");
	if (close(fd) < 0)
		die("close");
	say("created %s, 0 bytes", path);

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		set_role("toucher");
		toucher(path);
	}

	status = wait_child(pid);
	xunlink(path);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS) {
		say("as predicted: the toucher was killed by SIGBUS");
		return 0;
	}
	say("unexpected: the toucher was not killed by SIGBUS");
	return 1;
}
