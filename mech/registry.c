// SPDX-License-Identifier: GPL-2.0
/*
 * registry.c - the C side's one list of mechanisms (mech/NAME/).  Adding a mechanism adds
 * one line here (docs/adding-a-mechanism.md).
 */
#include "mechanism.h"

extern const struct mechanism mech_pipe, mech_fifo, mech_mmap, mech_unix, mech_signal,
	mech_mqueue, mech_compare;
extern const struct mechanism mech_shm;	/* System V and POSIX shared memory (mech/shm) */

const struct mechanism *const mechanisms[] = {
	&mech_pipe,
	&mech_fifo,
	&mech_mmap,
	&mech_unix,
	&mech_signal,
	&mech_mqueue,
	&mech_shm,
	&mech_compare,		/* the others side by side: last */
};

const size_t n_mechanisms = sizeof(mechanisms) / sizeof(mechanisms[0]);
