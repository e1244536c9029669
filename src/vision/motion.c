#include "vision/motion.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

#define MAX_STEPS 15         /* Gauss-Newton steps per resolution */
#define DONE_STEP 0.005      /* pixels: a step this small ends the fit */
#define MIN_HUBER 2.0        /* grey levels: residuals below this weigh fully */
#define FAR_FROM_GUESS 0.1   /* of the region's size: further and the fit failed */

/* Grey levels of a picture rectangle at 1 or 2 picture pixels per pixel
 * (2 x 2 means); pixel (i, j) sits at picture x0 + s i + (s - 1) / 2. */
struct level {
	float *g;
	int w, h, s;
	double x0, y0;
};

static void level_make(const media_image *img, vision_rect r, int s, struct level *l)
{
	l->s = s;
	l->w = (r.x1 - r.x0) / s;
	l->h = (r.y1 - r.y0) / s;
	l->x0 = r.x0 + (s - 1) / 2.0;
	l->y0 = r.y0 + (s - 1) / 2.0;
	l->g = bj_xmalloc((size_t)l->w * l->h * sizeof(float));
	for (int j = 0; j < l->h; j++)
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

/* The grey level and its gradient (per picture pixel) at picture (x, y);
 * 0 outside the level. */
static int sample(const struct level *l, double x, double y, double *v, double *gx, double *gy)
{
	double fx = (x - l->x0) / l->s, fy = (y - l->y0) / l->s;
	if (!(fx >= 1 && fy >= 1 && fx < l->w - 2 && fy < l->h - 2))
		return 0;
	int ix = (int)fx, iy = (int)fy;
	double ax = fx - ix, ay = fy - iy;
	const float *p = l->g + (size_t)iy * l->w + ix;
	size_t w = (size_t)l->w;
	double v00 = p[0], v10 = p[1], v01 = p[w], v11 = p[w + 1];
	*v = (1 - ay) * ((1 - ax) * v00 + ax * v10) + ay * ((1 - ax) * v01 + ax * v11);
	/* central differences at the four corners, interpolated the same way */
	double gx00 = (p[1] - p[-1]) / 2.0, gx10 = (p[2] - p[0]) / 2.0;
	double gx01 = (p[w + 1] - p[w - 1]) / 2.0, gx11 = (p[w + 2] - p[w]) / 2.0;
	double gy00 = (p[w] - p[-(long)w]) / 2.0, gy10 = (p[w + 1] - p[1 - (long)w]) / 2.0;
	double gy01 = (p[2 * w] - p[0]) / 2.0, gy11 = (p[2 * w + 1] - p[1]) / 2.0;
	*gx = ((1 - ay) * ((1 - ax) * gx00 + ax * gx10) + ay * ((1 - ax) * gx01 + ax * gx11)) / l->s;
	*gy = ((1 - ay) * ((1 - ax) * gy00 + ax * gy10) + ay * ((1 - ax) * gy01 + ax * gy11)) / l->s;
	return 1;
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
#define MOTION_BANDS 8

struct step {
	const struct level *tpl, *img;
	const struct fit *f;
	double huber;
	struct sums band[MOTION_BANDS];
};

static void step_band(void *ctx, int task, int thread)
{
	(void)thread;
	struct step *st = ctx;
	const struct level *tpl = st->tpl, *img = st->img;
	const struct fit *f = st->f;
	/* summed in a local, stored once: the band's sums sit next to the other
	 * bands' in st (one cache line between two threads), and through a
	 * pointer the compiler keeps every sum in memory */
	struct sums acc;
	memset(&acc, 0, sizeof(acc));
	int j0 = (int)((long)tpl->h * task / MOTION_BANDS), j1 = (int)((long)tpl->h * (task + 1) / MOTION_BANDS);
	for (int j = j0; j < j1; j++)
		for (int i = 0; i < tpl->w; i++) {
			double ux = (tpl->x0 + tpl->s * i - f->cx) / f->rad, uy = (tpl->y0 + tpl->s * j - f->cy) / f->rad;
			double x = f->cx + f->p[0] + f->rad * ((1 + f->p[2]) * ux - f->p[3] * uy);
			double y = f->cy + f->p[1] + f->rad * (f->p[3] * ux + (1 + f->p[2]) * uy);
			double v, gx, gy;
			if (!sample(img, x, y, &v, &gx, &gy))
				continue;
			double e = v - tpl->g[(size_t)j * tpl->w + i], ae = fabs(e);
			double w = ae <= st->huber ? 1 : st->huber / ae;
			double jac[4] = { gx, gy, f->rad * (gx * ux + gy * uy), f->rad * (gy * ux - gx * uy) };
			for (int r = 0; r < 4; r++) {
				acc.g[r] -= w * jac[r] * e;
				for (int c = 0; c < 4; c++)
					acc.h[r][c] += w * jac[r] * jac[c];
			}
			acc.abs_sum += ae;
			acc.n++;
		}
	st->band[task] = acc;
}

/* Gauss-Newton on one resolution; 0 when the system is singular. */
static int refine(bj_pool *pool, const struct level *tpl, const struct level *img, struct fit *f)
{
	struct step st = { tpl, img, f, 1e9, { { { { 0 } }, { 0 }, 0, 0 } } };
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
		if (all.n < (long)tpl->w * tpl->h / 2 || !solve4(all.h, all.g, d))
			return 0;
		for (int k = 0; k < 4; k++)
			f->p[k] += d[k];
		st.huber = fmax(MIN_HUBER, 1.5 * all.abs_sum / (double)all.n);
		if (hypot(d[0], d[1]) + f->rad * hypot(d[2], d[3]) < DONE_STEP)
			break;
	}
	return 1;
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
		level_make(prev, r, s, &tpl);
		level_make(cur, to, s, &img);
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
