// SPDX-License-Identifier: GPL-2.0
/* scenarios.c - every mechanism's scenarios (mech/registry.c), as one numbered list. */
#include <string.h>
#include "mechanism.h"

size_t scenario_count(void)
{
	size_t n = 0;

	for (size_t m = 0; m < n_mechanisms; m++)
		n += mechanisms[m]->n_scenarios;
	return n;
}

/* The i-th scenario, mechanisms in registry order; NULL past the end. */
const struct scenario *scenario_at(size_t i)
{
	for (size_t m = 0; m < n_mechanisms; m++) {
		if (i < mechanisms[m]->n_scenarios)
			return &mechanisms[m]->scenarios[i];
		i -= mechanisms[m]->n_scenarios;
	}
	return NULL;
}

const struct scenario *scenario_find(const char *name)
{
	const struct scenario *s;

	for (size_t i = 0; (s = scenario_at(i)); i++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}
