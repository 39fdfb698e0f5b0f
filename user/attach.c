// SPDX-License-Identifier: GPL-2.0
/* attach.c - pick a probe tier, load the skeleton and attach its programs. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <linux/perf_event.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include "attach.h"
#include "ipclab.skel.h"
#include "mechanism.h"
#include "preempt.h"

/* libbpf's own messages: kept for the one-line error, printed with IPCLAB_DEBUG=1. */
static char libbpf_last[400];
static bool precheck_said;	/* libbpf_last is tier_precheck()'s, not libbpf's */

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[512];
	va_list copy;

	va_copy(copy, ap);
	if (getenv("IPCLAB_DEBUG"))
		vfprintf(stderr, fmt, copy);	/* whole verifier logs, not one line */
	va_end(copy);
	vsnprintf(line, sizeof(line), fmt, ap);
	if (level <= LIBBPF_WARN && line[0]) {
		const char *msg = strncmp(line, "libbpf: ", 8) ? line : line + 8;

		line[strcspn(line, "\n")] = 0;
		/* the first failure explains; the later ones only say "failed to load" */
		if (!libbpf_last[0])
			snprintf(libbpf_last, sizeof(libbpf_last), "%s", msg);
	}
	return 0;
}

/*
 * The mechanisms' function probes (struct mech_probes, mech/NAME/probes.c), one flat list of
 * rows over the registry.
 */
static size_t n_probe_rows(void)
{
	size_t n = 0;

	for (size_t i = 0; i < n_mechanisms; i++)
		n += mechanisms[i]->probes ? mechanisms[i]->probes->n_rows : 0;
	return n;
}

static const struct mech_probe *probe_row(size_t k)
{
	for (size_t i = 0; i < n_mechanisms; i++) {
		const struct mech_probes *p = mechanisms[i]->probes;

		if (p && k < p->n_rows)
			return &p->rows[k];
		k -= p ? p->n_rows : 0;
	}
	return NULL;
}

/* The skeleton's entry for a program, by name: the same in the object without atomics. */
static const struct bpf_prog_skeleton *skel_prog(const struct ipclab_bpf *s, const char *name)
{
	const struct bpf_object_skeleton *sk = s->skeleton;

	for (int i = 0; i < sk->prog_cnt; i++) {
		const struct bpf_prog_skeleton *p = (const void *)((const char *)sk->progs +
								    (size_t)i * sk->prog_skel_sz);

		if (!strcmp(p->name, name))
			return p;
	}
	return NULL;
}

static struct bpf_program *row_prog(struct ipclab_bpf *s, const struct mech_probe *r)
{
	const struct bpf_prog_skeleton *p = skel_prog(s, r->prog);

	return p ? *p->prog : NULL;
}

/* Where the skeleton keeps the row's link: destroyed with the skeleton. */
static struct bpf_link **row_link(struct ipclab_bpf *s, const struct mech_probe *r)
{
	return skel_prog(s, r->prog)->link;
}

/* The kernel function a row probes here; "" for none. */
static const char *row_symbol(const struct probe_syms *sy, const struct mech_probe *r)
{
	return r->func ? r->func : probe_sym(sy, r->role);
}

/* Every mechanism's per-kernel function names (struct mech_probes' resolve()). */
static int resolve_probe_syms(struct probe_syms *sy, const struct btf *btf, char *err,
			      size_t errlen)
{
	memset(sy, 0, sizeof(*sy));
	for (size_t i = 0; i < n_mechanisms; i++) {
		const struct mech_probes *p = mechanisms[i]->probes;
		int ret = p && p->resolve ? p->resolve(btf, sy, err, errlen) : 0;

		if (ret)
			return ret;
	}
	return 0;
}

/* Enable only the chosen tier's function probes, aimed at this kernel's functions; a
 * mechanism's fixed function this kernel's BTF lacks is not probed. */
static int select_programs(struct ipclab_bpf *s, enum ipclab_tier tier,
			   const struct probe_syms *sy, const struct btf *btf)
{
	for (size_t i = 0; i < n_probe_rows(); i++) {
		const struct mech_probe *r = probe_row(i);
		struct bpf_program *prog = row_prog(s, r);
		const char *sym = row_symbol(sy, r);
		bool on = r->tier == tier && sym[0] && (!r->func || btf_has_func(btf, r->func));
		int err;

		if (!prog) {	/* a row naming no program of bpf/ and mech/'s .bpf.c files */
			snprintf(libbpf_last, sizeof(libbpf_last), "no BPF program %s", r->prog);
			return -ENOENT;
		}
		bpf_program__set_autoload(prog, on);
		if (on && tier == TIER_FENTRY) {
			err = bpf_program__set_attach_target(prog, 0, sym);
			if (err)
				return err;
		}
	}
	return 0;
}

/*
 * Return probes on kernels built without preemption.  A kretprobe follows at most
 * `maxactive` calls at once, and the kernel's default there was the number of CPUs
 * (kernel/kprobes.c until the default became max(10, 2 * CPUs) everywhere): on 5.10 with 2
 * CPUs, when three writers slept in pipe_write the third one's return was lost, silently
 * (pipe_atomic: 47 of 48 writes).  The kprobe PMU always takes the default; a return probe
 * made through tracefs's kprobe_events takes a maxactive, so there ipclab makes its own.
 * Preemptible kernels (uname -v says PREEMPT, as Debian's 6.1 and 6.12) keep the PMU.
 */
#define RETPROBE_MAXACTIVE 1024	/* tasks asleep in one probed function at once */

bool kretprobe_default_is_ncpus(void)
{
	struct utsname u;

	return uname(&u) == 0 && !strstr(u.version, "PREEMPT");
}

static int kprobe_events_write(const char *line)
{
	int fd = open("/sys/kernel/tracing/kprobe_events", O_WRONLY | O_APPEND | O_CLOEXEC);
	ssize_t n;
	int err = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, line, strlen(line));
	if (n != (ssize_t)strlen(line))
		err = n < 0 ? -errno : -EIO;
	close(fd);
	return err;
}

static int read_event_id(const char *name)
{
	char path[256], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/tracing/events/ipclab/%s/id", name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return buf[0] ? atoi(buf) : -EINVAL;
}

/* The tracefs return probes this tracer made, removed once their links are gone. */
static void remove_retprobe_events(struct tracer *t)
{
	char line[96];

	for (int i = 0; i < t->n_retprobe_events; i++) {
		snprintf(line, sizeof(line), "-:ipclab/%s\n", t->retprobe_events[i]);
		kprobe_events_write(line);
	}
	t->n_retprobe_events = 0;
}

static struct bpf_link *attach_retprobe_tracefs(struct tracer *t, struct bpf_program *prog,
						const char *sym)
{
	static int seq;
	struct perf_event_attr attr = { .size = sizeof(attr), .type = PERF_TYPE_TRACEPOINT,
					 .sample_period = 1, .wakeup_events = 1 };
	struct bpf_link *link;
	char *name, line[192];
	bool mounted;
	int id, pfd, err;

	if (t->n_retprobe_events >= RETPROBE_EVENTS_MAX) {
		errno = E2BIG;
		return NULL;
	}
	name = t->retprobe_events[t->n_retprobe_events];
	ensure_tracefs(&mounted);
	snprintf(name, sizeof(t->retprobe_events[0]), "ipclab_%d_%d", (int)getpid(), seq++);
	snprintf(line, sizeof(line), "r%d:ipclab/%s %s\n", RETPROBE_MAXACTIVE, name, sym);
	err = kprobe_events_write(line);
	if (err) {
		errno = -err;
		return NULL;
	}
	t->n_retprobe_events++;
	id = read_event_id(name);
	if (id < 0) {
		errno = -id;
		return NULL;
	}
	attr.config = id;
	pfd = syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		return NULL;
	link = bpf_program__attach_perf_event(prog, pfd);
	if (!link) {
		err = errno;
		close(pfd);
		errno = err;
	}
	return link;
}

static struct bpf_link *attach_retprobe(struct tracer *t, struct bpf_program *prog,
					const char *sym)
{
	if (t->retprobe_maxactive)
		return attach_retprobe_tracefs(t, prog, sym);
	return bpf_program__attach_kprobe(prog, true, sym);
}

static int attach_kprobes(struct tracer *t, struct ipclab_bpf *s, const struct probe_syms *sy)
{
	for (size_t i = 0; i < n_probe_rows(); i++) {
		const struct mech_probe *r = probe_row(i);
		struct bpf_program *prog = row_prog(s, r);
		const char *sym = row_symbol(sy, r);
		struct bpf_link *link;

		if (r->tier != TIER_KPROBE || !sym[0] || !bpf_program__autoload(prog))
			continue;
		link = r->ret ? attach_retprobe(t, prog, sym) :
				bpf_program__attach_kprobe(prog, false, sym);
		if (!link)
			return -errno;
		*row_link(s, r) = link;
	}
	return 0;
}

/*
 * The core's programs, attached on every tier before the mechanisms' (struct mech_program,
 * mech/NAME/probes.c).  The stand-in copies (bpf/ipclab.bpf.c) come after their first copy,
 * so they run after it on every hit.
 */
static const struct mech_program core_programs[] = {
	MECH_PROG("sys_enter"), MECH_PROG("sys_exit"),
	MECH_PROG("sched_switch"), MECH_PROG("sched_waking"),
	MECH_PROG_PAIR("sched_process_fork", TIER_AUTO, NULL, RECOVERED_FORK_WORKS),
	MECH_PROG_PAIR("sched_process_exec", TIER_AUTO, NULL, RECOVERED_EXEC_WORKS),
	MECH_PROG_PAIR("sched_process_exit", TIER_AUTO, NULL, RECOVERED_EXIT_WORKS),
	MECH_PROG_PAIR("task_rename", TIER_AUTO, NULL, RECOVERED_RENAME_WORKS),
	/* interrupt nesting: exits first, so an interrupt in flight while attaching can only
	 * lose an entry (ignored), never leave the per-CPU depth stuck above zero */
	MECH_PROG("irq_exit"), MECH_PROG("softirq_exit"), MECH_PROG("hrtimer_exit"),
	MECH_PROG("irq_enter"), MECH_PROG("softirq_enter"), MECH_PROG("hrtimer_enter"),
	MECH_PROG_PREEMPTION("sys_enter_stand_in"), MECH_PROG_PREEMPTION("sys_exit_stand_in"),
	MECH_PROG_PREEMPTION("sys_enter_stand_in2"), MECH_PROG_PREEMPTION("sys_exit_stand_in2"),
	MECH_PROG("sched_process_fork_stand_in"),
	MECH_PROG("sched_process_exec_stand_in"),
	MECH_PROG("sched_process_exit_stand_in"),
	MECH_PROG("task_rename_stand_in"),
};

#define N_CORE_PROGRAMS (sizeof(core_programs) / sizeof(core_programs[0]))

const struct mech_program *tracer_core_programs(size_t *n)
{
	*n = N_CORE_PROGRAMS;
	return core_programs;
}

/* Every program row: the core's, then each mechanism's in registry order. */
static size_t n_program_rows(void)
{
	size_t n = N_CORE_PROGRAMS;

	for (size_t i = 0; i < n_mechanisms; i++)
		n += mechanisms[i]->probes ? mechanisms[i]->probes->n_programs : 0;
	return n;
}

static const struct mech_program *program_row(size_t k)
{
	if (k < N_CORE_PROGRAMS)
		return &core_programs[k];
	k -= N_CORE_PROGRAMS;
	for (size_t i = 0; i < n_mechanisms; i++) {
		const struct mech_probes *p = mechanisms[i]->probes;

		if (p && k < p->n_programs)
			return &p->programs[k];
		k -= p ? p->n_programs : 0;
	}
	return NULL;
}

/* The mechanism's page-fault perf hook (struct mech_probes), or NULL. */
static const struct mech_probes *fault_perf_owner(void)
{
	for (size_t i = 0; i < n_mechanisms; i++)
		if (mechanisms[i]->probes && mechanisms[i]->probes->fault_perf_prog)
			return mechanisms[i]->probes;
	return NULL;
}

/* IPCLAB_FAULT_HOOK=perf takes the perf event where the tracepoint exists too (tests). */
static bool fault_perf_forced(void)
{
	const char *h = getenv("IPCLAB_FAULT_HOOK");

	return h && !strcmp(h, "perf");
}

static bool program_wanted(const struct tracer *t, const struct mech_program *r,
			   enum ipclab_tier tier, const struct btf *btf, const char *perf_replaces)
{
	if (r->only != TIER_AUTO && r->only != tier)
		return false;
	if (r->for_preemption && !t->stand_ins)
		return false;
	if (r->needs && perf_replaces && !strcmp(r->needs, perf_replaces))
		return false;
	if (r->unless && btf_has_typedef(btf, r->unless))
		return false;
	return !r->needs || btf_has_typedef(btf, r->needs);
}

static struct bpf_program *named_prog(struct ipclab_bpf *s, const char *name)
{
	const struct bpf_prog_skeleton *p = skel_prog(s, name);

	return p ? *p->prog : NULL;
}

/* Enable the programs of this tier and kernel, and the fault perf hook if it is needed. */
static int select_attached(struct tracer *t, struct ipclab_bpf *s, enum ipclab_tier tier,
			   const struct btf *btf)
{
	const struct mech_probes *perf = fault_perf_owner();
	const char *perf_replaces = NULL;
	struct bpf_program *prog;

	t->fault_perf = perf && (fault_perf_forced() ||
				 !btf_has_typedef(btf, perf->fault_perf_instead_of));
	if (t->fault_perf)
		perf_replaces = perf->fault_perf_instead_of;
	for (size_t i = 0; i < n_program_rows(); i++) {
		const struct mech_program *r = program_row(i);

		prog = named_prog(s, r->prog);
		if (!prog) {	/* a row naming no program of bpf/ and mech/'s .bpf.c files */
			snprintf(libbpf_last, sizeof(libbpf_last), "no BPF program %s", r->prog);
			return -ENOENT;
		}
		bpf_program__set_autoload(prog, program_wanted(t, r, tier, btf, perf_replaces));
	}
	if (perf) {
		prog = named_prog(s, perf->fault_perf_prog);
		if (!prog)
			return -ENOENT;
		bpf_program__set_autoload(prog, t->fault_perf);
	}
	return 0;
}

/* A software page-fault counter on one CPU, every task, every fault a sample. */
static int fault_perf_open(int cpu)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_PAGE_FAULTS,
		.sample_period = 1,
		.sample_type = PERF_SAMPLE_ADDR,
	};

	/* kernel-mode faults on user addresses (copy_to_user) count: exclude_kernel stays 0 */
	return syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

/* The fault perf program on every CPU; a possible CPU that is offline has no event (ENODEV). */
static int attach_fault_perf(struct tracer *t)
{
	struct bpf_program *prog = named_prog(t->skel, fault_perf_owner()->fault_perf_prog);
	int ncpu = libbpf_num_possible_cpus();

	if (ncpu <= 0)
		return ncpu ? ncpu : -ENODEV;
	t->fault_links = calloc(ncpu, sizeof(*t->fault_links));
	if (!t->fault_links)
		return -ENOMEM;
	for (int cpu = 0; cpu < ncpu; cpu++) {
		int fd = fault_perf_open(cpu);
		struct bpf_link *link;

		if (fd < 0 && errno == ENODEV)
			continue;
		if (fd < 0) {
			int err = -errno;

			/* the tier's one-line reason (explain_failure) names what failed */
			snprintf(libbpf_last, sizeof(libbpf_last), "perf_event_open of the page-faults "
				 "event on CPU %d: %s (the fault probe where the kernel has no "
				 "exception tracepoints)", cpu, strerror(-err));
			return err;
		}
		link = bpf_program__attach_perf_event(prog, fd);
		if (!link) {
			int err = -errno;

			close(fd);
			return err;
		}
		t->fault_links[t->nfault_links++] = link;	/* the link owns fd now */
	}
	return 0;
}

static void detach_fault_perf(struct tracer *t)
{
	for (int i = 0; i < t->nfault_links; i++)
		bpf_link__destroy(t->fault_links[i]);
	free(t->fault_links);
	t->fault_links = NULL;
	t->nfault_links = 0;
}

/* The program rows this tier and kernel enabled, as their sections say. */
static int attach_programs(struct tracer *t, struct ipclab_bpf *s)
{
	for (size_t i = 0; i < n_program_rows(); i++) {
		const struct mech_program *r = program_row(i);
		const struct bpf_prog_skeleton *p = skel_prog(s, r->prog);

		if (!bpf_program__autoload(*p->prog))
			continue;
		if (r->retprobe_func)
			*p->link = attach_retprobe(t, *p->prog, r->retprobe_func);
		else
			*p->link = bpf_program__attach(*p->prog);
		if (!*p->link)
			return -errno;
	}
	return 0;
}

bool tracer_attached(const struct tracer *t, const char *prog)
{
	struct bpf_program *p = t->skel ? named_prog(t->skel, prog) : NULL;

	return p && bpf_program__autoload(p);
}

/* The optional programs that attached (rows with `needs` or `unless`, the stand-ins for a
 * kernel that preempts programs), at most max. */
int tracer_optional_attached(const struct tracer *t, const char **names, int max)
{
	int n = 0;

	for (size_t i = 0; i < n_program_rows() && n < max; i++) {
		const struct mech_program *r = program_row(i);

		if ((r->needs || r->unless || r->for_preemption) && tracer_attached(t, r->prog))
			names[n++] = r->prog;
	}
	return n;
}

#define TRACEFS_MAGIC 0x74726163

bool tracefs_mounted(void)
{
	struct statfs st;

	return statfs("/sys/kernel/tracing", &st) == 0 && st.f_type == TRACEFS_MAGIC;
}

int ensure_tracefs(bool *mounted_now)
{
	*mounted_now = false;
	if (tracefs_mounted())
		return 0;
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL))
		return -errno;
	*mounted_now = true;
	return 0;
}

/* Without the kprobe PMU, libbpf falls back to tracefs kprobe_events: mount it first. */
static void prepare_kprobes(void)
{
	struct stat st;
	bool mounted;

	if (stat("/sys/bus/event_source/devices/kprobe", &st) != 0)
		ensure_tracefs(&mounted);
}

/*
 * Does this kernel's verifier accept BPF atomics (compare-and-swap, fetch-and-add returning
 * the old value; Linux 5.12)?  Asked by loading the smallest program that uses one.
 */
bool kernel_has_bpf_atomics(void)
{
	const struct bpf_insn insns[] = {
		/* *(u64 *)(r10 - 8) = 0; r0 = 0; r1 = 1 */
		{ .code = BPF_ST | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_10, .off = -8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 1 },
		/* r0 = cmpxchg((u64 *)(r10 - 8), r0, r1) */
		{ .code = BPF_STX | BPF_ATOMIC | BPF_DW, .dst_reg = BPF_REG_10, .src_reg = BPF_REG_1,
		  .off = -8, .imm = BPF_CMPXCHG },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ipclab_atomics", "GPL", insns,
			       sizeof(insns) / sizeof(insns[0]), NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/*
 * The skeleton, opened on the build of the object this kernel can load: the main one, the
 * same programs built without atomics where the verifier lacks them, or the direct-load
 * build where the kernel has bpf_rdonly_cast (user/skel_builds.c).
 */
static struct ipclab_bpf *skel_open(const struct bpf_object_open_opts *opts,
				    enum bpf_build build)
{
	struct ipclab_bpf *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return NULL;
	err = ipclab_bpf__create_skeleton(s);
	if (!err && build == BUILD_LEGACY)
		s->skeleton->data = (void *)ipclab_legacy_elf_bytes(&s->skeleton->data_sz);
	if (!err && build == BUILD_DIRECT)
		s->skeleton->data = (void *)ipclab_direct_elf_bytes(&s->skeleton->data_sz);
	if (!err)
		err = bpf_object__open_skeleton(s->skeleton, opts);
	if (err) {
		ipclab_bpf__destroy(s);
		errno = -err;
		return NULL;
	}
	return s;
}

static int try_build(struct tracer *t, enum ipclab_tier tier, const char *btf_path,
		     const struct btf *btf)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf_path);
	struct ipclab_bpf *s;
	int err;

	libbpf_last[0] = 0;
	s = skel_open(&opts, t->build);
	if (!s)
		return -errno;
	s->rodata->tier = tier;
	s->rodata->task_by_helpers = t->emulate_old_kernel;
	s->rodata->emulate_skips = t->emulate_skips;
	s->rodata->wakeup_bytes = t->buffer_bytes / 8;
	/* a batch is one ring-buffer sample: it must fit the buffer many times over */
	s->rodata->batch_bytes = t->buffer_bytes / 8 < IPCLAB_BATCH_MAX ?
				 t->buffer_bytes / 8 : IPCLAB_BATCH_MAX;
	if (s->rodata->batch_bytes < IPCLAB_RECORD_MAX)
		s->rodata->batch_bytes = IPCLAB_RECORD_MAX;
	err = bpf_map__set_max_entries(s->maps.events, t->buffer_bytes);
	if (!err)
		err = bpf_map__set_max_entries(s->maps.batches,
					       IPCLAB_BATCH_LEVELS * libbpf_num_possible_cpus());
	if (!err)
		err = select_programs(s, tier, &t->syms, btf);
	if (!err)
		err = select_attached(t, s, tier, btf);
	if (!err)
		err = ipclab_bpf__load(s);
	if (!err)
		err = attach_programs(t, s);
	if (!err && tier == TIER_FENTRY)
		err = ipclab_bpf__attach(s);	/* fentry targets were fixed at load */
	if (!err && tier == TIER_KPROBE) {
		prepare_kprobes();
		err = attach_kprobes(t, s, &t->syms);
	}
	t->skel = s;
	if (!err && t->fault_perf)
		err = attach_fault_perf(t);
	if (err) {
		detach_fault_perf(t);
		ipclab_bpf__destroy(s);
		t->skel = NULL;
		remove_retprobe_events(t);
		return err;
	}
	t->tier = tier;
	return 0;
}

/*
 * Can a BPF trampoline attach here at all?  Asked with the smallest program on the kernel
 * function of the first fentry-tier row (its entry or exit, as the row), loaded and
 * attached: 0, or the -errno the tier's programs would get (EPERM where trampolines are
 * refused, ENOTSUPP where they load but cannot attach).
 */
static int trampoline_works(const struct tracer *t, const struct btf *btf)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },	/* r0 = 0 */
		{ .code = BPF_JMP | BPF_EXIT },
	};
	const struct mech_probe *r = NULL;
	const char *sym = "", *refused = NULL;
	int id = -1, fd, link, err = 0;

	for (size_t i = 0; i < n_probe_rows() && id < 0; i++) {
		r = probe_row(i);
		sym = row_symbol(&t->syms, r);
		if (r->tier == TIER_FENTRY && sym[0])
			id = btf__find_by_name_kind(btf, sym, BTF_KIND_FUNC);
	}
	if (id < 0)
		return 0;	/* nothing to ask with: the tier's own attempt says */
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .attach_btf_id = id,
		    .expected_attach_type = r->ret ? BPF_TRACE_FEXIT : BPF_TRACE_FENTRY);
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "ipclab_tramp", "GPL", insns,
			   sizeof(insns) / sizeof(insns[0]), &opts);
	if (fd < 0) {
		err = -errno;
		refused = "load";
		goto out;
	}
	link = bpf_raw_tracepoint_open(NULL, fd);	/* attaches a tracing program (5.5+) */
	if (link < 0) {
		err = -errno;
		refused = "attach";
	} else {
		close(link);
	}
	close(fd);
out:
	if (refused) {
		snprintf(libbpf_last, sizeof(libbpf_last), "a minimal %s program on %s: %s refused",
			 r->ret ? "fexit" : "fentry", sym, refused);
		precheck_said = true;
	}
	return err;
}

/* Are there kprobes: the kprobe PMU, or kprobe_events in tracefs for libbpf's legacy way?
 * 0, or -ENOENT as libbpf would fail without them. */
static int kprobes_exist(void)
{
	struct stat st;

	if (stat("/sys/bus/event_source/devices/kprobe", &st) == 0)
		return 0;
	prepare_kprobes();
	if (access("/sys/kernel/tracing/kprobe_events", W_OK) == 0)
		return 0;
	snprintf(libbpf_last, sizeof(libbpf_last), "no kprobe PMU, no kprobe_events in tracefs");
	precheck_said = true;
	return -ENOENT;
}

/*
 * Whether a tier can attach here at all, asked before its build is loaded: loading the
 * object (some 35 programs through the verifier) for the two tiers a kernel with lockdown
 * and without kprobes refuses took 3.3 of the 4.8 s `ipclab trace` spent starting there.
 * 0 when it may (the tier's own attempt then decides), else the -errno that attempt gets.
 * A --btf file is for kernels without BTF, where trampolines need it too: not asked then.
 */
static int tier_precheck(const struct tracer *t, enum ipclab_tier tier, const char *btf_path,
			 const struct btf *btf)
{
	libbpf_last[0] = 0;
	precheck_said = false;
	if (tier == TIER_FENTRY && !btf_path)
		return trampoline_works(t, btf);
	if (tier == TIER_KPROBE)
		return kprobes_exist();
	return 0;
}

/*
 * The tier with the build chosen for this kernel.  Where the verifier refuses the
 * direct-load build (one between 6.2 and today that reads its loads differently: EINVAL,
 * EACCES, E2BIG), the main build, and why in t->direct_error (printed with the tier).
 * Other errors (no trampolines, no kprobes) would refuse the main build alike.
 */
static int try_tier(struct tracer *t, enum ipclab_tier tier, const char *btf_path,
		    const struct btf *btf)
{
	int err = tier_precheck(t, tier, btf_path, btf);
	char why[sizeof(t->direct_error)];

	if (err)
		return err;
	err = try_build(t, tier, btf_path, btf);

	if (!err || t->build != BUILD_DIRECT ||
	    (err != -EINVAL && err != -EACCES && err != -E2BIG))
		return err;
	snprintf(why, sizeof(why), "%s%s%s", strerror(-err), libbpf_last[0] ? "; libbpf: " : "",
		 libbpf_last);
	t->build = BUILD_MAIN;
	err = try_build(t, tier, btf_path, btf);
	if (err)
		t->build = BUILD_DIRECT;	/* the next tier tries it again */
	else
		memcpy(t->direct_error, why, sizeof(why));
	return err;
}

/* The build this kernel takes: see bpf_build in attach.h. */
static enum bpf_build choose_build(const struct tracer *t, const char *btf_path,
				   const struct btf *btf)
{
	if (!t->bpf_atomics)
		return BUILD_LEGACY;
	/* kfuncs resolve against the running kernel's own BTF, not a --btf file */
	if (btf_path || getenv("IPCLAB_NO_DIRECT_LOADS") || !btf_has_func(btf, "bpf_rdonly_cast"))
		return BUILD_MAIN;
	return BUILD_DIRECT;
}

const char *build_name(enum bpf_build build)
{
	switch (build) {
	case BUILD_LEGACY:
		return "the build without BPF atomics, for kernels before 5.12";
	case BUILD_DIRECT:
		return "the direct-load build";
	default:
		return "the main build";
	}
}

const char *build_key(enum bpf_build build)
{
	return build == BUILD_LEGACY ? "no_atomics" : build == BUILD_DIRECT ? "direct" : "main";
}

#define ENOTSUPP_KERNEL 524	/* the kernel's internal ENOTSUPP: libc has no name for it */

static void explain_failure(struct tracer *t, enum ipclab_tier tier, int err)
{
	const char *hint = "", *what = err == -ENOTSUPP_KERNEL ? "ENOTSUPP" : strerror(-err);

	if (tier == TIER_FENTRY && err == -EPERM)
		hint = " (BPF trampolines refused: lockdown or no CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS)";
	/* arm64 kernels without ftrace direct calls (Debian 12's 6.1) load fentry programs but
	 * cannot attach them to kernel functions */
	if (tier == TIER_FENTRY && err == -ENOTSUPP_KERNEL)
		hint = " (this kernel cannot attach BPF trampolines to kernel functions: no ftrace "
		       "direct calls on this architecture)";
	if (tier == TIER_KPROBE && (err == -ENOENT || err == -EOPNOTSUPP || err == -EINVAL))
		hint = " (kprobes unavailable: CONFIG_KPROBES not set or symbol not probeable)";
	snprintf(t->tier_error[tier], sizeof(t->tier_error[tier]), "%s%s%s%s", what, hint,
		 !libbpf_last[0] ? "" : precheck_said ? "; checked: " : "; libbpf: ", libbpf_last);
}

int tracer_open(struct tracer *t, enum ipclab_tier want, size_t buffer_bytes,
		const char *btf_path, char *err, size_t errlen)
{
	struct btf *btf;
	int ret = -ENOENT;

	memset(t, 0, sizeof(*t));
	t->buffer_bytes = buffer_bytes;
	libbpf_set_print(libbpf_print);

	btf = btf_path ? btf__parse(btf_path, NULL) : btf__load_vmlinux_btf();
	if (!btf) {
		ret = -errno;
		if (btf_path) {
			char why[128];

			libbpf_strerror(ret, why, sizeof(why));	/* knows libbpf's own codes */
			snprintf(err, errlen, "cannot read BTF file %s: %s", btf_path, why);
		}
		else
			snprintf(err, errlen, "kernel BTF not found (/sys/kernel/btf/vmlinux): this "
				 "kernel needs CONFIG_DEBUG_INFO_BTF=y, or give --btf FILE");
		return ret;
	}
	/* tests: what a kernel before 5.11 gets, on this one (docs/troubleshooting.md) */
	t->emulate_old_kernel = getenv("IPCLAB_EMULATE_OLD_KERNEL") != NULL;
	if (getenv("IPCLAB_EMULATE_SKIPS"))	/* tests: bits of enum ipclab_emulate_skip */
		t->emulate_skips = strtoul(getenv("IPCLAB_EMULATE_SKIPS"), NULL, 0);
	t->bpf_atomics = kernel_has_bpf_atomics() && !t->emulate_old_kernel;
	t->build = choose_build(t, btf_path, btf);
	t->retprobe_maxactive = kretprobe_default_is_ncpus();
	t->preemptible = kernel_preempts_programs(&t->preempt_source);
	t->stand_ins = t->preemptible || t->emulate_skips;
	ret = resolve_probe_syms(&t->syms, btf, err, errlen);
	if (ret) {
		btf__free(btf);
		return ret;
	}

	for (enum ipclab_tier tier = TIER_FENTRY; tier <= TIER_TRACEPOINT; tier++) {
		if (want != TIER_AUTO && want != tier)
			continue;
		ret = try_tier(t, tier, btf_path, btf);
		if (!ret) {
			btf__free(btf);
			return 0;
		}
		explain_failure(t, tier, ret);
	}
	btf__free(btf);
	if (want == TIER_AUTO)
		snprintf(err, errlen, "no probe tier could attach; tracepoint tier: %s",
			 t->tier_error[TIER_TRACEPOINT]);
	else
		snprintf(err, errlen, "the %s tier cannot attach here: %s", tier_name(want),
			 t->tier_error[want]);
	return ret;
}

void tracer_close(struct tracer *t)
{
	detach_fault_perf(t);
	ipclab_bpf__destroy(t->skel);
	t->skel = NULL;
	remove_retprobe_events(t);
}

int tracer_track(struct tracer *t, pid_t pid)
{
	__u32 key = pid, state = TRACK_PENDING;

	if (bpf_map__update_elem(t->skel->maps.tracked, &key, sizeof(key), &state,
				 sizeof(state), BPF_ANY))
		return -errno;
	return 0;
}

int tracer_tracked(struct tracer *t)
{
	__u32 key, next;
	int n = 0;
	void *prev = NULL;

	while (bpf_map__get_next_key(t->skel->maps.tracked, prev, &next, sizeof(next)) == 0) {
		key = next;
		prev = &key;
		n++;
	}
	return n;
}

static void map_clear_u32_keys(struct bpf_map *map)
{
	__u32 key;

	while (bpf_map__get_next_key(map, NULL, &key, sizeof(key)) == 0)
		bpf_map__delete_elem(map, &key, sizeof(key), 0);
}

/*
 * Stop recording: no process is tracked, and no thread keeps its context either, since
 * sys_enter/sys_exit take a thread with a context for traced without asking `tracked`
 * (ctx_of() in bpf/ipclab.bpf.h).
 */
void tracer_forget_all(struct tracer *t)
{
	map_clear_u32_keys(t->skel->maps.tracked);
	map_clear_u32_keys(t->skel->maps.tasks);
}

/*
 * Forget the tracked processes that are gone (reaped) although their exit record never came:
 * both copies of sched_process_exit were skipped.  Without this the recording would wait
 * for them until its timeout.  A process that exited but is not reaped yet still counts (its
 * parent reaps it, or init once the parent is gone).  Returns how many were forgotten.
 */
int tracer_forget_gone(struct tracer *t)
{
	__u32 key, next;
	void *prev = NULL;
	int n = 0;

	while (bpf_map__get_next_key(t->skel->maps.tracked, prev, &next, sizeof(next)) == 0) {
		key = next;
		if (kill((pid_t)key, 0) && errno == ESRCH &&
		    !bpf_map__delete_elem(t->skel->maps.tracked, &key, sizeof(key), 0)) {
			n++;
			continue;	/* key is gone: get_next_key(key) restarts from the start */
		}
		prev = &key;
	}
	return n;
}

void tracer_kill_tracked(struct tracer *t, int sig)
{
	__u32 key, next;
	void *prev = NULL;

	while (bpf_map__get_next_key(t->skel->maps.tracked, prev, &next, sizeof(next)) == 0) {
		kill((pid_t)next, sig);
		key = next;
		prev = &key;
	}
}

static __u64 *dropped_values(struct tracer *t, int *ncpu)
{
	*ncpu = libbpf_num_possible_cpus();
	if (*ncpu <= 0)
		return NULL;
	return calloc(*ncpu, sizeof(__u64));
}

/* The link attaching program p, from the skeleton (NULL: not attached by a table here). */
static struct bpf_link *prog_link(struct ipclab_bpf *s, const struct bpf_program *p)
{
	for (size_t i = 0; i < n_probe_rows(); i++)
		if (row_prog(s, probe_row(i)) == p)
			return *row_link(s, probe_row(i));
	for (size_t i = 0; i < n_program_rows(); i++) {
		const struct bpf_prog_skeleton *q = skel_prog(s, program_row(i)->prog);

		if (*q->prog == p)
			return *q->link;
	}
	return NULL;
}

/*
 * bpf_link_info of a perf-event link (Linux 6.6+; `missed` 6.7+), declared here because the
 * build machine's <linux/bpf.h> may predate it; the layout is kernel ABI.  The union of
 * bpf_link_info starts 8-byte aligned after type, id and prog_id.
 */
struct perf_link_info {
	__u32 type, id, prog_id, pad;
	__u32 perf_type, pad2;
	__u64 func_name;
	__u32 name_len, offset;
	__u64 addr;
	__u64 missed;
	__u64 cookie;
	__u8 rest[64];		/* the rest of bpf_link_info's union: zero */
};

#define LINK_TYPE_PERF_EVENT	7	/* BPF_LINK_TYPE_PERF_EVENT */
#define PERF_EVENT_KPROBE	3	/* BPF_PERF_EVENT_KPROBE */
#define PERF_EVENT_KRETPROBE	4

/*
 * Hits of a kprobe whose program did not run (6.7+, 0 before): the kprobe fired while
 * another kprobe ran on that CPU, or a kretprobe found all its `maxactive` instances taken
 * by tasks still inside the function.  Before 6.7 these were not counted anywhere ipclab reads.
 */
static __u64 kprobe_link_missed(struct bpf_link *link)
{
	struct perf_link_info info;
	__u32 len = sizeof(info);
	int fd = link ? bpf_link__fd(link) : -1;

	memset(&info, 0, sizeof(info));
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len) || info.type != LINK_TYPE_PERF_EVENT)
		return 0;
	if (info.perf_type != PERF_EVENT_KPROBE && info.perf_type != PERF_EVENT_KRETPROBE)
		return 0;
	return info.missed;
}

/*
 * Runs of program p the kernel skipped: a program does not run on a CPU where it is
 * already running (bpf_prog_info.recursion_misses) -- an interrupt or, where programs can be
 * preempted, another task entering the same probe -- and a kprobe program does not run
 * while any kprobe/tracing program holds the CPU's bpf_prog_active (counted there too, 6.7+).
 * Each skipped run may be a missing event.  The counters only grow: a base is kept.
 */
static __u64 prog_skipped_total(struct tracer *t, const struct bpf_program *p)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	int fd = bpf_program__fd(p);

	if (fd < 0)
		return 0;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	return info.recursion_misses + kprobe_link_missed(prog_link(t->skel, p));
}

/* Skipped runs of p, the i-th program of the object, since tracer_reset_dropped(). */
static __u64 prog_skipped_since(struct tracer *t, const struct bpf_program *p, int i)
{
	return i < TRACER_PROGS_MAX ? prog_skipped_total(t, p) - t->skipped_base[i] : 0;
}

/* Skipped runs of the program named NAME_stand_in, if loaded; false when there is none. */
static bool stand_in_skipped(struct tracer *t, const struct bpf_program *p, __u64 *runs)
{
	char name[64];
	struct bpf_program *q;
	int i = 0;

	snprintf(name, sizeof(name), "%s_stand_in", bpf_program__name(p));
	bpf_object__for_each_program(q, t->skel->obj) {
		if (!strcmp(bpf_program__name(q), name)) {
			*runs = prog_skipped_since(t, q, i);
			return bpf_program__fd(q) >= 0;
		}
		i++;
	}
	return false;
}

static bool skips_made_up(const struct bpf_program *p)
{
	for (size_t i = 0; i < n_probe_rows(); i++)
		if (!strcmp(probe_row(i)->prog, bpf_program__name(p)))
			return probe_row(i)->made_up;
	return false;
}

/* sys_enter and sys_exit count the syscalls both their copies missed themselves, exactly
 * (DROP_SKIPPED_SYSCALL: an entry without its exit, an exit without its entry), and the
 * fexit copies of handle_mm_fault the faults both missed (DROP_SKIPPED_FAULT: the kernel's
 * own fault counters of the thread, mech/mmap/mmap.bpf.h). */
static bool counts_own_losses(const char *name)
{
	return !strncmp(name, "sys_enter", 9) || !strncmp(name, "sys_exit", 8) ||
	       !strcmp(name, "fexit_handle_mm_fault");
}

/* One key of the per-CPU `recovered` map, summed over the CPUs. */
static __u64 recovered_sum(struct tracer *t, __u64 *v, int ncpu, __u32 key)
{
	__u64 sum = 0;

	if (!bpf_map__lookup_elem(t->skel->maps.recovered, &key, sizeof(key), v,
				  ncpu * sizeof(__u64), 0))
		for (int i = 0; i < ncpu; i++)
			sum += v[i];
	return sum;
}

/* Hits one copy of a symmetric pair handled alone: its works less the hits it found done by
 * the other copy (the pair's keys: works_key, then its clears). */
static __u64 pair_alone(struct tracer *t, __u32 works_key)
{
	int ncpu;
	__u64 *v = dropped_values(t, &ncpu), works, clears;

	if (!v)
		return 0;
	works = recovered_sum(t, v, ncpu, works_key);
	clears = recovered_sum(t, v, ncpu, works_key + 1);
	free(v);
	return works > clears ? works - clears : 0;
}

/* One reason of the per-CPU `dropped` map, summed over the CPUs. */
static __u64 dropped_sum(struct tracer *t, __u32 why)
{
	int ncpu;
	__u64 *v = dropped_values(t, &ncpu), sum = 0;

	if (!v)
		return 0;
	if (!bpf_map__lookup_elem(t->skel->maps.dropped, &why, sizeof(why), v,
				  ncpu * sizeof(__u64), 0))
		for (int i = 0; i < ncpu; i++)
			sum += v[i];
	free(v);
	return sum;
}

/* The first of the `recovered` keys of a program that is one of a symmetric pair of copies
 * (pair_done() in bpf/ipclab.bpf.h), or -1. */
static int pair_works_key(const char *name)
{
	for (size_t i = 0; i < n_program_rows(); i++)
		if (program_row(i)->pair_works && !strcmp(program_row(i)->prog, name))
			return program_row(i)->pair_works;
	return -1;
}

/*
 * Hits a program and its stand-in copy may both have been skipped on: at most the smaller
 * of their skip counts.  For a symmetric pair, also at most half of the skips the pair's
 * counters do not account for: each skip on a traced task's hit that the other copy made
 * up is one hit handled alone, so (skips - alone) / 2 bounds the hits both skipped (in a
 * 7.2 trace with 2 + 9 skips and 11 hits handled alone: 0, where the smaller count said 2).
 */
static __u64 both_skipped_max(struct tracer *t, const char *name, __u64 runs, __u64 copy)
{
	__u64 lost = copy < runs ? copy : runs, alone, both;
	int key = pair_works_key(name);

	if (key < 0)
		return lost;
	alone = pair_alone(t, key);
	both = runs + copy > alone ? (runs + copy - alone) / 2 : 0;
	return both < lost ? both : lost;
}

/*
 * Skipped runs that may have lost an event.  A program with a stand-in copy (NAME and
 * NAME_stand_in) loses a hit only when both copies were skipped on it (both_skipped_max()).
 * A mechanism's function probe marked made_up (struct mech_probe: a pipe function's probe is
 * made up by its other probe or at sys_exit, a socket's exit probe at sys_exit) is not
 * counted; nor are the skips of the programs that count their own losses exactly
 * (counts_own_losses()).
 * Every other program's skipped runs count.
 */
__u64 tracer_skips_dropped(struct tracer *t)
{
	struct bpf_program *p;
	__u64 sum = dropped_sum(t, DROP_SKIPPED_SYSCALL) + dropped_sum(t, DROP_SKIPPED_FAULT);
	__u64 runs, copy;
	int i = 0;

	bpf_object__for_each_program(p, t->skel->obj) {
		const char *name = bpf_program__name(p);
		size_t len = strlen(name);

		runs = prog_skipped_since(t, p, i++);
		if (skips_made_up(p) || counts_own_losses(name) ||
		    (len > 9 && !strcmp(name + len - 9, "_stand_in")))
			continue;
		if (stand_in_skipped(t, p, &copy))
			runs = both_skipped_max(t, name, runs, copy);
		sum += runs;
	}
	return sum;
}

int tracer_skipped(struct tracer *t, struct prog_skips *out, int max)
{
	struct bpf_program *p;
	int i = 0, n = 0;

	bpf_object__for_each_program(p, t->skel->obj) {
		__u64 runs = prog_skipped_since(t, p, i++);

		if (!runs || n == max)
			continue;
		snprintf(out[n].name, sizeof(out[n].name), "%s", bpf_program__name(p));
		out[n++].runs = runs;
	}
	return n;
}


/* Records made for skipped runs: by a stand-in, the other pipe probe, or one copy of a pair
 * alone. */
__u64 tracer_recovered(struct tracer *t)
{
	int ncpu;
	__u64 *v = dropped_values(t, &ncpu), made;

	if (!v)
		return 0;
	made = recovered_sum(t, v, ncpu, RECOVERED_RECORDS);
	free(v);
	for (size_t i = 0; i < n_program_rows(); i++)
		if (program_row(i)->pair_works && tracer_attached(t, program_row(i)->prog))
			made += pair_alone(t, program_row(i)->pair_works);
	return made;
}

/*
 * Records the probes could not send (a full ring, busy batches), plus the records lost to
 * runs the kernel skipped (tracer_skips_dropped()).
 */
__u64 tracer_dropped(struct tracer *t)
{
	return dropped_sum(t, DROP_RING_FULL) + dropped_sum(t, DROP_BUSY) +
	       tracer_skips_dropped(t);
}

void tracer_reset_dropped(struct tracer *t)
{
	int ncpu, i = 0;
	__u64 *v = dropped_values(t, &ncpu);
	struct bpf_program *p;
	__u32 why;

	bpf_object__for_each_program(p, t->skel->obj) {
		if (i < TRACER_PROGS_MAX)
			t->skipped_base[i] = prog_skipped_total(t, p);
		i++;
	}
	if (!v)
		return;
	for (why = 0; why < DROP_REASONS; why++)
		bpf_map__update_elem(t->skel->maps.dropped, &why, sizeof(why), v,
				     ncpu * sizeof(__u64), 0);
	for (why = 0; why < RECOVERED_KEYS; why++)
		bpf_map__update_elem(t->skel->maps.recovered, &why, sizeof(why), v,
				     ncpu * sizeof(__u64), 0);
	free(v);
}

/*
 * The records still in the per-CPU batches (the last partial batch of each CPU and level),
 * handed to on_batch like a ring-buffer sample; the batches are emptied.  Call it once the
 * traced programs are gone and the ring buffer is drained.
 */
int tracer_collect_batches(struct tracer *t, int (*on_batch)(void *, void *, size_t), void *ctx)
{
	struct ipclab_batch *b = malloc(sizeof(*b));
	__u32 n = bpf_map__max_entries(t->skel->maps.batches);
	int err = b ? 0 : -ENOMEM;

	for (__u32 key = 0; !err && key < n; key++) {
		/* busy: a program is writing its last record (an untraced task's programs stop
		 * before they reserve, so only in a race with the end); take it next time */
		if (bpf_map__lookup_elem(t->skel->maps.batches, &key, sizeof(key), b, sizeof(*b), 0) ||
		    b->busy)
			continue;
		if (b->len && b->len <= IPCLAB_BATCH_MAX)
			on_batch(ctx, b->data, b->len);
		if (b->len) {
			b->len = b->count = 0;
			bpf_map__update_elem(t->skel->maps.batches, &key, sizeof(key), b,
					     sizeof(*b), 0);
		}
	}
	free(b);
	return err;
}

int tracer_events_fd(struct tracer *t)
{
	return bpf_map__fd(t->skel->maps.events);
}
