/*
 * fmath.h - libm's small float functions as inline code, with libm's results.
 *
 *     float v = bj_fmaxf(bj_fminf(x, 255), 0);   // fminf/fmaxf, NaN and -0 alike
 *     uint8_t b = (uint8_t)bj_rint_small(v);      // lrintf for 0 <= v < 2^22
 *     float d = bj_hypotf(dx, dy);                // hypotf
 *
 * Without -ffinite-math-only GCC leaves fminf, fmaxf and lrintf as calls into
 * libm; in a per-pixel loop the call costs more than the work and keeps the
 * loop from being vectorised.  These give the same floats as glibc's
 * functions for every input (tests/base/test_fmath.c compares them), so
 * swapping one for the other changes no byte of output.
 */
#pragma once

#include <math.h>

/* fmaxf(a, b): the larger; the one that is not a NaN when one is; a when the
 * two compare equal (glibc returns its first argument for fmaxf(-0, +0) and
 * fmaxf(+0, -0) alike). */
static inline float bj_fmaxf(float a, float b)
{
	return a >= b || b != b ? a : b;
}

/* fminf(a, b), likewise. */
static inline float bj_fminf(float a, float b)
{
	return a <= b || b != b ? a : b;
}

/* v rounded to the nearest whole number, ties to even (lrintf in the default
 * rounding mode), for 0 <= v < 2^22: adding 2^23 leaves no fraction bits, so
 * the float addition itself rounds. */
static inline float bj_rint_small(float v)
{
	return (v + 0x1p23f) - 0x1p23f;
}

/* hypotf(x, y): glibc (2.35 on) returns the square root of the sum of the
 * squares taken in double (exact squares, one rounding each for the sum and
 * the root, then to float); the same here for finite x and y, libm's call
 * otherwise. */
static inline float bj_hypotf(float x, float y)
{
	if (!isfinite(x) || !isfinite(y))
		return hypotf(x, y);
	return (float)sqrt((double)x * x + (double)y * y);
}
