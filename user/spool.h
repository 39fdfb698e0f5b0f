/* spool.h - events drained from the ring buffer, kept compact until the workload is done. */
#ifndef IPCLAB_SPOOL_H
#define IPCLAB_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "ipclab.h"
#include "progress.h"

struct spool_run {
	__u64 off;		/* byte offset in the spill file */
	__u64 n;		/* records */
};

struct spool {
	struct ipclab_event *ev;
	size_t n;
	size_t cap;
	__u64 lost;		/* records dropped for want of memory or disk: the trace says so */
	/*
	 * Spilling (`ipclab trace`, `replay`): when a chunk of SPOOL_CHUNK records is full it is
	 * sorted in time order and written to an unnamed file as a run, and the chunk is reused;
	 * spool_merge_*() reads the runs back merged.  Memory stays at one chunk however long the
	 * trace.  `ipclab run` keeps everything in memory (spill_fd -1): claims need the events.
	 */
	int spill_fd;
	/* Recording with a spill file: ring-buffer samples (batches of records) are appended to
	 * raw_fd as they come, one write each, and sorted into runs only afterwards
	 * (spool_ingest_raw()): the drain then costs the traced programs almost no CPU. */
	int raw_fd;
	__u64 raw_bytes;
	size_t chunk;		/* SPOOL_CHUNK; tests make it small (IPCLAB_SPOOL_CHUNK) */
	struct spool_run *runs;
	size_t nruns;
	__u64 spilled;		/* records in runs */
};

#define SPOOL_CHUNK 32768	/* records per run: 7.5 MiB */

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

/* Spilling: runs go to fd (an unnamed file, out_tmpfile()); the spool owns it from now. */
int spool_spill_to(struct spool *s, int fd);
bool spool_spilled(const struct spool *s);
/* Record to fd (an unnamed file) as in raw_fd above; the spool owns it from now. */
void spool_raw_to(struct spool *s, int fd);
/* The raw recording, parsed into the spool (and its runs); then the raw file is closed.
 * Its blocks are given back as they are read; -EINTR when pr says Ctrl-C. */
int spool_ingest_raw(struct spool *s, struct progress *pr);
/* Write what is still in memory as the last run: after it, every record is in a run. */
int spool_spill_finish(struct spool *s);
/* spool_load() for big files: the records go through spool_append() (and spill). */
int spool_load_spilling(struct spool *s, struct spool_header *h, const char *path);

/* The records of all runs, merged in time order (ts_start, ts, tid: the timeline's order). */
struct spool_merge;
int spool_merge_open(struct spool_merge **m, const struct spool *s);
const struct ipclab_event *spool_merge_next(struct spool_merge *m);	/* NULL: end or error */
/* The last pass: each run's disk blocks are given back once read (the runs are gone). */
void spool_merge_release(struct spool_merge *m);
int spool_merge_close(struct spool_merge *m);	/* 0, or the first read error */

#endif
