/*
 * swap_mask.c - the decoder's mask over the landmark mask (see swap_mask.h).
 */
#include "perform/swap_mask.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

/* A box blur of radius r along rows (dx 1) or columns (dx size) of a size x
 * size image, from src into dst, the edge repeated. */
static void box_blur(const float *src, float *dst, int size, int r, int along_rows)
{
	for (int line = 0; line < size; line++)
		for (int i = 0; i < size; i++) {
			float sum = 0;
			for (int k = -r; k <= r; k++) {
				int j = i + k < 0 ? 0 : i + k >= size ? size - 1 : i + k;
				sum += along_rows ? src[line * size + j] : src[j * size + line];
			}
			dst[along_rows ? line * size + i : i * size + line] = sum / (float)(2 * r + 1);
		}
}

/* m->steady feathered: two passes of the box blur each way. */
static void feather(perform_swap_mask *m, float *out)
{
	int r = m->size / 32 > 0 ? m->size / 32 : 1;
	box_blur(m->steady, m->work, m->size, r, 1);
	box_blur(m->work, out, m->size, r, 0);
	box_blur(out, m->work, m->size, r, 1);
	box_blur(m->work, out, m->size, r, 0);
}

static float sample(const float *img, int size, double u, double v)
{
	u = u < 0 ? 0 : u > size - 1 ? size - 1 : u;
	v = v < 0 ? 0 : v > size - 1 ? size - 1 : v;
	int x = (int)u, y = (int)v;
	int x1 = x + 1 < size ? x + 1 : x, y1 = y + 1 < size ? y + 1 : y;
	float fx = (float)(u - x), fy = (float)(v - y);
	float top = img[y * size + x] + fx * (img[y * size + x1] - img[y * size + x]);
	float bottom = img[y1 * size + x] + fx * (img[y1 * size + x1] - img[y1 * size + x]);
	return top + fy * (bottom - top);
}

void perform_swap_mask_apply(perform_swap_mask *m, uint8_t *mask, int width, vision_rect box,
                             const float *crop_mask, int size, const vision_similarity *to_crop)
{
	size_t n = (size_t)size * size;
	if (m->size != size) {
		perform_swap_mask_release(m);
		m->steady = bj_xmalloc(n * sizeof(*m->steady));
		m->work = bj_xmalloc(n * sizeof(*m->work));
		m->size = size;
	}
	for (size_t i = 0; i < n; i++)
		m->steady[i] = m->have ? (1 - PERFORM_SWAP_MASK_RATE) * m->steady[i] + PERFORM_SWAP_MASK_RATE * crop_mask[i]
		                       : crop_mask[i];
	m->have = 1;
	float *soft = bj_xmalloc(n * sizeof(*soft));
	feather(m, soft);
	const vision_similarity *t = to_crop;
	for (int y = box.y0; y < box.y1; y++)
		for (int x = box.x0; x < box.x1; x++) {
			uint8_t *p = &mask[(size_t)y * width + x];
			if (!*p)
				continue;
			double u = t->a * x - t->b * y + t->tx, v = t->b * x + t->a * y + t->ty;
			float k = sample(soft, size, u, v);
			k = k < 0 ? 0 : k > 1 ? 1 : k;
			*p = (uint8_t)lrintf(*p * k);
		}
	free(soft);
}

void perform_swap_mask_forget(perform_swap_mask *m)
{
	m->have = 0;
}

void perform_swap_mask_release(perform_swap_mask *m)
{
	free(m->steady);
	free(m->work);
	memset(m, 0, sizeof(*m));
}
