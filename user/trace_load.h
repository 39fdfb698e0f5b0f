/* trace_load.h - read an ipclab trace back (export, view, report), refusing bad input. */
#ifndef IPCLAB_TRACE_LOAD_H
#define IPCLAB_TRACE_LOAD_H

#include <stddef.h>
#include <json-c/json.h>

/*
 * Parse and check FILE: JSON, format "ipclab-trace", a version this ipclab reads, the
 * top-level arrays, and t/type/pid/tid on every event.  Returns the object or NULL with a
 * one-line reason in err.
 */
json_object *trace_load(const char *path, char *err, size_t errlen);

#endif
