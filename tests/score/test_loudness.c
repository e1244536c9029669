/*
 * test_loudness.c - bed loudness and ducking on a synthetic tone: normalised
 * to -23 LUFS within 0.1 LU, and lowered by the ducking depth under a line,
 * untouched away from it, with the ramps in between.
 */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "score/loudness.h"

static void tone(media_audio *a, double seconds, double amp)
{
	media_audio_init(a, 48000, 2);
	size_t n = (size_t)(seconds * 48000);
	media_audio_reserve(a, n);
	for (size_t i = 0; i < n; i++)
		a->samples[2 * i] = a->samples[2 * i + 1] = (float)(amp * sin(2 * M_PI * 440.0 * (double)i / 48000));
	a->frames = n;
}

/* RMS of frames [a, b). */
static double rms(const media_audio *x, double from, double to)
{
	size_t a = (size_t)(from * 48000), b = (size_t)(to * 48000);
	double e = 0;
	for (size_t i = a; i < b; i++)
		e += (double)x->samples[2 * i] * x->samples[2 * i];
	return sqrt(e / (double)(b - a));
}

static void test_normalize(void)
{
	media_audio a;
	tone(&a, 10.0, 0.5);
	double before, after;
	CHECK(score_loudness_normalize(&a, -23.0, &before) == 0);
	CHECK(before > -10 && before < 0, "%.2f LUFS", before);
	CHECK(score_loudness(&a, &after) == 0);
	CHECK_NEAR(after, -23.0, 0.1);
	media_audio_release(&a);
	media_audio silent;
	media_audio_init(&silent, 48000, 2);
	CHECK(score_loudness_normalize(&silent, -23.0, &before) == 0 && isinf(before));
	media_audio_release(&silent);
}

static void test_duck(void)
{
	media_audio a;
	tone(&a, 10.0, 0.5);
	double r0 = rms(&a, 0.0, 1.0);
	score_interval line = { 4.0, 6.0 };
	score_duck(&a, &line, 1, -12.0, 0.2, 0.6);
	CHECK_NEAR(rms(&a, 1.0, 3.7) / r0, 1.0, 1e-3);                      /* before the attack */
	CHECK_NEAR(20 * log10(rms(&a, 4.0, 6.0) / r0), -12.0, 0.05);        /* under the line */
	double mid = 20 * log10(rms(&a, 3.85, 3.95) / r0);                  /* in the attack */
	CHECK(mid < -1 && mid > -11, "%.2f dB", mid);
	CHECK_NEAR(rms(&a, 6.7, 9.0) / r0, 1.0, 1e-3);                      /* after the release */
	media_audio_release(&a);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_normalize),
		TEST_CASE(test_duck),
		{ 0 },
	};
	return test_main(cases);
}
