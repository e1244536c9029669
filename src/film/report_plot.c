/*
 * report_plot.c - line and bar charts as PNG (see report_plot.h).
 */
#include "film/report_plot.h"

#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

#define SCALE 2.0   /* device pixels per CSS pixel */
#define FONT "DejaVu Sans"
#define INK 0.18, 0.19, 0.21
#define MUTED 0.45, 0.47, 0.50
#define GRID 0.88, 0.89, 0.91

struct png_buf {
	uint8_t *data;
	size_t len, cap;
};

static cairo_status_t png_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct png_buf *b = closure;
	BJ_GROW(b->data, b->cap, b->len + len);
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return CAIRO_STATUS_SUCCESS;
}

static uint8_t *finish(cairo_surface_t *surface, cairo_t *cr, size_t *size)
{
	struct png_buf b = { 0 };
	cairo_surface_flush(surface);
	cairo_status_t st = cairo_status(cr);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_write_to_png_stream(surface, png_write, &b);
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		free(b.data);
		bj_error_set(BJ_ENOMEM, "cannot draw a chart: %s", cairo_status_to_string(st));
		return NULL;
	}
	*size = b.len;
	return b.data;
}

static cairo_t *canvas(int width, int height, cairo_surface_t **surface)
{
	*surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(width * SCALE),
	                                      (int)(height * SCALE));
	cairo_t *cr = cairo_create(*surface);
	cairo_scale(cr, SCALE, SCALE);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	return cr;
}

/* Draws text at (x, y); align 0 left, 1 centre, 2 right of x; y is the top.
 * Returns the text's width. */
static double text(cairo_t *cr, const char *s, double x, double y, double pt, int bold, int align)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, FONT);
	pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_text(l, s, -1);
	int w, h;
	pango_layout_get_pixel_size(l, &w, &h);
	cairo_move_to(cr, align == 0 ? x : align == 1 ? x - w / 2.0 : x - w, y);
	pango_cairo_show_layout(cr, l);
	pango_font_description_free(fd);
	g_object_unref(l);
	return w;
}

static void rgb(cairo_t *cr, uint32_t c)
{
	cairo_set_source_rgb(cr, ((c >> 16) & 255) / 255.0, ((c >> 8) & 255) / 255.0,
	                     (c & 255) / 255.0);
}

/* A round step giving about n ticks over span: 1, 2 or 5 times a power of ten. */
static double tick_step(double span, int n)
{
	double raw = span / n, p = pow(10, floor(log10(raw))), f = raw / p;
	return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

static void format_tick(char *buf, size_t size, double v, double step)
{
	int decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
	if (fabs(v) >= 10000 && step >= 1000)
		snprintf(buf, size, "%gk", v / 1000);
	else
		snprintf(buf, size, "%.*f", decimals, v);
}

uint8_t *film_plot_lines(const char *title, const char *xlabel, const char *ylabel,
                         const film_plot_series *s, int n_series, int width, int height,
                         size_t *size)
{
	double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
	for (int k = 0; k < n_series; k++)
		for (size_t i = 0; i < s[k].n; i++)
			if (isfinite(s[k].x[i]) && isfinite(s[k].y[i])) {
				x0 = fmin(x0, s[k].x[i]);
				x1 = fmax(x1, s[k].x[i]);
				y0 = fmin(y0, s[k].y[i]);
				y1 = fmax(y1, s[k].y[i]);
			}
	if (!(x0 <= x1)) {
		bj_error_set(BJ_EINVAL, "a chart without points");
		return NULL;
	}
	if (x1 - x0 < 1e-9)
		x1 = x0 + 1;
	if (y1 - y0 < 1e-9) {
		y0 -= 0.5;
		y1 += 0.5;
	}
	double ys = tick_step(y1 - y0, 4), xs = tick_step(x1 - x0, 5);
	y0 = floor(y0 / ys) * ys;
	y1 = ceil(y1 / ys) * ys;
	cairo_surface_t *surface;
	cairo_t *cr = canvas(width, height, &surface);
	double left = 52, right = width - 16, top = 40, bottom = height - 40;
	cairo_set_source_rgb(cr, INK);
	text(cr, title, left, 10, 13, 1, 0);
	/* the legend, right-aligned on the title's line */
	double lx = right;
	for (int k = n_series - 1; k >= 0; k--) {
		cairo_set_source_rgb(cr, MUTED);
		lx -= text(cr, s[k].label, lx, 12, 11, 0, 2) + 6;
		rgb(cr, s[k].rgb);
		cairo_rectangle(cr, lx - 12, 18, 12, 3);
		cairo_fill(cr);
		lx -= 26;
	}
	char buf[32];
	cairo_set_line_width(cr, 1);
	for (double v = y0; v <= y1 + ys * 1e-6; v += ys) {
		double y = bottom - (v - y0) / (y1 - y0) * (bottom - top);
		cairo_set_source_rgb(cr, GRID);
		cairo_move_to(cr, left, floor(y) + 0.5);
		cairo_line_to(cr, right, floor(y) + 0.5);
		cairo_stroke(cr);
		format_tick(buf, sizeof buf, v, ys);
		cairo_set_source_rgb(cr, MUTED);
		text(cr, buf, left - 6, y - 7, 10, 0, 2);
	}
	for (double v = ceil(x0 / xs) * xs; v <= x1 + xs * 1e-6; v += xs) {
		double x = left + (v - x0) / (x1 - x0) * (right - left);
		format_tick(buf, sizeof buf, v, xs);
		cairo_set_source_rgb(cr, MUTED);
		text(cr, buf, x, bottom + 5, 10, 0, 1);
	}
	text(cr, xlabel, (left + right) / 2, height - 17, 10, 0, 1);
	cairo_save(cr);
	cairo_translate(cr, 6, (top + bottom) / 2);
	cairo_rotate(cr, -M_PI / 2);
	text(cr, ylabel, 0, 0, 10, 0, 1);
	cairo_restore(cr);
	cairo_rectangle(cr, left - 4, top - 4, right - left + 8, bottom - top + 8);  /* dots at the edges whole */
	cairo_clip(cr);
	for (int k = 0; k < n_series; k++) {
		rgb(cr, s[k].rgb);
		cairo_set_line_width(cr, 1.6);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		int pen = 0;
		for (size_t i = 0; i < s[k].n; i++) {
			if (!isfinite(s[k].x[i]) || !isfinite(s[k].y[i]))
				continue;
			double x = left + (s[k].x[i] - x0) / (x1 - x0) * (right - left);
			double y = bottom - (s[k].y[i] - y0) / (y1 - y0) * (bottom - top);
			if (s[k].dots) {
				cairo_new_sub_path(cr);
				cairo_arc(cr, x, y, 3, 0, 2 * M_PI);
				cairo_fill(cr);
			} else if (pen++) {
				cairo_line_to(cr, x, y);
			} else {
				cairo_move_to(cr, x, y);
			}
		}
		if (!s[k].dots)
			cairo_stroke(cr);
	}
	return finish(surface, cr, size);
}

uint8_t *film_plot_bars(const char *title, const char *const *labels, const double *values,
                        size_t n, const char *unit, int width, size_t *size)
{
	const double row = 26, top = 40;
	int height = (int)(top + row * (double)n + 14);
	double max = 0;
	for (size_t i = 0; i < n; i++)
		max = fmax(max, values[i]);
	if (max <= 0)
		max = 1;
	cairo_surface_t *surface;
	cairo_t *cr = canvas(width, height, &surface);
	cairo_set_source_rgb(cr, INK);
	text(cr, title, 16, 10, 13, 1, 0);
	double left = 96, right = width - 90;
	char buf[64];
	for (size_t i = 0; i < n; i++) {
		double y = top + row * (double)i;
		cairo_set_source_rgb(cr, INK);
		text(cr, labels[i], left - 10, y + 4, 11, 0, 2);
		if (values[i] < 0) {
			cairo_set_source_rgb(cr, MUTED);
			text(cr, "not run", left, y + 4, 11, 0, 0);
			continue;
		}
		double w = fmax(1.5, values[i] / max * (right - left));
		cairo_set_source_rgb(cr, 0.23, 0.43, 0.65);
		cairo_rectangle(cr, left, y + 3, w, row - 8);
		cairo_fill(cr);
		snprintf(buf, sizeof buf, "%.*f %s", values[i] < 10 ? 2 : 1, values[i], unit);
		cairo_set_source_rgb(cr, MUTED);
		text(cr, buf, left + w + 6, y + 4, 11, 0, 0);
	}
	return finish(surface, cr, size);
}
