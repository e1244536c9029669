/*
 * atomic.h - write a file all at once or not at all.
 *
 * Output goes to "<path>.tmp.<pid>" in the same folder; bj_atomic_commit() flushes,
 * fsyncs and renames it over <path>, so a reader sees either the old file or the
 * whole new one.  On any error, on bj_atomic_abort(), at exit and on SIGINT/SIGTERM/
 * SIGHUP the temporary file is removed (after git's lockfile.h).
 *
 * Calling sequence:
 *
 *     bj_atomic *a;
 *     if (bj_atomic_open(path, &a) < 0)
 *         return bj_error_code();
 *     fprintf(bj_atomic_stream(a), ...);        // or write bj_atomic_tmp_path(a) by name
 *     return bj_atomic_commit(a);               // frees a, succeeded or not
 *
 * A path that exists and is not a regular file (/dev/null, /dev/full, a pipe) is
 * written directly: there is nothing to replace and nothing to rename.
 */
#pragma once

#include <stdio.h>

typedef struct bj_atomic bj_atomic;

/* Creates the temporary file for path.  Returns 0, or BJ_EIO/BJ_ENOENT with the
 * error set ("'<path>': cannot create file: <reason>"). */
int bj_atomic_open(const char *path, bj_atomic **out);

/* The stdio stream to write through (owned by a). */
FILE *bj_atomic_stream(bj_atomic *a);

/* The name of the temporary file, for libraries that open files by name. */
const char *bj_atomic_tmp_path(const bj_atomic *a);

/* The final path. */
const char *bj_atomic_path(const bj_atomic *a);

/* Flushes, fsyncs and renames into place, then frees a.  On failure the
 * temporary file is removed and BJ_EIO returned with the error set
 * ("'<path>': <reason>").  NULL-safe: returns BJ_EINVAL. */
int bj_atomic_commit(bj_atomic *a);

/* Removes the temporary file and frees a.  NULL-safe. */
void bj_atomic_abort(bj_atomic *a);

/* Removes every pending temporary file; called at exit and from the signal
 * handler, exposed for tests. */
void bj_atomic_cleanup_all(void);
