/* export.h - the JSON trace (docs/trace-format.md), streamed with libjson-c. */
#ifndef IPCLAB_EXPORT_H
#define IPCLAB_EXPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>
#include "attach.h"
#include "claims.h"
#include "outfile.h"
#include "progress.h"
#include "scenarios.h"
#include "spool.h"
#include "timeline.h"

#define TRACE_FORMAT "ipclab-trace"
#define TRACE_VERSION 1
#define TRACE_SKIPPED_MAX 16

struct trace_meta {
	char kernel[128];
	char machine[64];
	enum ipclab_tier tier;
	struct probe_syms syms;		/* the functions the probes resolved (attach.h) */
	__u64 start_realtime_ns;	/* wall clock at trace start */
	__u64 t0;			/* CLOCK_MONOTONIC at trace start */
	char command[1024];
	const struct scenario *scenario;	/* NULL for `ipclab trace` */
	const char *lab;		/* run --lab: the lab's NAME, or NULL */
	const char *claims_file;	/* trace --claims, run --lab: the claims file's base name */
	__u64 dropped;			/* ring buffer full: records lost in the kernel */
	struct prog_skips skipped[TRACE_SKIPPED_MAX];	/* programs the kernel skipped (in dropped) */
	int nskipped;
	__u64 recovered;		/* records a stand-in or another probe made for them */
	__u64 skips_dropped;		/* the skipped runs counted in dropped (not in the trace) */
	__u64 lost;			/* spool out of memory: records lost in the loader */
	bool interrupted;
	const char *end_reason;		/* "exited", "interrupted", "timeout" */
	long page_size;
	bool fault_perf;		/* faults from the page-fault perf event (arm64) */
	bool stand_ins;			/* sys_enter/sys_exit attached three times */
	bool preemptible;		/* the kernel can preempt a task inside a program */
	const char *preempt_source;	/* what said so; NULL: not known (replay) */
	const char *bpf_build;		/* build_key(); NULL: not known (replay) */
	/* The optional programs that attached (struct mech_program needs/unless): a
	 * mechanism's meta.probes says which of its tracepoints this kernel has. */
#define TRACE_OPTIONAL_MAX 16
	const char *optional[TRACE_OPTIONAL_MAX];
	int n_optional;
};

/* Did the optional program named prog attach while this trace was recorded? */
bool meta_attached(const struct trace_meta *m, const char *prog);

/* Text a traced program or the kernel supplied, for a JSON value: printable ASCII kept, the
 * rest dotted, at most max bytes (docs/trace-format.md, "Text from traced programs"). */
json_object *trace_text(const char *s, size_t max);
/* The same for ipclab's own Chinese text (a claim's detail_zh): its UTF-8 kept. */
json_object *trace_text_utf8(const char *s, size_t max);
json_object *event_to_json(const struct timeline *tl, const struct tl_event *te);
json_object *meta_to_json(const struct trace_meta *m, size_t nevents, size_t invalid);
/* Write the whole trace to an open stream; 0 or -errno. */
int export_trace(FILE *f, const struct trace_meta *m, const struct timeline *tl,
		 const struct claim_set *cs);
/*
 * The same trace from a spilled spool (no claims), in bounded memory: runs merged and
 * resolved through a window (tl_stream) twice, first for the header, then to print the
 * events into of.  Sets m->lost.  0 or -errno; -EINTR when a stop signal arrived after
 * progress_start(pr) (the file is then incomplete: discard it).
 */
int export_trace_stream(struct out_file *of, struct trace_meta *m, struct spool *sp,
			struct progress *pr, size_t *nevents);

#endif
