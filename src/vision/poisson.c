#include "vision/poisson.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

/* On an nx x ny grid of unknowns with zero outside: (A e)(p) = (4 e(p) - sum of
 * neighbours) / s, where s is the squared grid spacing relative to the finest. */
static float at(const float *e, int nx, int ny, int x, int y)
{
	return x < 0 || y < 0 || x >= nx || y >= ny ? 0 : e[(size_t)y * nx + x];
}

static float neighbours(const float *e, int nx, int ny, int x, int y)
{
	return at(e, nx, ny, x - 1, y) + at(e, nx, ny, x + 1, y) + at(e, nx, ny, x, y - 1) +
	       at(e, nx, ny, x, y + 1);
}

static void smooth_rb(float *e, const float *r, int nx, int ny, float s, int sweeps)
{
	for (int k = 0; k < 2 * sweeps; k++)
		for (int y = 0; y < ny; y++)
			for (int x = (y + k) & 1; x < nx; x += 2)
				e[(size_t)y * nx + x] = (neighbours(e, nx, ny, x, y) + s * r[(size_t)y * nx + x]) / 4;
}

/* Fine coordinate i sits at coarse coordinate (i - 1) / 2: odd ones on a
 * coarse point, even ones halfway between two (bilinear). */
static float prolong_at(const float *c, int mx, int my, int x, int y)
{
	int ax = (x + 1) / 2 - 1, ay = (y + 1) / 2 - 1;
	int bx = (x & 1) ? ax : ax + 1, by = (y & 1) ? ay : ay + 1;
	return (at(c, mx, my, ax, ay) + at(c, mx, my, bx, ay) + at(c, mx, my, ax, by) +
	        at(c, mx, my, bx, by)) / 4;
}

static void vcycle(float *e, const float *r, int nx, int ny, float s)
{
	if (nx < 3 || ny < 3) {
		smooth_rb(e, r, nx, ny, s, 30);
		return;
	}
	smooth_rb(e, r, nx, ny, s, 2);
	int mx = (nx - 1) / 2, my = (ny - 1) / 2;
	float *res = bj_xmalloc((size_t)nx * ny * sizeof(float));
	for (int y = 0; y < ny; y++)
		for (int x = 0; x < nx; x++)
			res[(size_t)y * nx + x] = r[(size_t)y * nx + x] -
			        (4 * e[(size_t)y * nx + x] - neighbours(e, nx, ny, x, y)) / s;
	float *rc = bj_xmalloc((size_t)mx * my * sizeof(float));
	float *ec = bj_xcalloc((size_t)mx * my, sizeof(float));
	for (int y = 0; y < my; y++)
		for (int x = 0; x < mx; x++) {
			int fx = 2 * x + 1, fy = 2 * y + 1;
			float v = 4 * at(res, nx, ny, fx, fy);
			v += 2 * (at(res, nx, ny, fx - 1, fy) + at(res, nx, ny, fx + 1, fy) +
			          at(res, nx, ny, fx, fy - 1) + at(res, nx, ny, fx, fy + 1));
			v += at(res, nx, ny, fx - 1, fy - 1) + at(res, nx, ny, fx + 1, fy - 1) +
			     at(res, nx, ny, fx - 1, fy + 1) + at(res, nx, ny, fx + 1, fy + 1);
			rc[(size_t)y * mx + x] = v / 16;
		}
	vcycle(ec, rc, mx, my, 4 * s);
	for (int y = 0; y < ny; y++)
		for (int x = 0; x < nx; x++)
			e[(size_t)y * nx + x] += prolong_at(ec, mx, my, x, y);
	smooth_rb(e, r, nx, ny, s, 2);
	free(res);
	free(rc);
	free(ec);
}

int vision_poisson_solve(float *u, int w, int h, const float *f, double tol, int *cycles)
{
	if (cycles)
		*cycles = 0;
	if (w < 3 || h < 3)
		return bj_error_set(BJ_EINVAL, "Poisson solve needs a grid of 3 x 3 or more, got %d x %d", w, h);
	int nx = w - 2, ny = h - 2;
	float *r = bj_xmalloc((size_t)nx * ny * sizeof(float));
	float *e = bj_xmalloc((size_t)nx * ny * sizeof(float));
	for (int cycle = 0; cycle <= 100; cycle++) {
		double worst = 0;
		for (int y = 1; y < h - 1; y++)
			for (int x = 1; x < w - 1; x++) {
				size_t i = (size_t)y * w + x;
				float v = f[i] - (4 * u[i] - u[i - 1] - u[i + 1] - u[i - w] - u[i + w]);
				r[(size_t)(y - 1) * nx + x - 1] = v;
				worst = fmax(worst, fabs(v));
			}
		if (worst <= tol || cycle == 100)
			break;
		memset(e, 0, (size_t)nx * ny * sizeof(float));
		vcycle(e, r, nx, ny, 1);
		for (int y = 1; y < h - 1; y++)
			for (int x = 1; x < w - 1; x++)
				u[(size_t)y * w + x] += e[(size_t)(y - 1) * nx + x - 1];
		if (cycles)
			(*cycles)++;
	}
	free(r);
	free(e);
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
	float *u = bj_xmalloc((size_t)w * h * sizeof(float));
	float *f = bj_xcalloc((size_t)w * h, sizeof(float));
	static const int dx[4] = { -1, 1, 0, 0 }, dy[4] = { 0, 0, -1, 1 };
	for (int c = 0; c < 3; c++) {
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				size_t p = (size_t)(r.y0 + y) * dst->stride + 3 * (size_t)(r.x0 + x) + c;
				u[(size_t)y * w + x] = dst->data[p];
			}
		for (int y = 1; y < h - 1; y++)
			for (int x = 1; x < w - 1; x++) {
				int gx = r.x0 + x, gy = r.y0 + y;
				int in_p = mask[(size_t)gy * dst->width + gx] >= 128;
				size_t p = (size_t)gy * dst->stride + 3 * (size_t)gx + c;
				float s = 0;
				for (int k = 0; k < 4; k++) {
					size_t q = (size_t)(gy + dy[k]) * dst->stride + 3 * (size_t)(gx + dx[k]) + c;
					int in = in_p || mask[(size_t)(gy + dy[k]) * dst->width + gx + dx[k]] >= 128;
					const media_image *g = in ? src : dst;
					s += (float)g->data[p] - (float)g->data[q];
				}
				f[(size_t)y * w + x] = s;
			}
		vision_poisson_solve(u, w, h, f, 0.5, NULL);
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
	free(u);
	free(f);
	return 0;
}
