/*
 * swap_train.c - the swap's training loop: augmented batches of A and B,
 * Adam, checkpoints, preview sheets, progress.
 */
#include "perform/swap_train.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "nn/optim.h"
#include "perform/swap_augment.h"
#include "perform/swap_preview.h"

#define PREVIEW_ROWS 8
/* The losses shown and reported are smoothed over about this many steps. */
#define SMOOTH_STEPS 20.0

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int perform_swap_train_start(const perform_swap_cfg *cfg, int batch, double lr, uint64_t seed,
                             perform_swap_net **net, perform_swap_state *st)
{
	*net = NULL;
	if (batch < 1 || batch > 256 || !(lr > 0 && lr < 1))
		return bj_error_set(BJ_EINVAL, "swap training: batch %d (1..256) or learning rate %g out of range", batch,
		                    lr);
	perform_swap_net *n = perform_swap_net_new(cfg, NN_WITH_GRAD | NN_WITH_ADAM);
	if (!n)
		return bj_error_code();
	memset(st, 0, sizeof(*st));
	st->seed = seed;
	st->batch = batch;
	st->lr = lr;
	bj_rng rng;
	bj_rng_init(&rng, seed);
	perform_swap_net_init_weights(n, &rng);
	/* training draws from its own stream, so a change of the architecture's
	 * size does not shift the batches */
	st->rng = bj_rng_fork(&rng, 1);
	*net = n;
	return 0;
}

/* Face k of a sheet: evenly spread over the set. */
static int sheet_face(const perform_crops *set, int k, int n)
{
	return (int)(((size_t)k * set->n) / (size_t)n);
}

int perform_swap_preview(perform_swap_net *net, const perform_crops *a, const perform_crops *b, const char *path)
{
	int B = net->batch, S = net->cfg.size;
	BJ_ASSERT(B >= 1 && a->size == S && b->size == S);
	perform_augment_opts still = PERFORM_AUGMENT_DEFAULTS;
	still.rotate = still.scale = still.shift = still.flip = 0;
	still.brightness = still.contrast = still.saturation = still.warp_sigma = 0;
	const perform_crops *sets[2] = { a, b };
	size_t face = (size_t)B * 3 * S * S;
	float *cols = malloc(6 * face * sizeof(float));
	perform_batch faces[2] = { 0 };
	int ret = 0;
	if (!cols) {
		ret = bj_error_set(BJ_ENOMEM, "'%s': out of memory for the preview", path);
		goto out;
	}
	int rows = B < PREVIEW_ROWS ? B : PREVIEW_ROWS;
	for (int s = 0; s < 2; s++) {
		perform_augmenter *aug = perform_augmenter_new(sets[s], &still, NULL);
		if (!aug) {
			ret = bj_error_code();
			goto out;
		}
		perform_batch_init(&faces[s], B, S);
		bj_rng rng;
		bj_rng_init(&rng, 0);
		for (int k = 0; k < B; k++)
			perform_augment_face(aug, sheet_face(sets[s], k % rows, rows), &rng, &faces[s], k);
		perform_augmenter_free(aug);
		float *col = cols + (size_t)3 * s * face;
		memcpy(col, faces[s].target, face * sizeof(float));
		perform_swap_net_forward(net, s, faces[s].target);
		memcpy(col + face, net->rgb, face * sizeof(float));
		perform_swap_net_forward(net, 1 - s, faces[s].target);
		memcpy(col + 2 * face, net->rgb, face * sizeof(float));
	}
	const float *c[6];
	for (int j = 0; j < 6; j++)
		c[j] = cols + (size_t)j * face;
	ret = perform_preview_save(path, c, NULL, 6, rows, S);
out:
	perform_batch_release(&faces[0]);
	perform_batch_release(&faces[1]);
	free(cols);
	return ret;
}

static void smooth(perform_swap_losses *avg, const perform_swap_losses *l, int64_t n)
{
	double k = n < SMOOTH_STEPS ? 1.0 / (double)n : 1.0 / SMOOTH_STEPS;
	avg->l1 += k * (l->l1 - avg->l1);
	avg->ssim += k * (l->ssim - avg->ssim);
	avg->mask += k * (l->mask - avg->mask);
	avg->tv += k * (l->tv - avg->tv);
	avg->total += k * (l->total - avg->total);
}

static int done(const perform_swap_train_opts *o, const perform_swap_state *st, double elapsed,
                const volatile sig_atomic_t *stop)
{
	if (stop && *stop)
		return 1;
	return o->steps > 0 ? st->steps >= o->steps : elapsed >= o->minutes * 60.0;
}

int perform_swap_train(const perform_swap_train_opts *o, const perform_crops *a, const perform_crops *b,
                       perform_swap_net *net, perform_swap_state *st, const volatile sig_atomic_t *stop,
                       perform_swap_train_report *rep)
{
	int S = net->cfg.size;
	if (a->size != S || b->size != S)
		return bj_error_set(BJ_EINVAL, "the crops are %d and %d pixels, the model %d", a->size, b->size, S);
	if (!(o->steps > 0 || o->minutes > 0))
		return bj_error_set(BJ_EINVAL, "no length of training given (steps or minutes)");
	int ret = perform_swap_net_batch(net, st->batch);
	if (ret < 0)
		return ret;
	perform_augment_opts ao = PERFORM_AUGMENT_DEFAULTS;
	perform_augmenter *aug[2] = { perform_augmenter_new(a, &ao, NULL), perform_augmenter_new(b, &ao, NULL) };
	perform_batch batch[2] = { 0 };
	if (!aug[0] || !aug[1]) {
		ret = bj_error_code();
		goto out;
	}
	perform_batch_init(&batch[0], st->batch, S);
	perform_batch_init(&batch[1], st->batch, S);
	nn_adamw opt;
	nn_adamw_init(&opt, 0.0);
	opt.beta1 = 0.5;
	opt.step = st->adam_step;
	perform_swap_losses avg[2] = { 0 };
	int64_t first = st->steps, taken = 0;
	double t0 = now_s(), last_save = t0, last_sheet = t0, elapsed = 0.0;
	while (!done(o, st, elapsed, stop)) {
		nn_params_zero_grad(&net->params);
		for (int d = 0; d < 2; d++) {
			perform_swap_losses l;
			perform_augment_batch(aug[d], &st->rng, &batch[d]);
			perform_swap_net_train(net, d, &batch[d], &l);
			smooth(&avg[d], &l, taken + 1);
		}
		nn_adamw_step(&opt, &net->params, st->lr);
		st->adam_step = opt.step;
		st->steps++;
		taken++;
		double t = now_s();
		elapsed = t - t0;
		if (o->progress) {
			uint64_t faces = (uint64_t)taken * 2 * st->batch;
			uint64_t total = o->steps > 0 ? (uint64_t)(o->steps - first) * 2 * st->batch
			                              : (uint64_t)(faces * (o->minutes * 60.0 / elapsed));
			if (total < faces)
				total = faces;
			char item[128];
			snprintf(item, sizeof(item), "step %lld  loss A %.4f B %.4f", (long long)st->steps, avg[0].total,
			         avg[1].total);
			bj_progress_set_total(o->progress, total);
			bj_progress_set(o->progress, faces, item);
		}
		if (o->checkpoint_minutes > 0 && t - last_save >= o->checkpoint_minutes * 60.0) {
			if ((ret = perform_swap_model_save(net, st, o->model_path)) < 0)
				goto out;
			last_save = t;
		}
		if (o->preview_path && o->preview_minutes > 0 && t - last_sheet >= o->preview_minutes * 60.0) {
			if ((ret = perform_swap_preview(net, a, b, o->preview_path)) < 0)
				goto out;
			last_sheet = t;
		}
	}
	if ((ret = perform_swap_model_save(net, st, o->model_path)) < 0)
		goto out;
	if (o->preview_path && (ret = perform_swap_preview(net, a, b, o->preview_path)) < 0)
		goto out;
	if (rep) {
		rep->steps = taken;
		rep->seconds = elapsed;
		rep->images_per_second = elapsed > 0 ? (double)taken * 2 * st->batch / elapsed : 0.0;
		rep->a = avg[0];
		rep->b = avg[1];
	}
out:
	perform_batch_release(&batch[0]);
	perform_batch_release(&batch[1]);
	perform_augmenter_free(aug[0]);
	perform_augmenter_free(aug[1]);
	return ret;
}
