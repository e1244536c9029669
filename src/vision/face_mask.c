#include "vision/face_mask.h"

#include "base/alloc.h"
#include "vision/bands.h"
#include "vision/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Convex hull (Andrew's monotone chain) of n points, counter-clockwise in a
 * y-up frame; returns its size (hull holds up to 2n points). */
static int cmp_pt(const void *a, const void *b)
{
	const float *p = a, *q = b;
	return p[0] != q[0] ? (p[0] > q[0]) - (p[0] < q[0]) : (p[1] > q[1]) - (p[1] < q[1]);
}

static double cross(const float *o, const float *a, const float *b)
{
	return (a[0] - o[0]) * (double)(b[1] - o[1]) - (a[1] - o[1]) * (double)(b[0] - o[0]);
}

static int convex_hull(float *pts, int n, float *hull)
{
	qsort(pts, (size_t)n, 2 * sizeof(float), cmp_pt);
	int k = 0;
	for (int i = 0; i < n; i++) {
		while (k >= 2 && cross(hull + 2 * (k - 2), hull + 2 * (k - 1), pts + 2 * i) <= 0)
			k--;
		hull[2 * k] = pts[2 * i], hull[2 * k + 1] = pts[2 * i + 1], k++;
	}
	for (int i = n - 2, t = k + 1; i >= 0; i--) {
		while (k >= t && cross(hull + 2 * (k - 2), hull + 2 * (k - 1), pts + 2 * i) <= 0)
			k--;
		hull[2 * k] = pts[2 * i], hull[2 * k + 1] = pts[2 * i + 1], k++;
	}
	return k - 1;
}

#define TILE 8

#define MOUTH_RING 2 /* pixels of full mask at least between the mouth's hole and the edge's band */

/* The jaw below the cheeks (points 4-12), where the guidance rises more
 * steeply (vision_face_mask_guided_on) */
#define JAW_FIRST 4
#define JAW_LAST 12

#define MAX_EDGES 32 /* the hull of 27 points, the mouth's 8 */

/* Where the edges of a closed polygon (at most MAX_EDGES) that straddle the
 * row y cross it, in the edges' order: the even-odd inside test's points,
 * the same for every pixel of the row. */
static int row_crossings(const float *poly, int n, double y, double *xc)
{
	int k = 0;
	for (int i = 0, j = n - 1; i < n; j = i++) {
		double ax = poly[2 * j], ay = poly[2 * j + 1], bx = poly[2 * i], by = poly[2 * i + 1];
		if ((ay > y) != (by > y))
			xc[k++] = ax + (y - ay) * (bx - ax) / (by - ay);
	}
	return k;
}

/* Signed distance from (x, y) to a closed polygon's edges: positive inside
 * (even-odd rule over the row's nc crossings xc), negative outside; and the
 * unsigned distances to the edges marked in jaw (jaw[i] for the edge ending
 * at vertex i; NULL: none) and to the others, *dj and *dk.  The
 * projection onto an edge is clamped by its numerator's sign and size
 * against len2 before dividing, so only a projection inside the edge costs
 * a division (most fall outside); the values are the plain formula's. */
static double row_distance_split(const float *poly, int n, const uint8_t *jaw, const double *xc, int nc, double x,
                                 double y, double *dj, double *dk)
{
	double best[2] = { INFINITY, INFINITY };
	int inside = 0;
	for (int k = 0; k < nc; k++)
		inside ^= x < xc[k];
	for (int i = 0, j = n - 1; i < n; j = i++) {
		double ax = poly[2 * j], ay = poly[2 * j + 1], bx = poly[2 * i], by = poly[2 * i + 1];
		double ex = bx - ax, ey = by - ay, len2 = ex * ex + ey * ey;
		double num = (x - ax) * ex + (y - ay) * ey;
		double t = !(len2 > 0) || num < 0 ? 0 : num >= len2 ? 1 : num / len2;
		double dx = x - (ax + t * ex), dy = y - (ay + t * ey), d2 = dx * dx + dy * dy;
		int kind = jaw && jaw[i];
		best[kind] = d2 < best[kind] ? d2 : best[kind];
	}
	/* the nearer kind's distance is d itself: one square root saved */
	double d = sqrt(fmin(best[0], best[1]));
	*dj = best[1] <= best[0] ? d : sqrt(best[1]);
	*dk = best[0] <= best[1] ? d : sqrt(best[0]);
	return inside ? d : -d;
}

static double row_distance(const float *poly, int n, const double *xc, int nc, double x, double y)
{
	double dj, dk;
	return row_distance_split(poly, n, NULL, xc, nc, x, y, &dj, &dk);
}

static double poly_distance(const float *poly, int n, double x, double y)
{
	double xc[MAX_EDGES];
	return row_distance(poly, n, xc, row_crossings(poly, n, y, xc), x, y);
}

/* A row's crossings of the hull and the mouth (the mouth's only where it
 * may reach the row's pixels: nm < 0 otherwise). */
struct row {
	double hull[MAX_EDGES], mouth[MAX_EDGES];
	int nh, nm;
};

/* The guidance's weight at the jaw a share t of the feather in: t squared,
 * a quarter at the feather's middle where the mask is a half, so the
 * footage's gradient holds over its outer part (the linear ramp laid the
 * star's jaw shading half over the footage's there: the jaw's edge
 * gradient was 1.22-1.35 times the footage's on face_1, face_5 and
 * AlexandriaOcasioCortez). */
static double jaw_ramp(double t)
{
	t = fmin(fmax(t, 0), 1);
	return t * t;
}

/* The mask's value at (x, y) of row r: feathered inside the hull, less the
 * mouth where it is near; *guide the same with the jaw's edges' ramp
 * jaw_ramp's (the least of the two edge kinds' ramps).  The mouth's hole is closed again over a mouth
 * feather as it nears the hull's feathered band, so that a ring of full
 * pixels MOUTH_RING wide always parts the two: a mouth near the jaw (a face
 * turned, Casablanca 3.9 s) made one region of them, vision_mask_fill_holes
 * found no hole, and the open mouth was left in the clone's solve as a
 * boundary the star's lips were pulled to. */
static uint8_t mask_at(const float *hull, int nh, const uint8_t *jaw, const float *lm, double feather,
                       double mouth_feather, const struct row *r, int x, int y, uint8_t *guide)
{
	double dj, dk;
	double d = row_distance_split(hull, nh, jaw, r->hull, r->nh, x, y, &dj, &dk);
	double a = d <= 0 ? 0 : fmin(d / feather, 1);
	double g = d <= 0 ? 0 : fmin(jaw_ramp(dj / feather), fmin(dk / feather, 1));
	if (a > 0 && r->nm >= 0) {
		double m = row_distance(lm + 2 * 60, 8, r->mouth, r->nm, x, y);
		if (m > -mouth_feather) {
			double closed = (feather + MOUTH_RING + mouth_feather - d) / mouth_feather;
			double keep = fmin(fmax(fmax(0, -m / mouth_feather), closed), 1);
			a *= keep;
			g *= keep;
		}
	}
	*guide = (uint8_t)(255 * g + 0.5);
	return (uint8_t)(255 * a + 0.5);
}

void vision_face_mask(const float *lm, int w, int h, uint8_t *mask, vision_rect *box)
{
	static const float full[10] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	vision_face_mask_tiled(NULL, lm, full, w, h, mask, box, TILE);
}

void vision_face_mask_lifted(const float *lm, const float lifts[10], int w, int h, uint8_t *mask, vision_rect *box)
{
	vision_face_mask_tiled(NULL, lm, lifts, w, h, mask, box, TILE);
}

void vision_face_mask_lifted_on(bj_pool *pool, const float *lm, const float lifts[10], int w, int h, uint8_t *mask,
                                vision_rect *box)
{
	vision_face_mask_tiled(pool, lm, lifts, w, h, mask, box, TILE);
}

float vision_face_mask_lift(const float *lm)
{
	double brow_y = 0;
	for (int i = 17; i < 27; i++)
		brow_y += lm[2 * i + 1] / 10.0;
	return (float)((lm[2 * 8 + 1] - brow_y) / 5);
}

/* What a band of tile rows needs: the hull, the mouth, the feathers. */
struct mask_job {
	const float *hull, *lm;
	const uint8_t *jaw;
	int nh, w, tile;
	double feather, mouth_feather;
	vision_rect box;
	uint8_t *mask, *guide;
};

/* Tile by tile: a distance changes by at most the distance moved, so a tile
 * whose centre lies more than its half-diagonal clear of the feathered bands
 * is all 0 or all 255, and only the tiles on a band get each pixel's
 * distances (about a fifth of the work).  Every pixel's value is its own, so
 * the bands of tile rows may run in any order. */
static void mask_band(void *ctx, int band, int thread)
{
	(void)thread;
	const struct mask_job *j = ctx;
	const vision_rect *box = &j->box;
	int tile = j->tile, n_rows = (box->y1 - box->y0 + tile - 1) / tile, r0, r1;
	vision_band_rows(band, 0, n_rows, &r0, &r1);
	const double reach = tile * M_SQRT1_2 + 1;
	for (int ty = box->y0 + r0 * tile; ty < box->y0 + r1 * tile; ty += tile)
		for (int tx = box->x0; tx < box->x1; tx += tile) {
			int ey = ty + tile < box->y1 ? ty + tile : box->y1, ex = tx + tile < box->x1 ? tx + tile : box->x1;
			double cx = tx + (tile - 1) / 2.0, cy = ty + (tile - 1) / 2.0;
			double d = poly_distance(j->hull, j->nh, cx, cy), m = poly_distance(j->lm + 2 * 60, 8, cx, cy);
			int fill = -1, near = tile == 1 || !(m < -j->mouth_feather - reach);
			if (tile == 1)
				fill = -1;
			else if (d < -reach)
				fill = 0;
			else if (d > j->feather + reach && !near)
				fill = 255;
			/* a tile on the hull's band but clear of the mouth's: no pixel
			 * of it needs the mouth's distance */
			for (int y = ty; y < ey; y++) {
				uint8_t *out = j->mask + (size_t)y * j->w, *gout = j->guide ? j->guide + (size_t)y * j->w : NULL;
				uint8_t spare;
				if (fill >= 0) {
					memset(out + tx, fill, (size_t)(ex - tx));
					if (gout)
						memset(gout + tx, fill, (size_t)(ex - tx));
					continue;
				}
				struct row r;
				r.nh = row_crossings(j->hull, j->nh, y, r.hull);
				r.nm = near ? row_crossings(j->lm + 2 * 60, 8, y, r.mouth) : -1;
				for (int x = tx; x < ex; x++)
					out[x] = mask_at(j->hull, j->nh, j->jaw, j->lm, j->feather, j->mouth_feather, &r, x, y,
					                 gout ? gout + x : &spare);
			}
		}
}

/* The mask (and, unless guide is NULL, the guidance's weights) tile by tile. */
static void mask_tiled(bj_pool *pool, const float *lm, const float *lifts, int w, int h, uint8_t *mask,
                       uint8_t *guide, vision_rect *box, int tile)
{
	float pts[2 * 27], hull[2 * 54];
	float lift = vision_face_mask_lift(lm);
	for (int i = 0; i < 27; i++) {
		pts[2 * i] = lm[2 * i];
		pts[2 * i + 1] = lm[2 * i + 1] - (i >= 17 ? lift * fminf(fmaxf(lifts[i - 17], 0), 1) : 0);
	}
	int nh = convex_hull(pts, 27, hull);
	float minx = hull[0], maxx = hull[0], miny = hull[1], maxy = hull[1];
	for (int i = 0; i < nh; i++) {
		minx = fminf(minx, hull[2 * i]), maxx = fmaxf(maxx, hull[2 * i]);
		miny = fminf(miny, hull[2 * i + 1]), maxy = fmaxf(maxy, hull[2 * i + 1]);
	}
	box->x0 = (int)fmaxf(floorf(minx) - 2, 0);
	box->y0 = (int)fmaxf(floorf(miny) - 2, 0);
	box->x1 = (int)fminf(ceilf(maxx) + 3, (float)w);
	box->y1 = (int)fminf(ceilf(maxy) + 3, (float)h);
	if (box->x1 < box->x0)
		box->x1 = box->x0;
	if (box->y1 < box->y0)
		box->y1 = box->y0;
	double feather = fmax((maxx - minx) / 12, 1);
	/* the hull's edges between two of the jaw's points (a hull vertex is
	 * one when it is that landmark itself, copied unlifted) */
	uint8_t jaw[54];
	for (int i = 0, k = nh - 1; i < nh; k = i++) {
		int ends = 0;
		for (int p = JAW_FIRST; p <= JAW_LAST; p++)
			ends += (hull[2 * i] == lm[2 * p] && hull[2 * i + 1] == lm[2 * p + 1]) +
			        (hull[2 * k] == lm[2 * p] && hull[2 * k + 1] == lm[2 * p + 1]);
		jaw[i] = ends == 2;
	}
	struct mask_job j = { hull, lm, jaw, nh, w, tile, feather, fmax(feather / 3, 1), *box, mask, guide };
	vision_bands_run(pool, mask_band, &j);
}

void vision_face_mask_tiled(bj_pool *pool, const float *lm, const float *lifts, int w, int h, uint8_t *mask,
                            vision_rect *box, int tile)
{
	mask_tiled(pool, lm, lifts, w, h, mask, NULL, box, tile);
}

void vision_face_mask_guided_on(bj_pool *pool, const float *lm, const float lifts[10], int w, int h, uint8_t *mask,
                                uint8_t *guide, vision_rect *box)
{
	mask_tiled(pool, lm, lifts, w, h, mask, guide, box, TILE);
}

/* A run of fillable pixels (below 255, not reached yet) at row y from x on,
 * for vision_mask_fill_holes' stack. */
struct seed {
	int x, y;
};

/* Pushes a seed at the start of every run of fillable pixels of row y
 * between x0 and x1. */
static void push_runs(const uint8_t *m, const uint8_t *whole, int w, int y, int x0, int x1, struct seed **stack,
                      size_t *top, size_t *cap)
{
	const uint8_t *mr = m + (size_t)y * w, *wr = whole + (size_t)y * w;
	for (int x = x0; x <= x1; x++) {
		if (mr[x] == 255 || wr[x] != 255)
			continue;
		BJ_GROW(*stack, *cap, *top + 1);
		(*stack)[(*top)++] = (struct seed){ x, y };
		while (x < x1 && mr[x + 1] < 255 && wr[x + 1] == 255)
			x++;
	}
}

/* Marks from the border, over pixels below 255, what is not a hole: a span
 * fill (a seed's run along its row filled at once, the rows above and below
 * searched for runs along it), which reaches the same pixels as a fill
 * pixel by pixel.  A reached pixel gets its own value, below 255, so whole
 * itself says what is reached. */
void vision_mask_fill_holes(const uint8_t *m, int w, int h, uint8_t *whole)
{
	memset(whole, 255, (size_t)w * h);
	size_t top = 0, cap = 0;
	struct seed *stack = NULL;
	push_runs(m, whole, w, 0, 0, w - 1, &stack, &top, &cap);
	push_runs(m, whole, w, h - 1, 0, w - 1, &stack, &top, &cap);
	for (int y = 1; y + 1 < h; y++) {
		push_runs(m, whole, w, y, 0, 0, &stack, &top, &cap);
		push_runs(m, whole, w, y, w - 1, w - 1, &stack, &top, &cap);
	}
	while (top) {
		struct seed s = stack[--top];
		const uint8_t *mr = m + (size_t)s.y * w;
		uint8_t *wr = whole + (size_t)s.y * w;
		if (wr[s.x] != 255)
			continue;   /* filled since it was pushed */
		int x0 = s.x, x1 = s.x;
		while (x0 > 0 && mr[x0 - 1] < 255 && wr[x0 - 1] == 255)
			x0--;
		while (x1 + 1 < w && mr[x1 + 1] < 255 && wr[x1 + 1] == 255)
			x1++;
		memcpy(wr + x0, mr + x0, (size_t)(x1 - x0 + 1));
		if (s.y > 0)
			push_runs(m, whole, w, s.y - 1, x0, x1, &stack, &top, &cap);
		if (s.y + 1 < h)
			push_runs(m, whole, w, s.y + 1, x0, x1, &stack, &top, &cap);
	}
	free(stack);
}

static double luma_at(const media_image *img, int x, int y)
{
	x = x < 0 ? 0 : x >= img->width ? img->width - 1 : x;
	y = y < 0 ? 0 : y >= img->height ? img->height - 1 : y;
	const uint8_t *p = img->data + (size_t)y * img->stride + (size_t)x * img->channels;
	return img->channels == 3 ? 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2] : p[0];
}

double vision_seam_score(const media_image *img, const uint8_t *mask, vision_rect box)
{
	double edge = 0, inner = 0;
	long ne = 0, ni = 0;
	int w = img->width;
	for (int y = box.y0; y < box.y1; y++)
		for (int x = box.x0; x < box.x1; x++) {
			if (mask[(size_t)y * w + x] < 128)
				continue;
			double gx = (luma_at(img, x + 1, y) - luma_at(img, x - 1, y)) / 2;
			double gy = (luma_at(img, x, y + 1) - luma_at(img, x, y - 1)) / 2;
			double g = sqrt(gx * gx + gy * gy);
			int on_edge = (x > 0 && mask[(size_t)y * w + x - 1] < 128) ||
			              (x + 1 < w && mask[(size_t)y * w + x + 1] < 128) ||
			              (y > 0 && mask[(size_t)(y - 1) * w + x] < 128) ||
			              (y + 1 < img->height && mask[(size_t)(y + 1) * w + x] < 128);
			if (on_edge)
				edge += g, ne++;
			else
				inner += g, ni++;
		}
	return ne && ni && inner > 0 ? (edge / ne) / (inner / ni) : 0;
}
