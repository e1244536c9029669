#include "text/pdf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/error.h"
#include "harness.h"
#include "text/fountain.h"
#include "text/layout.h"

/*
 * The PDF is checked from the outside: poppler's pdftotext -bbox gives every
 * word with its box in points, and each laid-out line must start where its
 * element type says (1.5" = 108 pt for action, 2.5" = 180 pt for dialogue,
 * 3.1" = 223.2 pt for parentheticals, 3.7" = 266.4 pt for cues, transitions
 * ending at 7.5" = 540 pt), on its row, with the layout's page count.
 */

static const char *const samples[] = {
	"big_fish", "brick_and_steel", "my_living_memory", "printing_trouble",
};

struct word {
	int page;
	double x0, y0, x1;
};

struct words {
	struct word *v;
	size_t n, cap;
	int pages;
	double width, height; /* of the first page */
};

static bool have_tool(const char *tool)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	if (system(cmd) == 0)
		return true;
	if (getenv("CI"))
		test_fail(__FILE__, __LINE__, "%s is not installed (poppler-utils; CI is set)", tool);
	else
		test_skip("%s is not installed (poppler-utils)", tool);
	return false;
}

/* Runs pdftotext -bbox on path and collects the words. */
static bool read_words(const char *path, struct words *w)
{
	memset(w, 0, sizeof(*w));
	char *cmd = bj_xasprintf("pdftotext -bbox '%s' - 2>&1", path);
	FILE *p = popen(cmd, "r");
	free(cmd);
	if (!p) {
		test_fail(__FILE__, __LINE__, "cannot run pdftotext");
		return false;
	}
	char line[4096];
	while (fgets(line, sizeof(line), p)) {
		double a, b, c, d;
		if (sscanf(line, " <page width=\"%lf\" height=\"%lf\">", &a, &b) == 2) {
			if (!w->pages) {
				w->width = a;
				w->height = b;
			}
			w->pages++;
		} else if (sscanf(line, " <word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\">", &a,
		                  &b, &c, &d) == 4) {
			BJ_GROW(w->v, w->cap, w->n + 1);
			w->v[w->n++] = (struct word){ w->pages - 1, a, b, c };
		}
	}
	int st = pclose(p);
	CHECK(st == 0, "pdftotext exited with %d", st);
	return st == 0;
}

/* The leftmost word on the row of ln within its columns, or NULL. */
static const struct word *first_word(const struct words *w, const text_layout_line *ln)
{
	/* pdftotext's yMin is the top of Courier Prime's box: 1.104 pt above
	 * the row (baseline 9.6 pt below the row top, ascent 0.892 em) */
	double y = ln->row * 12.0 - 1.104;
	double x0 = ln->col * 7.2 - 1, x1 = (ln->col + (double)ln->width) * 7.2 + 1;
	const struct word *best = NULL;
	for (size_t i = 0; i < w->n; i++) {
		const struct word *d = &w->v[i];
		if (d->page != ln->page || fabs(d->y0 - y) > 0.5 || d->x0 < x0 || d->x0 > x1)
			continue;
		if (!best || d->x0 < best->x0)
			best = d;
	}
	return best;
}

static double type_indent(const text_layout_line *ln)
{
	switch (ln->type) {
	case TEXT_SCENE_HEADING:
	case TEXT_ACTION:
		return 108;
	case TEXT_DIALOGUE:
	case TEXT_LYRICS:
		return 180;
	case TEXT_PARENTHETICAL:
		return 223.2;
	case TEXT_CHARACTER:
		return 266.4;
	default:
		return -1;
	}
}

static void check_sample(const char *name, text_paper paper)
{
	char rel[128];
	snprintf(rel, sizeof(rel), "text/fountain/%s.fountain", name);
	const char *src = test_data(rel);
	if (!src)
		return;
	text_screenplay *sp;
	if (text_fountain_load(src, &sp) < 0) {
		test_fail(__FILE__, __LINE__, "%s", bj_error_message());
		return;
	}
	text_layout l;
	text_layout_init(&l, sp, &(text_layout_options){ .paper = paper });
	char out[64];
	snprintf(out, sizeof(out), "%s-%d.pdf", name, (int)paper);
	const char *pdf = test_path(out);
	char *path = bj_xstrdup(pdf);
	int ret = text_pdf_save(&l, path);
	CHECK(ret == 0, "%s", bj_error_message());
	struct words w;
	if (ret == 0 && read_words(path, &w)) {
		CHECK(w.pages == l.n_pages, "%s: %d pages in the PDF, %d laid out", name, w.pages,
		      l.n_pages);
		CHECK_NEAR(w.width, l.width_pt, 0.01);
		CHECK_NEAR(w.height, l.height_pt, 0.01);
		size_t checked = 0, missing = 0, misplaced = 0;
		size_t by_type[TEXT_ELEMENT_TYPES] = { 0 };
		for (size_t i = 0; i < l.n_lines; i++) {
			const text_layout_line *ln = &l.lines[i];
			if (!ln->len || ln->text[0] == ' ')
				continue;
			const struct word *d = first_word(&w, ln);
			if (!d) {
				if (missing++ < 5)
					test_fail(__FILE__, __LINE__, "%s: \"%s\" not found on page %d row %d", name,
					          ln->text, ln->page, ln->row);
				continue;
			}
			checked++;
			double want = ln->col * 7.2;
			/* indents by element type, in points (continuation lines of a
			 * parenthetical hang one column in) */
			if (ln->kind == TEXT_LINE_TEXT && !ln->dual && type_indent(ln) > 0 &&
			    !(ln->type == TEXT_PARENTHETICAL && ln->text[0] != '(')) {
				want = type_indent(ln);
				by_type[ln->type]++;
			}
			if (ln->kind == TEXT_LINE_TEXT && ln->type == TEXT_TRANSITION) {
				want = l.right_col * 7.2 - (double)ln->width * 7.2;
				by_type[ln->type]++;
			}
			/* within 0.25 pt (1/30 of a character): cairo writes a line of two
			 * texts (dual dialogue) as one string with a spacing offset that
			 * pdftotext reads back 0.12 pt short */
			if (fabs(d->x0 - want) > 0.25 && misplaced++ < 5)
				test_fail(__FILE__, __LINE__, "%s: \"%s\" (%s) at x = %.3f pt, want %.3f", name,
				          ln->text, text_element_type_name(ln->type), d->x0, want);
		}
		CHECK(checked > 0 && !missing && !misplaced, "%s: %zu lines checked, %zu missing, "
		      "%zu misplaced", name, checked, missing, misplaced);
		CHECK(by_type[TEXT_ACTION] && by_type[TEXT_DIALOGUE] && by_type[TEXT_CHARACTER] &&
		      by_type[TEXT_SCENE_HEADING], "%s: every main element type checked", name);
		free(w.v);
	}
	free(path);
	text_layout_release(&l);
	text_screenplay_free(sp);
}

static void test_positions_letter(void)
{
	if (!have_tool("pdftotext"))
		return;
	for (size_t s = 0; s < BJ_ARRAY_SIZE(samples); s++)
		check_sample(samples[s], TEXT_PAPER_LETTER);
}

static void test_positions_a4(void)
{
	if (!have_tool("pdftotext"))
		return;
	check_sample("brick_and_steel", TEXT_PAPER_A4);
	check_sample("my_living_memory", TEXT_PAPER_A4);
}

static text_layout *small_layout(void)
{
	static const char src[] = "Title: *Small*\n\nINT. ROOM - DAY\n\nA _chair_.\n\nEVE\n**Sit.**\n";
	text_screenplay *sp;
	CHECK(text_fountain_parse("small", src, sizeof(src) - 1, &sp) == 0);
	text_layout *l = bj_xmalloc(sizeof(*l));
	text_layout_init(l, sp, NULL);
	text_screenplay_free(sp);
	return l;
}

static void free_layout(text_layout *l)
{
	text_layout_release(l);
	free(l);
}

/* The same screenplay gives the same bytes (no creation date in the PDF). */
static void test_deterministic(void)
{
	text_layout *l = small_layout();
	char *a = bj_xstrdup(test_path("a.pdf")), *b = bj_xstrdup(test_path("b.pdf"));
	CHECK(text_pdf_save(l, a) == 0, "%s", bj_error_message());
	CHECK(text_pdf_save(l, b) == 0, "%s", bj_error_message());
	size_t na, nb;
	char *da = test_read_file(a, &na), *db = test_read_file(b, &nb);
	CHECK(da && db && na == nb && memcmp(da, db, na) == 0, "two runs differ");
	CHECK(da && na > 4 && memcmp(da, "%PDF", 4) == 0);
	CHECK(da && !memmem(da, na, "CreationDate", 12), "a creation date is written");
	CHECK(da && memmem(da, na, "/Title (Small)", 14), "the title is in the metadata");
	free(da);
	free(db);
	free(a);
	free(b);
	free_layout(l);
}

/* Italic, bold and underline come out as different faces (and a line). */
static void test_emphasis_fonts(void)
{
	if (!have_tool("pdffonts"))
		return;
	text_layout *l = small_layout();
	char *path = bj_xstrdup(test_path("em.pdf"));
	CHECK(text_pdf_save(l, path) == 0, "%s", bj_error_message());
	char *cmd = bj_xasprintf("pdffonts '%s' | tail -n +3 | wc -l", path);
	FILE *p = popen(cmd, "r");
	int n = 0;
	CHECK(p && fscanf(p, "%d", &n) == 1);
	if (p)
		pclose(p);
	/* regular, italic (title), bold (dialogue): three embedded faces */
	CHECK(n == 3, "%d fonts embedded, want 3", n);
	free(cmd);
	free(path);
	free_layout(l);
}

static void test_errors(void)
{
	text_layout *l = small_layout();
	const char *dir = test_tmpdir();
	char *missing = bj_xasprintf("%s/no/such/dir.pdf", dir);
	int ret = text_pdf_save(l, missing);
	CHECK(ret == BJ_ENOENT, "ret %d", ret);
	char *want = bj_xasprintf("'%s': cannot create file: No such file or directory", missing);
	CHECK_STR(bj_error_message(), want);
	free(want);
	free(missing);

	struct stat st;
	if (stat("/dev/full", &st) == 0) {
		ret = text_pdf_save(l, "/dev/full");
		CHECK(ret == BJ_EIO, "ret %d", ret);
		CHECK_STR(bj_error_message(), "'/dev/full': cannot write: No space left on device");
	}
	char *cmd = bj_xasprintf("ls -A '%s' | wc -l", dir);
	FILE *p = popen(cmd, "r");
	int n = -1;
	CHECK(p && fscanf(p, "%d", &n) == 1 && n == 0, "%d files left behind", n);
	if (p)
		pclose(p);
	free(cmd);
	free_layout(l);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_positions_letter),
		TEST_CASE(test_positions_a4),
		TEST_CASE(test_deterministic),
		TEST_CASE(test_emphasis_fonts),
		TEST_CASE(test_errors),
		{ 0 },
	};
	return test_main(cases);
}
