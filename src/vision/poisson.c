#include "vision/poisson.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

/* One grid of the multigrid hierarchy: nx x ny unknowns stored with a border
 * of zeros a pixel wide (row stride nx + 2), so that the stencils need no
 * bounds checks.  e is the correction, r the right-hand side, t scratch for
 * the residual.  s is the squared grid spacing relative to the finest. */
struct level {
	int nx, ny;
	float s;
	float *e, *r, *t;
};

/* The hierarchy for a w x h grid: the finest has (w - 2) x (h - 2) unknowns,
 * each next (n - 1) / 2 a side, down to one under 3 a side.  All its memory is
 * one allocation, zeroed. */
struct grids {
	struct level lv[32];
	int n;
	float *mem;
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
	g->mem = bj_xcalloc(total, sizeof(float));
	float *p = g->mem;
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
			float *e = l->e + (size_t)y * S;
			const float *r = l->r + (size_t)y * S;
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
		const float *e = l->e + (size_t)y * S, *r = l->r + (size_t)y * S;
		float *t = l->t + (size_t)y * S;
		for (int x = 1; x <= l->nx; x++)
			t[x] = r[x] - (4 * e[x] - e[x - 1] - e[x + 1] - e[x - S] - e[x + S]) * inv;
	}
	for (int y = 1; y <= c->ny; y++) {
		const float *t = l->t + (size_t)(2 * y) * S;
		float *rc = c->r + (size_t)y * C;
		for (int x = 1; x <= c->nx; x++) {
			const float *p = t + 2 * x;
			rc[x] = (4 * p[0] + 2 * (p[-1] + p[1] + p[-S] + p[S]) + p[-S - 1] + p[-S + 1] + p[S - 1] +
			         p[S + 1]) * (1.0f / 16);
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
		const float *a = c->e + (size_t)(y >> 1) * C, *b = c->e + (size_t)((y + 1) >> 1) * C;
		float *e = l->e + (size_t)y * S;
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
	memset(c->e, 0, padded(c->nx, c->ny) * sizeof(float));
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
		memset(g->lv[i].e, 0, padded(g->lv[i].nx, g->lv[i].ny) * sizeof(float));
		restrict_residual(&g->lv[i], &g->lv[i + 1]);
	}
	struct level *last = &g->lv[g->n - 1];
	memset(last->e, 0, padded(last->nx, last->ny) * sizeof(float));
	smooth(last, 30);
	for (int i = g->n - 2; i >= 0; i--) {
		memset(g->lv[i].e, 0, padded(g->lv[i].nx, g->lv[i].ny) * sizeof(float));
		prolong_add(&g->lv[i], &g->lv[i + 1]);
		vcycle(g, i);
	}
}

/* The solve on a hierarchy already made for w x h. */
static void solve(struct grids *g, float *u, int w, int h, const float *f, double tol, int *cycles)
{
	struct level *l = &g->lv[0];
	int S = l->nx + 2;
	for (int cycle = 0;; cycle++) {
		float worst = 0;
		for (int y = 1; y < h - 1; y++) {
			const float *uy = u + (size_t)y * w, *fy = f + (size_t)y * w;
			float *r = l->r + (size_t)y * S;
			for (int x = 1; x < w - 1; x++) {
				float v = fy[x] - (4 * uy[x] - uy[x - 1] - uy[x + 1] - uy[x - w] - uy[x + w]);
				r[x] = v;
				worst = fmaxf(worst, fabsf(v));
			}
		}
		if (worst <= tol || cycle == 100)
			break;
		if (cycle == 0) {
			full_multigrid(g);
		} else {
			memset(l->e, 0, padded(l->nx, l->ny) * sizeof(float));
			vcycle(g, 0);
		}
		for (int y = 1; y < h - 1; y++) {
			const float *e = l->e + (size_t)y * S;
			float *uy = u + (size_t)y * w;
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
	struct grids g;
	grids_init(&g, w - 2, h - 2);
	solve(&g, u, w, h, f, tol, cycles);
	free(g.mem);
	return 0;
}

int vision_seamless_clone(media_image *dst, const media_image *src, const uint8_t *mask,
                          vision_rect r)
{
	if (src->width != dst->width || src->height != dst->height || src->channels != 3 ||
	    dst->channels != 3)
		return bj_error_set(BJ_EINVAL, "seamless clone needs two RGB images of one size");
	r.x0 = r.x0 < 0 ? 0 : r.x0;
	r.y0 = r.y0 < 0 ? 0 : r.y0;
	r.x1 = r.x1 > dst->width ? dst->width : r.x1;
	r.y1 = r.y1 > dst->height ? dst->height : r.y1;
	int w = r.x1 - r.x0, h = r.y1 - r.y0;
	if (w < 3 || h < 3)
		return bj_error_set(BJ_EINVAL, "seamless clone: region of %d x %d pixels is too small", w, h);
	size_t n = (size_t)w * h;
	float *u = bj_xmalloc(n * sizeof(float));
	float *f = bj_xcalloc(n, sizeof(float));
	/* per interior pixel, bit k: the gradient towards neighbour k is src's
	 * (the pixel or that neighbour is in the mask); bit 4: the pixel is */
	uint8_t *from_src = bj_xcalloc(n, 1);
	static const int dx[4] = { -1, 1, 0, 0 }, dy[4] = { 0, 0, -1, 1 };
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			const uint8_t *m = mask + (size_t)(r.y0 + y) * dst->width + r.x0 + x;
			int in = *m >= 128, bits = in << 4;
			if (x > 0 && y > 0 && x < w - 1 && y < h - 1)
				for (int k = 0; k < 4; k++)
					bits |= (in || m[dy[k] * dst->width + dx[k]] >= 128) << k;
			from_src[(size_t)y * w + x] = (uint8_t)bits;
		}
	struct grids g;
	grids_init(&g, w - 2, h - 2);
	for (int c = 0; c < 3; c++) {
		/* the border is dst's (the boundary condition); inside, starting
		 * from src where the mask is, dst elsewhere, leaves the solver only
		 * the smooth difference to spread from the mask's edge */
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				size_t p = (size_t)(r.y0 + y) * dst->stride + 3 * (size_t)(r.x0 + x) + c;
				int border = x == 0 || y == 0 || x == w - 1 || y == h - 1;
				const media_image *g0 = !border && (from_src[(size_t)y * w + x] & 16) ? src : dst;
				u[(size_t)y * w + x] = g0->data[p];
			}
		for (int y = 1; y < h - 1; y++)
			for (int x = 1; x < w - 1; x++) {
				int gx = r.x0 + x, gy = r.y0 + y, bits = from_src[(size_t)y * w + x];
				size_t p = (size_t)gy * dst->stride + 3 * (size_t)gx + c;
				float s = 0;
				for (int k = 0; k < 4; k++) {
					size_t q = (size_t)(gy + dy[k]) * dst->stride + 3 * (size_t)(gx + dx[k]) + c;
					const media_image *gi = bits >> k & 1 ? src : dst;
					s += (float)gi->data[p] - (float)gi->data[q];
				}
				f[(size_t)y * w + x] = s;
			}
		solve(&g, u, w, h, f, 0.5, NULL);
		for (int y = 1; y < h - 1; y++)
			for (int x = 1; x < w - 1; x++) {
				int gx = r.x0 + x, gy = r.y0 + y;
				float a = mask[(size_t)gy * dst->width + gx] / 255.0f;
				if (a <= 0)
					continue;
				uint8_t *p = dst->data + (size_t)gy * dst->stride + 3 * (size_t)gx + c;
				float v = *p + a * (u[(size_t)y * w + x] - *p) + 0.5f;
				*p = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
			}
	}
	free(g.mem);
	free(from_src);
	free(u);
	free(f);
	return 0;
}
