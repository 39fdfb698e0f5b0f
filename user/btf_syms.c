// SPDX-License-Identifier: GPL-2.0
/* btf_syms.c - which kernel functions serve pipe I/O, read from kernel BTF. */
#include <string.h>
#include <errno.h>
#include <bpf/btf.h>
#include "attach.h"

bool btf_has_func(const struct btf *btf, const char *name)
{
	return btf && btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) >= 0;
}

bool btf_has_typedef(const struct btf *btf, const char *name)
{
	return btf && btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) >= 0;
}

/* Does enum `type` have a value named `value` (e.g. BPF_FUNC_get_current_task_btf)? */
bool btf_has_enum_value(const struct btf *btf, const char *type, const char *value)
{
	int id = btf ? btf__find_by_name_kind(btf, type, BTF_KIND_ENUM) : -1;
	const struct btf_type *t = id >= 0 ? btf__type_by_id(btf, id) : NULL;
	const struct btf_enum *v = t ? btf_enum(t) : NULL;

	for (int i = 0; t && i < btf_vlen(t); i++)
		if (!strcmp(btf__name_by_offset(btf, v[i].name_off), value))
			return true;
	return false;
}

/*
 * Up to 6.14 pipe_read/pipe_write serve pipes and FIFOs.  From 6.15 pipes use
 * anon_pipe_read/anon_pipe_write and FIFOs go through fifo_pipe_read/fifo_pipe_write,
 * thin wrappers around the anon functions (which the compiler may inline), so both are
 * probed and the BPF side ignores the nested call.
 */
int btf_resolve_pipe_symbols(const struct btf *btf, struct pipe_symbols *out)
{
	memset(out, 0, sizeof(*out));
	if (btf_has_func(btf, "anon_pipe_read") && btf_has_func(btf, "anon_pipe_write")) {
		strcpy(out->read, "anon_pipe_read");
		strcpy(out->write, "anon_pipe_write");
		if (btf_has_func(btf, "fifo_pipe_read") && btf_has_func(btf, "fifo_pipe_write")) {
			strcpy(out->fifo_read, "fifo_pipe_read");
			strcpy(out->fifo_write, "fifo_pipe_write");
		}
		return 0;
	}
	if (btf_has_func(btf, "pipe_read") && btf_has_func(btf, "pipe_write")) {
		strcpy(out->read, "pipe_read");
		strcpy(out->write, "pipe_write");
		return 0;
	}
	return -ENOENT;
}

const char *tier_name(enum ipclab_tier tier)
{
	switch (tier) {
	case TIER_AUTO: return "auto";
	case TIER_FENTRY: return "fentry";
	case TIER_KPROBE: return "kprobe";
	case TIER_TRACEPOINT: return "tracepoint";
	}
	return "?";
}

int tier_parse(const char *s, enum ipclab_tier *out)
{
	for (int t = TIER_AUTO; t <= TIER_TRACEPOINT; t++) {
		if (strcmp(s, tier_name(t)) == 0) {
			*out = t;
			return 0;
		}
	}
	return -EINVAL;
}
