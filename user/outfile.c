// SPDX-License-Identifier: GPL-2.0
/*
 * outfile.c - traces are written to an unnamed temporary file (O_TMPFILE) in the target's
 * directory, optionally through gzip, and linked and renamed into place at the end, so
 * readers see the old file or the whole new one, a symlink planted at the path is
 * replaced, not followed, and an interrupted or killed ipclab leaves nothing behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include "guardian.h"
#include "outfile.h"

static int mkdir_p(const char *dir, const struct run_user *u)
{
	char buf[PATH_MAX], *p;

	if (!dir[0])
		return -ENOENT;
	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (p = buf + 1; ; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;

		*p = 0;
		if (mkdir(buf, 0755) == 0) {
			if (u->drop && chown(buf, u->uid, u->gid))
				return -errno;
		} else if (errno != EEXIST) {
			return -errno;
		}
		*p = c;
		if (!c)
			break;
	}
	return 0;
}

static int probe_writable(const char *dir)
{
	char probe[PATH_MAX];
	int fd;

	if (snprintf(probe, sizeof(probe), "%s/.ipclab-probe.XXXXXX", dir) >= (int)sizeof(probe))
		return -ENAMETOOLONG;
	fd = mkostemp(probe, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	unlink(probe);
	return 0;
}

int out_prepare_dir(const char *dir, const struct run_user *u)
{
	struct stat st;
	int err = mkdir_p(dir, u);

	if (err)
		return err;
	if (stat(dir, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	return probe_writable(dir);
}

int out_check_path(const char *path)
{
	char buf[PATH_MAX];
	struct stat st;

	if (!path[0])
		return -ENOENT;
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return -EISDIR;
	return probe_writable(dirname(buf));
}

/* ------------------------------------------------------------------ writing */

#define WRITEBACK_STEP (32u << 20)

/*
 * What o->f writes through (fopencookie): plain bytes go to the file, gzip bytes through
 * deflate first.  Writeback is started every WRITEBACK_STEP bytes and waited for one step
 * later, so that dirty pages stay under ~64 MiB: the fsync at the end is then short, and a
 * Ctrl-C during it is honoured at once.
 */
struct out_stream {
	z_stream z;
	bool deflating;		/* deflateInit2() done */
	int fd;
	unsigned long long written;	/* bytes in the file */
	unsigned long long kicked;	/* writeback started up to here */
	unsigned char buf[256 << 10];	/* compressed bytes not yet written */
	/* stdio's buffer for f: glibc ignores setvbuf()'s size without a buffer and uses 8 KiB
	 * (st_blksize), and 8 KiB writes at offsets that a fflush() left unaligned made the
	 * kernel zero a partial page on each one (a seventh of a big trace's writing time) */
	char stdio_buf[1 << 20];
};

static int write_all(int fd, const void *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p = (const char *)p + w;
		n -= w;
	}
	return 0;
}

static void kick_writeback(struct out_stream *g)
{
	while (g->written - g->kicked >= WRITEBACK_STEP) {
		sync_file_range(g->fd, g->kicked, WRITEBACK_STEP, SYNC_FILE_RANGE_WRITE);
		if (g->kicked >= WRITEBACK_STEP)
			sync_file_range(g->fd, g->kicked - WRITEBACK_STEP, WRITEBACK_STEP,
					SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
					SYNC_FILE_RANGE_WAIT_AFTER);
		g->kicked += WRITEBACK_STEP;
	}
}

static int put_bytes(struct out_stream *g, const void *p, size_t n)
{
	int err = write_all(g->fd, p, n);

	if (err)
		return err;
	g->written += n;
	kick_writeback(g);
	return 0;
}

/* Compress what is in z.next_in (flush: Z_NO_FLUSH or Z_FINISH), writing full buffers. */
static int deflate_some(struct out_stream *g, int flush)
{
	int zr, err;

	do {
		zr = deflate(&g->z, flush);
		if (zr == Z_STREAM_ERROR)
			return -EIO;
		if (g->z.avail_out == 0 || zr == Z_STREAM_END) {
			err = put_bytes(g, g->buf, sizeof(g->buf) - g->z.avail_out);
			if (err)
				return err;
			g->z.next_out = g->buf;
			g->z.avail_out = sizeof(g->buf);
		}
	} while (flush == Z_FINISH ? zr != Z_STREAM_END : g->z.avail_in > 0);
	return 0;
}

static ssize_t cookie_write(void *cookie, const char *p, size_t n)
{
	struct out_stream *g = cookie;
	int err;

	if (!g->deflating) {
		err = put_bytes(g, p, n);
	} else {
		g->z.next_in = (Bytef *)p;
		g->z.avail_in = n;	/* stdio hands at most its buffer (1 MiB) at a time */
		err = deflate_some(g, Z_NO_FLUSH);
	}
	if (err) {
		errno = -err;	/* fwrite()/fflush() fail with it: ENOSPC stays ENOSPC */
		return -1;
	}
	return n;
}

static int gz_level(void)
{
	const char *s = getenv("IPCLAB_GZIP_LEVEL");

	return s && atoi(s) >= 1 && atoi(s) <= 9 ? atoi(s) : OUT_GZIP_LEVEL;
}

static int stream_open(struct out_file *o, bool gzip)
{
	cookie_io_functions_t io = { .write = cookie_write };
	struct out_stream *g = calloc(1, sizeof(*g));

	if (!g)
		return -ENOMEM;
	g->fd = o->fd;
	/* windowBits 15 + 16: a gzip wrapper (what gzip(1), zlib's gz* and browsers read) */
	if (gzip && deflateInit2(&g->z, gz_level(), Z_DEFLATED, 15 + 16, 9,
				 Z_DEFAULT_STRATEGY) != Z_OK) {
		free(g);
		return -ENOMEM;
	}
	g->deflating = gzip;
	g->z.next_out = g->buf;
	g->z.avail_out = sizeof(g->buf);
	o->f = fopencookie(g, "w", io);
	if (!o->f) {
		if (gzip)
			deflateEnd(&g->z);
		free(g);
		return -ENOMEM;
	}
	o->stream = g;
	setvbuf(o->f, g->stdio_buf, _IOFBF, sizeof(g->stdio_buf));
	return 0;
}

/* Everything written so far, in the file (for gzip: with the trailer); 0 or -errno. */
static int stream_finish(struct out_file *o)
{
	struct out_stream *g = o->stream;

	errno = 0;
	if (fflush(o->f) || ferror(o->f))
		return errno ? -errno : -EIO;
	if (!g->deflating)
		return 0;
	g->z.next_in = NULL;
	g->z.avail_in = 0;
	return deflate_some(g, Z_FINISH);
}

static void stream_close(struct out_file *o)
{
	if (o->f)
		fclose(o->f);	/* nothing left to write after stream_finish() or on discard */
	o->f = NULL;
	if (o->stream && o->stream->deflating)
		deflateEnd(&o->stream->z);
	free(o->stream);
	o->stream = NULL;
}

unsigned long long out_bytes(const struct out_file *o)
{
	return o->stream ? o->stream->written : 0;
}

bool out_is_gz_path(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && !strcmp(path + n - 3, ".gz");
}

/* ------------------------------------------------------------------ the temporary */

/*
 * Without O_TMPFILE the temporary has a name, and a SIGKILL would leave it: a guardian
 * process removes it when ipclab dies without saying "done".
 */
static void cleaner_at_end(void *tmp, bool done)
{
	if (!done)
		unlink(tmp);
}

static void cleaner_start(struct out_file *o)
{
	/* best effort: without it the signal handlers still remove the temporary */
	guardian_start(&o->cleaner, "ipclab-clean", cleaner_at_end, o->tmp);
}

static void cleaner_stop(struct out_file *o)
{
	guardian_stop(&o->cleaner);
}

static int open_temporary(struct out_file *o, const char *dir, const char *base)
{
	/* tests take the fallback with IPCLAB_NO_O_TMPFILE */
	if (!getenv("IPCLAB_NO_O_TMPFILE")) {
		o->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
		if (o->fd >= 0) {
			o->unnamed = true;
			return 0;
		}
		if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
			return -errno;
	}
	if (snprintf(o->tmp, sizeof(o->tmp), "%s/.%s.XXXXXX", dir, base) >= (int)sizeof(o->tmp))
		return -ENAMETOOLONG;
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0) {
		o->tmp[0] = 0;
		return -errno;
	}
	cleaner_start(o);
	return 0;
}

int out_open_as(struct out_file *o, const char *path, bool gzip)
{
	char dir[PATH_MAX], base[PATH_MAX];
	int err;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->cleaner.fd = -1;
	if (snprintf(o->path, sizeof(o->path), "%s", path) >= (int)sizeof(o->path))
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(base, sizeof(base), "%s", path);
	err = open_temporary(o, dirname(dir), basename(base));
	if (!err) {
		fchmod(o->fd, 0644);
		err = stream_open(o, gzip);
	}
	if (err)
		out_discard(o);
	return err;
}

int out_open(struct out_file *o, const char *path)
{
	return out_open_as(o, path, false);
}

/*
 * An O_TMPFILE gets a random name next to PATH and is renamed over it (linkat cannot
 * replace a file; rename replaces a planted symlink instead of following it).
 */
static int link_unnamed(struct out_file *o)
{
	char fdpath[64], dir[PATH_MAX], base[PATH_MAX];
	int err = -EEXIST;

	snprintf(dir, sizeof(dir), "%s", o->path);
	snprintf(base, sizeof(base), "%s", o->path);
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", o->fd);
	for (int i = 0; i < 100 && err == -EEXIST; i++) {
		if (snprintf(o->tmp, sizeof(o->tmp), "%s/.%s.%08lx", dirname(dir), basename(base),
			     (unsigned long)getpid() << 12 ^ (unsigned long)random()) >=
		    (int)sizeof(o->tmp))
			return -ENAMETOOLONG;
		err = 0;
		if (linkat(AT_FDCWD, fdpath, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) &&
		    linkat(o->fd, "", AT_FDCWD, o->tmp, AT_EMPTY_PATH))	/* no /proc */
			err = -errno;
	}
	if (err)
		o->tmp[0] = 0;
	return err;
}

int out_commit(struct out_file *o, const struct run_user *u)
{
	int err = stream_finish(o);

	if (!err && fsync(o->fd))
		err = -errno;
	if (!err && u->drop && fchown(o->fd, u->uid, u->gid))
		err = -errno;
	if (!err && o->unnamed)
		err = link_unnamed(o);
	if (!err && rename(o->tmp, o->path))
		err = -errno;
	if (!err)
		o->tmp[0] = 0;	/* it is o->path now */
	out_discard(o);
	return err;
}

void out_discard(struct out_file *o)
{
	stream_close(o);
	if (o->tmp[0])
		unlink(o->tmp);
	o->tmp[0] = 0;
	cleaner_stop(o);
	if (o->fd >= 0)
		close(o->fd);	/* an unnamed file is gone with its last descriptor */
	o->fd = -1;
}

/* ------------------------------------------------------------------ leaving fast */

static int later[8], nlater;

void out_close_later(int fd)
{
	if (fd < 0)
		return;
	if (nlater < (int)(sizeof(later) / sizeof(later[0])))
		later[nlater++] = fd;
	else
		close(fd);
}

void out_abandon(struct out_file *o)
{
	out_close_later(o->fd);
	o->fd = -1;
	out_discard(o);
}

/*
 * Closing the last descriptor of a big unnamed file frees its page cache and blocks:
 * ~0.6 s per GB measured here, seconds for a long trace's runs.  After Ctrl-C that must
 * not hold the exit up, so a child inherits the files, waits (out of our process group, deaf
 * to Ctrl-C) until ipclab has exited, and lets them go by exiting itself.
 */
void out_close_pending(void)
{
	int p[2];
	pid_t pid;

	if (!nlater)
		return;
	if (pipe2(p, O_CLOEXEC) == 0 && (pid = fork()) >= 0) {
		if (pid == 0) {
			char c;

			setsid();
			signal(SIGINT, SIG_IGN);
			signal(SIGTERM, SIG_IGN);
			signal(SIGHUP, SIG_IGN);
			prctl(PR_SET_NAME, "ipclab-free");
			for (int fd = 0; fd < 1024; fd++) {	/* not the terminal, not pipes */
				bool keep = fd == p[0];

				for (int i = 0; i < nlater; i++)
					keep |= fd == later[i];
				if (!keep)
					close(fd);
			}
			while (read(p[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);	/* the files' last references go with us */
		}
		close(p[0]);	/* p[1] stays open until ipclab exits */
	}
	while (nlater)
		close(later[--nlater]);
}

void out_dirname(const char *path, char *dir, size_t n)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	snprintf(dir, n, "%s", dirname(buf));
}

int out_tmpfile(const char *dir)
{
	char path[PATH_MAX];
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd >= 0 ? fd : -errno;
	/* no O_TMPFILE on this filesystem: a named file, unlinked at once */
	if (snprintf(path, sizeof(path), "%s/.ipclab-scratch.XXXXXX", dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	unlink(path);
	return fd;
}
