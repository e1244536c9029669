#include "vision/draw.h"

#include <math.h>
#include <string.h>

#include "base/error.h"

#define GAP 4
#define GAP_GREY 40

static const uint8_t green[3] = { 0, 255, 0 }, red[3] = { 255, 40, 40 };

/* Paints [x0, x1) x [y0, y1), clipped, in colour (RGB) or white (grey). */
static void fill_colour(media_image *img, int x0, int y0, int x1, int y1, const uint8_t colour[3])
{
	x0 = x0 < 0 ? 0 : x0;
	y0 = y0 < 0 ? 0 : y0;
	x1 = x1 > img->width ? img->width : x1;
	y1 = y1 > img->height ? img->height : y1;
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++) {
			uint8_t *p = img->data + (size_t)y * img->stride + (size_t)x * (size_t)img->channels;
			if (img->channels == 3)
				memcpy(p, colour, 3);
			else
				*p = 255;
		}
}

static void fill(media_image *img, int x0, int y0, int x1, int y1)
{
	fill_colour(img, x0, y0, x1, y1, green);
}

void vision_draw_boxes(media_image *img, const vision_box *boxes, size_t n, int thickness)
{
	for (size_t i = 0; i < n; i++) {
		const vision_box *b = &boxes[i];
		int t = thickness < b->width / 2 ? thickness : b->width / 2;
		if (t < 1)
			t = 1;
		fill(img, b->x, b->y, b->x + b->width, b->y + t);
		fill(img, b->x, b->y + b->height - t, b->x + b->width, b->y + b->height);
		fill(img, b->x, b->y, b->x + t, b->y + b->height);
		fill(img, b->x + b->width - t, b->y, b->x + b->width, b->y + b->height);
	}
}

void vision_draw_points(media_image *img, const float *points, size_t n, int radius)
{
	for (size_t i = 0; i < n; i++) {
		float x = points[2 * i], y = points[2 * i + 1];
		if (!(x > -radius - 1 && x < img->width + radius + 1 && y > -radius - 1 && y < img->height + radius + 1))
			continue;   /* also skips NaN */
		int cx = (int)lrintf(x), cy = (int)lrintf(y);
		fill_colour(img, cx - radius, cy - radius, cx + radius + 1, cy + radius + 1, red);
	}
}

media_image *vision_sheet(const media_image *const *tiles, size_t n, int columns)
{
	if (n == 0 || columns < 1)
		return bj_error_set(BJ_EINVAL, "a contact sheet needs pictures"), NULL;
	int w = tiles[0]->width, h = tiles[0]->height;
	for (size_t i = 0; i < n; i++)
		if (tiles[i]->width != w || tiles[i]->height != h || tiles[i]->channels != 3)
			return bj_error_set(BJ_EINVAL, "contact sheet pictures differ in size"), NULL;
	int cols = (size_t)columns < n ? columns : (int)n;
	int rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
	long sw = (long)cols * (w + GAP) + GAP, sh = (long)rows * (h + GAP) + GAP;
	if (sw > MEDIA_IMAGE_MAX_SIDE || sh > MEDIA_IMAGE_MAX_SIDE)
		return bj_error_set(BJ_EINVAL, "contact sheet of %ldx%ld is too large", sw, sh), NULL;
	media_image *s = media_image_new((int)sw, (int)sh, 3);
	if (!s)
		return NULL;
	memset(s->data, GAP_GREY, s->stride * (size_t)s->height);
	for (size_t i = 0; i < n; i++) {
		int x0 = GAP + (int)(i % (size_t)cols) * (w + GAP), y0 = GAP + (int)(i / (size_t)cols) * (h + GAP);
		for (int y = 0; y < h; y++)
			memcpy(s->data + (size_t)(y0 + y) * s->stride + (size_t)x0 * 3,
			       tiles[i]->data + (size_t)y * tiles[i]->stride, (size_t)w * 3);
	}
	return s;
}
