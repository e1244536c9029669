/*
 * embedding.h - a lookup table from token ids to vectors (PyTorch nn.Embedding).
 *
 *     nn_embedding e;
 *     nn_embedding_init(&e, &params, "embed", V, D);    // view "embed.weight" (V, D)
 *     nn_params_alloc(&params, NN_WITH_GRAD);  nn_embedding_init_weights(&e, &params, &rng);
 *     nn_embedding_forward(&e, ids, B * T, x);           // x (B*T, D)
 *     nn_embedding_backward(&e, ids, B * T, dx);         // dx (B*T, D); adds to e.dw
 *
 * The weights live in the nn_params arena given to nn_embedding_init; the struct
 * only points into it and owns nothing.  Token ids are int32 and must lie in
 * [0, V): an id outside is a bug of the caller, who validates its input (BJ_ASSERT).
 */
#pragma once

#include <stdint.h>

#include "base/rng.h"
#include "nn/params.h"

/* An embedding table and its gradient, views into an nn_params arena. */
typedef struct nn_embedding {
	int vocab;        /* V, rows */
	int dim;          /* D, columns */
	float *w;         /* (V, D) */
	float *dw;        /* (V, D), or NULL without a gradient block */
	int w_index;      /* the view of w in the arena */
} nn_embedding;

/* Adds the view "<name>.weight" (vocab, dim) to p; e->w and e->dw are set when
 * p is allocated.  vocab, dim >= 1. */
void nn_embedding_init(nn_embedding *e, nn_params *p, const char *name, int vocab, int dim);

/* Fills the weights (in p, the arena given to init) with N(0, 1) draws from
 * rng, as PyTorch's reset_parameters. */
void nn_embedding_init_weights(nn_embedding *e, nn_params *p, bj_rng *rng);

/* out[n] = w[ids[n]] for n < N. */
void nn_embedding_forward(const nn_embedding *e,
                          const int32_t *ids,   // (N)
                          int N,
                          float *out);          // (N, D)

/* Adds dout[n] to dw[ids[n]] for n < N, in order (repeated ids add up). */
void nn_embedding_backward(nn_embedding *e,
                           const int32_t *ids,  // (N)
                           int N,
                           const float *dout);  // (N, D)
