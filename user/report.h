/* report.h - one self-contained HTML file: the viewer and the trace(s) inline. */
#ifndef IPCLAB_REPORT_H
#define IPCLAB_REPORT_H

#include <stddef.h>
#include "launch.h"

/* Directory with the built viewer (viewer.bundle.js, viewer.css, report-template.html,
 * csp-hashes.txt); IPCLAB_REPORT_DIR overrides. */
const char *report_dir(void);
/* Write HTML embedding the traces (JSON files); 0 or -errno, reason in err. */
int report_write(const char *html, const char *const *traces, int n, const struct run_user *u,
		 char *err, size_t errlen);
/* "x/y.json" -> "x/y.html" */
void report_path_for(const char *trace, char *out, size_t n);

#endif
