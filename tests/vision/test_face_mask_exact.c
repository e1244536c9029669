/* The face mask (face_mask.h) against the plain per-pixel formula it stands
 * for: the convex hull of the jaw and the lifted brows, feathered inward from
 * its edges, less the feathered inner mouth (closed near the edge's band),
 * with each distance the least over all edges.  Faces turned, scaled and jittered, with whole-pixel and
 * fractional landmarks, the mouth open and shut. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "harness.h"
#include "vision/face_mask.h"

#define W 240
#define H 240

static int cmp_pt(const void *a, const void *b)
{
	const float *p = a, *q = b;
	return p[0] != q[0] ? (p[0] > q[0]) - (p[0] < q[0]) : (p[1] > q[1]) - (p[1] < q[1]);
}

static double cross(const float *o, const float *a, const float *b)
{
	return (a[0] - o[0]) * (double)(b[1] - o[1]) - (a[1] - o[1]) * (double)(b[0] - o[0]);
}

static int hull_of(float *pts, int n, float *hull)
{
	qsort(pts, (size_t)n, 2 * sizeof(float), cmp_pt);
	int k = 0;
	for (int i = 0; i < n; i++) {
		while (k >= 2 && cross(hull + 2 * (k - 2), hull + 2 * (k - 1), pts + 2 * i) <= 0)
			k--;
		hull[2 * k] = pts[2 * i], hull[2 * k + 1] = pts[2 * i + 1], k++;
	}
	for (int i = n - 2, t = k + 1; i >= 0; i--) {
		while (k >= t && cross(hull + 2 * (k - 2), hull + 2 * (k - 1), pts + 2 * i) <= 0)
			k--;
		hull[2 * k] = pts[2 * i], hull[2 * k + 1] = pts[2 * i + 1], k++;
	}
	return k - 1;
}

static double plain_distance(const float *poly, int n, double x, double y)
{
	double best = INFINITY;
	int inside = 0;
	for (int i = 0, j = n - 1; i < n; j = i++) {
		double ax = poly[2 * j], ay = poly[2 * j + 1], bx = poly[2 * i], by = poly[2 * i + 1];
		if ((ay > y) != (by > y) && x < ax + (y - ay) * (bx - ax) / (by - ay))
			inside = !inside;
		double ex = bx - ax, ey = by - ay, len2 = ex * ex + ey * ey;
		double t = len2 > 0 ? ((x - ax) * ex + (y - ay) * ey) / len2 : 0;
		t = t < 0 ? 0 : t > 1 ? 1 : t;
		double dx = x - (ax + t * ex), dy = y - (ay + t * ey);
		best = fmin(best, dx * dx + dy * dy);
	}
	return inside ? sqrt(best) : -sqrt(best);
}

static void plain_mask(const float *lm, uint8_t *mask)
{
	float pts[54], hull[108];
	float lift = vision_face_mask_lift(lm);
	for (int i = 0; i < 27; i++)
		pts[2 * i] = lm[2 * i], pts[2 * i + 1] = lm[2 * i + 1] - (i >= 17 ? lift : 0);
	int nh = hull_of(pts, 27, hull);
	float minx = hull[0], maxx = hull[0];
	for (int i = 0; i < nh; i++)
		minx = fminf(minx, hull[2 * i]), maxx = fmaxf(maxx, hull[2 * i]);
	double feather = fmax((maxx - minx) / 12, 1), mouth_feather = fmax(feather / 3, 1);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			double d = plain_distance(hull, nh, x, y);
			double a = d <= 0 ? 0 : fmin(d / feather, 1);
			if (a > 0) {
				double m = plain_distance(lm + 2 * 60, 8, x, y);
				/* the hole closes as it nears the edge's band: two
				 * full pixels always part them */
				if (m > -mouth_feather)
					a *= fmin(fmax(fmax(0, -m / mouth_feather),
					               (feather + 2 + mouth_feather - d) / mouth_feather),
					          1);
			}
			mask[y * W + x] = (uint8_t)(255 * a + 0.5);
		}
}

static void test_same_mask(void)
{
	bj_rng rng;
	bj_rng_init(&rng, 3);
	uint8_t *got = calloc(W * H, 1), *want = malloc(W * H);
	long differ = 0;
	for (int k = 0; k < 10; k++) {
		float lm[136];
		double a = 0.25 * k - 1, sc = 0.7 + 0.06 * k, open = k & 1 ? 10 : 0;
		for (int i = 0; i < 68; i++) {
			double t = 2 * M_PI * i / 68, x = 60 * cos(t), y = 70 * sin(t);
			if (i >= 17 && i < 27)
				x = -50 + 11 * (i - 17), y = -40;
			if (i >= 60)
				x = 14 * cos(M_PI * (i - 60) / 4), y = 40 + (open + 2) * sin(M_PI * (i - 60) / 4);
			lm[2 * i] = (float)(W / 2 + sc * (cos(a) * x - sin(a) * y));
			lm[2 * i + 1] = (float)(H / 2 + sc * (sin(a) * x + cos(a) * y));
			if (k < 4)
				lm[2 * i] = roundf(lm[2 * i]), lm[2 * i + 1] = roundf(lm[2 * i + 1]);
			else
				lm[2 * i] += (float)bj_rng_uniform(&rng), lm[2 * i + 1] += (float)bj_rng_uniform(&rng);
		}
		vision_rect box;
		memset(got, 0, W * H);
		vision_face_mask(lm, W, H, got, &box);
		plain_mask(lm, want);
		for (int i = 0; i < W * H; i++)
			differ += got[i] != want[i];
	}
	CHECK(differ == 0, "%ld pixels differ", differ);
	free(got);
	free(want);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_same_mask),
		{ 0 },
	};
	return test_main(cases);
}
