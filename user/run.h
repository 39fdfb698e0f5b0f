/* run.h - record scenarios and commands: the loader's main loop. */
#ifndef IPCLAB_RUN_H
#define IPCLAB_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include "attach.h"
#include "scenarios.h"

/* Exit codes (README, `ipclab --help`). */
enum ipclab_exit {
	EXIT_OK = 0,
	EXIT_CLAIMS_FAILED = 1,	/* run: a claim failed; trace: the command failed */
	EXIT_USAGE = 2,
	EXIT_PRIVILEGE = 3,
	EXIT_KERNEL = 4,	/* no BTF, no tier can attach, forced tier unavailable */
	EXIT_OUTPUT = 5,
	EXIT_LAUNCH = 6,	/* the program to trace could not be started */
	EXIT_INPUT = 7,		/* a trace to read is missing, not JSON, or not one we read */
	EXIT_NOMEM = 8,		/* out of memory (never reported as a bad input) */
	EXIT_BUILD = 9,		/* run --lab: the lab's program did not compile */
	EXIT_TIMEOUT = 124,
	EXIT_INTERRUPTED = 130,
};

#define RUN_SIZES_MAX 8

struct lab_judge;

struct run_opts {
	enum ipclab_tier tier;
	size_t buffer_bytes;
	const char *btf_path;
	const char *out;	/* run: directory; trace: file */
	double timeout_s;	/* 0: none */
	bool quiet;
	bool chrome;		/* export: Chrome Trace Event Format */
	bool html;		/* run/trace: also a self-contained HTML report */
	bool gzip;		/* run: SCENARIO.json.gz (trace/replay: -o ending in .gz) */
	const char *save_spool;	/* trace: keep the raw records (for replay/benchmarks) */
	/* run: the message sizes a scenario's "{sizes}" stands for, space-separated bytes
	 * (compare); "" for the program's own default */
	char sizes[RUN_SIZES_MAX * 8];
	bool zh;		/* run --lang zh: the claims table in Chinese */
	unsigned int port;	/* view --port: 1..65535; 0: a free one */
	const char *claims;	/* check/trace --claims: a claims file judged on each trace */
	const char *lab;	/* run --lab: the lab's directory */
	/* trace --claims, run --lab: judges the finished trace and writes it (lab.h) */
	struct lab_judge *judge;
	enum { SUMMARY_NONE, SUMMARY_CSV, SUMMARY_MD } summary;	/* check --summary */
};

int run_scenarios(const struct scenario *const *list, size_t n, const struct run_opts *o);
int trace_command(char *const argv[], const struct run_opts *o);
/*
 * trace_command() but for the traced command's status: 0 with *status its wait status once
 * the trace is written (o->judge: judged), or the exit status that ended it (124 and 130
 * with the trace written).
 */
int trace_program(char *const argv[], const struct run_opts *o, int *status);
/* A wait status as trace's exit status: EXIT_OK, or EXIT_CLAIMS_FAILED and a line saying why */
int trace_exit_status(const char *what, int st);
/* Build the JSON trace from a saved spool, timed; returns an exit code. */
int replay_spool(const char *spool, const struct run_opts *o);
/* One line on stderr when not root nor CAP_BPF+CAP_PERFMON; returns EXIT_PRIVILEGE or 0. */
int require_privileges(void);
/* Directory of the ipclab binary's workloads (IPCLAB_WORKLOADS overrides). */
const char *workloads_dir(void);

#endif
