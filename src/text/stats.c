#include "text/stats.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "text/markup.h"

static size_t count_words(const char *text)
{
	text_styled st;
	text_styled_init(&st, text);
	size_t n = 0;
	bool in_word = false;
	for (size_t i = 0; i < st.len; i++) {
		char c = st.plain[i];
		bool space = c == ' ' || c == '\n' || c == '\t';
		n += !space && !in_word;
		in_word = !space;
	}
	text_styled_release(&st);
	return n;
}

struct tally {
	text_character_stats s;
	size_t last_scene; /* 1 + the last scene counted, 0 for none */
};

static int by_words(const void *pa, const void *pb)
{
	const text_character_stats *a = pa, *b = pb;
	if (a->words != b->words)
		return a->words > b->words ? -1 : 1;
	return strcmp(a->name, b->name);
}

void text_stats_init(text_stats *st, const text_screenplay *sp, const text_layout *l)
{
	memset(st, 0, sizeof(*st));
	struct tally *t = NULL;
	size_t n = 0, cap = 0, scene = 0;
	struct tally *who = NULL;
	for (size_t i = 0; i < sp->n_elements; i++) {
		const text_element *e = &sp->elements[i];
		switch (e->type) {
		case TEXT_SCENE_HEADING:
			st->scenes++;
			scene++;
			who = NULL;
			break;
		case TEXT_CHARACTER: {
			char *name = text_character_name(e->text);
			size_t k = 0;
			while (k < n && strcmp(t[k].s.name, name) != 0)
				k++;
			if (k == n) {
				BJ_GROW(t, cap, n + 1);
				t[n++] = (struct tally){ .s = { .name = name } };
			} else {
				free(name);
			}
			who = &t[k];
			who->s.lines++;
			st->speeches++;
			if (who->last_scene != scene + 1) {
				who->s.scenes += scene > 0;
				who->last_scene = scene + 1;
			}
			break;
		}
		case TEXT_DIALOGUE:
		case TEXT_LYRICS: {
			size_t w = count_words(e->text);
			st->dialogue_words += w;
			if (who)
				who->s.words += w;
			break;
		}
		case TEXT_ACTION:
		case TEXT_CENTERED:
			st->action_words += count_words(e->text);
			who = NULL;
			break;
		case TEXT_PARENTHETICAL:
			break;
		default:
			who = e->type == TEXT_NOTE || e->type == TEXT_BONEYARD ? who : NULL;
			break;
		}
	}
	st->n_characters = n;
	if (n) {
		st->characters = bj_xmalloc(n * sizeof(*st->characters));
		for (size_t k = 0; k < n; k++)
			st->characters[k] = t[k].s;
		qsort(st->characters, n, sizeof(*st->characters), by_words);
	}
	free(t);
	st->pages = text_layout_pages(l);
	st->length = text_layout_length(l);
	st->minutes = st->length;
}

void text_stats_release(text_stats *st)
{
	for (size_t i = 0; i < st->n_characters; i++)
		free(st->characters[i].name);
	free(st->characters);
	memset(st, 0, sizeof(*st));
}
