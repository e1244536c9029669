#include "vision/detail.h"

#include <math.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "vision/bands.h"

#define MAX_RADIUS 12

/* A normalised Gaussian of sigma, taps -r..r with r = ceil(3 sigma). */
typedef struct kernel {
	int r;
	float k[2 * MAX_RADIUS + 1];
} kernel;

struct vision_detail {
	vision_rect box;
	int w, h, hw, hh;   /* the box's size, and of every other pixel of it */
	size_t cap, hcap;
	float *tmp;         /* a horizontal pass (w x h) */
	float *g1, *g2;     /* the luma's Gaussians of 1.5 and 3.5 px (w x h) */
	float *htmp, *g3;   /* the 8 px one on every other pixel (hw x hh) */
	float *skin;        /* the bare skin's weight, 0..1, likewise (hw x hh) */
	const uint8_t *skin_mask;   /* the last split's skin mask (NULL: none) ... */
	int skin_width;             /* ... and its width: the weight is made when scaling */
	float *rows;        /* a padded row per thread */
	size_t rows_cap;
	int row_len;
	kernel k1, k2, k3;
};

static void make_kernel(kernel *k, double sigma)
{
	k->r = (int)ceil(3 * sigma);
	float s = 0;
	for (int i = -k->r; i <= k->r; i++)
		s += k->k[i + k->r] = (float)exp(-0.5 * i * i / (sigma * sigma));
	for (int i = 0; i <= 2 * k->r; i++)
		k->k[i] /= s;
}

vision_detail *vision_detail_new(void)
{
	vision_detail *d = bj_xcalloc(1, sizeof(*d));
	/* the 3.5 px Gaussian as the 1.5 px one followed by the rest, and the
	 * 8 px one as the 3.5 px one followed by the rest at half the rate */
	make_kernel(&d->k1, VISION_DETAIL_SIGMA);
	make_kernel(&d->k2, sqrt(VISION_BAND_SIGMA * VISION_BAND_SIGMA - VISION_DETAIL_SIGMA * VISION_DETAIL_SIGMA));
	make_kernel(&d->k3, sqrt(VISION_COARSE_SIGMA * VISION_COARSE_SIGMA - VISION_BAND_SIGMA * VISION_BAND_SIGMA) / 2);
	return d;
}

void vision_detail_free(vision_detail *d)
{
	if (!d)
		return;
	free(d->tmp);
	free(d->g1);
	free(d->g2);
	free(d->htmp);
	free(d->g3);
	free(d->skin);
	free(d->rows);
	free(d);
}

/* out[0..n) = the kernel over a row read through in, clamped to its n
 * samples, via pad (n + 2 r floats).  Tap by tap over the whole row: the
 * same sums in the same order for every pixel, vectorised. */
static void blur_row(const kernel *k, const float *in, int n, float *pad, float *out)
{
	for (int x = -k->r; x < n + k->r; x++)
		pad[x + k->r] = in[x < 0 ? 0 : x >= n ? n - 1 : x];
	for (int x = 0; x < n; x++)
		out[x] = 0;
	for (int i = 0; i <= 2 * k->r; i++) {
		const float *src = pad + i;
		float ki = k->k[i];
		for (int x = 0; x < n; x++)
			out[x] += ki * src[x];
	}
}

/* Row y of the kernel down the columns of in (n wide, h rows, clamped). */
static void blur_column(const kernel *k, const float *in, int n, int h, int y, float *out)
{
	for (int x = 0; x < n; x++)
		out[x] = 0;
	for (int i = -k->r; i <= k->r; i++) {
		int yy = y + i < 0 ? 0 : y + i >= h ? h - 1 : y + i;
		const float *src = in + (size_t)yy * n;
		float ki = k->k[i + k->r];
		for (int x = 0; x < n; x++)
			out[x] += ki * src[x];
	}
}

struct job {
	const vision_detail *d;
	const media_image *img;
	media_image *out;
	const uint8_t *mask, *skin;
	float *columns;                        /* half_columns' output */
	double gain[2][VISION_DETAIL_BANDS];   /* the rest, bare skin */
	double sum[VISION_BANDS][2][VISION_DETAIL_BANDS];
	long n[VISION_BANDS][2];
};

static float *row_buffer(const struct job *j, int thread)
{
	return j->d->rows + (size_t)thread * 2 * (size_t)j->d->row_len;
}

/* The luma of each row, blurred along it by the 1.5 px Gaussian. */
static void luma_band(void *ctx, int band, int thread)
{
	struct job *j = ctx;
	const vision_detail *d = j->d;
	float *luma = row_buffer(j, thread), *pad = luma + d->row_len;
	int a, b;
	vision_band_rows(band, 0, d->h, &a, &b);
	for (int y = a; y < b; y++) {
		const uint8_t *p = j->img->data + (size_t)(d->box.y0 + y) * j->img->stride + 3 * (size_t)d->box.x0;
		for (int x = 0; x < d->w; x++)
			luma[x] = 0.299f * p[3 * x] + 0.587f * p[3 * x + 1] + 0.114f * p[3 * x + 2];
		blur_row(&d->k1, luma, d->w, pad, d->tmp + (size_t)y * d->w);
	}
}

/* g1 down the columns, then the rest of the 3.5 px Gaussian along g1's rows. */
static void fine_band(void *ctx, int band, int thread)
{
	struct job *j = ctx;
	const vision_detail *d = j->d;
	int a, b;
	vision_band_rows(band, 0, d->h, &a, &b);
	for (int y = a; y < b; y++) {
		float *g1 = d->g1 + (size_t)y * d->w;
		blur_column(&d->k1, d->tmp, d->w, d->h, y, g1);
		blur_row(&d->k2, g1, d->w, row_buffer(j, thread), d->g2 + (size_t)y * d->w);
	}
}

/* g2 down the columns (into tmp: g2's rows are all read first), and every
 * other pixel of every other row of it along the rows by the rest of the
 * 8 px Gaussian. */
static void mid_band(void *ctx, int band, int thread)
{
	struct job *j = ctx;
	const vision_detail *d = j->d;
	float *half = row_buffer(j, thread), *pad = half + d->row_len;
	int a, b;
	vision_band_rows(band, 0, d->h, &a, &b);
	for (int y = a; y < b; y++) {
		float *g2 = d->tmp + (size_t)y * d->w;
		blur_column(&d->k2, d->g2, d->w, d->h, y, g2);
		if (y % 2)
			continue;
		for (int x = 0; x < d->hw; x++)
			half[x] = g2[2 * x];
		blur_row(&d->k3, half, d->hw, pad, d->htmp + (size_t)(y / 2) * d->hw);
	}
}

/* The half-rate rows in htmp blurred down the columns by the half-rate
 * Gaussian, into j->columns: g3, or the skin weight. */
static void half_columns(void *ctx, int band, int thread)
{
	(void)thread;
	struct job *j = ctx;
	const vision_detail *d = j->d;
	int a, b;
	vision_band_rows(band, 0, d->hh, &a, &b);
	for (int y = a; y < b; y++)
		blur_column(&d->k3, d->htmp, d->hw, d->hh, y, j->columns + (size_t)y * d->hw);
}

/* The skin mask on every other pixel of every other row, blurred along the
 * rows by the half-rate Gaussian (into htmp, free again). */
static void skin_rows(void *ctx, int band, int thread)
{
	struct job *j = ctx;
	const vision_detail *d = j->d;
	float *half = row_buffer(j, thread), *pad = half + d->row_len;
	int a, b;
	vision_band_rows(band, 0, d->hh, &a, &b);
	for (int y = a; y < b; y++) {
		const uint8_t *m = d->skin_mask + (size_t)(d->box.y0 + 2 * y) * d->skin_width + d->box.x0;
		for (int x = 0; x < d->hw; x++)
			half[x] = m[2 * x] >= 128;
		blur_row(&d->k3, half, d->hw, pad, d->htmp + (size_t)y * d->hw);
	}
}

/* Row y of a half-rate plane (g3, skin) at full rate, bilinear (both are far
 * smoother than a pixel), into row. */
static void half_row(const vision_detail *d, const float *plane, int y, float *row)
{
	float fy = (float)y / 2;
	int y0 = (int)fy, y1 = y0 + 1 < d->hh ? y0 + 1 : y0;
	float wy = fy - (float)y0;
	const float *r0 = plane + (size_t)y0 * d->hw, *r1 = plane + (size_t)y1 * d->hw;
	for (int x = 0; x < d->w; x++) {
		int x0 = x / 2, x1 = x0 + 1 < d->hw ? x0 + 1 : x0;
		float wx = x % 2 ? 0.5f : 0;
		float top = r0[x0] + wx * (r0[x1] - r0[x0]), bottom = r1[x0] + wx * (r1[x1] - r1[x0]);
		row[x] = top + wy * (bottom - top);
	}
}

/* The bands' absolute values summed inside the mask. */
static void energy_band(void *ctx, int band, int thread)
{
	struct job *j = ctx;
	const vision_detail *d = j->d;
	float *g3 = row_buffer(j, thread);
	int a, b;
	vision_band_rows(band, 0, d->h, &a, &b);
	double mid[2] = { 0, 0 }, coarse[2] = { 0, 0 };
	long n[2] = { 0, 0 };
	for (int y = a; y < b; y++) {
		const float *g1 = d->g1 + (size_t)y * d->w, *g2 = d->g2 + (size_t)y * d->w;
		half_row(d, d->g3, y, g3);
		size_t at = (size_t)(d->box.y0 + y) * j->img->width + d->box.x0;
		const uint8_t *m = j->mask + at, *s = j->skin ? j->skin + at : NULL;
		for (int x = 0; x < d->w; x++)
			if (m[x] >= 128) {
				int part = s && s[x] >= 128;
				mid[part] += fabsf(g1[x] - g2[x]);
				coarse[part] += fabsf(g2[x] - g3[x]);
				n[part]++;
			}
	}
	for (int p = 0; p < 2; p++) {
		j->sum[band][p][0] = mid[p];
		j->sum[band][p][1] = coarse[p];
		j->n[band][p] = n[p];
	}
}

void vision_detail_split_on(bj_pool *pool, vision_detail *d, const media_image *img, const uint8_t *mask,
                            vision_rect box, double energy[VISION_DETAIL_BANDS])
{
	vision_detail_split_skin_on(pool, d, img, mask, NULL, box, energy, NULL);
}

void vision_detail_split_skin_on(bj_pool *pool, vision_detail *d, const media_image *img, const uint8_t *mask,
                                 const uint8_t *skin, vision_rect box, double energy[VISION_DETAIL_BANDS],
                                 double energy_skin[VISION_DETAIL_BANDS])
{
	for (int k = 0; k < VISION_DETAIL_BANDS; k++) {
		energy[k] = 0;
		if (energy_skin)
			energy_skin[k] = 0;
	}
	d->skin_mask = skin;
	d->skin_width = img->width;
	d->box = vision_rect_clip(box, img->width, img->height);
	d->w = d->box.x1 - d->box.x0;
	d->h = d->box.y1 - d->box.y0;
	if (d->w <= 0 || d->h <= 0) {
		d->w = d->h = 0;
		return;
	}
	d->hw = (d->w + 1) / 2;
	d->hh = (d->h + 1) / 2;
	size_t n = (size_t)d->w * d->h, hn = (size_t)d->hw * d->hh;
	if (n > d->cap) {
		free(d->tmp);
		free(d->g1);
		free(d->g2);
		d->tmp = bj_xmalloc(n * sizeof(float));
		d->g1 = bj_xmalloc(n * sizeof(float));
		d->g2 = bj_xmalloc(n * sizeof(float));
		d->cap = n;
	}
	if (hn > d->hcap) {
		free(d->htmp);
		free(d->g3);
		free(d->skin);
		d->htmp = bj_xmalloc(hn * sizeof(float));
		d->g3 = bj_xmalloc(hn * sizeof(float));
		d->skin = bj_xmalloc(hn * sizeof(float));
		d->hcap = hn;
	}
	d->row_len = d->w + 2 * MAX_RADIUS;
	size_t rows = (size_t)(pool ? bj_pool_threads(pool) : 1) * 2 * (size_t)d->row_len;
	if (rows > d->rows_cap) {
		free(d->rows);
		d->rows = bj_xmalloc(rows * sizeof(float));
		d->rows_cap = rows;
	}
	struct job j = { .d = d, .img = img, .mask = mask, .skin = skin };
	vision_bands_run(pool, luma_band, &j);
	vision_bands_run(pool, fine_band, &j);
	vision_bands_run(pool, mid_band, &j);
	float *g2 = d->tmp;
	d->tmp = d->g2;
	d->g2 = g2;
	j.columns = d->g3;
	vision_bands_run(pool, half_columns, &j);
	vision_bands_run(pool, energy_band, &j);
	double *out[2] = { energy, energy_skin };
	for (int p = 0; p < 2; p++) {
		if (!out[p])
			continue;
		long count = 0;
		for (int b = 0; b < VISION_BANDS; b++) {
			for (int k = 0; k < VISION_DETAIL_BANDS; k++)
				out[p][k] += j.sum[b][p][k];
			count += j.n[b][p];
		}
		for (int k = 0; k < VISION_DETAIL_BANDS; k++)
			out[p][k] = count ? out[p][k] / (double)count : 0;
	}
}

static void scale_band(void *ctx, int band, int thread)
{
	struct job *j = ctx;
	const vision_detail *d = j->d;
	float *g3 = row_buffer(j, thread), *w = g3 + d->row_len;
	float gm = (float)(j->gain[0][0] - 1), gc = (float)(j->gain[0][1] - 1);
	float sm = (float)(j->gain[1][0] - j->gain[0][0]), sc = (float)(j->gain[1][1] - j->gain[0][1]);
	int a, b;
	vision_band_rows(band, 0, d->h, &a, &b);
	for (int y = a; y < b; y++) {
		const float *g1 = d->g1 + (size_t)y * d->w, *g2 = d->g2 + (size_t)y * d->w;
		half_row(d, d->g3, y, g3);
		if (d->skin_mask)
			half_row(d, d->skin, y, w);
		else
			for (int x = 0; x < d->w; x++)
				w[x] = 0;
		uint8_t *p = j->out->data + (size_t)(d->box.y0 + y) * j->out->stride + 3 * (size_t)d->box.x0;
		for (int x = 0; x < d->w; x++) {
			float add = (gm + sm * w[x]) * (g1[x] - g2[x]) + (gc + sc * w[x]) * (g2[x] - g3[x]) + 0.5f;
			for (int c = 0; c < 3; c++) {
				float v = p[3 * x + c] + add;
				p[3 * x + c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
			}
		}
	}
}

void vision_detail_scale_on(bj_pool *pool, const vision_detail *d, media_image *img,
                            const double gain[VISION_DETAIL_BANDS])
{
	vision_detail_scale_skin_on(pool, d, img, gain, gain);
}

void vision_detail_scale_skin_on(bj_pool *pool, const vision_detail *d, media_image *img,
                                 const double gain[VISION_DETAIL_BANDS], const double gain_skin[VISION_DETAIL_BANDS])
{
	int same = 1;
	for (int k = 0; k < VISION_DETAIL_BANDS; k++)
		same &= gain[k] == 1 && gain_skin[k] == 1;
	if (d->w <= 0 || d->h <= 0 || same)
		return;
	struct job j = { .d = d, .out = img };
	for (int k = 0; k < VISION_DETAIL_BANDS; k++) {
		j.gain[0][k] = gain[k];
		j.gain[1][k] = gain_skin[k];
	}
	if (d->skin_mask) {
		vision_bands_run(pool, skin_rows, &j);
		j.columns = d->skin;   /* a weight turning from features to skin over the coarse band's width */
		vision_bands_run(pool, half_columns, &j);
	}
	vision_bands_run(pool, scale_band, &j);
}
