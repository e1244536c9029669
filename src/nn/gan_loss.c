#include "nn/gan_loss.h"

#include <math.h>

#include "base/error.h"

double nn_gan_loss_forward(enum nn_gan_loss kind, const float *x, size_t n, float target)
{
	BJ_ASSERT(n > 0);
	double s = 0.0;
	switch (kind) {
	case NN_GAN_BCE:
		/* -t log sigmoid(x) - (1 - t) log(1 - sigmoid(x)), rewritten with
		 * log(1 + exp(-|x|)) <= log 2 as its only transcendental term. */
		for (size_t i = 0; i < n; i++) {
			double v = x[i];
			s += (v > 0.0 ? v : 0.0) - v * target + log1p(exp(-fabs(v)));
		}
		break;
	case NN_GAN_LSGAN:
		for (size_t i = 0; i < n; i++) {
			double d = (double)x[i] - target;
			s += d * d;
		}
		break;
	default:
		BJ_ASSERT(!"unknown GAN loss");
	}
	return s / (double)n;
}

void nn_gan_loss_backward(enum nn_gan_loss kind, const float *x, size_t n, float target,
                          float scale, float *dx)
{
	BJ_ASSERT(n > 0);
	switch (kind) {
	case NN_GAN_BCE: {
		float k = (float)(scale / (double)n);
		for (size_t i = 0; i < n; i++) {
			/* sigmoid without overflow: exp of a non-positive number. */
			float e = expf(-fabsf(x[i]));
			float sig = x[i] >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
			dx[i] += k * (sig - target);
		}
		break;
	}
	case NN_GAN_LSGAN: {
		float k = (float)(2.0 * scale / (double)n);
		for (size_t i = 0; i < n; i++)
			dx[i] += k * (x[i] - target);
		break;
	}
	default:
		BJ_ASSERT(!"unknown GAN loss");
	}
}
