#include "text/layout.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "harness.h"
#include "text/fountain.h"
#include "text/plain.h"

static const char *const samples[] = {
	"big_fish", "brick_and_steel", "my_living_memory", "printing_trouble",
};

static text_screenplay *parse_str(const char *src)
{
	text_screenplay *sp = NULL;
	int ret = text_fountain_parse("test.fountain", src, strlen(src), &sp);
	CHECK(ret == 0, "%s", bj_error_message());
	return sp;
}

static text_screenplay *load_sample(const char *name)
{
	char rel[128];
	snprintf(rel, sizeof(rel), "text/fountain/%s.fountain", name);
	const char *path = test_data(rel);
	if (!path)
		return NULL;
	text_screenplay *sp = NULL;
	CHECK(text_fountain_load(path, &sp) == 0, "%s", bj_error_message());
	return sp;
}

/* The wrapped lines of s at width w, joined with '|'. */
static char *wrapped(const char *s, size_t w)
{
	size_t *spans;
	size_t n = text_wrap(s, strlen(s), w, &spans);
	char *out = bj_xmalloc(strlen(s) + n + 1), *p = out;
	for (size_t i = 0; i < n; i++) {
		if (i)
			*p++ = '|';
		memcpy(p, s + spans[2 * i], spans[2 * i + 1] - spans[2 * i]);
		p += spans[2 * i + 1] - spans[2 * i];
	}
	*p = '\0';
	free(spans);
	return out;
}

static void test_wrap(void)
{
	static const struct {
		const char *in;
		size_t width;
		const char *want;
	} cases[] = {
		{ "", 10, "" },
		{ "short", 10, "short" },
		{ "exactly ten", 11, "exactly ten" },
		{ "one two three four", 9, "one two|three|four" },
		{ "one  two   three", 8, "one  two|three" },
		{ "smash-and-grab money", 8, "smash-|and-grab|money" },
		{ "a -- b", 4, "a --|b" },
		{ "unbreakableword", 5, "unbre|akabl|eword" },
		{ "line one\nline two", 20, "line one|line two" },
		{ "para\n\nafter", 20, "para||after" },
		{ "caf\xc3\xa9 caf\xc3\xa9", 4, "caf\xc3\xa9|caf\xc3\xa9" },
		{ "    indented action here", 12, "    indented|action here" },
	};
	for (size_t i = 0; i < BJ_ARRAY_SIZE(cases); i++) {
		char *got = wrapped(cases[i].in, cases[i].width);
		CHECK(strcmp(got, cases[i].want) == 0, "wrap(\"%s\", %zu) = \"%s\", want \"%s\"",
		      cases[i].in, cases[i].width, got, cases[i].want);
		free(got);
	}
}

/* The first line of element e, or NULL. */
static const text_layout_line *line_of(const text_layout *l, size_t e)
{
	for (size_t i = 0; i < l->n_lines; i++)
		if (l->lines[i].kind == TEXT_LINE_TEXT && l->lines[i].element == e)
			return &l->lines[i];
	return NULL;
}

static void test_indents(void)
{
	text_screenplay *sp = parse_str(
		"EXT. PATIO - DAY\n\nSteel sits.\n\nSTEEL\n(beer raised)\nTo retirement.\n\n"
		"CUT TO:\n\n>THE END<\n");
	if (!sp)
		return;
	text_layout l;
	text_layout_init(&l, sp, NULL);
	static const int want[] = { 15, 15, 37, 31, 25, 68, 41 };
	CHECK(sp->n_elements == BJ_ARRAY_SIZE(want), "%zu elements", sp->n_elements);
	for (size_t e = 0; e < sp->n_elements && e < BJ_ARRAY_SIZE(want); e++) {
		const text_layout_line *ln = line_of(&l, e);
		CHECK(ln && ln->col == want[e], "%s at column %d, want %d",
		      text_element_type_name(sp->elements[e].type), ln ? ln->col : -1, want[e]);
	}
	/* rows: one blank row between elements, none inside the speech */
	static const int rows[] = { 6, 8, 10, 11, 12, 14, 16 };
	for (size_t e = 0; e < sp->n_elements && e < BJ_ARRAY_SIZE(rows); e++) {
		const text_layout_line *ln = line_of(&l, e);
		CHECK(ln && ln->row == rows[e] && ln->page == 0, "element %zu at page %d row %d", e,
		      ln ? ln->page : -1, ln ? ln->row : -1);
	}
	CHECK(l.n_pages == 1 && !l.title_page && text_layout_pages(&l) == 1);
	CHECK(l.lines_per_page == 55 && l.last_rows == 11, "last rows %d", l.last_rows);
	CHECK_NEAR(text_layout_length(&l), 11.0 / 55, 1e-9);
	text_layout_release(&l);

	text_layout_init(&l, sp, &(text_layout_options){ .paper = TEXT_PAPER_A4 });
	CHECK(l.lines_per_page == 59 && l.paper_cols == 82 && l.right_col == 72);
	const text_layout_line *tr = line_of(&l, 5);
	CHECK(tr && tr->col + (int)tr->width == 72, "A4 transition ends at %d", tr ? tr->col + (int)tr->width : -1);
	CHECK_NEAR(l.width_pt, 595.2756, 1e-3);
	text_layout_release(&l);
	text_screenplay_free(sp);
}

static char *repeat(const char *unit, int n)
{
	size_t len = strlen(unit);
	char *s = bj_xmalloc(len * (size_t)n + 1);
	for (int i = 0; i < n; i++)
		memcpy(s + len * (size_t)i, unit, len);
	s[len * (size_t)n] = '\0';
	return s;
}

/* A page of 55 rows holds 27 one-line paragraphs and their blank rows (53
 * rows); what comes next decides whether the page takes more. */
static void test_heading_not_orphaned(void)
{
	char *fill = repeat("Action.\n\n", 27);
	char *src = bj_xasprintf("%sINT. HOUSE - DAY\n\nTwo lines of action,\nthe second.\n", fill);
	text_screenplay *sp = parse_str(src);
	text_layout l;
	text_layout_init(&l, sp, NULL);
	const text_layout_line *h = line_of(&l, 27);
	/* row 60 is the page's last: the heading would fit, its action not */
	CHECK(h && h->page == 1 && h->row == TEXT_ROW_BODY, "heading at page %d row %d",
	      h ? h->page : -1, h ? h->row : -1);
	CHECK(l.n_pages == 2);
	text_layout_release(&l);
	text_screenplay_free(sp);
	free(src);
	free(fill);
}

static void test_more_contd(void)
{
	char *fill = repeat("Action.\n\n", 24); /* rows 6..52 */
	char *src = bj_xasprintf("%sEVE (V.O.)\nOne.\n(beat)\nTwo.\nThree.\nFour.\nFive.\nSix.\n"
	                         "Seven.\n\nAfter.\n", fill);
	text_screenplay *sp = parse_str(src);
	text_layout l;
	text_layout_init(&l, sp, NULL);
	/* cue at row 54; the page ends at row 60: cue + 5 rows + (MORE) fit */
	int more = -1, contd = -1;
	for (size_t i = 0; i < l.n_lines; i++) {
		const text_layout_line *ln = &l.lines[i];
		if (ln->kind == TEXT_LINE_MORE) {
			more = (int)i;
			CHECK(ln->page == 0 && ln->col == TEXT_COL_CUE && strcmp(ln->text, "(MORE)") == 0);
		}
		if (ln->kind == TEXT_LINE_CONTD) {
			contd = (int)i;
			CHECK(ln->page == 1 && ln->row == TEXT_ROW_BODY &&
			      strcmp(ln->text, "EVE (V.O.) (CONT'D)") == 0, "\"%s\" at %d/%d", ln->text,
			      ln->page, ln->row);
		}
	}
	CHECK(more > 0 && contd > more, "more %d contd %d", more, contd);
	if (more > 0) {
		const text_layout_line *last = &l.lines[more - 1];
		CHECK(last->type == TEXT_DIALOGUE && strcmp(last->text, "Four.") == 0 && last->row == 59,
		      "before (MORE): \"%s\" row %d", last->text, last->row);
		CHECK(l.lines[more].row == 60);
	}
	if (contd > 0)
		CHECK(strcmp(l.lines[contd + 1].text, "Five.") == 0);
	text_layout_release(&l);
	text_screenplay_free(sp);
	free(src);

	/* the page may not end on a parenthetical: the break moves up */
	src = bj_xasprintf("%sEVE\nOne.\nTwo.\nThree.\nFour.\n(beat)\nFive.\nSix.\n", fill);
	sp = parse_str(src);
	text_layout_init(&l, sp, NULL);
	for (size_t i = 0; i + 1 < l.n_lines; i++)
		if (l.lines[i + 1].kind == TEXT_LINE_MORE)
			CHECK(l.lines[i].type == TEXT_DIALOGUE && strcmp(l.lines[i].text, "Four.") == 0,
			      "\"%s\" before (MORE)", l.lines[i].text);
	text_layout_release(&l);
	text_screenplay_free(sp);
	free(src);
	free(fill);
}

static void test_dual(void)
{
	text_screenplay *sp = parse_str("STEEL\nScrew retirement.\n\nBRICK ^\nScrew it.\nReally.\n");
	text_layout l;
	text_layout_init(&l, sp, NULL);
	const text_layout_line *a = line_of(&l, 0), *b = line_of(&l, 2);
	CHECK(a && b && a->row == b->row && a->dual == 1 && b->dual == 2);
	CHECK(a && b && a->col < 40 && b->col > 45, "cues at %d and %d", a ? a->col : -1, b ? b->col : -1);
	const text_layout_line *d1 = line_of(&l, 1), *d2 = line_of(&l, 3);
	CHECK(d1 && d2 && d1->row == d2->row && d1->col == TEXT_COL_ACTION && d2->col == 46);
	text_layout_release(&l);
	text_screenplay_free(sp);
}

static void test_title_page(void)
{
	text_screenplay *sp = parse_str("Title: **BIG**\nCredit: by\nAuthor: Me\nDraft date: 1 May\n"
	                                "Contact: Here\n\nINT. A - DAY\n\nB.\n");
	text_layout l;
	text_layout_init(&l, sp, NULL);
	CHECK(l.title_page && l.n_pages == 2 && text_layout_pages(&l) == 1);
	CHECK(l.title && strcmp(l.title, "BIG") == 0);
	const text_layout_line *t = &l.lines[0];
	CHECK(t->kind == TEXT_LINE_TITLE && t->page == 0 && strcmp(t->text, "BIG") == 0 &&
	      t->row == 22 && t->col == (85 - 3) / 2, "\"%s\" row %d col %d", t->text, t->row, t->col);
	CHECK(t->n_runs == 1 && t->runs[0].style == TEXT_STYLE_BOLD);
	bool contact = false, date = false;
	for (size_t i = 0; i < l.n_lines; i++) {
		const text_layout_line *ln = &l.lines[i];
		if (strcmp(ln->text, "Here") == 0)
			contact = ln->col == TEXT_COL_ACTION && ln->row == 60;
		if (strcmp(ln->text, "1 May") == 0)
			date = ln->col + (int)ln->width == 75 && ln->row == 60;
		CHECK(ln->kind != TEXT_LINE_PAGE_NUMBER, "no page number on page 1");
	}
	CHECK(contact && date);
	text_layout_release(&l);
	text_screenplay_free(sp);
}

/* What every laid-out sample must satisfy. */
static void check_rules(const char *name, const text_layout *l)
{
	int lpp = l->lines_per_page, first = l->title_page ? 1 : 0;
	int last_page = -1, last_row = -1;
	const text_layout_line *last = NULL;
	for (size_t i = 0; i <= l->n_lines; i++) {
		const text_layout_line *ln = i < l->n_lines ? &l->lines[i] : NULL;
		if (ln && ln->page < first)
			continue;
		if (!ln || ln->page != last_page) {
			/* the page that just ended */
			if (last) {
				bool bad = last->kind == TEXT_LINE_TEXT &&
				           (last->type == TEXT_SCENE_HEADING || last->type == TEXT_CHARACTER ||
				            last->type == TEXT_PARENTHETICAL);
				if (bad)
					test_fail(__FILE__, __LINE__, "%s: page %d ends with \"%s\"", name,
					          last->page, last->text);
			}
			if (!ln)
				break;
			last_page = ln->page;
			last_row = -1;
			last = NULL;
		}
		if (ln->kind == TEXT_LINE_PAGE_NUMBER) {
			CHECK(ln->page > first && ln->row == TEXT_ROW_PAGE_NUMBER &&
			      ln->col + (int)ln->width == l->right_col);
			continue;
		}
		CHECK(ln->row >= TEXT_ROW_BODY && ln->row < TEXT_ROW_BODY + lpp, "%s: row %d", name,
		      ln->row);
		CHECK(ln->row >= last_row);
		last_row = ln->row;
		if (ln->kind == TEXT_LINE_TEXT || ln->kind == TEXT_LINE_MORE)
			last = ln;
		if (ln->kind == TEXT_LINE_MORE) {
			CHECK(i + 1 < l->n_lines);
		}
		if (ln->kind == TEXT_LINE_CONTD)
			CHECK(ln->row == TEXT_ROW_BODY && ln->page > first);
	}
}

static void test_samples(void)
{
	/* pages of each sample on Letter and A4, as this layout gives them: a
	 * regression check (a change of page rules shows here first) */
	static const int pages[][2] = { { 122, 115 }, { 4, 3 }, { 15, 14 }, { 11, 10 } };
	for (size_t s = 0; s < BJ_ARRAY_SIZE(samples); s++) {
		text_screenplay *sp = load_sample(samples[s]);
		if (!sp)
			return;
		for (int paper = 0; paper < 2; paper++) {
			text_layout l;
			text_layout_init(&l, sp, &(text_layout_options){ .paper = (text_paper)paper });
			check_rules(samples[s], &l);
			CHECK(text_layout_pages(&l) == pages[s][paper], "%s: %d pages, want %d", samples[s],
			      text_layout_pages(&l), pages[s][paper]);
			/* every printed element is there, in order */
			size_t next = 0;
			for (size_t i = 0; i < l.n_lines; i++) {
				const text_layout_line *ln = &l.lines[i];
				if (ln->kind != TEXT_LINE_TEXT || ln->dual)
					continue;
				CHECK(ln->element >= next, "%s: element %zu after %zu", samples[s], ln->element,
				      next);
				next = ln->element;
			}
			text_layout_release(&l);
		}
		text_screenplay_free(sp);
	}
}

/* The plain-text rendering, reviewed as a golden file. */
static void test_plain_golden(void)
{
	text_screenplay *sp = load_sample("brick_and_steel");
	if (!sp)
		return;
	text_layout l;
	text_layout_init(&l, sp, &(text_layout_options){ .continueds = true });
	char *s = text_plain_render(&l, NULL);
	test_check_golden("text/plain/brick_and_steel.txt", s);
	free(s);
	s = text_plain_render(&l, &(text_plain_options){ .flat = true, .form_feeds = true });
	test_check_golden("text/plain/brick_and_steel_flat.txt", s);
	free(s);
	text_layout_release(&l);
	text_screenplay_free(sp);
}

static void test_empty(void)
{
	text_screenplay *sp = text_screenplay_new();
	text_layout l;
	text_layout_init(&l, sp, NULL);
	CHECK(l.n_pages == 1 && l.n_lines == 0 && text_layout_length(&l) == 0);
	char *s = text_plain_render(&l, NULL);
	CHECK_STR(s, "");
	free(s);
	text_layout_release(&l);
	text_layout_release(&l); /* safe twice */
	text_screenplay_free(sp);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_wrap),
		TEST_CASE(test_indents),
		TEST_CASE(test_heading_not_orphaned),
		TEST_CASE(test_more_contd),
		TEST_CASE(test_dual),
		TEST_CASE(test_title_page),
		TEST_CASE(test_samples),
		TEST_CASE(test_plain_golden),
		TEST_CASE(test_empty),
		{ 0 },
	};
	return test_main(cases);
}
