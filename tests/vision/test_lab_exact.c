/* The sRGB -> CIE Lab conversion (tone.h), which keeps each thread's recent
 * colours, against the plain formula: the same floats for every 8-bit colour
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

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_same_floats),
		{ 0 },
	};
	return test_main(cases);
}
