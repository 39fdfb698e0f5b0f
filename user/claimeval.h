/*
 * claimeval.h - a claims file (claimlang.h) judged on a trace's events, read with trace_read
 * twice in bounded memory: the first pass keeps each process's comm and every block's
 * (tid, start, end, waker, wake time) and the objects[] entries (up to CE_OBJECTS_MAX); the second keeps the events each selector matched, up
 * to CE_SELECT_MAX per selector.
 */
#ifndef IPCLAB_CLAIMEVAL_H
#define IPCLAB_CLAIMEVAL_H

#include <stdbool.h>
#include <stddef.h>
#include "claimlang.h"

#define CE_SELECT_MAX 65536	/* events one selector may keep; one more FAILs its claim */
#define CE_EVIDENCE_MAX 50	/* event indices listed per claim */
extern size_t ce_select_max;	/* CE_SELECT_MAX; the unit tests lower it */
/* entries of the trace's objects[] kept for object.KEY; one more FAILs the claims using them */
#define CE_OBJECTS_MAX 65536
extern size_t ce_objects_max;	/* CE_OBJECTS_MAX; the unit tests lower it */

struct ce_result {
	bool pass;
	/* FAIL: the first expect that failed, with the values seen; PASS: what each expect
	 * showed, joined with "; " (ending "… and N more" when they do not all fit) */
	char detail[512];
	char detail_zh[768];
	long evidence[CE_EVIDENCE_MAX];	/* indices into the trace's events */
	int nevidence;
};

/*
 * Judge f's claims on the trace at path: res[i] for f->claims[i]; *nevents gets the trace's
 * event count.  Returns 0 (whatever the verdicts), or trace_read()'s error with err saying
 * why (a bad trace), or -ENOMEM.
 */
int ce_evaluate(const struct cl_file *f, const char *path, struct ce_result *res,
		size_t *nevents, char *err, size_t errlen);

#endif
