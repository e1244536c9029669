/* The fast cube root and linear-to-sRGB step against libm's cbrt and pow:
 * random values over the range the Lab conversions see and beyond, and every
 * output level's edge. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "harness.h"
#include "vision/srgb.h"

static void test_cbrt(void)
{
	bj_rng rng;
	bj_rng_init(&rng, 1);
	double worst = 0;
	for (int i = 0; i < 200000; i++) {
		/* 1e-12 .. 1e12, both signs */
		double t = pow(10, 24 * bj_rng_uniform(&rng) - 12) * (i & 1 ? -1 : 1);
		worst = fmax(worst, fabs(vision_cbrt(t) - cbrt(t)) / fabs(cbrt(t)));
	}
	CHECK(worst < 1e-13, "relative error %g", worst);
	CHECK(vision_cbrt(0) == 0 && fabs(vision_cbrt(27) - 3) < 1e-13 && fabs(vision_cbrt(-8) + 2) < 1e-13, "cubes");
	CHECK(isinf(vision_cbrt(INFINITY)) && isnan(vision_cbrt(NAN)));
}

/* vision_cbrtf within one unit in the last place of the true cube root
 * (double cbrt, rounded): every float from 2^-7 to 1 (the relight's Y lies
 * in (216 / 24389, 1]), a spread of the other normal floats, the special
 * values.  Not against libm's cbrtf, whose results differ between glibc
 * versions (2.36's, which vision_cbrtf's method follows, is not correctly
 * rounded); the swap's bytes are pinned by test_relight_pinned. */
static long ulps(float a, float b)
{
	int32_t x, y;
	memcpy(&x, &a, sizeof(x));
	memcpy(&y, &b, sizeof(y));
	return labs((long)x - (long)y);
}

static void test_cbrtf(void)
{
	long worst = 0, n = 0;
	for (float y = 0x1p-7f; y <= 1; y = nextafterf(y, 2), n++) {
		long d = ulps(vision_cbrtf(y), (float)cbrt((double)y));
		worst = d > worst ? d : worst;
	}
	for (uint32_t u = 0x00800000u; u < 0x7f800000u; u += 4099, n++) {
		float y;
		memcpy(&y, &u, sizeof(y));
		long d = ulps(vision_cbrtf(y), (float)cbrt((double)y));
		worst = d > worst ? d : worst;
	}
	CHECK(worst <= 1, "a cube root %ld units in the last place off, over %ld", worst, n);
	CHECK(vision_cbrtf(0) == 0 && vision_cbrtf(-8) == -2 && vision_cbrtf(27) == 3 && vision_cbrtf(1e-40f) > 0);
	CHECK(isinf(vision_cbrtf(INFINITY)) && isnan(vision_cbrtf(NAN)));
}

/* The formula the table stands for. */
static uint8_t formula(float v)
{
	double c = v <= 0.0031308f ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055;
	c = c * 255 + 0.5;
	return (uint8_t)(c < 0 ? 0 : c > 255 ? 255 : c);
}

static void test_linear_to_srgb(void)
{
	bj_rng rng;
	bj_rng_init(&rng, 2);
	int differ = 0;
	for (int i = 0; i < 500000; i++) {
		float v = 1.2f * bj_rng_uniform(&rng) - 0.1f;
		differ += vision_linear_to_srgb8(v) != formula(v);
	}
	CHECK(differ == 0, "%d of 500000 random values differ", differ);
	/* walking up through every level's edge, a float at a time near it */
	differ = 0;
	for (int k = 0; k < 256; k++) {
		float v = (float)pow((k + 0.5) / 255 / 1.055 + 0.055 / 1.055, 2.4);
		v = k < 11 ? (float)((k + 0.5) / 255 / 12.92) : v;
		for (int j = 0; j < 64; j++) {
			differ += vision_linear_to_srgb8(v) != formula(v);
			v = nextafterf(v, 2);
		}
		for (int j = 0; j < 128; j++) {
			differ += vision_linear_to_srgb8(v) != formula(v);
			v = nextafterf(v, -1);
		}
	}
	CHECK(differ == 0, "%d values near the levels' edges differ", differ);
	CHECK(vision_linear_to_srgb8(-1) == 0 && vision_linear_to_srgb8(0) == 0 && vision_linear_to_srgb8(1) == 255 &&
	      vision_linear_to_srgb8(7) == 255 && vision_linear_to_srgb8(NAN) == 0);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_cbrt),
		TEST_CASE(test_cbrtf),
		TEST_CASE(test_linear_to_srgb),
		{ 0 },
	};
	return test_main(cases);
}
