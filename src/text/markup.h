/*
 * markup.h - Fountain's inline markup: emphasis, escapes, inline notes and
 * boneyard, turned into plain text and style runs for layout (PDF, titles).
 *
 *     text_styled st;
 *     text_styled_init(&st, "He dialed *69 and then 23*, and _hung up_.");
 *     for (size_t i = 0; i < st.n_runs; i++)
 *         draw(st.plain + st.runs[i].start, st.runs[i].len, st.runs[i].style);
 *     text_styled_release(&st);
 *
 * Rules (fountain_syntax.md, Emphasis; as Markdown's, simplified): *italic*,
 * **bold**, ***bold italic***, _underline_, nestable.  An opening run of '*' or
 * '_' has no whitespace after it, a closing run none before it; '_' inside a
 * word (snake_case) is literal.  Emphasis does not cross a line break.  A
 * backslash before ASCII punctuation makes it literal (\*).  [[notes]] and
 * /\* boneyard *\/ inside a text are removed (an unclosed one is kept as text).
 * The text_styled owns its strings; text_styled_release() frees them.
 */
#pragma once

#include <stddef.h>

/* Style bits of a run. */
#define TEXT_STYLE_ITALIC 1u
#define TEXT_STYLE_BOLD 2u
#define TEXT_STYLE_UNDERLINE 4u

/* A stretch of plain text in one style. */
typedef struct text_run {
	size_t start; /* byte offset in plain */
	size_t len;   /* bytes; never 0 */
	unsigned style; /* TEXT_STYLE_* bits, 0 for roman */
} text_run;

typedef struct text_styled {
	char *plain;     /* the text without markup, NUL-terminated; '\n' kept */
	size_t len;      /* bytes of plain */
	text_run *runs;  /* (n_runs) in order, covering plain; neighbours differ in style */
	size_t n_runs;
} text_styled;

/* Interprets the markup of text (an element's text from text/screenplay.h)
 * into st, which the caller releases with text_styled_release().  Never fails;
 * "" gives an empty plain text and no runs. */
void text_styled_init(text_styled *st, const char *text);

/* Frees what st holds and zeroes it.  Safe on a zeroed text_styled. */
void text_styled_release(text_styled *st);
