// SPDX-License-Identifier: GPL-2.0
/* btf_syms.c - what kernel BTF has, and the kernel functions the probes resolved from it. */
#include <stdio.h>
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

const char *probe_sym(const struct probe_syms *ps, const char *role)
{
	for (int i = 0; i < ps->n; i++)
		if (!strcmp(ps->s[i].role, role))
			return ps->s[i].func;
	return "";
}

int probe_sym_set(struct probe_syms *ps, const char *role, const char *func)
{
	int i = 0;

	while (i < ps->n && strcmp(ps->s[i].role, role))
		i++;
	if (i == PROBE_SYMS_MAX)
		return -E2BIG;
	snprintf(ps->s[i].role, sizeof(ps->s[i].role), "%s", role);
	snprintf(ps->s[i].func, sizeof(ps->s[i].func), "%s", func);
	if (i == ps->n)
		ps->n++;
	return 0;
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
