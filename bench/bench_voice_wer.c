/*
 * bench_voice_wer.c - intelligibility: every voice setting reads a set of
 * Harvard sentences, a speech recogniser (CMU PocketSphinx with its US English
 * model, Debian's libpocketsphinx-dev + pocketsphinx-en-us) transcribes each
 * line, and the word error rate is reported per setting, so that shifts that
 * destroy intelligibility show up.  The reference row is the recogniser on the
 * base voices; it is not a perfect listener, so compare settings with it
 * rather than reading WERs as absolute.
 */
#include <ctype.h>
#include <pocketsphinx.h>
#include <sphinxbase/err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "media/resample.h"
#include "perform/voice_line.h"

#define MODEL "/usr/share/pocketsphinx/model/en-us"

/* Harvard sentences, list 1 (IEEE 1969): phonetically balanced, public. */
static const char *const sentences[] = {
	"The birch canoe slid on the smooth planks.",
	"Glue the sheet to the dark blue background.",
	"It's easy to tell the depth of a well.",
	"These days a chicken leg is a rare dish.",
	"Rice is often served in round bowls.",
	"The juice of lemons makes fine punch.",
	"The box was thrown beside the parked truck.",
	"The hogs were fed chopped corn and garbage.",
	"Four hours of steady work faced us.",
	"A large size in stockings is hard to sell.",
};
#define N_SENTENCES (sizeof sentences / sizeof sentences[0])

/* Lower-case words without punctuation, split into words[]; returns the count. */
static int words_of(const char *text, char words[][32], int max)
{
	int n = 0, len = 0;
	for (const char *p = text;; p++) {
		int c = (unsigned char)*p;
		if (isalnum(c) || c == '\'') {
			if (len < 31)
				words[n][len++] = (char)tolower(c);
		} else if (len) {
			words[n][len] = 0;
			len = 0;
			if (++n == max)
				break;
		}
		if (!c)
			break;
	}
	return n;
}

/* Word-level Levenshtein distance. */
static int edits(char a[][32], int na, char b[][32], int nb)
{
	int d[64][64];
	for (int i = 0; i <= na; i++)
		d[i][0] = i;
	for (int j = 0; j <= nb; j++)
		d[0][j] = j;
	for (int i = 1; i <= na; i++)
		for (int j = 1; j <= nb; j++) {
			int sub = d[i - 1][j - 1] + (strcmp(a[i - 1], b[j - 1]) != 0);
			int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	return d[na][nb];
}

static const char *transcribe(ps_decoder_t *ps, const media_audio *a)
{
	media_audio s16;
	if (media_audio_resample(a, 16000, &s16) < 0)
		return NULL;
	int16 *pcm = bj_xmalloc(s16.frames * sizeof *pcm);
	for (size_t i = 0; i < s16.frames; i++) {
		float x = s16.samples[i] * 32767.0f;
		pcm[i] = (int16)(x > 32767 ? 32767 : x < -32768 ? -32768 : x);
	}
	ps_start_utt(ps);
	ps_process_raw(ps, pcm, s16.frames, FALSE, TRUE);
	ps_end_utt(ps);
	free(pcm);
	media_audio_release(&s16);
	int32 score;
	const char *hyp = ps_get_hyp(ps, &score);
	return hyp ? hyp : "";
}

int main(void)
{
	err_set_logfp(NULL);
	cmd_ln_t *config = cmd_ln_init(NULL, ps_args(), TRUE, "-hmm", MODEL "/en-us", "-lm",
	                               MODEL "/en-us.lm.bin", "-dict", MODEL "/cmudict-en-us.dict", NULL);
	ps_decoder_t *ps = config ? ps_init(config) : NULL;
	if (!ps) {
		printf("voice WER: pocketsphinx model not installed (pocketsphinx-en-us)\n");
		return 0;
	}
	static const struct {
		const char *voice;
		double semitones, formant, rate;
	} settings[] = {
		{ "slt", 0, 1, 1 }, { "rms", 0, 1, 1 }, { "awb", 0, 1, 1 }, { "kal16", 0, 1, 1 },
		{ "kal", 0, 1, 1 }, { "slt", 4, 1.06, 1 }, { "slt", -8, 0.89, 1 }, { "rms", 8, 1.12, 1 },
		{ "awb", -4, 0.94, 1 }, { "kal16", 4, 1.06, 1 }, { "rms", 0, 1, 1.3 }, { "awb", 0, 1, 0.8 },
		{ "slt", 12, 1.0, 1 }, { "rms", -12, 1.0, 1 }, { "awb", 0, 1.3, 1 }, { "slt", 0, 0.7, 1 },
	};
	printf("voice WER (pocketsphinx en-us, %zu Harvard sentences per setting):\n", N_SENTENCES);
	for (size_t k = 0; k < sizeof settings / sizeof settings[0]; k++) {
		perform_voice_setting v = PERFORM_VOICE_SETTING("");
		snprintf(v.voice, sizeof v.voice, "%s", settings[k].voice);
		v.shift = (perform_shift){ settings[k].semitones, settings[k].rate, settings[k].formant };
		int errors = 0, total = 0;
		for (size_t i = 0; i < N_SENTENCES; i++) {
			perform_speech sp;
			if (perform_line_render(&v, sentences[i], &PERFORM_LINE_DEFAULTS, &sp) < 0) {
				fprintf(stderr, "bench_voice_wer: %s\n", bj_error_message());
				return 1;
			}
			const char *hyp = transcribe(ps, &sp.audio);
			char ref[64][32], got[64][32];
			int nr = words_of(sentences[i], ref, 64), ng = words_of(hyp ? hyp : "", got, 64);
			errors += edits(ref, nr, got, ng);
			total += nr;
			perform_speech_release(&sp);
		}
		char what[128];
		perform_voice_setting_describe(&v, what, sizeof what);
		printf("  %-48s WER %5.1f %%  (%d errors in %d words)\n", what, 100.0 * errors / total,
		       errors, total);
	}
	ps_free(ps);
	cmd_ln_free_r(config);
	return 0;
}
