/*
 * resample.c - media_audio_resample over libswresample.
 */
#include "media/resample.h"

#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>

#include "base/error.h"
#include "media/ffmpeg.h"

int media_audio_resample(const media_audio *in, int rate, media_audio *out)
{
	media_audio_init(out, rate, in->channels);
	if (rate <= 0 || rate > 768000 || in->rate <= 0 || in->channels <= 0)
		return bj_error_set(BJ_EINVAL, "cannot resample %d channels at %d Hz to %d Hz",
		                    in->channels, in->rate, rate);
	if (rate == in->rate) {
		media_audio_append(out, in->samples, in->frames);
		return 0;
	}
	media_ffmpeg_init();
	SwrContext *swr = NULL;
	AVChannelLayout layout = { 0 };
	av_channel_layout_default(&layout, in->channels);
	int ret = swr_alloc_set_opts2(&swr, &layout, AV_SAMPLE_FMT_FLT, rate, &layout,
	                              AV_SAMPLE_FMT_FLT, in->rate, 0, NULL);
	if (ret >= 0)
		ret = swr_init(swr);
	if (ret < 0)
		goto fail;
	/* One call with all the input, then drain the filter's delay line (a NULL
	 * input flushes); the first output frame lines up with the first input one. */
	const uint8_t *src = (const uint8_t *)in->samples;
	int n_in = (int)in->frames;
	for (int pass = 0; pass < 64; pass++) {
		int room = swr_get_out_samples(swr, pass == 0 ? n_in : 0);
		if (room < 0) {
			ret = room;
			goto fail;
		}
		if (room == 0)
			break;
		media_audio_reserve(out, (size_t)room);
		uint8_t *dst = (uint8_t *)(out->samples + out->frames * (size_t)out->channels);
		int got = swr_convert(swr, &dst, room, pass == 0 ? &src : NULL, pass == 0 ? n_in : 0);
		if (got < 0) {
			ret = got;
			goto fail;
		}
		out->frames += (size_t)got;
		if (pass > 0 && got == 0)
			break;
	}
	swr_free(&swr);
	av_channel_layout_uninit(&layout);
	return 0;
fail:
	swr_free(&swr);
	av_channel_layout_uninit(&layout);
	media_audio_release(out);
	media_audio_init(out, rate, in->channels);
	return media_ffmpeg_error(ret, "cannot resample %d channels at %d Hz to %d Hz", in->channels,
	                          in->rate, rate);
}
