/*
 * conv_transpose2d.h - a 2-D transposed convolution (the gradient of a
 * convolution with respect to its input, used to upsample) over a batch of
 * NCHW float32 images: PyTorch nn.ConvTranspose2d with one stride, padding and
 * output padding for both axes, groups = dilation = 1; the weights interchange
 * with it.
 *
 *     nn_conv_transpose2d up;
 *     nn_conv_transpose2d_init(&up, &params, "up0", 256, 128, 4, 4, 2, 1, 0, 1);
 *     nn_conv_transpose2d_init_weights(&up, &params, &rng);   // after nn_params_alloc
 *     int OH = nn_conv_transpose2d_out_size(&up, 16, 0);   // 32, and OW likewise
 *     float *work = nn_arena_take(&arena, nn_conv_transpose2d_work_floats(&up, B, 16, 16));
 *     nn_conv_transpose2d_forward(&up, x, B, 16, 16, y, work);   // (B,256,16,16) -> (B,128,32,32)
 *     nn_conv_transpose2d_backward(&up, x, dy, B, 16, 16, dx, work);
 *
 * Output size along an axis: (in - 1) * stride - 2 pad + k + output_pad, with
 * output_pad < stride.  Forward is one product of the weights (in, out*kh*kw),
 * transposed, with the batch (in, B*H*W), folded into y by col2im
 * (nn/im2col.h); backward unrolls dy and makes the two products back.  work is
 * scratch, overwritten by both.  Weights are views into the nn_params arena
 * given to init; the struct owns nothing.  Backward adds to the gradients
 * (callers zero them) and to dx.  The same bytes for any thread count.
 */
#pragma once

#include <stddef.h>

#include "base/rng.h"
#include "nn/im2col.h"
#include "nn/params.h"

/* A transposed convolution's shape, weights and gradients. */
typedef struct nn_conv_transpose2d {
	int in, out;          /* channels */
	int kh, kw;           /* kernel */
	int stride, pad;      /* both axes */
	int output_pad;       /* added to the bottom and right of the output, < stride */
	float *w;             /* (in, out, kh, kw): PyTorch's layout */
	float *b;             /* (out), or NULL without a bias */
	float *dw;            /* (in, out, kh, kw), or NULL without a gradient block */
	float *db;            /* (out), or NULL */
	int w_index;          /* the view of w; b's is w_index + 1 */
	int has_bias;
} nn_conv_transpose2d;

/* Adds "<name>.weight" (in, out, kh, kw) and, when bias is non-zero,
 * "<name>.bias" (out) to p.  in, out, kh, kw, stride >= 1, pad >= 0,
 * 0 <= output_pad < stride. */
void nn_conv_transpose2d_init(nn_conv_transpose2d *l, nn_params *p, const char *name, int in,
                              int out, int kh, int kw, int stride, int pad, int output_pad,
                              int bias);

/* Fills w and b with uniform draws in [-1/sqrt(out*kh*kw), 1/sqrt(out*kh*kw))
 * from rng, w first: PyTorch's reset_parameters, whose fan-in for this layer's
 * weight (in, out, kh, kw) is out*kh*kw. */
void nn_conv_transpose2d_init_weights(nn_conv_transpose2d *l, nn_params *p, bj_rng *rng);

/* The output length along an axis of in pixels; axis 0 is the height (kh),
 * 1 the width (kw).  BJ_ASSERT that it is at least 1. */
int nn_conv_transpose2d_out_size(const nn_conv_transpose2d *l, int in, int axis);

/* The floats of scratch forward and backward need for B images of H x W:
 * (out*kh*kw + in) * B*H*W. */
size_t nn_conv_transpose2d_work_floats(const nn_conv_transpose2d *l, int B, int H, int W);

/* y = the transposed convolution of x with w, plus b. */
void nn_conv_transpose2d_forward(const nn_conv_transpose2d *l,
                                 const float *x,   // (B, in, H, W)
                                 int B, int H, int W,
                                 float *y,         // (B, out, OH, OW)
                                 float *work);     // (nn_conv_transpose2d_work_floats)

/* Adds dL/dw to dw, dL/db to db and, if dx is not NULL, dL/dx to dx, given
 * dy = dL/dy. */
void nn_conv_transpose2d_backward(nn_conv_transpose2d *l,
                                  const float *x,    // (B, in, H, W), as given to forward
                                  const float *dy,   // (B, out, OH, OW)
                                  int B, int H, int W,
                                  float *dx,         // (B, in, H, W), or NULL
                                  float *work);      // (nn_conv_transpose2d_work_floats)
