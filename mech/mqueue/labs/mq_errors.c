// SPDX-License-Identifier: GPL-2.0
/*
 * mq_errors - what a message queue refuses: a message larger than
 * mq_msgsize (EMSGSIZE), a receive buffer smaller than mq_msgsize (EMSGSIZE,
 * even when every queued message would fit), and, with O_NONBLOCK, a send to
 * a full queue or a receive from an empty one (EAGAIN instead of sleeping).
 *
 * Course notes (section 2, 进程间通信的方式) list "消息队列" among the
 * mechanisms; the rule shown here: a queue has fixed limits, checked by the
 * kernel at every call.
 *
 * What it does ("user", one process):
 *   mq_open (O_CREAT | O_NONBLOCK, at most 2 messages of 64 bytes);
 *   mq_send "a", "b"                   -> 0, 0        (the queue is full)
 *   mq_send "c"                        -> EAGAIN
 *   mq_send of 65 bytes                -> EMSGSIZE
 *   mq_receive into a 32-byte buffer   -> EMSGSIZE    (2 one-byte messages queued)
 *   mq_receive twice into 64 bytes     -> "a", "b"
 *   mq_receive                         -> EAGAIN      (empty)
 *   mq_unlink.
 *   Exit 0 if every call returned what is written above.
 *
 * What to see in the trace:
 *   Four failed mq_send/mq_recv events, each with the queue the same before
 *   and after, none with a sleep.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>

#include "../../lab.h"

static int bad;

/* the call returned r with errno; expected: want_errno (0: success) */
static void expect(const char *what, long r, int want_errno)
{
	int err = r < 0 ? errno : 0;

	say("%-28s -> %s", what, err ? strerror(err) : "ok");
	if (err != want_errno)
		bad = 1;
}

int main(void)
{
	struct mq_attr attr = { .mq_maxmsg = 2, .mq_msgsize = 64 };
	char name[64], big[65], small[32], buf[64];
	mqd_t q;

	set_role("user");
	snprintf(name, sizeof(name), "/ipclab-mq_errors-%d", (int)getpid());
	q = mq_open(name, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0600, &attr);
	if (q == (mqd_t)-1)
		die("mq_open");
	memset(big, 'x', sizeof(big));
	expect("mq_send \"a\"", mq_send(q, "a", 1, 0), 0);
	expect("mq_send \"b\"", mq_send(q, "b", 1, 0), 0);
	expect("mq_send \"c\" (full)", mq_send(q, "c", 1, 0), EAGAIN);
	expect("mq_send 65 bytes", mq_send(q, big, sizeof(big), 0), EMSGSIZE);
	expect("mq_receive, 32-byte buffer", mq_receive(q, small, sizeof(small), NULL), EMSGSIZE);
	expect("mq_receive", mq_receive(q, buf, sizeof(buf), NULL), 0);
	expect("mq_receive", mq_receive(q, buf, sizeof(buf), NULL), 0);
	expect("mq_receive (empty)", mq_receive(q, buf, sizeof(buf), NULL), EAGAIN);
	if (mq_unlink(name) < 0)
		die("mq_unlink");
	return bad ? 2 : 0;
}
