// SPDX-License-Identifier: GPL-2.0
/*
 * signal_eintr - a signal interrupts a read() blocked on an empty pipe:
 * without SA_RESTART the read fails with EINTR; with SA_RESTART the
 * kernel re-issues it and it goes on waiting, then returns the data.
 *
 * Course notes (section 2, 进程间通信的方式):
 *   "2）信号，开销最小，使用灵活，系统优先级比较高，异步方式"
 *   (Signals: high priority, asynchronous: a signal takes a process out of
 *   the syscall it sleeps in.)
 *
 * What it does, two rounds, one child each, fresh pipes each:
 *   "reader": sigaction(SIGUSR1, handler, flags) - round 1 flags 0
 *             ("eintr"), round 2 SA_RESTART ("restart"); forks; read(p[0],
 *             1 byte) blocks on the empty pipe; waits for the child.  The
 *             handler writes one byte to a second pipe, ack: the signaller
 *             learns that the handler ran (write() is async-signal-safe).
 *   "signaller": waits until the reader sleeps in read() (/proc/PID/wchan
 *             names pipe_read: a signal sent earlier would find it outside);
 *             sleeps 100 ms; kill(reader, SIGUSR1); read(ack) until the
 *             handler ran; round 2 only: sleeps 100 ms (the re-issued read
 *             is asleep by then) and write(p[1], "x", 1); exits 0.
 *   Exit 0 if round 1's read returned -1 EINTR and round 2's read
 *   returned 1 byte, the handler having run once in each round.
 *
 * What to see in the trace (mech/signal/NOTES.md, measured):
 *   Both rounds: the read sleeps; the kill generates SIGUSR1 and wakes
 *   it; the read's sys_exit returns -ERESTARTSYS (-512) in both rounds:
 *   the kernel records the syscall's end before it looks at the signal's
 *   action; then `signal_deliver` (flags 0 / SA_RESTART) and the handler,
 *   which ends in rt_sigreturn.  Round 1: rt_sigreturn returns -EINTR
 *   (-4), what read() returns to the program.  Round 2: rt_sigreturn
 *   returns what the kernel restored (x86_64: 0, the read syscall's number;
 *   the kernel rewound the program to the syscall instruction), and a
 *   second read of the same pipe begins, which sleeps until the
 *   signaller's write and returns 1.  (The handler's write to the ack pipe
 *   is between the delivery and rt_sigreturn.)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../lab.h"

static volatile sig_atomic_t handled;
static int ack_fd = -1;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
	if (write(ack_fd, "a", 1) != 1)
		_exit(1);
}

/* Read a small /proc/PID file into buf; its length, or -1. */
/* One round: the read's result and errno into *ret, *err. */
static int round_of(int flags, ssize_t *ret, int *err)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = flags };
	pid_t child;
	char c;
	int p[2], ack[2];

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) < 0)
		die("sigaction");
	if (pipe(p) < 0 || pipe(ack) < 0)
		die("pipe");
	ack_fd = ack[1];
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		set_role("signaller");
		close(p[0]);
		close(ack[1]);
		wait_asleep_in(getppid(), "pipe_read");	/* anon_pipe_read on 6.18 */
		sleep_ms(100);
		if (kill(getppid(), SIGUSR1) < 0)
			die("kill");
		if (read(ack[0], &c, 1) != 1)
			die("read(ack)");
		if (flags & SA_RESTART) {
			sleep_ms(100);
			if (write(p[1], "x", 1) != 1)
				die("write");
		}
		_exit(0);
	}
	close(p[1]);
	close(ack[0]);
	handled = 0;
	*ret = read(p[0], &c, 1);
	*err = errno;
	say("%s: read returned %zd (%s), handler ran %d time(s)",
	    flags & SA_RESTART ? "SA_RESTART" : "no SA_RESTART", *ret,
	    *ret < 0 ? strerror(*err) : "data", (int)handled);
	close(p[0]);
	close(ack[1]);
	return child_ok(wait_child(child)) && handled == 1;
}

int main(void)
{
	ssize_t r1, r2;
	int e1, e2, ok;

	set_role("reader");
	ok = round_of(0, &r1, &e1);
	ok &= round_of(SA_RESTART, &r2, &e2);
	if (!ok)
		return 1;
	return r1 == -1 && e1 == EINTR && r2 == 1 ? 0 : 2;
}
