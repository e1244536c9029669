/*
 * error.h - error codes, a thread-local error message, and BJ_ASSERT.
 *
 * benjamin reports failures in three tiers (STYLE.md 2.2):
 *   1. a bug in our code: BJ_ASSERT(cond) prints "file:line: BUG: cond" and aborts;
 *   2. something wrong with the world (bad file, full disk): the function returns a
 *      negative BJ_E* code (or NULL) after bj_error_set() recorded a one-line message;
 *   3. a small bounded allocation failing: bj_xmalloc() aborts (see alloc.h).
 *
 * Calling sequence:
 *
 *     if (n > limit)
 *         return bj_error_set(BJ_EFORMAT, "'%s': header is %zu bytes, limit %zu",
 *                             path, n, limit);
 *     ...
 *     if (media_decoder_open(path, &d) < 0) {        // in src/cli only
 *         fprintf(stderr, "benjamin: error: %s\n", bj_error_message());
 *         return 1;
 *     }
 *
 * Messages follow git's style: lowercase, no final full stop, the subject first in
 * quotes ("'reel3.mkv': no video stream").  The message lives in a _Thread_local
 * buffer, so each thread sees its own last error.  Library code never prints it.
 */
#pragma once

#include <stdnoreturn.h>

enum bj_error_code {
	BJ_OK = 0,
	BJ_EIO = -1,          /* reading or writing a file failed */
	BJ_EFORMAT = -2,      /* input is malformed, truncated or inconsistent */
	BJ_ENOMEM = -3,       /* an allocation sized by input failed */
	BJ_EUNSUPPORTED = -4, /* valid input we cannot handle (codec, dtype, ...) */
	BJ_EINVAL = -5,       /* a caller-supplied setting is out of range */
	BJ_ENOENT = -6,       /* a named file, stream or item does not exist */
	BJ_EINTERRUPTED = -7, /* the user interrupted the work */
};

/* Records a printf-style message and returns code, so callers can write
 * "return bj_error_set(BJ_EIO, ...)".  A message longer than the buffer
 * (1 KiB) is truncated. */
int bj_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* As bj_error_set() with ": <strerror(errnum)>" appended; the code is BJ_ENOENT
 * for ENOENT/ENOTDIR and BJ_EIO otherwise.  Returns that code. */
int bj_error_set_errno(int errnum, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prepends "<prefix>: " to the current message (to add context on the way up).
 * Returns the current code. */
int bj_error_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The last message set on this thread, "" if none.  Valid until the next set. */
const char *bj_error_message(void);

/* The last code set on this thread, BJ_OK if none. */
int bj_error_code(void);

void bj_error_clear(void);

/* A short constant name for a code ("format error", "I/O error", ...). */
const char *bj_error_name(int code);

/* Called by BJ_ASSERT; prints "file:line: BUG: what" to stderr and aborts. */
noreturn void bj_bug(const char *file, int line, const char *what);

/* Checks an invariant of our own code; stays on in release builds.  Use only for
 * cheap checks and never for conditions input can cause. */
#define BJ_ASSERT(cond) \
	((cond) ? (void)0 : bj_bug(__FILE__, __LINE__, #cond))
