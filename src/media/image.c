#include "media/image.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

media_image *media_image_new(int width, int height, int channels)
{
	if (width < 1 || width > MEDIA_IMAGE_MAX_SIDE || height < 1 || height > MEDIA_IMAGE_MAX_SIDE) {
		bj_error_set(BJ_EINVAL, "image size %dx%d is out of range (1..%d)", width, height,
		             MEDIA_IMAGE_MAX_SIDE);
		return NULL;
	}
	if (channels != 1 && channels != 3) {
		bj_error_set(BJ_EINVAL, "image channels must be 1 or 3, not %d", channels);
		return NULL;
	}
	/* Both sides are at most 2^15, so stride * height cannot overflow size_t. */
	size_t stride = (size_t)width * (size_t)channels;
	uint8_t *data = bj_try_calloc((size_t)height, stride);
	if (!data)
		return NULL;
	media_image *img = bj_xmalloc(sizeof(*img));
	*img = media_image_view(data, width, height, channels, stride);
	img->owns_data = 1;
	return img;
}

media_image media_image_view(uint8_t *data, int width, int height, int channels, size_t stride)
{
	BJ_ASSERT(channels == 1 || channels == 3);
	BJ_ASSERT(stride >= (size_t)width * (size_t)channels);
	return (media_image){
		.width = width,
		.height = height,
		.channels = channels,
		.stride = stride,
		.data = data,
		.owns_data = 0,
	};
}

void media_image_free(media_image *img)
{
	if (!img)
		return;
	if (img->owns_data)
		free(img->data);
	free(img);
}

/* Adler-32 as in RFC 1950 section 8.2 (zlib's adler32()): two sums modulo 65521,
 * reduced every 5552 bytes, the most that cannot overflow 32 bits. */
uint32_t media_image_adler32(const media_image *img)
{
	enum { MOD = 65521, NMAX = 5552 };
	uint32_t a = 1, b = 0;
	size_t row = (size_t)img->width * (size_t)img->channels;
	for (int y = 0; y < img->height; y++) {
		const uint8_t *p = img->data + (size_t)y * img->stride;
		size_t left = row;
		while (left > 0) {
			size_t n = left < NMAX ? left : NMAX;
			left -= n;
			while (n--) {
				a += *p++;
				b += a;
			}
			a %= MOD;
			b %= MOD;
		}
	}
	return (b << 16) | a;
}
