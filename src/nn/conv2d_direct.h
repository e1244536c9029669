/*
 * conv2d_direct.h - nn/conv2d.h's convolution by direct loops over image planes,
 * without unrolling: the path nn_conv2d_forward and nn_conv2d_backward take for
 * layers of few output channels (a decoder's last layer, colour and mask).
 * There the unrolled input is kh*kw times the input while the products have
 * only `out` rows, far fewer than a GEMM kernel's tile, so unrolling costs more
 * memory traffic than the arithmetic it feeds (a 5x5 convolution from 64
 * channels to 3 at 64x64, batch 16, forward + backward: 840 ms unrolled, 230 ms
 * direct, on 2 shared cores).
 *
 *     if (l->out <= NN_CONV2D_DIRECT_MAX_OUT && l->stride == 1)
 *         nn_conv2d_direct_forward(l, x, B, H, W, y, work);
 *
 * Same arguments and results as the unrolled path (up to rounding: sums are
 * taken in another order), same bytes for any thread count.  Stride 1 only:
 * each tap is then one long multiply-add over a zero-padded plane.  work is a
 * smaller scratch than the unrolled path's (nn_conv2d_direct_work_floats).
 */
#pragma once

#include <stddef.h>

#include "nn/conv2d.h"

/* The most output channels for which nn_conv2d takes the direct path (with
 * stride 1). */
#define NN_CONV2D_DIRECT_MAX_OUT 8

/* The most tasks the direct path splits its work into (one scratch slot each). */
#define NN_CONV2D_DIRECT_TASKS 8

/* The floats of scratch the direct path needs for images of H x W:
 * NN_CONV2D_DIRECT_TASKS slots of a padded plane, the output rows widened to
 * the padded width and the weight gradient's double accumulators. */
size_t nn_conv2d_direct_work_floats(const nn_conv2d *l, int H, int W);

/* y = the convolution of x with w, plus b, as nn_conv2d_forward.  Stride 1. */
void nn_conv2d_direct_forward(const nn_conv2d *l,
                              const float *x,   // (B, in, H, W)
                              int B, int H, int W,
                              float *y,         // (B, out, OH, OW)
                              float *work);     // (nn_conv2d_direct_work_floats), 8-byte aligned

/* As nn_conv2d_backward: adds to dw, db and, if not NULL, dx.  Stride 1. */
void nn_conv2d_direct_backward(nn_conv2d *l,
                               const float *x,    // (B, in, H, W)
                               const float *dy,   // (B, out, OH, OW)
                               int B, int H, int W,
                               float *dx,         // (B, in, H, W), or NULL
                               float *work);      // (nn_conv2d_direct_work_floats), 8-byte aligned
