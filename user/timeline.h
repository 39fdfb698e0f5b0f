/* timeline.h - the trace as a model: processes (lanes), objects (a pipe, a mapping, a socket:
 * each mechanism's, mech/registry_objects.h), ordered events. */
#ifndef IPCLAB_TIMELINE_H
#define IPCLAB_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>
#include "ipclab.h"
#include "mech/registry_objects.h"	/* enum obj_kind, TL_OBJECT_DETAILS */

struct tl_object {
	int id;
	enum obj_kind kind;
	TL_OBJECT_DETAILS	/* what only some kinds use: pipe, map (mappings), sock */
	__u64 kptr;		/* the kernel object's address, which blocks name (a pipe_inode_info,
				 * a struct sock); may be reused after it is freed */
	__u64 ino;
	__u32 dev;
	__s64 t_first;		/* ns from trace start */
	__u32 creator;		/* pid that called pipe()/pipe2()/mmap()/socket()/..., 0 if not seen */
	int fds[2];		/* pipe: [read, write]; socket: [its fd, -1] */
	char path[IPCLAB_PATH_LEN];
};

struct tl_process {
	__u32 pid;
	__u32 ppid;
	char comm[IPCLAB_COMM_LEN];	/* latest name (exec, prctl) */
	char exe[IPCLAB_PATH_LEN];
	__s64 t_start;
	__s64 t_exec;			/* last exec, -1 if none seen */
	__s64 t_exit;
	int exit_status;		/* wait status: code << 8 | signal */
	bool exited;
};

struct tl_event {
	const struct ipclab_event *e;	/* the spooled record (not copied: it outlives us) */
	__s64 t;		/* start, ns from trace start */
	__s64 dur;		/* spans: end - start; 0 for instants */
	int obj;		/* the object (a pipe, a mapping, a socket), -1 if none */
	int waker_obj;		/* EVT_BLOCK: object the waker was using, -1 if none */
	__s64 page;		/* faults and file pages: page index in the mapping, -1 */
	__s8 major;		/* faults: 1 major, 0 minor, -1 unknown */
	__s8 write;		/* I/O on an object: 1 a write or send, 0 a read or receive;
				 * -1 anything else */
	int peer;		/* socket I/O: the other end (a send: the receiver whose queue
				 * was sampled), -1 if none */
};

struct trace_meta;

struct timeline {
	__u64 t0;		/* CLOCK_MONOTONIC ns of trace start */
	struct tl_event *ev;
	size_t n;
	struct tl_process *procs;
	size_t nprocs;
	struct tl_object *objs;
	size_t nobjs;
	size_t invalid;		/* records refused as impossible (a corrupt spool) */
	/* Lookups by pid and object address, and the mechanisms' own (timeline.c); NULL in a
	 * timeline that was not built by timeline_build() or tl_stream_init(). */
	struct tl_index *ix;
	/* The recording's meta (which optional probes attached), set by the recorder before
	 * the claims are checked; NULL otherwise. */
	const struct trace_meta *meta;
};

int timeline_build(struct timeline *tl, const struct ipclab_event *raw, size_t n, __u64 t0);
void timeline_free(struct timeline *tl);

/*
 * Streaming, for traces too big for memory: records go in one at a time in time order
 * (spool_merge_next()) and come out through emit(), resolved, in the same order, once
 * TL_WINDOW later records have gone in (or at the end).  The window is what lets a fault
 * learn from the page-cache records right after it that it was major, as in
 * timeline_build(); processes and objects are complete once the stream is finished.
 */
#define TL_WINDOW 8192

typedef int (*tl_emit_fn)(void *ctx, const struct timeline *tl, const struct tl_event *te);

struct tl_stream {
	struct timeline tl;		/* processes and objects so far; tl.n counts emitted */
	struct tl_event *win;		/* circular */
	struct ipclab_event *rec;	/* the window's records: win[i].e == &rec[i] */
	size_t head, len;
	tl_emit_fn emit;
	void *ctx;
	int err;			/* emit()'s first error: nothing is emitted after it */
};

int tl_stream_init(struct tl_stream *s, __u64 t0, tl_emit_fn emit, void *ctx);
/* Keep the objects and processes in fd (an unnamed scratch file the caller owns) from offset
 * (a multiple of 4096) on, sparse, mapped, so that memory does not grow with their number;
 * before any add. */
void tl_stream_objects_in(struct tl_stream *s, int fd, __u64 offset);
/* Done reading objects (processes) before `upto` (writing them out): their memory can go. */
void tl_objects_release(const struct timeline *tl, size_t upto);
void tl_processes_release(const struct timeline *tl, size_t upto);
void tl_stream_add(struct tl_stream *s, const struct ipclab_event *e);
int tl_stream_finish(struct tl_stream *s);	/* emit the rest: 0 or emit()'s first error */
void tl_stream_free(struct tl_stream *s);

const struct tl_process *tl_proc(const struct timeline *tl, __u32 pid);
const struct tl_process *tl_proc_by_comm(const struct timeline *tl, const char *comm);

/* Event queries: fields left at their "any" value match everything. */
struct tl_filter {
	int type;		/* 0: any */
	int write;		/* I/O (tl_event.write): -1 any, 0 read, 1 write */
	int obj;		/* -1 any */
	__u32 pid;		/* 0 any */
	int nr;			/* syscall, -2 any */
};
#define TL_ANY { .type = 0, .write = -1, .obj = -1, .pid = 0, .nr = -2 }

bool tl_match(const struct tl_event *e, const struct tl_filter *f);
/* Index of the next match after `after` (-1 to start), or -1. */
long tl_next(const struct timeline *tl, long after, const struct tl_filter *f);
size_t tl_count(const struct timeline *tl, const struct tl_filter *f);
/* The EVT_BLOCK in which the syscall span `i` slept (first one), or -1. */
long tl_block_in(const struct timeline *tl, long i);
/* Is `anc` the process `pid` or one of its ancestors in the traced tree? */
bool tl_is_ancestor(const struct timeline *tl, __u32 anc, __u32 pid);

static inline __s64 tl_end(const struct tl_event *e)
{
	return e->t + e->dur;
}

#endif
