/* names.h - names for syscall numbers, signals and errno values in traces and tables. */
#ifndef IPCLAB_NAMES_H
#define IPCLAB_NAMES_H

const char *syscall_name(int nr);	/* "write", or NULL when unknown */
int syscall_number(const char *name);	/* syscall_name()'s inverse: -1 when unknown */
/* glibc's SIGRTMIN (musl's is 35): what the names of real-time signals count from */
#define IPCLAB_SIGRTMIN 34
const char *signal_name(int sig);	/* "SIGPIPE", "SIGRTMIN+3"; static storage */
int signal_number(const char *name);	/* signal_name()'s inverse: 0 when unknown */
const char *errno_name(int err);	/* "EAGAIN" (positive err) */

#endif
