/*
 * audio.h - a buffer of float PCM samples, interleaved, and loading audio from
 * any file FFmpeg reads (resampled with libswresample).
 *
 *     media_audio a;
 *     if (media_audio_load("clip.mp4", 48000, 2, &a) < 0)
 *         return bj_error_code();
 *     ... a.samples[frame * a.channels + ch] ...
 *     media_audio_release(&a);
 *
 * Samples are in [-1, 1] (not clipped).  media_audio_release() accepts a zeroed
 * struct, so a failed load leaves nothing to free.
 */
#pragma once

#include <stddef.h>

typedef struct media_audio {
	float *samples;  /* (frames, channels), interleaved */
	size_t frames;   /* samples per channel */
	size_t capacity; /* frames allocated */
	int channels;
	int rate;        /* frames per second */
} media_audio;

/* Empties a, set to channels and rate. */
void media_audio_init(media_audio *a, int rate, int channels);

/* Frees the samples and zeroes a; NULL-safe and safe on a zeroed struct. */
void media_audio_release(media_audio *a);

/* Appends frames (interleaved, a->channels each), growing the buffer. */
void media_audio_append(media_audio *a, const float *samples, size_t frames);

/* Decodes the best audio stream of path to rate Hz and channels (1 or 2; 0 keeps
 * the source's, as does rate 0).  Returns 0, or a negative code with the error
 * set ("'<path>': no audio stream", ...).  a is initialised either way. */
int media_audio_load(const char *path, int rate, int channels, media_audio *a);

/* Duration in seconds. */
double media_audio_duration(const media_audio *a);
