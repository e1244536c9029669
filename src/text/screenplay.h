/*
 * screenplay.h - the document model of a screenplay: a title page and a list of
 * elements (scene headings, action, cues, dialogue, ...), in script order.
 *
 * Calling sequence (text/fountain.h reads and writes it as Fountain):
 *
 *     text_screenplay *sp = text_screenplay_new();
 *     text_screenplay_title_add(sp, "Title", "Brick & Steel");
 *     text_screenplay_add(sp, TEXT_SCENE_HEADING, "EXT. BRICK'S PATIO - DAY");
 *     text_screenplay_add(sp, TEXT_CHARACTER, "STEEL");
 *     text_screenplay_add(sp, TEXT_DIALOGUE, "Beer's ready!");
 *     for (size_t i = 0; i < sp->n_elements; i++) ... sp->elements[i] ...
 *     text_screenplay_free(sp);
 *
 * The screenplay owns every string in it; text_screenplay_free() frees them
 * all.  Texts are UTF-8 with lines separated by '\n' (no final newline) and
 * keep Fountain's inline markup (*italic*, **bold**, _underline_,
 * \ escapes, [[notes]], /\* boneyard *\/) as written; text/markup.h turns a text
 * into plain text and style runs.  Fields are read directly; add elements only
 * through text_screenplay_add(), which keeps the scene index up to date.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The kinds of element, after the Fountain syntax (fountain.io/syntax). */
typedef enum text_element_type {
	TEXT_ACTION,        /* a paragraph of action; leading spaces kept, tabs made 4 spaces */
	TEXT_SCENE_HEADING, /* "INT. HOUSE - DAY", without a forcing '.' or the scene number */
	TEXT_CHARACTER,     /* a cue with its extensions, "EVE (O.S.)", without '@' or '^' */
	TEXT_DIALOGUE,      /* lines of speech under a cue; "" lines are kept blank lines */
	TEXT_PARENTHETICAL, /* "(beat)", parentheses included, inside a speech */
	TEXT_LYRICS,        /* consecutive '~' lines, without the '~' */
	TEXT_TRANSITION,    /* "CUT TO:", without a forcing '>' */
	TEXT_CENTERED,      /* consecutive ">text<" lines, without the markers, trimmed */
	TEXT_PAGE_BREAK,    /* "===": text is "" */
	TEXT_NOTE,          /* a paragraph that is one [[note]], without the brackets */
	TEXT_BONEYARD,      /* a block that is one /\* comment *\/, its inside verbatim */
	TEXT_SECTION,       /* "# Act One": text "Act One", depth 1 */
	TEXT_SYNOPSIS,      /* "= Set up the story.": text "Set up the story." */
} text_element_type;

/* The number of element types (for tables indexed by type). */
#define TEXT_ELEMENT_TYPES (TEXT_SYNOPSIS + 1)

/* One element.  A speech is a TEXT_CHARACTER followed by the TEXT_DIALOGUE,
 * TEXT_PARENTHETICAL and TEXT_LYRICS elements under it. */
typedef struct text_element {
	text_element_type type;
	char *text;         /* owned; never NULL */
	char *scene_number; /* TEXT_SCENE_HEADING: "1A" from "#1A#" (owned), else NULL */
	int depth;          /* TEXT_SECTION: the number of '#' (1 or more); else 0 */
	bool dual;          /* TEXT_CHARACTER: the second speaker of dual dialogue ('^'),
	                     * who speaks with the speech before it */
	int line;           /* first source line (1-based); 0 when built in memory */
	int last_line;      /* last source line; 0 when built in memory */
} text_element;

/* One "Key: value" field of the title page.  A value of several lines (the
 * indented lines under a key) is kept with '\n' between them. */
typedef struct text_title_field {
	char *key;   /* as written, e.g. "Draft date"; owned */
	char *value; /* owned; "" when the key has no value */
	int line;    /* source line of the key; 0 when built in memory */
} text_title_field;

typedef struct text_screenplay {
	text_title_field *title; /* (n_title) title page fields in order; none: no title page */
	size_t n_title;
	text_element *elements;  /* (n_elements) in script order */
	size_t n_elements;
	size_t *scenes;          /* (n_scenes) index in elements of each TEXT_SCENE_HEADING */
	size_t n_scenes;
	size_t cap_title, cap_elements, cap_scenes; /* private: allocated sizes */
} text_screenplay;

/* Returns a new, empty screenplay.  Free with text_screenplay_free(). */
text_screenplay *text_screenplay_new(void);

/* Frees sp and everything in it.  NULL-safe. */
void text_screenplay_free(text_screenplay *sp);

/* Appends an element of the given type with a copy of text (NUL-terminated;
 * NULL for "").  Other fields start zeroed: set scene_number (with
 * bj_xstrdup), depth, dual or line through the returned pointer, which stays
 * valid until the next text_screenplay_add().  A TEXT_SECTION starts at depth 1. */
text_element *text_screenplay_add(text_screenplay *sp, text_element_type type, const char *text);

/* Removes the elements from index n on (n <= n_elements), and their scenes. */
void text_screenplay_truncate(text_screenplay *sp, size_t n);

/* Appends a title page field with copies of key and value ("" for NULL). */
text_title_field *text_screenplay_title_add(text_screenplay *sp, const char *key,
                                            const char *value);

/* The value of the first title page field whose key matches key without
 * regard to ASCII case ("title" finds "Title"), or NULL.  Owned by sp. */
const char *text_screenplay_title_get(const text_screenplay *sp, const char *key);

/* The index in sp->elements one past the last element of scene s (the next
 * scene heading, or n_elements).  s < sp->n_scenes. */
size_t text_screenplay_scene_end(const text_screenplay *sp, size_t s);

/* True when a and b have the same title page and the same elements (type,
 * text, scene number, depth, dual), ignoring source line numbers. */
bool text_screenplay_equal(const text_screenplay *a, const text_screenplay *b);

/* text_screenplay_dump() flag: leave out the source line numbers. */
#define TEXT_DUMP_NO_LINES 1

/* Returns a new string (free()) listing sp one line per title field and element:
 *     1 TITLE "Draft date" "1/27/2012"
 *     12 SCENE_HEADING "INT. HOUSE - DAY" #1#
 *     14 CHARACTER "EVE" ^
 *     20 SECTION "Act One" depth=1
 * Texts are quoted with \" \\ \n \t and \xHH escapes, so every line is one
 * element.  flags: 0 or TEXT_DUMP_NO_LINES. */
char *text_screenplay_dump(const text_screenplay *sp, int flags);

/* The upper-case name of a type, "SCENE_HEADING". */
const char *text_element_type_name(text_element_type type);

/* The name in a character cue without its extensions and dual mark: "EVE" for
 * "EVE (O.S.)", "EDWARD" for "EDWARD (V.O.)(CONT'D)".  Returns a new string
 * (free()). */
char *text_character_name(const char *cue);
