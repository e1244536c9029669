/*
 * rgb_yuv.h - full-range RGB or grey to limited-range BT.709 yuv420p, what the
 * encoder gives x264 (media/encoder.h).
 *
 *     uint8_t *planes[3] = { y, u, v };
 *     int strides[3] = { w, w / 2, w / 2 };
 *     media_rgb_to_yuv420p(&img, planes, strides);   // img: even width and height
 *
 * Luma per pixel; chroma the mean of each 2x2 block's Cb and Cr (centred between
 * the four, like JPEG's and libyuv's) — a box where swscale filters with bicubic
 * taps, which moves a sharp colour edge's bleed by under a pixel.  Integer
 * arithmetic in C: the same bytes on every CPU, in a tenth of swscale's
 * accurately rounded path.  Grey gives Cb = Cr = 128 exactly.
 */
#pragma once

#include <stdint.h>

#include "media/image.h"

/* img: 1 or 3 channels, even width and height; planes at (height, width) for Y
 * and (height / 2, width / 2) for Cb and Cr. */
void media_rgb_to_yuv420p(const media_image *img, uint8_t *const planes[3], const int strides[3]);
