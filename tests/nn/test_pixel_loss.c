#include "nn/pixel_loss.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_grad.h"

enum { N = 2, C = 3, H = 4, W = 5, HW = H * W, SIZE = N * C * HW };

enum kind { L1, WEIGHTED_L1, MSE, MEAN, TV, KINDS };
static const char *const names[] = { "l1", "weighted_l1", "mse", "mean", "tv" };

struct ctx {
	enum kind k;
	float pred[SIZE], target[SIZE], weight[N * HW], grad[SIZE];
};

static double forward(const struct ctx *c)
{
	switch (c->k) {
	case L1: return nn_l1_forward(c->pred, c->target, SIZE);
	case WEIGHTED_L1: return nn_weighted_l1_forward(c->pred, c->target, c->weight, N, C, HW);
	case MSE: return nn_mse_forward(c->pred, c->target, SIZE);
	case MEAN: return nn_mean_forward(c->pred, SIZE);
	case TV: return nn_tv_forward(c->pred, N * C, H, W);
	case KINDS: break;
	}
	return NAN;
}

static void backward(struct ctx *c, float scale)
{
	switch (c->k) {
	case L1: nn_l1_backward(c->pred, c->target, SIZE, scale, c->grad); break;
	case WEIGHTED_L1:
		nn_weighted_l1_backward(c->pred, c->target, c->weight, N, C, HW, scale, c->grad);
		break;
	case MSE: nn_mse_backward(c->pred, c->target, SIZE, scale, c->grad); break;
	case MEAN: nn_mean_backward(SIZE, scale, c->grad); break;
	case TV: nn_tv_backward(c->pred, N * C, H, W, scale, c->grad); break;
	case KINDS: break;
	}
}

static double loss(void *p, double *scale)
{
	double l = forward(p);
	*scale = fabs(l);
	return l;
}

/* The losses computed plainly, in double. */
static double reference(const struct ctx *c)
{
	double s = 0.0, v = 0.0, h = 0.0;
	for (int i = 0; i < SIZE; i++) {
		double d = (double)c->pred[i] - c->target[i];
		int n = i / (C * HW), r = i % HW / W, col = i % W;
		switch (c->k) {
		case L1: s += fabs(d); break;
		case WEIGHTED_L1: s += c->weight[n * HW + i % HW] * fabs(d); break;
		case MSE: s += d * d; break;
		case MEAN: s += c->pred[i]; break;
		case TV:
			if (r + 1 < H)
				v += fabs((double)c->pred[i + W] - c->pred[i]);
			if (col + 1 < W)
				h += fabs((double)c->pred[i + 1] - c->pred[i]);
			break;
		case KINDS: break;
		}
	}
	if (c->k == TV)
		return v / (N * C * (H - 1) * W) + h / (N * C * H * (W - 1));
	return s / SIZE;
}

/* Predictions a permutation of the multiples of 1/SIZE (neighbours differ by
 * at least 1/SIZE) plus noise below 1e-3, targets 0.01 to 0.06 away, so no
 * difference the losses take the absolute value of is within h = 1e-3 of 0. */
static void setup(struct ctx *c, enum kind k, bj_rng *rng)
{
	memset(c, 0, sizeof(*c));
	c->k = k;
	for (int i = 0; i < SIZE; i++) {
		c->pred[i] = (float)(i * 37 % SIZE) / SIZE + 1e-3f * bj_rng_uniform(rng);
		float d = 0.01f + 0.05f * bj_rng_uniform(rng);
		c->target[i] = c->pred[i] + (bj_rng_below(rng, 2) ? d : -d);
	}
	fill(c->weight, N * HW, 0.0f, 3.0f, rng);
}

static int far_from_kinks(const struct ctx *c)
{
	for (int i = 0; i < SIZE; i++) {
		if (fabsf(c->pred[i] - c->target[i]) < 3e-3f)
			return 0;
		if (c->k == TV && ((i % HW / W + 1 < H && fabsf(c->pred[i + W] - c->pred[i]) < 3e-3f) ||
		                   (i % W + 1 < W && fabsf(c->pred[i + 1] - c->pred[i]) < 3e-3f)))
			return 0;
	}
	return 1;
}

static void test_all(void)
{
	bj_rng rng;
	bj_rng_init(&rng, 31);
	for (enum kind k = L1; k < KINDS; k++) {
		struct ctx c;
		setup(&c, k, &rng);
		CHECK(far_from_kinks(&c));
		CHECK_NEAR(forward(&c), reference(&c), 1e-7);
		backward(&c, 1.0f);
		size_t total = 0;
		check_grad(names[k], loss, &c, c.pred, c.grad, SIZE, 1e-3, &total);
		/* Backward adds scale times the gradient. */
		float g0 = c.grad[7];
		backward(&c, 0.5f);
		CHECK_NEAR(c.grad[7], 1.5 * g0, 1e-7);
	}
}

/* The gradient of |u| at u = 0 is 0, as PyTorch's, and a map of one row or
 * column has no differences in that direction. */
static void test_edges(void)
{
	float p[3] = { 1.0f, 2.0f, 3.0f }, t[3] = { 1.0f, 1.0f, 4.0f }, g[3] = { 0 };
	nn_l1_backward(p, t, 3, 3.0f, g);
	CHECK(g[0] == 0.0f && g[1] == 1.0f && g[2] == -1.0f);
	CHECK_NEAR(nn_tv_forward(p, 1, 1, 3), 1.0, 1e-12);
	CHECK_NEAR(nn_tv_forward(p, 1, 3, 1), 1.0, 1e-12);
	CHECK(nn_tv_forward(p, 3, 1, 1) == 0.0);
	float w[3] = { 0.0f, 2.0f, 1.0f };
	CHECK_NEAR(nn_weighted_l1_forward(p, t, w, 1, 1, 3), (0 + 2 + 1) / 3.0, 1e-12);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_all),
		TEST_CASE(test_edges),
		{ 0 },
	};
	return test_main(cases);
}
