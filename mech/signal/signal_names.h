/* signal_names.h - names mech/signal/trace.c gives and its claims print. */
#ifndef IPCLAB_SIGNAL_NAMES_H
#define IPCLAB_SIGNAL_NAMES_H

#include "ipclab.h"

const char *sig_result_name(int result);	/* TRACE_SIGNAL_*: "already_pending" */
const char *sig_code_name(int code);		/* "SI_QUEUE", NULL for a signal's own code */
int sig_syscall_sig_arg(int nr);		/* kill's 1, tgkill's 2, ...; -1: none */

/* TRACE_SIGNAL_* (include/trace/events/signal.h) */
enum { SIG_DELIVERED, SIG_IGNORED, SIG_ALREADY_PENDING, SIG_OVERFLOW_FAIL, SIG_LOSE_INFO };

/* si_code values (include/uapi/asm-generic/siginfo.h), and SIGCHLD (17 on x86_64 and
 * arm64) */
#define SI_USER_	0
#define SI_QUEUE_	(-1)
#define SI_TIMER_	(-2)
#define SI_MESGQ_	(-3)
#define SI_TKILL_	(-6)
#define CLD_EXITED_	1
#define CLD_CONTINUED_	6
#define SIGCHLD_	17

#endif
