/*
 * test_mix.c - the soundtrack: duck envelopes (attack before a line, release
 * after), dialogue placed to the sample, ambience ducked under it, loudness
 * normalised to -16 LUFS with the true peak under -1 dBTP.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "film/mix.h"
#include "harness.h"
#include "media/wav.h"

static void test_duck_weights(void)
{
	film_line lines[2] = { { .at = 1.0, .duration = 0.5 }, { .at = 1.7, .duration = 0.3 } };
	film_timeline t = { .lines = lines, .n_lines = 2 };
	film_bed bed = { .attack = 0.1, .release = 0.4 };
	int rate = 1000;
	float w[3000];
	film_mix_duck_weights(&t, &bed, rate, w, 3000);
	CHECK_NEAR(w[0], 0, 0);
	CHECK_NEAR(w[899], 0, 1e-6);      /* before the attack */
	CHECK_NEAR(w[950], 0.5, 1e-6);    /* half way down */
	CHECK_NEAR(w[1000], 1, 0);        /* the line */
	CHECK_NEAR(w[1499], 1, 0);
	CHECK_NEAR(w[1600], 0.75, 1e-6);  /* release, then the next line's attack takes over */
	CHECK_NEAR(w[1650], 0.625, 1e-6);
	CHECK_NEAR(w[1690], 0.9, 1e-6);   /* the second line's attack is higher */
	CHECK_NEAR(w[2000], 1, 0);
	CHECK_NEAR(w[2200], 0.5, 1e-6);
	CHECK_NEAR(w[2400], 0, 1e-6);
	CHECK_NEAR(w[2999], 0, 0);
	/* Zero attack and release: a hard step. */
	bed.attack = bed.release = 0;
	film_mix_duck_weights(&t, &bed, rate, w, 3000);
	CHECK(w[999] == 0 && w[1000] == 1 && w[1500] == 1 && w[1501] == 0);
}

static void tone(media_audio *a, int rate, int channels, double seconds, double freq, double amp)
{
	media_audio_init(a, rate, channels);
	size_t n = (size_t)(seconds * rate);
	media_audio_reserve(a, n);
	for (size_t k = 0; k < n; k++)
		for (int c = 0; c < channels; c++)
			a->samples[k * channels + c] = (float)(amp * sin(2 * M_PI * freq * k / rate));
	a->frames = n;
}

static double rms(const media_audio *a, double t0, double t1)
{
	size_t k0 = (size_t)(t0 * a->rate), k1 = (size_t)(t1 * a->rate);
	double s = 0;
	for (size_t k = k0; k < k1; k++)
		s += a->samples[2 * k] * (double)a->samples[2 * k];
	return sqrt(s / (double)(k1 - k0));
}

static void test_build(void)
{
	/* A 1 s "line" at 1.0 s; a 4 s score from 0 (ducked by 20 dB under the line). */
	media_audio a;
	char *line_path = strdup(test_path("line.wav")), *score_path = strdup(test_path("score.wav"));
	tone(&a, 16000, 1, 1.0, 500, 0.5);
	CHECK(media_wav_write(line_path, &a, MEDIA_WAV_FLOAT32) == 0);
	media_audio_release(&a);
	tone(&a, 48000, 2, 4.0, 200, 0.5);
	CHECK(media_wav_write(score_path, &a, MEDIA_WAV_FLOAT32) == 0);
	media_audio_release(&a);

	film_line line = { .audio = line_path, .at = 1.0, .character = "H", .text = "Hm." };
	film_clip clip = { .source = "x.png", .out = 4, .still = 1 };
	film_timeline t = { .title = "T", .clips = &clip, .n_clips = 1, .lines = &line, .n_lines = 1,
	                    .score = { .audio = score_path, .gain_db = 0, .duck_db = -20,
	                               .attack = 0.1, .release = 0.2 } };
	CHECK(film_timeline_measure(&t) == 0, "%s", bj_error_message());
	CHECK_NEAR(line.duration, 1.0, 1e-9);
	media_audio mix;
	int ret = film_mix_build(&t, 25, 1, 48000, &mix);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret < 0) {
		free(line_path);
		free(score_path);
		return;
	}
	CHECK(mix.frames == 4 * 48000 && mix.channels == 2 && mix.rate == 48000, "%zu", mix.frames);
	/* Score alone before: 0.5 amplitude, RMS 0.354. */
	CHECK_NEAR(rms(&mix, 0.2, 0.8), 0.5 / sqrt(2), 0.01);
	/* Under the line: the mono line, centred (-3 dB a channel: RMS 0.25), and the
	 * score 20 dB down (0.035), at other frequencies so their powers add. */
	double both = rms(&mix, 1.2, 1.8);
	CHECK_NEAR(both, sqrt(0.25 * 0.25 + 0.0354 * 0.0354), 0.005);
	/* After the release: the score back at full. */
	CHECK_NEAR(rms(&mix, 2.4, 3.8), 0.5 / sqrt(2), 0.01);
	film_loudness l;
	film_mix_normalise(&mix, -16, -1, &l);
	double lufs, tp;
	film_mix_measure(&mix, &lufs, &tp);
	CHECK_NEAR(lufs, -16, 0.2);
	CHECK(tp <= -1.0 + 1e-6, "true peak %g dBTP", tp);
	CHECK_NEAR(l.lufs, lufs, 1e-9);
	media_audio_release(&mix);

	/* A missing line is an error naming it. */
	line.audio = "/nonexistent/line.wav";
	ret = film_mix_build(&t, 25, 1, 48000, &mix);
	CHECK(ret < 0);
	CHECK_STR(bj_error_message(), "'/nonexistent/line.wav': No such file or directory");
	CHECK(mix.samples == NULL);
	free(line_path);
	free(score_path);
}

/* Footage sound from the clip's own stretch of the film, ducked by 15 dB
 * while a (silent) line plays. */
static void test_ambience(void)
{
	const char *film = test_data("footage/steamboat_willie_1928_excerpt.mp4");
	if (!film)
		return;
	char *line_path = strdup(test_path("silence.wav"));
	media_audio a;
	media_audio_init(&a, 48000, 1);
	media_audio_reserve(&a, 48000);
	memset(a.samples, 0, 48000 * sizeof(float));
	a.frames = 48000;
	CHECK(media_wav_write(line_path, &a, MEDIA_WAV_PCM16) == 0);
	media_audio_release(&a);
	film_clip clip = { .source = (char *)film, .in = 5, .out = 9, .at = 0 };
	film_line line = { .audio = line_path, .at = 1.5, .duration = 1.0, .character = "H", .text = "." };
	film_timeline t = { .title = "T", .clips = &clip, .n_clips = 1, .lines = &line, .n_lines = 1,
	                    .ambience = { .duck_db = -15, .attack = 0.1, .release = 0.3 } };
	media_audio mix, ref;
	CHECK(film_mix_build(&t, 25, 1, 48000, &mix) == 0, "%s", bj_error_message());
	CHECK(media_audio_load_range(film, 48000, 2, 5, 4, &ref) == 0);
	CHECK(mix.frames == 4 * 48000 && ref.frames == mix.frames, "%zu %zu", mix.frames, ref.frames);
	if (mix.frames == ref.frames && ref.frames == 4 * 48000) {
		/* Untouched before the duck, 15 dB down under the line, back after. */
		CHECK_NEAR(rms(&mix, 0.2, 1.3) / rms(&ref, 0.2, 1.3), 1.0, 0.01);
		CHECK_NEAR(20 * log10(rms(&mix, 1.6, 2.4) / rms(&ref, 1.6, 2.4)), -15, 0.1);
		CHECK_NEAR(rms(&mix, 3.0, 3.9) / rms(&ref, 3.0, 3.9), 1.0, 0.01);
	}
	media_audio_release(&mix);
	media_audio_release(&ref);
	free(line_path);
}

static void test_normalise_peaks(void)
{
	/* Quiet speech-like bursts with one loud click: loudness up to -16, the
	 * click limited so the true peak stays under -1 dBTP. */
	media_audio a;
	tone(&a, 48000, 2, 6.0, 330, 0.05);
	for (int c = 0; c < 2; c++)
		a.samples[(size_t)(3 * 48000) * 2 + c] = 0.99f;
	film_loudness l;
	film_mix_normalise(&a, -16, -1, &l);
	CHECK(l.input_lufs < -20, "input %g", l.input_lufs);
	CHECK_NEAR(l.lufs, -16, 0.2);
	CHECK(l.true_peak_db <= -1.0, "true peak %g", l.true_peak_db);
	CHECK(l.limited_db < -3, "limiter reduced by %g dB", l.limited_db);
	media_audio_release(&a);
	/* Silence stays silence. */
	media_audio_init(&a, 48000, 2);
	media_audio_reserve(&a, 4800);
	memset(a.samples, 0, 4800 * 2 * sizeof(float));
	a.frames = 4800;
	film_mix_normalise(&a, -16, -1, &l);
	CHECK(!isfinite(l.lufs) && a.samples[100] == 0);
	media_audio_release(&a);
}

static void test_frames(void)
{
	CHECK(film_mix_frames(25, 25, 1, 48000) == 48000);
	CHECK(film_mix_frames(1, 30000, 1001, 48000) == 1601);   /* 1601.6 */
	CHECK(film_mix_frames(30000, 30000, 1001, 48000) == 48048000);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_duck_weights),
		TEST_CASE(test_build),
		TEST_CASE(test_ambience),
		TEST_CASE(test_normalise_peaks),
		TEST_CASE(test_frames),
		{ 0 },
	};
	return test_main(cases);
}
