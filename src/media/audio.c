#include "media/audio.h"

#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>

#include "base/alloc.h"
#include "base/error.h"
#include "media/ffmpeg.h"

/* The highest output rate media_audio_load() accepts (FFmpeg's own limit for
 * most codecs is lower). */
#define MAX_RATE 768000

void media_audio_init(media_audio *a, int rate, int channels)
{
	memset(a, 0, sizeof(*a));
	a->rate = rate;
	a->channels = channels;
}

void media_audio_release(media_audio *a)
{
	if (!a)
		return;
	free(a->samples);
	memset(a, 0, sizeof(*a));
}

void media_audio_reserve(media_audio *a, size_t frames)
{
	BJ_ASSERT(a->channels > 0);
	size_t need;
	BJ_ASSERT(bj_size_add(&need, a->frames, frames));
	if (need > a->capacity) {
		size_t cap = a->capacity;
		/* Grow in whole frames; bj_grow works in elements of one frame's size. */
		bj_grow((void **)&a->samples, &cap, need, sizeof(float) * (size_t)a->channels);
		a->capacity = cap;
	}
}

void media_audio_append(media_audio *a, const float *samples, size_t frames)
{
	media_audio_reserve(a, frames);
	memcpy(a->samples + a->frames * (size_t)a->channels, samples,
	       frames * (size_t)a->channels * sizeof(float));
	a->frames += frames;
}

double media_audio_duration(const media_audio *a)
{
	return a->rate > 0 ? (double)a->frames / a->rate : 0.0;
}

/* The state of one media_audio_load(). */
struct loader {
	const char *path;
	AVFormatContext *fmt;
	AVStream *st;
	int64_t file_size;
	AVCodecContext *dec;
	AVPacket *pkt;
	AVFrame *frame;
	SwrContext *swr;
	/* what swr was set up for */
	AVChannelLayout swr_layout;
	int swr_rate, swr_format;
	double last_time;      /* seconds, of the last packet; for messages */
	/* media_audio_load_range(): decode only frames that reach past from and
	 * stop after to (seconds from the stream's start); first is the time of the
	 * first frame kept, -1 until one is. */
	int ranged;
	double from, to, first;
	double next_time;      /* where a frame without a timestamp starts */
	media_audio_sink sink; /* media_audio_stream(): takes the samples as they come */
	void *sink_ctx;
};

/* Hands what a holds to the sink, if there is one, and empties a. */
static int flush_to_sink(struct loader *l, media_audio *a)
{
	if (!l->sink || a->frames == 0)
		return 0;
	int ret = l->sink(l->sink_ctx, a->samples, a->frames);
	a->frames = 0;
	return ret < 0 ? ret : 0;
}

/* Runs the resampler on f (NULL to drain what it holds) and appends its output
 * to a.  The buffer is grown to swr_get_out_samples(), the most one call can
 * give, and written directly: nothing is allocated per frame. */
static int resample(struct loader *l, const AVFrame *f, media_audio *a)
{
	int in = f ? f->nb_samples : 0;
	const uint8_t **src = f ? (const uint8_t **)f->extended_data : NULL;
	for (;;) {
		int room = swr_get_out_samples(l->swr, in);
		if (room < 0)
			return media_ffmpeg_error(room, "'%s': cannot resample", l->path);
		if (room == 0)
			return 0;
		media_audio_reserve(a, (size_t)room);
		uint8_t *out = (uint8_t *)(a->samples + a->frames * (size_t)a->channels);
		int got = swr_convert(l->swr, &out, room, src, in);
		if (got < 0)
			return media_ffmpeg_error(got, "'%s': cannot resample", l->path);
		a->frames += (size_t)got;
		/* With the room it asked for, one call takes all the input; draining
		 * goes on until the resampler's delay line is empty. */
		if (f || got == 0)
			return 0;
	}
}

/* Sets up the resampler for frames like f, draining the old one first when the
 * stream changes format, rate or layout mid-way. */
static int setup_resampler(struct loader *l, const AVFrame *f, media_audio *a)
{
	AVChannelLayout in = { 0 };
	int ret = 0;
	if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || f->ch_layout.nb_channels <= 0)
		av_channel_layout_default(&in, f->ch_layout.nb_channels > 0 ? f->ch_layout.nb_channels
		                                                            : l->dec->ch_layout.nb_channels);
	else if ((ret = av_channel_layout_copy(&in, &f->ch_layout)) < 0)
		return media_ffmpeg_error(ret, "'%s': cannot resample", l->path);
	if (l->swr && f->format == l->swr_format && f->sample_rate == l->swr_rate &&
	    !av_channel_layout_compare(&in, &l->swr_layout)) {
		av_channel_layout_uninit(&in);
		return 0;
	}
	if (l->swr && (ret = resample(l, NULL, a)) < 0)
		goto out;
	swr_free(&l->swr);
	av_channel_layout_uninit(&l->swr_layout);
	if (in.nb_channels <= 0 || f->sample_rate <= 0) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': audio with %d channels at %d Hz", l->path,
		                   in.nb_channels, f->sample_rate);
		goto out;
	}
	AVChannelLayout out_layout = { 0 };
	av_channel_layout_default(&out_layout, a->channels);
	ret = swr_alloc_set_opts2(&l->swr, &out_layout, AV_SAMPLE_FMT_FLT, a->rate, &in,
	                          f->format, f->sample_rate, 0, NULL);
	av_channel_layout_uninit(&out_layout);
	if (ret >= 0)
		ret = swr_init(l->swr);
	if (ret < 0) {
		ret = media_ffmpeg_error(ret, "'%s': cannot resample %d channels at %d Hz", l->path,
		                         in.nb_channels, f->sample_rate);
		goto out;
	}
	l->swr_layout = in;
	in = (AVChannelLayout){ 0 };
	l->swr_rate = f->sample_rate;
	l->swr_format = f->format;
out:
	av_channel_layout_uninit(&in);
	return ret;
}

/* Takes every frame the decoder has ready.  Returns 0 when it wants more input,
 * 1 at its end, or a negative code. */
static int receive_frames(struct loader *l, media_audio *a)
{
	for (;;) {
		int ret = avcodec_receive_frame(l->dec, l->frame);
		if (ret == AVERROR(EAGAIN))
			return 0;
		if (ret == AVERROR_EOF)
			return 1;
		if (ret < 0)
			return media_ffmpeg_error(ret, "'%s': corrupt data at %.2f s", l->path, l->last_time);
		if (l->ranged) {
			int64_t start = l->st->start_time != AV_NOPTS_VALUE ? l->st->start_time : 0;
			int64_t ts = l->frame->best_effort_timestamp;
			double t = ts != AV_NOPTS_VALUE ? (double)(ts - start) * av_q2d(l->st->time_base)
			                                : l->next_time;
			double len = l->frame->sample_rate > 0 ? (double)l->frame->nb_samples / l->frame->sample_rate : 0;
			l->next_time = t + len;
			if (t > l->to) {
				av_frame_unref(l->frame);
				return 1;
			}
			if (t + len < l->from) {
				av_frame_unref(l->frame);
				continue;
			}
			if (l->first < 0)
				l->first = t;
		}
		ret = setup_resampler(l, l->frame, a);
		if (ret >= 0)
			ret = resample(l, l->frame, a);
		av_frame_unref(l->frame);
		if (ret < 0)
			return ret;
	}
}

/* The error for a file that ends before its index does (as in decoder.c). */
static int truncated(struct loader *l)
{
	double total = l->st->duration != AV_NOPTS_VALUE ? (double)l->st->duration * av_q2d(l->st->time_base) : 0;
	return bj_error_set(BJ_EFORMAT, "'%s': truncated: data ends at %.2f s of %.2f s", l->path,
	                    media_ffmpeg_truncated_at(l->st, l->file_size), total);
}

/* The send/receive loop over the stream's packets, then the decoder's flush
 * and the resampler's.  Damage ends it with an error, as in decoder.c. */
static int decode_all(struct loader *l, media_audio *a)
{
	AVRational tb = l->st->time_base;
	int64_t start = l->st->start_time != AV_NOPTS_VALUE ? l->st->start_time : 0;
	int ret;
	while ((ret = av_read_frame(l->fmt, l->pkt)) >= 0) {
		if (l->pkt->stream_index != l->st->index) {
			av_packet_unref(l->pkt);
			continue;
		}
		int64_t ts = l->pkt->pts != AV_NOPTS_VALUE ? l->pkt->pts : l->pkt->dts;
		if (ts != AV_NOPTS_VALUE)
			l->last_time = (double)(ts - start) * av_q2d(tb);
		if (l->pkt->flags & AV_PKT_FLAG_CORRUPT) {
			av_packet_unref(l->pkt);
			if (media_ffmpeg_truncated_at(l->st, l->file_size) >= 0)
				return truncated(l);
			return bj_error_set(BJ_EFORMAT, "'%s': corrupt data at %.2f s: incomplete packet",
			                    l->path, l->last_time);
		}
		ret = avcodec_send_packet(l->dec, l->pkt);
		av_packet_unref(l->pkt);
		if (ret < 0)
			return media_ffmpeg_error(ret, "'%s': corrupt data at %.2f s", l->path, l->last_time);
		if ((ret = receive_frames(l, a)) < 0)
			return ret;
		if (ret == 1)   /* past the end of a range (ranged loads have no sink) */
			return l->swr ? resample(l, NULL, a) : 0;
		if ((ret = flush_to_sink(l, a)) < 0)
			return ret;
	}
	if (ret != AVERROR_EOF)
		return media_ffmpeg_error(ret, "'%s': read error after %.2f s", l->path, l->last_time);
	if (media_ffmpeg_truncated_at(l->st, l->file_size) >= 0)
		return truncated(l);
	ret = avcodec_send_packet(l->dec, NULL);
	if (ret < 0)
		return media_ffmpeg_error(ret, "'%s': cannot flush the decoder", l->path);
	if ((ret = receive_frames(l, a)) < 0)
		return ret;
	if (l->swr && (ret = resample(l, NULL, a)) < 0)
		return ret;
	return flush_to_sink(l, a);
}

/* Seconds decoded before a range's start, so that a codec whose frames
 * overlap (AAC, MP3) has settled when the range begins. */
#define PREROLL 0.5

/* Cuts a, which starts at l->first seconds, to [l->from, l->to). */
static void trim(const struct loader *l, media_audio *a)
{
	if (l->first < 0) {
		a->frames = 0;
		return;
	}
	double skip = (l->from - l->first) * a->rate;
	size_t drop = skip > 0 ? (size_t)(skip + 0.5) : 0;
	size_t keep = (size_t)((l->to - l->from) * a->rate + 0.5);
	if (drop > a->frames)
		drop = a->frames;
	if (keep > a->frames - drop)
		keep = a->frames - drop;
	memmove(a->samples, a->samples + drop * (size_t)a->channels,
	        keep * (size_t)a->channels * sizeof(float));
	a->frames = keep;
}

static int load(const char *path, int rate, int channels, const double *range, media_audio *a,
                media_audio_sink sink, void *ctx)
{
	media_audio_init(a, rate, channels);
	if (rate < 0 || rate > MAX_RATE)
		return bj_error_set(BJ_EINVAL, "audio rate %d Hz is out of range (0..%d)", rate, MAX_RATE);
	if (channels < 0 || channels > 2)
		return bj_error_set(BJ_EINVAL, "audio channels must be 0, 1 or 2, not %d", channels);

	struct loader l = { .path = path, .sink = sink, .sink_ctx = ctx };
	const AVCodec *codec = NULL;
	int ret = media_ffmpeg_open(path, &l.fmt, &l.file_size);
	if (ret < 0)
		goto out;
	int idx = av_find_best_stream(l.fmt, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
	if (idx == AVERROR_DECODER_NOT_FOUND) {
		idx = av_find_best_stream(l.fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
		ret = bj_error_set(BJ_EUNSUPPORTED, "'%s': no decoder for audio codec '%s'", path,
		                   avcodec_get_name(l.fmt->streams[idx]->codecpar->codec_id));
		goto out;
	}
	if (idx < 0) {
		ret = bj_error_set(BJ_ENOENT, "'%s': no audio stream", path);
		goto out;
	}
	l.st = l.fmt->streams[idx];
	for (unsigned i = 0; i < l.fmt->nb_streams; i++)
		l.fmt->streams[i]->discard = (int)i == idx ? AVDISCARD_DEFAULT : AVDISCARD_ALL;

	l.dec = avcodec_alloc_context3(codec);
	l.pkt = av_packet_alloc();
	l.frame = av_frame_alloc();
	if (!l.dec || !l.pkt || !l.frame) {
		ret = bj_error_set(BJ_ENOMEM, "'%s': out of memory", path);
		goto out;
	}
	ret = avcodec_parameters_to_context(l.dec, l.st->codecpar);
	if (ret >= 0) {
		l.dec->pkt_timebase = l.st->time_base;
		ret = avcodec_open2(l.dec, codec, NULL);
	}
	if (ret < 0) {
		ret = media_ffmpeg_error(ret, "'%s': cannot open the %s decoder", path, codec->name);
		goto out;
	}
	a->rate = rate ? rate : l.dec->sample_rate;
	a->channels = channels ? channels : l.dec->ch_layout.nb_channels;
	if (a->rate <= 0 || a->rate > MAX_RATE || a->channels <= 0 || a->channels > 64) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': audio with %d channels at %d Hz", path,
		                   l.dec->ch_layout.nb_channels, l.dec->sample_rate);
		goto out;
	}
	if (range) {
		l.ranged = 1;
		l.from = range[0];
		l.to = range[1];
		l.first = -1;
		l.next_time = 0;
		int64_t start = l.st->start_time != AV_NOPTS_VALUE ? l.st->start_time : 0;
		int64_t ts = start + (int64_t)((range[0] - PREROLL) / av_q2d(l.st->time_base));
		/* A file that cannot seek is decoded from its start instead. */
		if (range[0] > PREROLL &&
		    avformat_seek_file(l.fmt, l.st->index, INT64_MIN, ts, ts, 0) >= 0) {
			avcodec_flush_buffers(l.dec);
			l.next_time = range[0] - PREROLL;
		}
	}
	ret = decode_all(&l, a);
	if (ret >= 0 && range)
		trim(&l, a);
out:
	if (ret < 0) {
		media_audio_release(a);
		media_audio_init(a, rate, channels);
	}
	swr_free(&l.swr);
	av_channel_layout_uninit(&l.swr_layout);
	av_frame_free(&l.frame);
	av_packet_free(&l.pkt);
	avcodec_free_context(&l.dec);
	avformat_close_input(&l.fmt);
	return ret < 0 ? ret : 0;
}

int media_audio_load(const char *path, int rate, int channels, media_audio *a)
{
	return load(path, rate, channels, NULL, a, NULL, NULL);
}

int media_audio_load_range(const char *path, int rate, int channels, double start,
                           double duration, media_audio *a)
{
	if (!(start >= 0) || !(duration >= 0) || start > 1e9 || duration > 1e9) {
		media_audio_init(a, rate, channels);
		return bj_error_set(BJ_EINVAL, "'%s': audio range %g s + %g s is out of range", path,
		                    start, duration);
	}
	double range[2] = { start, start + duration };
	return load(path, rate, channels, range, a, NULL, NULL);
}

int media_audio_stream(const char *path, int rate, int channels, media_audio_sink sink, void *ctx)
{
	media_audio a;
	int ret = load(path, rate, channels, NULL, &a, sink, ctx);
	media_audio_release(&a);
	return ret;
}
