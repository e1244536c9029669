#include "nn/optim.h"

#include <math.h>

#include "base/error.h"

void nn_adamw_init(nn_adamw *opt, double weight_decay)
{
	opt->beta1 = 0.9;
	opt->beta2 = 0.999;
	opt->eps = 1e-8;
	opt->weight_decay = weight_decay;
	opt->step = 0;
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
	float neg_step_size = (float)-(lr / bc1);
	float bc2_sqrt = (float)sqrt(bc2);
	float decay = (float)(1.0 - lr * opt->weight_decay);
	float beta1 = (float)opt->beta1, one_b1 = (float)(1.0 - opt->beta1);
	float beta2 = (float)opt->beta2, one_b2 = (float)(1.0 - opt->beta2);
	float eps = (float)opt->eps;
	for (int i = 0; i < p->n_views; i++) {
		const nn_param *view = &p->views[i];
		float *w = p->block[NN_DATA] + view->offset;
		const float *g = p->block[NN_GRAD] + view->offset;
		float *m = p->block[NN_ADAM_M] + view->offset;
		float *v = p->block[NN_ADAM_V] + view->offset;
		float d = view->no_decay ? 1.0f : decay;
		for (size_t k = 0; k < view->count; k++) {
			w[k] *= d;
			m[k] = m[k] * beta1 + g[k] * one_b1;
			v[k] = v[k] * beta2 + g[k] * g[k] * one_b2;
			float denom = sqrtf(v[k]) / bc2_sqrt + eps;
			w[k] += neg_step_size * m[k] / denom;
		}
	}
}

double nn_grad_norm(const nn_params *p)
{
	BJ_ASSERT(p->block[NN_GRAD] || p->count == 0);
	double sum = 0.0;
	for (size_t k = 0; k < p->count; k++)
		sum += (double)p->block[NN_GRAD][k] * p->block[NN_GRAD][k];
	return sqrt(sum);
}

double nn_clip_grad_norm(nn_params *p, double max_norm)
{
	double norm = nn_grad_norm(p);
	if (!isfinite(norm))
		return norm;
	double coef = max_norm / (norm + 1e-6);
	if (coef < 1.0) {
		float c = (float)coef;
		for (size_t k = 0; k < p->count; k++)
			p->block[NN_GRAD][k] *= c;
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
