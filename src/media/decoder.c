#include "media/decoder.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "base/alloc.h"
#include "base/error.h"
#include "media/ffmpeg.h"
#include "media/shrink.h"

/* Decoding threads.  FFmpeg's frame and slice threading give the same pictures as
 * one thread (its FATE suite checks this), so results do not depend on it. */
#define DECODER_THREADS 2

/* Swscale, chosen for pictures that are the same on every CPU: BITEXACT keeps
 * only the code paths that round the same everywhere (as FFmpeg's FATE tests
 * do), FULL_CHR_H_* interpolate chroma when the size changes, and BICUBIC is the
 * filter then.  ACCURATE_RND is left out: it turns off the SIMD paths and makes a
 * 640x480 RGB conversion 4 times slower (2.4 ms against 0.6 ms here) for
 * differences of one level; only unscaled widths that are not a multiple of 8
 * need it (needs_accurate_rgb()).  Grey keeps it: without it, swscale's fast luma
 * range expansion differs from its own reference (the ffmpeg tool's output),
 * and grey is cheap either way. */
#define SWS_FLAGS (SWS_BICUBIC | SWS_BITEXACT | \
                   SWS_FULL_CHR_H_INT | SWS_FULL_CHR_H_INP)

/* How many times seek() may step back to find a key frame before its target
 * (the last step goes 2^15 s back). */
#define SEEK_TRIES 16

struct media_decoder {
	char *path;
	AVFormatContext *fmt;
	AVCodecContext *dec;
	AVStream *st;             /* the video stream, NULL if none */
	AVPacket *pkt;            /* reused for every packet */
	AVFrame *frame;           /* reused for every decoded frame */
	media_info info;

	/* output settings and the one output buffer */
	int out_w, out_h, out_ch;
	int fast;                 /* media_decoder_set_fast() */
	uint8_t *pixels;          /* (height, width * channels) */
	size_t pixels_cap;        /* bytes */
	media_frame out;

	/* the conversion, and what it was set up for */
	struct SwsContext *sws;
	int sws_src_w, sws_src_h, sws_src_fmt, sws_dst_w, sws_dst_h, sws_dst_fmt;
	int sws_cs, sws_range, sws_fast;
	media_shrink shrink;      /* the fast mode's own shrink, for read() */
	media_shrink shrink2;     /* ... and for media_decoder_picture() */
	struct SwsContext *sws2;  /* media_decoder_picture() when it cannot shrink */
	int yuv_scale;            /* media_decoder_set_yuv_scale() */
	struct SwsContext *pre;   /* its scaling, YUV to YUV at the output size */
	AVFrame *mid;             /* ... and the scaled picture */

	/* timing */
	int64_t start_pts;        /* the stream's start, in time_base units */
	AVRational fps;           /* 0/1 when unknown */
	int64_t next_index;
	int64_t last_pts;         /* of the last frame, to fill in missing timestamps */
	double last_pkt_time;     /* seconds, of the last packet read; for messages */

	/* the state of the decode loop */
	int draining;             /* the flush packet was sent */
	int ended;                /* everything was returned: read() gives end_code */
	int end_code;             /* 0, or the error found on the way */
	char *end_message;        /* its message, set again on each later read() */
	int damage_code;          /* an error that stopped packet reading; returned */
	char *damage_message;     /* after the frames still in the decoder */
	int have_frame;           /* d->frame holds a frame seek() decoded, not yet read */
	int64_t first_dts;        /* of the first packet after a seek */
};

static double ts_to_seconds(const media_decoder *d, int64_t ts)
{
	return (double)(ts - d->start_pts) * av_q2d(d->st->time_base);
}

static enum media_stream_type stream_type(enum AVMediaType t)
{
	switch (t) {
	case AVMEDIA_TYPE_VIDEO: return MEDIA_STREAM_VIDEO;
	case AVMEDIA_TYPE_AUDIO: return MEDIA_STREAM_AUDIO;
	case AVMEDIA_TYPE_SUBTITLE: return MEDIA_STREAM_SUBTITLE;
	default: return MEDIA_STREAM_OTHER;
	}
}

/* Degrees clockwise that turn the stored picture upright.  The display matrix
 * (ISO 14496-12 section 8.2.2.3, "tkhd" matrix) rotates counter-clockwise by
 * av_display_rotation_get() degrees, hence the minus sign. */
static int stream_rotation(const AVStream *st)
{
	size_t size = 0;
	const uint8_t *m = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
	if (!m || size < 9 * sizeof(int32_t))
		return 0;
	double theta = -av_display_rotation_get((const int32_t *)m);
	if (isnan(theta))
		return 0;
	long r = lround(theta / 90.0) % 4;
	return (int)(r < 0 ? r + 4 : r) * 90;
}

static void fill_stream_info(AVFormatContext *fmt, AVStream *st, media_stream_info *si)
{
	const AVCodecParameters *par = st->codecpar;
	si->index = st->index;
	si->type = stream_type(par->codec_type);
	snprintf(si->codec, sizeof(si->codec), "%s", avcodec_get_name(par->codec_id));
	if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
		si->duration = (double)st->duration * av_q2d(st->time_base);
	si->bit_rate = par->bit_rate;
	si->sar_num = si->sar_den = 1;
	si->fps_den = 1;
	if (par->codec_type == AVMEDIA_TYPE_VIDEO) {
		si->width = par->width;
		si->height = par->height;
		AVRational sar = av_guess_sample_aspect_ratio(fmt, st, NULL);
		if (sar.num > 0 && sar.den > 0) {
			av_reduce(&si->sar_num, &si->sar_den, sar.num, sar.den, INT32_MAX);
		}
		AVRational fps = st->avg_frame_rate;
		if (fps.num <= 0 || fps.den <= 0)
			fps = st->r_frame_rate;
		if (fps.num > 0 && fps.den > 0) {
			si->fps_num = fps.num;
			si->fps_den = fps.den;
		}
		si->frames = st->nb_frames;
		si->rotation = stream_rotation(st);
		const char *pf = av_get_pix_fmt_name(par->format);
		snprintf(si->pix_fmt, sizeof(si->pix_fmt), "%s", pf ? pf : "");
	} else if (par->codec_type == AVMEDIA_TYPE_AUDIO) {
		si->sample_rate = par->sample_rate;
		si->channels = par->ch_layout.nb_channels;
		si->frames = st->nb_frames;
		const char *sf = av_get_sample_fmt_name(par->format);
		snprintf(si->sample_fmt, sizeof(si->sample_fmt), "%s", sf ? sf : "");
	}
}

static void fill_info(media_decoder *d)
{
	AVFormatContext *fmt = d->fmt;
	media_info *in = &d->info;
	snprintf(in->format, sizeof(in->format), "%s", fmt->iformat->name);
	if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0)
		in->duration = (double)fmt->duration / AV_TIME_BASE;
	in->bit_rate = fmt->bit_rate;
	/* FFmpeg caps the stream count (AVFormatContext.max_streams, 1000). */
	in->n_streams = (int)fmt->nb_streams;
	in->streams = bj_xcalloc(fmt->nb_streams, sizeof(*in->streams));
	for (unsigned i = 0; i < fmt->nb_streams; i++)
		fill_stream_info(fmt, fmt->streams[i], &in->streams[i]);

	int n = av_dict_count(fmt->metadata);
	in->tags = bj_xcalloc((size_t)n * 2, sizeof(*in->tags));
	const AVDictionaryEntry *e = NULL;
	while ((e = av_dict_get(fmt->metadata, "", e, AV_DICT_IGNORE_SUFFIX)) && in->n_tags < n) {
		in->tags[2 * in->n_tags] = bj_xstrdup(e->key);
		in->tags[2 * in->n_tags + 1] = bj_xstrdup(e->value);
		in->n_tags++;
	}
}

/* Picks the best video stream (av_find_best_stream: the default one, the one
 * with the most frames and bits) and opens its decoder.  Cover art (an attached
 * picture) does not count as video. */
static int open_video(media_decoder *d)
{
	AVFormatContext *fmt = d->fmt;
	const AVCodec *codec = NULL;
	int v = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
	if (v >= 0 && (fmt->streams[v]->disposition & AV_DISPOSITION_ATTACHED_PIC))
		v = -1;
	int a = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, v >= 0 ? v : -1, NULL, 0);
	d->info.video = v >= 0 ? v : -1;
	d->info.audio = a >= 0 ? a : -1;
	if (v == AVERROR_DECODER_NOT_FOUND) {
		int any = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
		return bj_error_set(BJ_EUNSUPPORTED, "'%s': no decoder for video codec '%s'", d->path,
		                    avcodec_get_name(fmt->streams[any]->codecpar->codec_id));
	}
	if (v < 0 && a < 0)
		return bj_error_set(BJ_EUNSUPPORTED, "'%s': no video or audio stream", d->path);
	if (v < 0)
		return 0;

	d->st = fmt->streams[v];
	/* Only the video stream's packets are read: the demuxer skips the rest. */
	for (unsigned i = 0; i < fmt->nb_streams; i++)
		fmt->streams[i]->discard = (int)i == v ? AVDISCARD_DEFAULT : AVDISCARD_ALL;

	d->dec = avcodec_alloc_context3(codec);
	if (!d->dec)
		return bj_error_set(BJ_ENOMEM, "'%s': out of memory", d->path);
	int ret = avcodec_parameters_to_context(d->dec, d->st->codecpar);
	if (ret >= 0) {
		d->dec->pkt_timebase = d->st->time_base;
		d->dec->thread_count = DECODER_THREADS;
		ret = avcodec_open2(d->dec, codec, NULL);
	}
	if (ret < 0)
		return media_ffmpeg_error(ret, "'%s': cannot open the %s decoder", d->path, codec->name);

	d->start_pts = d->st->start_time != AV_NOPTS_VALUE ? d->st->start_time : 0;
	const media_stream_info *si = &d->info.streams[v];
	d->fps = (AVRational){ si->fps_num, si->fps_den };
	return 0;
}

int media_decoder_open(const char *path, media_decoder **out)
{
	*out = NULL;
	media_decoder *d = bj_xcalloc(1, sizeof(*d));
	d->path = bj_xstrdup(path);
	d->info.video = d->info.audio = -1;
	d->out_ch = 3;
	d->last_pts = AV_NOPTS_VALUE;
	d->first_dts = AV_NOPTS_VALUE;
	d->sws_src_fmt = d->sws_dst_fmt = AV_PIX_FMT_NONE;

	int ret = media_ffmpeg_open(path, &d->fmt, &d->info.file_size);
	if (ret < 0)
		goto fail;
	fill_info(d);
	ret = open_video(d);
	if (ret < 0)
		goto fail;
	d->pkt = av_packet_alloc();
	d->frame = av_frame_alloc();
	if (!d->pkt || !d->frame) {
		ret = bj_error_set(BJ_ENOMEM, "'%s': out of memory", path);
		goto fail;
	}
	*out = d;
	return 0;
fail:
	media_decoder_close(d);
	return ret;
}

const media_info *media_decoder_info(const media_decoder *d)
{
	return &d->info;
}

int media_decoder_set_output(media_decoder *d, int width, int height, int channels)
{
	if (width < 0 || width > MEDIA_IMAGE_MAX_SIDE || height < 0 || height > MEDIA_IMAGE_MAX_SIDE)
		return bj_error_set(BJ_EINVAL, "output size %dx%d is out of range (0..%d)", width, height,
		                    MEDIA_IMAGE_MAX_SIDE);
	if (channels != 1 && channels != 3)
		return bj_error_set(BJ_EINVAL, "output channels must be 1 or 3, not %d", channels);
	d->out_w = width;
	d->out_h = height;
	d->out_ch = channels;
	return 0;
}

void media_decoder_set_fast(media_decoder *d, int fast)
{
	d->fast = fast != 0;
}

void media_decoder_set_yuv_scale(media_decoder *d, int on)
{
	d->yuv_scale = on != 0;
}

void media_decoder_set_rough(media_decoder *d, int rough)
{
	if (d->dec)
		d->dec->skip_loop_filter = rough ? AVDISCARD_ALL : AVDISCARD_DEFAULT;
}

/* Records an error that ends packet reading.  The frames the decoder still holds
 * come out first; then read() returns it. */
static void set_damage(media_decoder *d, int code)
{
	if (d->damage_code)
		return;
	d->damage_code = code;
	d->damage_message = bj_xstrdup(bj_error_message());
}

/* The end of the packets: the flush packet makes the decoder return the frames
 * it holds back (B-frame reordering, frame threads). */
static void start_draining(media_decoder *d)
{
	d->draining = 1;
	/* An error here comes from decoding what was sent before; the flush packet
	 * is taken all the same (libavcodec/decode.c, avcodec_send_packet()). */
	int ret = avcodec_send_packet(d->dec, NULL);
	if (ret < 0 && ret != AVERROR_EOF) {
		media_ffmpeg_error(ret, "'%s': corrupt data at %.2f s", d->path, d->last_pkt_time);
		set_damage(d, bj_error_code());
	}
}

/* Sets the error for a file that ends before its index does. */
static int truncated(media_decoder *d, double at)
{
	return bj_error_set(BJ_EFORMAT, "'%s': truncated: data ends at %.2f s of %.2f s", d->path, at,
	                    d->info.streams[d->st->index].duration);
}

/* Decodes the next frame into d->frame: 1, 0 at the end, or a negative code.
 *
 * Damage policy: a read error, a packet the demuxer marks incomplete, a file
 * shorter than its index says, or a packet the decoder rejects ends the reading
 * of packets.  The frames decoded from the data before it are still returned,
 * then the error ("'<path>': corrupt data at 12.34 s: ..."), never a frame made
 * from broken data. */
static int decode_next(media_decoder *d)
{
	for (;;) {
		int ret = avcodec_receive_frame(d->dec, d->frame);
		if (ret >= 0)
			return 1;
		if (ret == AVERROR_EOF) {
			if (d->damage_code)
				return bj_error_set(d->damage_code, "%s", d->damage_message);
			return 0;
		}
		if (ret != AVERROR(EAGAIN)) {
			media_ffmpeg_error(ret, "'%s': corrupt data at %.2f s", d->path, d->last_pkt_time);
			set_damage(d, bj_error_code());
			if (d->draining)
				return d->damage_code;
			start_draining(d);
			continue;
		}
		/* The decoder wants input; after the flush packet it never does. */
		BJ_ASSERT(!d->draining);

		ret = av_read_frame(d->fmt, d->pkt);
		double cut = -1;
		if (ret == AVERROR_EOF && (cut = media_ffmpeg_truncated_at(d->st, d->info.file_size)) >= 0) {
			set_damage(d, truncated(d, cut));
		} else if (ret < 0 && ret != AVERROR_EOF) {
			media_ffmpeg_error(ret, "'%s': read error after %.2f s", d->path, d->last_pkt_time);
			set_damage(d, bj_error_code());
		}
		if (ret < 0) {
			start_draining(d);
			continue;
		}
		if (d->pkt->stream_index != d->st->index) {
			av_packet_unref(d->pkt);
			continue;
		}
		if (d->first_dts == AV_NOPTS_VALUE)
			d->first_dts = d->pkt->dts != AV_NOPTS_VALUE ? d->pkt->dts : d->pkt->pts;
		int64_t ts = d->pkt->pts != AV_NOPTS_VALUE ? d->pkt->pts : d->pkt->dts;
		if (d->pkt->flags & AV_PKT_FLAG_CORRUPT) {
			/* A packet cut short by the end of the file is not decoded. */
			double at = ts != AV_NOPTS_VALUE ? ts_to_seconds(d, ts) : d->last_pkt_time;
			if ((cut = media_ffmpeg_truncated_at(d->st, d->info.file_size)) >= 0)
				truncated(d, cut);
			else
				bj_error_set(BJ_EFORMAT, "'%s': corrupt data at %.2f s: incomplete packet",
				             d->path, at);
			set_damage(d, BJ_EFORMAT);
			av_packet_unref(d->pkt);
			start_draining(d);
			continue;
		}
		if (ts != AV_NOPTS_VALUE)
			d->last_pkt_time = ts_to_seconds(d, ts);
		ret = avcodec_send_packet(d->dec, d->pkt);
		av_packet_unref(d->pkt);
		if (ret < 0) {
			media_ffmpeg_error(ret, "'%s': corrupt data at %.2f s", d->path, d->last_pkt_time);
			set_damage(d, bj_error_code());
			start_draining(d);
		}
	}
}

/* The frame's presentation time in time_base units.  A frame without one (raw
 * elementary streams) follows the previous frame by its duration. */
static int64_t frame_pts(media_decoder *d)
{
	int64_t pts = d->frame->best_effort_timestamp;
	if (pts == AV_NOPTS_VALUE) {
		if (d->last_pts == AV_NOPTS_VALUE) {
			pts = d->start_pts;
		} else {
			int64_t dur = d->frame->pkt_duration;
			if (dur <= 0 && d->fps.num > 0)
				dur = av_rescale_q(1, av_inv_q(d->fps), d->st->time_base);
			pts = d->last_pts + (dur > 0 ? dur : 1);
		}
	}
	d->last_pts = pts;
	return pts;
}

/* The output size for a decoded w x h picture: the set size, or with one side 0
 * the other from the display aspect ratio w*sar : h, rounded to nearest. */
static void output_size(media_decoder *d, int w, int h, int *ow, int *oh)
{
	*ow = d->out_w;
	*oh = d->out_h;
	if (!d->out_w && !d->out_h) {
		*ow = w;
		*oh = h;
		return;
	}
	if (d->out_w && d->out_h)
		return;
	AVRational sar = av_guess_sample_aspect_ratio(d->fmt, d->st, d->frame);
	if (sar.num <= 0 || sar.den <= 0)
		sar = (AVRational){ 1, 1 };
	if (d->out_w)
		*oh = (int)FFMIN(av_rescale_rnd(d->out_w, (int64_t)h * sar.den, (int64_t)w * sar.num,
		                                AV_ROUND_NEAR_INF), INT32_MAX);
	else
		*ow = (int)FFMIN(av_rescale_rnd(d->out_h, (int64_t)w * sar.num, (int64_t)h * sar.den,
		                                AV_ROUND_NEAR_INF), INT32_MAX);
	if (*ow < 1)
		*ow = 1;
	if (*oh < 1)
		*oh = 1;
}

/* The YUV -> RGB matrix: the one the stream states; when it states none, BT.601
 * below 720 lines and BT.709 from 720 up (what players assume, after
 * ITU-R BT.601 for SD and BT.709 for HD). */
static int sws_colorspace(const AVFrame *f)
{
	switch (f->colorspace) {
	case AVCOL_SPC_BT709: return SWS_CS_ITU709;
	case AVCOL_SPC_FCC: return SWS_CS_FCC;
	case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M;
	case AVCOL_SPC_BT2020_NCL:
	case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
	case AVCOL_SPC_BT470BG:
	case AVCOL_SPC_SMPTE170M: return SWS_CS_ITU601;
	default: return f->height >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601;
	}
}

/* The luma weights of red and blue for the matrix sws_colorspace() picks. */
static void matrix_weights(int cs, double *kr, double *kb)
{
	switch (cs) {
	case SWS_CS_ITU709: *kr = 0.2126; *kb = 0.0722; break;
	case SWS_CS_FCC: *kr = 0.30; *kb = 0.11; break;
	case SWS_CS_SMPTE240M: *kr = 0.212; *kb = 0.087; break;
	case SWS_CS_BT2020: *kr = 0.2627; *kb = 0.0593; break;
	default: *kr = 0.299; *kb = 0.114; break;
	}
}

/* Whether f is 8-bit planar YUV or grey (what video decoders mostly give), which
 * the fast mode shrinks itself; p is set to its planes if so. */
static int yuv_planes(const AVFrame *f, media_yuv_planes *p)
{
	const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(f->format);
	if (!desc || (desc->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM |
	                             AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_FLOAT | AV_PIX_FMT_FLAG_BE)))
		return 0;
	int n = desc->nb_components >= 3 ? 3 : 1;
	if (desc->nb_components == 2)
		return 0;   /* grey with alpha */
	for (int i = 0; i < n; i++)
		if (desc->comp[i].depth != 8 || desc->comp[i].plane != i || desc->comp[i].step != 1 ||
		    desc->comp[i].shift != 0 || desc->comp[i].offset != 0)
			return 0;
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < n; i++) {
		p->plane[i] = f->data[i];
		p->stride[i] = f->linesize[i];
	}
	p->width = f->width;
	p->height = f->height;
	p->shift_x = desc->log2_chroma_w;
	p->shift_y = desc->log2_chroma_h;
	p->full_range = f->color_range == AVCOL_RANGE_JPEG || (desc->name && strncmp(desc->name, "yuvj", 4) == 0);
	matrix_weights(sws_colorspace(f), &p->kr, &p->kb);
	return 1;
}

/* The fast mode's conversion of d->frame into out: our own shrink where it can,
 * else 0 (the caller uses swscale).  Returns 1 when done, or a negative code. */
static int fast_shrink(const AVFrame *f, media_shrink *sh, media_image *out)
{
	media_yuv_planes p;
	if (out->width > f->width || out->height > f->height || !yuv_planes(f, &p))
		return 0;
	int ret = media_shrink_yuv(sh, &p, out);
	return ret < 0 ? ret : 1;
}

/* Converts d->frame into the output image with swscale; nothing is allocated
 * unless the size or format changes. */
/* FFmpeg 5.1's fast unscaled YUV-to-RGB converter (x86 SIMD, 8 pixels a step)
 * leaves the last width % 8 pixels of every row unwritten: the picture's right
 * edge would be whatever the buffer held before, different from run to run.
 * The accurate path writes every pixel, so such widths take it. */
static int needs_accurate_rgb(const AVFrame *f, int w, int h)
{
	return w == f->width && h == f->height && w % 8 != 0;
}

/* media_decoder_set_yuv_scale(): scales d->frame into d->mid, in its own planar
 * YUV format, at w x h.  Returns 1, 0 when the frame is not 8-bit planar YUV
 * (the caller scales straight to RGB then), or a negative code. */
static int scale_in_yuv(media_decoder *d, int w, int h)
{
	const AVFrame *f = d->frame;
	media_yuv_planes p;
	if (!yuv_planes(f, &p) || !p.plane[1])
		return 0;
	AVFrame *m = d->mid;
	if (!m || m->width != w || m->height != h || m->format != f->format) {
		av_frame_free(&d->mid);
		m = d->mid = av_frame_alloc();
		if (!m)
			return bj_error_set(BJ_ENOMEM, "'%s': out of memory", d->path);
		m->format = f->format;
		m->width = w;
		m->height = h;
		/* Aligned, padded rows: swscale's SIMD reads and writes past a row's end. */
		int ret = av_frame_get_buffer(m, 64);
		if (ret < 0)
			return media_ffmpeg_error(ret, "'%s': cannot allocate a picture", d->path);
	}
	/* The same range in and out: the values are only resampled. */
	d->pre = sws_getCachedContext(d->pre, f->width, f->height, f->format, w, h, f->format,
	                              SWS_BICUBIC | SWS_BITEXACT, NULL, NULL, NULL);
	if (!d->pre)
		return bj_error_set(BJ_EUNSUPPORTED, "'%s': cannot scale pictures of %dx%d", d->path,
		                    f->width, f->height);
	int ret = sws_scale(d->pre, (const uint8_t *const *)f->data, f->linesize, 0, f->height,
	                    m->data, m->linesize);
	if (ret <= 0)
		return media_ffmpeg_error(ret < 0 ? ret : AVERROR_BUG,
		                          "'%s': cannot scale the picture at %.2f s", d->path, d->out.time);
	return 1;
}

static int convert(media_decoder *d)
{
	const AVFrame *f = d->frame;
	int w, h;
	output_size(d, f->width, f->height, &w, &h);
	if (w > MEDIA_IMAGE_MAX_SIDE || h > MEDIA_IMAGE_MAX_SIDE)
		return bj_error_set(BJ_EINVAL, "'%s': output size %dx%d is out of range (1..%d)",
		                    d->path, w, h, MEDIA_IMAGE_MAX_SIDE);
	/* swscale's SIMD RGB writers store 8 bytes at a time and run past the last
	 * pixel of the last row (seen with valgrind at 360x288): pad the buffer. */
	size_t row = (size_t)w * (size_t)d->out_ch, bytes = row * (size_t)h + 64;
	if (bytes > d->pixels_cap) {
		uint8_t *p = bj_try_malloc(bytes);
		if (!p)
			return bj_error_prefix("'%s'", d->path);
		free(d->pixels);
		d->pixels = p;
		d->pixels_cap = bytes;
	}

	d->out.image = media_image_view(d->pixels, w, h, d->out_ch, row);
	if (d->fast) {
		int done = fast_shrink(f, &d->shrink, &d->out.image);
		if (done != 0)
			return done < 0 ? done : 0;
	}
	enum AVPixelFormat dst = d->out_ch == 3 ? AV_PIX_FMT_RGB24 : AV_PIX_FMT_GRAY8;
	int cs = sws_colorspace(f), range = f->color_range == AVCOL_RANGE_JPEG;
	if (d->yuv_scale && dst == AV_PIX_FMT_RGB24 && (w != f->width || h != f->height)) {
		int ret = scale_in_yuv(d, w, h);
		if (ret < 0)
			return ret;
		if (ret > 0)
			f = d->mid;   /* the matrix and range above stay the source's */
	}
	if (!d->sws || f->width != d->sws_src_w || f->height != d->sws_src_h ||
	    f->format != d->sws_src_fmt || w != d->sws_dst_w || h != d->sws_dst_h ||
	    (int)dst != d->sws_dst_fmt || cs != d->sws_cs || range != d->sws_range ||
	    d->fast != d->sws_fast) {
		int flags = SWS_FLAGS;
		if (dst == AV_PIX_FMT_GRAY8 || needs_accurate_rgb(f, w, h))
			flags |= SWS_ACCURATE_RND;
		if (d->fast)
			flags = SWS_FAST_BILINEAR;
		d->sws = sws_getCachedContext(d->sws, f->width, f->height, f->format, w, h, dst,
		                              flags, NULL, NULL, NULL);
		if (!d->sws) {
			const char *name = av_get_pix_fmt_name(f->format);
			return bj_error_set(BJ_EUNSUPPORTED, "'%s': cannot convert %s pictures of %dx%d",
			                    d->path, name ? name : "unknown", f->width, f->height);
		}
		/* Full-range output: RGB is always full range, and grey is luma
		 * stretched to 0..255 like RGB. */
		sws_setColorspaceDetails(d->sws, sws_getCoefficients(cs), range,
		                         sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
		d->sws_src_w = f->width;
		d->sws_src_h = f->height;
		d->sws_src_fmt = f->format;
		d->sws_dst_w = w;
		d->sws_dst_h = h;
		d->sws_dst_fmt = dst;
		d->sws_cs = cs;
		d->sws_range = range;
		d->sws_fast = d->fast;
	}
	uint8_t *dst_data[4] = { d->pixels, NULL, NULL, NULL };
	int dst_stride[4] = { (int)row, 0, 0, 0 };
	int ret = sws_scale(d->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height,
	                    dst_data, dst_stride);
	if (ret <= 0)
		return media_ffmpeg_error(ret < 0 ? ret : AVERROR_BUG,
		                          "'%s': cannot convert the picture at %.2f s", d->path,
		                          d->out.time);
	return 0;
}

int media_decoder_picture(media_decoder *d, media_image *out)
{
	if (!d->st || !d->out.image.data)
		return bj_error_set(BJ_EINVAL, "'%s': no frame read to convert", d->path);
	const AVFrame *f = d->frame;
	if (d->fast) {
		int done = fast_shrink(f, &d->shrink2, out);
		if (done != 0)
			return done < 0 ? done : 0;
	}
	enum AVPixelFormat dst = out->channels == 3 ? AV_PIX_FMT_RGB24 : AV_PIX_FMT_GRAY8;
	d->sws2 = sws_getCachedContext(d->sws2, f->width, f->height, f->format, out->width, out->height, dst,
	                               d->fast ? SWS_FAST_BILINEAR : SWS_FLAGS | (dst == AV_PIX_FMT_GRAY8 ? SWS_ACCURATE_RND : 0),
	                               NULL, NULL,
	                               NULL);
	if (!d->sws2)
		return bj_error_set(BJ_EUNSUPPORTED, "'%s': cannot convert pictures of %dx%d", d->path, f->width,
		                    f->height);
	sws_setColorspaceDetails(d->sws2, sws_getCoefficients(sws_colorspace(f)), f->color_range == AVCOL_RANGE_JPEG,
	                         sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
	/* swscale's SIMD writers can run past the last pixel: write into a padded copy */
	size_t row = (size_t)out->width * (size_t)out->channels;
	uint8_t *tmp = bj_try_malloc(row * (size_t)out->height + 64);
	if (!tmp)
		return bj_error_prefix("'%s'", d->path);
	uint8_t *dst_data[4] = { tmp, NULL, NULL, NULL };
	int dst_stride[4] = { (int)row, 0, 0, 0 };
	int ret = sws_scale(d->sws2, (const uint8_t *const *)f->data, f->linesize, 0, f->height, dst_data,
	                    dst_stride);
	if (ret > 0)
		for (int y = 0; y < out->height; y++)
			memcpy(out->data + (size_t)y * out->stride, tmp + (size_t)y * row, row);
	free(tmp);
	if (ret <= 0)
		return media_ffmpeg_error(ret < 0 ? ret : AVERROR_BUG, "'%s': cannot convert the picture at %.2f s",
		                          d->path, d->out.time);
	return 0;
}

/* The index of a frame at pts after a seek: its time times the frame rate
 * (exact for constant-rate streams, an estimate for variable-rate ones). */
static int64_t index_at(const media_decoder *d, int64_t pts)
{
	if (d->fps.num <= 0)
		return 0;
	return av_rescale_q_rnd(pts - d->start_pts, d->st->time_base, av_inv_q(d->fps),
	                        AV_ROUND_NEAR_INF | AV_ROUND_PASS_MINMAX);
}

static int finish(media_decoder *d, int ret)
{
	d->ended = 1;
	d->end_code = ret;
	free(d->end_message);
	d->end_message = ret < 0 ? bj_xstrdup(bj_error_message()) : NULL;
	return ret;
}

int media_decoder_read(media_decoder *d, const media_frame **frame)
{
	*frame = NULL;
	if (!d->st)
		return 0;
	if (d->ended) {
		if (d->end_code < 0)
			bj_error_set(d->end_code, "%s", d->end_message);
		return d->end_code;
	}
	int64_t pts;
	if (d->have_frame) {
		/* the frame seek() stopped at; its time is already known */
		d->have_frame = 0;
		pts = d->last_pts;
	} else {
		int ret = decode_next(d);
		if (ret <= 0)
			return finish(d, ret);
		pts = frame_pts(d);
	}
	d->out.pts = pts;
	d->out.tb_num = d->st->time_base.num;
	d->out.tb_den = d->st->time_base.den;
	d->out.time = ts_to_seconds(d, pts);
	d->out.index = d->next_index++;
	int ret = convert(d);
	if (ret < 0)
		return finish(d, ret);
	*frame = &d->out;
	return 1;
}

/* Repositions the demuxer at the key frame at or before ts (decode time, in
 * time_base units), or failing that at the very start, and empties the decoder. */
static int seek_to(media_decoder *d, int64_t ts)
{
	int ret = av_seek_frame(d->fmt, d->st->index, ts, AVSEEK_FLAG_BACKWARD);
	if (ret < 0 && !(d->fmt->iformat->flags & AVFMT_NO_BYTE_SEEK))
		ret = av_seek_frame(d->fmt, -1, 0, AVSEEK_FLAG_BYTE | AVSEEK_FLAG_BACKWARD);
	if (ret < 0)
		return media_ffmpeg_error(ret, "'%s': cannot seek to %.2f s", d->path, ts_to_seconds(d, ts));
	avcodec_flush_buffers(d->dec);
	d->draining = 0;
	d->ended = 0;
	d->end_code = 0;
	d->damage_code = 0;
	free(d->damage_message);
	d->damage_message = NULL;
	d->have_frame = 0;
	d->last_pts = AV_NOPTS_VALUE;
	d->first_dts = AV_NOPTS_VALUE;
	d->last_pkt_time = ts > d->start_pts ? ts_to_seconds(d, ts) : 0;
	return 0;
}

/* Whether target lies ahead of the frame last read with no key frame between
 * them in the index: decoding on to it then gives what a seek would (the same
 * frames as reading from the start) for less work than going back to that key
 * frame.  A decoder reused for a later stretch of its file gains most. */
static int ahead_within_reach(media_decoder *d, int64_t target)
{
	if (d->have_frame || d->ended || d->draining || d->last_pts == AV_NOPTS_VALUE ||
	    target <= d->last_pts)
		return 0;
	int k = av_index_search_timestamp(d->st, target, AVSEEK_FLAG_BACKWARD);
	const AVIndexEntry *key = k >= 0 ? avformat_index_get_entry(d->st, k) : NULL;
	return key && key->timestamp <= d->last_pts;
}

/* Decodes and drops the frames before target (not converted), as a seek's last
 * step does. */
static int skip_to(media_decoder *d, int64_t target)
{
	do {
		int ret = decode_next(d);
		if (ret <= 0)
			return finish(d, ret);
		frame_pts(d);
	} while (d->last_pts < target);
	d->have_frame = 1;
	d->next_index = index_at(d, d->last_pts);
	return 0;
}

int media_decoder_seek(media_decoder *d, double seconds)
{
	if (isnan(seconds))
		return bj_error_set(BJ_EINVAL, "'%s': cannot seek to NaN seconds", d->path);
	if (!d->st)
		return 0;
	if (seconds < 0)
		seconds = 0;
	/* The target in time_base units; a frame within half a tick of it counts as
	 * at it, so that a time read from a frame seeks back to that frame. */
	AVRational tb = d->st->time_base;
	double ticks = seconds * tb.den / tb.num;
	int64_t target = ticks > 1e18 ? INT64_MAX / 2 : d->start_pts + llround(ticks);
	if (ahead_within_reach(d, target))
		return skip_to(d, target);

	/* Seek, and check that the first frame is not after the target: frames
	 * between the target and a key frame can precede it in decode order (MP4
	 * seeks by decode time), and containers without a key frame index (MPEG-TS)
	 * land anywhere, the decoder then skipping to the next key frame.  Either way
	 * step back: before the key frame found, and by a time doubling from 1 s. */
	int64_t back = av_rescale_q(1, (AVRational){ 1, 1 }, tb), prev_first = AV_NOPTS_VALUE;
	int64_t ts = target;
	int ret, got;
	for (int tries = 0;; tries++) {
		if ((ret = seek_to(d, ts)) < 0)
			return finish(d, ret);
		got = decode_next(d);
		if (got < 0)
			return finish(d, got);
		int64_t pts = got ? frame_pts(d) : INT64_MAX;
		int stuck = d->first_dts != AV_NOPTS_VALUE && prev_first != AV_NOPTS_VALUE &&
		            d->first_dts >= prev_first;
		if (pts <= target || stuck || tries == SEEK_TRIES)
			break;
		prev_first = d->first_dts;
		int64_t earlier = target - back;
		if (d->first_dts != AV_NOPTS_VALUE && d->first_dts - 1 < earlier)
			earlier = d->first_dts - 1;
		ts = FFMIN(earlier, ts - 1);
		back = back > INT64_MAX / 4 ? back : 2 * back;
	}
	if (!got)
		return finish(d, 0);
	/* Decode and drop the frames before the target (not converted). */
	while (d->last_pts < target) {
		ret = decode_next(d);
		if (ret <= 0)
			return finish(d, ret);
		frame_pts(d);
	}
	d->have_frame = 1;
	d->next_index = index_at(d, d->last_pts);
	return 0;
}

void media_decoder_close(media_decoder *d)
{
	if (!d)
		return;
	sws_freeContext(d->sws);
	sws_freeContext(d->sws2);
	sws_freeContext(d->pre);
	av_frame_free(&d->mid);
	media_shrink_release(&d->shrink);
	media_shrink_release(&d->shrink2);
	av_frame_free(&d->frame);
	av_packet_free(&d->pkt);
	avcodec_free_context(&d->dec);
	avformat_close_input(&d->fmt);
	free(d->info.streams);
	for (int i = 0; i < 2 * d->info.n_tags; i++)
		free(d->info.tags[i]);
	free(d->info.tags);
	free(d->pixels);
	free(d->damage_message);
	free(d->end_message);
	free(d->path);
	free(d);
}
