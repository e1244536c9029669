#include "media/resample.h"

#include <math.h>
#include <stdlib.h>

#include "base/error.h"
#include "harness.h"

static void tone(media_audio *a, int rate, double hz, double seconds)
{
	media_audio_init(a, rate, 1);
	size_t n = (size_t)(rate * seconds);
	media_audio_reserve(a, n);
	for (size_t i = 0; i < n; i++)
		a->samples[i] = (float)(0.5 * sin(2 * M_PI * hz * (double)i / rate));
	a->frames = n;
}

/* The tone keeps its length, level and frequency, and starts where it did. */
static void test_upsample_keeps_tone(void)
{
	media_audio in, out;
	tone(&in, 16000, 1000, 1.0);
	CHECK(media_audio_resample(&in, 48000, &out) == 0, "%s", bj_error_message());
	CHECK(out.rate == 48000 && out.channels == 1);
	CHECK(labs((long)out.frames - 48000) <= 2, "%zu frames", out.frames);
	double peak = 0, err = 0;
	for (size_t i = 2000; i + 2000 < out.frames; i++) {
		peak = fmax(peak, fabs(out.samples[i]));
		err = fmax(err, fabs(out.samples[i] - 0.5 * sin(2 * M_PI * 1000.0 * (double)i / 48000)));
	}
	CHECK_NEAR(peak, 0.5, 0.01);
	CHECK(err < 0.01, "largest error against the ideal tone %g", err);
	media_audio_release(&in);
	media_audio_release(&out);
}

static void test_same_rate_copies_and_bad_rate_fails(void)
{
	media_audio in, out;
	tone(&in, 8000, 440, 0.1);
	CHECK(media_audio_resample(&in, 8000, &out) == 0);
	CHECK_CLOSE("copy", out.samples, in.samples, in.frames, 0, 0);
	media_audio_release(&out);
	CHECK(media_audio_resample(&in, 0, &out) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "cannot resample 1 channels at 8000 Hz to 0 Hz");
	CHECK(out.frames == 0);
	media_audio_release(&out);
	media_audio_release(&in);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_upsample_keeps_tone),
		TEST_CASE(test_same_rate_copies_and_bad_rate_fails),
		{ 0 },
	};
	return test_main(cases);
}
