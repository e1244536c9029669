/* The skin mask (skin.h) against the per-pixel rule it stands for: a mask
 * pixel is skin unless within a feature's margin (its distance, the least
 * hypot over the feature's segments, at most grow eye widths) or inside a
 * closed feature.  Faces on whole pixels put many pixels exactly on a margin,
 * where only hypot's own rounding decides; jittered ones the rest. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "harness.h"
#include "vision/face_mask.h"
#include "vision/skin.h"

#define W 160
#define H 160

static const struct {
	int first, last, closed;
	double grow;
} features[] = {
	{ 36, 41, 1, 0.45 }, { 42, 47, 1, 0.45 }, { 17, 21, 0, 0.40 },
	{ 22, 26, 0, 0.40 }, { 31, 35, 0, 0.25 }, { 48, 59, 1, 0.20 },
};

static double polyline_distance(const float *lm, int first, int last, int closed, double x, double y, int *inside)
{
	double best = INFINITY;
	*inside = 0;
	int n = last - first + 1;
	for (int k = closed ? 0 : 1; k < n; k++) {
		const float *a = lm + 2 * (first + (k + n - 1) % n), *b = lm + 2 * (first + k);
		double ax = a[0], ay = a[1], ex = b[0] - ax, ey = b[1] - ay, len2 = ex * ex + ey * ey;
		if (closed && (ay > y) != (b[1] > y) && x < ax + (y - ay) * ex / ey)
			*inside = !*inside;
		double t = len2 > 0 ? ((x - ax) * ex + (y - ay) * ey) / len2 : 0;
		t = t < 0 ? 0 : t > 1 ? 1 : t;
		best = fmin(best, hypot(x - (ax + t * ex), y - (ay + t * ey)));
	}
	return best;
}

static int plain_skin(const float *lm, const uint8_t *mask, int x, int y)
{
	double eye = (hypot(lm[2 * 39] - lm[2 * 36], lm[2 * 39 + 1] - lm[2 * 36 + 1]) +
	              hypot(lm[2 * 45] - lm[2 * 42], lm[2 * 45 + 1] - lm[2 * 42 + 1])) / 2;
	int bare = mask[y * W + x] >= 128;
	for (size_t f = 0; bare && f < sizeof(features) / sizeof(features[0]); f++) {
		int inside;
		double d = polyline_distance(lm, features[f].first, features[f].last, features[f].closed, x, y, &inside);
		bare = !inside && d > features[f].grow * eye;
	}
	return bare ? 255 : 0;
}

/* A face about 100 px wide on whole pixels, eyes 20 px wide (margins of 9,
 * 8, 5 and 4 px), moved by up to jitter. */
static void landmarks(float *lm, bj_rng *rng, double jitter)
{
	for (int i = 0; i <= 16; i++) {
		double t = M_PI * i / 16;
		lm[2 * i] = (float)round(80 - 50 * cos(t)), lm[2 * i + 1] = (float)round(80 + 60 * sin(t));
	}
	for (int i = 0; i < 5; i++) {
		lm[2 * (17 + i)] = (float)(40 + 8 * i), lm[2 * (17 + i) + 1] = 50;
		lm[2 * (22 + i)] = (float)(88 + 8 * i), lm[2 * (22 + i) + 1] = 50;
		lm[2 * (31 + i)] = (float)(68 + 6 * i), lm[2 * (31 + i) + 1] = 100;
		lm[2 * (27 + (i & 3))] = 80, lm[2 * (27 + (i & 3)) + 1] = (float)(60 + 9 * (i & 3));
	}
	static const int ex[6] = { -10, -5, 5, 10, 5, -5 }, ey[6] = { 0, -4, -4, 0, 4, 4 };
	for (int e = 0; e < 2; e++)
		for (int i = 0; i < 6; i++)
			lm[2 * (36 + 6 * e + i)] = (float)(58 + 44 * e + ex[i]), lm[2 * (36 + 6 * e + i) + 1] = (float)(65 + ey[i]);
	for (int i = 0; i < 12; i++) {
		double t = 2 * M_PI * i / 12;
		lm[2 * (48 + i)] = (float)round(80 - 18 * cos(t)), lm[2 * (48 + i) + 1] = (float)round(118 - 7 * sin(t));
	}
	for (int i = 0; i < 8; i++) {
		double t = 2 * M_PI * i / 8;
		lm[2 * (60 + i)] = (float)round(80 - 12 * cos(t)), lm[2 * (60 + i) + 1] = (float)round(118 - 3 * sin(t));
	}
	for (int i = 0; i < 136; i++)
		lm[i] += (float)(jitter * (2 * bj_rng_uniform(rng) - 1));
}

static void test_same_mask(void)
{
	bj_rng rng;
	bj_rng_init(&rng, 7);
	uint8_t *mask = calloc(W * H, 1), *skin = calloc(W * H, 1);
	long differ = 0, edge = 0, n = 0;
	for (int k = 0; k < 12; k++) {
		float lm[136];
		landmarks(lm, &rng, k < 2 ? 0 : k < 6 ? 0.01 : 2.0);
		vision_rect box;
		vision_face_mask(lm, W, H, mask, &box);
		memset(skin, 0, W * H);
		vision_skin_mask(lm, mask, W, box, skin);
		for (int y = box.y0; y < box.y1; y++)
			for (int x = box.x0; x < box.x1; x++) {
				differ += skin[y * W + x] != plain_skin(lm, mask, x, y);
				n++;
			}
		/* the whole-pixel faces put pixels exactly on the eyes' 9 px margin */
		if (k == 0)
			for (int y = 0; y < H; y++)
				edge += mask[y * W + 58 - 10 - 9] >= 128 && y == 65;
	}
	CHECK(differ == 0, "%ld of %ld pixels differ", differ, n);
	CHECK(edge == 1, "no pixel on the margin");
	free(mask);
	free(skin);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_same_mask),
		{ 0 },
	};
	return test_main(cases);
}
