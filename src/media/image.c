#include "media/image.h"

#include <stdlib.h>

#include "base/alloc.h"
#include "base/error.h"

media_image *media_image_new(int width, int height, int channels)
{
	if (width < 1 || height < 1 || width > MEDIA_IMAGE_MAX_SIDE || height > MEDIA_IMAGE_MAX_SIDE) {
		bj_error_set(BJ_EINVAL, "image size %dx%d is out of range (1..%d)", width, height,
		             MEDIA_IMAGE_MAX_SIDE);
		return NULL;
	}
	if (channels != 1 && channels != 3) {
		bj_error_set(BJ_EINVAL, "images have 1 or 3 channels, not %d", channels);
		return NULL;
	}
	media_image *img = bj_xcalloc(1, sizeof(*img));
	img->width = width;
	img->height = height;
	img->channels = channels;
	img->stride = (size_t)width * (size_t)channels;
	img->data = bj_try_calloc(img->stride, (size_t)height);
	if (!img->data) {
		free(img);
		return NULL;
	}
	img->owns_data = 1;
	return img;
}

media_image media_image_view(uint8_t *data, int width, int height, int channels, size_t stride)
{
	BJ_ASSERT(channels == 1 || channels == 3);
	BJ_ASSERT(stride >= (size_t)width * (size_t)channels);
	return (media_image){ width, height, channels, stride, data, 0 };
}

void media_image_free(media_image *img)
{
	if (!img)
		return;
	if (img->owns_data)
		free(img->data);
	free(img);
}

uint32_t media_image_adler32(const media_image *img)
{
	/* RFC 1950 section 8.2; 5552 is the largest run before the sums can overflow. */
	uint32_t a = 1, b = 0;
	size_t row_bytes = (size_t)img->width * (size_t)img->channels;
	for (int y = 0; y < img->height; y++) {
		const uint8_t *p = img->data + (size_t)y * img->stride;
		size_t left = row_bytes;
		while (left) {
			size_t run = left < 5552 ? left : 5552;
			left -= run;
			while (run--) {
				a += *p++;
				b += a;
			}
			a %= 65521;
			b %= 65521;
		}
	}
	return (b << 16) | a;
}
