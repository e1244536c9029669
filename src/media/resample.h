/*
 * resample.h - change the sample rate of an audio buffer already in memory.
 *
 *     media_audio out;
 *     if (media_audio_resample(&speech16k, 48000, &out) < 0)
 *         return bj_error_code();
 *     ...
 *     media_audio_release(&out);
 *
 * libswresample with its default filter (as media_audio_load uses for files),
 * flushed to the end, so the output holds round(frames * rate / in_rate) frames
 * give or take one and starts at the same instant as the input.  Channels are
 * kept.  The same input gives the same output on every run.
 */
#pragma once

#include "media/audio.h"

/* Resamples in to rate Hz (1..768000) into out (initialised here; release it
 * with media_audio_release).  A buffer already at rate is copied.  Returns 0, or
 * BJ_EINVAL/BJ_EUNSUPPORTED with the error set ("cannot resample 3 channels at
 * 16000 Hz to 48000 Hz: <reason>"). */
int media_audio_resample(const media_audio *in, int rate, media_audio *out);
