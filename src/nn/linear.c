#include "nn/linear.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "nn/gemm.h"

void nn_linear_init(nn_linear *l, nn_params *p, const char *name, int in, int out, int bias)
{
	BJ_ASSERT(in >= 1 && out >= 1);
	char view[NN_PARAM_NAME_MAX];
	memset(l, 0, sizeof(*l));
	l->in = in;
	l->out = out;
	l->has_bias = !!bias;
	int n = snprintf(view, sizeof(view), "%s.weight", name);
	BJ_ASSERT(n > 0 && (size_t)n < sizeof(view));
	l->w_index = nn_params_add(p, view, 2, (int64_t[]){ out, in }, &l->w, &l->dw);
	if (bias) {
		n = snprintf(view, sizeof(view), "%s.bias", name);
		BJ_ASSERT(n > 0 && (size_t)n < sizeof(view));
		nn_params_add(p, view, 1, (int64_t[]){ out }, &l->b, &l->db);
	}
}

void nn_linear_init_weights(nn_linear *l, nn_params *p, bj_rng *rng)
{
	float bound = 1.0f / sqrtf((float)l->in);
	nn_params_fill_uniform(p, l->w_index, -bound, bound, rng);
	if (l->has_bias)
		nn_params_fill_uniform(p, l->w_index + 1, -bound, bound, rng);
}

void nn_linear_forward(const nn_linear *l, const float *x, int N, float *y)
{
	size_t out = (size_t)l->out;
	float beta = 0.0f;
	if (l->b) {
		for (int n = 0; n < N; n++)
			memcpy(y + n * out, l->b, out * sizeof(float));
		beta = 1.0f;
	}
	nn_gemm(0, 1, N, l->out, l->in, 1.0f, x, l->in, l->w, l->in, beta, y, l->out);
}

void nn_linear_backward(nn_linear *l, const float *x, const float *dy, int N, float *dx)
{
	BJ_ASSERT(l->dw);
	/* dW (out, in) += dy^T (out, N) . x (N, in) */
	nn_gemm(1, 0, l->out, l->in, N, 1.0f, dy, l->out, x, l->in, 1.0f, l->dw, l->in);
	if (l->db) {
		size_t out = (size_t)l->out;
		for (int n = 0; n < N; n++)
			for (size_t j = 0; j < out; j++)
				l->db[j] += dy[n * out + j];
	}
	/* dx (N, in) += dy (N, out) . W (out, in) */
	if (dx)
		nn_gemm(0, 0, N, l->in, l->out, 1.0f, dy, l->out, l->w, l->in, 1.0f, dx, l->in);
}
