/*
 * voice_line.c - synthesis, shift, filter, pauses and loudness for one line.
 */
#include "perform/voice_line.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "perform/voice_loudness.h"

/* Puts before and after seconds of silence around sp, keeping the phones
 * contiguous: the first and last phones (Flite's pauses) take the silence. */
static void pad(perform_speech *sp, double before, double after)
{
	size_t nb = (size_t)lround(before * sp->audio.rate), na = (size_t)lround(after * sp->audio.rate);
	if (!nb && !na)
		return;
	media_audio_reserve(&sp->audio, nb + na);
	float *x = sp->audio.samples;
	memmove(x + nb, x, sp->audio.frames * sizeof *x);
	memset(x, 0, nb * sizeof *x);
	memset(x + nb + sp->audio.frames, 0, na * sizeof *x);
	sp->audio.frames += nb + na;
	perform_speech_shift_times(sp, (double)nb / sp->audio.rate);
	if (sp->n_phones) {
		sp->phones[0].start = 0;
		sp->phones[sp->n_phones - 1].end = media_audio_duration(&sp->audio);
	}
}

int perform_line_render(const perform_voice_setting *v, const char *text,
                        const perform_line_options *o, perform_speech *out)
{
	const perform_delivery *d = &o->delivery;
	const perform_voice_info *info = perform_voice_find(v->voice);
	perform_synth_options so = {
		.stretch = 1.0 / d->rate,
		.f0_shift = 1.0,
		.f0_range = v->range * d->range,
	};
	/* Pitch is moved inside Flite where its intonation allows: the vocoder
	 * makes the new F0 without artefacts and keeps the spectral envelope,
	 * and lines stay intelligible (bench_voice_wer: slt +4 semitones through
	 * Rubber Band leaves PocketSphinx 2 or 3 words in 80, through Flite as
	 * many as unshifted).  Rubber Band then does formants and tempo, and the
	 * pitch of voices whose F0 Flite will not move. */
	perform_shift rb = v->shift;
	if (info && info->flite_pitch) {
		so.f0_shift = pow(2.0, (d->pitch + v->shift.semitones) / 12.0);
		rb.semitones = 0;
	} else {
		rb.semitones += d->pitch;
	}
	int ret = perform_voice_synth(v->voice, text, &so, out);
	if (ret == 0)
		ret = perform_speech_shift(out, &rb);
	if (ret == 0)
		ret = perform_speech_resample(out, PERFORM_VOICE_RATE);
	if (ret < 0) {
		perform_speech_release(out);
		return ret;
	}
	perform_filter_apply(&out->audio, o->filter);
	pad(out, d->pause_before, d->pause_after);
	ret = perform_loudness_normalise(&out->audio, o->target_lufs + d->volume_db, o->ceiling_db,
	                                 NULL);
	if (ret < 0)
		perform_speech_release(out);
	return ret;
}

void perform_voice_setting_describe(const perform_voice_setting *v, char *buf, size_t size)
{
	snprintf(buf, size, "%s %+.1fst formant %.2f rate %.2f range %.2f", v->voice,
	         v->shift.semitones, v->shift.formant, v->shift.rate, v->range);
}
