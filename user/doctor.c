// SPDX-License-Identifier: GPL-2.0
/*
 * doctor.c - `ipclab doctor`: BTF, lockdown, tracefs, ring buffer, and for every probe
 * the tier and kernel symbol that would be used -- found by really loading and attaching
 * each tier, not by guessing from config files.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "doctor.h"
#include "mechanism.h"
#include "preempt.h"

void doctor_line(const char *what, const char *fmt, const char *a, const char *b)
{
	printf("  %-22s ", what);
	printf(fmt, a, b);
	putchar('\n');
}

static void report_lockdown(void)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/security/lockdown", "r");

	/* securityfs is where the kernel tells; fresh minimal systems may not mount it */
	if (!f && mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL) == 0)
		f = fopen("/sys/kernel/security/lockdown", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
		buf[strcspn(buf, "\n")] = 0;
		doctor_line("lockdown", "%s%s", buf, " (the [bracketed] mode is active)");
	} else {
		doctor_line("lockdown", "%s%s", "unknown", " (securityfs not mounted)");
	}
}

static void report_ringbuf(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ipclab_probe", 0, 0, 4096, NULL);

	if (fd >= 0) {
		close(fd);
		doctor_line("ring buffer", "%s%s", "yes", "");
	} else {
		doctor_line("ring buffer", "NO: %s%s", strerror(errno), " (needs Linux 5.8+)");
	}
}

/* Every mechanism's lines at this place of the report (mechanism.h, doctor_lines). */
static void mech_lines(enum doctor_part part, const struct doctor_facts *d)
{
	for (size_t i = 0; i < n_mechanisms; i++) {
		const struct mech_trace_ops *t = mechanisms[i]->trace;

		if (t && t->doctor_lines)
			t->doctor_lines(part, d);
	}
}

/* Whether sys_enter and sys_exit get their stand-in copies (user/preempt.c). */
static void report_preemption(void)
{
	const char *source;
	char head[96];
	bool yes = kernel_preempts_programs(&source);

	snprintf(head, sizeof(head), "%s (%s)", yes ? "yes" : "no", source);
	doctor_line("preemptible probes", "%s%s", head,
		    yes ? ": sys_enter and sys_exit attached three times each, so that a task "
			  "preempted inside one does not make the others skip it"
			: ": sys_enter and sys_exit attached once each");
}

/*
 * What the kernel lacks that newer ones have, one line per feature, each with what ipclab
 * does instead (docs/troubleshooting.md, "Older kernels").  "yes" lines are short.
 */
static void report_features(const struct btf *btf)
{
	if (kernel_has_bpf_atomics())
		doctor_line("BPF atomics", "%s%s", "yes", "");
	else
		doctor_line("BPF atomics", "%s%s",
			    "no (Linux 5.12+): ipclab loads its build without them",
			    "; correct while BPF programs run with preemption disabled (before 5.11)");
	if (btf_has_enum_value(btf, "bpf_func_id", "BPF_FUNC_get_current_task_btf"))
		doctor_line("task BTF helper", "%s%s", "yes", "");
	else
		doctor_line("task BTF helper", "%s%s",
			    "no (bpf_get_current_task_btf, Linux 5.11+): the ",
			    "fd table is read with helper calls instead of loads; the traces are the same");
	if (btf_has_func(btf, "bpf_rdonly_cast"))
		doctor_line("direct loads", "%s%s", "yes", "");
	else
		doctor_line("direct loads", "%s%s",
			    "no (kfunc bpf_rdonly_cast, Linux 6.2+): kernel fields are read with ",
			    "helper calls instead of loads (costlier per call); the traces are the same");
	mech_lines(DOCTOR_FEATURES, &(struct doctor_facts){ .btf = btf, .fault_perf = -1 });
	report_preemption();
	if (kretprobe_default_is_ncpus())
		doctor_line("return probes", "%s%s",
			    "no preemption: a kretprobe follows as many calls as ",
			    "CPUs by default; the kprobe tier makes its own in tracefs (1024)");
	mech_lines(DOCTOR_FEATURES_LATE, &(struct doctor_facts){ .btf = btf, .fault_perf = -1 });
}

static int report_btf(const struct run_opts *o)
{
	const char *path = o->btf_path ? o->btf_path : "/sys/kernel/btf/vmlinux";
	struct btf *btf = btf__parse(path, NULL);

	if (!btf) {
		doctor_line("kernel BTF", "MISSING at %s%s", path, " -- needs CONFIG_DEBUG_INFO_BTF=y");
		return -ENOENT;
	}
	doctor_line("kernel BTF", "%s%s", path, "");
	mech_lines(DOCTOR_BTF, &(struct doctor_facts){ .btf = btf, .fault_perf = -1 });
	report_features(btf);
	btf__free(btf);
	return 0;
}

/* What the tier attaches for each mechanism (doctor_tier), joined by "; ". */
static const char *tier_probe_desc(const struct tracer *tr, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < n_mechanisms && len + 2 < n; i++) {
		const struct mech_trace_ops *t = mechanisms[i]->trace;
		char *at = buf + len + (len ? 2 : 0);

		if (!t || !t->doctor_tier || !t->doctor_tier(tr, at, n - (at - buf))) {
			buf[len] = 0;
			continue;
		}
		if (len)
			memcpy(buf + len, "; ", 2);
		len = strlen(buf);
	}
	return buf;
}

/*
 * The architecture: ipclab's probes are built for one (syscall numbers, argument registers,
 * the fault hook: cmake/arch.cmake), and only x86_64 and arm64 are supported.  A binary run
 * on another machine type (an emulator's) would read the wrong registers: say so.
 */
static int report_arch(const struct utsname *u)
{
	bool same = !strcmp(u->machine, IPCLAB_ARCH_MACHINE);

	printf("  %-22s %s (ipclab built for %s, %s syscall table)\n", "architecture",
	       u->machine, IPCLAB_ARCH_MACHINE, IPCLAB_ARCH_NAME);
	if (same)
		return 0;
	fprintf(stderr, "ipclab: this ipclab was built for %s, but the machine is %s: rebuild it "
		"here (ipclab supports x86_64 and arm64)\n", IPCLAB_ARCH_MACHINE, u->machine);
	return EXIT_KERNEL;
}

int doctor(const struct run_opts *o)
{
	struct utsname u;
	enum ipclab_tier chosen = TIER_AUTO;
	int fault_perf = -1;	/* the fault hook of the tiers that attached */
	char desc[256];
	int ret;

	uname(&u);
	printf("ipclab doctor\n");
	doctor_line("kernel", "%s %s", u.release, u.machine);
	ret = report_arch(&u);
	if (ret)
		return ret;
	ret = require_privileges();
	if (ret)
		return ret;
	if (report_btf(o) && !o->btf_path) {
		fprintf(stderr, "ipclab: kernel BTF not found: this kernel needs "
			"CONFIG_DEBUG_INFO_BTF=y, or give --btf FILE\n");
		return EXIT_KERNEL;
	}
	report_lockdown();
	doctor_line("tracefs", "%s%s", tracefs_mounted() ? "mounted" : "not mounted",
	     " (BTF tracepoints do not need it; the kprobe tier mounts it for legacy kprobes)");
	report_ringbuf();

	printf("\nprobe tiers (each tried for real: a tier the kernel refuses outright is found with a\n"
	       "minimal program or its kernel files, before its whole build is loaded):\n");
	for (enum ipclab_tier t = TIER_FENTRY; t <= TIER_TRACEPOINT; t++) {
		struct tracer tr;
		char err[512];

		if (tracer_open(&tr, t, 1 << 20, o->btf_path, err, sizeof(err)) == 0) {
			printf("  %-11s OK    %s\n", tier_name(t), tier_probe_desc(&tr, desc,
										    sizeof(desc)));
			fault_perf = tr.fault_perf;
			tracer_close(&tr);
			if (chosen == TIER_AUTO)
				chosen = t;
		} else {
			printf("  %-11s no    %s\n", tier_name(t), tr.tier_error[t][0] ?
			       tr.tier_error[t] : err);
		}
	}
	printf("\nalways (every tier): tp_btf sys_enter/sys_exit (syscalls), sched_switch + "
	       "sched_waking (blocking, wakers),\n  "
	       "sched_process_fork/exec/exit + task_rename (lanes)\n");
	mech_lines(DOCTOR_ALWAYS, &(struct doctor_facts){ .fault_perf = fault_perf });
	if (chosen == TIER_AUTO) {
		printf("\n--tier auto: nothing can attach on this kernel\n");
		return EXIT_KERNEL;
	}
	printf("\n--tier auto would use: %s\n", tier_name(chosen));
	return EXIT_OK;
}
