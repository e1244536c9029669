/* Shape transfer: a star's proportions moved onto a face in any pose, the
 * face's expression (a blink, the mouth) and its jaw kept. */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "vision/align.h"
#include "vision/shape_transfer.h"

#define EYE_SPAN (0.4 * VISION_SHAPE_SIZE)

/* The frame's picture of a face: scaled by 1.7, turned 25 degrees, moved. */
static const vision_similarity to_frame = { 1.7 * 0.906307787, 1.7 * 0.422618262, 140, 60 };

/* The star: brows 6 units higher, eyes 3 units further apart, 10 % wider and
 * 15 % narrower (top to bottom), the nose tip 4 units lower, the mouth 5 units wider (the mouth does not move). */
static void star_of(const float *actor, float *star)
{
	memcpy(star, actor, 136 * sizeof(*star));
	for (int i = 17; i <= 26; i++)
		star[2 * i + 1] -= 6;
	for (int e = 0; e < 2; e++) {
		int first = 36 + 6 * e;
		double cx = 0, cy = 0;
		for (int i = first; i < first + 6; i++) {
			cx += actor[2 * i] / 6;
			cy += actor[2 * i + 1] / 6;
		}
		for (int i = first; i < first + 6; i++) {
			star[2 * i] = (float)(cx + (e ? 3 : -3) + 1.1 * (actor[2 * i] - cx));
			star[2 * i + 1] = (float)(cy + 0.85 * (actor[2 * i + 1] - cy));
		}
	}
	for (int i = 31; i <= 35; i++)
		star[2 * i + 1] += 4;
	star[2 * 48] -= 2.5f;
	star[2 * 54] += 2.5f;
}

static void test_moves_to_the_star(void)
{
	float actor[136], star[136], pts[136], out[136], want[136];
	vision_align_template(VISION_SHAPE_SIZE, actor);
	star_of(actor, star);
	memcpy(pts, actor, sizeof(pts));
	vision_similarity_apply(&to_frame, pts, 68);
	CHECK(vision_shape_transfer(pts, actor, star, 1.0, out) == 0);
	/* the face is the actor's mean: it becomes the star's, in the frame's pose */
	memcpy(want, star, sizeof(want));
	for (int i = 48; i < 68; i++) {
		want[2 * i] = actor[2 * i];
		want[2 * i + 1] = actor[2 * i + 1];
	}
	vision_similarity_apply(&to_frame, want, 68);
	CHECK_CLOSE("moved", out, want, 136, 0.02, 0);
	/* the jaw is copied exactly */
	CHECK(memcmp(out, pts, 34 * sizeof(*out)) == 0);
	/* half the way */
	CHECK(vision_shape_transfer(pts, actor, star, 0.5, out) == 0);
	CHECK_NEAR(out[2 * 31 + 1] - pts[2 * 31 + 1], 0.5 * 4 * 1.7 * 0.906307787, 0.02);
	/* the same shapes: nothing moves */
	CHECK(vision_shape_transfer(pts, actor, actor, 1.0, out) == 0);
	CHECK_CLOSE("unmoved", out, pts, 136, 0.01, 0);
}

static void test_keeps_the_expression(void)
{
	float actor[136], star[136], pts[136], a[136], out[136], b[136];
	vision_align_template(VISION_SHAPE_SIZE, actor);
	star_of(actor, star);
	/* this frame: a blink (each upper lid on its lower), brows raised,
	 * the mouth open */
	memcpy(a, actor, sizeof(a));
	for (int e = 0; e < 2; e++) {
		int f = 36 + 6 * e;
		a[2 * (f + 1) + 1] = a[2 * (f + 5) + 1];
		a[2 * (f + 2) + 1] = a[2 * (f + 4) + 1];
	}
	for (int i = 17; i <= 26; i++)
		a[2 * i + 1] -= 5;
	for (int i = 56; i <= 58; i++)
		a[2 * i + 1] += 12;
	for (int i = 65; i <= 67; i++)
		a[2 * i + 1] += 12;
	memcpy(pts, a, sizeof(pts));
	vision_similarity_apply(&to_frame, pts, 68);
	CHECK(vision_shape_transfer(pts, actor, star, 1.0, out) == 0);
	/* back in the frame's aligned frame: the eyes still shut, the mouth as it was */
	vision_similarity back = vision_similarity_invert(&to_frame);
	memcpy(b, out, sizeof(b));
	vision_similarity_apply(&back, b, 68);
	for (int e = 0; e < 2; e++) {
		int f = 36 + 6 * e;
		CHECK_NEAR(b[2 * (f + 1) + 1], b[2 * (f + 5) + 1], 0.05);
		CHECK_NEAR(b[2 * (f + 2) + 1], b[2 * (f + 4) + 1], 0.05);
	}
	for (int i = 48; i < 68; i++) {
		CHECK_NEAR(out[2 * i], pts[2 * i], 0.01);
		CHECK_NEAR(out[2 * i + 1], pts[2 * i + 1], 0.01);
	}
	/* the raise of the brows kept on top of the star's brow height (the
	 * aligned frame moves a little with the brows: a loose tolerance) */
	CHECK_NEAR(b[2 * 19 + 1] - actor[2 * 19 + 1], -5 - 6, 0.5);
}

static void test_clamped(void)
{
	float actor[136], star[136], pts[136], out[136];
	vision_align_template(VISION_SHAPE_SIZE, actor);
	memcpy(star, actor, sizeof(star));
	/* a bad landmark fit: a brow half a face away, a squashed eye */
	star[2 * 20 + 1] -= 100;
	for (int i = 36; i < 42; i++)
		star[2 * i] = actor[2 * 36] + 0.2f * (actor[2 * i] - actor[2 * 36]);
	memcpy(pts, actor, sizeof(pts));
	CHECK(vision_shape_transfer(pts, actor, star, 1.0, out) == 0);
	CHECK_NEAR(out[2 * 20 + 1] - pts[2 * 20 + 1], -VISION_SHAPE_MAX_MOVE * EYE_SPAN, 0.5);
	double w_in = pts[2 * 39] - pts[2 * 36], w_out = out[2 * 39] - out[2 * 36];
	CHECK_NEAR(w_out / w_in, 1 / VISION_SHAPE_MAX_RATIO, 0.01);
}

static void test_degenerate(void)
{
	float pts[136] = { 0 }, out[136], shape[136];
	vision_align_template(VISION_SHAPE_SIZE, shape);
	for (int i = 0; i < 136; i++)
		out[i] = 1;
	CHECK(vision_shape_transfer(pts, shape, shape, 1.0, out) < 0);
	CHECK(memcmp(out, pts, sizeof(out)) == 0, "a copy of the landmarks");
	CHECK(vision_shape_aligned(pts, out) < 0);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_moves_to_the_star),
		TEST_CASE(test_keeps_the_expression),
		TEST_CASE(test_clamped),
		TEST_CASE(test_degenerate),
		{ 0 },
	};
	return test_main(cases);
}
