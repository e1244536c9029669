#include "perform/swap_temporal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/fmath.h"
#include "vision/align.h"
#include "vision/bands.h"

/* The weight of the carried correction where it agrees with this frame's: a
 * first-order recursive filter of the tremor, whose spread it cuts to
 * sqrt((1 - KEEP) / (1 + KEEP)) of what it was on a still face. */
#define KEEP 0.8f
/* Where the two corrections differ by this much (grey levels, the three
 * channels summed, averaged over the 3 x 3 pixels around) or more, this
 * frame's is taken alone; below it the carried one's weight falls linearly
 * from KEEP at no difference.  Small: the correction holds the footage's
 * own change under the face with its sign turned (the footage's grain and
 * the lips' motion that the star face does not copy), and carrying it adds
 * the last frame's back onto this one: at 60 levels the filter raised the
 * flicker it was meant to cut (grid_sbwe5n 0.86 with it, 0.64 without; at
 * 12, 0.69, and videoretalking_face_1 0.95 where none gives 0.98). */
#define AGREE 12.0f

struct perform_temporal {
	int have;
	float pts[136];        /* the landmarks of the last call */
	vision_rect box;       /* where the carried correction is (0 outside) */
	float *corr;           /* ... 3 floats a pixel of box, rows of its width */
	float *cur, *carried;  /* this call's correction, the carried one where it is now */
	float *diff;           /* how far the two differ, and that averaged across (2 floats a pixel) */
	size_t cap, cap_cur;
};

perform_temporal *perform_temporal_new(void)
{
	return bj_xcalloc(1, sizeof(perform_temporal));
}

void perform_temporal_reset(perform_temporal *t)
{
	t->have = 0;
}

void perform_temporal_free(perform_temporal *t)
{
	if (!t)
		return;
	free(t->corr);
	free(t->cur);
	free(t->carried);
	free(t->diff);
	free(t);
}

/* Whether landmark i moves when the face speaks (the lower jaw, the mouth):
 * those are left out of the head's motion. */
static int speaks(int i)
{
	return (i >= 4 && i <= 12) || i >= 48;
}

/* The head's motion from landmarks a to b, fitted on the points that do not
 * speak.  0, or -1 when they are degenerate. */
static int head_motion(const float *a, const float *b, vision_similarity *m)
{
	float from[136], to[136];
	int n = 0;
	for (int i = 0; i < 68; i++)
		if (!speaks(i)) {
			from[2 * n] = a[2 * i];
			from[2 * n + 1] = a[2 * i + 1];
			to[2 * n] = b[2 * i];
			to[2 * n + 1] = b[2 * i + 1];
			n++;
		}
	return vision_similarity_fit(from, to, n, m) < 0 ? -1 : 0;
}

/* The carried correction at picture point (x, y), bilinear, 0 outside its box. */
static void carried_at(const perform_temporal *t, float x, float y, float out[3])
{
	const vision_rect *b = &t->box;
	int w = b->x1 - b->x0, h = b->y1 - b->y0;
	float fx = x - (float)b->x0, fy = y - (float)b->y0;
	int ix = (int)floorf(fx), iy = (int)floorf(fy);
	float ax = fx - (float)ix, ay = fy - (float)iy;
	if (ix >= 0 && iy >= 0 && ix + 1 < w && iy + 1 < h) {
		const float *c = t->corr + 3 * ((size_t)iy * w + ix), *c2 = c + 3 * (size_t)w;
		for (int ch = 0; ch < 3; ch++)
			out[ch] = (1 - ay) * ((1 - ax) * c[ch] + ax * c[3 + ch]) + ay * ((1 - ax) * c2[ch] + ax * c2[3 + ch]);
		return;
	}
	/* at the box's edge: what lies outside it is 0 */
	out[0] = out[1] = out[2] = 0;
	if (ix < -1 || iy < -1 || ix >= w || iy >= h)
		return;
	for (int k = 0; k < 4; k++) {
		int px = ix + (k & 1), py = iy + (k >> 1);
		if (px < 0 || py < 0 || px >= w || py >= h)
			continue;
		float wk = (k & 1 ? ax : 1 - ax) * (k >> 1 ? ay : 1 - ay);
		const float *c = t->corr + 3 * ((size_t)py * w + px);
		for (int ch = 0; ch < 3; ch++)
			out[ch] += wk * c[ch];
	}
}

/* What a band of rows needs: the frames, the box, whether a correction is
 * carried and back, the map from this frame's pixels to the last's. */
struct apply_job {
	perform_temporal *t;
	media_image *swapped;
	const media_image *footage;
	vision_rect box;
	int carry;
	vision_similarity back;
};

/* A band's rows: this frame's correction, and where one is carried, that
 * one where each pixel was, how far the two differ (the three channels
 * summed, into diff) and that averaged across the 3 pixels of the row around
 * (into diff's second half).  Every pixel's own, so the bands may run in
 * any order. */
static void correction_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct apply_job *j = ctx;
	perform_temporal *t = j->t;
	vision_rect box = j->box;
	int w = box.x1 - box.x0, h = box.y1 - box.y0, y0, y1;
	size_t n = (size_t)w * h;
	vision_band_rows(band, 0, h, &y0, &y1);
	for (int y = y0; y < y1; y++) {
		const uint8_t *s = j->swapped->data + (size_t)(box.y0 + y) * j->swapped->stride + 3 * (size_t)box.x0;
		const uint8_t *f = j->footage->data + (size_t)(box.y0 + y) * j->footage->stride + 3 * (size_t)box.x0;
		float *c = t->cur + 3 * (size_t)y * w;
		for (int x = 0; x < 3 * w; x++)
			c[x] = (float)s[x] - (float)f[x];
		if (!j->carry)
			continue;
		float *carried = t->carried + 3 * (size_t)y * w, *d = t->diff + (size_t)y * w, *across = d + n;
		for (int x = 0; x < w; x++) {
			float px = (float)(box.x0 + x), py = (float)(box.y0 + y);
			const vision_similarity *b = &j->back;
			carried_at(t, (float)(b->a * px - b->b * py + b->tx), (float)(b->b * px + b->a * py + b->ty),
			           carried + 3 * x);
			d[x] = fabsf(carried[3 * x] - c[3 * x]) + fabsf(carried[3 * x + 1] - c[3 * x + 1]) +
			       fabsf(carried[3 * x + 2] - c[3 * x + 2]);
		}
		for (int x = 0; x < w; x++)
			across[x] = (d[x] + (x > 0 ? d[x - 1] : 0) + (x + 1 < w ? d[x + 1] : 0)) /
			            (float)(1 + (x > 0) + (x + 1 < w));
	}
}

/* A band's rows blended and written: the difference averaged down the 3
 * rows around too (the rows across of correction_band, all done by now),
 * the carried correction mixed in by how far it agrees, and the footage plus
 * the blended correction (clipped to what a pixel holds) into swapped. */
static void blend_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct apply_job *j = ctx;
	perform_temporal *t = j->t;
	vision_rect box = j->box;
	int w = box.x1 - box.x0, h = box.y1 - box.y0, y0, y1;
	size_t n = (size_t)w * h;
	vision_band_rows(band, 0, h, &y0, &y1);
	for (int y = y0; y < y1; y++) {
		float *c = t->cur + 3 * (size_t)y * w;
		if (j->carry) {
			/* the difference averaged over 3 x 3 pixels: one grain's speck
			 * does not decide, a mouth's edge does */
			const float *across = t->diff + n + (size_t)y * w, *carried = t->carried + 3 * (size_t)y * w;
			float rows = (float)(1 + (y > 0) + (y + 1 < h));
			for (int x = 0; x < w; x++) {
				float mean = (across[x] + (y > 0 ? across[x - w] : 0) + (y + 1 < h ? across[x + w] : 0)) / rows;
				float keep = KEEP * bj_fmaxf(0, 1 - mean / AGREE);
				for (int ch = 0; ch < 3; ch++)
					c[3 * x + ch] += keep * (carried[3 * x + ch] - c[3 * x + ch]);
			}
		}
		uint8_t *s = j->swapped->data + (size_t)(box.y0 + y) * j->swapped->stride + 3 * (size_t)box.x0;
		const uint8_t *f = j->footage->data + (size_t)(box.y0 + y) * j->footage->stride + 3 * (size_t)box.x0;
		for (int x = 0; x < 3 * w; x++) {
			float v = bj_fminf(bj_fmaxf((float)f[x] + c[x], 0), 255);
			c[x] = v - (float)f[x];
			s[x] = (uint8_t)bj_rint_small(v);
		}
	}
}

void perform_temporal_apply(perform_temporal *t, media_image *swapped, const media_image *footage, vision_rect box,
                            const float *pts, const vision_similarity *moved)
{
	perform_temporal_apply_on(NULL, t, swapped, footage, box, pts, moved);
}

void perform_temporal_apply_on(bj_pool *pool, perform_temporal *t, media_image *swapped, const media_image *footage,
                               vision_rect box, const float *pts, const vision_similarity *moved)
{
	int w = box.x1 - box.x0, h = box.y1 - box.y0;
	if (w <= 0 || h <= 0) {
		t->have = 0;
		return;
	}
	size_t n = (size_t)w * h;
	if (n > t->cap_cur) {
		free(t->cur);
		free(t->carried);
		free(t->diff);
		t->cur = bj_xmalloc(3 * n * sizeof(*t->cur));
		t->carried = bj_xmalloc(3 * n * sizeof(*t->carried));
		t->diff = bj_xmalloc(2 * n * sizeof(*t->diff));
		t->cap_cur = n;
	}
	struct apply_job j = { t, swapped, footage, box, 0, { 1, 0, 0, 0 } };
	vision_similarity m;
	if (t->have && (moved ? (m = *moved, 1) : head_motion(t->pts, pts, &m) == 0)) {
		j.back = vision_similarity_invert(&m);
		j.carry = 1;
	}
	vision_bands_run(pool, correction_band, &j);
	/* this frame: the footage plus the blended correction, which is carried on */
	vision_bands_run(pool, blend_band, &j);
	if (n > t->cap) {
		free(t->corr);
		t->corr = bj_xmalloc(3 * n * sizeof(*t->corr));
		t->cap = n;
	}
	memcpy(t->corr, t->cur, 3 * n * sizeof(*t->corr));
	t->box = box;
	memcpy(t->pts, pts, sizeof(t->pts));
	t->have = 1;
}
