// SPDX-License-Identifier: GPL-2.0
/*
 * mq_empty_blocks - a receive on an empty message queue blocks until a
 * message is sent; the sender hands it straight to the sleeping receiver.
 *
 * Course notes (section 2, 进程间通信的方式) list "消息队列" among the
 * mechanisms; the rule shown here: mq_receive waits for a message.
 *
 * What it does:
 *   "receiver": mq_open (O_CREAT, 4 messages of at most 64 bytes), forks
 *               the sender, then one mq_receive on the empty queue: it
 *               sleeps; waits for the sender; mq_unlink.
 *   "sender":   sleeps 100 ms, then one mq_send "hello" (priority 2).
 *   Exit 0 if the receiver got "hello" with priority 2.
 *
 * What to see in the trace:
 *   The receive enters with 0 messages and blocks.  The send finds a
 *   receiver waiting and gives it the message directly: it enters and
 *   leaves with 0 messages queued, and wakes the receiver from inside
 *   mq_timedsend.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>

#include "../../lab.h"

int main(void)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };
	char name[64], buf[64];
	unsigned int prio = 0;
	pid_t child;
	ssize_t n;
	mqd_t q;
	long t0;
	int status;

	set_role("receiver");
	snprintf(name, sizeof(name), "/ipclab-mq_empty_blocks-%d", (int)getpid());
	q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (q == (mqd_t)-1)
		die("mq_open");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		set_role("sender");
		sleep_ms(100);
		if (mq_send(q, "hello", 5, 2) < 0)
			die("mq_send");
		return 0;
	}
	t0 = now_ms();
	n = mq_receive(q, buf, sizeof(buf), &prio);
	if (n < 0)
		die("mq_receive");
	buf[n < (ssize_t)sizeof(buf) ? n : (ssize_t)sizeof(buf) - 1] = 0;
	say("received \"%s\" priority %u after %ld ms", buf, prio, now_ms() - t0);
	status = wait_child(child);
	if (mq_unlink(name) < 0)
		die("mq_unlink");
	return child_ok(status) && !strcmp(buf, "hello") && prio == 2 ? 0 : 2;
}
