#include "nn/embedding.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"

void nn_embedding_init(nn_embedding *e, nn_params *p, const char *name, int vocab, int dim)
{
	BJ_ASSERT(vocab >= 1 && dim >= 1);
	char view[NN_PARAM_NAME_MAX];
	int n = snprintf(view, sizeof(view), "%s.weight", name);
	BJ_ASSERT(n > 0 && (size_t)n < sizeof(view));
	memset(e, 0, sizeof(*e));
	e->vocab = vocab;
	e->dim = dim;
	e->w_index = nn_params_add(p, view, 2, (int64_t[]){ vocab, dim }, &e->w, &e->dw);
}

void nn_embedding_init_weights(nn_embedding *e, nn_params *p, bj_rng *rng)
{
	nn_params_fill_normal(p, e->w_index, 0.0f, 1.0f, rng);
}

void nn_embedding_forward(const nn_embedding *e, const int32_t *ids, int N, float *out)
{
	size_t D = (size_t)e->dim;
	for (int n = 0; n < N; n++) {
		BJ_ASSERT(ids[n] >= 0 && ids[n] < e->vocab);
		memcpy(out + n * D, e->w + ids[n] * D, D * sizeof(float));
	}
}

void nn_embedding_backward(nn_embedding *e, const int32_t *ids, int N, const float *dout)
{
	BJ_ASSERT(e->dw);
	size_t D = (size_t)e->dim;
	for (int n = 0; n < N; n++) {
		BJ_ASSERT(ids[n] >= 0 && ids[n] < e->vocab);
		float *row = e->dw + ids[n] * D;
		const float *d = dout + n * D;
		for (size_t j = 0; j < D; j++)
			row[j] += d[j];
	}
}
