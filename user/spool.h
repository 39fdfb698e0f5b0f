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

#endif
