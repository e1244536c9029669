/* The multigrid Poisson solver (the discrete equation holds inside, the border
 * is kept, far fewer sweeps than Gauss-Seidel), seamless cloning, the face mask
 * and the seam score. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/rng.h"
#include "base/threads.h"
#include "harness.h"
#include "media/image.h"
#include "vision/align.h"
#define PINNED_CLONE 0xf72f51e92da60c65ull
#include "vision/face_mask.h"
#include "vision/internal.h"
#include "vision/poisson.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static double max_residual(const float *u, const float *f, int w, int h)
{
	double worst = 0;
	for (int y = 1; y < h - 1; y++)
		for (int x = 1; x < w - 1; x++) {
			size_t i = (size_t)y * w + x;
			worst = fmax(worst, fabs(f[i] - (4 * u[i] - u[i - 1] - u[i + 1] - u[i - w] - u[i + w])));
		}
	return worst;
}

/* Plain Gauss-Seidel to the same tolerance, for the comparison. */
static int gauss_seidel(float *u, const float *f, int w, int h, double tol)
{
	int sweeps = 0;
	while (max_residual(u, f, w, h) > tol && sweeps < 20000) {
		for (int y = 1; y < h - 1; y++)
			for (int x = 1; x < w - 1; x++) {
				size_t i = (size_t)y * w + x;
				u[i] = (f[i] + u[i - 1] + u[i + 1] + u[i - w] + u[i + w]) / 4;
			}
		sweeps++;
	}
	return sweeps;
}

static void test_solve(void)
{
	static const int sizes[][2] = { { 3, 3 }, { 4, 7 }, { 65, 49 }, { 100, 77 }, { 160, 160 } };
	bj_rng rng;
	bj_rng_init(&rng, 3);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		int w = sizes[s][0], h = sizes[s][1];
		float *u = malloc((size_t)w * h * sizeof(float)), *f = malloc((size_t)w * h * sizeof(float));
		float *keep = malloc((size_t)w * h * sizeof(float));
		for (int i = 0; i < w * h; i++) {
			u[i] = 255 * bj_rng_uniform(&rng);
			f[i] = 20 * (bj_rng_uniform(&rng) - 0.5f);
		}
		memcpy(keep, u, (size_t)w * h * sizeof(float));
		int cycles;
		double t0 = now();
		CHECK(vision_poisson_solve(u, w, h, f, 1e-2, &cycles) == 0);
		double t_mg = now() - t0;
		CHECK(max_residual(u, f, w, h) <= 1e-2, "%dx%d: residual %g after %d cycles", w, h,
		      max_residual(u, f, w, h), cycles);
		CHECK(cycles <= 20, "%dx%d: %d cycles", w, h, cycles);
		int border_moved = 0;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				if (x == 0 || y == 0 || x == w - 1 || y == h - 1)
					border_moved += u[y * w + x] != keep[y * w + x];
		CHECK(border_moved == 0, "%d border values moved", border_moved);
		if (w == 100) {
			memcpy(u, keep, (size_t)w * h * sizeof(float));
			t0 = now();
			int sweeps = gauss_seidel(u, f, w, h, 1e-2);
			double t_gs = now() - t0;
			printf("# %dx%d: multigrid %d cycles %.2f ms, Gauss-Seidel %d sweeps %.2f ms\n", w, h,
			       cycles, 1e3 * t_mg, sweeps, 1e3 * t_gs);
			CHECK(t_mg < t_gs, "multigrid %g s, Gauss-Seidel %g s", t_mg, t_gs);
		}
		free(u);
		free(f);
		free(keep);
	}
	float u[4];
	CHECK(vision_poisson_solve(u, 2, 2, u, 1, NULL) < 0);
}

/* The exact solution of the same equations: A (the 5-point Laplacian on the
 * interior, border values moved to the right-hand side) factored by banded
 * Cholesky in double; bandwidth nx, so n nx^2 work for n unknowns. */
static void exact_solve(float *u, int w, int h, const float *f)
{
	int nx = w - 2, ny = h - 2, n = nx * ny, bw = nx;
	double *a = calloc((size_t)n * (bw + 1), sizeof(double)), *b = malloc((size_t)n * sizeof(double));
	/* a[i * (bw + 1) + k]: the entry (i, i - k) of the lower triangle */
#define A(i, k) a[(size_t)(i) * (bw + 1) + (k)]
	for (int y = 0; y < ny; y++)
		for (int x = 0; x < nx; x++) {
			int i = y * nx + x;
			size_t p = (size_t)(y + 1) * w + x + 1;
			A(i, 0) = 4;
			if (x > 0)
				A(i, 1) = -1;
			if (y > 0)
				A(i, bw) = -1;
			b[i] = f[p] + (x == 0 ? u[p - 1] : 0) + (x == nx - 1 ? u[p + 1] : 0) + (y == 0 ? u[p - w] : 0) +
			       (y == ny - 1 ? u[p + w] : 0);
		}
	for (int i = 0; i < n; i++) {
		for (int k = bw; k >= 1; k--) {
			if (i - k < 0)
				continue;
			double s = A(i, k);
			for (int j = 1; j <= bw - k && i - k - j >= 0; j++)
				s -= A(i, k + j) * A(i - k, j);
			A(i, k) = s / A(i - k, 0);
		}
		double d = A(i, 0);
		for (int k = 1; k <= bw && i - k >= 0; k++)
			d -= A(i, k) * A(i, k);
		A(i, 0) = sqrt(d);
	}
	for (int i = 0; i < n; i++) {
		for (int k = 1; k <= bw && i - k >= 0; k++)
			b[i] -= A(i, k) * b[i - k];
		b[i] /= A(i, 0);
	}
	for (int i = n - 1; i >= 0; i--) {
		b[i] /= A(i, 0);
		for (int k = 1; k <= bw && i - k >= 0; k++)
			b[i - k] -= A(i, k) * b[i];
	}
#undef A
	for (int y = 0; y < ny; y++)
		for (int x = 0; x < nx; x++)
			u[(size_t)(y + 1) * w + x + 1] = (float)b[y * nx + x];
	free(a);
	free(b);
}

/* Random boundaries, starting guesses and right-hand sides of odd and even
 * sizes: the multigrid solution to a residual of 1e-3 is the exact one to
 * within 1e-2 (the values are 0..255), and the residual it reports is met. */
static void test_solve_matches_exact(void)
{
	static const int sizes[][2] = { { 3, 5 }, { 6, 4 }, { 17, 33 }, { 32, 31 }, { 44, 40 }, { 61, 29 } };
	bj_rng rng;
	bj_rng_init(&rng, 5);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		int w = sizes[s][0], h = sizes[s][1];
		size_t n = (size_t)w * h;
		float *u = malloc(n * sizeof(float)), *f = malloc(n * sizeof(float)), *ex = malloc(n * sizeof(float));
		for (size_t i = 0; i < n; i++) {
			u[i] = 255 * bj_rng_uniform(&rng);
			f[i] = 40 * (bj_rng_uniform(&rng) - 0.5f);
		}
		memcpy(ex, u, n * sizeof(float));
		exact_solve(ex, w, h, f);
		CHECK(max_residual(ex, f, w, h) < 1e-3, "%dx%d: exact solve residual %g", w, h, max_residual(ex, f, w, h));
		int cycles;
		CHECK(vision_poisson_solve(u, w, h, f, 1e-3, &cycles) == 0);
		double worst = 0;
		for (size_t i = 0; i < n; i++)
			worst = fmax(worst, fabs(u[i] - ex[i]));
		CHECK(worst < 1e-2, "%dx%d: multigrid differs from the exact solution by %g after %d cycles", w, h,
		      worst, cycles);
		free(u);
		free(f);
		free(ex);
	}
}

static media_image *ramp(int w, int h, int offset)
{
	media_image *img = media_image_new(w, h, 3);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int c = 0; c < 3; c++)
				img->data[y * img->stride + 3 * x + c] =
				        (uint8_t)(offset + 60 + 50 * sin(0.15 * x + c) * cos(0.1 * y));
	return img;
}

static void test_clone(void)
{
	int w = 80, h = 70;
	uint8_t *mask = calloc((size_t)w * h, 1);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			mask[y * w + x] = (x - 40) * (x - 40) + (y - 35) * (y - 35) < 400 ? 255 : 0;
	vision_rect r = { 10, 5, 70, 65 };
	/* the same picture, brighter: gradients agree, so nothing changes */
	media_image *dst = ramp(w, h, 0), *src = ramp(w, h, 40), *orig = ramp(w, h, 0);
	CHECK(vision_seamless_clone(dst, src, mask, r) == 0);
	int worst = 0;
	for (int i = 0; i < w * h * 3; i++)
		worst = abs(dst->data[i] - orig->data[i]) > worst ? abs(dst->data[i] - orig->data[i]) : worst;
	CHECK(worst <= 1, "offset clone moved a value by %d", worst);
	/* a flat target takes the source's Laplacian inside the mask */
	memset(dst->data, 100, (size_t)h * dst->stride);
	media_image_free(src);
	src = ramp(w, h, 0);
	CHECK(vision_seamless_clone(dst, src, mask, r) == 0);
	double lap_err = 0;
	for (int y = 20; y < 50; y++)
		for (int x = 25; x < 55; x++) {
			if ((x - 40) * (x - 40) + (y - 35) * (y - 35) >= 300)
				continue;
			for (int c = 0; c < 3; c++) {
#define L(img) (4.0 * img->data[y * w * 3 + 3 * x + c] - img->data[y * w * 3 + 3 * (x - 1) + c] - \
                img->data[y * w * 3 + 3 * (x + 1) + c] - img->data[(y - 1) * w * 3 + 3 * x + c] - \
                img->data[(y + 1) * w * 3 + 3 * x + c])
				lap_err = fmax(lap_err, fabs(L(dst) - L(src)));
#undef L
			}
		}
	CHECK(lap_err <= 4, "Laplacian differs by %g (rounding allows about 2.5)", lap_err);
	CHECK(dst->data[2 * dst->stride + 6] == 100, "outside the rectangle changed");
	media_image *grey = media_image_new(w, h, 1);
	CHECK(vision_seamless_clone(grey, src, mask, r) < 0);
	vision_rect tiny = { 0, 0, 2, 2 };
	CHECK(vision_seamless_clone(dst, src, mask, tiny) < 0);
	media_image_free(grey);
	media_image_free(dst);
	media_image_free(src);
	media_image_free(orig);
	free(mask);
}

/* A random picture: each value 40 + 150 u (i % period) / (period - 1). */
static media_image *noise(int w, int h, uint64_t seed, int period)
{
	bj_rng rng;
	bj_rng_init(&rng, seed);
	media_image *img = media_image_new(w, h, 3);
	for (size_t i = 0; i < (size_t)h * img->stride; i++)
		img->data[i] = (uint8_t)(40 + 150 * bj_rng_uniform(&rng) * (i % period) / (period - 1));
	return img;
}

/* The guided clone: with the mask as its guide, the plain clone's bytes;
 * with a guide of 0 everywhere, dst's gradients everywhere, so a star of
 * other detail inside the mask leaves dst as it was (within a level). */
static void test_clone_guided(void)
{
	int w = 80, h = 70;
	uint8_t *mask = calloc((size_t)w * h, 1), *none = calloc((size_t)w * h, 1);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int r2 = (x - 40) * (x - 40) + (y - 35) * (y - 35);
			mask[y * w + x] = r2 < 300 ? 255 : r2 < 500 ? (uint8_t)(255 * (500 - r2) / 200) : 0;
		}
	vision_rect r = { 10, 5, 70, 65 };
	media_image *src = noise(w, h, 7, 5), *one = ramp(w, h, 0), *two = ramp(w, h, 0), *orig = ramp(w, h, 0);
	CHECK(vision_seamless_clone_on(NULL, one, src, mask, r) == 0);
	CHECK(vision_seamless_clone_guided_on(NULL, two, src, mask, mask, r) == 0);
	CHECK(memcmp(one->data, two->data, (size_t)h * one->stride) == 0, "guide == mask is the plain clone");
	media_image_free(two);
	two = ramp(w, h, 0);
	CHECK(vision_seamless_clone_guided_on(NULL, two, src, mask, none, r) == 0);
	int worst = 0, plain = 0;
	for (int i = 0; i < w * h * 3; i++) {
		worst = abs(two->data[i] - orig->data[i]) > worst ? abs(two->data[i] - orig->data[i]) : worst;
		plain = abs(one->data[i] - orig->data[i]) > plain ? abs(one->data[i] - orig->data[i]) : plain;
	}
	CHECK(plain > 20 && worst <= 1, "no guidance from src moved dst by %d (the plain clone by %d)", worst, plain);
	media_image_free(src);
	media_image_free(one);
	media_image_free(two);
	media_image_free(orig);
	free(mask);
	free(none);
}

/* A disc mask at (cx, cy): 255 within radius in, falling to 0 at out. */
static uint8_t *disc(int w, int h, double cx, double cy, double in, double out)
{
	uint8_t *mask = calloc((size_t)w * h, 1);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			double d = sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
			mask[y * w + x] = (uint8_t)(d < in ? 255 : d < out ? 255 * (out - d) / (out - in) : 0);
		}
	return mask;
}

/* The clone over two threads, on a region big enough to be shared out: the
 * same bytes as on one. */
static void test_clone_threads(void)
{
	int w = 220, h = 200;
	media_image *one = ramp(w, h, 0), *two = ramp(w, h, 0), *src = noise(w, h, 5, 5);
	uint8_t *mask = disc(w, h, 110, 100, 70, 85);
	vision_rect r = { 10, 5, 212, 197 };
	bj_pool *pool = bj_pool_new(2);
	CHECK(vision_seamless_clone(one, src, mask, r) == 0);
	CHECK(vision_seamless_clone_on(pool, two, src, mask, r) == 0);
	CHECK(memcmp(one->data, two->data, (size_t)h * one->stride) == 0, "the clone differs on two threads");
	bj_pool_free(pool);
	media_image_free(one);
	media_image_free(two);
	media_image_free(src);
	free(mask);
}

/* The clone against the same equations solved exactly: within a grey level
 * everywhere (random pictures, a feathered disc for the mask; the guidance
 * between two pixels src's gradient weighted by their mean mask, dst's by
 * the rest). */
static void test_clone_matches_exact(void)
{
	int w = 70, h = 60;
	media_image *dst = ramp(w, h, 0), *src = noise(w, h, 9, 7), *out = ramp(w, h, 0);
	uint8_t *mask = disc(w, h, 35, 30, 18, 24);
	vision_rect r = { 5, 3, 66, 58 };
	CHECK(vision_seamless_clone(out, src, mask, r) == 0);
	int rw = r.x1 - r.x0, rh = r.y1 - r.y0, worst = 0;
	float *u = malloc((size_t)rw * rh * sizeof(float)), *f = calloc((size_t)rw * rh, sizeof(float));
	static const int dx[4] = { -1, 1, 0, 0 }, dy[4] = { 0, 0, -1, 1 };
	for (int c = 0; c < 3; c++) {
		for (int y = 0; y < rh; y++)
			for (int x = 0; x < rw; x++) {
				int gx = r.x0 + x, gy = r.y0 + y;
				u[y * rw + x] = dst->data[gy * dst->stride + 3 * gx + c];
				if (x == 0 || y == 0 || x == rw - 1 || y == rh - 1)
					continue;
				float sum = 0;
				for (int k = 0; k < 4; k++) {
					int nx = gx + dx[k], ny = gy + dy[k];
					float ws = (mask[gy * w + gx] + mask[ny * w + nx]) / 510.0f;
					for (int i = 0; i < 2; i++) {
						const media_image *g = i ? dst : src;
						sum += (i ? 1 - ws : ws) * ((float)g->data[gy * g->stride + 3 * gx + c] -
						                            g->data[ny * g->stride + 3 * nx + c]);
					}
				}
				f[y * rw + x] = sum;
			}
		exact_solve(u, rw, rh, f);
		for (int y = 1; y < rh - 1; y++)
			for (int x = 1; x < rw - 1; x++) {
				int gx = r.x0 + x, gy = r.y0 + y;
				float a = mask[gy * w + gx] / 255.0f, d = dst->data[gy * dst->stride + 3 * gx + c];
				float v = d + a * (u[y * rw + x] - d);
				v = v < 0 ? 0 : v > 255 ? 255 : v;
				int diff = abs((int)lrintf(v) - out->data[gy * out->stride + 3 * gx + c]);
				worst = diff > worst ? diff : worst;
			}
	}
	CHECK(worst <= 1, "the clone differs from the exact one by %d grey levels", worst);
	free(u);
	free(f);
	free(mask);
	media_image_free(dst);
	media_image_free(src);
	media_image_free(out);
}

/* The clone's bytes pinned (FNV-1a of the whole picture, made by the plain
 * setup: each neighbour's weight (m0 + m1) / 510 divided per pixel, the
 * guidance summed through memory), on a feathered disc wide enough for every
 * sum of two mask values: a setup that rounds any weight or sum otherwise
 * changes them. */
static void test_clone_pinned(void)
{
	int w = 240, h = 220;
	media_image *dst = noise(w, h, 3, 11), *src = noise(w, h, 4, 13);
	uint8_t *mask = disc(w, h, 120, 110, 40, 100);
	vision_rect r = { 4, 3, 236, 217 };
	CHECK(vision_seamless_clone(dst, src, mask, r) == 0);
	uint64_t hash = 14695981039346656037ull;
	for (int y = 0; y < h; y++)
		for (int i = 0; i < 3 * w; i++)
			hash = (hash ^ dst->data[(size_t)y * dst->stride + i]) * 1099511628211ull;
	CHECK(hash == PINNED_CLONE, "the clone's bytes hash to %#llx", (unsigned long long)hash);
	free(mask);
	media_image_free(dst);
	media_image_free(src);
}

/* Holes filled: the face mask's mouth becomes 255 and nothing else changes;
 * a dent open to the border is not a hole. */
static void test_fill_holes(void)
{
	int w = 200, h = 200;
	float lm[136];
	vision_align_template(200, lm);
	uint8_t *mask = calloc((size_t)w * h, 1), *whole = malloc((size_t)w * h);
	vision_rect box;
	vision_face_mask(lm, w, h, mask, &box);
	int mx = (int)lrintf((lm[2 * 62] + lm[2 * 66]) / 2), my = (int)lrintf((lm[2 * 62 + 1] + lm[2 * 66 + 1]) / 2);
	CHECK(mask[my * w + mx] < 255, "the mouth is a hole (%d)", mask[my * w + mx]);
	vision_mask_fill_holes(mask, w, h, whole);
	int changed = 0, other = 0;
	for (int i = 0; i < w * h; i++)
		if (whole[i] != mask[i]) {
			changed++;
			other += whole[i] != 255;
		}
	CHECK(whole[my * w + mx] == 255 && changed > 0 && other == 0, "%d changed, %d not to 255", changed, other);
	CHECK(whole[0] == 0 && whole[(box.y0 + box.y1) / 2 * w + box.x0] == 0, "the outside is not a hole");
	/* a dark bar from the left border into the face: open, kept */
	for (int x = 0; x < mx; x++)
		mask[my * w + x] = 0;
	vision_mask_fill_holes(mask, w, h, whole);
	CHECK(whole[my * w + mx] == mask[my * w + mx] && whole[my * w + mx - 20] == 0, "the open dent was filled");
	free(mask);
	free(whole);
}

static void test_mask_and_seam(void)
{
	int w = 200, h = 200;
	float lm[136];
	vision_align_template(200, lm);
	uint8_t *mask = calloc((size_t)w * h, 1);
	vision_rect box;
	vision_face_mask(lm, w, h, mask, &box);
	CHECK(mask[(int)lm[2 * 30 + 1] * w + (int)lm[2 * 30]] == 255, "nose tip");
	CHECK(mask[0] == 0 && mask[w * h - 1] == 0);
	/* the brows are raised: just above the brow line is inside */
	int bx = (int)lm[2 * 19], by = (int)lm[2 * 19 + 1] - 5;
	CHECK(mask[by * w + bx] > 0, "above the brow: %d", mask[by * w + bx]);
	CHECK(box.x0 >= 0 && box.x1 <= w && box.x1 > box.x0 && box.y1 > box.y0);
	/* a smooth picture has no seam; a step at the mask's edge does */
	media_image *img = ramp(w, h, 0);
	double clean = vision_seam_score(img, mask, box);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			if (mask[y * w + x] < 128)
				for (int c = 0; c < 3; c++)
					img->data[y * img->stride + 3 * x + c] /= 2;
	double seam = vision_seam_score(img, mask, box);
	CHECK(clean > 0.5 && clean < 1.5, "clean seam score %g", clean);
	CHECK(seam > 2 * clean, "stepped seam score %g vs clean %g", seam, clean);
	media_image_free(img);
	/* the tiled mask is the per-pixel one, for faces turned and scaled, and
	 * the same over two threads */
	uint8_t *naive = calloc((size_t)w * h, 1), *shared = calloc((size_t)w * h, 1);
	bj_pool *pool = bj_pool_new(2);
	for (int k = 0; k < 4; k++) {
		float turned[136];
		double a = 0.3 * k - 0.4, sc = 0.6 + 0.2 * k;
		for (int i = 0; i < 68; i++) {
			double x = lm[2 * i] - 100, y = lm[2 * i + 1] - 100;
			turned[2 * i] = (float)(w / 2 + sc * (cos(a) * x - sin(a) * y) + 0.37 * k);
			turned[2 * i + 1] = (float)(h / 2 + sc * (sin(a) * x + cos(a) * y) - 0.21 * k);
		}
		memset(mask, 0, (size_t)w * h);
		memset(naive, 0, (size_t)w * h);
		float lifts[10];
		for (int i = 0; i < 10; i++)
			lifts[i] = k == 3 ? 0.1f * (float)i : 1;
		vision_face_mask_lifted(turned, lifts, w, h, mask, &box);
		vision_face_mask_tiled(NULL, turned, lifts, w, h, naive, &box, 1);
		CHECK(memcmp(mask, naive, (size_t)w * h) == 0, "tiled mask differs from the per-pixel one (turn %d)", k);
		memset(shared, 0, (size_t)w * h);
		vision_face_mask_lifted_on(pool, turned, lifts, w, h, shared, &box);
		CHECK(memcmp(mask, shared, (size_t)w * h) == 0, "mask on two threads differs (turn %d)", k);
	}
	bj_pool_free(pool);
	free(shared);
	free(naive);
	free(mask);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_solve),
		TEST_CASE(test_solve_matches_exact),
		TEST_CASE(test_clone),
		TEST_CASE(test_clone_matches_exact),
		TEST_CASE(test_clone_guided),
		TEST_CASE(test_clone_threads),
		TEST_CASE(test_clone_pinned),
		TEST_CASE(test_mask_and_seam),
		TEST_CASE(test_fill_holes),
		{ 0 },
	};
	return test_main(cases);
}
