#include "vision/landmarks.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "vision/align.h"
#include "vision/shape_model_impl.h"

/* Four floats at any 4-byte alignment (GCC/clang vector extension: SSE2 on
 * x86-64, NEON on arm64, scalar code elsewhere). */
typedef float v4f __attribute__((vector_size(16), aligned(4)));

/* How many trees ahead the leaves are prefetched: a leaf of the 68-point model
 * is 544 bytes, and the 65 MB of leaves never stay in cache. */
#define PREFETCH_AHEAD 6

struct scratch {
	float *shape;   /* (stride) the current shape, unit box */
	float *feat;    /* (max pixels of a stage) sampled intensities */
	ptrdiff_t *at;  /* (max pixels of a stage) their byte offsets in the image, -1 outside */
	const float **leaf;  /* (trees) the leaf each tree of a stage reaches */
};

static int check_box(const media_image *img, const float box[4])
{
	if (img->channels != 1 && img->channels != 3)
		return bj_error_set(BJ_EINVAL, "landmarks need a grey or RGB image, not %d channels",
		                    img->channels);
	for (int i = 0; i < 4; i++)
		if (!isfinite(box[i]) || fabsf(box[i]) > 1e7f)
			return bj_error_set(BJ_EINVAL, "face box value %g is out of range", box[i]);
	if (!(box[2] > box[0] && box[3] > box[1]))
		return bj_error_set(BJ_EINVAL, "face box (%g, %g)-(%g, %g) is empty", box[0], box[1],
		                    box[2], box[3]);
	return 0;
}

/* The similarity that best maps the mean shape onto the current one (dlib's
 * find_similarity_transform, by SVD, gives the same); only its linear part
 * [[a, -b], [b, a]] is needed, to turn the pixel offsets.  A model whose mean
 * shape is a single point gets the identity, as in dlib. */
static void mean_to_current(const vision_shape_model *m, const float *cur, float *a, float *b)
{
	vision_similarity t;
	if (vision_similarity_fit(m->initial, cur, m->parts, &t) < 0) {
		*a = 1, *b = 0;
		return;
	}
	*a = (float)t.a;
	*b = (float)t.b;
}

/* Samples stage s's feature pixels: offset (dx, dy) from its anchor part,
 * turned by the current similarity, then from the unit box to pixels and
 * rounded half up to the nearest pixel, as dlib does; outside the image reads 0.
 * The pixels are scattered over the face, so all are located and fetched
 * first, and read after. */
static void sample(const vision_shape_model *m, int s, const media_image *img, const float box[4],
                   const float *cur, float *feat, ptrdiff_t *at)
{
	float a, b;
	mean_to_current(m, cur, &a, &b);
	double x0 = box[0], y0 = box[1], w = (double)box[2] - box[0], h = (double)box[3] - box[1];
	int p0 = m->pix_start[s], n = m->pix_start[s + 1] - p0;
	const uint16_t *anchor = m->anchor + p0;
	const float *dx = m->dx + p0, *dy = m->dy + p0;
	for (int i = 0; i < n; i++) {
		float u = a * dx[i] - b * dy[i];
		float v = b * dx[i] + a * dy[i];
		u += cur[2 * anchor[i]];
		v += cur[2 * anchor[i] + 1];
		double x = floor(x0 + w * (double)u + 0.5), y = floor(y0 + h * (double)v + 0.5);
		if (x < 0 || y < 0 || x >= img->width || y >= img->height) {
			at[i] = -1;
			continue;
		}
		at[i] = (ptrdiff_t)((size_t)y * img->stride + (size_t)x * img->channels);
		__builtin_prefetch(img->data + at[i]);
	}
	for (int i = 0; i < n; i++) {
		const uint8_t *px = img->data + at[i];
		if (at[i] < 0)
			feat[i] = 0;
		else
			feat[i] = img->channels == 1 ? px[0] : (float)(((unsigned)px[0] + px[1] + px[2]) / 3);
	}
}

/* Walks every tree of stage s, then adds the leaves reached in tree order (the
 * order dlib adds them in, so the float sums agree bit for bit), fetching the
 * leaves a few trees ahead of the additions. */
static void run_stage(const vision_shape_model *m, int s, const float *feat, struct scratch *sc)
{
	size_t tree0 = (size_t)s * m->trees;
	size_t leaf_size = (size_t)m->leaves * m->stride;
	for (int t = 0; t < m->trees; t++) {
		const struct vision_split *sp = m->split + (tree0 + t) * m->splits;
		int i = 0;
		while (i < m->splits)
			i = feat[sp[i].i1] - feat[sp[i].i2] > sp[i].thresh ? 2 * i + 1 : 2 * i + 2;
		sc->leaf[t] = m->leaf + (tree0 + t) * leaf_size + (size_t)(i - m->splits) * m->stride;
	}
	for (int t = 0; t < m->trees && t < PREFETCH_AHEAD; t++)
		for (int c = 0; c < m->stride; c += 16)
			__builtin_prefetch(sc->leaf[t] + c);
	for (int t = 0; t < m->trees; t++) {
		if (t + PREFETCH_AHEAD < m->trees)
			for (int c = 0; c < m->stride; c += 16)
				__builtin_prefetch(sc->leaf[t + PREFETCH_AHEAD] + c);
		const float *leaf = sc->leaf[t];
		for (int c = 0; c < m->stride; c += 4)
			*(v4f *)(sc->shape + c) += *(const v4f *)(leaf + c);
	}
}

static void fit_one(const vision_shape_model *m, const media_image *img, const float box[4],
                    float *points, struct scratch *sc)
{
	memset(sc->shape, 0, (size_t)m->stride * sizeof(float));
	memcpy(sc->shape, m->initial, (size_t)m->coords * sizeof(float));
	for (int s = 0; s < m->stages; s++) {
		sample(m, s, img, box, sc->shape, sc->feat, sc->at);
		run_stage(m, s, sc->feat, sc);
	}
	double x0 = box[0], y0 = box[1], w = (double)box[2] - box[0], h = (double)box[3] - box[1];
	for (int i = 0; i < m->parts; i++) {
		points[2 * i] = (float)(x0 + w * (double)sc->shape[2 * i]);
		points[2 * i + 1] = (float)(y0 + h * (double)sc->shape[2 * i + 1]);
	}
}

static int scratch_new(const vision_shape_model *m, struct scratch *sc)
{
	int max_pix = 1;
	for (int s = 0; s < m->stages; s++)
		if (m->pix_start[s + 1] - m->pix_start[s] > max_pix)
			max_pix = m->pix_start[s + 1] - m->pix_start[s];
	sc->shape = bj_try_malloc((size_t)m->stride * sizeof(float));
	sc->feat = bj_try_malloc((size_t)max_pix * sizeof(float));
	sc->at = bj_try_malloc((size_t)max_pix * sizeof(*sc->at));
	sc->leaf = bj_try_malloc((size_t)m->trees * sizeof(*sc->leaf));
	if (!sc->shape || !sc->feat || !sc->at || !sc->leaf)
		return BJ_ENOMEM;
	return 0;
}

static void scratch_free(struct scratch *sc)
{
	free(sc->shape);
	free(sc->feat);
	free(sc->at);
	free(sc->leaf);
}

int vision_landmarks_fit(const vision_shape_model *m, const media_image *img, const float box[4],
                         float *points)
{
	return vision_landmarks_fit_batch(m, img, 1, box, points, NULL);
}

struct batch {
	const vision_shape_model *m;
	const media_image *img;
	const float *boxes;
	float *points;
	struct scratch *sc;   /* (threads) */
};

static void fit_task(void *ctx, int task, int thread)
{
	struct batch *b = ctx;
	fit_one(b->m, b->img, b->boxes + 4 * (size_t)task,
	        b->points + (size_t)task * b->m->coords, &b->sc[thread]);
}

int vision_landmarks_fit_batch(const vision_shape_model *m, const media_image *img, int n,
                               const float *boxes, float *points, bj_pool *pool)
{
	for (int i = 0; i < n; i++)
		if (check_box(img, boxes + 4 * (size_t)i) < 0)
			return BJ_EINVAL;
	int threads = pool && n > 1 ? bj_pool_threads(pool) : 1;
	struct scratch sc[BJ_POOL_MAX_THREADS] = { { 0 } };
	int err = 0;
	for (int t = 0; t < threads && !err; t++)
		err = scratch_new(m, &sc[t]);
	if (!err) {
		struct batch b = { m, img, boxes, points, sc };
		if (threads > 1)
			bj_pool_run(pool, n, fit_task, &b);
		else
			for (int i = 0; i < n; i++)
				fit_task(&b, i, 0);
	}
	for (int t = 0; t < threads; t++)
		scratch_free(&sc[t]);
	return err;
}
