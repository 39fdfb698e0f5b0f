// SPDX-License-Identifier: GPL-2.0
/*
 * progress.c - a long trace (millions of events) takes seconds to write: say how far it
 * got, on stderr, but only when stderr is a terminal (one line rewritten twice a second)
 * or the write has taken more than a second (then a line when a phase begins and every
 * 5 s): short writes stay
 * silent, logs get a few lines, not thousands.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "progress.h"

volatile sig_atomic_t ipclab_stop_signals;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void progress_start(struct progress *p, const char *path, bool quiet)
{
	*p = (struct progress){ .path = path, .signals = ipclab_stop_signals, .quiet = quiet,
				.tty = isatty(STDERR_FILENO) };
	p->t_start = p->t_last = now_s();
	/* tests: a line as soon as each phase begins (the moments they signal at) */
	p->after = getenv("IPCLAB_PROGRESS_AFTER") ? atof(getenv("IPCLAB_PROGRESS_AFTER")) : 1;
}

void progress_phase(struct progress *p, const char *phase, unsigned long long total)
{
	if (!p)
		return;
	p->phase = phase;
	p->total = total;
	p->done = 0;
	p->new_phase = true;
}

bool progress_cancelled(const struct progress *p)
{
	return p && ipclab_stop_signals != p->signals;
}

static void print_line(struct progress *p, double now)
{
	double el = now - p->t_start, pct = p->total ? 100.0 * p->done / p->total : 100.0;
	const char *cr = p->tty ? "\r" : "", *end = p->tty ? "\033[K" : "\n";

	if (!p->bytes)	/* sorting the recording (bytes of records), resolving (records) */
		fprintf(stderr, "%sipclab: %s %s: %.0f%%, %.1f s%s", cr, p->phase, p->path, pct,
			el, end);
	else
		fprintf(stderr, "%sipclab: %s %s: %llu/%llu events (%.0f%%), %.1f MB written, "
			"%.1f s, %.0fk events/s%s", cr, p->phase, p->path, p->done, p->total, pct,
			p->bytes / 1e6, el, p->done / 1e3 / (el > 0 ? el : 1), end);
	fflush(stderr);
	p->shown = true;
	p->t_last = now;
}

int progress_step(struct progress *p, unsigned long long done, unsigned long long bytes)
{
	double now;

	if (!p)
		return 0;
	p->done = done;
	p->bytes = bytes;
	if (progress_cancelled(p))
		return -EINTR;
	if (p->quiet)
		return 0;
	now = now_s();
	/* a log gets a line per phase and one every 5 s, once the write took a second */
	if (p->tty ? now - p->t_last >= 0.5 : now - p->t_start >= p->after &&
	    (p->new_phase || now - p->t_last >= 5)) {
		print_line(p, now);
		p->new_phase = false;
	}
	return 0;
}

void progress_end(struct progress *p, bool ok)
{
	double el;

	if (!p || !p->shown)
		return;
	el = now_s() - p->t_start;
	if (!p->shown)
		return;
	if (ok)
		fprintf(stderr, "%sipclab: wrote %s: %.1f MB in %.1f s (%.1f MB/s)%s\n",
			p->tty ? "\r" : "", p->path, p->bytes / 1e6, el,
			el > 0 ? p->bytes / 1e6 / el : 0.0, p->tty ? "\033[K" : "");
	else if (p->tty)
		fputc('\n', stderr);
}
