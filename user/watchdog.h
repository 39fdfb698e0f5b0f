/* watchdog.h - the traced tree dies with ipclab, even when ipclab is SIGKILLed. */
#ifndef IPCLAB_WATCHDOG_H
#define IPCLAB_WATCHDOG_H

#include <stdbool.h>
#include <sys/types.h>
#include "guardian.h"

struct watchdog {
	char cgroup[512];	/* "" when cgroup v2 is not available */
	struct guardian watcher;	/* kills the members if ipclab dies */
};

/* Make a cgroup for this recording and fork the watcher; 0 or -errno (still usable). */
int watchdog_start(struct watchdog *w);
/* Put a launched (held) process into the cgroup: its descendants follow. */
void watchdog_adopt(struct watchdog *w, pid_t pid);
/* Kill everything in the cgroup now (interrupt, timeout). */
void watchdog_kill(struct watchdog *w);
/* Normal end: release the watcher, remove the cgroup. */
void watchdog_stop(struct watchdog *w);

#endif
