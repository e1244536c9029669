/*
 * picture.h - putting pictures into the film's frame: letterbox/pillarbox
 * geometry, the Ken Burns pan and zoom over a still, and compositing overlays.
 *
 *     film_rect r = film_fit(720, 576, 16, 15, 1280, 720);   // PAL 4:3 in 16:9
 *     // r = { 160, 0, 960, 720 }: pillarboxed
 *     film_pan(still, &(film_view){ 1.1, 0.5, 0.4 }, frame);  // fills frame
 *     film_overlay_draw(&label, frame);                        // alpha-composited
 *
 * Pictures are RGB media_images.  Overlays are cairo's ARGB32 (premultiplied
 * alpha, native-endian 32-bit pixels), drawn once and composited on every frame.
 */
#pragma once

#include <stdint.h>

#include "film/timeline.h"
#include "media/image.h"

typedef struct film_rect {
	int x, y, w, h;
} film_rect;

/* Where a src_w x src_h picture with sample aspect sar_num:sar_den (0:0 = square)
 * goes in a dst_w x dst_h frame: as large as it fits with its display aspect,
 * centred; a border of 2 pixels or less is not kept (the picture is stretched
 * by that much instead). */
film_rect film_fit(int src_w, int src_h, int sar_num, int sar_den, int dst_w, int dst_h);

/* Fills img with black. */
void film_clear(media_image *img);

/* Copies src (r.w x r.h, RGB) into dst at (r.x, r.y) after clearing dst. */
void film_place(const media_image *src, film_rect r, media_image *dst);

/* Draws the window of still seen by view (the largest window of dst's aspect
 * inside still, shrunk by view->zoom around its centre, kept inside the image)
 * over all of dst, bilinearly interpolated. */
void film_pan(const media_image *still, const film_view *view, media_image *dst);

/* The view at fraction p (0..1) of a clip from `from` to `to`, eased (smoothstep)
 * so the move starts and stops gently. */
film_view film_view_at(const film_view *from, const film_view *to, double p);

/* Multiplies every pixel by f (0..1): fades to black. */
void film_fade(media_image *img, double f);

typedef struct film_overlay {
	int x, y;           /* top-left corner in the frame */
	int w, h;
	uint32_t *argb;     /* (h, w) cairo ARGB32, premultiplied */
} film_overlay;

/* Composites o over img (parts outside img are cut off). */
void film_overlay_draw(const film_overlay *o, media_image *img);

/* Frees the pixels and zeroes o; safe on a zeroed struct. */
void film_overlay_release(film_overlay *o);
