/* Delaunay triangulation (empty circumcircles, full coverage of the hull) and
 * the piecewise-affine warp (identity, a shift, a face-sized landmark set). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "base/threads.h"
#include "harness.h"
#include "media/image.h"
#include "vision/align.h"
#include "vision/delaunay.h"
#include "vision/warp.h"

/* Twice the signed area of a triangle. */
static double area2(const float *p, const int *v)
{
	return (p[2 * v[1]] - p[2 * v[0]]) * (double)(p[2 * v[2] + 1] - p[2 * v[0] + 1]) -
	       (p[2 * v[1] + 1] - p[2 * v[0] + 1]) * (double)(p[2 * v[2]] - p[2 * v[0]]);
}

/* Whether point q lies strictly inside the circumcircle of triangle v (the
 * in-circle determinant, made relative to the triangle's size). */
static int in_circle(const float *p, const int *v, const float *q)
{
	double m[3][3];
	for (int k = 0; k < 3; k++) {
		double dx = p[2 * v[k]] - q[0], dy = p[2 * v[k] + 1] - q[1];
		m[k][0] = dx, m[k][1] = dy, m[k][2] = dx * dx + dy * dy;
	}
	double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
	             m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
	             m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
	double s = area2(p, v);
	return det * (s > 0 ? 1 : -1) > 1e-6 * fabs(s) * fabs(s);
}

static void check_delaunay(const float *p, int n, const char *what)
{
	int *tris, nt;
	CHECK(vision_delaunay(p, n, &tris, &nt) == 0, "%s", what);
	if (!tris)
		return;
	/* every triangle has no other point inside its circumcircle */
	int bad = 0;
	for (int t = 0; t < nt; t++) {
		CHECK(area2(p, tris + 3 * t) >= 0, "%s: triangle %d clockwise", what, t);
		for (int i = 0; i < n; i++)
			if (i != tris[3 * t] && i != tris[3 * t + 1] && i != tris[3 * t + 2] &&
			    in_circle(p, tris + 3 * t, p + 2 * i))
				bad++;
	}
	CHECK(bad == 0, "%s: %d points inside circumcircles", what, bad);
	/* Euler: n points, h of them on the hull, make 2n - 2 - h triangles */
	CHECK(nt >= n - 2 && nt <= 2 * n - 5, "%s: %d triangles for %d points", what, nt, n);
	free(tris);
}

static void test_delaunay_random(void)
{
	bj_rng rng;
	bj_rng_init(&rng, 7);
	for (int trial = 0; trial < 20; trial++) {
		int n = 3 + (int)bj_rng_below(&rng, 200);
		float *p = malloc(2 * (size_t)n * sizeof(float));
		for (int i = 0; i < 2 * n; i++)
			p[i] = 1000 * bj_rng_uniform(&rng);
		check_delaunay(p, n, "random");
		free(p);
	}
}

static void test_delaunay_face(void)
{
	float lm[136], p[2 * 76];
	vision_align_template(200, lm);
	vision_warp_frame(lm, 68, p);
	check_delaunay(p, 76, "face");
	/* a grid: many co-circular points */
	float g[2 * 49];
	for (int i = 0; i < 49; i++)
		g[2 * i] = (float)(i % 7), g[2 * i + 1] = (float)(i / 7);
	check_delaunay(g, 49, "grid");
}

static void test_delaunay_bad(void)
{
	int *t, n;
	float line[] = { 0, 0, 1, 1, 2, 2, 3, 3 };
	CHECK(vision_delaunay(line, 4, &t, &n) < 0 && !t);
	CHECK(vision_delaunay(line, 2, &t, &n) < 0);
	float nan_pts[] = { 0, 0, 1, NAN, 2, 0 };
	CHECK(vision_delaunay(nan_pts, 3, &t, &n) < 0);
}

static media_image *pattern(int w, int h)
{
	media_image *img = media_image_new(w, h, 3);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int c = 0; c < 3; c++)
				img->data[y * img->stride + 3 * x + c] =
				        (uint8_t)(128 + 100 * sin(0.1 * x + 0.07 * y + c));
	return img;
}

static void test_warp_identity_and_shift(void)
{
	media_image *src = pattern(200, 200), *dst = media_image_new(200, 200, 3);
	float lm[136], ps[2 * 76], pd[2 * 76];
	vision_align_template(200, lm);
	vision_warp_frame(lm, 68, ps);
	int *tris, nt;
	CHECK(vision_delaunay(ps, 76, &tris, &nt) == 0);
	uint8_t *cov = calloc(200 * 200, 1);
	CHECK(vision_warp_affine(src, ps, dst, ps, tris, nt, cov) == 0);
	int diff = 0, holes = 0;
	for (int y = 60; y < 140; y++)
		for (int x = 60; x < 140; x++) {
			holes += cov[y * 200 + x] != 255;
			for (int c = 0; c < 3; c++)
				diff += abs(src->data[y * src->stride + 3 * x + c] - dst->data[y * dst->stride + 3 * x + c]) > 1;
		}
	CHECK(holes == 0, "%d uncovered pixels inside the face", holes);
	CHECK(diff == 0, "identity warp changed %d values", diff);
	/* shifting the destination points by (5, 3) shifts the picture */
	for (int i = 0; i < 76; i++)
		pd[2 * i] = ps[2 * i] + 5, pd[2 * i + 1] = ps[2 * i + 1] + 3;
	CHECK(vision_warp_affine(src, ps, dst, pd, tris, nt, NULL) == 0);
	diff = 0;
	for (int y = 60; y < 140; y++)
		for (int x = 60; x < 140; x++)
			for (int c = 0; c < 3; c++)
				diff += abs(src->data[y * src->stride + 3 * x + c] -
				            dst->data[(y + 3) * dst->stride + 3 * (x + 5) + c]) > 1;
	CHECK(diff == 0, "shifted warp: %d values differ", diff);
	media_image *grey = media_image_new(200, 200, 1);
	CHECK(vision_warp_affine(src, ps, grey, pd, tris, nt, NULL) < 0);
	media_image_free(grey);
	free(cov);
	free(tris);
	media_image_free(src);
	media_image_free(dst);
}

/* The warp with the same arithmetic, every pixel of each triangle's bounding box
 * tested, for the row-span version to match exactly. */
static void naive_warp(const media_image *src, const float *sp, media_image *dst, const float *dp,
                       const int *tris, int nt)
{
	for (int i = 0; i < nt; i++) {
		const int *v = tris + 3 * i;
		double dx0 = dp[2 * v[0]], dy0 = dp[2 * v[0] + 1];
		double e1x = dp[2 * v[1]] - dx0, e1y = dp[2 * v[1] + 1] - dy0;
		double e2x = dp[2 * v[2]] - dx0, e2y = dp[2 * v[2] + 1] - dy0;
		double det = e1x * e2y - e1y * e2x;
		double sx0 = sp[2 * v[0]], sy0 = sp[2 * v[0] + 1];
		double s1x = sp[2 * v[1]] - sx0, s1y = sp[2 * v[1] + 1] - sy0;
		double s2x = sp[2 * v[2]] - sx0, s2y = sp[2 * v[2] + 1] - sy0;
		if (fabs(det) < 1e-9 || fabs(s1x * s2y - s1y * s2x) < 1e-9)
			continue;
		double inv = 1 / det;
		for (int y = 0; y < dst->height; y++)
			for (int x = 0; x < dst->width; x++) {
				double px = x - dx0, py = y - dy0;
				double b1 = (px * e2y - py * e2x) * inv, b2 = (e1x * py - e1y * px) * inv;
				if (b1 < -1e-7 || b2 < -1e-7 || b1 + b2 > 1 + 1e-7)
					continue;
				float sx = (float)(sx0 + b1 * s1x + b2 * s2x), sy = (float)(sy0 + b1 * s1y + b2 * s2y);
				sx = fminf(fmaxf(sx, 0), (float)src->width - 1);
				sy = fminf(fmaxf(sy, 0), (float)src->height - 1);
				int ix = (int)sx, iy = (int)sy;
				int jx = ix + 1 < src->width ? ix + 1 : ix, jy = iy + 1 < src->height ? iy + 1 : iy;
				float fx = sx - (float)ix, fy = sy - (float)iy;
				for (int c = 0; c < 3; c++) {
#define P(xx, yy) (float)src->data[(yy) * src->stride + 3 * (xx) + c]
					float top = P(ix, iy) + fx * (P(jx, iy) - P(ix, iy));
					float bot = P(ix, jy) + fx * (P(jx, jy) - P(ix, jy));
#undef P
					dst->data[y * dst->stride + 3 * x + c] = (uint8_t)(top + fy * (bot - top) + 0.5f);
				}
			}
	}
}

/* Random landmark-like point sets, some reaching past the picture's edges,
 * warped by both: every pixel the same. */
static void test_warp_matches_naive(void)
{
	bj_rng rng;
	bj_rng_init(&rng, 11);
	media_image *src = pattern(120, 100), *a = media_image_new(90, 80, 3), *b = media_image_new(90, 80, 3);
	media_image *shared = media_image_new(90, 80, 3);
	bj_pool *pool = bj_pool_new(2);
	for (int round = 0; round < 20; round++) {
		float lm[136], ps[2 * 76], pd[2 * 76];
		for (int i = 0; i < 136; i += 2) {
			lm[i] = 10 + 100 * bj_rng_uniform(&rng);
			lm[i + 1] = 10 + 80 * bj_rng_uniform(&rng);
		}
		vision_warp_frame(lm, 68, ps);
		for (int i = 0; i < 2 * 76; i += 2) {
			pd[i] = (float)(0.8 * ps[i] - 10 + 6 * bj_rng_uniform(&rng));
			pd[i + 1] = (float)(0.85 * ps[i + 1] - 5 + 6 * bj_rng_uniform(&rng));
		}
		int *tris, nt;
		CHECK(vision_delaunay(ps, 76, &tris, &nt) == 0);
		memset(a->data, 7, (size_t)a->height * a->stride);
		memset(b->data, 7, (size_t)b->height * b->stride);
		CHECK(vision_warp_affine(src, ps, a, pd, tris, nt, NULL) == 0);
		naive_warp(src, ps, b, pd, tris, nt);
		CHECK(memcmp(a->data, b->data, (size_t)a->height * a->stride) == 0, "round %d: warps differ", round);
		/* in bands over two threads: the same bytes */
		memset(shared->data, 7, (size_t)shared->height * shared->stride);
		CHECK(vision_warp_affine_on(pool, src, ps, shared, pd, tris, nt, NULL) == 0);
		CHECK(memcmp(a->data, shared->data, (size_t)a->height * a->stride) == 0, "round %d: 2 threads differ", round);
		free(tris);
	}
	bj_pool_free(pool);
	media_image_free(shared);
	media_image_free(src);
	media_image_free(a);
	media_image_free(b);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_delaunay_random),
		TEST_CASE(test_warp_matches_naive),
		TEST_CASE(test_delaunay_face),
		TEST_CASE(test_delaunay_bad),
		TEST_CASE(test_warp_identity_and_shift),
		{ 0 },
	};
	return test_main(cases);
}
