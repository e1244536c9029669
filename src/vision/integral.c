#include "vision/integral.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "base/error.h"

size_t vision_resize_scratch(int sw, int dw)
{
	(void)sw;
	return (size_t)dw * 5;   /* offsets, two weights, two horizontal rows */
}

/* Source index and 8-bit weights of one output coordinate, as OpenCV's
 * bit-exact linear resize computes them (in double, rounded to nearest even);
 * past the last source pixel the weights are (256, 0) on it. */
static void coord(int d, double scale, int n, int *s, int *a0, int *a1)
{
	double f = scale * (d + 0.5) - 0.5;
	int i = (int)floor(f);
	if (i < 0)
		i = 0, f = 0.0;
	if (i >= n - 1) {
		*s = n - 1;
		*a0 = 256;
		*a1 = 0;
		return;
	}
	*s = i;
	*a1 = (int)lrint((f - i) * 256.0);
	*a0 = 256 - *a1;
}

/* One source row resampled horizontally, in 8.8 fixed point. */
static void hpass(const uint8_t *row, int dw, const int32_t *xofs, const int32_t *alpha, int32_t *out)
{
	for (int x = 0; x < dw; x++) {
		int s = xofs[x];
		int32_t v = row[s] * alpha[2 * x];
		if (alpha[2 * x + 1])
			v += row[s + 1] * alpha[2 * x + 1];
		out[x] = v;
	}
}

void vision_resize_linear(const uint8_t *src, int sw, int sh, size_t sstride,
                          uint8_t *dst, int dw, int dh, size_t dstride, int32_t *scratch)
{
	BJ_ASSERT(dw >= 1 && dh >= 1 && dw <= sw && dh <= sh);
	if (dw == sw && dh == sh) {
		for (int y = 0; y < dh; y++)
			memcpy(dst + (size_t)y * dstride, src + (size_t)y * sstride, (size_t)dw);
		return;
	}
	double scale_x = 1.0 / ((double)dw / sw), scale_y = 1.0 / ((double)dh / sh);
	if (fabs(scale_x - 2.0) < DBL_EPSILON && fabs(scale_y - 2.0) < DBL_EPSILON) {
		/* an exact halving is an average of 2x2 blocks */
		for (int y = 0; y < dh; y++) {
			const uint8_t *a = src + (size_t)(2 * y) * sstride, *b = a + sstride;
			uint8_t *o = dst + (size_t)y * dstride;
			for (int x = 0; x < dw; x++)
				o[x] = (uint8_t)((a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) >> 2);
		}
		return;
	}
	int32_t *xofs = scratch, *alpha = scratch + dw, *row[2] = { scratch + 3 * dw, scratch + 4 * dw };
	for (int x = 0; x < dw; x++) {
		int s, a0, a1;
		coord(x, scale_x, sw, &s, &a0, &a1);
		xofs[x] = s;
		alpha[2 * x] = a0;
		alpha[2 * x + 1] = a1;
	}
	int have[2] = { -1, -1 };   /* source rows held in row[0], row[1] */
	for (int y = 0; y < dh; y++) {
		int sy, b0, b1;
		coord(y, scale_y, sh, &sy, &b0, &b1);
		int r1 = b1 ? sy + 1 : sy;
		if (have[0] != sy) {
			if (have[1] == sy) {
				int32_t *t = row[0];
				row[0] = row[1];
				row[1] = t;
				have[1] = -1;
			} else {
				hpass(src + (size_t)sy * sstride, dw, xofs, alpha, row[0]);
			}
			have[0] = sy;
		}
		if (b1 && have[1] != r1) {
			hpass(src + (size_t)r1 * sstride, dw, xofs, alpha, row[1]);
			have[1] = r1;
		}
		uint8_t *o = dst + (size_t)y * dstride;
		const int32_t *s0 = row[0], *s1 = row[1];
		if (!b1) {
			for (int x = 0; x < dw; x++)
				o[x] = (uint8_t)((s0[x] + 128) >> 8);
			continue;
		}
		for (int x = 0; x < dw; x++) {
			uint32_t v = ((uint32_t)s0[x] * (uint32_t)b0 + (uint32_t)s1[x] * (uint32_t)b1 + 32768) >> 16;
			o[x] = (uint8_t)(v > 255 ? 255 : v);
		}
	}
}

void vision_integral(const uint8_t *img, int w, int h, size_t stride,
                     int32_t *sum, uint32_t *sq, size_t out_stride)
{
	memset(sum, 0, (size_t)(w + 1) * sizeof(*sum));
	if (sq)
		memset(sq, 0, (size_t)(w + 1) * sizeof(*sq));
	for (int y = 0; y < h; y++) {
		const uint8_t *p = img + (size_t)y * stride;
		const int32_t *above = sum + (size_t)y * out_stride;
		int32_t *s = sum + (size_t)(y + 1) * out_stride;
		int32_t run = 0;
		s[0] = 0;
		for (int x = 0; x < w; x++) {
			run += p[x];
			s[x + 1] = above[x + 1] + run;
		}
		if (!sq)
			continue;
		const uint32_t *above_sq = sq + (size_t)y * out_stride;
		uint32_t *q = sq + (size_t)(y + 1) * out_stride, run_sq = 0;
		q[0] = 0;
		for (int x = 0; x < w; x++) {
			run_sq += (uint32_t)p[x] * p[x];
			q[x + 1] = above_sq[x + 1] + run_sq;
		}
	}
}

size_t vision_tilted_scratch(int w, int h)
{
	return (size_t)3 * (size_t)(w + 2 * h + 3);
}

void vision_integral_tilted(const uint8_t *img, int w, int h, size_t stride,
                            int32_t *tilted, size_t out_stride, int32_t *scratch)
{
	/* The triangles spread one column per row, so the recurrence
	 *   T(X, Y) = T(X-1, Y-1) + T(X+1, Y-1) - T(X, Y-2) + I(X-1, Y-1) + I(X-1, Y-2)
	 * runs over X in [-h-1, w+h+1], where T is 0 at both ends; three rows kept. */
	int e_n = w + 2 * h + 3, off = h + 1;   /* column e holds X = e - off */
	int32_t *r[3] = { scratch, scratch + e_n, scratch + 2 * e_n };   /* Y-2, Y-1, Y */
	memset(scratch, 0, (size_t)3 * (size_t)e_n * sizeof(*scratch));
	memset(tilted, 0, (size_t)(w + 1) * sizeof(*tilted));
	for (int Y = 1; Y <= h; Y++) {
		const uint8_t *p1 = img + (size_t)(Y - 1) * stride;          /* row Y-1 */
		const uint8_t *p2 = Y >= 2 ? img + (size_t)(Y - 2) * stride : NULL;
		int32_t *cur = r[2];
		cur[0] = cur[e_n - 1] = 0;
		for (int e = 1; e < e_n - 1; e++) {
			int X = e - off;
			int32_t v = r[1][e - 1] + r[1][e + 1] - r[0][e];
			if (X >= 1 && X <= w) {
				v += p1[X - 1];
				if (p2)
					v += p2[X - 1];
			}
			cur[e] = v;
		}
		memcpy(tilted + (size_t)Y * out_stride, cur + off, (size_t)(w + 1) * sizeof(*cur));
		int32_t *t = r[0];
		r[0] = r[1];
		r[1] = r[2];
		r[2] = t;
	}
}
