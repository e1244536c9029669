/*
 * test_tunes.c - ABC files split into tunes, the plain form the composer
 * learns (golden), and the tune-level split.
 */
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"
#include "score/tunes.h"

static void test_plain(void)
{
	score_tunes t;
	const char *paths[] = { "tests/fixtures/score/tiny.abc" };
	CHECK(score_tunes_load(paths, 1, &t) == 0, "%s", bj_error_message());
	CHECK(t.n == 3, "%zu tunes", t.n);
	CHECK(t.n == 3 && t.tunes[1].line == 10, "tune 2 at line %d", t.n == 3 ? t.tunes[1].line : 0);
	score_sbuf b = { 0 };
	for (size_t i = 0; i < t.n; i++)
		CHECK(score_tune_plain(t.tunes[i].text, t.tunes[i].len, &b) == 0);
	/* Decorations, slurs, grace notes, annotations and other fields go; the
	 * meter and key are spelt one way; a tune that does not fit goes. */
	const char *extra =
		"X:9\nT:x\nM:C\nK:E Minor\n%c\n\"^ann\"!trill!(EF) {g}G2 \"Em\"A3 B|c8|]\nW:words\n"
		"X:10\nM:3/4\nK:G\nG8|G6|]\n";
	CHECK(score_tune_plain(extra, strstr(extra, "X:10") - extra, &b) == 0);
	CHECK(score_tune_plain(strstr(extra, "X:10"), strlen(strstr(extra, "X:10")), &b) == -1);
	test_check_golden("score/plain.abc", b.s);
	score_sbuf_release(&b);
	score_tunes_release(&t);
	const char *missing[] = { "tests/fixtures/score/none.abc" };
	CHECK(score_tunes_load(missing, 1, &t) == BJ_ENOENT);
	CHECK_STR(bj_error_message(), "'tests/fixtures/score/none.abc': No such file or directory");
	score_tunes_release(&t);
}

static void test_split(void)
{
	const char *dir = test_data("text/abc");
	if (!dir)
		return;
	score_tunes t;
	const char *paths[] = { dir };
	CHECK(score_tunes_load(paths, 1, &t) == 0, "%s", bj_error_message());
	score_sbuf b = { 0 };
	size_t kept = 0, held = 0;
	for (size_t i = 0; i < t.n; i++) {
		score_sbuf_reset(&b);
		if (score_tune_plain(t.tunes[i].text, t.tunes[i].len, &b) < 0)
			continue;
		kept++;
		held += score_tune_held_out(b.s, b.len, 0.1);
		CHECK(score_tune_held_out(b.s, b.len, 0.1) == score_tune_held_out(b.s, b.len, 0.1));
		CHECK(!score_tune_held_out(b.s, b.len, 0.0));
	}
	printf("    %zu of %zu tunes learnt from, %zu held out\n", kept, t.n, held);
	CHECK(kept > 4900, "%zu", kept);
	CHECK(held * 100 > kept * 8 && held * 100 < kept * 12, "%zu of %zu held out", held, kept);
	score_sbuf_release(&b);
	score_tunes_release(&t);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_plain),
		TEST_CASE(test_split),
		{ 0 },
	};
	return test_main(cases);
}
