#include "base/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

static void out_of_memory(size_t size)
{
	fprintf(stderr, "benjamin: fatal: out of memory allocating %zu bytes\n", size);
	fflush(stderr);
	abort();
}

void *bj_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *bj_xcalloc(size_t count, size_t size)
{
	size_t total;
	if (!bj_size_mul(&total, count, size))
		out_of_memory(SIZE_MAX);
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory(total);
	return p;
}

void *bj_xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		out_of_memory(size);
	return q;
}

char *bj_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(bj_xmalloc(n), s, n);
}

char *bj_xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	BJ_ASSERT(n >= 0);
	char *s = bj_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

void *bj_try_malloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		bj_error_set(BJ_ENOMEM, "out of memory allocating %zu bytes", size);
	return p;
}

void *bj_try_calloc(size_t count, size_t size)
{
	size_t total;
	if (!bj_size_mul(&total, count, size)) {
		bj_error_set(BJ_ENOMEM, "allocation of %zu x %zu bytes overflows", count, size);
		return NULL;
	}
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		bj_error_set(BJ_ENOMEM, "out of memory allocating %zu bytes", total);
	return p;
}

void bj_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return;
	size_t n = *cap < 8 ? 8 : *cap + *cap / 2;
	if (n < need)
		n = need;
	size_t bytes;
	if (!bj_size_mul(&bytes, n, elem))
		out_of_memory(SIZE_MAX);
	*p = bj_xrealloc(*p, bytes);
	*cap = n;
}
