/*
 * swap_train.h - training a swap network (perform/swap_net.h) on the face
 * crops of the footage actor (A) and the star (B): each step one augmented
 * batch of A and one of B (perform/swap_augment.h) through forward, losses and
 * backward, then one Adam step (betas 0.5, 0.999).  With st->gan_weight > 0
 * each side's PatchGAN discriminator (perform/swap_gan.h) learns real crops
 * from reconstructions at every step, with its own Adam (the same rate and
 * betas), and from step st->gan_after on the generator's loss adds gan_weight
 * times the adversarial loss (LSGAN).  The last st->holdout crops of each
 * side are kept out of training: the sheets show them and the report gives
 * their reconstruction SSIM.  Checkpoints the model file atomically, draws
 * preview sheets, and resumes exactly.
 *
 *     perform_swap_train_opts o = PERFORM_SWAP_TRAIN_DEFAULTS;
 *     o.model_path = "swap.safetensors";  o.steps = 2000;
 *     perform_swap_net *net;  perform_swap_state st;
 *     perform_swap_train_start(&cfg, 16, 5e-5, seed, &net, &st);   // or perform_swap_model_load
 *     perform_swap_train(&o, crops_a, crops_b, net, &st, &stop);
 *
 * Everything random comes from st->rng, which the file keeps, and the network
 * gives the same bytes on any thread count: the same seed and steps give the
 * same file, stopped and resumed or not.
 */
#pragma once

#include <signal.h>
#include <stdint.h>

#include "base/progress.h"
#include "nn/optim.h"
#include "perform/swap_crops.h"
#include "perform/swap_model.h"

typedef struct perform_swap_train_opts {
	const char *model_path;     /* checkpoints and the result */
	const char *preview_path;   /* a contact sheet (.png/.jpg), or NULL */
	int64_t steps;              /* train until st->steps reaches this ... */
	double minutes;             /* ... or for this many minutes of this run (steps 0) */
	double checkpoint_minutes;  /* between checkpoints; 0: only at the end */
	double preview_minutes;     /* between sheets; 0: only at the end */
	bj_progress *progress;      /* NULL: none */
} perform_swap_train_opts;

#define PERFORM_SWAP_TRAIN_DEFAULTS { NULL, NULL, 0, 0.0, 10.0, 5.0, NULL }

/* What a run of training did. */
typedef struct perform_swap_train_report {
	int64_t steps;                 /* taken in this run */
	double seconds;
	double images_per_second;
	perform_swap_losses a, b;      /* the losses, smoothed over about the last 20 steps */
	double heldout_ssim[2];        /* A's and B's at the end (perform_swap_heldout_ssim), NAN without */
} perform_swap_train_report;

/* A new network of cfg with Adam moments, its weights drawn from seed, and a
 * state at step 0 for batches of `batch` faces and learning rate lr.  Returns
 * 0, or a negative code with the error set. */
int perform_swap_train_start(const perform_swap_cfg *cfg, int batch, double lr, uint64_t seed,
                             perform_swap_net **net, perform_swap_state *st);

/* Trains net (with gradients and moments) from st until o->steps or
 * o->minutes, or until *stop becomes non-zero (may be NULL), saving to
 * o->model_path at every checkpoint and at the end.  a and b must have the
 * network's crop size.  Returns 0 and fills *rep (may be NULL), or a negative
 * code with the error set. */
int perform_swap_train(const perform_swap_train_opts *o, const perform_crops *a, const perform_crops *b,
                       perform_swap_net *net, perform_swap_state *st, const volatile sig_atomic_t *stop,
                       perform_swap_train_report *rep);

/* One step on a batch of A and one of B: for each, the reconstruction losses
 * and, when net has discriminators, perform_swap_gan_face_step (the generator's
 * adversarial term weighted by st->gan_weight from step st->gan_after on),
 * backward; then Adam on the generator (opt) and each discriminator (opt_d[2]),
 * all at st->lr.  Advances st's steps and Adam step counts; l[2] gets each
 * side's losses. */
void perform_swap_train_step(perform_swap_net *net, perform_swap_state *st, const perform_batch *batch,
                             nn_adamw *opt, nn_adamw *opt_d, perform_swap_losses *l);

/* The mean SSIM of the faces of held (masked by their hulls, as the loss
 * does) against their reconstructions by decoder `decoder` from the clean
 * crops, over batches of net->batch faces (the last one filled up by
 * repeating from the first).  Returns 0 or a negative code with the error
 * set. */
int perform_swap_heldout_ssim(perform_swap_net *net, const perform_crops *held, int decoder, double *ssim);

/* A contact sheet of up to 8 faces of each: A's crop | A redrawn by decoder
 * A | A redrawn by decoder B (the swap) | B's crop | B by B | B by A. */
int perform_swap_preview(perform_swap_net *net, const perform_crops *a, const perform_crops *b, const char *path);
