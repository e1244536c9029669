#include "nn/embedding.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nn/gradcheck.h"
#include "harness.h"

enum { V = 7, D = 4, N = 9 };

struct ctx {
	nn_embedding e;
	const int32_t *ids;
	float out[N * D], R[N * D];
};

static double loss(void *p, double *scale)
{
	struct ctx *c = p;
	nn_embedding_forward(&c->e, c->ids, N, c->out);
	double s = 0.0;
	*scale = 0.0;
	for (int i = 0; i < N * D; i++) {
		s += (double)c->out[i] * c->R[i];
		*scale += fabs((double)c->out[i] * c->R[i]);
	}
	return s;
}

static void test_forward_backward(void)
{
	/* 3 appears three times, 0 and 6 (the ends) once, 5 never. */
	static const int32_t ids[N] = { 3, 0, 3, 1, 6, 2, 3, 4, 1 };
	nn_params p;
	nn_params_init(&p);
	struct ctx c = { .ids = ids };
	nn_embedding_init(&c.e, &p, "embed", V, D);
	CHECK(nn_params_find(&p, "embed.weight") == 0);
	CHECK(nn_params_alloc(&p, NN_WITH_GRAD) == 0);
	bj_rng rng;
	bj_rng_init(&rng, 1);
	nn_embedding_init_weights(&c.e, &p, &rng);
	for (int i = 0; i < N * D; i++)
		c.R[i] = 2.0f * bj_rng_uniform(&rng) - 1.0f;

	double scale;
	loss(&c, &scale);
	for (int n = 0; n < N; n++)
		CHECK(memcmp(c.out + n * D, c.e.w + ids[n] * D, D * sizeof(float)) == 0, "row %d", n);

	nn_params_zero_grad(&p);
	nn_embedding_backward(&c.e, ids, N, c.R);
	/* By hand: row 3 gets R[0] + R[2] + R[6], row 5 nothing. */
	for (int j = 0; j < D; j++) {
		CHECK_NEAR(c.e.dw[3 * D + j], c.R[0 * D + j] + c.R[2 * D + j] + c.R[6 * D + j], 1e-6);
		CHECK(c.e.dw[5 * D + j] == 0.0f);
	}
	nn_gradcheck_stats st = { 0 };
	nn_gradcheck(loss, &c, c.e.w, c.e.dw, V * D, 0, 1e-2, 1e-2, NULL, &st);
	printf("    embed.weight: %zu points (%zu noise-limited), worst asymmetry %.2e\n", st.checked,
	       st.noise_limited, st.worst);
	CHECK(st.checked == V * D && st.failed == 0, "%zu of %zu failed", st.failed, st.checked);

	/* Backward adds. */
	float once = c.e.dw[3 * D];
	nn_embedding_backward(&c.e, ids, N, c.R);
	CHECK_NEAR(c.e.dw[3 * D], 2 * once, 1e-6);
	nn_params_release(&p);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_forward_backward),
		{ 0 },
	};
	return test_main(cases);
}
