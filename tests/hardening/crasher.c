// SPDX-License-Identifier: GPL-2.0
/* crasher - a workload that crashes: a store through a null pointer (SIGSEGV), no core. */
#include <stdio.h>
#include <sys/resource.h>

int main(void)
{
	struct rlimit none = { 0, 0 };
	volatile int *volatile p = NULL;

	setrlimit(RLIMIT_CORE, &none);	/* no core file, no slow core_pattern helper */
	fputs("crasher: about to dereference NULL\n", stderr);
	*p = 42;
	return 0;
}
