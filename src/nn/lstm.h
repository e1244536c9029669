/*
 * lstm.h - a multi-layer LSTM whose weights interchange with PyTorch's nn.LSTM:
 * gate order i, f, g, o; per layer k "weight_ih_l<k>" (4H, in), "weight_hh_l<k>"
 * (4H, H), "bias_ih_l<k>", "bias_hh_l<k>" (4H); batch-first input (B, T, I);
 * states (L, B, H); inverted dropout on each layer's output but the last.
 *
 *     nn_lstm_init(&lstm, &params, "lstm", I, H, L, 0.2f);  // before nn_params_alloc
 *     nn_lstm_init_weights(&lstm, &params, &rng);           // after it
 *     nn_lstm_cache_take(&cache, &lstm, B, T, &arena);       // see nn/arena.h
 *     nn_lstm_forward(&lstm, &cache, x, h0, c0, h, hT, cT, &rng);   // rng NULL: eval
 *     nn_lstm_backward(&lstm, &cache, x, dh, dhT, dcT, dx, dh0, dc0);
 *
 * Per layer: one GEMM of B*T rows projects the input sequence; then blocks of
 * streams run through time on their own threads, each step one product with
 * W_hh packed once per call (nn_gemm_packed) and one fused cell pass; backward
 * mirrors it.  Backward adds to every gradient (weights, dx, dh0, dc0); callers
 * zero them.  For truncated BPTT pass the last hT, cT as h0, c0.  Weights live
 * in an nn_params arena, caches in an nn_arena; the structs own nothing.  The
 * same bytes for any thread count.
 */
#pragma once

#include <stddef.h>

#include "base/rng.h"
#include "nn/arena.h"
#include "nn/gemm.h"
#include "nn/params.h"

/* The most layers an nn_lstm may have. */
#define NN_LSTM_MAX_LAYERS 8

/* One layer's weights and gradients: views into an nn_params arena.  Rows of
 * the (4H, .) matrices are gate-major: i (rows 0..H-1), f, g, o. */
typedef struct nn_lstm_layer {
	int in;          /* input features: I for layer 0, H above */
	float *w_ih;     /* (4*H, in) */
	float *w_hh;     /* (4*H, H) */
	float *b_ih;     /* (4*H) */
	float *b_hh;     /* (4*H) */
	float *dw_ih;    /* (4*H, in), or NULL without a gradient block */
	float *dw_hh;    /* (4*H, H) */
	float *db_ih;    /* (4*H) */
	float *db_hh;    /* (4*H) */
	int index;       /* view of w_ih; w_hh, b_ih, b_hh are the next three */
} nn_lstm_layer;

/* A stack of LSTM layers. */
typedef struct nn_lstm {
	int in;          /* I, input features of layer 0 */
	int hidden;      /* H */
	int n_layers;    /* L, 1..NN_LSTM_MAX_LAYERS */
	float dropout;   /* probability, in [0, 1), on each output but the last */
	nn_lstm_layer layer[NN_LSTM_MAX_LAYERS];   /* (L) */
} nn_lstm;

/* What forward keeps of one layer for backward. */
typedef struct nn_lstm_layer_cache {
	float *gates;    /* (B, T, 4*H) activated gates i, f, g, o */
	float *c;        /* (B, T, H) cell states */
	float *tc;       /* (B, T, H) tanh of the cell states */
	float *hprev;    /* (B, T, H) the state each step starts from: h0, h_0, ..., h_{T-2} */
	float *c0;       /* (B, H) the initial cell state */
	float *h;        /* (B, T, H) output, below the last layer; else NULL */
	float *mask;     /* (B, T, H) dropout mask on h, when dropout > 0 and below the last */
	float *hdrop;    /* (B, T, H) h * mask, likewise */
} nn_lstm_layer_cache;

/* Activations of one batch shape, and scratch for backward. */
typedef struct nn_lstm_cache {
	int B;                   /* batch */
	int T;                   /* time steps */
	int hidden;              /* H and n_layers of the nn_lstm it was taken for */
	int n_layers;
	int dropped;             /* the last forward applied dropout */
	int tasks;               /* blocks of the batch run in parallel */
	nn_lstm_layer_cache layer[NN_LSTM_MAX_LAYERS];   /* (L) */
	float *dgates;           /* (B, T, 4*H) scratch: gradient of the gate inputs */
	float *dh;               /* (B, T, H) scratch: gradient between layers */
	float *dh_next;          /* (B, H) scratch: gradient flowing to the step before */
	float *dc_next;          /* (B, H) */
	float *bias;             /* (4*H) scratch: b_ih + b_hh of the layer running */
	float *dbias;            /* (B, 4*H) scratch: each stream's sum of dgates over time */
	float *panels;           /* W_hh packed for nn_gemm_packed (either way round) */
	float *panels_ih;        /* W_ih likewise */
	float *scratch;          /* (tasks, 8 * max(4H, I)) the packed kernel's, per task */
	size_t scratch_stride;   /* floats of scratch per task */
} nn_lstm_cache;

/* Adds the four views of each layer, "<name>.weight_ih_l<k>", "<name>.weight_hh_l<k>",
 * "<name>.bias_ih_l<k>", "<name>.bias_hh_l<k>", k = 0..layers-1, to p in that
 * order (PyTorch's); the pointers are set when p is allocated.  in, hidden >= 1,
 * 1 <= layers <= NN_LSTM_MAX_LAYERS, 0 <= dropout < 1. */
void nn_lstm_init(nn_lstm *l, nn_params *p, const char *name, int in, int hidden, int layers,
                  float dropout);

/* Fills every weight and bias with uniform draws in [-1/sqrt(H), 1/sqrt(H))
 * from rng, view by view (PyTorch's reset_parameters bounds). */
void nn_lstm_init_weights(nn_lstm *l, nn_params *p, bj_rng *rng);

/* Takes c's buffers for batch B and T steps (both >= 1) from a: measuring when
 * a has no block, for real after nn_arena_alloc (see nn/arena.h). */
void nn_lstm_cache_take(nn_lstm_cache *c, const nn_lstm *l, int B, int T, nn_arena *a);

/* Runs the batch x through every layer; h receives the last layer's outputs.
 * h0 and c0 are the initial states (NULL: zeros), hT and cT receive the final
 * ones (NULL: not wanted); hT may be h0 and cT c0, to carry the state in place.
 * With rng not NULL and l->dropout > 0, draws a dropout mask for each layer's
 * output but the last, with one bj_rng_u64 from rng and, for layer k and
 * stream b, the generator bj_rng_fork(state before that draw, k * B + b),
 * T*H draws in order (so the masks do not depend on the thread count); with
 * rng NULL, no dropout (evaluation).  c must have been taken for l and the
 * batch shape. */
void nn_lstm_forward(const nn_lstm *l, nn_lstm_cache *c,
                     const float *x,    // (B, T, I)
                     const float *h0,   // (L, B, H) or NULL
                     const float *c0,   // (L, B, H) or NULL
                     float *h,          // (B, T, H)
                     float *hT,         // (L, B, H) or NULL
                     float *cT,         // (L, B, H) or NULL
                     bj_rng *rng);

/* Back-propagates through the last forward of c: given the gradients of the
 * loss with respect to h, hT and cT (each NULL for zero), adds those with
 * respect to every weight of l, to x (into dx) and to h0, c0 (into dh0, dc0);
 * dx, dh0 and dc0 may be NULL when not wanted, and must not overlap dh, dhT,
 * dcT.  x is the input given to forward.  l must have a gradient block. */
void nn_lstm_backward(nn_lstm *l, nn_lstm_cache *c,
                      const float *x,     // (B, T, I), as given to forward
                      const float *dh,    // (B, T, H) or NULL
                      const float *dhT,   // (L, B, H) or NULL
                      const float *dcT,   // (L, B, H) or NULL
                      float *dx,          // (B, T, I) or NULL
                      float *dh0,         // (L, B, H) or NULL
                      float *dc0);        // (L, B, H) or NULL

/* One stream run a token at a time (sampling), with the weights packed once:
 * each pair of panels holds the four gates of 16 units, so that every thread
 * runs the cell for its own units as soon as their gates are summed, and the
 * threads meet once per layer.  Needs the packed kernel
 * (nn_gemm_packed_available); a plan holds views into its caller's buffer. */
typedef struct nn_lstm_plan {
	int hp;                                 /* H rounded up to 16 */
	int tasks;                              /* blocks of units run in parallel */
	nn_gemm_pb ih[NN_LSTM_MAX_LAYERS];      /* W_ih^T, columns permuted: (in, 4*hp) */
	nn_gemm_pb hh[NN_LSTM_MAX_LAYERS];      /* W_hh^T likewise: (H, 4*hp) */
	float *bias;                            /* (L, 4*hp) b_ih + b_hh, permuted */
	float *gates;                           /* (4*hp) */
	float *hnew;                            /* (hp) */
	float *tc;                              /* (hp) */
	float *scratch;                         /* (tasks, 8 * max(I, H)) */
} nn_lstm_plan;

/* The floats nn_lstm_plan_build needs for l. */
size_t nn_lstm_plan_floats(const nn_lstm *l);

/* Packs l's weights into buf (nn_lstm_plan_floats(l) floats, 64-byte aligned),
 * for the thread count now set.  Build again after the weights change.
 * Returns 0, or -1 when the CPU has no packed kernel (use nn_lstm_forward). */
int nn_lstm_plan_build(nn_lstm_plan *p, const nn_lstm *l, float *buf);

/* One step of one stream: the same as nn_lstm_forward with B = T = 1, x the
 * input (I), h and c the state (L, H), updated in place; no dropout. */
void nn_lstm_plan_step(const nn_lstm *l, nn_lstm_plan *p,
                       const float *x,   // (I)
                       float *h,         // (L, H)
                       float *c);        // (L, H)
