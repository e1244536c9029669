#include "vision/skin.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/fmath.h"
#include "vision/bands.h"
#include "vision/face_mask.h"
#include "vision/hole_rim.h"
#include "vision/internal.h"
#include "vision/poisson.h"
#include "vision/srgb.h"

/* Whether (x, y) is more than reach from the polyline through the landmarks
 * first..last (closed back to first when closed) and, for a closed one, not
 * inside it (even-odd rule).  A segment is near when hypot of its offset is at
 * most reach; the squared offset decides it without the hypot unless within a
 * billionth of reach squared, so the answer is hypot's to the last bit, and
 * the first near segment ends the walk. */
static int far_from(const float *lm, int first, int last, int closed, double x, double y, double reach)
{
	if (isnan(reach))
		return 0;
	double lo = reach * reach * (1 - 1e-9), hi = reach * reach * (1 + 1e-9);
	int inside = 0, n = last - first + 1;
	for (int k = closed ? 0 : 1; k < n; k++) {
		const float *a = lm + 2 * (first + (k + n - 1) % n), *b = lm + 2 * (first + k);
		double ax = a[0], ay = a[1], ex = b[0] - ax, ey = b[1] - ay, len2 = ex * ex + ey * ey;
		if (closed && (ay > y) != (b[1] > y) && x < ax + (y - ay) * ex / ey)
			inside = !inside;
		double t = len2 > 0 ? ((x - ax) * ex + (y - ay) * ey) / len2 : 0;
		t = t < 0 ? 0 : t > 1 ? 1 : t;
		double dx = x - (ax + t * ex), dy = y - (ay + t * ey), d2 = dx * dx + dy * dy;
		/* a NaN offset is never near (fmin over the segments skipped it) */
		if (d2 < lo || (!(d2 > hi) && hypot(dx, dy) <= reach))
			return 0;
	}
	return !inside;
}

/* The features cut out of the skin: landmarks first..last, closed or not, and
 * how far around them (in eye widths) is not skin. */
static const struct feature {
	int first, last, closed;
	double grow;
} features[] = {
	{ 36, 41, 1, 0.45 },   /* eyes with their lids and lashes */
	{ 42, 47, 1, 0.45 },
	{ 17, 21, 0, 0.40 },   /* brows */
	{ 22, 26, 0, 0.40 },
	{ 31, 35, 0, 0.25 },   /* nostrils */
	{ 48, 59, 1, 0.20 },   /* lips */
};

enum { N_FEATURES = sizeof(features) / sizeof(features[0]) };

/* What a band of the skin mask's rows needs: near[f] is feature f's bounding
 * box grown by its margin, eye the eye width. */
struct skin_mask_job {
	const float *lm;
	const uint8_t *mask;
	int w;
	vision_rect box;
	uint8_t *skin;
	double eye, near[N_FEATURES][4];
};

static void skin_mask_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct skin_mask_job *j = ctx;
	int y0, y1;
	vision_band_rows(band, j->box.y0, j->box.y1, &y0, &y1);
	for (int y = y0; y < y1; y++)
		for (int x = j->box.x0; x < j->box.x1; x++) {
			size_t i = (size_t)y * j->w + x;
			int bare = j->mask[i] >= 128;
			for (int f = 0; bare && f < N_FEATURES; f++) {
				const double *near = j->near[f];
				if (x < near[0] || x > near[2] || y < near[1] || y > near[3])
					continue;
				bare = far_from(j->lm, features[f].first, features[f].last, features[f].closed, x, y,
				                features[f].grow * j->eye);
			}
			j->skin[i] = bare ? 255 : 0;
		}
}

void vision_skin_mask(const float *lm, const uint8_t *mask, int w, vision_rect box, uint8_t *skin)
{
	vision_skin_mask_on(NULL, lm, mask, w, box, skin);
}

void vision_skin_mask_on(bj_pool *pool, const float *lm, const uint8_t *mask, int w, vision_rect box, uint8_t *skin)
{
	enum { N = N_FEATURES };
	struct skin_mask_job j = { lm, mask, w, box, skin, 0, { { 0 } } };
	double eye = (hypot(lm[2 * 39] - lm[2 * 36], lm[2 * 39 + 1] - lm[2 * 36 + 1]) +
	              hypot(lm[2 * 45] - lm[2 * 42], lm[2 * 45 + 1] - lm[2 * 42 + 1])) / 2;
	/* each feature's bounding box grown by its margin: only pixels inside
	 * one need its distance (the distances are most of the work) */
	double(*near)[4] = j.near;
	j.eye = eye;
	for (int f = 0; f < N; f++) {
		double g = features[f].grow * eye;
		near[f][0] = near[f][2] = lm[2 * features[f].first];
		near[f][1] = near[f][3] = lm[2 * features[f].first + 1];
		for (int k = features[f].first; k <= features[f].last; k++) {
			near[f][0] = fmin(near[f][0], lm[2 * k]), near[f][2] = fmax(near[f][2], lm[2 * k]);
			near[f][1] = fmin(near[f][1], lm[2 * k + 1]), near[f][3] = fmax(near[f][3], lm[2 * k + 1]);
		}
		near[f][0] -= g, near[f][1] -= g, near[f][2] += g, near[f][3] += g;
	}
	vision_bands_run(pool, skin_mask_band, &j);
}

double vision_skin_sigma(const float *lm)
{
	return 0.6 * hypot(lm[2 * 45] - lm[2 * 36], lm[2 * 45 + 1] - lm[2 * 36 + 1]);
}

/* CIE Y (0..1) of an L* and back. */
static float l_to_y(float l)
{
	float f = (l + 16) / 116;
	return f * f * f > 216.0f / 24389 ? f * f * f : l * 27 / 24389;
}

static float y_to_l(float y)
{
	return y > 216.0f / 24389 ? 116 * vision_cbrtf(y) - 16 : y * 24389 / 27;
}

/* vision_y_to_lstar_n (internal.h): y_to_l of y[0..n-1] in place, four at a time in vector lanes, each lane
 * vision_cbrtf's operations (its double steps in double lanes, the vectors
 * made from their four values at once, which GCC does in registers): the
 * same floats.  The relight's three L* a pixel, each waiting on its
 * division alone, were 2 % of a swap's CPU. */
#pragma GCC diagnostic ignored "-Wpsabi"
typedef float f4 __attribute__((vector_size(16)));
typedef double d4 __attribute__((vector_size(32)));
typedef int32_t i4 __attribute__((vector_size(16)));
typedef uint32_t u4 __attribute__((vector_size(16)));

__attribute__((target_clones("avx2", "default"))) void vision_y_to_lstar_n(float *y, int n)
{
	static const double root2[5] = { 1 / 1.5874010519681994748, 1 / 1.2599210498948731648, 1, 1.2599210498948731648,
		                         1.5874010519681994748 };
	int i = 0;
	for (; i + 4 <= n; i += 4) {
		f4 v;
		memcpy(&v, y + i, sizeof(v));
		u4 u;
		memcpy(&u, &v, sizeof(u));
		i4 e = (i4)(u >> 23) - 126, third = e / 3, idx = 2 + e % 3;
		u4 mu = (u & 0x007fffffu) | 0x3f000000u;
		f4 m;
		memcpy(&m, &mu, sizeof(m));
		d4 md = { m[0], m[1], m[2], m[3] };
		d4 gd = 0.492659620528969547 + (0.697570460207922770 - 0.191502161678719066 * md) * md;
		f4 g = { (float)gd[0], (float)gd[1], (float)gd[2], (float)gd[3] };
		/* g's rounding to float made to happen: GCC 12, targeting AVX2,
		 * took g's double back as gd itself (a wrong fold of double to
		 * float to double, which test_relight_pinned caught) */
		__asm__("" : "+x"(g));
		f4 g3 = g * g * g;
		__asm__("" : "+x"(g3));
		d4 g_d = { g[0], g[1], g[2], g[3] }, g3_d = { g3[0], g3[1], g3[2], g3[3] };
		d4 scale = { root2[idx[0]], root2[idx[1]], root2[idx[2]], root2[idx[3]] };
		d4 rd = g_d * (g3_d + 2.0 * md) / (2.0 * g3_d + md) * scale;
		f4 r = { (float)rd[0], (float)rd[1], (float)rd[2], (float)rd[3] };
		u4 ru;
		memcpy(&ru, &r, sizeof(ru));
		ru += (u4)third << 23;
		memcpy(&r, &ru, sizeof(r));
		f4 above = 116 * r - 16, below = v * 24389 / 27;
		for (int k = 0; k < 4; k++) {
			float yk = v[k];
			/* past the knee and not a normal float: libm's (inf) */
			if (yk > 216.0f / 24389 && !(yk < INFINITY))
				y[i + k] = y_to_l(yk);
			else
				y[i + k] = yk > 216.0f / 24389 ? above[k] : below[k];
		}
	}
	for (; i < n; i++)
		y[i] = y_to_l(y[i]);
}

/* The median of a histogram of n counts over bins of one unit from lo. */
static double hist_median(const long *hist, int bins, long n, double lo)
{
	long seen = 0;
	for (int i = 0; i < bins; i++)
		if ((seen += hist[i]) * 2 >= n)
			return lo + i + 0.5;
	return lo + bins / 2.0;
}

#define AB_LO (-128)
#define AB_BINS 256

/* Whether a colour is not skin of this median: hair, a shadow's black, a
 * background, teeth. */
static int unlike(const float lab[3], const double median[3])
{
	if (fabs(lab[0] - median[0]) > 30)
		return 1;
	/* the squared distance decides unless within a billionth of 20^2, so
	 * the answer is hypot's (a libm call, 1 % of a swap's CPU) */
	double da = lab[1] - median[1], db = lab[2] - median[2], d2 = da * da + db * db;
	if (d2 > 400 * (1 + 1e-9))
		return 1;
	if (d2 < 400 * (1 - 1e-9))
		return 0;
	return hypot(da, db) > 20;
}

/* lab gets img's L*a*b* over box (box-relative, a and b 0 when grey; with
 * only, just where only is not 0: the rest is not needed), keep
 * 1 for the skin pixels that look like the skin's median (median gets it);
 * returns how many. */
struct lab_job {
	const media_image *img;
	const uint8_t *skin, *only;
	vision_rect box;
	int grey;
	float *lab;
	uint8_t *keep;
};

/* A band of the box's rows to L*a*b*, keep 1 on the skin. */
static void lab_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct lab_job *jb = ctx;
	const media_image *img = jb->img;
	vision_rect box = jb->box;
	int w = box.x1 - box.x0, y0, y1;
	vision_band_rows(band, 0, box.y1 - box.y0, &y0, &y1);
	for (int y = y0; y < y1; y++) {
		size_t row = (size_t)(box.y0 + y) * img->width + box.x0;
		const uint8_t *only = jb->only ? jb->only + row : NULL;
		vision_rgb_to_lab_row(img->data + (size_t)(box.y0 + y) * img->stride + 3 * (size_t)box.x0, w, only, 1,
		                      jb->lab + 3 * (size_t)y * w);
		for (int x = 0; x < w; x++) {
			size_t i = (size_t)y * w + x;
			float *p = jb->lab + 3 * i;
			jb->keep[i] = 0;
			if (only && !only[x])
				continue;
			if (jb->grey)
				p[1] = p[2] = 0;
			jb->keep[i] = jb->skin[row + x] != 0;
		}
	}
}

static long robust_skin(bj_pool *pool, const media_image *img, const uint8_t *skin, const uint8_t *only,
                        vision_rect box, int grey, float *lab, uint8_t *keep, double median[3])
{
	int w = box.x1 - box.x0, h = box.y1 - box.y0;
	long *hist = bj_xcalloc(101 + 2 * AB_BINS, sizeof(long)), n = 0;
	struct lab_job jb = { img, skin, only, box, grey, lab, keep };
	vision_bands_run(pool, lab_band, &jb);
	for (size_t i = 0; i < (size_t)w * h; i++) {
		const float *p = lab + 3 * i;
		if (!keep[i])
			continue;
		hist[(int)bj_fminf(bj_fmaxf(p[0], 0), 100)]++;
		for (int c = 1; c < 3; c++)
			hist[101 + (c - 1) * AB_BINS + (int)bj_fminf(bj_fmaxf(p[c] - AB_LO, 0), AB_BINS - 1)]++;
		n++;
	}
	long kept = 0;
	if (n) {
		median[0] = hist_median(hist, 101, n, 0);
		median[1] = hist_median(hist + 101, AB_BINS, n, AB_LO);
		median[2] = hist_median(hist + 101 + AB_BINS, AB_BINS, n, AB_LO);
		for (size_t i = 0; i < (size_t)w * h; i++) {
			keep[i] = keep[i] && !unlike(lab + 3 * i, median);
			kept += keep[i];
		}
	}
	free(hist);
	return kept;
}

/* The low-pass of an image's kept skin: a grid of cells of cell x cell pixels
 * holding the sums of luminance Y, a*, b* and of the weight, blurred by a Gaussian
 * of sigma / cell cells (zero beyond the grid: the weight's sum says how much
 * skin each value stands on). */
typedef struct lowpass {
	int gw, gh, cell;
	float *g;   /* gw x gh x 4 */
	/* for lowpass_at: each pixel column's two cells (offsets into g) and the
	 * second's weight, and each row's; they depend on x or y alone */
	size_t *col0, *col1, *row0, *row1;   /* (w), (w), (h), (h) */
	float *tx, *ty;                      /* (w), (h) */
} lowpass;

/* A pixel's low-pass grid coordinate along one axis (cell centres at whole
 * numbers, clamped to the grid's n cells): the cells on either side and the
 * second one's weight. */
static void grid_axis(int i, int cell, int n, int *a, int *b, float *t)
{
	float f = ((float)i + 0.5f) / (float)cell - 0.5f;
	f = fminf(fmaxf(f, 0), (float)n - 1);
	*a = (int)f;
	*b = *a + 1 < n ? *a + 1 : *a;
	*t = f - (float)*a;
}

static void blur_axis(float *g, int n_outer, int n_inner, size_t s_outer, size_t s_inner, const float *k, int rad)
{
	float *line = bj_xmalloc((size_t)n_inner * 4 * sizeof(float));
	for (int o = 0; o < n_outer; o++) {
		for (int i = 0; i < n_inner; i++)
			memcpy(line + 4 * i, g + o * s_outer + i * s_inner, 4 * sizeof(float));
		for (int i = 0; i < n_inner; i++) {
			float s[4] = { 0 };
			for (int j = -rad; j <= rad; j++) {
				if (i + j < 0 || i + j >= n_inner)
					continue;
				for (int c = 0; c < 4; c++)
					s[c] += k[j + rad] * line[4 * (i + j) + c];
			}
			memcpy(g + o * s_outer + i * s_inner, s, sizeof(s));
		}
	}
	free(line);
}

static void lowpass_make(lowpass *lp, const float *lab, const uint8_t *keep, int w, int h, double sigma)
{
	lp->cell = sigma >= 6 ? (int)(sigma / 3) : 1;
	lp->gw = (w + lp->cell - 1) / lp->cell;
	lp->gh = (h + lp->cell - 1) / lp->cell;
	lp->g = bj_xcalloc((size_t)lp->gw * lp->gh * 4, sizeof(float));
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			size_t i = (size_t)y * w + x;
			if (!keep[i])
				continue;
			float *c = lp->g + 4 * ((size_t)(y / lp->cell) * lp->gw + x / lp->cell);
			c[0] += l_to_y(lab[3 * i]), c[1] += lab[3 * i + 1], c[2] += lab[3 * i + 2], c[3] += 1;
		}
	double s = sigma / lp->cell;
	int rad = (int)ceil(3 * s);
	float *k = bj_xmalloc((size_t)(2 * rad + 1) * sizeof(float));
	for (int i = -rad; i <= rad; i++)
		k[i + rad] = (float)exp(-0.5 * i * i / (s * s));
	blur_axis(lp->g, lp->gh, lp->gw, 4 * (size_t)lp->gw, 4, k, rad);
	blur_axis(lp->g, lp->gw, lp->gh, 4, 4 * (size_t)lp->gw, k, rad);
	free(k);
	lp->col0 = bj_xmalloc(2 * ((size_t)w + h) * sizeof(size_t));
	lp->col1 = lp->col0 + w;
	lp->row0 = lp->col1 + w;
	lp->row1 = lp->row0 + h;
	lp->tx = bj_xmalloc(((size_t)w + h) * sizeof(float));
	lp->ty = lp->tx + w;
	for (int x = 0; x < w; x++) {
		int a, b;
		grid_axis(x, lp->cell, lp->gw, &a, &b, &lp->tx[x]);
		lp->col0[x] = 4 * (size_t)a;
		lp->col1[x] = 4 * (size_t)b;
	}
	for (int y = 0; y < h; y++) {
		int a, b;
		grid_axis(y, lp->cell, lp->gh, &a, &b, &lp->ty[y]);
		lp->row0[y] = 4 * (size_t)a * lp->gw;
		lp->row1[y] = 4 * (size_t)b * lp->gw;
	}
}

static void lowpass_free(lowpass *lp)
{
	free(lp->g);
	free(lp->col0);
	free(lp->tx);
}

/* Four floats in a vector's lanes: each lane gets the scalar operations. */
typedef float lowpass_lanes __attribute__((vector_size(4 * sizeof(float))));

static inline lowpass_lanes lowpass_cell(const float *g)
{
	lowpass_lanes v;
	memcpy(&v, g, sizeof(v));
	return v;
}

/* The low-pass colour at box-relative pixel (x, y), bilinear between cell
 * centres; the whole skin's mean where too little skin is near.  The four
 * sums (Y, a*, b*, weight) of a cell are interpolated in a vector's lanes,
 * each lane the scalar formula's operations in its order (the bytes are
 * pinned by tests/vision/test_relight_pinned.c). */
static void lowpass_at(const lowpass *lp, int x, int y, const float mean[3], float out[3])
{
	const float *r0 = lp->g + lp->row0[y], *r1 = lp->g + lp->row1[y];
	size_t c0 = lp->col0[x], c1 = lp->col1[x];
	float tx = lp->tx[x], ty = lp->ty[y];
	lowpass_lanes s = (1 - ty) * ((1 - tx) * lowpass_cell(r0 + c0) + tx * lowpass_cell(r0 + c1)) +
	                  ty * ((1 - tx) * lowpass_cell(r1 + c0) + tx * lowpass_cell(r1 + c1));
	/* a skin weight under a few hundredths of a cell's: blend towards the mean */
	float t = bj_fminf(s[3] / 0.05f, 1);
	lowpass_lanes m = { mean[0], mean[1], mean[2], 0 };
	lowpass_lanes q = s[3] > 0 ? s / s[3] : (lowpass_lanes){ 0, 0, 0, 0 };
	lowpass_lanes o = t * q + (1 - t) * m;
	out[0] = o[0];
	out[1] = o[1];
	out[2] = o[2];
}

static void lowpass_mean(const lowpass *lp, float mean[3])
{
	double s[4] = { 0 };
	for (size_t i = 0; i < (size_t)lp->gw * lp->gh; i++)
		for (int c = 0; c < 4; c++)
			s[c] += lp->g[4 * i + c];
	for (int c = 0; c < 3; c++)
		mean[c] = s[3] > 0 ? (float)(s[c] / s[3]) : 0;
}

#define MAX_HUE 0.26f    /* radians, 15 degrees */
#define LIKE_L 20.0f      /* L* from the skin's at which a pixel is two thirds skin-like */
#define LIKE_AB 16.0f     /* ... and a*b* */

/* Whether |atan2f(cross, dot)| > MAX_HUE.  For dot > 0 the angle is
 * atan(|cross| / dot), so |cross| against dot tan(MAX_HUE) decides, but
 * for a ratio within 1e-5 of it (atan2f's result is within a float's
 * rounding of the angle, ~1e-8 here), where atan2f does, as it does for
 * dot <= 0: most pixels of a face need no call into libm (0.8 % of a swap's
 * CPU), and the answer is atan2f's. */
static int turned_far(float cross, float dot)
{
	const double tan_max = tan((double)MAX_HUE);
	if (dot > 0 && isfinite(cross) && isfinite(dot)) {
		double c = fabs((double)cross), d = (double)dot * tan_max;
		if (c > d * (1 + 1e-5))
			return 1;
		if (c < d * (1 - 1e-5))
			return 0;
	}
	return fabsf(atan2f(cross, dot)) > MAX_HUE;
}

/* The pixel (L*a*b*) moved by the two low-pass skins (Y, a*, b*): its
 * luminance scaled by theirs (light multiplies); its colour first kept within
 * MAX_HUE of the star's skin hue (the green-grey of a compressed photo's
 * shadowed eye sockets and brows), then shifted by the footage's skin colour
 * less the star's, as far as the pixel is itself skin-like.  A shift keeps
 * each colour's difference from the skin as it was (a red nose stays as much
 * redder than the cheeks), where turning and scaling by the skins' ratio
 * doubled a pale photo's reds on a tanned face and turned a brown brow purple
 * on a pink one.  Brows, eyes and lips, far from the skin in lightness or
 * colour, get half the shift: with all of it a brown brow on a pink face is
 * mauve, with none an olive band (face_4).
 *
 * relight in two halves around the L* of two Ys, which relight_band works
 * out for a row at a time: the Y the pixel's L* goes to. */
static float relit_y(const float lab[3], const float from[3], const float to[3])
{
	float ry = from[0] > 1e-5f ? to[0] / from[0] : 1;
	ry = bj_fminf(bj_fmaxf(ry, 1 / 6.0f), 6);
	return bj_fminf(l_to_y(lab[0]) * ry, 1);
}

/* ... and the rest, given l_from = y_to_l(from[0]) and the new L*. */
static void relight_rest(float lab[3], const float from[3], const float to[3], float l_from, float l_new)
{
	float like_l = (lab[0] - l_from) / LIKE_L;
	lab[0] = l_new;
	if (from[1] * from[1] + from[2] * from[2] >= 4 * 4) {
		float cross = from[1] * lab[2] - from[2] * lab[1], dot = from[1] * lab[1] + from[2] * lab[2];
		if (turned_far(cross, dot)) {
			float turn = atan2f(cross, dot);
			float back = turn - copysignf(MAX_HUE, turn), c = cosf(back), s = sinf(back);
			float a = lab[1], b = lab[2];
			lab[1] = a * c + b * s;
			lab[2] = -a * s + b * c;
		}
	}
	float like_ab = bj_hypotf(lab[1] - from[1], lab[2] - from[2]) / LIKE_AB;
	float w = 0.5f + 0.5f * expf(-like_l * like_l - like_ab * like_ab);
	lab[1] += w * (to[1] - from[1]);
	lab[2] += w * (to[2] - from[2]);
}

/* What a band of the relit rows needs. */
struct relight_job {
	media_image *img, *fill;
	const uint8_t *mask;
	uint8_t *alien;
	vision_rect box;
	float *lab_img;
	const float *lab_ref;
	const double *med_ref;
	lowpass li, lr;
	float mean_i[3], mean_r[3];
};

/* Marks a band's rows of the star's colours unlike the footage's skin. */
static void alien_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct relight_job *j = ctx;
	vision_rect box = j->box;
	int w = box.x1 - box.x0, y0, y1;
	vision_band_rows(band, 0, box.y1 - box.y0, &y0, &y1);
	for (int y = y0; y < y1; y++)
		for (int x = 0; x < w; x++)
			j->alien[(size_t)(box.y0 + y) * j->img->width + box.x0 + x] =
			        unlike(j->lab_ref + 3 * ((size_t)y * w + x), j->med_ref) ? 255 : 0;
}

/* A band's rows relit, and the fill's skin colour where the star is alien:
 * a row's low-pass colours first, then all its L* together (vision_y_to_lstar_n), then
 * the rest of each pixel, then the row back to RGB together. */
static void relight_band(void *ctx, int band, int thread)
{
	(void)thread;
	struct relight_job *j = ctx;
	media_image *img = j->img, *fill = j->fill;
	vision_rect box = j->box;
	int w = box.x1 - box.x0, y0, y1;
	float *skin_lab = bj_xmalloc((size_t)w * 3 * sizeof(float));   /* the fill's row */
	float *from = bj_xmalloc((size_t)w * 6 * sizeof(float)), *to = from + 3 * (size_t)w;
	float *ys = bj_xmalloc((size_t)w * 3 * sizeof(float));          /* Ys, then their L* */
	vision_band_rows(band, 0, box.y1 - box.y0, &y0, &y1);
	for (int y = y0; y < y1; y++) {
		size_t row = (size_t)(box.y0 + y) * img->width + box.x0;
		const uint8_t *mask = j->mask + row, *alien = j->alien + row;
		float *lab_row = j->lab_img + 3 * (size_t)y * w;
		int n = 0;
		for (int x = 0; x < w; x++) {
			if (!mask[x] && !alien[x])
				continue;
			float *t = to + 3 * (size_t)x, *f = from + 3 * (size_t)x;
			lowpass_at(&j->lr, x, y, j->mean_r, t);
			if (alien[x])
				ys[n++] = t[0];
			if (!mask[x])
				continue;
			lowpass_at(&j->li, x, y, j->mean_i, f);
			ys[n++] = f[0];
			ys[n++] = relit_y(lab_row + 3 * (size_t)x, f, t);
		}
		vision_y_to_lstar_n(ys, n);
		n = 0;
		for (int x = 0; x < w; x++) {
			if (!mask[x] && !alien[x])
				continue;
			const float *t = to + 3 * (size_t)x;
			if (alien[x]) {
				skin_lab[3 * x] = ys[n++];
				skin_lab[3 * x + 1] = t[1];
				skin_lab[3 * x + 2] = t[2];
			}
			if (!mask[x])
				continue;
			relight_rest(lab_row + 3 * (size_t)x, from + 3 * (size_t)x, t, ys[n], ys[n + 1]);
			n += 2;
		}
		/* the row's colours back to RGB together (vision_lab_to_rgb_row) */
		vision_lab_to_rgb_row(skin_lab, w, alien, 1,
		                      fill->data + (size_t)(box.y0 + y) * fill->stride + 3 * (size_t)box.x0);
		vision_lab_to_rgb_row(lab_row, w, mask, 1,
		                      img->data + (size_t)(box.y0 + y) * img->stride + 3 * (size_t)box.x0);
	}
	free(ys);
	free(from);
	free(skin_lab);
}

int vision_skin_relight(media_image *img, const media_image *ref, const uint8_t *skin, const uint8_t *mask,
                        vision_rect box, double sigma, int mono, uint8_t *alien, media_image *fill)
{
	return vision_skin_relight_on(NULL, img, ref, skin, mask, box, sigma, mono, alien, fill);
}

int vision_skin_relight_on(bj_pool *pool, media_image *img, const media_image *ref, const uint8_t *skin,
                           const uint8_t *mask, vision_rect box, double sigma, int mono, uint8_t *alien,
                           media_image *fill)
{
	if (img->width != ref->width || img->height != ref->height || img->channels != 3 || ref->channels != 3)
		return bj_error_set(BJ_EINVAL, "skin relight needs two RGB images of one size");
	box = vision_rect_clip(box, img->width, img->height);
	int w = box.x1 - box.x0, h = box.y1 - box.y0;
	if (w <= 0 || h <= 0)
		return bj_error_set(BJ_EINVAL, "skin relight: empty box");
	size_t n = (size_t)w * h;
	float *lab_img = bj_xmalloc(n * 3 * sizeof(float)), *lab_ref = bj_xmalloc(n * 3 * sizeof(float));
	uint8_t *keep_img = bj_xmalloc(n), *keep_ref = bj_xmalloc(n);
	int ret = 0;
	double med_img[3], med_ref[3];
	for (int y = box.y0; y < box.y1; y++)
		memset(alien + (size_t)y * img->width + box.x0, 0, (size_t)w);
	if (!robust_skin(pool, img, skin, mask, box, mono, lab_img, keep_img, med_img) ||
	    !robust_skin(pool, ref, skin, NULL, box, 0, lab_ref, keep_ref, med_ref)) {
		ret = bj_error_set(BJ_EINVAL, "skin relight: no skin in the box");
		goto out;
	}
	struct relight_job j = { .img = img, .fill = fill, .mask = mask, .alien = alien, .box = box,
		                 .lab_img = lab_img, .lab_ref = lab_ref, .med_ref = med_ref };
	vision_bands_run(pool, alien_band, &j);
	lowpass_make(&j.li, lab_img, keep_img, w, h, sigma);
	lowpass_make(&j.lr, lab_ref, keep_ref, w, h, sigma);
	lowpass_mean(&j.li, j.mean_i);
	lowpass_mean(&j.lr, j.mean_r);
	vision_bands_run(pool, relight_band, &j);
	lowpass_free(&j.li);
	lowpass_free(&j.lr);
out:
	free(lab_img);
	free(lab_ref);
	free(keep_img);
	free(keep_ref);
	return ret;
}

/* Around the mouth hole, the clone moved by RIM_SHARE of its mean difference
 * from the footage on the hole's feathered rim, over squares of a
 * RIM_SPAN-th of the box's width (vision_hole_rim_match).  Solved with the
 * hole filled, the star's lips met the footage's open mouth several L* off
 * where the mask ramps down into the hole, and the seam score's mouth edge
 * rose (face_3: 2.49 to 2.73 times the inside's gradient, the footage's own
 * lips 2.23).  Wider squares or all of the difference brought the flicker
 * back (a patch around the mouth follows the rim's mean as the mouth moves):
 * a 16th of the width with all of it, face_1 0.951 to 1.001, cas1 0.922 to
 * 1.013. */
#define RIM_SPAN 36
#define RIM_SHARE 0.75f

#define MEET_SHARE 0.5  /* the footage's share in what the clone meets over hair, at the face's sides ... */
#define MEET_FROM 0.2   /* ... none above this share of the box's height, */
#define MEET_TO 0.4     /* ... all from here down */

#define FADE_DEPTH 6     /* the core's depth (of the box's width) over which the clone's offset fades ... */
#define FADE_MIN 0.75f    /* ... to this share of it */

/* Where the mask is full (m 255), the clone's offset from the star (c - s)
 * faded with the depth into that core: whole at its edge, FADE_MIN of it a
 * FADE_DEPTH-th of the box's width in (depth from the share of core pixels in
 * a square of that radius, a half at a straight edge, all deep inside).  A
 * seamless clone moves the whole face by what the star and the footage differ
 * by at its edge, where the footage's skin falls off into shadow by more than
 * the star's low-pass relight (vision_skin_relight) follows: the face came
 * out several L* off and pinker than the relit star had been made.  Three
 * quarters are kept in the middle: fading more lowered the flicker further
 * (grid_sbwe5n 1.25 to 1.02 with half kept) but raised the identity margin
 * (grid_lbax4n -0.139 to -0.124 with half, -0.131 with three quarters). */
struct fade_job {
	media_image *c;
	const media_image *s;
	const uint8_t *m;
	const int *sum;
	int w, h, r;
};

static void fade_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct fade_job *j = ctx;
	media_image *c = j->c;
	const media_image *s = j->s;
	const uint8_t *m = j->m;
	const int *sum = j->sum;
	int w = j->w, h = j->h, r = j->r, band0, band1;
	vision_band_rows(band, 0, h, &band0, &band1);
	for (int y = band0; y < band1; y++)
		for (int x = 0; x < w; x++) {
			if (m[(size_t)y * w + x] != 255)
				continue;
			int x0 = x - r < 0 ? 0 : x - r, x1 = x + r + 1 > w ? w : x + r + 1;
			int y0 = y - r < 0 ? 0 : y - r, y1 = y + r + 1 > h ? h : y + r + 1;
			/* outside the box counts as not core */
			float share = (float)(sum[(size_t)y1 * (w + 1) + x1] - sum[(size_t)y0 * (w + 1) + x1] -
			                      sum[(size_t)y1 * (w + 1) + x0] + sum[(size_t)y0 * (w + 1) + x0]) /
			              (float)((2 * r + 1) * (2 * r + 1));
			float keep = 1 - (1 - FADE_MIN) * fminf(fmaxf(2 * share - 1, 0), 1);
			uint8_t *cp = c->data + (size_t)y * c->stride + 3 * (size_t)x;
			const uint8_t *sp = s->data + (size_t)y * s->stride + 3 * (size_t)x;
			for (int k = 0; k < 3; k++)
				cp[k] = (uint8_t)lrintf((float)sp[k] + keep * (float)(cp[k] - sp[k]));
		}
}

static void fade_offset(bj_pool *pool, media_image *c, const media_image *s, const uint8_t *m, int w, int h)
{
	int r = w / FADE_DEPTH > 1 ? w / FADE_DEPTH : 1;
	int *sum = bj_xcalloc((size_t)(w + 1) * (h + 1), sizeof(int));
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			sum[(size_t)(y + 1) * (w + 1) + x + 1] = (m[(size_t)y * w + x] == 255) + sum[(size_t)y * (w + 1) + x + 1] +
			                                          sum[(size_t)(y + 1) * (w + 1) + x] - sum[(size_t)y * (w + 1) + x];
	struct fade_job j = { c, s, m, sum, w, h, r };
	vision_bands_run(pool, fade_band, &j);
	free(sum);
}

/* What a band of the clone's rows needs: the footage dst, the relit star
 * src, the masks and the fill; the box-sized copies guide, star, m (the
 * mask) and whole (the mask with its holes filled). */
struct skin_clone_job {
	media_image *dst;
	const media_image *src, *fill;
	const uint8_t *mask, *alien;
	vision_rect box;
	media_image *guide, *star;
	uint8_t *m, *whole;
};

/* What the clone meets where the footage round the face is not skin (hair,
 * a dark background): its skin's colour there f, moved in lightness (luma)
 * by share 256ths (meet_share) of the way to the footage d, its colour kept.
 * Met with the skin's colour alone, the face ended as a light band over the
 * hair at a turned face's far cheek (Casablanca 3.9 s's seam score 1.17
 * against the footage's 1.10); met with the footage alone, the hair's dark
 * and colour were pulled into the face; met halfway in colour as well,
 * AlexandriaOcasioCortez's skin b* was 2.6 off hers (test_swap_tone). */
static void meet(const uint8_t *d, const uint8_t *f, int share, uint8_t *out)
{
	int dy = 77 * (d[0] - f[0]) + 150 * (d[1] - f[1]) + 29 * (d[2] - f[2]);
	int shift = (dy * share + (dy >= 0 ? 1 << 15 : -(1 << 15))) / (1 << 16);
	for (int k = 0; k < 3; k++) {
		int v = f[k] + shift;
		out[k] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
	}
}

/* The footage's share in what the clone meets (meet) on row y of a box h rows
 * high: none at the top, where the hull's edge is the hairline and black hair
 * met halfway darkened the forehead by 13 L* (test_skin's clone_guard), and
 * MEET_SHARE from MEET_TO of the box down, where the edge is the face's own
 * side. */
static int meet_share(int y, int h)
{
	double t = ((double)y / h - MEET_FROM) / (MEET_TO - MEET_FROM);
	return (int)lrint(MEET_SHARE * 256 * fmin(fmax(t, 0), 1));
}

static void copy_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct skin_clone_job *j = ctx;
	const media_image *dst = j->dst, *src = j->src, *fill = j->fill;
	vision_rect box = j->box;
	int w = box.x1 - box.x0, y0, y1;
	vision_band_rows(band, 0, box.y1 - box.y0, &y0, &y1);
	for (int y = y0; y < y1; y++)
		for (int x = 0; x < w; x++) {
			size_t i = (size_t)(box.y0 + y) * dst->width + box.x0 + x, o = 3 * (size_t)(box.x0 + x);
			const uint8_t *d = dst->data + (size_t)(box.y0 + y) * dst->stride + o;
			memcpy(j->star->data + (size_t)y * j->star->stride + 3 * (size_t)x,
			       src->data + (size_t)(box.y0 + y) * src->stride + o, 3);
			uint8_t *g = j->guide->data + (size_t)y * j->guide->stride + 3 * (size_t)x;
			if (j->alien[i] && j->whole[(size_t)y * w + x] < 255)
				meet(d, fill->data + (size_t)(box.y0 + y) * fill->stride + o, meet_share(y, box.y1 - box.y0), g);
			else
				memcpy(g, d, 3);
		}
}

/* The clone gave g + a (u - g) for the guide g, the solution u and the
 * filled mask's a; the face goes onto the footage d as d + a (u - d), which
 * is that plus (1 - a) (d - g): the fill shapes the solution but is never
 * seen, the feathered edge shows the hair, not the fill.  In a hole of the
 * mask (b below a) only b / a of that change is shown: d + b (u - d). */
static void blend_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct skin_clone_job *j = ctx;
	media_image *dst = j->dst;
	const media_image *fill = j->fill;
	vision_rect box = j->box;
	int w = box.x1 - box.x0, y0, y1;
	vision_band_rows(band, 0, box.y1 - box.y0, &y0, &y1);
	for (int y = y0; y < y1; y++)
		for (int x = 0; x < w; x++) {
			int a = j->whole[(size_t)y * w + x], b = j->m[(size_t)y * w + x];
			uint8_t *d = dst->data + (size_t)(box.y0 + y) * dst->stride + 3 * (size_t)(box.x0 + x);
			const uint8_t *c = j->guide->data + (size_t)y * j->guide->stride + 3 * (size_t)x;
			uint8_t met[3];
			const uint8_t *g = d;
			if (j->alien[(size_t)(box.y0 + y) * dst->width + box.x0 + x] && a < 255) {
				meet(d, fill->data + (size_t)(box.y0 + y) * fill->stride + 3 * (size_t)(box.x0 + x),
				     meet_share(y, box.y1 - box.y0), met);
				g = met;
			}
			for (int k = 0; b && k < 3; k++) {
				int v = c[k] + ((255 - a) * (d[k] - g[k]) + (d[k] >= g[k] ? 127 : -127)) / 255;
				if (b < a)
					v = d[k] + (b * (v - d[k]) + (v >= d[k] ? a / 2 : -a / 2)) / a;
				d[k] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
			}
		}
}

int vision_skin_clone(media_image *dst, const media_image *src, const uint8_t *mask, const uint8_t *alien,
                      const media_image *fill, vision_rect box)
{
	return vision_skin_clone_on(NULL, dst, src, mask, alien, fill, box);
}

int vision_skin_clone_on(bj_pool *pool, media_image *dst, const media_image *src, const uint8_t *mask,
                         const uint8_t *alien, const media_image *fill, vision_rect box)
{
	return vision_skin_clone_guided_on(pool, dst, src, mask, mask, alien, fill, box);
}

int vision_skin_clone_guided_on(bj_pool *pool, media_image *dst, const media_image *src, const uint8_t *mask,
                                const uint8_t *weights, const uint8_t *alien, const media_image *fill,
                                vision_rect box)
{
	if (src->width != dst->width || src->height != dst->height || fill->width != dst->width ||
	    fill->height != dst->height || src->channels != 3 || dst->channels != 3 || fill->channels != 3)
		return bj_error_set(BJ_EINVAL, "seamless clone needs three RGB images of one size");
	box = vision_rect_clip(box, dst->width, dst->height);
	int w = box.x1 - box.x0, h = box.y1 - box.y0;
	if (w < 3 || h < 3)
		return bj_error_set(BJ_EINVAL, "seamless clone: region of %d x %d pixels is too small", w, h);
	/* box-sized copies: the clone wants both images of one size and stride */
	media_image *guide = media_image_new(w, h, 3), *star = media_image_new(w, h, 3);
	if (!guide || !star) {
		media_image_free(guide);
		media_image_free(star);
		return bj_error_code();
	}
	struct skin_clone_job j = { dst,   src,  fill, mask, alien, box, guide, star, bj_xmalloc((size_t)w * h),
		                    bj_xmalloc((size_t)w * h) };
	for (int y = 0; y < h; y++)
		memcpy(j.m + (size_t)y * w, mask + (size_t)(box.y0 + y) * dst->width + box.x0, (size_t)w);
	/* solved and faded on the mask with its mouth filled, shown through the
	 * holed one: with the hole in the solve, the footage's mouth was a
	 * boundary the star's lips were pulled to, and as the mouth opened and
	 * closed a smooth patch over the upper lip and the chin brightened and
	 * darkened with it (grid_sbwe5n's frames where the mouth opens changed
	 * twice as much as the footage's); the depth the offset fades with
	 * (fade_offset) moved with the hole the same way */
	vision_mask_fill_holes(j.m, w, h, j.whole);
	/* the guidance's weights: weights where the mask is not a filled hole
	 * (never above the mask), the filled mask in its holes */
	uint8_t *weight = bj_xmalloc((size_t)w * h);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			size_t i = (size_t)y * w + x;
			uint8_t g = weights[(size_t)(box.y0 + y) * dst->width + box.x0 + x];
			weight[i] = j.m[i] < j.whole[i] ? j.whole[i] : g < j.m[i] ? g : j.m[i];
		}
	vision_bands_run(pool, copy_band, &j);
	int ret = vision_seamless_clone_guided_on(pool, guide, star, j.whole, weight, (vision_rect){ 0, 0, w, h });
	free(weight);
	if (ret == 0) {
		fade_offset(pool, guide, star, j.whole, w, h);
		media_image foot = { w, h, 3, dst->stride, dst->data + (size_t)box.y0 * dst->stride + 3 * (size_t)box.x0, 0 };
		vision_hole_rim_match(pool, guide, &foot, j.m, j.whole, w / RIM_SPAN, RIM_SHARE);
		vision_bands_run(pool, blend_band, &j);
	}
	free(j.m);
	free(j.whole);
	media_image_free(guide);
	media_image_free(star);
	return ret;
}
