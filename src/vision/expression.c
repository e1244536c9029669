/*
 * expression.c - five expression measures of 68 landmarks and their distance.
 */
#include "vision/expression.h"

#include <math.h>

#include "vision/openness.h"

/* Typical spreads between one person's photos (median absolute deviation,
 * scaled to a standard deviation, over 40 LFW photos of George W. Bush). */
#define SPREAD_EYES 0.058f
#define SPREAD_MOUTH 0.099f
#define SPREAD_BROW_HEIGHT 0.041f
#define SPREAD_BROW_GAP 0.044f
#define SPREAD_MOUTH_WIDTH 0.061f

static double dist(const float *p, int a, int b)
{
	return hypot((double)p[2 * a] - p[2 * b], (double)p[2 * a + 1] - p[2 * b + 1]);
}

void vision_expression_measure(const float *p, vision_expression *e)
{
	*e = (vision_expression){ 0 };
	double span = dist(p, 36, 45);   /* outer eye corners */
	if (!(span > 0))
		return;
	e->eyes = vision_eye_openness(p);
	e->mouth = vision_mouth_openness(p);
	/* the brow points' distance from the line through the outer eye corners */
	double ux = (p[2 * 45] - p[2 * 36]) / span, uy = (p[2 * 45 + 1] - p[2 * 36 + 1]) / span;
	double height = 0;
	for (int k = 17; k <= 26; k++)
		height += fabs((p[2 * k] - p[2 * 36]) * uy - (p[2 * k + 1] - p[2 * 36 + 1]) * ux);
	e->brow_height = (float)(height / 10 / span);
	e->brow_gap = (float)(dist(p, 21, 22) / span);
	e->mouth_width = (float)(dist(p, 48, 54) / span);
}

/* How many spreads beyond the first apart a and b are in one measure. */
static float steps(float a, float b, float spread)
{
	float d = fabsf(a - b) / spread - 1;
	return d > 0 ? d : 0;
}

float vision_expression_distance(const vision_expression *a, const vision_expression *b)
{
	return steps(a->eyes, b->eyes, SPREAD_EYES) + steps(a->mouth, b->mouth, SPREAD_MOUTH) +
	       steps(a->brow_height, b->brow_height, SPREAD_BROW_HEIGHT) +
	       steps(a->brow_gap, b->brow_gap, SPREAD_BROW_GAP) +
	       steps(a->mouth_width, b->mouth_width, SPREAD_MOUTH_WIDTH);
}
