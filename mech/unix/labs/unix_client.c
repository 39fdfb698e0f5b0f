// SPDX-License-Identifier: GPL-2.0
/*
 * unix_client - the client of two unrelated programs that meet on a
 * socket file (scenario unix_server_client, together with unix_server).
 *
 * Course notes (section 2, 进程间通信的方式):
 *   "4）本地套接字，最稳定"   (4) local sockets, the most stable.)
 *
 *   connect() to a path asks the kernel for the socket bound there and
 *   queues a connection request on it, which the server's accept()
 *   takes.  A socket file whose socket is gone (the server closed it,
 *   or died) still opens nothing: connect() to it is refused with
 *   ECONNREFUSED, at once.  (A path that does not exist at all gives
 *   ENOENT instead.)
 *
 * Usage: unix_client [SOCKET-PATH]   (default /tmp/ipclab-unix.sock)
 *   Start it at the same moment as unix_server, same path:
 *     ./unix_server P & ./unix_client P; wait
 *
 * What it does (one process, "client"):
 *   wait until the socket file exists, then sleep 200 ms (the server
 *   is blocked in accept() by then);
 *   socket(AF_UNIX, SOCK_STREAM); connect(path) -> 0; sleep 50 ms, then
 *   until the server sleeps in its read() (SO_PEERCRED gives its pid,
 *   /proc/PID/wchan says where it sleeps);
 *   write(fd, "hello from the client", 21) -> 21;
 *   read(fd, 64) -> 21 "hello from the server"; close(fd);
 *   sleep 100 ms (the server has closed its listening socket);
 *   socket(); connect(path) -> -1 ECONNREFUSED; close().
 *   Exit 0 if the reply came and the second connect() was refused.
 *
 * What to see in the trace:
 *   The client's connect() returns at once and ends the server's
 *   accept(), which had slept ~200 ms.  The client's socket and the one
 *   accept() returned are the two ends of the connection (they exist as
 *   soon as connect() returns; the wait only keeps the trace in one
 *   order): the server's read() sleeps until the request arrives in
 *   its end, the reply goes into the client's.  The
 *   client's close() gives the server's next read() its 0.  100 ms
 *   later the second connect() finds the socket file but no socket
 *   listening behind it: -ECONNREFUSED (-111), no sleep.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../lab.h"

#define LAB_SOCK_DEFAULT "/tmp/ipclab-unix.sock"

static socklen_t path_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a->sun_path)) {
		errno = ENAMETOOLONG;
		die(path);
	}
	strcpy(a->sun_path, path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

/* The server's pid: a connected socket's peer credentials (SO_PEERCRED) are
 * those its listening socket was given by listen(), in the server. */
static pid_t server_pid(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		die("getsockopt(SO_PEERCRED)");
	return cred.pid;
}

/* One request, one reply; 1 if the reply is the server's. */
static int talk(const struct sockaddr_un *a, socklen_t alen)
{
	static const char req[] = "hello from the client";
	char buf[64];
	ssize_t n, r;
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (connect(fd, (const struct sockaddr *)a, alen) < 0) {
		if (errno == ENOENT || errno == ECONNREFUSED)
			fprintf(stderr, "no server on %s: start unix_server first "
				"(or together)\n", a->sun_path);
		die("connect");
	}
	say("connect(%d, \"%s\") = 0", fd, a->sun_path);
	/* The connection exists now, before the server's accept() returns: a
	 * write here would already be queued.  Wait until the server sleeps in
	 * its read() (the pause first: where /proc hides wchan, any sleep of
	 * the server's counts), so that the request is what wakes it. */
	sleep_ms(50);
	/* unix_stream_read_generic on 6.18, unix_stream_data_wait where not inlined */
	wait_asleep_in(server_pid(fd), "unix_stream");
	n = write(fd, req, strlen(req));
	if (n < 0)
		die("write");
	say("write(%d, \"%s\", %zu) = %zd", fd, req, strlen(req), n);
	r = read(fd, buf, sizeof(buf));
	if (r < 0)
		die("read");
	say("read(%d, buf, %zu) = %zd \"%.*s\"", fd, sizeof(buf), r, (int)r, buf);
	if (close(fd) < 0)
		die("close");
	say("closed the connection");
	return n == (ssize_t)strlen(req) && r == 21 &&
	       memcmp(buf, "hello from the server", 21) == 0;
}

/* connect() to the path once nobody listens: 1 if refused. */
static int connect_refused(const struct sockaddr_un *a, socklen_t alen)
{
	int fd, rc, err;

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	rc = connect(fd, (const struct sockaddr *)a, alen);
	err = errno;
	if (rc == 0)
		say("connect(%d, \"%s\") = 0: unexpected, nobody should listen", fd,
		    a->sun_path);
	else if (err == ECONNREFUSED)
		say("connect(%d, \"%s\") = -1 ECONNREFUSED: the file is there, nobody "
		    "listens", fd, a->sun_path);
	else
		say("connect(%d, \"%s\") = -1 %s: unexpected", fd, a->sun_path,
		    strerror(err));
	if (close(fd) < 0)
		die("close");
	return rc < 0 && err == ECONNREFUSED;
}

int main(int argc, char **argv)
{
	struct sockaddr_un a;
	const char *path;
	socklen_t alen;
	int ok;

	set_role("client");
	if (argc > 2) {
		fprintf(stderr, "usage: %s [SOCKET-PATH]\n  SOCKET-PATH defaults to %s\n",
			program_invocation_short_name, LAB_SOCK_DEFAULT);
		return 1;
	}
	path = argc == 2 ? argv[1] : LAB_SOCK_DEFAULT;
	/* The first output: stdio's own fstat(1) comes before the socket. */
	say("socket path %s", path);
	alen = path_addr(&a, path);

	wait_for_path(path);
	sleep_ms(200);
	ok = talk(&a, alen);
	sleep_ms(100);
	ok &= connect_refused(&a, alen);
	say(ok ? "got the reply; the stale path refused the second connect()"
	       : "unexpected result");
	return ok ? 0 : 2;
}
