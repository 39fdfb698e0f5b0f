/* claims_util.h - small queries every scenario checker uses. */
#ifndef IPCLAB_CLAIMS_UTIL_H
#define IPCLAB_CLAIMS_UTIL_H

#include <stdio.h>
#include <string.h>
#include "claims.h"
#include "names.h"

/* A page fault the kernel handled: one it took with page faults disabled is retried by the
 * code that faulted, so the fault that counts is the one that follows. */
static inline bool handled_fault(const struct tl_event *te)
{
	return te->e->type == EVT_FAULT && !(te->e->flags & EVF_NOFAULT);
}

/* A process by the name it gave itself (prctl(PR_SET_NAME), seen via task_rename). */
static inline const struct tl_process *role(const struct timeline *tl, const char *comm)
{
	return tl_proc_by_comm(tl, comm);
}

static inline struct tl_filter pipe_io(__u32 pid, int write, int obj)
{
	struct tl_filter f = TL_ANY;

	f.type = EVT_PIPE_IO;
	f.pid = pid;
	f.write = write;
	f.obj = obj;
	return f;
}

static inline struct tl_filter syscall_of(__u32 pid, int nr)
{
	struct tl_filter f = TL_ANY;

	f.type = EVT_SYSCALL;
	f.pid = pid;
	f.nr = nr;
	return f;
}

static inline struct tl_filter events_of(__u32 pid, int type)
{
	struct tl_filter f = TL_ANY;

	f.type = type;
	f.pid = pid;
	return f;
}

/* The n-th (0-based) match, or -1. */
static inline long nth(const struct timeline *tl, struct tl_filter f, int n)
{
	long i = -1;

	while (n-- >= 0 && (i = tl_next(tl, i, &f)) >= 0)
		;
	return i;
}

static inline const struct ipclab_pipe_io *io(const struct timeline *tl, long i)
{
	return &tl->ev[i].e->io;
}

/* Missing evidence means the probes saw nothing: the claim fails, saying what is missing,
 * in English and Chinese. */
static inline bool need_zh(struct claim *c, const void *what, const char *name,
			   const char *name_zh)
{
	if (what)
		return true;
	claim_result(c, false, "missing from the trace: %s", name);
	claim_detail_zh(c, "跟踪中缺少：%s", name_zh);
	return false;
}

/* need_zh() for a name that reads the same in both languages (a syscall's, a role's). */
static inline bool need(struct claim *c, const void *what, const char *name)
{
	return need_zh(c, what, name, name);
}

/* The scenarios' FIFOs are DIR/myfifo: the loader's own opens (libc) are not. */
static inline bool path_is_fifo_arg(const char *path)
{
	size_t n = strnlen(path, IPCLAB_PATH_LEN);	/* a record's path may lack its NUL */

	return n >= 6 && memcmp(path + n - 6, "myfifo", 6) == 0;
}

/* "4096" or "-EAGAIN": a syscall result as a student reads it. */
static inline const char *res(char buf[32], __s64 r)
{
	if (r >= 0)
		snprintf(buf, 32, "%lld", (long long)r);
	else
		snprintf(buf, 32, "-%s", errno_name((int)-r));
	return buf;
}

#endif
