/*
 * decoder.h - read video files with FFmpeg: stream information, frames as RGB or
 * grey at a chosen size with exact timestamps, and accurate seeking.
 *
 *     media_decoder *d;
 *     if (media_decoder_open(path, &d) < 0)
 *         return bj_error_code();                    // "'x.mp4': no video stream" ...
 *     const media_info *info = media_decoder_info(d);
 *     media_decoder_set_output(d, 320, 0, 3);        // 320 wide, height keeps aspect
 *     media_decoder_seek(d, 12.5);                   // first frame at or after 12.5 s
 *     const media_frame *f;
 *     int ret;
 *     while ((ret = media_decoder_read(d, &f)) > 0)
 *         use(&f->image, f->time);                   // valid until the next read
 *     media_decoder_close(d);                        // ret < 0: error set
 *
 * The file is opened read-only.  One AVPacket, one AVFrame and one output image
 * are reused for the whole file: nothing is allocated per frame.  Frames come in
 * presentation order as stored (rotation is reported, not applied).
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
	int64_t frames;              /* frame count the container states; 0 if unknown */
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
	media_image image;           /* the converted picture; owned by the decoder */
	int64_t index;               /* 0-based, in decode order of presented frames */
	int64_t pts;                 /* in time_base units, as in the file */
	int tb_num, tb_den;          /* the stream's time base */
	double time;                 /* seconds from the stream's start */
} media_frame;

typedef struct media_decoder media_decoder;

/* Opens path and its best video stream (a file with audio only opens too; then
 * reading frames returns 0).  Returns 0, or a negative code with the error set:
 * "'<path>': <strerror>" when it cannot be opened, "'<path>': not a media file
 * FFmpeg can read", "'<path>': is a directory", ... */
int media_decoder_open(const char *path, media_decoder **out);

/* What the file holds; owned by d. */
const media_info *media_decoder_info(const media_decoder *d);

/* Sets the size and channels (1 grey, 3 RGB) of the frames read from now on.
 * A width or height of 0 keeps the aspect ratio (display aspect, with the sample
 * aspect applied); both 0 keep the coded size.  Returns 0 or BJ_EINVAL. */
int media_decoder_set_output(media_decoder *d, int width, int height, int channels);

/* Reads the next frame: 1 and *frame set, 0 at the end, or a negative code with
 * the error set ("'<path>': corrupt data at 12.3 s: ..."). */
int media_decoder_read(media_decoder *d, const media_frame **frame);

/* Seeks so that the next frame read is the first whose time is >= seconds
 * (decoding from the key frame before it).  Returns 0 or a negative code. */
int media_decoder_seek(media_decoder *d, double seconds);

/* Closes the file and frees everything; NULL-safe. */
void media_decoder_close(media_decoder *d);
