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
 *     for (each frame) {
 *         ret = media_encoder_write_video(e, frame);          // RGB or grey, width x height
 *         ret = media_encoder_write_audio(e, pcm, n);         // any chunk size
 *     }
 *     ret = media_encoder_finish(e);                          // flush, then rename into place
 *     media_encoder_close(e);
 *
 * The file is written to a temporary name and renamed by media_encoder_finish();
 * closing an unfinished encoder removes it.  With the same input, settings,
 * thread count and FFmpeg/x264 builds the output bytes are the same (bit-exact
 * muxing, deterministic x264 threading, x264's AVX-512 code left out); a different
 * thread count gives a different, equally valid, stream.
 *
 * Pictures are converted to yuv420p with the BT.709 matrix, limited range
 * (media/rgb_yuv.h: integer C, chroma the mean of each 2x2 block), and the
 * stream is tagged so.  Audio is AAC-LC; the encoder's priming delay is hidden by an
 * edit list, so audio and video both start at 0.  Write video and audio in step
 * (each frame with its 1/fps s of sound): the muxer holds packets back to
 * interleave them and writes them out of step after 10 s of difference.
 * Nothing is allocated per frame.  Errors in any write make every later call fail;
 * only media_encoder_close() is useful then.
 */
#pragma once

#include <stddef.h>

#include "media/image.h"

/* Largest width or height (H.264 level 6.2 allows 8192x4320). */
#define MEDIA_ENCODER_MAX_SIDE 8192
/* Most encoder threads. */
#define MEDIA_ENCODER_MAX_THREADS 64

typedef struct media_encoder_opts {
	int width, height;       /* even, 2..MEDIA_ENCODER_MAX_SIDE; frames must have this size */
	int fps_num, fps_den;    /* constant frame rate, both > 0 */
	int crf;                 /* x264 constant rate factor, 0..51 (default 18) */
	const char *preset;      /* x264 preset, "ultrafast" .. "placebo" (default "medium") */
	int threads;             /* encoder threads, 1..MEDIA_ENCODER_MAX_THREADS (default 2) */
	int audio_rate;          /* 0 for no audio track; else an AAC rate, e.g. 48000 */
	int audio_channels;      /* 1 or 2 */
	int audio_bit_rate;      /* bits/s, 16000..512000 (default 192000) */
	/* NULL-terminated key, value, ... pairs, or NULL; borrowed during open.  MP4
	 * keeps these keys: title, artist, album_artist, composer, album, date,
	 * comment, genre, copyright, grouping, lyrics, description, synopsis, show,
	 * episode_id, network, keywords; any other is rejected (BJ_EINVAL). */
	const char **tags;
} media_encoder_opts;

typedef struct media_encoder media_encoder;

/* Options with the defaults above for a width x height film at fps_num/fps_den. */
media_encoder_opts media_encoder_defaults(int width, int height, int fps_num, int fps_den);

/* Checks the options, creates the temporary output and sets up the streams.  opts
 * is borrowed for the call.  Returns 0 and *out (free with media_encoder_close()),
 * or a negative code with *out NULL and the error set: BJ_EINVAL for options
 * ("'<path>': width 641 is odd", "'<path>': audio channels 3 is not 1 or 2", ...),
 * BJ_EIO/BJ_ENOENT for the file ("'<path>': cannot create file: Permission
 * denied"), BJ_EUNSUPPORTED when FFmpeg lacks libx264 or AAC or when path is a
 * pipe (MP4 needs a seekable file).  An existing device such as /dev/null is
 * written directly. */
int media_encoder_open(const char *path, const media_encoder_opts *opts, media_encoder **out);

/* Encodes the next frame (shown for 1/fps s); img is borrowed for the call.  img
 * must be width x height with 1 (grey) or 3 (RGB) channels, else BJ_EINVAL.
 * Returns 0 or a negative code with the error set ("'<path>': cannot write: No
 * space left on device", ...). */
int media_encoder_write_video(media_encoder *e, const media_image *img);

/* Encodes frames of interleaved float samples (audio_channels each), in [-1, 1];
 * samples is borrowed for the call.  Samples are buffered into AAC frames (1024);
 * the last, partial, frame is padded with silence by finish, and the track's
 * duration stays the number of samples written.  BJ_EINVAL when the film has no
 * audio track.  Returns 0 or a negative code with the error set. */
int media_encoder_write_audio(media_encoder *e, const float *samples, size_t frames);

/* Flushes both encoders, writes the trailer (moving the index to the front),
 * fsyncs and renames the file into place.  BJ_EINVAL when no frame was written.
 * Returns 0 or a negative code with the error set (the temporary file is then
 * already removed); either way only media_encoder_close() may follow. */
int media_encoder_finish(media_encoder *e);

/* Frees e; if it was not finished, the temporary file is removed.  NULL-safe. */
void media_encoder_close(media_encoder *e);
