// SPDX-License-Identifier: GPL-2.0
/*
 * signal_sigchld - a child's exit sends its parent SIGCHLD: the kernel
 * itself generates it, from inside the dying child.
 *
 * Course notes (section 2, 进程间通信的方式):
 *   "2）信号，开销最小，使用灵活，系统优先级比较高，异步方式"
 *   (Signals: asynchronous: the parent learns of the exit without asking.)
 *
 * What it does:
 *   "parent": installs a SIGCHLD handler (SA_SIGINFO) that records si_pid
 *             and si_status, blocks SIGCHLD, forks, waits in sigsuspend()
 *             with SIGCHLD unblocked, then reaps the child with waitpid().
 *   "child":  sleeps 100 ms; exits with status 7.
 *   Exit 0 if the handler ran once, naming the child and status 7.
 *
 * What to see in the trace:
 *   The child's exit (code 7); during it a `signal` event SIGCHLD to the
 *   parent, sent by the child ("delivered"); the parent's rt_sigsuspend
 *   ends and `signal_deliver` SIGCHLD follows, code CLD_EXITED (1), its
 *   sender the child; then the parent's wait4.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>

#include "../../lab.h"

static volatile sig_atomic_t handled, from_pid, status;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	handled++;
	from_pid = si->si_pid;
	status = si->si_status;
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_chld, .sa_flags = SA_SIGINFO };
	sigset_t block, during;
	pid_t child;
	int st;

	set_role("parent");
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL) < 0)
		die("sigaction");
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &block, &during) < 0)
		die("sigprocmask");
	sigdelset(&during, SIGCHLD);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		set_role("child");
		sleep_ms(100);
		_exit(7);
	}
	sigsuspend(&during);
	st = wait_child(child);
	say("SIGCHLD handler ran %d time(s): child %d, status %d", (int)handled,
	    (int)from_pid, (int)status);
	return handled == 1 && from_pid == child && status == 7 &&
	       WIFEXITED(st) && WEXITSTATUS(st) == 7 ? 0 : 2;
}
