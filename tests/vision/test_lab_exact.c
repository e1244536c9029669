/* The sRGB -> CIE Lab conversion (tone.h), which keeps each thread's recent
 * colours, one pixel at a time and a row at a time, against the plain formula: the same floats for every 8-bit colour
 * on a grid through the whole cube (the dark corner below the cube root's
 * knee included), converted fresh, again from the cache, and after colours
 * that share its slot. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "vision/srgb.h"
#include "vision/tone.h"

static double lab_f(double t)
{
	return t > 216.0 / 24389 ? vision_cbrt(t) : (24389.0 / 27 * t + 16) / 116;
}

static void plain_rgb_to_lab(const uint8_t rgb[3], float lab[3])
{
	double lin[3];
	for (int c = 0; c < 3; c++) {
		double v = rgb[c] / 255.0;
		lin[c] = (float)(v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4));
	}
	double r = lin[0], g = lin[1], b = lin[2];
	double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
	double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
	double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
	double fx = lab_f(x / 0.95047), fy = lab_f(y / 1.0), fz = lab_f(z / 1.08883);
	lab[0] = (float)(116 * fy - 16);
	lab[1] = (float)(500 * (fx - fy));
	lab[2] = (float)(200 * (fy - fz));
}

static void test_same_floats(void)
{
	long differ = 0, n = 0;
	/* every red and green, blue in steps of 3 plus the darkest blues */
	for (int r = 0; r < 256; r++)
		for (int g = 0; g < 256; g++)
			for (int b = 0; b < 256; b += b < 8 ? 1 : 3) {
				uint8_t in[3] = { (uint8_t)r, (uint8_t)g, (uint8_t)b };
				float got[3], again[3], want[3];
				vision_rgb_to_lab(in, got);
				vision_rgb_to_lab(in, again);
				plain_rgb_to_lab(in, want);
				differ += memcmp(got, want, sizeof(got)) != 0 || memcmp(again, want, sizeof(got)) != 0;
				n++;
			}
	/* the grid once more, backwards: colours back in slots others took */
	for (int r = 255; r >= 0; r -= 5)
		for (int g = 255; g >= 0; g -= 7)
			for (int b = 255; b >= 0; b--) {
				uint8_t in[3] = { (uint8_t)r, (uint8_t)g, (uint8_t)b };
				float got[3], want[3];
				vision_rgb_to_lab(in, got);
				plain_rgb_to_lab(in, want);
				differ += memcmp(got, want, sizeof(got)) != 0;
				n++;
			}
	CHECK(differ == 0, "%ld of %ld conversions differ", differ, n);
}

/* The row conversion: colours in rows of 256 (every other green) (blue
 * running along the row, so that neighbours miss the cache together), a
 * mask that skips some pixels (their floats left alone), rows again from
 * the cache. */
static void test_rows_same_floats(void)
{
	enum { N = 256 };
	uint8_t rgb[3 * N], mask[N];
	float lab[3 * N], want[3];
	long differ = 0, touched = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int r = 0; r < 256; r += 1 + 4 * pass)
			for (int g = pass; g < 256; g += 2) {
				for (int i = 0; i < N; i++) {
					rgb[3 * i] = (uint8_t)r, rgb[3 * i + 1] = (uint8_t)g, rgb[3 * i + 2] = (uint8_t)i;
					mask[i] = (uint8_t)((i * 37 + g) % 251);
					lab[3 * i] = lab[3 * i + 1] = lab[3 * i + 2] = -1000;
				}
				int n = N - (g % 5);   /* rows whose end leaves 1..3 misses over */
				vision_rgb_to_lab_row(rgb, n, pass ? NULL : mask, 100, lab);
				for (int i = 0; i < N; i++) {
					int in = i < n && (pass || mask[i] >= 100);
					if (!in) {
						touched += lab[3 * i] != -1000 || lab[3 * i + 1] != -1000 || lab[3 * i + 2] != -1000;
						continue;
					}
					plain_rgb_to_lab(rgb + 3 * i, want);
					differ += memcmp(lab + 3 * i, want, sizeof(want)) != 0;
				}
			}
	CHECK(differ == 0, "%ld row conversions differ", differ);
	CHECK(touched == 0, "%ld pixels outside the mask written", touched);
}

/* L*a*b* rows back to RGB against vision_lab_to_rgb a pixel at a time:
 * colours over the whole range and beyond it (clipped), near the cube's
 * knee, a mask that skips pixels (left alone) and rows of every length mod 4. */
static void test_rows_back_same_bytes(void)
{
	enum { N = 67 };
	float lab[3 * N];
	uint8_t mask[N], got[3 * N], want[3];
	long differ = 0, touched = 0;
	uint64_t x = 42;
	for (int rep = 0; rep < 20000; rep++) {
		for (int i = 0; i < N; i++) {
			for (int c = 0; c < 3; c++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				double u = (double)(x >> 11) / 9007199254740992.0;
				lab[3 * i + c] = (float)(c == 0 ? (rep % 3 ? 110 * u - 5 : 16 * u) : 260 * u - 130);
			}
			mask[i] = (uint8_t)(x >> 3);
			got[3 * i] = got[3 * i + 1] = got[3 * i + 2] = 7;
		}
		int n = N - rep % 4;
		vision_lab_to_rgb_row(lab, n, rep & 1 ? mask : NULL, 90, got);
		for (int i = 0; i < N; i++) {
			if (i >= n || (rep & 1 && mask[i] < 90)) {
				touched += got[3 * i] != 7 || got[3 * i + 1] != 7 || got[3 * i + 2] != 7;
				continue;
			}
			vision_lab_to_rgb(lab + 3 * i, want);
			differ += memcmp(got + 3 * i, want, sizeof(want)) != 0;
		}
	}
	CHECK(differ == 0, "%ld row conversions differ", differ);
	CHECK(touched == 0, "%ld pixels outside the mask written", touched);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_same_floats),
		TEST_CASE(test_rows_same_floats),
		TEST_CASE(test_rows_back_same_bytes),
		{ 0 },
	};
	return test_main(cases);
}
