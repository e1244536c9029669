/*
 * log.h - leveled log messages for the person running benjamin.
 *
 *     bj_log_set_level(BJ_LOG_INFO);             // src/cli, from -v / -q
 *     bj_log(BJ_LOG_WARN, "'%s': skipped: not a video", path);
 *     bj_log(BJ_LOG_DEBUG, "shot %d: %d frames", i, n);
 *
 * Messages go to one sink: stderr by default, prefixed "benjamin: warning: ",
 * "benjamin: info: " ...; src/cli can redirect it (bj_log_set_sink), tests silence
 * it.  Logging is for what a user may want to know while work goes on; errors are
 * returned through base/error.h, never logged by library code.  Thread-safe: each
 * message is written whole.
 */
#pragma once

#include <stdarg.h>

enum bj_log_level {
	BJ_LOG_ERROR = 0,
	BJ_LOG_WARN = 1,
	BJ_LOG_INFO = 2,
	BJ_LOG_DEBUG = 3,
};

/* Receives each message that passes the level, without a trailing newline. */
typedef void bj_log_sink(enum bj_log_level level, const char *message, void *ctx);

/* Messages above level are dropped (default BJ_LOG_WARN). */
void bj_log_set_level(enum bj_log_level level);
enum bj_log_level bj_log_get_level(void);

/* Sends messages to sink (NULL restores stderr). */
void bj_log_set_sink(bj_log_sink *sink, void *ctx);

/* Whether a message at level would be written (to skip costly formatting). */
int bj_log_enabled(enum bj_log_level level);

void bj_log(enum bj_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void bj_vlog(enum bj_log_level level, const char *fmt, va_list ap);

/* "error", "warning", "info", "debug". */
const char *bj_log_level_name(enum bj_log_level level);
