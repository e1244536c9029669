/*
 * ffmpeg.h - what the FFmpeg users of src/media share (decoder.c, audio.c,
 * encoder.c): FFmpeg's logging switched off, opening an input file with
 * benjamin's error messages, and FFmpeg error codes turned into ours.
 *
 *     AVFormatContext *fmt;
 *     int64_t size;
 *     if (media_ffmpeg_open(path, &fmt, &size) < 0)  // silences FFmpeg's log first
 *         return bj_error_code();
 *     ...
 *     avformat_close_input(&fmt);
 *
 * Private to src/media: upper layers never include it (they never compile against
 * FFmpeg).  It names FFmpeg's structs without including FFmpeg's headers.
 */
#pragma once

#include <stdint.h>

struct AVFormatContext;
struct AVStream;

/* Makes FFmpeg quiet, once per process (thread-safe): library code never prints
 * (STYLE.md 2.2), and FFmpeg's own messages ("moov atom not found", "error while
 * decoding MB ...") would otherwise go to stderr.  Every media_* function that
 * calls into FFmpeg calls this first; it is the only place that touches FFmpeg's
 * log settings. */
void media_ffmpeg_init(void);

/* Opens path read-only as a local file (never as a URL or protocol) and reads its
 * stream information.  Returns 0, *out (close with avformat_close_input()) and the
 * file's size in *file_size; or a negative code with *out NULL and the error set:
 *   "'<path>': No such file or directory" (any strerror text; BJ_ENOENT, BJ_EIO)
 *   "'<path>': is a directory"                (BJ_EIO)
 *   "'<path>': empty file"                    (BJ_EFORMAT)
 *   "'<path>': not a media file FFmpeg can read" (BJ_EFORMAT; also a file in
 *      which FFmpeg finds no stream at all) */
int media_ffmpeg_open(const char *path, struct AVFormatContext **out, int64_t *file_size);

/* Sets the error "<what>: <FFmpeg's text for averr>" (what is printf-formatted)
 * and returns the matching code: BJ_ENOMEM for AVERROR(ENOMEM), BJ_EIO for other
 * system errors, BJ_EUNSUPPORTED for a missing decoder or a patent-encumbered
 * feature, BJ_EFORMAT for everything else (invalid data, early end of file). */
int media_ffmpeg_error(int averr, const char *what, ...) __attribute__((format(printf, 2, 3)));

/* Where a cut-short file ends: when the demuxer's index places some of st's
 * packets beyond file_size bytes, the time in seconds (from the stream's start)
 * of the first of them; otherwise -1, also when the container keeps no index
 * (nothing can be told).  Checked at the end of the packets, it tells a
 * truncated file from a finished one, the same way whatever was read before. */
double media_ffmpeg_truncated_at(struct AVStream *st, int64_t file_size);
