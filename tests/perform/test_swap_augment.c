/* Augmented batches: the same seed gives the same bytes, no warp leaves the
 * input equal to the target, the moves do what they say (none: the crop
 * itself; a flip: its mirror), the warp is small and smooth, and masks and
 * weights cover the face, the eyes and the mouth. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"
#include "perform/swap_augment.h"
#include "vision/align.h"

#define S 64
#define NP (2 * PERFORM_CROPS_POINTS)

/* Two faces of a textured card (a checker of ramps, so every move shows). */
static perform_crops *faces(void)
{
	media_image *img = media_image_new(256, 256, 3);
	for (int y = 0; y < 256; y++)
		for (int x = 0; x < 256; x++) {
			uint8_t *p = img->data + y * img->stride + 3 * x;
			p[0] = (uint8_t)x, p[1] = (uint8_t)y, p[2] = ((x / 8 + y / 8) & 1) ? 220 : 30;
		}
	perform_crop_opts o = PERFORM_CROP_DEFAULTS;
	o.size = S;
	perform_crops *set = perform_crops_new(&o);
	float pts[NP];
	for (int f = 0; f < 2; f++) {
		vision_align_template(S, pts);
		for (int i = 0; i < NP; i++)
			pts[i] = 100 + (1.5f + 0.3f * f) * (pts[i] - 32);
		CHECK(perform_crops_add_face(set, img, pts, "card", f) == 1);
	}
	media_image_free(img);
	return set;
}

static perform_augment_opts still(void)
{
	perform_augment_opts o = PERFORM_AUGMENT_DEFAULTS;
	o.rotate = o.scale = o.shift = o.flip = o.brightness = o.contrast = o.saturation = 0;
	o.warp_sigma = 0;
	return o;
}

static size_t batch_floats(const perform_batch *b)
{
	return (size_t)b->n * S * S;
}

static void run(const perform_crops *set, const perform_augment_opts *o, uint64_t seed, perform_batch *b)
{
	perform_augmenter *a = perform_augmenter_new(set, o, NULL);
	CHECK(a != NULL);
	bj_rng rng;
	bj_rng_init(&rng, seed);
	perform_augment_batch(a, &rng, b);
	perform_augmenter_free(a);
}

static void test_deterministic(void)
{
	perform_crops *set = faces();
	perform_augment_opts o = PERFORM_AUGMENT_DEFAULTS;
	perform_batch a, b, c;
	perform_batch_init(&a, 6, S), perform_batch_init(&b, 6, S), perform_batch_init(&c, 6, S);
	run(set, &o, 42, &a);
	run(set, &o, 42, &b);
	run(set, &o, 43, &c);
	size_t n = batch_floats(&a);
	CHECK(memcmp(a.input, b.input, 3 * n * sizeof(float)) == 0);
	CHECK(memcmp(a.target, b.target, 3 * n * sizeof(float)) == 0);
	CHECK(memcmp(a.mask, b.mask, n * sizeof(float)) == 0);
	CHECK(memcmp(a.weight, b.weight, n * sizeof(float)) == 0);
	CHECK(memcmp(a.index, b.index, 6 * sizeof(int32_t)) == 0);
	CHECK(memcmp(a.input, c.input, 3 * n * sizeof(float)) != 0, "another seed, another batch");
	for (size_t i = 0; i < 3 * n; i++)
		if (!(a.input[i] >= 0 && a.input[i] <= 1 && a.target[i] >= 0 && a.target[i] <= 1)) {
			CHECK(0, "value %zu out of [0, 1]: %g %g", i, a.input[i], a.target[i]);
			break;
		}
	perform_batch_release(&a), perform_batch_release(&b), perform_batch_release(&c);
	perform_crops_free(set);
}

/* Two threads give the bytes one gives. */
static void test_threads(void)
{
	perform_crops *set = faces();
	perform_augment_opts o = PERFORM_AUGMENT_DEFAULTS;
	bj_pool *pool = bj_pool_new(2);
	perform_augmenter *one = perform_augmenter_new(set, &o, NULL), *two = perform_augmenter_new(set, &o, pool);
	perform_batch a, b;
	perform_batch_init(&a, 5, S), perform_batch_init(&b, 5, S);
	bj_rng r1, r2;
	bj_rng_init(&r1, 11), bj_rng_init(&r2, 11);
	for (int step = 0; step < 3; step++) {
		perform_augment_batch(one, &r1, &a);
		perform_augment_batch(two, &r2, &b);
		CHECK(memcmp(a.input, b.input, 3 * batch_floats(&a) * sizeof(float)) == 0, "step %d", step);
		CHECK(memcmp(a.weight, b.weight, batch_floats(&a) * sizeof(float)) == 0, "step %d", step);
	}
	perform_batch_release(&a), perform_batch_release(&b);
	perform_augmenter_free(one), perform_augmenter_free(two);
	bj_pool_free(pool);
	perform_crops_free(set);
}

/* Warp sigma 0: the input is the target, bit for bit, whatever else moves. */
static void test_no_warp(void)
{
	perform_crops *set = faces();
	perform_augment_opts o = PERFORM_AUGMENT_DEFAULTS;
	o.warp_sigma = 0;
	perform_batch b;
	perform_batch_init(&b, 8, S);
	run(set, &o, 5, &b);
	CHECK(memcmp(b.input, b.target, 3 * batch_floats(&b) * sizeof(float)) == 0);
	perform_batch_release(&b);
	perform_crops_free(set);
}

/* Nothing random: the target is the crop; a sure flip: the crop mirrored. */
static void test_moves(void)
{
	perform_crops *set = faces();
	perform_augment_opts o = still();
	perform_augmenter *a = perform_augmenter_new(set, &o, NULL);
	perform_batch b;
	perform_batch_init(&b, 2, S);
	bj_rng rng;
	bj_rng_init(&rng, 1);
	perform_augment_face(a, 1, &rng, &b, 0);
	perform_augmenter_free(a);
	o.flip = 1;
	a = perform_augmenter_new(set, &o, NULL);
	perform_augment_face(a, 1, &rng, &b, 1);
	CHECK(b.index[0] == 1 && b.index[1] == 1);
	const uint8_t *px = set->pixels + (size_t)S * S * 3;
	double worst = 0, worst_flip = 0;
	for (int c = 0; c < 3; c++)
		for (int y = 0; y < S; y++)
			for (int x = 0; x < S; x++) {
				float want = px[(y * S + x) * 3 + c] / 255.0f;
				float got = b.target[(size_t)c * S * S + y * S + x];
				float flipped = b.target[(size_t)(3 + c) * S * S + y * S + (S - 1 - x)];
				worst = fmax(worst, fabsf(got - want));
				worst_flip = fmax(worst_flip, fabsf(flipped - want));
			}
	CHECK(worst < 1e-6, "target differs from the crop by %g", worst);
	CHECK(worst_flip < 1e-6, "flipped target differs from the mirrored crop by %g", worst_flip);
	perform_batch_release(&b);
	perform_augmenter_free(a);
	perform_crops_free(set);
}

/* The default warp moves pixels by about its sigma (1.3 px at 64), smoothly:
 * the input differs from the target, but neighbours move together. */
static void test_warp(void)
{
	perform_crops *set = faces();
	perform_augment_opts o = still();
	o.warp_sigma = 0.02f;
	perform_batch b;
	perform_batch_init(&b, 4, S);
	run(set, &o, 9, &b);
	size_t n = 3 * batch_floats(&b);
	double diff = 0;
	for (size_t i = 0; i < n; i++)
		diff += fabs(b.input[i] - b.target[i]);
	diff /= (double)n;
	/* the card's ramps change by 1/255 a pixel and its checker by 0.75 every 8 pixels */
	CHECK(diff > 0.01 && diff < 0.15, "mean |input - target| %g", diff);
	perform_augment_opts big = o;
	big.warp_sigma = 0.1f;
	perform_batch c;
	perform_batch_init(&c, 4, S);
	run(set, &big, 9, &c);
	double diff_big = 0;
	for (size_t i = 0; i < n; i++)
		diff_big += fabs(c.input[i] - c.target[i]);
	CHECK(diff_big / (double)n > 2 * diff, "a larger sigma warps more: %g vs %g", diff_big / (double)n, diff);
	perform_batch_release(&b);
	perform_batch_release(&c);
	perform_crops_free(set);
}

static void test_mask_and_weight(void)
{
	perform_crops *set = faces();
	perform_augment_opts o = still();
	perform_batch b;
	perform_batch_init(&b, 1, S);
	perform_augmenter *a = perform_augmenter_new(set, &o, NULL);
	bj_rng rng;
	bj_rng_init(&rng, 3);
	perform_augment_face(a, 0, &rng, &b, 0);
	const float *lm = set->landmarks;
	int nose = (int)lrintf(lm[2 * 30 + 1]) * S + (int)lrintf(lm[2 * 30]);
	CHECK(b.mask[nose] > 0.99f, "mask at the nose %g", b.mask[nose]);
	CHECK(b.mask[0] == 0 && b.mask[S - 1] == 0, "mask in the top corners %g %g", b.mask[0], b.mask[S - 1]);
	double inside = 0;
	for (int i = 0; i < S * S; i++) {
		CHECK(b.mask[i] >= 0 && b.mask[i] <= 1 && b.weight[i] >= 1 && b.weight[i] <= 3);
		inside += b.mask[i];
	}
	/* the face fills about half of the crop */
	CHECK(inside > 0.25 * S * S && inside < 0.75 * S * S, "mask area %g of %d", inside, S * S);
	/* 3 at each eye's and the mouth's centre, 1 on the cheek and the corners */
	int at[][2] = { { 36, 39 }, { 42, 45 }, { 48, 54 } };
	for (int k = 0; k < 3; k++) {
		int x = (int)lrintf((lm[2 * at[k][0]] + lm[2 * at[k][1]]) / 2);
		int y = (int)lrintf((lm[2 * at[k][0] + 1] + lm[2 * at[k][1] + 1]) / 2);
		CHECK(b.weight[y * S + x] == 3, "feature %d: weight %g", k, b.weight[y * S + x]);
	}
	int cheek = (int)lrintf(lm[2 * 2 + 1]) * S + (int)lrintf((lm[2 * 2] + lm[2 * 31]) / 2);
	CHECK(b.weight[cheek] == 1 && b.weight[0] == 1, "cheek %g corner %g", b.weight[cheek], b.weight[0]);
	perform_augmenter_free(a);
	perform_batch_release(&b);

	o.feature_weight = 0.5f;
	CHECK(perform_augmenter_new(set, &o, NULL) == NULL && bj_error_code() == BJ_EINVAL);
	perform_crops_free(set);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_deterministic),
		TEST_CASE(test_threads),
		TEST_CASE(test_no_warp),
		TEST_CASE(test_moves),
		TEST_CASE(test_warp),
		TEST_CASE(test_mask_and_weight),
		{ 0 },
	};
	return test_main(cases);
}
