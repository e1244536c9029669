#include "nn/conv_transpose2d.h"

#include <math.h>

#include "base/error.h"
#include "nn/gemm.h"
#include "nn/internal.h"

void nn_conv_transpose2d_init(nn_conv_transpose2d *l, nn_params *p, const char *name, int in,
                              int out, int kh, int kw, int stride, int pad, int output_pad,
                              int bias)
{
	BJ_ASSERT(in >= 1 && out >= 1 && kh >= 1 && kw >= 1 && stride >= 1 && pad >= 0);
	BJ_ASSERT(output_pad >= 0 && output_pad < stride);
	*l = (nn_conv_transpose2d){ .in = in, .out = out, .kh = kh, .kw = kw, .stride = stride,
	                            .pad = pad, .output_pad = output_pad, .has_bias = !!bias };
	nn_conv_add_params(p, name, (int64_t[]){ in, out, kh, kw }, bias ? out : 0, &l->w, &l->dw,
	                   &l->b, &l->db, &l->w_index);
}

void nn_conv_transpose2d_init_weights(nn_conv_transpose2d *l, nn_params *p, bj_rng *rng)
{
	/* PyTorch's fan-in is dimension 1 of the weight times the kernel. */
	float bound = 1.0f / sqrtf((float)l->out * l->kh * l->kw);
	nn_params_fill_uniform(p, l->w_index, -bound, bound, rng);
	if (l->has_bias)
		nn_params_fill_uniform(p, l->w_index + 1, -bound, bound, rng);
}

int nn_conv_transpose2d_out_size(const nn_conv_transpose2d *l, int in, int axis)
{
	BJ_ASSERT(in >= 1 && (axis == 0 || axis == 1));
	int out = (in - 1) * l->stride - 2 * l->pad + (axis ? l->kw : l->kh) + l->output_pad;
	BJ_ASSERT(out >= 1);
	return out;
}

/* The convolution this layer is the adjoint of: from the output (out, OH, OW)
 * back to the input's H x W. */
static nn_conv_geom geom(const nn_conv_transpose2d *l, int H, int W)
{
	nn_conv_geom g;
	nn_conv_geom_init(&g, l->out, nn_conv_transpose2d_out_size(l, H, 0),
	                  nn_conv_transpose2d_out_size(l, W, 1), l->kh, l->kw, l->stride, l->pad);
	BJ_ASSERT(g.OH == H && g.OW == W);
	return g;
}

size_t nn_conv_transpose2d_work_floats(const nn_conv_transpose2d *l, int B, int H, int W)
{
	size_t P = (size_t)B * H * W;
	return ((size_t)l->out * l->kh * l->kw + (size_t)l->in) * P;
}

/* work = col (out*kh*kw, P), then xcol (in, P), where P = B*H*W. */
void nn_conv_transpose2d_forward(const nn_conv_transpose2d *l, const float *x, int B, int H,
                                 int W, float *y, float *work)
{
	BJ_ASSERT(B >= 1 && x && y && work);
	nn_conv_geom g = geom(l, H, W);
	int P = B * H * W, OKK = l->out * l->kh * l->kw;
	float *col = work, *xcol = work + (size_t)OKK * P;
	nn_nchw_to_cnhw(x, B, l->in, H * W, xcol);
	/* col (OKK, P) = W^T (OKK, in) . xcol (in, P) */
	nn_gemm(1, 0, OKK, P, l->in, 1.0f, l->w, OKK, xcol, P, 0.0f, col, P);
	/* y = bias, then every tap added where it lands. */
	size_t ohw = (size_t)g.H * g.W;
	for (int b = 0; b < B; b++)
		for (int c = 0; c < l->out; c++) {
			float v = l->b ? l->b[c] : 0.0f, *d = y + ((size_t)b * l->out + c) * ohw;
			for (size_t i = 0; i < ohw; i++)
				d[i] = v;
		}
	nn_col2im(&g, col, B, y);
}

void nn_conv_transpose2d_backward(nn_conv_transpose2d *l, const float *x, const float *dy, int B,
                                  int H, int W, float *dx, float *work)
{
	BJ_ASSERT(B >= 1 && x && dy && work && l->dw);
	nn_conv_geom g = geom(l, H, W);
	int P = B * H * W, OKK = l->out * l->kh * l->kw;
	float *col = work, *xcol = work + (size_t)OKK * P;
	nn_im2col(&g, dy, B, col);
	nn_nchw_to_cnhw(x, B, l->in, H * W, xcol);
	/* dW (in, OKK) += xcol (in, P) . col^T (P, OKK) */
	nn_gemm(0, 1, l->in, OKK, P, 1.0f, xcol, P, col, P, 1.0f, l->dw, OKK);
	if (l->db)
		nn_bias_grad_nchw(dy, B, l->out, g.H * g.W, l->db);
	if (!dx)
		return;
	/* dxcol (in, P) = W (in, OKK) . col (OKK, P), into xcol's place */
	nn_gemm(0, 0, l->in, P, OKK, 1.0f, l->w, OKK, col, P, 0.0f, xcol, P);
	nn_cnhw_to_nchw(xcol, B, l->in, H * W, NULL, 1, dx);
}
