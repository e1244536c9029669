#include "nn/loss.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/rng.h"
#include "nn/gradcheck.h"
#include "harness.h"

enum { N = 6, V = 5 };

struct ctx {
	float logits[N * V], probs[N * V], dlogits[N * V];
	int32_t targets[N];
	double weight;   /* the loss is weight * xent, so the upstream gradient is not 1 */
};

static double loss(void *p, double *scale)
{
	struct ctx *c = p;
	double l = c->weight * nn_xent_forward(c->logits, c->targets, N, V, c->probs);
	/* Computed in double from the float logits: no float32 rounding to allow for. */
	*scale = 0.0;
	return l;
}

static void test_gradcheck(void)
{
	struct ctx c = { .targets = { 0, 4, 2, -1, 2, 1 }, .weight = 1.7 };   /* one ignored */
	bj_rng rng;
	bj_rng_init(&rng, 9);
	for (int i = 0; i < N * V; i++)
		c.logits[i] = 4.0f * bj_rng_uniform(&rng) - 2.0f;
	double scale;
	loss(&c, &scale);
	memset(c.dlogits, 0, sizeof(c.dlogits));
	nn_xent_backward(c.probs, c.targets, N, V, c.dlogits);
	for (int i = 0; i < N * V; i++)
		c.dlogits[i] *= (float)c.weight;
	for (int j = 0; j < V; j++)
		CHECK(c.dlogits[3 * V + j] == 0.0f, "ignored row has gradient");
	nn_gradcheck_stats st = { 0 };
	nn_gradcheck(loss, &c, c.logits, c.dlogits, N * V, 0, 1e-2, 1e-2, NULL, &st);
	printf("    logits: %zu points (%zu noise-limited), worst asymmetry %.2e\n", st.checked,
	       st.noise_limited, st.worst);
	CHECK(st.checked == N * V && st.failed == 0, "%zu of %zu failed", st.failed, st.checked);
}

static void test_values(void)
{
	/* Equal logits: log V per token. */
	float logits[2 * 4] = { 0 }, probs[8];
	int32_t t[2] = { 1, 3 };
	CHECK_NEAR(nn_xent_forward(logits, t, 2, 4, probs), log(4.0), 1e-12);
	for (int i = 0; i < 8; i++)
		CHECK(probs[i] == 0.25f);
	/* By hand: logits (1, 2, 3), target 0: -log(e / (e + e^2 + e^3)). */
	float l3[3] = { 1, 2, 3 }, p3[3];
	int32_t t0 = 0;
	double want = -log(exp(1.0) / (exp(1.0) + exp(2.0) + exp(3.0)));
	CHECK_NEAR(nn_xent_forward(l3, &t0, 1, 3, p3), want, 1e-12);
	CHECK_NEAR(p3[2], exp(3.0) / (exp(1.0) + exp(2.0) + exp(3.0)), 1e-7);
	/* Every target ignored: 0, and no gradient. */
	int32_t none[2] = { -1, -100 };
	float d[8] = { 0 };
	CHECK(nn_xent_forward(logits, none, 2, 4, probs) == 0.0);
	nn_xent_backward(probs, none, 2, 4, d);
	for (int i = 0; i < 8; i++)
		CHECK(d[i] == 0.0f);
}

/* Large logits neither overflow nor lose the loss. */
static void test_stable(void)
{
	float logits[3] = { 1000.0f, 990.0f, -1000.0f }, probs[3];
	int32_t t = 1;
	double l = nn_xent_forward(logits, &t, 1, 3, probs);
	CHECK(isfinite(l));
	CHECK_NEAR(l, 10.0 + log1p(exp(-10.0)), 1e-9);
	CHECK(probs[2] == 0.0f && isfinite(probs[0]));
	CHECK_NEAR(probs[0] + probs[1], 1.0, 1e-7);
	/* In place: probs may be the logits. */
	float same[3] = { 1000.0f, 990.0f, -1000.0f };
	CHECK(nn_xent_forward(same, &t, 1, 3, same) == l);
	CHECK(memcmp(same, probs, sizeof(probs)) == 0);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_gradcheck),
		TEST_CASE(test_values),
		TEST_CASE(test_stable),
		{ 0 },
	};
	return test_main(cases);
}
