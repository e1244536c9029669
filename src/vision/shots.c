#include "vision/shots.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/sort.h"

/* Descriptor layout.  The grid and histogram sizes are a trade between
 * sensitivity and tolerance of motion and grain at ~160x90. */
#define GX 16            /* block grid for the structure term */
#define GY 9
#define LBINS 16         /* normalised-luma histogram, z in [-2.5, 2.5] */
#define CBINS 6          /* chroma histogram, CBINS x CBINS over (B-Y, R-Y) */
#define CX 4             /* cells of the orientation histograms */
#define CY 3
#define OBINS 6          /* unsigned orientations, 30 degrees each */
#define SIGMA_FLOOR 10.0f /* luma deviation (of 255) below which a frame is flat */
#define BLANK_SIGMA 8.0f /* ... and below which it counts as blank (black, white) */
#define CUT_EXPLAINS 0.6f /* a cut this fraction of a gradual change explains it */
#define EXTENT_FRACTION 0.15f /* a frame this far (of the whole change) from a side has left it */

struct desc {
	float mean, sigma;
	int blank;
	float blocks[GX * GY];        /* (GY, GX) mean normalised luma */
	float hl[LBINS];              /* sums to 1 */
	float hc[CBINS * CBINS];      /* sums to 1 */
	float ori[CY * CX * OBINS];   /* sums to 1 over all cells (0 when flat) */
};

struct vision_shots {
	int w;                 /* gradual window: frames each side */
	int ring;              /* descriptors held */
	int width, height, channels;
	int64_t n;             /* frames pushed */
	int64_t next;          /* next centre frame to decide */
	struct desc *d;        /* (ring) */
	float *d1;             /* (ring) distance of frame i to i-1, at i % ring */
	uint8_t *luma;         /* (height, width) scratch */
	uint8_t chroma[511];   /* chroma_bin(d) at d + 255 */
	short *col_cell;       /* (width) column to cell */
	/* the open run of gradual candidates */
	int run_open;
	int64_t run_first;     /* the run's first centre */
	vision_transition run_best;
	float run_best_score;
	vision_transition *out;   /* (n_out) in order of start */
	char *out_blank;          /* (n_out) 1 for a cut next to a blank frame */
	size_t n_out, cap_out;
	int finished;
};

static const struct desc *D(const vision_shots *s, int64_t i)
{
	return &s->d[i % s->ring];
}

static float clampf(float x, float lo, float hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* ---- per-frame descriptor ------------------------------------------------ */

/* The unsigned gradient orientation in 30-degree bins (0..5), without atan2:
 * fold into the upper half plane, then compare the slope with tan 30 and tan 60
 * (in integers: 1000 * tan 30 = 577, 1000 * tan 60 = 1732).  Written without
 * branches: the gradients of a picture take them at random. */
static inline int orientation_bin(int gx, int gy)
{
	static const unsigned char bin[2][3] = { { 0, 1, 2 }, { 5, 4, 3 } };
	int flip = gy < 0 || (gy == 0 && gx < 0);
	gx = flip ? -gx : gx;
	gy = flip ? -gy : gy;
	int ax = gx < 0 ? -gx : gx;
	int k = (1000 * gy >= 577 * ax) + (1000 * gy >= 1732 * ax);
	return bin[gx < 0][k];
}

/* The chroma bin of a colour difference (B-Y or R-Y, -255..255), for the
 * histogram over (B-Y, R-Y) in [-180, 180]. */
static int chroma_bin(int d)
{
	int c = (int)floorf(((float)d + 180.0f) * (CBINS / 360.0f));
	return c < 0 ? 0 : c >= CBINS ? CBINS - 1 : c;
}

/* The descriptor works on integer luma (BT.601, rounded): the brightness- and
 * contrast-free quantities are then found from a 256-level histogram and
 * integer block sums and gradients, not per pixel in floating point (this
 * function was as costly as decoding the frame). */
static void describe(vision_shots *s, const media_image *img, struct desc *o)
{
	int W = img->width, H = img->height, ch = img->channels;
	uint8_t *Y = s->luma;
	uint32_t level[256] = { 0 };
	uint32_t bsum[GX * GY] = { 0 }, bcount[GX * GY] = { 0 };
	uint32_t hc[CBINS * CBINS] = { 0 };
	memset(o, 0, sizeof(*o));
	/* the blocks' first columns: x * GX / W reaches b from bx[b] on */
	int bx[GX + 1];
	for (int b = 0; b <= GX; b++)
		bx[b] = (b * W + GX - 1) / GX;
	for (int y = 0; y < H; y++) {
		const uint8_t *p = img->data + (size_t)y * img->stride;
		uint8_t *yr = Y + (size_t)y * W;
		uint32_t *brow = bsum + (y * GY / H) * GX, *crow = bcount + (y * GY / H) * GX;
		if (ch == 3) {
			for (int x = 0; x < W; x++) {
				int r = p[3 * x], g = p[3 * x + 1], b = p[3 * x + 2];
				int v = (77 * r + 150 * g + 29 * b + 128) >> 8;
				hc[s->chroma[r - v + 255] * CBINS + s->chroma[b - v + 255]]++;
				yr[x] = (uint8_t)v;
			}
		} else {
			memcpy(yr, p, (size_t)W);
			hc[(CBINS / 2) * CBINS + CBINS / 2] += (uint32_t)W;
		}
		for (int x = 0; x < W; x++)
			level[yr[x]]++;
		for (int b = 0; b < GX; b++) {
			uint32_t t = 0;
			for (int x = bx[b]; x < bx[b + 1]; x++)
				t += yr[x];
			brow[b] += t;
			crow[b] += (uint32_t)(bx[b + 1] - bx[b]);
		}
	}
	double np = (double)W * H, sum = 0, sum2 = 0;
	for (int v = 0; v < 256; v++) {
		sum += (double)level[v] * v;
		sum2 += (double)level[v] * v * v;
	}
	double mean = sum / np, var = sum2 / np - mean * mean;
	o->mean = (float)mean;
	o->sigma = (float)sqrt(var > 0 ? var : 0);
	o->blank = o->sigma < BLANK_SIGMA;
	float inv = 1.0f / (o->sigma > SIGMA_FLOOR ? o->sigma : SIGMA_FLOOR);
	for (int i = 0; i < CBINS * CBINS; i++)
		o->hc[i] = (float)(hc[i] / np);

	/* Normalised luma z = (Y - mean) / sigma: its histogram from the levels',
	 * and block means.  Each level is shared between the two bins nearest it
	 * (linear interpolation): with hard bins a large flat area (black bars
	 * beside a picture) jumped from one bin to the next when the mean moved a
	 * little, and that looked like a cut. */
	for (int v = 0; v < 256; v++) {
		if (!level[v])
			continue;
		float z = ((float)v - o->mean) * inv;
		float pos = (z + 2.5f) * (LBINS / 5.0f) - 0.5f;
		pos = clampf(pos, 0, LBINS - 1);
		int b0 = (int)pos;
		float f = pos - (float)b0;
		o->hl[b0] += (1 - f) * (float)level[v];
		if (b0 + 1 < LBINS)
			o->hl[b0 + 1] += f * (float)level[v];
	}
	for (int i = 0; i < LBINS; i++)
		o->hl[i] /= (float)np;
	for (int i = 0; i < GX * GY; i++)
		o->blocks[i] = bcount[i] ? ((float)bsum[i] / (float)bcount[i] - o->mean) * inv : 0;

	/* Gradient orientation per cell, weighted by magnitude (central differences;
	 * the normalisation divides every gradient by sigma, and the histogram is
	 * normalised by its total, so only the grain threshold needs sigma). */
	uint32_t ori[CY * CX * OBINS] = { 0 };
	uint64_t total = 0;
	int floor_m = (int)ceilf(0.08f / inv);   /* grain-level gradients carry no structure */
	for (int x = 0; x < W; x++)
		s->col_cell[x] = (short)(x * CX / W);
	for (int y = 1; y < H - 1; y++) {
		const uint8_t *up = Y + (size_t)(y - 1) * W, *row = Y + (size_t)y * W, *down = Y + (size_t)(y + 1) * W;
		uint32_t *orow = ori + (y * CY / H) * CX * OBINS;
		uint32_t row_total = 0;
		for (int x = 1; x < W - 1; x++) {
			int gx = row[x + 1] - row[x - 1], gy = down[x] - up[x];
			int m = abs(gx) + abs(gy);
			m = m < floor_m ? 0 : m;   /* adding 0 costs less than a branch */
			orow[s->col_cell[x] * OBINS + orientation_bin(gx, gy)] += (uint32_t)m;
			row_total += (uint32_t)m;
		}
		total += row_total;
	}
	if (total > 0 && !o->blank)
		for (int i = 0; i < CY * CX * OBINS; i++)
			o->ori[i] = (float)((double)ori[i] / (double)total);
}

static float l1(const float *a, const float *b, int n)
{
	float s = 0;
	for (int i = 0; i < n; i++)
		s += fabsf(a[i] - b[i]);
	return s;
}

/* 1 - the best normalised correlation of the block grids over shifts of up to
 * one block each way (a pan or tilt of a few pixels is not a change of shot). */
static float structure_distance(const struct desc *a, const struct desc *b)
{
	if (a->blank || b->blank)
		return a->blank && b->blank ? 0.0f : 1.0f;
	float best = -1;
	for (int dy = -1; dy <= 1; dy++)
		for (int dx = -1; dx <= 1; dx++) {
			double sab = 0, saa = 0, sbb = 0, sa = 0, sb = 0;
			int n = 0;
			for (int y = 0; y < GY; y++) {
				int y2 = y + dy;
				if (y2 < 0 || y2 >= GY)
					continue;
				for (int x = 0; x < GX; x++) {
					int x2 = x + dx;
					if (x2 < 0 || x2 >= GX)
						continue;
					double u = a->blocks[y * GX + x], v = b->blocks[y2 * GX + x2];
					sa += u;
					sb += v;
					sab += u * v;
					saa += u * u;
					sbb += v * v;
					n++;
				}
			}
			double cov = sab - sa * sb / n, va = saa - sa * sa / n, vb = sbb - sb * sb / n;
			double r = va > 1e-9 && vb > 1e-9 ? cov / sqrt(va * vb) : 0;
			if (r > best)
				best = (float)r;
		}
	return clampf(1.0f - best, 0, 1);
}

/* The distance between two frames, 0 (same picture, whatever the exposure) to 1. */
static float distance(const struct desc *a, const struct desc *b)
{
	float dh = 0.25f * (l1(a->hl, b->hl, LBINS) + l1(a->hc, b->hc, CBINS * CBINS));
	float ds = structure_distance(a, b);
	float de;
	if (a->blank || b->blank)
		de = a->blank && b->blank ? 0.0f : 1.0f;
	else
		de = 0.5f * l1(a->ori, b->ori, CY * CX * OBINS);
	return clampf((dh + ds + de) / 3.0f, 0, 1);
}

/* ---- decisions ----------------------------------------------------------- */

static void emit(vision_shots *s, vision_transition t, int blank)
{
	if (s->n_out + 1 > s->cap_out) {
		BJ_GROW(s->out, s->cap_out, s->n_out + 1);
		s->out_blank = bj_xrealloc(s->out_blank, s->cap_out);
	}
	s->out_blank[s->n_out] = (char)blank;
	s->out[s->n_out++] = t;
}

/* Whether a frame next to a cut at c is blank (black or white): then the cut
 * ends a fade or an iris to black, or starts a fade-in, and is part of that
 * gradual transition (as ground truth and editors count it). */
static int blank_near(const vision_shots *s, int64_t c)
{
	for (int64_t j = c - 2; j <= c + 1; j++)
		if (j >= 0 && j < s->n && j > s->n - s->ring && D(s, j)->blank)
			return 1;
	return 0;
}

static int overlaps(const vision_transition *t, int64_t start, int64_t end)
{
	return t->start <= end + 2 && t->end + 2 >= start;
}

/* Adds a gradual transition.  Gradual transitions it touches merge into it, and
 * so do cuts next to a blank frame or smaller than the whole change (a dissolve
 * that ends on a jump); a cut as large as the change means the change was that
 * cut (motion before or after it made the window look gradual), and the gradual
 * transition is dropped. */
static void emit_gradual(vision_shots *s, vision_transition g)
{
	for (size_t i = 0; i < s->n_out; i++)
		if (overlaps(&s->out[i], g.start, g.end) && s->out[i].type == VISION_CUT &&
		    !s->out_blank[i] && s->out[i].score >= CUT_EXPLAINS * g.score)
			return;
	size_t k = 0, at = s->n_out;
	for (size_t i = 0; i < s->n_out; i++) {
		vision_transition *t = &s->out[i];
		if (overlaps(t, g.start, g.end)) {
			if (t->start < g.start)
				g.start = t->start;
			if (t->end > g.end)
				g.end = t->end;
			if (t->score > g.score)
				g.score = t->score;
			continue;
		}
		if (at == s->n_out && t->start > g.start)
			at = k;
		s->out_blank[k] = s->out_blank[i];
		s->out[k++] = *t;
	}
	s->n_out = k;
	if (at > k)
		at = k;
	emit(s, g, 0);
	memmove(s->out + at + 1, s->out + at, (k - at) * sizeof(*s->out));
	memmove(s->out_blank + at + 1, s->out_blank + at, (k - at) * sizeof(*s->out_blank));
	s->out[at] = g;
	s->out_blank[at] = 0;
}

static void emit_cut(vision_shots *s, vision_transition c, int blank)
{
	if (s->n_out > 0) {
		vision_transition *last = &s->out[s->n_out - 1];
		if (last->type == VISION_GRADUAL && overlaps(last, c.start, c.end)) {
			if (blank || c.score < CUT_EXPLAINS * last->score) {
				if (c.end > last->end)
					last->end = c.end;
				return;
			}
			s->n_out--;   /* the cut explains the change */
		}
	}
	emit(s, c, blank);
}

static int64_t lo_index(const vision_shots *s, int64_t i)
{
	int64_t first = s->n - s->ring + 1;
	if (first < 0)
		first = 0;
	return i < first ? first : i;
}

static int64_t hi_index(const vision_shots *s, int64_t i)
{
	return i > s->n - 1 ? s->n - 1 : i;
}

/* Is frame c the first of a new shot after a hard cut? */
static int is_cut(vision_shots *s, int64_t c, float *score)
{
	if (c < 1)
		return 0;
	float dc = s->d1[c % s->ring];
	*score = dc;
	if (dc < 0.10f)
		return 0;
	/* A cut is one frame's change: its neighbours are frames of one shot. */
	float nb = s->d1[(c - 1) % s->ring];
	if (c + 1 < s->n && s->d1[(c + 1) % s->ring] > nb)
		nb = s->d1[(c + 1) % s->ring];
	if (dc < 1.8f * nb)
		return 0;
	/* Adaptive threshold: median and spread of the distances around c. */
	float win[128];
	int k = 0;
	int64_t a = lo_index(s, c - s->w), b = hi_index(s, c + s->w);
	if (a < 1)
		a = 1;
	for (int64_t j = a; j <= b && k < 128; j++)
		if (j < c - 1 || j > c + 1)
			win[k++] = s->d1[j % s->ring];
	float med = 0, spread = 0;
	if (k > 0) {
		bj_sort_floats(win, (size_t)k);
		med = win[k / 2];
		float q3 = win[(3 * k) / 4];
		spread = q3 - med;
		/* a second cut nearby is not motion: look at the upper quartile, not the max */
	}
	if (dc < med + 0.06f + 3.0f * spread)
		return 0;
	if (dc < 3.0f * med)
		return 0;
	/* A flash: a frame or two later the picture is the one before again. */
	const struct desc *before = D(s, c - 1);
	for (int j = 1; j <= 3 && c + j < s->n; j++)
		if (distance(before, D(s, c + j)) < 0.5f * dc)
			return 0;
	return 1;
}

/* A gradual transition centred on c: frames w before and after differ, while
 * each side is stable.  Fills t with its extent and returns its strength (> 0),
 * or 0. */
static float gradual_at(vision_shots *s, int64_t c, vision_transition *t)
{
	int w = s->w;
	int64_t A = c - w, B = c + w;
	if (A < 0 || B >= s->n)
		return 0;
	float Dab = distance(D(s, A), D(s, B));
	if (Dab < 0.25f)
		return 0;
	float before = 0, after = 0;
	int64_t A0 = lo_index(s, A - w), B1 = hi_index(s, B + w);
	if (A0 < A)
		before = distance(D(s, A0), D(s, A)) * (float)w / (float)(A - A0);
	if (B1 > B)
		after = distance(D(s, B), D(s, B1)) * (float)w / (float)(B1 - B);
	float side = before > after ? before : after;
	if (Dab < 1.8f * side + 0.05f)
		return 0;
	/* Extent: frames no longer close to A and not yet close to B. */
	const struct desc *da = D(s, A), *db = D(s, B);
	int64_t start = -1, end = -1;
	for (int64_t u = A + 1; u <= B; u++)
		if (distance(D(s, u), da) > EXTENT_FRACTION * Dab) {
			start = u;
			break;
		}
	for (int64_t u = B - 1; u >= A; u--)
		if (distance(D(s, u), db) > EXTENT_FRACTION * Dab) {
			end = u + 1;
			break;
		}
	if (start < 0 || end < 0 || end < start)
		return 0;
	/* A hard cut inside a stable window is a cut, not a gradual transition. */
	if (end - start <= 1)
		return 0;
	t->type = VISION_GRADUAL;
	t->start = start;
	t->end = end;
	t->score = Dab;
	return Dab - side;
}

static void decide(vision_shots *s, int64_t c)
{
	float score;
	vision_transition g;
	float strength = gradual_at(s, c, &g);
	if (strength > 0) {
		if (!s->run_open || strength > s->run_best_score) {
			s->run_best = g;
			s->run_best_score = strength;
		}
		if (!s->run_open)
			s->run_first = c;
		s->run_open = 1;
	} else if (s->run_open) {
		s->run_open = 0;
		emit_gradual(s, s->run_best);
	}
	if (is_cut(s, c, &score)) {
		vision_transition t = { VISION_CUT, c, c, score };
		emit_cut(s, t, blank_near(s, c));
	}
}

/* ---- API ------------------------------------------------------------------ */

vision_shots *vision_shots_new(double fps)
{
	if (!(fps >= 1))
		fps = 1;
	if (fps > 240)
		fps = 240;
	vision_shots *s = bj_xcalloc(1, sizeof(*s));
	s->w = (int)lround(0.6 * fps);
	if (s->w < 4)
		s->w = 4;
	s->ring = 4 * s->w + 4;
	s->d = bj_xcalloc((size_t)s->ring, sizeof(*s->d));
	s->d1 = bj_xcalloc((size_t)s->ring, sizeof(*s->d1));
	for (int d = -255; d <= 255; d++)
		s->chroma[d + 255] = (uint8_t)chroma_bin(d);
	return s;
}

int vision_shots_push(vision_shots *s, const media_image *frame)
{
	BJ_ASSERT(!s->finished);
	if (frame->width < 16 || frame->height < 16)
		return bj_error_set(BJ_EINVAL, "frame of %dx%d is too small for shot detection (16x16 at least)",
		                    frame->width, frame->height);
	if (s->n == 0) {
		s->width = frame->width;
		s->height = frame->height;
		s->luma = bj_xmalloc((size_t)s->width * s->height);
		s->col_cell = bj_xmalloc((size_t)s->width * sizeof(short));
	} else if (frame->width != s->width || frame->height != s->height) {
		return bj_error_set(BJ_EINVAL, "frame %lld is %dx%d, the first was %dx%d",
		                    (long long)s->n, frame->width, frame->height, s->width, s->height);
	}
	int64_t i = s->n;
	describe(s, frame, &s->d[i % s->ring]);
	s->d1[i % s->ring] = i > 0 ? distance(D(s, i - 1), D(s, i)) : 0;
	s->n++;
	/* Centre c needs frames up to c + 2w. */
	while (s->next + 2 * s->w < s->n)
		decide(s, s->next++);
	return 0;
}

void vision_shots_finish(vision_shots *s)
{
	if (s->finished)
		return;
	while (s->next < s->n)
		decide(s, s->next++);
	if (s->run_open) {
		s->run_open = 0;
		emit_gradual(s, s->run_best);
	}
	s->finished = 1;
}

const vision_transition *vision_shots_transitions(const vision_shots *s, size_t *n)
{
	*n = s->n_out;
	return s->out;
}

int64_t vision_shots_settled(const vision_shots *s)
{
	if (s->finished)
		return s->n;
	/* A later gradual transition starts after its centre's window start, and
	 * swallows only what touches it (2 frames); a later cut only touches the
	 * last gradual one. */
	int64_t c = s->run_open ? s->run_first : s->next;
	int64_t settled = c - s->w - 4;
	return settled < 0 ? 0 : settled;
}

int64_t vision_shots_frames(const vision_shots *s)
{
	return s->n;
}

float vision_shots_distance(const vision_shots *s, int64_t i)
{
	if (i < 1 || i >= s->n || i <= s->n - s->ring)
		return -1;
	return s->d1[i % s->ring];
}

void vision_shots_free(vision_shots *s)
{
	if (!s)
		return;
	free(s->d);
	free(s->d1);
	free(s->luma);
	free(s->col_cell);
	free(s->out);
	free(s->out_blank);
	free(s);
}

/* ---- evaluation ----------------------------------------------------------- */

static void score_finish(vision_shots_score *sc)
{
	sc->precision = sc->detected ? (double)sc->matched / sc->detected : 1.0;
	sc->recall = sc->truth ? (double)sc->matched / sc->truth : 1.0;
	double pr = sc->precision + sc->recall;
	sc->f1 = pr > 0 ? 2 * sc->precision * sc->recall / pr : 0;
}

void vision_shots_evaluate(const vision_transition *det, size_t n_det,
                           const vision_transition *truth, size_t n_truth, int tol,
                           vision_shots_score *cuts, vision_shots_score *gradual)
{
	memset(cuts, 0, sizeof(*cuts));
	memset(gradual, 0, sizeof(*gradual));
	char *used = bj_xcalloc(n_det + 1, 1);
	for (size_t i = 0; i < n_det; i++)
		(det[i].type == VISION_CUT ? cuts : gradual)->detected++;
	for (size_t t = 0; t < n_truth; t++) {
		const vision_transition *g = &truth[t];
		vision_shots_score *sc = g->type == VISION_CUT ? cuts : gradual;
		sc->truth++;
		for (size_t i = 0; i < n_det; i++) {
			const vision_transition *d = &det[i];
			if (used[i] || d->type != g->type)
				continue;
			int hit;
			if (g->type == VISION_CUT) {
				hit = llabs(d->start - g->start) <= tol;
			} else {
				int64_t gl = g->end > g->start ? g->end - 1 : g->start;
				int64_t dl = d->end > d->start ? d->end - 1 : d->start;
				hit = d->start - tol <= gl + tol && g->start - tol <= dl + tol;
			}
			if (hit) {
				used[i] = 1;
				sc->matched++;
				break;
			}
		}
	}
	free(used);
	score_finish(cuts);
	score_finish(gradual);
}
