/*
 * draw.h - what the contact sheets of src/library share: text, pictures and
 * saving a cairo surface (RGB24) as JPEG or PNG, atomically.
 */
#pragma once

#include <cairo.h>

#include "media/image.h"

/* Sets s in font (a pango description, "Sans Bold 11") at (x, y), in r g b. */
void library_draw_text(cairo_t *cr, const char *font, const char *s, double x, double y, double r, double g,
                       double b);

/* Paints an RGB image at (x, y), scaled to w x h. */
void library_draw_image(cairo_t *cr, const media_image *img, double x, double y, int w, int h);

/* Writes the surface to path (.jpg or .png). */
int library_draw_save(cairo_surface_t *surf, const char *path);
