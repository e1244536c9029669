/* The detail bands on synthetic images: which scales each band holds, what
 * a gain does to them, matching one image's energy to another's, and the
 * same bytes on one thread and two. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "base/threads.h"
#include "harness.h"
#include "media/image.h"
#include "vision/detail.h"

#define W 128
#define H 96

/* A grey image of vertical stripes: 128 + amp sin(2 pi x / period) (rounded). */
static media_image *stripes(double period, double amp)
{
	media_image *img = media_image_new(W, H, 3);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			for (int c = 0; c < 3; c++)
				img->data[y * img->stride + 3 * x + c] = (uint8_t)lrint(128 + amp * sin(2 * M_PI * x / period));
	return img;
}

/* The stripes' amplitude over whole periods of the middle row, away from the
 * edges (which the blurs clamp). */
static double amplitude(const media_image *img, double period)
{
	double s = 0, c = 0;
	int n = (int)(floor((W - 48) / period) * period), x0 = 24;
	for (int x = x0; x < x0 + n; x++) {
		double v = img->data[(H / 2) * img->stride + 3 * x + 1] - 128.0;
		s += v * sin(2 * M_PI * x / period);
		c += v * cos(2 * M_PI * x / period);
	}
	return 2 * sqrt(s * s + c * c) / n;
}

/* Mottled like a face: blobs of several sizes and a little noise. */
static media_image *mottled(uint64_t seed, double contrast)
{
	bj_rng rng;
	bj_rng_init(&rng, seed);
	double ph[6];
	for (int i = 0; i < 6; i++)
		ph[i] = 6.283 * bj_rng_uniform(&rng);
	media_image *img = media_image_new(W, H, 3);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			double v = sin(0.45 * x + ph[0]) * cos(0.5 * y + ph[1]) + sin(0.2 * x + 0.1 * y + ph[2]) +
			           0.8 * cos(0.09 * x + ph[3]) * sin(0.11 * y + ph[4]);
			v = 128 + contrast * 20 * v + 2 * bj_rng_normal(&rng);
			for (int c = 0; c < 3; c++)
				img->data[y * img->stride + 3 * x + c] = (uint8_t)fmin(fmax(v + 10 * (c - 1), 0), 255);
		}
	return img;
}

static uint8_t *full_mask(void)
{
	uint8_t *m = malloc(W * H);
	memset(m, 255, W * H);
	return m;
}

/* Period 12 stripes are mostly mid band, period 40 mostly coarse, period 3
 * in neither: a band's gain moves its own scales and hardly the others, and
 * gains of 1 change no byte. */
static void test_bands(void)
{
	vision_detail *d = vision_detail_new();
	uint8_t *m = full_mask();
	vision_rect all = { 0, 0, W, H };
	double e12[2], e40[2], e3[2];
	media_image *a = stripes(12, 60), *b = stripes(40, 60), *c = stripes(3, 60);
	vision_detail_split_on(NULL, d, b, m, all, e40);
	vision_detail_split_on(NULL, d, c, m, all, e3);
	vision_detail_split_on(NULL, d, a, m, all, e12);
	CHECK(e12[0] > 2 * e12[1], "period 12: mid %g, coarse %g", e12[0], e12[1]);
	CHECK(e40[1] > 2 * e40[0], "period 40: mid %g, coarse %g", e40[0], e40[1]);
	CHECK(e3[0] < 2 && e3[1] < 2, "period 3: mid %g, coarse %g", e3[0], e3[1]);
	media_image *same = stripes(12, 60);
	vision_detail_scale_on(NULL, d, same, (const double[]){ 1, 1 });
	CHECK(memcmp(same->data, a->data, (size_t)a->stride * H) == 0, "gains 1 changed the image");

	double before = amplitude(a, 12);
	vision_detail_scale_on(NULL, d, a, (const double[]){ 0.3, 1 });
	CHECK(amplitude(a, 12) < 0.7 * before, "period 12, mid 0.3: %g -> %g", before, amplitude(a, 12));
	before = amplitude(c, 3);
	vision_detail_split_on(NULL, d, c, m, all, e3);
	vision_detail_scale_on(NULL, d, c, (const double[]){ 0.3, 0.3 });
	CHECK(fabs(amplitude(c, 3) - before) < 0.05 * before, "period 3: %g -> %g", before, amplitude(c, 3));
	before = amplitude(b, 40);
	vision_detail_split_on(NULL, d, b, m, all, e40);
	vision_detail_scale_on(NULL, d, b, (const double[]){ 1, 1.5 });
	double after = amplitude(b, 40);
	CHECK(after > 1.2 * before && after < 1.5 * before, "period 40, coarse 1.5: %g -> %g", before, after);
	media_image_free(a);
	media_image_free(b);
	media_image_free(c);
	media_image_free(same);
	free(m);
	vision_detail_free(d);
}

/* A low-contrast copy scaled by the energy ratios comes out with much of the
 * gap closed (not all: a band's filter passes less than all of its scales,
 * so doubling it less than doubles what it measures); pixels outside the box
 * and outside the mask are not counted, and outside the box not changed. */
static void test_match(void)
{
	vision_detail *d = vision_detail_new();
	uint8_t *m = full_mask();
	vision_rect box = { 16, 8, W - 8, H - 16 };
	media_image *want = mottled(1, 1.0), *have = mottled(1, 0.5), *orig = mottled(1, 0.5);
	double ew[2], eh[2], gain[2], after[2];
	vision_detail_split_on(NULL, d, want, m, box, ew);
	vision_detail_split_on(NULL, d, have, m, box, eh);
	for (int k = 0; k < 2; k++) {
		CHECK(eh[k] > 0.3 * ew[k] && eh[k] < 0.7 * ew[k], "band %d: %g against %g", k, eh[k], ew[k]);
		gain[k] = ew[k] / eh[k];
	}
	vision_detail_scale_on(NULL, d, have, gain);
	vision_detail_split_on(NULL, d, have, m, box, after);
	for (int k = 0; k < 2; k++)
		CHECK(after[k] > 0.75 * ew[k] && after[k] < ew[k], "band %d: %g from %g, want %g", k, after[k], eh[k],
		      ew[k]);
	int outside = 0;
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			if (x < box.x0 || x >= box.x1 || y < box.y0 || y >= box.y1)
				outside += memcmp(have->data + y * have->stride + 3 * x, orig->data + y * orig->stride + 3 * x, 3) != 0;
	CHECK(outside == 0, "%d pixels outside the box changed", outside);

	/* the mask says which pixels count: half of them flattened outside it */
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W / 2; x++) {
			m[y * W + x] = 0;
			memset(want->data + y * want->stride + 3 * x, 128, 3);
		}
	double half[2], none[2];
	vision_detail_split_on(NULL, d, want, m, box, half);
	for (int k = 0; k < 2; k++)
		CHECK(half[k] > 0.7 * ew[k], "band %d: %g inside the mask, %g in all", k, half[k], ew[k]);
	memset(m, 127, W * H);
	vision_detail_split_on(NULL, d, want, m, box, none);
	CHECK(none[0] == 0 && none[1] == 0, "no pixel in the mask: %g %g", none[0], none[1]);
	vision_detail_split_on(NULL, d, want, m, (vision_rect){ 5, 5, 5, 9 }, none);
	CHECK(none[0] == 0 && none[1] == 0, "empty box: %g %g", none[0], none[1]);
	media_image_free(want);
	media_image_free(have);
	media_image_free(orig);
	free(m);
	vision_detail_free(d);
}

/* One thread and two give the same energies and bytes, on a box that does
 * not divide evenly into the bands, and on one larger than the last (the
 * buffers grow). */
static void test_threads(void)
{
	bj_pool *pool = bj_pool_new(2);
	CHECK(pool != NULL);
	if (!pool)
		return;
	vision_detail *d1 = vision_detail_new(), *d2 = vision_detail_new();
	uint8_t *m = full_mask();
	static const vision_rect boxes[] = { { 3, 5, 40, 50 }, { 0, 0, W, H }, { 7, 1, W - 3, H - 2 } };
	for (int i = 0; i < 3; i++) {
		media_image *a = mottled(7 + (uint64_t)i, 1.2), *b = mottled(7 + (uint64_t)i, 1.2);
		double ea[2], eb[2];
		vision_detail_split_on(NULL, d1, a, m, boxes[i], ea);
		vision_detail_split_on(pool, d2, b, m, boxes[i], eb);
		CHECK(ea[0] == eb[0] && ea[1] == eb[1], "box %d: energies %g %g against %g %g", i, ea[0], ea[1], eb[0],
		      eb[1]);
		vision_detail_scale_on(NULL, d1, a, (const double[]){ 1.7, 0.6 });
		vision_detail_scale_on(pool, d2, b, (const double[]){ 1.7, 0.6 });
		CHECK(memcmp(a->data, b->data, (size_t)a->stride * H) == 0, "box %d: bytes differ", i);
		media_image_free(a);
		media_image_free(b);
	}
	free(m);
	vision_detail_free(d1);
	vision_detail_free(d2);
	bj_pool_free(pool);
}

/* Left of the middle features, right of it bare skin: the two parts'
 * energies are measured apart, and gains of 1 on the features and 0 on the
 * skin take the skin's detail away and leave the features' (away from the
 * turn between them, a few pixels wide), on one thread and two alike. */
static void test_skin(void)
{
	bj_pool *pool = bj_pool_new(2);
	CHECK(pool != NULL);
	if (!pool)
		return;
	vision_detail *d = vision_detail_new();
	uint8_t *m = full_mask(), *skin = calloc(W * H, 1);
	for (int y = 0; y < H; y++)
		memset(skin + y * W + W / 2, 255, W / 2);
	media_image *img = mottled(3, 1.0), *orig = mottled(3, 1.0), *two = mottled(3, 1.0);
	/* the skin at half the features' contrast */
	for (int y = 0; y < H; y++)
		for (int x = W / 2; x < W; x++)
			for (int c = 0; c < 3; c++) {
				uint8_t *p = &img->data[y * img->stride + 3 * x + c];
				*p = two->data[y * two->stride + 3 * x + c] = orig->data[y * orig->stride + 3 * x + c] =
				        (uint8_t)(128 + (*p - 128) / 2);
			}
	vision_rect all = { 0, 0, W, H };
	double whole[2], feat[2], bare[2], two_feat[2], two_bare[2];
	vision_detail_split_on(NULL, d, img, m, all, whole);
	vision_detail_split_skin_on(pool, d, two, m, skin, all, two_feat, two_bare);
	vision_detail_split_skin_on(NULL, d, img, m, skin, all, feat, bare);
	for (int k = 0; k < 2; k++) {
		CHECK(bare[k] > 0.35 * feat[k] && bare[k] < 0.65 * feat[k], "band %d: skin %g, features %g", k, bare[k],
		      feat[k]);
		CHECK(fabs(whole[k] - (feat[k] + bare[k]) / 2) < 0.01 * whole[k], "band %d: %g, halves %g %g", k, whole[k],
		      feat[k], bare[k]);
		CHECK(two_feat[k] == feat[k] && two_bare[k] == bare[k], "band %d: threads differ", k);
	}
	vision_detail_scale_skin_on(NULL, d, img, (const double[]){ 1, 1 }, (const double[]){ 0, 0 });
	vision_detail_split_skin_on(pool, d, two, m, skin, all, two_feat, two_bare);
	vision_detail_scale_skin_on(pool, d, two, (const double[]){ 1, 1 }, (const double[]){ 0, 0 });
	CHECK(memcmp(img->data, two->data, (size_t)img->stride * H) == 0, "bytes differ on two threads");
	long far_feat = 0;
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			int diff = abs(img->data[y * img->stride + 3 * x + 1] - orig->data[y * orig->stride + 3 * x + 1]);
			if (x < W / 2 - 20)
				far_feat += diff;
		}
	CHECK(far_feat == 0, "features changed by %ld", far_feat);
	double after_feat[2], after_bare[2];
	vision_detail_split_skin_on(NULL, d, img, m, skin, all, after_feat, after_bare);
	for (int k = 0; k < 2; k++)
		CHECK(after_bare[k] < 0.5 * bare[k], "band %d: skin %g from %g", k, after_bare[k], bare[k]);
	media_image_free(img);
	media_image_free(orig);
	media_image_free(two);
	free(m);
	free(skin);
	vision_detail_free(d);
	bj_pool_free(pool);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_bands),
		TEST_CASE(test_match),
		TEST_CASE(test_threads),
		TEST_CASE(test_skin),
		{ 0 },
	};
	return test_main(cases);
}
