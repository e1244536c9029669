#include "library/look.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

#define MW 80   /* motion is measured on a grey frame of MW x MH */
#define MH 45
#define MAXSHIFT 3   /* the margin left for shifts, in cells */

struct library_look {
	float prev[MH * MW];
	float cur[MH * MW];
	float prev_half[(MH / 2) * (MW / 2)];
	float cur_half[(MH / 2) * (MW / 2)];
	float prev_mean;
	int have_prev;
	float *luma;      /* (luma_size) luma of the frame, 0..1 */
	size_t luma_size;
	int *mcol;        /* (mcol_width) column x to motion cell x * MW / width */
	int mcol_width;
};

library_look *library_look_new(void)
{
	return bj_xcalloc(1, sizeof(library_look));
}

void library_look_free(library_look *lk)
{
	if (!lk)
		return;
	free(lk->luma);
	free(lk->mcol);
	free(lk);
}

void library_look_reset(library_look *lk)
{
	lk->have_prev = 0;
}

/* BT.601 luma of row y, 0..1. */
static void luma_row(const media_image *img, int y, float *out)
{
	const uint8_t *p = img->data + (size_t)y * img->stride;
	if (img->channels == 3)
		for (int x = 0; x < img->width; x++)
			out[x] = (0.299f * p[3 * x] + 0.587f * p[3 * x + 1] + 0.114f * p[3 * x + 2]) * (1.0f / 255.0f);
	else
		for (int x = 0; x < img->width; x++)
			out[x] = p[x] * (1.0f / 255.0f);
}

/* Mean |cur - prev shifted by (dx, dy) - off| over the w x h grids, leaving a
 * margin m each side, on every other row (the rows between add little to the
 * choice of a shift of the whole picture). */
static float sad(const float *cur, const float *prev, int w, int h, int m, int dx, int dy, float off)
{
	float s = 0;
	int rows = 0;
	for (int y = m; y < h - m; y += 2, rows++) {
		const float *c = cur + y * w, *p = prev + (y + dy) * w + dx;
		float r = 0;
		for (int x = m; x < w - m; x++)
			r += fabsf(c[x] - p[x] - off);
		s += r;
	}
	return s / (float)((w - 2 * m) * rows);
}

/* The best of the 3x3 shifts around (cx, cy) (grain makes ties: the one nearer
 * no shift wins them); e[] gets the 3x3 errors, row by row. */
static void best_around(const float *cur, const float *prev, int w, int h, int m, int cx, int cy, float off,
                        int *bx, int *by, float e[9])
{
	float best = 1e9f;
	for (int dy = -1; dy <= 1; dy++)
		for (int dx = -1; dx <= 1; dx++) {
			int x = cx + dx, y = cy + dy;
			float v = sad(cur, prev, w, h, m, x, y, off);
			e[(dy + 1) * 3 + dx + 1] = v;
			if (v < best - 1e-4f || (fabsf(v - best) <= 1e-4f && x * x + y * y < *bx * *bx + *by * *by)) {
				best = v;
				*bx = x;
				*by = y;
			}
		}
}

/* The vertex of the parabola through (-1, a), (0, b), (1, c), within +-0.5. */
static float vertex(float a, float b, float c)
{
	float den = a - 2 * b + c;
	if (den <= 1e-6f)
		return 0;
	float t = 0.5f * (a - c) / den;
	return t < -0.5f ? -0.5f : t > 0.5f ? 0.5f : t;
}

/* Camera motion: the best global shift between prev and cur (brightness
 * matched), searched coarse to fine (+-1 on a half-size grid, then +-1 around
 * it at full size: +-3 cells) and refined to a fraction of a cell by a parabola
 * through the errors around the best; subject motion: the mean absolute
 * difference left after the best whole shift. */
static void motion(library_look *lk, float mean_prev, float mean_cur, float *shift, float *resid)
{
	float off = mean_cur - mean_prev, e[9];
	int cx = 0, cy = 0;
	best_around(lk->cur_half, lk->prev_half, MW / 2, MH / 2, 1, 0, 0, off, &cx, &cy, e);
	int bx = 2 * cx, by = 2 * cy;
	best_around(lk->cur, lk->prev, MW, MH, MAXSHIFT, 2 * cx, 2 * cy, off, &bx, &by, e);
	/* the best may sit on the edge of the 3x3: refine only from its centre */
	float sx = bx, sy = by;
	if (bx == 2 * cx && by == 2 * cy) {
		sx += vertex(e[3], e[4], e[5]);
		sy += vertex(e[1], e[4], e[7]);
	}
	*shift = sqrtf(sx * sx + sy * sy) / MW;
	*resid = e[(by - 2 * cy + 1) * 3 + bx - 2 * cx + 1];
}

/* The half-size grid (2x2 means) of g. */
static void half_grid(const float *g, float *h)
{
	for (int y = 0; y < MH / 2; y++)
		for (int x = 0; x < MW / 2; x++)
			h[y * (MW / 2) + x] = 0.25f * (g[2 * y * MW + 2 * x] + g[2 * y * MW + 2 * x + 1] +
			                               g[(2 * y + 1) * MW + 2 * x] + g[(2 * y + 1) * MW + 2 * x + 1]);
}

/* The picture inside black bars (letterbox, pillarbox): edge rows and columns
 * darker than BAR_LUMA on average are cut off, keeping at least 8 of each. */
#define BAR_LUMA 0.06f

static float line_mean(const float *L, int W, int x0, int y0, int dx, int dy, int n)
{
	float m = 0;
	for (int i = 0; i < n; i++)
		m += L[(y0 + i * dy) * W + x0 + i * dx];
	return m / (float)n;
}

static void active_area(const float *L, int W, int H, int *x0, int *x1, int *y0, int *y1)
{
	*x0 = 0, *x1 = W, *y0 = 0, *y1 = H;
	while (*y1 - *y0 > 8 && line_mean(L, W, *x0, *y0, 1, 0, *x1 - *x0) < BAR_LUMA)
		(*y0)++;
	while (*y1 - *y0 > 8 && line_mean(L, W, *x0, *y1 - 1, 1, 0, *x1 - *x0) < BAR_LUMA)
		(*y1)--;
	while (*x1 - *x0 > 8 && line_mean(L, W, *x0, *y0, 0, 1, *y1 - *y0) < BAR_LUMA)
		(*x0)++;
	while (*x1 - *x0 > 8 && line_mean(L, W, *x1 - 1, *y0, 0, 1, *y1 - *y0) < BAR_LUMA)
		(*x1)--;
}

/* Scene figures over the picture inside the bars: brightness and its spread,
 * the share of dark pixels, the top third against the bottom, and texture
 * (|right neighbour| + |lower neighbour| differences of luma) overall and in the
 * top third, where sky is bright and smooth. */
static void scene(const float *L, const media_image *img, library_frame_look *o)
{
	int W = img->width, H = img->height, x0, x1, y0, y1;
	active_area(L, W, H, &x0, &x1, &y0, &y1);
	int h = y1 - y0, top_end = y0 + h / 3, bot_start = y1 - h / 3;
	double sy = 0, dark = 0, top = 0, bottom = 0, sky = 0, blue_sky = 0, tex = 0, top_tex = 0;
	int ntop = 0, nbot = 0, n = 0;
	for (int y = y0; y < y1; y++) {
		const uint8_t *row = img->data + (size_t)y * img->stride;
		for (int x = x0; x < x1; x++) {
			float l = L[y * W + x];
			float t = 0;
			if (x + 1 < x1 && y + 1 < y1)
				t = fabsf(l - L[y * W + x + 1]) + fabsf(l - L[(y + 1) * W + x]);
			sy += l;
			dark += l < 0.2f;
			tex += t;
			n++;
			if (y < top_end) {
				top += l;
				top_tex += t;
				ntop++;
				/* & rather than &&: these tests go either way at random,
				 * and a mispredicted branch costs more than the test */
				sky += (l > 0.5f) & (t < 0.04f);
				if (img->channels == 3) {
					const uint8_t *p = row + 3 * x;
					blue_sky += (l > 0.45f) & (p[2] > p[0] + 20) & (p[2] >= p[1]);
				}
			} else if (y >= bot_start) {
				bottom += l;
				nbot++;
			}
		}
	}
	o->scene_brightness = (float)(sy / n);
	o->dark = (float)(dark / n);
	o->texture = (float)(tex / n);
	o->top_minus_bottom = (float)((ntop ? top / ntop : 0) - (nbot ? bottom / nbot : 0));
	o->sky = (float)(ntop ? sky / ntop : 0);
	o->blue_sky = (float)(ntop ? blue_sky / ntop : 0);
	o->top_texture = (float)(ntop ? top_tex / ntop : 0);
}

void library_look_frame(library_look *lk, const media_image *img, library_frame_look *o)
{
	int W = img->width, H = img->height, ch = img->channels;
	memset(o, 0, sizeof(*o));
	if (lk->luma_size < (size_t)W * H) {
		free(lk->luma);
		lk->luma_size = (size_t)W * H;
		lk->luma = bj_xmalloc(lk->luma_size * sizeof(float));
	}
	if (lk->mcol_width != W) {
		free(lk->mcol);
		lk->mcol = bj_xmalloc((size_t)W * sizeof(int));
		for (int x = 0; x < W; x++)
			lk->mcol[x] = x * MW / W;   /* a division per pixel cost more than the rest of it */
		lk->mcol_width = W;
	}
	const int *mcol = lk->mcol;
	float *L = lk->luma;
	double sy = 0, sy2 = 0, rg = 0, yb = 0, rg2 = 0, yb2 = 0;
	float mcell[MH * MW];
	int mcount[MH * MW];
	memset(mcell, 0, sizeof(mcell));
	memset(mcount, 0, sizeof(mcount));
	for (int y = 0; y < H; y++) {
		const uint8_t *row = img->data + (size_t)y * img->stride;
		int my = y * MH / H;
		luma_row(img, y, L + (size_t)y * W);
		for (int x = 0; x < W; x++) {
			const uint8_t *p = row + (size_t)x * ch;
			float r = p[0], g = ch == 3 ? p[1] : p[0], b = ch == 3 ? p[2] : p[0];
			float l = L[y * W + x];
			sy += l;
			sy2 += l * l;
			float a = r - g, c = 0.5f * (r + g) - b;
			rg += a;
			yb += c;
			rg2 += a * a;
			yb2 += c * c;
			int m = my * MW + mcol[x];
			mcell[m] += l;
			mcount[m]++;
		}
		/* dominant colours from every other pixel of every other row */
		for (int x = 0; x < W && (y & 1) == 0; x += 2) {
			const uint8_t *p = row + (size_t)x * ch;
			int r = p[0], g = ch == 3 ? p[1] : p[0], b = ch == 3 ? p[2] : p[0];
			int bin = (r >> 6) * 16 + (g >> 6) * 4 + (b >> 6);
			o->bins[bin]++;
			o->bin_rgb[bin][0] += (float)r;
			o->bin_rgb[bin][1] += (float)g;
			o->bin_rgb[bin][2] += (float)b;
		}
	}
	double n = (double)W * H;
	o->brightness = (float)(sy / n);
	double var = sy2 / n - (sy / n) * (sy / n);
	o->contrast = (float)sqrt(var > 0 ? var : 0);
	o->rg = (float)(rg / n);
	o->yb = (float)(yb / n);
	o->rg2 = (float)(rg2 / n);
	o->yb2 = (float)(yb2 / n);
	scene(L, img, o);
	for (int i = 0; i < LIBRARY_LOOK_BINS; i++)
		if (o->bins[i])
			for (int k = 0; k < 3; k++)
				o->bin_rgb[i][k] /= o->bins[i];
	float mean = 0;
	for (int i = 0; i < MH * MW; i++) {
		lk->cur[i] = mcount[i] ? mcell[i] / mcount[i] : 0;
		mean += lk->cur[i];
	}
	mean /= MH * MW;
	half_grid(lk->cur, lk->cur_half);
	if (lk->have_prev)
		motion(lk, lk->prev_mean, mean, &o->shift, &o->motion);
	lk->prev_mean = mean;
	memcpy(lk->prev, lk->cur, sizeof(lk->prev));
	memcpy(lk->prev_half, lk->cur_half, sizeof(lk->prev_half));
	lk->have_prev = 1;
}

void library_look_shot(const library_frame_look *f, int n, double fps, library_shot *s)
{
	double b = 0, c = 0, rg = 0, yb = 0, rg2 = 0, yb2 = 0, mot = 0, shift = 0, dark = 0;
	double tmb = 0, sky = 0, blue_sky = 0, tex = 0, top_tex = 0, scene_b = 0;
	double counts[LIBRARY_LOOK_BINS] = { 0 }, rgb[LIBRARY_LOOK_BINS][3];
	memset(rgb, 0, sizeof(rgb));
	int nm = 0;
	for (int i = 0; i < n; i++) {
		b += f[i].brightness;
		c += f[i].contrast;
		rg += f[i].rg;
		yb += f[i].yb;
		rg2 += f[i].rg2;
		yb2 += f[i].yb2;
		dark += f[i].dark;
		tmb += f[i].top_minus_bottom;
		sky += f[i].sky;
		blue_sky += f[i].blue_sky;
		tex += f[i].texture;
		top_tex += f[i].top_texture;
		scene_b += f[i].scene_brightness;
		if (i > 0) {
			mot += f[i].motion;
			shift += f[i].shift;
			nm++;
		}
		for (int k = 0; k < LIBRARY_LOOK_BINS; k++)
			if (f[i].bins[k]) {
				counts[k] += f[i].bins[k];
				for (int j = 0; j < 3; j++)
					rgb[k][j] += (double)f[i].bin_rgb[k][j] * f[i].bins[k];
			}
	}
	s->brightness = b / n;
	s->contrast = c / n;
	/* Hasler & Suesstrunk (2003), "Measuring colourfulness in natural images":
	 * M = sigma_rgyb + 0.3 mu_rgyb, over the shot's pixels. */
	double mrg = rg / n, myb = yb / n;
	double vrg = rg2 / n - mrg * mrg, vyb = yb2 / n - myb * myb;
	double sd = sqrt((vrg > 0 ? vrg : 0) + (vyb > 0 ? vyb : 0));
	s->colourfulness = sd + 0.3 * sqrt(mrg * mrg + myb * myb);
	/* Toned or tinted black-and-white film has a colour cast (a mean) but almost
	 * no spread of colour around it. */
	s->bw = sd < 7.0;
	s->motion = nm ? mot / nm : 0;
	s->camera_motion = nm ? shift / nm * fps : 0;
	double total = 0;
	for (int k = 0; k < LIBRARY_LOOK_BINS; k++)
		total += counts[k];
	for (int i = 0; i < LIBRARY_COLOURS; i++) {
		int best = -1;
		for (int k = 0; k < LIBRARY_LOOK_BINS; k++)
			if (counts[k] > 0 && (best < 0 || counts[k] > counts[best]))
				best = k;
		if (best < 0 || total <= 0) {
			s->colours[i] = 0;
			s->colour_share[i] = 0;
			continue;
		}
		uint32_t rgbv = 0;
		for (int j = 0; j < 3; j++) {
			long v = lround(rgb[best][j] / counts[best]);
			rgbv = rgbv << 8 | (uint32_t)(v < 0 ? 0 : v > 255 ? 255 : v);
		}
		s->colours[i] = rgbv;
		s->colour_share[i] = counts[best] / total;
		counts[best] = 0;
	}
	/* The guesses, measured on the hand labels of tests/library/look_labels.txt
	 * (71 shots of ../shared/data/footage; see test_index_eval.c).
	 * Exterior: in black and white, sky (a bright, smooth top third) or a
	 * textured top third (foliage, buildings, crowds against the light); in
	 * colour, where studio backdrops are smooth, bright and blue too, a
	 * textured picture, or blue sky over some texture. */
	sky /= n, blue_sky /= n, tex /= n, top_tex /= n, tmb /= n, dark /= n, scene_b /= n;
	int exterior = s->bw ? sky > 0.12 || top_tex > 0.12 : tex >= 0.13 || (blue_sky > 0.3 && tex >= 0.08);
	/* Night: low-key black and white interiors, lit from below the frame (the
	 * top a tenth darker than the bottom), or very dark pictures with most
	 * pixels near black.  Dark colour studio sets are not night. */
	int night = s->bw && ((!exterior && tmb < -0.1) || (scene_b < 0.2 && dark > 0.6));
	snprintf(s->daynight, sizeof(s->daynight), "%s", night ? "night" : "day");
	snprintf(s->place, sizeof(s->place), "%s", exterior ? "exterior" : "interior");
}
