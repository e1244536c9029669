#include "vision/poisson.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "vision/bands.h"

/* The solver works on LANES independent equations at once (the clone's
 * three colour channels and a spare), a point's lanes one vector, so that
 * every stencil is one vector operation whatever the compiler's flags. */
#define LANES 4
typedef float lanes __attribute__((vector_size(LANES * sizeof(float))));
typedef int32_t lane_bits __attribute__((vector_size(LANES * sizeof(float))));

/* The larger of |a| and b, lane by lane (b not negative). */
static inline lanes max_abs(lanes a, lanes b)
{
	lanes m = (lanes)((lane_bits)a & 0x7fffffff);
	lane_bits more = m > b;
	return (lanes)((more & (lane_bits)m) | (~more & (lane_bits)b));
}

/* One grid of the multigrid hierarchy: nx x ny points stored with a border
 * of zeros a point wide (row stride nx + 2), so that the stencils need no
 * bounds checks.  e is the correction, r the right-hand side, t scratch for
 * the residual.  s is the squared grid spacing relative to the finest. */
struct level {
	int nx, ny;
	float s;
	lanes *e, *r, *t;
};

/* The hierarchy for a w x h grid: the finest has (w - 2) x (h - 2) unknowns,
 * each next (n - 1) / 2 a side, down to one under 3 a side.  All its memory is
 * one allocation, zeroed. */
struct grids {
	struct level lv[32];
	int n;
	lanes *mem;
	bj_pool *pool;
};

/* A level of fewer points than this is done on the caller: a half sweep of
 * it takes some 15 us, and handing out its bands (a run of the pool, the
 * worker spinning between runs) would cost about what the split saves.
 * Whichever thread runs them, the bands do the same sums, so the solution
 * does not depend on it. */
#define BANDS_MIN_POINTS 16384

static bj_pool *pool_for(const struct grids *g, const struct level *l)
{
	return (long)l->nx * l->ny >= BANDS_MIN_POINTS ? g->pool : NULL;
}

static size_t padded(int nx, int ny)
{
	return (size_t)(nx + 2) * (ny + 2);
}

static void grids_init(struct grids *g, bj_pool *pool, int nx, int ny)
{
	size_t total = 0;
	g->n = 0;
	g->pool = pool;
	for (int x = nx, y = ny; g->n < 32; x = (x - 1) / 2, y = (y - 1) / 2) {
		g->lv[g->n] = (struct level){ x, y, g->n ? 4 * g->lv[g->n - 1].s : 1, NULL, NULL, NULL };
		total += 3 * padded(x, y);
		g->n++;
		if (x < 3 || y < 3)
			break;
	}
	g->mem = bj_xcalloc(total, sizeof(lanes));
	lanes *p = g->mem;
	for (int i = 0; i < g->n; i++) {
		struct level *l = &g->lv[i];
		size_t n = padded(l->nx, l->ny);
		l->e = p;
		l->r = p + n;
		l->t = p + 2 * n;
		p += 3 * n;
	}
}

/* One pass of a level's rows in bands: the level, the coarser one, and the
 * pass's number where it has several. */
struct pass {
	struct level *l, *c;
	int k;
};

/* A half sweep: the points of one colour, (y + x + k) odd, in a band of rows;
 * they read only the other colour's, so the bands are independent. */
static void smooth_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct pass *p = ctx;
	struct level *l = p->l;
	int S = l->nx + 2, y0, y1;
	float s = l->s;
	vision_band_rows(band, 1, l->ny + 1, &y0, &y1);
	for (int y = y0; y < y1; y++) {
		lanes *e = l->e + (size_t)y * S;
		const lanes *r = l->r + (size_t)y * S;
		for (int x = 1 + ((y + p->k + 1) & 1); x <= l->nx; x += 2)
			e[x] = (e[x - 1] + e[x + 1] + e[x - S] + e[x + S] + s * r[x]) * 0.25f;
	}
}

/* Red-black Gauss-Seidel: sweeps times over the red points, then the black. */
static void smooth(const struct grids *g, struct level *l, int sweeps)
{
	for (int k = 0; k < 2 * sweeps; k++)
		vision_bands_run(pool_for(g, l), smooth_band, &(struct pass){ l, NULL, k });
}

/* t = r - A e, then the next level's r by full weighting of t (coarse point
 * X sits on fine point 2 X, both counted from the zero border). */
static void residual_band(void *ctx, int band, int thread)
{
	(void)thread;
	struct level *l = ((const struct pass *)ctx)->l;
	int S = l->nx + 2, y0, y1;
	float inv = 1 / l->s;
	vision_band_rows(band, 1, l->ny + 1, &y0, &y1);
	for (int y = y0; y < y1; y++) {
		const lanes *e = l->e + (size_t)y * S, *r = l->r + (size_t)y * S;
		lanes *t = l->t + (size_t)y * S;
		for (int x = 1; x <= l->nx; x++)
			t[x] = r[x] - (4 * e[x] - e[x - 1] - e[x + 1] - e[x - S] - e[x + S]) * inv;
	}
}

static void weigh_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct pass *p = ctx;
	const struct level *l = p->l;
	struct level *c = p->c;
	int S = l->nx + 2, C = c->nx + 2, y0, y1;
	vision_band_rows(band, 1, c->ny + 1, &y0, &y1);
	for (int y = y0; y < y1; y++) {
		const lanes *t = l->t + (size_t)(2 * y) * S;
		lanes *rc = c->r + (size_t)y * C;
		for (int x = 1; x <= c->nx; x++) {
			const lanes *p = t + 2 * x;
			rc[x] = (4 * p[0] + 2 * (p[-1] + p[1] + p[-S] + p[S]) + p[-S - 1] + p[-S + 1] + p[S - 1] + p[S + 1]) *
			        (1.0f / 16);
		}
	}
}

static void restrict_residual(const struct grids *g, struct level *l, struct level *c)
{
	struct pass p = { l, c, 0 };
	vision_bands_run(pool_for(g, l), residual_band, &p);
	vision_bands_run(pool_for(g, c), weigh_band, &p);
}

/* e of the fine level += the coarse e, bilinearly: fine point X lies on
 * coarse point X / 2 when even, halfway between (X - 1) / 2 and (X + 1) / 2
 * when odd; the coarse border is zero. */
static void prolong_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct pass *p = ctx;
	struct level *l = p->l;
	const struct level *c = p->c;
	int S = l->nx + 2, C = c->nx + 2, y0, y1;
	vision_band_rows(band, 1, l->ny + 1, &y0, &y1);
	for (int y = y0; y < y1; y++) {
		const lanes *a = c->e + (size_t)(y >> 1) * C, *b = c->e + (size_t)((y + 1) >> 1) * C;
		lanes *e = l->e + (size_t)y * S;
		for (int x = 1; x <= l->nx; x++) {
			int x0 = x >> 1, x1 = (x + 1) >> 1;
			e[x] += (a[x0] + a[x1] + b[x0] + b[x1]) * 0.25f;
		}
	}
}

static void prolong_add(const struct grids *g, struct level *l, struct level *c)
{
	vision_bands_run(pool_for(g, l), prolong_band, &(struct pass){ l, c, 0 });
}

static void vcycle(struct grids *g, int i)
{
	struct level *l = &g->lv[i];
	if (i == g->n - 1) {
		smooth(g, l, 30);
		return;
	}
	struct level *c = &g->lv[i + 1];
	smooth(g, l, 2);
	restrict_residual(g, l, c);
	memset(c->e, 0, padded(c->nx, c->ny) * sizeof(lanes));
	vcycle(g, i + 1);
	prolong_add(g, l, c);
	smooth(g, l, 2);
}

/* Full multigrid on level 0's r from a zero e: the right-hand side restricted
 * to every level, solved on the coarsest, and each finer level started from
 * the coarser's solution and given one V-cycle.  Costs about two V-cycles and
 * leaves an error of the order of the discretisation's, where a V-cycle from
 * zero only divides the error by ten or so. */
static void full_multigrid(struct grids *g)
{
	for (int i = 0; i + 1 < g->n; i++) {
		memset(g->lv[i].e, 0, padded(g->lv[i].nx, g->lv[i].ny) * sizeof(lanes));
		restrict_residual(g, &g->lv[i], &g->lv[i + 1]);
	}
	struct level *last = &g->lv[g->n - 1];
	memset(last->e, 0, padded(last->nx, last->ny) * sizeof(lanes));
	smooth(g, last, 30);
	for (int i = g->n - 2; i >= 0; i--) {
		memset(g->lv[i].e, 0, padded(g->lv[i].nx, g->lv[i].ny) * sizeof(lanes));
		prolong_add(g, &g->lv[i], &g->lv[i + 1]);
		vcycle(g, i);
	}
}

/* The finest level's right-hand side from u and f, or u corrected by its e,
 * in bands of rows; each band's largest residual kept apart (a maximum, so
 * the same whatever the order). */
struct solve_job {
	struct level *l;
	lanes *u;
	const lanes *f;
	int w, h;
	lanes worst[VISION_BANDS];
};

static void residual_of_u(void *ctx, int band, int thread)
{
	(void)thread;
	struct solve_job *j = ctx;
	int w = j->w, y0, y1;
	lanes worst = { 0 };
	vision_band_rows(band, 1, j->h - 1, &y0, &y1);
	for (int y = y0; y < y1; y++) {
		const lanes *uy = j->u + (size_t)y * w, *fy = j->f + (size_t)y * w;
		lanes *r = j->l->r + (size_t)y * w;
		for (int x = 1; x < w - 1; x++) {
			lanes v = fy[x] - (4 * uy[x] - uy[x - 1] - uy[x + 1] - uy[x - w] - uy[x + w]);
			r[x] = v;
			worst = max_abs(v, worst);
		}
	}
	j->worst[band] = worst;
}

static void correct_u(void *ctx, int band, int thread)
{
	(void)thread;
	struct solve_job *j = ctx;
	int w = j->w, y0, y1;
	vision_band_rows(band, 1, j->h - 1, &y0, &y1);
	for (int y = y0; y < y1; y++) {
		const lanes *e = j->l->e + (size_t)y * w;
		lanes *uy = j->u + (size_t)y * w;
		for (int x = 1; x < w - 1; x++)
			uy[x] += e[x];
	}
}

/* The solve on a hierarchy already made for w x h, of LANES equations at
 * once (u and f have the finest level's layout: w x h points of lanes).
 * Cycles until every lane's residual is within tol. */
static void solve(struct grids *g, lanes *u, int w, int h, const lanes *f, double tol, int *cycles)
{
	struct level *l = &g->lv[0];
	struct solve_job j = { .l = l, .u = u, .f = f, .w = w, .h = h };
	bj_pool *pool = pool_for(g, l);
	for (int cycle = 0;; cycle++) {
		vision_bands_run(pool, residual_of_u, &j);
		float most = 0;
		for (int b = 0; b < VISION_BANDS; b++)
			for (int k = 0; k < LANES; k++)
				most = fmaxf(most, j.worst[b][k]);
		if (most <= tol || cycle == 100)
			break;
		if (cycle == 0) {
			full_multigrid(g);
		} else {
			memset(l->e, 0, padded(l->nx, l->ny) * sizeof(lanes));
			vcycle(g, 0);
		}
		vision_bands_run(pool, correct_u, &j);
		if (cycles)
			(*cycles)++;
	}
}

int vision_poisson_solve(float *u, int w, int h, const float *f, double tol, int *cycles)
{
	if (cycles)
		*cycles = 0;
	if (w < 3 || h < 3)
		return bj_error_set(BJ_EINVAL, "Poisson solve needs a grid of 3 x 3 or more, got %d x %d", w, h);
	/* one equation: lane 0, the others zero and so solved at once */
	size_t n = (size_t)w * h;
	lanes *u4 = bj_xcalloc(n, sizeof(lanes)), *f4 = bj_xcalloc(n, sizeof(lanes));
	for (size_t i = 0; i < n; i++) {
		u4[i][0] = u[i];
		f4[i][0] = f[i];
	}
	struct grids g;
	grids_init(&g, NULL, w - 2, h - 2);
	solve(&g, u4, w, h, f4, tol, cycles);
	for (size_t i = 0; i < n; i++)
		u[i] = u4[i][0];
	free(g.mem);
	free(u4);
	free(f4);
	return 0;
}

/* What a band of the clone's rows needs. */
struct clone_job {
	media_image *dst;
	const media_image *src;
	const uint8_t *mask, *weight; /* weight: the guidance's mask (mask, or one steeper in places) */
	vision_rect r;
	lanes *u, *f;
	float half_means[511]; /* two mask values' sum s -> (float)s / 510 */
};

/* An RGB pixel's bytes in lanes 0..2, lane 3 zero. */
static inline lanes pixel(const uint8_t *p)
{
	return (lanes){ p[0], p[1], p[2], 0 };
}

/* The clone's starting point and guidance, a band of the region's rows. */
static void clone_setup(void *ctx, int band, int thread)
{
	(void)thread;
	const struct clone_job *j = ctx;
	const media_image *dst = j->dst, *src = j->src;
	vision_rect r = j->r;
	int w = r.x1 - r.x0, h = r.y1 - r.y0, y0, y1;
	static const int dx[4] = { -1, 1, 0, 0 }, dy[4] = { 0, 0, -1, 1 };
	vision_band_rows(band, 0, h, &y0, &y1);
	for (int y = y0; y < y1; y++)
		for (int x = 0; x < w; x++) {
			int gx = r.x0 + x, gy = r.y0 + y;
			const uint8_t *m = j->mask + (size_t)gy * dst->width + gx, *wt = j->weight + (size_t)gy * dst->width + gx;
			size_t p = (size_t)gy * dst->stride + 3 * (size_t)gx;
			lanes *up = j->u + (size_t)y * w + x, *fp = j->f + (size_t)y * w + x;
			int in = *m >= 128;
			if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
				/* the border is dst's: the boundary condition */
				for (int c = 0; c < 3; c++)
					(*up)[c] = dst->data[p + c];
				continue;
			}
			/* inside, starting from src where the mask is, dst elsewhere,
			 * leaves the solver only the smooth difference to spread from
			 * the mask's edge */
			const uint8_t *start = in ? src->data : dst->data;
			for (int c = 0; c < 3; c++)
				(*up)[c] = start[p + c];
			/* the guidance: src's gradient towards a neighbour weighted by
			 * the two pixels' mean mask, dst's by the rest, so that the
			 * guidance changes little when a feathered mask moves a little
			 * (a threshold at 128 switched whole pixels from one picture's
			 * gradient to the other's as the face's landmarks trembled);
			 * the three channels in a vector's lanes (each lane the scalar
			 * operations in their order; lane 3 stays +0 as f's was) */
			lanes acc = { 0, 0, 0, 0 }, s0 = pixel(src->data + p), d0 = pixel(dst->data + p);
			for (int k = 0; k < 4; k++) {
				float ws = j->half_means[wt[0] + wt[dy[k] * dst->width + dx[k]]];
				ptrdiff_t q = dy[k] * (ptrdiff_t)dst->stride + 3 * dx[k];
				acc += ws * (s0 - pixel(src->data + p + q)) + (1 - ws) * (d0 - pixel(dst->data + p + q));
			}
			*fp = acc;
		}
}

/* The solution onto dst as far as the mask says, a band of the inner rows. */
static void clone_blend(void *ctx, int band, int thread)
{
	(void)thread;
	const struct clone_job *j = ctx;
	media_image *dst = j->dst;
	vision_rect r = j->r;
	int w = r.x1 - r.x0, h = r.y1 - r.y0, y0, y1;
	vision_band_rows(band, 1, h - 1, &y0, &y1);
	for (int y = y0; y < y1; y++)
		for (int x = 1; x < w - 1; x++) {
			int gx = r.x0 + x, gy = r.y0 + y;
			float a = j->mask[(size_t)gy * dst->width + gx] / 255.0f;
			if (a <= 0)
				continue;
			uint8_t *p = dst->data + (size_t)gy * dst->stride + 3 * (size_t)gx;
			const lanes *up = j->u + (size_t)y * w + x;
			for (int c = 0; c < 3; c++) {
				float v = p[c] + a * ((*up)[c] - p[c]) + 0.5f;
				p[c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
			}
		}
}

int vision_seamless_clone(media_image *dst, const media_image *src, const uint8_t *mask, vision_rect r)
{
	return vision_seamless_clone_on(NULL, dst, src, mask, r);
}

int vision_seamless_clone_on(bj_pool *pool, media_image *dst, const media_image *src, const uint8_t *mask,
                             vision_rect r)
{
	return vision_seamless_clone_guided_on(pool, dst, src, mask, mask, r);
}

int vision_seamless_clone_guided_on(bj_pool *pool, media_image *dst, const media_image *src, const uint8_t *mask,
                                    const uint8_t *guide, vision_rect r)
{
	if (src->width != dst->width || src->height != dst->height || src->channels != 3 ||
	    dst->channels != 3)
		return bj_error_set(BJ_EINVAL, "seamless clone needs two RGB images of one size");
	r = vision_rect_clip(r, dst->width, dst->height);
	int w = r.x1 - r.x0, h = r.y1 - r.y0;
	if (w < 3 || h < 3)
		return bj_error_set(BJ_EINVAL, "seamless clone: region of %d x %d pixels is too small", w, h);
	/* the three channels in lanes 0..2 of u and f, lane 3 left zero */
	size_t n = (size_t)w * h;
	struct clone_job j = { .dst = dst,
		               .src = src,
		               .mask = mask,
		               .weight = guide,
		               .r = r,
		               .u = bj_xcalloc(n, sizeof(lanes)),
		               .f = bj_xcalloc(n, sizeof(lanes)) };
	for (int s = 0; s < 511; s++)
		j.half_means[s] = (float)s / 510;
	struct grids g;
	grids_init(&g, pool, w - 2, h - 2);
	bj_pool *banded = pool_for(&g, &g.lv[0]);
	vision_bands_run(banded, clone_setup, &j);
	solve(&g, j.u, w, h, j.f, 0.5, NULL);
	vision_bands_run(banded, clone_blend, &j);
	free(g.mem);
	free(j.u);
	free(j.f);
	return 0;
}
