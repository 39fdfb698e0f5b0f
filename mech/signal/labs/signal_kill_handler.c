// SPDX-License-Identifier: GPL-2.0
/*
 * signal_kill_handler - one process sends another a signal with kill();
 * the kernel runs the receiver's handler, asynchronously, the next time
 * the receiver returns to user mode.
 *
 * Course notes (section 2, 进程间通信的方式):
 *   "2）信号，开销最小，使用灵活，系统优先级比较高，异步方式"
 *   (Signals: the lowest overhead, flexible, high priority, asynchronous.)
 *
 * What it does:
 *   "receiver": installs a SIGUSR1 handler (sigaction, no flags), blocks
 *               SIGUSR1, forks, then waits in sigsuspend() with SIGUSR1
 *               unblocked; the handler counts; waits for the child.
 *   "sender":   sleeps 100 ms; kill(receiver, SIGUSR1); exits 0.
 *   Exit 0 if the handler ran exactly once and sigsuspend() returned
 *   -1 EINTR.
 *
 * What to see in the trace:
 *   The sender's kill syscall; inside it, a `signal` event (SIGUSR1 to the
 *   receiver, result "delivered": queued and the receiver woken); the
 *   receiver's rt_sigsuspend ends, and a `signal_deliver` event names the
 *   handler that runs (flags: none); the handler's return is the
 *   rt_sigreturn syscall, which hands back -EINTR to sigsuspend().  The
 *   time from the kill to the delivery is the signal's latency.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>

#include "../../lab.h"

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t block, during;
	pid_t child;
	int r, err;

	set_role("receiver");
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) < 0)
		die("sigaction");
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	/* blocked before the fork: a kill that comes early waits for sigsuspend() */
	if (sigprocmask(SIG_BLOCK, &block, &during) < 0)
		die("sigprocmask");
	sigdelset(&during, SIGUSR1);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		set_role("sender");
		sleep_ms(100);
		if (kill(getppid(), SIGUSR1) < 0)
			die("kill");
		return 0;
	}
	r = sigsuspend(&during);
	err = errno;
	say("sigsuspend returned %d (%s), handler ran %d time(s)", r, strerror(err), (int)handled);
	if (!child_ok(wait_child(child)))
		return 1;
	return r == -1 && err == EINTR && handled == 1 ? 0 : 2;
}
