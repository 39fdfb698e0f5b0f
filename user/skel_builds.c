// SPDX-License-Identifier: GPL-2.0
/*
 * skel_builds.c - the other builds of the BPF object, handed to the main skeleton in place
 * of its own ELF bytes (attach.c): the one without BPF atomics (kernels before 5.12) and the
 * direct-load one (IPCLAB_DIRECT: kernel fields read with plain loads, Linux 6.2+).  All come
 * from the same sources, so their programs, maps and read-only data are the same.
 */
#include <stddef.h>
#include <bpf/libbpf.h>
#include "ipclab.skel.h"
#include "ipclab_legacy.skel.h"
#include "ipclab_direct.skel.h"
#include "attach.h"

/* The main skeleton writes the read-only data and finds programs and maps by name: the
 * other builds must have the same layout, or the loader would set the wrong variables. */
#define SAME(build, field) (offsetof(struct ipclab_bpf__rodata, field) == \
			    offsetof(struct build##_bpf__rodata, field))
#define SAME_LAYOUT(build) \
	_Static_assert(sizeof(struct ipclab_bpf__rodata) == sizeof(struct build##_bpf__rodata) && \
		       SAME(build, tier) && SAME(build, wakeup_bytes) && \
		       SAME(build, batch_bytes) && SAME(build, task_by_helpers) && \
		       SAME(build, emulate_skips), \
		       "the " #build " BPF object's read-only data differs from the main one's"); \
	_Static_assert(sizeof(((struct ipclab_bpf *)0)->progs) == \
		       sizeof(((struct build##_bpf *)0)->progs) && \
		       sizeof(((struct ipclab_bpf *)0)->maps) == \
		       sizeof(((struct build##_bpf *)0)->maps), \
		       "the " #build " BPF object's programs or maps differ from the main one's")

SAME_LAYOUT(ipclab_legacy);
SAME_LAYOUT(ipclab_direct);

const void *ipclab_legacy_elf_bytes(size_t *sz)
{
	return ipclab_legacy_bpf__elf_bytes(sz);
}

const void *ipclab_direct_elf_bytes(size_t *sz)
{
	return ipclab_direct_bpf__elf_bytes(sz);
}
