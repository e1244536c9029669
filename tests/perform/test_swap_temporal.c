/* The swap's correction blended over time: a correction that moves with the
 * face is kept exactly, the footage's own change passes through, a region
 * whose correction changes is taken new (no ghost), tremor is damped. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "base/threads.h"
#include "harness.h"
#include "perform/swap_temporal.h"
#include "vision/align.h"

#define W 160
#define H 120
#define STEP 3   /* pixels the face moves a frame, to the right */

/* The footage: a grey texture moving with the face (x0 its offset), plus
 * grain of its own every frame when rng is given. */
static void footage(media_image *img, int x0, bj_rng *rng)
{
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			int u = x - x0;
			double v = 100 + 20 * sin(0.31 * u) * cos(0.23 * y) + 8 * sin(0.9 * u + 0.7 * y);
			if (rng)
				v += 3 * bj_rng_normal(rng);
			for (int c = 0; c < 3; c++)
				img->data[(size_t)y * img->stride + 3 * (size_t)x + c] = (uint8_t)lrint(v + 5 * c);
		}
}

/* The swap's correction, textured, on the face's 40 x 40 square at x0: in
 * face coordinates (u, v); 0 outside it. */
static int correction(int u, int v, int c)
{
	if (u < 0 || u >= 40 || v < 0 || v >= 40)
		return 0;
	return (int)lrint(30 * sin(0.4 * u + 0.3 * v + c) + 10 * cos(0.7 * v));
}

/* The face's box at x0 (the square with 10 pixels around it) and the frame
 * swapped with correction (plus extra inside the 10 x 10 square of the face
 * at (20, 20) when changed). */
static vision_rect swapped_frame(media_image *out, const media_image *foot, int x0, int changed)
{
	vision_rect box = { x0 + 40, 30, x0 + 100, 90 };
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			for (int c = 0; c < 3; c++) {
				int u = x - x0 - 50, v = y - 40;
				int d = correction(u, v, c) + (changed && u >= 20 && u < 30 && v >= 20 && v < 30 ? 60 : 0);
				size_t i = (size_t)y * foot->stride + 3 * (size_t)x + c;
				out->data[i] = (uint8_t)(foot->data[i] + d);
			}
	return box;
}

/* The landmarks of the face at x0: the template, moved with it. */
static void landmarks(int x0, float *pts)
{
	vision_align_template(60, pts);
	for (int i = 0; i < 68; i++) {
		pts[2 * i] += (float)(x0 + 40);
		pts[2 * i + 1] += 30;
	}
}

/* The largest |out - foot - correction| over the face (changed: the bigger
 * correction inside the changed square). */
static int worst_error(const media_image *out, const media_image *foot, int x0, int changed)
{
	int worst = 0;
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			for (int c = 0; c < 3; c++) {
				int u = x - x0 - 50, v = y - 40;
				int d = correction(u, v, c) + (changed && u >= 20 && u < 30 && v >= 20 && v < 30 ? 60 : 0);
				size_t i = (size_t)y * out->stride + 3 * (size_t)x + c;
				worst = abs(out->data[i] - foot->data[i] - d) > worst ? abs(out->data[i] - foot->data[i] - d)
				                                                      : worst;
			}
	return worst;
}

/* A face moving STEP pixels a frame with its correction, the footage grainy:
 * the output is the footage plus that correction, exactly, told the motion
 * or going by the landmarks. */
static void test_carried_exactly(void)
{
	media_image *foot = media_image_new(W, H, 3), *out = media_image_new(W, H, 3);
	for (int by_landmarks = 0; by_landmarks <= 1; by_landmarks++) {
		perform_temporal *t = perform_temporal_new();
		bj_rng rng;
		bj_rng_init(&rng, 3);
		int worst = 0;
		for (int f = 0; f < 12; f++) {
			int x0 = STEP * f;
			footage(foot, x0, &rng);
			vision_rect box = swapped_frame(out, foot, x0, 0);
			float pts[136];
			landmarks(x0, pts);
			vision_similarity moved = { 1, 0, STEP, 0 };
			perform_temporal_apply(t, out, foot, box, pts, by_landmarks || f == 0 ? NULL : &moved);
			int e = worst_error(out, foot, x0, 0);
			worst = e > worst ? e : worst;
		}
		CHECK(worst == 0, "a correction moving with the face is kept (%s): off by %d",
		      by_landmarks ? "landmarks" : "motion", worst);
		perform_temporal_free(t);
	}
	media_image_free(foot);
	media_image_free(out);
}

/* The correction of a square of the face changes by 60 levels (a mouth
 * opening): there the new one is taken at once, not blended with the old. */
static void test_changed_not_blended(void)
{
	media_image *foot = media_image_new(W, H, 3), *out = media_image_new(W, H, 3);
	perform_temporal *t = perform_temporal_new();
	float pts[136];
	for (int f = 0; f < 6; f++) {
		int x0 = STEP * f;
		footage(foot, x0, NULL);
		vision_rect box = swapped_frame(out, foot, x0, f == 5);
		landmarks(x0, pts);
		perform_temporal_apply(t, out, foot, box, pts, NULL);
	}
	CHECK(worst_error(out, foot, 5 * STEP, 1) == 0, "the changed square is taken new: off by %d",
	      worst_error(out, foot, 5 * STEP, 1));
	perform_temporal_free(t);
	media_image_free(foot);
	media_image_free(out);
}

static void swap_images(media_image **a, media_image **b)
{
	media_image *t = *a;
	*a = *b;
	*b = t;
}

/* A still face whose correction trembles by a level a frame: the output's
 * frame-to-frame change is less than half the input's; after a reset, the
 * first frame passes through as it is. */
static void test_tremor_damped(void)
{
	media_image *foot = media_image_new(W, H, 3), *in = media_image_new(W, H, 3), *prev_in = media_image_new(W, H, 3);
	media_image *out = media_image_new(W, H, 3), *prev_out = media_image_new(W, H, 3);
	perform_temporal *t = perform_temporal_new();
	bj_rng rng;
	bj_rng_init(&rng, 5);
	float pts[136];
	landmarks(0, pts);
	footage(foot, 0, NULL);
	double change_in = 0, change_out = 0;
	for (int f = 0; f < 30; f++) {
		vision_rect box = swapped_frame(in, foot, 0, 0);
		for (int y = box.y0; y < box.y1; y++)
			for (int x = 3 * box.x0; x < 3 * box.x1; x++) {
				size_t i = (size_t)y * in->stride + (size_t)x;
				in->data[i] = (uint8_t)lrint(in->data[i] + bj_rng_normal(&rng));
			}
		for (size_t i = 0; i < (size_t)H * in->stride; i++)
			out->data[i] = in->data[i];
		perform_temporal_apply(t, out, foot, box, pts, NULL);
		if (f >= 10)
			for (size_t i = 0; i < (size_t)H * in->stride; i++) {
				change_in += abs(in->data[i] - prev_in->data[i]);
				change_out += abs(out->data[i] - prev_out->data[i]);
			}
		swap_images(&prev_in, &in);
		swap_images(&prev_out, &out);
	}
	CHECK(change_out < 0.5 * change_in, "tremor: %g of the input's change", change_out / change_in);
	perform_temporal_reset(t);
	vision_rect box = swapped_frame(in, foot, 0, 1);
	for (size_t i = 0; i < (size_t)H * in->stride; i++)
		out->data[i] = in->data[i];
	perform_temporal_apply(t, out, foot, box, pts, NULL);
	CHECK(worst_error(out, foot, 0, 1) == 0, "after a reset the frame passes through");
	perform_temporal_free(t);
	perform_temporal_free(NULL);
	media_image_free(foot);
	media_image_free(in);
	media_image_free(prev_in);
	media_image_free(out);
	media_image_free(prev_out);
}

/* A steady star face (the same pixels every frame) over footage whose grain
 * is new every frame: the correction holds that grain with its sign turned,
 * and the output stays the star's, not given the grain's change back (the
 * carried correction mixed in adds the last frame's grain less this one's:
 * 0.8 of the footage's change with AGREE at 60 levels, 0.2 at 12). */
static void test_grain_not_carried(void)
{
	media_image *foot = media_image_new(W, H, 3), *out = media_image_new(W, H, 3), *star = media_image_new(W, H, 3);
	media_image *prev_foot = media_image_new(W, H, 3), *prev_out = media_image_new(W, H, 3);
	perform_temporal *t = perform_temporal_new();
	bj_rng rng;
	bj_rng_init(&rng, 7);
	float pts[136];
	landmarks(0, pts);
	footage(star, 7, NULL);
	vision_rect box = { 40, 30, 100, 90 };
	double change_foot = 0, change_out = 0;
	for (int f = 0; f < 20; f++) {
		footage(foot, 0, &rng);
		for (size_t i = 0; i < (size_t)H * out->stride; i++)
			out->data[i] = star->data[i];
		perform_temporal_apply(t, out, foot, box, pts, NULL);
		if (f > 0)
			for (int y = box.y0; y < box.y1; y++)
				for (int x = 3 * box.x0; x < 3 * box.x1; x++) {
					size_t i = (size_t)y * out->stride + (size_t)x;
					change_foot += abs(foot->data[i] - prev_foot->data[i]);
					change_out += abs(out->data[i] - prev_out->data[i]);
				}
		swap_images(&prev_foot, &foot);
		swap_images(&prev_out, &out);
	}
	CHECK(change_out < 0.3 * change_foot, "the star changed %g of the footage's grain", change_out / change_foot);
	perform_temporal_free(t);
	media_image_free(foot);
	media_image_free(out);
	media_image_free(star);
	media_image_free(prev_foot);
	media_image_free(prev_out);
}

/* A moving face whose correction trembles, over two threads: the same bytes
 * as on one, frame after frame. */
static void test_threads(void)
{
	media_image *foot = media_image_new(W, H, 3), *one = media_image_new(W, H, 3), *two = media_image_new(W, H, 3);
	perform_temporal *t1 = perform_temporal_new(), *t2 = perform_temporal_new();
	bj_pool *pool = bj_pool_new(2);
	bj_rng rng;
	bj_rng_init(&rng, 11);
	int same = 1;
	for (int f = 0; f < 8; f++) {
		int x0 = STEP * f;
		footage(foot, x0, &rng);
		vision_rect box = swapped_frame(one, foot, x0, f == 6);
		for (size_t i = 0; i < (size_t)H * one->stride; i++)
			one->data[i] = two->data[i] = (uint8_t)lrint(fmin(255, fmax(0, one->data[i] + bj_rng_normal(&rng))));
		float pts[136];
		landmarks(x0, pts);
		vision_similarity moved = { 1, 0, STEP, 0 };
		perform_temporal_apply(t1, one, foot, box, pts, f % 3 ? &moved : NULL);
		perform_temporal_apply_on(pool, t2, two, foot, box, pts, f % 3 ? &moved : NULL);
		same &= memcmp(one->data, two->data, (size_t)H * one->stride) == 0;
	}
	CHECK(same, "the blend differs on two threads");
	bj_pool_free(pool);
	perform_temporal_free(t1);
	perform_temporal_free(t2);
	media_image_free(foot);
	media_image_free(one);
	media_image_free(two);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_carried_exactly),
		TEST_CASE(test_changed_not_blended),
		TEST_CASE(test_tremor_damped),
		TEST_CASE(test_grain_not_carried),
		TEST_CASE(test_threads),
		{ 0 },
	};
	return test_main(cases);
}
