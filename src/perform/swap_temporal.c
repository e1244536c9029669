#include "perform/swap_temporal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "vision/align.h"

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
	float *diff;           /* how far the two differ, and that averaged (2 floats a pixel) */
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

/* out = the mean of in (w x h) over the 3 x 3 pixels around each pixel,
 * those inside; done across and then down, in place of out's rows. */
static void box_mean(const float *in, float *out, int w, int h)
{
	for (int y = 0; y < h; y++) {
		const float *r = in + (size_t)y * w;
		float *o = out + (size_t)y * w;
		for (int x = 0; x < w; x++)
			o[x] = (r[x] + (x > 0 ? r[x - 1] : 0) + (x + 1 < w ? r[x + 1] : 0)) /
			       (float)(1 + (x > 0) + (x + 1 < w));
	}
	float *above = bj_xmalloc((size_t)w * sizeof(*above));
	for (int x = 0; x < w; x++)
		above[x] = 0;
	for (int y = 0; y < h; y++) {
		float *o = out + (size_t)y * w;
		const float *below = y + 1 < h ? o + w : NULL;
		float n = (float)(1 + (y > 0) + (y + 1 < h));
		for (int x = 0; x < w; x++) {
			float v = o[x];
			o[x] = (v + above[x] + (below ? below[x] : 0)) / n;
			above[x] = v;
		}
	}
	free(above);
}

void perform_temporal_apply(perform_temporal *t, media_image *swapped, const media_image *footage, vision_rect box,
                            const float *pts, const vision_similarity *moved)
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
	for (int y = 0; y < h; y++) {
		const uint8_t *s = swapped->data + (size_t)(box.y0 + y) * swapped->stride + 3 * (size_t)box.x0;
		const uint8_t *f = footage->data + (size_t)(box.y0 + y) * footage->stride + 3 * (size_t)box.x0;
		float *c = t->cur + 3 * (size_t)y * w;
		for (int x = 0; x < 3 * w; x++)
			c[x] = (float)s[x] - (float)f[x];
	}
	vision_similarity m, back;
	if (t->have && (moved ? (m = *moved, 1) : head_motion(t->pts, pts, &m) == 0)) {
		back = vision_similarity_invert(&m);
		/* the carried correction where each pixel was, and how far it is
		 * from this frame's */
		float *carried = t->carried, *d = t->diff, *box3 = t->diff + n;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				float px = (float)(box.x0 + x), py = (float)(box.y0 + y);
				float qx = (float)(back.a * px - back.b * py + back.tx);
				float qy = (float)(back.b * px + back.a * py + back.ty);
				size_t i = (size_t)y * w + x;
				carried_at(t, qx, qy, carried + 3 * i);
				d[i] = fabsf(carried[3 * i] - t->cur[3 * i]) + fabsf(carried[3 * i + 1] - t->cur[3 * i + 1]) +
				       fabsf(carried[3 * i + 2] - t->cur[3 * i + 2]);
			}
		/* the difference averaged over 3 x 3 pixels: one grain's speck does
		 * not decide, a mouth's edge does */
		box_mean(d, box3, w, h);
		for (size_t i = 0; i < n; i++) {
			float keep = KEEP * fmaxf(0, 1 - box3[i] / AGREE);
			for (int ch = 0; ch < 3; ch++)
				t->cur[3 * i + ch] += keep * (carried[3 * i + ch] - t->cur[3 * i + ch]);
		}
	}
	/* this frame: the footage plus the blended correction, which is carried on */
	for (int y = 0; y < h; y++) {
		uint8_t *s = swapped->data + (size_t)(box.y0 + y) * swapped->stride + 3 * (size_t)box.x0;
		const uint8_t *f = footage->data + (size_t)(box.y0 + y) * footage->stride + 3 * (size_t)box.x0;
		float *c = t->cur + 3 * (size_t)y * w;
		for (int x = 0; x < 3 * w; x++) {
			float v = fminf(fmaxf((float)f[x] + c[x], 0), 255);
			c[x] = v - (float)f[x];
			s[x] = (uint8_t)lrintf(v);
		}
	}
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
