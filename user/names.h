/* names.h - names for syscall numbers, signals and errno values in traces and tables. */
#ifndef IPCLAB_NAMES_H
#define IPCLAB_NAMES_H

const char *syscall_name(int nr);	/* "write", or NULL when unknown */
const char *signal_name(int sig);	/* "SIGPIPE" */
const char *errno_name(int err);	/* "EAGAIN" (positive err) */

#endif
