/*
 * image.h - 8-bit images, grey or RGB: the pixel buffer every layer passes around.
 *
 *     media_image *img = media_image_new(640, 480, 3);
 *     if (!img)
 *         return bj_error_code();
 *     img->data[y * img->stride + x * 3 + 1] = 255;            // green
 *     media_image_free(img);
 *
 * Files are in media/imagefile.h (PNG, JPEG), resizing and conversion in
 * media/resize.h.
 *
 * Pixels are row-major, interleaved (RGBRGB...), rows `stride` bytes apart.
 * An image owns its pixels unless it is a view (media_image_view), which never
 * frees them.  Sizes from files are checked against MEDIA_IMAGE_MAX_SIDE and for
 * overflow before anything is allocated.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define MEDIA_IMAGE_MAX_SIDE 32768

typedef struct media_image {
	int width, height;
	int channels;   /* 1 (grey) or 3 (RGB) */
	size_t stride;  /* bytes from one row to the next, >= width * channels */
	uint8_t *data;  /* (height, stride) */
	int owns_data;  /* 0 for a view */
} media_image;

/* A new zeroed image with stride = width * channels.  NULL with BJ_EINVAL set
 * when a side is not in 1..MEDIA_IMAGE_MAX_SIDE or channels is not 1 or 3, or
 * BJ_ENOMEM.  Free with media_image_free(). */
media_image *media_image_new(int width, int height, int channels);

/* A view of pixels the caller owns (not freed by media_image_free). */
media_image media_image_view(uint8_t *data, int width, int height, int channels, size_t stride);

/* Frees an image from _new/_load/_resize/_convert; NULL-safe. */
void media_image_free(media_image *img);

/* Adler-32 of the pixels row by row (padding excluded), for golden checksums. */
uint32_t media_image_adler32(const media_image *img);
