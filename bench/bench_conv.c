/*
 * bench_conv.c - the convolution layers of src/nn at the sizes of a 64x64
 * face-swap autoencoder, batch 16: forward + backward of each encoder
 * convolution (5x5, stride 2), each decoder upscale block (3x3 convolution then
 * pixel shuffle) and, for comparison, a transposed-convolution upsampler; each
 * against PyTorch 1.13 (bench/ref/conv_torch.py) in the same run, then images/s
 * of the whole encoder and decoder.  Ratio > 1 means we are faster.  Two
 * threads throughout.  `bench_conv --no-ref` times ours only (for perf).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/rng.h"
#include "bench.h"
#include "nn/conv2d.h"
#include "nn/conv_transpose2d.h"
#include "nn/parallel.h"
#include "nn/pixel_shuffle.h"

#define THREADS 2
#define BATCH 16
#define RUNS 5

enum kind { CONV, UPSCALE, CONVT };

/* For CONV and CONVT, out channels, kernel k, stride s, padding p; for UPSCALE
 * a 3x3 convolution to out*r*r channels then pixel shuffle by r. */
struct layer {
	const char *name;
	enum kind kind;
	int C, H, W, out, k, s, p, r;
	int dx;           /* whether the input needs a gradient */
	int decoder;      /* 0: encoder, 1: decoder, 2: neither */
};

static const struct layer layers[] = {
	{ "enc conv5 s2 3->128 64x64", CONV, 3, 64, 64, 128, 5, 2, 2, 0, 0, 0 },
	{ "enc conv5 s2 128->256 32x32", CONV, 128, 32, 32, 256, 5, 2, 2, 0, 1, 0 },
	{ "enc conv5 s2 256->512 16x16", CONV, 256, 16, 16, 512, 5, 2, 2, 0, 1, 0 },
	{ "enc conv5 s2 512->1024 8x8", CONV, 512, 8, 8, 1024, 5, 2, 2, 0, 1, 0 },
	{ "dec upscale 1024->512 4x4", UPSCALE, 1024, 4, 4, 512, 3, 1, 1, 2, 1, 1 },
	{ "dec upscale 512->256 8x8", UPSCALE, 512, 8, 8, 256, 3, 1, 1, 2, 1, 1 },
	{ "dec upscale 256->128 16x16", UPSCALE, 256, 16, 16, 128, 3, 1, 1, 2, 1, 1 },
	{ "dec upscale 128->64 32x32", UPSCALE, 128, 32, 32, 64, 3, 1, 1, 2, 1, 1 },
	{ "dec conv5 64->3 64x64", CONV, 64, 64, 64, 3, 5, 1, 2, 0, 1, 1 },
	{ "convT4 s2 512->256 8x8", CONVT, 512, 8, 8, 256, 4, 2, 1, 0, 1, 2 },
};
#define N_LAYERS (sizeof(layers) / sizeof(layers[0]))

/* One layer built with its buffers. */
struct rig {
	const struct layer *l;
	nn_params p;
	nn_conv2d conv;
	nn_conv_transpose2d convt;
	int oc, oh, ow;            /* output; for UPSCALE the conv's is (conv.out, H, W) */
	float *x, *dx;             /* (B, C, H, W) */
	float *y, *dy;             /* (B, oc, oh, ow) */
	float *mid, *dmid;         /* UPSCALE: the conv's output and its gradient */
	float *work;
};

static float *randoms(size_t n, bj_rng *rng)
{
	float *v = bj_xmalloc(n * sizeof(float));
	for (size_t i = 0; i < n; i++)
		v[i] = 2.0f * bj_rng_uniform(rng) - 1.0f;
	return v;
}

static void rig_init(struct rig *g, const struct layer *l)
{
	memset(g, 0, sizeof(*g));
	g->l = l;
	nn_params_init(&g->p);
	if (l->kind == CONVT)
		nn_conv_transpose2d_init(&g->convt, &g->p, "t", l->C, l->out, l->k, l->k, l->s, l->p, 0, 1);
	else
		nn_conv2d_init(&g->conv, &g->p, "c", l->C, l->kind == UPSCALE ? l->out * l->r * l->r : l->out,
		               l->k, l->k, l->s, l->p, 1);
	if (nn_params_alloc(&g->p, NN_WITH_GRAD) < 0) {
		fprintf(stderr, "bench_conv: out of memory\n");
		exit(1);
	}
	bj_rng rng;
	bj_rng_init(&rng, 1);
	size_t work, mid = 0;
	if (l->kind == CONVT) {
		nn_conv_transpose2d_init_weights(&g->convt, &g->p, &rng);
		g->oc = l->out;
		g->oh = nn_conv_transpose2d_out_size(&g->convt, l->H, 0);
		g->ow = nn_conv_transpose2d_out_size(&g->convt, l->W, 1);
		work = nn_conv_transpose2d_work_floats(&g->convt, BATCH, l->H, l->W);
	} else {
		nn_conv2d_init_weights(&g->conv, &g->p, &rng);
		nn_conv_geom geom = nn_conv2d_geom(&g->conv, l->H, l->W);
		g->oc = l->out, g->oh = geom.OH, g->ow = geom.OW;
		if (l->kind == UPSCALE) {
			mid = (size_t)BATCH * g->conv.out * geom.OH * geom.OW;
			g->oh *= l->r, g->ow *= l->r;
		}
		work = nn_conv2d_work_floats(&g->conv, BATCH, l->H, l->W);
	}
	size_t nx = (size_t)BATCH * l->C * l->H * l->W, ny = (size_t)BATCH * g->oc * g->oh * g->ow;
	g->x = randoms(nx, &rng);
	g->dy = randoms(ny, &rng);
	g->dx = bj_xcalloc(nx, sizeof(float));
	g->y = bj_xmalloc(ny * sizeof(float));
	g->work = bj_xmalloc(work * sizeof(float));
	if (mid) {
		g->mid = bj_xmalloc(mid * sizeof(float));
		g->dmid = bj_xmalloc(mid * sizeof(float));
	}
}

static void rig_release(struct rig *g)
{
	nn_params_release(&g->p);
	free(g->x), free(g->dx), free(g->y), free(g->dy), free(g->mid), free(g->dmid);
	free(g->work);
}

static void forward(struct rig *g)
{
	const struct layer *l = g->l;
	if (l->kind == CONVT) {
		nn_conv_transpose2d_forward(&g->convt, g->x, BATCH, l->H, l->W, g->y, g->work);
	} else if (l->kind == CONV) {
		nn_conv2d_forward(&g->conv, g->x, BATCH, l->H, l->W, g->y, g->work);
	} else {
		nn_conv2d_forward(&g->conv, g->x, BATCH, l->H, l->W, g->mid, g->work);
		nn_pixel_shuffle_forward(g->mid, BATCH, l->out, l->H, l->W, l->r, g->y);
	}
}

/* One training step of the layer: zero the gradients, forward, backward. */
static void step(void *ctx)
{
	struct rig *g = ctx;
	const struct layer *l = g->l;
	float *dx = l->dx ? g->dx : NULL;
	nn_params_zero_grad(&g->p);
	if (dx)
		memset(dx, 0, (size_t)BATCH * l->C * l->H * l->W * sizeof(float));
	forward(g);
	if (l->kind == CONVT) {
		nn_conv_transpose2d_backward(&g->convt, g->x, g->dy, BATCH, l->H, l->W, dx, g->work);
	} else if (l->kind == CONV) {
		nn_conv2d_backward(&g->conv, g->x, g->dy, BATCH, l->H, l->W, dx, g->work);
	} else {
		memset(g->dmid, 0, (size_t)BATCH * g->conv.out * l->H * l->W * sizeof(float));
		nn_pixel_shuffle_backward(g->dy, BATCH, l->out, l->H, l->W, l->r, g->dmid);
		nn_conv2d_backward(&g->conv, g->x, g->dmid, BATCH, l->H, l->W, dx, g->work);
	}
}

/* Checked before timed: 200 random outputs of the convolution (for UPSCALE,
 * of the conv before the shuffle) against direct sums in double. */
static int check(struct rig *g)
{
	const struct layer *l = g->l;
	if (l->kind == CONVT)
		return 0;   /* the same im2col and GEMM, checked by the conv layers */
	forward(g);
	const nn_conv2d *c = &g->conv;
	nn_conv_geom geom = nn_conv2d_geom(c, l->H, l->W);
	const float *y = l->kind == UPSCALE ? g->mid : g->y;
	bj_rng rng;
	bj_rng_init(&rng, 2);
	for (int t = 0; t < 200; t++) {
		int b = (int)bj_rng_below(&rng, BATCH), o = (int)bj_rng_below(&rng, (uint64_t)c->out);
		int oh = (int)bj_rng_below(&rng, (uint64_t)geom.OH), ow = (int)bj_rng_below(&rng, (uint64_t)geom.OW);
		double s = c->b[o], scale = fabs(c->b[o]);
		for (int ci = 0; ci < l->C; ci++)
			for (int kh = 0; kh < c->kh; kh++)
				for (int kw = 0; kw < c->kw; kw++) {
					int ih = oh * c->stride - c->pad + kh, iw = ow * c->stride - c->pad + kw;
					if (ih < 0 || ih >= l->H || iw < 0 || iw >= l->W)
						continue;
					double v = (double)g->x[(((size_t)b * l->C + ci) * l->H + ih) * l->W + iw] *
					           c->w[(((size_t)o * l->C + ci) * c->kh + kh) * c->kw + kw];
					s += v, scale += fabs(v);
				}
		float got = y[(((size_t)b * c->out + o) * geom.OH + oh) * geom.OW + ow];
		if (fabs(got - s) > 1e-5 * scale + 1e-6) {
			fprintf(stderr, "bench_conv: %s: output (%d, %d, %d, %d) is %g, direct sum %g\n",
			        l->name, b, o, oh, ow, got, s);
			return -1;
		}
	}
	return 0;
}

static double reference(const struct layer *l)
{
	char args[256];
	if (l->kind == UPSCALE)
		snprintf(args, sizeof(args), "upscale %d %d %d %d %d %d %d %d", BATCH, l->C, l->H, l->W,
		         l->out, l->r, l->dx, RUNS);
	else
		snprintf(args, sizeof(args), "%s %d %d %d %d %d %d %d %d %d %d",
		         l->kind == CONV ? "conv" : "convt", BATCH, l->C, l->H, l->W, l->out, l->k, l->s,
		         l->p, l->dx, RUNS);
	return bench_reference("conv_torch.py", args);
}

static void report_total(const char *what, double ours, double ref)
{
	if (ref > 0)
		printf("%-48s ours %8.1f img/s  torch %8.1f img/s  ratio %.2f  threads=%d\n", what,
		       BATCH * 1e3 / ours, BATCH * 1e3 / ref, ref / ours, THREADS);
	else
		printf("%-48s ours %8.1f img/s  torch: not installed  threads=%d\n", what,
		       BATCH * 1e3 / ours, THREADS);
}

int main(int argc, char **argv)
{
	int no_ref = argc > 1 && !strcmp(argv[1], "--no-ref");
	if (nn_set_threads(THREADS) < 0) {
		fprintf(stderr, "bench_conv: cannot start %d threads\n", THREADS);
		return 1;
	}
	double ours[2] = { 0 }, ref[2] = { 0 };
	int have_ref = 1;
	printf("fwd+bwd, batch %d (ms per step)\n", BATCH);
	for (size_t i = 0; i < N_LAYERS; i++) {
		const struct layer *l = &layers[i];
		struct rig g;
		rig_init(&g, l);
		if (check(&g) < 0)
			return 1;
		double ms = bench_median_ms(step, &g, RUNS);
		rig_release(&g);
		double r = no_ref ? -1 : reference(l);
		bench_report(l->name, "torch", ms, r);
		if (l->decoder < 2) {
			ours[l->decoder] += ms;
			ref[l->decoder] += r;
			have_ref &= r > 0;
		}
	}
	report_total("encoder (4 convs) fwd+bwd", ours[0], have_ref ? ref[0] : -1);
	report_total("decoder (4 upscales + conv) fwd+bwd", ours[1], have_ref ? ref[1] : -1);
	report_total("encoder + decoder fwd+bwd", ours[0] + ours[1],
	             have_ref ? ref[0] + ref[1] : -1);
	return 0;
}
