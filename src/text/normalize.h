/*
 * normalize.h - plain-text screenplays (IMSDb pages, PDF-to-text conversions)
 * read into the screenplay model: the corpus normaliser of `benjamin corpus`.
 *
 *     text_screenplay *sp;
 *     text_normalize_report rep;
 *     int ret = text_normalize_load("alien.txt", &sp, &rep);
 *     if (ret == BJ_EUNSUPPORTED)
 *         skip(bj_error_message());   // "'x.txt': not a screenplay: ..."
 *     else if (ret == 0)
 *         use(text_fountain_emit(sp), rep.count[TEXT_NORM_DIALOGUE]), text_screenplay_free(sp);
 *
 * Indents are learned per file: the action margin per page (the commonest
 * indent of long lines), the cue, dialogue and parenthetical levels from
 * histograms around upper-case names heading a block; dialogue at the margin
 * (flat) is told from action by its width.  Page numbers, CONTINUED, (MORE),
 * repeated cues and page headers are dropped; speeches and sentences cut by
 * a page break and wrapped or hyphenated lines are joined; the Fountain of the
 * result reads back as itself (normalize.c says how each step decides).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "text/screenplay.h"

/* What a line of input was read as. */
enum text_norm_class {
	TEXT_NORM_BLANK,
	TEXT_NORM_HEADING,
	TEXT_NORM_ACTION,
	TEXT_NORM_CHARACTER,
	TEXT_NORM_DIALOGUE,
	TEXT_NORM_PARENTHETICAL,
	TEXT_NORM_TRANSITION,
	TEXT_NORM_CENTERED,
	TEXT_NORM_TITLE,        /* the title page before the script */
	TEXT_NORM_PAGE_NUMBER,  /* dropped */
	TEXT_NORM_CONTINUED,    /* (CONTINUED), CONTINUED:, (MORE), a repeated cue: dropped */
	TEXT_NORM_HEADER,       /* a repeated page header or footer: dropped */
	TEXT_NORM_SCENE_NUMBER, /* a scene number on a line of its own: moved to its heading */
	TEXT_NORM_CLASSES
};

typedef struct text_normalize_report {
	size_t lines;                      /* lines of input */
	size_t count[TEXT_NORM_CLASSES];   /* lines read as each class */
	size_t elements[TEXT_ELEMENT_TYPES]; /* elements made, by type */
	size_t joined;                     /* speeches and paragraphs joined across page breaks */
	bool flat;                         /* dialogue stands at the action margin */
	int action_indent;                 /* learned columns: the commonest action margin, */
	int dialogue_indent, paren_indent, cue_indent; /* and the commonest indents of the others */
} text_normalize_report;

/* The lower-case name of a class: "page-number". */
const char *text_norm_class_name(enum text_norm_class c);

/* Reads len bytes of text (UTF-8; LF, CRLF or CR line ends; tabs at 8-column
 * stops; form feeds as page breaks) as a screenplay; name is the subject of
 * messages.  Stores a new screenplay in *out (free with text_screenplay_free())
 * and fills *rep (which may be NULL), and returns 0.  Otherwise stores NULL and
 * returns BJ_EFORMAT ("'<name>': line N: invalid UTF-8", "... NUL byte", "text
 * is N bytes, limit M") or BJ_EUNSUPPORTED when the text does not read as a
 * screenplay ("'<name>': not a screenplay: N character cues and M scene
 * headings in L lines"); *rep is filled in either case as far as it got. */
int text_normalize(const char *name, const char *text, size_t len, text_screenplay **out,
                   text_normalize_report *rep);

/* Reads the file path and normalises it as text_normalize() does; errors are
 * also bj_file_read()'s ("'<path>': No such file or directory", ...). */
int text_normalize_load(const char *path, text_screenplay **out, text_normalize_report *rep);
