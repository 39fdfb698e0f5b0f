/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * syscalls_x86_64.h - x86_64 syscall numbers (included by ipclab.h for x86_64 builds;
 * arch/x86/entry/syscalls/syscall_64.tbl).  tests/unit/test_syscalls.c checks them against
 * the C library's <asm/unistd_64.h> on an x86_64 machine.
 */
#ifndef IPCLAB_SYSCALLS_X86_64_H
#define IPCLAB_SYSCALLS_X86_64_H

#define IPCLAB_ARCH_NAME "x86_64"
#define NR_read		0
#define NR_write	1
#define NR_open		2
#define NR_close	3
#define NR_stat		4
#define NR_fstat	5
#define NR_lstat	6
#define NR_lseek	8
#define NR_mmap		9
#define NR_munmap	11
#define NR_pread64	17
#define NR_pwrite64	18
#define NR_readv	19
#define NR_writev	20
#define NR_pipe		22
#define NR_msync	26
#define NR_dup		32
#define NR_dup2		33
#define NR_sendfile	40
#define NR_fcntl	72
#define NR_ftruncate	77
#define NR_unlink	87
#define NR_mknod	133
#define NR_openat	257
#define NR_newfstatat	262
#define NR_mknodat	259
#define NR_unlinkat	263
#define NR_splice	275
#define NR_tee		276
#define NR_vmsplice	278
#define NR_dup3		292
#define NR_pipe2	293
#define NR_preadv	295
#define NR_pwritev	296
#define NR_copy_file_range 326
#define NR_preadv2	327
#define NR_pwritev2	328
#define NR_statx	332

/* Unix domain sockets (mech/unix) */
#define NR_socket	41
#define NR_connect	42
#define NR_accept	43
#define NR_sendto	44
#define NR_recvfrom	45
#define NR_sendmsg	46
#define NR_recvmsg	47
#define NR_shutdown	48
#define NR_bind	49
#define NR_listen	50
#define NR_socketpair	53
#define NR_accept4	288
#define NR_recvmmsg	299
#define NR_sendmmsg	307

/* Signals (mech/signal) */
#define NR_rt_sigaction		13
#define NR_rt_sigprocmask	14
#define NR_rt_sigreturn		15
#define NR_pause		34
#define NR_kill			62
#define NR_rt_sigtimedwait	128
#define NR_rt_sigqueueinfo	129
#define NR_rt_sigsuspend	130
#define NR_sigaltstack		131
#define NR_tkill		200
#define NR_tgkill		234
#define NR_rt_tgsigqueueinfo	297

/* System V shared memory (mech/shm) */
#define NR_shmget		29
#define NR_shmat		30
#define NR_shmctl		31
#define NR_shmdt		67
/* POSIX message queues (mech/mqueue) */
#define NR_mq_open		240
#define NR_mq_unlink		241
#define NR_mq_timedsend		242
#define NR_mq_timedreceive	243
#define NR_mq_notify		244
#define NR_mq_getsetattr	245

/* Names for traces (user/names.c): the calls a lab trace shows, X(number, name). */
#define IPCLAB_SYSCALL_NAMES(X) \
	X(0, read) X(1, write) X(2, open) X(3, close) X(4, stat) X(5, fstat) X(6, lstat) \
	X(7, poll) X(8, lseek) X(9, mmap) X(10, mprotect) X(11, munmap) X(12, brk) \
	X(13, rt_sigaction) X(14, rt_sigprocmask) X(15, rt_sigreturn) X(16, ioctl) X(17, pread64) X(18, pwrite64) \
	X(19, readv) X(20, writev) X(22, pipe) X(23, select) X(26, msync) X(32, dup) X(33, dup2) \
	X(34, pause) X(35, nanosleep) X(39, getpid) X(40, sendfile) X(41, socket) X(42, connect) \
	X(43, accept) X(44, sendto) X(45, recvfrom) X(46, sendmsg) X(47, recvmsg) \
	X(48, shutdown) X(49, bind) X(50, listen) X(53, socketpair) X(56, clone) X(57, fork) \
	X(58, vfork) X(59, execve) X(60, exit) X(61, wait4) X(62, kill) X(72, fcntl) \
	X(77, ftruncate) X(87, unlink) X(128, rt_sigtimedwait) X(129, rt_sigqueueinfo) \
	X(130, rt_sigsuspend) X(131, sigaltstack) X(133, mknod) X(157, prctl) X(200, tkill) \
	X(202, futex) \
	X(230, clock_nanosleep) X(231, exit_group) X(232, epoll_wait) X(234, tgkill) \
	X(240, mq_open) X(241, mq_unlink) X(242, mq_timedsend) X(243, mq_timedreceive) \
	X(244, mq_notify) X(245, mq_getsetattr) X(247, waitid) \
	X(257, openat) X(259, mknodat) X(262, newfstatat) X(263, unlinkat) X(270, pselect6) \
	X(271, ppoll) X(275, splice) X(276, tee) X(278, vmsplice) X(281, epoll_pwait) \
	X(288, accept4) X(292, dup3) X(293, pipe2) X(295, preadv) X(296, pwritev) \
	X(297, rt_tgsigqueueinfo) \
	X(299, recvmmsg) X(307, sendmmsg) X(326, copy_file_range) X(327, preadv2) \
	X(328, pwritev2) X(332, statx) X(425, io_uring_setup) X(426, io_uring_enter) \
	X(435, clone3) \
	/* System V shared memory (mech/shm) */ \
	X(29, shmget) X(30, shmat) X(31, shmctl) X(67, shmdt)

#endif /* IPCLAB_SYSCALLS_X86_64_H */
