#include "nn/norm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "nn/parallel.h"
#include "check_grad.h"

enum { N = 2, C = 3, HW = 12, SIZE = N * C * HW };

/* One norm of either kind with its input, output and the test loss's R. */
struct ctx {
	int batch;      /* 1: nn_batchnorm, 0: nn_instnorm */
	int training;   /* batch norm's mode */
	nn_params p, buffers;
	nn_instnorm in;
	nn_batchnorm bn;
	float x[SIZE], y[SIZE], R[SIZE], dx[SIZE];
	float stats[N * C * NN_NORM_STATS];
};

static void forward(struct ctx *c)
{
	if (c->batch)
		nn_batchnorm_forward(&c->bn, c->x, N, HW, c->training, c->y, c->stats);
	else
		nn_instnorm_forward(&c->in, c->x, N, HW, c->y, c->stats);
}

static double loss(void *p, double *scale)
{
	struct ctx *c = p;
	forward(c);
	return dot_loss(c->y, c->R, SIZE, scale);
}

/* Inputs with a different mean and spread in every plane, so the statistics
 * matter; weights away from 1 and 0. */
static void setup(struct ctx *c, int batch, int affine, uint64_t seed)
{
	memset(c, 0, sizeof(*c));
	c->batch = batch;
	nn_params_init(&c->p);
	nn_params_init(&c->buffers);
	if (batch)
		nn_batchnorm_init(&c->bn, &c->p, &c->buffers, "bn", C);
	else
		nn_instnorm_init(&c->in, &c->p, "in", C, affine);
	CHECK(nn_params_alloc(&c->p, NN_WITH_GRAD) == 0);
	CHECK(nn_params_alloc(&c->buffers, 0) == 0);
	bj_rng rng;
	bj_rng_init(&rng, seed);
	for (int k = 0; k < N * C; k++) {
		float mean = 2.0f * bj_rng_uniform(&rng) - 1.0f, spread = 0.5f + bj_rng_uniform(&rng);
		fill(c->x + k * HW, HW, mean - spread, mean + spread, &rng);
	}
	fill(c->R, SIZE, -1.0f, 1.0f, &rng);
	float *w = batch ? c->bn.w : c->in.w, *b = batch ? c->bn.b : c->in.b;
	if (w) {
		fill(w, C, 0.5f, 1.5f, &rng);
		fill(b, C, -0.5f, 0.5f, &rng);
	}
}

static void release(struct ctx *c)
{
	nn_params_release(&c->p);
	nn_params_release(&c->buffers);
}

static void backward(struct ctx *c)
{
	nn_params_zero_grad(&c->p);
	memset(c->dx, 0, sizeof(c->dx));
	if (c->batch)
		nn_batchnorm_backward(&c->bn, c->x, c->R, N, HW, c->training, c->stats, c->dx);
	else
		nn_instnorm_backward(&c->in, c->x, c->R, N, HW, c->stats, c->dx);
}

static void check_all(struct ctx *c, float *w, float *dw, float *b, float *db)
{
	size_t total = 0;
	check_grad("x", loss, c, c->x, c->dx, SIZE, 1e-2, &total);
	if (w) {
		check_grad("weight", loss, c, w, dw, C, 1e-2, &total);
		check_grad("bias", loss, c, b, db, C, 1e-2, &total);
	}
	printf("    %zu points checked in all\n", total);
}

/* mean and biased variance of the group (planes n, channel ch) of v. */
static void moments(const float *v, int n0, int n1, int ch, double *mean, double *var)
{
	double s = 0.0, ss = 0.0;
	int m = 0;
	for (int n = n0; n < n1; n++)
		for (int i = 0; i < HW; i++, m++)
			s += v[(n * C + ch) * HW + i];
	*mean = s / m;
	for (int n = n0; n < n1; n++)
		for (int i = 0; i < HW; i++) {
			double d = v[(n * C + ch) * HW + i] - *mean;
			ss += d * d;
		}
	*var = ss / m;
}

static void test_instnorm_affine(void)
{
	struct ctx c;
	setup(&c, 0, 1, 11);
	CHECK(nn_params_find(&c.p, "in.weight") == 0 && nn_params_find(&c.p, "in.bias") == 1);
	CHECK(c.p.views[0].no_decay && c.p.views[1].no_decay);
	forward(&c);
	/* Each plane of y has mean bias[c] and variance weight[c]^2 var / (var + eps). */
	for (int n = 0; n < N; n++)
		for (int ch = 0; ch < C; ch++) {
			double mx, vx, my, vy;
			moments(c.x, n, n + 1, ch, &mx, &vx);
			moments(c.y, n, n + 1, ch, &my, &vy);
			CHECK_NEAR(my, c.in.b[ch], 1e-6);
			CHECK_NEAR(vy, c.in.w[ch] * c.in.w[ch] * vx / (vx + 1e-5), 1e-5);
			CHECK_NEAR(c.stats[(n * C + ch) * NN_NORM_STATS], mx, 1e-6);
		}
	backward(&c);
	check_all(&c, c.in.w, c.in.dw, c.in.b, c.in.db);
	/* Backward adds. */
	float dw0 = c.in.dw[0], dx0 = c.dx[0];
	nn_instnorm_backward(&c.in, c.x, c.R, N, HW, c.stats, c.dx);
	CHECK_NEAR(c.in.dw[0], 2 * dw0, 1e-5);
	CHECK_NEAR(c.dx[0], 2 * dx0, 1e-5);
	release(&c);
}

static void test_instnorm_plain(void)
{
	struct ctx c;
	setup(&c, 0, 0, 12);
	CHECK(c.p.n_views == 0 && !c.in.w);
	forward(&c);
	double my, vy;
	moments(c.y, 1, 2, 2, &my, &vy);
	CHECK_NEAR(my, 0.0, 1e-6);
	CHECK_NEAR(vy, 1.0, 1e-3);
	backward(&c);
	check_all(&c, NULL, NULL, NULL, NULL);
	release(&c);
}

static void test_batchnorm_training(void)
{
	struct ctx c;
	setup(&c, 1, 1, 13);
	c.training = 1;
	CHECK(nn_params_find(&c.p, "bn.weight") == 0 && nn_params_find(&c.p, "bn.bias") == 1);
	CHECK(nn_params_find(&c.buffers, "bn.running_mean") == 0 &&
	      nn_params_find(&c.buffers, "bn.running_var") == 1);
	nn_batchnorm_init_weights(&c.bn);
	CHECK(c.bn.w[1] == 1.0f && c.bn.b[1] == 0.0f && c.bn.running_var[2] == 1.0f);
	bj_rng rng;
	bj_rng_init(&rng, 99);
	fill(c.bn.w, C, 0.5f, 1.5f, &rng);
	fill(c.bn.b, C, -0.5f, 0.5f, &rng);
	/* One step moves the running statistics a tenth of the way, to the
	 * unbiased variance. */
	forward(&c);
	for (int ch = 0; ch < C; ch++) {
		double m, v, M = N * HW;
		moments(c.x, 0, N, ch, &m, &v);
		CHECK_NEAR(c.bn.running_mean[ch], 0.1 * m, 1e-6);
		CHECK_NEAR(c.bn.running_var[ch], 0.9 + 0.1 * v * M / (M - 1), 1e-6);
		double my, vy;
		moments(c.y, 0, N, ch, &my, &vy);
		CHECK_NEAR(my, c.bn.b[ch], 1e-6);
	}
	backward(&c);
	check_all(&c, c.bn.w, c.bn.dw, c.bn.b, c.bn.db);
	release(&c);
}

static void test_batchnorm_eval(void)
{
	struct ctx c;
	setup(&c, 1, 1, 14);
	c.training = 0;
	for (int ch = 0; ch < C; ch++) {
		c.bn.running_mean[ch] = 0.3f * ch - 0.2f;
		c.bn.running_var[ch] = 0.5f + ch;
	}
	forward(&c);
	for (int i = 0; i < SIZE; i++) {
		int ch = i / HW % C;
		double want = (c.x[i] - c.bn.running_mean[ch]) / sqrt(c.bn.running_var[ch] + 1e-5) *
		              c.bn.w[ch] + c.bn.b[ch];
		CHECK_NEAR(c.y[i], want, 1e-5);
	}
	CHECK(c.bn.running_mean[1] == 0.3f - 0.2f && c.bn.running_var[1] == 1.5f,
	      "eval leaves the running statistics alone");
	backward(&c);
	check_all(&c, c.bn.w, c.bn.dw, c.bn.b, c.bn.db);
	release(&c);
}

/* The same bytes for 1 and 2 threads, forward and backward, on a shape that
 * splits into many tasks. */
static void run_threads(int threads, float *y, float *dx, float *dw)
{
	enum { BN = 5, BC = 13, BHW = 37 * 11, BSIZE = BN * BC * BHW };
	nn_set_threads(threads);
	nn_params p;
	nn_params_init(&p);
	nn_instnorm in;
	nn_instnorm_init(&in, &p, "in", BC, 1);
	CHECK(nn_params_alloc(&p, NN_WITH_GRAD) == 0);
	bj_rng rng;
	bj_rng_init(&rng, 5);
	float *x = bj_xmalloc(BSIZE * sizeof(float)), *dy = bj_xmalloc(BSIZE * sizeof(float));
	float *stats = bj_xmalloc(BN * BC * NN_NORM_STATS * sizeof(float));
	fill(x, BSIZE, -1.0f, 3.0f, &rng);
	fill(dy, BSIZE, -1.0f, 1.0f, &rng);
	fill(in.w, BC, 0.5f, 1.5f, &rng);
	nn_instnorm_forward(&in, x, BN, BHW, y, stats);
	memset(dx, 0, BSIZE * sizeof(float));
	nn_instnorm_backward(&in, x, dy, BN, BHW, stats, dx);
	memcpy(dw, in.dw, BC * sizeof(float));
	free(x), free(dy), free(stats);
	nn_params_release(&p);
}

static void test_threads_same_bytes(void)
{
	enum { BSIZE = 5 * 13 * 37 * 11 };
	int before = nn_get_threads();
	float *y1 = bj_xmalloc(BSIZE * sizeof(float)), *y2 = bj_xmalloc(BSIZE * sizeof(float));
	float *dx1 = bj_xmalloc(BSIZE * sizeof(float)), *dx2 = bj_xmalloc(BSIZE * sizeof(float));
	float dw1[13], dw2[13];
	run_threads(1, y1, dx1, dw1);
	run_threads(2, y2, dx2, dw2);
	CHECK(memcmp(y1, y2, BSIZE * sizeof(float)) == 0);
	CHECK(memcmp(dx1, dx2, BSIZE * sizeof(float)) == 0);
	CHECK(memcmp(dw1, dw2, sizeof(dw1)) == 0);
	nn_set_threads(before);
	free(y1), free(y2), free(dx1), free(dx2);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_instnorm_affine),
		TEST_CASE(test_instnorm_plain),
		TEST_CASE(test_batchnorm_training),
		TEST_CASE(test_batchnorm_eval),
		TEST_CASE(test_threads_same_bytes),
		{ 0 },
	};
	return test_main(cases);
}
