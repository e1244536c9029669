/* The dlib shape predictor loader: a tiny model written here in dlib's
 * encoding, every truncation and lie about it, and the real 68-point model. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/file.h"
#include "harness.h"
#include "vision/shape_model.h"
#include "vision/shape_model_impl.h"

struct buf {
	uint8_t data[4096];
	size_t n;
};

/* dlib's integer encoding: control byte (byte count | 0x80 if negative), then
 * the magnitude's bytes, little-endian. */
static void put_int(struct buf *b, int64_t v)
{
	uint8_t neg = v < 0 ? 0x80 : 0;
	uint64_t mag = v < 0 ? (uint64_t)-v : (uint64_t)v;
	size_t at = b->n++;
	int n = 0;
	do {
		b->data[b->n++] = (uint8_t)(mag & 0xff);
		mag >>= 8;
		n++;
	} while (mag);
	b->data[at] = (uint8_t)(n | neg);
}

/* dlib's float: mantissa (24 significant bits for a float) and exponent;
 * infinity is exponent 32000. */
static void put_float(struct buf *b, float f)
{
	if (isinf(f)) {
		put_int(b, 0);
		put_int(b, 32000);
		return;
	}
	int e;
	float frac = frexpf(f, &e);
	put_int(b, (int64_t)ldexpf(frac, 24));
	put_int(b, e - 24);
}

/* What to get wrong in the tiny model. */
struct lies {
	int version;        /* written as the version (1 is right) */
	int leaves;         /* added to the leaf count of the last tree */
	int anchor;         /* an anchor index (0..1 are right) */
	int split_pixel;    /* a split's pixel index (0..1 are right) */
	int nan_leaf;       /* write one leaf value as infinity */
	int deep_tree;      /* the last tree has depth 2 */
	int deltas;         /* added to the last stage's delta count */
	int shape_cols;     /* the initial shape's column count (1 is right) */
	int trailing;       /* extra bytes after the end */
	const float *init;  /* the initial shape, if not the usual one */
};

/* 2 parts, 2 stages of 2 trees of depth 1, 2 feature pixels a stage. */
static void tiny_model(struct buf *b, const struct lies *lie)
{
	b->n = 0;
	put_int(b, lie->version);
	put_int(b, -4);
	put_int(b, -lie->shape_cols);
	static const float usual[4] = { 0.25f, 0.5f, 0.75f, 0.5f };
	const float *init = lie->init ? lie->init : usual;
	for (int i = 0; i < 4; i++)
		put_float(b, init[i]);
	put_int(b, 2);                                  /* stages */
	for (int s = 0; s < 2; s++) {
		put_int(b, 2);                          /* trees */
		for (int t = 0; t < 2; t++) {
			int last = s == 1 && t == 1;
			int splits = last && lie->deep_tree ? 3 : 1;
			put_int(b, splits);
			for (int i = 0; i < splits; i++) {
				put_int(b, last ? lie->split_pixel : 0);
				put_int(b, 1);
				put_float(b, 10.0f * (float)(t + 1));
			}
			put_int(b, splits + 1 + (last ? lie->leaves : 0));
			for (int l = 0; l < splits + 1; l++) {
				put_int(b, -4);
				put_int(b, -1);
				for (int c = 0; c < 4; c++)
					put_float(b, last && lie->nan_leaf && c == 3 ? INFINITY
					                                             : 0.01f * (float)(l + c - s));
			}
		}
	}
	put_int(b, 2);                                  /* anchor lists */
	for (int s = 0; s < 2; s++) {
		put_int(b, 2);
		put_int(b, 0);
		put_int(b, s == 1 ? lie->anchor : 1);
	}
	put_int(b, 2);                                  /* delta lists */
	for (int s = 0; s < 2; s++) {
		int n = 2 + (s == 1 ? lie->deltas : 0);
		put_int(b, n);
		for (int i = 0; i < n; i++) {
			put_float(b, -0.125f * (float)(i + 1));
			put_float(b, 0.0625f);
		}
	}
	for (int i = 0; i < lie->trailing; i++)
		b->data[b->n++] = 0;
}

static const struct lies truth = { .version = 1, .anchor = 1, .shape_cols = 1 };

static void test_tiny_model_loads(void)
{
	struct buf b;
	tiny_model(&b, &truth);
	vision_shape_model *m = vision_shape_model_parse(b.data, b.n, "tiny.dat");
	CHECK(m, "%s", bj_error_message());
	if (!m)
		return;
	CHECK(vision_shape_model_parts(m) == 2);
	CHECK(m->stages == 2 && m->trees == 2 && m->splits == 1 && m->leaves == 2 && m->stride == 4);
	CHECK_NEAR(m->initial[2], 0.75, 0);
	CHECK_NEAR(m->split[3].thresh, 20.0, 0);            /* stage 1, tree 1 */
	CHECK_NEAR(m->leaf[(3 * 2 + 1) * 4 + 2], 0.01 * (1 + 2 - 1), 1e-9);
	CHECK(m->pix_start[2] == 4 && m->anchor[1] == 1);
	CHECK_NEAR(m->dx[1], -0.25, 0);
	CHECK_NEAR(m->dy[3], 0.0625, 0);
	vision_shape_model_free(m);
}

/* Every proper prefix of the file is refused, with the file's name. */
/* Floats at the edges of the quick path (shape_model.c's quick_float):
 * subnormal, the largest, negative, a full 24-bit mantissa, read exactly. */
static void test_edge_floats_read_exactly(void)
{
	static const float init[4] = { 1e-40f, -FLT_MAX, -0.1f, 16777215.0f };
	struct lies lie = truth;
	lie.init = init;
	struct buf b;
	tiny_model(&b, &lie);
	vision_shape_model *m = vision_shape_model_parse(b.data, b.n, "edges.dat");
	CHECK(m, "%s", bj_error_message());
	for (int i = 0; m && i < 4; i++)
		CHECK(m->initial[i] == init[i], "value %d: %a, wrote %a", i, m->initial[i], init[i]);
	vision_shape_model_free(m);
}

static void test_every_truncation_fails(void)
{
	struct buf b;
	tiny_model(&b, &truth);
	for (size_t cut = 0; cut < b.n; cut++) {
		vision_shape_model *m = vision_shape_model_parse(b.data, cut, "cut.dat");
		CHECK(!m && bj_error_code() == BJ_EFORMAT, "cut at %zu of %zu", cut, b.n);
		CHECK(strncmp(bj_error_message(), "'cut.dat': ", 11) == 0, "%s", bj_error_message());
		vision_shape_model_free(m);
	}
}

static void expect_refused(const struct lies *lie, int code, const char *want)
{
	struct buf b;
	tiny_model(&b, lie);
	vision_shape_model *m = vision_shape_model_parse(b.data, b.n, "lie.dat");
	CHECK(!m, "accepted a model that should fail with '%s'", want);
	vision_shape_model_free(m);
	CHECK(bj_error_code() == code, "code %d for '%s'", bj_error_code(), want);
	CHECK(strstr(bj_error_message(), want), "got '%s', want '%s'", bj_error_message(), want);
}

static void test_lies_are_refused(void)
{
	struct lies lie;
	lie = truth, lie.version = 2;
	expect_refused(&lie, BJ_EFORMAT, "'lie.dat': not a dlib shape predictor (version 2");
	lie = truth, lie.shape_cols = 2;
	expect_refused(&lie, BJ_EFORMAT, "the initial shape is a 4 x 2 matrix");
	lie = truth, lie.leaves = 1;
	expect_refused(&lie, BJ_EFORMAT, "tree 1 of stage 1 has 3 leaves for 1 splits");
	lie = truth, lie.anchor = 2;
	expect_refused(&lie, BJ_EFORMAT, "an anchor part index is 2, limit 1");
	lie = truth, lie.split_pixel = 2;
	expect_refused(&lie, BJ_EFORMAT, "tree 1 of stage 1 uses pixel 2, the stage has 2");
	lie = truth, lie.nan_leaf = 1;
	expect_refused(&lie, BJ_EFORMAT, "a leaf is not a finite number");
	lie = truth, lie.deep_tree = 1;
	expect_refused(&lie, BJ_EUNSUPPORTED, "tree 1 of stage 1 has 3 splits, the first has 1");
	lie = truth, lie.deltas = 1;
	expect_refused(&lie, BJ_EFORMAT, "stage 1 has 3 deltas for 2 anchors");
	lie = truth, lie.trailing = 3;
	expect_refused(&lie, BJ_EFORMAT, "3 bytes after the end of the model");
}

/* Counts that promise more than the file holds fail before any allocation. */
static void test_huge_counts_are_refused(void)
{
	struct buf b;
	tiny_model(&b, &truth);
	/* The stage count sits after version (2 bytes) and the shape (3 + 3 + 4 floats). */
	size_t at = 0;
	struct buf head = { .n = 0 };
	put_int(&head, 1);
	put_int(&head, -4);
	put_int(&head, -1);
	float init[4] = { 0.25f, 0.5f, 0.75f, 0.5f };
	for (int i = 0; i < 4; i++)
		put_float(&head, init[i]);
	at = head.n;
	CHECK(b.data[at] == 1 && b.data[at + 1] == 2, "stage count not where expected");
	uint8_t huge[16];
	memcpy(huge, "\x08\xff\xff\xff\xff\xff\xff\xff\x0f", 9);
	struct buf lie = { .n = 0 };
	memcpy(lie.data, b.data, at);
	memcpy(lie.data + at, huge, 9);
	memcpy(lie.data + at + 9, b.data + at + 2, b.n - at - 2);
	lie.n = b.n + 7;
	vision_shape_model *m = vision_shape_model_parse(lie.data, lie.n, "huge.dat");
	CHECK(!m && bj_error_code() == BJ_EFORMAT);
	CHECK(strstr(bj_error_message(), "stages cannot fit"), "%s", bj_error_message());
	vision_shape_model_free(m);
}

static void test_missing_file(void)
{
	vision_shape_model *m = vision_shape_model_load("/nonexistent/model.dat");
	CHECK(!m && bj_error_code() == BJ_ENOENT, "%d", bj_error_code());
	CHECK(strstr(bj_error_message(), "/nonexistent/model.dat"), "%s", bj_error_message());
}

/* The real model: its shape, and cuts at every byte of its head and at offsets
 * through the cascade and the pixel lists at its end. */
static void test_real_model(void)
{
	uint8_t *data;
	size_t size;
	if (bj_file_read(VISION_SHAPE_MODEL_68, (size_t)1 << 30, &data, &size) < 0) {
		if (getenv("CI"))   /* libdlib-data is in scripts/setup's list */
			test_fail(__FILE__, __LINE__, "%s", bj_error_message());
		else
			test_skip("%s", bj_error_message());
		return;
	}
	vision_shape_model *m = vision_shape_model_parse(data, size, "68.dat");
	CHECK(m, "%s", bj_error_message());
	if (m) {
		CHECK(m->parts == 68 && m->stages == 15 && m->trees == 500 && m->splits == 15,
		      "%d parts, %d stages, %d trees, %d splits", m->parts, m->stages, m->trees,
		      m->splits);
		CHECK(m->pix_start[m->stages] == 15 * 500, "%d pixels", m->pix_start[m->stages]);
	}
	vision_shape_model_free(m);
	size_t cuts[] = { 0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597,
	                  4181, 10946, 121393, 832040, size - 500000, size - 30000, size - 1 };
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		m = vision_shape_model_parse(data, cuts[i], "68.dat");
		CHECK(!m && bj_error_code() == BJ_EFORMAT, "cut at %zu", cuts[i]);
		CHECK(strncmp(bj_error_message(), "'68.dat': ", 10) == 0, "%s", bj_error_message());
		vision_shape_model_free(m);
	}
	free(data);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_tiny_model_loads),
		TEST_CASE(test_edge_floats_read_exactly),
		TEST_CASE(test_every_truncation_fails),
		TEST_CASE(test_lies_are_refused),
		TEST_CASE(test_huge_counts_are_refused),
		TEST_CASE(test_missing_file),
		TEST_CASE(test_real_model),
		{ 0 },
	};
	return test_main(cases);
}
