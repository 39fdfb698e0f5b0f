/*
 * cols.h - the compact columnar form of a trace's events that `ipclab view` serves beside
 * the JSON (docs/trace-format.md, "The viewer's compact form"), so that the page fills its
 * typed arrays from it instead of scanning hundreds of MB of JSON text, and draws the trace
 * before the JSON text has arrived.  The JSON trace stays the contract: this form is derived
 * from it, never stored on its own, and the page still reads most events' details from the
 * JSON text (downloaded after the first drawing).
 */
#ifndef IPCLAB_COLS_H
#define IPCLAB_COLS_H

/*
 * Derive the compact form of the trace open at trace_fd (plain or gzip JSON; its file
 * offset is left at 0) into an anonymous temporary file, in constant memory.  Returns that
 * file's descriptor, or -errno: -EINVAL when the trace does not have the writer's layout
 * (the page then reads the JSON as before), -E2BIG when a line or the file is too large for
 * the form.
 */
int cols_derive(int trace_fd);

#endif
