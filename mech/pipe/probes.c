// SPDX-License-Identifier: GPL-2.0
/*
 * probes.c - the function probes of pipes and FIFOs (mech/pipe/pipe.bpf.c) and the kernel
 * functions they attach to on this kernel, read from BTF.
 */
#include <errno.h>
#include <stdio.h>
#include "attach.h"
#include "mechanism.h"

/*
 * Up to 6.14 pipe_read/pipe_write serve pipes and FIFOs.  From 6.15 pipes use
 * anon_pipe_read/anon_pipe_write and FIFOs go through fifo_pipe_read/fifo_pipe_write,
 * thin wrappers around the anon functions (which the compiler may inline), so both are
 * probed and the BPF side ignores the nested call.  The roles: pipe_read, pipe_write,
 * fifo_read, fifo_write ("" when FIFOs use the pipe functions).
 */
static int pipe_resolve(const struct btf *btf, struct probe_syms *syms, char *err, size_t n)
{
	const char *read = "", *write = "", *fifo_read = "", *fifo_write = "";
	int ret = 0;

	if (btf_has_func(btf, "anon_pipe_read") && btf_has_func(btf, "anon_pipe_write")) {
		read = "anon_pipe_read";
		write = "anon_pipe_write";
		if (btf_has_func(btf, "fifo_pipe_read") && btf_has_func(btf, "fifo_pipe_write")) {
			fifo_read = "fifo_pipe_read";
			fifo_write = "fifo_pipe_write";
		}
	} else if (btf_has_func(btf, "pipe_read") && btf_has_func(btf, "pipe_write")) {
		read = "pipe_read";
		write = "pipe_write";
	} else {
		snprintf(err, n, "kernel BTF has neither pipe_read nor anon_pipe_read");
		ret = -ENOENT;
	}
	/* every role is set, "" when not found: a stale name is never probed */
	if (probe_sym_set(syms, "pipe_read", read) || probe_sym_set(syms, "pipe_write", write) ||
	    probe_sym_set(syms, "fifo_read", fifo_read) ||
	    probe_sym_set(syms, "fifo_write", fifo_write))
		return -E2BIG;
	return ret;
}

static void pipe_attached_note(const struct probe_syms *syms, char *buf, size_t n)
{
	const char *fifo_read = probe_sym(syms, "fifo_read");

	snprintf(buf, n, "pipe functions %s/%s%s%s", probe_sym(syms, "pipe_read"),
		 probe_sym(syms, "pipe_write"), fifo_read[0] ? ", FIFOs " : "", fifo_read);
}

/* Entry and exit probes of one role, on both function tiers.  A skipped run's record is made
 * by the other probe, or at sys_exit (read/write/readv/writev). */
#define PIPE_FN(role, fentry, fexit, kprobe, kretprobe) \
	{ TIER_FENTRY, false, #fentry, NULL, role, true }, \
	{ TIER_FENTRY, true, #fexit, NULL, role, true }, \
	{ TIER_KPROBE, false, #kprobe, NULL, role, true }, \
	{ TIER_KPROBE, true, #kretprobe, NULL, role, true }

static const struct mech_probe pipe_probe_rows[] = {
	PIPE_FN("pipe_read", fentry_pipe_read, fexit_pipe_read, kprobe_pipe_read,
		kretprobe_pipe_read),
	PIPE_FN("pipe_write", fentry_pipe_write, fexit_pipe_write, kprobe_pipe_write,
		kretprobe_pipe_write),
	PIPE_FN("fifo_read", fentry_fifo_read, fexit_fifo_read, kprobe_fifo_read,
		kretprobe_fifo_read),
	PIPE_FN("fifo_write", fentry_fifo_write, fexit_fifo_write, kprobe_fifo_write,
		kretprobe_fifo_write),
};

const struct mech_probes pipe_probes = {
	.rows = pipe_probe_rows,
	.n_rows = sizeof(pipe_probe_rows) / sizeof(pipe_probe_rows[0]),
	.resolve = pipe_resolve,
	.attached_note = pipe_attached_note,
};
