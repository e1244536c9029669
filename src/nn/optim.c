#include "nn/optim.h"

#include <math.h>

#include "base/error.h"
#include "nn/parallel.h"

void nn_adamw_init(nn_adamw *opt, double weight_decay)
{
	opt->beta1 = 0.9;
	opt->beta2 = 0.999;
	opt->eps = 1e-8;
	opt->weight_decay = weight_decay;
	opt->step = 0;
}

/*
 * The flat loops run over the threads in chunks whose bounds depend only on
 * the arena's size, and sums add their chunks' partial sums in chunk order, so
 * the results are the same for any thread count.
 */
#define MAX_CHUNKS 1024
#define MIN_CHUNK 65536

static size_t chunk_size(size_t count)
{
	size_t c = (count + MAX_CHUNKS - 1) / MAX_CHUNKS;
	return c < MIN_CHUNK ? MIN_CHUNK : c;
}

static int n_chunks(size_t count)
{
	return (int)((count + chunk_size(count) - 1) / chunk_size(count));
}

struct adam_job {
	nn_params *p;
	float neg_step_size, bc2_sqrt, decay, beta1, one_b1, beta2, one_b2, eps;
};

static void adam_chunk(void *arg, int task, int thread)
{
	(void)thread;
	const struct adam_job *j = arg;
	nn_params *p = j->p;
	size_t cs = chunk_size(p->count), lo = (size_t)task * cs;
	size_t hi = lo + cs < p->count ? lo + cs : p->count;
	float *w = p->block[NN_DATA], *m = p->block[NN_ADAM_M], *v = p->block[NN_ADAM_V];
	const float *g = p->block[NN_GRAD];
	for (int i = 0; i < p->n_views; i++) {
		const nn_param *view = &p->views[i];
		size_t a = view->offset > lo ? view->offset : lo;
		size_t b = view->offset + view->count < hi ? view->offset + view->count : hi;
		float d = view->no_decay ? 1.0f : j->decay;
		for (size_t k = a; k < b; k++) {
			w[k] *= d;
			m[k] = m[k] * j->beta1 + g[k] * j->one_b1;
			v[k] = v[k] * j->beta2 + g[k] * g[k] * j->one_b2;
			float denom = sqrtf(v[k]) / j->bc2_sqrt + j->eps;
			w[k] += j->neg_step_size * m[k] / denom;
		}
	}
}

void nn_adamw_step(nn_adamw *opt, nn_params *p, double lr)
{
	BJ_ASSERT(p->block[NN_GRAD] && p->block[NN_ADAM_M] && p->block[NN_ADAM_V]);
	opt->step++;
	/* The scalars as torch.optim.AdamW (_single_tensor_adamw) computes them in
	 * Python floats, cast to float32 where they meet the tensors, and the
	 * element-wise operations in its order: mul_, mul_ add_, mul_ addcmul_,
	 * sqrt / bc2_sqrt + eps, addcdiv_ (value * m / denom). */
	double bc1 = 1.0 - pow(opt->beta1, (double)opt->step);
	double bc2 = 1.0 - pow(opt->beta2, (double)opt->step);
	struct adam_job j = {
		.p = p,
		.neg_step_size = (float)-(lr / bc1),
		.bc2_sqrt = (float)sqrt(bc2),
		.decay = (float)(1.0 - lr * opt->weight_decay),
		.beta1 = (float)opt->beta1, .one_b1 = (float)(1.0 - opt->beta1),
		.beta2 = (float)opt->beta2, .one_b2 = (float)(1.0 - opt->beta2),
		.eps = (float)opt->eps,
	};
	nn_parallel_run(n_chunks(p->count), adam_chunk, &j);
}

struct norm_job {
	const float *g;
	size_t count;
	double partial[MAX_CHUNKS];
};

struct scale_job {
	float *g;
	size_t count;
	float scale;
};

static void norm_chunk(void *arg, int task, int thread)
{
	(void)thread;
	struct norm_job *j = arg;
	size_t cs = chunk_size(j->count), lo = (size_t)task * cs;
	size_t hi = lo + cs < j->count ? lo + cs : j->count;
	double sum = 0.0;
	for (size_t k = lo; k < hi; k++)
		sum += (double)j->g[k] * j->g[k];
	j->partial[task] = sum;
}

double nn_grad_norm(const nn_params *p)
{
	BJ_ASSERT(p->block[NN_GRAD] || p->count == 0);
	struct norm_job j = { .g = p->block[NN_GRAD], .count = p->count };
	int n = n_chunks(p->count);
	nn_parallel_run(n, norm_chunk, &j);
	double sum = 0.0;
	for (int i = 0; i < n; i++)
		sum += j.partial[i];
	return sqrt(sum);
}

static void scale_chunk(void *arg, int task, int thread)
{
	(void)thread;
	const struct scale_job *j = arg;
	size_t cs = chunk_size(j->count), lo = (size_t)task * cs;
	size_t hi = lo + cs < j->count ? lo + cs : j->count;
	for (size_t k = lo; k < hi; k++)
		j->g[k] *= j->scale;
}

double nn_clip_grad_norm(nn_params *p, double max_norm)
{
	double norm = nn_grad_norm(p);
	if (!isfinite(norm))
		return norm;
	double coef = max_norm / (norm + 1e-6);
	if (coef < 1.0) {
		struct scale_job j = { p->block[NN_GRAD], p->count, (float)coef };
		nn_parallel_run(n_chunks(p->count), scale_chunk, &j);
	}
	return norm;
}

double nn_lr_schedule_at(const nn_lr_schedule *s, int64_t step)
{
	BJ_ASSERT(step >= 0 && s->warmup >= 0);
	if (step < s->warmup)
		return s->lr * (double)(step + 1) / (double)s->warmup;
	int64_t since = step - s->warmup;
	switch (s->decay) {
	case NN_LR_CONSTANT:
		return s->lr;
	case NN_LR_COSINE: {
		int64_t span = s->total - s->warmup;
		if (span <= 0 || since >= span)
			return s->min_lr;
		double progress = (double)since / (double)span;
		return s->min_lr + (s->lr - s->min_lr) * 0.5 * (1.0 + cos(M_PI * progress));
	}
	case NN_LR_STEP:
		BJ_ASSERT(s->step_size >= 1);
		return s->lr * pow(s->gamma, (double)(since / s->step_size));
	}
	BJ_ASSERT(!"unknown learning-rate decay");
	return 0.0;
}
