/*
 * norm.h - instance and batch normalisation of NCHW float32 maps (PyTorch
 * nn.InstanceNorm2d and nn.BatchNorm2d).
 *
 *     nn_instnorm in;  nn_batchnorm bn;
 *     nn_instnorm_init(&in, &p, "enc.norm1", C, 1);         // "<name>.weight", ".bias" (C)
 *     nn_batchnorm_init(&bn, &p, &buffers, "disc.bn2", C);  // + ".running_mean", ".running_var"
 *     nn_params_alloc(&p, ...);  nn_params_alloc(&buffers, 0);
 *     nn_instnorm_init_weights(&in);  nn_batchnorm_init_weights(&bn);
 *     nn_instnorm_forward(&in, x, N, HW, y, stats);         // stats (N, C, NN_NORM_STATS)
 *     nn_instnorm_backward(&in, x, dy, N, HW, stats, dx);   // adds to in.dw, in.db, dx
 *     nn_batchnorm_forward(&bn, x, N, HW, 1, y, stats);     // training: stats (C, NN_NORM_STATS)
 *     nn_batchnorm_backward(&bn, x, dy, N, HW, 1, stats, dx);
 *
 * Instance norm normalises each (n, c) plane over its H*W values, batch norm
 * each channel c over its N*H*W values, both with the biased variance:
 *     y = (x - mean) / sqrt(var + eps) * weight[c] + bias[c].
 * Batch norm in training mode also moves the running statistics towards the
 * batch's, running = (1 - momentum) running + momentum batch, with the
 * unbiased variance (as PyTorch); in eval mode it normalises with them.  The
 * weights are views into the caller's arenas and the struct owns nothing; the
 * weight and bias are marked no_decay.  stats is the caller's cache from
 * forward to backward, which also uses it as scratch.  Backward adds to the
 * gradients (callers zero them) and to dx (NULL when not needed; not dy).
 * Means and variances are accumulated in double.  Work is split over the
 * nn_parallel pool; results do not depend on the thread count.
 */
#pragma once

#include "nn/params.h"

/* Floats of stats per normalised group (mean, 1/std, two backward sums). */
#define NN_NORM_STATS 4

/* An instance norm: affine weights, or none. */
typedef struct nn_instnorm {
	int C;            /* channels */
	float eps;        /* added to the variance; 1e-5 */
	float *w, *b;     /* (C) each, or NULL without affine */
	float *dw, *db;   /* (C) each, or NULL */
} nn_instnorm;

/* A batch norm: affine weights and running statistics. */
typedef struct nn_batchnorm {
	int C;                /* channels */
	float eps;            /* 1e-5 */
	float momentum;       /* 0.1 */
	float *w, *b;         /* (C) each */
	float *dw, *db;       /* (C) each, or NULL without a gradient block */
	float *running_mean;  /* (C) */
	float *running_var;   /* (C) */
} nn_batchnorm;

/* An instance norm of C >= 1 channels, eps 1e-5; with affine, adds
 * "<name>.weight" and "<name>.bias" (C) to p (PyTorch's names). */
void nn_instnorm_init(nn_instnorm *l, nn_params *p, const char *name, int C, int affine);

/* weight = 1, bias = 0 (PyTorch's reset_parameters); nothing without affine. */
void nn_instnorm_init_weights(nn_instnorm *l);

/* Normalises every (n, c) plane of x; y may be x when no backward follows.
 * Writes each plane's mean and 1/std to stats. */
void nn_instnorm_forward(const nn_instnorm *l,
                         const float *x,   // (N, C, HW)
                         int N, int HW,
                         float *y,         // (N, C, HW)
                         float *stats);    // (N, C, NN_NORM_STATS)

/* Adds the gradients of sum(y .* dy) to dw, db and dx (if not NULL), from the x
 * and stats of forward. */
void nn_instnorm_backward(nn_instnorm *l,
                          const float *x,    // (N, C, HW), as given to forward
                          const float *dy,   // (N, C, HW)
                          int N, int HW,
                          float *stats,      // (N, C, NN_NORM_STATS), from forward
                          float *dx);        // (N, C, HW), or NULL

/* A batch norm of C >= 1 channels, eps 1e-5, momentum 0.1: adds
 * "<name>.weight", "<name>.bias" (C) to p and "<name>.running_mean",
 * "<name>.running_var" (C) to buffers, which may be p (they then get gradient
 * and Adam slots that stay zero and leave them alone) or an arena of data
 * only, so they are saved with the model but not trained. */
void nn_batchnorm_init(nn_batchnorm *l, nn_params *p, nn_params *buffers, const char *name,
                       int C);

/* weight = 1, bias = 0, running mean 0, running variance 1. */
void nn_batchnorm_init_weights(nn_batchnorm *l);

/* training: normalises each channel with the batch's statistics (N * HW >= 2)
 * and updates the running ones; otherwise with the running ones.  y may be x
 * when no backward follows.  Writes each channel's mean and 1/std to stats. */
void nn_batchnorm_forward(nn_batchnorm *l,
                          const float *x,   // (N, C, HW)
                          int N, int HW, int training,
                          float *y,         // (N, C, HW)
                          float *stats);    // (C, NN_NORM_STATS)

/* Adds the gradients of sum(y .* dy) to dw, db and dx (if not NULL), for the
 * mode and the x and stats of forward (in eval mode the statistics are
 * constants, so dx is dy * weight / std). */
void nn_batchnorm_backward(nn_batchnorm *l,
                           const float *x,    // (N, C, HW), as given to forward
                           const float *dy,   // (N, C, HW)
                           int N, int HW, int training,
                           float *stats,      // (C, NN_NORM_STATS), from forward
                           float *dx);        // (N, C, HW), or NULL
