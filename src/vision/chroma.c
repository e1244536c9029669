#include "vision/chroma.h"

#include <math.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "vision/bands.h"

struct chroma_job {
	const media_image *img;
	const uint8_t *mask;
	vision_rect box;
	double *sq;               /* (box's pixels) each band's values from its first row's place on */
	long n[VISION_BANDS];     /* how many each band wrote */
};

static void chroma_band(void *ctx, int band, int thread)
{
	(void)thread;
	struct chroma_job *j = ctx;
	const media_image *img = j->img;
	vision_rect b = j->box;
	int y0, y1;
	vision_band_rows(band, b.y0, b.y1, &y0, &y1);
	double *out = j->sq + (size_t)(y0 - b.y0) * (size_t)(b.x1 - b.x0);
	long n = 0;
	for (int y = y0; y < y1; y++)
		for (int x = b.x0; x < b.x1; x++) {
			if (j->mask[(size_t)y * img->width + x] < 128)
				continue;
			float lab[3];
			vision_rgb_to_lab(img->data + (size_t)y * img->stride + 3 * (size_t)x, lab);
			out[n++] = (double)lab[1] * lab[1] + (double)lab[2] * lab[2];
		}
	j->n[band] = n;
}

double vision_chroma_on(bj_pool *pool, const media_image *img, const uint8_t *mask, vision_rect box)
{
	box = vision_rect_clip(box, img->width, img->height);
	if (box.x1 <= box.x0 || box.y1 <= box.y0)
		return 0;
	struct chroma_job j = { img, mask, box, bj_xmalloc((size_t)(box.x1 - box.x0) * (box.y1 - box.y0) * sizeof(double)),
		                { 0 } };
	vision_bands_run(pool, chroma_band, &j);
	/* in row order, as vision_chroma adds them */
	double s = 0;
	long n = 0;
	for (int b = 0; b < VISION_BANDS; b++) {
		int y0, y1;
		vision_band_rows(b, box.y0, box.y1, &y0, &y1);
		const double *v = j.sq + (size_t)(y0 - box.y0) * (size_t)(box.x1 - box.x0);
		for (long i = 0; i < j.n[b]; i++)
			s += v[i];
		n += j.n[b];
	}
	free(j.sq);
	return n ? sqrt(s / n) : 0;
}
