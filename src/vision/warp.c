#include "vision/warp.h"

#include <math.h>

#include "base/error.h"
#include "vision/bands.h"

void vision_warp_frame(const float *pts, int n, float *out)
{
	float minx = pts[0], maxx = pts[0], miny = pts[1], maxy = pts[1];
	for (int i = 0; i < n; i++) {
		out[2 * i] = pts[2 * i];
		out[2 * i + 1] = pts[2 * i + 1];
		minx = fminf(minx, pts[2 * i]);
		maxx = fmaxf(maxx, pts[2 * i]);
		miny = fminf(miny, pts[2 * i + 1]);
		maxy = fmaxf(maxy, pts[2 * i + 1]);
	}
	float w = maxx - minx, h = maxy - miny;
	float l = minx - 0.3f * w, r = maxx + 0.3f * w, t = miny - 0.6f * h, b = maxy + 0.3f * h;
	const float frame[VISION_WARP_FRAME_POINTS][2] = {
		{ l, t }, { (l + r) / 2, t }, { r, t }, { r, (t + b) / 2 },
		{ r, b }, { (l + r) / 2, b }, { l, b }, { l, (t + b) / 2 },
	};
	for (int k = 0; k < VISION_WARP_FRAME_POINTS; k++) {
		out[2 * (n + k)] = frame[k][0];
		out[2 * (n + k) + 1] = frame[k][1];
	}
}

/* Bilinear sample of channel-interleaved src (c channels) at (x, y), clamped
 * at the edges; inlined with c a constant where it is one, so the channel
 * loop unrolls. */
static inline void sample(const media_image *src, int c, float x, float y, uint8_t *out)
{
	x = x < 0 ? 0 : x > (float)(src->width - 1) ? (float)(src->width - 1) : x;
	y = y < 0 ? 0 : y > (float)(src->height - 1) ? (float)(src->height - 1) : y;
	int x0 = (int)x, y0 = (int)y;
	int dx = x0 + 1 < src->width ? c : 0;
	size_t dy = y0 + 1 < src->height ? (size_t)src->stride : 0;
	float fx = x - (float)x0, fy = y - (float)y0;
	const uint8_t *p = src->data + (size_t)y0 * src->stride + (size_t)x0 * c;
	for (int k = 0; k < c; k++) {
		float top = p[k] + fx * (p[k + dx] - p[k]);
		float bot = p[k + dy] + fx * (p[k + dy + dx] - p[k + dy]);
		out[k] = (uint8_t)(top + fy * (bot - top) + 0.5f);
	}
}

/* sample for 3 channels with the channels in a vector's lanes: each lane
 * the scalar operations in their order (the byte differences as integers,
 * converted, scaled and added in float), so the same bytes
 * (tests/vision/test_warp.c compares with a plain warp). */
typedef float warp_floats __attribute__((vector_size(4 * sizeof(float))));
typedef int warp_ints __attribute__((vector_size(4 * sizeof(int))));

static inline warp_ints rgb_at(const uint8_t *p)
{
	return (warp_ints){ p[0], p[1], p[2], 0 };
}

static inline void sample3(const media_image *src, float x, float y, uint8_t *out)
{
	x = x < 0 ? 0 : x > (float)(src->width - 1) ? (float)(src->width - 1) : x;
	y = y < 0 ? 0 : y > (float)(src->height - 1) ? (float)(src->height - 1) : y;
	int x0 = (int)x, y0 = (int)y;
	int dx = x0 + 1 < src->width ? 3 : 0;
	size_t dy = y0 + 1 < src->height ? (size_t)src->stride : 0;
	float fx = x - (float)x0, fy = y - (float)y0;
	const uint8_t *p = src->data + (size_t)y0 * src->stride + (size_t)x0 * 3;
	warp_ints a = rgb_at(p), b = rgb_at(p + dx), c = rgb_at(p + dy), d = rgb_at(p + dy + dx);
	warp_floats top = __builtin_convertvector(a, warp_floats) + fx * __builtin_convertvector(b - a, warp_floats);
	warp_floats bot = __builtin_convertvector(c, warp_floats) + fx * __builtin_convertvector(d - c, warp_floats);
	warp_ints v = __builtin_convertvector(top + fy * (bot - top) + 0.5f, warp_ints);
	out[0] = (uint8_t)v[0];
	out[1] = (uint8_t)v[1];
	out[2] = (uint8_t)v[2];
}

/* Narrows [*lo, *hi] to the x where a + b x >= 0. */
static void half_line(double a, double b, double *lo, double *hi)
{
	if (b > 0)
		*lo = fmax(*lo, -a / b);
	else if (b < 0)
		*hi = fmin(*hi, -a / b);
	else if (a < 0)
		*hi = *lo - 1;
}

/* What a band of destination rows needs. */
struct warp_job {
	const media_image *src;
	const float *src_pts, *dst_pts;
	media_image *dst;
	const int *tris;
	int n_tris;
	uint8_t *covered;
};

/* Every triangle's pixels in band number band of dst's rows, the triangles in
 * their order: a pixel on an edge two triangles share gets the later one's
 * colour, as it would on one thread.  In clones for AVX2 (its rounding
 * instructions for floor and ceil, its three-operand forms: 3.8 -> 3.3 ms
 * for a face warped onto 480 x 480) and plain x86-64; the same bytes, as no
 * operation is contracted or reordered. */
__attribute__((target_clones("avx2", "default"))) static void warp_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct warp_job *j = ctx;
	const media_image *src = j->src;
	media_image *dst = j->dst;
	const float *src_pts = j->src_pts, *dst_pts = j->dst_pts;
	int c = dst->channels, band0, band1;
	vision_band_rows(band, 0, dst->height, &band0, &band1);
	for (int i = 0; i < j->n_tris; i++) {
		const int *v = j->tris + 3 * i;
		double dx0 = dst_pts[2 * v[0]], dy0 = dst_pts[2 * v[0] + 1];
		double e1x = dst_pts[2 * v[1]] - dx0, e1y = dst_pts[2 * v[1] + 1] - dy0;
		double e2x = dst_pts[2 * v[2]] - dx0, e2y = dst_pts[2 * v[2] + 1] - dy0;
		double det = e1x * e2y - e1y * e2x;
		double sx0 = src_pts[2 * v[0]], sy0 = src_pts[2 * v[0] + 1];
		double s1x = src_pts[2 * v[1]] - sx0, s1y = src_pts[2 * v[1] + 1] - sy0;
		double s2x = src_pts[2 * v[2]] - sx0, s2y = src_pts[2 * v[2] + 1] - sy0;
		if (fabs(det) < 1e-9 || fabs(s1x * s2y - s1y * s2x) < 1e-9)
			continue;
		double inv = 1 / det;
		double minx = fmin(dx0, fmin(dx0 + e1x, dx0 + e2x)), maxx = fmax(dx0, fmax(dx0 + e1x, dx0 + e2x));
		double miny = fmin(dy0, fmin(dy0 + e1y, dy0 + e2y)), maxy = fmax(dy0, fmax(dy0 + e1y, dy0 + e2y));
		int x0 = (int)fmax(ceil(minx), 0), x1 = (int)fmin(floor(maxx), dst->width - 1);
		int y0 = (int)fmax(ceil(miny), band0), y1 = (int)fmin(floor(maxy), band1 - 1);
		/* barycentric (b1, b2) of a pixel, linear in x along a row:
		 * b1 = a1 + k1 x, b2 = a2 + k2 x; and the edge tolerance that keeps
		 * pixels on a shared edge from falling between two triangles */
		const double eps = 1e-7;
		double k1 = e2y / det, k2 = -e1y / det;
		for (int y = y0; y <= y1; y++) {
			double py = y - dy0;
			double a1 = (-dx0 * e2y - py * e2x) / det, a2 = (e1x * py + dx0 * e1y) / det;
			/* the row's span inside the triangle, a pixel wider for rounding;
			 * the test below has the last word */
			double lo = x0, hi = x1;
			half_line(a1 + eps, k1, &lo, &hi);
			half_line(a2 + eps, k2, &lo, &hi);
			half_line(1 + eps - a1 - a2, -k1 - k2, &lo, &hi);
			if (hi < lo)
				continue;
			int xa = (int)fmax(floor(lo) - 1, x0), xb = (int)fmin(ceil(hi) + 1, x1);
			uint8_t *row = dst->data + (size_t)y * dst->stride;
			for (int x = xa; x <= xb; x++) {
				double px = x - dx0;
				double b1 = (px * e2y - py * e2x) * inv, b2 = (e1x * py - e1y * px) * inv;
				if (b1 < -eps || b2 < -eps || b1 + b2 > 1 + eps)
					continue;
				float sx = (float)(sx0 + b1 * s1x + b2 * s2x), sy = (float)(sy0 + b1 * s1y + b2 * s2y);
				if (c == 3)
					sample3(src, sx, sy, row + (size_t)x * 3);
				else
					sample(src, c, sx, sy, row + (size_t)x * c);
				if (j->covered)
					j->covered[(size_t)y * dst->width + x] = 255;
			}
		}
	}
}

int vision_warp_affine(const media_image *src, const float *src_pts, media_image *dst,
                       const float *dst_pts, const int *tris, int n_tris, uint8_t *covered)
{
	return vision_warp_affine_on(NULL, src, src_pts, dst, dst_pts, tris, n_tris, covered);
}

int vision_warp_affine_on(bj_pool *pool, const media_image *src, const float *src_pts, media_image *dst,
                          const float *dst_pts, const int *tris, int n_tris, uint8_t *covered)
{
	if (src->channels != dst->channels)
		return bj_error_set(BJ_EINVAL, "warp: source has %d channels, destination %d",
		                    src->channels, dst->channels);
	struct warp_job j = { src, src_pts, dst_pts, dst, tris, n_tris, covered };
	vision_bands_run(pool, warp_band, &j);
	return 0;
}
