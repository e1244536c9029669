/*
 * openness.c - eye and mouth opening ratios from 68 landmarks.
 */
#include "vision/openness.h"

#include <math.h>

static double dist(const float *p, int a, int b)
{
	return hypot((double)p[2 * a] - p[2 * b], (double)p[2 * a + 1] - p[2 * b + 1]);
}

/* One eye whose six points start at first (corner, two upper lids, corner,
 * two lower lids, clockwise). */
static double eye(const float *p, int first)
{
	double w = dist(p, first, first + 3);
	if (w <= 0)
		return 0;
	return (dist(p, first + 1, first + 5) + dist(p, first + 2, first + 4)) / (2 * w);
}

float vision_eye_openness(const float *points)
{
	return (float)((eye(points, 36) + eye(points, 42)) / 2);
}

float vision_mouth_openness(const float *points)
{
	double w = dist(points, 60, 64);
	if (w <= 0)
		return 0;
	return (float)((dist(points, 61, 67) + dist(points, 62, 66) + dist(points, 63, 65)) / (3 * w));
}
