// SPDX-License-Identifier: GPL-2.0
/*
 * syscalls_arm64_check.c - bpf/syscalls_arm64.h against the kernel's generic table, which
 * arm64 uses (asm-generic/unistd.h with the arm64 uapi's wishes), on any build machine.
 * Its own translation unit: the generic and the x86_64 __NR_* cannot meet in one.
 */
#include <stdio.h>
#include <string.h>
#define __ARCH_WANT_NEW_STAT
#define __ARCH_WANT_RENAMEAT
#define __ARCH_WANT_SYS_CLONE3
#include <asm-generic/unistd.h>
#include <linux/types.h>
#define NR_ABSENT(n) (1000000 + (n))	/* as bpf/ipclab.h defines it */
#include "syscalls_arm64.h"
#include "syscalls_check.h"

static void note(struct table_check *c, const char *what, long got, long want)
{
	size_t len = strlen(c->why);

	c->bad++;
	snprintf(c->why + len, sizeof(c->why) - len, "%s %ld (kernel: %ld); ", what, got, want);
}

void check_arm64_table(struct table_check *c)
{
	memset(c, 0, sizeof(*c));
#define SAME(name) if (NR_##name != __NR_##name) note(c, "NR_" #name, NR_##name, __NR_##name);
	DECODED_COMMON(SAME)
#undef SAME
	/* the legacy forms: absent from the kernel's table, and never a syscall number here */
#define ABSENT(name) if (NR_##name < 1000000) note(c, "NR_" #name " should be absent", NR_##name, -1);
	DECODED_LEGACY(ABSENT)
#undef ABSENT
#if defined(__NR_open) || defined(__NR_pipe) || defined(__NR_dup2) || defined(__NR_unlink)
#error "asm-generic/unistd.h without __ARCH_WANT_SYSCALL_NO_AT has no open/pipe/dup2/unlink"
#endif
#define NAMED(nr, name) if (nr != __NR_##name) note(c, "name " #name, nr, __NR_##name);
	IPCLAB_SYSCALL_NAMES(NAMED)
#undef NAMED
}
