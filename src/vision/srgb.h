/*
 * srgb.h - the two slow steps of the sRGB <-> CIE Lab conversions (tone.h),
 * made fast without changing their results: the cube root, and linear light
 * back to an 8-bit sRGB value.
 *
 *     double f = vision_cbrt(t);                  // cbrt(t) to a few ulps
 *     uint8_t v = vision_linear_to_srgb8(0.2f);   // 124, as the formula rounds
 *
 * libm's cbrt and pow were a fifth of a face swap's time (three of each per
 * pixel, several passes per frame).
 */
#pragma once

#include <stdint.h>

/* The cube root of t (any finite double; 0 for 0), within a few ulps of
 * libm's cbrt: a first guess from the exponent's bits refined by two Halley
 * steps. */
double vision_cbrt(double t);

/* round(255 * sRGB(v)) clamped to 0..255, where sRGB is the standard transfer
 * function (12.92 v up to 0.0031308, 1.055 v^(1 / 2.4) - 0.055 above): a
 * table of the 255 thresholds between output values, found from a 4096-step
 * index, so no pow.  The same value as the formula except for v within a
 * float rounding of a threshold. */
uint8_t vision_linear_to_srgb8(float v);
