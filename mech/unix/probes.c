// SPDX-License-Identifier: GPL-2.0
/* probes.c - the function probes of Unix sockets (mech/unix/unix.bpf.c). */
#include "mechanism.h"

/*
 * A send or receive function, entry and exit, on both function tiers; probed when kernel BTF
 * has it.  A skipped exit probe's record is made at sys_exit (mech_sys_exit()), a skipped
 * entry probe's by the exit probe, from the fd.
 */
#define UNIX_FN(short, func) \
	{ TIER_FENTRY, false, "fentry_" #short, func, NULL, true }, \
	{ TIER_FENTRY, true, "fexit_" #short, func, NULL, true }, \
	{ TIER_KPROBE, false, "kprobe_" #short, func, NULL, true }, \
	{ TIER_KPROBE, true, "kretprobe_" #short, func, NULL, true }

static const struct mech_probe unix_probe_rows[] = {
	UNIX_FN(unix_stream_send, "unix_stream_sendmsg"),
	UNIX_FN(unix_dgram_send, "unix_dgram_sendmsg"),
	UNIX_FN(unix_seqpacket_send, "unix_seqpacket_sendmsg"),
	UNIX_FN(unix_stream_recv, "unix_stream_recvmsg"),
	UNIX_FN(unix_dgram_recv, "unix_dgram_recvmsg"),
	UNIX_FN(unix_seqpacket_recv, "unix_seqpacket_recvmsg"),
};

const struct mech_probes unix_probes = {
	.rows = unix_probe_rows,
	.n_rows = sizeof(unix_probe_rows) / sizeof(unix_probe_rows[0]),
};
