/*
 * tunes.h - collections of ABC tunes: files (or folders of them) split into
 * tunes, each from its "X:" line to the line before the next, and the plain
 * form the composer learns from.
 *
 *     score_tunes t;
 *     if (score_tunes_load(paths, n, &t) < 0)        // "'a.abc': no tunes (no X: line)"
 *         return bj_error_code();
 *     for (size_t i = 0; i < t.n; i++)
 *         score_tune_plain(t.tunes[i].text, t.tunes[i].len, &buf);   // "M:6/8\nL:1/8\nK:G\n..."
 *     score_tunes_release(&t);
 *
 * The collection owns the text; a tune points into it.  Files must be
 * non-empty text without NUL bytes; a folder stands for its regular files not
 * starting with '.', sorted by name.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "score/sbuf.h"

/* One tune: len bytes at text, from the X: line on (no NUL at the end). */
typedef struct score_tune {
	const char *text;
	size_t len;
	const char *file;    /* where it came from, owned by the collection */
	int line;            /* its X: line in that file, from 1 */
} score_tune;

typedef struct score_tunes {
	score_tune *tunes;   /* (n) in file order */
	size_t n, cap;
	char **files;        /* (n_files) owned text of each file, NUL-terminated */
	char **names;        /* (n_files) their paths */
	int n_files;
	size_t cap_files, cap_names;
} score_tunes;

/* Reads every file named by paths (files or folders) and splits them into
 * tunes.  Returns 0, or BJ_ENOENT / BJ_EIO / BJ_EFORMAT ("'<file>': binary
 * file, not ABC", "'<file>': no tunes (no X: line)") with the error set; t can
 * be released either way. */
int score_tunes_load(const char *const *paths, int n_paths, score_tunes *t);

/* Frees what t owns.  Safe on a zeroed collection. */
void score_tunes_release(score_tunes *t);

/* Appends the plain form of one tune to out: "M:", "L:" and "K:" lines (the
 * tune's own, with L: made explicit from the meter when absent), then its
 * body in canonical ABC (score/abc.h) without decorations, annotations,
 * slurs, grace notes, line continuations, comments, empty lines or fields
 * other than K:, M: and L:, then one empty line.  Returns 0, or -1 (nothing
 * appended) for a tune the composer does not learn from: one that does not
 * parse or fit its meter, has several voices, or no notes. */
int score_tune_plain(const char *text, size_t len, score_sbuf *out);

/* Whether a tune whose plain form is text goes to the validation share of a
 * split that holds out fraction (0..1) of the tunes: decided by a hash of the
 * text, so the split does not depend on the order or number of files. */
int score_tune_held_out(const char *text, size_t len, double fraction);
