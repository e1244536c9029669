/*
 * voice_loudness.h - measure and set the loudness of a line (EBU R128).
 *
 *     if (perform_loudness_normalise(&audio, -16.0, -1.0, NULL) < 0)
 *         return bj_error_code();
 *
 * Integrated loudness (LUFS, ITU-R BS.1770 with R128 gating) and true peak
 * (dBTP, 4x oversampled) by libebur128.  Normalising applies one gain to reach
 * the target, then, where the true peak would pass the ceiling, a look-ahead
 * peak limiter (1.5 ms attack, 15 ms release) on the loudest peaks and a
 * new gain, a few rounds; if a ceiling is still passed after that the whole
 * line is scaled down, so the ceiling always holds and the loudness is then as
 * close to the target as the ceiling allows.  A line shorter than R128's 400 ms
 * gating block is measured as if looped to 1.2 s.
 */
#pragma once

#include "media/audio.h"

/* Integrated loudness of a (any rate, any channels) in *lufs (-inf for
 * silence) and true peak in *true_peak_db (-inf for silence).  Either may be
 * NULL.  Returns 0 or BJ_EINVAL/BJ_ENOMEM with the error set. */
int perform_loudness_measure(const media_audio *a, double *lufs, double *true_peak_db);

/* Brings a to target_lufs with true peak at most ceiling_db, in place; silence
 * is left alone.  *gain_db (may be NULL) gets the change of integrated
 * loudness, dB.
 * Returns 0 or a negative code with the error set. */
int perform_loudness_normalise(media_audio *a, double target_lufs, double ceiling_db,
                               double *gain_db);
