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

static void test_casablanca(void)
{
	/* test_data's answer lasts until its next call */
	const char *photo = test_data("faces/star_George_W_Bush/George_W_Bush_0001.jpg");
	if (!photo)
		return;
	media_image *star = media_image_load(photo, 3);
	const char *clip = test_data("footage/more/casablanca_1942_play_it_sam_dialogue.mp4");
	if (!clip) {
		media_image_free(star);
		return;
	}
	vision_cascade *cascade = vision_cascade_load(CASCADE);
	vision_shape_model *model = vision_shape_model_load(VISION_SHAPE_MODEL_68);
	media_decoder *d;
	CHECK(cascade && model && star, "%p %p %p", (void *)cascade, (void *)model, (void *)star);
	CHECK(media_decoder_open(clip, &d) == 0, "%s", clip);
	if (!cascade || !model || !star)
		return;
	CHECK(media_decoder_set_output(d, 0, 0, 3) == 0);
	perform_swap_opts o = PERFORM_SWAP_DEFAULTS;
	perform_swapper *s = perform_swapper_new(cascade, model, NULL, &o);
	CHECK(s && perform_swapper_add_star(s, star, "star") == 0);
	const media_frame *f;
	int swapped = 0;
	double worst_dark = 0, worst_shift = 0;
	for (int i = 0; i < FIRST + FRAMES && media_decoder_read(d, &f) > 0; i++) {
		if (i < FIRST)
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
			double dark, shift;
			measure(orig, img, &dark, &shift);
			worst_dark = fmax(worst_dark, dark);
			worst_shift = fmax(worst_shift, fabs(shift));
			swapped++;
		}
		media_image_free(orig);
		media_image_free(img);
	}
	CHECK(swapped >= FRAMES - 1, "%d of %d frames swapped", swapped, FRAMES);
	CHECK(worst_dark < 0.03, "%.3f of the face more than 25 L* darker than hers", worst_dark);
	CHECK(worst_shift < 6, "median lightness off by %.1f L*", worst_shift);
	media_decoder_close(d);
	perform_swapper_free(s);
	media_image_free(star);
	vision_cascade_free(cascade);
	vision_shape_model_free(model);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_casablanca),
		{ 0 },
	};
	return test_main(cases);
}
