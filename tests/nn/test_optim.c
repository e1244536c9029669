#include "nn/optim.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* An arena of two views: w (2) with weight decay, b (1) without. */
struct toy {
	nn_params p;
	float *w, *dw, *b, *db;
};

static void toy_init(struct toy *t)
{
	nn_params_init(&t->p);
	nn_params_add(&t->p, "w", 1, (int64_t[]){ 2 }, &t->w, &t->dw);
	nn_params_add(&t->p, "b", 1, (int64_t[]){ 1 }, &t->b, &t->db);
	t->p.views[1].no_decay = 1;
	CHECK(nn_params_alloc(&t->p, NN_WITH_GRAD | NN_WITH_ADAM) == 0);
}

/* The first step by hand: m = 0.1 g and v = 0.001 g^2, so after bias correction
 * m^ = g and v^ = g^2, and the update is lr g / (|g| + eps). */
static void test_adamw_first_step(void)
{
	struct toy t;
	toy_init(&t);
	t.w[0] = 1.0f, t.w[1] = -2.0f, t.b[0] = 0.5f;
	t.dw[0] = 0.5f, t.dw[1] = -0.003f, t.db[0] = 4.0f;
	nn_adamw opt;
	nn_adamw_init(&opt, 0.01);
	CHECK(opt.beta1 == 0.9 && opt.beta2 == 0.999 && opt.eps == 1e-8 && opt.step == 0);
	nn_adamw_step(&opt, &t.p, 0.1);
	CHECK(opt.step == 1);
	/* w0: 1 * (1 - 0.1 * 0.01) - 0.1 * 0.5 / (0.5 + 1e-8) = 0.999 - 0.1 = 0.899 */
	CHECK_NEAR(t.w[0], 0.899, 1e-6);
	/* w1: -2 * 0.999 + 0.1 = -1.898 */
	CHECK_NEAR(t.w[1], -1.898, 1e-6);
	/* b: no decay: 0.5 - 0.1 = 0.4 */
	CHECK_NEAR(t.b[0], 0.4, 1e-6);
	CHECK_NEAR(t.p.block[NN_ADAM_M][0], 0.05, 1e-9);
	CHECK_NEAR(t.p.block[NN_ADAM_V][0], 0.00025, 1e-10);
	CHECK_NEAR(t.p.block[NN_ADAM_V][2], 0.016, 1e-9);
	nn_params_release(&t.p);
}

/* Three steps against the equations evaluated in double. */
static void test_adamw_three_steps(void)
{
	struct toy t;
	toy_init(&t);
	const double g[3][3] = { { 0.5, -0.3, 1.0 }, { -0.25, -0.1, 2.0 }, { 0.125, 0.4, -1.0 } };
	double w[3] = { 1.0, -2.0, 0.5 }, m[3] = { 0 }, v[3] = { 0 };
	const double lr[3] = { 0.1, 0.05, 0.02 }, wd = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
	t.w[0] = 1.0f, t.w[1] = -2.0f, t.b[0] = 0.5f;
	nn_adamw opt;
	nn_adamw_init(&opt, wd);
	for (int s = 0; s < 3; s++) {
		t.dw[0] = (float)g[s][0], t.dw[1] = (float)g[s][1], t.db[0] = (float)g[s][2];
		nn_adamw_step(&opt, &t.p, lr[s]);
		for (int k = 0; k < 3; k++) {
			if (k < 2)
				w[k] *= 1 - lr[s] * wd;
			m[k] = b1 * m[k] + (1 - b1) * g[s][k];
			v[k] = b2 * v[k] + (1 - b2) * g[s][k] * g[s][k];
			double mh = m[k] / (1 - pow(b1, s + 1)), vh = v[k] / (1 - pow(b2, s + 1));
			w[k] -= lr[s] * mh / (sqrt(vh) + eps);
		}
	}
	CHECK_NEAR(t.w[0], w[0], 1e-6);
	CHECK_NEAR(t.w[1], w[1], 1e-6);
	CHECK_NEAR(t.b[0], w[2], 1e-6);
	nn_params_release(&t.p);
}

static void test_clip(void)
{
	struct toy t;
	toy_init(&t);
	t.dw[0] = 3.0f, t.dw[1] = 0.0f, t.db[0] = -4.0f;
	CHECK_NEAR(nn_grad_norm(&t.p), 5.0, 1e-12);
	/* Below the limit: untouched. */
	CHECK_NEAR(nn_clip_grad_norm(&t.p, 10.0), 5.0, 1e-12);
	CHECK(t.dw[0] == 3.0f && t.db[0] == -4.0f);
	/* Above: scaled by 1 / (5 + 1e-6). */
	CHECK_NEAR(nn_clip_grad_norm(&t.p, 1.0), 5.0, 1e-12);
	CHECK_NEAR(t.dw[0], 0.6 / (1 + 2e-7), 1e-7);
	CHECK_NEAR(t.db[0], -0.8 / (1 + 2e-7), 1e-7);
	CHECK(t.dw[1] == 0.0f);
	CHECK_NEAR(nn_grad_norm(&t.p), 1.0, 1e-6);
	/* The norm is accumulated in double: 1e20^2 overflows a float. */
	t.dw[0] = 1e20f, t.dw[1] = 1e20f, t.db[0] = 0.0f;
	CHECK_NEAR(nn_grad_norm(&t.p) / 1e20, sqrt(2.0), 1e-6);
	/* Not finite: returned, gradients left alone. */
	t.dw[0] = NAN;
	CHECK(isnan(nn_clip_grad_norm(&t.p, 1.0)));
	CHECK(t.dw[1] == 1e20f);
	nn_params_release(&t.p);
}

static void test_schedule(void)
{
	nn_lr_schedule s = { .lr = 1.0, .warmup = 4, .decay = NN_LR_COSINE, .total = 14,
	                     .min_lr = 0.1 };
	CHECK_NEAR(nn_lr_schedule_at(&s, 0), 0.25, 1e-12);
	CHECK_NEAR(nn_lr_schedule_at(&s, 3), 1.0, 1e-12);
	CHECK_NEAR(nn_lr_schedule_at(&s, 4), 1.0, 1e-12);
	CHECK_NEAR(nn_lr_schedule_at(&s, 9), 0.55, 1e-12);   /* half way: the mean */
	/* a fifth of the way: 0.1 + 0.9 (1 + cos(pi / 5)) / 2 */
	CHECK_NEAR(nn_lr_schedule_at(&s, 6), 0.1 + 0.45 * (1 + cos(M_PI * 0.2)), 1e-12);
	CHECK_NEAR(nn_lr_schedule_at(&s, 14), 0.1, 1e-12);
	CHECK_NEAR(nn_lr_schedule_at(&s, 1000), 0.1, 1e-12);
	for (int64_t k = 4; k < 14; k++)
		CHECK(nn_lr_schedule_at(&s, k + 1) < nn_lr_schedule_at(&s, k), "step %lld", (long long)k);

	nn_lr_schedule st = { .lr = 0.8, .warmup = 0, .decay = NN_LR_STEP, .step_size = 3,
	                      .gamma = 0.5 };
	const double want[8] = { 0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2 };
	for (int k = 0; k < 8; k++)
		CHECK_NEAR(nn_lr_schedule_at(&st, k), want[k], 1e-12);

	nn_lr_schedule c = { .lr = 0.3, .warmup = 2 };
	CHECK_NEAR(nn_lr_schedule_at(&c, 0), 0.15, 1e-12);
	CHECK_NEAR(nn_lr_schedule_at(&c, 1), 0.3, 1e-12);
	CHECK_NEAR(nn_lr_schedule_at(&c, 100), 0.3, 1e-12);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_adamw_first_step),
		TEST_CASE(test_adamw_three_steps),
		TEST_CASE(test_clip),
		TEST_CASE(test_schedule),
		{ 0 },
	};
	return test_main(cases);
}
