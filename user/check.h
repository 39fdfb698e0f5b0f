/* check.h - `ipclab check TRACE` without --claims (check.c). */
#ifndef IPCLAB_CHECK_H
#define IPCLAB_CHECK_H

#include "run.h"

/*
 * Read the trace at path to its end and print its claims: judged again by the scenario's
 * own checker on a timeline rebuilt from its events when this ipclab knows the scenario,
 * else as stored.  EXIT_OK, EXIT_CLAIMS_FAILED, or the status of a trace that cannot be
 * read (trace_read_status()), after one line on stderr.
 */
int check_trace(const char *path, const struct run_opts *o);

/*
 * What trace_read() said (its return and err), on one line on stderr; the exit status.  An
 * error the reader did not describe is the visitor's own: out of memory, or output
 * (what_out) that cannot be written.
 */
int trace_read_status(int ret, const char *err, const char *what_out);

#endif
