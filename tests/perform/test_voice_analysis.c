#include "perform/voice_analysis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/rng.h"
#include "harness.h"
#include "media/audio.h"
#include "perform/voice.h"
#include "perform/voice_match.h"

/* A harmonic tone at f0 (a sawtooth-like sum of 8 harmonics falling 1/k), or a
 * sine when harmonics is 1, with a little seeded noise. */
static void tone(media_audio *a, int rate, double f0, int harmonics, double seconds)
{
	bj_rng rng;
	bj_rng_init(&rng, 7);
	media_audio_init(a, rate, 1);
	size_t n = (size_t)(rate * seconds);
	media_audio_reserve(a, n);
	for (size_t i = 0; i < n; i++) {
		double s = 0;
		for (int k = 1; k <= harmonics; k++)
			s += sin(2 * M_PI * f0 * k * (double)i / rate) / k;
		a->samples[i] = (float)(0.3 * s + 0.003 * (bj_rng_uniform(&rng) - 0.5));
	}
	a->frames = n;
}

static void test_yin_on_tones(void)
{
	static const struct {
		double f0;
		int harmonics, rate;
	} cases[] = { { 220, 1, 16000 }, { 110, 8, 48000 }, { 87.3, 8, 16000 }, { 311.1, 4, 44100 } };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		media_audio a;
		tone(&a, cases[i].rate, cases[i].f0, cases[i].harmonics, 1.0);
		perform_voice_profile p;
		CHECK(perform_voice_analyse(&a, &p) == 0, "%s", bj_error_message());
		CHECK(fabs(p.f0_median / cases[i].f0 - 1) < 0.005, "%g Hz tone: median %.2f", cases[i].f0,
		      p.f0_median);
		CHECK(p.f0_range < 0.1, "steady tone: range %.3f semitones", p.f0_range);
		CHECK(p.voiced > 0.9, "voiced %.2f", p.voiced);
		media_audio_release(&a);
	}
}

/* A glide from 100 to 200 Hz is followed frame by frame. */
static void test_yin_follows_a_glide(void)
{
	int rate = 16000;
	size_t n = 2 * (size_t)rate;
	float *x = malloc(n * sizeof *x);
	double phase = 0;
	for (size_t i = 0; i < n; i++) {
		double f = 100 * pow(2.0, (double)i / n); /* 100 -> 200 Hz over 2 s */
		phase += 2 * M_PI * f / rate;
		x[i] = (float)(0.4 * sin(phase) + 0.2 * sin(2 * phase));
	}
	perform_pitch_track t;
	CHECK(perform_pitch_track_run(x, n, rate, &t) == 0);
	CHECK(t.n > 150 && t.hop == 0.01, "%zu frames", t.n);
	int bad = 0;
	for (size_t i = 0; i < t.n; i++) {
		double centre = i * t.hop + 0.0125;
		double want = 100 * pow(2.0, centre * rate / n);
		if (fabs(t.f0[i] / want - 1) > 0.02)
			bad++;
	}
	CHECK(bad == 0, "%d of %zu frames off by more than 2 %%", bad, t.n);
	perform_pitch_track_release(&t);
	free(x);
}

static void test_noise_is_not_voiced(void)
{
	bj_rng rng;
	bj_rng_init(&rng, 3);
	media_audio a;
	media_audio_init(&a, 16000, 1);
	media_audio_reserve(&a, 16000);
	for (size_t i = 0; i < 16000; i++)
		a.samples[i] = (float)(bj_rng_normal(&rng) * 0.1);
	a.frames = 16000;
	perform_voice_profile p;
	CHECK(perform_voice_analyse(&a, &p) == BJ_EINVAL);
	CHECK(strncmp(bj_error_message(), "no voiced speech in the sample", 30) == 0, "%s",
	      bj_error_message());
	media_audio_release(&a);
}

/* Real speakers: medians where the speakers' sexes put them, ranges those of
 * speech (not of octave errors). */
static void test_yin_on_recorded_voices(void)
{
	static const struct {
		const char *file;
		double lo, hi;
	} cases[] = {
		{ "voice/ljspeech_LJ001_female_16k.wav", 165, 260 },
		{ "voice/notld_barbra_female_15s_16k.wav", 165, 280 },
		{ "voice/notld_newscaster_male_20s_16k.wav", 85, 150 },
		{ "voice/notld_ben_male_45s_16k.wav", 85, 160 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *path = test_data(cases[i].file);
		if (!path)
			return;
		media_audio a;
		CHECK(media_audio_load(path, 0, 1, &a) == 0, "%s", bj_error_message());
		perform_voice_profile p;
		CHECK(perform_voice_analyse(&a, &p) == 0, "%s", bj_error_message());
		CHECK(p.f0_median > cases[i].lo && p.f0_median < cases[i].hi, "%s: median %.1f Hz",
		      cases[i].file, p.f0_median);
		CHECK(p.f0_range > 2 && p.f0_range < 16, "%s: range %.1f semitones", cases[i].file,
		      p.f0_range);
		media_audio_release(&a);
	}
}

/* The measured medians of the base voices are the ones their table gives
 * (within 5 %), so casting predicts pitch right. */
static void test_base_voice_f0(void)
{
	for (size_t v = 0; v < perform_voice_count(); v++) {
		const perform_voice_info *info = perform_voice_at(v);
		perform_speech sp;
		CHECK(perform_voice_synth(info->name, perform_calibration_text, &PERFORM_SYNTH_DEFAULTS,
		                          &sp) == 0);
		perform_voice_profile p;
		CHECK(perform_voice_analyse(&sp.audio, &p) == 0, "%s", bj_error_message());
		CHECK(fabs(p.f0_median / info->f0 - 1) < 0.05, "%s: median %.1f Hz, table %.0f", info->name,
		      p.f0_median, info->f0);
		perform_speech_release(&sp);
	}
}

/* The formant scale estimate finds a known frequency scaling of an envelope,
 * and the distance is 0 to itself. */
static void test_formant_scale_and_distance(void)
{
	perform_voice_profile a = { 0 }, b = { 0 };
	double step = log2(PERFORM_ENVELOPE_HI_HZ / PERFORM_ENVELOPE_LO_HZ) / (PERFORM_ENVELOPE_BANDS - 1);
	for (int k = 0; k < PERFORM_ENVELOPE_BANDS; k++) {
		double oct = k * step; /* octaves above 150 Hz */
		a.envelope[k] = (float)(10 * sin(2.2 * oct) + 3 * cos(5.1 * oct));
		double src = oct - log2(1.12); /* b = a with every frequency times 1.12 */
		b.envelope[k] = (float)(10 * sin(2.2 * src) + 3 * cos(5.1 * src));
	}
	CHECK_NEAR(perform_spectral_distance(&a, &a), 0, 1e-9);
	CHECK(perform_spectral_distance(&a, &b) > 1);
	CHECK_NEAR(perform_formant_scale(&b, &a), 1.12, 0.01);
	CHECK_NEAR(perform_formant_scale(&a, &b), 1 / 1.12, 0.01);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_yin_on_tones),
		TEST_CASE(test_yin_follows_a_glide),
		TEST_CASE(test_noise_is_not_voiced),
		TEST_CASE(test_yin_on_recorded_voices),
		TEST_CASE(test_base_voice_f0),
		TEST_CASE(test_formant_scale_and_distance),
		{ 0 },
	};
	return test_main(cases);
}
