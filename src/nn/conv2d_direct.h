/*
 * conv2d_direct.h - nn/conv2d.h's convolution by direct loops over image rows,
 * without unrolling: the path nn_conv2d_forward and nn_conv2d_backward take for
 * layers of few output channels (a decoder's last layer, colour and mask).
 * There the unrolled input is kh*kw times the input while the products have
 * only `out` rows, far fewer than a GEMM kernel's tile, so unrolling costs more
 * memory traffic than the arithmetic it feeds (a 5x5 convolution from 64
 * channels to 3 at 64x64, batch 16, ran 3x faster this way).
 *
 *     if (l->out <= NN_CONV2D_DIRECT_MAX_OUT)
 *         nn_conv2d_direct_forward(l, x, B, H, W, y);
 *
 * Same arguments and results as the unrolled path (up to rounding: sums are
 * taken in another order), same bytes for any thread count.  No scratch.
 */
#pragma once

#include "nn/conv2d.h"

/* The most output channels for which nn_conv2d takes the direct path. */
#define NN_CONV2D_DIRECT_MAX_OUT 8

/* y = the convolution of x with w, plus b, as nn_conv2d_forward. */
void nn_conv2d_direct_forward(const nn_conv2d *l,
                              const float *x,   // (B, in, H, W)
                              int B, int H, int W,
                              float *y);        // (B, out, OH, OW)

/* As nn_conv2d_backward: adds to dw, db and, if not NULL, dx. */
void nn_conv2d_direct_backward(nn_conv2d *l,
                               const float *x,    // (B, in, H, W)
                               const float *dy,   // (B, out, OH, OW)
                               int B, int H, int W,
                               float *dx);        // (B, in, H, W), or NULL
