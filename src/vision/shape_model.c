#include "vision/shape_model.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"
#include "vision/shape_model_impl.h"

/* Sanity bounds, far above any trained model (68 parts, 15 stages, 500 trees of
 * depth 5, 400 pixels a stage) and below the uint16 fields that hold them. */
#define MAX_PARTS 10000
#define MAX_DEPTH 15
#define MAX_PIXELS 65535
#define MAX_FILE ((size_t)1 << 31)

/* The fewest bytes an encoded value takes: an integer is a control byte and at
 * least one byte; a float is two integers (mantissa, exponent). */
#define MIN_INT 2
#define MIN_FLOAT (2 * MIN_INT)

struct reader {
	const uint8_t *start, *p, *end;
	const char *name;
};

static size_t left(const struct reader *r)
{
	return (size_t)(r->end - r->p);
}

static int bad(const struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(const struct reader *r, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bj_error_set(BJ_EFORMAT, "'%s': %s at byte %zu", r->name, msg,
	                    (size_t)(r->p - r->start));
}

/* dlib's integer encoding: a control byte whose low 4 bits count the
 * little-endian bytes that follow (1..max_bytes) and whose 0x80 bit marks a
 * negative value; bits 0x70 are always 0 (dlib's float reader relies on it).
 * Stores the magnitude and sign. */
static int read_raw_int(struct reader *r, int max_bytes, uint64_t *mag, bool *neg, const char *what)
{
	if (left(r) < 1)
		return bad(r, "file ends in %s", what);
	uint8_t c = *r->p;
	int n = c & 0x0f;
	if ((c & 0x70) || n == 0 || n > max_bytes)
		return bad(r, "bad integer control byte 0x%02x in %s", c, what);
	if (left(r) < (size_t)n + 1)
		return bad(r, "file ends in %s", what);
	uint64_t v = 0;
	for (int i = n; i >= 1; i--)
		v = v << 8 | r->p[i];
	r->p += n + 1;
	*mag = v;
	*neg = (c & 0x80) != 0;
	return 0;
}

/* An unsigned count or index of at most max. */
static int read_uint(struct reader *r, uint64_t max, uint64_t *v, const char *what)
{
	bool neg;
	const uint8_t *at = r->p;
	if (read_raw_int(r, 8, v, &neg, what) < 0)
		return BJ_EFORMAT;
	if (neg || *v > max) {
		r->p = at;
		return bad(r, "%s is %s%llu, limit %llu", what, neg ? "-" : "",
		           (unsigned long long)*v, (unsigned long long)max);
	}
	return 0;
}

/* A signed integer of max_bytes bytes (dlib's int, long, int16). */
static int read_int(struct reader *r, int max_bytes, int64_t *v, const char *what)
{
	uint64_t mag;
	bool neg;
	if (read_raw_int(r, max_bytes, &mag, &neg, what) < 0)
		return BJ_EFORMAT;
	if (mag > (uint64_t)INT64_MAX)
		return bad(r, "%s out of range", what);
	*v = neg ? -(int64_t)mag : (int64_t)mag;
	return 0;
}

/* dlib's float: mantissa * 2^exponent (int64, int16); exponents from 32000 up
 * mark infinities and NaN, which no usable model holds. */
static int read_float(struct reader *r, float *v, const char *what)
{
	int64_t mant, exp;
	const uint8_t *at = r->p;
	if (read_int(r, 8, &mant, what) < 0 || read_int(r, 2, &exp, what) < 0)
		return BJ_EFORMAT;
	float f = exp < 32000 ? ldexpf((float)mant, (int)exp) : NAN;
	if (!isfinite(f)) {
		r->p = at;
		return bad(r, "%s is not a finite number", what);
	}
	*v = f;
	return 0;
}

/* A dlib column matrix of floats (rows, cols as longs, negated by newer dlib)
 * that must hold exactly n values; n = 0 accepts any even count up to the limit
 * and reports it in *count. */
static int read_column_header(struct reader *r, int64_t *count, const char *what)
{
	int64_t nr, nc;
	if (read_int(r, 8, &nr, what) < 0 || read_int(r, 8, &nc, what) < 0)
		return BJ_EFORMAT;
	nr = nr < 0 ? -nr : nr;
	nc = nc < 0 ? -nc : nc;
	if (nc != 1)
		return bad(r, "%s is a %lld x %lld matrix, expected one column", what,
		           (long long)nr, (long long)nc);
	*count = nr;
	return 0;
}

/* read_float for the common case, a float of a normal value with 12 bytes
 * or more left: its two integers taken with one unaligned load each, and
 * mantissa * 2^exponent made by adding to the float's exponent bits (what
 * ldexpf does, exactly, when the result is normal).  0 when it does not apply
 * (then read_float has the last word, and the errors), 1 with *v set. */
static int quick_float(struct reader *r, float *v)
{
	const uint8_t *p = r->p;
	if (left(r) < 12)
		return 0;
	uint8_t c = p[0], c2;
	int n = c & 0x0f, n2;
	if ((c & 0x70) || n == 0 || n > 8)
		return 0;
	uint64_t mag;
	memcpy(&mag, p + 1, sizeof(mag));   /* little-endian, as the encoding */
	if (n < 8)
		mag &= ((uint64_t)1 << (8 * n)) - 1;
	const uint8_t *q = p + 1 + n;
	c2 = q[0];
	n2 = c2 & 0x0f;
	if ((c2 & 0x70) || n2 == 0 || n2 > 2 || mag > (uint64_t)INT64_MAX)
		return 0;
	int e = q[1] | (n2 == 2 ? q[2] << 8 : 0);
	e = c2 & 0x80 ? -e : e;
	if (e >= 32000)   /* infinity or NaN: read_float refuses it */
		return 0;
	float f = (float)(c & 0x80 ? -(int64_t)mag : (int64_t)mag);
	if (f != 0) {
		uint32_t bits;
		memcpy(&bits, &f, sizeof(bits));
		int biased = (int)(bits >> 23 & 0xff) + e;
		if (biased < 1 || biased > 254)
			return 0;
		bits = (bits & ~(0xffu << 23)) | (uint32_t)biased << 23;
		memcpy(&f, &bits, sizeof(f));
	}
	*v = f;
	r->p = q + 1 + n2;
	return 1;
}

/* n floats; they are most of a model's bytes (16 million in dlib's 68-point
 * one), so the common case goes by quick_float. */
static int read_floats(struct reader *r, float *out, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (!quick_float(r, &out[i]) && read_float(r, &out[i], what) < 0)
			return BJ_EFORMAT;
	return 0;
}

/* Checks that n items of at least min_bytes each fit in what is left, before
 * anything is allocated for them. */
static int fits(const struct reader *r, uint64_t n, size_t min_bytes, const char *what)
{
	size_t need;
	if (n > SIZE_MAX || !bj_size_mul(&need, (size_t)n, min_bytes) || need > left(r))
		return bad(r, "%llu %s cannot fit in the %zu bytes left", (unsigned long long)n, what,
		           left(r));
	return 0;
}

static int read_initial(struct reader *r, vision_shape_model *m)
{
	int64_t version, n;
	if (read_int(r, 4, &version, "the version") < 0)
		return BJ_EFORMAT;
	if (version != 1)
		return bad(r, "not a dlib shape predictor (version %lld, expected 1)", (long long)version);
	if (read_column_header(r, &n, "the initial shape") < 0)
		return BJ_EFORMAT;
	if (n < 2 || n % 2 || n > 2 * MAX_PARTS)
		return bad(r, "the initial shape has %lld values, expected an even count in 2..%d",
		           (long long)n, 2 * MAX_PARTS);
	if (fits(r, (uint64_t)n, MIN_FLOAT, "initial shape values") < 0)
		return BJ_EFORMAT;
	m->coords = (int)n;
	m->parts = m->coords / 2;
	m->stride = (m->coords + 3) & ~3;
	m->initial = bj_try_calloc((size_t)n, sizeof(float));
	if (!m->initial)
		return BJ_ENOMEM;
	return read_floats(r, m->initial, (size_t)n, "the initial shape");
}

/* The first tree fixes the depth of all; then the whole cascade is sized, and
 * checked against the bytes left, before the big arrays are allocated. */
static int size_cascade(struct reader *r, vision_shape_model *m, uint64_t n_splits)
{
	if (n_splits > ((1u << MAX_DEPTH) - 1) || ((n_splits + 1) & n_splits))
		return bad(r, "a tree has %llu splits, expected 2^depth - 1 (depth <= %d)",
		           (unsigned long long)n_splits, MAX_DEPTH);
	m->splits = (int)n_splits;
	m->leaves = m->splits + 1;
	size_t n_trees, n_nodes, n_leaves, n_floats, min_tree;
	/* splits (3 values each), the leaf count, and leaves (2 ints + coords floats) */
	min_tree = (size_t)m->splits * (2 * MIN_INT + MIN_FLOAT) + MIN_INT +
	           (size_t)m->leaves * (2 * MIN_INT + (size_t)m->coords * MIN_FLOAT);
	if (!bj_size_mul(&n_trees, (size_t)m->stages, (size_t)m->trees) ||
	    fits(r, n_trees, min_tree, "trees") < 0)
		return BJ_EFORMAT;
	n_nodes = n_trees * (size_t)m->splits;
	n_leaves = n_trees * (size_t)m->leaves;
	if (!bj_size_mul(&n_floats, n_leaves, (size_t)m->stride))
		return bad(r, "the cascade is too large");
	m->split = bj_try_calloc(n_nodes ? n_nodes : 1, sizeof(*m->split));
	m->leaf = bj_try_calloc(n_floats, sizeof(float));
	if (!m->split || !m->leaf)
		return BJ_ENOMEM;
	return 0;
}

static int read_tree(struct reader *r, vision_shape_model *m, int s, int t)
{
	uint64_t n, v;
	if (read_uint(r, UINT64_MAX, &n, "a split count") < 0)
		return BJ_EFORMAT;
	if (!m->leaf) {
		if (size_cascade(r, m, n) < 0)
			return bj_error_code();
	} else if (n != (uint64_t)m->splits) {
		return bj_error_set(BJ_EUNSUPPORTED,
		                    "'%s': tree %d of stage %d has %llu splits, the first has %d "
		                    "(mixed tree depths)", r->name, t, s, (unsigned long long)n, m->splits);
	}
	size_t tree = (size_t)s * (size_t)m->trees + (size_t)t;
	struct vision_split *sp = m->split + tree * (size_t)m->splits;
	for (int i = 0; i < m->splits; i++) {
		if (read_uint(r, MAX_PIXELS - 1, &v, "a split's first pixel") < 0)
			return BJ_EFORMAT;
		sp[i].i1 = (uint16_t)v;
		if (read_uint(r, MAX_PIXELS - 1, &v, "a split's second pixel") < 0)
			return BJ_EFORMAT;
		sp[i].i2 = (uint16_t)v;
		if (read_float(r, &sp[i].thresh, "a split threshold") < 0)
			return BJ_EFORMAT;
	}
	if (read_uint(r, UINT64_MAX, &n, "a leaf count") < 0)
		return BJ_EFORMAT;
	if (n != (uint64_t)m->leaves)
		return bad(r, "tree %d of stage %d has %llu leaves for %d splits", t, s,
		           (unsigned long long)n, m->splits);
	float *leaf = m->leaf + tree * (size_t)m->leaves * (size_t)m->stride;
	for (int i = 0; i < m->leaves; i++, leaf += m->stride) {
		int64_t count;
		if (read_column_header(r, &count, "a leaf") < 0)
			return BJ_EFORMAT;
		if (count != m->coords)
			return bad(r, "a leaf has %lld values, the initial shape %d", (long long)count,
			           m->coords);
		if (read_floats(r, leaf, (size_t)m->coords, "a leaf") < 0)
			return BJ_EFORMAT;
	}
	return 0;
}

static int read_cascade(struct reader *r, vision_shape_model *m)
{
	uint64_t n;
	if (read_uint(r, UINT64_MAX, &n, "the stage count") < 0)
		return BJ_EFORMAT;
	if (n == 0 || fits(r, n, MIN_INT, "stages") < 0)
		return n == 0 ? bad(r, "the cascade has no stages") : BJ_EFORMAT;
	m->stages = (int)n;
	for (int s = 0; s < m->stages; s++) {
		if (read_uint(r, UINT64_MAX, &n, "a tree count") < 0)
			return BJ_EFORMAT;
		if (s == 0) {
			if (n == 0 || fits(r, n, MIN_INT, "trees") < 0)
				return n == 0 ? bad(r, "stage 0 has no trees") : BJ_EFORMAT;
			m->trees = (int)n;
		} else if (n != (uint64_t)m->trees) {
			return bad(r, "stage %d has %llu trees, stage 0 has %d", s, (unsigned long long)n,
			           m->trees);
		}
		for (int t = 0; t < m->trees; t++) {
			int err = read_tree(r, m, s, t);
			if (err < 0)
				return err;
		}
	}
	return 0;
}

/* The feature pixels: per stage, anchor part indices, then per stage the
 * deltas; both lists must have one entry per stage and agree in length. */
static int read_pixels(struct reader *r, vision_shape_model *m)
{
	uint64_t n;
	if (read_uint(r, UINT64_MAX, &n, "the anchor list count") < 0)
		return BJ_EFORMAT;
	if (n != (uint64_t)m->stages)
		return bad(r, "%llu anchor lists for %d stages", (unsigned long long)n, m->stages);
	m->pix_start = bj_try_calloc((size_t)m->stages + 1, sizeof(int));
	if (!m->pix_start)
		return BJ_ENOMEM;
	const uint8_t *anchors_at = r->p;
	size_t total = 0;
	/* First pass: counts and bounds, so one allocation holds every stage. */
	for (int s = 0; s < m->stages; s++) {
		if (read_uint(r, MAX_PIXELS, &n, "a stage's pixel count") < 0 ||
		    fits(r, n, MIN_INT, "anchors") < 0)
			return BJ_EFORMAT;
		for (uint64_t i = 0; i < n; i++) {
			uint64_t a;
			if (read_uint(r, (uint64_t)m->parts - 1, &a, "an anchor part index") < 0)
				return BJ_EFORMAT;
		}
		total += (size_t)n;
		m->pix_start[s + 1] = (int)total;
	}
	size_t count = total ? total : 1;
	m->anchor = bj_try_calloc(count, sizeof(uint16_t));
	m->dx = bj_try_calloc(count, sizeof(float));
	m->dy = bj_try_calloc(count, sizeof(float));
	if (!m->anchor || !m->dx || !m->dy)
		return BJ_ENOMEM;
	r->p = anchors_at;
	for (int s = 0; s < m->stages; s++) {
		(void)read_uint(r, MAX_PIXELS, &n, "a stage's pixel count");
		for (int i = m->pix_start[s]; i < m->pix_start[s + 1]; i++) {
			uint64_t a;
			(void)read_uint(r, (uint64_t)m->parts - 1, &a, "an anchor part index");
			m->anchor[i] = (uint16_t)a;
		}
	}
	if (read_uint(r, UINT64_MAX, &n, "the delta list count") < 0)
		return BJ_EFORMAT;
	if (n != (uint64_t)m->stages)
		return bad(r, "%llu delta lists for %d stages", (unsigned long long)n, m->stages);
	for (int s = 0; s < m->stages; s++) {
		if (read_uint(r, UINT64_MAX, &n, "a stage's delta count") < 0)
			return BJ_EFORMAT;
		if (n != (uint64_t)(m->pix_start[s + 1] - m->pix_start[s]))
			return bad(r, "stage %d has %llu deltas for %d anchors", s, (unsigned long long)n,
			           m->pix_start[s + 1] - m->pix_start[s]);
		for (int i = m->pix_start[s]; i < m->pix_start[s + 1]; i++)
			if (read_float(r, &m->dx[i], "a pixel delta") < 0 ||
			    read_float(r, &m->dy[i], "a pixel delta") < 0)
				return BJ_EFORMAT;
	}
	return 0;
}

/* Split indices refer to the stage's pixels, which the file lists after the trees. */
static int check_splits(const struct reader *r, const vision_shape_model *m)
{
	for (int s = 0; s < m->stages; s++) {
		int n_pix = m->pix_start[s + 1] - m->pix_start[s];
		const struct vision_split *sp = m->split + (size_t)s * m->trees * m->splits;
		for (size_t i = 0; i < (size_t)m->trees * m->splits; i++)
			if (sp[i].i1 >= n_pix || sp[i].i2 >= n_pix)
				return bj_error_set(BJ_EFORMAT,
				                    "'%s': tree %zu of stage %d uses pixel %d, the stage has %d",
				                    r->name, i / m->splits, s,
				                    sp[i].i1 >= n_pix ? sp[i].i1 : sp[i].i2, n_pix);
	}
	return 0;
}

vision_shape_model *vision_shape_model_parse(const uint8_t *data, size_t size, const char *name)
{
	struct reader r = { data, data, data + size, name };
	vision_shape_model *m = bj_try_calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	int err;
	if ((err = read_initial(&r, m)) < 0 || (err = read_cascade(&r, m)) < 0 ||
	    (err = read_pixels(&r, m)) < 0 || (err = check_splits(&r, m)) < 0)
		goto fail;
	if (left(&r)) {
		err = bad(&r, "%zu bytes after the end of the model", left(&r));
		goto fail;
	}
	return m;
fail:
	vision_shape_model_free(m);
	return NULL;
}

vision_shape_model *vision_shape_model_load(const char *path)
{
	uint8_t *data;
	size_t size;
	if (bj_file_read(path, MAX_FILE, &data, &size) < 0)
		return NULL;
	vision_shape_model *m = vision_shape_model_parse(data, size, path);
	free(data);
	return m;
}

void vision_shape_model_free(vision_shape_model *m)
{
	if (!m)
		return;
	free(m->initial);
	free(m->split);
	free(m->leaf);
	free(m->pix_start);
	free(m->anchor);
	free(m->dx);
	free(m->dy);
	free(m);
}

int vision_shape_model_parts(const vision_shape_model *m)
{
	return m->parts;
}
