/*
 * words.h - the words of a screenplay's text for the director's small
 * lexicons: ASCII letters lower-cased, everything else a separator, and a word
 * found in a lexicon also under its plain English endings removed ("runs",
 * "running", "chased" find "run", "run", "chase").
 *
 *     static const char *const verbs[] = { "run", "jump", NULL };
 *     size_t hits = film_words_count(text, verbs);
 */
#pragma once

#include <stddef.h>

/* True when word (lower case) or its stem is in lexicon (NULL-terminated). */
int film_word_in(const char *word, const char *const *lexicon);

/* How many words of text are in lexicon. */
size_t film_words_count(const char *text, const char *const *lexicon);

/* How many words text has. */
size_t film_words_total(const char *text);
