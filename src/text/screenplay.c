#include "text/screenplay.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "text/buf.h"

static const char *const type_names[TEXT_ELEMENT_TYPES] = {
	[TEXT_ACTION] = "ACTION",
	[TEXT_SCENE_HEADING] = "SCENE_HEADING",
	[TEXT_CHARACTER] = "CHARACTER",
	[TEXT_DIALOGUE] = "DIALOGUE",
	[TEXT_PARENTHETICAL] = "PARENTHETICAL",
	[TEXT_LYRICS] = "LYRICS",
	[TEXT_TRANSITION] = "TRANSITION",
	[TEXT_CENTERED] = "CENTERED",
	[TEXT_PAGE_BREAK] = "PAGE_BREAK",
	[TEXT_NOTE] = "NOTE",
	[TEXT_BONEYARD] = "BONEYARD",
	[TEXT_SECTION] = "SECTION",
	[TEXT_SYNOPSIS] = "SYNOPSIS",
};

const char *text_element_type_name(text_element_type type)
{
	BJ_ASSERT((unsigned)type < TEXT_ELEMENT_TYPES);
	return type_names[type];
}

text_screenplay *text_screenplay_new(void)
{
	return bj_xcalloc(1, sizeof(text_screenplay));
}

void text_screenplay_free(text_screenplay *sp)
{
	if (!sp)
		return;
	for (size_t i = 0; i < sp->n_title; i++) {
		free(sp->title[i].key);
		free(sp->title[i].value);
	}
	for (size_t i = 0; i < sp->n_elements; i++) {
		free(sp->elements[i].text);
		free(sp->elements[i].scene_number);
	}
	free(sp->title);
	free(sp->elements);
	free(sp->scenes);
	free(sp);
}

text_element *text_screenplay_add(text_screenplay *sp, text_element_type type, const char *text)
{
	BJ_ASSERT((unsigned)type < TEXT_ELEMENT_TYPES);
	BJ_GROW(sp->elements, sp->cap_elements, sp->n_elements + 1);
	if (type == TEXT_SCENE_HEADING) {
		BJ_GROW(sp->scenes, sp->cap_scenes, sp->n_scenes + 1);
		sp->scenes[sp->n_scenes++] = sp->n_elements;
	}
	text_element *e = &sp->elements[sp->n_elements++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->text = bj_xstrdup(text ? text : "");
	if (type == TEXT_SECTION)
		e->depth = 1;
	return e;
}

void text_screenplay_truncate(text_screenplay *sp, size_t n)
{
	BJ_ASSERT(n <= sp->n_elements);
	while (sp->n_elements > n) {
		text_element *e = &sp->elements[--sp->n_elements];
		free(e->text);
		free(e->scene_number);
	}
	while (sp->n_scenes > 0 && sp->scenes[sp->n_scenes - 1] >= n)
		sp->n_scenes--;
}

text_title_field *text_screenplay_title_add(text_screenplay *sp, const char *key,
                                            const char *value)
{
	BJ_GROW(sp->title, sp->cap_title, sp->n_title + 1);
	text_title_field *f = &sp->title[sp->n_title++];
	f->key = bj_xstrdup(key ? key : "");
	f->value = bj_xstrdup(value ? value : "");
	f->line = 0;
	return f;
}

const char *text_screenplay_title_get(const text_screenplay *sp, const char *key)
{
	for (size_t i = 0; i < sp->n_title; i++)
		if (strcasecmp(sp->title[i].key, key) == 0)
			return sp->title[i].value;
	return NULL;
}

size_t text_screenplay_scene_end(const text_screenplay *sp, size_t s)
{
	BJ_ASSERT(s < sp->n_scenes);
	return s + 1 < sp->n_scenes ? sp->scenes[s + 1] : sp->n_elements;
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool text_screenplay_equal(const text_screenplay *a, const text_screenplay *b)
{
	if (a->n_title != b->n_title || a->n_elements != b->n_elements)
		return false;
	for (size_t i = 0; i < a->n_title; i++)
		if (!str_eq(a->title[i].key, b->title[i].key) ||
		    !str_eq(a->title[i].value, b->title[i].value))
			return false;
	for (size_t i = 0; i < a->n_elements; i++) {
		const text_element *x = &a->elements[i], *y = &b->elements[i];
		if (x->type != y->type || !str_eq(x->text, y->text) ||
		    !str_eq(x->scene_number, y->scene_number) || x->depth != y->depth ||
		    x->dual != y->dual)
			return false;
	}
	return true;
}

/* Appends s in double quotes, escaped so that the dump stays one line per item. */
static void add_quoted(text_buf *b, const char *s)
{
	text_buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			text_buf_addc(b, '\\');
			text_buf_addc(b, (char)c);
		} else if (c == '\n') {
			text_buf_adds(b, "\\n");
		} else if (c == '\t') {
			text_buf_adds(b, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			text_buf_addf(b, "\\x%02x", c);
		} else {
			text_buf_addc(b, (char)c);
		}
	}
	text_buf_addc(b, '"');
}

char *text_screenplay_dump(const text_screenplay *sp, int flags)
{
	text_buf b = {0};
	bool lines = !(flags & TEXT_DUMP_NO_LINES);
	for (size_t i = 0; i < sp->n_title; i++) {
		if (lines)
			text_buf_addf(&b, "%d ", sp->title[i].line);
		text_buf_adds(&b, "TITLE ");
		add_quoted(&b, sp->title[i].key);
		text_buf_addc(&b, ' ');
		add_quoted(&b, sp->title[i].value);
		text_buf_addc(&b, '\n');
	}
	for (size_t i = 0; i < sp->n_elements; i++) {
		const text_element *e = &sp->elements[i];
		if (lines)
			text_buf_addf(&b, "%d ", e->line);
		text_buf_adds(&b, text_element_type_name(e->type));
		text_buf_addc(&b, ' ');
		add_quoted(&b, e->text);
		if (e->scene_number)
			text_buf_addf(&b, " #%s#", e->scene_number);
		if (e->dual)
			text_buf_adds(&b, " ^");
		if (e->depth)
			text_buf_addf(&b, " depth=%d", e->depth);
		text_buf_addc(&b, '\n');
	}
	return text_buf_detach(&b);
}

char *text_character_name(const char *cue)
{
	size_t n = strcspn(cue, "(");
	/* A dual mark can only be left over when there is no extension. */
	while (n > 0 && (cue[n - 1] == ' ' || cue[n - 1] == '\t' || cue[n - 1] == '^'))
		n--;
	size_t start = 0;
	while (start < n && (cue[start] == ' ' || cue[start] == '\t'))
		start++;
	char *name = bj_xmalloc(n - start + 1);
	memcpy(name, cue + start, n - start);
	name[n - start] = '\0';
	return name;
}
