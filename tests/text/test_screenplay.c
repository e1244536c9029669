#include "text/screenplay.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "harness.h"

static text_screenplay *small(void)
{
	text_screenplay *sp = text_screenplay_new();
	text_screenplay_title_add(sp, "Title", "Brick & Steel")->line = 1;
	text_screenplay_add(sp, TEXT_ACTION, "Before any scene.");
	text_element *e = text_screenplay_add(sp, TEXT_SCENE_HEADING, "EXT. PATIO - DAY");
	e->scene_number = bj_xstrdup("1A");
	e->line = 3;
	text_screenplay_add(sp, TEXT_CHARACTER, "STEEL (V.O.)")->dual = true;
	text_screenplay_add(sp, TEXT_DIALOGUE, "Beer's \"ready\"!\n\\ok\ttab\x01");
	text_screenplay_add(sp, TEXT_SCENE_HEADING, "INT. TRAILER - DAY");
	text_screenplay_add(sp, TEXT_SECTION, "Act");
	text_screenplay_add(sp, TEXT_PAGE_BREAK, NULL);
	return sp;
}

static void test_build_and_dump(void)
{
	text_screenplay *sp = small();
	CHECK(sp->n_elements == 7 && sp->n_title == 1);
	CHECK(sp->n_scenes == 2 && sp->scenes[0] == 1 && sp->scenes[1] == 4);
	CHECK(text_screenplay_scene_end(sp, 0) == 4 && text_screenplay_scene_end(sp, 1) == 7);
	CHECK(sp->elements[5].depth == 1 && strcmp(sp->elements[6].text, "") == 0);
	char *dump = text_screenplay_dump(sp, 0);
	CHECK_STR(dump, "1 TITLE \"Title\" \"Brick & Steel\"\n"
	                "0 ACTION \"Before any scene.\"\n"
	                "3 SCENE_HEADING \"EXT. PATIO - DAY\" #1A#\n"
	                "0 CHARACTER \"STEEL (V.O.)\" ^\n"
	                "0 DIALOGUE \"Beer's \\\"ready\\\"!\\n\\\\ok\\ttab\\x01\"\n"
	                "0 SCENE_HEADING \"INT. TRAILER - DAY\"\n"
	                "0 SECTION \"Act\" depth=1\n"
	                "0 PAGE_BREAK \"\"\n");
	free(dump);
	dump = text_screenplay_dump(sp, TEXT_DUMP_NO_LINES);
	CHECK(strncmp(dump, "TITLE \"Title\"", 13) == 0);
	free(dump);
	text_screenplay_free(sp);
	text_screenplay_free(NULL);
}

static void test_equal(void)
{
	text_screenplay *a = small(), *b = small();
	CHECK(text_screenplay_equal(a, b));
	b->elements[0].line = 40; /* line numbers do not count */
	CHECK(text_screenplay_equal(a, b));
	b->elements[2].dual = false;
	CHECK(!text_screenplay_equal(a, b));
	b->elements[2].dual = true;
	free(b->elements[1].scene_number);
	b->elements[1].scene_number = NULL;
	CHECK(!text_screenplay_equal(a, b));
	text_screenplay_add(b, TEXT_ACTION, "More.");
	CHECK(!text_screenplay_equal(a, b));
	text_screenplay_free(a);
	text_screenplay_free(b);
}

static void test_title(void)
{
	text_screenplay *sp = small();
	text_screenplay_title_add(sp, "Draft date", NULL);
	CHECK_STR(text_screenplay_title_get(sp, "TITLE"), "Brick & Steel");
	CHECK_STR(text_screenplay_title_get(sp, "draft DATE"), "");
	CHECK(text_screenplay_title_get(sp, "Author") == NULL);
	text_screenplay_free(sp);
}

static void test_names(void)
{
	CHECK_STR(text_element_type_name(TEXT_SCENE_HEADING), "SCENE_HEADING");
	CHECK_STR(text_element_type_name(TEXT_SYNOPSIS), "SYNOPSIS");
	static const char *const cues[][2] = {
		{ "EVE (O.S.)", "EVE" }, { "EDWARD (V.O.)(CONT'D)", "EDWARD" }, { "BOB", "BOB" },
		{ "HANS (on the radio)", "HANS" }, { " MARY ", "MARY" }, { "(V.O.)", "" },
	};
	for (size_t i = 0; i < sizeof(cues) / sizeof(*cues); i++) {
		char *name = text_character_name(cues[i][0]);
		CHECK_STR(name, cues[i][1]);
		free(name);
	}
}

static void test_truncate(void)
{
	text_screenplay *sp = text_screenplay_new();
	text_screenplay_add(sp, TEXT_SCENE_HEADING, "INT. A - DAY");
	text_screenplay_add(sp, TEXT_ACTION, "One.");
	text_screenplay_add(sp, TEXT_SCENE_HEADING, "INT. B - DAY")->scene_number = bj_xstrdup("2");
	text_screenplay_add(sp, TEXT_CHARACTER, "EVE");
	text_screenplay_truncate(sp, 4);
	CHECK(sp->n_elements == 4 && sp->n_scenes == 2);
	text_screenplay_truncate(sp, 2);
	CHECK(sp->n_elements == 2 && sp->n_scenes == 1 && sp->scenes[0] == 0);
	text_screenplay_add(sp, TEXT_SCENE_HEADING, "INT. C - DAY");
	CHECK(sp->n_scenes == 2 && sp->scenes[1] == 2);
	text_screenplay_truncate(sp, 0);
	CHECK(sp->n_elements == 0 && sp->n_scenes == 0);
	text_screenplay_free(sp);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_build_and_dump),
		TEST_CASE(test_equal),
		TEST_CASE(test_title),
		TEST_CASE(test_names),
		TEST_CASE(test_truncate),
		{ 0 },
	};
	return test_main(cases);
}
