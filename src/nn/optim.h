/*
 * optim.h - training a model in an nn_params arena: AdamW, global-norm gradient
 * clipping and a learning-rate schedule, each a flat loop over the arena.
 *
 *     nn_adamw opt;
 *     nn_adamw_init(&opt, 0.1);                                // weight decay
 *     nn_lr_schedule sched = { .lr = 2e-3, .warmup = 100, .decay = NN_LR_COSINE,
 *                              .total = 10000, .min_lr = 2e-4 };
 *     for (int64_t s = 0; s < steps; s++) {
 *         nn_params_zero_grad(&p);  ...forward, backward...
 *         double norm = nn_clip_grad_norm(&p, 1.0);            // before clipping
 *         nn_adamw_step(&opt, &p, nn_lr_schedule_at(&sched, s));
 *     }
 *
 * A GAN trains its generator and discriminator with two optimisers: one arena
 * and one nn_adamw each, so each has its own moments and step count, and
 * betas (0.5, 0.999) as DCGAN and CycleGAN use them (with weight decay 0 this
 * is torch.optim.Adam; tests/nn/test_norm_torch.c checks it against PyTorch):
 *
 *     nn_adamw opt_g, opt_d;
 *     nn_adamw_init(&opt_g, 0.0);  opt_g.beta1 = 0.5;      // likewise opt_d
 *     ...nn_adamw_step(&opt_d, &disc_params, 2e-4); ...nn_adamw_step(&opt_g, &gen_params, 2e-4);
 *
 * AdamW is torch.optim.AdamW's (PyTorch 1.13, amsgrad off): decoupled weight
 * decay (not on views marked no_decay), bias-corrected moments, eps added after
 * the corrected square root.  Moments live in the arena's NN_ADAM_M/NN_ADAM_V
 * blocks (NN_WITH_ADAM), the step count in nn_adamw: save both to resume.  Norms
 * are accumulated in double.  Nothing is allocated.
 */
#pragma once

#include <stdint.h>

#include "nn/params.h"

/* AdamW's settings and step count. */
typedef struct nn_adamw {
	double beta1;         /* first-moment decay, default 0.9 */
	double beta2;         /* second-moment decay, default 0.999 */
	double eps;           /* default 1e-8 */
	double weight_decay;  /* decoupled: each step multiplies weights by 1 - lr * weight_decay */
	int64_t step;         /* steps taken so far */
} nn_adamw;

/* PyTorch's defaults (0.9, 0.999, 1e-8), the given weight decay, step 0. */
void nn_adamw_init(nn_adamw *opt, double weight_decay);

/* One AdamW step with learning rate lr over every view of p, from the gradients
 * in p's NN_GRAD block; updates NN_DATA, NN_ADAM_M, NN_ADAM_V and opt->step.
 * p must have all four blocks (BJ_ASSERT).  The settings are doubles, as
 * Python's floats in PyTorch, and meet the float32 data as PyTorch casts them.
 * With g the gradient, per element:
 *     w *= 1 - lr * wd;   m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2
 *     w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)           */
void nn_adamw_step(nn_adamw *opt, nn_params *p, double lr);

/* The L2 norm of all gradients together, accumulated in double. */
double nn_grad_norm(const nn_params *p);

/* Scales every gradient by max_norm / (norm + 1e-6) when that is below 1
 * (torch.nn.utils.clip_grad_norm_), and returns the norm before scaling.  A
 * non-finite norm is returned and the gradients are left alone, so the caller
 * can skip the step. */
double nn_clip_grad_norm(nn_params *p, double max_norm);

/* How the learning rate falls after warm-up. */
enum nn_lr_decay {
	NN_LR_CONSTANT = 0,   /* stays at lr */
	NN_LR_COSINE = 1,     /* half a cosine from lr to min_lr at step total, then min_lr */
	NN_LR_STEP = 2,       /* times gamma every step_size steps */
};

/* A learning-rate schedule: linear warm-up, then decay.  Zero-initialise the
 * fields not needed. */
typedef struct nn_lr_schedule {
	double lr;                 /* peak rate */
	int64_t warmup;            /* warm-up steps (0: none) */
	enum nn_lr_decay decay;
	int64_t total;             /* NN_LR_COSINE: the step where it reaches min_lr */
	double min_lr;             /* NN_LR_COSINE: the floor */
	int64_t step_size;         /* NN_LR_STEP: steps between decays, >= 1 */
	double gamma;              /* NN_LR_STEP: the factor */
} nn_lr_schedule;

/* The rate for step (counted from 0): lr * (step + 1) / warmup while step <
 * warmup; after that, with s = step - warmup, lr (constant), min_lr + (lr -
 * min_lr) (1 + cos(pi s / (total - warmup))) / 2 until step = total and min_lr
 * after (cosine), or lr * gamma^floor(s / step_size) (step). */
double nn_lr_schedule_at(const nn_lr_schedule *s, int64_t step);
