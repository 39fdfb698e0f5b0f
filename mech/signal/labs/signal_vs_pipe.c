// SPDX-License-Identifier: GPL-2.0
/*
 * signal_vs_pipe - "signals have the lowest overhead", measured: 50 round
 * trips between two processes by signals, then 50 by 1-byte messages on a
 * pair of pipes.  The trace tells what each round trip costs the kernel.
 *
 * Course notes (section 2, 进程间通信的方式):
 *   "2）信号，开销最小，使用灵活，系统优先级比较高，异步方式"
 *   (Signals: the lowest overhead ...)
 *
 * What it does:
 *   "main": blocks SIGUSR1 and SIGUSR2 (the children inherit the mask),
 *           runs the two pairs one after the other, waits for each.
 *   Signals: "sig_pong" installs a SIGUSR1 handler (SA_SIGINFO, keeps
 *           si_pid) and loops 50 times: sigsuspend() until SIGUSR1, then
 *           kill(si_pid, SIGUSR2).  "sig_ping" installs a SIGUSR2 handler and
 *           loops 50 times: kill(sig_pong, SIGUSR1), sigsuspend() until
 *           SIGUSR2.
 *   Pipes:  "pipe_pong" loops 50 times: read(a, 1 byte), write(b, 1 byte);
 *           "pipe_ping" loops 50 times: write(a, 1 byte), read(b, 1 byte).
 *   Exit 0 if every round trip completed.
 *
 * What to see in the trace:
 *   A signal round trip is two kill, two rt_sigsuspend and two rt_sigreturn
 *   (the handlers' ends) and two signal deliveries; a pipe round trip two
 *   writes and two reads.  Both sleep twice (one context switch each way).
 *   The scenario's claim adds up the kernel time of each (the syscalls'
 *   time less the time asleep in them) and says which was cheaper here.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>

#include "../../lab.h"

#define TRIPS 50

static volatile sig_atomic_t got, from_pid;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got++;
	from_pid = si->si_pid;
}

static void handle(int sig)
{
	struct sigaction sa = { .sa_sigaction = on_sig, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) < 0)
		die("sigaction");
}

/* The mask sigsuspend() waits with: the inherited one less sig. */
static sigset_t waiting_for(int sig)
{
	sigset_t m;

	sigprocmask(SIG_SETMASK, NULL, &m);
	sigdelset(&m, sig);
	return m;
}

static void sig_pong(void)
{
	sigset_t m = waiting_for(SIGUSR1);

	set_role("sig_pong");
	handle(SIGUSR1);
	for (int i = 0; i < TRIPS; i++) {
		sigsuspend(&m);
		if (kill(from_pid, SIGUSR2) < 0)
			die("kill");
	}
	_exit(got == TRIPS ? 0 : 2);
}

static void sig_ping(pid_t pong)
{
	sigset_t m = waiting_for(SIGUSR2);

	set_role("sig_ping");
	handle(SIGUSR2);
	sleep_ms(50);
	for (int i = 0; i < TRIPS; i++) {
		if (kill(pong, SIGUSR1) < 0)
			die("kill");
		sigsuspend(&m);
	}
	_exit(got == TRIPS ? 0 : 2);
}

static void pipe_pair(int a[2], int b[2], int ping)
{
	char c = 'x';

	set_role(ping ? "pipe_ping" : "pipe_pong");
	if (ping)
		sleep_ms(50);
	for (int i = 0; i < TRIPS; i++) {
		if (ping && write(a[1], &c, 1) != 1)
			die("write");
		if (read(ping ? b[0] : a[0], &c, 1) != 1)
			die("read");
		if (!ping && write(b[1], &c, 1) != 1)
			die("write");
	}
	_exit(0);
}

int main(void)
{
	sigset_t set;
	pid_t pong, ping;
	int a[2], b[2], ok;

	set_role("main");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die("sigprocmask");
	if ((pong = fork()) == 0)
		sig_pong();
	if ((ping = fork()) == 0)
		sig_ping(pong);
	if (pong < 0 || ping < 0)
		die("fork");
	ok = child_ok(wait_child(ping)) & child_ok(wait_child(pong));
	if (pipe(a) < 0 || pipe(b) < 0)
		die("pipe");
	if ((pong = fork()) == 0)
		pipe_pair(a, b, 0);
	if ((ping = fork()) == 0)
		pipe_pair(a, b, 1);
	if (pong < 0 || ping < 0)
		die("fork");
	ok &= child_ok(wait_child(ping)) & child_ok(wait_child(pong));
	return ok ? 0 : 1;
}
