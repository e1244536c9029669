#include "perform/voice_match.h"

#include <math.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"

/* A synthetic speaker (rms three semitones up) is found again: the base voice
 * rms, a median F0 within 5 %. */
static void test_match_a_shifted_voice(void)
{
	perform_voice_setting src = PERFORM_VOICE_SETTING("rms");
	src.shift.semitones = 3;
	perform_speech sp;
	CHECK(perform_line_render(&src, "I was not expecting you so early. Come in, sit down.",
	                          &PERFORM_LINE_DEFAULTS, &sp) == 0);
	perform_voice_setting v;
	perform_match_report r;
	CHECK(perform_voice_match(&sp.audio, &v, &r) == 0, "%s", bj_error_message());
	CHECK(fabs(r.out_f0 / r.target_f0 - 1) < 0.05, "F0 %.1f for %.1f", r.out_f0, r.target_f0);
	CHECK(r.distance_after <= r.distance_before + 0.25, "%.2f -> %.2f dB", r.distance_before,
	      r.distance_after);
	perform_speech_release(&sp);
}

/* A real speaker: the output's median F0 is within 5 % of the sample's, and
 * the envelope comes no further away. */
static void test_match_a_recording(void)
{
	const char *path = test_data("voice/ljspeech_LJ001_female_16k.wav");
	if (!path)
		return;
	perform_voice_setting v;
	perform_match_report r;
	CHECK(perform_voice_match_file(path, &v, &r) == 0, "%s", bj_error_message());
	CHECK(fabs(r.out_f0 / r.target_f0 - 1) < 0.05, "F0 %.1f for %.1f", r.out_f0, r.target_f0);
	CHECK(r.distance_after <= r.distance_before + 0.25, "%.2f -> %.2f dB", r.distance_before,
	      r.distance_after);
	char buf[512];
	perform_match_describe(&v, &r, buf, sizeof buf);
	printf("    %s\n", buf);
}

static void test_match_errors(void)
{
	perform_voice_setting v;
	CHECK(perform_voice_match_file(test_path("none.wav"), &v, NULL) == BJ_ENOENT);
	media_audio quiet;
	media_audio_init(&quiet, 16000, 1);
	media_audio_reserve(&quiet, 16000);
	memset(quiet.samples, 0, 16000 * sizeof(float));
	quiet.frames = 16000;
	CHECK(perform_voice_match(&quiet, &v, NULL) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "no voiced speech in the sample (0.00 s voiced)");
	media_audio_release(&quiet);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_match_a_shifted_voice),
		TEST_CASE(test_match_a_recording),
		TEST_CASE(test_match_errors),
		{ 0 },
	};
	return test_main(cases);
}
