/* Eye and mouth openness: the canonical face open and closed, invariance to
 * size and in-plane rotation, degenerate points. */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "vision/align.h"
#include "vision/openness.h"

/* Moves the upper lids (37, 38 and 43, 44) onto the lower ones (41, 40 and
 * 47, 46): shut eyes. */
static void shut_eyes(float *p)
{
	static const int upper[] = { 37, 38, 43, 44 }, lower[] = { 41, 40, 47, 46 };
	for (int i = 0; i < 4; i++)
		p[2 * upper[i] + 1] = p[2 * lower[i] + 1];
}

/* Opens the inner lips by gap pixels each way. */
static void open_mouth(float *p, float gap)
{
	for (int k = 61; k <= 63; k++)
		p[2 * k + 1] -= gap;
	for (int k = 65; k <= 67; k++)
		p[2 * k + 1] += gap;
}

static void test_open_and_closed(void)
{
	float p[136], q[136];
	vision_align_template(200, p);
	float eyes = vision_eye_openness(p), mouth = vision_mouth_openness(p);
	CHECK(eyes > 0.2 && eyes < 0.45, "an open eye's ratio, got %g", eyes);
	CHECK(mouth < 0.15, "the canonical mouth is about closed, got %g", mouth);
	memcpy(q, p, sizeof q);
	shut_eyes(q);
	CHECK(vision_eye_openness(q) < 0.05, "shut: %g", vision_eye_openness(q));
	memcpy(q, p, sizeof q);
	open_mouth(q, 10);
	CHECK(vision_mouth_openness(q) > mouth + 0.2, "open mouth %g, closed %g",
	      vision_mouth_openness(q), mouth);
	/* ratios: the same for the face twice as large, turned 30 degrees */
	vision_similarity t = { 2 * cos(0.52), 2 * sin(0.52), 40, -7 };
	memcpy(q, p, sizeof q);
	vision_similarity_apply(&t, q, 68);
	CHECK_NEAR(vision_eye_openness(q), eyes, 1e-4);
	CHECK_NEAR(vision_mouth_openness(q), mouth, 1e-4);
	/* every point on one spot: 0, not a division by zero */
	float z[136] = { 0 };
	CHECK(vision_eye_openness(z) == 0 && vision_mouth_openness(z) == 0);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_open_and_closed),
		{ 0 },
	};
	return test_main(cases);
}
