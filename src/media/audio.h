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

/* Makes room for at least frames more frames after the a->frames already held,
 * growing the buffer by half again or more, so a producer can write straight to
 * a->samples + a->frames * a->channels and then add to a->frames.  Aborts when
 * memory runs out, as append does. */
void media_audio_reserve(media_audio *a, size_t frames);

/* Decodes the best audio stream of path to rate Hz and channels (1 or 2; 0 keeps
 * the source's, as does rate 0), resampled and remixed with libswresample (FFmpeg's
 * default matrix: stereo to mono is (L + R) / sqrt(2), so it can exceed 1).  The
 * samples are the decoded ones end to end; timestamps and gaps are ignored.
 * Returns 0, or a negative code with the error set and a empty:
 *   "'<path>': No such file or directory", "'<path>': not a media file FFmpeg can
 *   read" and the rest of media_decoder_open()'s; "'<path>': no audio stream";
 *   "'<path>': corrupt data at 12.34 s: ..." or "'<path>': truncated: data ends at
 *   ..." when the stream is damaged (nothing of a damaged file is returned).
 * a is initialised either way; release it with media_audio_release(). */
int media_audio_load(const char *path, int rate, int channels, media_audio *a);

/* As media_audio_load(), for the seconds [start, start + duration) of the
 * stream only (from the stream's start): seeks to half a second before start
 * (so that codecs with overlapping frames have settled), decodes no further
 * than needed and returns duration * rate frames, fewer where the stream ends
 * sooner, none past its end.  Memory and time follow the range, not the file:
 * for clips of long films.  Within a few samples of the same range cut from
 * media_audio_load() (the resampler starts at another phase).  BJ_EINVAL for a
 * negative or NaN start or duration; otherwise the errors of media_audio_load(). */
int media_audio_load_range(const char *path, int rate, int channels, double start,
                           double duration, media_audio *a);

/* Takes the next frames (samples, interleaved) of a stream; returns 0 to go on,
 * or a negative code (error set) to stop it with that code. */
typedef int (*media_audio_sink)(void *ctx, const float *samples, size_t frames);

/* As media_audio_load(), but hands the samples to sink piece by piece as they
 * are decoded (each piece a packet's worth, valid during the call), so that a
 * film's whole soundtrack is never held in memory.  Rate 0 or channels 0 keep
 * the source's (the sink is not told them: pass what you need).  Returns 0, a
 * code from sink, or media_audio_load()'s errors (after the pieces before the
 * damage were handed over). */
int media_audio_stream(const char *path, int rate, int channels, media_audio_sink sink, void *ctx);

/* Duration in seconds. */
double media_audio_duration(const media_audio *a);
