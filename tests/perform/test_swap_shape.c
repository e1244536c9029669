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

/* The mean move of the brows from pts to out, up, in units of pts's aligned frame. */
static double brow_move(const float *pts, const float *out)
{
	vision_similarity t;
	CHECK(vision_align_transform(pts, VISION_SHAPE_SIZE, &t) == 0);
	float a[136], b[136];
	memcpy(a, pts, sizeof(a));
	memcpy(b, out, sizeof(b));
	vision_similarity_apply(&t, a, 68);
	vision_similarity_apply(&t, b, 68);
	double up = 0;
	for (int i = 17; i <= 26; i++)
		up += (a[2 * i + 1] - b[2 * i + 1]) / 10;
	return up;
}

/* The mean height of the brows in an aligned shape (up). */
static double brow_y(const float *pts)
{
	float a[136];
	CHECK(vision_shape_aligned(pts, a) == 0);
	double y = 0;
	for (int i = 17; i <= 26; i++)
		y -= a[2 * i + 1] / 10;
	return y;
}

static void test_star_brows_on_the_actor(void)
{
	perform_swap_shape *sh = perform_swap_shape_new();
	float face[136], star[136], pts[136], out[136];
	turned(0, face);
	/* no star: nothing moves */
	perform_swap_shape_move(sh, face, out);
	CHECK(memcmp(out, face, sizeof(out)) == 0);
	/* photos of a star with brows 5 px higher than the mean face (a
	 * little either way), and one from the side with its brows down on its
	 * eyes, which must not count for a face seen from the front */
	for (int k = 0; k < 3; k++) {
		turned(4 * (k - 1), star);
		brows(star, -5 + (float)(k - 1));
		CHECK(perform_swap_shape_add_star(sh, star) == 0);
	}
	turned(60, star);
	brows(star, 15);
	CHECK(perform_swap_shape_add_star(sh, star) == 0);
	turned(0, star);
	brows(star, -5);
	double star_y = brow_y(star), actor_y = 0, moves[2] = { 0, 0 };
	/* an actor with low brows that raises them on every other frame, turned
	 * a little and talking */
	for (int t = 0; t < 40; t++) {
		turned(3 * sin(t * 0.3), pts);
		brows(pts, t % 2 ? 0 : 4);
		for (int i = 56; i <= 58; i++)
			pts[2 * i + 1] += (float)(6 * fabs(sin(t * 0.5)));
		perform_swap_shape_move(sh, pts, out);
		actor_y += brow_y(pts) / 40;
		/* the jaw and mouth stay */
		CHECK(memcmp(out, pts, 34 * sizeof(*out)) == 0);
		for (int i = 48; i < 68; i++)
			CHECK(fabsf(out[2 * i] - pts[2 * i]) < 0.01f && fabsf(out[2 * i + 1] - pts[2 * i + 1]) < 0.01f,
			      "mouth point %d moved", i);
		if (t >= 30)
			moves[t % 2] += brow_move(pts, out) / 5;
	}
	/* the brows move from the actor's mean height to the frontal star's, by
	 * as much on the raised frames as on the lowered: the raise is kept */
	double want = star_y - actor_y;
	CHECK(star_y - actor_y > 3, "the star's brows are %g units higher", star_y - actor_y);
	CHECK_NEAR(moves[0], want, 0.3);
	CHECK_NEAR(moves[1], want, 0.3);
	/* a new face: its own mean from its first frame */
	perform_swap_shape_reset(sh);
	turned(0, pts);
	brows(pts, 6);
	perform_swap_shape_move(sh, pts, out);
	CHECK_NEAR(brow_move(pts, out), star_y - brow_y(pts), 0.3);
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
