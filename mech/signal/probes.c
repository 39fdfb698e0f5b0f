// SPDX-License-Identifier: GPL-2.0
/* probes.c - the programs of signals (mech/signal/signal.bpf.c): tracepoints on every tier. */
#include "mechanism.h"

static const struct mech_program signal_programs[] = {
	MECH_PROG("signal_generate"),
	MECH_PROG("signal_deliver"),
};

const struct mech_probes signal_probes = {
	.programs = signal_programs,
	.n_programs = sizeof(signal_programs) / sizeof(signal_programs[0]),
};
