// SPDX-License-Identifier: GPL-2.0
/*
 * unix_server - the server of two unrelated programs that meet on a
 * socket file (scenario unix_server_client, together with unix_client).
 *
 * Course notes (section 2, 进程间通信的方式):
 *   "3）共享映射区，无血缘关系的进程也可以使用  4）本地套接字，最稳定"
 *   (3) shared mappings, usable by unrelated processes too;
 *   4) local sockets, the most stable.)
 *
 *   Like a FIFO, a local socket can have a name in the filesystem, so
 *   processes with no common ancestor can find each other.  bind()
 *   creates the name: a file of type s (socket), with no data, like a
 *   FIFO's p file.  Unlike a FIFO, the file does not go away when the
 *   server closes its socket: it stays behind, "stale", until someone
 *   unlinks it, and while it is there nobody can bind() that path
 *   again (EADDRINUSE).  That is why servers unlink their path first.
 *
 * Usage: unix_server [SOCKET-PATH]   (default /tmp/ipclab-unix.sock)
 *   Start unix_client with the same path at the same moment:
 *     ./unix_server P & ./unix_client P; wait
 *
 * What it does (one process, "server"):
 *   socket(AF_UNIX, SOCK_STREAM); bind(path) -> 0, the socket file
 *   appears (EADDRINUSE here means a file left over from an earlier
 *   run: fatal); stat(path) -> a socket file (S_IFSOCK) of size 0;
 *   listen(4); accept() -> blocks ~200 ms until the client connects;
 *   read(conn, 64) -> blocks ~50 ms, then 21 "hello from the client";
 *   write(conn, "hello from the server", 21);
 *   read(conn, 64) -> 0 (the client closed);
 *   close(conn); close(listener): the socket file stays, stale;
 *   sleep 200 ms (the client's second connect() is refused meanwhile);
 *   socket(); bind(path) -> -1 EADDRINUSE (the stale file);
 *   unlink(path); bind(path) -> 0 (what a server does at start-up);
 *   close(); unlink(path).
 *   Exit 0 if the request came, the reply went, and the stale bind
 *   failed with EADDRINUSE.
 *
 * What to see in the trace:
 *   No fork(): the client is another program, found through the path.
 *   bind() makes the object's path known; accept() sleeps until the
 *   client's connect() wakes it and returns a new socket, connected to
 *   the client's (the listening socket only takes connections, no
 *   data).  The server's read() sleeps until the client's write()
 *   (50 ms after its connect()) wakes it.  The request and the reply
 *   each cross as one skb, in opposite directions on the same
 *   connection.  After both sides have
 *   closed, the path still exists, so the client's second connect()
 *   fails at once with -ECONNREFUSED and the server's second bind()
 *   with -EADDRINUSE; after unlink() the same bind() succeeds.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../lab.h"

#define LAB_SOCK_DEFAULT "/tmp/ipclab-unix.sock"

static const char *sock_owned;	/* our socket file, removed if we end early */

static void remove_sock_file(void)
{
	if (sock_owned)
		unlink(sock_owned);
}

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

static int new_socket(void)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	return fd;
}

/* socket, bind, stat, listen: the listening socket. */
static int listen_on(const struct sockaddr_un *a, socklen_t alen)
{
	struct stat st;
	int fd = new_socket();

	if (bind(fd, (const struct sockaddr *)a, alen) < 0) {
		if (errno == EADDRINUSE)
			fprintf(stderr, "%s exists already (left over from an earlier run?): "
				"remove it and start again\n", a->sun_path);
		die("bind");
	}
	sock_owned = a->sun_path;
	if (atexit(remove_sock_file) != 0) {
		errno = ENOMEM;
		die("atexit");
	}
	say("bind(%d, \"%s\") = 0: the socket file is created", fd, a->sun_path);
	if (stat(a->sun_path, &st) < 0)
		die("stat");
	say("stat(\"%s\"): %s, size %lld", a->sun_path,
	    S_ISSOCK(st.st_mode) ? "a socket file" : "NOT a socket file",
	    (long long)st.st_size);
	if (listen(fd, 4) < 0)
		die("listen");
	say("listen(%d, 4) = 0", fd);
	return fd;
}

/* accept one client, answer its request; 1 if all went as predicted */
static int serve_one(int lfd)
{
	static const char reply[] = "hello from the server";
	char buf[64];
	ssize_t req, eof, n;
	long t0 = now_ms();
	int conn;

	conn = accept(lfd, NULL, NULL);
	if (conn < 0)
		die("accept");
	say("accept(%d) = %d after %ld ms (the client connected)", lfd, conn, now_ms() - t0);
	req = read(conn, buf, sizeof(buf));
	if (req < 0)
		die("read");
	say("read(%d, buf, %zu) = %zd \"%.*s\"", conn, sizeof(buf), req, (int)req, buf);
	n = write(conn, reply, strlen(reply));
	if (n < 0)
		die("write");
	say("write(%d, \"%s\", %zu) = %zd", conn, reply, strlen(reply), n);
	eof = read(conn, buf, sizeof(buf));
	if (eof < 0)
		die("read");
	say("read(%d, buf, %zu) = %zd (the client closed)", conn, sizeof(buf), eof);
	if (close(conn) < 0)
		die("close(conn)");
	return req == 21 && memcmp(buf, "hello from the client", 21) == 0 &&
	       n == (ssize_t)strlen(reply) && eof == 0;
}

/* bind() on the stale path: EADDRINUSE; unlink, bind again: 0. */
static int rebind_stale(const struct sockaddr_un *a, socklen_t alen)
{
	int fd = new_socket(), err, rc;

	rc = bind(fd, (const struct sockaddr *)a, alen);
	err = errno;
	if (rc == 0) {
		say("bind(%d, \"%s\") = 0: unexpected, the stale file should be in the way",
		    fd, a->sun_path);
		return 0;
	}
	if (err != EADDRINUSE)
		die("bind(stale path)");
	say("bind(%d, \"%s\") = -1 EADDRINUSE: the stale socket file is in the way",
	    fd, a->sun_path);
	rc = unlink(a->sun_path);
	if (rc < 0)
		die("unlink");
	say("unlink(\"%s\") = 0", a->sun_path);
	if (bind(fd, (const struct sockaddr *)a, alen) < 0)
		die("bind(after unlink)");
	say("bind(%d, \"%s\") = 0 after the unlink", fd, a->sun_path);
	if (close(fd) < 0)
		die("close");
	rc = unlink(a->sun_path);
	sock_owned = NULL;
	if (rc < 0)
		die("unlink");
	say("closed, unlink(\"%s\") = 0", a->sun_path);
	return 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_un a;
	const char *path;
	socklen_t alen;
	int lfd, ok;

	set_role("server");
	if (argc > 2) {
		fprintf(stderr, "usage: %s [SOCKET-PATH]\n  SOCKET-PATH defaults to %s\n",
			program_invocation_short_name, LAB_SOCK_DEFAULT);
		return 1;
	}
	path = argc == 2 ? argv[1] : LAB_SOCK_DEFAULT;
	/* The first output: stdio's own fstat(1) comes before the socket. */
	say("socket path %s", path);
	alen = path_addr(&a, path);

	lfd = listen_on(&a, alen);
	ok = serve_one(lfd);
	if (close(lfd) < 0)
		die("close(listener)");
	say("closed the listening socket: %s stays behind, stale", path);

	sleep_ms(200);
	ok &= rebind_stale(&a, alen);
	say(ok ? "served one client; the stale path blocked bind() until unlinked"
	       : "unexpected result");
	return ok ? 0 : 2;
}
