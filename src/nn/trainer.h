/*
 * trainer.h - training a character model (nn/charlm.h) on a corpus (nn/corpus.h):
 * batches of carried streams, a learning-rate schedule, periodic validation,
 * checkpoints, a learning curve and exact resumption.
 *
 *     nn_trainer_opts o;
 *     nn_trainer_opts_init(&o);                  // defaults; then set what differs
 *     o.model_path = "m.safetensors";  o.csv_path = "m.csv";  o.steps = 2000;
 *     o.interrupted = &got_sigint;               // set by the caller's signal handler
 *     ret = nn_trainer_run(&o, corpus, &result);   // BJ_EINTERRUPTED: saved, stopped
 *
 * B streams start evenly spaced over the text (but the held-out tail, unless
 * o.val is given); each step trains on their next T characters, state carried
 * (truncated BPTT), wrapping at the end.  model_path holds the model with its
 * optimizer (nn_charlm_write) and "train.*" metadata and tensors: settings,
 * step, positions, generator and carried state, the learning curve in at most
 * NN_TRAINER_CURVE_POINTS points ("train.curve": "step,train_bpc,val_bpc;..."
 * with val_bpc empty where no validation fell), so a resumed run reaches the
 * bytes of one never stopped (with steps; minutes depend on speed).  It is
 * saved atomically at the start, every checkpoint_minutes, on interruption and
 * at the end.  Progress goes to a bj_progress display; nothing is printed.
 */
#pragma once

#include <signal.h>
#include <stdint.h>

#include "nn/corpus.h"

/* Points of the learning curve kept in the model file ("train.curve"). */
#define NN_TRAINER_CURVE_POINTS 200

/* How to train.  nn_trainer_opts_init fills in the defaults. */
typedef struct nn_trainer_opts {
	/* The model, for a new one (a resumed model keeps its own). */
	int layers;               /* default 2 */
	int hidden;               /* default 512 */
	int embed;                /* default 64 */
	float dropout;            /* between layers, default 0 */
	uint64_t min_count;       /* code points seen fewer times are unknown; default 5 */
	/* The data. */
	int batch;                /* B streams, default 32 */
	int seq;                  /* T characters per step, default 100 */
	double val_fraction;      /* held-out tail when val is NULL, default 0.1; may be 0 */
	const nn_corpus *val;     /* a separate validation corpus, or NULL (borrowed) */
	uint64_t val_chars;       /* characters per periodic validation, 0: all; default 65536 */
	int64_t val_every;        /* steps between validations, default 200 */
	/* The optimiser: AdamW, global-norm clipping, warm-up then cosine decay. */
	double lr;                /* peak learning rate, default 2e-3 */
	double min_lr;            /* at the end of the decay, default lr / 10 */
	int64_t warmup;           /* steps, default 100 */
	double weight_decay;      /* default 0 */
	double clip;              /* default 5 */
	/* How long: a total (resumed runs count what came before). */
	int64_t steps;            /* total steps; the schedule follows steps */
	double minutes;           /* or total minutes of training steps (0: use steps) */
	double checkpoint_minutes;/* between checkpoints, default 10; 0: none between */
	int64_t pause_at;         /* stop and save after this step (in all), as an
	                           * interruption does, but return 0; 0: never.  For
	                           * training in sessions, and for tests */
	uint64_t seed;            /* initial weights and dropout, default 1 */
	/* Files and control. */
	const char *model_path;   /* the model and its checkpoints */
	const char *csv_path;     /* the learning curve, or NULL */
	int resume;               /* continue from model_path */
	const char *label;        /* of the progress display, default "train" */
	const char *const *meta;  /* extra metadata for the model file: key, value, ..., NULL */
	volatile sig_atomic_t *interrupted;   /* checked between steps; may be NULL */
} nn_trainer_opts;

/* What a run did. */
typedef struct nn_trainer_result {
	int64_t steps;            /* in all, with earlier runs */
	uint64_t chars;           /* characters trained on, in all */
	double seconds;           /* time in training steps, in all */
	double train_bpc;         /* the last step's loss, bits per character */
	double val_bpc;           /* the last validation, over the whole held-out text at
	                           * the end; NAN when there is none */
	int vocab;                /* V, the unknown symbol included */
	int64_t params;           /* parameters of the model */
} nn_trainer_result;

/* The defaults above; model_path, csv_path, meta, val and interrupted NULL,
 * steps and minutes 0. */
void nn_trainer_opts_init(nn_trainer_opts *o);

/* Trains on corpus (borrowed) as o says until o->steps or o->minutes, or until
 * *o->interrupted is set, saving the model as described above and the
 * learning curve to o->csv_path (one row per step: "step,chars,seconds,lr,
 * train_bpc,val_bpc", val_bpc empty between validations), atomically.  Fills
 * *r and returns 0, or BJ_EINTERRUPTED ("interrupted at step 120; the model so
 * far is in '<path>'") after saving, or BJ_EINVAL (a setting out of range:
 * "--batch 0 is outside 1..4096"), BJ_EFORMAT (a checkpoint that does not
 * fit: "'<path>': trained on a different corpus"), BJ_EIO, BJ_ENOMEM with the
 * error set. */
int nn_trainer_run(const nn_trainer_opts *o, const nn_corpus *corpus, nn_trainer_result *r);
