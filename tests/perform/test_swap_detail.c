/* The swap's detail steering on synthetic faces: a band follows the
 * footage's energy up and down within its limits, a swap that changes more
 * than the footage on the forehead and brows takes detail off, and a reset
 * starts afresh. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "media/image.h"
#include "perform/swap_detail.h"
#include "perform/swap_score.h"
#include "vision/detail.h"

#define W 120
#define H 100
#define AIM 1.3   /* a star photo at its own size is aimed at this much of the footage's detail */

/* Blobs of about 10 and 30 pixels, of this contrast, on grey. */
static media_image *blobs(double contrast)
{
	media_image *img = media_image_new(W, H, 3);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			double v = sin(0.6 * x) * sin(0.55 * y) + 1.5 * sin(0.2 * x + 1) * cos(0.17 * y);
			for (int c = 0; c < 3; c++)
				img->data[y * img->stride + 3 * x + c] = (uint8_t)lrint(fmin(fmax(128 + contrast * 25 * v, 0), 255));
		}
	return img;
}

static uint8_t *mask(void)
{
	uint8_t *m = calloc(W * H, 1);
	for (int y = 10; y < H - 10; y++)
		memset(m + y * W + 10, 255, W - 20);
	return m;
}

static void energy(const media_image *img, const uint8_t *m, double e[2])
{
	vision_detail *d = vision_detail_new();
	vision_detail_split_on(NULL, d, img, m, (vision_rect){ 0, 0, W, H }, e);
	vision_detail_free(d);
}

/* A face (contrast c) swapped for n frames onto footage of contrast 1 (the
 * swapped result taken to be the scaled face); gain gets the last gains, e
 * the last scaled face's band energies over the footage's. */
static void steer(perform_swap_detail *s, double c, int n, double gain[2], double e[2])
{
	media_image *frame = blobs(1);
	uint8_t *m = mask();
	vision_rect box = { 0, 0, W, H };
	double want[2], have[2];
	energy(frame, m, want);
	for (int i = 0; i < n; i++) {
		media_image *face = blobs(c);
		perform_swap_detail_apply(s, NULL, face, frame, m, NULL, box);
		if (i == n - 1)
			energy(face, m, have);
		perform_swap_detail_measure(s, NULL, face, frame, m, NULL, box);
		media_image_free(face);
	}
	perform_swap_detail_gains(s, gain);
	for (int k = 0; k < 2; k++)
		e[k] = have[k] / want[k];
	media_image_free(frame);
	free(m);
}

/* The gains follow the footage's energy (AIM times it) over the frames,
 * slowly, raising a band to no more than 1.8 and lowering it to no less than
 * 0.8. */
static void test_follows_footage(void)
{
	perform_swap_detail *s = perform_swap_detail_new();
	double gain[2], e[2];
	/* four fifths of the aim: raised at once, not all the way */
	steer(s, 0.8 * AIM, 1, gain, e);
	for (int k = 0; k < 2; k++) {
		CHECK(gain[k] > 1.1 && gain[k] < 1.4, "band %d: gain %g", k, gain[k]);
		CHECK(e[k] > 0.8 * AIM && e[k] < 0.97 * AIM, "band %d: energy %g of the footage's", k, e[k]);
	}
	/* over the frames, as the swapped result is measured: all the way */
	steer(s, 0.8 * AIM, 60, gain, e);
	for (int k = 0; k < 2; k++) {
		CHECK(gain[k] > 1.15 && gain[k] < 1.8, "band %d: gain %g", k, gain[k]);
		CHECK(fabs(e[k] / AIM - 1) < 0.05, "band %d: energy %g of the footage's", k, e[k]);
	}
	/* a little more than the aim: brought down to it */
	steer(s, 1.15 * AIM, 60, gain, e);
	for (int k = 0; k < 2; k++) {
		CHECK(gain[k] > 0.8 && gain[k] < 1, "band %d: gain %g", k, gain[k]);
		CHECK(fabs(e[k] / AIM - 1) < 0.05, "band %d: energy %g of the footage's", k, e[k]);
	}
	/* twice: no further than 0.8 (the star's detail carries its identity) */
	steer(s, 2 * AIM, 60, gain, e);
	CHECK(fabs(gain[0] - 0.8) < 1e-3 && fabs(gain[1] - 0.8) < 1e-3, "gains %g %g", gain[0], gain[1]);
	/* a reset takes the new aim at once; a face with a fifth of the
	 * footage's detail is raised by no more than 1.8 */
	perform_swap_detail_reset(s);
	steer(s, 0.2, 1, gain, e);
	CHECK(gain[0] == 1.8 && gain[1] == 1.8, "gains %g %g", gain[0], gain[1]);
	/* no detail at all: nothing to scale, and no NaN */
	perform_swap_detail_reset(s);
	steer(s, 0, 4, gain, e);
	CHECK(gain[0] == 1 && gain[1] == 1, "gains %g %g", gain[0], gain[1]);
	perform_swap_detail_free(s);
}

/* A swap that changes half as much again as the footage from frame to frame
 * inside the face has its detail taken down below its aim, to 0.6 of it
 * (the gains to 0.6 of 0.8 at the least); once it changes less, the detail
 * comes back. */
static void test_calm(void)
{
	perform_swap_detail *s = perform_swap_detail_new();
	double gain[2], e[2], aim[2];
	steer(s, AIM, 60, aim, e);
	/* a few frames are not enough to go by */
	for (int i = 0; i < 9; i++) {
		perform_swap_detail_changed(s, 3, 1);
		steer(s, AIM, 1, gain, e);
	}
	CHECK(fabs(gain[0] - aim[0]) < 1e-3 && fabs(gain[1] - aim[1]) < 1e-3, "gains %g %g after 9 frames, from %g %g",
	      gain[0], gain[1], aim[0], aim[1]);
	for (int i = 0; i < 90; i++) {
		perform_swap_detail_changed(s, 1.5, 1);
		steer(s, AIM, 1, gain, e);
	}
	for (int k = 0; k < 2; k++) {
		CHECK(gain[k] < 0.7 * aim[k] && gain[k] >= 0.48 * aim[k], "band %d: %g against %g", k, gain[k], aim[k]);
		CHECK(e[k] > 0.55 * AIM && e[k] < 0.8 * AIM, "band %d: energy %g of the footage's", k, e[k]);
	}
	for (int i = 0; i < 200; i++) {
		perform_swap_detail_changed(s, 0.5, 1);
		steer(s, AIM, 1, gain, e);
	}
	for (int k = 0; k < 2; k++)
		CHECK(fabs(gain[k] - aim[k]) < 0.05, "band %d: %g, back to %g", k, gain[k], aim[k]);
	perform_swap_detail_free(s);
}

/* The flicker that steers the detail is summed on the forehead and brows
 * only: the top third of the box, where the mask is whole (not its
 * feathered rim); the whole mask's change is summed as before. */
static void test_brow_change(void)
{
	media_image *prev = blobs(1), *now = blobs(1), *orig = blobs(1), *prev_orig = blobs(1);
	uint8_t *m = mask();
	vision_rect box = { 10, 10, W - 10, H - 10 };   /* 80 rows: rows 10..35 are the top third */
	for (int x = 10; x < W - 10; x++)
		m[20 * W + x] = 200;   /* a feathered row in the top third */
	/* the swap changes by 1 on rows 12 (top, whole), 20 (top, feathered)
	 * and 60 (below); the footage by 2 on row 12 */
	for (int x = 10; x < W - 10; x++) {
		now->data[12 * now->stride + 3 * x] ^= 1;
		now->data[20 * now->stride + 3 * x] ^= 1;
		now->data[60 * now->stride + 3 * x] ^= 1;
		orig->data[12 * orig->stride + 3 * x + 1] ^= 2;
	}
	perform_score_input in = { now, orig, prev, prev_orig, m, box, NULL, NULL, NULL };
	perform_frame_scores sc;
	perform_score_frame(NULL, &in, &sc);
	CHECK(sc.change_swap == 3 * (W - 20) && sc.change_orig == 2 * (W - 20), "change %g, %g", sc.change_swap,
	      sc.change_orig);
	CHECK(sc.brow_swap == W - 20 && sc.brow_orig == 2 * (W - 20), "brows %g, %g", sc.brow_swap, sc.brow_orig);
	media_image_free(prev);
	media_image_free(now);
	media_image_free(orig);
	media_image_free(prev_orig);
	free(m);
}

/* A star face with twice the footage's detail, its right half bare skin,
 * swapped for 60 frames: at its own size (enlarged 1.2 times) both parts
 * stop at 0.8; enlarged three times the skin goes down towards the
 * footage's, as far as 0.4, while the features still stop at 0.8. */
static void test_enlarged(void)
{
	media_image *frame = blobs(1);
	uint8_t *m = mask(), *skin = calloc(W * H, 1);
	for (int y = 0; y < H; y++)
		memcpy(skin + y * W + W / 2, m + y * W + W / 2, W / 2);
	vision_rect box = { 0, 0, W, H };
	static const double factors[] = { 1.2, 3 };
	for (int f = 0; f < 2; f++) {
		perform_swap_detail *s = perform_swap_detail_new();
		perform_swap_detail_enlarged(s, factors[f]);
		for (int i = 0; i < 60; i++) {
			media_image *face = blobs(2);
			perform_swap_detail_apply(s, NULL, face, frame, m, skin, box);
			perform_swap_detail_measure(s, NULL, face, frame, m, skin, box);
			media_image_free(face);
		}
		double feat[2], bare[2];
		perform_swap_detail_gains(s, feat);
		perform_swap_detail_skin_gains(s, bare);
		for (int k = 0; k < 2; k++)
			CHECK(fabs(feat[k] - 0.8) < 1e-3, "x%g band %d: features %g", factors[f], k, feat[k]);
		if (f == 0)
			CHECK(fabs(bare[0] - 0.8) < 1e-3 && fabs(bare[1] - 0.8) < 1e-3, "skin %g %g", bare[0], bare[1]);
		else
			CHECK(bare[0] > 0.4 - 1e-3 && bare[0] < 0.7 && bare[1] > 0.4 - 1e-3 && bare[1] < 0.7, "skin %g %g",
			      bare[0], bare[1]);
		perform_swap_detail_free(s);
	}
	media_image_free(frame);
	free(m);
	free(skin);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_follows_footage),
		TEST_CASE(test_calm),
		TEST_CASE(test_brow_change),
		TEST_CASE(test_enlarged),
		{ 0 },
	};
	return test_main(cases);
}
