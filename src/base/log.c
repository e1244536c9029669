#include "base/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_int current_level = BJ_LOG_WARN;
static pthread_mutex_t sink_lock = PTHREAD_MUTEX_INITIALIZER;
static bj_log_sink *current_sink;
static void *current_ctx;

void bj_log_set_level(enum bj_log_level level)
{
	atomic_store(&current_level, (int)level);
}

enum bj_log_level bj_log_get_level(void)
{
	return (enum bj_log_level)atomic_load(&current_level);
}

void bj_log_set_sink(bj_log_sink *sink, void *ctx)
{
	pthread_mutex_lock(&sink_lock);
	current_sink = sink;
	current_ctx = ctx;
	pthread_mutex_unlock(&sink_lock);
}

int bj_log_enabled(enum bj_log_level level)
{
	return (int)level <= atomic_load(&current_level);
}

const char *bj_log_level_name(enum bj_log_level level)
{
	switch (level) {
	case BJ_LOG_ERROR: return "error";
	case BJ_LOG_WARN: return "warning";
	case BJ_LOG_INFO: return "info";
	case BJ_LOG_DEBUG: return "debug";
	}
	return "log";
}

void bj_vlog(enum bj_log_level level, const char *fmt, va_list ap)
{
	if (!bj_log_enabled(level))
		return;
	char message[2048];
	vsnprintf(message, sizeof(message), fmt, ap);
	pthread_mutex_lock(&sink_lock);
	if (current_sink)
		current_sink(level, message, current_ctx);
	else
		fprintf(stderr, "benjamin: %s: %s\n", bj_log_level_name(level), message);
	pthread_mutex_unlock(&sink_lock);
}

void bj_log(enum bj_log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bj_vlog(level, fmt, ap);
	va_end(ap);
}
