#include "vision/detect.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "vision/bands.h"
#include "vision/integral.h"

#define GROUP_EPS 0.2
#define MAX_LEVELS 1024
#define ROWS_PER_TASK 12   /* window rows per scanning task */
#define VISION_SIMD_MAX_NODES 8   /* trees up to this size run four windows at once */
#define ATLAS_PAD 16       /* ints after the planes: four-window loads read a little past */

/* A Haar feature compiled for one atlas stride: corner offsets of each
 * rectangle in the integral planes and the rectangles' weights. */
struct hfeat {
	int32_t o[3][4];
	float w[3];
};

/* A Haar stump: a feature, its threshold and the two leaf values. */
struct hstump {
	struct hfeat f;
	float thr, left, right;
};

/* A Haar tree node; children > 0 are nodes of the same tree, <= 0 leaves. */
struct hnode {
	struct hfeat f;
	float thr;
	int left, right;
};

/* An LBP feature: the 4x4 corner grid of its 3x3 cells, and the category
 * subset of the node that uses it (bit c set: go left). */
struct lnode {
	int32_t o[16];
	int32_t subset[VISION_LBP_SUBSET];
	float left, right;   /* stumps: leaf values */
	int lchild, rchild;  /* trees: children */
};

struct level {
	float scale;
	int w, h;          /* resized image */
	size_t ofs;        /* of its integral's origin in the atlas */
	int step;          /* window step: 2 below scale 2, else 1 */
	int nx, ny;        /* window positions: x < nx, y < ny */
	float win_w, win_h;
};

struct task {
	int level, y0, y1;
};

struct hits {
	vision_box *b;
	size_t n, cap;
};

struct vision_detector {
	const vision_cascade *c;
	bj_pool *pool;
	int threads;
	int simd;                   /* four windows at once: Haar with small trees, LBP stumps */
	int lbp8;                   /* eight at once: LBP stumps on a CPU with AVX2 */
	/* compiled cascade for atlas stride `stride` */
	size_t stride, plane;       /* atlas row and plane size (elements) */
	struct hstump *hstumps;     /* (n_nodes) when stumps */
	struct hnode *hnodes;       /* (n_nodes) */
	struct lnode *lnodes;       /* (n_nodes) */
	int32_t nofs[4];            /* corners of the variance window */
	double norm_area;
	/* per image */
	media_image *grey;
	struct level *levels;
	int n_levels;
	int32_t *atlas;             /* sum plane, squares plane, tilted plane */
	size_t atlas_cap;
	uint8_t *scratch;           /* per thread: a level image and resize/tilted scratch */
	size_t scratch_each, scratch_cap;
	struct task *tasks;
	size_t n_tasks, cap_tasks;
	struct hits *hits;          /* per task */
	size_t cap_hits;
	vision_box *out;
	size_t cap_out;
};

vision_detector *vision_detector_new(const vision_cascade *c, bj_pool *pool)
{
	vision_detector *d = bj_xcalloc(1, sizeof(*d));
	d->c = c;
	d->pool = pool;
	d->threads = pool ? bj_pool_threads(pool) : 1;
#ifdef __SSE2__
	d->simd = c->type == VISION_FEATURE_HAAR ? c->max_nodes <= VISION_SIMD_MAX_NODES : c->max_nodes == 1;
#endif
#if defined(__x86_64__) && defined(__GNUC__)
	d->lbp8 = c->type == VISION_FEATURE_LBP && c->max_nodes == 1 && __builtin_cpu_supports("avx2");
#endif
	return d;
}

void vision_detector_free(vision_detector *d)
{
	if (!d)
		return;
	free(d->hstumps);
	free(d->hnodes);
	free(d->lnodes);
	media_image_free(d->grey);
	free(d->levels);
	free(d->atlas);
	free(d->scratch);
	free(d->tasks);
	for (size_t i = 0; i < d->cap_hits; i++)
		free(d->hits[i].b);
	free(d->hits);
	free(d->out);
	free(d);
}

/* Rows y0..y1-1 of img into g (same size, one channel) by vision_grey's formula. */
static void grey_rows(const media_image *img, media_image *g, int y0, int y1)
{
	for (int y = y0; y < y1; y++) {
		const uint8_t *p = img->data + (size_t)y * img->stride;
		uint8_t *o = g->data + (size_t)y * g->stride;
		if (img->channels == 1) {
			memcpy(o, p, (size_t)img->width);
			continue;
		}
		for (int x = 0; x < img->width; x++, p += 3)
			o[x] = (uint8_t)((9798 * p[0] + 19235 * p[1] + 3735 * p[2] + (1 << 14)) >> 15);
	}
}

media_image *vision_grey(const media_image *img)
{
	media_image *g = media_image_new(img->width, img->height, 1);
	if (g)
		grey_rows(img, g, 0, img->height);
	return g;
}

struct grey_job {
	const media_image *img;
	media_image *g;
};

static void grey_band(void *ctx, int band, int thread)
{
	(void)thread;
	struct grey_job *j = ctx;
	int y0, y1;
	vision_band_rows(band, 0, j->img->height, &y0, &y1);
	grey_rows(j->img, j->g, y0, y1);
}

/* d->grey made img's grey, in bands over d's pool (the detector's first step,
 * on the caller's thread before: a quarter of a big face's detection), in the
 * buffer of the last image when it has the same size. */
static int grey_of(vision_detector *d, const media_image *img)
{
	if (!d->grey || d->grey->width != img->width || d->grey->height != img->height) {
		media_image_free(d->grey);
		if (!(d->grey = media_image_new(img->width, img->height, 1)))
			return bj_error_code();
	}
	vision_bands_run(d->pool, grey_band, &(struct grey_job){ img, d->grey });
	return 0;
}

/* ---- compiling the cascade for an atlas stride ---- */

static void rect_offsets(int32_t o[4], const vision_cascade_rect *r, int tilted, size_t stride, size_t tofs)
{
	long s = (long)stride;
	if (!tilted) {
		o[0] = (int32_t)(r->x + s * r->y);
		o[1] = (int32_t)(r->x + r->w + s * r->y);
		o[2] = (int32_t)(r->x + s * (r->y + r->h));
		o[3] = (int32_t)(r->x + r->w + s * (r->y + r->h));
	} else {
		long t = (long)tofs;
		o[0] = (int32_t)(t + r->x + s * r->y);
		o[1] = (int32_t)(t + r->x - r->h + s * (r->y + r->h));
		o[2] = (int32_t)(t + r->x + r->w + s * (r->y + r->w));
		o[3] = (int32_t)(t + r->x + r->w - r->h + s * (r->y + r->w + r->h));
	}
}

static void compile_haar(struct hfeat *f, const vision_cascade_feature *cf, size_t stride, size_t tofs)
{
	for (int k = 0; k < 3; k++) {
		if (cf->rect[k].weight != 0.0f)
			rect_offsets(f->o[k], &cf->rect[k], cf->tilted, stride, tofs);
		else
			memset(f->o[k], 0, sizeof(f->o[k]));
		f->w[k] = cf->rect[k].weight;
	}
}

static void compile_lbp(struct lnode *n, const vision_cascade_feature *cf, size_t stride)
{
	const vision_cascade_rect *r = &cf->rect[0];
	for (int gy = 0; gy < 4; gy++)
		for (int gx = 0; gx < 4; gx++)
			n->o[gy * 4 + gx] = (int32_t)(r->x + gx * r->w + (long)stride * (r->y + gy * r->h));
}

static void compile(vision_detector *d, size_t stride, size_t plane)
{
	const vision_cascade *c = d->c;
	if (d->stride == stride && d->plane == plane)
		return;
	d->stride = stride;
	d->plane = plane;
	size_t n = (size_t)c->n_nodes;
	size_t tofs = 2 * plane;   /* the tilted plane follows the sum and squares planes */
	if (c->type == VISION_FEATURE_HAAR) {
		if (c->max_nodes == 1) {
			if (!d->hstumps)
				d->hstumps = bj_xmalloc(n * sizeof(*d->hstumps));
			for (size_t i = 0; i < n; i++) {
				const vision_cascade_node *nd = &c->nodes[i];
				struct hstump *s = &d->hstumps[i];
				compile_haar(&s->f, &c->features[nd->feature], stride, tofs);
				s->thr = nd->threshold;
				/* a stump's leaves in file order: left, right */
				s->left = c->leaves[c->trees[i].first_leaf];
				s->right = c->leaves[c->trees[i].first_leaf + 1];
			}
		} else {
			if (!d->hnodes)
				d->hnodes = bj_xmalloc(n * sizeof(*d->hnodes));
			for (size_t i = 0; i < n; i++) {
				const vision_cascade_node *nd = &c->nodes[i];
				compile_haar(&d->hnodes[i].f, &c->features[nd->feature], stride, tofs);
				d->hnodes[i].thr = nd->threshold;
				d->hnodes[i].left = nd->left;
				d->hnodes[i].right = nd->right;
			}
		}
	} else {
		if (!d->lnodes)
			d->lnodes = bj_xmalloc(n * sizeof(*d->lnodes));
		for (size_t i = 0; i < n; i++) {
			const vision_cascade_node *nd = &c->nodes[i];
			struct lnode *l = &d->lnodes[i];
			compile_lbp(l, &c->features[nd->feature], stride);
			memcpy(l->subset, c->subsets + i * VISION_LBP_SUBSET, sizeof(l->subset));
			l->lchild = nd->left;
			l->rchild = nd->right;
			l->left = l->right = 0.0f;
		}
		if (c->max_nodes == 1)
			for (int t = 0; t < c->n_trees; t++) {
				d->lnodes[c->trees[t].first_node].left = c->leaves[c->trees[t].first_leaf];
				d->lnodes[c->trees[t].first_node].right = c->leaves[c->trees[t].first_leaf + 1];
			}
	}
	/* the variance window: the detection window less a 1-pixel border */
	vision_cascade_rect nr = { 1, 1, c->width - 2, c->height - 2, 1.0f };
	rect_offsets(d->nofs, &nr, 0, stride, 0);
	d->norm_area = (double)(c->width - 2) * (c->height - 2);
}

/* ---- evaluating one window ---- */

#define RECT_SUM(p, o) ((p)[(o)[0]] - (p)[(o)[1]] - (p)[(o)[2]] + (p)[(o)[3]])

/* The feature's value before normalisation, in float as OpenCV computes it. */
static inline float haar_value(const int32_t *p, const struct hfeat *f)
{
	float v = f->w[0] * (float)RECT_SUM(p, f->o[0]) + f->w[1] * (float)RECT_SUM(p, f->o[1]);
	if (f->w[2] != 0.0f)
		v += f->w[2] * (float)RECT_SUM(p, f->o[2]);
	return v;
}

/* The window's normalisation factor, or 0 when it is too flat to look at. */
static inline float variance_factor(const vision_detector *d, const int32_t *p)
{
	int32_t s = RECT_SUM(p, d->nofs);
	const uint32_t *q = (const uint32_t *)(p + d->plane);
	uint32_t sq = RECT_SUM(q, d->nofs);
	double nf = d->norm_area * sq - (double)s * s;
	if (!(nf > 0.0))
		return 0.0f;
	float f = (float)(1.0 / sqrt(nf));
	return d->norm_area * f < 1e-1 ? f : 0.0f;
}

/* The stages from `first` on of a window with normalisation factor vnf:
 * 1 for an object, -stage for a rejection at that stage. */
static int stages_haar_stumps(const vision_detector *d, const int32_t *p, float vnf, int first)
{
	const vision_cascade *c = d->c;
	const struct hstump *s = d->hstumps + c->trees[c->stages[first].first_tree].first_node;
	for (int st = first; st < c->n_stages; st++) {
		double sum = 0.0;
		int n = c->stages[st].n_trees;
		for (int i = 0; i < n; i++, s++) {
			float v = haar_value(p, &s->f) * vnf;
			sum += v < s->thr ? s->left : s->right;
		}
		if (sum < c->stages[st].threshold)
			return -st;
	}
	return 1;
}

static int stages_haar_trees(const vision_detector *d, const int32_t *p, float vnf, int first)
{
	const vision_cascade *c = d->c;
	for (int st = first; st < c->n_stages; st++) {
		double sum = 0.0;
		const vision_cascade_stage *stage = &c->stages[st];
		for (int t = stage->first_tree; t < stage->first_tree + stage->n_trees; t++) {
			const vision_cascade_tree *tr = &c->trees[t];
			const struct hnode *root = d->hnodes + tr->first_node;
			int idx = 0;
			do {
				const struct hnode *nd = root + idx;
				float v = haar_value(p, &nd->f) * vnf;
				idx = v < nd->thr ? nd->left : nd->right;
			} while (idx > 0);
			sum += c->leaves[tr->first_leaf - idx];
		}
		if (sum < stage->threshold)
			return -st;
	}
	return 1;
}

/* Each returns 1 for an object, -stage for a rejection at that stage, and -1
 * for a window the variance test rejects (as OpenCV's runAt). */
static int eval_haar_stumps(const vision_detector *d, const int32_t *p)
{
	float vnf = variance_factor(d, p);
	return vnf == 0.0f ? -1 : stages_haar_stumps(d, p, vnf, 0);
}

static int eval_haar_trees(const vision_detector *d, const int32_t *p)
{
	float vnf = variance_factor(d, p);
	return vnf == 0.0f ? -1 : stages_haar_trees(d, p, vnf, 0);
}

/* The 8-bit LBP code of a feature's 4x4 corner grid: each outer cell against
 * the centre (5 6 9 10), clockwise from the top left, most significant first;
 * CELL(a, b, c, e) is a cell's sum from its corners, BIT(cell, w) w when the
 * cell is at least the centre, else 0, and OR joins two; for every width. */
#define LBP_CODE(OR, BIT, CELL)                                                                 \
	OR(OR(OR(BIT(CELL(0, 1, 4, 5), 128), BIT(CELL(1, 2, 5, 6), 64)),                           \
	      OR(BIT(CELL(2, 3, 6, 7), 32), BIT(CELL(6, 7, 10, 11), 16))),                          \
	   OR(OR(BIT(CELL(10, 11, 14, 15), 8), BIT(CELL(9, 10, 13, 14), 4)),                        \
	      OR(BIT(CELL(8, 9, 12, 13), 2), BIT(CELL(4, 5, 8, 9), 1))))

static inline int lbp_code(const int32_t *p, const int32_t *o)
{
#define CELL(a, b, c_, e) ((p)[o[a]] - (p)[o[b]] - (p)[o[c_]] + (p)[o[e]])
#define BIT(cell, w) ((cell) >= centre ? (w) : 0)
#define OR(a, b) ((a) | (b))
	int32_t centre = CELL(5, 6, 9, 10);
	return LBP_CODE(OR, BIT, CELL);
#undef OR
#undef BIT
#undef CELL
}

/* The stages from `first` on: 1 for an object, -stage for a rejection there. */
static int stages_lbp(const vision_detector *d, const int32_t *p, int first)
{
	const vision_cascade *c = d->c;
	for (int st = first; st < c->n_stages; st++) {
		double sum = 0.0;
		const vision_cascade_stage *stage = &c->stages[st];
		for (int t = stage->first_tree; t < stage->first_tree + stage->n_trees; t++) {
			const vision_cascade_tree *tr = &c->trees[t];
			const struct lnode *root = d->lnodes + tr->first_node;
			if (c->max_nodes == 1) {
				int code = lbp_code(p, root->o);
				sum += ((uint32_t)root->subset[code >> 5] >> (code & 31) & 1u) ? root->left : root->right;
				continue;
			}
			int idx = 0;
			do {
				const struct lnode *nd = root + idx;
				int code = lbp_code(p, nd->o);
				idx = ((uint32_t)nd->subset[code >> 5] >> (code & 31) & 1u) ? nd->lchild : nd->rchild;
			} while (idx > 0);
			sum += c->leaves[tr->first_leaf - idx];
		}
		if (sum < stage->threshold)
			return -st;
	}
	return 1;
}

static int eval_lbp(const vision_detector *d, const int32_t *p)
{
	return stages_lbp(d, p, 0);
}

/* ---- four windows at once (SSE2) ----
 *
 * Four windows along a row, step 1 or 2 apart, evaluated with the same
 * single-precision operations in the same order as the scalar code, so every
 * lane gives bit for bit the scalar result.  The first stage runs on all four
 * (the skip rule decides afterwards which of them OpenCV would have looked at);
 * later stages run while any visited lane is still alive. */
#ifdef __SSE2__
#include <emmintrin.h>

static inline __attribute__((always_inline)) __m128i load4(const int32_t *p, int step)
{
	if (step == 1)
		return _mm_loadu_si128((const __m128i *)p);
	__m128 a = _mm_castsi128_ps(_mm_loadu_si128((const __m128i *)p));
	__m128 b = _mm_castsi128_ps(_mm_loadu_si128((const __m128i *)(p + 4)));
	return _mm_castps_si128(_mm_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)));
}

static inline __attribute__((always_inline)) __m128i rect4(const int32_t *p, const int32_t o[4], int step)
{
	return _mm_add_epi32(_mm_sub_epi32(_mm_sub_epi32(load4(p + o[0], step), load4(p + o[1], step)),
	                                   load4(p + o[2], step)), load4(p + o[3], step));
}

static inline __attribute__((always_inline)) __m128 haar_value4(const int32_t *p, const struct hfeat *f, int step)
{
	__m128 v = _mm_add_ps(_mm_mul_ps(_mm_set1_ps(f->w[0]), _mm_cvtepi32_ps(rect4(p, f->o[0], step))),
	                      _mm_mul_ps(_mm_set1_ps(f->w[1]), _mm_cvtepi32_ps(rect4(p, f->o[1], step))));
	if (f->w[2] != 0.0f)
		v = _mm_add_ps(v, _mm_mul_ps(_mm_set1_ps(f->w[2]), _mm_cvtepi32_ps(rect4(p, f->o[2], step))));
	return v;
}

/* Normalisation factors of four windows; *ok gets a bit per window that passes. */
static inline __attribute__((always_inline)) __m128 variance4(const vision_detector *d, const int32_t *p,
                                                              int step, int *ok)
{
	__m128i s = rect4(p, d->nofs, step), q = rect4(p + d->plane, d->nofs, step);
	__m128d area = _mm_set1_pd(d->norm_area), two32 = _mm_set1_pd(4294967296.0), zero = _mm_setzero_pd();
	__m128 f[2];
	*ok = 0;
	for (int half = 0; half < 2; half++) {
		__m128i sh = half ? _mm_shuffle_epi32(s, _MM_SHUFFLE(3, 2, 3, 2)) : s;
		__m128i qh = half ? _mm_shuffle_epi32(q, _MM_SHUFFLE(3, 2, 3, 2)) : q;
		__m128d ds = _mm_cvtepi32_pd(sh), dq = _mm_cvtepi32_pd(qh);
		dq = _mm_add_pd(dq, _mm_and_pd(_mm_cmplt_pd(dq, zero), two32));   /* as unsigned */
		__m128d nf = _mm_sub_pd(_mm_mul_pd(area, dq), _mm_mul_pd(ds, ds));
		__m128d pos = _mm_cmpgt_pd(nf, zero);
		nf = _mm_or_pd(_mm_and_pd(pos, nf), _mm_andnot_pd(pos, _mm_set1_pd(1.0)));
		f[half] = _mm_cvtpd_ps(_mm_div_pd(_mm_set1_pd(1.0), _mm_sqrt_pd(nf)));
		__m128d small = _mm_cmplt_pd(_mm_mul_pd(area, _mm_cvtps_pd(f[half])), _mm_set1_pd(1e-1));
		*ok |= _mm_movemask_pd(_mm_and_pd(pos, small)) << (2 * half);
	}
	return _mm_movelh_ps(f[0], f[1]);
}

/* Adds four float leaf values to the lanes' double sums. */
static inline __attribute__((always_inline)) void add4(__m128d sum[2], __m128 leaf)
{
	sum[0] = _mm_add_pd(sum[0], _mm_cvtps_pd(leaf));
	sum[1] = _mm_add_pd(sum[1], _mm_cvtps_pd(_mm_movehl_ps(leaf, leaf)));
}

/* One stage on four windows; returns a bit per window that fails it. */
static inline __attribute__((always_inline)) int stage4(const vision_detector *d, const int32_t *p,
                                                        int step, __m128 vnf, int st)
{
	const vision_cascade *c = d->c;
	const vision_cascade_stage *stage = &c->stages[st];
	__m128d sum[2] = { _mm_setzero_pd(), _mm_setzero_pd() };
	if (c->max_nodes == 1) {
		const struct hstump *s = d->hstumps + c->trees[stage->first_tree].first_node;
		for (int i = 0; i < stage->n_trees; i++, s++) {
			__m128 v = _mm_mul_ps(haar_value4(p, &s->f, step), vnf);
			__m128 m = _mm_cmplt_ps(v, _mm_set1_ps(s->thr));
			add4(sum, _mm_or_ps(_mm_and_ps(m, _mm_set1_ps(s->left)), _mm_andnot_ps(m, _mm_set1_ps(s->right))));
		}
	} else {
		/* every node's value for every window, then leaf values picked
		 * bottom-up (children point forward, so they are ready first) */
		for (int t = stage->first_tree; t < stage->first_tree + stage->n_trees; t++) {
			const vision_cascade_tree *tr = &c->trees[t];
			const struct hnode *root = d->hnodes + tr->first_node;
			const float *leaves = c->leaves + tr->first_leaf;
			__m128 val[VISION_SIMD_MAX_NODES];
			for (int k = tr->n_nodes - 1; k >= 0; k--) {
				const struct hnode *nd = &root[k];
				__m128 m = _mm_cmplt_ps(_mm_mul_ps(haar_value4(p, &nd->f, step), vnf), _mm_set1_ps(nd->thr));
				__m128 lv = nd->left > 0 ? val[nd->left] : _mm_set1_ps(leaves[-nd->left]);
				__m128 rv = nd->right > 0 ? val[nd->right] : _mm_set1_ps(leaves[-nd->right]);
				val[k] = _mm_or_ps(_mm_and_ps(m, lv), _mm_andnot_ps(m, rv));
			}
			add4(sum, val[0]);
		}
	}
	__m128d thr = _mm_set1_pd(stage->threshold);
	return _mm_movemask_pd(_mm_cmplt_pd(sum[0], thr)) | _mm_movemask_pd(_mm_cmplt_pd(sum[1], thr)) << 2;
}

/* One stage of an LBP stump cascade on four windows; returns the fail bits. */
static inline __attribute__((always_inline)) int stage4_lbp(const vision_detector *d, const int32_t *p,
                                                            int step, int st)
{
	const vision_cascade *c = d->c;
	const vision_cascade_stage *stage = &c->stages[st];
	__m128d sum[2] = { _mm_setzero_pd(), _mm_setzero_pd() };
	const struct lnode *n = d->lnodes + c->trees[stage->first_tree].first_node;
	for (int t = 0; t < stage->n_trees; t++, n++) {
		__m128i g[16];
		for (int k = 0; k < 16; k++)
			g[k] = load4(p + n->o[k], step);
#define CELL4(a, b, c_, e) _mm_add_epi32(_mm_sub_epi32(_mm_sub_epi32(g[a], g[b]), g[c_]), g[e])
#define BIT4(cell, w) _mm_andnot_si128(_mm_cmpgt_epi32(centre, cell), _mm_set1_epi32(w))
		__m128i centre = CELL4(5, 6, 9, 10);
		__m128i code = LBP_CODE(_mm_or_si128, BIT4, CELL4);
#undef BIT4
#undef CELL4
		int32_t codes[4];
		_mm_storeu_si128((__m128i *)codes, code);
		int bits = 0;
		for (int i = 0; i < 4; i++)
			bits |= ((uint32_t)n->subset[codes[i] >> 5] >> (codes[i] & 31) & 1u) << i;
		/* the lanes whose category is in the subset take the left leaf */
		__m128i lanes = _mm_set_epi32(8, 4, 2, 1);
		__m128 m = _mm_castsi128_ps(_mm_cmpeq_epi32(_mm_and_si128(_mm_set1_epi32(bits), lanes), lanes));
		add4(sum, _mm_or_ps(_mm_and_ps(m, _mm_set1_ps(n->left)), _mm_andnot_ps(m, _mm_set1_ps(n->right))));
	}
	__m128d thr = _mm_set1_pd(stage->threshold);
	return _mm_movemask_pd(_mm_cmplt_pd(sum[0], thr)) | _mm_movemask_pd(_mm_cmplt_pd(sum[1], thr)) << 2;
}

/* Four windows from row + x, step apart: pushes the hits and carries the skip
 * state (the window after one that failed the first stage is not looked at). */
static inline __attribute__((always_inline)) void scan4(const vision_detector *d, const int32_t *p, int step,
                                                        int *skip, int out[4])
{
	int ok = 0xF, lbp = d->c->type == VISION_FEATURE_LBP;
	__m128 vnf = lbp ? _mm_setzero_ps() : variance4(d, p, step, &ok);
	int fail0 = lbp ? stage4_lbp(d, p, step, 0) : stage4(d, p, step, vnf, 0);
	int alive = 0;
	for (int i = 0; i < 4; i++) {
		out[i] = 0;   /* not looked at, or rejected */
		if (*skip) {
			*skip = 0;
			continue;
		}
		if (!(ok >> i & 1))
			continue;          /* flat window: no skip */
		if (fail0 >> i & 1)
			*skip = 1;
		else
			alive |= 1 << i;
	}
	int st;
	for (st = 1; alive && st < d->c->n_stages; st++) {
		if (!lbp && !(alive & (alive - 1)))
			break;   /* one window left: on its own it is quicker */
		alive &= ~(lbp ? stage4_lbp(d, p, step, st) : stage4(d, p, step, vnf, st));
	}
	if (alive && st < d->c->n_stages) {
		int i = __builtin_ctz((unsigned)alive);
		float f[4];
		_mm_storeu_ps(f, vnf);
		const int32_t *w = p + i * step;
		if ((d->c->max_nodes == 1 ? stages_haar_stumps(d, w, f[i], st) : stages_haar_trees(d, w, f[i], st)) <= 0)
			alive = 0;
	}
	for (int i = 0; i < 4; i++)
		out[i] = alive >> i & 1;
}
#endif

static void push_hit(struct hits *h, const struct level *l, int x, int y)
{
	BJ_GROW(h->b, h->cap, h->n + 1);
	h->b[h->n++] = (vision_box){ (int)lrintf((float)x * l->scale), (int)lrintf((float)y * l->scale),
	                             (int)lrintf(l->win_w), (int)lrintf(l->win_h), 0 };
}

/* ---- eight windows at once: LBP stumps (AVX2) ----
 *
 * As scan4 for LBP, with the subset lookup done in the vector unit: a node's
 * 256-bit category subset is eight words, so one permute picks each lane's
 * word and a variable shift its bit.  With step 2 the lanes hold windows
 * 0 1 4 5 2 3 6 7 (the even elements of two loads, unpermuted); the masks
 * are put back in window order with lane_order, which is its own inverse. */
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2"), always_inline)) static inline

AVX2 __m256i load8(const int32_t *p, int step)
{
	if (step == 1)
		return _mm256_loadu_si256((const __m256i *)p);
	__m256 a = _mm256_castsi256_ps(_mm256_loadu_si256((const __m256i *)p));
	__m256 b = _mm256_castsi256_ps(_mm256_loadu_si256((const __m256i *)(p + 8)));
	return _mm256_castps_si256(_mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)));
}

AVX2 int lane_order(int m, int step)
{
	return step == 1 ? m : (m & 0xC3) | (m & 0x0C) << 2 | (m & 0x30) >> 2;
}

/* One stage on eight windows; returns a bit per lane that fails it. */
AVX2 int stage8_lbp(const vision_detector *d, const int32_t *p, int step, int st)
{
	const vision_cascade *c = d->c;
	const vision_cascade_stage *stage = &c->stages[st];
	__m256d sum0 = _mm256_setzero_pd(), sum1 = _mm256_setzero_pd();
	const struct lnode *n = d->lnodes + c->trees[stage->first_tree].first_node;
	for (int t = 0; t < stage->n_trees; t++, n++) {
		__m256i g[16];
		for (int k = 0; k < 16; k++)
			g[k] = load8(p + n->o[k], step);
#define CELL8(a, b, c_, e) _mm256_add_epi32(_mm256_sub_epi32(_mm256_sub_epi32(g[a], g[b]), g[c_]), g[e])
#define BIT8(cell, w) _mm256_andnot_si256(_mm256_cmpgt_epi32(centre, cell), _mm256_set1_epi32(w))
		__m256i centre = CELL8(5, 6, 9, 10);
		__m256i code = LBP_CODE(_mm256_or_si256, BIT8, CELL8);
#undef BIT8
#undef CELL8
		__m256i word = _mm256_permutevar8x32_epi32(_mm256_loadu_si256((const __m256i *)n->subset),
		                                           _mm256_srli_epi32(code, 5));
		__m256i bit = _mm256_srlv_epi32(word, _mm256_and_si256(code, _mm256_set1_epi32(31)));
		/* the lanes whose category is in the subset take the left leaf */
		__m256 leaf = _mm256_blendv_ps(_mm256_set1_ps(n->right), _mm256_set1_ps(n->left),
		                               _mm256_castsi256_ps(_mm256_slli_epi32(bit, 31)));
		sum0 = _mm256_add_pd(sum0, _mm256_cvtps_pd(_mm256_castps256_ps128(leaf)));
		sum1 = _mm256_add_pd(sum1, _mm256_cvtps_pd(_mm256_extractf128_ps(leaf, 1)));
	}
	__m256d thr = _mm256_set1_pd(stage->threshold);
	return _mm256_movemask_pd(_mm256_cmp_pd(sum0, thr, _CMP_LT_OQ)) |
	       _mm256_movemask_pd(_mm256_cmp_pd(sum1, thr, _CMP_LT_OQ)) << 4;
}

/* Eight windows from row + x, step apart: a bit per window that is an object
 * in the result; carries the skip state as scan4 does. */
AVX2 int scan8_lbp(const vision_detector *d, const int32_t *p, int step, int *skip)
{
	int fail0 = lane_order(stage8_lbp(d, p, step, 0), step), alive = 0;
	for (int i = 0; i < 8; i++) {
		if (*skip)
			*skip = 0;
		else if (fail0 >> i & 1)
			*skip = 1;
		else
			alive |= 1 << i;
	}
	alive = lane_order(alive, step);
	int st;
	for (st = 1; alive && st < d->c->n_stages; st++) {
		if (!(alive & (alive - 1)))
			break;   /* one window left: on its own it is quicker */
		alive &= ~stage8_lbp(d, p, step, st);
	}
	alive = lane_order(alive, step);
	if (alive && st < d->c->n_stages) {
		int i = __builtin_ctz((unsigned)alive);
		if (stages_lbp(d, p + i * step, st) <= 0)
			alive = 0;
	}
	return alive;
}

__attribute__((target("avx2"))) static void scan_row_lbp8(const vision_detector *d, const struct level *l,
                                                          const int32_t *row, int y, int *x, int *skip,
                                                          struct hits *h)
{
	for (; *x + 7 * l->step < l->nx; *x += 8 * l->step) {
		int got = l->step == 1 ? scan8_lbp(d, row + *x, 1, skip) : scan8_lbp(d, row + *x, 2, skip);
		for (; got; got &= got - 1)
			push_hit(h, l, *x + __builtin_ctz((unsigned)got) * l->step, y);
	}
}
#undef AVX2
#endif

/* ---- the pyramid ---- */

static int plan_levels(vision_detector *d, int w, int h, const vision_detect_params *p)
{
	const vision_cascade *c = d->c;
	int max_w = p->max_width > 0 ? p->max_width : w, max_h = p->max_height > 0 ? p->max_height : h;
	if (!d->levels)
		d->levels = bj_xmalloc(MAX_LEVELS * sizeof(*d->levels));
	d->n_levels = 0;
	for (double factor = 1.0; d->n_levels < MAX_LEVELS; factor *= p->scale_factor) {
		long ww = lrint(c->width * factor), wh = lrint(c->height * factor);
		if (ww > max_w || wh > max_h || ww > w || wh > h)
			break;
		if (ww < p->min_width || wh < p->min_height)
			continue;
		struct level *l = &d->levels[d->n_levels++];
		l->scale = (float)factor;
		l->w = (int)lrintf((float)w / l->scale);
		l->h = (int)lrintf((float)h / l->scale);
		if (l->w > w)
			l->w = w;
		if (l->h > h)
			l->h = h;
		l->step = l->scale >= 2.0f ? 1 : 2;
		l->nx = l->w + 1 - c->width > 0 ? l->w + 1 - c->width : 0;
		l->ny = l->h + 1 - c->height > 0 ? l->h + 1 - c->height : 0;
		l->win_w = (float)c->width * l->scale;
		l->win_h = (float)c->height * l->scale;
	}
	if (d->n_levels == 0)
		return 0;
	/* pack the levels' integrals into one atlas, shelf by shelf */
	size_t aw = ((size_t)d->levels[0].w + 1 + 15) & ~(size_t)15;
	size_t x = 0, y = 0, shelf = 0;
	for (int i = 0; i < d->n_levels; i++) {
		struct level *l = &d->levels[i];
		size_t lw = (size_t)l->w + 1, lh = (size_t)l->h + 1;
		if (i == 0)
			shelf = lh;
		if (x + lw > aw) {
			y += shelf;
			x = 0;
			shelf = lh;
		}
		l->ofs = y * aw + x;
		x += lw;
	}
	size_t ah = y + shelf, plane, total;
	/* LBP needs only sums; Haar adds squares, and tilted sums when used */
	int planes = d->c->type == VISION_FEATURE_LBP ? 1 : d->c->has_tilted ? 3 : 2;
	if (!bj_size_mul(&plane, aw, ah) || !bj_size_mul(&total, plane, (size_t)planes) ||
	    plane > INT32_MAX / 4)
		return bj_error_set(BJ_ENOMEM, "image of %dx%d is too large to scan", w, h);
	total += ATLAS_PAD;
	if (total > d->atlas_cap) {
		free(d->atlas);
		d->atlas = bj_try_calloc(total, sizeof(*d->atlas));
		if (!d->atlas) {
			d->atlas_cap = 0;
			return bj_error_code();
		}
		d->atlas_cap = total;
	}
	compile(d, aw, plane);
	return 0;
}

static void build_level(void *ctx, int task, int thread)
{
	vision_detector *d = ctx;
	const struct level *l = &d->levels[task];
	const media_image *g = d->grey;
	uint8_t *img = d->scratch + (size_t)thread * d->scratch_each;
	int32_t *work = (int32_t *)(img + (((size_t)g->width * (size_t)g->height + 63) & ~(size_t)63));
	vision_resize_linear(g->data, g->width, g->height, g->stride, img, l->w, l->h, (size_t)l->w, work);
	int32_t *sum = d->atlas + l->ofs;
	if (d->c->type == VISION_FEATURE_LBP)
		vision_integral(img, l->w, l->h, (size_t)l->w, sum, NULL, d->stride);
	else
		vision_integral(img, l->w, l->h, (size_t)l->w, sum, (uint32_t *)(sum + d->plane), d->stride);
	if (d->c->has_tilted)
		vision_integral_tilted(img, l->w, l->h, (size_t)l->w, sum + 2 * d->plane, d->stride, work);
}

static void scan_rows(void *ctx, int task, int thread)
{
	(void)thread;
	vision_detector *d = ctx;
	const struct task *t = &d->tasks[task];
	const struct level *l = &d->levels[t->level];
	struct hits *h = &d->hits[task];
	int (*eval)(const vision_detector *, const int32_t *) =
		d->c->type == VISION_FEATURE_LBP ? eval_lbp :
		d->c->max_nodes == 1 ? eval_haar_stumps : eval_haar_trees;
	h->n = 0;
	for (int y = t->y0; y < t->y1; y += l->step) {
		const int32_t *row = d->atlas + l->ofs + (size_t)y * d->stride;
		int x = 0, skip = 0;
#if defined(__x86_64__) && defined(__GNUC__)
		if (d->lbp8)
			scan_row_lbp8(d, l, row, y, &x, &skip, h);
#endif
#ifdef __SSE2__
		if (d->simd) {
			int got[4];
			for (; x + 3 * l->step < l->nx; x += 4 * l->step) {
				if (l->step == 1)
					scan4(d, row + x, 1, &skip, got);
				else
					scan4(d, row + x, 2, &skip, got);
				for (int i = 0; i < 4; i++)
					if (got[i])
						push_hit(h, l, x + i * l->step, y);
			}
		}
#endif
		for (; x < l->nx; x += l->step) {
			if (skip) {   /* the one before failed the first stage */
				skip = 0;
				continue;
			}
			int r = eval(d, row + x);
			if (r > 0)
				push_hit(h, l, x, y);
			else if (r == 0)
				skip = 1;
		}
	}
}

static void plan_tasks(vision_detector *d)
{
	d->n_tasks = 0;
	for (int i = 0; i < d->n_levels; i++) {
		const struct level *l = &d->levels[i];
		int chunk = ROWS_PER_TASK * l->step;
		for (int y = 0; y < l->ny; y += chunk) {
			BJ_GROW(d->tasks, d->cap_tasks, d->n_tasks + 1);
			d->tasks[d->n_tasks++] = (struct task){ i, y, y + chunk < l->ny ? y + chunk : l->ny };
		}
	}
	if (d->n_tasks > d->cap_hits) {
		d->hits = bj_xrealloc(d->hits, d->n_tasks * sizeof(*d->hits));
		memset(d->hits + d->cap_hits, 0, (d->n_tasks - d->cap_hits) * sizeof(*d->hits));
		d->cap_hits = d->n_tasks;
	}
}

static void run(vision_detector *d, int n, bj_pool_fn *fn)
{
	if (d->pool)
		bj_pool_run(d->pool, n, fn, d);
	else
		for (int i = 0; i < n; i++)
			fn(d, i, 0);
}

int vision_detect(vision_detector *d, const media_image *img, const vision_detect_params *p,
                  const vision_box **boxes, size_t *n)
{
	*boxes = NULL;
	*n = 0;
	if (!(p->scale_factor > 1.0) || p->scale_factor > 100.0 || p->min_neighbors < 0 ||
	    p->min_width < 0 || p->min_height < 0 || p->max_width < 0 || p->max_height < 0)
		return bj_error_set(BJ_EINVAL, "detection settings out of range (scale factor %g, "
		                    "min neighbours %d)", p->scale_factor, p->min_neighbors);
	if (grey_of(d, img) < 0)
		return bj_error_code();
	const media_image *g = d->grey;
	int ret = plan_levels(d, g->width, g->height, p);
	if (ret < 0 || d->n_levels == 0)
		return ret;
	size_t img_bytes = ((size_t)g->width * (size_t)g->height + 63) & ~(size_t)63;
	size_t work = vision_resize_scratch(g->width, g->width);
	if (d->c->has_tilted && vision_tilted_scratch(g->width, g->height) > work)
		work = vision_tilted_scratch(g->width, g->height);
	d->scratch_each = img_bytes + work * sizeof(int32_t);
	if (d->scratch_each * (size_t)d->threads > d->scratch_cap) {
		free(d->scratch);
		d->scratch_cap = d->scratch_each * (size_t)d->threads;
		d->scratch = bj_try_malloc(d->scratch_cap);
		if (!d->scratch) {
			d->scratch_cap = 0;
			return bj_error_code();
		}
	}
	run(d, d->n_levels, build_level);
	plan_tasks(d);
	run(d, (int)d->n_tasks, scan_rows);
	size_t total = 0;
	for (size_t t = 0; t < d->n_tasks; t++)
		total += d->hits[t].n;
	BJ_GROW(d->out, d->cap_out, total + 1);
	total = 0;
	for (size_t t = 0; t < d->n_tasks; t++) {
		if (d->hits[t].n)
			memcpy(d->out + total, d->hits[t].b, d->hits[t].n * sizeof(*d->out));
		total += d->hits[t].n;
	}
	total = vision_group_boxes(d->out, total, p->min_neighbors, GROUP_EPS);
	/* clip to the image, dropping what falls outside */
	size_t kept = 0;
	for (size_t i = 0; i < total; i++) {
		vision_box b = d->out[i];
		int x0 = b.x > 0 ? b.x : 0, y0 = b.y > 0 ? b.y : 0;
		int x1 = b.x + b.width < g->width ? b.x + b.width : g->width;
		int y1 = b.y + b.height < g->height ? b.y + b.height : g->height;
		if (x1 > x0 && y1 > y0)
			d->out[kept++] = (vision_box){ x0, y0, x1 - x0, y1 - y0, b.neighbors };
	}
	*boxes = d->out;
	*n = kept;
	return 0;
}
