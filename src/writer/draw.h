/*
 * draw.h - the writer's pen: a character model (nn/charlm.h) with its state,
 * drawing text a line at a time, fed text it must continue from, and marks to
 * go back to, so that a line that would break the screenplay can be drawn
 * again from where it began.  writer/write.c drives it through the elements of
 * a screenplay.
 *
 *     writer_pen pen;
 *     writer_pen_open(&pen, "writer.safetensors", &(nn_sample_opts){ .temperature = 0.8f }, 7);
 *     writer_pen_feed(&pen, "INT. ");              // teacher-forced: state moves on
 *     writer_pen_mark(&pen, &mark);                // remember here
 *     writer_pen_draw_line(&pen, 0, 200);         // "SHIP - NIGHT\n", in pen.text
 *     writer_pen_back(&pen, &mark);                // as if it had never been drawn
 *     writer_pen_close(&pen);
 *
 * pen.text holds what was fed and drawn since the last writer_pen_clear (or
 * the mark gone back to).  Drawing never gives the unknown symbol.  The same
 * model, options, seed and calls give the same text.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/rng.h"
#include "nn/charlm.h"
#include "nn/sample.h"

/* A place to go back to: the recurrent state, the next logits and the length
 * of pen.text then. */
typedef struct writer_mark {
	float *h, *c;    /* (L, 1, H) */
	float *next;     /* (V) */
	size_t text_len;
} writer_mark;

typedef struct writer_pen {
	nn_charlm m;
	nn_charlm_state s;
	nn_sample_opts sample;
	bj_rng rng;
	int32_t newline;     /* the id of '\n', or -1 when the model has none */
	int32_t *ids;        /* (cap_ids) scratch for feeding */
	size_t cap_ids;
	char *text;          /* what was fed and drawn, NUL-terminated; owned */
	size_t len, cap;
	long drawn;          /* characters drawn in all */
} writer_pen;

/* Loads the model at path and starts a fresh stream, fed a newline (as a text
 * starts).  Returns 0, or the load error with the error set; pen can be closed
 * either way. */
int writer_pen_open(writer_pen *pen, const char *path, const nn_sample_opts *sample, uint64_t seed);

/* Frees what pen holds.  Safe on a zeroed or failed pen. */
void writer_pen_close(writer_pen *pen);

/* Feeds the UTF-8 text s (may be "") through the model and appends it to
 * pen->text.  Returns 0 or BJ_ENOMEM. */
int writer_pen_feed(writer_pen *pen, const char *s);

/* writer_pen_draw_line flags: what the first character drawn may not be. */
#define WRITER_DRAW_NO_BLANK 1u   /* a newline: the line is not empty */
#define WRITER_DRAW_NO_WORD 2u    /* a letter or digit: a word fed is not run on */

/* Draws characters until a newline (included) and appends them to pen->text;
 * flags constrain the first (WRITER_DRAW_*).  A line reaching max_chars
 * characters is ended with a fed newline.  Returns the characters of the line,
 * newline included, or BJ_ENOMEM. */
int writer_pen_draw_line(writer_pen *pen, unsigned flags, int max_chars);

/* The natural log of the probability that the model, from here, writes s; the
 * state moves on as if s had been fed (go back to a mark to undo it). */
double writer_pen_logprob(writer_pen *pen, const char *s);

/* Empties pen->text (the state stays). */
void writer_pen_clear(writer_pen *pen);

/* Remembers the state in mark (allocated on first use; free with
 * writer_mark_release), or goes back to it. */
void writer_pen_mark(writer_pen *pen, writer_mark *mark);
void writer_pen_back(writer_pen *pen, const writer_mark *mark);
void writer_mark_release(writer_mark *mark);
