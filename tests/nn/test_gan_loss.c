#include "nn/gan_loss.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_grad.h"

enum { N = 40 };

struct ctx {
	enum nn_gan_loss kind;
	float target;
	float x[N], grad[N];
};

static double loss(void *p, double *scale)
{
	struct ctx *c = p;
	double l = nn_gan_loss_forward(c->kind, c->x, N, c->target);
	*scale = fabs(l);
	return l;
}

/* -t log s - (1 - t) log(1 - s), s = sigmoid(x), plainly in double. */
static double bce(double x, double t)
{
	double s = 1.0 / (1.0 + exp(-x));
	return -t * log(s) - (1.0 - t) * log(1.0 - s);
}

static void test_gradients(void)
{
	static const float targets[] = { 1.0f, 0.0f, 0.9f };
	bj_rng rng;
	bj_rng_init(&rng, 41);
	for (int kind = NN_GAN_BCE; kind <= NN_GAN_LSGAN; kind++)
		for (int t = 0; t < 3; t++) {
			struct ctx c;
			memset(&c, 0, sizeof(c));
			c.kind = kind;
			c.target = targets[t];
			fill(c.x, N, -5.0f, 5.0f, &rng);
			double want = 0.0;
			for (int i = 0; i < N; i++)
				want += kind == NN_GAN_BCE ? bce(c.x[i], c.target)
				                           : pow((double)c.x[i] - c.target, 2.0);
			CHECK_NEAR(nn_gan_loss_forward(c.kind, c.x, N, c.target), want / N, 1e-9);
			nn_gan_loss_backward(c.kind, c.x, N, c.target, 1.0f, c.grad);
			char name[32];
			snprintf(name, sizeof(name), "%s target %.1f", kind == NN_GAN_BCE ? "bce" : "lsgan",
			         c.target);
			size_t total = 0;
			check_grad(name, loss, &c, c.x, c.grad, N, 1e-3, &total);
			float g0 = c.grad[3];
			nn_gan_loss_backward(c.kind, c.x, N, c.target, -2.0f, c.grad);
			CHECK_NEAR(c.grad[3], -g0, 1e-7);
		}
}

/* Logits far beyond where exp overflows give finite losses and gradients. */
static void test_large_logits(void)
{
	float x[4] = { 1000.0f, -1000.0f, 88.8f, -88.8f }, g[4] = { 0 };
	double l = nn_gan_loss_forward(NN_GAN_BCE, x, 4, 1.0f);
	CHECK_NEAR(l, (0.0 + 1000.0 + 0.0 + 88.8) / 4, 1e-4);
	nn_gan_loss_backward(NN_GAN_BCE, x, 4, 1.0f, 4.0f, g);
	CHECK(g[0] == 0.0f && g[1] == -1.0f && isfinite(g[2]) && isfinite(g[3]));
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_gradients),
		TEST_CASE(test_large_logits),
		{ 0 },
	};
	return test_main(cases);
}
