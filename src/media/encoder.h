/*
 * encoder.h - write MP4 films: H.264 (libx264, yuv420p) and AAC, interleaved,
 * constant frame rate, "faststart" (the index before the data) and metadata tags.
 *
 *     media_encoder_opts o = media_encoder_defaults(1280, 720, 24, 1);
 *     o.audio_rate = 48000;
 *     o.audio_channels = 2;
 *     o.tags = (const char *[]){ "title", "Sunspring", "comment", "AI-generated", NULL };
 *     media_encoder *e;
 *     if (media_encoder_open("film.mp4", &o, &e) < 0)
 *         return bj_error_code();
 *     for (...) media_encoder_write_video(e, frame);        // RGB or grey, width x height
 *     for (...) media_encoder_write_audio(e, pcm, n);       // any chunk size
 *     ret = media_encoder_finish(e);                        // flush, then rename into place
 *     media_encoder_close(e);
 *
 * The file is written to a temporary name and renamed by media_encoder_finish();
 * closing an unfinished encoder removes it.  With the same input and settings the
 * output bytes are the same (bit-exact muxing, deterministic x264 threading).
 */
#pragma once

#include <stddef.h>

#include "media/image.h"

typedef struct media_encoder_opts {
	int width, height;       /* even; frames must have this size */
	int fps_num, fps_den;    /* constant frame rate */
	int crf;                 /* x264 constant rate factor, 0..51 (default 18) */
	const char *preset;      /* x264 preset (default "medium") */
	int threads;             /* encoder threads (default 2) */
	int audio_rate;          /* 0 for no audio track; else e.g. 48000 */
	int audio_channels;      /* 1 or 2 */
	int audio_bit_rate;      /* bits/s (default 192000) */
	const char **tags;       /* NULL-terminated key, value, ... pairs, or NULL */
} media_encoder_opts;

typedef struct media_encoder media_encoder;

/* Options with the defaults above for a width x height film at fps_num/fps_den. */
media_encoder_opts media_encoder_defaults(int width, int height, int fps_num, int fps_den);

/* Creates the temporary output and sets up the streams.  Returns 0, or a negative
 * code with the error set ("'<path>': cannot create file: Permission denied",
 * "'<path>': width 641 is odd", ...). */
int media_encoder_open(const char *path, const media_encoder_opts *opts, media_encoder **out);

/* Encodes the next frame (shown for 1/fps s).  img must be width x height. */
int media_encoder_write_video(media_encoder *e, const media_image *img);

/* Encodes frames of interleaved float samples (audio_channels each), in [-1, 1]. */
int media_encoder_write_audio(media_encoder *e, const float *samples, size_t frames);

/* Flushes both encoders, writes the trailer (moving the index to the front) and
 * renames the file into place.  Returns 0 or a negative code with the error set;
 * either way only media_encoder_close() may follow. */
int media_encoder_finish(media_encoder *e);

/* Frees e; if it was not finished, the temporary file is removed.  NULL-safe. */
void media_encoder_close(media_encoder *e);
