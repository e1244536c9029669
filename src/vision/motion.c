#include "vision/motion.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

#define MAX_STEPS 15         /* Gauss-Newton steps per resolution */
#define DONE_STEP 0.005      /* pixels: a step this small ends the fit */
#define MIN_HUBER 2.0        /* grey levels: residuals below this weigh fully */
#define FAR_FROM_GUESS 0.1   /* of the region's size: further and the fit failed */
#define MOTION_BANDS 8       /* bands of rows the pool shares out (see struct step) */

/* Grey levels of a picture rectangle at 1 or 2 picture pixels per pixel
 * (2 x 2 means); pixel (i, j) sits at picture x0 + s i + (s - 1) / 2. */
struct level {
	float *g;
	int w, h, s;
	double x0, y0;
};

static void level_size(vision_rect r, int s, struct level *l)
{
	l->s = s;
	l->w = (r.x1 - r.x0) / s;
	l->h = (r.y1 - r.y0) / s;
	l->x0 = r.x0 + (s - 1) / 2.0;
	l->y0 = r.y0 + (s - 1) / 2.0;
	l->g = bj_xmalloc((size_t)l->w * l->h * sizeof(float));
}

/* Rows j0..j1-1 of level l of img's rectangle r. */
static void level_rows(const media_image *img, vision_rect r, struct level *l, int j0, int j1)
{
	int s = l->s;
	for (int j = j0; j < j1; j++)
		for (int i = 0; i < l->w; i++) {
			int sum = 0;
			for (int dy = 0; dy < s; dy++) {
				const uint8_t *p = img->data + (size_t)(r.y0 + s * j + dy) * img->stride + 3 * (size_t)(r.x0 + s * i);
				for (int dx = 0; dx < s; dx++, p += 3)
					sum += 77 * p[0] + 150 * p[1] + 29 * p[2];
			}
			l->g[(size_t)j * l->w + i] = (float)sum / (256.0f * (float)(s * s));
		}
}

/* The template's and the picture's levels at one resolution, made in
 * MOTION_BANDS bands of rows each over the pool (a level's rows are
 * independent: the same floats on any number of threads). */
struct levels_job {
	const media_image *prev, *cur;
	vision_rect r, to;
	struct level *tpl, *img;
};

static void levels_band(void *ctx, int task, int thread);

static void levels_make(bj_pool *pool, struct levels_job *j, int s)
{
	level_size(j->r, s, j->tpl);
	level_size(j->to, s, j->img);
	if (pool)
		bj_pool_run(pool, 2 * MOTION_BANDS, levels_band, j);
	else
		for (int t = 0; t < 2 * MOTION_BANDS; t++)
			levels_band(j, t, 0);
}

/* Solves the 4 x 4 system h x = g (Gaussian elimination with pivoting);
 * 0 when it is singular. */
static int solve4(double h[4][4], double g[4], double x[4])
{
	double a[4][5];
	for (int i = 0; i < 4; i++) {
		for (int j = 0; j < 4; j++)
			a[i][j] = h[i][j];
		a[i][4] = g[i];
	}
	for (int c = 0; c < 4; c++) {
		int p = c;
		for (int i = c + 1; i < 4; i++)
			if (fabs(a[i][c]) > fabs(a[p][c]))
				p = i;
		if (fabs(a[p][c]) < 1e-9)
			return 0;
		for (int j = 0; j < 5; j++) {
			double t = a[c][j];
			a[c][j] = a[p][j];
			a[p][j] = t;
		}
		for (int i = c + 1; i < 4; i++) {
			double f = a[i][c] / a[c][c];
			for (int j = c; j < 5; j++)
				a[i][j] -= f * a[c][j];
		}
	}
	for (int i = 3; i >= 0; i--) {
		double v = a[i][4];
		for (int j = i + 1; j < 4; j++)
			v -= a[i][j] * x[j];
		x[i] = v / a[i][i];
	}
	return 1;
}

/* The warp: picture point c + u of prev goes to c + t + (1 + a) u + b perp(u)
 * of cur, with u in units of the region's half size rad (p = tx, ty, a, b). */
struct fit {
	double cx, cy, rad, p[4];
};

/* The normal equations' sums over a band of the template's rows. */
struct sums {
	double h[4][4], g[4], abs_sum;
	long n;
};

/* One Gauss-Newton step's sums, in MOTION_BANDS bands of rows that the pool
 * shares out: always the same bands, added in the same order, so the fit
 * does not depend on the thread count. */

struct step {
	const struct level *tpl, *img;
	const struct fit *f;
	const double *ux;   /* (tpl->w) each template column's ux, fixed for the fit */
	double huber;
	struct sums band[MOTION_BANDS];
};

/*
 * A band's sums, four template pixels of a row at a time in the lanes of GCC
 * vectors, in clones for AVX2 and plain x86-64 picked at load time.  Each lane
 * does the IEEE operations the one-pixel formulas below do, in their order
 * (C11 mode: no contraction into fused multiply-adds), and the pixels are then
 * added to the sums one after the other as before, a row of the normal
 * matrix a vector: the sums have the bytes of the plain loop, on any clone.
 *
 * For template pixel (i, j) at u from the centre (in units of rad), its place
 * in the image is (x, y) = c + t + rad ((1 + a) u + b perp(u)); there the
 * image level's grey v and gradient (gx, gy) are interpolated bilinearly
 * (the gradient by central differences at the four corners), and the pixel
 * adds, with Huber weight w of its error e = v - template, w J^T e to g and
 * w J^T J to h, J = (gx, gy, rad (gx ux + gy uy), rad (gy ux - gx uy)).
 */
#pragma GCC diagnostic ignored "-Wpsabi"
typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4l __attribute__((vector_size(32)));
#define CLONES __attribute__((target_clones("avx2", "default")))

CLONES static void step_band(void *ctx, int task, int thread)
{
	(void)thread;
	struct step *st = ctx;
	const struct level *tpl = st->tpl, *img = st->img;
	const struct fit *f = st->f;
	/* summed in locals, stored once: the band's sums sit next to the other
	 * bands' in st (one cache line between two threads) */
	v4d g = { 0 }, h0 = { 0 }, h1 = { 0 }, h2 = { 0 }, h3 = { 0 };
	double abs_sum = 0;
	long n = 0;
	const double cxt = f->cx + f->p[0], cyt = f->cy + f->p[1], a = 1 + f->p[2], b = f->p[3], rad = f->rad;
	/* s is 1 or 2, a power of two: a division by it and a product with its
	 * inverse round alike (the exact quotient is the same) */
	const double inv_s = 1.0 / img->s, lw = img->w - 2, lh = img->h - 2;
	const size_t w = (size_t)img->w;
	int j0 = (int)((long)tpl->h * task / MOTION_BANDS), j1 = (int)((long)tpl->h * (task + 1) / MOTION_BANDS);
	for (int j = j0; j < j1; j++) {
		double uy = (tpl->y0 + tpl->s * j - f->cy) / rad, buy = b * uy, auy = a * uy;
		const float *trow = tpl->g + (size_t)j * tpl->w;
		for (int i0 = 0; i0 < tpl->w; i0 += 4) {
			v4d ux = { 0 }, tv = { 0 };
			for (int k = 0; k < 4; k++) {
				int i = i0 + k < tpl->w ? i0 + k : tpl->w - 1;
				ux[k] = st->ux[i];
				tv[k] = trow[i];
			}
			v4d x = cxt + rad * (a * ux - buy), y = cyt + rad * (b * ux + auy);
			v4d fx = (x - img->x0) * inv_s, fy = (y - img->y0) * inv_s;
			v4l in = (fx >= 1) & (fy >= 1) & (fx < lw) & (fy < lh);
			/* the twelve neighbours of each lane's cell, as floats, and the
			 * central differences taken in float as the plain code did */
			v4d v00, v10, v01, v11, gx00, gx10, gx01, gx11, gy00, gy10, gy01, gy11, ax, ay;
			for (int k = 0; k < 4; k++) {
				int ix = in[k] ? (int)fx[k] : 1, iy = in[k] ? (int)fy[k] : 1;
				ax[k] = fx[k] - ix;
				ay[k] = fy[k] - iy;
				const float *p = img->g + (size_t)iy * w + ix;
				v00[k] = p[0], v10[k] = p[1], v01[k] = p[w], v11[k] = p[w + 1];
				gx00[k] = p[1] - p[-1], gx10[k] = p[2] - p[0];
				gx01[k] = p[w + 1] - p[w - 1], gx11[k] = p[w + 2] - p[w];
				gy00[k] = p[w] - p[-(long)w], gy10[k] = p[w + 1] - p[1 - (long)w];
				gy01[k] = p[2 * w] - p[0], gy11[k] = p[2 * w + 1] - p[1];
			}
			v4d bx = 1 - ax, by = 1 - ay;
			v4d v = by * (bx * v00 + ax * v10) + ay * (bx * v01 + ax * v11);
			v4d gx = (by * (bx * (gx00 / 2.0) + ax * (gx10 / 2.0)) + ay * (bx * (gx01 / 2.0) + ax * (gx11 / 2.0))) * inv_s;
			v4d gy = (by * (bx * (gy00 / 2.0) + ax * (gy10 / 2.0)) + ay * (bx * (gy01 / 2.0) + ax * (gy11 / 2.0))) * inv_s;
			v4d e = v - tv;
			v4d ae = (v4d)((v4l)e & 0x7fffffffffffffffLL);
			v4l full = ae <= st->huber;
			v4d wt = (v4d)((full & (v4l)(v4d){ 1, 1, 1, 1 }) | (~full & (v4l)(st->huber / ae)));
			v4d j2 = rad * (gx * ux + gy * uy), j3 = rad * (gy * ux - gx * uy);
			for (int k = 0; k < 4 && i0 + k < tpl->w; k++) {
				if (!in[k])
					continue;
				v4d jac = { gx[k], gy[k], j2[k], j3[k] }, wj = wt[k] * jac;
				g -= wj * e[k];
				h0 += wj[0] * jac;
				h1 += wj[1] * jac;
				h2 += wj[2] * jac;
				h3 += wj[3] * jac;
				abs_sum += ae[k];
				n++;
			}
		}
	}
	struct sums *u = &st->band[task];
	for (int c = 0; c < 4; c++) {
		u->g[c] = g[c];
		u->h[0][c] = h0[c];
		u->h[1][c] = h1[c];
		u->h[2][c] = h2[c];
		u->h[3][c] = h3[c];
	}
	u->abs_sum = abs_sum;
	u->n = n;
}

static void levels_band(void *ctx, int task, int thread)
{
	(void)thread;
	struct levels_job *j = ctx;
	int band = task % MOTION_BANDS, of_img = task >= MOTION_BANDS;
	struct level *l = of_img ? j->img : j->tpl;
	int j0 = (int)((long)l->h * band / MOTION_BANDS), j1 = (int)((long)l->h * (band + 1) / MOTION_BANDS);
	level_rows(of_img ? j->cur : j->prev, of_img ? j->to : j->r, l, j0, j1);
}

/* Gauss-Newton on one resolution; 0 when the system is singular. */
static int refine(bj_pool *pool, const struct level *tpl, const struct level *img, struct fit *f)
{
	double *ux = bj_xmalloc((size_t)tpl->w * sizeof(*ux));
	for (int i = 0; i < tpl->w; i++)
		ux[i] = (tpl->x0 + tpl->s * i - f->cx) / f->rad;
	struct step st = { tpl, img, f, ux, 1e9, { { { { 0 } }, { 0 }, 0, 0 } } };
	int ok = 1;
	for (int step = 0; step < MAX_STEPS; step++) {
		if (pool)
			bj_pool_run(pool, MOTION_BANDS, step_band, &st);
		else
			for (int b = 0; b < MOTION_BANDS; b++)
				step_band(&st, b, 0);
		struct sums all = { { { 0 } }, { 0 }, 0, 0 };
		for (int b = 0; b < MOTION_BANDS; b++) {
			const struct sums *u = &st.band[b];
			for (int r = 0; r < 4; r++) {
				all.g[r] += u->g[r];
				for (int c = 0; c < 4; c++)
					all.h[r][c] += u->h[r][c];
			}
			all.abs_sum += u->abs_sum;
			all.n += u->n;
		}
		double d[4];
		if (all.n < (long)tpl->w * tpl->h / 2 || !solve4(all.h, all.g, d)) {
			ok = 0;
			break;
		}
		for (int k = 0; k < 4; k++)
			f->p[k] += d[k];
		st.huber = fmax(MIN_HUBER, 1.5 * all.abs_sum / (double)all.n);
		if (hypot(d[0], d[1]) + f->rad * hypot(d[2], d[3]) < DONE_STEP)
			break;
	}
	free(ux);
	return ok;
}

/* The part of the picture the region can move to under m, grown by the
 * largest allowed departure from it, clipped to the picture. */
static vision_rect reach(const media_image *img, vision_rect r, const vision_similarity *m, double slack)
{
	double xs[4] = { r.x0, r.x1, r.x0, r.x1 }, ys[4] = { r.y0, r.y0, r.y1, r.y1 };
	double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
	for (int k = 0; k < 4; k++) {
		double x = m->a * xs[k] - m->b * ys[k] + m->tx, y = m->b * xs[k] + m->a * ys[k] + m->ty;
		x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
	}
	vision_rect o = { (int)fmax(0, floor(x0 - slack)), (int)fmax(0, floor(y0 - slack)),
		          (int)fmin(img->width, ceil(x1 + slack)), (int)fmin(img->height, ceil(y1 + slack)) };
	return o;
}

int vision_region_motion(const media_image *prev, const media_image *cur, vision_rect r, vision_similarity *m)
{
	return vision_region_motion_on(NULL, prev, cur, r, m);
}

int vision_region_motion_on(bj_pool *pool, const media_image *prev, const media_image *cur, vision_rect r,
                            vision_similarity *m)
{
	if (r.x0 < 0 || r.y0 < 0 || r.x1 > prev->width || r.y1 > prev->height || r.x1 - r.x0 < 8 ||
	    r.y1 - r.y0 < 8 || cur->width != prev->width || cur->height != prev->height)
		return 0;
	struct fit f = { (r.x0 + r.x1) / 2.0, (r.y0 + r.y1) / 2.0, (r.x1 - r.x0 + r.y1 - r.y0) / 4.0, { 0 } };
	/* the guess in the fit's terms */
	f.p[0] = m->a * f.cx - m->b * f.cy + m->tx - f.cx;
	f.p[1] = m->b * f.cx + m->a * f.cy + m->ty - f.cy;
	f.p[2] = m->a - 1;
	f.p[3] = m->b;
	double guess[4] = { f.p[0], f.p[1], f.p[2], f.p[3] }, slack = FAR_FROM_GUESS * 2 * f.rad;
	vision_rect to = reach(cur, r, m, slack + 4);
	if (to.x1 - to.x0 < 16 || to.y1 - to.y0 < 16)
		return 0;
	int ok = 1;
	for (int s = 2; s >= 1 && ok; s--) {
		struct level tpl, img;
		struct levels_job lj = { prev, cur, r, to, &tpl, &img };
		levels_make(pool, &lj, s);
		ok = tpl.w >= 4 && tpl.h >= 4 && refine(pool, &tpl, &img, &f);
		free(tpl.g);
		free(img.g);
	}
	if (!ok || !(hypot(f.p[0] - guess[0], f.p[1] - guess[1]) + f.rad * hypot(f.p[2] - guess[2], f.p[3] - guess[3]) <
	             slack))
		return 0;
	m->a = 1 + f.p[2];
	m->b = f.p[3];
	m->tx = f.cx + f.p[0] - m->a * f.cx + m->b * f.cy;
	m->ty = f.cy + f.p[1] - m->b * f.cx - m->a * f.cy;
	return 1;
}
