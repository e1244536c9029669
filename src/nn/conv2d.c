#include "nn/conv2d.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "nn/conv2d_direct.h"
#include "nn/gemm.h"
#include "nn/internal.h"

void nn_conv_add_params(nn_params *p, const char *name, const int64_t *wshape, int64_t bias,
                        float **w, float **dw, float **b, float **db, int *w_index)
{
	char view[NN_PARAM_NAME_MAX];
	int n = snprintf(view, sizeof(view), "%s.weight", name);
	BJ_ASSERT(n > 0 && (size_t)n < sizeof(view));
	*w_index = nn_params_add(p, view, 4, wshape, w, dw);
	if (bias) {
		n = snprintf(view, sizeof(view), "%s.bias", name);
		BJ_ASSERT(n > 0 && (size_t)n < sizeof(view));
		nn_params_add(p, view, 1, (int64_t[]){ bias }, b, db);
	}
}

void nn_conv2d_init(nn_conv2d *l, nn_params *p, const char *name, int in, int out, int kh,
                    int kw, int stride, int pad, int bias)
{
	BJ_ASSERT(in >= 1 && out >= 1 && kh >= 1 && kw >= 1 && stride >= 1 && pad >= 0);
	*l = (nn_conv2d){ .in = in, .out = out, .kh = kh, .kw = kw, .stride = stride, .pad = pad,
	                  .has_bias = !!bias };
	nn_conv_add_params(p, name, (int64_t[]){ out, in, kh, kw }, bias ? out : 0, &l->w, &l->dw,
	                   &l->b, &l->db, &l->w_index);
}

void nn_conv2d_init_weights(nn_conv2d *l, nn_params *p, bj_rng *rng)
{
	/* kaiming_uniform_(a = sqrt(5)): gain sqrt(2 / (1 + 5)), bound
	 * gain * sqrt(3 / fan_in) = 1 / sqrt(fan_in); the bias uses the same. */
	float bound = 1.0f / sqrtf((float)l->in * l->kh * l->kw);
	nn_params_fill_uniform(p, l->w_index, -bound, bound, rng);
	if (l->has_bias)
		nn_params_fill_uniform(p, l->w_index + 1, -bound, bound, rng);
}

nn_conv_geom nn_conv2d_geom(const nn_conv2d *l, int H, int W)
{
	nn_conv_geom g;
	nn_conv_geom_init(&g, l->in, H, W, l->kh, l->kw, l->stride, l->pad);
	return g;
}

/* Few output channels, stride 1: the direct path (nn/conv2d_direct.h). */
static int direct(const nn_conv2d *l)
{
	return l->out <= NN_CONV2D_DIRECT_MAX_OUT && l->stride == 1;
}

/*
 * The unrolled path works through the batch a few images at a time, so that
 * the unrolled chunk (in*kh*kw, chunk*OH*OW) stays near CHUNK_FLOATS floats: it
 * is read back from cache rather than memory, and the scratch does not grow
 * with the batch.  The chunks depend on the shape only, so the bytes do not
 * depend on the thread count; dW adds the chunks up in order.
 */
#define CHUNK_FLOATS ((size_t)4 << 20)

static size_t chunk_floats = CHUNK_FLOATS;

void nn_conv2d_set_chunk_floats(size_t n)
{
	chunk_floats = n ? n : CHUNK_FLOATS;
}

static int chunk_images(const nn_conv2d *l, const nn_conv_geom *g, int B)
{
	size_t per_image = (size_t)l->in * l->kh * l->kw * g->OH * g->OW;
	size_t n = chunk_floats / per_image;
	return n < 1 ? 1 : n > (size_t)B ? B : (int)n;
}

size_t nn_conv2d_work_floats(const nn_conv2d *l, int B, int H, int W)
{
	if (direct(l))
		return nn_conv2d_direct_work_floats(l, H, W);
	nn_conv_geom g = nn_conv2d_geom(l, H, W);
	size_t P = (size_t)chunk_images(l, &g, B) * g.OH * g.OW;
	return ((size_t)l->in * l->kh * l->kw + (size_t)l->out) * P;
}

/* work = col (CK, Pc), then ycol (OC, Pc), for chunks of Pc columns. */
void nn_conv2d_forward(const nn_conv2d *l, const float *x, int B, int H, int W, float *y,
                       float *work)
{
	if (direct(l)) {
		nn_conv2d_direct_forward(l, x, B, H, W, y, work);
		return;
	}
	BJ_ASSERT(B >= 1 && x && y && work);
	nn_conv_geom g = nn_conv2d_geom(l, H, W);
	int ohw = g.OH * g.OW, CK = l->in * l->kh * l->kw, chunk = chunk_images(l, &g, B);
	size_t in_image = (size_t)l->in * H * W, out_image = (size_t)l->out * ohw;
	float *col = work, *ycol = work + (size_t)CK * chunk * ohw;
	for (int b0 = 0; b0 < B; b0 += chunk) {
		int n = B - b0 < chunk ? B - b0 : chunk, P = n * ohw;
		nn_im2col(&g, x + b0 * in_image, n, col);
		/* ycol (OC, P) = W (OC, CK) . col (CK, P) */
		nn_gemm(0, 0, l->out, P, CK, 1.0f, l->w, CK, col, P, 0.0f, ycol, P);
		nn_cnhw_to_nchw(ycol, n, l->out, ohw, l->b, 0, y + b0 * out_image);
	}
}

void nn_conv2d_backward(nn_conv2d *l, const float *x, const float *dy, int B, int H, int W,
                        float *dx, float *work)
{
	if (direct(l)) {
		nn_conv2d_direct_backward(l, x, dy, B, H, W, dx, work);
		return;
	}
	BJ_ASSERT(B >= 1 && x && dy && work && l->dw);
	nn_conv_geom g = nn_conv2d_geom(l, H, W);
	int ohw = g.OH * g.OW, CK = l->in * l->kh * l->kw, chunk = chunk_images(l, &g, B);
	size_t in_image = (size_t)l->in * H * W, out_image = (size_t)l->out * ohw;
	float *col = work, *dycol = work + (size_t)CK * chunk * ohw;
	if (l->db)
		nn_bias_grad_nchw(dy, B, l->out, ohw, l->db);
	for (int b0 = 0; b0 < B; b0 += chunk) {
		int n = B - b0 < chunk ? B - b0 : chunk, P = n * ohw;
		nn_im2col(&g, x + b0 * in_image, n, col);
		nn_nchw_to_cnhw(dy + b0 * out_image, n, l->out, ohw, dycol);
		/* dW (OC, CK) += dycol (OC, P) . col^T (P, CK) */
		nn_gemm(0, 1, l->out, CK, P, 1.0f, dycol, P, col, P, 1.0f, l->dw, CK);
		if (!dx)
			continue;
		/* dcol (CK, P) = W^T (CK, OC) . dycol (OC, P), into col's place */
		nn_gemm(1, 0, CK, P, l->out, 1.0f, l->w, CK, dycol, P, 0.0f, col, P);
		nn_col2im(&g, col, n, dx + b0 * in_image);
	}
}
