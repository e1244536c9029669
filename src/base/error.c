#include "base/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MESSAGE_SIZE 1024

static _Thread_local char message[MESSAGE_SIZE];
static _Thread_local int last_code;

int bj_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	last_code = code;
	return code;
}

int bj_error_set_errno(int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(message))
		snprintf(message + n, sizeof(message) - (size_t)n, ": %s", strerror(errnum));
	last_code = (errnum == ENOENT || errnum == ENOTDIR) ? BJ_ENOENT : BJ_EIO;
	return last_code;
}

int bj_error_prefix(const char *fmt, ...)
{
	char old[MESSAGE_SIZE];
	memcpy(old, message, sizeof(old));
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	/* Append ": <old>", cut to what fits.  Copied by hand because snprintf with
	 * "%s" of a full-size buffer trips -Wformat-truncation at -O1. */
	if (n >= 0 && (size_t)n < sizeof(message)) {
		size_t at = (size_t)n, room = sizeof(message) - 1 - at;
		size_t len = strnlen(old, sizeof(old) - 1);
		char *p = message + at;
		for (const char *sep = ": "; *sep && room > 0; sep++, room--)
			*p++ = *sep;
		if (len > room)
			len = room;
		memcpy(p, old, len);
		p[len] = '\0';
	}
	return last_code;
}

const char *bj_error_message(void)
{
	return message;
}

int bj_error_code(void)
{
	return last_code;
}

void bj_error_clear(void)
{
	message[0] = '\0';
	last_code = BJ_OK;
}

const char *bj_error_name(int code)
{
	switch (code) {
	case BJ_OK: return "success";
	case BJ_EIO: return "I/O error";
	case BJ_EFORMAT: return "format error";
	case BJ_ENOMEM: return "out of memory";
	case BJ_EUNSUPPORTED: return "unsupported";
	case BJ_EINVAL: return "invalid argument";
	case BJ_ENOENT: return "not found";
	case BJ_EINTERRUPTED: return "interrupted";
	}
	return "unknown error";
}

void bj_bug(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: BUG: %s\n", file, line, what);
	fflush(stderr);
	abort();
}
