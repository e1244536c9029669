#include "text/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

static void reserve(text_buf *b, size_t extra)
{
	size_t need;
	BJ_ASSERT(bj_size_add(&need, b->len, extra) && bj_size_add(&need, need, 1));
	BJ_GROW(b->s, b->cap, need);
}

void text_buf_add(text_buf *b, const char *s, size_t n)
{
	reserve(b, n);
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void text_buf_adds(text_buf *b, const char *s)
{
	text_buf_add(b, s, strlen(s));
}

void text_buf_addc(text_buf *b, char c)
{
	text_buf_add(b, &c, 1);
}

void text_buf_addf(text_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	BJ_ASSERT(n >= 0);
	reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *text_buf_detach(text_buf *b)
{
	char *s = b->s ? b->s : bj_xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void text_buf_release(text_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
