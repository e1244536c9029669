#include "nn/dropout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nn/gradcheck.h"
#include "harness.h"

enum { N = 24 };

struct ctx {
	float x[N], mask[N], y[N], R[N], dx[N];
};

static double loss(void *p, double *scale)
{
	struct ctx *c = p;
	nn_dropout_forward(c->x, c->mask, c->y, N);
	double s = 0.0;
	*scale = 0.0;
	for (int i = 0; i < N; i++) {
		s += (double)c->y[i] * c->R[i];
		*scale += fabs((double)c->y[i] * c->R[i]);
	}
	return s;
}

static void test_mask(void)
{
	enum { M = 20000 };
	static float mask[M], again[M];
	bj_rng r, s;
	bj_rng_init(&r, 4);
	bj_rng_init(&s, 4);
	nn_dropout_mask(mask, M, 0.3f, &r);
	nn_dropout_mask(again, M, 0.3f, &s);
	CHECK(memcmp(mask, again, sizeof(mask)) == 0, "same seed, different mask");
	int zeros = 0;
	for (int i = 0; i < M; i++) {
		CHECK(mask[i] == 0.0f || mask[i] == 1.0f / 0.7f, "mask[%d] = %g", i, mask[i]);
		zeros += mask[i] == 0.0f;
	}
	/* 6000 expected; the standard deviation is 65. */
	CHECK(zeros > 5700 && zeros < 6300, "%d dropped of %d", zeros, M);
	/* One draw per element: the state moved by exactly M draws. */
	bj_rng t;
	bj_rng_init(&t, 4);
	for (int i = 0; i < M; i++)
		bj_rng_u64(&t);
	CHECK(memcmp(&t, &r, sizeof(t)) == 0);
	nn_dropout_mask(mask, 10, 0.0f, &r);
	for (int i = 0; i < 10; i++)
		CHECK(mask[i] == 1.0f);
}

static void test_gradcheck(void)
{
	struct ctx c;
	memset(&c, 0, sizeof(c));
	bj_rng rng;
	bj_rng_init(&rng, 8);
	nn_dropout_mask(c.mask, N, 0.5f, &rng);
	for (int i = 0; i < N; i++) {
		c.x[i] = 2.0f * bj_rng_uniform(&rng) - 1.0f;
		c.R[i] = 2.0f * bj_rng_uniform(&rng) - 1.0f;
	}
	double scale;
	loss(&c, &scale);
	nn_dropout_backward(c.R, c.mask, c.dx, N);
	nn_gradcheck_stats st = { 0 };
	nn_gradcheck(loss, &c, c.x, c.dx, N, 0, 1e-2, 1e-2, NULL, &st);
	printf("    x: %zu points (%zu noise-limited), worst asymmetry %.2e\n", st.checked,
	       st.noise_limited, st.worst);
	CHECK(st.checked == N && st.failed == 0, "%zu of %zu failed", st.failed, st.checked);
	float d0 = c.dx[0];
	nn_dropout_backward(c.R, c.mask, c.dx, N);
	CHECK(c.dx[0] == 2 * d0);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_mask),
		TEST_CASE(test_gradcheck),
		{ 0 },
	};
	return test_main(cases);
}
