// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - System V shared memory in the JSON trace: shmget, shmat and shmctl records get
 * their arguments decoded after "ret" (docs/trace-format.md): shmget's key, size and flags,
 * shmat's flags, shmctl's command.  Their mapping objects (shmat makes one, shmdt ends it)
 * are mech/mmap's: backing "sysv shm".  The core reaches this through shm_trace_ops.
 */
#include <stdio.h>
#include <string.h>
#include "event_print.h"
#include "mechanism.h"
#include "shm.h"

#define IPC_CREAT_ 01000
#define IPC_EXCL_ 02000
#define SHM_HUGETLB_ 04000
#define SHM_NORESERVE_ 010000
#define SHM_RDONLY_ 010000
#define SHM_RND_ 020000
#define SHM_REMAP_ 040000
#define SHM_EXEC_ 0100000

/* shmget's shmflg: "IPC_CREAT|IPC_EXCL|0600" (the mode in octal, always last). */
void shm_get_flags(char *buf, size_t n, __u64 flg)
{
	snprintf(buf, n, "%s%s%s%s%04llo", flg & IPC_CREAT_ ? "IPC_CREAT|" : "",
		 flg & IPC_EXCL_ ? "IPC_EXCL|" : "", flg & SHM_HUGETLB_ ? "SHM_HUGETLB|" : "",
		 flg & SHM_NORESERVE_ ? "SHM_NORESERVE|" : "", (unsigned long long)(flg & 0777));
}

/* shmat's shmflg: "SHM_RDONLY|SHM_RND", or "0". */
void shm_at_flags(char *buf, size_t n, __u64 flg)
{
	snprintf(buf, n, "%s%s%s%s", flg & SHM_RDONLY_ ? "|SHM_RDONLY" : "",
		 flg & SHM_RND_ ? "|SHM_RND" : "", flg & SHM_REMAP_ ? "|SHM_REMAP" : "",
		 flg & SHM_EXEC_ ? "|SHM_EXEC" : "");
	if (buf[0])
		memmove(buf, buf + 1, strlen(buf));
	else
		snprintf(buf, n, "0");
}

/* shmctl's cmd (the kernel decodes cmd & 0xff: IPC_64 is 0x100). */
const char *shm_cmd_name(__u64 cmd)
{
	switch (cmd & 0xff) {
	case 0: return "IPC_RMID";
	case 1: return "IPC_SET";
	case 2: return "IPC_STAT";
	case 3: return "IPC_INFO";
	case 11: return "SHM_LOCK";
	case 12: return "SHM_UNLOCK";
	case 13: return "SHM_STAT";
	case 14: return "SHM_INFO";
	case 15: return "SHM_STAT_ANY";
	}
	return "unknown";
}

static void shm_syscall_head_json(struct jb *b, const struct timeline *tl,
				  const struct tl_event *te)
{
	const struct ipclab_syscall *sc = &te->e->sc;
	char flags[96];

	(void)tl;
	if (te->e->type != EVT_SYSCALL)
		return;
	switch (te->e->nr) {
	case NR_shmget:
		jb_num(b, "shm_key", (long long)(__u32)sc->args[0]);
		jb_num(b, "shm_size", (long long)sc->args[1]);
		shm_get_flags(flags, sizeof(flags), sc->args[2]);
		jb_str(b, "shm_flags", flags);
		break;
	case NR_shmat:
		shm_at_flags(flags, sizeof(flags), sc->args[2]);
		jb_str(b, "shm_flags", flags);
		break;
	case NR_shmctl:
		jb_str(b, "shm_cmd", shm_cmd_name(sc->args[1]));
		break;
	}
}

const struct mech_trace_ops shm_trace_ops = {
	.syscall_head_json = shm_syscall_head_json,
};
