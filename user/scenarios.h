/* scenarios.h - the lab: one scenario per rule of the course notes. */
#ifndef IPCLAB_SCENARIOS_H
#define IPCLAB_SCENARIOS_H

#include <stddef.h>
#include "claims.h"

#define SCENARIO_MAX_PROGRAMS 3

struct scenario {
	const char *name;
	const char *section;		/* its mechanism's name (mech/NAME/) */
	const char *summary;		/* one line, for `ipclab list` */
	const char *summary_zh;		/* the same line in Chinese */
	const char *rule_zh;		/* the rule as the course notes state it */
	const char *explain;		/* what the trace shows, for the report */
	const char *explain_zh;		/* the same explanation in Chinese */
	/*
	 * what to look at in the viewer's page to see the lesson (lanes, blocked bars, wake-up
	 * arrows, the buffer's slots, faults on pages), one or two sentences, and in Chinese
	 */
	const char *look;
	const char *look_zh;
	/*
	 * lab programs (mech/NAME/labs/) with their arguments ("fifo_hello_writer {dir}/myfifo"), each
	 * started as a separate, unrelated process.  {dir} is a fresh private directory on a
	 * disk filesystem, owned by the user the programs run as, removed afterwards.
	 */
	const char *programs[SCENARIO_MAX_PROGRAMS];
	void (*check)(const struct timeline *tl, struct claim_set *cs);
};

/* Every mechanism's scenarios as one list (mech/registry.c's order). */
size_t scenario_count(void);
const struct scenario *scenario_at(size_t i);
const struct scenario *scenario_find(const char *name);

#endif
