#include "nn/arena.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

/* 16 floats are 64 bytes, a cache line and an AVX-512 register. */
#define ALIGN_FLOATS 16

void nn_arena_init(nn_arena *a)
{
	memset(a, 0, sizeof(*a));
}

void nn_arena_reset(nn_arena *a)
{
	a->used = 0;
}

float *nn_arena_take(nn_arena *a, size_t n)
{
	size_t rounded;
	BJ_ASSERT(bj_size_add(&rounded, n, ALIGN_FLOATS - 1));
	rounded -= rounded % ALIGN_FLOATS;
	size_t end;
	BJ_ASSERT(bj_size_add(&end, a->used, rounded));
	float *p = NULL;
	if (a->base) {
		BJ_ASSERT(end <= a->cap);
		p = a->base + a->used;
	}
	a->used = end;
	return p;
}

int nn_arena_alloc(nn_arena *a)
{
	size_t n = a->used, bytes;
	nn_arena_release(a);
	if (!bj_size_mul(&bytes, n ? n : ALIGN_FLOATS, sizeof(float)))
		return bj_error_set(BJ_ENOMEM, "activation buffers of %zu floats do not fit in memory", n);
	/* aligned_alloc wants a multiple of the alignment: n is one of 16 floats. */
	float *base = aligned_alloc(ALIGN_FLOATS * sizeof(float), bytes);
	if (!base)
		return bj_error_set(BJ_ENOMEM, "cannot allocate %zu MiB of activation buffers",
		                    bytes >> 20);
	memset(base, 0, bytes);
	a->base = base;
	a->cap = n;
	a->used = 0;
	return 0;
}

void nn_arena_release(nn_arena *a)
{
	free(a->base);
	a->base = NULL;
	a->cap = 0;
	a->used = 0;
}
