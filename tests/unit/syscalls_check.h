/* syscalls_check.h - the syscall numbers ipclab decodes (bpf/syscalls_*.h), for
 * test_syscalls.c: every table is compared with the kernel's own headers. */
#ifndef SYSCALLS_CHECK_H
#define SYSCALLS_CHECK_H

#include <stddef.h>

/* The NR_* names bpf/ipclab.bpf.c and the claims use, on every architecture. */
#define DECODED_COMMON(X) \
	X(read) X(write) X(close) X(fstat) X(lseek) X(mmap) X(munmap) X(pread64) X(pwrite64) \
	X(readv) X(writev) X(msync) X(dup) X(sendfile) X(fcntl) X(ftruncate) X(openat) \
	X(newfstatat) X(mknodat) X(unlinkat) X(splice) X(tee) X(vmsplice) X(dup3) X(pipe2) \
	X(preadv) X(pwritev) X(copy_file_range) X(preadv2) X(pwritev2) X(statx)
/* The plain forms arm64 lacks. */
#define DECODED_LEGACY(X) X(open) X(stat) X(lstat) X(pipe) X(dup2) X(unlink) X(mknod)

/* One disagreement, or a count; the message says which. */
struct table_check {
	int bad;
	char why[512];
};

void check_arm64_table(struct table_check *c);

#endif
