/*
 * plain.h - a laid-out screenplay as plain text in the printed layout: each
 * line at its column, pages one after another, as scripts are passed around
 * in text form (IMSDb) or come out of a PDF-to-text conversion.
 *
 *     text_layout l;
 *     text_layout_init(&l, sp, NULL);
 *     char *s = text_plain_render(&l, &(text_plain_options){ .flat = true });
 *     ... write s ...
 *     free(s);
 *     text_layout_release(&l);
 *
 * Columns are the layout's less the 1" left margin (action at column 5,
 * dialogue 15, parentheticals 21, cues 27); every page prints from its first
 * to its last used row, with page numbers, "(MORE)" and "(CONT'D)" as on
 * paper.  Emphasis is lost.  It is the input the corpus normaliser
 * (text/normalize.h) is measured on.
 */
#pragma once

#include <stdbool.h>

#include "text/layout.h"

typedef struct text_plain_options {
	bool flat;       /* dialogue and parentheticals at the action margin, as a
	                  * PDF-to-text conversion without layout gives them */
	bool form_feeds; /* end each page with '\f' instead of blank lines */
} text_plain_options;

/* Returns the text of l (new string, free()); o may be NULL for the defaults.
 * Lines end in '\n' and carry no trailing spaces. */
char *text_plain_render(const text_layout *l, const text_plain_options *o);
