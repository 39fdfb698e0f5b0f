// SPDX-License-Identifier: GPL-2.0
/*
 * mq_priority - a POSIX message queue hands out the highest priority first,
 * and messages of equal priority in the order they were sent.
 *
 * Course notes (section 2, 进程间通信的方式) list "消息队列" among the
 * mechanisms; the rule shown here: a message queue keeps messages, each with a priority.
 *
 * What it does:
 *   "sender":   mq_open (O_CREAT, 4 messages of at most 64 bytes), then four
 *               mq_send: "low" (priority 1), "high" (5), "mid-a" (3),
 *               "mid-b" (3); forks the receiver and waits for it; mq_unlink.
 *   "receiver": four mq_receive on the inherited descriptor.
 *   Exit 0 if the receiver got high, mid-a, mid-b, low with priorities 5 3 3 1.
 *
 * What to see in the trace:
 *   Four `mq_send` events, the queue going from 0 to 4 messages, then four
 *   `mq_recv` events returning priorities 5, 3, 3, 1: the kernel keeps one
 *   list per priority and takes the first message of the highest one.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>

#include "../../lab.h"

#define MSGS 4

static const char *const sent[MSGS] = { "low", "high", "mid-a", "mid-b" };
static const unsigned int sent_prio[MSGS] = { 1, 5, 3, 3 };
static const char *const expect[MSGS] = { "high", "mid-a", "mid-b", "low" };
static const unsigned int expect_prio[MSGS] = { 5, 3, 3, 1 };

static int receive_all(mqd_t q)
{
	char buf[64];
	int bad = 0;

	for (int i = 0; i < MSGS; i++) {
		unsigned int prio = 0;
		ssize_t n = mq_receive(q, buf, sizeof(buf), &prio);

		if (n < 0)
			die("mq_receive");
		buf[n < (ssize_t)sizeof(buf) ? n : (ssize_t)sizeof(buf) - 1] = 0;
		say("received \"%s\" priority %u", buf, prio);
		if (strcmp(buf, expect[i]) || prio != expect_prio[i])
			bad = 1;
	}
	return bad ? 2 : 0;
}

int main(void)
{
	struct mq_attr attr = { .mq_maxmsg = MSGS, .mq_msgsize = 64 };
	char name[64];
	pid_t child;
	mqd_t q;
	int status;

	set_role("sender");
	snprintf(name, sizeof(name), "/ipclab-mq_priority-%d", (int)getpid());
	q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (q == (mqd_t)-1)
		die("mq_open");
	for (int i = 0; i < MSGS; i++) {
		if (mq_send(q, sent[i], strlen(sent[i]), sent_prio[i]) < 0)
			die("mq_send");
		say("sent \"%s\" priority %u", sent[i], sent_prio[i]);
	}
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		set_role("receiver");
		return receive_all(q);
	}
	status = wait_child(child);
	if (mq_unlink(name) < 0)
		die("mq_unlink");
	return child_ok(status) ? 0 : 2;
}
