/*
 * brief.h - does a screenplay meet a challenge's brief?  The checks `benjamin
 * write` guarantees, made on any screenplay (one written, or edited since):
 *
 *     writer_brief b = { .title = "Sunspring", .line = "I don't know.", .pages = 5, .cast = 3 };
 *     writer_brief_result r;
 *     writer_brief_check(sp, &b, &r);        // sp from text_fountain_load
 *     if (!r.ok) ... r.title, r.line, ... say which failed ...
 *
 * The title is the title page's Title; the line a whole line of some dialogue;
 * the prop inside some action; the action a whole line of some action.  The
 * form: a title page, the first element a scene heading, every cue followed by
 * dialogue (a parenthetical may come between), at most `cast` speakers (0: any).
 * The pages are those of the layout (text/layout.h, on the paper given), title
 * page not counted, within one of `pages` (0: any).
 */
#pragma once

#include <stdbool.h>

#include "text/layout.h"
#include "text/screenplay.h"

typedef struct writer_brief {
	const char *title, *line, *prop, *action;   /* NULL: not asked for */
	int pages;            /* 0: any length */
	int cast;             /* 0: any number of speakers */
	text_paper paper;
} writer_brief;

typedef struct writer_brief_result {
	bool title, line, prop, action;   /* each asked for and found (true when not asked) */
	bool title_page;      /* there is one */
	bool opens_with_heading;
	bool cues_have_dialogue;
	bool cast;            /* speakers <= brief cast */
	bool pages;           /* within one page of the brief */
	int n_pages;          /* the script's pages */
	int speakers;         /* distinct names in the cues */
	bool ok;              /* all of the above */
} writer_brief_result;

/* Checks sp against b into r.  Never fails. */
void writer_brief_check(const text_screenplay *sp, const writer_brief *b, writer_brief_result *r);
