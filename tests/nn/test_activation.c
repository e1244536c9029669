#include "nn/activation.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "nn/parallel.h"
#include "check_grad.h"

enum { N = 64 };

enum kind { RELU, LEAKY, SIGMOID, TANH };
static const char *const names[] = { "relu", "leaky_relu", "sigmoid", "tanh" };

static const float SLOPE = 0.2f;

static void forward(enum kind k, const float *x, size_t n, float *y)
{
	switch (k) {
	case RELU: nn_relu_forward(x, n, y); break;
	case LEAKY: nn_leaky_relu_forward(x, n, SLOPE, y); break;
	case SIGMOID: nn_sigmoid_forward(x, n, y); break;
	case TANH: nn_tanh_forward(x, n, y); break;
	}
}

static void backward(enum kind k, const float *y, const float *dy, size_t n, float *dx)
{
	switch (k) {
	case RELU: nn_relu_backward(y, dy, n, dx); break;
	case LEAKY: nn_leaky_relu_backward(y, dy, n, SLOPE, dx); break;
	case SIGMOID: nn_sigmoid_backward(y, dy, n, dx); break;
	case TANH: nn_tanh_backward(y, dy, n, dx); break;
	}
}

static double reference(enum kind k, double x)
{
	switch (k) {
	case RELU: return x > 0 ? x : 0;
	case LEAKY: return x > 0 ? x : SLOPE * x;
	case SIGMOID: return 1.0 / (1.0 + exp(-x));
	case TANH: return tanh(x);
	}
	return NAN;
}

struct ctx {
	enum kind k;
	float x[N], y[N], R[N], dx[N];
};

static double loss(void *p, double *scale)
{
	struct ctx *c = p;
	forward(c->k, c->x, N, c->y);
	return dot_loss(c->y, c->R, N, scale);
}

/* Forward against libm in double, the gradient against central differences
 * (inputs kept 0.05 away from the kinks of the ReLUs), and in-place runs
 * against out-of-place ones. */
static void test_all(void)
{
	bj_rng rng;
	bj_rng_init(&rng, 21);
	for (enum kind k = RELU; k <= TANH; k++) {
		struct ctx c;
		memset(&c, 0, sizeof(c));
		c.k = k;
		fill(c.x, N, -4.0f, 4.0f, &rng);
		for (int i = 0; i < N; i++)
			if (fabsf(c.x[i]) < 0.05f)
				c.x[i] = 0.5f;
		fill(c.R, N, -1.0f, 1.0f, &rng);
		forward(k, c.x, N, c.y);
		for (int i = 0; i < N; i++)
			CHECK_NEAR(c.y[i], reference(k, c.x[i]), 1e-6);
		backward(k, c.y, c.R, N, c.dx);
		size_t total = 0;
		check_grad(names[k], loss, &c, c.x, c.dx, N, 1e-3, &total);

		/* The last loss left y at a perturbed x. */
		forward(k, c.x, N, c.y);
		float in_place[N], grad[N];
		memcpy(in_place, c.x, sizeof(in_place));
		forward(k, in_place, N, in_place);
		CHECK(memcmp(in_place, c.y, sizeof(c.y)) == 0, "%s in place", names[k]);
		memcpy(grad, c.R, sizeof(grad));
		backward(k, c.y, grad, N, grad);
		CHECK(memcmp(grad, c.dx, sizeof(grad)) == 0, "%s backward in place", names[k]);
	}
}

/* The gradient at and around 0 is PyTorch's, and sigmoid saturates without
 * overflow. */
static void test_edges(void)
{
	float x[] = { 0.0f, -0.0f, 1e-30f, -1e-30f, 100.0f, -100.0f, 1000.0f, -1000.0f };
	size_t n = sizeof(x) / sizeof(x[0]);
	float y[8], dy[8], dx[8];
	for (size_t i = 0; i < n; i++)
		dy[i] = 1.0f;
	nn_leaky_relu_forward(x, n, SLOPE, y);
	nn_leaky_relu_backward(y, dy, n, SLOPE, dx);
	CHECK(dx[0] == SLOPE && dx[1] == SLOPE && dx[2] == 1.0f && dx[3] == SLOPE);
	nn_relu_forward(x, n, y);
	nn_relu_backward(y, dy, n, dx);
	CHECK(dx[0] == 0.0f && dx[2] == 1.0f && dx[5] == 0.0f);
	nn_sigmoid_forward(x, n, y);
	CHECK(y[0] == 0.5f && y[6] == 1.0f && y[7] == 0.0f && isfinite(y[5]));
	nn_tanh_forward(x, n, y);
	CHECK(y[6] == 1.0f && y[7] == -1.0f);
}

/* Large tensors are split over the threads with the same bytes as one. */
static void test_threads_same_bytes(void)
{
	size_t n = 300001;
	float *x = bj_xmalloc(n * sizeof(float)), *y1 = bj_xmalloc(n * sizeof(float));
	float *y2 = bj_xmalloc(n * sizeof(float));
	bj_rng rng;
	bj_rng_init(&rng, 22);
	fill(x, n, -5.0f, 5.0f, &rng);
	x[n - 1] = 1.0f;   /* every activation has a non-zero gradient there */
	int before = nn_get_threads();
	for (enum kind k = RELU; k <= TANH; k++) {
		nn_set_threads(1);
		forward(k, x, n, y1);
		backward(k, y1, x, n, y1);
		nn_set_threads(2);
		forward(k, x, n, y2);
		backward(k, y2, x, n, y2);
		CHECK(memcmp(y1, y2, n * sizeof(float)) == 0, "%s", names[k]);
		CHECK(y1[n - 1] != 0.0f, "%s: the last chunk was done", names[k]);
	}
	nn_set_threads(before);
	free(x), free(y1), free(y2);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_all),
		TEST_CASE(test_edges),
		TEST_CASE(test_threads_same_bytes),
		{ 0 },
	};
	return test_main(cases);
}
