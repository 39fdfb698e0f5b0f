/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shm.bpf.h - System V shared memory, the syscall side: shmget, shmat, shmdt and shmctl are
 * reported as EVT_SYSCALL records with their arguments and result, nothing more.  The
 * arguments say everything the timeline needs (mech/mmap/timeline.c): shmget's size and its
 * result (the id), shmat's id and its result (the address the segment is attached at),
 * shmdt's address.  POSIX shared memory needs nothing here: shm_open is an openat on
 * /dev/shm and the mapping an mmap (mech/mmap/mmap.bpf.h already names its tmpfs file).
 * Included by mech/registry.bpf.h; inline, no state between entry and exit.
 */
#ifndef IPCLAB_SHM_BPF_H
#define IPCLAB_SHM_BPF_H

static __always_inline bool shm_syscall_of_interest(__s32 nr)
{
	return nr == NR_shmget || nr == NR_shmat || nr == NR_shmdt || nr == NR_shmctl;
}

#endif
