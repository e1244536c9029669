/*
 * writer.h - the screenplay writer: a character-level LSTM (nn/charlm.h) that
 * learns from screenplays (nn/trainer.h does the training) and writes new text
 * from a prompt.
 *
 *     writer_train_opts o;
 *     writer_train_opts_init(&o);                     // the writer's defaults
 *     o.corpus = paths;  o.n_corpus = n;  o.t.model_path = "writer.safetensors";
 *     o.t.steps = 5000;
 *     ret = writer_train(&o, &result);                // BJ_EINTERRUPTED: saved
 *
 *     writer_sample_opts s = { .model_path = "writer.safetensors", .length = 2000,
 *                              .sample = { .temperature = 0.8f }, .seed = 7 };
 *     ret = writer_sample(&s, emit, stdout);           // emit(ctx, utf8, len) per character
 *
 * Corpus files are UTF-8 text.  Files named *.fountain are learnt as they
 * are; others are read as plain-text screenplays and normalised to Fountain
 * first (text/normalize.h), one file at a time, so the model writes Fountain
 * whatever the corpus looked like; files that do not read as screenplays are
 * skipped.  as_is learns every file as it is (any text: poems, tunes).  The
 * model file records "writer.format" and the corpus in its metadata.  Sampling
 * is the same for a model, options and seed; text goes to the caller's emit
 * function.  Prompted screenplays are written by writer/write.h.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "nn/sample.h"
#include "nn/trainer.h"

/* The format of writer models: metadata "writer.format". */
#define WRITER_FORMAT "1"

/* What writer_train needs: the training settings and the corpus. */
typedef struct writer_train_opts {
	nn_trainer_opts t;              /* model_path, steps or minutes, ... */
	const char *const *corpus;      /* (n_corpus) files or folders of screenplays */
	int n_corpus;
	const char *const *val_corpus;  /* (n_val) a separate validation text, or none */
	int n_val;
	int as_is;                      /* learn the files as they are, not normalised */
	struct writer_corpus_report *report;   /* out, or NULL: what was normalised */
} writer_train_opts;

/* What the normalising of a corpus did (both corpora together). */
typedef struct writer_corpus_report {
	int fountain;      /* files taken as Fountain (*.fountain) */
	int normalized;    /* plain-text screenplays normalised */
	int skipped;       /* files that did not read as screenplays */
	char first_skipped[512];   /* the normaliser's message for the first of them */
} writer_corpus_report;

/* nn_trainer_opts_init's defaults with the writer's label; no corpus. */
void writer_train_opts_init(writer_train_opts *o);

/* Opens the corpus (and the validation corpus), normalises it unless o->as_is,
 * and trains on it with nn_trainer_run, the writer's metadata added.  Returns
 * what nn_corpus_open, text_normalize_load or nn_trainer_run return, with the
 * error set; BJ_EUNSUPPORTED when no file of a corpus reads as a screenplay
 * (the first file's message). */
int writer_train(const writer_train_opts *o, nn_trainer_result *r);

/* How to write. */
typedef struct writer_sample_opts {
	const char *model_path;
	const char *prime;         /* UTF-8 text to start from, written out first; NULL or
	                            * "": a new line, not written */
	nn_sample_opts sample;     /* temperature, top-k, top-p */
	long length;               /* characters to write after the prime, >= 0 */
	uint64_t seed;
} writer_sample_opts;

/* Receives the text as it is written: len bytes of UTF-8 (one character, or
 * the prime).  Returns 0 to go on, or a negative code to stop. */
typedef int writer_emit_fn(void *ctx, const char *text, size_t len);

/* Loads the model and writes o->length characters after o->prime through emit.
 * Returns 0, the load error ("'<path>': ..."), BJ_EINVAL (a prime that is not
 * UTF-8), BJ_ENOMEM, or the first negative value emit returned. */
int writer_sample(const writer_sample_opts *o, writer_emit_fn *emit, void *ctx);
