#include "nn/loss.h"

#include <math.h>
#include <stddef.h>

#include "base/error.h"

static int counted(const int32_t *targets, int N, int V)
{
	int n = 0;
	for (int i = 0; i < N; i++) {
		BJ_ASSERT(targets[i] < V);
		n += targets[i] >= 0;
	}
	return n;
}

double nn_xent_forward(const float *logits, const int32_t *targets, int N, int V, float *probs)
{
	BJ_ASSERT(N >= 0 && V >= 1);
	int n = counted(targets, N, V);
	double total = 0.0;
	for (int i = 0; i < N; i++) {
		const float *x = logits + (size_t)i * V;
		float *p = probs + (size_t)i * V;
		int t = targets[i];
		double xt = t >= 0 ? x[t] : 0.0;   /* before p, which may be x, is written */
		float max = x[0];
		for (int j = 1; j < V; j++)
			if (x[j] > max)
				max = x[j];
		/* log sum_j exp(x_j) = max + log sum_j exp(x_j - max): every term <= 1,
		 * and the sum >= 1, so neither overflows nor loses the log. */
		double sum = 0.0;
		for (int j = 0; j < V; j++) {
			double e = exp((double)x[j] - max);
			p[j] = (float)e;
			sum += e;
		}
		double inv = 1.0 / sum;
		for (int j = 0; j < V; j++)
			p[j] = (float)(p[j] * inv);
		if (t >= 0)
			total += log(sum) + max - xt;
	}
	return n ? total / n : 0.0;
}

void nn_xent_backward(const float *probs, const int32_t *targets, int N, int V, float *dlogits)
{
	int n = counted(targets, N, V);
	if (!n)
		return;
	float scale = (float)(1.0 / n);
	for (int i = 0; i < N; i++) {
		int t = targets[i];
		if (t < 0)
			continue;
		const float *p = probs + (size_t)i * V;
		float *d = dlogits + (size_t)i * V;
		for (int j = 0; j < V; j++)
			d[j] += (p[j] - (j == t)) * scale;
	}
}
