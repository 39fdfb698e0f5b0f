/* claims.h - what a scenario states, proved or refuted from the trace. */
#ifndef IPCLAB_CLAIMS_H
#define IPCLAB_CLAIMS_H

#include <stdbool.h>
#include "timeline.h"

#define CLAIM_MAX 16
#define CLAIM_EVIDENCE_MAX 24

struct claim {
	char id[40];
	char text[256];		/* the statement, as the course would make it */
	bool pass;
	char detail[320];	/* what the trace showed */
	long evidence[CLAIM_EVIDENCE_MAX];	/* indices into the trace's events */
	int nevidence;
};

struct claim_set {
	struct claim c[CLAIM_MAX];
	int n;
};

struct claim *claim_new(struct claim_set *cs, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sets pass/fail and the detail; returns pass. */
bool claim_result(struct claim *c, bool pass, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void claim_cite(struct claim *c, long event_index);
int claims_failed(const struct claim_set *cs);

/* Scenario checkers (claims_pipe.c, ...). */
void check_pipe_transfer(const struct timeline *tl, struct claim_set *cs);
void check_pipe_read_blocks(const struct timeline *tl, struct claim_set *cs);
void check_pipe_eof(const struct timeline *tl, struct claim_set *cs);
void check_pipe_write_blocks(const struct timeline *tl, struct claim_set *cs);
void check_pipe_sigpipe(const struct timeline *tl, struct claim_set *cs);
void check_pipe_epipe(const struct timeline *tl, struct claim_set *cs);
void check_pipe_nonblock(const struct timeline *tl, struct claim_set *cs);
void check_pipe_capacity(const struct timeline *tl, struct claim_set *cs);
void check_pipe_resize(const struct timeline *tl, struct claim_set *cs);
void check_pipe_two_way(const struct timeline *tl, struct claim_set *cs);
void check_pipe_atomic(const struct timeline *tl, struct claim_set *cs);
void check_pipe_atomic_large(const struct timeline *tl, struct claim_set *cs);
void check_fifo_hello(const struct timeline *tl, struct claim_set *cs);
void check_fifo_open_blocks(const struct timeline *tl, struct claim_set *cs);
void check_fifo_enoent(const struct timeline *tl, struct claim_set *cs);
void check_fifo_nonblock_open(const struct timeline *tl, struct claim_set *cs);
void check_fifo_lseek(const struct timeline *tl, struct claim_set *cs);
void check_fifo_on_disk(const struct timeline *tl, struct claim_set *cs);
void check_fifo_unlink(const struct timeline *tl, struct claim_set *cs);
void check_mmap_shared_file(const struct timeline *tl, struct claim_set *cs);
void check_mmap_anon_shared(const struct timeline *tl, struct claim_set *cs);
void check_mmap_private_cow(const struct timeline *tl, struct claim_set *cs);
void check_mmap_lazy(const struct timeline *tl, struct claim_set *cs);
void check_mmap_fault_around(const struct timeline *tl, struct claim_set *cs);
void check_mmap_close_fd(const struct timeline *tl, struct claim_set *cs);
void check_mmap_errors(const struct timeline *tl, struct claim_set *cs);
void check_mmap_sigbus(const struct timeline *tl, struct claim_set *cs);
void check_mmap_msync(const struct timeline *tl, struct claim_set *cs);
void check_mmap_vs_write(const struct timeline *tl, struct claim_set *cs);

#endif
