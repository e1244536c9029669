/*
 * abc.h - ABC music notation (abcnotation.com, standard 2.1): one tune parsed
 * into a flat list of items, written back out, and compared.
 *
 *     score_abc_tune t;
 *     if (score_abc_parse(&t, text, len, "reels.abc", 120) < 0)
 *         return bj_error_code();      // "'reels.abc': line 124, column 9: ..."
 *     score_sbuf out = { 0 };
 *     score_abc_emit(&t, &out);        // canonical text; parses to an equal tune
 *     score_abc_tune_release(&t);
 *
 * The items keep what the text says, in order: header fields (X:, T:, M:, L:,
 * Q:, K:, P: and any other, up to and including K:), then the body's notes,
 * rests, chords, bar lines, repeats and endings, ties, slurs, tuplets, broken
 * rhythm, grace notes, chord symbols and annotations, decorations, inline and
 * line fields, spaces (beams) and line ends.  Comments are dropped.  What the
 * notes mean (pitches, durations, the meter) is score/music.h's business.
 * Everything a tune owns is in its items and its string pool.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "score/sbuf.h"

enum score_abc_kind {
	SCORE_ABC_FIELD,        /* letter: field letter; text: value; num: 1 inline [K:..] */
	SCORE_ABC_NOTE,         /* letter 'A'..'G', octave, accidental, num/den, tie */
	SCORE_ABC_REST,         /* letter 'z', 'x', 'Z' or 'X'; num/den (bars for Z, X) */
	SCORE_ABC_CHORD_OPEN,   /* '[' */
	SCORE_ABC_CHORD_CLOSE,  /* ']' with the chord's length num/den, tie */
	SCORE_ABC_BAR,          /* text: the bar line as written ("|", ":|", "|]", "::" ...) */
	SCORE_ABC_ENDING,       /* text: the ending's numbers ("1", "2", "1,3", "1-2") */
	SCORE_ABC_TUPLET,       /* (p:q:r : num = p, den = q, r = r; 0 where not given */
	SCORE_ABC_BROKEN,       /* letter '>' or '<', num = how many (1..3) */
	SCORE_ABC_SLUR_OPEN,    /* '(' */
	SCORE_ABC_SLUR_CLOSE,   /* ')' */
	SCORE_ABC_GRACE_OPEN,   /* '{', letter '/' for an acciaccatura "{/" */
	SCORE_ABC_GRACE_CLOSE,  /* '}' */
	SCORE_ABC_TEXT,         /* text: a chord symbol or annotation, without quotes */
	SCORE_ABC_DECORATION,   /* letter: '.', '~', 'T', ... ; or '!' / '+' with text: name */
	SCORE_ABC_SPACE,        /* blanks between items: a beam break */
	SCORE_ABC_SPACER,       /* 'y' */
	SCORE_ABC_OVERLAY,      /* '&' */
	SCORE_ABC_CONTINUE,     /* '\' at the end of a line */
	SCORE_ABC_EOL,          /* the end of a body line */
};

/* Accidentals of a note. */
#define SCORE_ABC_NATURAL 3   /* '='; 0 none, 1 '^', 2 '^^', -1 '_', -2 '__' */

typedef struct score_abc_item {
	uint8_t kind;           /* enum score_abc_kind */
	char letter;
	int8_t octave;          /* notes: 0 for C..B (middle C's octave), 1 for c..b, +/-1 per ' , */
	int8_t accidental;
	uint8_t tie;            /* notes, chords: followed by '-' */
	int32_t num, den;       /* a length (reduced), or as said above */
	int32_t r;
	uint32_t text;          /* offset of a NUL-terminated string in the tune's pool */
	int line, col;          /* where it begins, from 1 */
} score_abc_item;

typedef struct score_abc_tune {
	score_abc_item *items;  /* (n) */
	size_t n, cap;
	size_t n_header;        /* items[0 .. n_header) are the header fields, K: last */
	char *pool;             /* (pool_len) strings of the items */
	size_t pool_len, pool_cap;
} score_abc_tune;

/* Limits on what a length may say, so that durations stay exact in 64 bits. */
#define SCORE_ABC_MAX_NUM 4096
#define SCORE_ABC_MAX_DEN 1024

/* Parses one tune of len bytes (the "X:" line first, or straight away the
 * other header fields; the header ends at the K: field).  name and first_line
 * place errors: BJ_EFORMAT "'<name>': line L, column C: <problem>" (text that
 * is not ASCII, an unknown symbol, an unclosed chord, quote or decoration, a
 * length of 0, no K: field, ...).  Returns 0; t can be released either way. */
int score_abc_parse(score_abc_tune *t, const char *text, size_t len, const char *name,
                    int first_line);

/* Frees what t owns.  Safe on a zeroed tune. */
void score_abc_tune_release(score_abc_tune *t);

/* The string of item it. */
static inline const char *score_abc_text(const score_abc_tune *t, const score_abc_item *it)
{
	return t->pool + it->text;
}

/* The value of the last header field with this letter, or NULL. */
const char *score_abc_header(const score_abc_tune *t, char letter);

/* Appends t in canonical ABC to out: one field per header line, the body as
 * items, lengths in lowest terms.  Parsing the result gives an equal tune. */
void score_abc_emit(const score_abc_tune *t, score_sbuf *out);

/* 1 when a and b have the same items (positions aside) and strings. */
int score_abc_equal(const score_abc_tune *a, const score_abc_tune *b);
