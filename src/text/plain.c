#include "text/plain.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "text/buf.h"

/* The plain-text page is the printed one less its 1" left margin. */
#define LEFT_MARGIN 10

/* One row being assembled: its text and its width in columns. */
struct row {
	text_buf b;
	size_t width;
};

static void put(struct row *r, size_t col, const char *s, size_t len, size_t width)
{
	if (r->width >= col && r->width > 0)
		col = r->width + 1; /* never overwrite: dual columns that touch */
	while (r->width < col) {
		text_buf_addc(&r->b, ' ');
		r->width++;
	}
	text_buf_add(&r->b, s, len);
	r->width += width;
}

static int plain_col(const text_layout_line *ln, bool flat)
{
	int col = ln->col;
	if (flat && ln->dual == 0 && ln->kind == TEXT_LINE_TEXT &&
	    (ln->type == TEXT_DIALOGUE || ln->type == TEXT_PARENTHETICAL || ln->type == TEXT_LYRICS))
		col = TEXT_COL_ACTION;
	col -= LEFT_MARGIN;
	return col < 0 ? 0 : col;
}

char *text_plain_render(const text_layout *l, const text_plain_options *o)
{
	text_plain_options def = { 0 };
	if (!o)
		o = &def;
	text_buf out = { 0 };
	struct row *rows = bj_xcalloc((size_t)l->paper_rows + 8, sizeof(*rows));
	size_t i = 0;
	for (int p = 0; p < l->n_pages; p++) {
		int first = -1, last = -1;
		for (; i < l->n_lines && l->lines[i].page == p; i++) {
			const text_layout_line *ln = &l->lines[i];
			int r = ln->row;
			if (r < 0 || r >= l->paper_rows + 8)
				continue;
			put(&rows[r], (size_t)plain_col(ln, o->flat), ln->text, ln->len, ln->width);
			if (first < 0 || r < first)
				first = r;
			if (r > last)
				last = r;
		}
		if (p > 0)
			text_buf_adds(&out, o->form_feeds ? "\f" : "\n\n\n");
		for (int r = first; r >= 0 && r <= last; r++) {
			if (rows[r].b.len)
				text_buf_add(&out, rows[r].b.s, rows[r].b.len);
			text_buf_addc(&out, '\n');
			text_buf_release(&rows[r].b);
			rows[r].width = 0;
		}
	}
	free(rows);
	return text_buf_detach(&out);
}
