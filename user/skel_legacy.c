// SPDX-License-Identifier: GPL-2.0
/*
 * skel_legacy.c - the BPF object built without BPF atomics (kernels before 5.12), handed to
 * the main skeleton in place of its own ELF bytes (attach.c).  Both objects come from the
 * same source, so their programs, maps and read-only data are the same.
 */
#include <stddef.h>
#include <bpf/libbpf.h>
#include "ipclab.skel.h"
#include "ipclab_legacy.skel.h"
#include "attach.h"

/* The main skeleton writes the read-only data and finds programs and maps by name: the
 * legacy object must have the same layout, or the loader would set the wrong variables. */
#define SAME(field) (offsetof(struct ipclab_bpf__rodata, field) == \
		     offsetof(struct ipclab_legacy_bpf__rodata, field))
_Static_assert(sizeof(struct ipclab_bpf__rodata) == sizeof(struct ipclab_legacy_bpf__rodata) &&
	       SAME(tier) && SAME(wakeup_bytes) && SAME(batch_bytes) && SAME(task_by_helpers) &&
	       SAME(emulate_skips),
	       "the legacy BPF object's read-only data differs from the main one's");
_Static_assert(sizeof(((struct ipclab_bpf *)0)->progs) ==
	       sizeof(((struct ipclab_legacy_bpf *)0)->progs) &&
	       sizeof(((struct ipclab_bpf *)0)->maps) == sizeof(((struct ipclab_legacy_bpf *)0)->maps),
	       "the legacy BPF object's programs or maps differ from the main one's");

const void *ipclab_legacy_elf_bytes(size_t *sz)
{
	return ipclab_legacy_bpf__elf_bytes(sz);
}
