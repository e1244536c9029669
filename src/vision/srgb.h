/*
 * srgb.h - the two slow steps of the sRGB <-> CIE Lab conversions (tone.h),
 * made fast without changing their results: the cube root, and linear light
 * back to an 8-bit sRGB value.
 *
 *     double f = vision_cbrt(t);                  // cbrt(t) to 1e-13
 *     uint8_t v = vision_linear_to_srgb8(0.2f);   // 124, as the formula rounds
 *
 * libm's cbrt and pow were a fifth of a face swap's time (three of each per
 * pixel, several passes per frame).
 */
#pragma once

#include <stdint.h>

/* The cube root of t (any double; 0 for 0), within 1e-13 of libm's cbrt
 * relative, far below the float the Lab values are kept in: a first guess
 * from the exponent's bits (a few per cent off) refined by two Halley steps,
 * each cubing the error. */
double vision_cbrt(double t);

/* round(255 * sRGB(v)) clamped to 0..255, where sRGB is the standard transfer
 * function (12.92 v up to 0.0031308, 1.055 v^(1 / 2.4) - 0.055 above): a
 * table of the 255 thresholds between output values, found from a 4096-step
 * index, so no pow.  The same value as the formula except for v within a
 * float rounding of a threshold. */
uint8_t vision_linear_to_srgb8(float v);
