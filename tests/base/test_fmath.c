#include "base/fmath.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "harness.h"

static uint32_t bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof(u));
	return u;
}

static float from_bits(uint32_t u)
{
	float f;
	memcpy(&f, &u, sizeof(f));
	return f;
}

/* Awkward floats: zeros of both signs, NaNs, infinities, the extremes,
 * subnormals, and ordinary values of both signs. */
static const float specials[] = { 0.0f, -0.0f, NAN, -NAN, INFINITY, -INFINITY, 1.0f, -1.0f, 0.5f, 255.0f,
	                          1e-40f, -1e-40f, 3.4e38f, -3.4e38f, 1.17549435e-38f, 127.5f, 0.25f };

/* The same bits as libm's, or both NaN (a NaN's payload is not pinned). */
static int same(float got, float want)
{
	return bits(got) == bits(want) || (isnan(got) && isnan(want));
}

static void test_min_max_like_libm(void)
{
	enum { N = sizeof(specials) / sizeof(specials[0]) };
	/* volatile: libm's functions called, not folded by the compiler */
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			volatile float a = specials[i], b = specials[j];
			CHECK(same(bj_fmaxf(a, b), fmaxf(a, b)), "fmaxf(%g, %g)", (double)a, (double)b);
			CHECK(same(bj_fminf(a, b), fminf(a, b)), "fminf(%g, %g)", (double)a, (double)b);
		}
	/* and a spread of ordinary pairs, equal ones included */
	uint32_t x = 12345;
	for (int k = 0; k < 100000; k++) {
		x = x * 1664525u + 1013904223u;
		volatile float a = from_bits(x & 0xc1ffffffu), b = k % 7 ? from_bits((x >> 7 | x << 25) & 0xc1ffffffu) : a;
		CHECK(same(bj_fmaxf(a, b), fmaxf(a, b)), "fmaxf(%g, %g)", (double)a, (double)b);
		CHECK(same(bj_fminf(a, b), fminf(a, b)), "fminf(%g, %g)", (double)a, (double)b);
	}
}

static void test_rint_small_like_lrintf(void)
{
	/* every float around the first two halves, a spread of the rest up to
	 * 2^22, and every half below 4096 */
	long bad = 0;
	for (uint32_t u = 0; u <= bits(0x1p22f); u += (u > bits(0.4f) && u < bits(0.6f)) ||
	                                                      (u > bits(1.4f) && u < bits(1.6f)) ? 1 : 97) {
		volatile float v = from_bits(u);
		if (bj_rint_small(v) != (float)lrintf(v))
			bad++;
	}
	for (int i = 0; i < 2 * 4096; i++) {
		volatile float v = i / 2.0f;
		if (bj_rint_small(v) != (float)lrintf(v))
			bad++;
	}
	CHECK(bad == 0, "%ld floats round otherwise than lrintf", bad);
	CHECK(bj_rint_small(0.5f) == 0 && bj_rint_small(1.5f) == 2 && bj_rint_small(2.5f) == 2);
}

static void test_hypotf_like_libm(void)
{
	enum { N = sizeof(specials) / sizeof(specials[0]) };
	long differ = 0;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			volatile float a = specials[i], b = specials[j];
			differ += !same(bj_hypotf(a, b), hypotf(a, b));
		}
	/* pairs of any bits, and pairs of L*a*b*-sized values */
	uint64_t x = 88172645463325252ull;
	for (int k = 0; k < 400000; k++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		float a = from_bits((uint32_t)x), b = from_bits((uint32_t)(x >> 32));
		if (k & 1)
			a = (float)((uint32_t)x % 40000) / 200 - 100 + (float)(x >> 44) * 1e-9f,
			b = (float)((uint32_t)(x >> 16) % 40000) / 200 - 100;
		volatile float va = a, vb = b;
		differ += !same(bj_hypotf(va, vb), hypotf(va, vb));
	}
	CHECK(differ == 0, "%ld pairs differ from hypotf", differ);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_min_max_like_libm),
		TEST_CASE(test_rint_small_like_lrintf),
		TEST_CASE(test_hypotf_like_libm),
		{ 0 },
	};
	return test_main(cases);
}
