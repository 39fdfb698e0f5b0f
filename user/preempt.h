/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IPCLAB_PREEMPT_H
#define IPCLAB_PREEMPT_H

#include <stdbool.h>

/* Can the running kernel preempt a task inside a BPF program (preempt.c)?  *source names
 * what said so ("uname -v", "PREEMPT_DYNAMIC, boot log", ...); not known counts as yes. */
bool kernel_preempts_programs(const char **source);

#endif
