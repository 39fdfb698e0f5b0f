/* outfile.h - output files that are complete or absent, owned by the invoking user. */
#ifndef IPCLAB_OUTFILE_H
#define IPCLAB_OUTFILE_H

#include <limits.h>
#include <stdio.h>
#include "launch.h"

struct out_file {
	char path[PATH_MAX];
	char tmp[PATH_MAX];
	FILE *f;
};

/* mkdir -p DIR (owned by the sudo user) and prove it writable; 0 or -errno. */
int out_prepare_dir(const char *dir, const struct run_user *u);
/* The directory that will hold PATH is writable; 0 or -errno. */
int out_check_path(const char *path);
/* A new temporary file next to PATH, created exclusively (never follows a planted link). */
int out_open(struct out_file *o, const char *path);
/* Flush, sync, hand to the sudo user, rename over PATH; 0 or -errno (then nothing is left). */
int out_commit(struct out_file *o, const struct run_user *u);
void out_discard(struct out_file *o);
/* An unnamed scratch file in dir, gone when closed however ipclab ends; fd or -errno. */
int out_tmpfile(const char *dir);
/* The directory part of path ("." for a bare name). */
void out_dirname(const char *path, char *dir, size_t n);

#endif
