/*
 * voice_shift.h - change a voice's pitch, tempo and formants with Rubber Band,
 * keeping the word and phoneme timings in step.
 *
 *     perform_shift s = { .semitones = -3, .rate = 1.1, .formant = 0.92 };
 *     if (perform_speech_shift(&speech, &s) < 0)   // in place
 *         return bj_error_code();
 *
 * Rubber Band's offline mode (the whole line studied before it is processed)
 * with the R3 ("finer") engine and its short window, which can scale
 * formants apart from pitch:
 * formant 1 keeps the voice's formants wherever the pitch goes (so a shifted
 * voice keeps its vocal tract), formant 1.1 moves them up 10 % (a smaller
 * vocal tract), 0.9 down.  Rate 1.25 speaks 25 % faster.  The timings are
 * multiplied by the actual ratio of output to input length.
 */
#pragma once

#include "perform/voice.h"

typedef struct perform_shift {
	double semitones; /* pitch change, -24..24 */
	double rate;      /* speaking-rate factor, 0.25..4; 1 = unchanged */
	double formant;   /* formant scale, 0.5..2; 1 = unchanged */
} perform_shift;

#define PERFORM_SHIFT_NONE ((perform_shift){ 0.0, 1.0, 1.0 })

/* True when s changes nothing (then perform_speech_shift does no work). */
int perform_shift_is_none(const perform_shift *s);

/* Shifts sp's audio in place and rescales its timings.  Returns 0, or BJ_EINVAL
 * ("pitch shift of 30 semitones is out of range -24..24", ...) with the error
 * set and sp unchanged. */
int perform_speech_shift(perform_speech *sp, const perform_shift *s);
