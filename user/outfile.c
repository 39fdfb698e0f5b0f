// SPDX-License-Identifier: GPL-2.0
/*
 * outfile.c - traces are written to a temporary file created with O_EXCL in the target's
 * directory and renamed into place, so readers see the old file or the whole new one,
 * and a symlink planted at the path is replaced, not followed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
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

int out_open(struct out_file *o, const char *path)
{
	char dir[PATH_MAX], base[PATH_MAX];
	int fd;

	memset(o, 0, sizeof(*o));
	if (snprintf(o->path, sizeof(o->path), "%s", path) >= (int)sizeof(o->path))
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(base, sizeof(base), "%s", path);
	if (snprintf(o->tmp, sizeof(o->tmp), "%s/.%s.XXXXXX", dirname(dir), basename(base)) >=
	    (int)sizeof(o->tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	fchmod(fd, 0644);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		int err = -errno;

		close(fd);
		unlink(o->tmp);
		return err;
	}
	setvbuf(o->f, NULL, _IOFBF, 1 << 20);
	return 0;
}

int out_commit(struct out_file *o, const struct run_user *u)
{
	int err = 0;

	if (fflush(o->f) || ferror(o->f) || fsync(fileno(o->f)))
		err = errno ? -errno : -EIO;
	if (!err && u->drop && fchown(fileno(o->f), u->uid, u->gid))
		err = -errno;
	if (fclose(o->f) && !err)
		err = -errno;
	o->f = NULL;
	if (!err && rename(o->tmp, o->path))
		err = -errno;
	if (err)
		unlink(o->tmp);
	return err;
}

void out_discard(struct out_file *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp[0])
		unlink(o->tmp);
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
