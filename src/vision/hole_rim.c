#include "vision/hole_rim.h"
#include <math.h>
#include <stdlib.h>
#include "base/alloc.h"
#include "vision/bands.h"

/* Summed-area tables over (w + 1) x (h + 1): the rim's pixel count and its
 * d - c per channel; the squares' counts' largest per band of rows. */
struct rim_job {
	media_image *c;
	const long long *n, *sum[3];
	int w, h, r;
	double share;
	long long most[VISION_BANDS];
	long long top;
};

static long long square(const long long *t, int w, int h, int x, int y, int r)
{
	int x0 = x - r < 0 ? 0 : x - r, x1 = x + r + 1 > w ? w : x + r + 1;
	int y0 = y - r < 0 ? 0 : y - r, y1 = y + r + 1 > h ? h : y + r + 1;
	size_t s = (size_t)w + 1;
	return t[(size_t)y1 * s + x1] - t[(size_t)y0 * s + x1] - t[(size_t)y1 * s + x0] + t[(size_t)y0 * s + x0];
}

static void most_band(void *ctx, int band, int thread)
{
	(void)thread;
	struct rim_job *j = ctx;
	int y0, y1;
	long long most = 0;
	vision_band_rows(band, 0, j->h, &y0, &y1);
	for (int y = y0; y < y1; y++)
		for (int x = 0; x < j->w; x++) {
			long long n = square(j->n, j->w, j->h, x, y, j->r);
			most = n > most ? n : most;
		}
	j->most[band] = most;
}

/* c + f share (mean d - c over the square's rim pixels), f the square's rim
 * count over half the largest (at most 1): 1 on and near the rim, 0 a radius
 * off.  Relative to the largest count, not the square's area: the rim is a
 * thin band whose share of a square depends on the face's size. */
static void apply_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct rim_job *j = ctx;
	int y0, y1;
	vision_band_rows(band, 0, j->h, &y0, &y1);
	for (int y = y0; y < y1; y++)
		for (int x = 0; x < j->w; x++) {
			long long n = square(j->n, j->w, j->h, x, y, j->r);
			if (n == 0)
				continue;
			double f = j->share * fmin(1, 2.0 * (double)n / (double)j->top);
			uint8_t *p = j->c->data + (size_t)y * j->c->stride + 3 * (size_t)x;
			for (int k = 0; k < 3; k++) {
				long v = lrint(p[k] + f * (double)square(j->sum[k], j->w, j->h, x, y, j->r) / (double)n);
				p[k] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
			}
		}
}

void vision_hole_rim_match(bj_pool *pool, media_image *c, const media_image *d, const uint8_t *m,
                           const uint8_t *whole, int radius, float share)
{
	int w = c->width, h = c->height;
	size_t s = (size_t)w + 1, cells = s * ((size_t)h + 1);
	long long *n = bj_xcalloc(cells, sizeof(*n)), *sum[3];
	for (int k = 0; k < 3; k++)
		sum[k] = bj_xcalloc(cells, sizeof(**sum));
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			size_t i = (size_t)y * w + x, t = (size_t)(y + 1) * s + x + 1;
			int rim = whole[i] == 255 && m[i] > 0 && m[i] < 255;
			const uint8_t *cp = c->data + (size_t)y * c->stride + 3 * (size_t)x;
			const uint8_t *dp = d->data + (size_t)y * d->stride + 3 * (size_t)x;
			n[t] = rim + n[t - s] + n[t - 1] - n[t - s - 1];
			for (int k = 0; k < 3; k++)
				sum[k][t] = (rim ? dp[k] - cp[k] : 0) + sum[k][t - s] + sum[k][t - 1] - sum[k][t - s - 1];
		}
	if (n[cells - 1] > 0) {
		struct rim_job j = { c, n, { sum[0], sum[1], sum[2] }, w, h, radius > 0 ? radius : 1, share, { 0 }, 0 };
		vision_bands_run(pool, most_band, &j);
		for (int b = 0; b < VISION_BANDS; b++)
			j.top = j.most[b] > j.top ? j.most[b] : j.top;
		vision_bands_run(pool, apply_band, &j);
	}
	free(n);
	for (int k = 0; k < 3; k++)
		free(sum[k]);
}
