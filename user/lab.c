// SPDX-License-Identifier: GPL-2.0
/*
 * lab.c - `trace --claims FILE` and `run --lab DIR` (lab.h, docs/writing-a-lab.md).
 *
 * The trace is first written, plain, to an unnamed scratch file next to the output; the
 * claims are judged on that file as `check --claims` judges any trace (claimeval.c, two
 * streaming passes); then the output is written as a copy of it whose empty claims array
 * holds the verdicts, and only then gets its name.  Nothing grows with the trace's size.
 */
#define _GNU_SOURCE
#include "lab.h"

#include <dirent.h>
#include <signal.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <json-c/json.h>
#include "claimcheck.h"
#include "export.h"
#include "progress.h"

/* ------------------------------------------------------------ judging */

int lab_judge_open(struct lab_judge *j, const char *path)
{
	const char *slash = strrchr(path, '/');
	char err[512];
	int ret;

	memset(j, 0, sizeof(*j));
	j->path = path;
	j->source = slash ? slash + 1 : path;
	ret = cl_parse_file(path, &j->claims, err, sizeof(err));
	if (ret) {
		/* a parse error is FILE:LINE:COL: reason, alone on its line */
		fprintf(stderr, "%s%s\n", ret == -EINVAL ? "" : "ipclab: ", err);
		return ret == -ENOMEM ? EXIT_NOMEM : EXIT_USAGE;
	}
	j->res = calloc(j->claims.nclaims, sizeof(*j->res));
	if (!j->res) {
		cl_free(&j->claims);
		fprintf(stderr, "ipclab: out of memory\n");
		return EXIT_NOMEM;
	}
	return 0;
}

void lab_judge_close(struct lab_judge *j)
{
	free(j->res);
	j->res = NULL;
	cl_free(&j->claims);
}

/* The claims array's JSON text, in buf (freed by the caller); NULL when out of memory. */
static char *claims_text(const struct lab_judge *j)
{
	json_object *a = json_object_new_array();
	char *text;

	if (!a)
		return NULL;
	for (size_t i = 0; i < j->claims.nclaims; i++) {
		json_object *c = claims_verdict_json(&j->claims.claims[i], &j->res[i], j->source,
						     true);

		if (!c || json_object_array_add(a, c)) {
			json_object_put(c);
			json_object_put(a);
			return NULL;
		}
	}
	text = strdup(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN |
						     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(a);
	return text;
}

/*
 * The scratch trace copied to out with claims in place of its empty claims array.  ipclab's
 * writer puts "claims":[] at the start of a line of the header (export.c, put_header); a raw
 * line break is never inside a JSON string, so the first such line is that array.  The mark
 * starts with its only '\n': after a mismatch, matching restarts at the current byte.
 */
static const char claims_mark[] = "\n\"claims\":[]";

static int copy_with_claims(int in, FILE *out, const char *claims)
{
	static char buf[1 << 16];
	size_t m = 0, len = sizeof(claims_mark) - 1;
	bool done = false;
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (done) {
			fwrite(buf, 1, n, out);
			continue;
		}
		for (ssize_t i = 0; i < n && !done; i++) {
			if (buf[i] == claims_mark[m]) {
				if (++m < len)
					continue;
				fprintf(out, "\n\"claims\":%s", claims);
				fwrite(buf + i + 1, 1, n - i - 1, out);
				done = true;
				continue;
			}
			if (m)
				fwrite(claims_mark, 1, m, out);
			m = buf[i] == claims_mark[0];
			if (!m)
				putc(buf[i], out);
		}
	}
	if (n < 0)
		return -errno;
	if (!done)
		return -EPROTO;	/* not the writer's header: never written half-judged */
	return ferror(out) ? -EIO : 0;
}

static int write_judged(struct lab_judge *j, int scratch_fd, const char *path,
			const struct run_user *u, const int *signals)
{
	char fdpath[64];
	struct out_file of;
	char *claims = claims_text(j);
	int in, err;

	if (!claims)
		return -ENOMEM;
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", scratch_fd);
	in = open(fdpath, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		free(claims);
		return -errno;
	}
	err = out_open_as(&of, path, out_is_gz_path(path));
	if (!err) {
		err = copy_with_claims(in, of.f, claims);
		if (!err && ipclab_stop_signals != *signals)
			err = -EINTR;
		if (err)
			out_discard(&of);
		else
			err = out_commit(&of, u);
	}
	close(in);
	free(claims);
	return err;
}

/* Ctrl-C or SIGTERM while the trace is judged or copied: no trace, as while it is written */
static int judge_interrupted(const char *path)
{
	fprintf(stderr, "ipclab: interrupted while writing %s: no trace written\n", path);
	return EXIT_INTERRUPTED;
}

int lab_judge_commit(struct lab_judge *j, struct out_file *scratch, const char *path,
		     const struct run_user *u)
{
	char fdpath[64], err[512] = "";
	int ret, signals = ipclab_stop_signals;	/* those before: the recording's end */

	errno = 0;
	if (fflush(scratch->f) || ferror(scratch->f)) {
		ret = errno ? -errno : -EIO;
		goto failed;
	}
	/* the scratch trace by the name of its descriptor: it has no other */
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", scratch->fd);
	ret = ce_evaluate(&j->claims, fdpath, j->res, &j->nevents, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "ipclab: cannot judge the trace by %s: %s\n", j->path,
			err[0] ? err : strerror(-ret));
		out_discard(scratch);
		return ret == -ENOMEM ? EXIT_NOMEM : EXIT_OUTPUT;
	}
	if (ipclab_stop_signals != signals) {
		out_discard(scratch);
		return judge_interrupted(path);
	}
	j->judged = true;
	ret = write_judged(j, scratch->fd, path, u, &signals);
failed:
	out_discard(scratch);
	if (!ret)
		return 0;
	j->judged = false;
	if (ret == -EINTR)
		return judge_interrupted(path);
	fprintf(stderr, "ipclab: cannot write %s: %s\n", path, strerror(-ret));
	return ret == -ENOMEM ? EXIT_NOMEM : EXIT_OUTPUT;
}

/* The table check --claims prints; EXIT_OK or EXIT_CLAIMS_FAILED. */
static int judge_print(const struct lab_judge *j, const char *trace, const struct run_opts *o)
{
	struct run_opts shown = *o;
	size_t fail = 0;

	shown.claims = j->path;
	claims_print_table(&j->claims, j->res, trace, j->nevents, &shown);
	for (size_t i = 0; i < j->claims.nclaims; i++)
		fail += !j->res[i].pass;
	return fail ? EXIT_CLAIMS_FAILED : EXIT_OK;
}

/* ------------------------------------------------------------ trace --claims */

int lab_trace(char *const argv[], struct run_opts *o)
{
	struct lab_judge j;
	int status = 0, ret = lab_judge_open(&j, o->claims), verdict = EXIT_OK, program;

	if (ret)
		return ret;	/* nothing traced */
	o->judge = &j;
	ret = trace_program(argv, o, &status);
	if (j.judged)
		verdict = judge_print(&j, o->out, o);
	if (!ret) {
		program = trace_exit_status(argv[0], status);
		ret = verdict != EXIT_OK ? verdict : program;
	}
	o->judge = NULL;
	lab_judge_close(&j);
	return ret;
}

/* ------------------------------------------------------------ run --lab */

struct lab {
	const char *dir;
	char name[128];		/* NAME of NAME.c and NAME.claims */
	char src[PATH_MAX], claims[PATH_MAX];
};

static int lab_error(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "ipclab: lab DIR: reason" on one line; EXIT_USAGE */
static int lab_error(const char *dir, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ipclab: lab %s: ", dir);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/* name ends in suffix, with something before it */
static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n > k && !strcmp(name + n - k, suffix);
}

/* What a lab's NAME may be: it names the program, the trace and the scratch directory */
static bool good_name(const char *s, size_t len)
{
	if (!len || len >= sizeof(((struct lab *)0)->name))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.",
			    s[i]))
			return false;
	return true;
}

/* One .c and one .claims, with the same NAME, hidden files aside */
static int lab_find(struct lab *l, const char *dir)
{
	char c_file[256] = "", claims_file[256] = "";
	int ncs = 0, nclaims = 0, ret = 0;
	size_t name_len;
	struct dirent *e;
	DIR *d = opendir(dir);

	memset(l, 0, sizeof(*l));
	l->dir = dir;
	if (!d)
		return lab_error(dir, "%s", strerror(errno));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (has_suffix(e->d_name, ".c") && ncs++ == 0)
			snprintf(c_file, sizeof(c_file), "%s", e->d_name);
		else if (has_suffix(e->d_name, ".c"))
			ret = lab_error(dir, "two programs, %s and %s: a lab is one NAME.c", c_file,
					e->d_name);
		else if (has_suffix(e->d_name, ".claims") && nclaims++ == 0)
			snprintf(claims_file, sizeof(claims_file), "%s", e->d_name);
		else if (has_suffix(e->d_name, ".claims"))
			ret = lab_error(dir, "two claims files, %s and %s: a lab has one NAME.claims",
					claims_file, e->d_name);
		if (ret)
			break;
	}
	closedir(d);
	if (ret)
		return ret;
	if (!ncs)
		return lab_error(dir, "no program: a lab is NAME.c and NAME.claims");
	name_len = strlen(c_file) - 2;
	if (!nclaims)
		return lab_error(dir, "no claims file: a lab is %s and %.*s.claims", c_file,
				 (int)name_len, c_file);
	if (strlen(claims_file) - 7 != name_len || strncmp(c_file, claims_file, name_len))
		return lab_error(dir, "%s and %s: name them the same, NAME.c and NAME.claims",
				 c_file, claims_file);
	if (!good_name(c_file, name_len))
		return lab_error(dir, "%s: a lab's NAME is letters, digits, '_', '-' and '.'",
				 c_file);
	snprintf(l->name, sizeof(l->name), "%.*s", (int)name_len, c_file);
	if (snprintf(l->src, sizeof(l->src), "%s/%s", dir, c_file) >= (int)sizeof(l->src) ||
	    snprintf(l->claims, sizeof(l->claims), "%s/%s", dir, claims_file) >=
	    (int)sizeof(l->claims))
		return lab_error(dir, "%s", strerror(ENAMETOOLONG));
	return 0;
}

/*
 * cc -O2 -Wall -o bin src, as the user who ran sudo (the program is theirs, so is the
 * binary), its output on ipclab's; 0, or the exit status after one line on stderr.
 */
static int lab_build(const struct lab *l, const char *bin, const struct run_user *u, bool quiet)
{
	/* a Ctrl-C while cc runs ends cc (the terminal's group has both), and ipclab then
	 * removes its scratch directory instead of dying with it left behind */
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old_int, old_term;
	int st, ret = EXIT_BUILD;
	pid_t pid;

	if (!quiet)
		fprintf(stderr, "ipclab: cc -O2 -Wall -o %s %s\n", bin, l->src);
	fflush(stderr);
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGTERM, &ignore, &old_term);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "ipclab: cannot build %s: %s\n", l->src, strerror(errno));
		goto restore;
	}
	if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		if (u->drop && (setgroups(1, &u->gid) || setgid(u->gid) || setuid(u->uid))) {
			fprintf(stderr, "ipclab: cannot become uid %u: %s\n", u->uid, strerror(errno));
			_exit(126);
		}
		execlp("cc", "cc", "-O2", "-Wall", "-o", bin, l->src, (char *)NULL);
		fprintf(stderr, "ipclab: cannot run cc: %s\n", strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			goto restore;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		ret = 0;
	} else if (WIFSIGNALED(st) && (WTERMSIG(st) == SIGINT || WTERMSIG(st) == SIGTERM)) {
		fprintf(stderr, "ipclab: interrupted while %s was compiled: nothing traced\n",
			l->src);
		ret = EXIT_INTERRUPTED;
	} else {
		fprintf(stderr, "ipclab: %s did not compile (cc %s %d): nothing traced\n", l->src,
			WIFEXITED(st) ? "exited with status" : "killed by signal",
			WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	}
restore:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return ret;
}

/* A private directory for the binary, the user's (run.c's scratch directories are too) */
static int lab_scratch(char *dir, size_t n, const struct run_user *u)
{
	snprintf(dir, n, "/var/tmp/ipclab-lab-XXXXXX");
	if (!mkdtemp(dir) || (u->drop && chown(dir, u->uid, u->gid))) {
		fprintf(stderr, "ipclab: scratch directory in /var/tmp: %s\n", strerror(errno));
		if (dir[strlen(dir) - 1] != 'X')
			rmdir(dir);
		return EXIT_OUTPUT;
	}
	return 0;
}

/* The built program traced into path and judged by j; the program's status only noted */
static int lab_trace_built(const struct lab *l, const char *bin, const char *path,
			   struct lab_judge *j, const struct run_opts *o)
{
	char *argv[] = { (char *)bin, NULL };
	struct run_opts traced = *o;
	int status = 0, ret;

	traced.out = path;
	traced.judge = j;
	ret = trace_program(argv, &traced, &status);
	if (!ret)
		trace_exit_status(l->name, status);	/* a lab may mean to fail (SIGPIPE) */
	if (j->judged) {
		int verdict = judge_print(j, path, &traced);

		if (!ret)
			ret = verdict;
	}
	return ret;
}

int lab_run(struct run_opts *o)
{
	char scratch[PATH_MAX], bin[PATH_MAX], path[PATH_MAX];
	const char *outdir = o->out ? o->out : "traces";
	struct lab_judge j;
	struct run_user u;
	struct lab l;
	int ret, err;

	ret = lab_find(&l, o->lab);
	if (ret)
		return ret;
	ret = lab_judge_open(&j, l.claims);
	if (ret)
		return ret;
	ret = require_privileges();
	if (ret)
		goto close;
	run_user_from_env(&u);
	ret = lab_scratch(scratch, sizeof(scratch), &u);
	if (ret)
		goto close;
	snprintf(bin, sizeof(bin), "%s/%s", scratch, l.name);
	j.lab = l.name;
	/* built before the output directory is made: a program that does not compile leaves
	 * nothing behind */
	ret = lab_build(&l, bin, &u, o->quiet);
	err = ret ? 0 : out_prepare_dir(outdir, &u);
	if (err) {
		fprintf(stderr, "ipclab: output directory %s is not writable: %s\n", outdir,
			strerror(-err));
		ret = EXIT_OUTPUT;
	}
	snprintf(path, sizeof(path), "%s/%s.json%s", outdir, l.name, o->gzip ? ".gz" : "");
	if (!ret)
		ret = lab_trace_built(&l, bin, path, &j, o);
	unlink(bin);
	rmdir(scratch);
close:
	lab_judge_close(&j);
	return ret;
}
