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

/*
 * The cache of compact forms, for traces of 16 MiB or more (deriving costs about a second
 * per 200 MB): $XDG_CACHE_HOME/ipclab (~/.cache/ipclab; a relative $XDG_CACHE_HOME is
 * ignored, as the XDG rules say), one file per trace named by its
 * device, inode, size and modification time, so that a trace changed since is never served
 * a stale form (the page checks the form against the text again); at most 8 forms, the
 * least recently read removed first.  cols_cached returns the
 * cached form's descriptor, or -errno (-ENOENT: none).  cols_derive_cache is cols_derive,
 * the result kept in the cache (the forms of older versions of the same file removed); a
 * cache that cannot be written only means deriving the next time too.
 */
int cols_cached(int trace_fd);
int cols_derive_cache(int trace_fd);

#endif
