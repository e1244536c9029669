/*
 * arena.h - one float block for activations and caches, carved up by size.
 *
 * A model's forward pass needs buffers whose sizes depend on the batch shape
 * (B, T).  The model describes them once by a function that takes each buffer
 * from the arena; run it twice, first to measure, then for real:
 *
 *     static void take_buffers(model *m, nn_arena *a, int B, int T)
 *     {
 *         m->probs = nn_arena_take(a, (size_t)B * T * V);    // (B, T, V)
 *         nn_lstm_cache_take(&m->cache, &m->lstm, B, T, a);
 *     }
 *     nn_arena_reset(&a);  take_buffers(m, &a, B, T);        // measures: NULLs
 *     if (nn_arena_alloc(&a) < 0) return bj_error_code();    // one allocation
 *     take_buffers(m, &a, B, T);                             // real pointers
 *
 * and again whenever (B, T) changes.  nn_arena_alloc frees the previous block,
 * so every pointer taken before it becomes invalid.  The arena owns its block;
 * nn_arena_release frees it.  Each buffer starts 64-byte aligned and zeroed.
 */
#pragma once

#include <stddef.h>

/* A bump allocator of floats.  Zero-initialise or nn_arena_init before use. */
typedef struct nn_arena {
	float *base;       /* (cap) the block, NULL while measuring */
	size_t cap;        /* floats in the block */
	size_t used;       /* floats taken since the last reset */
} nn_arena;

/* An empty arena, measuring. */
void nn_arena_init(nn_arena *a);

/* Starts taking from the beginning again (the block is kept). */
void nn_arena_reset(nn_arena *a);

/* Takes n floats (rounded up to a multiple of 16).  While the arena has no
 * block, counts them and returns NULL; with a block, returns a pointer into it
 * (BJ_ASSERT that it fits: take the same sizes as when measuring). */
float *nn_arena_take(nn_arena *a, size_t n);

/* Replaces the block by a zeroed one of exactly the floats taken since the last
 * reset, then resets.  Returns 0, or BJ_ENOMEM with the error set (the arena is
 * then empty and measuring). */
int nn_arena_alloc(nn_arena *a);

/* Frees the block; the arena is empty and measuring again.  Safe on a zeroed or
 * released arena. */
void nn_arena_release(nn_arena *a);
