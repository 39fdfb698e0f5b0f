// SPDX-License-Identifier: GPL-2.0
/*
 * serve.c - `ipclab view TRACE [TRACE2]`.
 *
 * Binds 127.0.0.1 only, on a free port or the one --port names, and answers only under a random 128-bit token:
 *   /TOKEN/             the viewer (index.html)
 *   /TOKEN/<file>       a regular file of the viewer directory, listed at start-up
 *   /TOKEN/trace/N.json the N-th trace named on the command line
 *   /TOKEN/trace/N.cols its events in the compact columnar form (cols.h), derived at
 *                       start-up into an anonymous temporary file; 404 when the trace
 *                       does not have the writer's layout (the page then scans the JSON)
 *   /TOKEN/claims/N.json with --claims FILE: FILE's verdicts on trace N (claimcheck.h), judged
 *                       once at start-up and held in memory (a few KiB: 50 events a claim)
 * Everything else is 404: no directory listings, no path resolution of request URLs.
 *
 * A trace is served from the file, never held in memory (MHD sends it with sendfile), so a
 * trace of any size is served in constant memory; it is checked before serving only as far
 * as that is cheap (trace_read()'s TRACE_READ_HEADER).  A gzip-compressed trace is sent as
 * it is with "Content-Encoding: gzip" to a client that accepts that (every browser: the
 * page gets plain JSON), and decompressed on the way to one that does not.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <microhttpd.h>
#include <zlib.h>
#include "claimcheck.h"
#include "cols.h"
#include "run.h"
#include "serve.h"
#include "trace_read.h"

#ifndef IPCLAB_VIZ_DIR
#define IPCLAB_VIZ_DIR "viz"
#endif

#define MAX_FILES 256

/* The same policy the page's own meta tag carries, sent as a header too. */
static const char csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
			  "img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
			  "form-action 'none'; frame-ancestors 'none'";

struct site {
	char token[33];
	char root[4096];
	char *files[MAX_FILES];		/* relative paths of the viewer's files */
	int nfiles;
	const char *const *traces;
	int trace_fd[2];		/* opened once, checked, served from */
	int cols_fd[2];			/* their compact form, or -1 */
	int ntraces;
	char *verdicts[2];		/* view --claims: JSON for claims/N.json, or NULL */
};

static struct site *listing;	/* for the nftw callback */
static volatile sig_atomic_t stop;

const char *viz_dir(void)
{
	const char *d = getenv("IPCLAB_VIZ_DIR");

	return d && d[0] ? d : IPCLAB_VIZ_DIR;
}

static void on_signal(int sig)
{
	stop = sig;
}

static int list_file(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t root = strlen(listing->root);

	if (flag == FTW_F && S_ISREG(st->st_mode) && listing->nfiles < MAX_FILES &&
	    strncmp(path, listing->root, root) == 0 && path[root] == '/')
		listing->files[listing->nfiles++] = strdup(path + root + 1);
	return 0;
}

static const char *content_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".html"))
		return "text/html; charset=utf-8";
	if (!strcmp(dot, ".js") || !strcmp(dot, ".mjs"))
		return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".css"))
		return "text/css; charset=utf-8";
	if (!strcmp(dot, ".json"))
		return "application/json";
	if (!strcmp(dot, ".svg"))
		return "image/svg+xml";
	if (!strcmp(dot, ".png"))
		return "image/png";
	return "application/octet-stream";
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int code,
			     struct MHD_Response *r, const char *type)
{
	enum MHD_Result ret;

	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result not_found(struct MHD_Connection *c)
{
	static const char body[] = "not found\n";

	return reply(c, MHD_HTTP_NOT_FOUND, MHD_create_response_from_buffer(
		     sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT), "text/plain");
}

static enum MHD_Result send_file(struct MHD_Connection *c, const char *path, const char *type)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return not_found(c);
	}
	return reply(c, MHD_HTTP_OK, MHD_create_response_from_fd(st.st_size, fd), type);
}

static ssize_t gunzip_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	int n = gzread(cls, buf, max < (1u << 20) ? max : (1u << 20));

	if (n > 0)
		return n;
	return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void gunzip_close(void *cls)
{
	gzclose(cls);
}

static bool accepts_gzip(struct MHD_Connection *c)
{
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");

	return ae && strstr(ae, "gzip") && !strstr(ae, "gzip;q=0");
}

/* Trace n from the descriptor opened at start-up (dup'ed: MHD closes its copy). */
static enum MHD_Result send_trace(struct site *s, struct MHD_Connection *c, int n)
{
	int fd = dup(s->trace_fd[n]);
	struct MHD_Response *r;
	struct stat st;
	gzFile gz;

	if (fd < 0 || fstat(fd, &st)) {
		if (fd >= 0)
			close(fd);
		return not_found(c);
	}
	if (!trace_fd_is_gzip(fd) || accepts_gzip(c)) {
		r = MHD_create_response_from_fd64(st.st_size, fd);
		if (r && trace_fd_is_gzip(fd))
			MHD_add_response_header(r, "Content-Encoding", "gzip");
	} else {
		gz = gzdopen(fd, "rb");
		r = gz ? MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 << 10, gunzip_read,
							   gz, gunzip_close) : NULL;
		if (gz && !r)
			gzclose(gz);
		fd = gz ? -1 : fd;
	}
	if (!r) {
		if (fd >= 0)
			close(fd);
		return MHD_NO;
	}
	return reply(c, MHD_HTTP_OK, r, "application/json");
}

/* The compact form of a trace (dup'ed: MHD closes its copy). */
static enum MHD_Result send_cols(struct MHD_Connection *c, int cols_fd)
{
	int fd = dup(cols_fd);
	struct MHD_Response *r;
	struct stat st;

	if (fd < 0 || fstat(fd, &st)) {
		if (fd >= 0)
			close(fd);
		return not_found(c);
	}
	r = MHD_create_response_from_fd64(st.st_size, fd);
	if (!r) {
		close(fd);
		return MHD_NO;
	}
	return reply(c, MHD_HTTP_OK, r, "application/octet-stream");
}

static enum MHD_Result send_verdicts(struct MHD_Connection *c, char *json)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(json), json,
								  MHD_RESPMEM_PERSISTENT);

	return r ? reply(c, MHD_HTTP_OK, r, "application/json") : MHD_NO;
}

/* The file a request names, or NULL: exact matches against the lists only. */
static enum MHD_Result route(struct site *s, struct MHD_Connection *c, const char *url)
{
	size_t tl = strlen(s->token);
	char path[8192];
	int n;
	char tail;

	if (url[0] != '/' || strncmp(url + 1, s->token, tl) || url[tl + 1] != '/')
		return not_found(c);
	url += tl + 2;
	if (!url[0])
		url = "index.html";
	if (sscanf(url, "trace/%d.jso%c", &n, &tail) == 2 && tail == 'n' && n >= 0 &&
	    n < s->ntraces) {
		char canon[32];

		snprintf(canon, sizeof(canon), "trace/%d.json", n);
		if (!strcmp(url, canon))
			return send_trace(s, c, n);
	}
	if (sscanf(url, "trace/%d.col%c", &n, &tail) == 2 && tail == 's' && n >= 0 &&
	    n < s->ntraces && s->cols_fd[n] >= 0) {
		char canon[32];

		snprintf(canon, sizeof(canon), "trace/%d.cols", n);
		if (!strcmp(url, canon))
			return send_cols(c, s->cols_fd[n]);
	}
	if (sscanf(url, "claims/%d.jso%c", &n, &tail) == 2 && tail == 'n' && n >= 0 &&
	    n < s->ntraces && s->verdicts[n]) {
		char canon[32];

		snprintf(canon, sizeof(canon), "claims/%d.json", n);
		if (!strcmp(url, canon))
			return send_verdicts(c, s->verdicts[n]);
	}
	for (int i = 0; i < s->nfiles; i++)
		if (!strcmp(url, s->files[i])) {
			snprintf(path, sizeof(path), "%s/%s", s->root, s->files[i]);
			return send_file(c, path, content_type(path));
		}
	return not_found(c);
}

/*
 * Percent-decoding as libmicrohttpd does, except that an encoded NUL makes the whole URL
 * invalid: route() compares C strings, and "index.html%00.json" must not become index.html.
 */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char *out = s;

	for (char *p = s; *p; p++) {
		unsigned int v;

		if (p[0] == '%' && p[1] && p[2] && sscanf(p + 1, "%2x", &v) == 1) {
			if (!v) {
				strcpy(s, "/invalid");
				return strlen(s);
			}
			*out++ = (char)v;
			p += 2;
		} else {
			*out++ = *p;
		}
	}
	*out = 0;
	return out - s;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **state)
{
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		static const char body[] = "method not allowed\n";

		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, MHD_create_response_from_buffer(
			     sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT), "text/plain");
	}
	return route(cls, c, url);
}

static int make_token(char out[33])
{
	unsigned char r[16];

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		return -errno;
	for (int i = 0; i < 16; i++)
		sprintf(out + 2 * i, "%02x", r[i]);
	return 0;
}

/*
 * The listening socket on 127.0.0.1:port (0: a free one), bound here rather than by MHD so
 * that a taken port is reported as such; *bound is the port it got.  -errno.
 */
static int listen_on(unsigned int port, unsigned int *bound)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port),
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	int one = 1, fd, err;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* a port left in TIME_WAIT by the last view is free again; a listening one is not */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(fd, 64) ||
	    getsockname(fd, (struct sockaddr *)&addr, &len))
		goto fail;
	*bound = ntohs(addr.sin_port);
	return fd;
fail:
	err = -errno;
	close(fd);
	return err;
}

/*
 * The compact form of each trace, for the page to read in place of scanning the JSON.  A
 * trace without it is still served (the page scans the JSON as for a file opened by hand);
 * only a failure that is not the trace's layout is worth a line.
 */
static void derive_cols(struct site *s)
{
	for (int i = 0; i < s->ntraces; i++) {
		struct stat st;
		int fd = cols_cached(s->trace_fd[i]);

		if (fd >= 0) {
			s->cols_fd[i] = fd;
			continue;
		}
		/* about a second per 200 MB: say why the URL is not there yet */
		if (!fstat(s->trace_fd[i], &st) && st.st_size > (64 << 20))
			fprintf(stderr, "ipclab: %s: preparing the viewer's compact form of %lld MB...\n",
				s->traces[i], (long long)(st.st_size >> 20));
		fd = cols_derive_cache(s->trace_fd[i]);

		if (fd == -E2BIG)
			fprintf(stderr, "ipclab: %s: too large for the viewer's compact form (over 4 GiB, "
				"or a line over 1 MiB); the page scans the JSON\n", s->traces[i]);
		else if (fd < 0 && fd != -EINVAL)
			fprintf(stderr, "ipclab: %s: no compact form for the viewer (%s); the page scans "
				"the JSON\n", s->traces[i], strerror(-fd));
		s->cols_fd[i] = fd;
	}
}

int serve_traces(const char *const *traces, int n, unsigned int port, const char *claims)
{
	struct site s = { .traces = traces, .ntraces = n, .cols_fd = { -1, -1 } };
	unsigned int bound = 0;
	struct MHD_Daemon *d;
	int fd, status = EXIT_OUTPUT;
	struct sigaction sa = { .sa_handler = on_signal };
	char err[512];

	for (int i = 0; i < n; i++) {
		int ret = trace_read(traces[i], NULL, TRACE_READ_HEADER, err, sizeof(err));

		if (!ret) {
			/* the file checked is the file served, whatever happens to the path */
			s.trace_fd[i] = open(traces[i], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
			if (s.trace_fd[i] < 0)
				ret = -errno;
		}
		if (ret) {
			fprintf(stderr, "ipclab: %s\n", err[0] ? err : strerror(-ret));
			return ret == -ENOMEM ? EXIT_NOMEM : EXIT_INPUT;
		}
	}
	derive_cols(&s);
	if (claims) {
		status = claims_verdicts_json(claims, traces, n, s.verdicts);
		if (status != EXIT_OK)
			goto out;
		status = EXIT_OUTPUT;
	}
	if (!realpath(viz_dir(), s.root) || make_token(s.token)) {
		fprintf(stderr, "ipclab: viewer files not found at %s\n", viz_dir());
		return EXIT_INPUT;
	}
	listing = &s;
	nftw(s.root, list_file, 16, FTW_PHYS);
	fd = listen_on(port, &bound);
	if (fd == -EADDRINUSE) {
		fprintf(stderr, "ipclab: port %u of 127.0.0.1 is taken: choose another with --port, "
			"or leave --port out for a free one\n", port);
		goto out;
	}
	if (fd < 0) {
		fprintf(stderr, "ipclab: cannot listen on 127.0.0.1:%u: %s\n", port, strerror(-fd));
		goto out;
	}
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handle, &s,
			     MHD_OPTION_LISTEN_SOCKET, fd,
			     MHD_OPTION_CONNECTION_LIMIT, 64, MHD_OPTION_CONNECTION_TIMEOUT, 30,
			     MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
			     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "ipclab: cannot serve on 127.0.0.1:%u: %s\n", bound, strerror(errno));
		goto out;	/* fd: MHD may have closed it already; the process ends */
	}
	printf("http://127.0.0.1:%u/%s/?trace=trace/0.json%s%s%s%s%s\n", bound, s.token,
	       n > 1 ? "&trace2=trace/1.json" : "", claims ? "&claims=claims/0.json" : "",
	       claims && n > 1 ? "&claims2=claims/1.json" : "",
	       s.cols_fd[0] >= 0 ? "&cols=trace/0.cols" : "",
	       n > 1 && s.cols_fd[1] >= 0 ? "&cols2=trace/1.cols" : "");
	fprintf(stderr, "ipclab: serving the viewer on 127.0.0.1 only; Ctrl-C stops it\n");
	fflush(stdout);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	status = EXIT_OK;
out:
	for (int i = 0; i < s.nfiles; i++)
		free(s.files[i]);
	for (int i = 0; i < n; i++) {
		close(s.trace_fd[i]);
		if (s.cols_fd[i] >= 0)
			close(s.cols_fd[i]);
		free(s.verdicts[i]);
	}
	return status;
}
