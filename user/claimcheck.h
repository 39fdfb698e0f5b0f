/* claimcheck.h - `ipclab check TRACE... --claims FILE`: a claims file judged on each trace. */
#ifndef IPCLAB_CLAIMCHECK_H
#define IPCLAB_CLAIMCHECK_H

#include <stdbool.h>
#include <json-c/json.h>
#include "run.h"

/*
 * Parse o->claims, judge it on each of the n traces and print the claims table (o->zh: in
 * Chinese) or, with o->summary, one row per trace.  Returns EXIT_OK when every claim of
 * every trace passed, EXIT_CLAIMS_FAILED when one failed, EXIT_USAGE for a bad claims
 * file or a bad trace (one line each on stderr), EXIT_NOMEM.
 */
int claims_check(char **traces, int n, const struct run_opts *o);

/*
 * `view --claims`: the claims file at path judged on each of the n traces, for the page as
 * json[i] (malloc'ed) for traces[i]: {"file": its base name, "claims": [...]}, each claim as
 * a trace stores one (id, text, text_zh, status, detail, detail_zh, evidence) with
 * "source": the file's base name.  Returns EXIT_OK, EXIT_USAGE for a bad claims file,
 * EXIT_INPUT for a bad trace (one line on stderr), EXIT_NOMEM; json[] is NULL but on EXIT_OK.
 */
int claims_verdicts_json(const char *path, const char *const *traces, int n, char **json);

struct cl_file;
struct cl_claim;
struct ce_result;

/*
 * One claim's verdict as JSON, as a trace's claims[] holds one (id, text, text_zh, status,
 * detail, detail_zh, evidence, "source": the claims file's base name).  stored: within the
 * trace's limits (docs/trace.schema.json: a detail cut, the first 24 evidence indices), for
 * trace --claims and run --lab; else whole, for view --claims.  NULL: out of memory.
 */
json_object *claims_verdict_json(const struct cl_claim *c, const struct ce_result *r,
				 const char *source, bool stored);
/* The claims table of one trace, titled o->claims (o->zh: in Chinese); also trace --claims */
void claims_print_table(const struct cl_file *f, const struct ce_result *res, const char *trace,
			size_t nevents, const struct run_opts *o);

#endif
