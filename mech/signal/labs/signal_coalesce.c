// SPDX-License-Identifier: GPL-2.0
/*
 * signal_coalesce - a standard signal is a bit, not a queue: five SIGUSR1
 * sent while the receiver blocks it are delivered once.
 *
 * Course notes (section 2, 进程间通信的方式):
 *   "2）信号，开销最小，使用灵活，系统优先级比较高，异步方式"
 *   (Signals: the lowest overhead, flexible ...: a signal carries no data,
 *   and a standard one pending twice is still pending once.)
 *
 * What it does:
 *   "receiver": installs a SIGUSR1 handler that counts, blocks SIGUSR1
 *               (sigprocmask SIG_BLOCK), forks, waits for the child, then
 *               unblocks SIGUSR1 (sigprocmask SIG_UNBLOCK).
 *   "sender":   sleeps 50 ms; kill(receiver, SIGUSR1) five times; exits 0.
 *   Exit 0 if the handler ran exactly once.
 *
 * What to see in the trace:
 *   Five `signal` events from the sender's five kill calls: the first
 *   "delivered" (made pending: the receiver blocks it), the other four
 *   "already_pending" (dropped).  The receiver's rt_sigprocmask SIG_UNBLOCK
 *   then shows SIGUSR1 in its blocked mask before and not after, and one
 *   `signal_deliver` follows.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>

#include "../../lab.h"

#define SENDS 5

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t set;
	pid_t child;

	set_role("receiver");
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) < 0)
		die("sigaction");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die("sigprocmask(SIG_BLOCK)");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		set_role("sender");
		sleep_ms(50);
		for (int i = 0; i < SENDS; i++)
			if (kill(getppid(), SIGUSR1) < 0)
				die("kill");
		return 0;
	}
	if (!child_ok(wait_child(child)))
		return 1;
	if (sigprocmask(SIG_UNBLOCK, &set, NULL) < 0)
		die("sigprocmask(SIG_UNBLOCK)");
	say("%d SIGUSR1 sent while blocked, handler ran %d time(s)", SENDS, (int)handled);
	return handled == 1 ? 0 : 2;
}
