/*
 * dialogue.h - the spoken lines of a screenplay as the voices and the casting
 * see them: one perform line per dialogue (or lyrics) element, with its
 * character (the cue without extensions), the parenthetical just before it and
 * the cue's extension (V.O., O.S., ...), and the characters who speak, most
 * lines first.
 *
 *     film_dialogue d;
 *     film_dialogue_extract(sp, &d);
 *     ... d.lines[0..d.n), d.names[0..d.n_names) ...
 *     film_dialogue_release(&d);
 *
 * d owns every string the lines point to; sp may be freed after the call.
 */
#pragma once

#include <stddef.h>

#include "perform/voice_script.h"
#include "text/screenplay.h"

typedef struct film_dialogue {
	perform_script_line *lines;  /* (n), in script order */
	size_t n, cap;
	const char **names;          /* (n_names): most lines first, then first to speak */
	size_t *counts;              /* (n_names): lines of each */
	size_t n_names;
	char **strings;              /* what the lines point to */
	size_t n_strings, cap_strings;
} film_dialogue;

/* Fills d from sp.  Returns 0 (an empty d when nobody speaks). */
int film_dialogue_extract(const text_screenplay *sp, film_dialogue *d);

/* Frees what d holds and zeroes it; safe on a zeroed struct. */
void film_dialogue_release(film_dialogue *d);
