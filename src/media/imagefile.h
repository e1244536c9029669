/*
 * imagefile.h - load and save PNG and JPEG images (libpng, libjpeg-turbo).
 *
 *     media_image *img = media_image_load("still.jpg", 3);     // force RGB
 *     if (!img)
 *         return bj_error_code();                             // "'still.jpg': ..."
 *     int ret = media_image_save(img, "still.png", 0);         // atomic write
 *     media_image_free(img);
 *
 * The format is told by content when loading and by extension when saving.
 * Sizes in a file are checked against MEDIA_IMAGE_MAX_SIDE before anything is
 * allocated; a damaged file gives an error, never a crash or a half image.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "media/image.h"

/* Largest image file read (bytes). */
#define MEDIA_IMAGE_MAX_FILE ((size_t)1 << 30)

/* Loads a PNG or JPEG.  channels: 0 keeps the file's (grey stays grey, anything
 * else becomes RGB; alpha is composited onto black), 1 or 3 converts.  NULL with
 * the error set: "'<path>': not a PNG or JPEG image", "'<path>': corrupt JPEG
 * data: ...".  Free with media_image_free(). */
media_image *media_image_load(const char *path, int channels);

/* As media_image_load, from bytes in memory; name is used in messages. */
media_image *media_image_decode(const uint8_t *data, size_t size, const char *name, int channels);

/* Saves as PNG or JPEG by the path's extension (.png, .jpg, .jpeg, any case),
 * atomically.  quality: JPEG quality 1..100, 0 for the default (90); ignored for
 * PNG.  Returns 0 or a negative code with the error set. */
int media_image_save(const media_image *img, const char *path, int quality);

/* Encodes as JPEG into a new buffer (free()) of *size bytes, for thumbnails kept
 * in a database.  NULL with the error set. */
uint8_t *media_image_encode_jpeg(const media_image *img, int quality, size_t *size);

/* Encodes as PNG into a new buffer (free()) of *size bytes. */
uint8_t *media_image_encode_png(const media_image *img, size_t *size);
