#include "text/fountain.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/rng.h"
#include "harness.h"

/* The four sample screenplays of the shared data. */
static const char *const samples[] = {
	"big_fish", "brick_and_steel", "my_living_memory", "printing_trouble",
};

/* Reports the first line where two dumps differ (a whole dump is too long). */
static void check_same_dump(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) == 0)
		return;
	int line = 1;
	while (*got && *got == *want) {
		if (*got == '\n')
			line++;
		got++, want++;
	}
	test_fail(__FILE__, __LINE__, "%s: dumps differ at line %d:\n      got:  %.120s\n      want: %.120s",
	          what, line, got, want);
}

static text_screenplay *parse_str(const char *src)
{
	text_screenplay *sp = NULL;
	int ret = text_fountain_parse("test.fountain", src, strlen(src), &sp);
	CHECK(ret == 0, "%s", bj_error_message());
	return sp;
}

/* parse(emit(sp)) == sp, element for element, and emit is idempotent.
 * Returns whether both hold. */
static bool check_roundtrip(const char *what, const text_screenplay *sp)
{
	char *once = text_fountain_emit(sp);
	text_screenplay *back = parse_str(once);
	if (!back) {
		free(once);
		return false;
	}
	char *want = text_screenplay_dump(sp, TEXT_DUMP_NO_LINES);
	char *got = text_screenplay_dump(back, TEXT_DUMP_NO_LINES);
	check_same_dump(what, got, want);
	bool ok = strcmp(got, want) == 0 && text_screenplay_equal(sp, back);
	CHECK(text_screenplay_equal(sp, back), "%s", what);
	char *twice = text_fountain_emit(back);
	CHECK(strcmp(once, twice) == 0, "%s: emit is not idempotent:\n%s\n--- then ---\n%s", what,
	      once, twice);
	ok = ok && strcmp(once, twice) == 0;
	free(want);
	free(got);
	free(twice);
	free(once);
	text_screenplay_free(back);
	return ok;
}

/* Parses src and compares its dump (without line numbers) with want. */
static void check_parse(const char *src, const char *want)
{
	text_screenplay *sp = parse_str(src);
	if (!sp)
		return;
	char *got = text_screenplay_dump(sp, TEXT_DUMP_NO_LINES);
	test_check_str(__FILE__, __LINE__, src, got, want);
	check_roundtrip(src, sp);
	free(got);
	text_screenplay_free(sp);
}

/* Parses src and compares the canonical Fountain emitted for it with want. */
static void check_emit(const char *src, const char *want)
{
	text_screenplay *sp = parse_str(src);
	if (!sp)
		return;
	char *got = text_fountain_emit(sp);
	test_check_str(__FILE__, __LINE__, src, got, want);
	free(got);
	text_screenplay_free(sp);
}

static void check_golden_file(const char *relpath, const char *golden, const char *emit_golden)
{
	const char *path = test_data(relpath);
	if (!path)
		return;
	text_screenplay *sp;
	if (text_fountain_load(path, &sp) < 0) {
		test_fail(__FILE__, __LINE__, "%s", bj_error_message());
		return;
	}
	char *dump = text_screenplay_dump(sp, 0);
	test_check_golden(golden, dump);
	if (emit_golden) {
		char *emitted = text_fountain_emit(sp);
		test_check_golden(emit_golden, emitted);
		free(emitted);
	}
	check_roundtrip(relpath, sp);
	free(dump);
	text_screenplay_free(sp);
}

static int is_fountain(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return n > 9 && strcmp(d->d_name + n - 9, ".fountain") == 0;
}

/* Every file of elements/ (16 today): its element list, and its canonical
 * Fountain, both golden. */
static void test_elements_golden(void)
{
	const char *dir = test_data("text/fountain/elements");
	if (!dir)
		return;
	struct dirent **names;
	int n = scandir(dir, &names, is_fountain, alphasort);
	CHECK(n >= 16, "'%s': %d .fountain files", dir, n);
	char rel[512], golden[512];
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		snprintf(rel, sizeof(rel), "text/fountain/elements/%s", name);
		snprintf(golden, sizeof(golden), "text/fountain/elements/%.*s.txt",
		         (int)strlen(name) - 9, name);
		check_golden_file(rel, golden, rel);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

static void test_samples_golden(void)
{
	char rel[256], golden[256];
	for (size_t i = 0; i < sizeof(samples) / sizeof(*samples); i++) {
		snprintf(rel, sizeof(rel), "text/fountain/%s.fountain", samples[i]);
		snprintf(golden, sizeof(golden), "text/fountain/%s.txt", samples[i]);
		check_golden_file(rel, golden,
		                  strcmp(samples[i], "brick_and_steel") == 0
		                  ? "text/fountain/brick_and_steel.fountain" : NULL);
	}
}

/* The sample screenplays have CRLF line ends and the elements LF: converting
 * either way changes nothing but the line ends. */
static void test_crlf(void)
{
	check_parse("INT. HOUSE - DAY\r\n\r\nBOB\r\nHi.\r\nThere.\r\n",
	            "SCENE_HEADING \"INT. HOUSE - DAY\"\n"
	            "CHARACTER \"BOB\"\n"
	            "DIALOGUE \"Hi.\\nThere.\"\n");
	check_parse("Title: X\r\n\r\nINT. HOUSE - DAY\r\n\r\n/*\r\na\r\n*/\r\n",
	            "TITLE \"Title\" \"X\"\n"
	            "SCENE_HEADING \"INT. HOUSE - DAY\"\n"
	            "BONEYARD \"\\na\\n\"\n");
	/* Old Mac line ends, and a last line without one. */
	check_parse("BOB\rHi.\r\rCUT TO:",
	            "CHARACTER \"BOB\"\nDIALOGUE \"Hi.\"\nTRANSITION \"CUT TO:\"\n");
	/* A byte order mark is not part of the first line. */
	check_parse("\xEF\xBB\xBFTitle: X\n", "TITLE \"Title\" \"X\"\n");
}

static void test_line_numbers(void)
{
	text_screenplay *sp = parse_str("Title: T\n\n\nINT. A - DAY\r\n\r\nBOB\r\nHi.\r\nYes.\n\n");
	if (!sp)
		return;
	char *got = text_screenplay_dump(sp, 0);
	CHECK_STR(got, "1 TITLE \"Title\" \"T\"\n"
	               "4 SCENE_HEADING \"INT. A - DAY\"\n"
	               "6 CHARACTER \"BOB\"\n"
	               "7 DIALOGUE \"Hi.\\nYes.\"\n");
	CHECK(sp->elements[2].last_line == 8);
	free(got);
	text_screenplay_free(sp);
}

static void test_errors(void)
{
	text_screenplay *sp = (text_screenplay *)1;
	const char bad[] = "Title: X\n\nINT. HOUSE\n\nHe says \xC3\x28 nothing.\n";
	CHECK(text_fountain_parse("film.fountain", bad, strlen(bad), &sp) == BJ_EFORMAT);
	CHECK(sp == NULL);
	CHECK_STR(bj_error_message(), "'film.fountain': line 5: invalid UTF-8");
	/* Overlong forms and surrogates are not UTF-8 either; CRLF lines count too. */
	const char overlong[] = "A\r\nB\r\n\xC0\xAF\r\n";
	CHECK(text_fountain_parse("x", overlong, strlen(overlong), &sp) == BJ_EFORMAT);
	CHECK_STR(bj_error_message(), "'x': line 3: invalid UTF-8");
	const char surrogate[] = "\xED\xA0\x80";
	CHECK(text_fountain_parse("x", surrogate, strlen(surrogate), &sp) == BJ_EFORMAT);
	CHECK_STR(bj_error_message(), "'x': line 1: invalid UTF-8");
	/* A sequence cut off by the end of the text. */
	const char cut[] = "Caf\xC3";
	CHECK(text_fountain_parse("x", cut, strlen(cut), &sp) == BJ_EFORMAT);
	CHECK_STR(bj_error_message(), "'x': line 1: invalid UTF-8");
	const char nul[] = "A\n\nB\0C\n";
	CHECK(text_fountain_parse("x", nul, sizeof(nul) - 1, &sp) == BJ_EFORMAT);
	CHECK_STR(bj_error_message(), "'x': line 3: NUL byte");

	/* The same through a file, by name. */
	const char *path = test_path("bad.fountain");
	test_write_file(path, bad, strlen(bad));
	CHECK(text_fountain_load(path, &sp) == BJ_EFORMAT);
	char want[4200];
	snprintf(want, sizeof(want), "'%s': line 5: invalid UTF-8", path);
	CHECK_STR(bj_error_message(), want);
	CHECK(text_fountain_load(test_path("missing.fountain"), &sp) == BJ_ENOENT);
	CHECK(sp == NULL);
	/* An empty file is an error to load (there is nothing to make a film of),
	 * while empty text parses to an empty screenplay. */
	test_write_file(test_path("empty.fountain"), "", 0);
	CHECK(text_fountain_load(test_path("empty.fountain"), &sp) == BJ_EFORMAT);
	snprintf(want, sizeof(want), "'%s': empty file", test_path("empty.fountain"));
	CHECK_STR(bj_error_message(), want);
	CHECK(text_fountain_parse("x", "", 0, &sp) == 0);
	CHECK(sp && sp->n_title == 0 && sp->n_elements == 0 && sp->n_scenes == 0);
	char *s = sp ? text_fountain_emit(sp) : NULL;
	CHECK(s && strcmp(s, "") == 0);
	free(s);
	text_screenplay_free(sp);
	/* Blank lines only are empty too. */
	check_parse("\n  \r\n\t\n", "");
}

static void test_save_load(void)
{
	text_screenplay *sp = parse_str("Title: T\n\nINT. A - DAY #3#\n\nBOB ^\nHi.\n");
	if (!sp)
		return;
	const char *path = test_path("film.fountain");
	CHECK(text_fountain_save(sp, path) == 0);
	text_screenplay *back = NULL;
	CHECK(text_fountain_load(path, &back) == 0);
	CHECK(back && text_screenplay_equal(sp, back));
	CHECK(back && back->elements[0].line == 3 && back->n_scenes == 1);
	CHECK(text_fountain_save(sp, "/dev/full") == BJ_EIO);
	text_screenplay_free(back);
	text_screenplay_free(sp);
}

static void test_scene_headings(void)
{
	check_parse("INT. HOUSE - DAY\n\next. pool - night\n\nINT HOUSE\n\nEXT.ROOF\n\n"
	            "EST. CITY\n\nINT./EXT. CAR\n\nINT/EXT CAR\n\nI/E. CAR\n\nI./E. CAR\n\n"
	            "EXT/INT. CAR\n\ne/i car\n",
	            "SCENE_HEADING \"INT. HOUSE - DAY\"\n"
	            "SCENE_HEADING \"ext. pool - night\"\n"
	            "SCENE_HEADING \"INT HOUSE\"\n"
	            "SCENE_HEADING \"EXT.ROOF\"\n"
	            "SCENE_HEADING \"EST. CITY\"\n"
	            "SCENE_HEADING \"INT./EXT. CAR\"\n"
	            "SCENE_HEADING \"INT/EXT CAR\"\n"
	            "SCENE_HEADING \"I/E. CAR\"\n"
	            "SCENE_HEADING \"I./E. CAR\"\n"
	            "SCENE_HEADING \"EXT/INT. CAR\"\n"
	            "SCENE_HEADING \"e/i car\"\n");
	/* INT needs a dot or a space after it. */
	check_parse("INTERIOR HOUSE\n\nINTERCUT\n\nESTABLISHING\n\nINT\n\nI/EXTRA\n\nINT/\n",
	            "ACTION \"INTERIOR HOUSE\"\nACTION \"INTERCUT\"\nACTION \"ESTABLISHING\"\n"
	            "ACTION \"INT\"\nACTION \"I/EXTRA\"\nACTION \"INT/\"\n");
	/* A blank line before and after. */
	check_parse("He runs.\nINT. HOUSE - DAY\n\nINT. HOUSE - DAY\nHe runs.\n",
	            "ACTION \"He runs.\\nINT. HOUSE - DAY\"\n"
	            "ACTION \"INT. HOUSE - DAY\\nHe runs.\"\n");
	/* Indentation is ignored; '!' makes it action. */
	check_parse("   INT. HOUSE - DAY\n\n!INT. HOUSE - DAY\n",
	            "SCENE_HEADING \"INT. HOUSE - DAY\"\nACTION \"INT. HOUSE - DAY\"\n");
	/* Forced by one '.' and an alphanumeric; ".." and ". " are action. */
	check_parse(".SNIPER SCOPE POV\n\n...where he waits.\n\n..HOUSE\n\n. HOUSE\n\n.4 AM\n",
	            "SCENE_HEADING \"SNIPER SCOPE POV\"\n"
	            "ACTION \"...where he waits.\"\n"
	            "ACTION \"..HOUSE\"\n"
	            "ACTION \". HOUSE\"\n"
	            "SCENE_HEADING \"4 AM\"\n");
	/* A forced heading needs no blank line after it. */
	check_parse(".OPENING TITLES\nThe titles roll.\n",
	            "SCENE_HEADING \"OPENING TITLES\"\nACTION \"The titles roll.\"\n");
	/* Scene numbers. */
	check_parse("INT. HOUSE - DAY #1#\n\nINT. HOUSE - DAY #1A#\n\nINT. HOUSE - DAY   #I-1-A#\n\n"
	            ".POV #1.#\n\nINT. HOUSE #\n\nINT. HOUSE ##\n\nINT. HOUSE #1 2#\n",
	            "SCENE_HEADING \"INT. HOUSE - DAY\" #1#\n"
	            "SCENE_HEADING \"INT. HOUSE - DAY\" #1A#\n"
	            "SCENE_HEADING \"INT. HOUSE - DAY\" #I-1-A#\n"
	            "SCENE_HEADING \"POV\" #1.#\n"
	            "SCENE_HEADING \"INT. HOUSE #\"\n"
	            "SCENE_HEADING \"INT. HOUSE ##\"\n"
	            "SCENE_HEADING \"INT. HOUSE #1 2#\"\n");
}

static void test_scene_index(void)
{
	text_screenplay *sp = parse_str("Before.\n\nINT. A - DAY\n\nOne.\n\nBOB\nHi.\n\n"
	                                "EXT. B - NIGHT\n\n.C\n\nThree.\n");
	if (!sp)
		return;
	CHECK(sp->n_scenes == 3);
	CHECK(sp->n_scenes == 3 && sp->scenes[0] == 1 && sp->scenes[1] == 5 && sp->scenes[2] == 6);
	CHECK(text_screenplay_scene_end(sp, 0) == 5);
	CHECK(text_screenplay_scene_end(sp, 2) == sp->n_elements);
	text_screenplay_free(sp);
}

static void test_action(void)
{
	/* Lines of a paragraph stay together; indentation stays; tabs are 4 spaces. */
	check_parse("He opens the card:\n\n          Scott --\n\tJacob\n\nHe throws it down.   \n",
	            "ACTION \"He opens the card:\"\n"
	            "ACTION \"          Scott --\\n    Jacob\"\n"
	            "ACTION \"He throws it down.\"\n");
	/* No-break spaces are whitespace too. */
	check_parse("WILL\xc2\xa0 \nHi.\xc2\xa0\n\xc2\xa0\n\xc2\xa0\xc2\xa0INT. A - DAY\n"
	            "\n[[\xc2\xa0 x \xc2\xa0]]\n",
	            "CHARACTER \"WILL\"\nDIALOGUE \"Hi.\"\nSCENE_HEADING \"INT. A - DAY\"\nNOTE \"x\"\n");
	/* Runs of blank lines count as one. */
	check_parse("One.\n\n\n\nTwo.\n", "ACTION \"One.\"\nACTION \"Two.\"\n");
	/* A line in capitals followed by a blank line is action, not a cue. */
	check_parse("A RIVER.\n\nBANG!\n", "ACTION \"A RIVER.\"\nACTION \"BANG!\"\n");
	/* '!' forces action, even over several lines in capitals. */
	check_parse("!SCANNING THE AISLES...\nWhere is that pit boss?\n\n!BANG\nBANG\n\n!\n\n!!!\n",
	            "ACTION \"SCANNING THE AISLES...\\nWhere is that pit boss?\"\n"
	            "ACTION \"BANG\\nBANG\"\n"
	            "ACTION \"\"\n"
	            "ACTION \"!!\"\n");
	/* Two spaces keep a paragraph together. */
	check_parse("A.\n  \nB.\n\nC.\n \nD.\n",
	            "ACTION \"A.\\n\\nB.\"\nACTION \"C.\"\nACTION \"D.\"\n");
}

static void test_characters(void)
{
	check_parse("STEEL\nThe man's a myth!\n\nMOM (O. S.)\nLuke!\n\nHANS (on the radio)\nWhat?\n\n"
	            "R2D2\nBleep.\n\nEDWARD (V.O.)(CONT'D)\nBy the time.\n",
	            "CHARACTER \"STEEL\"\nDIALOGUE \"The man's a myth!\"\n"
	            "CHARACTER \"MOM (O. S.)\"\nDIALOGUE \"Luke!\"\n"
	            "CHARACTER \"HANS (on the radio)\"\nDIALOGUE \"What?\"\n"
	            "CHARACTER \"R2D2\"\nDIALOGUE \"Bleep.\"\n"
	            "CHARACTER \"EDWARD (V.O.)(CONT'D)\"\nDIALOGUE \"By the time.\"\n");
	/* A cue needs a blank line before it and a line after it, a capital letter
	 * and no small one in its name, and is never a heading or a transition. */
	check_parse("He waits.\nBOB\nHi.\n\n23 (O.S.)\nNo letter.\n\nMcCLANE\nYippie.\n\n"
	            "INT. HOUSE\nNo.\n\nCUT TO:\nNo.\n\nBOB\n",
	            "ACTION \"He waits.\\nBOB\\nHi.\"\n"
	            "ACTION \"23 (O.S.)\\nNo letter.\"\n"
	            "ACTION \"McCLANE\\nYippie.\"\n"
	            "ACTION \"INT. HOUSE\\nNo.\"\n"
	            "ACTION \"CUT TO:\\nNo.\"\n"
	            "ACTION \"BOB\"\n");
	/* '@' forces a cue and keeps its case; non-Latin names need it. */
	check_parse("@McCLANE\nYippie ki-yay!\n\n@\xe5\xb0\x8f\xe6\x98\x8e\n\xe4\xbd\xa0\xe5\xa5\xbd\n",
	            "CHARACTER \"McCLANE\"\nDIALOGUE \"Yippie ki-yay!\"\n"
	            "CHARACTER \"\xe5\xb0\x8f\xe6\x98\x8e\"\nDIALOGUE \"\xe4\xbd\xa0\xe5\xa5\xbd\"\n");
	/* Dual dialogue: a caret at the end of the second cue, spaces ignored. */
	check_parse("BRICK\nScrew retirement.\n\nSTEEL   ^\nScrew retirement.\n\n@McC^\nNo.\n",
	            "CHARACTER \"BRICK\"\nDIALOGUE \"Screw retirement.\"\n"
	            "CHARACTER \"STEEL\" ^\nDIALOGUE \"Screw retirement.\"\n"
	            "CHARACTER \"McC\" ^\nDIALOGUE \"No.\"\n");
	char *name = text_character_name("EDWARD (V.O.)(CONT'D)");
	CHECK_STR(name, "EDWARD");
	free(name);
	name = text_character_name("  EVE ^");
	CHECK_STR(name, "EVE");
	free(name);
}

static void test_dialogue(void)
{
	/* Parentheticals, dialogue lines, indentation ignored, lines that would be
	 * other elements elsewhere. */
	check_parse("\t\t\tSTEEL\n\t\t(starting the engine)\n\tSo much for retirement!\n"
	            "CUT TO:\n# 1\nBOB\n(beat)\n",
	            "CHARACTER \"STEEL\"\nPARENTHETICAL \"(starting the engine)\"\n"
	            "DIALOGUE \"So much for retirement!\\nCUT TO:\\n# 1\\nBOB\"\n"
	            "PARENTHETICAL \"(beat)\"\n");
	/* Two spaces keep an empty line in a speech; a plain blank line ends it. */
	check_parse("DEALER\nTen.\nFour.\n  \nHit or stand?\n\nHit.\n",
	            "CHARACTER \"DEALER\"\nDIALOGUE \"Ten.\\nFour.\\n\\nHit or stand?\"\n"
	            "ACTION \"Hit.\"\n");
	check_parse("DEALER\nTen.\n  \n   \n(beat)\n  \nHit?\n  \n\nNo.\n",
	            "CHARACTER \"DEALER\"\nDIALOGUE \"Ten.\\n\\n\"\nPARENTHETICAL \"(beat)\"\n"
	            "DIALOGUE \"\\nHit?\"\nACTION \"No.\"\n");
	/* A parenthetical is one line in parentheses. */
	check_parse("BOB\n(O.C.) Hey.\n(a\nb)\n",
	            "CHARACTER \"BOB\"\nDIALOGUE \"(O.C.) Hey.\\n(a\\nb)\"\n");
}

static void test_lyrics(void)
{
	check_parse("~Willy Wonka!\n~The amazing chocolatier!\n\nSINGER\n~These are the songs\n"
	            "~That I sing.\nSpoken.\n~Sung.\n",
	            "LYRICS \"Willy Wonka!\\nThe amazing chocolatier!\"\n"
	            "CHARACTER \"SINGER\"\nLYRICS \"These are the songs\\nThat I sing.\"\n"
	            "DIALOGUE \"Spoken.\"\nLYRICS \"Sung.\"\n");
	/* Two lyrics separated by a blank line stay two. */
	check_parse("SINGER\n~La.\n\n~Da.\n",
	            "CHARACTER \"SINGER\"\nLYRICS \"La.\"\nLYRICS \"Da.\"\n");
}

static void test_transitions(void)
{
	check_parse("CUT TO:\n\n\t\t\t\tSMASH CUT TO:\n\nFADE TO BLACK.\n\n> Burn to White.\n\n"
	            "CUT TO: \n\nCut to:\n\nHe leaves.\nCUT TO:\n\nDISSOLVE TO:\nINT. A - DAY\n",
	            "TRANSITION \"CUT TO:\"\nTRANSITION \"SMASH CUT TO:\"\n"
	            "ACTION \"FADE TO BLACK.\"\nTRANSITION \"Burn to White.\"\n"
	            "ACTION \"CUT TO:\"\nACTION \"Cut to:\"\n"
	            "ACTION \"He leaves.\\nCUT TO:\"\n"
	            "ACTION \"DISSOLVE TO:\\nINT. A - DAY\"\n");
	/* '.' makes a transition-like line a heading. */
	check_parse(".CUT TO:\n", "SCENE_HEADING \"CUT TO:\"\n");
}

static void test_centered(void)
{
	check_parse(">THE END<\n\n> THE END <\n\n>  Lots of space\t<\n\n> Not centred\n\n"
	            "> BRICK BRADDOCK <\n> & DICK STEEL IN <\n",
	            "CENTERED \"THE END\"\nCENTERED \"THE END\"\nCENTERED \"Lots of space\"\n"
	            "TRANSITION \"Not centred\"\n"
	            "CENTERED \"BRICK BRADDOCK\\n& DICK STEEL IN\"\n");
}

static void test_page_breaks_sections_synopses(void)
{
	check_parse("One.\n\n===\n\nTwo.\n\n==========\n==\n\n= A synopsis.\n=No space\n=\n",
	            "ACTION \"One.\"\nPAGE_BREAK \"\"\nACTION \"Two.\"\nPAGE_BREAK \"\"\n"
	            "SYNOPSIS \"=\"\nSYNOPSIS \"A synopsis.\"\nSYNOPSIS \"No space\"\nSYNOPSIS \"\"\n");
	check_parse("# Act\n## Sequence\n### Scene\n#No space\n#\n\n## Another Sequence #2\n",
	            "SECTION \"Act\" depth=1\nSECTION \"Sequence\" depth=2\nSECTION \"Scene\" depth=3\n"
	            "SECTION \"No space\" depth=1\nSECTION \"\" depth=1\n"
	            "SECTION \"Another Sequence #2\" depth=2\n");
	/* Sections and synopses stand for blank lines around headings and
	 * transitions, and end a line-long element before them. */
	check_parse("# Act 1\n= Synopsis 1\nINT. A - DAY\n= About A.\nCUT TO:\n# Act 2\n",
	            "SECTION \"Act 1\" depth=1\nSYNOPSIS \"Synopsis 1\"\n"
	            "SCENE_HEADING \"INT. A - DAY\"\nSYNOPSIS \"About A.\"\n"
	            "TRANSITION \"CUT TO:\"\nSECTION \"Act 2\" depth=1\n");
	/* Inside a paragraph they are text. */
	check_parse("He dials\n# 1.\n", "ACTION \"He dials\\n# 1.\"\n");
}

static void test_notes(void)
{
	check_parse("[[A note.]]\n\n[[This line spans\n  multiple lines.]]\n\n"
	            "This is an [[internal]] note.\n\n[[Two]] [[notes]]\n\n"
	            "He pauses.[[This needs work.\nCoffee.\n  \nDefinitely coffee.]] He looks.\n\n"
	            "[[Unclosed\n",
	            "NOTE \"A note.\"\n"
	            "NOTE \"This line spans\\nmultiple lines.\"\n"
	            "ACTION \"This is an [[internal]] note.\"\n"
	            "ACTION \"[[Two]] [[notes]]\"\n"
	            "ACTION \"He pauses.[[This needs work.\\nCoffee.\\n\\nDefinitely coffee.]] He looks.\"\n"
	            "ACTION \"[[Unclosed\"\n");
	check_parse("BOB\nHi [[loud]].\n[[aside]]\n",
	            "CHARACTER \"BOB\"\nDIALOGUE \"Hi [[loud]].\\n[[aside]]\"\n");
}

static void test_boneyard(void)
{
	check_parse("/* One line. */\n\n/*\nINT. GARAGE - DAY\n\nBRICK\nGo.\n*/\n\n"
	            "This is an /* internal */ boneyard.\n\n/* a */ then text\n",
	            "BONEYARD \" One line. \"\n"
	            "BONEYARD \"\\nINT. GARAGE - DAY\\n\\nBRICK\\nGo.\\n\"\n"
	            "ACTION \"This is an /* internal */ boneyard.\"\n"
	            "ACTION \"/* a */ then text\"\n");
	/* The spec's example: a boneyard stands for blank lines around it. */
	check_parse("CUT TO:\n/*\nINT. GARAGE - DAY\n*/\nEXT. MANSION - DAY\n\nBeer.\n",
	            "TRANSITION \"CUT TO:\"\nBONEYARD \"\\nINT. GARAGE - DAY\\n\"\n"
	            "SCENE_HEADING \"EXT. MANSION - DAY\"\nACTION \"Beer.\"\n");
	/* An unclosed one is text. */
	check_parse("/* Never closed\n\nINT. A - DAY\n",
	            "ACTION \"/* Never closed\"\nSCENE_HEADING \"INT. A - DAY\"\n");
}

static void test_title_page(void)
{
	check_parse("Title:\n\t_**BRICK & STEEL**_\n\t_**FULL RETIRED**_\nCredit: Written by\n"
	            "Draft date: 1/27/2012\nContact:\n   Next Level Productions\n   Solvang, CA\n"
	            "Notes:\t\n\tFINAL DRAFT\n\nEXT. PATIO - DAY\n",
	            "TITLE \"Title\" \"_**BRICK & STEEL**_\\n_**FULL RETIRED**_\"\n"
	            "TITLE \"Credit\" \"Written by\"\n"
	            "TITLE \"Draft date\" \"1/27/2012\"\n"
	            "TITLE \"Contact\" \"Next Level Productions\\nSolvang, CA\"\n"
	            "TITLE \"Notes\" \"FINAL DRAFT\"\n"
	            "SCENE_HEADING \"EXT. PATIO - DAY\"\n");
	/* A lone field is a title page; values can be empty for known keys. */
	check_parse("Draft date: 6/23/2012\n", "TITLE \"Draft date\" \"6/23/2012\"\n");
	check_parse("title:\nAuthor:\n\nHi.\n", "TITLE \"title\" \"\"\nTITLE \"Author\" \"\"\nACTION \"Hi.\"\n");
	/* Not title pages: a transition-like opening, a line that is not a field,
	 * a title page not on the first line, an indent of two spaces. */
	check_parse("FADE IN:\n\nINT. A - DAY\n", "ACTION \"FADE IN:\"\nSCENE_HEADING \"INT. A - DAY\"\n");
	check_parse("CUT TO:\n\nX.\n", "TRANSITION \"CUT TO:\"\nACTION \"X.\"\n");
	check_parse("Title: X\nHe runs.\n", "ACTION \"Title: X\\nHe runs.\"\n");
	check_parse("\nTitle: X\n", "ACTION \"Title: X\"\n");
	check_parse("Title:\n  X\n", "ACTION \"Title:\\n  X\"\n");
	check_parse("EXT. ROOF: NIGHT\n\nHe runs.\n", "SCENE_HEADING \"EXT. ROOF: NIGHT\"\nACTION \"He runs.\"\n");
	text_screenplay *sp = parse_str("Title: Big Fish\nAUTHOR: John August\n\nHi.\n");
	if (sp) {
		CHECK_STR(text_screenplay_title_get(sp, "author"), "John August");
		CHECK(text_screenplay_title_get(sp, "source") == NULL);
		text_screenplay_free(sp);
	}
}

/* The canonical form: one blank line between elements, plain where plain text
 * reads back the same, forced where it would not. */
static void test_emit_canonical(void)
{
	check_emit("Title:\n\tA\n\tB\nAuthor: Me\n\n\n\n   INT. HOUSE - DAY   #1#\n\n\n"
	           "\t\tBOB (V.O.)\n\t(beat)\n\tHi.\n  \n\tThere.\n\n"
	           ">   THE END<\n",
	           "Title:\n    A\n    B\nAuthor: Me\n\nINT. HOUSE - DAY #1#\n\n"
	           "BOB (V.O.)\n(beat)\nHi.\n  \nThere.\n\n> THE END <\n");
	check_emit("!BANG\nBANG\n\n!He runs.\n\n!CUT TO:\n\nCUT TO: \n\n.SNIPER POV\n\n.INT. A\n\n"
	           "@McCLANE\nHi.\n\n@BOB\nHi.\n\n@BOB\n\n>Burn to white.\n\n> CUT TO:\n\n"
	           "CUT TO:\n\n#Act\n\n=Syn\n\n====\n\n[[ note ]]\n\n/*x*/\n\n~La\n",
	           "!BANG\nBANG\n\nHe runs.\n\n!CUT TO:\n\n!CUT TO:\n\n.SNIPER POV\n\nINT. A\n\n"
	           "@McCLANE\nHi.\n\nBOB\nHi.\n\n@BOB\n\n> Burn to white.\n\nCUT TO:\n\n"
	           "CUT TO:\n\n# Act\n\n= Syn\n\n===\n\n[[note]]\n\n/*x*/\n\n~La\n");
	/* Text that would read as something else is forced. */
	check_emit("!INT. HOUSE\n\n!    INT. HOUSE\n\n!BOB\nHi.\n\n!# No\n\n!~No\n\n![[No]]\n\n"
	           "!/* No */\n\n!> No <\n\n!.No\n\n!@No\n\n!===\n\n!=No\n",
	           "!INT. HOUSE\n\n!    INT. HOUSE\n\n!BOB\nHi.\n\n!# No\n\n!~No\n\n![[No]]\n\n"
	           "!/* No */\n\n!> No <\n\n!.No\n\n!@No\n\n!===\n\n!=No\n");
	/* Without a title page, a first element that reads as one is forced. */
	check_emit("!Note: this.\n\nHe runs.\n", "!Note: this.\n\nHe runs.\n");
	check_emit("Note: this.\nHe runs.\n", "Note: this.\nHe runs.\n");
	/* Nor may it start with a byte-order mark, which a parser drops (found by
	 * make fuzz). */
	check_parse("!\xEF\xBB\xBF\nBANG\n", "ACTION \"\xEF\xBB\xBF\\nBANG\"\n");
	check_parse("\xEF\xBB\xBF\xEF\xBB\xBFTO: x\n", "ACTION \"\xEF\xBB\xBFTO: x\"\n");
}

/* Inputs found by make fuzz whose round trip failed, minimised. */
static void test_fuzz_found(void)
{
	/* A speech is one paragraph: a cue "[[BOB" over dialogue ending in "]]"
	 * must be forced, or the speech reads back as one note. */
	check_parse("@[[BOB\nHi.\nThere.]]\n", "CHARACTER \"[[BOB\"\nDIALOGUE \"Hi.\\nThere.]]\"\n");
	check_emit("@[[BOB\nHi.\nThere.]]\n", "@[[BOB\nHi.\nThere.]]\n");
	/* U+00A0 is whitespace, not a letter: ".\u00a0ext." is not a forced
	 * heading (". ext." is not either), and "\u00a0: 3" is not a title key. */
	check_parse(".\xc2\xa0" "ext.\n", "ACTION \".\xc2\xa0" "ext.\"\n");
	check_parse("\xc2\xa0: 3\n", "ACTION \"\xc2\xa0: 3\"\n");
}

/* Screenplays built in memory come out as Fountain that reads back the same. */
static void test_emit_built(void)
{
	text_screenplay *sp = text_screenplay_new();
	text_screenplay_add(sp, TEXT_ACTION, "Note: a title-like first line.");
	text_screenplay_add(sp, TEXT_SCENE_HEADING, "SNIPER SCOPE POV")->scene_number = strdup("7");
	text_screenplay_add(sp, TEXT_CHARACTER, "McCLANE");
	text_screenplay_add(sp, TEXT_DIALOGUE, "Yippie.\n\nKi-yay.");
	text_screenplay_add(sp, TEXT_CHARACTER, "INT. BOB");
	text_screenplay_add(sp, TEXT_PARENTHETICAL, "(beat)");
	text_screenplay_add(sp, TEXT_LYRICS, "La la.");
	text_screenplay_add(sp, TEXT_TRANSITION, "Burn to white.");
	text_screenplay_add(sp, TEXT_SECTION, "Act")->depth = 2;
	text_screenplay_add(sp, TEXT_ACTION, "BANG\nBANG");
	text_screenplay_add(sp, TEXT_CHARACTER, "BOB")->dual = true;
	text_screenplay_add(sp, TEXT_DIALOGUE, "Hi.");
	char *s = text_fountain_emit(sp);
	CHECK_STR(s, "!Note: a title-like first line.\n\n.SNIPER SCOPE POV #7#\n\n"
	             "@McCLANE\nYippie.\n  \nKi-yay.\n\n@INT. BOB\n(beat)\n~La la.\n\n"
	             "> Burn to white.\n\n## Act\n\n!BANG\nBANG\n\nBOB ^\nHi.\n");
	check_roundtrip("built", sp);
	free(s);
	text_screenplay_title_add(sp, "Title", "Two\nlines");
	s = text_fountain_emit(sp);
	const char *want = "Title:\n    Two\n    lines\n\nNote: a title-like";
	CHECK(strncmp(s, want, strlen(want)) == 0, "%s", s);
	check_roundtrip("built with title", sp);
	free(s);
	text_screenplay_free(sp);
}

/* Random screenplays made of the lines that test each rule: whatever the parser
 * makes of them must round-trip, and emit must be stable. */
static void test_roundtrip_random(void)
{
	static const char *const pieces[] = {
		"", "", "", "  ", " ", "INT. HOUSE - DAY", "int. car #2#", ".POV", "..dots", "BOB",
		"BOB ^", "@McBob", "MARY (O.S.)", "(beat)", "(a", "b)", "Hello there.", "~La la",
		"CUT TO:", "CUT TO: ", "> FADE OUT.", "> THE END <", ">x<", "===", "=", "= Syn",
		"# Act", "## Seq", "[[note]]", "[[open", "close]]", "/*", "*/", "/* bone */",
		"!FORCED", "!", "Title: T", "Author:", "\tindented", "    CUT TO:", "\t\tBOB",
		"He runs *fast* and _far_.", "A RIVER.", "23 (V.O.)", "\xc3\x89MILE", "I/E. CAR",
		"ESTABLISHING", "\\*escaped\\*", "^", "@", "#", "~", "*/ x", "  /*", "\t*/",
		"[[a]] [[b]]", "==", "> x", ".", "!  ", "BOB (cont'd)", "  (beat)", "Contact:",
		"   value", "\tvalue", "CUT TO:\t", "[[", "]]", "/**/", "EXT. X #1# ^",
		"\xc2\xa0", ".\xc2\xa0x", "\xc2\xa0: 3", "[[BOB", "@[[BOB", "x]]",
	};
	bj_rng rng;
	bj_rng_init(&rng, 20240611);
	int docs = 0;
	for (int d = 0; d < 3000; d++) {
		char src[4096];
		size_t len = 0;
		int lines = 1 + (int)bj_rng_below(&rng, 24);
		for (int k = 0; k < lines; k++) {
			const char *p = pieces[bj_rng_below(&rng, sizeof(pieces) / sizeof(*pieces))];
			const char *eol = bj_rng_below(&rng, 4) == 0 ? "\r\n" : "\n";
			len += (size_t)snprintf(src + len, sizeof(src) - len, "%s%s", p, eol);
		}
		text_screenplay *sp = NULL;
		CHECK(text_fountain_parse("random", src, len, &sp) == 0);
		if (!sp)
			continue;
		bool ok = check_roundtrip(src, sp);
		text_screenplay_free(sp);
		if (!ok)
			break; /* one failing document is enough to read */
		docs++;
	}
	CHECK(docs == 3000, "%d of 3000 documents checked", docs);
}

/* Random bytes from Fountain's syntax characters: the parser must take any
 * text, and round trips must hold for it too. */
static void test_roundtrip_noise(void)
{
	static const char alphabet[] = "#=!@.><~*/[]()^:_\\ \t\n\n\n\r INTEXTO CUT BOB a";
	bj_rng rng;
	bj_rng_init(&rng, 4242);
	int docs = 0;
	for (int d = 0; d < 20000; d++) {
		char src[256];
		size_t len = bj_rng_below(&rng, sizeof(src));
		for (size_t k = 0; k < len; k++)
			src[k] = alphabet[bj_rng_below(&rng, sizeof(alphabet) - 1)];
		text_screenplay *sp = NULL;
		CHECK(text_fountain_parse("noise", src, len, &sp) == 0);
		if (!sp)
			continue;
		char shown[300];
		snprintf(shown, sizeof(shown), "%.*s", (int)len, src);
		bool ok = check_roundtrip(shown, sp);
		text_screenplay_free(sp);
		if (!ok)
			break;
		docs++;
	}
	CHECK(docs == 20000, "%d of 20000 documents checked", docs);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_elements_golden),
		TEST_CASE(test_samples_golden),
		TEST_CASE(test_crlf),
		TEST_CASE(test_line_numbers),
		TEST_CASE(test_errors),
		TEST_CASE(test_save_load),
		TEST_CASE(test_scene_headings),
		TEST_CASE(test_scene_index),
		TEST_CASE(test_action),
		TEST_CASE(test_characters),
		TEST_CASE(test_dialogue),
		TEST_CASE(test_lyrics),
		TEST_CASE(test_transitions),
		TEST_CASE(test_centered),
		TEST_CASE(test_page_breaks_sections_synopses),
		TEST_CASE(test_notes),
		TEST_CASE(test_boneyard),
		TEST_CASE(test_title_page),
		TEST_CASE(test_emit_canonical),
		TEST_CASE(test_fuzz_found),
		TEST_CASE(test_emit_built),
		TEST_CASE(test_roundtrip_random),
		TEST_CASE(test_roundtrip_noise),
		{ 0 },
	};
	return test_main(cases);
}
