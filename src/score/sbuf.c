#include "score/sbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

static void reserve(score_sbuf *b, size_t extra)
{
	BJ_GROW(b->s, b->cap, b->len + extra + 1);
}

void score_sbuf_add(score_sbuf *b, const char *s, size_t n)
{
	reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void score_sbuf_puts(score_sbuf *b, const char *s)
{
	score_sbuf_add(b, s, strlen(s));
}

void score_sbuf_putc(score_sbuf *b, char c)
{
	score_sbuf_add(b, &c, 1);
}

void score_sbuf_addf(score_sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void score_sbuf_reset(score_sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void score_sbuf_release(score_sbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}
