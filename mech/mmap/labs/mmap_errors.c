// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_errors - the notes' rules about what makes mmap() and munmap()
 * fail, tried one by one.
 *
 * Course notes (section 5, 内存映射区, mmap注意事项):
 *   "当MAP_SHARED时，要求：映射区的权限应<=文件打开的权限(处于对映射区的保护)。
 *    而MAP_PRIVATE则无多为，因为mmap中的权限时对内存的限制。
 *    比如某文件只有读权限,或者open时候用的是O_RDONLLY，那么映射区对应的权限也只能读不能写。"
 *   (With MAP_SHARED the mapping's permissions must be <= those the file
 *   was opened with (to protect the mapping).  MAP_PRIVATE has no such
 *   rule, because mmap's permissions only restrict the memory.  E.g. if
 *   the file is read-only, or was opened O_RDONLY, the mapping can only
 *   be read, not written.)
 *   "munmap传入的地址一定时mmap的返回地址。坚决杜绝指针++操作"
 *   (The address passed to munmap must be the one mmap returned.  Never
 *   do pointer++ on it.)
 *   "文件偏移量必须为0或者4k的整数倍"
 *   (The file offset must be 0 or a multiple of 4k.)
 *   "mmap创建映射区出错概率非常高，一定要检查返回值"
 *   (mmap fails very often: always check its return value.)
 *
 *   All true except the munmap rule, which is stricter than the kernel:
 *   munmap() wants a page-aligned address, not mmap's return value, and
 *   unmapping part of a mapping (here its second page) is fine.  p + 1
 *   fails because it is not page aligned, not because it was "++"ed.
 *
 * What it does (one process, "errors"), 5 ms between the steps:
 *   make_file(DIR/errors.dat, 2 pages of 'e'); open(O_RDONLY) = fd;
 *   (a) mmap(4096, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0) -> EACCES
 *   (b) mmap(4096, PROT_READ|PROT_WRITE, MAP_PRIVATE, fd, 0) -> p
 *   (c) mmap(0 bytes, PROT_READ, MAP_SHARED, fd, 0) -> EINVAL
 *   (d) mmap(4096, PROT_READ, MAP_SHARED, fd, 100) -> EINVAL (made with
 *       syscall(SYS_mmap): glibc's mmap() would refuse it on its own,
 *       and the kernel would never see it)
 *   (e) munmap(p + 1, 4096) -> EINVAL
 *   (f) mmap(8192, PROT_READ, MAP_SHARED, fd, 0) -> q
 *   (g) munmap(q + 4096, 4096) -> 0 (only the second page goes)
 *   (h) munmap(q, 4096) -> 0
 *   (i) munmap(p, 4096) -> 0
 *   close(fd); unlink.  No mapping is ever touched.
 *   Without a directory argument the file is /var/tmp/ipclab-errors.dat.
 *   Exit 0 if every result was as listed.
 *
 * What to see in the trace:
 *   Nine mmap/munmap syscalls 5 ms apart, returning in order -EACCES
 *   (-13), an address p, -EINVAL (-22), -EINVAL, -EINVAL, an address q,
 *   0, 0, 0.  munmap(q + 4096) really removes one page: the later
 *   munmap(q, 4096) removes the rest of that mapping.  No page fault in
 *   any of the mappings.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../lab.h"

#define NPAGES	2

static int failures;

static const char *errname(int err)
{
	switch (err) {
	case 0:		return "0";
	case EACCES:	return "EACCES";
	case EINVAL:	return "EINVAL";
	default:	return strerror(err);
	}
}

/* Judge an mmap() result: want_err 0 means "must succeed". */
static void check_mmap(const char *step, const char *call, void *ret,
		       int err, int want_err)
{
	if (ret == MAP_FAILED)
		say("(%s) %s = MAP_FAILED, errno %s%s", step, call, errname(err),
		    err == want_err ? "" : "   <-- unexpected");
	else
		say("(%s) %s = %p%s", step, call, ret,
		    want_err == 0 ? "" : "   <-- unexpected success");
	if (ret == MAP_FAILED ? err != want_err : want_err != 0)
		failures++;
}

/* Judge a munmap() result the same way. */
static void check_munmap(const char *step, const char *call, int ret,
			 int err, int want_err)
{
	if (ret < 0)
		say("(%s) %s = -1, errno %s%s", step, call, errname(err),
		    err == want_err ? "" : "   <-- unexpected");
	else
		say("(%s) %s = %d%s", step, call, ret,
		    want_err == 0 ? "" : "   <-- unexpected success");
	if (ret < 0 ? err != want_err : want_err != 0)
		failures++;
}

int main(int argc, char **argv)
{
	char path[PATH_MAX];
	char *p, *q, *x;
	int fd, ret;

	set_role("errors");
	lab_path(path, sizeof(path), argc, argv, "errors.dat");

	make_file(path, NPAGES, 'e');
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open");
	say("%s: %d pages, open(O_RDONLY) = %d", path, NPAGES, fd);

	sleep_ms(5);
	x = mmap(NULL, LAB_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check_mmap("a", "mmap(4096, RW, MAP_SHARED, O_RDONLY fd, 0)",
		   x, errno, EACCES);

	sleep_ms(5);
	p = mmap(NULL, LAB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	check_mmap("b", "mmap(4096, RW, MAP_PRIVATE, O_RDONLY fd, 0)",
		   p, errno, 0);

	sleep_ms(5);
	x = mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0);
	check_mmap("c", "mmap(0, R, MAP_SHARED, fd, 0)", x, errno, EINVAL);

	/*
	 * glibc's mmap() rejects an offset that is not page aligned by
	 * itself, without a syscall: call the kernel directly, so that the
	 * trace shows the kernel's answer.
	 */
	sleep_ms(5);
	x = (void *)syscall(SYS_mmap, NULL, LAB_PAGE, PROT_READ, MAP_SHARED,
			    fd, 100);
	check_mmap("d", "mmap(4096, R, MAP_SHARED, fd, 100)", x, errno, EINVAL);

	sleep_ms(5);
	if (p != MAP_FAILED) {
		ret = munmap(p + 1, LAB_PAGE);
		check_munmap("e", "munmap(p + 1, 4096)", ret, errno, EINVAL);
	}

	sleep_ms(5);
	q = mmap(NULL, 2 * LAB_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	check_mmap("f", "q = mmap(8192, R, MAP_SHARED, fd, 0)", q, errno, 0);

	if (q != MAP_FAILED) {
		sleep_ms(5);
		ret = munmap(q + LAB_PAGE, LAB_PAGE);
		check_munmap("g", "munmap(q + 4096, 4096)", ret, errno, 0);
		sleep_ms(5);
		ret = munmap(q, LAB_PAGE);
		check_munmap("h", "munmap(q, 4096)", ret, errno, 0);
	}
	if (p != MAP_FAILED) {
		sleep_ms(5);
		ret = munmap(p, LAB_PAGE);
		check_munmap("i", "munmap(p, 4096)", ret, errno, 0);
	}

	sleep_ms(5);
	if (close(fd) < 0)
		die("close");
	xunlink(path);

	if (failures) {
		say("%d result(s) not as listed", failures);
		return 2;
	}
	say("all 9 results as listed");
	return 0;
}
