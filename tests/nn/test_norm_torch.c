/*
 * The norms, activations, losses and GAN-style Adam of src/nn against PyTorch
 * 1.13.  The reference is tests/nn/fixtures/norm_torch.safetensors, written by
 *
 *     /usr/bin/python3 tests/nn/fixtures/gen_norm.py
 *
 * (see the script for what the file holds).  Every tensor must match to 1e-5
 * of its largest value.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/safetensors.h"
#include "nn/activation.h"
#include "nn/gan_loss.h"
#include "nn/norm.h"
#include "nn/optim.h"
#include "nn/params.h"
#include "nn/pixel_loss.h"
#include "nn/ssim.h"
#include "harness.h"
#include "torch_fixture.h"

#define FIXTURE "tests/nn/fixtures/norm_torch.safetensors"
#define RTOL 1e-5

static bj_safetensors *st;

/* got against the fixture's tensor (torch_fixture.h). */
static void compare(const char *name, const float *got, size_t n)
{
	fixture_compare(st, name, got, n, RTOL, 0.0);
}

static void compare_scalar(const char *name, double got)
{
	float g = (float)got;
	compare(name, &g, 1);
}

static double meta_double(const char *key)
{
	return fixture_meta_double(st, key);
}

static int meta_int(const char *key)
{
	return fixture_meta_int(st, key);
}

/* A norm's case: forward and backward of sum(y .* dy) in one mode. */
static void norm_case(const char *prefix, nn_instnorm *in, nn_batchnorm *bn, int training,
                      nn_params *p, const float *x, const float *dy, int N, int C, int HW)
{
	size_t n = (size_t)N * C * HW;
	float *y = bj_xmalloc(n * sizeof(float)), *dx = bj_xcalloc(n, sizeof(float));
	float *stats = bj_xmalloc((size_t)N * C * NN_NORM_STATS * sizeof(float));
	char name[64];
	nn_params_zero_grad(p);
	if (in) {
		nn_instnorm_forward(in, x, N, HW, y, stats);
		nn_instnorm_backward(in, x, dy, N, HW, stats, dx);
	} else {
		nn_batchnorm_forward(bn, x, N, HW, training, y, stats);
		nn_batchnorm_backward(bn, x, dy, N, HW, training, stats, dx);
	}
	snprintf(name, sizeof(name), "%s.y", prefix);
	compare(name, y, n);
	snprintf(name, sizeof(name), "grad.%s.x", prefix);
	compare(name, dx, n);
	snprintf(name, sizeof(name), "grad.%s.weight", prefix);
	compare(name, in ? in->dw : bn->dw, (size_t)C);
	snprintf(name, sizeof(name), "grad.%s.bias", prefix);
	compare(name, in ? in->db : bn->db, (size_t)C);
	free(y), free(dx), free(stats);
}

static void test_norms(void)
{
	int N = meta_int("n"), C = meta_int("c"), HW = meta_int("h") * meta_int("w");
	size_t n = (size_t)N * C * HW;
	float *x = fixture_tensor(st, "in.x", n), *dy = fixture_tensor(st, "in.dy", n);
	nn_params p, buffers;
	nn_params_init(&p);
	nn_params_init(&buffers);
	nn_instnorm in;
	nn_batchnorm bn;
	nn_instnorm_init(&in, &p, "in", C, 1);
	nn_batchnorm_init(&bn, &p, &buffers, "bn", C);
	if (!x || !dy || nn_params_alloc(&p, NN_WITH_GRAD) < 0 || nn_params_alloc(&buffers, 0) < 0)
		goto out;
	/* The weights by their PyTorch names, straight from the fixture. */
	CHECK(nn_params_read(&p, NN_DATA, "", st) == 0, "%s", bj_error_message());
	float *rm = fixture_tensor(st, "bn.running_mean0", (size_t)C);
	float *rv = fixture_tensor(st, "bn.running_var0", (size_t)C);
	if (rm && rv) {
		memcpy(bn.running_mean, rm, (size_t)C * sizeof(float));
		memcpy(bn.running_var, rv, (size_t)C * sizeof(float));
	}
	free(rm), free(rv);
	norm_case("in", &in, NULL, 1, &p, x, dy, N, C, HW);
	norm_case("bn", NULL, &bn, 1, &p, x, dy, N, C, HW);
	compare("bn.running_mean", bn.running_mean, (size_t)C);
	compare("bn.running_var", bn.running_var, (size_t)C);
	norm_case("bn_eval", NULL, &bn, 0, &p, x, dy, N, C, HW);
out:
	free(x), free(dy);
	nn_params_release(&p);
	nn_params_release(&buffers);
}

static void test_activations(void)
{
	enum { A = 50 };
	static const char *const names[] = { "relu", "leaky_relu", "sigmoid", "tanh" };
	float *x = fixture_tensor(st, "act.x", A), *dy = fixture_tensor(st, "act.dy", A);
	float slope = (float)meta_double("slope");
	if (!x || !dy)
		goto out;
	for (int k = 0; k < 4; k++) {
		float y[A], dx[A];
		char name[64];
		switch (k) {
		case 0: nn_relu_forward(x, A, y); nn_relu_backward(y, dy, A, dx); break;
		case 1:
			nn_leaky_relu_forward(x, A, slope, y);
			nn_leaky_relu_backward(y, dy, A, slope, dx);
			break;
		case 2: nn_sigmoid_forward(x, A, y); nn_sigmoid_backward(y, dy, A, dx); break;
		case 3: nn_tanh_forward(x, A, y); nn_tanh_backward(y, dy, A, dx); break;
		}
		snprintf(name, sizeof(name), "act.%s.y", names[k]);
		compare(name, y, A);
		snprintf(name, sizeof(name), "grad.act.%s.x", names[k]);
		compare(name, dx, A);
	}
out:
	free(x), free(dy);
}

static void test_losses(void)
{
	int N = meta_int("loss_n"), C = meta_int("loss_c"), H = meta_int("loss_h");
	int W = meta_int("loss_w");
	size_t n = (size_t)N * C * H * W;
	float *pred = fixture_tensor(st, "loss.pred", n), *target = fixture_tensor(st, "loss.target", n);
	float *weight = fixture_tensor(st, "loss.weight", (size_t)N * H * W);
	float *grad = bj_xmalloc(n * sizeof(float));
	float *cache = bj_xmalloc(nn_ssim_cache_size(N * C, H, W) * sizeof(float));
	if (!pred || !target || !weight)
		goto out;
	static const char *const names[] = { "l1", "weighted_l1", "mse", "ssim", "mean", "tv" };
	for (int k = 0; k < 6; k++) {
		double l = 0.0;
		memset(grad, 0, n * sizeof(float));
		switch (k) {
		case 0:
			l = nn_l1_forward(pred, target, n);
			nn_l1_backward(pred, target, n, 1.0f, grad);
			break;
		case 1:
			l = nn_weighted_l1_forward(pred, target, weight, N, C, H * W);
			nn_weighted_l1_backward(pred, target, weight, N, C, H * W, 1.0f, grad);
			break;
		case 2:
			l = nn_mse_forward(pred, target, n);
			nn_mse_backward(pred, target, n, 1.0f, grad);
			break;
		case 3:
			l = nn_ssim_loss_forward(pred, target, N * C, H, W, cache);
			nn_ssim_loss_backward(pred, target, N * C, H, W, 1.0f, cache, grad);
			break;
		case 4:
			l = nn_mean_forward(pred, n);
			nn_mean_backward(n, 1.0f, grad);
			break;
		case 5:
			l = nn_tv_forward(pred, N * C, H, W);
			nn_tv_backward(pred, N * C, H, W, 1.0f, grad);
			break;
		}
		char name[64];
		snprintf(name, sizeof(name), "loss.%s", names[k]);
		compare_scalar(name, l);
		snprintf(name, sizeof(name), "grad.loss.%s", names[k]);
		compare(name, grad, n);
	}
out:
	free(pred), free(target), free(weight), free(grad), free(cache);
}

static void test_gan_losses(void)
{
	size_t n = (size_t)meta_int("n") * 36;
	float *x = fixture_tensor(st, "gan.x", n), *grad = bj_xmalloc(n * sizeof(float));
	if (!x)
		goto out;
	for (int kind = NN_GAN_BCE; kind <= NN_GAN_LSGAN; kind++)
		for (int label = 1; label >= 0; label--) {
			char name[64];
			const char *k = kind == NN_GAN_BCE ? "bce" : "lsgan";
			memset(grad, 0, n * sizeof(float));
			double l = nn_gan_loss_forward(kind, x, n, (float)label);
			nn_gan_loss_backward(kind, x, n, (float)label, 1.0f, grad);
			snprintf(name, sizeof(name), "gan.%s.%d", k, label);
			compare_scalar(name, l);
			snprintf(name, sizeof(name), "grad.gan.%s.%d", k, label);
			compare(name, grad, n);
		}
out:
	free(x), free(grad);
}

/* One model of the GAN test: an arena with one view and its own optimiser. */
struct model {
	nn_params p;
	nn_adamw opt;
	float *w, *g;
};

static int model_init(struct model *m, const char *init, size_t n)
{
	nn_params_init(&m->p);
	nn_params_add(&m->p, "w", 1, (int64_t[]){ (int64_t)n }, &m->w, &m->g);
	if (nn_params_alloc(&m->p, NN_WITH_GRAD | NN_WITH_ADAM) < 0)
		return -1;
	float *w0 = fixture_tensor(st, init, n);
	if (!w0)
		return -1;
	memcpy(m->w, w0, n * sizeof(float));
	free(w0);
	/* torch.optim.Adam with betas (0.5, 0.999) and no weight decay, where
	 * AdamW and Adam are the same. */
	nn_adamw_init(&m->opt, 0.0);
	m->opt.beta1 = 0.5;
	return 0;
}

static void test_gan_adam(void)
{
	size_t n = (size_t)meta_int("adam_n");
	double lr = meta_double("adam_lr");
	struct model g, d;
	memset(&g, 0, sizeof(g));
	memset(&d, 0, sizeof(d));
	float *gg = fixture_tensor(st, "adam.gg", 3 * n), *dg = fixture_tensor(st, "adam.dg", 2 * n);
	if (!gg || !dg || model_init(&g, "adam.g0", n) < 0 || model_init(&d, "adam.d0", n) < 0)
		goto out;
	/* D, G, D, G, G, as the script. */
	static const char order[] = "dgdgg";
	int steps[2] = { 0, 0 };
	for (const char *o = order; *o; o++) {
		struct model *m = *o == 'g' ? &g : &d;
		const float *grads = *o == 'g' ? gg : dg;
		int *s = &steps[*o == 'g'];
		memcpy(m->g, grads + (size_t)*s * n, n * sizeof(float));
		nn_adamw_step(&m->opt, &m->p, lr);
		(*s)++;
	}
	CHECK(g.opt.step == 3 && d.opt.step == 2);
	compare("adam.g", g.w, n);
	compare("adam.d", d.w, n);
out:
	free(gg), free(dg);
	nn_params_release(&g.p);
	nn_params_release(&d.p);
}

static void test_open(void)
{
	st = fixture_open(FIXTURE, "tests/nn/fixtures/gen_norm.py");
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_open),
		TEST_CASE(test_norms),
		TEST_CASE(test_activations),
		TEST_CASE(test_losses),
		TEST_CASE(test_gan_losses),
		TEST_CASE(test_gan_adam),
		{ 0 },
	};
	int rc = test_main(cases);
	bj_safetensors_free(st);
	return rc;
}
