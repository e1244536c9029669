/* Glasses on a drawn face: the canonical landmarks on flat grainy skin, dark
 * eyes and thick brows, with and without thin elliptic rims round the eyes
 * and a bridge across the nose.  The rims are found and masked, the eyes and
 * brows are not; without rims (but with a few wrinkle-like short lines) the
 * score stays low; bright rims are found as dark ones are. */
#include <math.h>
#include <string.h>

#include "base/error.h"
#include "base/rng.h"
#include "harness.h"
#include "media/image.h"
#include "vision/align.h"
#include "vision/glasses.h"

#define SIZE 240
#define SKIN 170

typedef struct face {
	media_image *img;
	float pts[136];
	float eye[2][2];   /* the eyes' centres */
	float span;
} face;

static void put(media_image *img, int x, int y, int v)
{
	if (x < 0 || y < 0 || x >= img->width || y >= img->height)
		return;
	uint8_t *p = img->data + (size_t)y * img->stride + 3 * (size_t)x;
	p[0] = p[1] = p[2] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

static int grey(const media_image *img, int x, int y)
{
	return img->data[(size_t)y * img->stride + 3 * (size_t)x];
}

/* Is (x, y) within half a width of the ellipse round eye e with semi-axes
 * a, b (pixels)?  Measured along the normal, about. */
static int on_ellipse(const face *f, int e, float x, float y, float a, float b, float width)
{
	float dx = (x - f->eye[e][0]) / a, dy = (y - f->eye[e][1]) / b;
	float r = sqrtf(dx * dx + dy * dy);
	return fabsf(r - 1) * fminf(a, b) <= width / 2;
}

/* The rims' semi-axes: as wide as a real lens, nearly meeting over the nose. */
static float rim_a(const face *f) { return 0.42f * f->span; }
static float rim_b(const face *f) { return 0.32f * f->span; }

/* A grey face: skin with grain, dark eyes (ellipses through the eye points),
 * brows as 7-pixel bands, two short thin lines under each eye (wrinkles);
 * with rims (value rim >= 0), 2-pixel ellipses round the eyes and a bridge. */
static face draw(int rim, int skin)
{
	face f;
	f.img = media_image_new(SIZE, SIZE, 3);
	vision_align_template(SIZE, f.pts);
	for (int e = 0; e < 2; e++) {
		f.eye[e][0] = f.eye[e][1] = 0;
		for (int i = 0; i < 6; i++) {
			f.eye[e][0] += f.pts[2 * (36 + 6 * e + i)] / 6;
			f.eye[e][1] += f.pts[2 * (36 + 6 * e + i) + 1] / 6;
		}
	}
	f.span = f.eye[1][0] - f.eye[0][0];
	bj_rng rng;
	bj_rng_init(&rng, 7);
	for (int y = 0; y < SIZE; y++)
		for (int x = 0; x < SIZE; x++) {
			int v = skin + (int)lrint(2 * bj_rng_normal(&rng));
			for (int e = 0; e < 2; e++) {
				float dx = ((float)x - f.eye[e][0]) / (0.16f * f.span), dy = ((float)y - f.eye[e][1]) / (0.07f * f.span);
				if (dx * dx + dy * dy <= 1)
					v = 50;
				/* the brow: a band over the eye, from a fifth of the span above it down */
				if (fabsf((float)x - f.eye[e][0]) < 0.18f * f.span && (float)y > f.eye[e][1] - 0.22f * f.span &&
				    (float)y < f.eye[e][1] - 0.22f * f.span + 7)
					v = 80;
				/* wrinkles: short thin lines under the eye */
				float wy = f.eye[e][1] + 0.3f * f.span;
				if (fabsf((float)y - wy) < 0.6f && fabsf((float)x - f.eye[e][0]) < 0.1f * f.span)
					v = skin - 40;
				if (rim >= 0 && on_ellipse(&f, e, (float)x, (float)y, rim_a(&f), rim_b(&f), 2))
					v = rim;
			}
			float bx0 = f.eye[0][0] + rim_a(&f) - 1, bx1 = f.eye[1][0] - rim_a(&f) + 1;
			if (rim >= 0 && (float)x >= bx0 && (float)x <= bx1 && fabsf((float)y - (f.eye[0][1] - 4)) <= 1)
				v = rim;
			put(f.img, x, y, v);
		}
	return f;
}

static void test_dark_rims(void)
{
	face f = draw(60, SKIN);
	vision_glasses g;
	CHECK(vision_glasses_find(f.img, f.pts, NULL, &g) == 0);
	float score = vision_glasses_score(&g);
	CHECK(score >= 0.9f, "rims on every ray, got %g", score);
	uint8_t mask[SIZE * SIZE] = { 0 };
	vision_rect box;
	vision_glasses_mask(f.img, &g, mask, SIZE, SIZE, &box);
	long rims = 0, kept = 0, eyes = 0, brows = 0, bridge = 0, bridge_kept = 0;
	for (int y = 0; y < SIZE; y++)
		for (int x = 0; x < SIZE; x++) {
			int m = mask[y * SIZE + x], v = grey(f.img, x, y);
			int on = on_ellipse(&f, 0, (float)x, (float)y, rim_a(&f), rim_b(&f), 1) ||
			         on_ellipse(&f, 1, (float)x, (float)y, rim_a(&f), rim_b(&f), 1);
			rims += on;
			kept += on && m == 255;
			eyes += v == 50 && m > 0;
			brows += v == 80 && m > 0;
			if (v == 60 && !on && (float)x > f.eye[0][0] + rim_a(&f) + 2 && (float)x < f.eye[1][0] - rim_a(&f) - 2) {
				bridge++;
				bridge_kept += m == 255;
			}
		}
	CHECK(rims > 200 && kept >= rims * 9 / 10, "rim pixels fully masked: %ld of %ld", kept, rims);
	CHECK(eyes == 0 && brows == 0, "the eyes and brows stay out of the mask: %ld, %ld pixels", eyes, brows);
	CHECK(bridge > 0 && bridge_kept == bridge, "the bridge is masked: %ld of %ld", bridge_kept, bridge);
	media_image_free(f.img);
}

static void test_no_glasses(void)
{
	face f = draw(-1, SKIN);
	vision_glasses g;
	CHECK(vision_glasses_find(f.img, f.pts, NULL, &g) == 0);
	float score = vision_glasses_score(&g);
	CHECK(score < 0.3f, "no rims: few rays with a line, got %g", score);
	media_image_free(f.img);
}

static void test_bright_rims(void)
{
	face f = draw(235, 120);
	vision_glasses g;
	CHECK(vision_glasses_find(f.img, f.pts, NULL, &g) == 0);
	CHECK(vision_glasses_score(&g) >= 0.9f, "bright rims, got %g", vision_glasses_score(&g));
	media_image_free(f.img);
}

static void test_degenerate(void)
{
	face f = draw(60, SKIN);
	for (int i = 36; i < 48; i++)
		f.pts[2 * i] = f.pts[2 * i + 1] = 50;
	vision_glasses g;
	CHECK(vision_glasses_find(f.img, f.pts, NULL, &g) == BJ_EINVAL);
	media_image_free(f.img);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_dark_rims),
		TEST_CASE(test_no_glasses),
		TEST_CASE(test_bright_rims),
		TEST_CASE(test_degenerate),
		{ 0 },
	};
	return test_main(cases);
}
