/* Shifting, loudness, prosody, filters: one line end to end. */
#include "perform/voice_line.h"

#include <math.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"
#include "perform/voice_analysis.h"
#include "perform/voice_loudness.h"

static const char sentence[] = "The rainbow is a division of white light into many beautiful colors.";

static void check_ends_with_audio(const perform_speech *sp, const char *what)
{
	double dur = media_audio_duration(&sp->audio);
	CHECK(fabs(perform_speech_end(sp) - dur) <= 0.010, "%s: last phone %.4f, audio %.4f s", what,
	      perform_speech_end(sp), dur);
	CHECK(sp->n_words && sp->words[sp->n_words - 1].end <= dur, "%s", what);
}

static double median_f0(const media_audio *a)
{
	perform_voice_profile p;
	CHECK(perform_voice_analyse(a, &p) == 0, "%s", bj_error_message());
	return p.f0_median;
}

/* Pitch moves by the semitones asked, the rate shortens the line, and the
 * timings follow the stretch. */
static void test_shift_pitch_rate_and_timings(void)
{
	perform_speech a, b;
	CHECK(perform_voice_synth("awb", sentence, &PERFORM_SYNTH_DEFAULTS, &a) == 0);
	CHECK(perform_voice_synth("awb", sentence, &PERFORM_SYNTH_DEFAULTS, &b) == 0);
	double word_end = a.words[3].end;
	perform_shift s = { .semitones = 4, .rate = 1.25, .formant = 1.0 };
	CHECK(perform_speech_shift(&b, &s) == 0, "%s", bj_error_message());
	double ratio = media_audio_duration(&b.audio) / media_audio_duration(&a.audio);
	CHECK(fabs(ratio - 0.8) < 0.01, "duration ratio %.4f", ratio);
	CHECK(fabs(b.words[3].end - word_end * ratio) < 1e-9);
	check_ends_with_audio(&b, "shifted");
	double f = median_f0(&b.audio) / median_f0(&a.audio);
	CHECK(fabs(f / pow(2, 4 / 12.0) - 1) < 0.03, "F0 ratio %.4f, want %.4f", f, pow(2, 4 / 12.0));
	perform_speech_release(&b);

	/* A formant shift alone leaves the pitch where it was. */
	CHECK(perform_voice_synth("awb", sentence, &PERFORM_SYNTH_DEFAULTS, &b) == 0);
	s = (perform_shift){ .semitones = 0, .rate = 1, .formant = 1.15 };
	CHECK(perform_speech_shift(&b, &s) == 0);
	f = median_f0(&b.audio) / median_f0(&a.audio);
	CHECK(fabs(f - 1) < 0.03, "F0 ratio %.4f after a formant shift", f);
	perform_speech_release(&b);

	s = (perform_shift){ .semitones = 30, .rate = 1, .formant = 1 };
	CHECK(perform_speech_shift(&a, &s) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "pitch shift of 30 semitones is out of range -24..24");
	perform_speech_release(&a);
}

/* Every line lands at -16 LUFS with true peak under -1 dBTP; a whisper is
 * 12 dB quieter; a shout is limited, not clipped. */
static void test_loudness_targets(void)
{
	static const struct {
		const char *voice, *paren, *text;
		double lufs;
	} cases[] = {
		{ "slt", NULL, sentence, -16 },
		{ "kal", NULL, sentence, -16 },
		{ "rms", "(whispering)", sentence, -28 },
		{ "awb", "(shouting)", "Get out of here, now!", -12 },
		{ "slt", NULL, "Yes.", -16 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		perform_voice_setting v = PERFORM_VOICE_SETTING("");
		snprintf(v.voice, sizeof v.voice, "%s", cases[i].voice);
		perform_line_options o = PERFORM_LINE_DEFAULTS;
		if (cases[i].paren)
			CHECK(perform_delivery_parenthetical(&o.delivery, cases[i].paren) == 1);
		perform_delivery_punctuation(&o.delivery, cases[i].text);
		perform_speech sp;
		CHECK(perform_line_render(&v, cases[i].text, &o, &sp) == 0, "%s", bj_error_message());
		CHECK(sp.audio.rate == 48000);
		double lufs, tp;
		CHECK(perform_loudness_measure(&sp.audio, &lufs, &tp) == 0);
		CHECK(fabs(lufs - cases[i].lufs) < 0.5, "%s %s: %.2f LUFS, want %.0f", cases[i].voice,
		      cases[i].text, lufs, cases[i].lufs);
		CHECK(tp <= -1.0, "%s: true peak %.2f dBTP", cases[i].voice, tp);
		check_ends_with_audio(&sp, cases[i].voice);
		perform_speech_release(&sp);
	}
}

/* A (beat) puts 0.6 s of silence before the words, and the timings move. */
static void test_pause_moves_timings(void)
{
	perform_voice_setting v = PERFORM_VOICE_SETTING("slt");
	perform_line_options o = PERFORM_LINE_DEFAULTS;
	perform_speech a, b;
	CHECK(perform_line_render(&v, "Fine.", &o, &a) == 0);
	CHECK(perform_delivery_parenthetical(&o.delivery, "(beat)") == 1);
	CHECK(perform_line_render(&v, "Fine.", &o, &b) == 0);
	CHECK_NEAR(media_audio_duration(&b.audio) - media_audio_duration(&a.audio), 0.6, 0.001);
	CHECK_NEAR(b.words[0].start - a.words[0].start, 0.6, 0.001);
	CHECK(b.phones[0].start == 0);
	check_ends_with_audio(&b, "beat");
	perform_speech_release(&a);
	perform_speech_release(&b);
}

static void test_parentheticals_and_punctuation(void)
{
	perform_delivery d = PERFORM_DELIVERY_NEUTRAL;
	CHECK(perform_delivery_parenthetical(&d, "(whispering)") == 1);
	CHECK(d.volume_db == -12 && d.rate < 1 && d.range < 1);
	d = PERFORM_DELIVERY_NEUTRAL;
	CHECK(perform_delivery_parenthetical(&d, "(a long pause)") == 1);
	CHECK(d.pause_before == 1.2, "long pause counted once: %g", d.pause_before);
	d = PERFORM_DELIVERY_NEUTRAL;
	CHECK(perform_delivery_parenthetical(&d, "(SHOUTING, angry)") == 1);
	CHECK(d.volume_db == 5 && d.pitch == 2.5, "%g dB %g st", d.volume_db, d.pitch);
	d = PERFORM_DELIVERY_NEUTRAL;
	CHECK(perform_delivery_parenthetical(&d, "(upbeat)") == 0);
	CHECK(perform_delivery_parenthetical(&d, "(in Vietnamese, subtitled)") == 0);
	CHECK(memcmp(&d, &PERFORM_DELIVERY_NEUTRAL, sizeof d) == 0, "ignored ones change nothing");
	perform_delivery_punctuation(&d, "You came back?");
	CHECK(d.range > 1 && d.volume_db == 0);
	d = PERFORM_DELIVERY_NEUTRAL;
	perform_delivery_punctuation(&d, "Run!");
	CHECK(d.volume_db > 0);
	d = PERFORM_DELIVERY_NEUTRAL;
	perform_delivery_punctuation(&d, "I thought...");
	CHECK(d.pause_after == 0.3 && d.rate < 1);
}

/* Level of a sine at hz through filter f, relative to its input, in dB. */
static double response(perform_filter f, double hz)
{
	media_audio a;
	media_audio_init(&a, 48000, 1);
	media_audio_reserve(&a, 48000);
	for (size_t i = 0; i < 48000; i++)
		a.samples[i] = (float)(0.01 * sin(2 * M_PI * hz * (double)i / 48000));
	a.frames = 48000;
	perform_filter_apply(&a, f);
	double e = 0;
	for (size_t i = 24000; i < 48000; i++)
		e += (double)a.samples[i] * a.samples[i];
	media_audio_release(&a);
	return 10 * log10(e / 24000 / (0.01 * 0.01 / 2));
}

static void test_filters(void)
{
	CHECK(perform_filter_parse("phone") == PERFORM_FILTER_PHONE);
	CHECK(perform_filter_parse("tv") == -1);
	CHECK_STR(perform_filter_name(PERFORM_FILTER_DISTANCE), "distance");
	CHECK(fabs(response(PERFORM_FILTER_PHONE, 1000)) < 3, "%.1f dB", response(PERFORM_FILTER_PHONE, 1000));
	CHECK(response(PERFORM_FILTER_PHONE, 80) < -20, "%.1f dB", response(PERFORM_FILTER_PHONE, 80));
	CHECK(response(PERFORM_FILTER_PHONE, 8000) < -20, "%.1f dB", response(PERFORM_FILTER_PHONE, 8000));
	CHECK(response(PERFORM_FILTER_RADIO, 250) < -15, "%.1f dB", response(PERFORM_FILTER_RADIO, 250));
	CHECK(response(PERFORM_FILTER_DISTANCE, 8000) < -15, "%.1f dB", response(PERFORM_FILTER_DISTANCE, 8000));
	CHECK(fabs(response(PERFORM_FILTER_NONE, 8000)) < 0.01);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_shift_pitch_rate_and_timings),
		TEST_CASE(test_loudness_targets),
		TEST_CASE(test_pause_moves_timings),
		TEST_CASE(test_parentheticals_and_punctuation),
		TEST_CASE(test_filters),
		{ 0 },
	};
	return test_main(cases);
}
