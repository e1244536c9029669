#include "text/stats.h"

#include <string.h>

#include "base/error.h"
#include "harness.h"
#include "text/fountain.h"

static void test_counts(void)
{
	static const char src[] =
		"Title: T\n\n"
		"INT. A - DAY\n\n"
		"Action words here.\n\n"
		"EVE\nHello there friend.\n\n"
		"BOB (V.O.)\n(quietly)\nHi.\n\n"
		"EXT. B - NIGHT\n\n"
		"EVE (CONT'D)\nOne *two* three four.\n\n"
		"EVE\n~La la la\n";
	text_screenplay *sp;
	CHECK(text_fountain_parse("t", src, sizeof(src) - 1, &sp) == 0, "%s", bj_error_message());
	text_layout l;
	text_layout_init(&l, sp, NULL);
	text_stats st;
	text_stats_init(&st, sp, &l);
	CHECK(st.scenes == 2 && st.speeches == 4 && st.n_characters == 2);
	CHECK(st.dialogue_words == 11 && st.action_words == 3, "%zu %zu", st.dialogue_words,
	      st.action_words);
	if (st.n_characters == 2) {
		const text_character_stats *eve = &st.characters[0], *bob = &st.characters[1];
		CHECK_STR(eve->name, "EVE");
		CHECK(eve->lines == 3 && eve->words == 10 && eve->scenes == 2);
		CHECK_STR(bob->name, "BOB");
		CHECK(bob->lines == 1 && bob->words == 1 && bob->scenes == 1);
	}
	/* one page after the title page; its rows counted */
	CHECK(st.pages == 1 && st.length > 0 && st.length < 1 && st.minutes == st.length);
	text_stats_release(&st);
	text_stats_release(&st); /* safe twice */
	text_layout_release(&l);
	text_screenplay_free(sp);
}

static void test_sample(void)
{
	const char *path = test_data("text/fountain/brick_and_steel.fountain");
	if (!path)
		return;
	text_screenplay *sp;
	CHECK(text_fountain_load(path, &sp) == 0);
	text_layout l;
	text_layout_init(&l, sp, NULL);
	text_stats st;
	text_stats_init(&st, sp, &l);
	/* 8 headings (two forced), 20 cues, STEEL's 9 of them */
	CHECK(st.scenes == 8 && st.speeches == 20 && st.n_characters == 7);
	CHECK(st.n_characters && strcmp(st.characters[0].name, "STEEL") == 0 &&
	      st.characters[0].lines == 9);
	CHECK(st.pages == 4 && st.pages == text_layout_pages(&l));
	text_stats_release(&st);
	text_layout_release(&l);
	text_screenplay_free(sp);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_counts),
		TEST_CASE(test_sample),
		{ 0 },
	};
	return test_main(cases);
}
