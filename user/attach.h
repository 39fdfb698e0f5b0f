/* attach.h - choose a probe tier, resolve kernel symbols, load and attach the probes. */
#ifndef IPCLAB_ATTACH_H
#define IPCLAB_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>
#include "ipclab.h"

struct btf;

/*
 * Kernel functions the mechanisms resolved for their probes on this kernel (from BTF, never
 * hard-coded: pipe_read or anon_pipe_read), each under the role its probe rows name
 * (struct mech_probe in mechanism.h).  Kept for meta.probes, doctor and run's first line.
 */
#define PROBE_SYMS_MAX 8
struct probe_syms {
	struct {
		char role[24];
		char func[64];	/* "": none on this kernel */
	} s[PROBE_SYMS_MAX];
	int n;
};

/* The function resolved for a role; "" when none was. */
const char *probe_sym(const struct probe_syms *ps, const char *role);
/* Record (or replace) a role's function; -E2BIG when the table is full. */
int probe_sym_set(struct probe_syms *ps, const char *role, const char *func);
bool btf_has_func(const struct btf *btf, const char *name);
bool btf_has_typedef(const struct btf *btf, const char *name);
bool btf_has_enum_value(const struct btf *btf, const char *type, const char *value);
const char *tier_name(enum ipclab_tier tier);
int tier_parse(const char *s, enum ipclab_tier *out);

struct ipclab_bpf;
struct ring_buffer;
struct bpf_link;

#define TRACER_PROGS_MAX 96	/* more programs than bpf/ipclab.bpf.c has */

/*
 * The builds of the BPF object (CMakeLists.txt), one chosen per kernel: the main one
 * (5.12+), the one without BPF atomics (5.10, 5.11) and the direct-load one (6.2+:
 * bpf_rdonly_cast, kernel fields read with plain loads).  IPCLAB_NO_DIRECT_LOADS (tests)
 * keeps the main one where the direct one would load.
 */
enum bpf_build { BUILD_MAIN, BUILD_LEGACY, BUILD_DIRECT };

const char *build_name(enum bpf_build build);	/* said when the probes attach */
const char *build_key(enum bpf_build build);	/* meta.bpf_build */

struct tracer {
	struct ipclab_bpf *skel;
	enum ipclab_tier tier;			/* the tier that attached */
	struct probe_syms syms;			/* the mechanisms' resolved functions */
	char tier_error[4][512];		/* why a tier was not used, by enum value */
	size_t buffer_bytes;
	bool bpf_atomics;			/* false: the object without atomics is loaded */
	enum bpf_build build;			/* the build loaded */
	char direct_error[256];			/* why the direct-load build was refused */
	bool emulate_old_kernel;		/* IPCLAB_EMULATE_OLD_KERNEL: as on 5.10 */
	unsigned int emulate_skips;		/* IPCLAB_EMULATE_SKIPS (tests) */
	bool retprobe_maxactive;		/* return probes made through tracefs */
	bool stand_ins;				/* the syscall programs' stand-in copies
						 * (kernel_preempts_programs()) */
	bool preemptible;			/* kernel_preempts_programs()'s answer */
	const char *preempt_source;		/* and what gave it */
	int n_retprobe_events;
#define RETPROBE_EVENTS_MAX 16
	char retprobe_events[RETPROBE_EVENTS_MAX][32];	/* their names, removed at close */
	bool fault_perf;			/* faults from the page-fault perf event, not the
						 * x86 exception tracepoints */
	struct bpf_link **fault_links;		/* its programs, one per online CPU */
	int nfault_links;
	__u64 skipped_base[TRACER_PROGS_MAX];	/* per program: runs skipped before this recording */
};

/* Runs of one program the kernel skipped during a recording (meta.skipped). */
struct prog_skips {
	char name[32];		/* the BPF program's name */
	__u64 runs;
};

/*
 * Load and attach. TIER_AUTO tries fentry, kprobe, then tracepoint; a forced tier that
 * cannot attach fails. Returns 0 or -errno; `err` says why in one line.
 */
int tracer_open(struct tracer *t, enum ipclab_tier want, size_t buffer_bytes,
		const char *btf_path, char *err, size_t errlen);
void tracer_close(struct tracer *t);
int tracer_track(struct tracer *t, pid_t pid);		/* held launch: pending until exec */
int tracer_tracked(struct tracer *t);			/* processes still alive in the tree */
void tracer_forget_all(struct tracer *t);
int tracer_forget_gone(struct tracer *t);		/* tracked but reaped: exit record lost */
void tracer_kill_tracked(struct tracer *t, int sig);	/* every process in the traced tree */
/* Records dropped since tracer_reset_dropped(), probe runs the kernel skipped included. */
__u64 tracer_dropped(struct tracer *t);
void tracer_reset_dropped(struct tracer *t);
/* Records a stand-in or another probe made for a skipped program run (meta.recovered). */
__u64 tracer_recovered(struct tracer *t);
/* The skipped runs in tracer_dropped(): of programs nothing stands in for. */
__u64 tracer_skips_dropped(struct tracer *t);
/* The programs with skipped runs since tracer_reset_dropped(), at most max; their count. */
int tracer_skipped(struct tracer *t, struct prog_skips *out, int max);
int tracer_collect_batches(struct tracer *t, int (*on_batch)(void *, void *, size_t), void *ctx);
/* The core's own program rows (the mechanisms' are in struct mech_probes). */
const struct mech_program *tracer_core_programs(size_t *n);
/* Did this BPF program (by name) load and attach? */
bool tracer_attached(const struct tracer *t, const char *prog);
/* The names of the optional programs (struct mech_program needs/unless) that attached. */
int tracer_optional_attached(const struct tracer *t, const char **names, int max);
int tracer_events_fd(struct tracer *t);

/* Does the verifier accept BPF atomics (Linux 5.12+)?  Without, the legacy object loads. */
bool kernel_has_bpf_atomics(void);
/* A kernel without preemption: kretprobes follow only as many calls at once as CPUs. */
bool kretprobe_default_is_ncpus(void);
const void *ipclab_legacy_elf_bytes(size_t *sz);	/* skel_builds.c */
const void *ipclab_direct_elf_bytes(size_t *sz);	/* skel_builds.c */

/* Mount tracefs at /sys/kernel/tracing when it is not (legacy kprobes need it). */
int ensure_tracefs(bool *mounted_now);
bool tracefs_mounted(void);

#endif
