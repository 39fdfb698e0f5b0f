/*
 * mechanism.h - what an IPC mechanism (mech/NAME/) gives the core.
 *
 * The core names no mechanism: it reaches each through this structure, listed once in
 * mech/registry.c.  See mech/README.md for what a mechanism's folder holds.
 */
#ifndef IPCLAB_MECHANISM_H
#define IPCLAB_MECHANISM_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>
#include "scenarios.h"
#include "timeline.h"

struct jb;		/* an event's JSON line being printed (event_print.h) */
struct chrome_span;	/* what the Chrome export draws for one event (chrome.h) */
struct trace_meta;	/* the trace's meta (export.h) */
struct btf;
struct tracer;		/* a tier loaded and attached (attach.h) */
struct probe_syms;	/* the kernel functions the probes resolved (attach.h) */

/* Where `ipclab doctor` asks a mechanism for its lines (doctor_lines). */
enum doctor_part {
	DOCTOR_BTF,		/* after "kernel BTF": the kernel functions it probes */
	DOCTOR_FEATURES,	/* among the kernel's features, after the core's BPF ones */
	DOCTOR_FEATURES_LATE,	/* the last features, after the core's "return probes" */
	DOCTOR_ALWAYS,		/* after "always (every tier)": probes every tier attaches */
};

/* What the core found, for doctor_lines. */
struct doctor_facts {
	const struct btf *btf;	/* the kernel's BTF (DOCTOR_BTF and the features) */
	int fault_perf;		/* DOCTOR_ALWAYS: the fault hook of the tiers that attached
				 * (struct tracer's fault_perf), -1 when none attached */
};

/*
 * How a mechanism's own records and objects appear in a trace: the JSON trace
 * (docs/trace-format.md), and the Chrome export made from it, and its lines in `ipclab
 * doctor`.  The core handles the records it knows itself (syscalls, blocking, processes)
 * and asks the mechanisms for the rest (signals: mech/signal), in registry order; every hook
 * is optional.
 */
struct mech_trace_ops {
	/* The record types (enum ipclab_event_type) this mechanism prints, 0-terminated. */
	const __u16 *event_types;
	/* false: they are spans ("dur" even when it is 0); true: instants ("dur" only when
	 * it is not 0: a fault, a page entering the page cache). */
	bool instants;
	/* A syscall record with this flag (EVF_*) set carries this mechanism's state in sc
	 * (the union with sc.pipe); 0: none. */
	__u16 syscall_flag;
	/* The syscalls (NR_*, -1-terminated) whose records are this mechanism's whatever
	 * their flags (mmap and munmap: the mapping), asked before syscall_flag. */
	const int *syscall_nrs;
	/* A syscall record on an object with no other mechanism's syscall or flag carries
	 * this mechanism's state (sc.pipe: the core's sys_enter/sys_exit samples pipes). */
	bool syscall_default;
	/* Print one of event_types from "type" on; "t", "dur", "pid", "tid" are printed. */
	void (*event_json)(struct jb *b, const struct timeline *tl, const struct tl_event *te);
	/* Print what follows "ret" and "path" in any syscall event, before "stat_type" and
	 * "obj" (pipe and pipe2's "fds"); asked of every mechanism, may print nothing. */
	void (*syscall_head_json)(struct jb *b, const struct timeline *tl,
				  const struct tl_event *te);
	/* Print what follows "obj" in a syscall event this mechanism's (syscall_nrs,
	 * syscall_flag, syscall_default; may print nothing). */
	void (*syscall_json)(struct jb *b, const struct timeline *tl, const struct tl_event *te);
	/* The object as its JSON value, or NULL when its kind is not this mechanism's
	 * (page_size: meta.page_size, for sizes given in pages). */
	json_object *(*object_json)(const struct tl_object *ob, long page_size);
	/*
	 * `ipclab check` (user/rederive.c): each printer above read back, the record and the
	 * timeline event rebuilt from what it wrote (the jp_* readers of user/event_parse.h).
	 * event_from_json: false when type is not one of its event types.  syscall_from_json:
	 * asked of every mechanism for every syscall event (e and te hold the core's fields),
	 * reads the keys it printed there, if the event is its (in registry order: the
	 * pipe's first).  object_from_json: false when
	 * kind is not its.  meta_from_json: the optional programs its meta.probes keys say
	 * attached (m->optional).
	 */
	bool (*event_from_json)(json_object *ev, const char *type, const struct timeline *tl,
				struct ipclab_event *e, struct tl_event *te);
	void (*syscall_from_json)(json_object *ev, const struct timeline *tl,
				  struct ipclab_event *e, struct tl_event *te);
	bool (*object_from_json)(json_object *o, const char *kind, struct tl_object *ob,
				 long page_size);
	void (*meta_from_json)(json_object *probes, struct trace_meta *m);
	/* Once every event is read: what only later events tell (recs[i] is tl->ev[i]'s
	 * record, writable). */
	void (*events_from_json_done)(struct timeline *tl, struct ipclab_event *recs);
	/* Chrome export: true when ev (its "type" given) is this mechanism's, with s filled. */
	bool (*chrome_span)(json_object *ev, const char *type, struct chrome_span *s);
	/* Chrome export: the name of an instant event (one without "dur") of this
	 * mechanism's; false when type is not its. */
	bool (*chrome_instant_name)(json_object *ev, const char *type, char *name, size_t n);
	/* Chrome export: does a read from this object's queue take one whole write (a
	 * datagram: what the reader did not take is dropped) rather than bytes of a stream? */
	bool (*chrome_whole_reads)(json_object *obj);
	/* meta.probes: add this mechanism's probes, as the tier (m->tier) made them
	 * ({"tier": ..., "symbol": ...} per key, docs/trace-format.md). */
	void (*probes_json)(json_object *probes, const struct trace_meta *m);
	/* Its meta.probes keys come before the core's ("syscalls", "blocking", ...): the
	 * pipe's, first in meta.probes since the format began (traces stay byte-identical). */
	bool probes_first;
	/* ipclab doctor: this mechanism's lines at one place of the report (doctor_line()). */
	void (*doctor_lines)(enum doctor_part part, const struct doctor_facts *d);
	/* ipclab doctor: what this tier attaches for this mechanism (tr: the tier, loaded);
	 * false: nothing of its own. */
	bool (*doctor_tier)(const struct tracer *tr, char *buf, size_t n);
};

/*
 * How a mechanism's records become the timeline's objects (user/timeline.c): the timeline
 * hands each record to the mechanism whose event_types hold its type, and each syscall
 * record to the mechanism mech_of_syscall() names; everything else (processes, blocking)
 * is the core's.  What a hook may call is in user/timeline_mech.h.
 */
struct mech_timeline_ops {
	/* The record types it resolves, 0-terminated (its trace ops' event_types and any
	 * it merges away). */
	const __u16 *event_types;
	/* Its own lookup state for one timeline (state_size bytes, zeroed at the start;
	 * state_free frees what it holds, not the state itself). */
	size_t state_size;
	void (*state_free)(void *state);
	/* Could the kernel have written this record of its?  (Sizes a trace cannot hold.) */
	bool (*possible)(const struct ipclab_event *e);
	/* Set te->obj (and peer, page, write...) of one of its records or syscall records. */
	void (*resolve)(struct timeline *tl, struct tl_event *te, void *state);
	void (*resolve_syscall)(struct timeline *tl, struct tl_event *te, void *state);
	/* A record judged by the records after it (within TL_WINDOW): looks_ahead says
	 * whether te is one; look_ahead is then called with each later record in order until
	 * it returns < 0. */
	bool (*looks_ahead)(const struct timeline *tl, const struct tl_event *te);
	int (*look_ahead)(const struct timeline *tl, struct tl_event *te,
			  const struct tl_event *later);
	/* Records that are not events of their own: each is offered to the events before it
	 * (newest first, within TL_WINDOW) until merge() takes it, then dropped. */
	bool (*merged)(const struct ipclab_event *e);
	bool (*merge)(struct tl_event *earlier, const struct tl_event *r);
};

/*
 * One function probe of a mechanism: a BPF program (by its name in the object) the fentry or
 * kprobe tier attaches to a kernel function.  The function is either fixed, probed only when
 * kernel BTF has it, or found per kernel by the mechanism's resolve() under a role (pipe_read
 * is anon_pipe_read from 6.15); a role resolved to "" is not probed.
 */
struct mech_probe {
	enum ipclab_tier tier;		/* TIER_FENTRY or TIER_KPROBE */
	bool ret;			/* the exit side: fexit, kretprobe (maxactive, attach.c) */
	const char *prog;		/* the BPF program */
	const char *func;		/* a fixed kernel function, or NULL: */
	const char *role;		/* the one resolve() recorded under this role */
	bool made_up;			/* a skipped run's record is made elsewhere (the other probe,
					 * sys_exit): not counted lost (tracer_skips_dropped()) */
};

/*
 * A program attached as its section says (a tracepoint, or a probe of one fixed kernel
 * function), on every tier or on one.  Attached in list order: a stand-in copy after its
 * first copy.  An optional one needs a tracepoint older kernels lack; where it did not attach
 * the trace says so (tracer_attached(), meta_attached()).
 */
struct mech_program {
	const char *prog;		/* the BPF program */
	enum ipclab_tier only;		/* TIER_AUTO: every tier */
	const char *needs;		/* btf_trace_* typedef that must exist, or NULL */
	const char *unless;		/* btf_trace_* typedef whose program replaces this one */
	const char *retprobe_func;	/* a kretprobe: attached with maxactive (attach.c) */
	/* A first copy whose stand-in (NAME_stand_in) and it count works and clears under
	 * this `recovered` key (enum ipclab_recovered, pair_done()); 0: none. */
	unsigned int pair_works;
	/* A stand-in copy needed only where the kernel preempts tasks inside programs
	 * (kernel_preempts_programs(), user/preempt.c), or where tests emulate skips. */
	bool for_preemption;
};

#define MECH_PROG(name) { .prog = (name), .only = TIER_AUTO }
#define MECH_PROG_TIER(name, tier) { .prog = (name), .only = (tier) }
#define MECH_PROG_NEEDS(name, tp) { .prog = (name), .only = TIER_AUTO, .needs = (tp) }
#define MECH_PROG_PREEMPTION(name) { .prog = (name), .only = TIER_AUTO, .for_preemption = true }
#define MECH_PROG_PAIR(name, tier, tp, key) \
	{ .prog = (name), .only = (tier), .needs = (tp), .pair_works = (key) }

struct mech_probes {
	const struct mech_probe *rows;
	size_t n_rows;
	const struct mech_program *programs;
	size_t n_programs;
	/*
	 * A perf_event program on the software page-fault event, one per CPU, taken instead
	 * of the programs that need the tracepoint typedef `fault_perf_instead_of` where this
	 * kernel lacks it (arm64), or IPCLAB_FAULT_HOOK=perf (the tests compare both on x86).
	 */
	const char *fault_perf_prog;
	const char *fault_perf_instead_of;
	/* Record this kernel's functions by role (probe_sym_set(), attach.h): 0, or -errno
	 * with why in err (no probe tier can run without them).  NULL: fixed names only. */
	int (*resolve)(const struct btf *btf, struct probe_syms *syms, char *err, size_t n);
	/* `ipclab run`'s first line: what resolve() found, after "; " ("" for nothing). */
	void (*attached_note)(const struct probe_syms *syms, char *buf, size_t n);
};

struct mechanism {
	const char *name;			/* its folder under mech/, and its scenarios' section */
	const struct scenario *scenarios;	/* in the order `ipclab list` and `run` use */
	size_t n_scenarios;
	const struct mech_trace_ops *trace;	/* NULL: nothing of its own in a trace */
	const struct mech_timeline_ops *timeline;	/* NULL: no objects of its own */
	const struct mech_probes *probes;	/* NULL: no programs of its own */
};

/* mech/registry.c: every mechanism, in the order their scenarios are listed and run. */
extern const struct mechanism *const mechanisms[];
extern const size_t n_mechanisms;

/* user/mechanism.c: the index in mechanisms[] of the mechanism whose trace ops print
 * records of this type, or -1. */
int mech_of_event(__u16 type);
/* The one whose timeline ops resolve records of this type (mech_timeline_ops.event_types),
 * or -1: the core's own. */
int mech_of_record(__u16 type);
/* A syscall record's: by its syscall (syscall_nrs), its flags, or the default; or -1. */
int mech_of_syscall(int nr, __u16 flags);
/* Their trace ops, or NULL. */
const struct mech_trace_ops *mech_trace_for_event(__u16 type);
const struct mech_trace_ops *mech_trace_for_syscall(int nr, __u16 flags);

/* user/doctor.c: one line of `ipclab doctor`'s report, "  WHAT   " then fmt with a and b. */
void doctor_line(const char *what, const char *fmt, const char *a, const char *b);

#endif
