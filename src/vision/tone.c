#include "vision/tone.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/rng.h"
#include "vision/bands.h"
#include "vision/srgb.h"

#define IN(mask, i) ((mask)[i] >= 128)

/* Each 8-bit sRGB value's linear light. */
static const float *linear_table(void)
{
	static float lut[256];
	static int ready;
	if (!ready) {
		for (int i = 0; i < 256; i++) {
			double c = i / 255.0;
			lut[i] = (float)(c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4));
		}
		ready = 1;
	}
	return lut;
}

static float srgb_to_linear(int v)
{
	return linear_table()[v];
}

/* D65 white */
static const double XN = 0.95047, YN = 1.0, ZN = 1.08883;

static double lab_f(double t)
{
	return t > 216.0 / 24389 ? vision_cbrt(t) : (24389.0 / 27 * t + 16) / 116;
}

static double lab_finv(double f)
{
	return f * f * f > 216.0 / 24389 ? f * f * f : (116 * f - 16) * 27 / 24389;
}

static void plain_rgb_to_lab(const uint8_t rgb[3], float lab[3])
{
	double r = srgb_to_linear(rgb[0]), g = srgb_to_linear(rgb[1]), b = srgb_to_linear(rgb[2]);
	double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
	double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
	double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
	double fx = lab_f(x / XN), fy = lab_f(y / YN), fz = lab_f(z / ZN);
	lab[0] = (float)(116 * fy - 16);
	lab[1] = (float)(500 * (fx - fy));
	lab[2] = (float)(200 * (fy - fz));
}

/* Each thread's last colours and their L*a*b*, one slot per hash of the
 * colour: a face's neighbouring pixels repeat colours (on AOC's face about 6
 * in 10 conversions find theirs), and a slot holds the formula's own floats,
 * so a hit changes nothing.  key: the colour plus bit 24, 0 for empty. */
#define LAB_SLOTS 4096

static _Thread_local struct lab_slot {
	uint32_t key;
	float lab[3];
} lab_cache[LAB_SLOTS];

void vision_rgb_to_lab(const uint8_t rgb[3], float lab[3])
{
	uint32_t key = 1u << 24 | (uint32_t)rgb[0] << 16 | (uint32_t)rgb[1] << 8 | rgb[2];
	struct lab_slot *slot = &lab_cache[(key * 2654435761u) >> 20];
	if (slot->key != key) {
		plain_rgb_to_lab(rgb, slot->lab);
		slot->key = key;
	}
	memcpy(lab, slot->lab, sizeof(slot->lab));
}

/* Four colours' L*a*b* at once (the row's cache misses), each colour in a
 * vector lane doing plain_rgb_to_lab's operations in their order, the cube
 * root vision_cbrt's: the same floats, but the four colours' divisions
 * overlap where one colour's wait on each other (a miss cost ~25 ns). */
#pragma GCC diagnostic ignored "-Wpsabi"
typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4l __attribute__((vector_size(32)));

/* vision_cbrt's first guess at the cube root of t (> 0; 1's for others). */
static inline double cbrt_guess(double t)
{
	double a = t > 0 ? t : 1;
	uint64_t bits;
	memcpy(&bits, &a, sizeof(bits));
	bits = bits / 3 + 0x2a9f7893782da1ceULL;
	memcpy(&a, &bits, sizeof(a));
	return a;
}

/* The vectors are made from their four values at once, never lane by lane:
 * GCC builds those through memory, and each vector's load waited on the
 * four stores (a third of the time). */
static inline v4d lab_f4(v4d t)
{
	/* vision_cbrt for the lanes above the knee (positive and finite
	 * there): its first guess from the bits, then its two Halley steps */
	v4d y = { cbrt_guess(t[0]), cbrt_guess(t[1]), cbrt_guess(t[2]), cbrt_guess(t[3]) };
	for (int i = 0; i < 2; i++) {
		v4d y3 = y * y * y;
		y *= (y3 + 2 * t) / (2 * y3 + t);
	}
	v4l above = t > 216.0 / 24389;
	v4d linear = (24389.0 / 27 * t + 16) / 116;
	return (v4d)((above & (v4l)y) | (~above & (v4l)linear));
}

__attribute__((target_clones("avx2", "default"))) static void rgb_to_lab4(const uint8_t *const rgb[4],
                                                                         float *const lab[4])
{
	const float *lin = linear_table();
	v4d r = { lin[rgb[0][0]], lin[rgb[1][0]], lin[rgb[2][0]], lin[rgb[3][0]] };
	v4d g = { lin[rgb[0][1]], lin[rgb[1][1]], lin[rgb[2][1]], lin[rgb[3][1]] };
	v4d b = { lin[rgb[0][2]], lin[rgb[1][2]], lin[rgb[2][2]], lin[rgb[3][2]] };
	v4d x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
	v4d y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
	v4d z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
	v4d fx = lab_f4(x / XN), fy = lab_f4(y / YN), fz = lab_f4(z / ZN);
	v4d l = 116 * fy - 16, a = 500 * (fx - fy), bb = 200 * (fy - fz);
	for (int k = 0; k < 4; k++) {
		lab[k][0] = (float)l[k];
		lab[k][1] = (float)a[k];
		lab[k][2] = (float)bb[k];
	}
}

void vision_rgb_to_lab_row(const uint8_t *rgb, int n, const uint8_t *mask, int at, float *lab)
{
	struct lab_slot *cache = lab_cache;
	/* the misses wait in fours: colour, output, slot and key */
	const uint8_t *miss_rgb[4];
	float *miss_lab[4];
	struct lab_slot *miss_slot[4];
	uint32_t miss_key[4];
	int misses = 0;
	for (int i = 0; i <= n; i++) {
		if (i < n) {
			if (mask && mask[i] < at)
				continue;
			const uint8_t *p = rgb + 3 * (size_t)i;
			uint32_t key = 1u << 24 | (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
			struct lab_slot *slot = &cache[(key * 2654435761u) >> 20];
			if (slot->key == key) {
				memcpy(lab + 3 * (size_t)i, slot->lab, sizeof(slot->lab));
				continue;
			}
			miss_rgb[misses] = p;
			miss_lab[misses] = lab + 3 * (size_t)i;
			miss_slot[misses] = slot;
			miss_key[misses] = key;
			if (++misses < 4)
				continue;
		} else if (!misses) {
			break;
		}
		/* four misses, or the row's last few with the first repeated */
		for (int k = misses; k < 4; k++) {
			miss_rgb[k] = miss_rgb[0];
			miss_lab[k] = miss_lab[0];
		}
		rgb_to_lab4(miss_rgb, miss_lab);
		/* the slots in the misses' order: where two share one, the later
		 * keeps it, as one at a time */
		for (int k = 0; k < misses; k++) {
			memcpy(miss_slot[k]->lab, miss_lab[k], sizeof(miss_slot[k]->lab));
			miss_slot[k]->key = miss_key[k];
		}
		misses = 0;
	}
}

/* Four pixels' L*a*b* to RGB at once, each in a vector lane doing
 * vision_lab_to_rgb's operations in their order: the same bytes. */
static inline v4d lab_finv4(v4d f)
{
	v4d f3 = f * f * f;
	v4l above = f3 > 216.0 / 24389;
	v4d linear = (116 * f - 16) * 27 / 24389;
	return (v4d)((above & (v4l)f3) | (~above & (v4l)linear));
}

__attribute__((target_clones("avx2", "default"))) static void lab_to_rgb4(const float *const lab[4],
                                                                         uint8_t *const rgb[4])
{
	/* L* + 16 in float, as the scalar code adds */
	v4d l = { lab[0][0] + 16, lab[1][0] + 16, lab[2][0] + 16, lab[3][0] + 16 };
	v4d a = { lab[0][1], lab[1][1], lab[2][1], lab[3][1] };
	v4d b = { lab[0][2], lab[1][2], lab[2][2], lab[3][2] };
	v4d fy = l / 116.0, fx = fy + a / 500.0, fz = fy - b / 200.0;
	v4d x = XN * lab_finv4(fx), y = YN * lab_finv4(fy), z = ZN * lab_finv4(fz);
	v4d r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
	v4d g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z;
	v4d bl = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
	const struct vision_srgb_tables *t = vision_srgb_tables();
	for (int k = 0; k < 4; k++) {
		rgb[k][0] = vision_srgb8(t, (float)r[k]);
		rgb[k][1] = vision_srgb8(t, (float)g[k]);
		rgb[k][2] = vision_srgb8(t, (float)bl[k]);
	}
}

void vision_lab_to_rgb_row(const float *lab, int n, const uint8_t *mask, int at, uint8_t *rgb)
{
	const float *from[4];
	uint8_t *to[4];
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (mask && mask[i] < at)
			continue;
		from[k] = lab + 3 * (size_t)i;
		to[k] = rgb + 3 * (size_t)i;
		if (++k == 4) {
			lab_to_rgb4(from, to);
			k = 0;
		}
	}
	for (int i = 0; i < k; i++)
		vision_lab_to_rgb(from[i], to[i]);
}

void vision_lab_to_rgb(const float lab[3], uint8_t rgb[3])
{
	const struct vision_srgb_tables *t = vision_srgb_tables();
	double fy = (lab[0] + 16) / 116.0, fx = fy + lab[1] / 500.0, fz = fy - lab[2] / 200.0;
	double x = XN * lab_finv(fx), y = YN * lab_finv(fy), z = ZN * lab_finv(fz);
	rgb[0] = vision_srgb8(t, (float)(3.2404542 * x - 1.5371385 * y - 0.4985314 * z));
	rgb[1] = vision_srgb8(t, (float)(-0.9692660 * x + 1.8760108 * y + 0.0415560 * z));
	rgb[2] = vision_srgb8(t, (float)(0.0556434 * x - 0.2040259 * y + 1.0572252 * z));
}

long vision_lab_stats(const media_image *img, const uint8_t *mask, double stats[6])
{
	double s[3] = { 0 }, s2[3] = { 0 };
	long n = 0;
	float *row = bj_xmalloc((size_t)img->width * 3 * sizeof(float));
	for (int y = 0; y < img->height; y++) {
		const uint8_t *m = mask + (size_t)y * img->width;
		vision_rgb_to_lab_row(img->data + (size_t)y * img->stride, img->width, m, 128, row);
		for (int x = 0; x < img->width; x++) {
			if (m[x] < 128)
				continue;
			const float *lab = row + 3 * (size_t)x;
			for (int c = 0; c < 3; c++)
				s[c] += lab[c], s2[c] += (double)lab[c] * lab[c];
			n++;
		}
	}
	free(row);
	for (int c = 0; c < 3; c++) {
		stats[c] = n ? s[c] / n : 0;
		stats[3 + c] = n ? sqrt(fmax(s2[c] / n - stats[c] * stats[c], 0)) : 0;
	}
	return n;
}

void vision_lab_transfer(media_image *img, const uint8_t *mask, const double from[6],
                         const double to[6], int mono)
{
	double gain[3];
	for (int c = 0; c < 3; c++) {
		gain[c] = from[3 + c] > 1e-6 ? to[3 + c] / from[3 + c] : 1;
		gain[c] = fmin(fmax(gain[c], 0.25), 4);
	}
	for (int y = 0; y < img->height; y++)
		for (int x = 0; x < img->width; x++) {
			if (!mask[(size_t)y * img->width + x])
				continue;
			uint8_t *p = img->data + (size_t)y * img->stride + 3 * (size_t)x;
			float lab[3];
			vision_rgb_to_lab(p, lab);
			for (int c = 0; c < 3; c++)
				lab[c] = (float)((lab[c] - from[c]) * gain[c] + to[c]);
			if (mono)
				lab[1] = lab[2] = 0;
			vision_lab_to_rgb(lab, p);
		}
}

double vision_chroma(const media_image *img, const uint8_t *mask)
{
	double s = 0;
	long n = 0;
	float *row = bj_xmalloc((size_t)img->width * 3 * sizeof(float));
	for (int y = 0; y < img->height; y++) {
		const uint8_t *m = mask + (size_t)y * img->width;
		vision_rgb_to_lab_row(img->data + (size_t)y * img->stride, img->width, m, 128, row);
		for (int x = 0; x < img->width; x++) {
			if (m[x] < 128)
				continue;
			const float *lab = row + 3 * (size_t)x;
			s += (double)lab[1] * lab[1] + (double)lab[2] * lab[2];
			n++;
		}
	}
	free(row);
	return n ? sqrt(s / n) : 0;
}

int vision_is_monochrome(const media_image *img, const uint8_t *mask)
{
	return vision_chroma(img, mask) < 4;
}

static float luma(const media_image *img, int x, int y)
{
	const uint8_t *p = img->data + (size_t)y * img->stride + 3 * (size_t)x;
	return 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
}

/* The high-pass residual of the luma, pixel minus the mean of the 3 x 3
 * pixels around it, along row y from x0 to x1 - 1 (all one in from the
 * picture's edges) into res[0 .. x1 - x0 - 1]; lum holds 3 (x1 - x0 + 2)
 * floats of scratch.  Each pixel's luma is worked out once, not for each of
 * the nine means it is in, and the nine are added in the one order (rows
 * down, each from the left), so each residual has the floats of the plain
 * sum: a quarter of the time. */
static void residual_row(const media_image *img, int y, int x0, int x1, float *lum, float *res)
{
	int n = x1 - x0 + 2;
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < n; i++)
			lum[k * n + i] = luma(img, x0 - 1 + i, y - 1 + k);
	const float *up = lum, *mid = lum + n, *down = lum + 2 * n;
	for (int i = 1; i + 1 < n; i++) {
		float s = 0;
		s += up[i - 1], s += up[i], s += up[i + 1];
		s += mid[i - 1], s += mid[i], s += mid[i + 1];
		s += down[i - 1], s += down[i], s += down[i + 1];
		res[i - 1] = mid[i] - s / 9.0f;
	}
}

/* The value a sort would put at r[k] (k < n), found by partitioning round a
 * median-of-three pivot rather than sorting: r's values are moved about.  A
 * face's residuals are a few thousand, and sorting them was the swap thread's
 * costliest measure. */
static float kth_smallest(float *r, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		float a = r[lo], b = r[lo + (hi - lo) / 2], c = r[hi];
		float pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		size_t i = lo, j = hi;
		/* afterwards r[lo..j] <= pivot <= r[i..hi], and what lies between
		 * equals the pivot */
		while (i <= j) {
			while (r[i] < pivot)
				i++;
			while (r[j] > pivot)
				j--;
			if (i <= j) {
				float t = r[i];
				r[i++] = r[j];
				r[j] = t;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return r[k];
	}
	return r[k];
}

double vision_noise_sigma(const media_image *img, const uint8_t *mask)
{
	size_t cap = 0, n = 0;
	float *r = NULL;
	if (img->width < 3 || img->height < 3)
		return 0;
	/* the rows' masked stretch only (the mask's bounding box) */
	int xa = img->width, xb = 0;
	for (int y = 1; y + 1 < img->height; y++)
		for (int x = 1; x + 1 < img->width; x++)
			if (IN(mask, (size_t)y * img->width + x)) {
				xa = x < xa ? x : xa;
				xb = x + 1 > xb ? x + 1 : xb;
			}
	if (xb <= xa)
		return 0;
	float *lum = bj_xmalloc(3 * ((size_t)xb - xa + 2) * sizeof(float)), *res = bj_xmalloc(((size_t)xb - xa) * sizeof(float));
	for (int y = 1; y + 1 < img->height; y++) {
		const uint8_t *m = mask + (size_t)y * img->width;
		int any = 0;
		for (int x = xa; x < xb && !any; x++)
			any = m[x] >= 128;
		if (!any)
			continue;
		residual_row(img, y, xa, xb, lum, res);
		for (int x = xa; x < xb; x++) {
			if (m[x] < 128)
				continue;
			BJ_GROW(r, cap, n + 1);
			r[n++] = fabsf(res[x - xa]);
		}
	}
	free(lum);
	free(res);
	if (!n)
		return 0;
	double med = kth_smallest(r, n, n / 2);
	free(r);
	/* for white noise of sigma s, pixel minus its 3x3 mean has sd s * sqrt(8/9);
	 * a normal's median absolute value is 0.6745 sd */
	return med / 0.6745 / sqrt(8.0 / 9);
}

/* splitmix64's finaliser: a well-mixed 64-bit hash of x. */
static uint64_t mix(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

void vision_add_grain(media_image *img, const uint8_t *mask, double sigma, uint64_t seed, int ox, int oy)
{
	if (!(sigma > 0))
		return;
	/* four uniforms on 0..65535 sum to mean 131070, variance 4 * 65536^2 / 12 */
	double scale = sigma / (65536.0 / sqrt(3.0));
	uint64_t key = mix(seed);
	for (int y = 0; y < img->height; y++)
		for (int x = 0; x < img->width; x++) {
			if (!IN(mask, (size_t)y * img->width + x))
				continue;
			uint64_t h = mix(key ^ ((uint64_t)(uint32_t)(x - ox) << 32 | (uint32_t)(y - oy)));
			double u = (double)(h & 0xFFFF) + (double)(h >> 16 & 0xFFFF) + (double)(h >> 32 & 0xFFFF) +
			           (double)(h >> 48) - 131070.0;
			double g = scale * u;
			uint8_t *p = img->data + (size_t)y * img->stride + 3 * (size_t)x;
			for (int c = 0; c < 3; c++) {
				double v = p[c] + g + 0.5;
				p[c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
			}
		}
}

struct grain_job {
	media_image *img;
	const media_image *footage;
	const uint8_t *mask;
	int x0, y0, x1, y1;
	double gain, limit;
};

/* Band number band of the rows: every pixel reads only the footage, which
 * is not written, and writes only itself, so the bands are independent. */
static void grain_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct grain_job *j = ctx;
	int ya, yb, w = j->x1 - j->x0;
	float *lum = bj_xmalloc(3 * ((size_t)w + 2) * sizeof(float)), *res = bj_xmalloc((size_t)w * sizeof(float));
	vision_band_rows(band, j->y0, j->y1, &ya, &yb);
	for (int y = ya; y < yb; y++) {
		residual_row(j->footage, y, j->x0, j->x1, lum, res);
		for (int x = j->x0; x < j->x1; x++) {
			if (!IN(j->mask, (size_t)y * j->img->width + x))
				continue;
			double g = res[x - j->x0];
			g = j->gain * (g < -j->limit ? -j->limit : g > j->limit ? j->limit : g);
			uint8_t *p = j->img->data + (size_t)y * j->img->stride + 3 * (size_t)x;
			for (int c = 0; c < 3; c++) {
				double v = p[c] + g + 0.5;
				p[c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
			}
		}
	}
	free(lum);
	free(res);
}

void vision_add_footage_grain_on(bj_pool *pool, media_image *img, const media_image *footage, const uint8_t *mask,
                                 vision_rect r, double gain, double limit)
{
	if (!(gain > 0) || !(limit > 0))
		return;
	struct grain_job j = { img, footage, mask, r.x0 > 1 ? r.x0 : 1, r.y0 > 1 ? r.y0 : 1,
		               r.x1 < footage->width - 1 ? r.x1 : footage->width - 1,
		               r.y1 < footage->height - 1 ? r.y1 : footage->height - 1, gain, limit };
	if (j.y1 <= j.y0 || j.x1 <= j.x0)
		return;
	vision_bands_run(pool, grain_band, &j);
}

/* Summed-area table of img's luma over the box x0..x1-1, y0..y1-1 grown by
 * pad on every side, with what lies beyond the picture clamped to its edge
 * (as box_mean reads it): t[(y + 1) * (w + 1) + x + 1] sums the grown box's
 * rows 0..y and columns 0..x, w the grown box's width. */
static double *luma_table(const media_image *img, int x0, int y0, int x1, int y1, int pad, int *w)
{
	int gw = x1 - x0 + 2 * pad, gh = y1 - y0 + 2 * pad;
	double *t = bj_xcalloc((size_t)(gw + 1) * (gh + 1), sizeof(*t));
	for (int j = 0; j < gh; j++) {
		int y = y0 - pad + j;
		y = y < 0 ? 0 : y >= img->height ? img->height - 1 : y;
		double row = 0;
		for (int i = 0; i < gw; i++) {
			int x = x0 - pad + i;
			x = x < 0 ? 0 : x >= img->width ? img->width - 1 : x;
			row += luma(img, x, y);
			t[(size_t)(j + 1) * (gw + 1) + i + 1] = t[(size_t)j * (gw + 1) + i + 1] + row;
		}
	}
	*w = gw;
	return t;
}

/* box_mean from the table: the square of side 2r + 1 around table pixel (i, j). */
static float table_box_mean(const double *t, int w, int i, int j, int r)
{
	size_t s = (size_t)w + 1;
	double sum = t[(size_t)(j + r + 1) * s + i + r + 1] - t[(size_t)(j - r) * s + i + r + 1] -
	             t[(size_t)(j + r + 1) * s + i - r] + t[(size_t)(j - r) * s + i - r];
	return (float)sum / (float)((2 * r + 1) * (2 * r + 1));
}

double vision_sharpness(const media_image *img, const uint8_t *mask)
{
	/* only the mask's bounding box is read, and each box mean in constant
	 * time: this runs a dozen times a search (match_sharpness) */
	int mx0 = img->width, my0 = img->height, mx1 = 0, my1 = 0;
	for (int y = 0; y < img->height; y++)
		for (int x = 0; x < img->width; x++)
			if (IN(mask, (size_t)y * img->width + x)) {
				mx0 = x < mx0 ? x : mx0;
				mx1 = x + 1 > mx1 ? x + 1 : mx1;
				my0 = y < my0 ? y : my0;
				my1 = y + 1;
			}
	if (mx1 <= mx0)
		return 0;
	int w;
	double *t = luma_table(img, mx0, my0, mx1, my1, 4, &w);
	double fine = 0, coarse = 0;
	for (int y = my0; y < my1; y++)
		for (int x = mx0; x < mx1; x++) {
			if (!IN(mask, (size_t)y * img->width + x))
				continue;
			float v = luma(img, x, y);
			int i = x - mx0 + 4, j = y - my0 + 4;
			fine += fabsf(v - table_box_mean(t, w, i, j, 1));
			coarse += fabsf(v - table_box_mean(t, w, i, j, 4));
		}
	free(t);
	return coarse > 0 ? fine / coarse : 0;
}

/* out[j] += k * src[j] for j < n, eight at a time in GCC vectors (in clones
 * for AVX2 and plain x86-64): each j gets the product and the sum the plain
 * loop gives it (C11 mode: no fused multiply-add), so the same bytes. */
typedef float v8f __attribute__((vector_size(32)));

__attribute__((target_clones("avx2", "default"))) static void add_scaled(float *out, const float *src, float k,
                                                                        int n)
{
	int j = 0;
	for (; j + 8 <= n; j += 8) {
		v8f o, v;
		memcpy(&o, out + j, sizeof(o));
		memcpy(&v, src + j, sizeof(v));
		o += k * v;
		memcpy(out + j, &o, sizeof(o));
	}
	for (; j < n; j++)
		out[j] += k * src[j];
}

struct blur_job {
	media_image *img;
	vision_rect r;
	int rad, w, h;
	const float *k;
	float *tmp, *scratch; /* scratch: a padded row per thread */
};

/* Band number band of the rows blurred along x into tmp. */
static void blur_rows_band(void *ctx, int band, int thread)
{
	const struct blur_job *j = ctx;
	int rad = j->rad, w = j->w, ya, yb;
	float *pad = j->scratch + (size_t)thread * (w + 2 * rad) * 3;
	vision_band_rows(band, 0, j->h, &ya, &yb);
	for (int y = ya; y < yb; y++) {
		const uint8_t *row = j->img->data + (size_t)(j->r.y0 + y) * j->img->stride + 3 * (size_t)j->r.x0;
		for (int x = -rad; x < w + rad; x++) {
			int xx = x < 0 ? 0 : x >= w ? w - 1 : x;
			for (int c = 0; c < 3; c++)
				pad[3 * (size_t)(x + rad) + c] = row[3 * xx + c];
		}
		float *out = j->tmp + (size_t)y * w * 3;
		for (int i = 0; i < 3 * w; i++)
			out[i] = 0;
		for (int i = 0; i <= 2 * rad; i++)
			add_scaled(out, pad + 3 * (size_t)i, j->k[i], 3 * w);
	}
}

/* Band number band of the rows blurred along y from tmp into the image. */
static void blur_columns_band(void *ctx, int band, int thread)
{
	const struct blur_job *j = ctx;
	int rad = j->rad, w = j->w, h = j->h, ya, yb;
	float *acc = j->scratch + (size_t)thread * (w + 2 * rad) * 3;
	vision_band_rows(band, 0, h, &ya, &yb);
	for (int y = ya; y < yb; y++) {
		for (int i = 0; i < 3 * w; i++)
			acc[i] = 0;
		for (int i = -rad; i <= rad; i++) {
			int yy = y + i < 0 ? 0 : y + i >= h ? h - 1 : y + i;
			add_scaled(acc, j->tmp + (size_t)yy * w * 3, j->k[i + rad], 3 * w);
		}
		uint8_t *row = j->img->data + (size_t)(j->r.y0 + y) * j->img->stride + 3 * (size_t)j->r.x0;
		for (int i = 0; i < 3 * w; i++)
			row[i] = (uint8_t)(acc[i] + 0.5f);
	}
}

void vision_blur_on(bj_pool *pool, media_image *img, vision_rect r, double sigma)
{
	if (!(sigma > 0) || r.x1 <= r.x0 || r.y1 <= r.y0)
		return;
	int rad = (int)ceil(3 * sigma), w = r.x1 - r.x0, h = r.y1 - r.y0;
	float *k = bj_xmalloc((size_t)(2 * rad + 1) * sizeof(float));
	float ks = 0;
	for (int i = -rad; i <= rad; i++)
		ks += k[i + rad] = (float)exp(-0.5 * i * i / (sigma * sigma));
	for (int i = 0; i <= 2 * rad; i++)
		k[i] /= ks;
	/* each output sums k[i] * the clamped neighbour for i = -rad..rad in that
	 * order; done a tap at a time over a whole row (of a padded copy), which
	 * adds the same products in the same order but runs vectorised
	 * (add_scaled); every row on its own, so the bands give the same bytes */
	int threads = pool ? bj_pool_threads(pool) : 1;
	struct blur_job j = { img, r, rad, w, h, k, bj_xmalloc((size_t)w * h * 3 * sizeof(float)),
		              bj_xmalloc((size_t)threads * (w + 2 * rad) * 3 * sizeof(float)) };
	vision_bands_run(pool, blur_rows_band, &j);
	vision_bands_run(pool, blur_columns_band, &j);
	free(j.scratch);
	free(j.tmp);
	free(k);
}

void vision_blur(media_image *img, vision_rect r, double sigma)
{
	vision_blur_on(NULL, img, r, sigma);
}

static void copy_pixels(media_image *dst, const media_image *src)
{
	for (int y = 0; y < src->height; y++)
		memcpy(dst->data + (size_t)y * dst->stride, src->data + (size_t)y * src->stride, (size_t)src->width * 3);
}

/* The setting of apply (0, step, 2 step, ... up to steps steps) that brings
 * face's sharpness nearest to footage's, searched upwards until the gap grows
 * by more than slack (sharpness changes one way with the setting). */
static double match_sharpness(const media_image *face, const media_image *footage, const uint8_t *mask,
                              vision_rect r, void (*apply)(media_image *, vision_rect, double), double step,
                              int steps, double slack)
{
	double want = vision_sharpness(footage, mask);
	media_image *tmp = media_image_new(face->width, face->height, 3);
	if (!tmp)
		return 0;
	double best = 0, best_err = INFINITY;
	for (int i = 0; i <= steps; i++) {
		copy_pixels(tmp, face);
		apply(tmp, r, i * step);
		double err = fabs(vision_sharpness(tmp, mask) - want);
		if (err < best_err)
			best_err = err, best = i * step;
		else if (err >= best_err + slack)
			break;
	}
	media_image_free(tmp);
	return best;
}

double vision_blur_to_match(const media_image *face, const media_image *footage,
                            const uint8_t *mask, vision_rect r)
{
	/* a little slack: a blur's sharpness is not quite monotonic in sigma */
	return match_sharpness(face, footage, mask, r, vision_blur, 0.25, 12, 0.05);
}

/* img + amount * (img - its Gaussian blur of sigma) over r. */
struct unsharp_job {
	media_image *img;
	const media_image *soft;
	vision_rect r;
	double amount;
};

/* In clones for AVX2 and plain x86-64: a row's bytes in vector lanes (the
 * row and the fields read once, as a byte store may alias them), each lane
 * the scalar operations. */
__attribute__((target_clones("avx2", "default"))) static void unsharp_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct unsharp_job *j = ctx;
	int ya, yb, n = 3 * (j->r.x1 - j->r.x0);
	double amount = j->amount;
	vision_band_rows(band, 0, j->r.y1 - j->r.y0, &ya, &yb);
	for (int y = ya; y < yb; y++) {
		uint8_t *restrict p = j->img->data + (size_t)(j->r.y0 + y) * j->img->stride + 3 * (size_t)j->r.x0;
		const uint8_t *restrict soft = j->soft->data + (size_t)y * j->soft->stride;
		for (int x = 0; x < n; x++) {
			double v = p[x] + amount * (p[x] - soft[x]) + 0.5;
			p[x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
		}
	}
}

static void unsharp(bj_pool *pool, media_image *img, vision_rect r, double sigma, double amount)
{
	int w = r.x1 - r.x0, h = r.y1 - r.y0;
	media_image *soft = media_image_new(w, h, 3);
	if (!soft)
		return;
	for (int y = 0; y < h; y++)
		memcpy(soft->data + (size_t)y * soft->stride, img->data + (size_t)(r.y0 + y) * img->stride + 3 * (size_t)r.x0,
		       (size_t)w * 3);
	vision_blur_on(pool, soft, (vision_rect){ 0, 0, w, h }, sigma);
	struct unsharp_job j = { img, soft, r, amount };
	vision_bands_run(pool, unsharp_band, &j);
	media_image_free(soft);
}

void vision_sharpen_on(bj_pool *pool, media_image *img, vision_rect r, double amount)
{
	if (!(amount > 0) || r.x1 <= r.x0 || r.y1 <= r.y0)
		return;
	unsharp(pool, img, r, 1.0, amount);
}

void vision_sharpen(media_image *img, vision_rect r, double amount)
{
	vision_sharpen_on(NULL, img, r, amount);
}

void vision_soften_detail_on(bj_pool *pool, media_image *img, vision_rect r, double gain)
{
	if (!(gain < 1) || r.x1 <= r.x0 || r.y1 <= r.y0)
		return;
	unsharp(pool, img, r, VISION_DETAIL_SIGMA, (gain < 0 ? 0 : gain) - 1);
}

void vision_soften_detail(media_image *img, vision_rect r, double gain)
{
	vision_soften_detail_on(NULL, img, r, gain);
}

double vision_texture(const media_image *img, const uint8_t *mask, vision_rect r)
{
	double sum = 0;
	for (int y = r.y0 < 0 ? 0 : r.y0; y + 1 < r.y1 && y + 1 < img->height; y++)
		for (int x = r.x0 < 0 ? 0 : r.x0; x + 1 < r.x1 && x + 1 < img->width; x++) {
			if (mask[(size_t)y * img->width + x] < 128)
				continue;
			const uint8_t *p = img->data + (size_t)y * img->stride + 3 * (size_t)x;
			for (int c = 0; c < 3; c++)
				sum += abs(p[c + 3] - p[c]) + abs(p[c + img->stride] - p[c]);
		}
	return sum;
}

double vision_sharpen_to_match(const media_image *face, const media_image *footage,
                               const uint8_t *mask, vision_rect r)
{
	return match_sharpness(face, footage, mask, r, vision_sharpen, 0.25, 6, 0);
}
