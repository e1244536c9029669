/* The skin relighting's bytes pinned (vision_skin_relight, skin.h): FNV-1a of
 * the relit picture and of the fill, made by the plain per-pixel low-pass
 * lookup (each pixel's cell and weights worked out from its coordinates, the
 * four channels interpolated one after the other).  A lookup that rounds any
 * weight, interpolates in another order or divides otherwise changes them. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "harness.h"
#include "media/image.h"
#include "vision/face_mask.h"
#include "vision/internal.h"
#include "vision/skin.h"
#include "vision/srgb.h"

#define W 1000
#define H 1100

/* 68 landmarks of a face about 120 px wide centred at (cx, cy). */
static void landmarks_at(float *lm, float cx, float cy)
{
	for (int i = 0; i <= 16; i++) {
		double t = M_PI * i / 16;
		lm[2 * i] = (float)(cx - 60 * cos(t));
		lm[2 * i + 1] = (float)(cy + 70 * sin(t));
	}
	for (int i = 0; i < 5; i++) {
		lm[2 * (17 + i)] = cx - 45 + 9 * (float)i, lm[2 * (17 + i) + 1] = cy - 30;
		lm[2 * (22 + i)] = cx + 9 + 9 * (float)i, lm[2 * (22 + i) + 1] = cy - 30;
		lm[2 * (31 + i)] = cx - 12 + 6 * (float)i, lm[2 * (31 + i) + 1] = cy + 20;
	}
	for (int i = 0; i < 4; i++)
		lm[2 * (27 + i)] = cx, lm[2 * (27 + i) + 1] = cy - 25 + 12 * (float)i;
	for (int e = 0; e < 2; e++)
		for (int i = 0; i < 6; i++) {
			double t = M_PI * i / 3;
			lm[2 * (36 + 6 * e + i)] = (float)(cx - 28 + 56 * e - 12 * cos(t));
			lm[2 * (36 + 6 * e + i) + 1] = (float)(cy - 15 - 5 * sin(t));
		}
	for (int i = 0; i < 12; i++) {
		double t = 2 * M_PI * i / 12;
		lm[2 * (48 + i)] = (float)(cx - 22 * cos(t)), lm[2 * (48 + i) + 1] = (float)(cy + 45 - 9 * sin(t));
	}
	for (int i = 0; i < 8; i++) {
		double t = 2 * M_PI * i / 8;
		lm[2 * (60 + i)] = (float)(cx - 15 * cos(t)), lm[2 * (60 + i) + 1] = (float)(cy + 45 - 4 * sin(t));
	}
}

/* The same 7 times as large, about 840 px wide centred at (500, 520). */
static void landmarks(float *lm)
{
	landmarks_at(lm, 0, 0);
	for (int i = 0; i < 136; i++)
		lm[i] = 7 * lm[i] + (i % 2 ? 520 : 500);
}

/* Skin-coloured noise over a light ramp, dark hair above hair_y: many
 * colours, so that every cell of the low-pass grid differs. */
static media_image *skin_picture(uint64_t seed, int r, int g, int b, int hair_y)
{
	media_image *img = media_image_new(W, H, 3);
	bj_rng rng;
	bj_rng_init(&rng, seed);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			uint8_t *p = img->data + (size_t)y * img->stride + 3 * (size_t)x;
			int light = y < hair_y ? -150 : (x - W / 2) / 12 + (int)(bj_rng_u64(&rng) % 25);
			int base[3] = { r, g, b };
			for (int c = 0; c < 3; c++) {
				int v = base[c] + light;
				p[c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
			}
		}
	return img;
}

static uint64_t fnv(const media_image *img, uint64_t hash)
{
	for (int y = 0; y < img->height; y++)
		for (int i = 0; i < 3 * img->width; i++)
			hash = (hash ^ img->data[(size_t)y * img->stride + i]) * 1099511628211ull;
	return hash;
}

/* The relit star and the fill hashed together, with the low-pass grid's
 * cells sigma / 3 wide (sigma 48: 16 px) or one pixel (sigma 5).  The face is
 * large: a rounding changed in the lookup shows in some of its million pixels. */
static uint64_t relit_hash(double sigma)
{
	float lm[136];
	landmarks(lm);
	uint8_t *mask = calloc(W * H, 1), *skin = calloc(W * H, 1), *alien = calloc(W * H, 1);
	vision_rect box;
	vision_face_mask(lm, W, H, mask, &box);
	vision_skin_mask(lm, mask, W, box, skin);
	media_image *star = skin_picture(3, 200, 150, 120, 0), *foot = skin_picture(5, 150, 100, 80, 200);
	media_image *fill = media_image_new(W, H, 3);
	uint64_t hash = 0;
	if (vision_skin_relight(star, foot, skin, mask, box, sigma, 0, alien, fill) == 0)
		hash = fnv(fill, fnv(star, 14695981039346656037ull));
	free(mask);
	free(skin);
	free(alien);
	media_image_free(star);
	media_image_free(foot);
	media_image_free(fill);
	return hash;
}

static void test_relight_pinned(void)
{
	uint64_t wide = relit_hash(48), fine = relit_hash(5);
	CHECK(wide == 0x4e9941d636217857ull, "16 px cells: the relit bytes hash to %#llx", (unsigned long long)wide);
	CHECK(fine == 0x7bb4430f17be2d9ull, "1 px cells: the relit bytes hash to %#llx", (unsigned long long)fine);
}

/* The relight's L* of Y, several in vector lanes, against the formula with
 * vision_cbrtf (the scalar the lanes follow) for every float from 2^-8 to
 * 1.5 (the knee, 0.00886, among them) and awkward values; arrays whose
 * length is no multiple of 4. */
static void test_lstar_of_y(void)
{
	enum { N = 4099 };
	static float y[N], want[N];
	long differ = 0, n = 0;
	float v = 0x1p-8f;
	while (v <= 1.5f) {
		int k = 0;
		for (; k < N && v <= 1.5f; k++, v = nextafterf(v, 2)) {
			y[k] = v;
			want[k] = v > 216.0f / 24389 ? 116 * vision_cbrtf(v) - 16 : v * 24389 / 27;
		}
		vision_y_to_lstar_n(y, k);
		for (int i = 0; i < k; i++, n++)
			differ += memcmp(&y[i], &want[i], sizeof(float)) != 0;
	}
	CHECK(differ == 0, "%ld of %ld L* differ", differ, n);
	float odd[7] = { 0, -1, INFINITY, 1e-40f, 0.0088f, 0.0089f, 3 };
	vision_y_to_lstar_n(odd, 7);
	CHECK(odd[0] == 0 && odd[1] < 0 && isinf(odd[2]) && odd[3] > 0 && odd[3] < 1e-30f && odd[6] > 100,
	      "%g %g %g %g %g", odd[0], odd[1], odd[2], odd[3], odd[6]);
	CHECK(fabsf(odd[4] - 0.0088f * 24389 / 27) < 1e-6f && fabsf(odd[5] - (116 * vision_cbrtf(0.0089f) - 16)) < 1e-5f);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_relight_pinned),
		TEST_CASE(test_lstar_of_y),
		{ 0 },
	};
	return test_main(cases);
}
