/* outfile.h - output files that are complete or absent, owned by the invoking user. */
#ifndef IPCLAB_OUTFILE_H
#define IPCLAB_OUTFILE_H

#include <limits.h>
#include <stdbool.h>
#include "guardian.h"
#include <stdio.h>
#include <sys/types.h>
#include "launch.h"

/*
 * gzip level of compressed traces: level 1 makes a pipe-stress trace 24-30x smaller (scenario
 * traces 14x) for ~30% more CPU than plain JSON; level 6 takes 1.8x the CPU of level 1 for
 * files 25-30% smaller (bench/README.md).  IPCLAB_GZIP_LEVEL overrides it (benchmarks).
 */
#define OUT_GZIP_LEVEL 1

struct out_stream;

struct out_file {
	char path[PATH_MAX];
	char tmp[PATH_MAX];	/* the named temporary (filesystems without O_TMPFILE) */
	FILE *f;		/* what callers write to (through gzip when compressed) */
	int fd;			/* the file itself */
	bool unnamed;		/* O_TMPFILE: it has no name until out_commit() links it */
	struct out_stream *stream;	/* what f writes through: to fd, gzip or not */
	struct guardian cleaner;	/* named temporary: removes it if we die */
};

/* mkdir -p DIR (owned by the sudo user) and prove it writable; 0 or -errno. */
int out_prepare_dir(const char *dir, const struct run_user *u);
/* The directory that will hold PATH is writable; 0 or -errno. */
int out_check_path(const char *path);
/*
 * A new file for PATH that nobody sees until out_commit(): an unnamed O_TMPFILE in PATH's
 * directory, or where the filesystem has none, a temporary created exclusively next to
 * PATH that a small watcher process removes if ipclab dies before out_commit() (never
 * follows a planted link).  gzip: what is written to o->f is compressed.
 */
int out_open_as(struct out_file *o, const char *path, bool gzip);
int out_open(struct out_file *o, const char *path);	/* plain */
/* Flush, sync, hand to the sudo user, put in place at PATH; 0 or -errno (then nothing is left). */
int out_commit(struct out_file *o, const struct run_user *u);
void out_discard(struct out_file *o);
/* out_discard(), but the file is freed after ipclab exits (out_close_pending()). */
void out_abandon(struct out_file *o);
/* Close fd (a big scratch file) only when ipclab exits: see out_close_pending(). */
void out_close_later(int fd);
/* Before exiting after Ctrl-C: big files are let go by a child, so the exit is not held up
 * by the kernel freeing them. */
void out_close_pending(void);
/* Bytes written to the file so far (compressed bytes for gzip); after a fflush(o->f). */
unsigned long long out_bytes(const struct out_file *o);
/* Does PATH name a compressed file (".gz")? */
bool out_is_gz_path(const char *path);
/* An unnamed scratch file in dir, gone when closed however ipclab ends; fd or -errno. */
int out_tmpfile(const char *dir);
/* The directory part of path ("." for a bare name). */
void out_dirname(const char *path, char *dir, size_t n);

#endif
