/*
 * test_subtitles.c - line breaking (<= 42 characters, <= 2 lines, balanced, at
 * word boundaries), cue timing from word timings, and the SRT text.
 */
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "film/subtitles.h"
#include "harness.h"

static void test_wrap(void)
{
	char *s = film_subtitle_wrap("Short line.", 42);
	CHECK_STR(s, "Short line.");
	free(s);
	/* 58 characters: two lines, the split that balances them best. */
	s = film_subtitle_wrap("It is not a question of where he grips it, but of where he", 42);
	CHECK_STR(s, "It is not a question of where\nhe grips it, but of where he");
	free(s);
	/* Exactly 42 stays on one line; 43 does not. */
	s = film_subtitle_wrap("aaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd", 42);
	CHECK(s && !strchr(s, '\n'), "%s", s ? s : "(null)");
	free(s);
	s = film_subtitle_wrap("aaaaaaaaaa bbbbbbbbbb cccccccccc ddddddddddd", 42);
	CHECK_STR(s, "aaaaaaaaaa bbbbbbbbbb\ncccccccccc ddddddddddd");
	free(s);
	/* Too long for two lines, and one unbreakable word. */
	CHECK(film_subtitle_wrap("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b", 42) == NULL);
	CHECK(film_subtitle_wrap("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 42) == NULL);
	/* Characters, not bytes: 40 accented letters fit on a line. */
	s = film_subtitle_wrap("éééééééééééééééééééé éééééééééééééééééééé", 42);
	CHECK(s && !strchr(s, '\n'));
	free(s);
}

static film_line line(double at, const char *text, double duration)
{
	return (film_line){ .audio = "x.wav", .at = at, .character = "H", .text = (char *)text,
	                    .duration = duration };
}

static void test_timing(void)
{
	film_word words[] = { { "I", 0.1, 0.3 }, { "know.", 0.4, 0.9 } };
	film_line lines[3] = {
		line(2.0, "I know.", 1.0),
		line(2.5, "Too   close  \n behind.", 1.0),
		line(10.0, "Then what are you doing here, in the middle of the night, with a bag full "
		           "of eyes and a long, long story that never seems to end at all?", 6.0),
	};
	lines[0].words = words;
	lines[0].n_words = 2;
	film_timeline t = { .lines = lines, .n_lines = 3 };
	film_subtitles s;
	film_subtitles_build(&t, &s);
	CHECK(s.n == 4, "%zu cues", s.n);
	if (s.n != 4)
		goto out;
	/* From the word timings; cut short before the next line's cue. */
	CHECK_NEAR(s.cues[0].start, 2.1, 1e-9);
	CHECK_NEAR(s.cues[0].end, 2.5 - FILM_SUB_GAP, 1e-9);
	CHECK_STR(s.cues[1].text, "Too close behind.");
	/* No timings: the whole audio; at least FILM_SUB_MIN_SECONDS. */
	CHECK_NEAR(s.cues[1].start, 2.5, 1e-9);
	CHECK_NEAR(s.cues[1].end, 3.5, 1e-9);
	/* The long line: two cues of about equal length, in time order, each fits. */
	CHECK_NEAR(s.cues[2].start, 10.0, 1e-9);
	CHECK(s.cues[2].end <= s.cues[3].start, "%g %g", s.cues[2].end, s.cues[3].start);
	CHECK_NEAR(s.cues[3].end, 16.0, 1e-9);
	for (size_t i = 0; i < s.n; i++) {
		const char *p = s.cues[i].text;
		int lines_n = 1;
		for (const char *q = p;; q++) {
			if (*q == '\n' || !*q) {
				CHECK(bj_utf8_count(p, (size_t)(q - p)) <= FILM_SUB_CHARS, "cue %zu: %s", i,
				      s.cues[i].text);
				if (!*q)
					break;
				p = q + 1;
				lines_n++;
			}
		}
		CHECK(lines_n <= FILM_SUB_LINES, "cue %zu has %d lines", i, lines_n);
	}
	size_t a = strlen(s.cues[2].text), b = strlen(s.cues[3].text);
	CHECK(a < 2 * b && b < 2 * a, "unbalanced: %zu and %zu", a, b);
	char *srt = film_subtitles_srt(&s);
	test_check_golden("film/subtitles.srt", srt);
	free(srt);
out:
	film_subtitles_release(&s);
}

/* A film without dialogue (no voices yet) has no cues, and an empty list is
 * not sorted (qsort may not be given NULL). */
static void test_no_lines(void)
{
	film_timeline t = { 0 };
	film_subtitles s;
	film_subtitles_build(&t, &s);
	CHECK(s.n == 0);
	film_subtitles_release(&s);
}

static void test_save(void)
{
	film_line l = line(0.5, "Hello.", 2.0);
	film_timeline t = { .lines = &l, .n_lines = 1 };
	film_subtitles s;
	film_subtitles_build(&t, &s);
	const char *path = test_path("a.srt");
	CHECK(film_subtitles_save_srt(&s, path) == 0);
	char *got = test_read_file(path, NULL);
	CHECK_STR(got, "1\n00:00:00,500 --> 00:00:02,500\nHello.\n\n");
	free(got);
	CHECK(film_subtitles_save_srt(&s, "/nonexistent-dir/a.srt") < 0);
	film_subtitles_release(&s);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_wrap),
		TEST_CASE(test_timing),
		TEST_CASE(test_no_lines),
		TEST_CASE(test_save),
		{ 0 },
	};
	return test_main(cases);
}
