/*
 * test_abc_corpus.c - the ABC parser over the whole shared corpus
 * (../shared/data/text/abc): how many tunes parse, and that every parsed tune
 * survives parse -> emit -> parse exactly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"
#include "score/abc.h"
#include "score/music.h"
#include "score/tunes.h"

static void test_corpus(void)
{
	const char *dir = test_data("text/abc");
	if (!dir)
		return;
	score_tunes t;
	const char *paths[] = { dir };
	CHECK(score_tunes_load(paths, 1, &t) == 0, "%s", bj_error_message());
	size_t parsed = 0, same = 0, fits = 0, shown = 0;
	score_sbuf a = { 0 }, b = { 0 };
	for (size_t i = 0; i < t.n; i++) {
		score_abc_tune x, y;
		if (score_abc_parse(&x, t.tunes[i].text, t.tunes[i].len, t.tunes[i].file,
		                    t.tunes[i].line) < 0) {
			if (getenv("ABC_VERBOSE"))
				printf("    %s\n", bj_error_message());
			score_abc_tune_release(&x);
			continue;
		}
		parsed++;
		score_sbuf_reset(&a);
		score_abc_emit(&x, &a);
		if (score_abc_parse(&y, a.s, a.len, "emitted", 1) == 0 && score_abc_equal(&x, &y)) {
			score_sbuf_reset(&b);
			score_abc_emit(&y, &b);
			same += b.len == a.len && memcmp(a.s, b.s, a.len) == 0;
		} else if (shown++ < 40) {
			printf("    round trip of %s:%d: %s\n", t.tunes[i].file, t.tunes[i].line,
			       bj_error_message());
		}
		char why[200];
		if (score_music_fits_meter(&x, why, sizeof(why)))
			fits++;
		else if (getenv("ABC_VERBOSE") && shown++ < 80)
			printf("    meter %s:%d: %s\n", t.tunes[i].file, t.tunes[i].line, why);
		score_abc_tune_release(&x);
		score_abc_tune_release(&y);
	}
	printf("    %zu tunes, %zu parse (%.2f %%), %zu round trips exact, %zu fit their meter\n",
	       t.n, parsed, 100.0 * (double)parsed / (double)t.n, same, fits);
	CHECK(t.n == 5296, "%zu tunes", t.n);
	CHECK(parsed * 100 >= t.n * 99, "%zu of %zu parse", parsed, t.n);
	CHECK(same == parsed, "%zu of %zu round trips exact", same, parsed);
	CHECK(fits * 100 >= parsed * 90, "%zu of %zu fit their meter", fits, parsed);
	score_sbuf_release(&a);
	score_sbuf_release(&b);
	score_tunes_release(&t);
}

int main(void)
{
	static const struct test_case cases[] = { TEST_CASE(test_corpus), { 0 } };
	return test_main(cases);
}
