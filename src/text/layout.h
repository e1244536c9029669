/*
 * layout.h - a screenplay laid out on pages as it is printed (Courier 12 pt: 10
 * characters an inch, 6 lines an inch; ~55 lines a page).  The PDF (pdf.h),
 * the plain text (plain.h) and the page count of stats.h all read it.
 *
 *     text_layout l;
 *     text_layout_init(&l, sp, &(text_layout_options){ .paper = TEXT_PAPER_A4 });
 *     for (size_t i = 0; i < l.n_lines; i++)    // in page, row, column order
 *         draw(l.lines[i].page, l.lines[i].col * 7.2, l.lines[i].row * 12.0, l.lines[i].text);
 *     text_layout_release(&l);
 *
 * Columns are 1/10" (7.2 pt) from the paper's left edge, rows 1/6" (12 pt) from
 * its top: action at 1.5", dialogue 2.5"-6", parentheticals 3.1", cues 3.7",
 * transitions and page numbers ending at the 1" right margin.  No heading ends
 * a page; speeches break only in their dialogue, with (MORE) and (CONT'D);
 * action breaks with two lines on each side; dual dialogue never breaks.
 * Notes, boneyard, sections and synopses are not printed.  The layout owns
 * copies of what it needs: sp may be freed after text_layout_init().
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "text/markup.h"
#include "text/screenplay.h"

typedef enum text_paper {
	TEXT_PAPER_LETTER, /* US Letter, 8.5" x 11" */
	TEXT_PAPER_A4,     /* 210 x 297 mm */
} text_paper;

/* Columns (tenths of an inch from the paper's left edge). */
#define TEXT_COL_ACTION 15
#define TEXT_COL_DIALOGUE 25
#define TEXT_COL_PAREN 31
#define TEXT_COL_CUE 37
#define TEXT_DIALOGUE_WIDTH 35
#define TEXT_PAREN_WIDTH 25
/* Rows (sixths of an inch from the paper's top edge). */
#define TEXT_ROW_PAGE_NUMBER 3
#define TEXT_ROW_BODY 6

typedef enum text_line_kind {
	TEXT_LINE_TEXT,         /* a line of sp->elements[element] */
	TEXT_LINE_MORE,         /* "(MORE)" under a speech broken across pages */
	TEXT_LINE_CONTD,        /* "EVE (CONT'D)": the cue again atop the next page */
	TEXT_LINE_PAGE_NUMBER,  /* "2." at the top right, from page 2 */
	TEXT_LINE_SCENE_NUMBER, /* a heading's scene number, in the left and right margins */
	TEXT_LINE_CONTINUED,    /* "(CONTINUED)" / "CONTINUED:" (option continueds) */
	TEXT_LINE_TITLE,        /* title page text; element indexes sp->title */
} text_line_kind;

/* One printed line. */
typedef struct text_layout_line {
	int page;               /* 0-based physical page (page 0 is the title page if any) */
	int row;                /* from the top edge, in 12 pt rows */
	int col;                /* from the left edge, in 7.2 pt columns */
	text_line_kind kind;
	text_element_type type; /* the element's type for TEXT, TEXT_CHARACTER for MORE/CONTD */
	size_t element;         /* index in sp->elements (sp->title for TITLE); else SIZE_MAX */
	int dual;               /* 0, or 1/2 for the left/right speech of dual dialogue */
	char *text;             /* plain text without markup, NUL-terminated; owned */
	size_t len;             /* bytes of text */
	size_t width;           /* columns (code points) of text */
	text_run *runs;         /* (n_runs) styles over text, as text/markup.h; owned */
	size_t n_runs;
} text_layout_line;

typedef struct text_layout_options {
	text_paper paper;
	bool continueds; /* print "(CONTINUED)" / "CONTINUED:" where a scene runs on */
} text_layout_options;

typedef struct text_layout {
	text_layout_line *lines; /* (n_lines) sorted by page, row, column */
	size_t n_lines;
	int n_pages;          /* physical pages, the title page included */
	bool title_page;      /* page 0 is a title page (sp has a printable title field) */
	int lines_per_page;   /* body rows: 55 on Letter, 59 on A4 */
	int last_rows;        /* body rows used on the last page */
	int paper_cols;       /* columns across the paper: 85 (Letter), 82 (A4) */
	int paper_rows;       /* rows down the paper: 66, 70 */
	int right_col;        /* where transitions and page numbers end: paper_cols - 10 */
	double width_pt, height_pt; /* paper size in points */
	char *title;          /* plain text of the Title field's first line, or NULL; owned */
	size_t cap;           /* private */
} text_layout;

/* Lays sp out into l (caller storage), to be released with
 * text_layout_release().  o may be NULL for Letter without continueds.
 * Never fails. */
void text_layout_init(text_layout *l, const text_screenplay *sp, const text_layout_options *o);

/* Frees what l holds and zeroes it.  Safe on a zeroed text_layout. */
void text_layout_release(text_layout *l);

/* The number printed on physical page p: 0 for the title page, else 1, 2, ... */
int text_layout_page_number(const text_layout *l, int page);

/* The script's pages (the title page not counted). */
int text_layout_pages(const text_layout *l);

/* The script's length in pages, the last one counted by the rows it fills
 * (2.5 for a page and a half): the usual estimate of screen minutes. */
double text_layout_length(const text_layout *l);

/* Wraps the first len bytes of s (UTF-8, '\n' a hard break) into lines of at
 * most width code points, breaking at spaces or after a hyphen between letters,
 * or inside a word longer than a line.  Stores (start, end) byte offsets of
 * each line, spaces at the break dropped, in *spans (2 * count entries, free())
 * and returns the count (at least 1; an empty paragraph is an empty line). */
size_t text_wrap(const char *s, size_t len, size_t width, size_t **spans);
