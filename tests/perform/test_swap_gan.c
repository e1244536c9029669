/*
 * The PatchGAN discriminator and the adversarial training step: shapes, the
 * gradients of the discriminator's weights and input against central
 * differences, and its forward, backward and one whole training step
 * (generator and discriminators, Adam) against PyTorch 1.13.  The reference is
 * tests/perform/fixtures/swap_gan_torch.safetensors, written by
 *     /usr/bin/python3 tests/perform/fixtures/gen_swap_gan.py
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/safetensors.h"
#include "harness.h"
#include "torch_fixture.h"
#include "nn/gan_loss.h"
#include "nn/gradcheck.h"
#include "nn/parallel.h"
#include "perform/swap_gan.h"
#include "perform/swap_train.h"

#define FIXTURE "tests/perform/fixtures/swap_gan_torch.safetensors"
#define RTOL 2e-5

static bj_safetensors *st;

static void test_shapes(void)
{
	perform_swap_disc *d = perform_swap_disc_new(1, 64, 16, 0);
	CHECK(d != NULL);
	CHECK(d->H[4] == 8 && perform_swap_disc_patches(d) == 64, "patches %d", d->H[4]);
	CHECK(nn_params_find(&d->params, "disc_b.conv3.weight") >= 0);
	/* 3*16*16 + 16*32*16 + 32*64*16 + 64*9, and the first and last biases */
	CHECK(d->params.count == 768 + 16 + 8192 + 32768 + 576 + 1, "%zu", d->params.count);
	perform_swap_disc_free(d);
	CHECK(perform_swap_disc_new(0, 40, 16, 0) == NULL);
	CHECK(perform_swap_disc_new(0, 64, 0, 0) == NULL);
}

struct ctx {
	perform_swap_disc *d;
	const float *x;
	const float *r;   /* the loss is sum(out .* r) */
};

static double loss(void *p, double *scale)
{
	struct ctx *c = p;
	perform_swap_disc_forward(c->d, c->x);
	size_t n = (size_t)c->d->batch * perform_swap_disc_patches(c->d);
	double sum = 0, abs_sum = 0;
	for (size_t i = 0; i < n; i++) {
		sum += (double)c->d->out[i] * c->r[i];
		abs_sum += fabs((double)c->d->out[i] * c->r[i]);
	}
	*scale = abs_sum;
	return sum;
}

static void test_gradient(void)
{
	enum { B = 2, S = 32 };
	perform_swap_disc *d = perform_swap_disc_new(0, S, 3, NN_WITH_GRAD);
	CHECK(d != NULL && perform_swap_disc_batch(d, B) == 0);
	bj_rng rng;
	bj_rng_init(&rng, 11);
	perform_swap_disc_init_weights(d, &rng);
	size_t nx = (size_t)B * 3 * S * S, n = (size_t)B * perform_swap_disc_patches(d);
	float *x = bj_xmalloc(nx * sizeof(float)), *dx = bj_xmalloc(nx * sizeof(float));
	float *r = bj_xmalloc(n * sizeof(float));
	for (size_t i = 0; i < nx; i++)
		x[i] = bj_rng_uniform(&rng);
	for (size_t i = 0; i < n; i++)
		r[i] = 2.0f * bj_rng_uniform(&rng) - 1.0f;
	struct ctx c = { d, x, r };
	nn_params_zero_grad(&d->params);
	perform_swap_disc_forward(d, x);
	memcpy(d->dout, r, n * sizeof(float));
	perform_swap_disc_backward(d, x, dx);
	float *grad = bj_xmalloc(d->params.count * sizeof(float));
	memcpy(grad, d->params.block[NN_GRAD], d->params.count * sizeof(float));
	nn_gradcheck_stats sw = { 0 }, sx = { 0 };
	nn_gradcheck(loss, &c, d->params.block[NN_DATA], grad, d->params.count, 300, 1e-4, 2e-2, &rng, &sw);
	nn_gradcheck(loss, &c, x, dx, nx, 300, 1e-4, 2e-2, &rng, &sx);
	printf("    weights: %zu checked, %zu failed, worst %.2e; input: %zu checked, %zu failed, worst %.2e\n",
	       sw.checked, sw.failed, sw.worst, sx.checked, sx.failed, sx.worst);
	/* a LeakyReLU kink crossed by the step may fail a point */
	CHECK(sw.checked == 300 && sw.failed <= 1, "%zu failed", sw.failed);
	CHECK(sx.checked == 300 && sx.failed <= 1, "%zu failed", sx.failed);
	free(x);
	free(dx);
	free(r);
	free(grad);
	perform_swap_disc_free(d);
}

/* got against the fixture's tensor (torch_fixture.h). */
static void compare(const char *name, const float *got, size_t n, double floor)
{
	fixture_compare(st, name, got, n, RTOL, floor);
}

/* Every view of block b of p against "<prefix><name>"; returns the largest
 * relative error seen (for the report). */
static void compare_params(const nn_params *p, enum nn_block b, const char *prefix, double floor)
{
	for (int i = 0; i < p->n_views; i++) {
		char name[128];
		snprintf(name, sizeof(name), "%s%s", prefix, p->views[i].name);
		compare(name, p->block[b] + p->views[i].offset, p->views[i].count, floor);
	}
}

static int meta_int(const char *key)
{
	return fixture_meta_int(st, key);
}

static double meta_double(const char *key)
{
	return fixture_meta_double(st, key);
}

static perform_swap_disc *torch_disc(int which, int S, int B)
{
	perform_swap_disc *d = perform_swap_disc_new(which, S, meta_int("disc_width"), NN_WITH_GRAD | NN_WITH_ADAM);
	CHECK(d != NULL && perform_swap_disc_batch(d, B) == 0);
	CHECK(nn_params_read(&d->params, NN_DATA, "d.", st) == 0);
	return d;
}

static void test_torch_disc(void)
{
	if (!st)
		return;
	int S = meta_int("size"), B = meta_int("batch");
	float w = (float)meta_double("gan_weight");
	perform_swap_disc *d = torch_disc(0, S, B);
	size_t nx = (size_t)B * 3 * S * S, n = (size_t)B * perform_swap_disc_patches(d);
	float *fake = fixture_tensor(st, "dcase.fake", nx), *real = fixture_tensor(st, "a.target", nx);
	if (!fake || !real)
		goto out;
	perform_swap_disc_forward(d, fake);
	compare("dcase.out", d->out, n, 0);
	double ld, lg;
	perform_swap_gan_step(d, real, fake, w, &ld, &lg);
	float l[2] = { (float)ld, (float)lg };
	compare("dcase.ld", &l[0], 1, 0);
	compare("dcase.lg", &l[1], 1, 0);
	compare("dcase.dx", d->dx, nx, 0);
	compare_params(&d->params, NN_GRAD, "dcase.grad.", 0);
out:
	free(fake);
	free(real);
	perform_swap_disc_free(d);
}

static void read_batch(perform_batch *b, const char *side, int B, int S)
{
	perform_batch_init(b, B, S);
	size_t px = (size_t)B * S * S;
	struct {
		const char *name;
		float *dst;
		size_t n;
	} parts[] = { { "input", b->input, 3 * px }, { "target", b->target, 3 * px }, { "mask", b->mask, px },
	              { "weight", b->weight, px } };
	for (int i = 0; i < 4; i++) {
		char name[32];
		snprintf(name, sizeof(name), "%s.%s", side, parts[i].name);
		float *v = fixture_tensor(st, name, parts[i].n);
		if (v)
			memcpy(parts[i].dst, v, parts[i].n * sizeof(float));
		free(v);
	}
}

static void test_torch_step(int threads)
{
	if (!st)
		return;
	nn_set_threads(threads);
	int S = meta_int("size"), B = meta_int("batch");
	perform_swap_cfg cfg = { S, meta_int("enc"), meta_int("dense") };
	perform_swap_net *net = perform_swap_net_new(&cfg, NN_WITH_GRAD | NN_WITH_ADAM);
	CHECK(net != NULL && perform_swap_net_batch(net, B) == 0);
	CHECK(nn_params_read(&net->params, NN_DATA, "g.", st) == 0);
	net->disc[0] = torch_disc(0, S, B);
	net->disc[1] = torch_disc(1, S, B);
	perform_swap_state s = { .lr = meta_double("lr"), .gan_weight = meta_double("gan_weight"), .gan_after = 0,
	                         .batch = B };
	perform_batch batch[2];
	read_batch(&batch[0], "a", B, S);
	read_batch(&batch[1], "b", B, S);
	nn_adamw opt, opt_d[2];
	nn_adamw_init(&opt, 0.0);
	opt.beta1 = 0.5;
	for (int d = 0; d < 2; d++) {
		nn_adamw_init(&opt_d[d], 0.0);
		opt_d[d].beta1 = 0.5;
	}
	perform_swap_losses l[2];
	perform_swap_train_step(net, &s, batch, &opt, opt_d, l);
	float total[2] = { (float)l[0].total, (float)l[1].total };
	compare("step.loss_a", &total[0], 1, 0);
	compare("step.loss_b", &total[1], 1, 0);
	compare_params(&net->params, NN_GRAD, "step.grad.", 0);
	compare_params(&net->disc[0]->params, NN_GRAD, "step.grad.", 0);
	compare_params(&net->disc[1]->params, NN_GRAD, "step.grad.", 0);
	/* Adam's first step moves every weight by about lr, whatever the gradient;
	 * a gradient near 0 may flip its sign, so compare to a tenth of lr */
	double floor = 0.1 * s.lr;
	compare_params(&net->params, NN_DATA, "step.", floor);
	compare_params(&net->disc[0]->params, NN_DATA, "step.", floor);
	compare_params(&net->disc[1]->params, NN_DATA, "step.", floor);
	CHECK(s.steps == 1 && s.adam_step == 1 && s.disc_adam_step == 1);
	perform_batch_release(&batch[0]);
	perform_batch_release(&batch[1]);
	perform_swap_net_free(net);
}

static void test_torch_step_1(void)
{
	test_torch_step(1);
}

static void test_torch_step_2(void)
{
	test_torch_step(2);
}

static void test_open(void)
{
	st = fixture_open(FIXTURE, "tests/perform/fixtures/gen_swap_gan.py");
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_shapes),
		TEST_CASE(test_gradient),
		TEST_CASE(test_open),
		TEST_CASE(test_torch_disc),
		TEST_CASE(test_torch_step_1),
		TEST_CASE(test_torch_step_2),
		{ 0 },
	};
	int rc = test_main(cases);
	bj_safetensors_free(st);
	return rc;
}
