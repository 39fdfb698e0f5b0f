// SPDX-License-Identifier: GPL-2.0
/* names.c - syscall names for the calls a lab trace shows (per architecture); signals;
 * errno. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/types.h>
#include "names.h"
#include "ipclab.h"	/* the architecture's syscall table */

static const struct {
	int nr;
	const char *name;
} syscalls[] = {
#define SYSCALL_ENTRY(nr, name) { nr, #name },
	IPCLAB_SYSCALL_NAMES(SYSCALL_ENTRY)
#undef SYSCALL_ENTRY
};

const char *syscall_name(int nr)
{
	for (size_t i = 0; i < sizeof(syscalls) / sizeof(syscalls[0]); i++)
		if (syscalls[i].nr == nr)
			return syscalls[i].name;
	return NULL;
}

int syscall_number(const char *name)
{
	for (size_t i = 0; i < sizeof(syscalls) / sizeof(syscalls[0]); i++)
		if (!strcmp(syscalls[i].name, name))
			return syscalls[i].nr;
	return -1;
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

	/* real-time signals as C programs name them: SIGRTMIN is the C library's, 34 (glibc
	 * keeps 32 and 33 for itself; `kill -l` names them so too), up to 64 */
	static char rt[64 - 32 + 1][16];

	if (sig > 0 && sig < (int)(sizeof(names) / sizeof(names[0])) && names[sig])
		return names[sig];
	if (sig >= 32 && sig <= 64) {
		char *n = rt[sig - 32];

		if (!n[0]) {
			if (sig < IPCLAB_SIGRTMIN)
				snprintf(n, sizeof(rt[0]), "SIG%d", sig);
			else if (sig == IPCLAB_SIGRTMIN)
				snprintf(n, sizeof(rt[0]), "SIGRTMIN");
			else
				snprintf(n, sizeof(rt[0]), "SIGRTMIN+%d", sig - IPCLAB_SIGRTMIN);
		}
		return n;
	}
	return "SIG?";
}

int signal_number(const char *name)
{
	for (int sig = 1; sig <= 64; sig++)
		if (!strcmp(signal_name(sig), name))
			return sig;
	return 0;
}

const char *errno_name(int err)
{
	/* the kernel's own, never seen by a program but by the probes at sys_exit, when a
	 * signal interrupts a sleep (include/linux/errno.h; mech/signal/NOTES.md) */
	static const char *const restart[] = { [512 - 512] = "ERESTARTSYS",
		[513 - 512] = "ERESTARTNOINTR", [514 - 512] = "ERESTARTNOHAND",
		[515 - 512] = "ENOIOCTLCMD", [516 - 512] = "ERESTART_RESTARTBLOCK" };
	const char *n;

	if (err >= 512 && err <= 516)
		return restart[err - 512];
	n = strerrorname_np(err);

	return n ? n : "E?";
}
