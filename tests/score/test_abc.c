/*
 * test_abc.c - the ABC parser and emitter on small hand-written tunes: every
 * construct the corpus uses, the canonical text (golden files), exact round
 * trips, and errors with line and column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"
#include "score/abc.h"

/* Every construct at least once. */
static const char tune_all[] =
	"X:1\n"
	"T:The Test Reel\n"
	"% a comment line\n"
	"C:trad.\n"
	"M:4/4\n"
	"L:1/8\n"
	"Q:1/4=120\n"
	"P:AB\n"
	"K:Ador\n"
	"P:A\n"
	"|:\"Am\"A2 ^c_B =c>d e<f | \"G\"(3gfe (3:2:3d/c/B/ [CEG]2 [c2e2]- [ce]2 |\\\n"
	"{g}a3/2 z/ !trill!b2 ~c'2 .d,,2 x2 |1 T A4- A>>B z2 :|2 [K:G] A8 ||\n"
	"[M:3/4] [L:1/4] \"^annotation\" (AB) c | d e2 | Z2 |\n"
	"K:Em\n"
	"[1 E3 :: [2 F3 |] % trailing comment\n";

static void parse_ok(score_abc_tune *t, const char *text)
{
	CHECK(score_abc_parse(t, text, strlen(text), "t.abc", 1) == 0, "%s", bj_error_message());
}

static void test_golden(void)
{
	score_abc_tune t;
	parse_ok(&t, tune_all);
	score_sbuf out = { 0 };
	score_abc_emit(&t, &out);
	test_check_golden("score/all.abc", out.s);
	CHECK(t.n_header == 8, "%zu header fields", t.n_header);
	CHECK_STR(score_abc_header(&t, 'K'), "Ador");
	CHECK_STR(score_abc_header(&t, 'Q'), "1/4=120");
	score_sbuf_release(&out);
	score_abc_tune_release(&t);
}

static void test_round_trip(void)
{
	score_abc_tune a, b;
	parse_ok(&a, tune_all);
	score_sbuf x = { 0 }, y = { 0 };
	score_abc_emit(&a, &x);
	parse_ok(&b, x.s);
	CHECK(score_abc_equal(&a, &b));
	score_abc_emit(&b, &y);
	CHECK_STR(y.s, x.s);
	score_sbuf_release(&x);
	score_sbuf_release(&y);
	score_abc_tune_release(&a);
	score_abc_tune_release(&b);
}

static const score_abc_item *nth(const score_abc_tune *t, int kind, int n)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->items[i].kind == kind && n-- == 0)
			return &t->items[i];
	return NULL;
}

static void test_items(void)
{
	score_abc_tune t;
	parse_ok(&t, "K:C\n^^c'3/2 __B,//- z4 [1 (5:4:3 >>> {/g}\n");
	const score_abc_item *n0 = nth(&t, SCORE_ABC_NOTE, 0), *n1 = nth(&t, SCORE_ABC_NOTE, 1);
	CHECK(n0 && n0->letter == 'C' && n0->octave == 2 && n0->accidental == 2 && n0->num == 3 &&
	      n0->den == 2);
	CHECK(n1 && n1->letter == 'B' && n1->octave == -1 && n1->accidental == -2 && n1->num == 1 &&
	      n1->den == 4 && n1->tie);
	const score_abc_item *r = nth(&t, SCORE_ABC_REST, 0);
	CHECK(r && r->letter == 'z' && r->num == 4 && r->den == 1);
	const score_abc_item *e = nth(&t, SCORE_ABC_ENDING, 0);
	CHECK(e && strcmp(score_abc_text(&t, e), "1") == 0);
	const score_abc_item *tu = nth(&t, SCORE_ABC_TUPLET, 0);
	CHECK(tu && tu->num == 5 && tu->den == 4 && tu->r == 3);
	const score_abc_item *br = nth(&t, SCORE_ABC_BROKEN, 0);
	CHECK(br && br->letter == '>' && br->num == 3);
	const score_abc_item *g = nth(&t, SCORE_ABC_GRACE_OPEN, 0);
	CHECK(g && g->letter == '/');
	CHECK(n1 && n1->line == 2 && n1->col == 9, "line %d col %d", n1 ? n1->line : 0,
	      n1 ? n1->col : 0);
	score_abc_tune_release(&t);
}

static void expect_error(const char *text, const char *want)
{
	score_abc_tune t;
	CHECK(score_abc_parse(&t, text, strlen(text), "bad.abc", 10) == BJ_EFORMAT, "%s", text);
	CHECK_STR(bj_error_message(), want);
	score_abc_tune_release(&t);
}

static void test_errors(void)
{
	expect_error("X:1\nT:x\n", "'bad.abc': line 12, column 1: no K: field (the key ends the header)");
	expect_error("X:1\nhello\nK:C\n", "'bad.abc': line 11, column 1: expected a header field such "
	             "as 'K:', not text");
	expect_error("K:C\nabc \"Am d|\n", "'bad.abc': line 11, column 5: unclosed quote");
	expect_error("K:C\nab\xc3\xa9|\n", "'bad.abc': line 11, column 3: 0xC3 is not ABC (not printable "
	             "ASCII)");
	expect_error("K:C\nA/0 B|\n", "'bad.abc': line 11, column 2: length too short");
	expect_error("K:C\nA0 B|\n", "'bad.abc': line 11, column 2: length of 0");
	expect_error("K:C\n[CEG\n", "'bad.abc': line 12, column 1: unclosed chord '['");
	expect_error("K:C\nAB] |\n", "'bad.abc': line 11, column 3: ']' without '['");
	expect_error("K:C\n|: - A |\n", "'bad.abc': line 11, column 4: tie '-' after no note");
	expect_error("K:C\nA # B\n", "'bad.abc': line 11, column 3: unexpected '#'");
	expect_error("K:C\nA ^ B\n", "'bad.abc': line 11, column 3: accidental without a note");
	expect_error("K:C\nA (1 B\n", "'bad.abc': line 11, column 3: tuplet of fewer than 2 notes");
	expect_error("K:C\n{AB\n", "'bad.abc': line 12, column 1: unclosed grace notes '{'");
	expect_error("K:C\nA>>>>B\n", "'bad.abc': line 11, column 2: broken rhythm of more than 3");
}

/* Random bytes and mutated tunes: an error or a tune, never a crash (ASan
 * watches), and whatever parses round-trips. */
static void test_garbage(void)
{
	unsigned seed = 12345;
	char buf[400];
	int parsed = 0;
	for (int k = 0; k < 3000; k++) {
		size_t n = strlen(tune_all) < sizeof(buf) ? strlen(tune_all) : sizeof(buf);
		memcpy(buf, tune_all, n);
		for (int m = 0; m < 4; m++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % n;
			seed = seed * 1103515245u + 12345u;
			buf[at] = (char)(k < 1500 ? "|:[]()!\"{}<>-/0123ABCabc^_=,' \n"[(seed >> 8) % 32]
			                          : (char)(seed >> 8));
		}
		score_abc_tune t, u;
		if (score_abc_parse(&t, buf, n, "fuzz", 1) == 0) {
			parsed++;
			score_sbuf out = { 0 };
			score_abc_emit(&t, &out);
			CHECK(score_abc_parse(&u, out.s, out.len, "again", 1) == 0 && score_abc_equal(&t, &u),
			      "%s", bj_error_message());
			score_abc_tune_release(&u);
			score_sbuf_release(&out);
		}
		score_abc_tune_release(&t);
	}
	CHECK(parsed > 100, "%d of 3000 mutants parsed", parsed);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_golden),
		TEST_CASE(test_round_trip),
		TEST_CASE(test_items),
		TEST_CASE(test_errors),
		TEST_CASE(test_garbage),
		{ 0 },
	};
	return test_main(cases);
}
