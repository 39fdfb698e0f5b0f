// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_claims.c - libFuzzer harness for the claims language: the bytes are a claims file
 * given to `ipclab check --claims`.  cl_parse() must accept it or give one line
 * "NAME:LINE:COL: reason"; a file it accepts is judged on a real trace
 * (tests/viz/fixtures/pipe_write_blocks.json), which must not fail but for memory.  Any
 * crash, leak, ASan or UBSan report is a finding.
 */
#include "fuzz_common.h"
#include <errno.h>
#include "claimeval.h"
#include "claimlang.h"

#define FUZZ_TRACE IPCLAB_SOURCE_DIR "/tests/viz/fixtures/pipe_write_blocks.json"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (access(FUZZ_TRACE, R_OK))
		FUZZ_DIE("no trace to judge claims on: %s", FUZZ_TRACE);
	return 0;
}

static void check_parse_error(const char *err)
{
	if (strncmp(err, "in:", 3) || strchr(err, '\n'))
		FUZZ_DIE("cl_parse: bad error message '%s'", err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	char *text = malloc(size + 1);
	struct cl_file f;
	struct ce_result *res;
	size_t nevents;
	int ret;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ret = cl_parse("in", text, size, &f, err, sizeof(err));
	free(text);
	if (ret) {
		if (ret != -ENOMEM)
			check_parse_error(err);
		return 0;
	}
	res = calloc(f.nclaims, sizeof(*res));
	if (res) {
		ret = ce_evaluate(&f, FUZZ_TRACE, res, &nevents, err, sizeof(err));
		if (ret && ret != -ENOMEM)
			FUZZ_DIE("ce_evaluate refused the fixture: %s", err);
	}
	free(res);
	cl_free(&f);
	return 0;
}
