// SPDX-License-Identifier: GPL-2.0
/*
 * mq_unrelated_reader - the other half of mq_unrelated_writer: opens the
 * queue by its name, after the writer has exited, and finds its messages.
 *
 * What it does ("reader"): waits until DIR/sent exists (argv[1]; access(2),
 * not traced), sleeps 100 ms (the writer exits meanwhile); mq_open NAME
 * (O_RDONLY, no O_CREAT); three mq_receive; mq_unlink NAME; mq_open NAME
 * again, which fails with ENOENT (the name is gone).
 * Exit 0 if it received "one", "two", "three" and the last mq_open failed
 * with ENOENT.
 *
 * What to see in the trace: the reader is not the writer's child; its
 * mq_open names the queue the writer made, and its first mq_recv finds the
 * 3 messages, after the writer's exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>

#include "../../lab.h"

int main(int argc, char **argv)
{
	static const char *const msgs[] = { "one", "two", "three" };
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	const char *base = strrchr(dir, '/');
	char name[128], sent[PATH_MAX], buf[64];
	int bad = 0;
	mqd_t q;

	set_role("reader");
	snprintf(name, sizeof(name), "/%s", base ? base + 1 : dir);
	snprintf(sent, sizeof(sent), "%s/sent", dir);
	wait_for_path(sent);
	sleep_ms(100);
	q = mq_open(name, O_RDONLY);
	if (q == (mqd_t)-1)
		die("mq_open");
	for (int i = 0; i < 3; i++) {
		ssize_t n = mq_receive(q, buf, sizeof(buf), NULL);

		if (n < 0)
			die("mq_receive");
		buf[n < (ssize_t)sizeof(buf) ? n : (ssize_t)sizeof(buf) - 1] = 0;
		say("received \"%s\"", buf);
		bad |= strcmp(buf, msgs[i]) != 0;
	}
	if (mq_unlink(name) < 0)
		die("mq_unlink");
	if (mq_open(name, O_RDONLY) != (mqd_t)-1 || errno != ENOENT)
		bad = 1;
	else
		say("after mq_unlink, mq_open: %s", strerror(errno));
	return bad ? 2 : 0;
}
