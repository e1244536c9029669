/*
 * image.h - 8-bit images (grey or RGB): load/save PNG and JPEG, resize, convert.
 *
 *     media_image *img = media_image_load("still.jpg", 3);     // force RGB
 *     if (!img)
 *         return bj_error_code();
 *     media_image *small = media_image_resize(img, 320, 240);  // Lanczos
 *     int ret = media_image_save(small, "small.png", 0);       // atomic write
 *     media_image_free(small);
 *     media_image_free(img);
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

/* Loads a PNG or JPEG (told apart by content, not name).  channels: 0 keeps the
 * file's (grey stays grey, anything else becomes RGB; alpha is dropped), 1 or 3
 * converts.  NULL with the error set ("'<path>': not a PNG or JPEG image", ...). */
media_image *media_image_load(const char *path, int channels);

/* Saves as PNG or JPEG by the path's extension (.png, .jpg, .jpeg), atomically.
 * quality: JPEG quality 1..100, 0 for the default (90); ignored for PNG. */
int media_image_save(const media_image *img, const char *path, int quality);

/* Encodes as JPEG into a new buffer (free()) of *size bytes, for thumbnails kept
 * in a database.  NULL with the error set. */
uint8_t *media_image_encode_jpeg(const media_image *img, int quality, size_t *size);

/* A new image resized to width x height with a Lanczos filter (downscaling is
 * antialiased).  NULL with the error set. */
media_image *media_image_resize(const media_image *img, int width, int height);

/* A new copy with 1 or 3 channels (grey = ITU-R BT.601 luma). */
media_image *media_image_convert(const media_image *img, int channels);

/* Adler-32 of the pixels row by row (padding excluded), for golden checksums. */
uint32_t media_image_adler32(const media_image *img);
