/*
 * mechanism.h - what an IPC mechanism (mech/NAME/) gives the core.
 *
 * The core names no mechanism: it reaches each through this structure, listed once in
 * mech/registry.c.  See mech/README.md for what a mechanism's folder holds.
 */
#ifndef IPCLAB_MECHANISM_H
#define IPCLAB_MECHANISM_H

#include <stddef.h>
#include "scenarios.h"

struct mechanism {
	const char *name;			/* its folder under mech/, and its scenarios' section */
	const struct scenario *scenarios;	/* in the order `ipclab list` and `run` use */
	size_t n_scenarios;
};

/* mech/registry.c: every mechanism, in the order their scenarios are listed and run. */
extern const struct mechanism *const mechanisms[];
extern const size_t n_mechanisms;

#endif
