/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * syscalls_arm64.h - arm64 syscall numbers (included by ipclab.h for arm64 builds).
 *
 * arm64 uses the generic table: include/uapi/asm-generic/unistd.h, with
 * __ARCH_WANT_NEW_STAT (fstat 80, newfstatat 79), __ARCH_WANT_RENAMEAT and
 * __ARCH_WANT_SYS_CLONE3 (arch/arm64/include/uapi/asm/unistd.h).  It has no open, stat,
 * lstat, pipe, dup2, unlink, mknod, poll, select, fork, vfork, pause or epoll_wait: glibc
 * makes the *at, pipe2, dup3, ppoll, pselect6, clone and epoll_pwait calls instead.  The
 * calls ipclab decodes that arm64 lacks are NR_ABSENT() (ipclab.h).  tests/unit/
 * test_syscalls.c checks every number here against the kernel's asm-generic/unistd.h.
 */
#ifndef IPCLAB_SYSCALLS_ARM64_H
#define IPCLAB_SYSCALLS_ARM64_H

#define IPCLAB_ARCH_NAME "arm64"
#define NR_read		63
#define NR_write	64
#define NR_open		NR_ABSENT(2)
#define NR_close	57
#define NR_stat		NR_ABSENT(4)
#define NR_fstat	80
#define NR_lstat	NR_ABSENT(6)
#define NR_lseek	62
#define NR_mmap		222
#define NR_munmap	215
#define NR_pread64	67
#define NR_pwrite64	68
#define NR_readv	65
#define NR_writev	66
#define NR_pipe		NR_ABSENT(22)
#define NR_msync	227
#define NR_dup		23
#define NR_dup2		NR_ABSENT(33)
#define NR_sendfile	71
#define NR_fcntl	25
#define NR_ftruncate	46
#define NR_unlink	NR_ABSENT(87)
#define NR_mknod	NR_ABSENT(133)
#define NR_openat	56
#define NR_newfstatat	79
#define NR_mknodat	33
#define NR_unlinkat	35
#define NR_splice	76
#define NR_tee		77
#define NR_vmsplice	75
#define NR_dup3		24
#define NR_pipe2	59
#define NR_preadv	69
#define NR_pwritev	70
#define NR_copy_file_range 285
#define NR_preadv2	286
#define NR_pwritev2	287
#define NR_statx	291

/* Unix domain sockets (mech/unix) */
#define NR_socket	198
#define NR_socketpair	199
#define NR_bind	200
#define NR_listen	201
#define NR_accept	202
#define NR_connect	203
#define NR_sendto	206
#define NR_recvfrom	207
#define NR_shutdown	210
#define NR_sendmsg	211
#define NR_recvmsg	212
#define NR_accept4	242
#define NR_recvmmsg	243
#define NR_sendmmsg	269

/* Signals (mech/signal); arm64 has no pause (glibc: ppoll) */
#define NR_kill			129
#define NR_tkill		130
#define NR_tgkill		131
#define NR_sigaltstack		132
#define NR_rt_sigsuspend	133
#define NR_rt_sigaction		134
#define NR_rt_sigprocmask	135
#define NR_rt_sigtimedwait	137
#define NR_rt_sigqueueinfo	138
#define NR_rt_sigreturn		139
#define NR_rt_tgsigqueueinfo	240
#define NR_pause		NR_ABSENT(34)

/* System V shared memory (mech/shm) */
#define NR_shmget		194
#define NR_shmctl		195
#define NR_shmat		196
#define NR_shmdt		197
/* POSIX message queues (mech/mqueue) */
#define NR_mq_open		180
#define NR_mq_unlink		181
#define NR_mq_timedsend		182
#define NR_mq_timedreceive	183
#define NR_mq_notify		184
#define NR_mq_getsetattr	185

/* Names for traces (user/names.c): the calls a lab trace shows, X(number, name). */
#define IPCLAB_SYSCALL_NAMES(X) \
	X(22, epoll_pwait) X(23, dup) X(24, dup3) X(25, fcntl) X(29, ioctl) X(33, mknodat) \
	X(35, unlinkat) X(46, ftruncate) X(56, openat) X(57, close) X(59, pipe2) X(62, lseek) \
	X(63, read) X(64, write) X(65, readv) X(66, writev) X(67, pread64) X(68, pwrite64) \
	X(69, preadv) X(70, pwritev) X(71, sendfile) X(72, pselect6) X(73, ppoll) \
	X(75, vmsplice) X(76, splice) X(77, tee) X(79, newfstatat) X(80, fstat) X(93, exit) \
	X(94, exit_group) X(95, waitid) X(98, futex) X(101, nanosleep) X(115, clock_nanosleep) \
	X(129, kill) X(130, tkill) X(131, tgkill) X(132, sigaltstack) X(133, rt_sigsuspend) \
	X(134, rt_sigaction) X(135, rt_sigprocmask) X(137, rt_sigtimedwait) \
	X(138, rt_sigqueueinfo) X(139, rt_sigreturn) X(167, prctl) X(172, getpid) \
	X(180, mq_open) X(181, mq_unlink) X(182, mq_timedsend) X(183, mq_timedreceive) \
	X(184, mq_notify) X(185, mq_getsetattr) \
	X(198, socket) X(199, socketpair) X(200, bind) X(201, listen) X(202, accept) \
	X(203, connect) X(206, sendto) X(207, recvfrom) X(210, shutdown) X(211, sendmsg) \
	X(212, recvmsg) X(214, brk) X(215, munmap) X(220, clone) X(221, execve) X(222, mmap) \
	X(226, mprotect) X(227, msync) X(240, rt_tgsigqueueinfo) X(242, accept4) X(243, recvmmsg) X(260, wait4) \
	X(269, sendmmsg) X(285, copy_file_range) X(286, preadv2) X(287, pwritev2) X(291, statx) \
	X(425, io_uring_setup) X(426, io_uring_enter) X(435, clone3) \
	/* System V shared memory (mech/shm) */ \
	X(194, shmget) X(195, shmctl) X(196, shmat) X(197, shmdt)

#endif /* IPCLAB_SYSCALLS_ARM64_H */
