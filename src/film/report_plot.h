/*
 * report_plot.h - the report's charts, drawn with cairo and pango as PNG
 * images: line charts (learning curves) and horizontal bar charts (the time
 * each stage of `benjamin make` took).
 *
 *     double x[] = { 100, 200, 300 }, y[] = { 3.1, 2.6, 2.4 };
 *     film_plot_series s = { "training", x, y, 3, 0x3b6ea5 };
 *     size_t size;
 *     uint8_t *png = film_plot_lines("writer", "step", "bits/char", &s, 1, 560, 260, &size);
 *     ... free(png);
 *
 * Sizes are in CSS pixels; the PNG is drawn at twice that for sharp text on
 * high-density screens (the report sets the display size).  Axes are scaled
 * to the data with round tick values.  NaN points are skipped.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct film_plot_series {
	const char *label;   /* in the legend */
	const double *x, *y; /* (n) */
	size_t n;
	uint32_t rgb;        /* 0xRRGGBB */
	int dots;            /* 1: points as dots (sparse data such as validations) */
} film_plot_series;

/* A line chart of n_series series.  Returns a new PNG (free()) of *size bytes,
 * or NULL with the error set (BJ_ENOMEM, or BJ_EINVAL when no series has a
 * point). */
uint8_t *film_plot_lines(const char *title, const char *xlabel, const char *ylabel,
                         const film_plot_series *s, int n_series, int width, int height,
                         size_t *size);

/* A horizontal bar per label with its value and unit written at its end;
 * values < 0 are drawn as "not run".  Returns a new PNG (free()) or NULL with
 * the error set. */
uint8_t *film_plot_bars(const char *title, const char *const *labels, const double *values,
                        size_t n, const char *unit, int width, size_t *size);
