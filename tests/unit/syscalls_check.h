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
	X(preadv) X(pwritev) X(copy_file_range) X(preadv2) X(pwritev2) X(statx) \
	X(socket) X(socketpair) X(bind) X(listen) X(connect) X(accept) X(accept4) X(shutdown) \
	X(sendto) X(recvfrom) X(sendmsg) X(recvmsg) X(sendmmsg) X(recvmmsg) \
	X(rt_sigaction) X(rt_sigprocmask) X(rt_sigreturn) X(kill) X(tkill) X(tgkill) \
	X(rt_sigqueueinfo) X(rt_tgsigqueueinfo) X(rt_sigtimedwait) X(rt_sigsuspend) X(sigaltstack) \
	/* System V shared memory (mech/shm) */ \
	X(shmget) X(shmat) X(shmctl) X(shmdt) \
	/* POSIX message queues (mech/mqueue) */ \
	X(mq_open) X(mq_unlink) X(mq_timedsend) X(mq_timedreceive) X(mq_notify) X(mq_getsetattr)
/* The plain forms arm64 lacks. */
#define DECODED_LEGACY(X) X(open) X(stat) X(lstat) X(pipe) X(dup2) X(unlink) X(mknod) X(pause)

/* One disagreement, or a count; the message says which. */
struct table_check {
	int bad;
	char why[512];
};

void check_arm64_table(struct table_check *c);

#endif
