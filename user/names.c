// SPDX-License-Identifier: GPL-2.0
/* names.c - x86_64 syscall names for the calls a lab trace shows; signals; errno. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include "names.h"

static const struct {
	int nr;
	const char *name;
} syscalls[] = {
	{ 0, "read" }, { 1, "write" }, { 2, "open" }, { 3, "close" }, { 4, "stat" },
	{ 5, "fstat" }, { 6, "lstat" }, { 7, "poll" }, { 8, "lseek" }, { 9, "mmap" }, { 10, "mprotect" },
	{ 11, "munmap" }, { 12, "brk" }, { 13, "rt_sigaction" }, { 14, "rt_sigprocmask" },
	{ 16, "ioctl" }, { 17, "pread64" }, { 18, "pwrite64" }, { 19, "readv" }, { 20, "writev" },
	{ 22, "pipe" }, { 23, "select" }, { 26, "msync" }, { 32, "dup" }, { 33, "dup2" },
	{ 34, "pause" }, { 35, "nanosleep" }, { 39, "getpid" }, { 40, "sendfile" },
	{ 56, "clone" }, { 57, "fork" },
	{ 58, "vfork" }, { 59, "execve" }, { 60, "exit" }, { 61, "wait4" }, { 62, "kill" },
	{ 72, "fcntl" }, { 77, "ftruncate" }, { 87, "unlink" }, { 133, "mknod" },
	{ 157, "prctl" }, { 202, "futex" }, { 230, "clock_nanosleep" }, { 231, "exit_group" },
	{ 232, "epoll_wait" }, { 247, "waitid" }, { 257, "openat" }, { 259, "mknodat" }, { 262, "newfstatat" },
	{ 263, "unlinkat" }, { 270, "pselect6" }, { 271, "ppoll" }, { 275, "splice" },
	{ 276, "tee" }, { 278, "vmsplice" }, { 281, "epoll_pwait" }, { 292, "dup3" },
	{ 293, "pipe2" }, { 295, "preadv" }, { 296, "pwritev" }, { 326, "copy_file_range" },
	{ 327, "preadv2" }, { 328, "pwritev2" }, { 332, "statx" }, { 425, "io_uring_setup" },
	{ 426, "io_uring_enter" }, { 435, "clone3" },
};

const char *syscall_name(int nr)
{
	for (size_t i = 0; i < sizeof(syscalls) / sizeof(syscalls[0]); i++)
		if (syscalls[i].nr == nr)
			return syscalls[i].name;
	return NULL;
}

const char *signal_name(int sig)
{
	static const char *const names[] = {
		[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
		[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
		[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
		[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
		[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
		[SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP",
		[SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU",
		[SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU", [SIGXFSZ] = "SIGXFSZ",
		[SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH",
		[SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR", [SIGSYS] = "SIGSYS",
	};

	if (sig > 0 && sig < (int)(sizeof(names) / sizeof(names[0])) && names[sig])
		return names[sig];
	return "SIG?";
}

const char *errno_name(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "E?";
}
