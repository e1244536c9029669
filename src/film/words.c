/*
 * words.c - lexicon lookups with a crude English stemmer.
 */
#include <string.h>

#include "film/words.h"

static int listed(const char *w, size_t len, const char *const *lexicon)
{
	for (size_t i = 0; lexicon[i]; i++)
		if (strlen(lexicon[i]) == len && !memcmp(lexicon[i], w, len))
			return 1;
	return 0;
}

int film_word_in(const char *word, const char *const *lexicon)
{
	static const char *const endings[] = { "ing", "es", "ed", "s", "d", NULL };
	size_t len = strlen(word);
	if (listed(word, len, lexicon))
		return 1;
	for (size_t e = 0; endings[e]; e++) {
		size_t el = strlen(endings[e]);
		if (len <= el + 2 || memcmp(word + len - el, endings[e], el))
			continue;
		size_t stem = len - el;
		if (listed(word, stem, lexicon))
			return 1;
		/* "running" -> "run", "grabbed" -> "grab" */
		if (stem > 3 && word[stem - 1] == word[stem - 2] && listed(word, stem - 1, lexicon))
			return 1;
		/* "chasing" -> "chase" */
		char buf[64];
		if (stem + 1 < sizeof buf) {
			memcpy(buf, word, stem);
			buf[stem] = 'e';
			if (listed(buf, stem + 1, lexicon))
				return 1;
		}
	}
	return 0;
}

/* Counts the words of text (lower-cased) in lexicon, or all words when lexicon
 * is NULL; words longer than 63 letters are skipped. */
static size_t each_word(const char *text, const char *const *lexicon)
{
	char w[64];
	size_t n = 0, hits = 0;
	for (const char *p = text;; p++) {
		char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c == '\'' && n)) {
			if (n < sizeof w - 1)
				w[n] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			n++;
			continue;
		}
		if (n && n < sizeof w) {
			w[n] = '\0';
			hits += lexicon ? film_word_in(w, lexicon) : 1;
		}
		n = 0;
		if (!c)
			break;
	}
	return hits;
}

size_t film_words_count(const char *text, const char *const *lexicon)
{
	return each_word(text, lexicon);
}

size_t film_words_total(const char *text)
{
	return each_word(text, NULL);
}
