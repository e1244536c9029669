#include "text/normalize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "harness.h"
#include "text/buf.h"
#include "text/fountain.h"
#include "text/layout.h"
#include "text/markup.h"
#include "text/plain.h"

static const char *const samples[] = {
	"big_fish", "brick_and_steel", "my_living_memory", "printing_trouble",
};

/* A plain-text page from "indent|text" lines (blank lines stay blank), so the
 * layouts below read as they look. */
static char *layout(const char *spec)
{
	text_buf b = { 0 };
	const char *p = spec;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *bar = memchr(p, '|', n);
		if (bar) {
			int indent = (int)strtol(p, NULL, 10);
			for (int i = 0; i < indent; i++)
				text_buf_addc(&b, ' ');
			text_buf_add(&b, bar + 1, n - (size_t)(bar + 1 - p));
		} else {
			text_buf_add(&b, p, n);
		}
		text_buf_addc(&b, '\n');
		p += n + (e != NULL);
	}
	return text_buf_detach(&b);
}

/* Normalises text and returns its Fountain (NULL on error). */
static char *normalize_str(const char *text, text_normalize_report *rep)
{
	text_screenplay *sp;
	int ret = text_normalize("test.txt", text, strlen(text), &sp, rep);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret < 0)
		return NULL;
	char *f = text_fountain_emit(sp);
	text_screenplay_free(sp);
	return f;
}

/* Enough speeches to read as a screenplay (5 cues at least). */
#define FIVE_SPEECHES \
	"25|ANN\n15|One.\n\n25|BOB\n15|Two.\n\n25|ANN\n15|Three.\n\n25|BOB\n15|Four.\n\n" \
	"25|ANN\n15|Five.\n"
#define FIVE_FOUNTAIN \
	"ANN\nOne.\n\nBOB\nTwo.\n\nANN\nThree.\n\nBOB\nFour.\n\nANN\nFive.\n"

static void check_normalizes(const char *spec, const char *want)
{
	char *text = layout(spec);
	char *got = normalize_str(text, NULL);
	if (got)
		CHECK_STR(got, want);
	free(got);
	free(text);
}

static void test_indented(void)
{
	check_normalizes(
		"5|INT. KITCHEN - NIGHT\n"
		"\n"
		"5|Wrapped action that goes on for more than one line of the\n"
		"5|page, as printed scripts wrap it at sixty columns or so.\n"
		"\n"
		"25|EVE (V.O.)\n"
		"19|(quietly, as if the\n"
		"20|walls could hear)\n"
		"15|Dialogue is wrapped at a narrower\n"
		"15|column.\n"
		"\n"
		"52|CUT TO:\n"
		"\n" FIVE_SPEECHES,
		"INT. KITCHEN - NIGHT\n\n"
		"Wrapped action that goes on for more than one line of the page, as printed scripts "
		"wrap it at sixty columns or so.\n\n"
		"EVE (V.O.)\n(quietly, as if the walls could hear)\nDialogue is wrapped at a narrower column.\n\n"
		"CUT TO:\n\n" FIVE_FOUNTAIN);
}

/* Page numbers, CONTINUED, (MORE) and the speaker's (CONT'D) go; the speech
 * and the sentence cut by the page break are joined again. */
static void test_page_furniture(void)
{
	check_normalizes(
		"5|INT. HALL - DAY\n"
		"\n"
		"5|The action runs to the bottom of the\n"
		"60|(CONTINUED)\n"
		"\n"
		"63|2.\n"
		"5|CONTINUED:\n"
		"\n"
		"5|page and on.\n"
		"\n"
		"25|ANN\n"
		"15|A speech that is cut by the\n"
		"25|(MORE)\n"
		"\n"
		"63|3.\n"
		"\n"
		"25|ANN (CONT'D)\n"
		"15|page break.\n"
		"\n"
		"25|BOB\n15|Two.\n\n25|ANN\n15|Three.\n\n25|BOB\n15|Four.\n\n25|ANN\n15|Five.\n",
		"INT. HALL - DAY\n\nThe action runs to the bottom of the page and on.\n\n"
		"ANN\nA speech that is cut by the page break.\n\n"
		"BOB\nTwo.\n\nANN\nThree.\n\nBOB\nFour.\n\nANN\nFive.\n");
}

/* Headers that come back on every page: beside the page number, or with it. */
static void test_headers(void)
{
	text_buf b = { 0 };
	for (int p = 1; p <= 5; p++) {
		text_buf_addf(&b, "5|BLUE REVISION 3/4/96\n60|%d.\n\n5|INT. ROOM %d - DAY\n\n", p, p);
		text_buf_addf(&b, "25|ANN\n15|Line %d.\n\n5|2/12/09 %d.\n5|Action %d.\n\n", p, p, p);
	}
	char *spec = text_buf_detach(&b);
	char *text = layout(spec);
	text_normalize_report rep;
	char *got = normalize_str(text, &rep);
	CHECK(got && !strstr(got, "REVISION") && !strstr(got, "2/12/09") && strstr(got, "Action 5."),
	      "%s", got);
	CHECK(rep.count[TEXT_NORM_HEADER] == 10, "%zu header lines", rep.count[TEXT_NORM_HEADER]);
	CHECK(rep.count[TEXT_NORM_PAGE_NUMBER] == 5);
	free(got);
	free(text);
	free(spec);
}

static void test_hyphens(void)
{
	check_normalizes(
		"5|INT. LAB - DAY\n"
		"\n"
		"5|A wide-\n"
		"5|eyed doctor is compro-\n"
		"5|mised, truly compromised, but never self-\n"
		"5|Conscious -- and then\n"
		"5|-- he runs.\n"
		"\n" FIVE_SPEECHES,
		"INT. LAB - DAY\n\n"
		"A wide-eyed doctor is compromised, truly compromised, but never self-Conscious -- and "
		"then -- he runs.\n\n" FIVE_FOUNTAIN);
}

static void test_scene_numbers(void)
{
	check_normalizes(
		"0|12   INT. HALL - DAY                                   12\n"
		"\n"
		"5|Action.\n"
		"\n"
		"0|A13\n"
		"0|EXT CUBE - FIRST LESSON\n"
		"\n"
		"5|More.\n"
		"\n"
		"0|14   ON A DEEP DARKNESS                                14\n"
		"\n" FIVE_SPEECHES,
		"INT. HALL - DAY #12#\n\nAction.\n\nEXT CUBE - FIRST LESSON #A13#\n\nMore.\n\n"
		".ON A DEEP DARKNESS #14#\n\n" FIVE_FOUNTAIN);
}

/* A PDF conversion: dialogue at the action margin, action glued to it. */
static void test_flat(void)
{
	check_normalizes(
		"10|INT. LOBBY -- DAY\n"
		"\n"
		"25|BLUE BLAZER\n"
		"10|Fred O'Malley with the DNC. I've\n"
		"10|never seen a crowd this big turn\n"
		"10|out so early.\n"
		"10|Now REVEAL that we're in the entry hall of the Admin Building.\n"
		"\n"
		"25|CHARLIE\n"
		"10|Just wait.\n"
		"\n"
		"25|DAVID\n"
		"\n"
		"25|(TESTING HIMSELF)\n"
		"10|Karen Woods, founder.\n"
		"\n"
		"25|ANN\n10|Two.\n\n25|BOB\n10|Three.\n",
		"INT. LOBBY -- DAY\n\n"
		"BLUE BLAZER\nFred O'Malley with the DNC. I've never seen a crowd this big turn out so "
		"early.\n\n"
		"Now REVEAL that we're in the entry hall of the Admin Building.\n\n"
		"CHARLIE\nJust wait.\n\nDAVID\n(TESTING HIMSELF)\nKaren Woods, founder.\n\n"
		"ANN\nTwo.\n\nBOB\nThree.\n");
}

/* Pages shifted by a scanner still line up: the margin is read per page. */
static void test_shifted_pages(void)
{
	check_normalizes(
		"5|INT. ROOM - DAY\n"
		"\n"
		"5|A long line of action that makes the margin of this page plain.\n"
		"5|And another one, just as long, to make it three lines of it.\n"
		"5|And the third long line of action on this page of the script.\n"
		"\n"
		"27|ANN\n17|One.\n\n27|BOB\n17|Two.\n"
		"\n"
		"64|2.\n"
		"\n"
		"0|A long line of action that makes the margin of this page plain.\n"
		"0|And another one, just as long, to make it three lines of it.\n"
		"0|And the third long line of action on this page of the script.\n"
		"\n"
		"22|ANN\n12|Three.\n\n22|BOB\n12|Four.\n\n22|ANN\n12|Five.\n",
		"INT. ROOM - DAY\n\n"
		"A long line of action that makes the margin of this page plain. And another one, just "
		"as long, to make it three lines of it. And the third long line of action on this page "
		"of the script.\n\n"
		"ANN\nOne.\n\nBOB\nTwo.\n\n"
		"A long line of action that makes the margin of this page plain. And another one, just "
		"as long, to make it three lines of it. And the third long line of action on this page "
		"of the script.\n\n"
		"ANN\nThree.\n\nBOB\nFour.\n\nANN\nFive.\n");
}

static void test_title_page(void)
{
	check_normalizes(
		"0|Twelve Monkeys\n"
		"\n"
		"32|TWELVE MONKEYS\n"
		"\n"
		"26|An original screenplay by\n"
		"\n"
		"32|David Peoples\n"
		"\n"
		"33|Inspired by\n"
		"\n"
		"24|LA JETEE, a Chris Marker Film\n"
		"\n"
		"8|Production Draft\n"
		"8|June 27, 1994\n"
		"\n"
		"8|FADE IN:\n"
		"\n"
		"8|INT. CONCOURSE - BAY\n"
		"\n"
		"32|ANN\n16|One.\n\n32|BOB\n16|Two.\n\n32|ANN\n16|Three.\n\n32|BOB\n16|Four.\n\n"
		"32|ANN\n16|Five.\n",
		"Title: TWELVE MONKEYS\nCredit: An original screenplay by\nAuthor: David Peoples\n"
		"Source:\n    Inspired by\n    LA JETEE, a Chris Marker Film\n"
		"Draft date:\n    Production Draft\n    June 27, 1994\n\n"
		"FADE IN:\n\nINT. CONCOURSE - BAY\n\n" FIVE_FOUNTAIN);
}

/* Dual dialogue: two cues on a line, two columns under them. */
static void test_dual(void)
{
	check_normalizes(
		"5|INT. PATIO - DAY\n"
		"\n"
		"12|STEEL                          BRICK\n"
		"5|Screw retirement.              Screw it. And\n"
		"5|                               more.\n"
		"\n" FIVE_SPEECHES,
		"INT. PATIO - DAY\n\nSTEEL\nScrew retirement.\n\nBRICK ^\nScrew it. And more.\n\n"
		FIVE_FOUNTAIN);
}

/* What a scan does to speeches still reads back from the Fountain written:
 * a parenthetical without its ')', one with dialogue after it on its line,
 * dialogue that starts with '~' (not lyrics), revision marks. */
static void test_fountain_safe(void)
{
	char *text = layout(
		"5|INT. A - DAY\n"
		"\n"
		"25|ANN\n"
		"21|(gasp) Where am I?\n"
		"\n"
		"25|BOB\n"
		"15|~ Oh... God... am I cold...                     *\n"
		"21|(sees Charlie is not in the\n"
		"\n"
		"25|ANN\n15|Three.\n\n25|BOB\n15|Four.\n\n25|ANN\n15|Five.\n");
	char *got = normalize_str(text, NULL);
	if (got) {
		CHECK_STR(got, "INT. A - DAY\n\nANN\n(gasp)\nWhere am I?\n\n"
		               "BOB\n\\~ Oh... God... am I cold...\n(sees Charlie is not in the)\n\n"
		               "ANN\nThree.\n\nBOB\nFour.\n\nANN\nFive.\n");
		text_screenplay *a, *b;
		CHECK(text_normalize("t", text, strlen(text), &a, NULL) == 0);
		CHECK(text_fountain_parse("t", got, strlen(got), &b) == 0);
		CHECK(text_screenplay_equal(a, b), "the Fountain reads back as something else");
		text_screenplay_free(a);
		text_screenplay_free(b);
	}
	free(got);
	free(text);
}

/* Line ends, tabs, form feeds, a byte order mark. */
static void test_input_forms(void)
{
	char *lf = layout("5|INT. A - DAY\n\n5|Go.\n\n" FIVE_SPEECHES);
	char *want = normalize_str(lf, NULL);
	text_buf crlf = { 0 }, tabs = { 0 };
	text_buf_adds(&crlf, "\xEF\xBB\xBF");
	for (const char *p = lf; *p; p++) {
		if (*p == '\n')
			text_buf_addc(&crlf, '\r');
		text_buf_addc(&crlf, *p);
	}
	/* 25 spaces = three tabs and a space; 15 = a tab and seven spaces */
	for (const char *p = lf; *p;) {
		size_t n = strspn(p, " ");
		for (size_t t = 0; t < n / 8; t++)
			text_buf_addc(&tabs, '\t');
		for (size_t t = 0; t < n % 8; t++)
			text_buf_addc(&tabs, ' ');
		p += n;
		size_t m = strcspn(p, "\n");
		text_buf_add(&tabs, p, m + (p[m] == '\n'));
		p += m + (p[m] == '\n');
	}
	char *a = normalize_str(crlf.s, NULL), *b = normalize_str(tabs.s, NULL);
	if (a && b && want) {
		CHECK_STR(a, want);
		CHECK_STR(b, want);
	}
	/* a form feed is a page break: the speech goes on across it */
	char *ff = layout("5|INT. A - DAY\n\n25|ANN\n15|Cut by the\n25|(MORE)\n\f25|ANN (CONT'D)\n"
	                  "15|page.\n\n" FIVE_SPEECHES);
	char *c = normalize_str(ff, NULL);
	CHECK(c && strstr(c, "ANN\nCut by the page.\n"), "%s", c);
	free(c);
	free(ff);
	free(a);
	free(b);
	free(want);
	text_buf_release(&crlf);
	text_buf_release(&tabs);
	free(lf);
}

static void test_errors(void)
{
	text_screenplay *sp = (text_screenplay *)1;
	text_normalize_report rep;
	static const char bad[] = "INT. A - DAY\n\nok\n\xff\xfe here\n";
	CHECK(text_normalize("bad.txt", bad, sizeof(bad) - 1, &sp, &rep) == BJ_EFORMAT && !sp);
	CHECK_STR(bj_error_message(), "'bad.txt': line 4: invalid UTF-8");
	static const char nul[] = "a\nb\0c\n";
	CHECK(text_normalize("nul.txt", nul, sizeof(nul) - 1, &sp, &rep) == BJ_EFORMAT);
	CHECK_STR(bj_error_message(), "'nul.txt': line 2: NUL byte");

	static const char prose[] = "It was a dark and stormy night.\n\nThe rain fell in torrents.\n";
	CHECK(text_normalize("novel.txt", prose, sizeof(prose) - 1, &sp, &rep) == BJ_EUNSUPPORTED);
	CHECK_STR(bj_error_message(),
	          "'novel.txt': not a screenplay: 0 character cues and 0 scene headings in 3 lines");
	CHECK(rep.lines == 3 && rep.count[TEXT_NORM_ACTION] == 2 && rep.count[TEXT_NORM_BLANK] == 1);

	const char *dir = test_tmpdir();
	char *missing = bj_xasprintf("%s/missing.txt", dir);
	CHECK(text_normalize_load(missing, &sp, &rep) == BJ_ENOENT && !sp);
	char *want = bj_xasprintf("'%s': No such file or directory", missing);
	CHECK_STR(bj_error_message(), want);
	free(want);
	free(missing);

	CHECK(text_normalize("empty.txt", "", 0, &sp, NULL) == BJ_EUNSUPPORTED);
}

/* Every line is counted as one class. */
static void test_report(void)
{
	char *text = layout("5|INT. A - DAY\n\n5|Go.\n\n63|2.\n\n" FIVE_SPEECHES);
	text_normalize_report rep;
	char *f = normalize_str(text, &rep);
	size_t sum = 0;
	for (int c = 0; c < TEXT_NORM_CLASSES; c++)
		sum += rep.count[c];
	CHECK(sum == rep.lines && rep.lines == 20, "%zu of %zu lines", sum, rep.lines);
	CHECK(rep.count[TEXT_NORM_HEADING] == 1 && rep.count[TEXT_NORM_CHARACTER] == 5 &&
	      rep.count[TEXT_NORM_DIALOGUE] == 5 && rep.count[TEXT_NORM_PAGE_NUMBER] == 1 &&
	      rep.count[TEXT_NORM_ACTION] == 1);
	CHECK(rep.elements[TEXT_CHARACTER] == 5 && rep.elements[TEXT_DIALOGUE] == 5);
	CHECK(!rep.flat && rep.action_indent == 5 && rep.cue_indent == 25 &&
	      rep.dialogue_indent == 15, "indents %d %d %d", rep.action_indent, rep.cue_indent,
	      rep.dialogue_indent);
	CHECK_STR(text_norm_class_name(TEXT_NORM_PAGE_NUMBER), "page-number");
	free(f);
	free(text);
}

/* ---------------------------------------------------------------- accuracy */

/* An element as compared: its type (lyrics print as dialogue), dual mark,
 * scene number and text with whitespace runs made one space.  The expected
 * side is read through the markup as printed; the normaliser's texts are
 * plain already. */
static char *key(const text_element *e, bool markup)
{
	text_element_type t = e->type == TEXT_LYRICS ? TEXT_DIALOGUE : e->type;
	text_styled st = { 0 };
	const char *s = e->text;
	if (markup) {
		text_styled_init(&st, e->text);
		s = st.plain;
	}
	text_buf b = { 0 };
	text_buf_addf(&b, "%s%s#%s#|", text_element_type_name(t), e->dual ? "^" : "",
	              e->scene_number ? e->scene_number : "");
	bool space = false;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t') {
			space = true;
			continue;
		}
		if (space && b.s[b.len - 1] != '|')
			text_buf_addc(&b, ' ');
		space = false;
		text_buf_addc(&b, *s);
	}
	text_styled_release(&st);
	return text_buf_detach(&b);
}

static size_t keys(const text_screenplay *sp, bool markup, char ***out)
{
	size_t n = 0;
	*out = bj_xmalloc((sp->n_elements + 1) * sizeof(**out));
	for (size_t i = 0; i < sp->n_elements; i++) {
		text_element_type t = sp->elements[i].type;
		if (t == TEXT_NOTE || t == TEXT_BONEYARD || t == TEXT_SECTION || t == TEXT_SYNOPSIS ||
		    t == TEXT_PAGE_BREAK)
			continue; /* not printed */
		(*out)[n++] = key(&sp->elements[i], markup);
	}
	return n;
}

/* Element-level accuracy: the longest common subsequence of the two element
 * lists over the longer list's length. */
static double accuracy(const text_screenplay *want, const text_screenplay *got, size_t *n_want,
                       size_t *n_match)
{
	char **a, **b;
	size_t n = keys(want, true, &a), m = keys(got, false, &b);
	size_t *prev = bj_xcalloc(m + 1, sizeof(*prev)), *cur = bj_xcalloc(m + 1, sizeof(*cur));
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++)
			cur[j] = strcmp(a[i - 1], b[j - 1]) == 0 ? prev[j - 1] + 1
			         : prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
		size_t *t = prev;
		prev = cur;
		cur = t;
	}
	size_t lcs = prev[m];
	for (size_t i = 0; i < n; i++)
		free(a[i]);
	for (size_t j = 0; j < m; j++)
		free(b[j]);
	free(a);
	free(b);
	free(prev);
	free(cur);
	*n_want = n;
	*n_match = lcs;
	size_t longer = n > m ? n : m;
	return longer ? (double)lcs / (double)longer : 1;
}

/* The four samples, printed in the plain-text layout three ways (indented as
 * IMSDb has them; flat, as a PDF conversion gives them; with (CONTINUED) and
 * form feeds) and read back: at least 98 % of all their elements must come
 * back, and 95 % of each sample's. */
static void test_roundtrip_accuracy(void)
{
	static const struct {
		const char *name;
		text_layout_options layout;
		text_plain_options plain;
	} variants[] = {
		{ "indented", { 0 }, { 0 } },
		{ "flat", { 0 }, { .flat = true } },
		{ "continueds", { .continueds = true }, { .form_feeds = true } },
	};
	size_t total = 0, matched = 0;
	for (size_t s = 0; s < BJ_ARRAY_SIZE(samples); s++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "text/fountain/%s.fountain", samples[s]);
		const char *path = test_data(rel);
		if (!path)
			return;
		text_screenplay *sp;
		if (text_fountain_load(path, &sp) < 0) {
			test_fail(__FILE__, __LINE__, "%s", bj_error_message());
			continue;
		}
		for (size_t v = 0; v < BJ_ARRAY_SIZE(variants); v++) {
			text_layout l;
			text_layout_init(&l, sp, &variants[v].layout);
			char *text = text_plain_render(&l, &variants[v].plain);
			text_layout_release(&l);
			text_screenplay *got;
			text_normalize_report rep;
			int ret = text_normalize(samples[s], text, strlen(text), &got, &rep);
			CHECK(ret == 0, "%s", bj_error_message());
			if (ret == 0) {
				size_t n, k;
				double acc = accuracy(sp, got, &n, &k);
				printf("    %-18s %-10s %4zu elements, %4zu back: %.2f %%\n", samples[s],
				       variants[v].name, n, k, 100 * acc);
				/* each sample within 5 %: one element of the 86 of Brick & Steel is 1.2 % */
				CHECK(acc >= 0.95, "%s %s: accuracy %.4f", samples[s], variants[v].name, acc);
				CHECK(rep.flat == variants[v].plain.flat);
				total += n;
				matched += k;
				/* and the title */
				const char *t = text_screenplay_title_get(sp, "title");
				if (t) {
					text_styled st;
					text_styled_init(&st, t);
					const char *gt = text_screenplay_title_get(got, "title");
					CHECK(gt && strcmp(gt, st.plain) == 0, "%s: title \"%s\"", samples[s], gt);
					text_styled_release(&st);
				}
				text_screenplay_free(got);
			}
			free(text);
		}
		text_screenplay_free(sp);
	}
	printf("    all: %zu elements, %zu back: %.2f %%\n", total, matched,
	       total ? 100.0 * (double)matched / (double)total : 0);
	CHECK(total && (double)matched >= 0.98 * (double)total);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_indented),
		TEST_CASE(test_page_furniture),
		TEST_CASE(test_headers),
		TEST_CASE(test_hyphens),
		TEST_CASE(test_scene_numbers),
		TEST_CASE(test_flat),
		TEST_CASE(test_shifted_pages),
		TEST_CASE(test_title_page),
		TEST_CASE(test_dual),
		TEST_CASE(test_fountain_safe),
		TEST_CASE(test_input_forms),
		TEST_CASE(test_errors),
		TEST_CASE(test_report),
		TEST_CASE(test_roundtrip_accuracy),
		{ 0 },
	};
	return test_main(cases);
}
