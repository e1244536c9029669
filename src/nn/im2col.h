/*
 * im2col.h - the unrolling behind the convolution layers: a batch of NCHW
 * images laid out as a matrix whose product with the weights is a convolution,
 * and the layout changes around that product.
 *
 *     nn_conv_geom g;
 *     nn_conv_geom_init(&g, C, H, W, KH, KW, stride, pad);   // g.OH, g.OW
 *     size_t P = (size_t)B * g.OH * g.OW;
 *     nn_im2col(&g, x, B, col);        // x (B, C, H, W) -> col (C*KH*KW, P)
 *     nn_gemm(0, 0, OC, P, C*KH*KW, 1.0f, w, C*KH*KW, col, P, 0.0f, ycol, P);
 *     nn_cnhw_to_nchw(ycol, B, OC, g.OH * g.OW, bias, 0, y);   // y (B, OC, OH, OW)
 *     nn_col2im(&g, dcol, B, dx);      // the adjoint of nn_im2col: adds into dx
 *
 * Row (c*KH + kh)*KW + kw of col is input channel c seen through kernel tap
 * (kh, kw), which is PyTorch's weight layout (OC, C, KH, KW) flattened; column
 * b*OH*OW + oh*OW + ow is output pixel (oh, ow) of image b, so one product
 * covers the whole batch.  Taps that fall in the zero padding read 0.
 * Nothing is allocated; the work is split over nn/parallel.h's threads by
 * channel, and each output element is written by one task in a fixed order, so
 * the bytes do not depend on the thread count.
 */
#pragma once

#include <stddef.h>

/* The shape of a 2-D convolution over one image: input (C, H, W), kernel
 * (KH, KW), the same stride and zero padding along both axes, output (OH, OW). */
typedef struct nn_conv_geom {
	int C, H, W;      /* input channels, height, width */
	int KH, KW;       /* kernel height, width */
	int stride;       /* >= 1 */
	int pad;          /* >= 0, zeros on every side */
	int OH, OW;       /* (H + 2 pad - KH) / stride + 1, likewise for W */
} nn_conv_geom;

/* The output length of a convolution along one axis: (in + 2 pad - k) / stride + 1,
 * or 0 when the padded input is shorter than the kernel. */
int nn_conv_out_size(int in, int k, int stride, int pad);

/* The outputs [*lo, *hi) along an axis of out outputs whose tap k reads
 * inside the n input pixels: 0 <= o*stride - pad + k < n.  Empty (lo == hi)
 * when there are none. */
void nn_conv_tap_range(int k, int n, int stride, int pad, int out, int *lo, int *hi);

/* Fills g; every size >= 1, stride >= 1, pad >= 0 and the output at least 1x1
 * (BJ_ASSERT). */
void nn_conv_geom_init(nn_conv_geom *g, int C, int H, int W, int KH, int KW, int stride,
                       int pad);

/* col = the unrolled batch: col[(c*KH + kh)*KW + kw][(b*OH + oh)*OW + ow] =
 * x[b][c][oh*stride - pad + kh][ow*stride - pad + kw], or 0 in the padding. */
void nn_im2col(const nn_conv_geom *g,
               const float *x,   // (B, C, H, W)
               int B,
               float *col);      // (C*KH*KW, B*OH*OW)

/* The adjoint of nn_im2col: adds every col element to the x element it was
 * read from (padding taps are dropped). */
void nn_col2im(const nn_conv_geom *g,
               const float *col,   // (C*KH*KW, B*OH*OW)
               int B,
               float *x);          // (B, C, H, W), added to

/* dst[c][b*HW + i] = src[b][c][i]: channels first, so that a batch is one
 * matrix of C rows. */
void nn_nchw_to_cnhw(const float *src,   // (B, C, HW)
                     int B, int C, int HW,
                     float *dst);        // (C, B*HW)

/* dst[b][c][i] = src[c][b*HW + i] + bias[c], or += that when accumulate is
 * non-zero; bias may be NULL (no bias). */
void nn_cnhw_to_nchw(const float *src,    // (C, B*HW)
                     int B, int C, int HW,
                     const float *bias,   // (C) or NULL
                     int accumulate,
                     float *dst);         // (B, C, HW)

/* db[c] += the sum of dy[b][c][i] over b and i, accumulated in double. */
void nn_bias_grad_nchw(const float *dy,   // (B, C, HW)
                       int B, int C, int HW,
                       float *db);        // (C)
