#include "nn/gradcheck.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

enum { N = 40 };

/* L = sum_i R_i sin(x_i) x_i, with dL/dx_i = R_i (cos(x_i) x_i + sin(x_i)). */
struct ctx {
	float x[N], R[N], grad[N];
	int calls;
};

static double loss(void *p, double *scale)
{
	struct ctx *c = p;
	double s = 0.0;
	c->calls++;
	*scale = 0.0;
	for (int i = 0; i < N; i++) {
		float term = c->R[i] * (sinf(c->x[i]) * c->x[i]);   /* float32, as a layer would */
		s += term;
		*scale += fabs(term);
	}
	return s;
}

static void setup(struct ctx *c)
{
	bj_rng rng;
	bj_rng_init(&rng, 77);
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < N; i++) {
		c->x[i] = 4.0f * bj_rng_uniform(&rng) - 2.0f;
		c->R[i] = 2.0f * bj_rng_uniform(&rng) - 1.0f;
		c->grad[i] = (float)(c->R[i] * (cos(c->x[i]) * c->x[i] + sin(c->x[i])));
	}
}

static void test_right_gradient_passes(void)
{
	struct ctx c;
	setup(&c);
	float before[N];
	memcpy(before, c.x, sizeof(before));
	nn_gradcheck_stats st = { 0 };
	nn_gradcheck(loss, &c, c.x, c.grad, N, 0, 1e-2, 1e-2, NULL, &st);
	CHECK(st.checked == N && st.failed == 0, "%zu of %zu failed, worst %g", st.failed,
	      st.checked, st.worst);
	CHECK(c.calls == 2 * N);
	CHECK(memcmp(before, c.x, sizeof(before)) == 0, "x not restored");
}

static void test_wrong_gradient_fails(void)
{
	struct ctx c;
	setup(&c);
	c.grad[7] *= 1.05f;           /* 5 % off */
	c.grad[30] = -c.grad[30];     /* wrong sign */
	c.grad[12] = NAN;
	nn_gradcheck_stats st = { 0 };
	nn_gradcheck(loss, &c, c.x, c.grad, N, 0, 1e-2, 1e-2, NULL, &st);
	CHECK(st.failed == 3, "%zu failed", st.failed);
	CHECK(isnan(st.worst) && st.worst_index == 12, "worst %g at %zu", st.worst, st.worst_index);
}

static void test_random_subset(void)
{
	struct ctx c;
	setup(&c);
	bj_rng rng;
	bj_rng_init(&rng, 3);
	nn_gradcheck_stats st = { 0 };
	nn_gradcheck(loss, &c, c.x, c.grad, N, 9, 1e-2, 1e-2, &rng, &st);
	CHECK(st.checked == 9 && c.calls == 18 && st.failed == 0, "%zu checked", st.checked);
	/* Stats add up over calls. */
	nn_gradcheck(loss, &c, c.x, c.grad, N, 100, 1e-2, 1e-2, &rng, &st);
	CHECK(st.checked == 9 + N);
}

static void test_asymmetry(void)
{
	CHECK_NEAR(nn_gradcheck_asymmetry(1.0, 1.0, 0.0, 1e-2), 0.0, 0);
	CHECK_NEAR(nn_gradcheck_asymmetry(1.0, 3.0, 0.0, 1e-2), 0.5, 1e-15);
	CHECK_NEAR(nn_gradcheck_asymmetry(1.0, -1.0, 0.0, 1e-2), 1.0, 1e-15);
	/* The 1e-6 floor. */
	CHECK_NEAR(nn_gradcheck_asymmetry(1e-9, 0.0, 0.0, 1e-2), 1e-3, 1e-15);
	/* noise 1e-4 at tol 1e-2 adds 1e-2 to the scale: |1e-4 - 3e-4| / (4e-4 + 1e-2). */
	CHECK_NEAR(nn_gradcheck_asymmetry(1e-4, 3e-4, 1e-4, 1e-2), 2e-4 / 1.04e-2, 1e-15);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_right_gradient_passes),
		TEST_CASE(test_wrong_gradient_fails),
		TEST_CASE(test_random_subset),
		TEST_CASE(test_asymmetry),
		{ 0 },
	};
	return test_main(cases);
}
