#include "perform/swap_augment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "vision/face_mask.h"

/* Space one face's warp needs, one per thread. */
struct scratch {
	float *field;   /* (2, S, S) displacement, x then y, pixels */
	float *rows;    /* (2, grid, S) the lattice interpolated along x */
};

#define MAX_GRID 16

struct perform_augmenter {
	const perform_crops *set;
	perform_augment_opts o;
	uint8_t *masks;      /* (n, S, S) face hull, 0..255 */
	uint8_t *features;   /* (n, S, S) 255 over the eyes and mouth */
	/* Catmull-Rom taps from the control lattice to each pixel column (or row):
	 * lattice indices and weights, 4 per pixel */
	int *tap;            /* (S, 4) */
	float *tap_w;        /* (S, 4) */
	bj_pool *pool;       /* NULL: the caller's thread */
	int n_scratch;
	struct scratch *scratch;   /* (n_scratch) */
};

/* Even-odd test: is (x, y) inside the closed polygon of n points? */
static int inside(const float *poly, int n, float x, float y)
{
	int in = 0;
	for (int i = 0, j = n - 1; i < n; j = i++) {
		float ax = poly[2 * j], ay = poly[2 * j + 1], bx = poly[2 * i], by = poly[2 * i + 1];
		if ((ay > y) != (by > y) && x < ax + (y - ay) * (bx - ax) / (by - ay))
			in = !in;
	}
	return in;
}

/* Marks the polygon of landmarks first..first+n-1, grown by factor about their
 * centroid, with 255 in map (S x S). */
static void mark_feature(const float *lm, int first, int n, float factor, int S, uint8_t *map)
{
	float poly[2 * 12], cx = 0, cy = 0;
	for (int i = 0; i < n; i++)
		cx += lm[2 * (first + i)] / (float)n, cy += lm[2 * (first + i) + 1] / (float)n;
	float x0 = (float)S, x1 = 0, y0 = (float)S, y1 = 0;
	for (int i = 0; i < n; i++) {
		poly[2 * i] = cx + factor * (lm[2 * (first + i)] - cx);
		poly[2 * i + 1] = cy + factor * (lm[2 * (first + i) + 1] - cy);
		x0 = fminf(x0, poly[2 * i]), x1 = fmaxf(x1, poly[2 * i]);
		y0 = fminf(y0, poly[2 * i + 1]), y1 = fmaxf(y1, poly[2 * i + 1]);
	}
	int ya = (int)fmaxf(floorf(y0), 0), yb = (int)fminf(ceilf(y1), (float)S - 1);
	int xa = (int)fmaxf(floorf(x0), 0), xb = (int)fminf(ceilf(x1), (float)S - 1);
	for (int y = ya; y <= yb; y++)
		for (int x = xa; x <= xb; x++)
			if (inside(poly, n, (float)x, (float)y))
				map[(size_t)y * S + x] = 255;
}

/* The eyes (36-41, 42-47) grown to take in their lids, and the outer lips
 * (48-59) grown a little to take in their edge. */
static void mark_features(const float *lm, int S, uint8_t *map)
{
	mark_feature(lm, 36, 6, 1.8f, S, map);
	mark_feature(lm, 42, 6, 1.8f, S, map);
	mark_feature(lm, 48, 12, 1.25f, S, map);
}

/* Catmull-Rom weights of the four lattice points around position t in [0, 1)
 * of a span (Catmull and Rom 1974; tension 0.5). */
static void catmull_rom(float t, float w[4])
{
	float t2 = t * t, t3 = t2 * t;
	w[0] = 0.5f * (-t3 + 2 * t2 - t);
	w[1] = 0.5f * (3 * t3 - 5 * t2 + 2);
	w[2] = 0.5f * (-3 * t3 + 4 * t2 + t);
	w[3] = 0.5f * (t3 - t2);
}

static int valid(const perform_augment_opts *o)
{
	return o->rotate >= 0 && o->rotate <= 45 && o->scale >= 0 && o->scale <= 0.5f && o->shift >= 0 &&
	       o->shift <= 0.5f && o->flip >= 0 && o->flip <= 1 && o->brightness >= 0 && o->brightness <= 0.5f &&
	       o->contrast >= 0 && o->contrast <= 0.5f && o->saturation >= 0 && o->saturation <= 1 &&
	       o->grid >= 2 && o->grid <= MAX_GRID && o->warp_sigma >= 0 && o->warp_sigma <= 0.2f &&
	       o->feature_weight >= 1 && o->feature_weight <= 100;
}

perform_augmenter *perform_augmenter_new(const perform_crops *set, const perform_augment_opts *o, bj_pool *pool)
{
	if (!valid(o) || !set->n) {
		bj_error_set(BJ_EINVAL, "augment: settings out of range or no faces");
		return NULL;
	}
	perform_augmenter *a = bj_xcalloc(1, sizeof(*a));
	int S = set->size, G = o->grid;
	size_t area = (size_t)S * S;
	a->set = set;
	a->o = *o;
	a->masks = bj_xcalloc(set->n, area);
	a->features = bj_xcalloc(set->n, area);
	for (size_t i = 0; i < set->n; i++) {
		const float *lm = set->landmarks + i * 2 * PERFORM_CROPS_POINTS;
		vision_rect box;
		vision_face_mask(lm, S, S, a->masks + i * area, &box);
		/* the one-shot swap's mask leaves the footage's mouth; a trained
		 * decoder redraws it, so the mask target takes it in */
		mark_feature(lm, 48, 12, 1.25f, S, a->masks + i * area);
		mark_features(lm, S, a->features + i * area);
	}
	a->tap = bj_xmalloc((size_t)S * 4 * sizeof(int));
	a->tap_w = bj_xmalloc((size_t)S * 4 * sizeof(float));
	for (int x = 0; x < S; x++) {
		float u = (float)x * (float)(G - 1) / (float)(S - 1);
		int i = (int)u;
		if (i > G - 2)
			i = G - 2;
		catmull_rom(u - (float)i, a->tap_w + 4 * x);
		for (int k = 0; k < 4; k++) {
			int j = i - 1 + k;
			a->tap[4 * x + k] = j < 0 ? 0 : j > G - 1 ? G - 1 : j;
		}
	}
	a->pool = pool;
	a->n_scratch = pool ? bj_pool_threads(pool) : 1;
	a->scratch = bj_xcalloc((size_t)a->n_scratch, sizeof(*a->scratch));
	for (int t = 0; t < a->n_scratch; t++) {
		a->scratch[t].field = bj_xmalloc(2 * area * sizeof(float));
		a->scratch[t].rows = bj_xmalloc(2 * (size_t)G * S * sizeof(float));
	}
	return a;
}

void perform_augmenter_free(perform_augmenter *a)
{
	if (!a)
		return;
	free(a->masks);
	free(a->features);
	free(a->tap);
	free(a->tap_w);
	for (int t = 0; t < a->n_scratch; t++) {
		free(a->scratch[t].field);
		free(a->scratch[t].rows);
	}
	free(a->scratch);
	free(a);
}

void perform_batch_init(perform_batch *b, int n, int size)
{
	BJ_ASSERT(n >= 1 && size >= 16 && size <= 512);
	size_t area = (size_t)size * size;
	b->n = n;
	b->size = size;
	b->input = bj_xmalloc((size_t)n * 3 * area * sizeof(float));
	b->target = bj_xmalloc((size_t)n * 3 * area * sizeof(float));
	b->mask = bj_xmalloc((size_t)n * area * sizeof(float));
	b->weight = bj_xmalloc((size_t)n * area * sizeof(float));
	b->index = bj_xmalloc((size_t)n * sizeof(int32_t));
}

void perform_batch_release(perform_batch *b)
{
	free(b->input);
	free(b->target);
	free(b->mask);
	free(b->weight);
	free(b->index);
	memset(b, 0, sizeof(*b));
}

/* A uniform draw in [-1, 1). */
static float sym(bj_rng *r)
{
	return 2 * bj_rng_uniform(r) - 1;
}

/* Fills sc->field with the warp's displacement (pixels) at every pixel: the
 * lattice's random displacements interpolated along x, then along y. */
static void make_field(const perform_augmenter *a, bj_rng *rng, struct scratch *sc)
{
	int S = a->set->size, G = a->o.grid;
	float sigma = a->o.warp_sigma * (float)S, lattice[2][MAX_GRID * MAX_GRID];
	for (int c = 0; c < 2; c++)
		for (int i = 0; i < G * G; i++)
			lattice[c][i] = sigma * (float)bj_rng_normal(rng);
	for (int c = 0; c < 2; c++)
		for (int gy = 0; gy < G; gy++) {
			float *row = sc->rows + ((size_t)c * G + gy) * S;
			for (int x = 0; x < S; x++) {
				const int *t = a->tap + 4 * x;
				const float *w = a->tap_w + 4 * x, *l = lattice[c] + gy * G;
				row[x] = w[0] * l[t[0]] + w[1] * l[t[1]] + w[2] * l[t[2]] + w[3] * l[t[3]];
			}
		}
	for (int c = 0; c < 2; c++)
		for (int y = 0; y < S; y++) {
			const int *t = a->tap + 4 * y;
			const float *w = a->tap_w + 4 * y, *rows = sc->rows + (size_t)c * G * S;
			float *out = sc->field + ((size_t)c * S + y) * S;
			for (int x = 0; x < S; x++)
				out[x] = w[0] * rows[t[0] * S + x] + w[1] * rows[t[1] * S + x] + w[2] * rows[t[2] * S + x] +
				         w[3] * rows[t[3] * S + x];
		}
}

/* The four pixels around (x, y) of an S x S plane and their bilinear
 * weights, edges repeated. */
struct taps {
	int i[4];     /* (y0, x0), (y0, x1), (y1, x0), (y1, x1) as y * S + x */
	float w[4];
};

static inline struct taps taps_at(float x, float y, int S)
{
	float hi = (float)(S - 1);
	x = x < 0 ? 0 : x > hi ? hi : x;
	y = y < 0 ? 0 : y > hi ? hi : y;
	int x0 = (int)x, y0 = (int)y;
	int dx = x0 + 1 < S, dy = y0 + 1 < S ? S : 0;
	float fx = x - (float)x0, fy = y - (float)y0;
	struct taps t;
	t.i[0] = y0 * S + x0, t.i[1] = t.i[0] + dx, t.i[2] = t.i[0] + dy, t.i[3] = t.i[2] + dx;
	t.w[0] = (1 - fx) * (1 - fy), t.w[1] = fx * (1 - fy), t.w[2] = (1 - fx) * fy, t.w[3] = fx * fy;
	return t;
}

static inline float lerp_plane(const uint8_t *p, const struct taps *t)
{
	return t->w[0] * p[t->i[0]] + t->w[1] * p[t->i[1]] + t->w[2] * p[t->i[2]] + t->w[3] * p[t->i[3]];
}

/* The colour move of one face: saturation about the luma, contrast about
 * mid-grey, then brightness. */
struct colour {
	float brightness, contrast, saturation;
};

static inline void sample_rgb(const uint8_t *rgb, const struct taps *t, const struct colour *c, float *out,
                              size_t plane)
{
	const uint8_t *p0 = rgb + 3 * t->i[0], *p1 = rgb + 3 * t->i[1], *p2 = rgb + 3 * t->i[2],
	              *p3 = rgb + 3 * t->i[3];
	float v[3];
	for (int k = 0; k < 3; k++)
		v[k] = (t->w[0] * p0[k] + t->w[1] * p1[k] + t->w[2] * p2[k] + t->w[3] * p3[k]) * (1.0f / 255);
	float luma = 0.299f * v[0] + 0.587f * v[1] + 0.114f * v[2];
	for (int k = 0; k < 3; k++) {
		float x = luma + c->saturation * (v[k] - luma);
		x = (x - 0.5f) * c->contrast + 0.5f + c->brightness;
		out[k * plane] = x < 0 ? 0 : x > 1 ? 1 : x;
	}
}

static void augment_face(const perform_augmenter *a, int crop, bj_rng *rng, perform_batch *b, int k,
                         struct scratch *sc)
{
	const perform_crops *set = a->set;
	const perform_augment_opts *o = &a->o;
	int S = set->size;
	BJ_ASSERT(b->size == S && k >= 0 && k < b->n && crop >= 0 && (size_t)crop < set->n);
	size_t area = (size_t)S * S;

	double angle = o->rotate * sym(rng) * M_PI / 180, scale = 1 + o->scale * sym(rng);
	double tx = o->shift * S * sym(rng), ty = o->shift * S * sym(rng);
	int flip = bj_rng_uniform(rng) < o->flip;
	struct colour col = { o->brightness * sym(rng), 1 + o->contrast * sym(rng), 1 + o->saturation * sym(rng) };
	if (o->warp_sigma > 0)
		make_field(a, rng, sc);
	else
		memset(sc->field, 0, 2 * area * sizeof(float));

	/* The output pixel p comes from q = F(c + R(-angle) (p - c - t) / scale)
	 * of the crop, F the flip x -> S - 1 - x: q = M p + m. */
	double c = (S - 1) / 2.0, ca = cos(angle) / scale, sa = sin(angle) / scale;
	double m00 = ca, m01 = sa, m10 = -sa, m11 = ca;
	double bx = -(m00 * (c + tx) + m01 * (c + ty)) + c, by = -(m10 * (c + tx) + m11 * (c + ty)) + c;
	if (flip)
		m00 = -m00, m01 = -m01, bx = S - 1 - bx;
	float M[4] = { (float)m00, (float)m01, (float)m10, (float)m11 }, m[2] = { (float)bx, (float)by };

	const uint8_t *rgb = set->pixels + (size_t)crop * area * 3;
	const uint8_t *mask = a->masks + (size_t)crop * area, *feat = a->features + (size_t)crop * area;
	float *in = b->input + (size_t)k * 3 * area, *tg = b->target + (size_t)k * 3 * area;
	float *mk = b->mask + (size_t)k * area, *wt = b->weight + (size_t)k * area;
	const float *dx = sc->field, *dy = sc->field + area;
	float extra = o->feature_weight - 1;
	for (int y = 0; y < S; y++)
		for (int x = 0; x < S; x++) {
			size_t i = (size_t)y * S + x;
			float px = (float)x, py = (float)y;
			struct taps t = taps_at(M[0] * px + M[1] * py + m[0], M[2] * px + M[3] * py + m[1], S);
			sample_rgb(rgb, &t, &col, tg + i, area);
			mk[i] = lerp_plane(mask, &t) * (1.0f / 255);
			wt[i] = 1 + extra * lerp_plane(feat, &t) * (1.0f / 255);
			float wx = px + dx[i], wy = py + dy[i];
			struct taps u = taps_at(M[0] * wx + M[1] * wy + m[0], M[2] * wx + M[3] * wy + m[1], S);
			sample_rgb(rgb, &u, &col, in + i, area);
		}
	b->index[k] = crop;
}

void perform_augment_face(perform_augmenter *a, int crop, bj_rng *rng, perform_batch *b, int k)
{
	augment_face(a, crop, rng, b, k, &a->scratch[0]);
}

struct batch_job {
	const perform_augmenter *a;
	perform_batch *b;
	bj_rng root;
};

static void batch_task(void *ctx, int k, int thread)
{
	struct batch_job *j = ctx;
	bj_rng face = bj_rng_fork(&j->root, (uint64_t)k);
	augment_face(j->a, j->b->index[k], &face, j->b, k, &j->a->scratch[thread]);
}

void perform_augment_batch(perform_augmenter *a, bj_rng *rng, perform_batch *b)
{
	struct batch_job j = { a, b, { { 0 } } };
	bj_rng_init(&j.root, bj_rng_u64(rng));
	for (int k = 0; k < b->n; k++)
		b->index[k] = (int32_t)bj_rng_below(rng, a->set->n);
	if (a->pool)
		bj_pool_run(a->pool, b->n, batch_task, &j);
	else
		for (int k = 0; k < b->n; k++)
			batch_task(&j, k, 0);
}
