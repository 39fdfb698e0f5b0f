/* event_print.h - a trace event as one line of JSON, without building json-c objects. */
#ifndef IPCLAB_EVENT_PRINT_H
#define IPCLAB_EVENT_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "timeline.h"

#define EVENT_JSON_MAX 4096	/* an event's line always fits */

/* Print the event as a JSON object into buf; returns its length, 0 if it did not fit. */
size_t event_print(const struct timeline *tl, const struct tl_event *te, char *buf, size_t cap);

#endif
