// SPDX-License-Identifier: GPL-2.0
/* mechanism.c - which mechanism (mech/registry.c) a record belongs to. */
#include "mechanism.h"

static const __u16 *printed_types(const struct mechanism *m)
{
	return m->trace ? m->trace->event_types : NULL;
}

static const __u16 *resolved_types(const struct mechanism *m)
{
	return m->timeline ? m->timeline->event_types : NULL;
}

#define TYPES_CACHED 64	/* record types looked up in a table: every record is looked up */

/* Which mechanism lists a record type, in one of its lists: a table, filled once. */
struct type_owners {
	const __u16 *(*types)(const struct mechanism *m);
	int by_type[TYPES_CACHED];
	bool filled;
};

static int scan_types(const struct type_owners *o, __u16 type)
{
	for (size_t i = 0; i < n_mechanisms; i++)
		for (const __u16 *ty = o->types(mechanisms[i]); ty && *ty; ty++)
			if (*ty == type)
				return (int)i;
	return -1;
}

static int type_owner(struct type_owners *o, __u16 type)
{
	if (type >= TYPES_CACHED)
		return scan_types(o, type);
	if (!o->filled) {	/* the registry is constant: the same table whoever fills it */
		for (__u16 ty = 0; ty < TYPES_CACHED; ty++)
			o->by_type[ty] = scan_types(o, ty);
		o->filled = true;
	}
	return o->by_type[type];
}

int mech_of_event(__u16 type)
{
	static struct type_owners printed = { .types = printed_types };

	return type_owner(&printed, type);
}

int mech_of_record(__u16 type)
{
	static struct type_owners resolved = { .types = resolved_types };

	return type_owner(&resolved, type);
}

static bool has_nr(const int *nrs, int nr)
{
	for (; nrs && *nrs >= 0; nrs++)
		if (*nrs == nr)
			return true;
	return false;
}

/* By its syscall, then by its flags, then the default (the pipe's, sampled by the core's
 * sys_enter/sys_exit). */
int mech_of_syscall(int nr, __u16 flags)
{
	int dflt = -1;

	for (size_t i = 0; i < n_mechanisms; i++) {
		const struct mech_trace_ops *t = mechanisms[i]->trace;

		if (t && has_nr(t->syscall_nrs, nr))
			return (int)i;
	}
	for (size_t i = 0; i < n_mechanisms; i++) {
		const struct mech_trace_ops *t = mechanisms[i]->trace;

		if (t && t->syscall_flag && (flags & t->syscall_flag))
			return (int)i;
		if (t && t->syscall_default && dflt < 0)
			dflt = (int)i;
	}
	return dflt;
}

const struct mech_trace_ops *mech_trace_for_event(__u16 type)
{
	int m = mech_of_event(type);

	return m >= 0 ? mechanisms[m]->trace : NULL;
}

const struct mech_trace_ops *mech_trace_for_syscall(int nr, __u16 flags)
{
	int m = mech_of_syscall(nr, flags);

	return m >= 0 ? mechanisms[m]->trace : NULL;
}
