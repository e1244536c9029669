/*
 * decoder.h - read video files with FFmpeg: stream information, frames as RGB or
 * grey at a chosen size with exact timestamps, and accurate seeking.
 *
 *     media_decoder *d;
 *     if (media_decoder_open(path, &d) < 0)
 *         return bj_error_code();                    // "'x.mp4': no video or audio stream" ...
 *     const media_info *info = media_decoder_info(d);
 *     media_decoder_set_output(d, 320, 0, 3);        // 320 wide, height keeps aspect
 *     media_decoder_seek(d, 12.5);                   // first frame at or after 12.5 s
 *     const media_frame *f;
 *     int ret;
 *     while ((ret = media_decoder_read(d, &f)) > 0)
 *         use(&f->image, f->time);                   // valid until the next call on d
 *     media_decoder_close(d);                        // ret < 0: error set
 *
 * The file is opened read-only, as a local file (a name with a colon is never a
 * URL).  One AVPacket, one AVFrame and one output image are reused for the whole
 * file: nothing is allocated per frame.  Frames come in presentation order as
 * stored (rotation is reported, not applied), decoded with 2 threads (the same
 * pictures as 1 thread).
 *
 * Pictures: converted by libswscale with SWS_BITEXACT, full chroma
 * interpolation and a bicubic filter when resized, so the bytes are the same on
 * every CPU and equal those of "ffmpeg -sws_flags bicubic+bitexact+
 * full_chroma_int+full_chroma_inp -pix_fmt rgb24" (the tests check); grey, and
 * RGB at the source size when the width is not a multiple of 8, add
 * accurate_rnd (swscale's fast converter leaves such rows' last pixels unset).
 * YUV is read with the matrix the stream states (BT.601 when it states none and
 * has fewer than 720 lines, BT.709 otherwise) and its range; RGB and grey come
 * out full range (video black is 0, white 255).  Grey is the luma.
 *
 * Damage: a read error, a packet cut short, a file shorter than its index says
 * (told where the index comes before the data, as in MP4 made for streaming;
 * elsewhere a cut file just ends early) or a packet the decoder rejects ends the
 * reading.
 * The frames decoded from the data before it still come out, then one error,
 * "'<path>': truncated: data ends at 31.44 s of 47.64 s" or "'<path>': corrupt
 * data at 31.40 s: Invalid data found when processing input", returned again by
 * every later read until a seek.  Errors the codec conceals without reporting
 * them (damaged macroblocks in H.264) are not seen.
 *
 * FFmpeg's own log is switched off for the whole process on first use (see
 * media/ffmpeg.h): the library never prints.
 */
#pragma once

#include <stdint.h>

#include "media/image.h"

enum media_stream_type {
	MEDIA_STREAM_VIDEO,
	MEDIA_STREAM_AUDIO,
	MEDIA_STREAM_SUBTITLE,
	MEDIA_STREAM_OTHER,
};

typedef struct media_stream_info {
	int index;                   /* in the container */
	enum media_stream_type type;
	char codec[32];              /* FFmpeg's short name: "h264", "aac", ... */
	double duration;             /* seconds; 0 when unknown */
	int64_t bit_rate;            /* bits/s; 0 when unknown */
	/* video */
	int width, height;           /* coded picture size */
	int sar_num, sar_den;        /* sample aspect ratio, 1:1 when unknown */
	int fps_num, fps_den;        /* average frame rate; 0/1 when unknown */
	int64_t frames;              /* frame (audio: packet) count the container states; 0 if unknown */
	int rotation;                /* degrees clockwise to display upright: 0/90/180/270 */
	char pix_fmt[32];
	/* audio */
	int sample_rate;
	int channels;
	char sample_fmt[16];
} media_stream_info;

typedef struct media_info {
	char format[64];             /* container: "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm" */
	double duration;             /* seconds */
	int64_t bit_rate;
	int64_t file_size;           /* bytes */
	int n_streams;
	media_stream_info *streams;  /* (n_streams) */
	int video;                   /* index into streams of the best video, -1 if none */
	int audio;                   /* index into streams of the best audio, -1 if none */
	int n_tags;
	char **tags;                 /* (n_tags, 2): key, value pairs from the container */
} media_info;

typedef struct media_frame {
	media_image image;           /* the converted picture: a view of the decoder's
	                                buffer, valid until the next call on it */
	int64_t index;               /* 0-based count of the frames presented; after a
	                                seek, time * frame rate (exact for constant-rate
	                                streams, an estimate for variable-rate ones) */
	int64_t pts;                 /* presentation time in time_base units, as in the
	                                file (FFmpeg's best-effort timestamp; a frame
	                                without one follows the previous by its duration) */
	int tb_num, tb_den;          /* the stream's time base */
	double time;                 /* seconds from the stream's start_time:
	                                (pts - start) * tb_num / tb_den */
} media_frame;

typedef struct media_decoder media_decoder;

/* Opens path and its best video stream (av_find_best_stream; cover art does not
 * count).  A file with audio only opens too; then reading frames returns 0.
 * Returns 0 and *out (close with media_decoder_close()), or a negative code with
 * *out NULL and the error set:
 *   "'<path>': No such file or directory" (any strerror(); BJ_ENOENT or BJ_EIO),
 *   "'<path>': is a directory" (BJ_EIO), "'<path>': empty file" (BJ_EFORMAT),
 *   "'<path>': not a media file FFmpeg can read" (BJ_EFORMAT),
 *   "'<path>': no video or audio stream" (BJ_EUNSUPPORTED),
 *   "'<path>': no decoder for video codec '<name>'" (BJ_EUNSUPPORTED). */
int media_decoder_open(const char *path, media_decoder **out);

/* What the file holds; owned by d. */
const media_info *media_decoder_info(const media_decoder *d);

/* Sets the size and channels (1 grey, 3 RGB) of the frames read from now on
 * (default: coded size, RGB).  A width or height of 0 keeps the aspect ratio
 * (display aspect, with the sample aspect applied; rounded to nearest); both 0
 * keep the coded size.  Returns 0, or BJ_EINVAL with the error set ("output size
 * -1x0 is out of range (0..32768)", "output channels must be 1 or 3, not 2"). */
int media_decoder_set_output(media_decoder *d, int width, int height, int channels);

/* With fast set, frames read from now on are shrunk by an area average of our
 * own straight from the decoded 8-bit YUV planes (media/shrink.h; other pixel
 * formats, and enlarging, by swscale's fast bilinear path) instead of the
 * bit-exact bicubic filter: many times quicker when shrinking, but the bytes
 * differ by a level or so from the ffmpeg tool's.  For analysis and thumbnails,
 * not for output. */
void media_decoder_set_fast(media_decoder *d, int fast);

/* With on set, RGB frames read from now on at another size than the coded one
 * are scaled first in the picture's own planar YUV (bit-exact bicubic, chroma
 * at its own resolution, as the ffmpeg tool's scale filter does) and then
 * converted to RGB at the output size, instead of scaled straight to RGB with
 * full-resolution chroma: about ten times quicker when enlarging 480 lines to
 * 720 (3 ms a frame against 38 ms here), with colour edges a little softer
 * (chroma keeps its subsampling).  For rendering films, whose output is
 * subsampled again anyway. */
void media_decoder_set_yuv_scale(media_decoder *d, int on);

/* With rough set, the decoder skips its in-loop deblocking filter (H.264, HEVC
 * and others that have one), which is a fifth of an H.264 decode: block edges
 * show faintly, and later frames predicted from unfiltered ones drift a little
 * from the true pictures until the next key frame.  For analysis at a fraction
 * of the size and thumbnails, never for output. */
void media_decoder_set_rough(media_decoder *d, int rough);

/* Converts the frame last read again, to out's size and channels (out is the
 * caller's image, of any size), the way read() would with that output set: a
 * second size of the same picture (a thumbnail beside small analysis frames)
 * without decoding twice.  Returns 0, or a negative code with the error set (no
 * frame read yet, a conversion error). */
int media_decoder_picture(media_decoder *d, media_image *out);

/* Reads the next frame: 1 and *frame set (owned by d), 0 at the end, or a
 * negative code with the error set (see "Damage" above); *frame is NULL unless
 * 1 is returned.  After the end, returns the same again until a seek. */
int media_decoder_read(media_decoder *d, const media_frame **frame);

/* Seeks so that the next frame read is the first whose time is >= seconds (to
 * within half a time-base tick): the same frame, pts and pixels that reading
 * from the start would give.  It decodes from the key frame before, stepping
 * back further where the container's seek lands after the target (B-frames in
 * MP4, MPEG-TS without an index), and drops the frames before the target
 * without converting them.  A negative time seeks to the start; a time past the
 * last frame makes the next read return 0.  Returns 0 (also for a file without
 * video), or a negative code with the error set: BJ_EINVAL for NaN, a damage
 * error met while dropping frames, "'<path>': cannot seek to 12.50 s: ...". */
int media_decoder_seek(media_decoder *d, double seconds);

/* Closes the file and frees everything; NULL-safe. */
void media_decoder_close(media_decoder *d);
