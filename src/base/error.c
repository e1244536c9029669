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

/* Appends text to message at *len, truncating at the buffer's end. */
static void append(size_t *len, const char *text)
{
	size_t n = strlen(text), room = MESSAGE_SIZE - 1 - *len;
	if (n > room)
		n = room;
	memcpy(message + *len, text, n);
	*len += n;
	message[*len] = '\0';
}

int bj_error_prefix(const char *fmt, ...)
{
	char old[MESSAGE_SIZE];
	memcpy(old, message, sizeof(old));
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	size_t len = n < 0 ? 0 : (size_t)n < MESSAGE_SIZE ? (size_t)n : MESSAGE_SIZE - 1;
	append(&len, ": ");
	append(&len, old);
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
