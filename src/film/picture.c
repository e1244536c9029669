#include "film/picture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

film_rect film_fit(int src_w, int src_h, int sar_num, int sar_den, int dst_w, int dst_h)
{
	double display_w = src_w;
	if (sar_num > 0 && sar_den > 0)
		display_w = (double)src_w * sar_num / sar_den;
	double scale = fmin(dst_w / display_w, (double)dst_h / src_h);
	int w = (int)lround(display_w * scale), h = (int)lround(src_h * scale);
	if (dst_w - w <= 2)
		w = dst_w;
	if (dst_h - h <= 2)
		h = dst_h;
	w = w < 1 ? 1 : w;
	h = h < 1 ? 1 : h;
	return (film_rect){ (dst_w - w) / 2, (dst_h - h) / 2, w, h };
}

void film_clear(media_image *img)
{
	for (int y = 0; y < img->height; y++)
		memset(img->data + (size_t)y * img->stride, 0, (size_t)img->width * img->channels);
}

void film_place(const media_image *src, film_rect r, media_image *dst)
{
	film_clear(dst);
	int w = src->width < dst->width - r.x ? src->width : dst->width - r.x;
	int h = src->height < dst->height - r.y ? src->height : dst->height - r.y;
	for (int y = 0; y < h; y++)
		memcpy(dst->data + (size_t)(r.y + y) * dst->stride + (size_t)r.x * 3,
		       src->data + (size_t)y * src->stride, (size_t)w * 3);
}

film_view film_view_at(const film_view *from, const film_view *to, double p)
{
	p = fmin(fmax(p, 0), 1);
	double s = p * p * (3 - 2 * p);
	return (film_view){
		from->zoom + (to->zoom - from->zoom) * s,
		from->x + (to->x - from->x) * s,
		from->y + (to->y - from->y) * s,
	};
}

void film_pan(const media_image *still, const film_view *view, media_image *dst)
{
	double aspect = (double)dst->width / dst->height;
	double iw = still->width, ih = still->height;
	double bw = iw, bh = iw / aspect;
	if (bh > ih) {
		bh = ih;
		bw = ih * aspect;
	}
	double zoom = view->zoom < 1 ? 1 : view->zoom;
	double ww = bw / zoom, wh = bh / zoom;
	double x0 = fmin(fmax(view->x * iw - ww / 2, 0), iw - ww);
	double y0 = fmin(fmax(view->y * ih - wh / 2, 0), ih - wh);
	double sx = ww / dst->width, sy = wh / dst->height;
	int ch = still->channels;
	/* The columns and weights are the same on every row: work them out once
	 * (the same arithmetic as per pixel, so the same bytes). */
	struct column { int x1, x2; double tx; } *col = bj_xmalloc((size_t)dst->width * sizeof *col);
	for (int x = 0; x < dst->width; x++) {
		double fx = fmin(fmax(x0 + (x + 0.5) * sx - 0.5, 0), iw - 1);
		int x1 = (int)fx;
		col[x] = (struct column){ x1 * ch, (x1 + 1 < still->width ? x1 + 1 : x1) * ch, fx - x1 };
	}
	for (int y = 0; y < dst->height; y++) {
		/* Pixel centres: output pixel y covers window rows [y, y+1) * sy. */
		double fy = y0 + (y + 0.5) * sy - 0.5;
		fy = fmin(fmax(fy, 0), ih - 1);
		int y1 = (int)fy, y2 = y1 + 1 < still->height ? y1 + 1 : y1;
		double ty = fy - y1;
		const uint8_t *r1 = still->data + (size_t)y1 * still->stride;
		const uint8_t *r2 = still->data + (size_t)y2 * still->stride;
		uint8_t *out = dst->data + (size_t)y * dst->stride;
		for (int x = 0; x < dst->width; x++) {
			int x1 = col[x].x1, x2 = col[x].x2;
			double tx = col[x].tx;
			for (int c = 0; c < 3; c++) {
				int cc = ch == 1 ? 0 : c;
				double a = r1[x1 + cc] + (r1[x2 + cc] - r1[x1 + cc]) * tx;
				double b = r2[x1 + cc] + (r2[x2 + cc] - r2[x1 + cc]) * tx;
				out[x * 3 + c] = (uint8_t)(a + (b - a) * ty + 0.5);   /* >= 0: rounds */
			}
		}
	}
	free(col);
}

void film_fade(media_image *img, double f)
{
	if (f >= 1)
		return;
	int k = (int)lround(fmax(f, 0) * 256);
	for (int y = 0; y < img->height; y++) {
		uint8_t *p = img->data + (size_t)y * img->stride;
		for (int x = 0; x < img->width * img->channels; x++)
			p[x] = (uint8_t)((p[x] * k) >> 8);
	}
}

void film_overlay_draw(const film_overlay *o, media_image *img)
{
	for (int y = 0; y < o->h; y++) {
		int fy = o->y + y;
		if (fy < 0 || fy >= img->height)
			continue;
		uint8_t *row = img->data + (size_t)fy * img->stride;
		for (int x = 0; x < o->w; x++) {
			int fx = o->x + x;
			uint32_t p = o->argb[(size_t)y * o->w + x];
			uint32_t a = p >> 24;
			if (fx < 0 || fx >= img->width || a == 0)
				continue;
			uint8_t *d = row + fx * 3;
			/* Premultiplied "over": d = s + d * (1 - a). */
			d[0] = (uint8_t)(((p >> 16) & 255) + (d[0] * (255 - a) + 127) / 255);
			d[1] = (uint8_t)(((p >> 8) & 255) + (d[1] * (255 - a) + 127) / 255);
			d[2] = (uint8_t)((p & 255) + (d[2] * (255 - a) + 127) / 255);
		}
	}
}

void film_overlay_release(film_overlay *o)
{
	if (!o)
		return;
	free(o->argb);
	memset(o, 0, sizeof *o);
}
