// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_trace_load.c - libFuzzer harness for the trace reader: the bytes are a trace file
 * handed to `ipclab check/export/view`.  trace_load() must accept it or give a one-line
 * reason; an accepted trace then goes through `export --chrome` (export_chrome() into
 * /dev/null), the other consumer of a loaded trace.  Any crash, leak, ASan or UBSan report
 * is a finding.
 */
#include "fuzz_common.h"
#include "chrome.h"

static struct memfile in;
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	memfile_init(&in, "ipclab-fuzz-trace");
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		FUZZ_DIE("no /dev/null");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	json_object *t;

	memfile_set(&in, data, size);
	t = trace_load(in.path, err, sizeof(err));
	if (!t) {
		check_error_line(err);
		return 0;
	}
	export_chrome(t, devnull);
	clearerr(devnull);
	json_object_put(t);
	return 0;
}
