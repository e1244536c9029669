#include "media/audio.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"
#include "harness.h"

#define INTERVIEW "footage/blackjournal_ep67_angela_davis_interview.mp4"
#define STEAMBOAT "footage/steamboat_willie_1928_excerpt.mp4"
#define JFK "voice/jfk_1961_inaugural_male_16k.wav"

/* splitmix64: seeded test input without rand(). */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The best audio stream as ffprobe sees it. */
struct probe {
	int rate, channels;
	int64_t duration_ts;   /* in the stream's time base; -1 if not stated */
	double duration;       /* seconds */
};

static int probe_audio(const char *path, struct probe *p)
{
	const char *argv[] = { "ffprobe", "-v", "error", "-of", "json", "-select_streams", "a:0",
	                       "-show_streams", path, NULL };
	char *out = test_run(argv, NULL);
	CHECK(out, "ffprobe failed on '%s'", path);
	if (!out)
		return -1;
	json_t *root = json_loads(out, 0, NULL);
	free(out);
	json_t *s = json_array_get(json_object_get(root, "streams"), 0);
	CHECK(s, "ffprobe found no audio in '%s'", path);
	int ret = -1;
	if (s) {
		const char *rate = json_string_value(json_object_get(s, "sample_rate"));
		const char *dts = json_string_value(json_object_get(s, "duration_ts"));
		const char *dur = json_string_value(json_object_get(s, "duration"));
		p->rate = rate ? (int)strtol(rate, NULL, 10) : 0;
		p->channels = (int)json_integer_value(json_object_get(s, "channels"));
		json_t *jdts = json_object_get(s, "duration_ts");
		p->duration_ts = json_is_integer(jdts) ? json_integer_value(jdts)
		                 : dts ? strtoll(dts, NULL, 10) : -1;
		p->duration = dur ? strtod(dur, NULL) : 0;
		ret = 0;
	}
	json_decref(root);
	return ret;
}

/* Not silent, finite and within [-1.5, 1.5] (a remix can go past 1). */
static void check_signal(const char *path, const media_audio *a)
{
	size_t n = a->frames * (size_t)a->channels;
	double sum = 0, peak = 0;
	size_t bad = 0;
	for (size_t i = 0; i < n; i++) {
		double x = a->samples[i];
		if (!isfinite(x))
			bad++;
		sum += x * x;
		if (fabs(x) > peak)
			peak = fabs(x);
	}
	double rms = n ? sqrt(sum / (double)n) : 0;
	CHECK(bad == 0, "'%s': %zu samples are not finite", path, bad);
	CHECK(rms > 0.005 && peak > 0.05, "'%s': silent? rms %.5f peak %.5f", path, rms, peak);
	CHECK(peak <= 1.5, "'%s': peak %.3f", path, peak);
}

/* Decodes "ffmpeg -i path -f f32le -ac channels -ar rate -" into a new buffer. */
static float *ffmpeg_decode(const char *path, int rate, int channels, size_t *frames)
{
	char ar[16], ac[16];
	snprintf(ar, sizeof(ar), "%d", rate);
	snprintf(ac, sizeof(ac), "%d", channels);
	const char *argv[] = { "ffmpeg", "-v", "error", "-nostdin", "-i", path, "-vn", "-f", "f32le",
	                       "-ac", ac, "-ar", ar, "-", NULL };
	size_t size;
	char *out = test_run(argv, &size);
	CHECK(out, "ffmpeg failed on '%s'", path);
	if (!out)
		return NULL;
	*frames = size / (sizeof(float) * (size_t)channels);
	/* The command line writes native float32, as ours: little-endian here. */
	return (float *)out;
}

/* ---- the buffer -------------------------------------------------------------- */

static void test_buffer(void)
{
	media_audio a;
	media_audio_init(&a, 8000, 2);
	CHECK(a.frames == 0 && a.samples == NULL && a.rate == 8000 && a.channels == 2);
	const float x[6] = { 1, 2, 3, 4, 5, 6 };
	media_audio_append(&a, x, 3);
	media_audio_append(&a, x, 1);
	CHECK(a.frames == 4 && a.samples[6] == 1 && a.samples[7] == 2 && a.capacity >= 4);
	media_audio_reserve(&a, 1000);
	CHECK(a.capacity >= 1004 && a.frames == 4);
	a.samples[8] = 9;  /* written in place, as media_audio_load does */
	a.samples[9] = 10;
	a.frames++;
	CHECK(a.samples[8] == 9 && a.samples[5] == 6);
	CHECK_NEAR(media_audio_duration(&a), 5.0 / 8000, 1e-12);
	media_audio_release(&a);
	CHECK(a.samples == NULL && a.frames == 0 && a.capacity == 0);
	media_audio_release(&a);
	media_audio_release(NULL);
}

/* ---- loading ------------------------------------------------------------------ */

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .wav files in dir, sorted; NULL-terminated, free each and the array. */
static char **list_wavs(const char *dir)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *dp = opendir(dir);
	CHECK(dp, "cannot open '%s'", dir);
	struct dirent *e;
	while (dp && (e = readdir(dp))) {
		size_t len = strlen(e->d_name);
		if (len > 4 && strcmp(e->d_name + len - 4, ".wav") == 0) {
			BJ_GROW(names, cap, n + 2);
			names[n++] = bj_xasprintf("%s/%s", dir, e->d_name);
		}
	}
	if (dp)
		closedir(dp);
	if (n)
		qsort(names, n, sizeof(*names), compare_names);
	BJ_GROW(names, cap, n + 1);
	names[n] = NULL;
	return names;
}

static void check_wav(const char *path)
{
	struct probe p;
	if (probe_audio(path, &p) < 0)
		return;
	media_audio a;
	int ret = media_audio_load(path, 0, 0, &a);
	CHECK(ret == 0, "%s", bj_error_message());
	CHECK(a.rate == p.rate && a.channels == p.channels, "'%s': %d Hz %d ch, ffprobe %d Hz %d ch",
	      path, a.rate, a.channels, p.rate, p.channels);
	/* PCM in WAV: every sample the header counts, none more. */
	CHECK((int64_t)a.frames == p.duration_ts, "'%s': %zu frames, ffprobe %lld", path, a.frames,
	      (long long)p.duration_ts);
	check_signal(path, &a);
	media_audio_release(&a);

	/* Resampled to 48 kHz stereo: three times the frames, give or take the
	 * resampler's rounding at the ends. */
	ret = media_audio_load(path, 48000, 2, &a);
	CHECK(ret == 0, "%s", bj_error_message());
	double want = (double)p.duration_ts * 48000 / p.rate;
	CHECK(a.rate == 48000 && a.channels == 2 && fabs((double)a.frames - want) <= 2,
	      "'%s': %zu frames at 48 kHz, want %.0f", path, a.frames, want);
	check_signal(path, &a);
	media_audio_release(&a);
}

static void test_load_voice_wavs(void)
{
	const char *voice = test_data("voice");
	if (!voice)
		return;
	char *top = bj_xstrdup(voice);
	char *sub = bj_xasprintf("%s/film_dialogue_multispeaker", top);
	const char *dirs[] = { top, sub };
	int count = 0;
	for (size_t d = 0; d < BJ_ARRAY_SIZE(dirs); d++) {
		char **wavs = list_wavs(dirs[d]);
		for (char **w = wavs; *w; w++) {
			check_wav(*w);
			count++;
			free(*w);
		}
		free(wavs);
	}
	printf("    %d WAV files\n", count);
	CHECK(count >= 5, "only %d WAV files", count);
	free(sub);
	free(top);
}

/* AAC in MP4: the priming samples the encoder added are dropped (the edit list),
 * so the decoded length matches the stated duration. */
static void test_load_audio_of_video(void)
{
	const char *path = test_data(INTERVIEW);
	if (!path)
		return;
	struct probe p;
	if (probe_audio(path, &p) < 0)
		return;
	media_audio st, mono, low;
	CHECK(media_audio_load(path, 0, 0, &st) == 0, "%s", bj_error_message());
	CHECK(st.rate == 44100 && st.channels == 2 && p.rate == 44100 && p.channels == 2);
	CHECK(fabs(media_audio_duration(&st) - p.duration) < 0.03, "%.4f s, ffprobe %.4f s",
	      media_audio_duration(&st), p.duration);
	check_signal(path, &st);

	/* Mono is FFmpeg's default downmix, (L + R) / sqrt(2), at the same rate. */
	CHECK(media_audio_load(path, 44100, 1, &mono) == 0, "%s", bj_error_message());
	CHECK(mono.frames == st.frames && mono.channels == 1);
	if (mono.frames == st.frames) {
		float *want = bj_xmalloc(st.frames * sizeof(float));
		for (size_t i = 0; i < st.frames; i++)
			want[i] = (float)((st.samples[2 * i] + (double)st.samples[2 * i + 1]) * M_SQRT1_2);
		CHECK_CLOSE("downmix", mono.samples, want, st.frames, 1e-6, 1e-5);
		free(want);
	}
	check_signal(path, &mono);

	CHECK(media_audio_load(path, 16000, 1, &low) == 0, "%s", bj_error_message());
	CHECK(low.rate == 16000 && fabs(media_audio_duration(&low) - p.duration) < 0.03, "%.4f s",
	      media_audio_duration(&low));
	check_signal(path, &low);
	media_audio_release(&st);
	media_audio_release(&mono);
	media_audio_release(&low);
}

/* Ours against the ffmpeg command line's f32le output: an independent path
 * through the same libraries (the command line runs the resampler inside its
 * filter graph). */
static void check_against_ffmpeg(const char *path, int rate, int channels, double atol,
                                 size_t max_len_diff)
{
	media_audio a;
	CHECK(media_audio_load(path, rate, channels, &a) == 0, "%s", bj_error_message());
	size_t n;
	float *want = ffmpeg_decode(path, rate, channels, &n);
	if (want) {
		size_t diff = n > a.frames ? n - a.frames : a.frames - n;
		CHECK(diff <= max_len_diff, "'%s' at %d Hz x %d: %zu frames, ffmpeg %zu", path, rate,
		      channels, a.frames, n);
		size_t common = n < a.frames ? n : a.frames;
		char name[64];
		snprintf(name, sizeof(name), "%d Hz x %d", rate, channels);
		CHECK_CLOSE(name, a.samples, want, common * (size_t)channels, atol, 0);
	}
	free(want);
	media_audio_release(&a);
}

static void test_matches_ffmpeg_command_line(void)
{
	const char *jfk = test_data(JFK);
	if (jfk) {
		char *path = bj_xstrdup(jfk);
		/* No resampling: s16 to float is exact. */
		check_against_ffmpeg(path, 16000, 1, 0, 0);
		check_against_ffmpeg(path, 44100, 2, 1e-4, 2);
		free(path);
	}
	const char *interview = test_data(INTERVIEW);
	if (interview)
		check_against_ffmpeg(interview, 16000, 1, 1e-4, 2);
}

/* ---- bad input ------------------------------------------------------------------ */

static void check_load_fails(const char *path, int rate, int channels, int code, const char *msg)
{
	media_audio a;
	int ret = media_audio_load(path, rate, channels, &a);
	CHECK(ret == code, "'%s': %d, want %d", path, ret, code);
	CHECK(a.samples == NULL && a.frames == 0);
	CHECK_STR(bj_error_message(), msg);
	media_audio_release(&a);
}

static void check_file_fails(const char *path, int code, const char *problem)
{
	char want[4200];
	snprintf(want, sizeof(want), "'%s': %s", path, problem);
	check_load_fails(path, 16000, 1, code, want);
}

/* The RMS difference between a range and the same stretch of the whole load,
 * relative to the stretch's RMS, at the best of a few sample offsets; *offset
 * is that offset.  Resampled, a range starts at another phase of the
 * resampler, up to half a sample off the whole load's grid: inaudible, but
 * sample by sample it differs where the sound has high frequencies. */
static double range_error(const media_audio *whole, const media_audio *part, size_t at, int *offset)
{
	double best = HUGE_VAL;
	for (int off = -4; off <= 4; off++) {
		double diff = 0, power = 0;
		for (size_t k = 8; k + 8 < part->frames; k++) {
			long w = (long)(at + k) + off;
			if (w < 0 || (size_t)w >= whole->frames)
				continue;
			for (int c = 0; c < part->channels; c++) {
				double x = whole->samples[(size_t)w * whole->channels + c];
				double d = part->samples[k * part->channels + c] - x;
				diff += d * d;
				power += x * x;
			}
		}
		double rel = power > 0 ? sqrt(diff / power) : sqrt(diff);
		if (rel < best) {
			best = rel;
			*offset = off;
		}
	}
	return best;
}

/* A range: the right length, the same sound as that stretch of the whole file
 * (AAC at 48 kHz kept, and 44.1 kHz resampled to 48 kHz), nothing past the end. */
static void test_load_range(void)
{
	static const char *const files[] = { STEAMBOAT, INTERVIEW };
	for (size_t i = 0; i < 2; i++) {
		const char *path = test_data(files[i]);
		if (!path)
			return;
		media_audio whole, part;
		CHECK(media_audio_load(path, 48000, 2, &whole) == 0, "%s", bj_error_message());
		CHECK(media_audio_load_range(path, 48000, 2, 10.25, 2.0, &part) == 0, "%s",
		      bj_error_message());
		CHECK(part.frames == 96000 && part.rate == 48000 && part.channels == 2, "%zu frames",
		      part.frames);
		int off = 0;
		double err = range_error(&whole, &part, 10.25 * 48000, &off);
		/* Within 1 % (-40 dB) at the file's own rate (AAC after a seek), 5 % resampled. */
		double tol = i == 0 ? 0.01 : 0.05;
		CHECK(err < tol && off == 0, "'%s': range differs by %g at offset %d", path, err, off);
		media_audio_release(&part);
		/* From the start (no seek) and past the end. */
		CHECK(media_audio_load_range(path, 48000, 2, 0.1, 1.0, &part) == 0);
		err = range_error(&whole, &part, 4800, &off);
		CHECK(part.frames == 48000 && err < tol, "%zu frames, error %g", part.frames, err);
		media_audio_release(&part);
		double end = media_audio_duration(&whole);
		CHECK(media_audio_load_range(path, 48000, 2, end - 0.5, 3.0, &part) == 0);
		CHECK(fabs(media_audio_duration(&part) - 0.5) < 0.03, "%g s at the end",
		      media_audio_duration(&part));
		media_audio_release(&part);
		CHECK(media_audio_load_range(path, 48000, 2, end + 5, 1.0, &part) == 0 && part.frames == 0);
		media_audio_release(&part);
		media_audio_release(&whole);
	}
	media_audio a;
	CHECK(media_audio_load_range("x.wav", 48000, 2, -1, 1, &a) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "'x.wav': audio range -1 s + 1 s is out of range");
}

static void test_bad_input(void)
{
	check_file_fails(test_path("missing.wav"), BJ_ENOENT, "No such file or directory");
	check_file_fails(test_tmpdir(), BJ_EIO, "is a directory");
	char *empty = bj_xstrdup(test_path("empty.wav"));
	test_write_file(empty, "", 0);
	check_file_fails(empty, BJ_EFORMAT, "empty file");
	free(empty);

	uint64_t rng = 99;
	size_t n = 64 * 1024;
	uint8_t *noise = bj_xmalloc(n);
	for (size_t i = 0; i < n; i++)
		noise[i] = (uint8_t)next_random(&rng);
	char *rnd = bj_xstrdup(test_path("noise.wav"));
	test_write_file(rnd, noise, n);
	check_file_fails(rnd, BJ_EFORMAT, "not a media file FFmpeg can read");
	free(rnd);
	free(noise);

	check_load_fails("x.wav", -1, 1, BJ_EINVAL, "audio rate -1 Hz is out of range (0..768000)");
	check_load_fails("x.wav", 16000, 3, BJ_EINVAL, "audio channels must be 0, 1 or 2, not 3");

	const char *silent = test_data("footage/nosferatu_1922_excerpt_silent.mp4");
	if (silent)
		check_file_fails(silent, BJ_ENOENT, "no audio stream");
}

static void test_truncated_file(void)
{
	const char *path = test_data(INTERVIEW);
	if (!path)
		return;
	size_t n;
	char *buf = test_read_file(path, &n);
	if (!buf)
		return;
	char *cut = bj_xstrdup(test_path("interview_half.mp4"));
	test_write_file(cut, buf, n / 2);
	free(buf);
	check_file_fails(cut, BJ_EFORMAT, "truncated: data ends at 30.72 s of 73.00 s");
	free(cut);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_buffer),
		TEST_CASE(test_load_voice_wavs),
		TEST_CASE(test_load_audio_of_video),
		TEST_CASE(test_matches_ffmpeg_command_line),
		TEST_CASE(test_load_range),
		TEST_CASE(test_bad_input),
		TEST_CASE(test_truncated_file),
		{ 0 },
	};
	return test_main(cases);
}
