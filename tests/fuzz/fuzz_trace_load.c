// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_trace_load.c - libFuzzer harness for the trace reader: the bytes are a trace file
 * handed to `ipclab check/export/view`.  trace_read() must accept it or give a one-line
 * reason, through each of its paths: checking only, `export --chrome` (export_chrome()
 * into /dev/null, streamed), the header check of `view`, and streaming with no small-file
 * fallback (the input's size picks which).  Gzip inputs go through zlib.  Any crash,
 * leak, ASan or UBSan report is a finding.
 */
#include "fuzz_common.h"
#include <errno.h>
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
	unsigned mode = size % 4;
	size_t whole = trace_whole_max;
	int ret;

	memfile_set(&in, data, size);
	if (mode == 3)
		trace_whole_max = 0;
	if (mode == 1)
		ret = export_chrome(in.path, devnull, err, sizeof(err));
	else
		ret = trace_read(in.path, NULL, mode == 2 ? TRACE_READ_HEADER : 0, err, sizeof(err));
	trace_whole_max = whole;
	clearerr(devnull);
	if (ret && ret != -ENOMEM)
		check_error_line(err);
	return 0;
}
