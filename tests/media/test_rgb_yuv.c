/* media_rgb_to_yuv420p: BT.709 limited-range levels of known colours, neutral
 * grey, 2x2 chroma means, and strides wider than the picture. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "media/rgb_yuv.h"

/* Converts a w x h picture of one colour (or grey when channels is 1). */
static void convert_flat(const uint8_t *colour, int channels, uint8_t yuv[3])
{
	enum { w = 4, h = 2 };
	uint8_t pixels[w * h * 3], y[w * h], u[w * h / 4], v[w * h / 4];
	for (int i = 0; i < w * h; i++)
		memcpy(pixels + i * channels, colour, (size_t)channels);
	media_image img = media_image_view(pixels, w, h, channels, (size_t)w * (size_t)channels);
	uint8_t *planes[3] = { y, u, v };
	int strides[3] = { w, w / 2, w / 2 };
	media_rgb_to_yuv420p(&img, planes, strides);
	yuv[0] = y[w * h - 1];
	yuv[1] = u[1];
	yuv[2] = v[1];
}

/* Each value from BT.709's equations, worked by hand and rounded. */
static void test_known_colours(void)
{
	static const struct {
		uint8_t rgb[3], yuv[3];
	} cases[] = {
		{ { 0, 0, 0 }, { 16, 128, 128 } },
		{ { 255, 255, 255 }, { 235, 128, 128 } },
		{ { 255, 0, 0 }, { 63, 102, 240 } },
		{ { 0, 255, 0 }, { 173, 42, 26 } },
		{ { 0, 0, 255 }, { 32, 240, 118 } },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t got[3];
		convert_flat(cases[i].rgb, 3, got);
		CHECK(memcmp(got, cases[i].yuv, 3) == 0, "(%d,%d,%d) gave %d %d %d, want %d %d %d",
		      cases[i].rgb[0], cases[i].rgb[1], cases[i].rgb[2], got[0], got[1], got[2],
		      cases[i].yuv[0], cases[i].yuv[1], cases[i].yuv[2]);
	}
}

/* Grey, as one channel or as three equal ones: luma 16 + 219 g / 255, chroma 128. */
static void test_grey_is_neutral(void)
{
	for (int g = 0; g < 256; g++) {
		uint8_t one = (uint8_t)g, three[3] = { (uint8_t)g, (uint8_t)g, (uint8_t)g }, a[3], b[3];
		convert_flat(&one, 1, a);
		convert_flat(three, 3, b);
		int want = (int)lround(16 + 219.0 * g / 255);
		CHECK(a[0] == want && a[1] == 128 && a[2] == 128, "grey %d gave %d %d %d", g, a[0], a[1], a[2]);
		CHECK(memcmp(a, b, 3) == 0, "grey %d: one channel and three differ", g);
	}
}

/* A 2x2 block half red, half blue: luma per pixel, chroma their mean; padding
 * bytes past each row are left alone. */
static void test_block_mean_and_strides(void)
{
	uint8_t pixels[2 * 8] = { 255, 0, 0, 0, 0, 255, 9, 9, 255, 0, 0, 0, 0, 255, 9, 9 };
	media_image img = media_image_view(pixels, 2, 2, 3, 8);
	uint8_t y[2 * 5], u[3], v[3];
	memset(y, 7, sizeof y);
	memset(u, 7, sizeof u);
	memset(v, 7, sizeof v);
	uint8_t *planes[3] = { y, u, v };
	int strides[3] = { 5, 3, 3 };
	media_rgb_to_yuv420p(&img, planes, strides);
	CHECK(y[0] == 63 && y[1] == 32 && y[5] == 63 && y[6] == 32, "luma %d %d %d %d", y[0], y[1], y[5], y[6]);
	CHECK(y[2] == 7 && y[7] == 7 && u[1] == 7 && v[1] == 7, "padding written");
	/* (102 + 240) / 2 = 171 and (240 + 118) / 2 = 179, give or take the rounding. */
	CHECK(abs(u[0] - 171) <= 1 && abs(v[0] - 179) <= 1, "chroma %d %d", u[0], v[0]);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_known_colours),
		TEST_CASE(test_grey_is_neutral),
		TEST_CASE(test_block_mean_and_strides),
		{ 0 },
	};
	return test_main(cases);
}
