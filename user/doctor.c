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

static void line(const char *what, const char *fmt, const char *a, const char *b)
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
		line("lockdown", "%s%s", buf, " (the [bracketed] mode is active)");
	} else {
		line("lockdown", "%s%s", "unknown", " (securityfs not mounted)");
	}
}

static void report_ringbuf(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ipclab_probe", 0, 0, 4096, NULL);

	if (fd >= 0) {
		close(fd);
		line("ring buffer", "%s%s", "yes", "");
	} else {
		line("ring buffer", "NO: %s%s", strerror(errno), " (needs Linux 5.8+)");
	}
}

static int report_btf(const struct run_opts *o)
{
	const char *path = o->btf_path ? o->btf_path : "/sys/kernel/btf/vmlinux";
	struct pipe_symbols sy;
	struct btf *btf = btf__parse(path, NULL);

	if (!btf) {
		line("kernel BTF", "MISSING at %s%s", path, " -- needs CONFIG_DEBUG_INFO_BTF=y");
		return -ENOENT;
	}
	line("kernel BTF", "%s%s", path, "");
	if (btf_resolve_pipe_symbols(btf, &sy) == 0) {
		line("pipe functions", "%s / %s", sy.read, sy.write);
		if (sy.fifo_read[0])
			line("FIFO wrappers", "%s / %s", sy.fifo_read, sy.fifo_write);
		else
			line("FIFO functions", "%s%s", "same as pipes (kernel < 6.15)", "");
	} else {
		line("pipe functions", "%s%s", "NOT FOUND in BTF", "");
	}
	printf("  %-22s %s\n", "pipe_write in BTF", btf_has_func(btf, "pipe_write") ? "yes" : "no");
	printf("  %-22s %s\n", "anon_pipe_write in BTF",
	       btf_has_func(btf, "anon_pipe_write") ? "yes" : "no");
	btf__free(btf);
	return 0;
}

static const char *tier_probe_desc(enum ipclab_tier t, const struct pipe_symbols *sy,
				   char *buf, size_t n)
{
	switch (t) {
	case TIER_FENTRY:
		snprintf(buf, n, "fentry/fexit on %s, %s%s%s%s%s", sy->read, sy->write,
			 sy->fifo_read[0] ? ", " : "", sy->fifo_read, sy->fifo_read[0] ? ", " : "",
			 sy->fifo_write);
		break;
	case TIER_KPROBE:
		snprintf(buf, n, "kprobe/kretprobe on %s, %s%s%s%s%s", sy->read, sy->write,
			 sy->fifo_read[0] ? ", " : "", sy->fifo_read, sy->fifo_read[0] ? ", " : "",
			 sy->fifo_write);
		break;
	default:
		snprintf(buf, n, "tp_btf/sys_enter+sys_exit, fd -> file -> inode -> pipe_inode_info");
		break;
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
	line("kernel", "%s %s", u.release, u.machine);
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
	line("tracefs", "%s%s", tracefs_mounted() ? "mounted" : "not mounted",
	     " (BTF tracepoints do not need it; the kprobe tier mounts it for legacy kprobes)");
	report_ringbuf();

	printf("\nprobe tiers (each loaded and attached for real):\n");
	for (enum ipclab_tier t = TIER_FENTRY; t <= TIER_TRACEPOINT; t++) {
		struct tracer tr;
		char err[512];

		if (tracer_open(&tr, t, 1 << 20, o->btf_path, err, sizeof(err)) == 0) {
			printf("  %-11s OK    %s\n", tier_name(t), tier_probe_desc(t, &tr.syms, desc,
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
	       "sched_waking (blocking, wakers),\n  signal_generate (SIGPIPE), "
	       "sched_process_fork/exec/exit + task_rename (lanes)\n");
	if (fault_perf >= 0)
		printf("  page faults: %s\n", fault_perf ?
		       "perf_event page-faults (the software event, on every CPU)" :
		       "tp_btf/page_fault_user + page_fault_kernel");
	if (chosen == TIER_AUTO) {
		printf("\n--tier auto: nothing can attach on this kernel\n");
		return EXIT_KERNEL;
	}
	printf("\n--tier auto would use: %s\n", tier_name(chosen));
	return EXIT_OK;
}
