/* sock_trace.h - a synthetic Unix socket trace for the unit tests (mech/unix/tests/sock_trace.c). */
#ifndef IPCLAB_TEST_SOCK_TRACE_H
#define IPCLAB_TEST_SOCK_TRACE_H

#include <stddef.h>
#include "ipclab.h"

/* struct sock addresses; objects come in this order: 0 SA, 1 SB, 2 SD, 3 SE */
#define SOCK_A 0xffff888010000000ULL	/* socketpair, first end (fd 3), inode 1001 */
#define SOCK_B 0xffff888010001000ULL	/* socketpair, second end (fd 4), inode 1002 */
#define SOCK_D 0xffff888010002000ULL	/* datagram socket bound to /tmp/ipclab.sock */
#define SOCK_E 0xffff888010003000ULL	/* datagram socket bound to an abstract name */
#define SOCK_W 300			/* pid of the writer */
#define SOCK_R 400			/* pid of the reader */
#define SOCK_MAX 32			/* records make_sock_trace() writes at most */

/* The records, in time order; times in ns after t0 name them (see the comments inside). */
size_t make_sock_trace(struct ipclab_event *raw, __u64 t0);

#endif
