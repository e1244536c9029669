#include "nn/ssim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "nn/parallel.h"
#include "check_grad.h"

enum { P = 2, H = 12, W = 13, SIZE = P * H * W };

struct ctx {
	float x[SIZE], y[SIZE], dx[SIZE];
	float *cache;
};

static double loss(void *p, double *scale)
{
	struct ctx *c = p;
	double l = nn_ssim_loss_forward(c->x, c->y, P, H, W, c->cache);
	*scale = fabs(l);
	return l;
}

/* The naive twin: pytorch-ssim's formula with the 2-D window applied directly,
 * everything in double. */
static double naive_loss(const float *x, const float *y, int np, int h, int w)
{
	double g[NN_SSIM_WINDOW], gs = 0.0;
	for (int k = 0; k < NN_SSIM_WINDOW; k++)
		gs += g[k] = exp(-(k - 5.0) * (k - 5.0) / 4.5);
	double sum = 0.0;
	for (int p = 0; p < np; p++)
		for (int r = 0; r < h; r++)
			for (int c = 0; c < w; c++) {
				double mx = 0, my = 0, exx = 0, eyy = 0, exy = 0;
				for (int i = 0; i < NN_SSIM_WINDOW; i++)
					for (int j = 0; j < NN_SSIM_WINDOW; j++) {
						int rr = r + i - 5, cc = c + j - 5;
						if (rr < 0 || rr >= h || cc < 0 || cc >= w)
							continue;
						double k = g[i] * g[j] / (gs * gs);
						double a = x[(p * h + rr) * w + cc], b = y[(p * h + rr) * w + cc];
						mx += k * a, my += k * b, exx += k * a * a, eyy += k * b * b, exy += k * a * b;
					}
				double sxx = exx - mx * mx, syy = eyy - my * my, sxy = exy - mx * my;
				sum += (2 * mx * my + 1e-4) * (2 * sxy + 9e-4) /
				       ((mx * mx + my * my + 1e-4) * (sxx + syy + 9e-4));
			}
	return 1.0 - sum / ((double)np * h * w);
}

/* A target image and a noisy version of it, in [0, 1]. */
static void images(float *x, float *y, size_t n, float noise, bj_rng *rng)
{
	fill(y, n, 0.0f, 1.0f, rng);
	for (size_t i = 0; i < n; i++) {
		float v = y[i] + noise * (2.0f * bj_rng_uniform(rng) - 1.0f);
		x[i] = v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
	}
}

static void test_forward_and_gradient(void)
{
	struct ctx c;
	memset(&c, 0, sizeof(c));
	c.cache = bj_xmalloc(nn_ssim_cache_size(P, H, W) * sizeof(float));
	bj_rng rng;
	bj_rng_init(&rng, 51);
	images(c.x, c.y, SIZE, 0.3f, &rng);
	CHECK_NEAR(nn_ssim_loss_forward(c.y, c.y, P, H, W, c.cache), 0.0, 1e-6);
	double l = nn_ssim_loss_forward(c.x, c.y, P, H, W, c.cache);
	double want = naive_loss(c.x, c.y, P, H, W);
	printf("    loss %.6f, naive twin %.6f\n", l, want);
	CHECK(l > 0.05 && l < 1.0);
	CHECK_NEAR(l, want, 1e-6);
	nn_ssim_loss_backward(c.x, c.y, P, H, W, 1.0f, c.cache, c.dx);
	size_t total = 0;
	check_grad("x", loss, &c, c.x, c.dx, SIZE, 1e-3, &total);
	/* Backward adds scale times the gradient. */
	float g0 = c.dx[17];
	nn_ssim_loss_forward(c.x, c.y, P, H, W, c.cache);
	nn_ssim_loss_backward(c.x, c.y, P, H, W, 0.5f, c.cache, c.dx);
	CHECK_NEAR(c.dx[17], 1.5 * g0, 1e-6 * fabs(g0) + 1e-12);
	free(c.cache);
}

/* Images smaller than the window, and one row. */
static void test_small(void)
{
	float x[3 * 4], y[3 * 4], cache[5 * 3 * 4], dx[3 * 4] = { 0 };
	bj_rng rng;
	bj_rng_init(&rng, 52);
	images(x, y, 12, 0.2f, &rng);
	CHECK_NEAR(nn_ssim_loss_forward(x, y, 1, 3, 4, cache), naive_loss(x, y, 1, 3, 4), 1e-6);
	CHECK_NEAR(nn_ssim_loss_forward(x, y, 2, 1, 6, cache), naive_loss(x, y, 2, 1, 6), 1e-6);
	nn_ssim_loss_backward(x, y, 2, 1, 6, 1.0f, cache, dx);
	for (int i = 0; i < 12; i++)
		CHECK(isfinite(dx[i]));
}

/* The same bytes for 1 and 2 threads. */
static void test_threads_same_bytes(void)
{
	int np = 7, h = 31, w = 29;
	size_t n = (size_t)np * h * w;
	float *x = bj_xmalloc(n * sizeof(float)), *y = bj_xmalloc(n * sizeof(float));
	float *cache = bj_xmalloc(nn_ssim_cache_size(np, h, w) * sizeof(float));
	float *d1 = bj_xcalloc(n, sizeof(float)), *d2 = bj_xcalloc(n, sizeof(float));
	bj_rng rng;
	bj_rng_init(&rng, 53);
	images(x, y, n, 0.4f, &rng);
	int before = nn_get_threads();
	nn_set_threads(1);
	double l1 = nn_ssim_loss_forward(x, y, np, h, w, cache);
	nn_ssim_loss_backward(x, y, np, h, w, 1.0f, cache, d1);
	nn_set_threads(2);
	double l2 = nn_ssim_loss_forward(x, y, np, h, w, cache);
	nn_ssim_loss_backward(x, y, np, h, w, 1.0f, cache, d2);
	nn_set_threads(before);
	CHECK(l1 == l2, "%.17g vs %.17g", l1, l2);
	CHECK(memcmp(d1, d2, n * sizeof(float)) == 0);
	free(x), free(y), free(cache), free(d1), free(d2);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_forward_and_gradient),
		TEST_CASE(test_small),
		TEST_CASE(test_threads_same_bytes),
		{ 0 },
	};
	return test_main(cases);
}
