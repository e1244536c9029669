/* The star photo's choice (swap_choice.h): of the photos about as near the
 * pose, the one whose descriptor is nearer the star's than the actor's by most,
 * within the pose window and the fine-detail limits; a photo's detail measured
 * as it will be once warped onto one face. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "perform/swap_choice.h"
#include "vision/face_model.h"
#include "vision/facedesc.h"

static float actor[VISION_FACEDESC_DIM], star[VISION_FACEDESC_DIM];
static float like_star[VISION_FACEDESC_DIM], like_actor[VISION_FACEDESC_DIM];

/* a descriptor t of the way from the actor's to the star's */
static void between(double t, float *d)
{
	for (int i = 0; i < VISION_FACEDESC_DIM; i++)
		d[i] = (float)((1 - t) * actor[i] + t * star[i]);
}

static void descriptors(void)
{
	memset(actor, 0, sizeof(actor));
	memset(star, 0, sizeof(star));
	actor[0] = 1;
	star[1] = 1;
	between(0.8, like_star);
	between(0.4, like_actor);
}

static void test_nearer_the_star_wins(void)
{
	descriptors();
	perform_photo_choice nearest = { like_actor, 100, 2 }, other = { like_star, 120, 6 };
	double a = perform_photo_fit(&nearest, &nearest, actor, star), b = perform_photo_fit(&other, &nearest, actor, star);
	CHECK(isfinite(a) && isfinite(b), "fits %g %g", a, b);
	CHECK(b > a, "the photo nearer the star %g, the nearest photo %g", b, a);
}

static void test_pose_costs(void)
{
	descriptors();
	perform_photo_choice nearest = { like_star, 100, 1 }, turned = { like_star, 100, 5 };
	double a = perform_photo_fit(&nearest, &nearest, actor, star), b = perform_photo_fit(&turned, &nearest, actor, star);
	CHECK(a > b, "the same face 4 degrees further round: %g against %g", b, a);
}

static void test_window(void)
{
	descriptors();
	perform_photo_choice nearest = { like_actor, 100, 3 };
	perform_photo_choice inside = { like_star, 100, 3 + PERFORM_CHOICE_WINDOW - 0.1 };
	perform_photo_choice outside = { like_star, 100, 3 + PERFORM_CHOICE_WINDOW + 0.1 };
	CHECK(isfinite(perform_photo_fit(&inside, &nearest, actor, star)));
	CHECK(perform_photo_fit(&outside, &nearest, actor, star) == -INFINITY);
	/* the nearest photo is always a choice, however far */
	perform_photo_choice far = { like_actor, 100, 40 };
	CHECK(isfinite(perform_photo_fit(&far, &far, actor, star)));
}

static void test_detail_limits(void)
{
	descriptors();
	perform_photo_choice nearest = { like_actor, 100, 2 };
	perform_photo_choice softer = { like_star, 95, 3 }, sharper = { like_star, 150, 3 }, alike = { like_star, 130, 3 };
	CHECK(perform_photo_fit(&softer, &nearest, actor, star) == -INFINITY, "less detail than the nearest");
	CHECK(perform_photo_fit(&sharper, &nearest, actor, star) == -INFINITY, "1.5 times the nearest's detail");
	CHECK(isfinite(perform_photo_fit(&alike, &nearest, actor, star)));
}

/* The mean face at (cx, cy), span pixels an eye span. */
static void face(double span, float *lm)
{
	for (int i = 0; i < 68; i++) {
		lm[2 * i] = (float)(200 + span * vision_face_model[i][0]);
		lm[2 * i + 1] = (float)(200 + span * vision_face_model[i][1]);
	}
}

static void test_photo_detail(void)
{
	media_image *img = media_image_new(400, 400, 3);
	CHECK(img != NULL);
	if (!img)
		return;
	float small[136], big[136];
	face(50, small);
	face(100, big);
	memset(img->data, 128, (size_t)img->stride * img->height);
	CHECK(perform_photo_detail(img, big) == 0, "a flat photo has no detail");
	/* the same grain on a face twice the size: twice the detail once warped
	 * onto one face */
	uint32_t seed = 3;
	for (int y = 0; y < 400; y++)
		for (int x = 0; x < 3 * 400; x++) {
			seed = seed * 1664525u + 1013904223u;
			img->data[(size_t)y * img->stride + x] = (uint8_t)(100 + (seed >> 24) % 50);
		}
	double a = perform_photo_detail(img, small), b = perform_photo_detail(img, big);
	CHECK(a > 0 && fabs(b / a - 2) < 0.1, "detail %g at 50 px, %g at 100 px", a, b);
	media_image_free(img);
}

int main(void)
{
	static const struct test_case cases[] = { TEST_CASE(test_nearer_the_star_wins), TEST_CASE(test_pose_costs),
		                                  TEST_CASE(test_window), TEST_CASE(test_detail_limits),
		                                  TEST_CASE(test_photo_detail), { 0 } };
	return test_main(cases);
}
