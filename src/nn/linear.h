/*
 * linear.h - a fully connected layer y = x W^T + b (PyTorch nn.Linear).
 *
 *     nn_linear head;
 *     nn_linear_init(&head, &params, "head", H, V, 1);  // "head.weight" (V, H), "head.bias" (V)
 *     nn_params_alloc(&params, NN_WITH_GRAD);  nn_linear_init_weights(&head, &params, &rng);
 *     nn_linear_forward(&head, h, N, logits);           // h (N, H) -> logits (N, V)
 *     nn_linear_backward(&head, h, dlogits, N, dh);     // adds to head.dw, head.db, dh
 *
 * The weights are views into the nn_params arena given to nn_linear_init; the
 * struct owns nothing.  Both products go through nn_gemm.  Backward adds to the
 * gradients (callers zero them) and to dx, which may be NULL when not needed.
 */
#pragma once

#include "base/rng.h"
#include "nn/params.h"

/* A linear layer's weights and gradients, views into an nn_params arena. */
typedef struct nn_linear {
	int in;           /* input features */
	int out;          /* output features */
	float *w;         /* (out, in) */
	float *b;         /* (out), or NULL without a bias */
	float *dw;        /* (out, in), or NULL without a gradient block */
	float *db;        /* (out), or NULL */
	int w_index;      /* the view of w; b's is w_index + 1 */
	int has_bias;
} nn_linear;

/* Adds "<name>.weight" (out, in) and, when bias is non-zero, "<name>.bias"
 * (out) to p; the pointers are set when p is allocated.  in, out >= 1. */
void nn_linear_init(nn_linear *l, nn_params *p, const char *name, int in, int out, int bias);

/* Fills w and b (in p, the arena given to init) with uniform draws in [-1/sqrt(in), 1/sqrt(in)) from rng (the
 * bounds of PyTorch's reset_parameters; w first, then b). */
void nn_linear_init_weights(nn_linear *l, nn_params *p, bj_rng *rng);

/* y = x W^T + b: one GEMM. */
void nn_linear_forward(const nn_linear *l,
                       const float *x,   // (N, in)
                       int N,
                       float *y);        // (N, out)

/* Adds dy^T x to dw, the column sums of dy to db and, if dx is not NULL,
 * dy W to dx. */
void nn_linear_backward(nn_linear *l,
                        const float *x,    // (N, in), as given to forward
                        const float *dy,   // (N, out)
                        int N,
                        float *dx);        // (N, in) or NULL
