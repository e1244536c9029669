/*
 * conv2d.h - a 2-D convolution over a batch of NCHW float32 images, with zero
 * padding, one stride for both axes and an optional bias (PyTorch nn.Conv2d,
 * groups = dilation = 1; the weights interchange with it).
 *
 *     nn_conv2d enc;
 *     nn_conv2d_init(&enc, &params, "enc0", 3, 128, 5, 5, 2, 2, 1);  // before nn_params_alloc
 *     nn_conv2d_init_weights(&enc, &params, &rng);                  // after it
 *     nn_conv_geom g = nn_conv2d_geom(&enc, 64, 64);                  // g.OH = g.OW = 32
 *     float *work = nn_arena_take(&arena, nn_conv2d_work_floats(&enc, B, 64, 64));
 *     nn_conv2d_forward(&enc, x, B, 64, 64, y, work);   // x (B, 3, 64, 64) -> y (B, 128, 32, 32)
 *     nn_conv2d_backward(&enc, x, dy, B, 64, 64, dx, work);   // adds to enc.dw, enc.db, dx
 *
 * Forward unrolls the batch (nn/im2col.h) a few images at a time (about 4 Mi
 * floats of unrolled input per chunk, so it is read back from cache) and
 * makes one product of the weights (OC, C*KH*KW) with each chunk; backward
 * unrolls the input again and makes two products per chunk (dW, and the
 * unrolled dx folded back by col2im).  Layers of stride 1 and at most
 * NN_CONV2D_DIRECT_MAX_OUT output channels take a direct path instead
 * (nn/conv2d_direct.h).  work is scratch that forward and backward overwrite;
 * one buffer of the largest size may serve every layer of a model.  Weights
 * are views into the nn_params arena given to init; the struct owns nothing.
 * Backward adds to the gradients (callers zero them) and to dx.  The same
 * bytes for any thread count.
 */
#pragma once

#include <stddef.h>

#include "base/rng.h"
#include "nn/im2col.h"
#include "nn/params.h"

/* A convolution's shape, weights and gradients (views into an nn_params arena). */
typedef struct nn_conv2d {
	int in, out;          /* channels C, OC */
	int kh, kw;           /* kernel */
	int stride, pad;      /* both axes */
	float *w;             /* (out, in, kh, kw) */
	float *b;             /* (out), or NULL without a bias */
	float *dw;            /* (out, in, kh, kw), or NULL without a gradient block */
	float *db;            /* (out), or NULL */
	int w_index;          /* the view of w; b's is w_index + 1 */
	int has_bias;
} nn_conv2d;

/* Adds "<name>.weight" (out, in, kh, kw) and, when bias is non-zero,
 * "<name>.bias" (out) to p; the pointers are set when p is allocated.
 * in, out, kh, kw, stride >= 1, pad >= 0. */
void nn_conv2d_init(nn_conv2d *l, nn_params *p, const char *name, int in, int out, int kh,
                    int kw, int stride, int pad, int bias);

/* Fills w and b with uniform draws in [-1/sqrt(in*kh*kw), 1/sqrt(in*kh*kw))
 * from rng, w first: PyTorch's reset_parameters (kaiming_uniform_ with
 * a = sqrt(5) gives exactly that bound). */
void nn_conv2d_init_weights(nn_conv2d *l, nn_params *p, bj_rng *rng);

/* The geometry of l over an input of H x W (BJ_ASSERT that the output is at
 * least 1 x 1). */
nn_conv_geom nn_conv2d_geom(const nn_conv2d *l, int H, int W);

/* The floats of scratch forward and backward need for B images of H x W:
 * (in*kh*kw + out) * OH*OW times the images of a chunk, or the direct path's
 * (smaller) need. */
size_t nn_conv2d_work_floats(const nn_conv2d *l, int B, int H, int W);

/* y = the convolution of x with w, plus b. */
void nn_conv2d_forward(const nn_conv2d *l,
                       const float *x,   // (B, in, H, W)
                       int B, int H, int W,
                       float *y,         // (B, out, OH, OW)
                       float *work);     // (nn_conv2d_work_floats), from malloc or an nn_arena

/* Adds dL/dw to dw, dL/db to db and, if dx is not NULL, dL/dx to dx, given
 * dy = dL/dy. */
void nn_conv2d_backward(nn_conv2d *l,
                        const float *x,    // (B, in, H, W), as given to forward
                        const float *dy,   // (B, out, OH, OW)
                        int B, int H, int W,
                        float *dx,         // (B, in, H, W), or NULL
                        float *work);      // (nn_conv2d_work_floats), from malloc or an nn_arena
