/*
 * run_scenarios.h - the group setup of a mechanism's integration test: `ipclab run` once, as
 * root, for the scenarios it names, before the tests read their traces.  Include it after
 * <cmocka.h>; the test is compiled with IPCLAB_BIN (its tests.cmake).
 */
#ifndef IPCLAB_RUN_SCENARIOS_H
#define IPCLAB_RUN_SCENARIOS_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * Run `ipclab run` into dir (a mkdtemp() template, made here) with the probe tier from
 * IPCLAB_TEST_TIER (default auto), its output in dir/run.out, on the scenarios that `ipclab
 * list` names with prefix.
 * *status gets system()'s result: 0 when every claim passed.  Not root: the test is skipped
 * (exit 77, ctest's SKIP_RETURN_CODE).  Returns -1 when dir could not be made, else 0.
 */
static inline int run_scenarios(char *dir, const char *prefix, int *status)
{
	const char *tier = getenv("IPCLAB_TEST_TIER");
	char cmd[1024];

	if (geteuid() != 0) {
		print_message("not root: skipped\n");
		exit(77);
	}
	if (!mkdtemp(dir))
		return -1;
	snprintf(cmd, sizeof(cmd), "%s run -o %s --tier %s $(%s list | awk '$1 ~ /^%s/ {print $1}') "
		 "> %s/run.out 2>&1", IPCLAB_BIN, dir, tier ? tier : "auto", IPCLAB_BIN, prefix, dir);
	*status = system(cmd);
	return 0;
}

#endif
