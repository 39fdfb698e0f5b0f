/* serve.h - `ipclab view`: the viewer and the named traces on 127.0.0.1. */
#ifndef IPCLAB_SERVE_H
#define IPCLAB_SERVE_H

/* Directory of the viewer's source files (IPCLAB_VIZ_DIR overrides). */
const char *viz_dir(void);
/*
 * Serve on 127.0.0.1:port (0: a free port) until SIGINT/SIGTERM; returns an exit code.
 * claims: a claims file judged on each trace, its verdicts shown in place of the trace's
 * stored claims (NULL: none).
 */
int serve_traces(const char *const *traces, int n, unsigned int port, const char *claims);

#endif
