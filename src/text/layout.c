#include "text/layout.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/utf8.h"

/*
 * The page is the standard one of screenwriting software (Final Draft, Fade In,
 * Highland; "The Hollywood Standard", Riley, ch. 1-2): Courier 12 pt, so the
 * layout is a grid of character cells, and every element type has a left edge
 * and a width.  A script is cut into blocks (a heading, an action paragraph, a
 * speech, a dual speech, a transition, ...) with a blank row before each, and
 * the blocks are poured into pages:
 *
 *   - a block that fits is placed whole;
 *   - a heading must have room for the first lines of the block after it
 *     (two action lines, or a cue and two lines of speech), else it moves on;
 *   - an action paragraph of four or more lines may break with two lines on
 *     each side; a speech may break inside its dialogue, never after a
 *     parenthetical, with the cue and two lines before the break, "(MORE)"
 *     below and "NAME (CONT'D)" atop the next page;
 *   - anything else moves to the next page; a block taller than a page is cut
 *     where the page ends.
 */

/* Places of one element type (columns). */
struct place {
	int col;
	int width;
	int hang; /* extra indent of lines after the first (parentheticals) */
};

/* A line of a block before pagination. */
struct bline {
	int row; /* within the block */
	int col;
	text_line_kind kind;
	text_element_type type;
	size_t element;
	int dual;
	bool no_break_after; /* the page may not end after this row (parentheticals) */
	char *text;
	size_t len, width;
	text_run *runs;
	size_t n_runs;
};

enum block_kind { B_HEADING, B_ACTION, B_SPEECH, B_DUAL, B_SOLID, B_BREAK };

struct block {
	enum block_kind kind;
	struct bline *lines; /* (n) in row order */
	size_t n, cap;
	int rows;
	int cue_rows;  /* B_SPEECH: rows of the cue */
	char *cue;     /* B_SPEECH: the cue's plain text, for "(CONT'D)" */
	size_t cue_element;
};

struct pager {
	text_layout *l;
	int page;  /* current physical page */
	int row;   /* body rows used on it */
};

static size_t utf8_width(const char *s, size_t n)
{
	return bj_utf8_count(s, n);
}

static bool is_letter_at(const char *s, size_t len, size_t i)
{
	if (i >= len)
		return false;
	unsigned char c = (unsigned char)s[i];
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static size_t cp_len(const char *s, size_t len, size_t i)
{
	uint32_t cp;
	int n = bj_utf8_decode(s + i, len - i, &cp);
	return n < 0 ? (size_t)-n : (size_t)n;
}

static void add_span(size_t **v, size_t *n, size_t *cap, size_t a, size_t b)
{
	BJ_GROW(*v, *cap, 2 * (*n + 1));
	(*v)[2 * *n] = a;
	(*v)[2 * *n + 1] = b;
	(*n)++;
}

size_t text_wrap(const char *s, size_t len, size_t width, size_t **spans)
{
	size_t n = 0, cap = 0;
	*spans = NULL;
	if (width < 1)
		width = 1;
	size_t seg = 0;
	for (;;) {
		size_t seg_end = seg;
		while (seg_end < len && s[seg_end] != '\n')
			seg_end++;
		size_t pos = seg;
		bool first = true;
		while (first || pos < seg_end) {
			first = false;
			size_t start = pos, i = pos, col = 0;
			size_t brk_end = SIZE_MAX, brk_next = SIZE_MAX;
			while (i < seg_end && col < width) {
				if (s[i] == ' ' && i > start && s[i - 1] != ' ') {
					brk_end = i;
					size_t j = i;
					while (j < seg_end && s[j] == ' ')
						j++;
					brk_next = j;
				}
				size_t k = cp_len(s, seg_end, i);
				if (s[i] == '-' && i > start && is_letter_at(s, seg_end, i - 1) &&
				    is_letter_at(s, seg_end, i + 1)) {
					brk_end = i + 1;
					brk_next = i + 1;
				}
				col++;
				i += k;
			}
			if (i >= seg_end) {
				add_span(spans, &n, &cap, start, seg_end);
				break;
			}
			if (s[i] == ' ') {
				size_t e = i;
				while (e > start && s[e - 1] == ' ')
					e--;
				if (e > start) {
					add_span(spans, &n, &cap, start, e);
					while (i < seg_end && s[i] == ' ')
						i++;
					pos = i;
					if (pos >= seg_end)
						break;
					continue;
				}
			}
			if (brk_end != SIZE_MAX && brk_end > start) {
				add_span(spans, &n, &cap, start, brk_end);
				pos = brk_next;
			} else {
				add_span(spans, &n, &cap, start, i);
				pos = i;
			}
			if (pos >= seg_end)
				break;
		}
		if (seg_end >= len)
			break;
		seg = seg_end + 1;
	}
	return n;
}

/* Copies the runs of st that fall in [a, b), offsets made relative to a. */
static void slice_runs(const text_styled *st, size_t a, size_t b, text_run **runs, size_t *n_runs)
{
	size_t n = 0;
	*runs = NULL;
	*n_runs = 0;
	for (size_t i = 0; i < st->n_runs; i++) {
		size_t rs = st->runs[i].start, re = rs + st->runs[i].len;
		if (re > a && rs < b)
			n++;
	}
	if (!n)
		return;
	*runs = bj_xmalloc(n * sizeof(**runs));
	for (size_t i = 0; i < st->n_runs; i++) {
		size_t rs = st->runs[i].start, re = rs + st->runs[i].len;
		if (re <= a || rs >= b)
			continue;
		if (rs < a)
			rs = a;
		if (re > b)
			re = b;
		(*runs)[(*n_runs)++] = (text_run){ rs - a, re - rs, st->runs[i].style };
	}
}

static struct bline *block_add(struct block *b, int row, int col, text_line_kind kind,
                               text_element_type type, size_t element, const char *text,
                               size_t len)
{
	BJ_GROW(b->lines, b->cap, b->n + 1);
	struct bline *ln = &b->lines[b->n++];
	*ln = (struct bline){ .row = row, .col = col, .kind = kind, .type = type, .element = element };
	ln->text = bj_xmalloc(len + 1);
	memcpy(ln->text, text, len);
	ln->text[len] = '\0';
	ln->len = len;
	ln->width = utf8_width(text, len);
	if (row + 1 > b->rows)
		b->rows = row + 1;
	return ln;
}

enum align { ALIGN_LEFT, ALIGN_RIGHT, ALIGN_CENTER };

/* Wraps text (with markup) into b from row on; returns the rows used. */
static int add_text(struct block *b, int row, const char *text, struct place p, enum align align,
                    int right, text_line_kind kind, text_element_type type, size_t element,
                    int dual)
{
	text_styled st;
	text_styled_init(&st, text);
	size_t *spans;
	size_t n = text_wrap(st.plain, st.len, (size_t)p.width, &spans);
	for (size_t i = 0; i < n; i++) {
		size_t a = spans[2 * i], e = spans[2 * i + 1];
		int col = p.col + (i ? p.hang : 0);
		size_t w = utf8_width(st.plain + a, e - a);
		if (align == ALIGN_RIGHT)
			col = right - (int)w;
		else if (align == ALIGN_CENTER)
			col = p.col + (p.width - (int)w) / 2;
		if (col < 0)
			col = 0;
		struct bline *ln = block_add(b, row + (int)i, col, kind, type, element, st.plain + a, e - a);
		ln->dual = dual;
		slice_runs(&st, a, e, &ln->runs, &ln->n_runs);
		if (type == TEXT_LYRICS) {
			/* lyrics are printed in italics (fountain_syntax.md, Lyrics) */
			for (size_t r = 0; r < ln->n_runs; r++)
				ln->runs[r].style |= TEXT_STYLE_ITALIC;
			if (!ln->n_runs && ln->len) {
				ln->runs = bj_xmalloc(sizeof(*ln->runs));
				ln->runs[0] = (text_run){ 0, ln->len, TEXT_STYLE_ITALIC };
				ln->n_runs = 1;
			}
		}
	}
	free(spans);
	text_styled_release(&st);
	return (int)n;
}

static void block_release(struct block *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->lines[i].text);
		free(b->lines[i].runs);
	}
	free(b->lines);
	free(b->cue);
	memset(b, 0, sizeof(*b));
}

static bool printed(text_element_type t)
{
	return t != TEXT_NOTE && t != TEXT_BONEYARD && t != TEXT_SECTION && t != TEXT_SYNOPSIS;
}

static bool in_speech(text_element_type t)
{
	return t == TEXT_DIALOGUE || t == TEXT_PARENTHETICAL || t == TEXT_LYRICS;
}

/* The end of the speech whose cue is at i: the first element after it that is
 * not dialogue, a parenthetical or lyrics (notes and the like are skipped). */
static size_t speech_end(const text_screenplay *sp, size_t i)
{
	size_t j = i + 1;
	while (j < sp->n_elements &&
	       (in_speech(sp->elements[j].type) || !printed(sp->elements[j].type)))
		j++;
	/* unprinted elements after the last line belong to what follows */
	while (j > i + 1 && !printed(sp->elements[j - 1].type))
		j--;
	return j;
}

/* Adds the speech [i, end) to b with the given places; returns its rows. */
static int add_speech(struct block *b, const text_screenplay *sp, size_t i, size_t end,
                      const struct place *cue, const struct place *dlg, const struct place *par,
                      int dual)
{
	int row = add_text(b, 0, sp->elements[i].text, *cue, ALIGN_LEFT, 0, TEXT_LINE_TEXT,
	                   TEXT_CHARACTER, i, dual);
	int cue_rows = row;
	for (size_t j = i + 1; j < end; j++) {
		const text_element *e = &sp->elements[j];
		if (!printed(e->type))
			continue;
		const struct place *p = e->type == TEXT_PARENTHETICAL ? par : dlg;
		size_t before = b->n;
		row += add_text(b, row, e->text, *p, ALIGN_LEFT, 0, TEXT_LINE_TEXT, e->type, j, dual);
		if (e->type == TEXT_PARENTHETICAL)
			for (size_t k = before; k < b->n; k++)
				b->lines[k].no_break_after = true;
	}
	if (!dual)
		b->cue_rows = cue_rows;
	return row;
}

struct layout_ctx {
	const text_screenplay *sp;
	text_layout *l;
	struct place action, dialogue, paren, cue;
};

/* The cue repeated atop a page where the speech goes on: "EVE (CONT'D)". */
static char *contd_cue(const char *cue)
{
	if (strcasestr(cue, "(CONT'D)") || strcasestr(cue, "(CONT\u2019D)"))
		return bj_xstrdup(cue);
	return bj_xasprintf("%s (CONT'D)", cue);
}

/* Builds the block that starts at element *i and advances *i past it.
 * Returns false at the end of the script. */
static bool next_block(struct layout_ctx *c, size_t *i, struct block *b)
{
	const text_screenplay *sp = c->sp;
	while (*i < sp->n_elements && !printed(sp->elements[*i].type))
		(*i)++;
	if (*i >= sp->n_elements)
		return false;
	memset(b, 0, sizeof(*b));
	size_t k = *i;
	const text_element *e = &sp->elements[k];
	switch (e->type) {
	case TEXT_PAGE_BREAK:
		b->kind = B_BREAK;
		*i = k + 1;
		return true;
	case TEXT_SCENE_HEADING:
		b->kind = B_HEADING;
		add_text(b, 0, e->text, c->action, ALIGN_LEFT, 0, TEXT_LINE_TEXT, e->type, k, 0);
		if (e->scene_number && *e->scene_number) {
			size_t n = strlen(e->scene_number);
			int w = (int)utf8_width(e->scene_number, n);
			int left = TEXT_COL_ACTION - 5 - (w > 3 ? w - 3 : 0);
			block_add(b, 0, left < 0 ? 0 : left, TEXT_LINE_SCENE_NUMBER, e->type, k,
			          e->scene_number, n);
			block_add(b, 0, c->l->right_col + 2, TEXT_LINE_SCENE_NUMBER, e->type, k,
			          e->scene_number, n);
		}
		*i = k + 1;
		return true;
	case TEXT_CHARACTER: {
		size_t end = speech_end(sp, k);
		if (end < sp->n_elements && sp->elements[end].type == TEXT_CHARACTER &&
		    sp->elements[end].dual) {
			/* two speeches side by side: the left column from 1.5" to 4.3", the
			 * right one from 4.6" to 7.4" (Final Draft's dual dialogue) */
			size_t end2 = speech_end(sp, end);
			struct place lc = { 22, 20, 0 }, ld = { 15, 28, 0 }, lp = { 18, 22, 1 };
			struct place rc = { 53, 20, 0 }, rd = { 46, 28, 0 }, rp = { 49, 22, 1 };
			b->kind = B_DUAL;
			add_speech(b, sp, k, end, &lc, &ld, &lp, 1);
			add_speech(b, sp, end, end2, &rc, &rd, &rp, 2);
			*i = end2;
			return true;
		}
		b->kind = B_SPEECH;
		add_speech(b, sp, k, end, &c->cue, &c->dialogue, &c->paren, 0);
		text_styled st;
		text_styled_init(&st, e->text);
		b->cue = contd_cue(st.plain);
		text_styled_release(&st);
		b->cue_element = k;
		*i = end;
		return true;
	}
	case TEXT_ACTION:
		b->kind = B_ACTION;
		add_text(b, 0, e->text, c->action, ALIGN_LEFT, 0, TEXT_LINE_TEXT, e->type, k, 0);
		break;
	case TEXT_TRANSITION:
		b->kind = B_SOLID;
		add_text(b, 0, e->text, c->action, ALIGN_RIGHT, c->l->right_col, TEXT_LINE_TEXT,
		         e->type, k, 0);
		break;
	case TEXT_CENTERED:
		b->kind = B_SOLID;
		add_text(b, 0, e->text, c->action, ALIGN_CENTER, 0, TEXT_LINE_TEXT, e->type, k, 0);
		break;
	case TEXT_DIALOGUE:
	case TEXT_PARENTHETICAL:
	case TEXT_LYRICS:
		/* speech lines without a cue (a lyric on its own): where they would
		 * stand under one */
		b->kind = B_SOLID;
		add_text(b, 0, e->text, e->type == TEXT_PARENTHETICAL ? c->paren : c->dialogue,
		         ALIGN_LEFT, 0, TEXT_LINE_TEXT, e->type, k, 0);
		break;
	default:
		b->kind = B_SOLID;
		add_text(b, 0, e->text, c->action, ALIGN_LEFT, 0, TEXT_LINE_TEXT, e->type, k, 0);
		break;
	}
	*i = k + 1;
	return true;
}

static void emit(text_layout *l, int page, int row, const struct bline *src)
{
	BJ_GROW(l->lines, l->cap, l->n_lines + 1);
	text_layout_line *d = &l->lines[l->n_lines++];
	*d = (text_layout_line){
		.page = page, .row = row, .col = src->col, .kind = src->kind, .type = src->type,
		.element = src->element, .dual = src->dual, .text = src->text, .len = src->len,
		.width = src->width, .runs = src->runs, .n_runs = src->n_runs,
	};
}

static void emit_new(text_layout *l, int page, int row, int col, text_line_kind kind,
                     text_element_type type, size_t element, const char *text)
{
	struct bline b = { .col = col, .kind = kind, .type = type, .element = element };
	b.len = strlen(text);
	b.text = bj_xstrdup(text);
	b.width = utf8_width(text, b.len);
	emit(l, page, row, &b);
}

/* Moves the lines of rows [from, to) of b to the page at body row `at`;
 * the block gives up ownership of their strings. */
static void place_rows(struct pager *pg, struct block *b, int from, int to, int at)
{
	for (size_t i = 0; i < b->n; i++) {
		struct bline *ln = &b->lines[i];
		if (ln->row < from || ln->row >= to || !ln->text)
			continue;
		emit(pg->l, pg->page, TEXT_ROW_BODY + at + ln->row - from, ln);
		ln->text = NULL;
		ln->runs = NULL;
	}
}

/* Whether the page may end after the first k rows of b (k rows placed). */
static bool may_break(const struct block *b, int s, int k)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->lines[i].row == k - 1 && b->lines[i].no_break_after)
			return false;
	if (b->kind == B_ACTION)
		return k - s >= 2 && b->rows - k >= 2;
	if (b->kind == B_SPEECH)
		return k - (s ? s : b->cue_rows) >= 2 && b->rows - k >= 1;
	return false;
}

/* The rows the first part of b needs on a page: up to its first allowed
 * break, and the "(MORE)" row of a speech. */
static int min_rows(const struct block *b)
{
	if (b->kind == B_ACTION || b->kind == B_SPEECH)
		for (int k = 1; k < b->rows; k++)
			if (may_break(b, 0, k))
				return k + (b->kind == B_SPEECH);
	return b->rows;
}

static void new_page(struct pager *pg)
{
	pg->page++;
	pg->row = 0;
}

static void pour(struct pager *pg, struct block *b, const struct block *next)
{
	text_layout *l = pg->l;
	int lpp = l->lines_per_page;
	if (b->kind == B_BREAK) {
		if (pg->row > 0)
			new_page(pg);
		return;
	}
	int s = 0; /* rows of b already placed */
	for (;;) {
		int hdr = s > 0 && b->kind == B_SPEECH;  /* the "(CONT'D)" cue */
		int more = b->kind == B_SPEECH;
		int space = s == 0 && pg->row > 0 ? 1 : 0;
		int avail = lpp - pg->row - space;
		int keep = 0;
		if (b->kind == B_HEADING && next && next->kind != B_BREAK && next->kind != B_HEADING &&
		    pg->row > 0)
			keep = 1 + min_rows(next);
		if (hdr + b->rows - s + keep <= avail) {
			int at = pg->row + space;
			if (hdr)
				emit_new(l, pg->page, TEXT_ROW_BODY + at, TEXT_COL_CUE, TEXT_LINE_CONTD,
				         TEXT_CHARACTER, b->cue_element, b->cue);
			place_rows(pg, b, s, b->rows, at + hdr);
			pg->row = at + hdr + b->rows - s;
			return;
		}
		int k = 0;
		for (int j = b->rows - 1; j > s; j--)
			if (may_break(b, s, j) && hdr + j - s + more <= avail) {
				k = j;
				break;
			}
		if (!k && pg->row > 0) {
			new_page(pg);
			continue;
		}
		if (!k) {
			/* taller than a page: cut where the page ends */
			k = s + avail - hdr - more;
			if (k <= s)
				k = s + 1;
		}
		int at = pg->row + space;
		if (hdr)
			emit_new(l, pg->page, TEXT_ROW_BODY + at, TEXT_COL_CUE, TEXT_LINE_CONTD,
			         TEXT_CHARACTER, b->cue_element, b->cue);
		place_rows(pg, b, s, k, at + hdr);
		if (more)
			emit_new(l, pg->page, TEXT_ROW_BODY + at + hdr + k - s, TEXT_COL_CUE,
			         TEXT_LINE_MORE, TEXT_CHARACTER, SIZE_MAX, "(MORE)");
		new_page(pg);
		s = k;
	}
}

/* Title page: Title, Credit, Author(s), Source centred a third of the way
 * down; Contact at the bottom left; Draft date, Copyright and Notes at the
 * bottom right (the arrangement of fountain.io's title page). */
static bool title_page(text_layout *l, const text_screenplay *sp)
{
	static const char *const centre_keys[] = { "title", "credit", "author", "authors", "source" };
	static const char *const left_keys[] = { "contact" };
	static const char *const right_keys[] = { "draft date", "copyright", "notes" };
	struct block centre = { 0 }, left = { 0 }, right = { 0 };
	struct place full = { 0, l->paper_cols, 0 };
	struct place side = { TEXT_COL_ACTION, 30, 0 };
	int row = 0;
	for (size_t k = 0; k < BJ_ARRAY_SIZE(centre_keys); k++)
		for (size_t f = 0; f < sp->n_title; f++) {
			if (strcasecmp(sp->title[f].key, centre_keys[k]) != 0 || !*sp->title[f].value)
				continue;
			if (row)
				row++;
			row += add_text(&centre, row, sp->title[f].value, full, ALIGN_CENTER, 0,
			                TEXT_LINE_TITLE, TEXT_ACTION, f, 0);
		}
	row = 0;
	for (size_t f = 0; f < sp->n_title; f++)
		for (size_t k = 0; k < BJ_ARRAY_SIZE(left_keys); k++)
			if (strcasecmp(sp->title[f].key, left_keys[k]) == 0 && *sp->title[f].value) {
				if (row)
					row++;
				row += add_text(&left, row, sp->title[f].value, side, ALIGN_LEFT, 0,
				                TEXT_LINE_TITLE, TEXT_ACTION, f, 0);
			}
	row = 0;
	for (size_t f = 0; f < sp->n_title; f++)
		for (size_t k = 0; k < BJ_ARRAY_SIZE(right_keys); k++)
			if (strcasecmp(sp->title[f].key, right_keys[k]) == 0 && *sp->title[f].value) {
				if (row)
					row++;
				row += add_text(&right, row, sp->title[f].value, side, ALIGN_RIGHT, l->right_col,
				                TEXT_LINE_TITLE, TEXT_ACTION, f, 0);
			}
	bool any = centre.n || left.n || right.n;
	if (any) {
		struct pager pg = { l, 0, 0 };
		int bottom = l->lines_per_page;
		int top = l->paper_rows / 3 - TEXT_ROW_BODY;
		if (top + centre.rows > bottom)
			top = 0;
		place_rows(&pg, &centre, 0, centre.rows, top);
		int lb = bottom - left.rows, rb = bottom - right.rows;
		place_rows(&pg, &left, 0, left.rows, lb < 0 ? 0 : lb);
		place_rows(&pg, &right, 0, right.rows, rb < 0 ? 0 : rb);
	}
	block_release(&centre);
	block_release(&left);
	block_release(&right);
	return any;
}

static int line_cmp(const void *pa, const void *pb)
{
	const text_layout_line *a = pa, *b = pb;
	if (a->page != b->page)
		return a->page < b->page ? -1 : 1;
	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* "(CONTINUED)" at the foot of a page and "CONTINUED:" atop the next where a
 * scene runs on across the break (the shooting-script convention). */
static void add_continueds(text_layout *l)
{
	int first = l->title_page ? 1 : 0;
	bool in_scene = false;
	size_t i = 0, n = l->n_lines;
	for (int p = first; p < l->n_pages; p++) {
		bool heading_first = false, seen_body = false;
		while (i < n && l->lines[i].page < p)
			i++;
		for (; i < n && l->lines[i].page == p; i++) {
			const text_layout_line *ln = &l->lines[i];
			if (ln->kind != TEXT_LINE_TEXT && ln->kind != TEXT_LINE_CONTD)
				continue;
			if (!seen_body)
				heading_first = ln->type == TEXT_SCENE_HEADING;
			seen_body = true;
			if (ln->type == TEXT_SCENE_HEADING)
				in_scene = true;
		}
		if (p > first && in_scene && seen_body && !heading_first) {
			emit_new(l, p - 1, TEXT_ROW_BODY + l->lines_per_page + 1, l->right_col - 11,
			         TEXT_LINE_CONTINUED, TEXT_ACTION, SIZE_MAX, "(CONTINUED)");
			emit_new(l, p, TEXT_ROW_BODY - 2, TEXT_COL_ACTION, TEXT_LINE_CONTINUED, TEXT_ACTION,
			         SIZE_MAX, "CONTINUED:");
		}
	}
}

static void add_continueds_sorted(text_layout *l)
{
	if (l->n_lines > 1)
		qsort(l->lines, l->n_lines, sizeof(*l->lines), line_cmp);
	add_continueds(l);
	if (l->n_lines > 1)
		qsort(l->lines, l->n_lines, sizeof(*l->lines), line_cmp);
}

void text_layout_init(text_layout *l, const text_screenplay *sp, const text_layout_options *o)
{
	text_layout_options def = { 0 };
	if (!o)
		o = &def;
	memset(l, 0, sizeof(*l));
	if (o->paper == TEXT_PAPER_A4) {
		l->width_pt = 595.2756;  /* 210 mm */
		l->height_pt = 841.8898; /* 297 mm */
		l->paper_cols = 82;
		l->paper_rows = 70;
		l->lines_per_page = 59;
	} else {
		l->width_pt = 612;
		l->height_pt = 792;
		l->paper_cols = 85;
		l->paper_rows = 66;
		l->lines_per_page = 55;
	}
	l->right_col = l->paper_cols - 10;
	const char *title = text_screenplay_title_get(sp, "title");
	if (title && *title) {
		text_styled st;
		text_styled_init(&st, title);
		size_t n = strcspn(st.plain, "\n");
		l->title = bj_xmalloc(n + 1);
		memcpy(l->title, st.plain, n);
		l->title[n] = '\0';
		text_styled_release(&st);
	}

	struct layout_ctx c = { .sp = sp, .l = l };
	int aw = l->right_col - TEXT_COL_ACTION;
	c.action = (struct place){ TEXT_COL_ACTION, aw, 0 };
	c.dialogue = (struct place){ TEXT_COL_DIALOGUE, TEXT_DIALOGUE_WIDTH, 0 };
	c.paren = (struct place){ TEXT_COL_PAREN, TEXT_PAREN_WIDTH, 1 };
	c.cue = (struct place){ TEXT_COL_CUE, l->right_col - TEXT_COL_CUE, 0 };

	l->title_page = title_page(l, sp);
	struct pager pg = { l, l->title_page ? 1 : 0, 0 };
	struct block cur, nxt;
	size_t i = 0;
	bool have = next_block(&c, &i, &cur);
	while (have) {
		bool have_next = next_block(&c, &i, &nxt);
		pour(&pg, &cur, have_next ? &nxt : NULL);
		block_release(&cur);
		cur = nxt;
		have = have_next;
	}
	/* a page break at the very end leaves an empty page that is not printed */
	l->n_pages = pg.row > 0 ? pg.page + 1 : pg.page;
	l->last_rows = pg.row > 0 ? pg.row : pg.page > (l->title_page ? 1 : 0) ? l->lines_per_page : 0;
	if (l->n_pages == 0)
		l->n_pages = 1; /* an empty script is one blank page */

	for (int p = l->title_page ? 2 : 1; p < l->n_pages; p++) {
		char num[24];
		snprintf(num, sizeof(num), "%d.", text_layout_page_number(l, p));
		emit_new(l, p, TEXT_ROW_PAGE_NUMBER, l->right_col - (int)strlen(num),
		         TEXT_LINE_PAGE_NUMBER, TEXT_ACTION, SIZE_MAX, num);
	}
	if (o->continueds)
		add_continueds_sorted(l);
	else if (l->n_lines > 1)
		qsort(l->lines, l->n_lines, sizeof(*l->lines), line_cmp);
}

void text_layout_release(text_layout *l)
{
	for (size_t i = 0; i < l->n_lines; i++) {
		free(l->lines[i].text);
		free(l->lines[i].runs);
	}
	free(l->lines);
	free(l->title);
	memset(l, 0, sizeof(*l));
}

int text_layout_page_number(const text_layout *l, int page)
{
	return l->title_page ? page : page + 1;
}

int text_layout_pages(const text_layout *l)
{
	return l->n_pages - (l->title_page ? 1 : 0);
}

double text_layout_length(const text_layout *l)
{
	int pages = text_layout_pages(l);
	if (pages <= 0)
		return 0;
	return pages - 1 + (double)l->last_rows / l->lines_per_page;
}
