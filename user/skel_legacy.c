// SPDX-License-Identifier: GPL-2.0
/*
 * skel_legacy.c - the BPF object built without BPF atomics (kernels before 5.12), handed to
 * the main skeleton in place of its own ELF bytes (attach.c).  Both objects come from the
 * same source, so their programs, maps and read-only data are the same.
 */
#include <stddef.h>
#include <bpf/libbpf.h>
#include "ipclab_legacy.skel.h"
#include "attach.h"

const void *ipclab_legacy_elf_bytes(size_t *sz)
{
	return ipclab_legacy_bpf__elf_bytes(sz);
}
