/*
 * alloc.h - checked allocation and overflow-checked size arithmetic.
 *
 * Two kinds of allocation (STYLE.md 2.2):
 *   - small, bounded sizes our own code chooses: bj_xmalloc() and friends abort
 *     with a message when memory runs out, so callers need no error path;
 *   - sizes that come from input (a file header, a video's dimensions): check the
 *     arithmetic with bj_size_mul()/bj_size_add() and against the file size first,
 *     then allocate with bj_try_malloc(), which returns NULL with bj_error set.
 *
 *     size_t n;
 *     if (!bj_size_mul3(&n, w, h, 3))
 *         return bj_error_set(BJ_EFORMAT, "'%s': image size overflows", path);
 *     uint8_t *pix = bj_try_malloc(n);
 *     if (!pix)
 *         return bj_error_code();
 *
 * Everything returned is freed with free().
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *bj_xmalloc(size_t size);
void *bj_xcalloc(size_t count, size_t size);
void *bj_xrealloc(void *p, size_t size);
char *bj_xstrdup(const char *s);
/* printf into a new string. */
char *bj_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Allocation sized by input: NULL with BJ_ENOMEM set on failure.  Zero bytes
 * allocate one byte so that NULL always means failure. */
void *bj_try_malloc(size_t size);
void *bj_try_calloc(size_t count, size_t size);

/* Each stores the result in *out and returns true, or returns false (leaving
 * *out unchanged) when it does not fit in size_t. */
static inline bool bj_size_mul(size_t *out, size_t a, size_t b)
{
	size_t r;
	if (__builtin_mul_overflow(a, b, &r))
		return false;
	*out = r;
	return true;
}

static inline bool bj_size_add(size_t *out, size_t a, size_t b)
{
	size_t r;
	if (__builtin_add_overflow(a, b, &r))
		return false;
	*out = r;
	return true;
}

static inline bool bj_size_mul3(size_t *out, size_t a, size_t b, size_t c)
{
	size_t ab;
	return bj_size_mul(&ab, a, b) && bj_size_mul(out, ab, c);
}

/* Growth helper for dynamic arrays: makes room for at least need elements of
 * elem bytes in *p (capacity *cap), growing by 1.5x.  Aborts on overflow. */
void bj_grow(void **p, size_t *cap, size_t need, size_t elem);

#define BJ_GROW(ptr, cap, need) \
	bj_grow((void **)&(ptr), &(cap), (need), sizeof(*(ptr)))

#define BJ_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
