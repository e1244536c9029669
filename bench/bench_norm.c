/*
 * bench_norm.c - forward + backward of the image layers a face-swap
 * autoencoder and its discriminator train with: instance norm (affine),
 * LeakyReLU(0.2), the SSIM loss, and the three chained (x -> instance norm ->
 * LeakyReLU -> 1 - SSIM against a target), on 16 x 3 x 64 x 64 (an image
 * batch) and 16 x 128 x 32 x 32 (a hidden layer), each against PyTorch 1.13
 * (bench/ref/norm.py, pytorch-ssim's SSIM) in the same run.  Before timing, the
 * chain's loss is compared with PyTorch's on the same closed-form inputs.
 * Ratio > 1 means we are faster.  Two threads throughout.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "bench.h"
#include "nn/activation.h"
#include "nn/norm.h"
#include "nn/params.h"
#include "nn/parallel.h"
#include "nn/ssim.h"

#define SLOPE 0.2f

struct run {
	int N, C, H, W;
	size_t n;
	nn_params p;
	nn_instnorm in;
	float *x, *target, *dy;   /* (N, C, H, W) inputs */
	float *y, *dx, *dh;       /* (N, C, H, W) outputs and gradients */
	float *stats;             /* (N, C, NN_NORM_STATS) */
	float *cache;             /* the SSIM loss's */
	double loss;
};

static void run_in(void *arg)
{
	struct run *r = arg;
	int HW = r->H * r->W;
	nn_params_zero_grad(&r->p);
	memset(r->dx, 0, r->n * sizeof(float));
	nn_instnorm_forward(&r->in, r->x, r->N, HW, r->y, r->stats);
	nn_instnorm_backward(&r->in, r->x, r->dy, r->N, HW, r->stats, r->dx);
}

static void run_lrelu(void *arg)
{
	struct run *r = arg;
	nn_leaky_relu_forward(r->x, r->n, SLOPE, r->y);
	nn_leaky_relu_backward(r->y, r->dy, r->n, SLOPE, r->dx);
}

static void run_ssim(void *arg)
{
	struct run *r = arg;
	memset(r->dx, 0, r->n * sizeof(float));
	r->loss = nn_ssim_loss_forward(r->x, r->target, r->N * r->C, r->H, r->W, r->cache);
	nn_ssim_loss_backward(r->x, r->target, r->N * r->C, r->H, r->W, 1.0f, r->cache, r->dx);
}

/* The chain, with the activation in place: y holds the norm's output, then
 * the activation's; dh the loss's gradient, then (in place) the norm's input
 * gradient's upstream. */
static void run_chain(void *arg)
{
	struct run *r = arg;
	int HW = r->H * r->W, P = r->N * r->C;
	nn_params_zero_grad(&r->p);
	memset(r->dx, 0, r->n * sizeof(float));
	memset(r->dh, 0, r->n * sizeof(float));
	nn_instnorm_forward(&r->in, r->x, r->N, HW, r->y, r->stats);
	nn_leaky_relu_forward(r->y, r->n, SLOPE, r->y);
	r->loss = nn_ssim_loss_forward(r->y, r->target, P, r->H, r->W, r->cache);
	nn_ssim_loss_backward(r->y, r->target, P, r->H, r->W, 1.0f, r->cache, r->dh);
	nn_leaky_relu_backward(r->y, r->dh, r->n, SLOPE, r->dh);
	nn_instnorm_backward(&r->in, r->x, r->dh, r->N, HW, r->stats, r->dx);
}

static void setup(struct run *r, int N, int C, int H, int W)
{
	memset(r, 0, sizeof(*r));
	r->N = N, r->C = C, r->H = H, r->W = W;
	r->n = (size_t)N * C * H * W;
	nn_params_init(&r->p);
	nn_instnorm_init(&r->in, &r->p, "in", C, 1);
	if (nn_params_alloc(&r->p, NN_WITH_GRAD) < 0) {
		fprintf(stderr, "bench_norm: out of memory\n");
		exit(1);
	}
	nn_instnorm_init_weights(&r->in);
	float **bufs[] = { &r->x, &r->target, &r->dy, &r->y, &r->dx, &r->dh };
	for (size_t b = 0; b < sizeof(bufs) / sizeof(bufs[0]); b++)
		*bufs[b] = bj_xmalloc(r->n * sizeof(float));
	r->stats = bj_xmalloc((size_t)N * C * NN_NORM_STATS * sizeof(float));
	r->cache = bj_xmalloc(nn_ssim_cache_size(N * C, H, W) * sizeof(float));
	/* The closed forms of bench/ref/norm.py. */
	for (size_t i = 0; i < r->n; i++) {
		double t = (double)i;
		r->x[i] = (float)(2.0 * sin(0.37 * t) + cos(0.011 * t));
		r->target[i] = (float)(0.5 + 0.4 * sin(0.05 * t + 1.0));
		r->dy[i] = (float)cos(0.7 * t);
	}
}

static void release(struct run *r)
{
	nn_params_release(&r->p);
	free(r->x), free(r->target), free(r->dy), free(r->y), free(r->dx), free(r->dh);
	free(r->stats), free(r->cache);
}

int main(void)
{
	static const int shapes[][4] = { { 16, 3, 64, 64 }, { 16, 128, 32, 32 } };
	static const struct { const char *name, *arg; void (*fn)(void *); } ops[] = {
		{ "instance norm", "in", run_in },
		{ "leaky relu", "lrelu", run_lrelu },
		{ "ssim loss", "ssim", run_ssim },
		{ "in+lrelu+ssim", "chain", run_chain },
	};
	nn_set_threads(2);
	int status = 0;
	for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		const int *sh = shapes[s];
		struct run r;
		setup(&r, sh[0], sh[1], sh[2], sh[3]);
		char args[64];
		for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
			snprintf(args, sizeof(args), "%s %d %d %d %d", ops[o].arg, sh[0], sh[1], sh[2], sh[3]);
			double check = NAN;
			double ref = bench_reference_check("norm.py", args, &check);
			if (o == 3) {
				run_chain(&r);
				if (ref > 0 && !(fabs(r.loss - check) <= 1e-5 * fabs(check))) {
					fprintf(stderr, "bench_norm: chain loss %.9g, torch %.9g\n", r.loss, check);
					status = 1;
				}
				printf("chain loss %dx%dx%dx%d: ours %.7f torch %.7f\n", sh[0], sh[1], sh[2],
				       sh[3], r.loss, check);
			}
			double ms = bench_median_ms(ops[o].fn, &r, 7);
			char what[96];
			snprintf(what, sizeof(what), "%s fwd+bwd %dx%dx%dx%d", ops[o].name, sh[0], sh[1],
			         sh[2], sh[3]);
			bench_report(what, "torch", ms, ref);
		}
		release(&r);
	}
	return status;
}
