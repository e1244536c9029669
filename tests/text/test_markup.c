#include "text/markup.h"

#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "harness.h"
#include "text/buf.h"

/* Shows st as plain text with styled runs in braces: "{bi:text}" is bold
 * italic, "{u:text}" underlined. */
static char *show(const text_styled *st)
{
	text_buf b = {0};
	size_t covered = 0;
	for (size_t i = 0; i < st->n_runs; i++) {
		const text_run *r = &st->runs[i];
		CHECK(r->start == covered && r->len > 0);
		CHECK(i == 0 || st->runs[i - 1].style != r->style);
		covered += r->len;
		if (r->style) {
			text_buf_addc(&b, '{');
			if (r->style & TEXT_STYLE_BOLD)
				text_buf_addc(&b, 'b');
			if (r->style & TEXT_STYLE_ITALIC)
				text_buf_addc(&b, 'i');
			if (r->style & TEXT_STYLE_UNDERLINE)
				text_buf_addc(&b, 'u');
			text_buf_addc(&b, ':');
		}
		text_buf_add(&b, st->plain + r->start, r->len);
		if (r->style)
			text_buf_addc(&b, '}');
	}
	CHECK(covered == st->len && strlen(st->plain) == st->len);
	return text_buf_detach(&b);
}

static void check_markup(const char *text, const char *want)
{
	text_styled st;
	text_styled_init(&st, text);
	char *got = show(&st);
	test_check_str(__FILE__, __LINE__, text, got, want);
	free(got);
	text_styled_release(&st);
}

/* The examples of fountain_syntax.md, Emphasis. */
static void test_spec_examples(void)
{
	check_markup("*italics*", "{i:italics}");
	check_markup("**bold**", "{b:bold}");
	check_markup("***bold italics***", "{bi:bold italics}");
	check_markup("_underline_", "{u:underline}");
	check_markup("From what seems like only INCHES AWAY.  _Steel's face FILLS the *Leupold Mark 4* scope_.",
	             "From what seems like only INCHES AWAY.  {u:Steel's face FILLS the }"
	             "{iu:Leupold Mark 4}{u: scope}.");
	check_markup("Steel enters the code on the keypad: **\\*9765\\***",
	             "Steel enters the code on the keypad: {b:*9765*}");
	check_markup("He dialed *69 and then *23, and then hung up.",
	             "He dialed *69 and then *23, and then hung up.");
	check_markup("He dialed *69 and then 23*, and then hung up.",
	             "He dialed {i:69 and then 23}, and then hung up.");
	check_markup("He dialed *69 and then 23\\*, and then hung up.",
	             "He dialed *69 and then 23*, and then hung up.");
	check_markup("As he rattles off the long list, Brick and Steel *share a look.\n\n"
	             "This is going to be BAD.*",
	             "As he rattles off the long list, Brick and Steel *share a look.\n\n"
	             "This is going to be BAD.*");
	check_markup("_**BRICK & STEEL**_", "{bu:BRICK & STEEL}");
}

static void test_edges(void)
{
	check_markup("", "");
	check_markup("plain", "plain");
	check_markup("snake_case_name and _this_", "snake_case_name and {u:this}");
	check_markup("2 * 3 * 4", "2 * 3 * 4");
	check_markup("**bold *both* bold**", "{b:bold }{bi:both}{b: bold}");
	check_markup("*a **b** c*", "{i:a }{bi:b}{i: c}");
	check_markup("***a** b*", "{bi:a}{i: b}");
	check_markup("**unclosed", "**unclosed");
	check_markup("*a _b* c_", "{i:a _b} c_");
	check_markup("a\\\\b \\q", "a\\b \\q");
	check_markup("*line one\nline two*", "*line one\nline two*");
	check_markup("*one*\n*two*", "{i:one}\n{i:two}");
}

static void test_notes_and_boneyard(void)
{
	check_markup("This is an [[internal]] note.", "This is an  note.");
	check_markup("JACK[[Or did we?]].  They drink.", "JACK.  They drink.");
	check_markup("Scott pauses.[[This needs work.\nCoffee.\n\nDefinitely.]] He looks.",
	             "Scott pauses. He looks.");
	check_markup("This is an /* internal */ boneyard.", "This is an  boneyard.");
	check_markup("[[unclosed and /* unclosed", "[[unclosed and /* unclosed");
	check_markup("\\[[not a note]]", "[[not a note]]");
	check_markup("*a [[note*]] b*", "{i:a  b}");
}

/* Random markup: the runs always cover the plain text exactly (show() checks),
 * and plain text never grows. */
static void test_random(void)
{
	static const char alphabet[] = "**__\\[]/ a.\n";
	bj_rng rng;
	bj_rng_init(&rng, 99);
	for (int d = 0; d < 20000; d++) {
		char text[64];
		size_t len = bj_rng_below(&rng, sizeof(text));
		for (size_t k = 0; k < len; k++)
			text[k] = alphabet[bj_rng_below(&rng, sizeof(alphabet) - 1)];
		text[len] = '\0';
		text_styled st;
		text_styled_init(&st, text);
		char *shown = show(&st);
		CHECK(st.len <= len, "'%s'", text);
		free(shown);
		text_styled_release(&st);
	}
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_spec_examples),
		TEST_CASE(test_edges),
		TEST_CASE(test_notes_and_boneyard),
		TEST_CASE(test_random),
		{ 0 },
	};
	return test_main(cases);
}
