#include "media/shrink.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

void media_shrink_release(media_shrink *sh)
{
	free(sh->x0);
	free(sh->cx0);
	free(sh->acc);
	free(sh->cacc[0]);
	free(sh->cacc[1]);
	for (int k = 0; k < 3; k++)
		free(sh->row[k]);
	free(sh->recip);
	memset(sh, 0, sizeof(*sh));
}

/* Box i of dst over src cells: [i * src / dst, (i + 1) * src / dst), at least
 * one cell (chroma planes can be narrower than the output). */
static void box(int i, int src, int dst, int *a, int *b)
{
	*a = (int)((int64_t)i * src / dst);
	*b = (int)((int64_t)(i + 1) * src / dst);
	if (*b <= *a)
		*b = *a + 1;
}

static void edges(int *e, int src, int dst)
{
	for (int i = 0; i < dst; i++)
		box(i, src, dst, &e[2 * i], &e[2 * i + 1]);
}

/* The narrowest box of the edges e (n boxes), or 0 when some box is more than
 * one column wider than it. */
static int narrowest(const int *e, int n)
{
	int lo = e[1] - e[0], hi = lo;
	for (int i = 1; i < n; i++) {
		int w = e[2 * i + 1] - e[2 * i];
		lo = w < lo ? w : lo;
		hi = w > hi ? w : hi;
	}
	return hi <= lo + 1 ? lo : 0;
}

static void setup(media_shrink *sh, int w, int cw, int dw, int dcw)
{
	if (sh->src_w == w && sh->src_cw == cw && sh->dst_w == dw && sh->dst_cw == dcw)
		return;
	media_shrink_release(sh);
	sh->src_w = w;
	sh->src_cw = cw;
	sh->dst_w = dw;
	sh->dst_cw = dcw;
	sh->x0 = bj_xmalloc((size_t)dw * 2 * sizeof(int));
	sh->cx0 = bj_xmalloc((size_t)dw * 2 * sizeof(int));
	sh->acc = bj_xmalloc((size_t)w * sizeof(uint32_t));
	sh->cacc[0] = bj_xmalloc((size_t)(cw > 0 ? cw : 1) * sizeof(uint32_t));
	sh->cacc[1] = bj_xmalloc((size_t)(cw > 0 ? cw : 1) * sizeof(uint32_t));
	for (int k = 0; k < 3; k++)
		sh->row[k] = bj_xmalloc((size_t)dw);
	edges(sh->x0, w, dw);
	sh->xq = narrowest(sh->x0, dw);
	if (cw > 0) {
		edges(sh->cx0, cw, dcw);
		sh->cxq = narrowest(sh->cx0, dcw);
	}
}

/* Sums rows [y0, y1) of a plane into acc (n columns).  In blocks of 16 columns
 * with restrict pointers, so that the compiler makes vector adds of them at -O2. */
static void add_row(uint32_t *restrict acc, const uint8_t *restrict r, int n, int first)
{
	int x = 0;
	if (first) {
		for (; x + 16 <= n; x += 16)
			for (int k = 0; k < 16; k++)
				acc[x + k] = r[x + k];
		for (; x < n; x++)
			acc[x] = r[x];
	} else {
		for (; x + 16 <= n; x += 16)
			for (int k = 0; k < 16; k++)
				acc[x + k] += r[x + k];
		for (; x < n; x++)
			acc[x] += r[x];
	}
}

/* Boxes of SPARSE or more rows are sampled on every other row: still a mean of
 * pixels spread over the box, for half the reading when shrinking 4 times or
 * more. */
#define SPARSE 4

static int box_step(int size)
{
	return size >= SPARSE ? 2 : 1;
}

/* Sums rows [y0, y1) of a plane (every box_step()th) into acc (n columns);
 * returns how many rows were summed. */
static int sum_rows(uint32_t *acc, const uint8_t *plane, int stride, int y0, int y1, int n)
{
	int step = box_step(y1 - y0), rows = 0;
	for (int y = y0; y < y1; y += step, rows++)
		add_row(acc, plane + (size_t)y * stride, n, y == y0);
	return rows;
}

static inline uint8_t clamp255(int v)
{
	return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

/* Tables from 8-bit levels to full-range luma and to the chroma terms of R, G
 * and B, in 1/1024ths: the matrix and range applied once per frame, not per pixel. */
static void tables(media_shrink *sh, const media_yuv_planes *p)
{
	if (sh->have_tables && sh->full_range == p->full_range && sh->kr == p->kr && sh->kb == p->kb)
		return;
	double ys = p->full_range ? 1.0 : 255.0 / 219.0, yo = p->full_range ? 0.0 : 16.0;
	double cs = p->full_range ? 1.0 : 255.0 / 224.0;
	double kr = p->kr, kb = p->kb, kg = 1 - kr - kb, rv = 2 * (1 - kr), bu = 2 * (1 - kb);
	for (int i = 0; i < 256; i++) {
		double y = (i - yo) * ys, c = (i - 128) * cs;
		sh->ylut[i] = (int)lround(y * 1024) + 512;   /* + the rounding of the >> 10 */
		sh->rv[i] = (int)lround(rv * c * 1024);
		sh->gu[i] = (int)lround(-bu * kb / kg * c * 1024);
		sh->gv[i] = (int)lround(-rv * kr / kg * c * 1024);
		sh->bu[i] = (int)lround(bu * c * 1024);
	}
	sh->full_range = p->full_range;
	sh->kr = p->kr;
	sh->kb = p->kb;
	sh->have_tables = 1;
}

/* Reciprocals 2^24 / c of the pixel counts c a box can have (up to widest x
 * tallest), so that means need no division. */
static void reciprocals(media_shrink *sh, int H, int oh)
{
	int widest = 1;
	for (int i = 0; i < sh->dst_w; i++) {
		if (sh->x0[2 * i + 1] - sh->x0[2 * i] > widest)
			widest = sh->x0[2 * i + 1] - sh->x0[2 * i];
		if (sh->src_cw && i < sh->dst_cw && sh->cx0[2 * i + 1] - sh->cx0[2 * i] > widest)
			widest = sh->cx0[2 * i + 1] - sh->cx0[2 * i];
	}
	int n = widest * (H / oh + 1) + 1;
	if (n <= sh->n_recip)
		return;
	free(sh->recip);
	sh->recip = bj_xmalloc((size_t)n * sizeof(uint32_t));
	sh->recip[0] = 0;
	for (int c = 1; c < n; c++)
		sh->recip[c] = (uint32_t)(((1u << 24) + (unsigned)c / 2) / (unsigned)c);
	sh->n_recip = n;
}

/* The rounded means of the boxes of one output row: out[i] = the sum of acc
 * over columns e[2i]..e[2i+1], divided by their count times rows.  Boxes are q
 * or q + 1 columns wide; inlined with q a constant, the sum of the first q
 * needs no loop and the last column is added without a branch (a loop of a few
 * columns per box cost more than reading the rows). */
static inline __attribute__((always_inline)) void means_q(const uint32_t *recip, const uint32_t *acc,
                                                          const int *e, int n, int rows, int q, uint8_t *out)
{
	for (int i = 0; i < n; i++) {
		int a = e[2 * i], wide = e[2 * i + 1] - a > q;
		uint32_t s = 0;
		for (int j = 0; j < q; j++)
			s += acc[a + j];
		s += wide ? acc[a + q] : 0;
		uint64_t m = ((uint64_t)s * recip[(q + wide) * rows] + (1u << 23)) >> 24;
		out[i] = (uint8_t)(m > 255 ? 255 : m);
	}
}

static void box_means(const media_shrink *sh, const uint32_t *acc, const int *e, int n, int q, int rows,
                      uint8_t *out)
{
	const uint32_t *r = sh->recip;
	switch (q) {
	case 1: means_q(r, acc, e, n, rows, 1, out); break;
	case 2: means_q(r, acc, e, n, rows, 2, out); break;
	case 3: means_q(r, acc, e, n, rows, 3, out); break;
	case 4: means_q(r, acc, e, n, rows, 4, out); break;
	case 5: means_q(r, acc, e, n, rows, 5, out); break;
	case 6: means_q(r, acc, e, n, rows, 6, out); break;
	case 7: means_q(r, acc, e, n, rows, 7, out); break;
	case 8: means_q(r, acc, e, n, rows, 8, out); break;
	default:
		for (int i = 0; i < n; i++) {
			uint32_t s = 0;
			for (int x = e[2 * i]; x < e[2 * i + 1]; x++)
				s += acc[x];
			uint64_t m = ((uint64_t)s * r[(e[2 * i + 1] - e[2 * i]) * rows] + (1u << 23)) >> 24;
			out[i] = (uint8_t)(m > 255 ? 255 : m);
		}
	}
}

int media_shrink_yuv(media_shrink *sh, const media_yuv_planes *p, media_image *out)
{
	int W = p->width, H = p->height, ow = out->width, oh = out->height;
	if (ow > W || oh > H)
		return bj_error_set(BJ_EINVAL, "cannot shrink %dx%d to %dx%d", W, H, ow, oh);
	int colour = p->plane[1] && p->plane[2] && out->channels == 3;
	int cw = colour ? (W + (1 << p->shift_x) - 1) >> p->shift_x : 0;
	int ch = colour ? (H + (1 << p->shift_y) - 1) >> p->shift_y : 0;
	/* Chroma comes out at half the output's size where the source has it at
	 * half its own (4:2:0, 4:2:2): a quarter of the boxes, little colour lost. */
	int sx = p->shift_x > 0, sy = p->shift_y > 0;
	int cow = (ow + sx) >> sx, coh = (oh + sy) >> sy, last_cy = -1;
	setup(sh, W, cw, ow, cow);
	tables(sh, p);
	reciprocals(sh, H, oh);
	for (int oy = 0; oy < oh; oy++) {
		int y0, y1;
		box(oy, H, oh, &y0, &y1);
		int rows = sum_rows(sh->acc, p->plane[0], p->stride[0], y0, y1, W);
		box_means(sh, sh->acc, sh->x0, ow, sh->xq, rows, sh->row[0]);
		uint8_t *o = out->data + (size_t)oy * out->stride;
		if (out->channels == 1) {
			for (int x = 0; x < ow; x++)
				o[x] = clamp255(sh->ylut[sh->row[0][x]] >> 10);
			continue;
		}
		if (colour && oy >> sy != last_cy) {
			int cy0, cy1;
			last_cy = oy >> sy;
			box(last_cy, ch, coh, &cy0, &cy1);
			for (int k = 0; k < 2; k++) {
				int crows = sum_rows(sh->cacc[k], p->plane[1 + k], p->stride[1 + k], cy0, cy1, cw);
				box_means(sh, sh->cacc[k], sh->cx0, cow, sh->cxq, crows, sh->row[1 + k]);
			}
		} else if (!colour) {
			memset(sh->row[1], 128, (size_t)ow);
			memset(sh->row[2], 128, (size_t)ow);
		}
		for (int x = 0; x < ow; x++) {
			int y = sh->ylut[sh->row[0][x]], u = sh->row[1][x >> sx], v = sh->row[2][x >> sx];
			o[3 * x] = clamp255((y + sh->rv[v]) >> 10);
			o[3 * x + 1] = clamp255((y + sh->gu[u] + sh->gv[v]) >> 10);
			o[3 * x + 2] = clamp255((y + sh->bu[u]) >> 10);
		}
	}
	return 0;
}
