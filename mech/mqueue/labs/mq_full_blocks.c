// SPDX-License-Identifier: GPL-2.0
/*
 * mq_full_blocks - a full message queue blocks the sender until a receiver
 * takes a message; the receiver itself puts the sleeping sender's message in.
 *
 * Course notes (section 2, 进程间通信的方式) list "消息队列" among the
 * mechanisms; the rule shown here: a queue holds at most mq_maxmsg messages.
 *
 * What it does:
 *   "sender":   mq_open (O_CREAT, at most 4 messages of 64 bytes), forks the
 *               receiver, then five mq_send "m1" ... "m5": the fifth finds
 *               the queue full and sleeps; waits for the receiver; mq_unlink.
 *   "receiver": sleeps 100 ms, then five mq_receive.
 *   Exit 0 if the receiver got m1 ... m5 in order.
 *
 * What to see in the trace:
 *   Sends take the queue from 0 to 4 messages; the fifth enters with 4 of 4
 *   and blocks.  The receiver's first mq_receive takes m1 and, still inside
 *   the call, moves the sleeping sender's m5 into the queue and wakes it:
 *   that receive enters with 4 messages and leaves with 4.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>

#include "../../lab.h"

#define MAXMSG 4
#define SENDS (MAXMSG + 1)

static int receive_all(mqd_t q)
{
	char buf[64], want[8];
	int bad = 0;

	sleep_ms(100);
	for (int i = 0; i < SENDS; i++) {
		ssize_t n = mq_receive(q, buf, sizeof(buf), NULL);

		if (n < 0)
			die("mq_receive");
		buf[n < (ssize_t)sizeof(buf) ? n : (ssize_t)sizeof(buf) - 1] = 0;
		snprintf(want, sizeof(want), "m%d", i + 1);
		say("received \"%s\"", buf);
		bad |= strcmp(buf, want) != 0;
	}
	return bad ? 2 : 0;
}

int main(void)
{
	struct mq_attr attr = { .mq_maxmsg = MAXMSG, .mq_msgsize = 64 };
	char name[64], msg[8];
	pid_t child;
	mqd_t q;
	int status;

	set_role("sender");
	snprintf(name, sizeof(name), "/ipclab-mq_full_blocks-%d", (int)getpid());
	q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (q == (mqd_t)-1)
		die("mq_open");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		set_role("receiver");
		return receive_all(q);
	}
	for (int i = 0; i < SENDS; i++) {
		long t0 = now_ms();

		snprintf(msg, sizeof(msg), "m%d", i + 1);
		if (mq_send(q, msg, strlen(msg), 0) < 0)
			die("mq_send");
		say("sent \"%s\" after %ld ms", msg, now_ms() - t0);
	}
	status = wait_child(child);
	if (mq_unlink(name) < 0)
		die("mq_unlink");
	return child_ok(status) ? 0 : 2;
}
