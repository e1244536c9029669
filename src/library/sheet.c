#include "library/sheet.h"

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "media/image.h"
#include "media/imagefile.h"
#include "library/draw.h"

#define CELL_W 320
#define GAP 8
#define TITLE_H 36

void library_draw_text(cairo_t *cr, const char *font, const char *s, double x, double y, double r, double g, double b)
{
	PangoLayout *layout = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(layout, fd);
	pango_layout_set_text(layout, s, -1);
	cairo_set_source_rgb(cr, r, g, b);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, layout);
	pango_font_description_free(fd);
	g_object_unref(layout);
}

static void clock_text(char *buf, size_t size, double t)
{
	int m = (int)(t / 60);
	snprintf(buf, size, "%d:%05.2f", m, t - 60.0 * m);
}

void library_draw_image(cairo_t *cr, const media_image *img, double x, double y, int w, int h)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, img->width, img->height);
	unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	cairo_surface_flush(s);
	for (int yy = 0; yy < img->height; yy++) {
		const uint8_t *p = img->data + (size_t)yy * img->stride;
		uint32_t *o = (uint32_t *)(void *)(d + (size_t)yy * stride);
		for (int xx = 0; xx < img->width; xx++)
			o[xx] = (uint32_t)p[3 * xx] << 16 | (uint32_t)p[3 * xx + 1] << 8 | p[3 * xx + 2];
	}
	cairo_surface_mark_dirty(s);
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, (double)w / img->width, (double)h / img->height);
	cairo_set_source_surface(cr, s, 0, 0);
	cairo_paint(cr);
	cairo_restore(cr);
	cairo_surface_destroy(s);
}

int library_sheet_save(library *lib, int64_t film_id, const char *path, int columns)
{
	if (columns < 1 || columns > 16)
		return bj_error_set(BJ_EINVAL, "a contact sheet has 1 to 16 columns, not %d", columns);
	library_film film;
	char idbuf[32];
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)film_id);
	int ret = library_film_find(lib, idbuf, &film);
	if (ret < 0)
		return ret;
	library_shot *shots = NULL;
	size_t n = 0;
	cairo_surface_t *surf = NULL;
	cairo_t *cr = NULL;
	if ((ret = library_shots(lib, film_id, &shots, &n)) < 0)
		goto done;
	int cell_h = film.width > 0 ? (int)((double)CELL_W * film.height / film.width + 0.5) : 180;
	if (cell_h < 16)
		cell_h = 16;
	if (cell_h > 4 * CELL_W)
		cell_h = 4 * CELL_W;
	int cols = n < (size_t)columns ? (n ? (int)n : 1) : columns;
	int rows = n ? (int)((n + (size_t)cols - 1) / (size_t)cols) : 1;
	int W = GAP + cols * (CELL_W + GAP), H = TITLE_H + GAP + rows * (cell_h + GAP);
	if (H > MEDIA_IMAGE_MAX_SIDE) {
		ret = bj_error_set(BJ_EUNSUPPORTED, "'%s': %zu shots make a sheet too tall; use more columns",
		                   film.path, n);
		goto done;
	}
	surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
	cr = cairo_create(surf);
	cairo_set_source_rgb(cr, 0.08, 0.08, 0.08);
	cairo_paint(cr);
	const char *name = strrchr(film.path, '/');
	name = name ? name + 1 : film.path;
	char title[1024], dur[32];
	clock_text(dur, sizeof(dur), film.duration);
	snprintf(title, sizeof(title), "%s  -  %zu shots, %s, %dx%d, %.3g fps", name, n, dur, film.width,
	         film.height, film.fps);
	library_draw_text(cr, "Sans Bold 14", title, GAP, 8, 0.95, 0.95, 0.95);
	for (size_t i = 0; i < n; i++) {
		int c = (int)(i % (size_t)cols), r = (int)(i / (size_t)cols);
		double x = GAP + c * (CELL_W + GAP), y = TITLE_H + GAP + r * (cell_h + GAP);
		uint8_t *jpeg;
		size_t size;
		if (library_shot_thumbnail(lib, shots[i].id, &jpeg, &size) == 0) {
			media_image *img = media_image_decode(jpeg, size, "thumbnail", 3);
			free(jpeg);
			if (img) {
				library_draw_image(cr, img, x, y, CELL_W, cell_h);
				media_image_free(img);
			}
		}
		/* a band at the bottom of the cell for the label */
		cairo_set_source_rgba(cr, 0, 0, 0, 0.6);
		cairo_rectangle(cr, x, y + cell_h - 24, CELL_W, 24);
		cairo_fill(cr);
		char label[128], t0[32];
		clock_text(t0, sizeof(t0), shots[i].start);
		snprintf(label, sizeof(label), "#%d  %s  (%.1f s)%s", shots[i].number, t0,
		         shots[i].end - shots[i].start, strcmp(shots[i].transition_in, "gradual") == 0 ? "  gradual in" : "");
		library_draw_text(cr, "Sans Bold 11", label, x + 6, y + cell_h - 22, 1, 1, 0.85);
	}
	ret = library_draw_save(surf, path);
done:
	if (cr)
		cairo_destroy(cr);
	if (surf)
		cairo_surface_destroy(surf);
	free(shots);
	library_film_release(&film);
	return ret;
}

int library_draw_save(cairo_surface_t *surf, const char *path)
{
	cairo_surface_flush(surf);
	int W = cairo_image_surface_get_width(surf), H = cairo_image_surface_get_height(surf);
	media_image *out = media_image_new(W, H, 3);
	if (!out)
		return bj_error_code();
	const unsigned char *d = cairo_image_surface_get_data(surf);
	int stride = cairo_image_surface_get_stride(surf);
	for (int y = 0; y < H; y++) {
		const uint32_t *p = (const uint32_t *)(const void *)(d + (size_t)y * stride);
		uint8_t *o = out->data + (size_t)y * out->stride;
		for (int x = 0; x < W; x++) {
			o[3 * x] = (uint8_t)(p[x] >> 16);
			o[3 * x + 1] = (uint8_t)(p[x] >> 8);
			o[3 * x + 2] = (uint8_t)p[x];
		}
	}
	int ret = media_image_save(out, path, 88);
	media_image_free(out);
	return ret;
}
