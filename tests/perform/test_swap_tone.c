/* The swapped face's tone on real footage: Bush's photo onto Ingrid Bergman
 * in Casablanca (soft-lit, black and white, framed by dark hair), where the
 * mean-and-spread colour match and the clone's pull of the hair gave a dark
 * mottled mask.  Inside the area the swap changed: the share of pixels
 * (their 5 x 5 mean) more than 25 L* darker than the original face's median
 * there stays small, and the swapped face's median lightness stays near the
 * original's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "media/decoder.h"
#include "media/imagefile.h"
#include "perform/swap.h"
#include "vision/cascade.h"
#include "vision/detail.h"
#include "vision/shape_model.h"
#include "vision/tone.h"

#define CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"
#define FIRST 100   /* 4 s in: her face, turned a little, against dark hair */
#define FRAMES 6

static double lightness(const media_image *img, int x, int y)
{
	float lab[3];
	vision_rgb_to_lab(img->data + (size_t)y * img->stride + 3 * (size_t)x, lab);
	return lab[0];
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The dark share and the median lightness change over the changed pixels. */
static void measure(const media_image *orig, const media_image *swapped, double *dark, double *shift)
{
	int w = orig->width, h = orig->height;
	double *lo = malloc(sizeof(double) * (size_t)w * h), *ls = malloc(sizeof(double) * (size_t)w * h);
	double *blurred = malloc(sizeof(double) * (size_t)w * h);
	size_t n = 0;
	for (int y = 2; y < h - 2; y++)
		for (int x = 2; x < w - 2; x++) {
			const uint8_t *p = orig->data + (size_t)y * orig->stride + 3 * (size_t)x;
			const uint8_t *q = swapped->data + (size_t)y * swapped->stride + 3 * (size_t)x;
			if (abs(p[0] - q[0]) <= 6 && abs(p[1] - q[1]) <= 6 && abs(p[2] - q[2]) <= 6)
				continue;
			double s = 0;
			for (int dy = -2; dy <= 2; dy++)
				for (int dx = -2; dx <= 2; dx++)
					s += lightness(swapped, x + dx, y + dy);
			lo[n] = lightness(orig, x, y);
			ls[n] = lightness(swapped, x, y);
			blurred[n++] = s / 25;
		}
	*dark = 1, *shift = 100;
	if (n > 400) {
		double want;
		qsort(lo, n, sizeof(double), cmp_double);
		want = lo[n / 2];
		long count = 0;
		for (size_t i = 0; i < n; i++)
			count += blurred[i] < want - 25;
		*dark = (double)count / (double)n;
		qsort(ls, n, sizeof(double), cmp_double);
		*shift = ls[n / 2] - want;
	}
	free(lo);
	free(ls);
	free(blurred);
}

typedef void frame_check(const media_image *orig, const media_image *swapped, void *ctx);

/* Swaps the star's photo onto frames first .. first + n - 1 of the clip (both
 * under ../shared/data) and calls check on each swapped frame with the
 * original beside it.  Returns how many were swapped, or -1 when the data is
 * missing (test_data has then failed the test where it must). */
static int swap_frames(const char *photo, const char *clip, int first, int n, frame_check *check, void *ctx)
{
	/* test_data's answer lasts until its next call */
	const char *path = test_data(photo);
	if (!path)
		return -1;
	media_image *star = media_image_load(path, 3);
	if (!(path = test_data(clip))) {
		media_image_free(star);
		return -1;
	}
	vision_cascade *cascade = vision_cascade_load(CASCADE);
	vision_shape_model *model = vision_shape_model_load(VISION_SHAPE_MODEL_68);
	media_decoder *d;
	CHECK(cascade && model && star, "%p %p %p", (void *)cascade, (void *)model, (void *)star);
	CHECK(media_decoder_open(path, &d) == 0, "%s", path);
	if (!cascade || !model || !star)
		return -1;
	CHECK(media_decoder_set_output(d, 0, 0, 3) == 0);
	perform_swap_opts o = PERFORM_SWAP_DEFAULTS;
	perform_swapper *s = perform_swapper_new(cascade, model, NULL, &o);
	CHECK(s && perform_swapper_add_star(s, star, "star") == 0);
	const media_frame *f;
	int swapped = 0;
	for (int i = 0; i < first + n && media_decoder_read(d, &f) > 0; i++) {
		if (i < first)
			continue;
		media_image *orig = media_image_new(f->image.width, f->image.height, 3);
		media_image *img = media_image_new(f->image.width, f->image.height, 3);
		for (int y = 0; y < f->image.height; y++) {
			memcpy(orig->data + y * orig->stride, f->image.data + y * f->image.stride, (size_t)f->image.width * 3);
			memcpy(img->data + y * img->stride, f->image.data + y * f->image.stride, (size_t)f->image.width * 3);
		}
		perform_swap_report rep;
		CHECK(perform_swapper_frame(s, img, i / 25.0, &rep) == 0);
		if (rep.swapped) {
			check(orig, img, ctx);
			swapped++;
		}
		media_image_free(orig);
		media_image_free(img);
	}
	media_decoder_close(d);
	perform_swapper_free(s);
	media_image_free(star);
	vision_cascade_free(cascade);
	vision_shape_model_free(model);
	return swapped;
}

struct dark_worst {
	double dark, shift;
};

static void check_dark(const media_image *orig, const media_image *swapped, void *ctx)
{
	struct dark_worst *w = ctx;
	double dark, shift;
	measure(orig, swapped, &dark, &shift);
	w->dark = fmax(w->dark, dark);
	w->shift = fmax(w->shift, fabs(shift));
}

static void test_casablanca(void)
{
	struct dark_worst w = { 0, 0 };
	int swapped = swap_frames("faces/star_George_W_Bush/George_W_Bush_0001.jpg",
	                          "footage/more/casablanca_1942_play_it_sam_dialogue.mp4", FIRST, FRAMES, check_dark, &w);
	if (swapped < 0)
		return;
	CHECK(swapped >= FRAMES - 1, "%d of %d frames swapped", swapped, FRAMES);
	CHECK(w.dark < 0.03, "%.3f of the face more than 25 L* darker than hers", w.dark);
	CHECK(w.shift < 6, "median lightness off by %.1f L*", w.shift);
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* The median a* and b* of img over the pixels where orig and swapped differ
 * (the pasted face) that the original has as skin-coloured (L* 40..85, a*
 * 5..30, b* 10..40: not her eyes, brows, lips or hair). */
static void skin_ab(const media_image *img, const media_image *orig, const media_image *swapped, float ab[2])
{
	size_t cap = (size_t)img->width * img->height, n = 0;
	float *a = malloc(cap * sizeof(float)), *b = malloc(cap * sizeof(float));
	for (int y = 0; y < img->height; y++)
		for (int x = 0; x < img->width; x++) {
			size_t i = (size_t)y * orig->stride + 3 * (size_t)x;
			if (abs(orig->data[i] - swapped->data[i]) + abs(orig->data[i + 1] - swapped->data[i + 1]) <= 12)
				continue;
			float lo[3], lab[3];
			vision_rgb_to_lab(orig->data + i, lo);
			if (lo[0] < 40 || lo[0] > 85 || lo[1] < 5 || lo[1] > 30 || lo[2] < 10 || lo[2] > 40)
				continue;
			vision_rgb_to_lab(img->data + (size_t)y * img->stride + 3 * (size_t)x, lab);
			a[n] = lab[1];
			b[n++] = lab[2];
		}
	qsort(a, n, sizeof(float), cmp_float);
	qsort(b, n, sizeof(float), cmp_float);
	ab[0] = n ? a[n / 2] : 0;
	ab[1] = n ? b[n / 2] : 0;
	free(a);
	free(b);
}

struct colour_worst {
	double a, b;
};

static void check_colour(const media_image *orig, const media_image *swapped, void *ctx)
{
	struct colour_worst *w = ctx;
	float want[2], got[2];
	skin_ab(orig, orig, swapped, want);
	skin_ab(swapped, orig, swapped, got);
	w->a = fmax(w->a, fabs(got[0] - want[0]));
	w->b = fmax(w->b, fabs(got[1] - want[1]));
}

/* Bush onto Alexandria Ocasio-Cortez (tanned skin, warm light): the swapped
 * face's skin keeps her skin's colour.  Turning and scaling the star's colours
 * by the two skins' ratio, and the clone moving the whole face by the
 * difference at its shadowed edge, made it paler and pinker (b* 5 below
 * hers, a* 2-3 above) with a red nose. */
static void test_skin_colour(void)
{
	/* the photo the swap picks for her pose: his face red from shouting */
	struct colour_worst w = { 0, 0 };
	int swapped = swap_frames("faces/star_George_W_Bush/George_W_Bush_0226.jpg",
	                          "footage/talking_heads/hdtf/sadtalker_WDA_AlexandriaOcasioCortez_000.mp4", 0, FRAMES,
	                          check_colour, &w);
	if (swapped < 0)
		return;
	CHECK(swapped >= FRAMES - 1, "%d of %d frames swapped", swapped, FRAMES);
	/* 2.01 and 1.80 (1.7 and 2.4 before the clone took the mouth's hole
	 * out of its solve and the feathered edge's guidance was weighted) */
	CHECK(w.a < 2.2 && w.b < 2.5, "skin a* off by up to %.1f, b* by %.1f", w.a, w.b);
}

/* The mid-scale and coarse detail of the last swapped frame over the
 * original's, over the pixels the swap changed. */
static void check_detail(const media_image *orig, const media_image *swapped, void *ctx)
{
	double *ratio = ctx, want[2], got[2];
	int w = orig->width, h = orig->height;
	uint8_t *m = calloc((size_t)w * h, 1);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			const uint8_t *p = orig->data + (size_t)y * orig->stride + 3 * (size_t)x;
			const uint8_t *q = swapped->data + (size_t)y * swapped->stride + 3 * (size_t)x;
			m[(size_t)y * w + x] = abs(p[0] - q[0]) + abs(p[1] - q[1]) + abs(p[2] - q[2]) > 12 ? 255 : 0;
		}
	vision_detail *d = vision_detail_new();
	vision_detail_split_on(NULL, d, orig, m, (vision_rect){ 0, 0, w, h }, want);
	vision_detail_split_on(NULL, d, swapped, m, (vision_rect){ 0, 0, w, h }, got);
	for (int k = 0; k < 2; k++)
		ratio[k] = want[k] > 0 ? got[k] / want[k] : 0;
	vision_detail_free(d);
	free(m);
}

/* Bush's small photo enlarged onto her big made-up face: the pasted face
 * carried half her mid-scale and coarse detail (flat, smeared eyes and
 * brows); raised band by band (perform/swap_detail.h), it carries most of
 * it within a second. */
static void test_detail(void)
{
	double ratio[2] = { 0, 0 };
	int swapped = swap_frames("faces/star_George_W_Bush/George_W_Bush_0226.jpg",
	                          "footage/talking_heads/hdtf/sadtalker_WDA_AlexandriaOcasioCortez_000.mp4", 0, 25,
	                          check_detail, ratio);
	if (swapped < 0)
		return;
	CHECK(swapped >= 24, "%d of 25 frames swapped", swapped);
	CHECK(ratio[0] > 0.75 && ratio[1] > 0.75 && ratio[0] < 1.1 && ratio[1] < 1.1, "mid %.2f, coarse %.2f of hers",
	      ratio[0], ratio[1]);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_casablanca),
		TEST_CASE(test_skin_colour),
		TEST_CASE(test_detail),
		{ 0 },
	};
	return test_main(cases);
}
