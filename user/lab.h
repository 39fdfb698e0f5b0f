/*
 * lab.h - a lab's claims file judged on the trace ipclab has just made: `trace --claims FILE`
 * and `run --lab DIR` (docs/writing-a-lab.md).  The verdicts go into the trace's claims
 * array (each with "source": the claims file's name) before the trace gets its name, so the
 * trace is complete, with its verdicts, or absent.
 */
#ifndef IPCLAB_LAB_H
#define IPCLAB_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include "claimeval.h"
#include "claimlang.h"
#include "outfile.h"
#include "run.h"

struct lab_judge {
	const char *path;	/* the claims file as named (the table's title) */
	const char *source;	/* its base name: each stored claim's "source" */
	const char *lab;	/* run --lab: the lab's NAME (meta.lab), else NULL */
	struct cl_file claims;
	struct ce_result *res;	/* one per claim, once judged */
	size_t nevents;
	bool judged;
};

/* Parse the claims file at path; a bad one: one line on stderr. 0 or the exit status. */
int lab_judge_open(struct lab_judge *j, const char *path);
void lab_judge_close(struct lab_judge *j);
/*
 * scratch: the finished trace, plain JSON, not yet committed.  Judge it, write path (gzip
 * when it ends in .gz) as the same trace with the verdicts in its claims array, commit it
 * and discard scratch.  Memory does not grow with the trace (a streaming copy).  Returns 0,
 * or an exit status after one line on stderr (then nothing is written).
 */
int lab_judge_commit(struct lab_judge *j, struct out_file *scratch, const char *path,
		     const struct run_user *u);

/* `trace --claims`: o->claims judged on the trace of argv, the table printed. */
int lab_trace(char *const argv[], struct run_opts *o);
/* `run --lab DIR`: build DIR's program, trace it, judge it by DIR's claims. */
int lab_run(struct run_opts *o);

#endif
