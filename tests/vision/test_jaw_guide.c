/* The clone's guidance at the jaw (vision_face_mask_guided_on,
 * vision_skin_clone_guided_on): along the jaw's edges the guidance weights
 * rise more steeply than the mask, so a dark band in the star's photo across
 * the feather's outer part (its jaw's shadow, its background) is not carried
 * into the footage as a second jawline; elsewhere (the forehead) they are the
 * mask's, and the mask itself is vision_face_mask_lifted_on's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "media/image.h"
#include "vision/align.h"
#include "vision/face_mask.h"
#include "vision/skin.h"

#define S 200
#define GREY 150

static const float LIFTS[10] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };

static void test_guide_steeper_at_jaw_only(void)
{
	float lm[136];
	vision_align_template(S, lm);
	uint8_t *mask = calloc(S * S, 1), *guide = calloc(S * S, 1), *plain = calloc(S * S, 1);
	vision_rect box, pbox;
	vision_face_mask_guided_on(NULL, lm, LIFTS, S, S, mask, guide, &box);
	vision_face_mask_lifted_on(NULL, lm, LIFTS, S, S, plain, &pbox);
	CHECK(memcmp(mask, plain, S * S) == 0, "the mask is the plain one");
	long above = 0, brow_differs = 0, brow = 0;
	float brow_y = S;
	for (int i = 17; i < 27; i++)
		brow_y = fminf(brow_y, lm[2 * i + 1]);
	for (int y = box.y0; y < box.y1; y++)
		for (int x = box.x0; x < box.x1; x++) {
			size_t i = (size_t)y * S + x;
			above += guide[i] > mask[i];
			/* above the brows only the lifted brows' edges are near */
			if (y < brow_y - 2 && mask[i] > 0 && mask[i] < 255) {
				brow++;
				brow_differs += guide[i] != mask[i];
			}
		}
	CHECK(above == 0, "%ld pixels' guidance above the mask", above);
	CHECK(brow > 50 && brow_differs == 0, "%ld of %ld forehead feather pixels differ", brow_differs, brow);
	/* straight up from the chin (point 8), where the mask crosses half */
	int cx = (int)lrintf(lm[16]), cy = (int)lrintf(lm[17]);
	while (cy > 0 && mask[(size_t)cy * S + cx] < 128)
		cy--;
	/* there the guidance is the mask's share squared: a quarter, not a half */
	uint8_t m = mask[(size_t)cy * S + cx], g = guide[(size_t)cy * S + cx];
	double want = m * (m / 255.0);
	CHECK(m >= 128 && m < 150 && fabs(g - want) <= 2, "chin half way in: mask %d guide %d (want %.1f)", m, g, want);
	free(mask);
	free(guide);
	free(plain);
}

/* The largest departure from GREY in img over the jaw's feather below the
 * mouth (mask above 0, under 255, below point 57). */
static int jaw_departure(const media_image *img, const uint8_t *mask, const float *lm)
{
	int most = 0;
	for (int y = (int)lm[2 * 57 + 1]; y < S; y++)
		for (int x = 0; x < S; x++) {
			uint8_t m = mask[(size_t)y * S + x];
			if (m == 0 || m == 255)
				continue;
			const uint8_t *p = img->data + (size_t)y * img->stride + 3 * (size_t)x;
			for (int k = 0; k < 3; k++)
				most = abs(p[k] - GREY) > most ? abs(p[k] - GREY) : most;
		}
	return most;
}

static void test_star_jaw_shade_not_shown(void)
{
	float lm[136];
	vision_align_template(S, lm);
	uint8_t *mask = calloc(S * S, 1), *guide = calloc(S * S, 1), *alien = calloc(S * S, 1);
	vision_rect box;
	vision_face_mask_guided_on(NULL, lm, LIFTS, S, S, mask, guide, &box);
	media_image *star = media_image_new(S, S, 3), *fill = media_image_new(S, S, 3);
	media_image *foot[2] = { media_image_new(S, S, 3), media_image_new(S, S, 3) };
	CHECK(star && fill && foot[0] && foot[1]);
	/* the footage flat grey; the star the same but for a shadow over the
	 * feather's outer part below the mouth (mask 1..100) */
	for (int y = 0; y < S; y++)
		for (int x = 0; x < S; x++) {
			uint8_t m = mask[(size_t)y * S + x];
			int shade = y > lm[2 * 57 + 1] && m > 0 && m <= 100;
			for (int k = 0; k < 3; k++) {
				star->data[(size_t)y * star->stride + 3 * (size_t)x + k] = shade ? 90 : GREY;
				fill->data[(size_t)y * fill->stride + 3 * (size_t)x + k] = GREY;
				foot[0]->data[(size_t)y * foot[0]->stride + 3 * (size_t)x + k] = GREY;
				foot[1]->data[(size_t)y * foot[1]->stride + 3 * (size_t)x + k] = GREY;
			}
		}
	CHECK(vision_skin_clone_on(NULL, foot[0], star, mask, alien, fill, box) == 0);
	CHECK(vision_skin_clone_guided_on(NULL, foot[1], star, mask, guide, alien, fill, box) == 0);
	int plain = jaw_departure(foot[0], mask, lm), guided = jaw_departure(foot[1], mask, lm);
	/* the mask's guidance carries the shadow in (a dark line a third as deep
	 * as the star's); the jaw's guidance keeps more than half of it out */
	CHECK(plain >= 15, "the mask's guidance shows the shadow by %d", plain);
	CHECK(guided * 2 <= plain, "the jaw's guidance shows it by %d (the mask's %d)", guided, plain);
	media_image_free(star);
	media_image_free(fill);
	media_image_free(foot[0]);
	media_image_free(foot[1]);
	free(mask);
	free(guide);
	free(alien);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_guide_steeper_at_jaw_only),
		TEST_CASE(test_star_jaw_shade_not_shown),
		{ 0 },
	};
	return test_main(cases);
}
