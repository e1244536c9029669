/*
 * stats.h - what a screenplay holds, counted: scenes, who speaks how much,
 * and how long it runs (pages of the printed layout, one page a minute).
 *
 *     text_layout l;
 *     text_layout_init(&l, sp, NULL);
 *     text_stats st;
 *     text_stats_init(&st, sp, &l);
 *     printf("%zu scenes, %d pages, ~%.0f min\n", st.scenes, st.pages, st.minutes);
 *     for (size_t i = 0; i < st.n_characters; i++)
 *         printf("%s %zu\n", st.characters[i].name, st.characters[i].words);
 *     text_stats_release(&st);
 *     text_layout_release(&l);
 *
 * Pages come from the layout, so they are the pages of the PDF.  Characters
 * are told apart by the name in their cues without extensions ("EVE (V.O.)" is
 * EVE).  Words are runs of non-blank characters in the plain text (markup
 * removed) of dialogue and lyrics; action words are those of action and
 * centred text.  st owns its strings.
 */
#pragma once

#include <stddef.h>

#include "text/layout.h"
#include "text/screenplay.h"

typedef struct text_character_stats {
	char *name;    /* "EVE"; owned */
	size_t lines;  /* speeches: the times the character has a cue */
	size_t words;  /* words of dialogue and lyrics */
	size_t scenes; /* scenes in which the character speaks */
} text_character_stats;

typedef struct text_stats {
	size_t scenes;          /* scene headings */
	size_t speeches;        /* cues */
	size_t dialogue_words;  /* all characters' words */
	size_t action_words;
	text_character_stats *characters; /* (n_characters) most words first, then by name */
	size_t n_characters;
	int pages;              /* pages of the script (title page not counted) */
	double length;          /* pages, the last one counted by the rows it fills */
	double minutes;         /* estimated screen time: one page a minute */
} text_stats;

/* Counts sp, laid out as l (text_layout_init(l, sp, ...)), into st (caller
 * storage; release with text_stats_release()).  Never fails. */
void text_stats_init(text_stats *st, const text_screenplay *sp, const text_layout *l);

/* Frees what st holds and zeroes it.  Safe on a zeroed text_stats. */
void text_stats_release(text_stats *st);
