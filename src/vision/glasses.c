#include "vision/glasses.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

enum { RADII = 40, MAX_STEP = 6 };

#define R_MIN 0.24f   /* the rays' range, times the distance between the eyes */
#define R_MAX 0.62f
#define JUMP 2.0f     /* the loop's cost per radius step beyond one between neighbouring rays */
#define PULL 0.5f     /* ... and per step away from the prior */
#define PI_F 3.14159265f

static float luma_at(const media_image *img, int x, int y)
{
	x = x < 0 ? 0 : x >= img->width ? img->width - 1 : x;
	y = y < 0 ? 0 : y >= img->height ? img->height - 1 : y;
	const uint8_t *p = img->data + (size_t)y * img->stride + 3 * (size_t)x;
	return 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
}

/* Bilinear luma at (x, y). */
static float luma(const media_image *img, float x, float y)
{
	int x0 = (int)floorf(x), y0 = (int)floorf(y);
	float fx = x - (float)x0, fy = y - (float)y0;
	float a = luma_at(img, x0, y0), b = luma_at(img, x0 + 1, y0);
	float c = luma_at(img, x0, y0 + 1), d = luma_at(img, x0 + 1, y0 + 1);
	return (a + fx * (b - a)) * (1 - fy) + (c + fx * (d - c)) * fy;
}

/* How much the picture at (x, y) is a line across direction (dx, dy):
 * darker (line[0]) or brighter (line[1]) than both its neighbours delta away
 * along it, by the smaller gap; averaged with the two points a pixel to
 * either side along the line, which quiets the footage's grain. */
static void lines_at(const media_image *img, float x, float y, float dx, float dy, float delta, float line[2])
{
	float dark = 0, bright = 0;
	for (int t = -1; t <= 1; t++) {
		float px = x - (float)t * dy, py = y + (float)t * dx;
		float c = luma(img, px, py);
		float a = luma(img, px - delta * dx, py - delta * dy), b = luma(img, px + delta * dx, py + delta * dy);
		dark += fminf(a, b) - c;
		bright += c - fmaxf(a, b);
	}
	line[0] = fmaxf(dark / 3, 0);
	line[1] = fmaxf(bright / 3, 0);
}

/* The same for lines of one kind (bright 0: dark lines). */
static float line_at(const media_image *img, float x, float y, float dx, float dy, float delta, int bright)
{
	float line[2];
	lines_at(img, x, y, dx, dy, delta, line);
	return line[bright];
}

/* The path through resp (n columns of RADII) with the largest sum of
 * responses less JUMP per step beyond one between columns (at most MAX_STEP)
 * and PULL per step from prior (bins, may be NULL); its bins into at. */
static void best_path(const float *resp, int n, const float *prior, int *at)
{
	float score[RADII], next[RADII];
	int(*from)[RADII] = bj_xmalloc(sizeof(*from) * (size_t)n);
	for (int j = 0; j < RADII; j++)
		score[j] = resp[j] - (prior ? PULL * fabsf((float)j - prior[0]) : 0);
	for (int k = 1; k < n; k++) {
		for (int j = 0; j < RADII; j++) {
			float best = -1e30f;
			int arg = j;
			for (int i = j - MAX_STEP; i <= j + MAX_STEP; i++) {
				if (i < 0 || i >= RADII)
					continue;
				float step = fmaxf(fabsf((float)(i - j)) - 1, 0);
				float s = score[i] - JUMP * step;
				if (s > best)
					best = s, arg = i;
			}
			from[k][j] = arg;
			next[j] = best + resp[(size_t)k * RADII + j] - (prior ? PULL * fabsf((float)j - prior[k]) : 0);
		}
		memcpy(score, next, sizeof(score));
	}
	int j = 0;
	for (int i = 1; i < RADII; i++)
		if (score[i] > score[j])
			j = i;
	for (int k = n - 1; k >= 0; k--) {
		at[k] = j;
		if (k)
			j = from[k][j];
	}
	free(from);
}

/* The loops round both eyes of g (its frame set), drawn towards prior (may
 * be NULL), of dark lines or of bright: whichever make the stronger loops
 * (the skin between a dark rim and a dark brow is a bright line too). */
static void loops(const media_image *img, const float *prior, vision_glasses *g)
{
	float r0 = R_MIN * g->span, dr = (R_MAX - R_MIN) * g->span / (RADII - 1);
	float resp[2][2][VISION_GLASSES_ANGLES * RADII];   /* (eye, kind, ray, radius) */
	for (int e = 0; e < 2; e++)
		for (int k = 0; k < VISION_GLASSES_ANGLES; k++) {
			float th = 2 * PI_F * (float)k / VISION_GLASSES_ANGLES;
			float dx = cosf(th) * g->u[0] + sinf(th) * g->v[0], dy = cosf(th) * g->u[1] + sinf(th) * g->v[1];
			for (int j = 0; j < RADII; j++) {
				float r = r0 + dr * (float)j, line[2];
				lines_at(img, g->centre[e][0] + r * dx, g->centre[e][1] + r * dy, dx, dy, g->delta, line);
				resp[e][0][k * RADII + j] = line[0];
				resp[e][1][k * RADII + j] = line[1];
			}
		}
	int at[2][2][VISION_GLASSES_ANGLES];   /* (kind, eye, ray) */
	float sum[2] = { 0, 0 };
	for (int kind = 0; kind < 2; kind++)
		for (int e = 0; e < 2; e++) {
			float bins[VISION_GLASSES_ANGLES];
			if (prior)
				for (int k = 0; k < VISION_GLASSES_ANGLES; k++)
					bins[k] = (prior[e * VISION_GLASSES_ANGLES + k] - R_MIN) / (R_MAX - R_MIN) * (RADII - 1);
			best_path(resp[e][kind], VISION_GLASSES_ANGLES, prior ? bins : NULL, at[kind][e]);
			for (int k = 0; k < VISION_GLASSES_ANGLES; k++)
				sum[kind] += resp[e][kind][k * RADII + at[kind][e][k]];
		}
	g->bright = sum[1] > sum[0];
	for (int e = 0; e < 2; e++)
		for (int k = 0; k < VISION_GLASSES_ANGLES; k++) {
			g->radius[e][k] = r0 + dr * (float)at[g->bright][e][k];
			g->strength[e][k] = resp[e][g->bright][k * RADII + at[g->bright][e][k]];
		}
}

int vision_glasses_find(const media_image *img, const float *pts, const float *prior, vision_glasses *g)
{
	memset(g, 0, sizeof(*g));
	for (int e = 0; e < 2; e++) {
		for (int i = 0; i < 6; i++) {
			g->centre[e][0] += pts[2 * (36 + 6 * e + i)] / 6;
			g->centre[e][1] += pts[2 * (36 + 6 * e + i) + 1] / 6;
		}
	}
	float ux = g->centre[1][0] - g->centre[0][0], uy = g->centre[1][1] - g->centre[0][1];
	g->span = hypotf(ux, uy);
	if (!(g->span > 4))
		return bj_error_set(BJ_EINVAL, "glasses: the eyes' centres coincide");
	g->u[0] = ux / g->span, g->u[1] = uy / g->span;
	g->v[0] = -g->u[1], g->v[1] = g->u[0];
	g->delta = fmaxf(1.5f, 0.03f * g->span);
	loops(img, prior, g);
	/* the bridge: between the rims' inner sides (ray 0 of the left eye, the
	 * middle ray of the right), from a third of the span above the eyes'
	 * line to a tenth below it */
	g->bridge_x0 = g->radius[0][0];
	g->bridge_x1 = g->span - g->radius[1][VISION_GLASSES_ANGLES / 2];
	float b0 = -0.3f * g->span, db = 0.4f * g->span / (RADII - 1);
	float bresp[VISION_GLASSES_BRIDGE * RADII];
	for (int k = 0; k < VISION_GLASSES_BRIDGE; k++) {
		float t = g->bridge_x0 + (g->bridge_x1 - g->bridge_x0) * ((float)k + 0.5f) / VISION_GLASSES_BRIDGE;
		for (int j = 0; j < RADII; j++) {
			float o = b0 + db * (float)j;
			float x = g->centre[0][0] + t * g->u[0] + o * g->v[0], y = g->centre[0][1] + t * g->u[1] + o * g->v[1];
			bresp[k * RADII + j] = line_at(img, x, y, g->v[0], g->v[1], g->delta, g->bright);
		}
	}
	int bat[VISION_GLASSES_BRIDGE];
	best_path(bresp, VISION_GLASSES_BRIDGE, NULL, bat);
	for (int k = 0; k < VISION_GLASSES_BRIDGE; k++) {
		g->bridge_at[k] = b0 + db * (float)bat[k];
		g->bridge_strength[k] = bresp[k * RADII + bat[k]];
	}
	return 0;
}

float vision_glasses_score(const vision_glasses *g)
{
	int n = 0, m = 0;
	for (int e = 0; e < 2; e++)
		for (int k = 0; k < VISION_GLASSES_ANGLES; k++) {
			float th = 360.0f * (float)k / VISION_GLASSES_ANGLES;
			if (th > 210 && th < 330)   /* the top, where a brow may hide the rim */
				continue;
			m++;
			n += g->strength[e][k] >= VISION_GLASSES_LINE;
		}
	return (float)n / (float)m;
}

/* Linear interpolation of a loop's per-ray values at angle index a (0..ANGLES, wraps). */
static float around(const float *val, float a)
{
	int k = (int)floorf(a);
	float f = a - (float)k;
	k %= VISION_GLASSES_ANGLES;
	if (k < 0)
		k += VISION_GLASSES_ANGLES;
	return val[k] + f * (val[(k + 1) % VISION_GLASSES_ANGLES] - val[k]);
}

/* Linear interpolation along the bridge at t (pixels along u from the left eye's centre). */
static float along(const float *val, const vision_glasses *g, float t)
{
	float a = (t - g->bridge_x0) / (g->bridge_x1 - g->bridge_x0) * VISION_GLASSES_BRIDGE - 0.5f;
	if (a <= 0)
		return val[0];
	if (a >= VISION_GLASSES_BRIDGE - 1)
		return val[VISION_GLASSES_BRIDGE - 1];
	int k = (int)a;
	return val[k] + (a - (float)k) * (val[k + 1] - val[k]);
}

/* 0 at lo, rising to 1 at hi. */
static float ramp(float x, float lo, float hi)
{
	return fminf(fmaxf((x - lo) / (hi - lo), 0), 1);
}

/* How surely (x, y) is on a found rim or the bridge, 0..255: near the loop
 * (full within 6 % of the span, none beyond 9 %), where the loop's rays found
 * the rim (full from VISION_GLASSES_LINE, none below half of it), and itself a
 * line (full from half of VISION_GLASSES_LINE, none below a quarter).  Ramps,
 * not thresholds, so that the mask does not flicker with the footage's grain. */
static uint8_t on_rim(const media_image *img, const vision_glasses *g, int x, int y)
{
	float near = 0.06f * g->span, line = VISION_GLASSES_LINE, best = 0;
	for (int e = 0; e < 2; e++) {
		float px = (float)x - g->centre[e][0], py = (float)y - g->centre[e][1];
		float a = px * g->u[0] + py * g->u[1], b = px * g->v[0] + py * g->v[1];
		float r = hypotf(a, b);
		if (r < 1)
			continue;
		float th = atan2f(b, a);
		float k = (th < 0 ? th + 2 * PI_F : th) / (2 * PI_F) * VISION_GLASSES_ANGLES;
		float sure = ramp(1.5f * near - fabsf(r - around(g->radius[e], k)), 0, 0.5f * near) *
		             ramp(around(g->strength[e], k), line / 2, line);
		if (sure > best)
			sure *= ramp(line_at(img, (float)x, (float)y, px / r, py / r, g->delta, g->bright), line / 4, line / 2);
		best = fmaxf(best, sure);
	}
	float px = (float)x - g->centre[0][0], py = (float)y - g->centre[0][1];
	float t = px * g->u[0] + py * g->u[1], o = px * g->v[0] + py * g->v[1];
	if (t >= g->bridge_x0 && t <= g->bridge_x1) {
		float sure = ramp(1.5f * near - fabsf(o - along(g->bridge_at, g, t)), 0, 0.5f * near) *
		             ramp(along(g->bridge_strength, g, t), line / 2, line);
		if (sure > best)
			sure *= ramp(line_at(img, (float)x, (float)y, g->v[0], g->v[1], g->delta, g->bright), line / 4, line / 2);
		best = fmaxf(best, sure);
	}
	return (uint8_t)lrintf(255 * best);
}

void vision_glasses_mask(const media_image *img, const vision_glasses *g, uint8_t *mask, int w, int h,
                         vision_rect *box)
{
	/* both loops' reach, grown by the feather */
	float reach = R_MAX * g->span + 0.09f * g->span + 4;
	float xs[2] = { g->centre[0][0], g->centre[1][0] }, ys[2] = { g->centre[0][1], g->centre[1][1] };
	vision_rect b = { (int)floorf(fminf(xs[0], xs[1]) - reach), (int)floorf(fminf(ys[0], ys[1]) - reach),
		          (int)ceilf(fmaxf(xs[0], xs[1]) + reach), (int)ceilf(fmaxf(ys[0], ys[1]) + reach) };
	b = vision_rect_clip(b, w, h);
	*box = b;
	if (b.x1 <= b.x0 || b.y1 <= b.y0)
		return;
	int bw = b.x1 - b.x0, bh = b.y1 - b.y0;
	uint8_t *core = bj_xcalloc((size_t)bw * bh, 1);
	for (int y = 0; y < bh; y++)
		for (int x = 0; x < bw; x++)
			core[(size_t)y * bw + x] = on_rim(img, g, b.x0 + x, b.y0 + y);
	/* the rim itself, and beside it a 3x3 mean doubled: falling to 0 over
	 * a pixel (growing the rim by a pixel more raised face_5's flicker score from
	 * 0.993 to 1.007 and took bits of the footage's brows along) */
	for (int y = 0; y < bh; y++)
		for (int x = 0; x < bw; x++) {
			int s = 0;
			for (int j = -1; j <= 1; j++)
				for (int i = -1; i <= 1; i++)
					if (y + j >= 0 && y + j < bh && x + i >= 0 && x + i < bw)
						s += core[(size_t)(y + j) * bw + x + i];
			s = (2 * s + 4) / 9;
			if (s < core[(size_t)y * bw + x])
				s = core[(size_t)y * bw + x];
			mask[(size_t)(b.y0 + y) * w + b.x0 + x] = (uint8_t)(s > 255 ? 255 : s);
		}
	free(core);
}
