/*
 * The convolution layers of src/nn (conv2d, conv_transpose2d, pixel_shuffle,
 * and im2col under them): forward against naive direct loops, every gradient
 * against central differences, accumulation, the same bytes on 1 and 2
 * threads, and PyTorch's initialisation bounds.  test_conv_torch.c compares
 * them with PyTorch itself.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "nn/conv2d.h"
#include "nn/conv2d_direct.h"
#include "nn/conv_transpose2d.h"
#include "nn/gradcheck.h"
#include "nn/internal.h"
#include "nn/parallel.h"
#include "nn/pixel_shuffle.h"
#include "harness.h"

enum kind { CONV, CONVT, SHUFFLE };

/* A layer under test.  For SHUFFLE, out is the output channels, kh the factor r
 * and C = out * r * r. */
struct spec {
	const char *name;
	enum kind kind;
	int B, C, H, W, out, kh, kw, stride, pad, opad, bias;
};

/* A spec built, with its input, output, upstream gradient R and scratch. */
struct rig {
	const struct spec *s;
	nn_params p;
	nn_conv2d conv;
	nn_conv_transpose2d convt;
	int oh, ow;
	size_t nx, ny;
	float *x, *dx;      /* (B, C, H, W) */
	float *y, *R;       /* (B, out, oh, ow) */
	float *work;
};

static float uniform(bj_rng *rng)
{
	return 2.0f * bj_rng_uniform(rng) - 1.0f;
}

static void rig_init(struct rig *r, const struct spec *s, uint64_t seed)
{
	memset(r, 0, sizeof(*r));
	r->s = s;
	nn_params_init(&r->p);
	size_t work = 0;
	if (s->kind == CONV)
		nn_conv2d_init(&r->conv, &r->p, "conv", s->C, s->out, s->kh, s->kw, s->stride, s->pad,
		               s->bias);
	else if (s->kind == CONVT)
		nn_conv_transpose2d_init(&r->convt, &r->p, "convt", s->C, s->out, s->kh, s->kw,
		                         s->stride, s->pad, s->opad, s->bias);
	CHECK(nn_params_alloc(&r->p, NN_WITH_GRAD) == 0);
	bj_rng rng;
	bj_rng_init(&rng, seed);
	if (s->kind == CONV) {
		nn_conv2d_init_weights(&r->conv, &r->p, &rng);
		nn_conv_geom g = nn_conv2d_geom(&r->conv, s->H, s->W);
		r->oh = g.OH, r->ow = g.OW;
		work = nn_conv2d_work_floats(&r->conv, s->B, s->H, s->W);
	} else if (s->kind == CONVT) {
		nn_conv_transpose2d_init_weights(&r->convt, &r->p, &rng);
		r->oh = nn_conv_transpose2d_out_size(&r->convt, s->H, 0);
		r->ow = nn_conv_transpose2d_out_size(&r->convt, s->W, 1);
		work = nn_conv_transpose2d_work_floats(&r->convt, s->B, s->H, s->W);
	} else {
		r->oh = s->H * s->kh, r->ow = s->W * s->kh;
	}
	r->nx = (size_t)s->B * s->C * s->H * s->W;
	r->ny = (size_t)s->B * s->out * r->oh * r->ow;
	r->x = bj_xmalloc(r->nx * sizeof(float));
	r->dx = bj_xcalloc(r->nx, sizeof(float));
	r->y = bj_xmalloc(r->ny * sizeof(float));
	r->R = bj_xmalloc(r->ny * sizeof(float));
	r->work = bj_xmalloc((work ? work : 1) * sizeof(float));
	for (size_t i = 0; i < r->nx; i++)
		r->x[i] = uniform(&rng);
	for (size_t i = 0; i < r->ny; i++)
		r->R[i] = uniform(&rng);
	/* Biases start at PyTorch's small uniform values; make them bigger so a
	 * wrong broadcast shows. */
	if (r->conv.b)
		for (int i = 0; i < s->out; i++)
			r->conv.b[i] = uniform(&rng);
	if (r->convt.b)
		for (int i = 0; i < s->out; i++)
			r->convt.b[i] = uniform(&rng);
}

static void rig_release(struct rig *r)
{
	nn_params_release(&r->p);
	free(r->x), free(r->dx), free(r->y), free(r->R), free(r->work);
}

static void rig_forward(struct rig *r)
{
	const struct spec *s = r->s;
	if (s->kind == CONV)
		nn_conv2d_forward(&r->conv, r->x, s->B, s->H, s->W, r->y, r->work);
	else if (s->kind == CONVT)
		nn_conv_transpose2d_forward(&r->convt, r->x, s->B, s->H, s->W, r->y, r->work);
	else
		nn_pixel_shuffle_forward(r->x, s->B, s->out, s->H, s->W, s->kh, r->y);
}

/* Backward of sum(y .* R), adding to the gradients and dx. */
static void rig_backward(struct rig *r)
{
	const struct spec *s = r->s;
	if (s->kind == CONV)
		nn_conv2d_backward(&r->conv, r->x, r->R, s->B, s->H, s->W, r->dx, r->work);
	else if (s->kind == CONVT)
		nn_conv_transpose2d_backward(&r->convt, r->x, r->R, s->B, s->H, s->W, r->dx, r->work);
	else
		nn_pixel_shuffle_backward(r->R, s->B, s->out, s->H, s->W, s->kh, r->dx);
}

/* y by direct loops, each sum in double: the definitions PyTorch documents
 * for Conv2d (a correlation) and ConvTranspose2d (each input pixel scatters
 * its kernel-weighted copy), and PixelShuffle's index formula. */
static void naive_forward(const struct rig *r, double *y)
{
	const struct spec *s = r->s;
	int B = s->B, C = s->C, H = s->H, W = s->W, OC = s->out, OH = r->oh, OW = r->ow;
	const float *bias = s->kind == CONV ? r->conv.b : r->convt.b;
	for (int b = 0; b < B; b++)
		for (int o = 0; o < OC; o++)
			for (int i = 0; i < OH * OW; i++)
				y[((size_t)b * OC + o) * OH * OW + i] = s->kind != SHUFFLE && bias ? bias[o] : 0.0;
	for (int b = 0; b < B; b++)
		for (int c = 0; c < C; c++)
			for (int h = 0; h < H; h++)
				for (int w = 0; w < W; w++) {
					double xv = r->x[(((size_t)b * C + c) * H + h) * W + w];
					if (s->kind == SHUFFLE) {
						int rr = s->kh, o = c / (rr * rr), i = c % (rr * rr) / rr, j = c % rr;
						y[(((size_t)b * OC + o) * OH + h * rr + i) * OW + w * rr + j] = xv;
						continue;
					}
					for (int o = 0; o < OC; o++)
						for (int kh = 0; kh < s->kh; kh++)
							for (int kw = 0; kw < s->kw; kw++) {
								int oh, ow;
								double wv;
								if (s->kind == CONV) {
									/* x[h][w] feeds y[oh][ow] when oh*stride - pad + kh = h. */
									int th = h + s->pad - kh, tw = w + s->pad - kw;
									if (th < 0 || tw < 0 || th % s->stride || tw % s->stride)
										continue;
									oh = th / s->stride, ow = tw / s->stride;
									wv = r->conv.w[(((size_t)o * C + c) * s->kh + kh) * s->kw + kw];
								} else {
									oh = h * s->stride - s->pad + kh;
									ow = w * s->stride - s->pad + kw;
									wv = r->convt.w[(((size_t)c * OC + o) * s->kh + kh) * s->kw + kw];
								}
								if (oh < 0 || oh >= OH || ow < 0 || ow >= OW)
									continue;
								y[(((size_t)b * OC + o) * OH + oh) * OW + ow] += xv * wv;
							}
				}
}

/* Small shapes: odd sizes, strides, padding, non-square kernels, no bias;
 * convolutions of at most NN_CONV2D_DIRECT_MAX_OUT (8) outputs take the direct
 * path, the wider ones the unrolled one. */
static const struct spec small[] = {
	{ "conv 3x3 s1 p1 wide", CONV, 2, 3, 5, 6, 10, 3, 3, 1, 1, 0, 1 },
	{ "conv 5x5 s2 p2 wide", CONV, 2, 2, 7, 6, 9, 5, 5, 2, 2, 0, 1 },
	{ "conv 2x3 s2 p0 nobias wide", CONV, 1, 2, 6, 7, 12, 2, 3, 2, 0, 0, 0 },
	{ "conv 2x3 s1 p2 nobias wide", CONV, 2, 3, 4, 5, 9, 2, 3, 1, 2, 0, 0 },
	{ "conv 5x5 s1 p2 direct", CONV, 2, 3, 6, 7, 4, 5, 5, 1, 2, 0, 1 },
	{ "conv 1x3 s1 p0 direct", CONV, 1, 2, 3, 6, 3, 1, 3, 1, 0, 0, 0 },
	{ "conv 3x3 s1 p1", CONV, 2, 3, 5, 6, 4, 3, 3, 1, 1, 0, 1 },
	{ "conv 5x5 s2 p2", CONV, 2, 2, 7, 6, 3, 5, 5, 2, 2, 0, 1 },
	{ "conv 2x3 s2 p0 nobias", CONV, 1, 2, 6, 7, 2, 2, 3, 2, 0, 0, 0 },
	{ "conv 1x1", CONV, 2, 3, 3, 2, 2, 1, 1, 1, 0, 0, 1 },
	{ "conv 3x3 s3 p2", CONV, 1, 2, 5, 5, 2, 3, 3, 3, 2, 0, 1 },
	{ "convt 4x4 s2 p1", CONVT, 2, 3, 3, 4, 2, 4, 4, 2, 1, 0, 1 },
	{ "convt 3x3 s2 p1 op1", CONVT, 1, 2, 3, 3, 3, 3, 3, 2, 1, 1, 1 },
	{ "convt 2x3 s3 p0 op2 nobias", CONVT, 2, 2, 2, 3, 2, 2, 3, 3, 0, 2, 0 },
	{ "convt 3x3 s1 p1", CONVT, 1, 3, 4, 3, 2, 3, 3, 1, 1, 0, 1 },
	{ "pixel shuffle r2", SHUFFLE, 2, 8, 3, 2, 2, 2, 0, 0, 0, 0, 0 },
	{ "pixel shuffle r3", SHUFFLE, 1, 9, 2, 2, 1, 3, 0, 0, 0, 0, 0 },
};
#define N_SMALL (sizeof(small) / sizeof(small[0]))

static void test_out_size(void)
{
	CHECK(nn_conv_out_size(64, 5, 2, 2) == 32);
	CHECK(nn_conv_out_size(7, 3, 1, 1) == 7);
	CHECK(nn_conv_out_size(8, 3, 2, 0) == 3);
	CHECK(nn_conv_out_size(2, 5, 1, 1) == 0);
	CHECK(nn_conv_out_size(1, 1, 4, 0) == 1);
	nn_params p;
	nn_params_init(&p);
	nn_conv_transpose2d t;
	nn_conv_transpose2d_init(&t, &p, "t", 4, 2, 3, 4, 2, 1, 1, 0);
	CHECK(nn_conv_transpose2d_out_size(&t, 5, 0) == 10);   /* (5-1)*2 - 2 + 3 + 1 */
	CHECK(nn_conv_transpose2d_out_size(&t, 5, 1) == 11);
	CHECK(nn_params_find(&p, "t.weight") == 0 && nn_params_find(&p, "t.bias") == -1);
	CHECK(p.views[0].shape[0] == 4 && p.views[0].shape[1] == 2 && p.views[0].shape[2] == 3);
	nn_params_release(&p);
}

static void test_forward_matches_naive(void)
{
	for (size_t k = 0; k < N_SMALL; k++) {
		struct rig r;
		rig_init(&r, &small[k], 10 + k);
		rig_forward(&r);
		double *want = bj_xmalloc(r.ny * sizeof(double));
		naive_forward(&r, want);
		double worst = 0.0;
		for (size_t i = 0; i < r.ny; i++)
			worst = fmax(worst, fabs(r.y[i] - want[i]));
		printf("    %-28s y (%d, %d, %d, %d)  max abs error %.2e\n", small[k].name, small[k].B,
		       small[k].out, r.oh, r.ow, worst);
		CHECK(worst < 1e-5, "%s: forward differs from the naive loops by %g", small[k].name,
		      worst);
		free(want);
		rig_release(&r);
	}
}

/* The direct path against the unrolled one on the same wide layers of stride
 * 1 (which nn_conv2d sends to the unrolled path): y, dw, db and dx. */
static void test_direct_matches_unrolled(void)
{
	for (size_t k = 0; k < N_SMALL; k++) {
		const struct spec *s = &small[k];
		if (s->kind != CONV || s->out <= NN_CONV2D_DIRECT_MAX_OUT || s->stride != 1)
			continue;
		struct rig r;
		rig_init(&r, s, 90 + k);
		nn_params_zero_grad(&r.p);
		rig_forward(&r);
		rig_backward(&r);
		size_t ng = r.p.count;
		float *want = bj_xmalloc((r.ny + ng + r.nx) * sizeof(float));
		memcpy(want, r.y, r.ny * sizeof(float));
		memcpy(want + r.ny, r.p.block[NN_GRAD], ng * sizeof(float));
		memcpy(want + r.ny + ng, r.dx, r.nx * sizeof(float));
		nn_params_zero_grad(&r.p);
		memset(r.dx, 0, r.nx * sizeof(float));
		float *work = bj_xmalloc(nn_conv2d_direct_work_floats(&r.conv, s->H, s->W) * sizeof(float));
		nn_conv2d_direct_forward(&r.conv, r.x, s->B, s->H, s->W, r.y, work);
		nn_conv2d_direct_backward(&r.conv, r.x, r.R, s->B, s->H, s->W, r.dx, work);
		free(work);
		CHECK_CLOSE("y", r.y, want, r.ny, 1e-5, 1e-5);
		CHECK_CLOSE("weight and bias gradients", r.p.block[NN_GRAD], want + r.ny, ng, 1e-5, 1e-5);
		CHECK_CLOSE("dx", r.dx, want + r.ny + ng, r.nx, 1e-5, 1e-5);
		printf("    %-28s direct = unrolled (%zu floats)\n", s->name, r.ny + ng + r.nx);
		free(want);
		rig_release(&r);
	}
}

/* The unrolled path one image at a time (chunks of the batch, dW summed over
 * them) against the whole batch at once. */
static void test_chunks_match_whole_batch(void)
{
	for (size_t k = 0; k < N_SMALL; k++) {
		const struct spec *s = &small[k];
		if (s->kind != CONV || s->out <= NN_CONV2D_DIRECT_MAX_OUT || s->B < 2)
			continue;
		struct rig r;
		rig_init(&r, s, 110 + k);
		size_t ng = r.p.count, n = r.ny + ng + r.nx;
		float *got[2];
		for (int one = 0; one < 2; one++) {
			nn_conv2d_set_chunk_floats(one ? 1 : 0);
			nn_params_zero_grad(&r.p);
			memset(r.dx, 0, r.nx * sizeof(float));
			rig_forward(&r);
			rig_backward(&r);
			got[one] = bj_xmalloc(n * sizeof(float));
			memcpy(got[one], r.y, r.ny * sizeof(float));
			memcpy(got[one] + r.ny, r.p.block[NN_GRAD], ng * sizeof(float));
			memcpy(got[one] + r.ny + ng, r.dx, r.nx * sizeof(float));
		}
		nn_conv2d_set_chunk_floats(0);
		CHECK_CLOSE(s->name, got[1], got[0], n, 1e-5, 1e-5);
		printf("    %-28s %d chunks = 1 chunk (%zu floats)\n", s->name, s->B, n);
		free(got[0]), free(got[1]);
		rig_release(&r);
	}
}

static double loss(void *ctx, double *scale)
{
	struct rig *r = ctx;
	rig_forward(r);
	double s = 0.0;
	*scale = 0.0;
	for (size_t i = 0; i < r->ny; i++) {
		s += (double)r->y[i] * r->R[i];
		*scale += fabs((double)r->y[i] * r->R[i]);
	}
	return s;
}

static void gradcheck(struct rig *r, const char *what, float *x, const float *g, size_t n,
                      size_t *total)
{
	nn_gradcheck_stats st = { 0 };
	nn_gradcheck(loss, r, x, g, n, 0, 1e-2, 1e-2, NULL, &st);
	printf("    %-28s %-6s %4zu points (%zu noise-limited), worst asymmetry %.2e\n", r->s->name,
	       what, st.checked, st.noise_limited, st.worst);
	CHECK(st.checked == n && st.failed == 0, "%s %s: %zu of %zu failed (worst %g: %g vs %g)",
	      r->s->name, what, st.failed, st.checked, st.worst, st.worst_analytic,
	      st.worst_numeric);
	*total += st.checked;
}

static void test_gradients(void)
{
	size_t total = 0;
	for (size_t k = 0; k < N_SMALL; k++) {
		struct rig r;
		rig_init(&r, &small[k], 30 + k);
		rig_forward(&r);
		if (r.p.n_views)
			nn_params_zero_grad(&r.p);
		rig_backward(&r);
		for (int i = 0; i < r.p.n_views; i++) {
			nn_tensor w = nn_params_view(&r.p, NN_DATA, i);
			nn_tensor g = nn_params_view(&r.p, NN_GRAD, i);
			gradcheck(&r, strchr(r.p.views[i].name, '.') + 1, w.data, g.data,
			          (size_t)nn_tensor_count(&w), &total);
		}
		gradcheck(&r, "x", r.x, r.dx, r.nx, &total);
		rig_release(&r);
	}
	printf("    %zu points checked in all\n", total);
}

/* Backward adds to the gradients and dx, and dx may be NULL. */
static void test_backward_accumulates(void)
{
	for (size_t k = 0; k < N_SMALL; k++) {
		const struct spec *s = &small[k];
		struct rig r;
		rig_init(&r, s, 50 + k);
		rig_forward(&r);
		if (r.p.n_views)
			nn_params_zero_grad(&r.p);
		rig_backward(&r);
		size_t ng = r.p.count;
		float *g1 = bj_xmalloc((ng + 1) * sizeof(float)), *d1 = bj_xmalloc(r.nx * sizeof(float));
		if (ng)
			memcpy(g1, r.p.block[NN_GRAD], ng * sizeof(float));
		memcpy(d1, r.dx, r.nx * sizeof(float));
		rig_backward(&r);
		for (size_t i = 0; i < ng; i++)
			CHECK_NEAR(r.p.block[NN_GRAD][i], 2.0 * g1[i], 1e-5 * (1 + fabs(g1[i])));
		for (size_t i = 0; i < r.nx; i++)
			CHECK_NEAR(r.dx[i], 2.0 * d1[i], 1e-5 * (1 + fabs(d1[i])));
		if (s->kind == CONV)
			nn_conv2d_backward(&r.conv, r.x, r.R, s->B, s->H, s->W, NULL, r.work);
		else if (s->kind == CONVT)
			nn_conv_transpose2d_backward(&r.convt, r.x, r.R, s->B, s->H, s->W, NULL, r.work);
		for (size_t i = 0; i < ng; i++)
			CHECK_NEAR(r.p.block[NN_GRAD][i], 3.0 * g1[i], 1e-5 * (1 + fabs(g1[i])));
		free(g1), free(d1);
		rig_release(&r);
	}
}

/* Shapes large enough that every product of nn_gemm (at least 2 x 28*512*512
 * multiply-adds) and the unrolling split over threads. */
static const struct spec large[] = {
	{ "conv 5x5 s2 p2", CONV, 8, 32, 16, 16, 64, 5, 5, 2, 2, 0, 1 },
	{ "conv 3x3 s1 p1", CONV, 4, 32, 16, 16, 64, 3, 3, 1, 1, 0, 1 },
	{ "convt 4x4 s2 p1", CONVT, 8, 64, 8, 8, 32, 4, 4, 2, 1, 0, 1 },
	{ "conv 5x5 s1 p2 direct", CONV, 3, 16, 16, 16, 3, 5, 5, 1, 2, 0, 1 },
	{ "pixel shuffle r2", SHUFFLE, 4, 64, 8, 8, 16, 2, 0, 0, 0, 0, 0 },
};

/* y, every gradient and dx after one forward and backward on n threads, into
 * out (ny + count + nx floats). */
static void run_on(int threads, const struct spec *s, float *out)
{
	CHECK(nn_set_threads(threads) == 0);
	struct rig r;
	rig_init(&r, s, 70);
	rig_forward(&r);
	if (r.p.n_views)
		nn_params_zero_grad(&r.p);
	rig_backward(&r);
	memcpy(out, r.y, r.ny * sizeof(float));
	if (r.p.count)
		memcpy(out + r.ny, r.p.block[NN_GRAD], r.p.count * sizeof(float));
	memcpy(out + r.ny + r.p.count, r.dx, r.nx * sizeof(float));
	rig_release(&r);
}

static void test_same_bytes_on_1_and_2_threads(void)
{
	for (size_t k = 0; k < sizeof(large) / sizeof(large[0]); k++) {
		struct rig r;
		rig_init(&r, &large[k], 70);
		size_t n = r.ny + r.p.count + r.nx;
		rig_release(&r);
		float *one = bj_xmalloc(n * sizeof(float)), *two = bj_xmalloc(n * sizeof(float));
		/* In chunks of one image too, for the unrolled path. */
		nn_conv2d_set_chunk_floats(k % 2);
		run_on(1, &large[k], one);
		run_on(2, &large[k], two);
		nn_conv2d_set_chunk_floats(0);
		int same = !memcmp(one, two, n * sizeof(float));
		CHECK(same, "%s: 1 and 2 threads differ", large[k].name);
		printf("    %-28s %zu floats %s\n", large[k].name, n, same ? "identical" : "differ");
		free(one), free(two);
	}
	nn_set_threads(1);
}

/* Uniform in +-1/sqrt(fan_in): the bound is reached nearly, never passed, and
 * the variance is about bound^2 / 3. */
static void check_init(const char *what, const float *w, size_t n, float bound)
{
	double s = 0.0, s2 = 0.0, big = 0.0;
	for (size_t i = 0; i < n; i++) {
		s += w[i], s2 += (double)w[i] * w[i];
		big = fmax(big, fabs(w[i]));
	}
	double mean = s / n, var = s2 / n - mean * mean, want = (double)bound * bound / 3.0;
	printf("    %-10s %zu draws, max |w| %.4f of bound %.4f, variance %.3e (uniform %.3e)\n",
	       what, n, big, bound, var, want);
	CHECK(big <= bound && big > 0.99 * bound);
	CHECK(fabs(mean) < 0.02 * bound && fabs(var / want - 1.0) < 0.05);
}

static void test_init_like_pytorch(void)
{
	nn_params p;
	nn_params_init(&p);
	nn_conv2d c;
	nn_conv_transpose2d t;
	nn_conv2d_init(&c, &p, "c", 16, 64, 5, 5, 2, 2, 1);
	nn_conv_transpose2d_init(&t, &p, "t", 64, 32, 4, 4, 2, 1, 0, 1);
	CHECK(nn_params_alloc(&p, 0) == 0);
	bj_rng rng;
	bj_rng_init(&rng, 5);
	nn_conv2d_init_weights(&c, &p, &rng);
	nn_conv_transpose2d_init_weights(&t, &p, &rng);
	check_init("conv", c.w, 64 * 16 * 25, 1.0f / sqrtf(16 * 25));
	check_init("convt", t.w, 64 * 32 * 16, 1.0f / sqrtf(32 * 16));
	for (int i = 0; i < 64; i++)
		CHECK(fabsf(c.b[i]) <= 1.0f / sqrtf(16 * 25));
	for (int i = 0; i < 32; i++)
		CHECK(fabsf(t.b[i]) <= 1.0f / sqrtf(32 * 16));
	nn_params_release(&p);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_out_size),
		TEST_CASE(test_forward_matches_naive),
		TEST_CASE(test_direct_matches_unrolled),
		TEST_CASE(test_chunks_match_whole_batch),
		TEST_CASE(test_gradients),
		TEST_CASE(test_backward_accumulates),
		TEST_CASE(test_same_bytes_on_1_and_2_threads),
		TEST_CASE(test_init_like_pytorch),
		{ 0 },
	};
	return test_main(cases);
}
