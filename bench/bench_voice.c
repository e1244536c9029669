/*
 * bench_voice.c - voices: real-time factors (seconds of speech per second of
 * compute) for synthesis alone, with Rubber Band shifting, and with matching
 * a sample; the whole dialogue of the first five pages of a screenplay through
 * `benjamin voice` on 2 threads (target: under 10 s).  References: Flite's own
 * CLI (flite) and Rubber Band's (rubberband-cli), the same libraries, timed in
 * the same run.  Ratio > 1 means we are faster.
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/json.h"
#include "bench.h"
#include "media/wav.h"
#include "perform/voice_analysis.h"
#include "perform/voice_line.h"
#include "perform/voice_match.h"
#include "text/fountain.h"
#include "text/layout.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static double seconds_of_speech;

static void synth_once(void *ctx)
{
	perform_speech sp;
	if (perform_voice_synth(ctx, perform_calibration_text, &PERFORM_SYNTH_DEFAULTS, &sp) == 0)
		seconds_of_speech = media_audio_duration(&sp.audio);
	perform_speech_release(&sp);
}

static void line_once(void *ctx)
{
	perform_speech sp;
	if (perform_line_render(ctx, perform_calibration_text, &PERFORM_LINE_DEFAULTS, &sp) == 0)
		seconds_of_speech = media_audio_duration(&sp.audio);
	perform_speech_release(&sp);
}

static const perform_speech *shift_source;

static void shift_once(void *ctx)
{
	perform_speech sp = *shift_source;
	sp.audio.samples = malloc(sp.audio.frames * sizeof(float));
	memcpy(sp.audio.samples, shift_source->audio.samples, sp.audio.frames * sizeof(float));
	sp.audio.capacity = sp.audio.frames;
	sp.words = NULL, sp.n_words = 0;
	sp.phones = NULL, sp.n_phones = 0;
	perform_speech_shift(&sp, ctx);
	media_audio_release(&sp.audio);
}

static void report_rtf(const char *what, const char *ref, double ms, double ref_ms)
{
	bench_report(what, ref, ms, ref_ms);
	printf("    %.1f s of speech: real-time factor %.1f (ours)", seconds_of_speech,
	       seconds_of_speech / (ms / 1000));
	if (ref_ms > 0)
		printf(", %.1f (%s)", seconds_of_speech / (ref_ms / 1000), ref);
	printf("\n");
}

/* Timings must agree with the audio before anything is timed. */
static int check(void)
{
	perform_voice_setting v = PERFORM_VOICE_SETTING("awb");
	v.shift.semitones = 4;
	perform_speech sp;
	if (perform_line_render(&v, "Is anybody there? I can hear you breathing.", &PERFORM_LINE_DEFAULTS,
	                        &sp) < 0) {
		fprintf(stderr, "bench_voice: %s\n", bj_error_message());
		return -1;
	}
	double d = media_audio_duration(&sp.audio) - perform_speech_end(&sp);
	perform_speech_release(&sp);
	if (fabs(d) > 0.010) {
		fprintf(stderr, "bench_voice: timings and audio differ by %.4f s\n", d);
		return -1;
	}
	return 0;
}

/* The first five pages of path (as printed) into out; the number of pages. */
static int first_pages(const char *path, const char *out, int pages)
{
	text_screenplay *sp, *cut = text_screenplay_new();
	if (text_fountain_load(path, &sp) < 0)
		return -1;
	text_layout l;
	text_layout_init(&l, sp, NULL);
	size_t end = sp->n_elements;
	for (size_t i = 0; i < l.n_lines; i++)
		if (text_layout_page_number(&l, l.lines[i].page) > pages && l.lines[i].element != SIZE_MAX &&
		    l.lines[i].kind != TEXT_LINE_TITLE) {
			end = l.lines[i].element;
			break;
		}
	/* Stop at a scene heading or a cue, so no speech is cut in two. */
	while (end > 0 && sp->elements[end].type != TEXT_SCENE_HEADING &&
	       sp->elements[end].type != TEXT_CHARACTER)
		end--;
	for (size_t i = 0; i < end; i++)
		text_screenplay_add(cut, sp->elements[i].type, sp->elements[i].text);
	int ret = text_fountain_save(cut, out);
	text_layout_release(&l);
	text_screenplay_free(sp);
	text_screenplay_free(cut);
	return ret;
}

static void script(const char *name, const char *path, int threads)
{
	char dir[] = "/tmp/bench-voice-XXXXXX";
	if (!mkdtemp(dir))
		return;
	char cmd[1024], file[600];
	snprintf(file, sizeof file, "%s/five.fountain", dir);
	if (first_pages(path, file, 5) < 0) {
		printf("%s: %s\n", name, bj_error_message());
		return;
	}
	snprintf(cmd, sizeof cmd, "build/benjamin -q voice --script %s -o %s/out --threads %d >/dev/null",
	         file, dir, threads);
	double t = now();
	int status = system(cmd);
	t = now() - t;
	snprintf(file, sizeof file, "%s/out/lines.json", dir);
	json_t *root;
	double speech = 0;
	size_t n = 0;
	if (status == 0 && bj_json_load(file, &root) == 0) {
		json_t *lines = json_object_get(root, "lines");
		n = json_array_size(lines);
		for (size_t i = 0; i < n; i++)
			speech += json_real_value(json_object_get(json_array_get(lines, i), "duration"));
		json_decref(root);
	}
	printf("%-48s %zu lines, %.1f s of speech in %.2f s on %d thread%s: real-time factor %.1f%s\n",
	       name, n, speech, t, threads, threads > 1 ? "s" : "", speech / t,
	       threads == 2 ? (t < 10 ? "  (target < 10 s: met)" : "  (target < 10 s: MISSED)") : "");
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_voice: cannot remove %s\n", dir);
}

static void match(const char *file)
{
	char path[512];
	snprintf(path, sizeof path, "../shared/data/voice/%s", file);
	if (access(path, R_OK) != 0) {
		printf("match %s: sample missing\n", file);
		return;
	}
	perform_voice_setting v;
	perform_match_report r;
	double t = now();
	if (perform_voice_match_file(path, &v, &r) < 0) {
		printf("match %s: %s\n", file, bj_error_message());
		return;
	}
	t = now() - t;
	char buf[512];
	perform_match_describe(&v, &r, buf, sizeof buf);
	printf("match %-36s %.2f s  %s\n", file, t, buf);
}

int main(void)
{
	if (check() < 0)
		return 1;
	const char *text_file = "/tmp/bench-voice-calibration.txt";
	FILE *f = fopen(text_file, "w");
	if (!f)
		return 1;
	fputs(perform_calibration_text, f);
	fclose(f);
	char args[256];

	for (int k = 0; k < 2; k++) {
		const char *voice = k ? "kal16" : "slt";
		double ms = bench_median_ms(synth_once, (void *)voice, 5);
		snprintf(args, sizeof args, "flite %s %s", voice, text_file);
		snprintf(args + 200, 56, "synthesis alone, %s", voice);
		report_rtf(args + 200, "flite-cli", ms, bench_reference("voice.py", args));
	}

	perform_voice_setting plain = PERFORM_VOICE_SETTING("slt");
	report_rtf("line: synthesis, 48 kHz, loudness (slt)", "-", bench_median_ms(line_once, &plain, 5), -1);

	perform_speech src;
	if (perform_voice_synth("awb", perform_calibration_text, &PERFORM_SYNTH_DEFAULTS, &src) < 0)
		return 1;
	const char *wav = "/tmp/bench-voice-awb16k.wav";
	media_wav_write(wav, &src.audio, MEDIA_WAV_PCM16);
	shift_source = &src;
	seconds_of_speech = media_audio_duration(&src.audio);
	perform_shift s = { 4, 1, 1 };
	snprintf(args, sizeof args, "rubberband %s 4", wav);
	report_rtf("shift +4 st, formants kept (16 kHz, R3 short)", "rubberband-cli",
	           bench_median_ms(shift_once, &s, 5), bench_reference("voice.py", args));
	perform_speech_release(&src);

	perform_voice_setting shifted = PERFORM_VOICE_SETTING("awb");
	shifted.shift = (perform_shift){ 4, 1.0, 1.06 };
	report_rtf("line with shift +4 st, formant 1.06 (awb)", "-", bench_median_ms(line_once, &shifted, 5), -1);

	static const char *const samples[] = {
		"ljspeech_LJ001_female_16k.wav", "notld_barbra_female_15s_16k.wav",
		"jfk_1961_inaugural_male_16k.wav", "notld_newscaster_male_20s_16k.wav",
		"notld_ben_male_45s_16k.wav",
	};
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
		match(samples[i]);

	script("voice: printing_trouble.fountain, first 5 pages",
	       "../shared/data/text/fountain/printing_trouble.fountain", 2);
	script("voice: printing_trouble.fountain, first 5 pages",
	       "../shared/data/text/fountain/printing_trouble.fountain", 1);
	script("voice: my_living_memory.fountain, first 5 pages",
	       "../shared/data/text/fountain/my_living_memory.fountain", 2);
	unlink(text_file);
	unlink(wav);
	return 0;
}
