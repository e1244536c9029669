/*
 * swap_model.h - a trained swap saved and loaded: the network's weights
 * (perform/swap_net.h) with what it was trained on and, when there are Adam
 * moments, everything a training needs to carry on exactly where it stopped.
 *
 *     perform_swap_state st = { .identity = 4, .steps = 1000, ... };
 *     perform_swap_model_save(net, &st, "swap.safetensors");   // atomic
 *     perform_swap_net *again;
 *     perform_swap_model_load("swap.safetensors", NN_WITH_GRAD | NN_WITH_ADAM, &again, &st);
 *
 * The file (base/safetensors.h): every view of the arena by its name (F32),
 * and with moments "adam_m.<name>" and "adam_v.<name>"; __metadata__ format
 * "benjamin.swap_model", version "1", size, enc, dense, identity, star,
 * steps, seed, batch, lr, adam_step and rng (the training generator's four
 * words in hex), holdout, gan_weight, gan_after; with discriminators also
 * disc_width and disc_adam_step, and their views ("disc_a.*", "disc_b.*",
 * with moments "adam_m.disc_a.*" ...).  Files written before the
 * discriminators lack those keys and still load (holdout 0, has_gan 0).  No clock time is stored, so a resumed training writes the
 * same bytes as one never stopped.  The loader checks every field, every
 * shape and that every weight is finite.
 */
#pragma once

#include <stdint.h>

#include "base/rng.h"
#include "perform/swap_net.h"

/* What a model was trained on and how far. */
typedef struct perform_swap_state {
	long identity;        /* the footage identity (decoder A) */
	char star[256];       /* the star's folder (decoder B) */
	int64_t steps;        /* training steps taken (one batch of A and one of B each) */
	uint64_t seed;
	int batch;            /* faces per batch, 1..256 */
	double lr;            /* Adam's rate */
	int64_t adam_step;    /* Adam's step count */
	bj_rng rng;           /* the training's generator after the last step */
	int holdout;          /* the last crops of each side kept out of training */
	double gan_weight;    /* the adversarial loss's weight (0: no discriminators) */
	int64_t gan_after;    /* steps before the generator sees it (the discriminators train from 0) */
	int disc_width;       /* the discriminators' first width (perform/swap_gan.h) */
	int64_t disc_adam_step;  /* their Adams' step count */
	int has_gan;          /* the file said gan_weight (files before the discriminators do not) */
} perform_swap_state;

/* Writes net (its data and, when allocated, its Adam moments) and st to path
 * atomically.  Returns 0 or a negative code with the error set. */
int perform_swap_model_save(const perform_swap_net *net, const perform_swap_state *st, const char *path);

/* Reads a file written by perform_swap_model_save into a new network with the
 * blocks flags asks for; NN_WITH_ADAM needs moments in the file.  With
 * NN_WITH_GRAD the discriminators are read too when the file has them
 * (net->disc, with the same blocks); without, they are left out.  Returns 0,
 * or BJ_EFORMAT (and the loader's codes) with *out NULL and the error set
 * ("'<path>': not a swap model", "'<path>': metadata 'size' is 'x'", ...). */
int perform_swap_model_load(const char *path, unsigned flags, perform_swap_net **out, perform_swap_state *st);
