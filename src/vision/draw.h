/*
 * draw.h - show what the detector saw: boxes drawn on pictures, and pictures
 * tiled into a contact sheet.
 *
 *     vision_draw_boxes(img, faces, n, 2);                 // green, 2 pixels
 *     media_image *sheet = vision_sheet(tiles, n_tiles, 4);  // 4 a row
 *
 *     vision_draw_points(img, landmarks, 68, 1);          // red 3 x 3 dots
 *
 * Drawing changes the image in place and clips at its edges; it works on RGB
 * (green) and grey (white) images.
 */
#pragma once

#include <stddef.h>

#include "media/image.h"
#include "vision/group.h"

/* Draws the outline of each box, thickness pixels wide, inside the box. */
void vision_draw_boxes(media_image *img, const vision_box *boxes, size_t n, int thickness);

/* Draws n points (x y x y ..., pixels) as squares of side 2 radius + 1,
 * red (RGB) or white (grey); points off the image are skipped. */
void vision_draw_points(media_image *img, const float *points, size_t n, int radius);

/* Tiles n RGB images of one size into a grid of columns a row, 4 pixels of
 * dark grey between them.  A new image, or NULL with the error set (BJ_EINVAL
 * when n is 0 or the sizes differ). */
media_image *vision_sheet(const media_image *const *tiles, size_t n, int columns);
