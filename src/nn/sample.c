#include "nn/sample.h"

#include <math.h>
#include <stdlib.h>

#include "base/error.h"

static int32_t argmax(const float *x, int V)
{
	int32_t best = 0;
	for (int i = 1; i < V; i++)
		if (x[i] > x[best])
			best = i;
	return best;
}

/* Most likely first; equal probabilities by increasing id, so the order is
 * total and qsort's instability cannot show. */
static int by_probability(const void *a, const void *b)
{
	const nn_sample_item *x = a, *y = b;
	if (x->p != y->p)
		return x->p > y->p ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

int32_t nn_sample(const float *logits, int V, const nn_sample_opts *o, nn_sample_item *scratch,
                  bj_rng *rng)
{
	BJ_ASSERT(V >= 1);
	for (int i = 0; i < V; i++)
		BJ_ASSERT(isfinite(logits[i]));
	if (!(o->temperature > 0.0f))
		return argmax(logits, V);
	double inv_t = 1.0 / o->temperature;
	double max = logits[argmax(logits, V)];
	double total = 0.0;
	for (int i = 0; i < V; i++) {
		/* exp of at most 0: in (0, 1], and 1 at the argmax. */
		double e = exp(((double)logits[i] - max) * inv_t);
		scratch[i].p = (float)e;
		scratch[i].id = i;
		total += scratch[i].p;
	}
	int kept = V;
	int by_k = o->top_k > 0 && o->top_k < V;
	int by_p = o->top_p > 0.0f && o->top_p < 1.0f;
	if (by_k || by_p) {
		qsort(scratch, (size_t)V, sizeof(*scratch), by_probability);
		if (by_k)
			kept = o->top_k;
		double mass = 0.0;
		for (int i = 0; i < kept; i++)
			mass += scratch[i].p;
		if (by_p) {
			/* The nucleus of the full distribution, within the top k. */
			double cum = 0.0, want = o->top_p * total;
			int n = 0;
			while (n < kept && cum < want)
				cum += scratch[n++].p;
			kept = n > 0 ? n : 1;
			mass = cum > 0.0 ? cum : scratch[0].p;
		}
		total = mass;
	}
	double u = bj_rng_double(rng) * total, cum = 0.0;
	for (int i = 0; i < kept; i++) {
		cum += scratch[i].p;
		if (u < cum)
			return scratch[i].id;
	}
	return scratch[kept - 1].id;   /* u within rounding of the total */
}
