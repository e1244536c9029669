#include "media/resize.h"

#include <libswscale/swscale.h>

#include "base/error.h"

media_image *media_image_resize(const media_image *img, int width, int height)
{
	if (width < 1 || height < 1 || width > MEDIA_IMAGE_MAX_SIDE || height > MEDIA_IMAGE_MAX_SIDE) {
		bj_error_set(BJ_EINVAL, "cannot resize to %dx%d", width, height);
		return NULL;
	}
	enum AVPixelFormat fmt = img->channels == 1 ? AV_PIX_FMT_GRAY8 : AV_PIX_FMT_RGB24;
	/* Bit-exact, accurately rounded Lanczos: the same bytes on every CPU. */
	struct SwsContext *sws = sws_getContext(img->width, img->height, fmt, width, height, fmt,
	                                        SWS_LANCZOS | SWS_ACCURATE_RND | SWS_BITEXACT |
	                                        SWS_FULL_CHR_H_INT | SWS_FULL_CHR_H_INP,
	                                        NULL, NULL, NULL);
	if (!sws) {
		bj_error_set(BJ_EUNSUPPORTED, "cannot resize %dx%d to %dx%d", img->width, img->height,
		             width, height);
		return NULL;
	}
	media_image *out = media_image_new(width, height, img->channels);
	if (out) {
		const uint8_t *src[4] = { img->data };
		int src_stride[4] = { (int)img->stride };
		uint8_t *dst[4] = { out->data };
		int dst_stride[4] = { (int)out->stride };
		sws_scale(sws, src, src_stride, 0, img->height, dst, dst_stride);
	}
	sws_freeContext(sws);
	return out;
}

media_image *media_image_convert(const media_image *img, int channels)
{
	BJ_ASSERT(channels == 1 || channels == 3);
	media_image *out = media_image_new(img->width, img->height, channels);
	if (!out)
		return NULL;
	for (int y = 0; y < img->height; y++) {
		const uint8_t *s = img->data + (size_t)y * img->stride;
		uint8_t *d = out->data + (size_t)y * out->stride;
		for (int x = 0; x < img->width; x++) {
			if (img->channels == channels) {
				for (int c = 0; c < channels; c++)
					d[x * channels + c] = s[x * channels + c];
			} else if (channels == 1) {
				const uint8_t *p = s + 3 * x;
				d[x] = (uint8_t)((299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000);
			} else {
				d[3 * x] = d[3 * x + 1] = d[3 * x + 2] = s[x];
			}
		}
	}
	return out;
}
