/*
 * sample.h - draw the next token from a model's logits: temperature, top-k and
 * top-p (nucleus) sampling.
 *
 *     nn_sample_opts o = { .temperature = 0.8f, .top_k = 40, .top_p = 0.95f };
 *     nn_sample_item *scratch = bj_xmalloc(V * sizeof(*scratch));   // once
 *     int32_t id = nn_sample(logits, V, &o, scratch, &rng);          // per token
 *
 * Probabilities are softmax(logits / temperature), normalised in double.  top_k
 * keeps the k most likely tokens, top_p the fewest most likely tokens whose
 * probability adds up to at least top_p; both may apply, and the draw is from
 * what is kept, renormalised.  Ties are broken towards the lower id, so the same
 * logits, options and rng state give the same token on every machine (up to
 * the C library's exp).  A temperature of 0 (or below) is greedy: the argmax,
 * with no draw.  The caller owns the scratch; nothing is allocated.
 */
#pragma once

#include <stdint.h>

#include "base/rng.h"

/* How to sample.  Zero-initialised fields mean: greedy, no top-k, no top-p. */
typedef struct nn_sample_opts {
	float temperature;   /* > 0; <= 0 picks the argmax */
	int top_k;           /* keep the k most likely; 0 or >= V: all */
	float top_p;         /* keep the smallest nucleus of this mass; 0 or >= 1: all */
} nn_sample_opts;

/* Scratch for one token of a vocabulary of V: V of these. */
typedef struct nn_sample_item {
	float p;       /* unnormalised probability */
	int32_t id;
} nn_sample_item;

/* Returns the id drawn from logits (V >= 1) under o, with exactly one
 * bj_rng_double draw from rng unless greedy.  Non-finite logits are a bug of
 * the caller (BJ_ASSERT). */
int32_t nn_sample(const float *logits,      // (V)
                  int V, const nn_sample_opts *o,
                  nn_sample_item *scratch,  // (V)
                  bj_rng *rng);
