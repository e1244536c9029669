/*
 * swap_train.c - the swap's training loop: augmented batches of A and B,
 * Adam, checkpoints, preview sheets, progress.
 */
#include "perform/swap_train.h"

#include <math.h>
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

/* No move, no colour change and no warp: the crops as they are, with their
 * masks and weights. */
static perform_augment_opts still_opts(void)
{
	perform_augment_opts still = PERFORM_AUGMENT_DEFAULTS;
	still.rotate = still.scale = still.shift = still.flip = 0;
	still.brightness = still.contrast = still.saturation = still.warp_sigma = 0;
	return still;
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
	perform_augment_opts still = still_opts();
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
	avg->adv += k * (l->adv - avg->adv);
	avg->disc += k * (l->disc - avg->disc);
	avg->total += k * (l->total - avg->total);
}

/* The last `holdout` crops of set, and the others. */
static void split(const perform_crops *set, int holdout, perform_crops *train, perform_crops *held)
{
	size_t S = (size_t)set->size, keep = set->n - (size_t)holdout;
	*train = *held = *set;
	train->n = keep;
	held->n = (size_t)holdout;
	held->pixels += keep * S * S * 3;
	held->landmarks += keep * PERFORM_CROPS_POINTS * 2;
	held->frames += keep;
	held->sources += keep;
}

int perform_swap_heldout_ssim(perform_swap_net *net, const perform_crops *held, int decoder, double *ssim)
{
	int B = net->batch, S = net->cfg.size;
	BJ_ASSERT(B >= 1 && held->n >= 1 && held->size == S);
	perform_augment_opts still = still_opts();
	perform_augmenter *aug = perform_augmenter_new(held, &still, NULL);
	if (!aug)
		return bj_error_code();
	perform_batch b;
	perform_batch_init(&b, B, S);
	bj_rng rng;
	bj_rng_init(&rng, 0);
	size_t chunks = (held->n + (size_t)B - 1) / (size_t)B;
	double sum = 0;
	for (size_t c = 0; c < chunks; c++) {
		for (int k = 0; k < B; k++)
			perform_augment_face(aug, (int)((c * (size_t)B + (size_t)k) % held->n), &rng, &b, k);
		/* the clean face in, as the swap gives it */
		memcpy(b.input, b.target, (size_t)B * 3 * S * S * sizeof(float));
		perform_swap_losses l;
		perform_swap_net_loss(net, decoder, &b, &l);
		sum += 1.0 - l.ssim;
	}
	perform_batch_release(&b);
	perform_augmenter_free(aug);
	*ssim = sum / (double)chunks;
	return 0;
}

/* The discriminators of a state that asks for them and has none yet (a new
 * training, or a file from before them), drawn from the seed. */
static int add_discs(perform_swap_net *net, perform_swap_state *st)
{
	if (!(st->gan_weight > 0) || net->disc[0])
		return 0;
	if (!st->disc_width)
		st->disc_width = PERFORM_SWAP_DISC_WIDTH;
	bj_rng rng;
	bj_rng_init(&rng, st->seed);
	rng = bj_rng_fork(&rng, 2);
	for (int d = 0; d < 2; d++) {
		net->disc[d] = perform_swap_disc_new(d, net->cfg.size, st->disc_width, NN_WITH_GRAD | NN_WITH_ADAM);
		if (!net->disc[d])
			return bj_error_code();
		perform_swap_disc_init_weights(net->disc[d], &rng);
	}
	st->disc_adam_step = 0;
	return 0;
}

void perform_swap_train_step(perform_swap_net *net, perform_swap_state *st, const perform_batch *batch,
                             nn_adamw *opt, nn_adamw *opt_d, perform_swap_losses *l)
{
	int gan_on = net->disc[0] && st->steps >= st->gan_after;
	float w = gan_on ? (float)st->gan_weight : 0.0f;
	nn_params_zero_grad(&net->params);
	for (int d = 0; d < 2; d++) {
		perform_swap_net_loss(net, d, &batch[d], &l[d]);
		perform_swap_disc *D = net->disc[d];
		if (D) {
			perform_swap_gan_face_step(D, batch[d].target, net->rgb, batch[d].mask, w, &l[d].disc, &l[d].adv);
			l[d].total += w * l[d].adv;
		}
		perform_swap_net_backward(net, d, &batch[d], gan_on ? D->dx : NULL);
	}
	nn_adamw_step(opt, &net->params, st->lr);
	st->adam_step = opt->step;
	if (net->disc[0]) {
		for (int d = 0; d < 2; d++)
			nn_adamw_step(&opt_d[d], &net->disc[d]->params, st->lr);
		st->disc_adam_step = opt_d[0].step;
	}
	st->steps++;
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
	if (st->holdout < 0 || (size_t)st->holdout >= a->n || (size_t)st->holdout >= b->n)
		return bj_error_set(BJ_EINVAL, "%d crops held out of %zu and %zu: none left to train on", st->holdout,
		                    a->n, b->n);
	int ret = perform_swap_net_batch(net, st->batch);
	if (ret < 0 || (ret = add_discs(net, st)) < 0)
		return ret;
	for (int d = 0; d < 2 && net->disc[d]; d++)
		if ((ret = perform_swap_disc_batch(net->disc[d], st->batch)) < 0)
			return ret;
	perform_crops train_a, train_b, held_a, held_b;
	split(a, st->holdout, &train_a, &held_a);
	split(b, st->holdout, &train_b, &held_b);
	/* the sheets show held-out faces when there are some */
	const perform_crops *sheet_a = st->holdout ? &held_a : a, *sheet_b = st->holdout ? &held_b : b;
	perform_augment_opts ao = PERFORM_AUGMENT_DEFAULTS;
	perform_augmenter *aug[2] = { perform_augmenter_new(&train_a, &ao, NULL),
	                              perform_augmenter_new(&train_b, &ao, NULL) };
	perform_batch batch[2] = { 0 };
	if (!aug[0] || !aug[1]) {
		ret = bj_error_code();
		goto out;
	}
	perform_batch_init(&batch[0], st->batch, S);
	perform_batch_init(&batch[1], st->batch, S);
	nn_adamw opt, opt_d[2];
	nn_adamw_init(&opt, 0.0);
	opt.beta1 = 0.5;
	opt.step = st->adam_step;
	for (int d = 0; d < 2; d++) {
		nn_adamw_init(&opt_d[d], 0.0);
		opt_d[d].beta1 = 0.5;
		opt_d[d].step = st->disc_adam_step;
	}
	perform_swap_losses avg[2] = { 0 };
	double held[2] = { NAN, NAN };
	int64_t first = st->steps, taken = 0;
	double t0 = now_s(), last_save = t0, last_sheet = t0, elapsed = 0.0;
	while (!done(o, st, elapsed, stop)) {
		perform_swap_losses l[2];
		perform_augment_batch(aug[0], &st->rng, &batch[0]);
		perform_augment_batch(aug[1], &st->rng, &batch[1]);
		perform_swap_train_step(net, st, batch, &opt, opt_d, l);
		smooth(&avg[0], &l[0], taken + 1);
		smooth(&avg[1], &l[1], taken + 1);
		taken++;
		double t = now_s();
		elapsed = t - t0;
		if (o->progress) {
			uint64_t faces = (uint64_t)taken * 2 * st->batch;
			uint64_t total = o->steps > 0 ? (uint64_t)(o->steps - first) * 2 * st->batch
			                              : (uint64_t)(faces * (o->minutes * 60.0 / elapsed));
			if (total < faces)
				total = faces;
			char item[160];
			int k = snprintf(item, sizeof(item), "step %lld  loss A %.4f B %.4f", (long long)st->steps,
			                 avg[0].total, avg[1].total);
			if (net->disc[0])
				k += snprintf(item + k, sizeof(item) - (size_t)k, "  adv D %.3f %.3f G %.3f %.3f", avg[0].disc,
				              avg[1].disc, avg[0].adv, avg[1].adv);
			if (st->holdout && !isnan(held[0]))
				snprintf(item + k, sizeof(item) - (size_t)k, "  held-out SSIM %.3f %.3f", held[0], held[1]);
			bj_progress_set_total(o->progress, total);
			bj_progress_set(o->progress, faces, item);
		}
		if (o->checkpoint_minutes > 0 && t - last_save >= o->checkpoint_minutes * 60.0) {
			if ((ret = perform_swap_model_save(net, st, o->model_path)) < 0)
				goto out;
			last_save = t;
		}
		if (o->preview_path && o->preview_minutes > 0 && t - last_sheet >= o->preview_minutes * 60.0) {
			if ((ret = perform_swap_preview(net, sheet_a, sheet_b, o->preview_path)) < 0 ||
			    (st->holdout && ((ret = perform_swap_heldout_ssim(net, &held_a, PERFORM_SWAP_A, &held[0])) < 0 ||
			                     (ret = perform_swap_heldout_ssim(net, &held_b, PERFORM_SWAP_B, &held[1])) < 0)))
				goto out;
			last_sheet = t;
		}
	}
	if ((ret = perform_swap_model_save(net, st, o->model_path)) < 0)
		goto out;
	if (o->preview_path && (ret = perform_swap_preview(net, sheet_a, sheet_b, o->preview_path)) < 0)
		goto out;
	if (st->holdout && ((ret = perform_swap_heldout_ssim(net, &held_a, PERFORM_SWAP_A, &held[0])) < 0 ||
	                    (ret = perform_swap_heldout_ssim(net, &held_b, PERFORM_SWAP_B, &held[1])) < 0))
		goto out;
	if (rep) {
		rep->steps = taken;
		rep->seconds = elapsed;
		rep->images_per_second = elapsed > 0 ? (double)taken * 2 * st->batch / elapsed : 0.0;
		rep->a = avg[0];
		rep->b = avg[1];
		rep->heldout_ssim[0] = held[0];
		rep->heldout_ssim[1] = held[1];
	}
out:
	perform_batch_release(&batch[0]);
	perform_batch_release(&batch[1]);
	perform_augmenter_free(aug[0]);
	perform_augmenter_free(aug[1]);
	return ret;
}
