/*
 * charlm.h - a character language model: code points -> embedding -> LSTM ->
 * linear head -> softmax, trained by truncated BPTT with carried state and
 * sampled with temperature, top-k and top-p.  Knows nothing of what the text is.
 *
 *     nn_charlm_init(&m, &cfg, codepoints, NN_CHARLM_TRAIN);  nn_charlm_init_weights(&m, &rng);
 *     nn_charlm_state_init(&s, &m, B);                        // B streams, carried
 *     nn_charlm_train_step(&m, &s, inputs, targets, B, T, &step, &rng);   // step.loss
 *     nn_charlm_save(&m, "m.safetensors", 1);                 // with optimizer state
 *     nn_charlm_feed(&m, &s1, ids, n);                        // sampling, B = 1
 *     id = nn_charlm_sample_next(&m, &opts, &rng);  nn_charlm_feed(&m, &s1, &id, 1);
 *
 * Vocabulary: id 0 is the unknown symbol (conventionally U+FFFD), ids 1..V-1
 * code points in increasing order.  Parameters carry PyTorch's names ("embed",
 * "lstm", "head"), so a file loads into the equivalent torch module.  The model
 * owns its arenas; activations are rebuilt whenever (B, T) changes, so keep one
 * shape per use; feeding runs through weights packed once (nn_lstm_plan), again
 * after training steps.  Same seed and inputs: the same bytes, any thread count.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/rng.h"
#include "nn/arena.h"
#include "nn/embedding.h"
#include "nn/linear.h"
#include "nn/lstm.h"
#include "nn/optim.h"
#include "nn/params.h"
#include "nn/sample.h"

struct bj_safetensors;
struct bj_st_writer;

/* Limits on a configuration, checked for files and settings alike. */
#define NN_CHARLM_MAX_VOCAB 0x110001   /* every code point, and the unknown symbol */
#define NN_CHARLM_MAX_WIDTH 65536      /* embed and hidden */

/* nn_charlm_init flag: allocate gradients and Adam moments for training. */
#define NN_CHARLM_TRAIN 1u

/* The shape of a model. */
typedef struct nn_charlm_config {
	int vocab;       /* V, 2..NN_CHARLM_MAX_VOCAB, the unknown symbol included */
	int embed;       /* E, 1..NN_CHARLM_MAX_WIDTH */
	int hidden;      /* H, 1..NN_CHARLM_MAX_WIDTH */
	int layers;      /* L, 1..NN_LSTM_MAX_LAYERS */
	float dropout;   /* between LSTM layers while training, [0, 1) */
} nn_charlm_config;

/* What one training step does besides forward and backward, and what it saw. */
typedef struct nn_charlm_step {
	double lr;         /* learning rate for this step (see nn_lr_schedule_at) */
	double clip;       /* global gradient norm limit; 0: no clipping */
	double loss;       /* out: mean cross-entropy, nats per counted token */
	double norm;       /* out: the gradient norm before clipping */
} nn_charlm_step;

/* The recurrent state of B independent streams, carried between calls. */
typedef struct nn_charlm_state {
	int B;           /* streams */
	int L, H;        /* of the model it was made for */
	float *h;        /* (L, B, H) */
	float *c;        /* (L, B, H) */
} nn_charlm_state;

/* A model, its optimiser and its buffers.  Read the fields; change them only
 * through the functions. */
typedef struct nn_charlm {
	nn_charlm_config cfg;
	uint32_t *codepoints;      /* (V) owned: [0] the unknown symbol, then increasing */
	unsigned flags;            /* NN_CHARLM_TRAIN or 0 */
	nn_params params;          /* views: embed.weight, lstm.*, head.weight, head.bias */
	nn_embedding embed;
	nn_lstm lstm;
	nn_linear head;
	nn_adamw opt;              /* weight decay 0 unless set before training */
	nn_arena arena;            /* activations for (B, T) */
	int B, T;                  /* the shape the arena holds, 0 before the first call */
	nn_lstm_cache cache;
	float *x;                  /* (B, T, E) embeddings */
	float *h;                  /* (B, T, H) LSTM outputs */
	float *logits;             /* (B, T, V) then probabilities */
	float *dlogits;            /* (B, T, V) */
	float *dh;                 /* (B, T, H) */
	float *dx;                 /* (B, T, E) */
	double *row_loss;          /* (B, T) each token's cross-entropy */
	float *next;               /* (V) logits after the last nn_charlm_feed */
	nn_lstm_plan plan;         /* the weights packed for nn_charlm_feed */
	float *plan_buf;           /* owned: the plan's floats, or NULL */
	int plan_state;            /* 0: to build; 1: built; -1: not available */
	nn_sample_item *scratch;   /* (V) for nn_sample */
} nn_charlm;

/* Builds a model of shape cfg over the vocabulary codepoints (cfg->vocab of
 * them, copied; [1..] strictly increasing code points <= 0x10FFFF), weights 0;
 * flags NN_CHARLM_TRAIN adds gradients and Adam moments.  Returns 0, or
 * BJ_EINVAL ("hidden size 0 is outside 1..65536", ...) or BJ_ENOMEM with the
 * error set; m can be released either way. */
int nn_charlm_init(nn_charlm *m, const nn_charlm_config *cfg,
                   const uint32_t *codepoints,   // (cfg->vocab)
                   unsigned flags);

/* PyTorch's default initialisation, drawn from rng in view order. */
void nn_charlm_init_weights(nn_charlm *m, bj_rng *rng);

/* Frees everything m owns.  Safe on a zeroed or partly built model. */
void nn_charlm_release(nn_charlm *m);

/* The id of code point cp: its index, or 0 (unknown) if it is not in the
 * vocabulary.  Binary search. */
int32_t nn_charlm_id(const nn_charlm *m, uint32_t cp);

/* Decodes len bytes of UTF-8 text into ids (at most len of them; ill-formed
 * bytes become the unknown symbol, as bj_utf8_decode's U+FFFD) and returns how
 * many were written. */
size_t nn_charlm_encode(const nn_charlm *m, const char *text, size_t len,
                        int32_t *ids);   // (len) at most

/* B zeroed streams for m (B >= 1).  Free with nn_charlm_state_release. */
void nn_charlm_state_init(nn_charlm_state *s, const nn_charlm *m, int B);

/* Zeroes every stream (the start of a text). */
void nn_charlm_state_reset(nn_charlm_state *s);

/* Frees s.  Safe on a zeroed or released state. */
void nn_charlm_state_release(nn_charlm_state *s);

/* One step of truncated BPTT: runs the B streams (s->B == B) T steps on from
 * s, which is updated to their final states (detached: no gradient flows into
 * the previous step), with dropout from rng; stores the mean cross-entropy of
 * targets (targets < 0 ignored) in step->loss.  Then zeroes the gradients,
 * back-propagates, clips to step->clip, stores the norm in step->norm and takes
 * an AdamW step with step->lr; a non-finite norm skips the update.  The model
 * must have been made with NN_CHARLM_TRAIN.  Returns 0, or BJ_ENOMEM with the
 * error set when the activations for a new (B, T) cannot be allocated. */
int nn_charlm_train_step(nn_charlm *m, nn_charlm_state *s,
                         const int32_t *inputs,    // (B, T) ids < V
                         const int32_t *targets,   // (B, T) ids < V, or < 0
                         int B, int T, nn_charlm_step *step, bj_rng *rng);

/* The forward half of nn_charlm_train_step, without dropout or any update:
 * stores the mean cross-entropy of targets in *loss and carries s on.  For
 * validation.  Returns 0 or BJ_ENOMEM. */
int nn_charlm_loss(nn_charlm *m, nn_charlm_state *s,
                   const int32_t *inputs,    // (B, T)
                   const int32_t *targets,   // (B, T)
                   int B, int T, double *loss);

/* Runs one stream (s has B = 1) over n >= 1 ids and keeps the logits after the
 * last in m->next, for nn_charlm_sample_next.  Returns 0 or BJ_ENOMEM. */
int nn_charlm_feed(nn_charlm *m, nn_charlm_state *s,
                   const int32_t *ids,   // (n)
                   int n);

/* Draws the next id from m->next (see nn/sample.h). */
int32_t nn_charlm_sample_next(nn_charlm *m, const nn_sample_opts *o, bj_rng *rng);

/* Receives each code point nn_charlm_generate draws; returns 0 to go on, or a
 * negative code to stop with. */
typedef int nn_charlm_emit_fn(void *ctx, uint32_t codepoint);

/* nn_charlm_generate flag: never draw the unknown symbol. */
#define NN_CHARLM_NO_UNKNOWN 1u

/* Draws n ids one after another from m->next (after an nn_charlm_feed of the
 * prime) under o, feeding each back into s (B = 1), and hands each one's code
 * point to emit (the unknown symbol's is U+FFFD; with NN_CHARLM_NO_UNKNOWN in
 * flags it is never drawn).  Returns 0, the first negative value emit
 * returned, or BJ_ENOMEM. */
int nn_charlm_generate(nn_charlm *m, nn_charlm_state *s, long n, const nn_sample_opts *o,
                       unsigned flags, bj_rng *rng, nn_charlm_emit_fn *emit, void *ctx);

/* Adds m to w: the weights under their PyTorch names, the vocabulary as the I32
 * tensor "charlm.codepoints" (V) and as text, metadata "charlm.chars" (ids 1..
 * in order, for people), and the shape as metadata "charlm.vocab",
 * "charlm.embed", "charlm.hidden", "charlm.layers", "charlm.dropout"; with
 * with_optimizer, also Adam's moments ("adam.m.<name>", "adam.v.<name>"), step
 * and settings ("adam.step", ...), so training can resume exactly.  The caller
 * may add its own metadata and saves w; m must outlive the save.  Returns 0 or
 * BJ_EINVAL with the error set (a name already in w). */
int nn_charlm_write(const nn_charlm *m, struct bj_st_writer *w, int with_optimizer);

/* Builds m from a file written by nn_charlm_write, after checking the metadata
 * and that every tensor is there with its shape (before allocating anything
 * sized by the file).  flags NN_CHARLM_TRAIN also restores Adam's state when
 * the file has it.  Returns 0, or BJ_EFORMAT ("'<path>': metadata
 * 'charlm.hidden' is 'x', expected a whole number in 1..65536"), BJ_ENOENT (a
 * tensor missing), BJ_ENOMEM with the error set; m can be released either way. */
int nn_charlm_read(nn_charlm *m, const struct bj_safetensors *st, unsigned flags);

/* nn_charlm_write to a new writer saved atomically at path. */
int nn_charlm_save(const nn_charlm *m, const char *path, int with_optimizer);

/* Writes the model of the file in_path (a checkpoint, or a file this wrote) to
 * out_path, atomically, without what only training needs: the weights, the
 * vocabulary and the shape as nn_charlm_write without the optimizer, the
 * weights as float16 when half is set (nn_params_write_f16: half the size),
 * and every other metadata entry of in_path except Adam's ("adam.*"), so
 * settings and figures stay for people; other tensors (a trainer's carried
 * state) are dropped.  nn_charlm_load reads the result as it reads in_path
 * (weights converted back to float32).  Returns 0, or an error of
 * nn_charlm_load or bj_st_writer_save with the error set. */
int nn_charlm_strip(const char *in_path, const char *out_path, int half);

/* bj_safetensors_load, then nn_charlm_read. */
int nn_charlm_load(nn_charlm *m, const char *path, unsigned flags);
