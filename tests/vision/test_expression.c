/* Expression measures: the canonical face, a shout, a smile and a frown each
 * move their own measure; size and in-plane rotation change nothing; the
 * distance ignores ordinary variation and counts clear departures. */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "vision/align.h"
#include "vision/expression.h"

static void move(float *p, int k, float dx, float dy)
{
	p[2 * k] += dx;
	p[2 * k + 1] += dy;
}

static void test_measures(void)
{
	float p[136], q[136];
	vision_align_template(200, p);
	vision_expression calm, e;
	vision_expression_measure(p, &calm);
	CHECK(calm.eyes > 0.2f && calm.mouth < 0.15f, "eyes %g mouth %g", calm.eyes, calm.mouth);
	CHECK(calm.brow_height > 0.1f && calm.brow_height < 0.4f, "brows %g", calm.brow_height);
	CHECK(calm.brow_gap > 0.1f && calm.mouth_width > 0.4f, "brow gap %g mouth width %g", calm.brow_gap,
	      calm.mouth_width);
	/* a shout: the inner lips 12 pixels apart each way */
	memcpy(q, p, sizeof q);
	for (int k = 61; k <= 63; k++)
		move(q, k, 0, -12);
	for (int k = 65; k <= 67; k++)
		move(q, k, 0, 12);
	vision_expression_measure(q, &e);
	CHECK(e.mouth > calm.mouth + 0.3f && fabsf(e.brow_gap - calm.brow_gap) < 1e-6f, "shout: mouth %g", e.mouth);
	CHECK(vision_expression_distance(&e, &calm) > 2, "shout: %g", vision_expression_distance(&e, &calm));
	/* a smile: the mouth corners 10 pixels outward */
	memcpy(q, p, sizeof q);
	move(q, 48, -10, 0);
	move(q, 54, 10, 0);
	vision_expression_measure(q, &e);
	CHECK(e.mouth_width > calm.mouth_width + 0.1f, "smile: %g", e.mouth_width);
	/* a frown: the inner brow ends 8 pixels together and down */
	memcpy(q, p, sizeof q);
	move(q, 21, 8, 4);
	move(q, 22, -8, 4);
	vision_expression_measure(q, &e);
	CHECK(e.brow_gap < calm.brow_gap - 0.1f && e.brow_height < calm.brow_height, "frown: gap %g height %g",
	      e.brow_gap, e.brow_height);
	CHECK(vision_expression_distance(&e, &calm) > 1, "frown: %g", vision_expression_distance(&e, &calm));
	/* ratios: the same for the face 1.5 times as large, turned 20 degrees */
	vision_similarity t = { 1.5 * cos(0.35), 1.5 * sin(0.35), -30, 12 };
	memcpy(q, p, sizeof q);
	vision_similarity_apply(&t, q, 68);
	vision_expression_measure(q, &e);
	CHECK_NEAR(e.eyes, calm.eyes, 1e-4);
	CHECK_NEAR(e.mouth, calm.mouth, 1e-4);
	CHECK_NEAR(e.brow_height, calm.brow_height, 1e-4);
	CHECK_NEAR(e.brow_gap, calm.brow_gap, 1e-4);
	CHECK_NEAR(e.mouth_width, calm.mouth_width, 1e-4);
	/* every point on one spot: all 0, not a division by zero */
	float z[136] = { 0 };
	vision_expression_measure(z, &e);
	CHECK(e.eyes == 0 && e.mouth == 0 && e.brow_height == 0 && e.brow_gap == 0 && e.mouth_width == 0);
}

static void test_distance(void)
{
	vision_expression a = { 0.30f, 0.10f, 0.22f, 0.27f, 0.64f }, b = a;
	CHECK(vision_expression_distance(&a, &b) == 0);
	/* within one spread in every measure: ordinary, 0 */
	b = (vision_expression){ 0.33f, 0.15f, 0.24f, 0.25f, 0.68f };
	CHECK(vision_expression_distance(&a, &b) == 0, "%g", vision_expression_distance(&a, &b));
	/* the mouth 0.396 wider open (4 spreads of 0.099): 3 steps beyond the first */
	b = a;
	b.mouth += 0.396f;
	CHECK_NEAR(vision_expression_distance(&a, &b), 3, 1e-3);
	CHECK_NEAR(vision_expression_distance(&b, &a), 3, 1e-3);
	/* steps add up over measures */
	b.brow_gap -= 0.088f;   /* 2 spreads: 1 step */
	CHECK_NEAR(vision_expression_distance(&a, &b), 4, 1e-3);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_measures),
		TEST_CASE(test_distance),
		{ 0 },
	};
	return test_main(cases);
}
