// SPDX-License-Identifier: GPL-2.0
/*
 * preempt.c - can this kernel preempt a task inside a BPF program?
 *
 * A program does not run on a CPU where it is already running.  Where the kernel preempts
 * tasks inside tracepoint programs (PREEMPT_LAZY, full PREEMPT, PREEMPT_RT; Debian's 7.2 is
 * lazy), a task preempted inside sys_enter or sys_exit makes the other tasks entering or
 * leaving syscalls on that CPU skip it, so the loader attaches stand-in copies of both
 * (bpf/ipclab.bpf.h, stand_in_used()).  Where it does not (PREEMPT_NONE, PREEMPT_VOLUNTARY:
 * Debian 5.10 to 6.12, and the machines of most students) nothing skips them, and the copies
 * would only cost: two more program runs at every syscall's entry and exit, system-wide, and
 * their verification at every load.  A wrong "no" loses nothing silently: the first copies
 * count every syscall they miss (DROP_SKIPPED_SYSCALL, meta.dropped).
 *
 * The model, in the order asked: `uname -v` (a kernel built without PREEMPT_DYNAMIC says
 * its model there), then for PREEMPT_DYNAMIC the running mode: debugfs's sched/preempt,
 * `preempt=` on the command line, the boot log's "Dynamic Preempt: MODE" (gone once the log
 * wraps), the kernel's config (/proc/config.gz, then /boot/config-RELEASE).  What none of them answers counts as preemptible.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/utsname.h>
#include <zlib.h>
#include "preempt.h"

#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_SIZE_BUFFER 10

/* A dynamic mode's name: 1 preemptible, 0 not, -1 not a mode's name. */
static int mode_preempts(const char *mode)
{
	if (!strncmp(mode, "none", 4) || !strncmp(mode, "voluntary", 9))
		return 0;
	if (!strncmp(mode, "full", 4) || !strncmp(mode, "lazy", 4))
		return 1;
	return -1;
}

/* debugfs's sched/preempt: "none (voluntary) full lazy", the running mode in parentheses. */
static int from_debugfs(void)
{
	FILE *f = fopen("/sys/kernel/debug/sched/preempt", "re");
	char line[128], *open;
	int ret = -1;

	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f) && (open = strchr(line, '(')))
		ret = mode_preempts(open + 1);
	fclose(f);
	return ret;
}

static int from_cmdline(void)
{
	FILE *f = fopen("/proc/cmdline", "re");
	char line[4096], *p;
	int ret = -1;

	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f) && (p = strstr(line, "preempt=")) &&
	    (p == line || p[-1] == ' '))
		ret = mode_preempts(p + strlen("preempt="));
	fclose(f);
	return ret;
}

/* The boot log's "Dynamic Preempt: voluntary" (kernel/sched/core.c, at boot); gone from a
 * log that has wrapped. */
static int from_boot_log(void)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0), n, ret = -1;
	char *buf, *p;

	if (size <= 0 || size > (64 << 20) || !(buf = malloc(size + 1)))
		return -1;
	n = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
	if (n > 0) {
		buf[n] = 0;
		p = strstr(buf, "Dynamic Preempt: ");
		if (p)
			ret = mode_preempts(p + strlen("Dynamic Preempt: "));
	}
	free(buf);
	return ret;
}

/* A config line that names the model: 1 preemptible, 0 not, -1 another line. */
static int config_line_preempts(const char *line)
{
	if (!strcmp(line, "CONFIG_PREEMPT_NONE=y\n") || !strcmp(line, "CONFIG_PREEMPT_VOLUNTARY=y\n"))
		return 0;
	if (!strcmp(line, "CONFIG_PREEMPT=y\n") || !strcmp(line, "CONFIG_PREEMPT_LAZY=y\n"))
		return 1;
	return -1;
}

/*
 * The model the kernel was configured to start in, from a config file, plain or gzip (zlib
 * reads both).  /proc/config.gz (CONFIG_IKCONFIG_PROC) is the running kernel's own; a
 * /boot/config-RELEASE may be missing (this machine's 6.18) or belong to another build of
 * the same release.
 */
static int from_config_file(const char *path)
{
	char line[256];
	int ret = -1;
	gzFile f = gzopen(path, "rb");

	if (!f)
		return -1;
	while (ret < 0 && gzgets(f, line, sizeof(line)))
		ret = config_line_preempts(line);
	gzclose(f);
	return ret;
}

static int from_config(const char *release, const char **source)
{
	char path[300];
	int ret = from_config_file("/proc/config.gz");

	if (ret >= 0) {
		*source = "PREEMPT_DYNAMIC, /proc/config.gz";
		return ret;
	}
	*source = "PREEMPT_DYNAMIC, /boot/config";
	snprintf(path, sizeof(path), "/boot/config-%s", release);
	return from_config_file(path);
}

static int dynamic_mode(const char *release, const char **source)
{
	int (*const ask[])(void) = { from_debugfs, from_cmdline, from_boot_log };
	static const char *const names[] = {
		"PREEMPT_DYNAMIC, debugfs sched/preempt", "PREEMPT_DYNAMIC, preempt= at boot",
		"PREEMPT_DYNAMIC, boot log",
	};
	int ret;

	for (size_t i = 0; i < sizeof(ask) / sizeof(ask[0]); i++) {
		ret = ask[i]();
		if (ret >= 0) {
			*source = names[i];
			return ret;
		}
	}
	return from_config(release, source);
}

bool kernel_preempts_programs(const char **source)
{
	struct utsname u;
	int ret;

	*source = "uname -v";
	if (uname(&u))
		ret = -1;
	else if (strstr(u.version, "PREEMPT_RT") || strstr(u.version, "PREEMPT_LAZY"))
		ret = 1;
	else if (strstr(u.version, "PREEMPT_DYNAMIC"))
		ret = dynamic_mode(u.release, source);
	else
		ret = strstr(u.version, "PREEMPT") != NULL;	/* full, or none/voluntary */
	if (ret < 0)
		*source = "not known: counted as preemptible";
	return ret != 0;
}
