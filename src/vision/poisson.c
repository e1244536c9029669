#include "vision/poisson.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

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
};

static size_t padded(int nx, int ny)
{
	return (size_t)(nx + 2) * (ny + 2);
}

static void grids_init(struct grids *g, int nx, int ny)
{
	size_t total = 0;
	g->n = 0;
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

/* Red-black Gauss-Seidel: sweeps times over the red points, then the black. */
static void smooth(struct level *l, int sweeps)
{
	int S = l->nx + 2;
	float s = l->s;
	for (int k = 0; k < 2 * sweeps; k++)
		for (int y = 1; y <= l->ny; y++) {
			lanes *e = l->e + (size_t)y * S;
			const lanes *r = l->r + (size_t)y * S;
			for (int x = 1 + ((y + k + 1) & 1); x <= l->nx; x += 2)
				e[x] = (e[x - 1] + e[x + 1] + e[x - S] + e[x + S] + s * r[x]) * 0.25f;
		}
}

/* t = r - A e, then the next level's r by full weighting of t (coarse point
 * X sits on fine point 2 X, both counted from the zero border). */
static void restrict_residual(struct level *l, struct level *c)
{
	int S = l->nx + 2, C = c->nx + 2;
	float inv = 1 / l->s;
	for (int y = 1; y <= l->ny; y++) {
		const lanes *e = l->e + (size_t)y * S, *r = l->r + (size_t)y * S;
		lanes *t = l->t + (size_t)y * S;
		for (int x = 1; x <= l->nx; x++)
			t[x] = r[x] - (4 * e[x] - e[x - 1] - e[x + 1] - e[x - S] - e[x + S]) * inv;
	}
	for (int y = 1; y <= c->ny; y++) {
		const lanes *t = l->t + (size_t)(2 * y) * S;
		lanes *rc = c->r + (size_t)y * C;
		for (int x = 1; x <= c->nx; x++) {
			const lanes *p = t + 2 * x;
			rc[x] = (4 * p[0] + 2 * (p[-1] + p[1] + p[-S] + p[S]) + p[-S - 1] + p[-S + 1] + p[S - 1] + p[S + 1]) *
			        (1.0f / 16);
		}
	}
}

/* e of the fine level += the coarse e, bilinearly: fine point X lies on
 * coarse point X / 2 when even, halfway between (X - 1) / 2 and (X + 1) / 2
 * when odd; the coarse border is zero. */
static void prolong_add(struct level *l, const struct level *c)
{
	int S = l->nx + 2, C = c->nx + 2;
	for (int y = 1; y <= l->ny; y++) {
		const lanes *a = c->e + (size_t)(y >> 1) * C, *b = c->e + (size_t)((y + 1) >> 1) * C;
		lanes *e = l->e + (size_t)y * S;
		for (int x = 1; x <= l->nx; x++) {
			int x0 = x >> 1, x1 = (x + 1) >> 1;
			e[x] += (a[x0] + a[x1] + b[x0] + b[x1]) * 0.25f;
		}
	}
}

static void vcycle(struct grids *g, int i)
{
	struct level *l = &g->lv[i];
	if (i == g->n - 1) {
		smooth(l, 30);
		return;
	}
	struct level *c = &g->lv[i + 1];
	smooth(l, 2);
	restrict_residual(l, c);
	memset(c->e, 0, padded(c->nx, c->ny) * sizeof(lanes));
	vcycle(g, i + 1);
	prolong_add(l, c);
	smooth(l, 2);
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
		restrict_residual(&g->lv[i], &g->lv[i + 1]);
	}
	struct level *last = &g->lv[g->n - 1];
	memset(last->e, 0, padded(last->nx, last->ny) * sizeof(lanes));
	smooth(last, 30);
	for (int i = g->n - 2; i >= 0; i--) {
		memset(g->lv[i].e, 0, padded(g->lv[i].nx, g->lv[i].ny) * sizeof(lanes));
		prolong_add(&g->lv[i], &g->lv[i + 1]);
		vcycle(g, i);
	}
}

/* The solve on a hierarchy already made for w x h, of LANES equations at
 * once (u and f have the finest level's layout: w x h points of lanes).
 * Cycles until every lane's residual is within tol. */
static void solve(struct grids *g, lanes *u, int w, int h, const lanes *f, double tol, int *cycles)
{
	struct level *l = &g->lv[0];
	for (int cycle = 0;; cycle++) {
		lanes worst = { 0 };
		for (int y = 1; y < h - 1; y++) {
			const lanes *uy = u + (size_t)y * w, *fy = f + (size_t)y * w;
			lanes *r = l->r + (size_t)y * w;
			for (int x = 1; x < w - 1; x++) {
				lanes v = fy[x] - (4 * uy[x] - uy[x - 1] - uy[x + 1] - uy[x - w] - uy[x + w]);
				r[x] = v;
				worst = max_abs(v, worst);
			}
		}
		float most = 0;
		for (int k = 0; k < LANES; k++)
			most = fmaxf(most, worst[k]);
		if (most <= tol || cycle == 100)
			break;
		if (cycle == 0) {
			full_multigrid(g);
		} else {
			memset(l->e, 0, padded(l->nx, l->ny) * sizeof(lanes));
			vcycle(g, 0);
		}
		for (int y = 1; y < h - 1; y++) {
			const lanes *e = l->e + (size_t)y * w;
			lanes *uy = u + (size_t)y * w;
			for (int x = 1; x < w - 1; x++)
				uy[x] += e[x];
		}
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
	grids_init(&g, w - 2, h - 2);
	solve(&g, u4, w, h, f4, tol, cycles);
	for (size_t i = 0; i < n; i++)
		u[i] = u4[i][0];
	free(g.mem);
	free(u4);
	free(f4);
	return 0;
}

int vision_seamless_clone(media_image *dst, const media_image *src, const uint8_t *mask,
                          vision_rect r)
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
	lanes *u = bj_xcalloc(n, sizeof(lanes)), *f = bj_xcalloc(n, sizeof(lanes));
	static const int dx[4] = { -1, 1, 0, 0 }, dy[4] = { 0, 0, -1, 1 };
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int gx = r.x0 + x, gy = r.y0 + y;
			const uint8_t *m = mask + (size_t)gy * dst->width + gx;
			size_t p = (size_t)gy * dst->stride + 3 * (size_t)gx;
			lanes *up = u + (size_t)y * w + x, *fp = f + (size_t)y * w + x;
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
			/* the guidance: src's gradient towards a neighbour where the
			 * pixel or the neighbour is in the mask, dst's elsewhere */
			for (int k = 0; k < 4; k++) {
				const uint8_t *g = in || m[dy[k] * dst->width + dx[k]] >= 128 ? src->data : dst->data;
				ptrdiff_t q = dy[k] * (ptrdiff_t)dst->stride + 3 * dx[k];
				for (int c = 0; c < 3; c++)
					(*fp)[c] += (float)g[p + c] - (float)g[p + q + c];
			}
		}
	struct grids g;
	grids_init(&g, w - 2, h - 2);
	solve(&g, u, w, h, f, 0.5, NULL);
	for (int y = 1; y < h - 1; y++)
		for (int x = 1; x < w - 1; x++) {
			int gx = r.x0 + x, gy = r.y0 + y;
			float a = mask[(size_t)gy * dst->width + gx] / 255.0f;
			if (a <= 0)
				continue;
			uint8_t *p = dst->data + (size_t)gy * dst->stride + 3 * (size_t)gx;
			const lanes *up = u + (size_t)y * w + x;
			for (int c = 0; c < 3; c++) {
				float v = p[c] + a * ((*up)[c] - p[c]) + 0.5f;
				p[c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
			}
		}
	free(g.mem);
	free(u);
	free(f);
	return 0;
}
