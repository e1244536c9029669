#include "media/encoder.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/cpu.h>
#include <libavutil/error.h>
#include <libavutil/mem.h>

#include "base/alloc.h"
#include "base/atomic.h"
#include "base/error.h"
#include "media/ffmpeg.h"
#include "media/rgb_yuv.h"

struct media_encoder {
	media_encoder_opts opts;   /* a copy; preset and tags are not kept */
	char *path;                /* the final path, for messages */
	bj_atomic *atomic;         /* the output; NULL once committed or discarded */
	char *url;                 /* "file:<temporary path>", so no ':' reads as a protocol */
	AVFormatContext *fmt;
	AVPacket *pkt;             /* one packet for both streams */

	AVCodecContext *venc;
	AVStream *vst;
	AVFrame *vframe;           /* yuv420p, (height, width) */
	int64_t frames;            /* frames sent; the next frame's pts */

	AVCodecContext *aenc;      /* NULL without audio */
	AVStream *ast;
	AVFrame *aframe;           /* fltp, (channels, frame_size) */
	int afill;                 /* samples waiting in aframe */
	int64_t samples;           /* samples sent; the next audio frame's pts */

	int finished;              /* media_encoder_finish was called */
	int failed;                /* a write failed: only close may follow */
};

/* Library code never prints: FFmpeg's own log is off (media_ffmpeg_init), and its
 * error codes become our messages (av_strerror). */
/* Records "'<path>': <what>: <FFmpeg's reason>" and returns our code for it. */
static int av_fail(const media_encoder *e, const char *what, int averr)
{
	char reason[AV_ERROR_MAX_STRING_SIZE];
	av_strerror(averr, reason, sizeof(reason));
	int code = averr == AVERROR(ENOMEM) ? BJ_ENOMEM : BJ_EIO;
	return bj_error_set(code, "'%s': %s: %s", e->path, what, reason);
}

/* A failed write through avio leaves its errno in pb->error, and the muxer may
 * report something vaguer (or nothing) for it; the cause is what a user needs. */
static int write_fail(const media_encoder *e, int averr)
{
	if (e->fmt && e->fmt->pb && e->fmt->pb->error < 0)
		averr = e->fmt->pb->error;
	return av_fail(e, "cannot write", averr);
}

static int out_of_memory(const media_encoder *e, const char *what)
{
	return bj_error_set(BJ_ENOMEM, "'%s': out of memory for %s", e->path, what);
}

/* Stops the encoder after an error: the caller sees that error once, and every
 * later call a short reminder. */
static int stop(media_encoder *e, int ret)
{
	if (ret < 0)
		e->failed = 1;
	return ret;
}

static int stopped(const media_encoder *e)
{
	return bj_error_set(BJ_EINVAL, "'%s': cannot continue after an earlier error", e->path);
}

static const char *const x264_presets[] = {
	"ultrafast", "superfast", "veryfast", "faster", "fast",
	"medium", "slow", "slower", "veryslow", "placebo",
};

/* The sampling rates of AAC (ISO/IEC 14496-3, 1.6.3.4, sampling_frequency_index). */
static const int aac_rates[] = {
	96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
};

/* The keys FFmpeg's mp4 muxer stores in the iTunes-style 'ilst' box; it drops
 * any other without a word, so we refuse them instead. */
static const char *const mp4_tags[] = {
	"title", "artist", "album_artist", "composer", "album", "date", "comment",
	"genre", "copyright", "grouping", "lyrics", "description", "synopsis", "show",
	"episode_id", "network", "keywords",
};

static int in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

static int check_side(const char *path, const char *name, int v)
{
	if (v < 2 || v > MEDIA_ENCODER_MAX_SIDE)
		return bj_error_set(BJ_EINVAL, "'%s': %s %d is not in 2..%d", path, name, v,
		                    MEDIA_ENCODER_MAX_SIDE);
	/* yuv420p halves both sides for the chroma planes. */
	if (v % 2)
		return bj_error_set(BJ_EINVAL, "'%s': %s %d is odd", path, name, v);
	return 0;
}

static int check_opts(const char *path, const media_encoder_opts *o)
{
	int ret;
	if ((ret = check_side(path, "width", o->width)) < 0 ||
	    (ret = check_side(path, "height", o->height)) < 0)
		return ret;
	if (o->fps_num <= 0 || o->fps_den <= 0)
		return bj_error_set(BJ_EINVAL, "'%s': frame rate %d/%d is not positive", path,
		                    o->fps_num, o->fps_den);
	if (o->crf < 0 || o->crf > 51)
		return bj_error_set(BJ_EINVAL, "'%s': crf %d is not in 0..51", path, o->crf);
	if (!o->preset || !in_list(o->preset, x264_presets, BJ_ARRAY_SIZE(x264_presets)))
		return bj_error_set(BJ_EINVAL, "'%s': preset '%s' is not an x264 preset", path,
		                    o->preset ? o->preset : "(null)");
	if (o->threads < 1 || o->threads > MEDIA_ENCODER_MAX_THREADS)
		return bj_error_set(BJ_EINVAL, "'%s': threads %d is not in 1..%d", path, o->threads,
		                    MEDIA_ENCODER_MAX_THREADS);
	if (o->audio_rate < 0)
		return bj_error_set(BJ_EINVAL, "'%s': audio rate %d is negative", path, o->audio_rate);
	if (o->audio_rate > 0) {
		int known = 0;
		for (size_t i = 0; i < BJ_ARRAY_SIZE(aac_rates); i++)
			known |= aac_rates[i] == o->audio_rate;
		if (!known)
			return bj_error_set(BJ_EINVAL, "'%s': audio rate %d Hz is not an AAC rate",
			                    path, o->audio_rate);
		if (o->audio_channels != 1 && o->audio_channels != 2)
			return bj_error_set(BJ_EINVAL, "'%s': audio channels %d is not 1 or 2", path,
			                    o->audio_channels);
		if (o->audio_bit_rate < 16000 || o->audio_bit_rate > 512000)
			return bj_error_set(BJ_EINVAL, "'%s': audio bit rate %d is not in 16000..512000",
			                    path, o->audio_bit_rate);
	}
	for (const char **t = o->tags; t && *t; t += 2) {
		if (!in_list(t[0], mp4_tags, BJ_ARRAY_SIZE(mp4_tags)))
			return bj_error_set(BJ_EINVAL, "'%s': tag '%s' is not an MP4 tag", path, t[0]);
		if (!t[1])
			return bj_error_set(BJ_EINVAL, "'%s': tag '%s' has no value", path, t[0]);
	}
	return 0;
}

media_encoder_opts media_encoder_defaults(int width, int height, int fps_num, int fps_den)
{
	return (media_encoder_opts){
		.width = width,
		.height = height,
		.fps_num = fps_num,
		.fps_den = fps_den,
		.crf = 18,
		.preset = "medium",
		.threads = 2,
		.audio_rate = 0,
		.audio_channels = 2,
		.audio_bit_rate = 192000,
		.tags = NULL,
	};
}

/* Opens an encoder with private options; every option must be used. */
static int open_codec(media_encoder *e, AVCodecContext *c, const AVCodec *codec,
                      AVDictionary **opts, const char *what)
{
	if (e->fmt->oformat->flags & AVFMT_GLOBALHEADER)
		c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
	c->flags |= AV_CODEC_FLAG_BITEXACT;
	int ret = avcodec_open2(c, codec, opts);
	if (ret < 0)
		return av_fail(e, what, ret);
	BJ_ASSERT(av_dict_count(*opts) == 0);
	return 0;
}

#if defined(__x86_64__) || defined(__i386__)
/* x264's "asm" setting: the CPU features FFmpeg detects, in x264's names, without
 * AVX-512.  With AVX-512, x264 0.164.3095 gives different bytes for the same
 * frames from one encoder to the next in a process, with one thread too: its
 * output depends on the state of the heap (test_same_input_same_bytes caught
 * it; under valgrind, which lacks AVX-512, it is deterministic).  Leaving it
 * out costs no measurable speed.  Each x264 name implies the features below it
 * ("AVX2" turns on FMA3 and BMI2 too), so a name is used only when all it
 * implies is present: naming a feature the CPU lacks would crash.  Measured
 * here, SSSE3 up to AVX2 give the same bytes (SSE2 alone does not), so most
 * machines agree with each other too. */
static void cpu_features_for_x264(char *buf, size_t cap)
{
	static const struct {
		int need;          /* AV_CPU_FLAG_* all required */
		const char *name;  /* x264_cpu_names[] in x264's common/cpu.c */
	} levels[] = {
		{ AV_CPU_FLAG_MMXEXT, "MMX2" },
		{ AV_CPU_FLAG_SSE, "SSE" },
		{ AV_CPU_FLAG_SSE2, "SSE2" },
		{ AV_CPU_FLAG_SSE2 | AV_CPU_FLAG_SSE3, "SSE3" },
		{ AV_CPU_FLAG_SSE2 | AV_CPU_FLAG_SSE3 | AV_CPU_FLAG_SSSE3, "SSSE3" },
		{ AV_CPU_FLAG_SSSE3 | AV_CPU_FLAG_SSE4, "SSE4.1" },
		{ AV_CPU_FLAG_SSE4 | AV_CPU_FLAG_SSE42, "SSE4.2" },
		{ AV_CPU_FLAG_SSE42 | AV_CPU_FLAG_AVX, "AVX" },
		{ AV_CPU_FLAG_AVX | AV_CPU_FLAG_XOP, "XOP" },
		{ AV_CPU_FLAG_AVX | AV_CPU_FLAG_FMA4, "FMA4" },
		{ AV_CPU_FLAG_AVX | AV_CPU_FLAG_FMA3, "FMA3" },
		{ AV_CPU_FLAG_AVX | AV_CPU_FLAG_BMI1, "BMI1" },
		{ AV_CPU_FLAG_AVX | AV_CPU_FLAG_BMI1 | AV_CPU_FLAG_BMI2, "BMI2" },
		{ AV_CPU_FLAG_AVX | AV_CPU_FLAG_FMA3 | AV_CPU_FLAG_BMI1 | AV_CPU_FLAG_BMI2 |
		  AV_CPU_FLAG_AVX2, "AVX2" },
	};
	int cpu = av_get_cpu_flags();
	size_t len = (size_t)snprintf(buf, cap, "asm=");
	for (size_t i = 0; i < BJ_ARRAY_SIZE(levels); i++) {
		const char *name = levels[i].name;
		if ((cpu & levels[i].need) != levels[i].need)
			continue;
		if (levels[i].need == AV_CPU_FLAG_SSE2 && (cpu & AV_CPU_FLAG_SSE2SLOW))
			name = "SSE2Slow";
		len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "%s,", name);
	}
	/* The cache line size only picks between equivalent routines. */
	snprintf(buf + len, len < cap ? cap - len : 0, "Cache64");
}
#endif

static int add_video(media_encoder *e, const AVCodec *codec)
{
	const media_encoder_opts *o = &e->opts;
	AVCodecContext *c = e->venc = avcodec_alloc_context3(codec);
	if (!c)
		return out_of_memory(e, "the video encoder");
	c->width = o->width;
	c->height = o->height;
	c->pix_fmt = AV_PIX_FMT_YUV420P;
	/* Constant frame rate: a frame's pts is its number. */
	c->time_base = (AVRational){ o->fps_den, o->fps_num };
	c->framerate = (AVRational){ o->fps_num, o->fps_den };
	c->sample_aspect_ratio = (AVRational){ 1, 1 };
	c->color_range = AVCOL_RANGE_MPEG;
	c->colorspace = AVCOL_SPC_BT709;
	c->color_primaries = AVCOL_PRI_BT709;
	c->color_trc = AVCOL_TRC_BT709;
	/* x264's frame threads are deterministic for a given count (its default
	 * b_deterministic); sliced threads would change the bitstream's slicing. */
	c->thread_count = o->threads;
	c->thread_type = FF_THREAD_FRAME;

	AVDictionary *opts = NULL;
	char crf[16];
	snprintf(crf, sizeof(crf), "%d", o->crf);
	av_dict_set(&opts, "preset", e->opts.preset, 0);
	av_dict_set(&opts, "crf", crf, 0);
#if defined(__x86_64__) || defined(__i386__)
	char x264_params[256];
	cpu_features_for_x264(x264_params, sizeof(x264_params));
	av_dict_set(&opts, "x264-params", x264_params, 0);
#endif
	int ret = open_codec(e, c, codec, &opts, "cannot open the H.264 encoder");
	av_dict_free(&opts);
	if (ret < 0)
		return ret;

	e->vst = avformat_new_stream(e->fmt, NULL);
	if (!e->vst)
		return out_of_memory(e, "the video stream");
	e->vst->time_base = c->time_base;
	e->vst->avg_frame_rate = c->framerate;
	e->vst->r_frame_rate = c->framerate;
	e->vst->sample_aspect_ratio = c->sample_aspect_ratio;
	if ((ret = avcodec_parameters_from_context(e->vst->codecpar, c)) < 0)
		return av_fail(e, "cannot set up the video stream", ret);

	AVFrame *f = e->vframe = av_frame_alloc();
	if (!f)
		return out_of_memory(e, "a video frame");
	f->format = c->pix_fmt;
	f->width = c->width;
	f->height = c->height;
	f->color_range = c->color_range;
	f->colorspace = c->colorspace;
	f->color_primaries = c->color_primaries;
	f->color_trc = c->color_trc;
	f->sample_aspect_ratio = c->sample_aspect_ratio;
	if ((ret = av_frame_get_buffer(f, 0)) < 0)
		return av_fail(e, "cannot allocate a video frame", ret);

	return 0;
}

static int add_audio(media_encoder *e, const AVCodec *codec)
{
	const media_encoder_opts *o = &e->opts;
	AVCodecContext *c = e->aenc = avcodec_alloc_context3(codec);
	if (!c)
		return out_of_memory(e, "the audio encoder");
	c->sample_fmt = AV_SAMPLE_FMT_FLTP;
	c->sample_rate = o->audio_rate;
	c->time_base = (AVRational){ 1, o->audio_rate };
	c->bit_rate = o->audio_bit_rate;
	av_channel_layout_default(&c->ch_layout, o->audio_channels);

	AVDictionary *opts = NULL;
	int ret = open_codec(e, c, codec, &opts, "cannot open the AAC encoder");
	av_dict_free(&opts);
	if (ret < 0)
		return ret;
	/* The buffering in write_audio assumes fixed-size frames. */
	BJ_ASSERT(c->frame_size > 0);

	e->ast = avformat_new_stream(e->fmt, NULL);
	if (!e->ast)
		return out_of_memory(e, "the audio stream");
	e->ast->time_base = c->time_base;
	if ((ret = avcodec_parameters_from_context(e->ast->codecpar, c)) < 0)
		return av_fail(e, "cannot set up the audio stream", ret);

	AVFrame *f = e->aframe = av_frame_alloc();
	if (!f)
		return out_of_memory(e, "an audio frame");
	f->format = c->sample_fmt;
	f->sample_rate = c->sample_rate;
	f->nb_samples = c->frame_size;
	if ((ret = av_channel_layout_copy(&f->ch_layout, &c->ch_layout)) < 0 ||
	    (ret = av_frame_get_buffer(f, 0)) < 0)
		return av_fail(e, "cannot allocate an audio frame", ret);
	return 0;
}

int media_encoder_open(const char *path, const media_encoder_opts *opts, media_encoder **out)
{
	*out = NULL;
	media_ffmpeg_init();
	int ret = check_opts(path, opts);
	if (ret < 0)
		return ret;
	const AVCodec *vcodec = avcodec_find_encoder_by_name("libx264");
	if (!vcodec)
		return bj_error_set(BJ_EUNSUPPORTED, "'%s': FFmpeg has no libx264 encoder", path);
	const AVCodec *acodec = NULL;
	if (opts->audio_rate > 0 && !(acodec = avcodec_find_encoder_by_name("aac")))
		return bj_error_set(BJ_EUNSUPPORTED, "'%s': FFmpeg has no AAC encoder", path);

	media_encoder *e = bj_xcalloc(1, sizeof(*e));
	e->opts = *opts;
	e->path = bj_xstrdup(path);
	if ((ret = bj_atomic_open(path, &e->atomic)) < 0)
		goto fail;
	e->url = bj_xasprintf("file:%s", bj_atomic_tmp_path(e->atomic));

	if ((ret = avformat_alloc_output_context2(&e->fmt, NULL, "mp4", e->url)) < 0) {
		ret = av_fail(e, "cannot set up the MP4 muxer", ret);
		goto fail;
	}
	/* No library versions or creation times in the file: same input, same bytes. */
	e->fmt->flags |= AVFMT_FLAG_BITEXACT;
	for (const char **t = opts->tags; t && *t; t += 2)
		if ((ret = av_dict_set(&e->fmt->metadata, t[0], t[1], 0)) < 0) {
			ret = av_fail(e, "cannot set a tag", ret);
			goto fail;
		}
	if (!(e->pkt = av_packet_alloc())) {
		ret = out_of_memory(e, "a packet");
		goto fail;
	}
	if ((ret = add_video(e, vcodec)) < 0)
		goto fail;
	if (acodec && (ret = add_audio(e, acodec)) < 0)
		goto fail;
	/* The pointers in opts are borrowed for this call only. */
	e->opts.preset = NULL;
	e->opts.tags = NULL;

	if ((ret = avio_open(&e->fmt->pb, e->url, AVIO_FLAG_WRITE)) < 0) {
		ret = av_fail(e, "cannot create file", ret);
		goto fail;
	}
	/* The index is written last and moved to the front: MP4 needs to seek. */
	if (!(e->fmt->pb->seekable & AVIO_SEEKABLE_NORMAL)) {
		ret = bj_error_set(BJ_EUNSUPPORTED, "'%s': cannot write an MP4 film to a pipe", path);
		goto fail;
	}
	/* faststart: at the trailer the muxer rewrites the file (reopening it by
	 * url) with the 'moov' index before the 'mdat' data, so playback can begin
	 * before the whole file has arrived. */
	AVDictionary *mux = NULL;
	av_dict_set(&mux, "movflags", "+faststart", 0);
	ret = avformat_write_header(e->fmt, &mux);
	av_dict_free(&mux);
	if (ret < 0) {
		ret = write_fail(e, ret);
		goto fail;
	}
	*out = e;
	return 0;

fail:
	media_encoder_close(e);
	return ret;
}

/* Sends frame (NULL to drain) and writes every packet the encoder has ready. */
static int encode(media_encoder *e, AVCodecContext *c, AVStream *st, AVFrame *frame,
                  const char *what)
{
	int ret = avcodec_send_frame(c, frame);
	if (ret < 0)
		return av_fail(e, what, ret);
	for (;;) {
		ret = avcodec_receive_packet(c, e->pkt);
		if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
			return 0;
		if (ret < 0)
			return av_fail(e, what, ret);
		/* libx264 leaves durations unset; at a constant rate each frame lasts
		 * one tick, which also gives the last frame its length in the file. */
		if (c == e->venc)
			e->pkt->duration = 1;
		av_packet_rescale_ts(e->pkt, c->time_base, st->time_base);
		e->pkt->stream_index = st->index;
		/* Takes the packet's reference, failed or not. */
		ret = av_interleaved_write_frame(e->fmt, e->pkt);
		if (ret < 0 || e->fmt->pb->error < 0)
			return write_fail(e, ret);
	}
}

int media_encoder_write_video(media_encoder *e, const media_image *img)
{
	BJ_ASSERT(e && img && !e->finished);
	if (e->failed)
		return stopped(e);
	if (img->width != e->opts.width || img->height != e->opts.height)
		return bj_error_set(BJ_EINVAL, "'%s': frame is %dx%d, the film is %dx%d", e->path,
		                    img->width, img->height, e->opts.width, e->opts.height);
	if (img->channels != 1 && img->channels != 3)
		return bj_error_set(BJ_EINVAL, "'%s': frame has %d channels, not 1 or 3", e->path,
		                    img->channels);
	BJ_ASSERT(img->data && img->stride >= (size_t)img->width * (size_t)img->channels);

	/* Normally a no-op: encoders copy or release the frame before send returns. */
	int ret = av_frame_make_writable(e->vframe);
	if (ret < 0)
		return stop(e, av_fail(e, "cannot encode video", ret));
	/* Full-range RGB or grey in, limited-range BT.709 out, as the stream is tagged. */
	media_rgb_to_yuv420p(img, e->vframe->data, e->vframe->linesize);
	e->vframe->pts = e->frames++;
	return stop(e, encode(e, e->venc, e->vst, e->vframe, "cannot encode video"));
}

/* Sends the buffered audio frame; a short last one is padded with silence. */
static int send_audio(media_encoder *e)
{
	AVFrame *f = e->aframe;
	int full = e->aenc->frame_size;
	for (int ch = 0; ch < e->opts.audio_channels; ch++)
		memset((float *)f->data[ch] + e->afill, 0, (size_t)(full - e->afill) * sizeof(float));
	/* The encoder (AV_CODEC_CAP_SMALL_LAST_FRAME) trims the last packet's
	 * duration to the samples given, so the track lasts exactly what was written. */
	f->nb_samples = e->afill;
	f->pts = e->samples;
	int ret = encode(e, e->aenc, e->ast, f, "cannot encode audio");
	f->nb_samples = full;
	e->samples += e->afill;
	e->afill = 0;
	return ret;
}

int media_encoder_write_audio(media_encoder *e, const float *samples, size_t frames)
{
	BJ_ASSERT(e && (samples || frames == 0) && !e->finished);
	if (e->failed)
		return stopped(e);
	if (!e->aenc)
		return bj_error_set(BJ_EINVAL, "'%s': the film has no audio track", e->path);
	int channels = e->opts.audio_channels, full = e->aenc->frame_size;
	while (frames > 0) {
		if (e->afill == 0) {
			int ret = av_frame_make_writable(e->aframe);
			if (ret < 0)
				return stop(e, av_fail(e, "cannot encode audio", ret));
		}
		size_t n = (size_t)(full - e->afill);
		if (n > frames)
			n = frames;
		/* Interleaved in, planar out: (frames, channels) -> (channels, frame_size). */
		for (int ch = 0; ch < channels; ch++) {
			float *dst = (float *)e->aframe->data[ch] + e->afill;
			for (size_t i = 0; i < n; i++)
				dst[i] = samples[i * (size_t)channels + (size_t)ch];
		}
		e->afill += (int)n;
		samples += n * (size_t)channels;
		frames -= n;
		if (e->afill == full) {
			int ret = send_audio(e);
			if (ret < 0)
				return stop(e, ret);
		}
	}
	return 0;
}

/* Closes the output without keeping it. */
static void discard(media_encoder *e)
{
	if (e->fmt && e->fmt->pb)
		avio_closep(&e->fmt->pb);
	bj_atomic_abort(e->atomic);
	e->atomic = NULL;
}

int media_encoder_finish(media_encoder *e)
{
	BJ_ASSERT(e && !e->finished);
	e->finished = 1;
	int ret;
	if (e->failed) {
		ret = stopped(e);
		goto fail;
	}
	if (e->frames == 0) {
		ret = bj_error_set(BJ_EINVAL, "'%s': no video frames to write", e->path);
		goto fail;
	}
	if (e->aenc) {
		if (e->afill > 0 && (ret = send_audio(e)) < 0)
			goto fail;
		if ((ret = encode(e, e->aenc, e->ast, NULL, "cannot encode audio")) < 0)
			goto fail;
	}
	if ((ret = encode(e, e->venc, e->vst, NULL, "cannot encode video")) < 0)
		goto fail;
	ret = av_write_trailer(e->fmt);
	if (ret < 0 || e->fmt->pb->error < 0) {
		ret = write_fail(e, ret);
		goto fail;
	}
	/* avio_close() drops the result of its last flush; flush first to see it. */
	avio_flush(e->fmt->pb);
	if (e->fmt->pb->error < 0) {
		ret = write_fail(e, e->fmt->pb->error);
		goto fail;
	}
	if ((ret = avio_closep(&e->fmt->pb)) < 0) {
		ret = av_fail(e, "cannot write", ret);
		goto fail;
	}
	ret = bj_atomic_commit(e->atomic);
	e->atomic = NULL;
	return ret;

fail:
	e->failed = 1;
	discard(e);
	return ret;
}

void media_encoder_close(media_encoder *e)
{
	if (!e)
		return;
	discard(e);
	avcodec_free_context(&e->venc);
	avcodec_free_context(&e->aenc);
	av_frame_free(&e->vframe);
	av_frame_free(&e->aframe);
	av_packet_free(&e->pkt);
	avformat_free_context(e->fmt);
	free(e->url);
	free(e->path);
	free(e);
}
