/*
 * integral.h - the image pyramid's pieces for cascade detection: OpenCV's
 * bit-exact bilinear resize of grey images and integral images.
 *
 *     vision_resize_linear(src, sw, sh, sstride, dst, dw, dh, dstride, scratch);
 *     vision_integral(img, w, h, stride, sum, sq, out_stride);
 *     vision_integral_tilted(img, w, h, stride, tilted, out_stride, scratch);
 *
 * The integrals are (h + 1) x (w + 1) with a zero first row and column:
 * sum(X, Y) = the sum of img over x < X, y < Y; sq the same of the squares,
 * modulo 2^32 (differences of four corners are exact while the true sum of a
 * rectangle is below 2^32); tilted(X, Y) = the sum over y < Y and
 * |x - X + 1| <= Y - 1 - y (a triangle standing on its tip), as OpenCV's
 * integral() defines it.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Resizes grey src (sw x sh, rows sstride bytes apart) to dst (dw x dh, at most
 * the source size each way) as OpenCV 4.6's resize(INTER_LINEAR_EXACT) does (what
 * its cascade detector uses): bilinear with 8-bit weights from double source
 * coordinates, rows resampled to 8.8 fixed point, then columns rounded from
 * 16.16; a 2x2 block average when halving exactly.  scratch holds
 * vision_resize_scratch ints. */
void vision_resize_linear(const uint8_t *src, int sw, int sh, size_t sstride,
                          uint8_t *dst, int dw, int dh, size_t dstride, int32_t *scratch);

/* Ints of scratch vision_resize_linear needs for these sizes. */
size_t vision_resize_scratch(int sw, int dw);

/* Sum and squared-sum integrals of img (w x h) into sum and sq (NULL: sums
 * only), rows out_stride elements apart. */
void vision_integral(const uint8_t *img, int w, int h, size_t stride,
                     int32_t *sum, uint32_t *sq, size_t out_stride);

/* The 45-degree integral into tilted (rows out_stride apart); scratch holds
 * vision_tilted_scratch(w, h) ints. */
void vision_integral_tilted(const uint8_t *img, int w, int h, size_t stride,
                            int32_t *tilted, size_t out_stride, int32_t *scratch);

size_t vision_tilted_scratch(int w, int h);
