/*
 * voice_shift.c - Rubber Band (librubberband 3, C API) over a whole utterance.
 */
#include "perform/voice_shift.h"

#include <math.h>
#include <rubberband/rubberband-c.h>
#include <string.h>

#include "base/error.h"

int perform_shift_is_none(const perform_shift *s)
{
	return s->semitones == 0 && s->rate == 1 && s->formant == 1;
}

int perform_speech_shift(perform_speech *sp, const perform_shift *s)
{
	if (!(s->semitones >= -24 && s->semitones <= 24))
		return bj_error_set(BJ_EINVAL, "pitch shift of %g semitones is out of range -24..24",
		                    s->semitones);
	if (!(s->rate >= 0.25 && s->rate <= 4))
		return bj_error_set(BJ_EINVAL, "rate %g is out of range 0.25..4", s->rate);
	if (!(s->formant >= 0.5 && s->formant <= 2))
		return bj_error_set(BJ_EINVAL, "formant scale %g is out of range 0.5..2", s->formant);
	if (perform_shift_is_none(s) || sp->audio.frames == 0)
		return 0;
	BJ_ASSERT(sp->audio.channels == 1);

	/* Threading never: lines are processed in parallel a level up, and the
	 * result must not depend on thread timing.  The R3 engine's short window
	 * runs twice as fast as its standard one (0.42 s against 0.79 s for 8 s at
	 * 16 kHz) and still scales formants; speech has little below 80 Hz for the
	 * long window to resolve. */
	RubberBandOptions opt = RubberBandOptionProcessOffline | RubberBandOptionEngineFiner |
	                        RubberBandOptionFormantPreserved | RubberBandOptionThreadingNever |
	                        RubberBandOptionWindowShort;
	double ratio = 1.0 / s->rate;
	RubberBandState rb = rubberband_new((unsigned)sp->audio.rate, 1, opt, ratio,
	                                    pow(2.0, s->semitones / 12.0));
	rubberband_set_formant_scale(rb, s->formant);
	unsigned n = (unsigned)sp->audio.frames;
	const unsigned block = 4096;
	rubberband_set_expected_input_duration(rb, n);
	rubberband_set_max_process_size(rb, block);
	const float *in = sp->audio.samples;
	/* Offline: study everything, then process in blocks of the size announced,
	 * taking output as it comes. */
	for (unsigned i = 0; i < n; i += block) {
		unsigned k = n - i < block ? n - i : block;
		const float *p = in + i;
		rubberband_study(rb, &p, k, i + k == n);
	}
	media_audio out;
	media_audio_init(&out, sp->audio.rate, 1);
	size_t expect = (size_t)(n * ratio) + block;
	media_audio_reserve(&out, expect);
	for (unsigned i = 0; i < n; i += block) {
		unsigned k = n - i < block ? n - i : block;
		const float *p = in + i;
		rubberband_process(rb, &p, k, i + k == n);
		int avail;
		while ((avail = rubberband_available(rb)) > 0) {
			media_audio_reserve(&out, (size_t)avail);
			float *q = out.samples + out.frames;
			out.frames += rubberband_retrieve(rb, &q, (unsigned)avail);
		}
	}
	int avail;
	while ((avail = rubberband_available(rb)) > 0) {
		media_audio_reserve(&out, (size_t)avail);
		float *q = out.samples + out.frames;
		out.frames += rubberband_retrieve(rb, &q, (unsigned)avail);
	}
	rubberband_delete(rb);
	double scale = (double)out.frames / (double)n;
	media_audio_release(&sp->audio);
	sp->audio = out;
	perform_speech_scale_times(sp, scale);
	if (sp->n_phones)
		sp->phones[sp->n_phones - 1].end = media_audio_duration(&sp->audio);
	return 0;
}
