/* The swap's shape mover: the star's proportions, taken from the star photos
 * in the actor's pose, moved onto each frame of the actor's face; its pose and
 * expression kept, its mean restarted by a reset. */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "perform/swap_shape.h"
#include "vision/align.h"
#include "vision/face_model.h"
#include "vision/shape_transfer.h"

/* The mean face seen turned by yaw degrees, 100 pixels an eye span, at (200, 200). */
static void turned(double yaw, float *pts)
{
	double c = cos(yaw * M_PI / 180), s = sin(yaw * M_PI / 180);
	for (int i = 0; i < 68; i++) {
		const float *p = vision_face_model[i];
		pts[2 * i] = (float)(200 + 100 * (c * p[0] + s * p[2]));
		pts[2 * i + 1] = (float)(200 + 100 * p[1]);
	}
}

/* Brows moved by dy pixels (down for dy > 0). */
static void brows(float *pts, float dy)
{
	for (int i = 17; i <= 26; i++)
		pts[2 * i + 1] += dy;
}

/* The brows' height above the eyes in the aligned frame. */
static double brow_height(const float *pts)
{
	float a[136];
	CHECK(vision_shape_aligned(pts, a) == 0);
	return (a[2 * 37 + 1] + a[2 * 44 + 1]) / 2 - (a[2 * 19 + 1] + a[2 * 24 + 1]) / 2;
}

static void test_star_brows_on_the_actor(void)
{
	perform_swap_shape *sh = perform_swap_shape_new();
	float face[136], star[136], pts[136], out[136];
	turned(0, face);
	/* no star: nothing moves */
	perform_swap_shape_move(sh, face, out);
	CHECK(memcmp(out, face, sizeof(out)) == 0);
	/* photos of a star with brows 8 px higher than the mean face (a
	 * little either way), and one from the side with its brows down on its
	 * eyes, which must not count for a face seen from the front */
	for (int k = 0; k < 3; k++) {
		turned(4 * (k - 1), star);
		brows(star, -8 + (float)(k - 1));
		CHECK(perform_swap_shape_add_star(sh, star) == 0);
	}
	turned(60, star);
	brows(star, 15);
	CHECK(perform_swap_shape_add_star(sh, star) == 0);
	turned(0, star);
	brows(star, -8);
	double want = brow_height(star);
	/* an actor with low brows that raises them on every other frame, turned
	 * a little and talking */
	double raised = 0, lowered = 0;
	for (int t = 0; t < 40; t++) {
		turned(3 * sin(t * 0.3), pts);
		brows(pts, t % 2 ? 0 : 4);
		for (int i = 56; i <= 58; i++)
			pts[2 * i + 1] += (float)(6 * fabs(sin(t * 0.5)));
		perform_swap_shape_move(sh, pts, out);
		/* the jaw and mouth stay */
		CHECK(memcmp(out, pts, 34 * sizeof(*out)) == 0);
		for (int i = 48; i < 68; i++)
			CHECK(fabsf(out[2 * i] - pts[2 * i]) < 0.01f && fabsf(out[2 * i + 1] - pts[2 * i + 1]) < 0.01f,
			      "mouth point %d moved", i);
		if (t >= 30)
			*(t % 2 ? &raised : &lowered) += brow_height(out) / 5;
	}
	/* the actor's mean brow height (2 px below the face's) becomes the
	 * star's, and the raise (4 px) is kept */
	double units = 0.4 * VISION_SHAPE_SIZE / 100;
	CHECK_NEAR((raised + lowered) / 2, want, 0.5);
	CHECK_NEAR(raised - lowered, 4 * units, 0.5);
	/* a new face: its own mean from its first frame (the move is then all
	 * the star's difference from that frame) */
	perform_swap_shape_reset(sh);
	turned(0, pts);
	brows(pts, 6);
	perform_swap_shape_move(sh, pts, out);
	CHECK_NEAR(brow_height(out), want, 0.5);
	perform_swap_shape_free(sh);
	perform_swap_shape_free(NULL);
}

static void test_degenerate(void)
{
	perform_swap_shape *sh = perform_swap_shape_new();
	float pts[136] = { 0 }, out[136];
	CHECK(perform_swap_shape_add_star(sh, pts) < 0);
	turned(0, pts);
	CHECK(perform_swap_shape_add_star(sh, pts) == 0);
	memset(pts, 0, sizeof(pts));
	perform_swap_shape_move(sh, pts, out);
	CHECK(memcmp(out, pts, sizeof(out)) == 0);
	perform_swap_shape_free(sh);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_star_brows_on_the_actor),
		TEST_CASE(test_degenerate),
		{ 0 },
	};
	return test_main(cases);
}
