// SPDX-License-Identifier: GPL-2.0
/*
 * run.c - the loader's main loop.
 *
 *   attach probes -> launch programs held before exec -> mark them pending in the BPF
 *   filter -> release -> drain the ring buffer into the spool until the traced tree is
 *   gone -> build the timeline -> check claims -> write the trace (temp file + rename)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <libgen.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "claims.h"
#include "drain.h"
#include "export.h"
#include "lab.h"
#include "launch.h"
#include "mechanism.h"
#include "outfile.h"
#include "progress.h"
#include "report.h"
#include "run.h"
#include "spool.h"
#include "timeline.h"
#include "watchdog.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
	/* While the trace is written, Ctrl-C and SIGTERM stop it (progress.c); a closed
	 * terminal (SIGHUP) does not: nobody asked to lose the trace. */
	if (sig != SIGHUP)
		ipclab_stop_signals++;
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART: poll wakes */

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static __u64 now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int require_privileges(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};
	bool bpf, perfmon;

	if (geteuid() == 0)
		return 0;
	if (syscall(SYS_capget, &hdr, data) == 0) {
		bpf = data[CAP_BPF / 32].effective & (1u << (CAP_BPF % 32));
		perfmon = data[CAP_PERFMON / 32].effective & (1u << (CAP_PERFMON % 32));
		if (bpf && perfmon)
			return 0;
	}
	fprintf(stderr, "ipclab: loading BPF probes needs root (or CAP_BPF and CAP_PERFMON): "
		"run it with sudo\n");
	return EXIT_PRIVILEGE;
}

const char *workloads_dir(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n;

	if (getenv("IPCLAB_WORKLOADS"))
		return getenv("IPCLAB_WORKLOADS");
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return "workloads";
	exe[n] = 0;
	snprintf(dir, sizeof(dir), "%s/workloads", dirname(exe));
	return dir;
}

/* ------------------------------------------------------------ a session */

struct session {
	struct tracer tr;
	struct ring_buffer *rb;
	struct spool sp;
	struct run_user user;
	const struct run_opts *opts;
	const char *drain_raised;	/* the drain's priority while recording, NULL: normal */
	bool drain_warned;		/* the drain could not be raised: said once */
};

static int session_open(struct session *s, const struct run_opts *o)
{
	char err[512];
	int ret;

	memset(s, 0, sizeof(*s));
	s->opts = o;
	spool_init(&s->sp);
	run_user_from_env(&s->user);
	ret = tracer_open(&s->tr, o->tier, o->buffer_bytes, o->btf_path, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "ipclab: %s\n", err);
		return EXIT_KERNEL;
	}
	s->rb = ring_buffer__new(tracer_events_fd(&s->tr), spool_on_event, &s->sp, NULL);
	if (!s->rb) {
		fprintf(stderr, "ipclab: ring buffer: %s\n", strerror(errno));
		tracer_close(&s->tr);
		return EXIT_KERNEL;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);	/* orphans of the traced tree come back to us */
	return 0;
}

/* The probes and the ring buffer (16 MiB mapped by default) go; the spool stays. */
static void session_detach(struct session *s)
{
	ring_buffer__free(s->rb);
	s->rb = NULL;
	tracer_close(&s->tr);
}

static void session_close(struct session *s)
{
	session_detach(s);
	spool_free(&s->sp);
}

static void kill_tree(struct session *s, struct launch *roots, int n, struct watchdog *w)
{
	for (int i = 0; i < n; i++)
		if (roots[i].pid > 0)
			kill(roots[i].pid, SIGKILL);
	tracer_kill_tracked(&s->tr, SIGKILL);
	watchdog_kill(w);	/* also what left the traced tree's view (daemons) */
}

/* Reap everything that ended; remember the roots' statuses. Returns roots still running. */
static int reap(struct launch *roots, int n, int *status)
{
	int st, running = 0;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		for (int i = 0; i < n; i++)
			if (roots[i].pid == pid) {
				status[i] = st;
				roots[i].pid = -pid;	/* reaped */
			}
	for (int i = 0; i < n; i++)
		running += roots[i].pid > 0;
	return running;
}

/* Drain until the traced tree is gone (or a stop signal / the timeout ends it). */
static void record_loop(struct session *s, struct launch *roots, int n, int *status,
			struct trace_meta *m, struct watchdog *w)
{
	__u64 deadline = s->opts->timeout_s > 0 ?
		now_ns(CLOCK_MONOTONIC) + (__u64)(s->opts->timeout_s * 1e9) : 0;
	__u64 killed_at = 0, next_check = 0;

	for (;;) {
		ring_buffer__poll(s->rb, 50);
		ring_buffer__consume(s->rb);
		if (!reap(roots, n, status)) {
			if (tracer_tracked(&s->tr) == 0)
				break;
			/* the roots are done, a descendant is still tracked: is it alive? */
			if (now_ns(CLOCK_MONOTONIC) > next_check) {
				tracer_forget_gone(&s->tr);
				next_check = now_ns(CLOCK_MONOTONIC) + 200000000ULL;
			}
		}
		if (!killed_at && (stop_signal || (deadline && now_ns(CLOCK_MONOTONIC) > deadline))) {
			m->interrupted = true;
			m->end_reason = stop_signal ? "interrupted" : "timeout";
			if (stop_signal && !s->opts->quiet)
				fprintf(stderr, "ipclab: %s: stopping the traced programs; the trace is "
					"written next (Ctrl-C again abandons it)\n",
					strsignal(stop_signal));
			kill_tree(s, roots, n, w);
			killed_at = now_ns(CLOCK_MONOTONIC);
		}
		if (killed_at && now_ns(CLOCK_MONOTONIC) - killed_at > 2000000000ULL) {
			/* something in the tree outlived SIGKILL's delivery window: stop waiting */
			tracer_forget_all(&s->tr);
			break;
		}
	}
	while (ring_buffer__consume(s->rb) > 0)
		;
	tracer_collect_batches(&s->tr, spool_on_event, &s->sp);	/* the last partial batches */
}

static int discard_batch(void *ctx, void *data, size_t size)
{
	return 0;
}

static void fill_meta(struct trace_meta *m, const struct session *s, char *const argv[])
{
	struct utsname u;
	size_t len = 0;

	memset(m, 0, sizeof(*m));
	uname(&u);
	snprintf(m->kernel, sizeof(m->kernel), "%s", u.release);
	snprintf(m->machine, sizeof(m->machine), "%s", u.machine);
	if (s) {
		m->tier = s->tr.tier;
		m->syms = s->tr.syms;
		m->fault_perf = s->tr.fault_perf;
		m->stand_ins = s->tr.stand_ins;
		m->preemptible = s->tr.preemptible;
		m->preempt_source = s->tr.preempt_source;
		m->bpf_build = build_key(s->tr.build);
		m->n_optional = tracer_optional_attached(&s->tr, m->optional, TRACE_OPTIONAL_MAX);
	}
	m->page_size = sysconf(_SC_PAGESIZE);
	m->end_reason = "exited";
	for (int i = 0; argv && argv[i] && len < sizeof(m->command) - 1; i++)
		len += snprintf(m->command + len, sizeof(m->command) - len, "%s%s", i ? " " : "",
				argv[i]);
}

/*
 * The drain above the traced programs (drain.c), before they run.  If that is refused, say
 * so now, once: a program with many busy threads can then starve the drain and events are
 * dropped; the user can still choose a larger buffer before it happens.
 */
static void drain_raise(struct session *s, struct drain_sched *sched)
{
	int err = drain_sched_raise(sched);

	s->drain_raised = sched->raised;
	if (!err || s->drain_warned)
		return;
	s->drain_warned = true;
	fprintf(stderr, "ipclab: note: the ring-buffer drain runs at normal priority (%s; raising it "
		"needs CAP_SYS_NICE): programs with many busy threads can make it fall behind and "
		"drop events; run as root or give a larger --buffer\n", strerror(-err));
}

/*
 * Launch each program held, mark it pending, release them together and record.
 * Returns 0, or an exit code when nothing could be traced.
 */
static int record(struct session *s, char *const *const *programs, int n, int out_fd,
		  struct trace_meta *m, int *status)
{
	struct launch roots[SCENARIO_MAX_PROGRAMS];
	struct drain_sched sched = { 0 };
	struct watchdog w;
	int err, i;

	spool_reset(&s->sp);
	tracer_reset_dropped(&s->tr);
	tracer_collect_batches(&s->tr, discard_batch, NULL);	/* nothing of an earlier run */
	watchdog_start(&w);	/* without cgroup v2: PR_SET_PDEATHSIG only */
	for (i = 0; i < n; i++) {
		err = launch_held(programs[i], &s->user, out_fd, &roots[i]);
		if (!err) {
			watchdog_adopt(&w, roots[i].pid);
			err = tracer_track(&s->tr, roots[i].pid);
		}
		if (err) {
			fprintf(stderr, "ipclab: cannot start %s: %s\n", programs[i][0], strerror(-err));
			goto abort;
		}
	}
	drain_raise(s, &sched);
	m->t0 = now_ns(CLOCK_MONOTONIC);
	m->start_realtime_ns = now_ns(CLOCK_REALTIME);
	/* interrupted while the probes loaded: the loop below kills the held programs at once */
	for (int k = 0; k < n; k++) {
		err = launch_release(&roots[k]);
		if (err) {
			fprintf(stderr, "ipclab: cannot run %s: %s\n", programs[k][0], strerror(-err));
			i = n;
			goto abort;
		}
	}
	record_loop(s, roots, n, status, m, &w);
	drain_sched_restore(&sched);
	watchdog_stop(&w);
	m->dropped = tracer_dropped(&s->tr);
	m->nskipped = tracer_skipped(&s->tr, m->skipped, TRACE_SKIPPED_MAX);
	m->recovered = tracer_recovered(&s->tr);
	m->skips_dropped = tracer_skips_dropped(&s->tr);
	m->lost = s->sp.lost;
	return 0;
abort:
	drain_sched_restore(&sched);
	while (i-- > 0)
		launch_abort(&roots[i]);
	tracer_forget_all(&s->tr);
	watchdog_stop(&w);
	return EXIT_LAUNCH;
}

/* Ctrl-C while writing: the scratch files are freed after we exit (out_close_pending()). */
static void abandon_scratch(struct spool *sp)
{
	out_close_later(sp->spill_fd);
	out_close_later(sp->raw_fd);
	sp->spill_fd = sp->raw_fd = -1;
}

/* Interrupted while writing: nothing is left (the file had no name yet); say so once. */
static int write_interrupted(const char *path, const struct progress *pr)
{
	fprintf(stderr, "ipclab: interrupted while writing %s: no trace written", path);
	if (pr->total)
		fprintf(stderr, " (%s: %.0f%% done)", pr->phase, 100.0 * pr->done / pr->total);
	fputc('\n', stderr);
	out_close_pending();
	return EXIT_INTERRUPTED;
}

static int write_failed(const char *path, int err)
{
	fprintf(stderr, "ipclab: cannot write %s: %s\n", path, strerror(-err));
	return EXIT_OUTPUT;
}

/*
 * judge (trace --claims, run --lab): the trace is written plain to the temporary, and
 * lab_judge_commit() judges it and writes path with the verdicts (lab.c).
 */
static int commit_trace(struct out_file *of, const char *path, const struct run_user *u,
			struct lab_judge *judge)
{
	int err;

	if (judge)
		return lab_judge_commit(judge, of, path, u);	/* said why, if it failed */
	err = out_commit(of, u);
	return err ? write_failed(path, err) : 0;
}

static int write_trace(const char *path, const struct trace_meta *m, const struct timeline *tl,
		       const struct claim_set *cs, const struct run_user *u,
		       struct lab_judge *judge)
{
	struct out_file of;
	int err = out_open_as(&of, path, out_is_gz_path(path) && !judge);

	if (err)
		return write_failed(path, err);
	err = export_trace(of.f, m, tl, cs);
	if (err) {
		out_discard(&of);
		return write_failed(path, err);
	}
	return commit_trace(&of, path, u, judge);
}

/*
 * A spilled spool's trace, streamed (export_trace_stream()): same file, bounded memory.
 * A stop signal after pr began (not the one that ended the recording) abandons it.
 */
static int write_trace_stream(const char *path, struct trace_meta *m, struct spool *sp,
			      const struct run_user *u, struct progress *pr, size_t *nevents,
			      struct lab_judge *judge)
{
	struct out_file of;
	int err = out_open_as(&of, path, out_is_gz_path(path) && !judge), ret;

	if (err)
		return write_failed(path, err);
	err = export_trace_stream(&of, m, sp, pr, nevents);
	if (!err && progress_cancelled(pr))
		err = -EINTR;
	if (err == -EINTR || (err && progress_cancelled(pr))) {
		out_abandon(&of);
		abandon_scratch(sp);
		progress_end(pr, false);
		return write_interrupted(path, pr);
	}
	if (err) {
		out_discard(&of);
		progress_end(pr, false);
		return write_failed(path, err);
	}
	ret = commit_trace(&of, path, u, judge);
	progress_end(pr, !ret);
	return ret;
}

/*
 * Traces without claims may be long: past one chunk the spool spills sorted runs to an
 * unnamed file next to the output and the trace is streamed.  Where no scratch file can be
 * made, everything stays in memory as for `ipclab run`.
 */
static void spill_next_to(struct spool *sp, const char *out, bool recording)
{
	char dir[PATH_MAX];
	int fd, raw = -1, err;

	out_dirname(out, dir, sizeof(dir));
	fd = out_tmpfile(dir);
	err = fd < 0 ? fd : spool_spill_to(sp, fd);
	if (!err && recording) {
		raw = out_tmpfile(dir);
		err = raw < 0 ? raw : 0;
	}
	if (err) {
		if (fd >= 0)
			close(fd);
		sp->spill_fd = -1;
		fprintf(stderr, "ipclab: no scratch file in %s (%s): the trace is kept in memory\n",
			dir, strerror(-err));
		return;
	}
	if (recording)
		spool_raw_to(sp, raw);
}

/* --html: the report next to the trace (x.json -> x.html). */
static int write_report(const char *trace, const struct run_user *u, bool quiet)
{
	char html[PATH_MAX], err[600];
	const char *traces[1] = { trace };

	report_path_for(trace, html, sizeof(html));
	if (report_write(html, traces, 1, u, err, sizeof(err))) {
		fprintf(stderr, "ipclab: report: %s\n", err);
		return EXIT_OUTPUT;
	}
	if (!quiet)
		fprintf(stderr, "ipclab: report %s\n", html);
	return 0;
}

static void warn_invalid(const struct timeline *tl)
{
	if (tl->invalid)
		fprintf(stderr, "ipclab: WARNING: %zu records refused: impossible times or sizes "
			"(corrupt spool?); counted in meta.lost\n", tl->invalid);
}

/* "16M", "1G": a --buffer value. */
static void size_name(size_t bytes, char *out, size_t n)
{
	if (bytes >= 1u << 30)
		snprintf(out, n, "%zuG", bytes >> 30);
	else if (bytes >= 1u << 20)
		snprintf(out, n, "%zuM", bytes >> 20);
	else
		snprintf(out, n, "%zuK", bytes >> 10);
}

/*
 * Drops: how many, why, and what to do.  The ring buffer cannot grow while the probes run,
 * so the advice is the next run's --buffer: four times this one (1G at most), and, when the
 * drain ran at normal priority, running it as root (drain.c).
 */
/* Runs of probes the kernel skipped (part of meta.dropped), named on one line. */
static void warn_skipped(const struct trace_meta *m)
{
	__u64 sum = 0;

	for (int i = 0; i < m->nskipped; i++)
		sum += m->skipped[i].runs;
	if (!sum && !m->skips_dropped)
		return;
	fprintf(stderr, "ipclab: %s: the kernel skipped %llu probe run(s): %llu record(s) made "
		"up by stand-in copies, %llu lost (counted as dropped; docs/troubleshooting.md):",
		m->skips_dropped ? "WARNING" : "note", (unsigned long long)sum,
		(unsigned long long)m->recovered, (unsigned long long)m->skips_dropped);
	for (int i = 0; i < m->nskipped; i++)
		fprintf(stderr, " %s %llu", m->skipped[i].name, (unsigned long long)m->skipped[i].runs);
	fputc('\n', stderr);
}

static void warn_losses(const struct trace_meta *m, const struct session *s)
{
	size_t buffer = s->opts->buffer_bytes, larger = buffer * 4 > (1u << 30) ? 1u << 30 : buffer * 4;
	/* what the ring buffer refused (the counters were read one after another) */
	__u64 dropped = m->dropped > m->skips_dropped ? m->dropped - m->skips_dropped : 0;
	char now[16], next[16];

	warn_skipped(m);
	size_name(buffer, now, sizeof(now));
	size_name(larger, next, sizeof(next));
	if (dropped && larger > buffer)
		fprintf(stderr, "ipclab: WARNING: %llu events dropped: the %s ring buffer filled "
			"faster than ipclab drained it%s; to keep them, run again with --buffer %s\n",
			(unsigned long long)dropped, now,
			s->drain_raised ? "" : " (the drain ran at normal priority: run as root)", next);
	else if (dropped)
		fprintf(stderr, "ipclab: WARNING: %llu events dropped: the %s ring buffer (the "
			"largest) filled faster than ipclab drained it%s\n",
			(unsigned long long)dropped, now,
			s->drain_raised ? "" : " (the drain ran at normal priority: run as root)");
	if (m->lost)
		fprintf(stderr, "ipclab: WARNING: %llu events lost: out of memory or disk space "
			"while spooling\n",
			(unsigned long long)m->lost);
}

/* ------------------------------------------------------------ scenarios */

static bool use_color(void)
{
	return isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
}

/* zh: the scenario's and the claims' Chinese texts where they have them */
static void print_claims(const struct scenario *sc, const struct claim_set *cs, const char *path,
			 size_t nevents, bool zh)
{
	bool color = use_color();

	printf(zh ? "\n%s  %s\n  跟踪文件：%s（%zu 个事件）\n" : "\n%s  %s\n  trace: %s (%zu events)\n",
	       sc->name, zh && sc->summary_zh ? sc->summary_zh : sc->summary, path, nevents);
	for (int i = 0; i < cs->n; i++) {
		const struct claim *c = &cs->c[i];
		const char *mark = c->pass ? "PASS" : "FAIL";
		const char *text = zh && c->text_zh[0] ? c->text_zh : c->text;

		if (color)
			printf("  \033[%sm%s\033[0m  %s\n", c->pass ? "32" : "1;31", mark, text);
		else
			printf("  %s  %s\n", mark, text);
		printf("        %s\n", zh && c->detail_zh[0] ? c->detail_zh : c->detail);
	}
}

#define MAX_ARGS 12	/* the program, {dir}, and up to 8 {sizes} */

struct program {
	char buf[PATH_MAX * 2];
	char *argv[MAX_ARGS + 1];
};

/* "name arg {dir}/x" -> workloads/name, arg, DIR/x */
/* One argument into p's buffer; its length, or -ENAMETOOLONG. */
static int program_arg(struct program *p, size_t *used, int *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int program_arg(struct program *p, size_t *used, int *n, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (*n >= MAX_ARGS)
		return -E2BIG;
	va_start(ap, fmt);
	len = vsnprintf(p->buf + *used, sizeof(p->buf) - *used, fmt, ap);
	va_end(ap);
	if (len < 0 || *used + len + 1 >= sizeof(p->buf))
		return -ENAMETOOLONG;
	p->argv[(*n)++] = p->buf + *used;
	*used += len + 1;
	return 0;
}

/* "{sizes}": one argument per size given with --sizes, none for the program's default. */
static int program_sizes(struct program *p, size_t *used, int *n, const char *sizes)
{
	char copy[sizeof(((struct run_opts *)0)->sizes)], *tok, *save = NULL;
	int err = 0;

	snprintf(copy, sizeof(copy), "%s", sizes);
	for (tok = strtok_r(copy, " ", &save); tok && !err; tok = strtok_r(NULL, " ", &save))
		err = program_arg(p, used, n, "%s", tok);
	return err;
}

static int program_argv(struct program *p, const char *spec, const char *dir,
			const char *sizes)
{
	char tmp[PATH_MAX * 2], *tok, *save = NULL;
	size_t used = 0;
	int n = 0;

	snprintf(tmp, sizeof(tmp), "%s", spec);
	for (tok = strtok_r(tmp, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		const char *at = strstr(tok, "{dir}");
		int err;

		if (n == 0)
			err = program_arg(p, &used, &n, "%s/%s", workloads_dir(), tok);
		else if (!strcmp(tok, "{sizes}"))
			err = program_sizes(p, &used, &n, sizes);
		else if (at)
			err = program_arg(p, &used, &n, "%.*s%s%s", (int)(at - tok), tok, dir,
					  at + 5);
		else
			err = program_arg(p, &used, &n, "%s", tok);
		if (err)
			return err;
	}
	p->argv[n] = NULL;
	return n ? 0 : -EINVAL;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path) ? 0 : 0;	/* best effort: the programs clean up after themselves */
}

/* A private scratch directory on disk (/var/tmp: page cache and writeback are real there). */
static int scratch_dir(char *dir, size_t n, const char *name, const struct run_user *u)
{
	snprintf(dir, n, "/var/tmp/ipclab-%s-XXXXXX", name);
	if (!mkdtemp(dir))
		return -errno;
	if (u->drop && chown(dir, u->uid, u->gid))
		return -errno;
	return 0;
}

static int open_log(const char *path, const struct run_user *u)
{
	int fd;

	/* the programs' own output, for the student; claims never read it */
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd >= 0 && u->drop && fchown(fd, u->uid, u->gid))
		perror("ipclab: chown log");
	return fd;
}

static int run_one(struct session *s, const struct scenario *sc, int *failed, int *total)
{
	struct program progs[SCENARIO_MAX_PROGRAMS];
	char *const *programs[SCENARIO_MAX_PROGRAMS];
	char out[PATH_MAX], log[PATH_MAX], dir[PATH_MAX];
	int status[SCENARIO_MAX_PROGRAMS] = { 0 }, n = 0, ret, log_fd;
	struct trace_meta m;
	struct timeline tl;
	struct claim_set cs = { .n = 0 };

	ret = scratch_dir(dir, sizeof(dir), sc->name, &s->user);
	if (ret) {
		fprintf(stderr, "ipclab: scratch directory %s: %s\n", dir, strerror(-ret));
		return EXIT_OUTPUT;
	}
	for (; n < SCENARIO_MAX_PROGRAMS && sc->programs[n]; n++) {
		if (program_argv(&progs[n], sc->programs[n], dir, s->opts->sizes)) {
			fprintf(stderr, "ipclab: bad program line '%s'\n", sc->programs[n]);
			return EXIT_LAUNCH;
		}
		programs[n] = progs[n].argv;
	}
	snprintf(out, sizeof(out), "%s/%s.json%s", s->opts->out, sc->name, s->opts->gzip ? ".gz" : "");
	snprintf(log, sizeof(log), "%s/%s.log", s->opts->out, sc->name);
	log_fd = open_log(log, &s->user);

	fill_meta(&m, s, programs[0]);
	m.scenario = sc;
	ret = record(s, programs, n, log_fd, &m, status);
	if (log_fd >= 0)
		close(log_fd);
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	if (ret)
		return ret;
	warn_losses(&m, s);
	if (timeline_build(&tl, s->sp.ev, s->sp.n, m.t0))
		return EXIT_OUTPUT;
	warn_invalid(&tl);
	tl.meta = &m;
	sc->check(&tl, &cs);
	ret = write_trace(out, &m, &tl, &cs, &s->user, NULL);
	if (!ret && s->opts->html)
		ret = write_report(out, &s->user, true);
	if (!ret) {
		print_claims(sc, &cs, out, tl.n, s->opts->zh);
		*failed += claims_failed(&cs);
		*total += cs.n;
	}
	timeline_free(&tl);
	if (ret || !m.interrupted)
		return ret;
	return strcmp(m.end_reason, "timeout") == 0 ? EXIT_TIMEOUT : EXIT_INTERRUPTED;
}

/* What the mechanisms resolved for their probes, each after "; " (struct mech_probes). */
static void probe_notes(const struct probe_syms *syms, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < n_mechanisms && len < n; i++) {
		const struct mech_probes *p = mechanisms[i]->probes;
		char note[160] = "";

		if (p && p->attached_note)
			p->attached_note(syms, note, sizeof(note));
		if (note[0])
			len += snprintf(buf + len, n - len, "; %s", note);
	}
}

/* --html: where the reports are, on one line (each scenario wrote DIR/NAME.html). */
static void print_reports(const struct scenario *const *list, size_t n, const char *dir)
{
	printf("HTML reports in %s/:", dir);
	for (size_t i = 0; i < n; i++)
		printf(" %s.html", list[i]->name);
	putchar('\n');
}

int run_scenarios(const struct scenario *const *list, size_t n, const struct run_opts *o)
{
	char notes[256];
	struct session s;
	int ret, err, failed = 0, total = 0, timed_out = 0;

	/* first: a Ctrl-C while the probes load must end the run cleanly, not kill it */
	install_signals();
	ret = require_privileges();
	if (ret)
		return ret;
	{
		struct run_user u;

		run_user_from_env(&u);
		err = out_prepare_dir(o->out, &u);
		if (err) {
			fprintf(stderr, "ipclab: output directory %s is not writable: %s\n", o->out,
				strerror(-err));
			return EXIT_OUTPUT;
		}
	}
	ret = session_open(&s, o);
	if (ret)
		return ret;
	probe_notes(&s.tr.syms, notes, sizeof(notes));
	printf("ipclab: probes attached (tier %s%s; %s)\n", tier_name(s.tr.tier), notes,
	       build_name(s.tr.build));
	if (s.tr.direct_error[0])
		printf("ipclab: the direct-load build was refused (%s); the main build is used\n",
		       s.tr.direct_error);
	for (size_t i = 0; i < n && !ret; i++) {
		ret = run_one(&s, list[i], &failed, &total);
		/* one scenario that hangs costs its own trace (written, marked), not the rest */
		if (ret == EXIT_TIMEOUT) {
			fprintf(stderr, "ipclab: %s: timed out; its trace is marked interrupted\n",
				list[i]->name);
			timed_out++;
			ret = 0;
		}
	}
	session_close(&s);
	if (ret)
		return ret;
	if (o->zh)
		printf("\n%zu 个场景共 %d 条结论：%d 条 PASS，%d 条 FAIL", n, total,
		       total - failed, failed);
	else
		printf("\n%d claims in %zu scenarios: %d PASS, %d FAIL", total, n, total - failed,
		       failed);
	printf(timed_out ? (o->zh ? "；%d 个场景超时\n" : "; %d scenario(s) timed out\n") : "\n",
	       timed_out);
	if (o->html)
		print_reports(list, n, o->out);
	if (timed_out)
		return EXIT_TIMEOUT;
	return failed ? EXIT_CLAIMS_FAILED : EXIT_OK;
}

/* ------------------------------------------------------------ any command */

int trace_exit_status(const char *what, int st)
{
	if (WIFSIGNALED(st)) {
		fprintf(stderr, "ipclab: %s was killed by signal %d (%s)\n", what, WTERMSIG(st),
			strsignal(WTERMSIG(st)));
		return EXIT_CLAIMS_FAILED;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st)) {
		fprintf(stderr, "ipclab: %s exited with status %d\n", what, WEXITSTATUS(st));
		return EXIT_CLAIMS_FAILED;
	}
	return EXIT_OK;
}

static void save_spool(const struct spool *sp, const struct trace_meta *m, const char *path)
{
	struct spool_header h = { .tier = m->tier, .t0 = m->t0,
				  .start_realtime_ns = m->start_realtime_ns, .dropped = m->dropped };
	int err;

	snprintf(h.kernel, sizeof(h.kernel), "%s", m->kernel);
	snprintf(h.command, sizeof(h.command), "%s", m->command);
	err = spool_save(sp, &h, path);
	if (err)
		fprintf(stderr, "ipclab: cannot save spool %s: %s\n", path, strerror(-err));
}

int replay_spool(const char *path, const struct run_opts *o)
{
	struct spool sp;
	struct spool_header h;
	struct trace_meta m;
	struct timeline tl;
	struct run_user u;
	struct progress pr;
	__u64 start, built, done;
	size_t n = 0;
	int ret;

	spool_init(&sp);
	spill_next_to(&sp, o->out, false);
	ret = spool_load_spilling(&sp, &h, path);
	if (ret) {
		if (ret == -ENOMEM)
			fprintf(stderr, "ipclab: %s: out of memory while reading the spool\n", path);
		else
			fprintf(stderr, "ipclab: %s: not a spool this ipclab reads (%s)\n", path,
				strerror(-ret));
		spool_free(&sp);
		return ret == -ENOMEM ? EXIT_NOMEM : EXIT_INPUT;
	}
	fill_meta(&m, NULL, NULL);
	snprintf(m.kernel, sizeof(m.kernel), "%s", h.kernel);
	snprintf(m.command, sizeof(m.command), "%s", h.command);
	m.tier = h.tier <= TIER_TRACEPOINT ? h.tier : TIER_TRACEPOINT;
	m.t0 = h.t0;
	m.start_realtime_ns = h.start_realtime_ns;
	m.dropped = h.dropped;
	m.lost = sp.lost;
	run_user_from_env(&u);
	install_signals();	/* Ctrl-C while writing: no file, a line (the load just dies) */
	progress_start(&pr, o->out, o->quiet);
	start = now_ns(CLOCK_MONOTONIC);
	if (spool_spilled(&sp)) {
		built = start;	/* timeline and JSON together */
		ret = write_trace_stream(o->out, &m, &sp, &u, &pr, &n, NULL);
	} else {
		ret = timeline_build(&tl, sp.ev, sp.n, m.t0) ? EXIT_OUTPUT : 0;
		built = now_ns(CLOCK_MONOTONIC);
		if (!ret) {
			warn_invalid(&tl);
			ret = write_trace(o->out, &m, &tl, NULL, &u, NULL);
			n = tl.n;
			timeline_free(&tl);
		}
	}
	done = now_ns(CLOCK_MONOTONIC);
	if (!ret)
		printf("%zu events: timeline %.3f s, JSON %.3f s, %.0f events/s -> %s\n", n,
		       (built - start) / 1e9, (done - built) / 1e9,
		       n / ((done - start) / 1e9 + 1e-9), o->out);
	spool_free(&sp);
	return ret;
}

int trace_program(char *const argv[], const struct run_opts *o, int *status_out)
{
	char *const *programs[1] = { argv };
	struct run_user u;
	struct session s;
	struct trace_meta m;
	struct timeline tl;
	struct progress pr;
	size_t n = 0;
	int status[1] = { 0 }, ret, err;

	install_signals();	/* before the (slow) probe loading: see run_scenarios() */
	ret = require_privileges();
	if (ret)
		return ret;
	err = out_check_path(o->out);
	if (err) {
		fprintf(stderr, "ipclab: cannot write %s: %s\n", o->out, strerror(-err));
		return EXIT_OUTPUT;
	}
	run_user_from_env(&u);
	ret = session_open(&s, o);
	if (ret)
		return ret;
	fill_meta(&m, &s, argv);
	if (o->judge) {		/* what the viewer names the trace by */
		m.lab = o->judge->lab;
		m.claims_file = o->judge->source;
	}
	spill_next_to(&s.sp, o->out, true);
	ret = record(&s, programs, 1, -1, &m, status);
	if (ret) {
		session_close(&s);
		return ret;
	}
	session_detach(&s);
	/* from here a stop signal abandons the trace (the one that ended the recording not) */
	progress_start(&pr, o->out, o->quiet);
	err = spool_ingest_raw(&s.sp, &pr);
	if (err == -EINTR) {
		progress_end(&pr, false);
		abandon_scratch(&s.sp);
		session_close(&s);
		return write_interrupted(o->out, &pr);
	}
	if (err) {
		/* no trace rather than one that silently misses events */
		fprintf(stderr, "ipclab: cannot read back the recording's scratch file: %s\n",
			strerror(-err));
		session_close(&s);
		return EXIT_OUTPUT;
	}
	m.lost = s.sp.lost;
	warn_losses(&m, &s);
	if (o->save_spool)
		save_spool(&s.sp, &m, o->save_spool);
	if (spool_spilled(&s.sp)) {
		ret = write_trace_stream(o->out, &m, &s.sp, &u, &pr, &n, o->judge);
	} else {
		if (timeline_build(&tl, s.sp.ev, s.sp.n, m.t0)) {
			session_close(&s);
			return EXIT_OUTPUT;
		}
		warn_invalid(&tl);
		ret = write_trace(o->out, &m, &tl, NULL, &u, o->judge);
		n = tl.n;
		timeline_free(&tl);
	}
	if (!ret && o->html)
		ret = write_report(o->out, &u, o->quiet);
	if (!ret && !o->quiet)
		fprintf(stderr, "ipclab: %zu events (tier %s) -> %s\n", n, tier_name(m.tier), o->out);
	session_close(&s);
	if (ret)
		return ret;
	if (m.interrupted)
		return strcmp(m.end_reason, "timeout") == 0 ? EXIT_TIMEOUT : EXIT_INTERRUPTED;
	*status_out = status[0];
	return EXIT_OK;
}

int trace_command(char *const argv[], const struct run_opts *o)
{
	int status = 0, ret = trace_program(argv, o, &status);

	return ret ? ret : trace_exit_status(argv[0], status);
}
