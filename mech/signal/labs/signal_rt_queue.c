// SPDX-License-Identifier: GPL-2.0
/*
 * signal_rt_queue - real-time signals queue: five SIGRTMIN sent with
 * sigqueue() while blocked are delivered five times, in the order sent,
 * each with its own value.
 *
 * Course notes (section 2, 进程间通信的方式):
 *   "2）信号，开销最小，使用灵活，系统优先级比较高，异步方式"
 *   (Signals: flexible: a real-time signal carries a value, and each one
 *   sent is kept.)
 *
 * What it does:
 *   "receiver": installs a SIGRTMIN handler (SA_SIGINFO) that records
 *               si_value, blocks SIGRTMIN, forks, waits for the child,
 *               then unblocks SIGRTMIN.
 *   "sender":   sleeps 50 ms; sigqueue(receiver, SIGRTMIN, {1}) ... {5}
 *               (the rt_sigqueueinfo syscall); exits 0.
 *   Exit 0 if the handler saw the values 1, 2, 3, 4, 5 in this order.
 *
 * What to see in the trace:
 *   Five rt_sigqueueinfo calls, each with a `signal` event "delivered"
 *   (queued: nothing is dropped); after the receiver's rt_sigprocmask
 *   SIG_UNBLOCK five `signal_deliver` events of SIGRTMIN, code SI_QUEUE,
 *   values 1 to 5, each handler ending in rt_sigreturn.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>

#include "../../lab.h"

#define SENDS 5

static volatile sig_atomic_t seen;
static volatile int values[SENDS];

static void on_rt(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (seen < SENDS)
		values[seen] = si->si_value.sival_int;
	seen++;
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_rt, .sa_flags = SA_SIGINFO };
	sigset_t set;
	pid_t child;
	int in_order = 1;

	set_role("receiver");
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGRTMIN, &sa, NULL) < 0)
		die("sigaction");
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die("sigprocmask(SIG_BLOCK)");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		set_role("sender");
		sleep_ms(50);
		for (int i = 1; i <= SENDS; i++)
			if (sigqueue(getppid(), SIGRTMIN, (union sigval){ .sival_int = i }) < 0)
				die("sigqueue");
		return 0;
	}
	if (!child_ok(wait_child(child)))
		return 1;
	if (sigprocmask(SIG_UNBLOCK, &set, NULL) < 0)
		die("sigprocmask(SIG_UNBLOCK)");
	for (int i = 0; i < SENDS; i++)
		in_order &= i < seen && values[i] == i + 1;
	say("%d SIGRTMIN queued while blocked, handler ran %d time(s), values %s",
	    SENDS, (int)seen, in_order ? "1..5 in order" : "NOT in order");
	return seen == SENDS && in_order ? 0 : 2;
}
