/* chrome.h - Chrome Trace Event Format export (Perfetto UI, speedscope). */
#ifndef IPCLAB_CHROME_H
#define IPCLAB_CHROME_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>

/* Write a loaded ipclab trace (trace_load) to f; 0 or -1. */
int export_chrome(json_object *trace, FILE *f);

#endif
