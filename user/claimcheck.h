/* claimcheck.h - `ipclab check TRACE... --claims FILE`: a claims file judged on each trace. */
#ifndef IPCLAB_CLAIMCHECK_H
#define IPCLAB_CLAIMCHECK_H

#include "run.h"

/*
 * Parse o->claims, judge it on each of the n traces and print the claims table (o->zh: in
 * Chinese) or, with o->summary, one row per trace.  Returns EXIT_OK when every claim of
 * every trace passed, EXIT_CLAIMS_FAILED when one failed, EXIT_USAGE for a bad claims
 * file or a bad trace (one line each on stderr), EXIT_NOMEM.
 */
int claims_check(char **traces, int n, const struct run_opts *o);

struct cl_file;
struct ce_result;
/* The claims table of one trace, titled o->claims (o->zh: in Chinese); also trace --claims */
void claims_print_table(const struct cl_file *f, const struct ce_result *res, const char *trace,
			size_t nevents, const struct run_opts *o);

#endif
