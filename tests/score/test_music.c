/*
 * test_music.c - what parsed tunes sound like: keys and modes, meters, note
 * lengths (broken rhythm, tuplets, chords, ties), accidentals through a bar,
 * repeats and endings played out, and the meter check.
 */
#include <math.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"
#include "score/abc.h"
#include "score/music.h"

static void play(const char *text, score_music *m)
{
	score_abc_tune t;
	CHECK(score_abc_parse(&t, text, strlen(text), "t", 1) == 0, "%s", bj_error_message());
	CHECK(score_music_from_abc(&t, m) == 0, "%s", bj_error_message());
	score_abc_tune_release(&t);
}

static int fits(const char *text, char *why, size_t size)
{
	score_abc_tune t;
	CHECK(score_abc_parse(&t, text, strlen(text), "t", 1) == 0, "%s", bj_error_message());
	int ok = score_music_fits_meter(&t, why, size);
	score_abc_tune_release(&t);
	return ok;
}

static void test_keys(void)
{
	score_key k;
	CHECK(score_key_parse("G", &k) == 0 && k.tonic == 7 && k.mode == 0 && k.acc['F' - 'A'] == 1);
	CHECK(score_key_parse("Am", &k) == 0 && k.tonic == 9 && k.mode == 9 && k.acc['F' - 'A'] == 0);
	CHECK(score_key_parse("D dor", &k) == 0 && k.tonic == 2 && k.mode == 2 &&
	      k.acc['F' - 'A'] == 0 && k.acc['C' - 'A'] == 0);
	CHECK(score_key_parse("Bb", &k) == 0 && k.acc['B' - 'A'] == -1 && k.acc['E' - 'A'] == -1 &&
	      k.acc['A' - 'A'] == 0);
	CHECK(score_key_parse("F#m", &k) == 0 && k.acc['F' - 'A'] == 1 && k.acc['C' - 'A'] == 1 &&
	      k.acc['G' - 'A'] == 1 && k.acc['D' - 'A'] == 0);
	CHECK(score_key_parse("Amix", &k) == 0 && k.acc['C' - 'A'] == 1 && k.acc['F' - 'A'] == 1 &&
	      k.acc['G' - 'A'] == 0);
	CHECK(score_key_parse("E Minor", &k) == 0 && k.mode == 9 && k.acc['F' - 'A'] == 1);
	CHECK(score_key_parse("Ador =c ^g", &k) == 0 && k.acc['G' - 'A'] == 1);
	CHECK(score_key_parse("none", &k) == 0 && k.acc['F' - 'A'] == 0);
	CHECK(score_key_parse("Hxyz", &k) < 0);
	CHECK(score_key_parse("Gxyz", &k) < 0);
	int n, d;
	CHECK(score_meter_parse("6/8", &n, &d) == 0 && n == 6 && d == 8);
	CHECK(score_meter_parse("C|", &n, &d) == 0 && n == 2 && d == 2);
	CHECK(score_meter_parse("C", &n, &d) == 0 && n == 4 && d == 4);
	CHECK(score_meter_parse("2+3/8", &n, &d) == 0 && n == 5 && d == 8);
	CHECK(score_meter_parse("none", &n, &d) == 0 && n == 0 && d == 0);
	CHECK(score_meter_parse("x/4", &n, &d) < 0);
}

static void test_lengths(void)
{
	score_music m;
	/* L:1/8 in G: B>c, a triplet, a chord of quarter notes, a tie, F sharp
	 * from the key, then natural through the bar, sharp again after it. */
	play("M:4/4\nL:1/8\nK:G\nB>c (3def [G2B2] A2- | A2 F =F F4 | F8 |]\n", &m);
	CHECK(m.n_notes == 12, "%zu notes", m.n_notes);
	if (m.n_notes == 12) {
		CHECK_NEAR(m.notes[0].dur, 3.0 / 16, 1e-12);                      /* B> */
		CHECK_NEAR(m.notes[1].start, 3.0 / 16, 1e-12);
		CHECK_NEAR(m.notes[1].dur, 1.0 / 16, 1e-12);                      /* c */
		CHECK_NEAR(m.notes[2].dur, 1.0 / 12, 1e-12);                      /* (3d */
		CHECK_NEAR(m.notes[5].start, 0.5, 1e-12);                         /* [G2B2] */
		CHECK(m.notes[5].pitch == 67 && m.notes[6].pitch == 71);
		CHECK_NEAR(m.notes[7].dur, 0.5, 1e-12);                           /* A2-|A2 */
		CHECK(m.notes[8].pitch == 66, "F in G is F sharp: %d", m.notes[8].pitch);
		CHECK(m.notes[9].pitch == 65 && m.notes[10].pitch == 65);         /* =F F */
		CHECK(m.notes[11].pitch == 66);                                   /* next bar */
	}
	CHECK_NEAR(m.length, 3.0, 1e-12);
	CHECK(m.meter_num == 4 && m.meter_den == 4 && m.key.tonic == 7);
	score_music_release(&m);
}

static void test_repeats(void)
{
	score_music m;
	/* A |: B :| C, then first and second endings: A B B C D E D F. */
	play("M:2/4\nL:1/4\nK:C\nA2 |: B2 :| c2 |: d2 |1 e2 :|2 f2 |]\n", &m);
	static const int want[] = { 69, 71, 71, 72, 74, 76, 74, 77 };
	CHECK(m.n_notes == 8, "%zu notes", m.n_notes);
	for (size_t i = 0; i < m.n_notes && i < 8; i++) {
		CHECK(m.notes[i].pitch == want[i], "note %zu: %d, want %d", i, m.notes[i].pitch, want[i]);
		CHECK_NEAR(m.notes[i].start, 0.5 * (double)i, 1e-12);
	}
	CHECK_NEAR(m.length, 4.0, 1e-12);
	score_music_release(&m);
	/* Chord symbols keep their place. */
	play("M:3/4\nL:1/8\nK:D\n\"D\"d2 d2 A2 | \"G\"B6 |]\n", &m);
	CHECK(m.n_chords == 2 && strcmp(m.chords[1].name, "G") == 0);
	CHECK(m.n_chords == 2 && fabs(m.chords[1].start - 0.75) < 1e-12);
	score_music_release(&m);
}

static void test_meter(void)
{
	char why[200];
	CHECK(fits("M:6/8\nL:1/8\nK:G\nD|GAG GBd|gfe d2B|1 A3 A2:|2 A3 A2|]\n", why, sizeof(why)),
	      "%s", why);
	CHECK(fits("M:4/4\nL:1/8\nK:D\nAB|:d2 d2 f4|e8:|\n", why, sizeof(why)), "%s", why);
	CHECK(!fits("M:3/4\nL:1/8\nK:D\nd2 d2 f2|e8|d6|]\n", why, sizeof(why)));
	CHECK_STR(why, "bar 2 is 1/1 long in 3/4");
	CHECK(!fits("M:3/4\nL:1/8\nK:D\nd2 d2 f2|e4|d6|d6|]\n", why, sizeof(why)));
	CHECK_STR(why, "bar 2 is 1/2 long in 3/4");
	/* A change of meter, a free meter, and a multi-bar rest. */
	CHECK(fits("M:2/4\nL:1/8\nK:C\nc4|[M:3/4]c6|Z2|c6|]\n", why, sizeof(why)), "%s", why);
	CHECK(fits("M:none\nL:1/8\nK:C\nc4|c6|c|]\n", why, sizeof(why)), "%s", why);
}

static int fits_so_far(const char *text)
{
	score_abc_tune t;
	CHECK(score_abc_parse(&t, text, strlen(text), "t", 1) == 0, "%s", bj_error_message());
	int ok = score_music_fits_meter_so_far(&t, NULL, 0);
	score_abc_tune_release(&t);
	return ok;
}

/* A tune being drawn: its last bar may not be short unless a repeat, a
 * double bar or an ending follows; what comes after the last bar line is
 * not judged. */
static void test_so_far(void)
{
	CHECK(fits_so_far("M:3/4\nL:1/8\nK:D\nA|d2 d2 f2|"));       /* a pickup */
	CHECK(fits_so_far("M:3/4\nL:1/8\nK:D\nd2 d2 f2|e4 d2|d"));    /* the rest is open */
	CHECK(!fits_so_far("M:3/4\nL:1/8\nK:D\nd2 d2 f2|e4|"));       /* short, mid-tune */
	CHECK(fits_so_far("M:3/4\nL:1/8\nK:D\nd2 d2 f2|e4:|"));       /* short before a repeat */
	CHECK(!fits_so_far("M:3/4\nL:1/8\nK:D\nd2 d2 f2|e8|"));       /* long */
	char why[100];
	CHECK(fits("M:3/4\nL:1/8\nK:D\nd2 d2 f2|e4|", why, sizeof(why)));   /* a finished tune */
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_keys),
		TEST_CASE(test_lengths),
		TEST_CASE(test_repeats),
		TEST_CASE(test_meter),
		TEST_CASE(test_so_far),
		{ 0 },
	};
	return test_main(cases);
}
