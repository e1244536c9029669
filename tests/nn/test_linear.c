#include "nn/linear.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nn/gemm.h"
#include "nn/gradcheck.h"
#include "harness.h"

enum { N = 5, IN = 4, OUT = 3 };

struct ctx {
	nn_linear l;
	float x[N * IN], y[N * OUT], R[N * OUT], dx[N * IN];
};

static double loss(void *p, double *scale)
{
	struct ctx *c = p;
	nn_linear_forward(&c->l, c->x, N, c->y);
	double s = 0.0;
	*scale = 0.0;
	for (int i = 0; i < N * OUT; i++) {
		s += (double)c->y[i] * c->R[i];
		*scale += fabs((double)c->y[i] * c->R[i]);
	}
	return s;
}

static void check(const char *name, nn_gradcheck_loss_fn *fn, struct ctx *c, float *x,
                  const float *g, size_t n, size_t *total)
{
	nn_gradcheck_stats st = { 0 };
	nn_gradcheck(fn, c, x, g, n, 0, 1e-2, 1e-2, NULL, &st);
	printf("    %-12s %3zu points (%zu noise-limited), worst asymmetry %.2e\n", name, st.checked,
	       st.noise_limited, st.worst);
	CHECK(st.checked == n && st.failed == 0, "%s: %zu of %zu failed", name, st.failed, st.checked);
	*total += st.checked;
}

static void run(int bias)
{
	nn_params p;
	nn_params_init(&p);
	struct ctx c;
	memset(&c, 0, sizeof(c));
	nn_linear_init(&c.l, &p, "head", IN, OUT, bias);
	CHECK(nn_params_find(&p, "head.weight") == 0);
	CHECK(nn_params_find(&p, "head.bias") == (bias ? 1 : -1));
	CHECK(nn_params_alloc(&p, NN_WITH_GRAD) == 0);
	bj_rng rng;
	bj_rng_init(&rng, 2 + bias);
	nn_linear_init_weights(&c.l, &p, &rng);
	for (int i = 0; i < OUT * IN; i++)
		CHECK(fabsf(c.l.w[i]) <= 0.5f);   /* 1/sqrt(IN) */
	for (int i = 0; i < N * IN; i++)
		c.x[i] = 2.0f * bj_rng_uniform(&rng) - 1.0f;
	for (int i = 0; i < N * OUT; i++)
		c.R[i] = 2.0f * bj_rng_uniform(&rng) - 1.0f;

	/* Forward by hand. */
	double scale;
	loss(&c, &scale);
	for (int n = 0; n < N; n++)
		for (int o = 0; o < OUT; o++) {
			double s = bias ? c.l.b[o] : 0.0;
			for (int i = 0; i < IN; i++)
				s += (double)c.x[n * IN + i] * c.l.w[o * IN + i];
			CHECK_NEAR(c.y[n * OUT + o], s, 1e-6);
		}

	nn_params_zero_grad(&p);
	nn_linear_backward(&c.l, c.x, c.R, N, c.dx);
	size_t total = 0;
	check("head.weight", loss, &c, c.l.w, c.l.dw, OUT * IN, &total);
	if (bias)
		check("head.bias", loss, &c, c.l.b, c.l.db, OUT, &total);
	check("x", loss, &c, c.x, c.dx, N * IN, &total);
	printf("    %zu points checked in all\n", total);

	/* Backward adds, and dx may be NULL. */
	float w0 = c.l.dw[0], x0 = c.dx[0];
	nn_linear_backward(&c.l, c.x, c.R, N, NULL);
	CHECK_NEAR(c.l.dw[0], 2 * w0, 1e-6);
	CHECK(c.dx[0] == x0);
	nn_params_release(&p);
}

static void test_with_bias(void)
{
	run(1);
}

static void test_without_bias(void)
{
	run(0);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_with_bias),
		TEST_CASE(test_without_bias),
		{ 0 },
	};
	return test_main(cases);
}
