// SPDX-License-Identifier: GPL-2.0
/*
 * mq_notify - a process asks to be told by a signal when a message arrives
 * in an empty queue (mq_notify, SIGEV_SIGNAL); the sender's mq_send raises
 * the signal, once.
 *
 * Course notes (section 2, 进程间通信的方式) list "消息队列" among the
 * mechanisms; the rule shown here: a queue can notify a process
 * asynchronously instead of making it wait in mq_receive.
 *
 * What it does:
 *   "owner":  mq_open (O_CREAT, 4 messages of at most 64 bytes); a SIGUSR1
 *             handler (SA_SIGINFO); blocks SIGUSR1; mq_notify(SIGEV_SIGNAL,
 *             SIGUSR1, value 42); forks the sender; sigsuspend until the
 *             handler ran; mq_receive; waits for the sender; mq_unlink.
 *   "sender": sleeps 50 ms, then mq_send "ping" into the empty queue.
 *   Exit 0 if the handler ran once with si_code SI_MESGQ, si_value 42 and
 *   si_pid the sender's, and "ping" was received.
 *
 * What to see in the trace:
 *   The owner's mq_notify leaves its pid registered on the queue.  The
 *   sender's mq_send (0 -> 1 messages) shows it registered before and not
 *   after (one notification, then the registration is gone), and within
 *   that send a `signal` event: SIGUSR1 for the owner, from the sender.  The
 *   owner's signal_deliver: SI_MESGQ, value 42.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "../../lab.h"

static volatile sig_atomic_t handled, code, value, from;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	handled++;
	code = si->si_code;
	value = si->si_value.sival_int;
	from = si->si_pid;
}

int main(void)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO };
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	char name[64], buf[64];
	sigset_t set, none;
	pid_t child;
	ssize_t n;
	mqd_t q;
	int status;

	set_role("owner");
	snprintf(name, sizeof(name), "/ipclab-mq_notify-%d", (int)getpid());
	q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (q == (mqd_t)-1)
		die("mq_open");
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) < 0)
		die("sigaction");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die("sigprocmask");
	sev.sigev_value.sival_int = 42;
	if (mq_notify(q, &sev) < 0)
		die("mq_notify");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		set_role("sender");
		sleep_ms(50);
		if (mq_send(q, "ping", 4, 0) < 0)
			die("mq_send");
		return 0;
	}
	sigemptyset(&none);
	while (!handled)
		sigsuspend(&none);
	say("SIGUSR1: si_code %d (SI_MESGQ %d), value %d, from pid %d", (int)code, SI_MESGQ,
	    (int)value, (int)from);
	n = mq_receive(q, buf, sizeof(buf), NULL);
	if (n < 0)
		die("mq_receive");
	status = wait_child(child);
	if (mq_unlink(name) < 0)
		die("mq_unlink");
	return child_ok(status) && handled == 1 && code == SI_MESGQ && value == 42 &&
	       from == child && n == 4 && !memcmp(buf, "ping", 4) ? 0 : 2;
}
