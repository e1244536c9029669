/*
 * composer.h - the composer: a character-level LSTM (nn/charlm.h) trained on
 * folk tunes in ABC notation (the approach of folk-rnn), and the drawing of new
 * tunes from it.
 *
 *     score_train_opts o;
 *     score_train_opts_init(&o);
 *     o.abc = paths;  o.n_abc = n;  o.t.model_path = "composer.safetensors";
 *     ret = score_composer_train(&o, &result);        // BJ_EINTERRUPTED: saved
 *
 * The model learns the plain form of each tune (score/tunes.h): its M:, L:
 * and K: lines, then the music, then an empty line.  The tunes are split into
 * training and validation sets tune by tune (a hash of each tune's text), not
 * by cutting the text.  The model file records "composer.format" and the
 * corpus in its metadata.
 *
 *     score_composer *c;
 *     score_composer_open("composer.safetensors", &c);
 *     score_composer_draw(c, "M:6/8\nL:1/8\nK:Dm\n", &opts, &rng, 4000, &tune);
 *     score_composer_close(c);
 */
#pragma once

#include "base/rng.h"
#include "nn/sample.h"
#include "nn/trainer.h"
#include "score/sbuf.h"

/* The format of composer models: metadata "composer.format". */
#define SCORE_COMPOSER_FORMAT "1"

typedef struct score_train_opts {
	nn_trainer_opts t;               /* model_path, steps or minutes, ...; t.val_fraction
	                                  * is the share of tunes held out */
	const char *const *abc;          /* (n_abc) ABC files or folders */
	int n_abc;
	const char *const *val_abc;      /* (n_val) separate validation tunes, or none */
	int n_val;
} score_train_opts;

/* nn_trainer_opts_init's defaults with the composer's label; no corpus. */
void score_train_opts_init(score_train_opts *o);

/* Loads the tunes, splits them and trains on them with nn_trainer_run.
 * Returns what score_tunes_load or nn_trainer_run return, or BJ_EFORMAT
 * ("no tunes to learn from in '<file>'") with the error set. */
int score_composer_train(const score_train_opts *o, nn_trainer_result *r);

/* A loaded composer (opaque). */
typedef struct score_composer score_composer;

/* Loads a model written by score_composer_train, after checking that it is
 * one ("'<path>': not a composer model (no composer.format)") and that
 * nn_charlm_load accepts it.  Returns 0 or the error code. */
int score_composer_open(const char *path, score_composer **out);

/* NULL-safe. */
void score_composer_close(score_composer *c);

/* Draws one tune: the header lines prime (ASCII; "M:..\nL:..\nK:..\n"),
 * then characters until the tune ends (an empty line) or max_chars are drawn.
 * With redraws > 0, each bar is checked when its bar line is complete (the
 * tune so far must parse and its bars fit the meter, score/music.h) and drawn
 * again from the previous bar line when it does not, up to redraws times in
 * a row (then kept as it is).  Appends the prime and what was drawn, without
 * the empty line, to out.  Returns 0 or BJ_ENOMEM. */
int score_composer_draw(score_composer *c, const char *prime, const nn_sample_opts *o,
                        bj_rng *rng, long max_chars, int redraws, score_sbuf *out);
