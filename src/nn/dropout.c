#include "nn/dropout.h"

#include "base/error.h"

void nn_dropout_mask(float *mask, size_t n, float p, bj_rng *rng)
{
	BJ_ASSERT(p >= 0.0f && p < 1.0f);
	float keep = 1.0f / (1.0f - p);
	for (size_t i = 0; i < n; i++)
		mask[i] = bj_rng_uniform(rng) < p ? 0.0f : keep;
}

void nn_dropout_forward(const float *x, const float *mask, float *y, size_t n)
{
	for (size_t i = 0; i < n; i++)
		y[i] = x[i] * mask[i];
}

void nn_dropout_backward(const float *dy, const float *mask, float *dx, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dx[i] += dy[i] * mask[i];
}
