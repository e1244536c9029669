#include "vision/delaunay.h"

#include <math.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "base/error.h"

typedef struct tri {
	int v[3];
	double cx, cy, r2;  /* circumcircle */
} tri;

/* Fills t's circumcircle; returns 0 for a degenerate (flat) triangle. */
static int circumcircle(tri *t, const double *x, const double *y)
{
	double ax = x[t->v[0]], ay = y[t->v[0]];
	double bx = x[t->v[1]] - ax, by = y[t->v[1]] - ay;
	double cx = x[t->v[2]] - ax, cy = y[t->v[2]] - ay;
	double d = 2 * (bx * cy - by * cx);
	if (d == 0)
		return 0;
	double b2 = bx * bx + by * by, c2 = cx * cx + cy * cy;
	double ux = (cy * b2 - by * c2) / d, uy = (bx * c2 - cx * b2) / d;
	t->cx = ax + ux;
	t->cy = ay + uy;
	t->r2 = ux * ux + uy * uy;
	return 1;
}

static void orient(tri *t, const double *x, const double *y)
{
	double bx = x[t->v[1]] - x[t->v[0]], by = y[t->v[1]] - y[t->v[0]];
	double cx = x[t->v[2]] - x[t->v[0]], cy = y[t->v[2]] - y[t->v[0]];
	if (bx * cy - by * cx < 0) {
		int s = t->v[1];
		t->v[1] = t->v[2];
		t->v[2] = s;
	}
}

int vision_delaunay(const float *pts, int n, int **tris, int *n_tris)
{
	*tris = NULL;
	*n_tris = 0;
	if (n < 3)
		return bj_error_set(BJ_EINVAL, "triangulation needs 3 or more points, got %d", n);
	double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
	for (int i = 0; i < n; i++) {
		if (!isfinite(pts[2 * i]) || !isfinite(pts[2 * i + 1]))
			return bj_error_set(BJ_EINVAL, "triangulation: point %d is not finite", i);
		minx = fmin(minx, pts[2 * i]);
		maxx = fmax(maxx, pts[2 * i]);
		miny = fmin(miny, pts[2 * i + 1]);
		maxy = fmax(maxy, pts[2 * i + 1]);
	}
	/* points n, n+1, n+2: a triangle far around all of them */
	double *x = bj_xmalloc((size_t)(n + 3) * sizeof(double));
	double *y = bj_xmalloc((size_t)(n + 3) * sizeof(double));
	for (int i = 0; i < n; i++) {
		x[i] = pts[2 * i];
		y[i] = pts[2 * i + 1];
	}
	double span = fmax(fmax(maxx - minx, maxy - miny), 1), mx = (minx + maxx) / 2, my = (miny + maxy) / 2;
	x[n] = mx - 100 * span, y[n] = my - 100 * span;
	x[n + 1] = mx + 100 * span, y[n + 1] = my - 100 * span;
	x[n + 2] = mx, y[n + 2] = my + 100 * span;

	size_t cap = 64, count = 1;
	tri *t = bj_xmalloc(cap * sizeof(tri));
	t[0] = (tri){ { n, n + 1, n + 2 }, 0, 0, 0 };
	circumcircle(&t[0], x, y);
	size_t ecap = 64;
	int *edges = bj_xmalloc(ecap * 2 * sizeof(int));
	for (int p = 0; p < n; p++) {
		int dup = 0;
		for (int q = 0; q < p && !dup; q++)
			dup = x[q] == x[p] && y[q] == y[p];
		if (dup)
			continue;
		/* the hole: edges of bad triangles that no other bad triangle shares */
		size_t ne = 0;
		for (size_t i = 0; i < count;) {
			double dx = x[p] - t[i].cx, dy = y[p] - t[i].cy;
			if (dx * dx + dy * dy > t[i].r2 * (1 + 1e-12)) {
				i++;
				continue;
			}
			for (int k = 0; k < 3; k++) {
				int a = t[i].v[k], b = t[i].v[(k + 1) % 3];
				size_t j;
				for (j = 0; j < ne; j++)
					if ((edges[2 * j] == b && edges[2 * j + 1] == a) ||
					    (edges[2 * j] == a && edges[2 * j + 1] == b))
						break;
				if (j < ne) {
					edges[2 * j] = edges[2 * (ne - 1)];
					edges[2 * j + 1] = edges[2 * (ne - 1) + 1];
					ne--;
				} else {
					bj_grow((void **)&edges, &ecap, ne + 1, 2 * sizeof(int));
					edges[2 * ne] = a;
					edges[2 * ne + 1] = b;
					ne++;
				}
			}
			t[i] = t[--count];
		}
		for (size_t j = 0; j < ne; j++) {
			tri nt = { { edges[2 * j], edges[2 * j + 1], p }, 0, 0, 0 };
			if (!circumcircle(&nt, x, y))
				continue;
			bj_grow((void **)&t, &cap, count + 1, sizeof(tri));
			t[count++] = nt;
		}
	}
	int *out = bj_xmalloc((count ? count : 1) * 3 * sizeof(int));
	int m = 0;
	for (size_t i = 0; i < count; i++) {
		if (t[i].v[0] >= n || t[i].v[1] >= n || t[i].v[2] >= n)
			continue;
		orient(&t[i], x, y);
		for (int k = 0; k < 3; k++)
			out[3 * m + k] = t[i].v[k];
		m++;
	}
	free(t);
	free(edges);
	free(x);
	free(y);
	if (m == 0) {
		free(out);
		return bj_error_set(BJ_EINVAL, "triangulation: the %d points are all on one line", n);
	}
	*tris = out;
	*n_tris = m;
	return 0;
}
