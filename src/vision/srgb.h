/*
 * srgb.h - the two slow steps of the sRGB <-> CIE Lab conversions (tone.h),
 * made fast without changing their results: the cube root, and linear light
 * back to an 8-bit sRGB value.
 *
 *     double f = vision_cbrt(t);                  // cbrt(t) to 1e-13
 *     uint8_t v = vision_linear_to_srgb8(0.2f);   // 124, as the formula rounds
 *     const struct vision_srgb_tables *t = vision_srgb_tables();
 *     uint8_t w = vision_srgb8(t, 0.2f);          // the same, inline, for many pixels
 *     float l = vision_cbrtf(0.5f);               // cbrtf's float, inline
 *
 * libm's cbrt and pow were a fifth of a face swap's time (three of each per
 * pixel, several passes per frame).
 */
#pragma once

#include <math.h>
#include <stdint.h>
#include <string.h>

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

/* The tables behind it, made on the first call (thread-safe): threshold[k]
 * the least linear value that gives k (threshold[256] infinite), first[i]
 * the output at i / VISION_SRGB_STEPS.  Get them once for many pixels and
 * convert each with the inline vision_srgb8. */
#define VISION_SRGB_STEPS 4096
struct vision_srgb_tables {
	float threshold[257];
	uint8_t first[VISION_SRGB_STEPS + 1];
};
const struct vision_srgb_tables *vision_srgb_tables(void);

/* vision_linear_to_srgb8(v) from the tables t: the index's output, one up
 * where v has reached the next threshold (a step of the index never spans
 * two: srgb.c checks it when it makes them). */
static inline uint8_t vision_srgb8(const struct vision_srgb_tables *t, float v)
{
	if (!(v > 0))
		return 0;
	if (v >= 1)
		return 255;
	int k = t->first[(int)(v * VISION_SRGB_STEPS)];
	return (uint8_t)(k + (v >= t->threshold[k + 1]));
}

/* cbrtf(y) with glibc 2.36's result to the bit, inline for a normal float
 * y > 0 (libm's call otherwise).  Its method: y = m 2^e with m in [0.5, 1), a
 * quadratic first guess at m's cube root, one Halley step in double, times
 * the cube root of 2^(e mod 3), then e / 3 added to the exponent.  The call
 * into libm, and its own call of ldexpf, were 3 % of a swap's CPU (the
 * relight's L*).  The program's bytes so no longer depend on the libm it
 * runs with; test_srgb checks it is within a unit in the last place of the
 * true cube root over every float from 2^-7 to 1. */
static inline float vision_cbrtf(float y)
{
	if (!(y >= 0x1p-126f && y < INFINITY))
		return cbrtf(y);
	static const double root2[5] = { 1 / 1.5874010519681994748, 1 / 1.2599210498948731648, 1, 1.2599210498948731648,
		                         1.5874010519681994748 };
	uint32_t u;
	memcpy(&u, &y, sizeof(u));
	int e = (int)(u >> 23) - 126;
	uint32_t mu = (u & 0x007fffffu) | 0x3f000000u;
	float m;
	memcpy(&m, &mu, sizeof(m));
	float g = (float)(0.492659620528969547 + (0.697570460207922770 - 0.191502161678719066 * m) * m);
	float g3 = g * g * g;
	float r = (float)(g * (g3 + 2.0 * m) / (2.0 * g3 + m) * root2[2 + e % 3]);
	uint32_t ru;
	memcpy(&ru, &r, sizeof(ru));
	ru += (uint32_t)(e / 3) << 23;   /* e / 3 may be negative: modulo 2^32 */
	memcpy(&r, &ru, sizeof(r));
	return r;
}
