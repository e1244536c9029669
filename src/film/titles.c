#include "film/titles.h"

#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

static void add_line(film_credits *c, size_t *cap, const char *s)
{
	BJ_GROW(c->lines, *cap, c->n + 1);
	c->lines[c->n++] = bj_xstrdup(s);
}

static int seen(char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

void film_credits_default(const film_timeline *t, film_credits *c)
{
	size_t cap = 0;
	memset(c, 0, sizeof *c);
	add_line(c, &cap, t->title);
	add_line(c, &cap, "");
	add_line(c, &cap, "written, directed, performed, scored and edited by");
	add_line(c, &cap, "benjamin");
	if (t->n_lines) {
		add_line(c, &cap, "");
		add_line(c, &cap, "Cast");
		size_t first = c->n;
		for (size_t i = 0; i < t->n_lines; i++)
			if (!seen(c->lines + first, c->n - first, t->lines[i].character))
				add_line(c, &cap, t->lines[i].character);
	}
	add_line(c, &cap, "");
	add_line(c, &cap, "Source films");
	size_t first = c->n;
	for (size_t i = 0; i < t->n_clips; i++) {
		/* "reels/nosferatu_1922.mp4" -> "nosferatu 1922" */
		const char *base = strrchr(t->clips[i].source, '/');
		char *name = bj_xstrdup(base ? base + 1 : t->clips[i].source);
		char *dot = strrchr(name, '.');
		if (dot && dot != name)
			*dot = '\0';
		for (char *p = name; *p; p++)
			if (*p == '_')
				*p = ' ';
		if (!seen(c->lines + first, c->n - first, name))
			add_line(c, &cap, name);
		free(name);
	}
	add_line(c, &cap, "");
	add_line(c, &cap, "An AI-generated film");
}

void film_credits_of(const film_timeline *t, film_credits *c)
{
	if (!t->credit_lines) {
		film_credits_default(t, c);
		return;
	}
	size_t cap = 0;
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < t->n_credit_lines; i++)
		add_line(c, &cap, t->credit_lines[i]);
}

void film_credits_release(film_credits *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->lines[i]);
	free(c->lines);
	memset(c, 0, sizeof *c);
}

/* A pango layout of text in family at px pixels, centred in width. */
static PangoLayout *layout(cairo_t *cr, const char *family, int bold, double px, const char *text,
                           int width)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, family);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, width * PANGO_SCALE);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	pango_layout_set_text(l, text, -1);
	return l;
}

/* Copies an RGB24 surface into an RGB image of the same size. */
static void surface_to_image(cairo_surface_t *s, media_image *img)
{
	cairo_surface_flush(s);
	const uint8_t *data = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < img->height; y++) {
		const uint32_t *src = (const uint32_t *)(data + (size_t)y * stride);
		uint8_t *dst = img->data + (size_t)y * img->stride;
		for (int x = 0; x < img->width; x++) {
			dst[3 * x] = (uint8_t)(src[x] >> 16);
			dst[3 * x + 1] = (uint8_t)(src[x] >> 8);
			dst[3 * x + 2] = (uint8_t)src[x];
		}
	}
}

void film_title_draw(const char *title, media_image *frame)
{
	int w = frame->width, h = frame->height;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_paint(cr);
	PangoLayout *t = layout(cr, "Courier Prime", 1, h * 0.09, title, w * 9 / 10);
	PangoLayout *by = layout(cr, "DejaVu Sans", 0, h * 0.035, "a film by benjamin", w * 9 / 10);
	int th, bh;
	pango_layout_get_pixel_size(t, NULL, &th);
	pango_layout_get_pixel_size(by, NULL, &bh);
	double top = (h - th - bh * 2.5) / 2;
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_move_to(cr, w / 20.0, top);
	pango_cairo_show_layout(cr, t);
	cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
	cairo_move_to(cr, w / 20.0, top + th + bh * 1.5);
	pango_cairo_show_layout(cr, by);
	g_object_unref(t);
	g_object_unref(by);
	cairo_destroy(cr);
	surface_to_image(s, frame);
	cairo_surface_destroy(s);
}

/* Credit lines: px high, step apart, as fractions of the frame height. */
#define CREDIT_PX 0.045
#define CREDIT_STEP (CREDIT_PX * 1.7)
#define CREDIT_CROSSING 6.0

double film_credits_seconds(const film_credits *c)
{
	/* The roll moves (its height + the frame's) in the time; a frame height
	 * every CREDIT_CROSSING seconds. */
	return CREDIT_CROSSING * (CREDIT_STEP * (double)c->n + CREDIT_PX + 1.0);
}

media_image *film_credits_roll_new(const film_credits *c, int width, int height)
{
	double px = height * CREDIT_PX, step = height * CREDIT_STEP;
	int total = (int)ceil(step * (double)c->n + px);
	if (total < height)
		total = height;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, total);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_paint(cr);
	for (size_t i = 0; i < c->n; i++) {
		if (!c->lines[i][0])
			continue;
		/* A line after a blank (or the first) is a heading: bold, grey. */
		int heading = i == 0 || !c->lines[i - 1][0];
		PangoLayout *l = layout(cr, "DejaVu Sans", heading, px * (i == 0 ? 1.4 : 1.0), c->lines[i],
		                        width * 9 / 10);
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
		pango_layout_set_height(l, 0);   /* one line: ellipsise the rest */
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		double grey = heading && i > 0 ? 0.7 : 1.0;
		cairo_set_source_rgb(cr, grey, grey, grey);
		cairo_move_to(cr, width / 20.0, step * (double)i);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
	}
	cairo_destroy(cr);
	media_image *img = media_image_new(width, total, 3);
	BJ_ASSERT(img);
	surface_to_image(s, img);
	cairo_surface_destroy(s);
	return img;
}

void film_credits_roll_draw(const media_image *roll, double p, media_image *frame)
{
	p = fmin(fmax(p, 0), 1);
	/* Row of the roll at the top of the frame: from -height to the roll's end. */
	long top = lround(-frame->height + p * (roll->height + frame->height));
	film_clear(frame);
	for (int y = 0; y < frame->height; y++) {
		long r = top + y;
		if (r < 0 || r >= roll->height)
			continue;
		memcpy(frame->data + (size_t)y * frame->stride, roll->data + (size_t)r * roll->stride,
		       (size_t)frame->width * 3);
	}
}

void film_label_new(const char *text, int width, int height, film_overlay *o)
{
	double px = fmax(height * 0.028, 9);
	cairo_surface_t *probe = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
	cairo_t *cr = cairo_create(probe);
	PangoLayout *l = layout(cr, "DejaVu Sans", 1, px, text, width / 2);
	pango_layout_set_width(l, -1);
	int tw, th;
	pango_layout_get_pixel_size(l, &tw, &th);
	g_object_unref(l);
	cairo_destroy(cr);
	cairo_surface_destroy(probe);

	int pad = (int)ceil(px / 4);
	o->w = tw + 2 * pad;
	o->h = th + 2 * pad;
	o->x = width - o->w - (int)(height * 0.02);
	o->y = height - o->h - (int)(height * 0.02);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, o->w, o->h);
	cr = cairo_create(s);
	l = layout(cr, "DejaVu Sans", 1, px, text, width / 2);
	pango_layout_set_width(l, -1);
	cairo_move_to(cr, pad, pad);
	pango_cairo_layout_path(cr, l);
	cairo_set_line_width(cr, fmax(px / 8, 1.5));
	cairo_set_source_rgba(cr, 0, 0, 0, 0.6);
	cairo_stroke_preserve(cr);
	cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
	cairo_fill(cr);
	g_object_unref(l);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	o->argb = bj_xmalloc((size_t)o->w * o->h * sizeof *o->argb);
	const uint8_t *data = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < o->h; y++)
		memcpy(o->argb + (size_t)y * o->w, data + (size_t)y * stride, (size_t)o->w * 4);
	cairo_surface_destroy(s);
}
