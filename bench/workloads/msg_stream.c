/* msg_stream KIND SIZE COUNT - a parent sends COUNT messages of SIZE bytes to a child, which
 * receives them one call each, over the mechanism KIND:
 *   unix   a socketpair(AF_UNIX, SOCK_STREAM): write() and read() of SIZE bytes (the reader
 *          loops on short reads, so a call may carry less when it is behind)
 *   dgram  a socketpair(AF_UNIX, SOCK_DGRAM): send() and recv(), one datagram each
 *   mq     a POSIX message queue (10 messages of SIZE bytes): mq_send() and mq_receive()
 * The symmetric streams of issue 16 for the other mechanisms: as many sends as receives.
 * Timed from the first send until the child has received everything (the parent waits for
 * it); the fork is before the clock starts.  Prints seconds=S ops=COUNT bytes=B.
 *   msg_stream unix 64 256k     msg_stream dgram 64 256k     msg_stream mq 64 256k
 */
#include "bench.h"
#include <fcntl.h>
#include <mqueue.h>
#include <sys/socket.h>
#include <sys/wait.h>

enum kind { KIND_UNIX, KIND_DGRAM, KIND_MQ };

struct channel {
	enum kind kind;
	int fds[2];		/* the socket pair: [0] the receiver's, [1] the sender's */
	mqd_t mq;
	char name[64];		/* the queue's name, unlinked once both ends have it open */
};

static int kind_of(const char *s, enum kind *k)
{
	if (!strcmp(s, "unix"))
		*k = KIND_UNIX;
	else if (!strcmp(s, "dgram"))
		*k = KIND_DGRAM;
	else if (!strcmp(s, "mq"))
		*k = KIND_MQ;
	else
		return -1;
	return 0;
}

static void channel_open(struct channel *ch, size_t size)
{
	struct mq_attr attr = { .mq_maxmsg = 10, .mq_msgsize = (long)size };

	if (ch->kind != KIND_MQ) {
		if (socketpair(AF_UNIX, ch->kind == KIND_UNIX ? SOCK_STREAM : SOCK_DGRAM, 0, ch->fds))
			die("socketpair");
		return;
	}
	snprintf(ch->name, sizeof(ch->name), "/ipclab-bench-%d", (int)getpid());
	ch->mq = mq_open(ch->name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (ch->mq == (mqd_t)-1)
		die("mq_open");
	mq_unlink(ch->name);	/* the open descriptor, inherited by the child, is enough */
}

/* The child: receive until `total` bytes have arrived, one call per message. */
static int receiver(struct channel *ch, size_t size, unsigned long long total)
{
	unsigned long long got = 0;
	char *buf = malloc(size);
	ssize_t r;

	if (!buf)
		die("malloc");
	while (got < total) {
		if (ch->kind == KIND_MQ)
			r = mq_receive(ch->mq, buf, size, NULL);
		else if (ch->kind == KIND_DGRAM)
			r = recv(ch->fds[0], buf, size, 0);
		else
			r = read(ch->fds[0], buf, size);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			fprintf(stderr, "msg_stream: receive: %s\n", r ? strerror(errno) : "end of stream");
			return 1;
		}
		got += (unsigned long long)r;
	}
	return 0;
}

static void send_one(struct channel *ch, const char *buf, size_t size)
{
	int r;

	if (ch->kind == KIND_UNIX) {
		write_all(ch->fds[1], buf, size);
		return;
	}
	do
		r = ch->kind == KIND_MQ ? mq_send(ch->mq, buf, size, 0)
					: (int)send(ch->fds[1], buf, size, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		die("send");
}

int main(int argc, char **argv)
{
	unsigned long long size, count, i;
	struct channel ch = { 0 };
	int status;
	pid_t child;
	char *buf;
	double t0, t1;

	if (argc != 4 || kind_of(argv[1], &ch.kind)) {
		fprintf(stderr, "usage: %s unix|dgram|mq SIZE COUNT   (e.g. unix 64 256k)\n", argv[0]);
		return 2;
	}
	size = parse_num(argv[2]);
	count = parse_num(argv[3]);
	if (!size || size > 8192 || !count)	/* 8192: the default mq msgsize_max */
		return 2;
	channel_open(&ch, size);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0)
		_exit(receiver(&ch, size, size * count));
	buf = malloc(size);
	if (!buf)
		die("malloc");
	memset(buf, 'x', size);
	t0 = now_s();
	for (i = 0; i < count; i++)
		send_one(&ch, buf, size);
	if (waitpid(child, &status, 0) < 0)
		die("waitpid");
	t1 = now_s();
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	printf("seconds=%.6f ops=%llu bytes=%llu\n", t1 - t0, count, size * count);
	return 0;
}
