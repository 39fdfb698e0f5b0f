/* chrome.h - Chrome Trace Event Format export (Perfetto UI, speedscope). */
#ifndef IPCLAB_CHROME_H
#define IPCLAB_CHROME_H

#include <stdio.h>

/*
 * Read the ipclab trace at path and write it to f as it is read, in bounded memory.
 * trace_read()'s return values: 0, -EBADMSG (err says why), -ENOMEM, or a write error
 * (-EIO, err empty).
 */
int export_chrome(const char *trace, FILE *f, char *err, size_t errlen);

#endif
