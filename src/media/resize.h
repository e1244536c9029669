/*
 * resize.h - resize images with a real filter, and convert grey <-> RGB.
 *
 *     media_image *small = media_image_resize(img, 320, 180);   // Lanczos-3
 *     media_image *grey = media_image_convert(img, 1);         // BT.601 luma
 *
 * Resizing goes through libswscale with its Lanczos filter (antialiased when
 * shrinking) in bit-exact mode, so results are the same on every CPU.  Both
 * return new images (free with media_image_free) or NULL with the error set.
 */
#pragma once

#include "media/image.h"

/* A new image of width x height (each 1..MEDIA_IMAGE_MAX_SIDE). */
media_image *media_image_resize(const media_image *img, int width, int height);

/* A new copy with 1 or 3 channels.  Grey = (299 R + 587 G + 114 B) / 1000,
 * rounded (ITU-R BT.601). */
media_image *media_image_convert(const media_image *img, int channels);
