// SPDX-License-Identifier: GPL-2.0
/*
 * mq_unrelated_writer - two unrelated processes share a message queue by
 * its name, and the queue keeps its messages after the writer has exited.
 * Run together with mq_unrelated_reader, as two separate programs.
 *
 * Course notes (section 2, 进程间通信的方式) list "消息队列" among the
 * mechanisms; the rule shown here: a queue is named and lives in the kernel,
 * not in a process.
 *
 * What it does ("writer"): mq_open NAME (O_CREAT | O_EXCL, at most 4
 * messages of 64 bytes) where NAME is "/" and the last component of DIR
 * (argv[1], a fresh directory: ipclab-mq_unrelated-XXXXXX under ipclab);
 * three mq_send "one", "two", "three"; creates DIR/sent; exits without
 * mq_close or mq_unlink.  Exit 0 if the calls succeeded.
 *
 * What to see in the trace: the writer's three mq_send take the queue to 3
 * messages, then its exit; the reader's mq_recv come after it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>

#include "../../lab.h"

int main(int argc, char **argv)
{
	static const char *const msgs[] = { "one", "two", "three" };
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	const char *base = strrchr(dir, '/');
	char name[128], sent[PATH_MAX];
	mqd_t q;
	int fd;

	set_role("writer");
	snprintf(name, sizeof(name), "/%s", base ? base + 1 : dir);
	snprintf(sent, sizeof(sent), "%s/sent", dir);
	q = mq_open(name, O_WRONLY | O_CREAT | O_EXCL, 0600, &attr);
	if (q == (mqd_t)-1)
		die("mq_open");
	for (int i = 0; i < 3; i++)
		if (mq_send(q, msgs[i], strlen(msgs[i]), 0) < 0)
			die("mq_send");
	say("sent 3 messages to %s; exiting without closing it", name);
	fd = open(sent, O_WRONLY | O_CREAT, 0600);
	if (fd < 0)
		die("open");
	return 0;
}
