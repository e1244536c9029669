/*
 * mix.h - the film's soundtrack: dialogue on the timeline, the footage's own
 * sound as ambience ducked under the dialogue, the score under both, the whole
 * normalised to a loudness target with a true-peak ceiling.
 *
 *     media_audio mix;
 *     film_loudness l;
 *     if (film_mix_build(&timeline, 25, 1, 48000, &mix) < 0)    // stereo, film length
 *         return bj_error_code();
 *     film_mix_normalise(&mix, -16.0, -1.0, &l);                // EBU R128, libebur128
 *     ...
 *     media_audio_release(&mix);
 *
 * Ducking: a bed's gain in dB is gain_db + duck_db * w(t), where w is 1 while a
 * line plays, falls from 0 to 1 linearly over `attack` seconds before it starts
 * and back to 0 over `release` seconds after it ends (the largest w of all lines).
 * Clip edges fade over 5 ms so cuts do not click; a score longer than the film
 * fades out over its last 3 seconds.  Sources are decoded with
 * FFmpeg to the mix's rate, stereo, only the stretch each clip uses
 * (media_audio_load_range: sources may be whole films); a clip whose file has
 * no sound adds none.
 *
 * Normalising: the gain that brings integrated loudness to the target, then a
 * look-ahead limiter (1.5 ms attack, 50 ms release) on sample peaks whose ceiling
 * is lowered until the true peak (4x oversampled, libebur128) is at or below the
 * ceiling; repeated until both hold to 0.1 dB.  Silence is left as it is.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "film/timeline.h"
#include "media/audio.h"

typedef struct film_loudness {
	double input_lufs;     /* integrated loudness of the mix as built */
	double lufs;           /* after normalising */
	double true_peak_db;   /* dBTP after normalising */
	double gain_db;        /* the overall gain applied (before limiting) */
	double limited_db;     /* the deepest gain reduction of the limiter (<= 0) */
} film_loudness;

/* Duck weights w (frames, one per sample at rate) for t's dialogue and bed's
 * attack and release, as described above. */
void film_mix_duck_weights(const film_timeline *t, const film_bed *bed, int rate, float *w,
                           size_t frames);

/* Audio frames (samples a channel) at rate up to the start of video frame
 * video_frames: floor(video_frames * rate / fps), exact in integers. */
size_t film_mix_frames(int64_t video_frames, int fps_num, int fps_den, int rate);

/* Builds the stereo mix of t (dialogue measured or not) at rate, as long as the
 * film (film_timeline_duration() in frames at fps, converted to samples).
 * Returns 0 and out (release with media_audio_release), or the first error
 * reading a source ("'<wav>': No such file or directory", ...), out empty. */
int film_mix_build(const film_timeline *t, int fps_num, int fps_den, int rate, media_audio *out);

/* Integrated loudness (LUFS; -HUGE_VAL when silent) and true peak (dBTP) of a. */
void film_mix_measure(const media_audio *a, double *lufs, double *true_peak_db);

/* Normalises a in place to target_lufs with true peak <= ceiling_db; fills rep
 * (may be NULL). */
void film_mix_normalise(media_audio *a, double target_lufs, double ceiling_db, film_loudness *rep);
