#include "writer/brief.h"

#include <stdlib.h>
#include <string.h>

/* Is want one of the lines of text? */
static bool has_line(const char *text, const char *want)
{
	size_t n = strlen(want);
	for (const char *s = text; s; ) {
		const char *end = strchr(s, '\n');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		if (len == n && memcmp(s, want, n) == 0)
			return true;
		s = end ? end + 1 : NULL;
	}
	return false;
}

/* Does an element of type hold want, as a whole line (or anywhere)? */
static bool found(const text_screenplay *sp, text_element_type type, const char *want,
                  bool whole_line)
{
	for (size_t i = 0; i < sp->n_elements; i++) {
		const text_element *e = &sp->elements[i];
		if (e->type == type && (whole_line ? has_line(e->text, want) : strstr(e->text, want) != NULL))
			return true;
	}
	return false;
}

/* Is every cue followed by dialogue, parentheticals allowed before it? */
static bool cues_have_dialogue(const text_screenplay *sp)
{
	for (size_t i = 0; i < sp->n_elements; i++) {
		if (sp->elements[i].type != TEXT_CHARACTER)
			continue;
		size_t j = i + 1;
		while (j < sp->n_elements && sp->elements[j].type == TEXT_PARENTHETICAL)
			j++;
		if (j == sp->n_elements || sp->elements[j].type != TEXT_DIALOGUE)
			return false;
	}
	return true;
}

static int count_speakers(const text_screenplay *sp)
{
	char **names = NULL;
	int n = 0;
	for (size_t i = 0; i < sp->n_elements; i++) {
		if (sp->elements[i].type != TEXT_CHARACTER)
			continue;
		char *name = text_character_name(sp->elements[i].text);
		int k = 0;
		while (k < n && strcmp(names[k], name) != 0)
			k++;
		if (k < n) {
			free(name);
			continue;
		}
		char **grown = realloc(names, (size_t)(n + 1) * sizeof(*names));
		if (!grown) {
			free(name);
			break;
		}
		names = grown;
		names[n++] = name;
	}
	for (int k = 0; k < n; k++)
		free(names[k]);
	free(names);
	return n;
}

void writer_brief_check(const text_screenplay *sp, const writer_brief *b, writer_brief_result *r)
{
	memset(r, 0, sizeof(*r));
	const char *title = text_screenplay_title_get(sp, "title");
	r->title_page = sp->n_title > 0;
	r->title = !b->title || (title && strcmp(title, b->title) == 0);
	r->line = !b->line || found(sp, TEXT_DIALOGUE, b->line, true);
	r->prop = !b->prop || found(sp, TEXT_ACTION, b->prop, false);
	r->action = !b->action || found(sp, TEXT_ACTION, b->action, true);
	r->opens_with_heading = sp->n_elements > 0 && sp->elements[0].type == TEXT_SCENE_HEADING;
	r->cues_have_dialogue = cues_have_dialogue(sp);
	r->speakers = count_speakers(sp);
	r->cast = !b->cast || r->speakers <= b->cast;
	text_layout l;
	text_layout_init(&l, sp, &(text_layout_options){ .paper = b->paper });
	r->n_pages = text_layout_pages(&l);
	text_layout_release(&l);
	r->pages = !b->pages || abs(r->n_pages - b->pages) <= 1;
	r->ok = r->title && r->line && r->prop && r->action && r->title_page &&
	        r->opens_with_heading && r->cues_have_dialogue && r->cast && r->pages;
}
