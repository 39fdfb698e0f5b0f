/* progress.h - what a long write shows on stderr, and whether Ctrl-C asked it to stop. */
#ifndef IPCLAB_PROGRESS_H
#define IPCLAB_PROGRESS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

/* SIGINT/SIGTERM received so far (run.c's handler counts them). */
extern volatile sig_atomic_t ipclab_stop_signals;

struct progress {
	const char *path;		/* the file being written */
	int signals;			/* ipclab_stop_signals when it began */
	bool quiet;
	bool tty;			/* stderr is a terminal: one line, rewritten */
	bool shown;			/* something was printed */
	bool new_phase;			/* not shown yet */
	double t_start, t_last;		/* seconds (CLOCK_MONOTONIC) */
	double after;			/* no line before (1 s; IPCLAB_PROGRESS_AFTER) */
	unsigned long long done, total;	/* of the current phase */
	unsigned long long bytes;	/* written to the file */
	const char *phase;		/* "sorting", "resolving", "writing" */
};

/* Begin: a signal that arrives from now on cancels (the one that ended the recording
 * does not). */
void progress_start(struct progress *p, const char *path, bool quiet);
void progress_phase(struct progress *p, const char *phase, unsigned long long total);
/* Note progress, print it now and then; -EINTR once a new stop signal arrived. */
int progress_step(struct progress *p, unsigned long long done, unsigned long long bytes);
bool progress_cancelled(const struct progress *p);
/* The last line (only if something was shown), with the average rate. */
void progress_end(struct progress *p, bool ok);

#endif
