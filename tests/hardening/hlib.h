/* hlib.h - helpers for the hardening tests: run ipclab, watch its process tree and its
 * BPF programs, read traces.  Header-only (static functions), like trace_read.h. */
#ifndef IPCLAB_HLIB_H
#define IPCLAB_HLIB_H

#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>
#include "trace_read.h"

/* A private scratch directory per test executable (hsetup() makes it). */
static char hdir[64] = "/tmp/ipclab-hard.XXXXXX";
/* stdout+stderr of the last hsh() */
static char hout[1 << 16];

static __attribute__((unused)) double hnow(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __attribute__((unused)) void hsleep(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static __attribute__((unused)) size_t hslurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (cap)
		buf[0] = 0;
	if (!f)
		return 0;
	n = fread(buf, 1, cap - 1, f);
	buf[n] = 0;
	fclose(f);
	return n;
}

/* exit status as a shell reports it: code, or 128 + signal */
static __attribute__((unused)) int hstatus(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

/* Run `sh -c CMD` with stdout+stderr captured in hout; returns the shell's exit status. */
static __attribute__((unused, format(printf, 1, 2))) int hsh(const char *fmt, ...)
{
	char cmd[8192], path[128];
	va_list ap;
	int st;

	/* ( CMD ) >OUT 2>&1: CMD's own redirections stay its own */
	va_start(ap, fmt);
	cmd[0] = '(';
	cmd[1] = '\n';
	vsnprintf(cmd + 2, sizeof(cmd) - 200, fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/.hsh-out", hdir);
	snprintf(cmd + strlen(cmd), 200, "\n) >%s 2>&1", path);
	fflush(NULL);
	st = system(cmd);
	hslurp(path, hout, sizeof(hout));
	unlink(path);
	return hstatus(st);
}

#define assert_out_has(s) \
	do { if (!strstr(hout, s)) fail_msg("output lacks \"%s\":\n%s", s, hout); } while (0)
#define assert_out_lacks(s) \
	do { if (strstr(hout, s)) fail_msg("output has \"%s\":\n%s", s, hout); } while (0)

/* Number of non-empty lines in s. */
static __attribute__((unused)) int hlines(const char *s)
{
	int n = 0;

	for (const char *p = s; *p; ) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		n += len > 0;
		p += len + (e != NULL);
	}
	return n;
}

/* What hspawn() started, so that a failed test leaves nothing running (hteardown). */
static pid_t hspawned[64];
static int nhspawned;

/* fork+exec argv with stdout and stderr to `outpath` (appended); returns the pid. */
static __attribute__((unused)) pid_t hspawn(char *const argv[], const char *outpath)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int fd = open(outpath, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		setpgid(0, 0);	/* a terminal's Ctrl-C would reach the group: we signal one pid */
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid > 0 && nhspawned < (int)(sizeof(hspawned) / sizeof(hspawned[0])))
		hspawned[nhspawned++] = pid;
	return pid;
}

/* Wait for pid up to `timeout` seconds: its shell-style status, or -1 (it was then killed). */
static __attribute__((unused)) int hwait(pid_t pid, double timeout)
{
	double end = hnow() + timeout;
	int st;

	while (hnow() < end) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return hstatus(st);
		if (r < 0)
			return -2;
		hsleep(0.01);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* Does the file contain `text` yet?  Polls up to `timeout` seconds. */
static __attribute__((unused)) bool hwait_text(const char *path, const char *text, double timeout)
{
	static char buf[1 << 16];
	double end = hnow() + timeout;

	do {
		hslurp(path, buf, sizeof(buf));
		if (strstr(buf, text))
			return true;
		hsleep(0.01);
	} while (hnow() < end);
	return false;
}

/* Reap whatever ended among our children (we are a subreaper in the fault tests). */
static __attribute__((unused)) void hreap(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* ------------------------------------------------------------ processes */

struct hproc {
	pid_t pid, ppid;
	char state;
	unsigned long long start;	/* starttime: with the pid, the process' identity */
	char comm[32];
};

static __attribute__((unused)) bool hproc_read(pid_t pid, struct hproc *p)
{
	char path[64], buf[1024], *rp;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	n = hslurp(path, buf, sizeof(buf));
	rp = n ? strrchr(buf, ')') : NULL;
	if (!rp)
		return false;
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	{
		char *lp = strchr(buf, '(');
		size_t len = rp - lp - 1;

		if (len >= sizeof(p->comm))
			len = sizeof(p->comm) - 1;
		memcpy(p->comm, lp + 1, len);
	}
	/* fields after comm: 3 state, 4 ppid, ..., 22 starttime */
	if (sscanf(rp + 2, "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d "
		   "%*d %*d %llu", &p->state, &p->ppid, &p->start) != 3)
		return false;
	return true;
}

/* Still running: exists, same start time, and not a zombie. */
static __attribute__((unused)) bool hproc_running(const struct hproc *p)
{
	struct hproc now;

	return hproc_read(p->pid, &now) && now.start == p->start && now.state != 'Z' &&
	       now.state != 'X';
}

/* Every live descendant of `root` (not root itself); returns how many (<= max). */
static __attribute__((unused)) int hdescendants(pid_t root, struct hproc *out, int max)
{
	static struct hproc all[32768];
	int nall = 0, n = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d)
		return 0;
	while ((de = readdir(d)) && nall < (int)(sizeof(all) / sizeof(all[0])))
		if (isdigit((unsigned char)de->d_name[0]) && hproc_read(atoi(de->d_name), &all[nall]))
			nall++;
	closedir(d);
	/* breadth-first over ppid links */
	pid_t frontier[4096];
	int nf = 1;

	frontier[0] = root;
	while (nf > 0) {
		pid_t parent = frontier[--nf];

		for (int i = 0; i < nall; i++)
			if (all[i].ppid == parent && all[i].state != 'Z' && n < max) {
				out[n++] = all[i];
				if (nf < 4096)
					frontier[nf++] = all[i].pid;
			}
	}
	return n;
}

/* ------------------------------------------------------------ BPF programs */

#define HMAX_IDS 256

struct hids {
	unsigned int id[HMAX_IDS];
	int n;
};

static __attribute__((unused)) void hids_add(struct hids *s, unsigned int id)
{
	for (int i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return;
	if (s->n < HMAX_IDS)
		s->id[s->n++] = id;
}

static __attribute__((unused)) bool hids_has(const struct hids *s, unsigned int id)
{
	for (int i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return true;
	return false;
}

/* prog_id of every BPF program or link fd `pid` holds (from /proc/PID/fdinfo). */
static __attribute__((unused)) void hbpf_held(pid_t pid, struct hids *out)
{
	char dir[64], path[384], buf[4096];
	DIR *d;
	struct dirent *de;

	snprintf(dir, sizeof(dir), "/proc/%d/fdinfo", pid);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char *p;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		hslurp(path, buf, sizeof(buf));
		if ((p = strstr(buf, "prog_id:")))
			hids_add(out, (unsigned int)strtoul(p + 8, NULL, 10));
	}
	closedir(d);
}

/* Programs held by live processes named "ipclab" other than `except` (other users' runs). */
static __attribute__((unused)) void hbpf_held_by_other_ipclabs(pid_t except, struct hids *out)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct hproc p;

		if (!isdigit((unsigned char)de->d_name[0]) || atoi(de->d_name) == except)
			continue;
		if (hproc_read(atoi(de->d_name), &p) && !strcmp(p.comm, "ipclab") && p.state != 'Z')
			hbpf_held(p.pid, out);
	}
	closedir(d);
}

/* The program names ipclab loads: every BPF_PROG/BPF_KPROBE/BPF_KRETPROBE in the source,
 * cut to the kernel's 15 characters.  A comma-separated list. */
static __attribute__((unused)) const char *hbpf_names(void)
{
	static char names[8192];
	static const char *const macros[] = { "BPF_PROG(", "BPF_KPROBE(", "BPF_KRETPROBE(" };
	char *src;
	FILE *f;
	long size;

	if (names[0])
		return names;
	f = fopen(SOURCE_DIR "/bpf/ipclab.bpf.c", "r");
	if (!f)
		return "sys_enter,sys_exit,sched_switch,sched_waking";
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	src = calloc(1, size + 1);
	if (fread(src, 1, size, f) != (size_t)size)
		size = 0;
	fclose(f);
	names[0] = ',';
	for (char *p = src; (p = strstr(p, "\nint ")); p++) {
		for (size_t m = 0; m < 3; m++) {
			size_t ml = strlen(macros[m]), len = 0;
			char *q = p + 5;

			if (strncmp(q, macros[m], ml))
				continue;
			q += ml;
			while (isalnum((unsigned char)q[len]) || q[len] == '_')
				len++;
			if (len > 15)
				len = 15;
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%.*s,",
				 (int)len, q);
		}
	}
	free(src);
	return names;
}

static __attribute__((unused)) bool hbpf_is_ours(const char *name)
{
	char key[40];

	snprintf(key, sizeof(key), ",%s,", name);
	return strstr(hbpf_names(), key) != NULL;
}

/* `bpftool prog show`: ids of all programs, and of those named like ipclab's. */
static __attribute__((unused)) int hbpf_show(struct hids *all, struct hids *ours)
{
	char path[128];
	json_object *a;
	int st;

	snprintf(path, sizeof(path), "%s/.bpftool.json", hdir);
	{
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "bpftool -j prog show > %s 2>/dev/null", path);
		st = system(cmd);
	}
	if (hstatus(st) != 0)
		return -1;
	a = json_object_from_file(path);
	unlink(path);
	if (!a || !json_object_is_type(a, json_type_array)) {
		json_object_put(a);
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *p = json_object_array_get_idx(a, i);
		unsigned int id = (unsigned int)jint(p, "id");

		if (all)
			hids_add(all, id);
		if (ours && hbpf_is_ours(jstr(p, "name")))
			hids_add(ours, id);
	}
	json_object_put(a);
	return 0;
}

/*
 * After ipclab `pid` ended: none of the programs it held (`held`) is loaded any more, and
 * every program named like ours either existed before (`before`) or belongs to another
 * live ipclab (someone else's run).  Polls up to 3 s (program release is asynchronous).
 * Returns NULL or why not.
 */
static __attribute__((unused)) const char *hbpf_check_gone(pid_t pid, const struct hids *held,
							   const struct hids *before)
{
	static char why[512];
	double end = hnow() + 3;

	do {
		struct hids all = { .n = 0 }, ours = { .n = 0 }, others = { .n = 0 };
		int bad = 0;

		why[0] = 0;
		if (hbpf_show(&all, &ours))
			return "bpftool prog show failed";
		hbpf_held_by_other_ipclabs(pid, &others);
		for (int i = 0; i < held->n; i++)
			if (hids_has(&all, held->id[i]) && bad++ < 8)
				snprintf(why + strlen(why), sizeof(why) - strlen(why),
					 "program %u (held by ipclab %d) is still loaded; ", held->id[i], pid);
		for (int i = 0; i < ours.n; i++)
			if (!hids_has(before, ours.id[i]) && !hids_has(&others, ours.id[i]) &&
			    !hids_has(held, ours.id[i]) && bad++ < 8)
				snprintf(why + strlen(why), sizeof(why) - strlen(why),
					 "new program %u named like ipclab's, held by no ipclab; ",
					 ours.id[i]);
		if (!bad)
			return NULL;
		hsleep(0.05);
	} while (hnow() < end);
	return why;
}

/* ------------------------------------------------------------ traces */

static __attribute__((unused)) json_object *hload(const char *path)
{
	json_object *t = json_object_from_file(path);

	if (!t)
		fail_msg("%s is missing or not valid JSON", path);
	return t;
}

static __attribute__((unused)) json_object *hmeta(json_object *t)
{
	return jget(t, "meta");
}

/* `ipclab check PATH`: exit status (0 or 1: valid trace; 7: not one). */
static __attribute__((unused)) int hcheck(const char *path)
{
	return hsh("%s check -q '%s'", IPCLAB_BIN, path);
}

/* Entries of a directory whose names start with `prefix` ("" for all but . and ..). */
static __attribute__((unused)) int hcount_entries(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    !strncmp(de->d_name, prefix, strlen(prefix)))
			n++;
	closedir(d);
	return n;
}

static __attribute__((unused)) int hsetup(void **state)
{
	snprintf(hdir, sizeof(hdir), "/tmp/ipclab-hard.XXXXXX");
	return mkdtemp(hdir) ? 0 : -1;
}

static __attribute__((unused)) int hteardown(void **state)
{
	char cmd[128];

	/* a test that failed half-way may have left its ipclab running: SIGINT, then SIGKILL */
	for (int i = 0; i < nhspawned; i++) {
		pid_t r = waitpid(hspawned[i], NULL, WNOHANG);

		if (r != 0)
			continue;	/* reaped now or before: not ours any more */
		kill(hspawned[i], SIGINT);
		for (int k = 0; k < 100 && (r = waitpid(hspawned[i], NULL, WNOHANG)) == 0; k++)
			hsleep(0.02);
		if (r == 0) {	/* still our unreaped child: the pid cannot have been reused */
			kill(hspawned[i], SIGKILL);
			waitpid(hspawned[i], NULL, 0);
		}
	}
	nhspawned = 0;
	hreap();

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", hdir);
	return system(cmd) == 0 ? 0 : 0;
}

/* Run the cmocka group named argv[1] (all when none). */
struct hgroup {
	const char *name;
	const struct CMUnitTest *tests;
	size_t n;
	bool root;	/* needs root (real BPF) */
};

#define HGROUP(name, arr, root) { name, arr, sizeof(arr) / sizeof(arr[0]), root }

static __attribute__((unused)) int hmain(int argc, char **argv, const struct hgroup *g, size_t n)
{
	int ret = 0;
	bool any = false;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < n; i++) {
		if (argc > 1 && strcmp(argv[1], g[i].name))
			continue;
		any = true;
		if (g[i].root && geteuid() != 0) {
			fprintf(stderr, "%s: these tests load BPF: run them as root (sudo make test)\n",
				g[i].name);
			return 77;
		}
		ret |= _cmocka_run_group_tests(g[i].name, g[i].tests, g[i].n, hsetup, hteardown);
	}
	if (!any) {
		fprintf(stderr, "no test group '%s'\n", argv[1]);
		return 2;
	}
	return ret ? 1 : 0;
}

#endif
