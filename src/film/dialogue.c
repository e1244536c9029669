/*
 * dialogue.c - the spoken lines of a screenplay (see dialogue.h).
 */
#include "film/dialogue.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "text/markup.h"

static char *keep(film_dialogue *d, char *str)
{
	BJ_GROW(d->strings, d->cap_strings, d->n_strings + 1);
	d->strings[d->n_strings++] = str;
	return str;
}

/* The extensions of a cue that change how it sounds: "V.O." from
 * "EVE (V.O.) (CONT'D)"; NULL when there is none. */
static char *extension(const char *cue)
{
	for (const char *p = strchr(cue, '('); p; p = strchr(p + 1, '(')) {
		const char *end = strchr(p, ')');
		if (!end)
			break;
		if (strncasecmp(p + 1, "CONT", 4) != 0)
			return bj_xasprintf("%.*s", (int)(end - p - 1), p + 1);
	}
	return NULL;
}

/* Dialogue as plain speech: markup removed, lines joined by spaces. */
static char *plain(const char *text)
{
	text_styled st;
	text_styled_init(&st, text);
	for (size_t i = 0; i < st.len; i++)
		if (st.plain[i] == '\n')
			st.plain[i] = ' ';
	char *s = bj_xstrdup(st.plain);
	text_styled_release(&st);
	return s;
}

struct count {
	const char *name;
	size_t lines, first;
};

static int by_lines(const void *a, const void *b)
{
	const struct count *x = a, *y = b;
	if (x->lines != y->lines)
		return x->lines < y->lines ? 1 : -1;
	return (x->first > y->first) - (x->first < y->first);
}

/* The characters, most lines first, then by first appearance. */
static void characters(film_dialogue *d)
{
	struct count *c = bj_xcalloc(d->n + 1, sizeof *c);
	size_t k = 0;
	for (size_t i = 0; i < d->n; i++) {
		size_t j = 0;
		while (j < k && strcasecmp(c[j].name, d->lines[i].character) != 0)
			j++;
		if (j == k)
			c[k++] = (struct count){ d->lines[i].character, 0, i };
		c[j].lines++;
	}
	qsort(c, k, sizeof *c, by_lines);
	d->names = bj_xcalloc(k + 1, sizeof *d->names);
	d->counts = bj_xcalloc(k + 1, sizeof *d->counts);
	for (size_t i = 0; i < k; i++) {
		d->names[i] = c[i].name;
		d->counts[i] = c[i].lines;
	}
	d->n_names = k;
	free(c);
}

int film_dialogue_extract(const text_screenplay *sp, film_dialogue *d)
{
	memset(d, 0, sizeof *d);
	const char *who = NULL, *ext = NULL, *paren = NULL;
	for (size_t i = 0; i < sp->n_elements; i++) {
		const text_element *e = &sp->elements[i];
		switch (e->type) {
		case TEXT_CHARACTER: {
			char *x = extension(e->text);
			who = keep(d, text_character_name(e->text));
			ext = x ? keep(d, x) : NULL;
			paren = NULL;
			break;
		}
		case TEXT_PARENTHETICAL:
			paren = e->text;
			break;
		case TEXT_DIALOGUE:
		case TEXT_LYRICS:
			if (!who)
				break;
			BJ_GROW(d->lines, d->cap, d->n + 1);
			d->lines[d->n++] = (perform_script_line){ who, keep(d, plain(e->text)),
				                                  paren ? keep(d, bj_xstrdup(paren)) : NULL,
				                                  ext, e->line };
			paren = NULL;
			break;
		default:
			who = NULL;
			break;
		}
	}
	characters(d);
	return 0;
}

void film_dialogue_release(film_dialogue *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_strings; i++)
		free(d->strings[i]);
	free(d->strings);
	free(d->lines);
	free(d->names);
	free(d->counts);
	memset(d, 0, sizeof *d);
}
