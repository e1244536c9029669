/*
 * write.h - a screenplay written by the writer model to a brief: the 48-hour
 * challenge's title, line of dialogue, prop and action, always in it, and a
 * length in pages.
 *
 *     writer_write_opts o;
 *     writer_write_opts_init(&o);                    // 1 page, cast of 3, T 0.8
 *     o.model_path = "writer.safetensors";
 *     o.title = "Sunspring";  o.line = "I don't know.";  o.prop = "a light";
 *     o.pages = 5;  o.seed = 7;
 *     text_screenplay *sp;
 *     writer_write_report rep;
 *     if (writer_write(&o, &sp, &rep) < 0) ... bj_error_message() ...
 *     text_fountain_save(sp, "film.fountain");  text_screenplay_free(sp);
 *
 * The model writes Fountain (it was trained on it) a paragraph at a time; each
 * paragraph is read with the Fountain parser and kept only if it keeps the
 * screenplay whole: the title page first (the title fed, or one the model
 * writes after "Title: "), then scenes that open with a heading, speeches
 * under a cue from a small cast (the first `cast` names the model writes; later
 * cues are made one of them, the likelier under the model), each with
 * dialogue.  A paragraph that does not fit is drawn again from where it began
 * (a bounded number of times), then repaired (a heading started "INT. " or
 * "EXT." for the model to finish, a cue replaced), and at last replaced by a
 * fallback that always reads back.
 *
 * The prompts are placed at points spread over the script (drawn from the
 * seed) where the model's text leads into them: the line is fed as the
 * dialogue under a cue of the cast, the action as a paragraph of action, the
 * prop after the opening words of an action paragraph the model began (its
 * words up to an article, or "We see"), and the model goes on from each.  The
 * script ends at a scene's end once its length, laid out as the PDF is
 * (text/layout.h), is within half a page of the pages asked for; there, a
 * paragraph that would run onto one more page is taken back and the script
 * ends before it.  The same model, options and seed give the same screenplay.
 */
#pragma once

#include <stdint.h>

#include "nn/sample.h"
#include "text/layout.h"
#include "text/screenplay.h"

/* Limits on the brief. */
#define WRITER_MAX_PAGES 200
#define WRITER_MAX_CAST 26
#define WRITER_MAX_PROMPT 500   /* bytes of a title, line, prop or action */

typedef struct writer_write_opts {
	const char *model_path;
	const char *title;    /* NULL: the model writes one */
	const char *line;     /* a line of dialogue to include, or NULL */
	const char *prop;     /* a prop to name in an action line, or NULL */
	const char *action;   /* an action line to include, or NULL */
	int pages;            /* 1..WRITER_MAX_PAGES */
	int cast;             /* speaking characters, 1..WRITER_MAX_CAST */
	text_paper paper;     /* the page the length is measured on */
	nn_sample_opts sample;
	uint64_t seed;
	int progress;         /* show a progress display (base/progress.h) */
} writer_write_opts;

/* Defaults: 1 page, a cast of 3, temperature 0.8, seed 1, no prompts. */
void writer_write_opts_init(writer_write_opts *o);

/* What the writing did. */
typedef struct writer_write_report {
	int paragraphs;   /* kept */
	int redrawn;      /* paragraphs drawn again because they did not fit */
	int repaired;     /* cues replaced by the cast, headings started for the model */
	int fallbacks;    /* paragraphs written by the fallback */
	long drawn;       /* characters drawn from the model, the redrawn included */
	int pages;        /* pages of the script as laid out (title page not counted) */
	double length;    /* its length in pages, the last counted by its rows */
	int n_cast;       /* the speaking characters, in order of appearance */
	char cast[WRITER_MAX_CAST][64];   /* their names (cut short at 63 bytes) */
} writer_write_report;

/* Checks that each prompt can stand verbatim where it goes (one line of UTF-8,
 * no control characters, at most WRITER_MAX_PROMPT bytes, read back by the
 * Fountain parser as the same title, dialogue line or action).  Returns 0 or
 * BJ_EINVAL with the error set: "the line '(beat)' would read as a
 * parenthetical, not dialogue", ... */
int writer_write_check(const writer_write_opts *o);

/* Writes a screenplay to o's brief into a new *out (free with
 * text_screenplay_free()) and fills *rep (may be NULL).  Returns 0, or
 * writer_write_check's errors, the model's load errors ("'<path>': ..."),
 * BJ_ENOMEM, with the error set and *out NULL. */
int writer_write(const writer_write_opts *o, text_screenplay **out, writer_write_report *rep);
