/* spool.h - events drained from the ring buffer, kept compact until the workload is done. */
#ifndef IPCLAB_SPOOL_H
#define IPCLAB_SPOOL_H

#include <stddef.h>
#include <linux/types.h>
#include "ipclab.h"

struct spool {
	struct ipclab_event *ev;
	size_t n;
	size_t cap;
	__u64 lost;		/* records dropped for want of memory: the trace says so */
};

void spool_init(struct spool *s);
void spool_free(struct spool *s);
void spool_reset(struct spool *s);
int spool_append(struct spool *s, const void *data, size_t size);
/* ring_buffer__new() callback: ctx is the struct spool. */
int spool_on_event(void *ctx, void *data, size_t size);

/*
 * Saved spools (`trace --save-spool`, `replay`): the raw records with what is needed to
 * build the same trace again -- for benchmarks of the JSON stage and for regression tests.
 */
#define SPOOL_MAGIC "IPCLSPL1"

struct spool_header {
	char magic[8];
	__u32 record_size;	/* sizeof(struct ipclab_event) when written */
	__u32 tier;
	__u64 count;
	__u64 t0;
	__u64 start_realtime_ns;
	__u64 dropped;
	char kernel[128];
	char command[1024];
};

int spool_save(const struct spool *s, const struct spool_header *h, const char *path);
int spool_load(struct spool *s, struct spool_header *h, const char *path);

#endif
