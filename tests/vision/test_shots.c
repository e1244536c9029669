/*
 * test_shots.c - shot boundaries against the ground truth of
 * ../shared/data/eval/shots/: the constructed edit (exact by construction) and
 * the real cuts of the saved footage, with precision, recall and F1 per kind of
 * transition (+-2 frames); no false cut in a flickering clip; a golden shot list;
 * flashes, fades and synthetic cuts on generated frames.
 *
 * SHOTS_VERBOSE=1 prints every detection and each frame's distance to the one
 * before (for tuning).
 */
#include "vision/shots.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "media/decoder.h"
#include "harness.h"
#include "shots_truth.h"

static int verbose(void)
{
	const char *v = getenv("SHOTS_VERBOSE");
	return v && *v == '1';
}

/* Runs the detector over a file's frames at 160 pixels wide. */
static int detect_file(const char *path, vision_transition **out, size_t *n, int64_t *frames)
{
	media_decoder *d;
	int ret = media_decoder_open(path, &d);
	if (ret < 0)
		return ret;
	const media_info *info = media_decoder_info(d);
	const media_stream_info *v = &info->streams[info->video];
	double fps = v->fps_den ? (double)v->fps_num / v->fps_den : 25;
	media_decoder_set_output(d, 160, 0, 3);
	vision_shots *s = vision_shots_new(fps);
	const media_frame *f;
	while ((ret = media_decoder_read(d, &f)) > 0) {
		if ((ret = vision_shots_push(s, &f->image)) < 0)
			break;
		if (verbose()) {
			int64_t i = vision_shots_frames(s) - 1;
			printf("    %s frame %" PRId64 " d=%.3f\n", path, i, vision_shots_distance(s, i));
		}
	}
	vision_shots_finish(s);
	size_t k;
	const vision_transition *t = vision_shots_transitions(s, &k);
	*out = bj_xmalloc((k + 1) * sizeof(**out));
	if (k)
		memcpy(*out, t, k * sizeof(*t));
	*n = k;
	*frames = vision_shots_frames(s);
	vision_shots_free(s);
	media_decoder_close(d);
	return ret;
}

static void print_list(const char *name, const vision_transition *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("    %s: %s %" PRId64 "..%" PRId64 " score %.3f\n", name,
		       t[i].type == VISION_CUT ? "cut" : "gradual", t[i].start, t[i].end, t[i].score);
}

/* The golden shot list: one line per shot, first and last frame. */
static char *shot_list(const vision_transition *t, size_t n, int64_t frames)
{
	size_t cap = 64 + n * 64, len = 0;
	char *buf = bj_xmalloc(cap);
	int64_t start = 0;
	len += (size_t)snprintf(buf + len, cap - len, "# shot first last (frames)  then the transition after it\n");
	for (size_t i = 0; i <= n; i++) {
		int64_t last = i < n ? t[i].start - 1 : frames - 1;
		len += (size_t)snprintf(buf + len, cap - len, "%zu %" PRId64 " %" PRId64, i + 1, start, last);
		if (i < n)
			len += (size_t)snprintf(buf + len, cap - len, "  %s %" PRId64 "..%" PRId64 "\n",
			                        t[i].type == VISION_CUT ? "cut" : "gradual", t[i].start, t[i].end);
		else
			len += (size_t)snprintf(buf + len, cap - len, "\n");
		start = i < n ? t[i].end : 0;
	}
	return buf;
}

static void test_constructed_edit(void)
{
	const char *csv = test_data(EDIT_CSV);
	if (!csv)
		return;
	size_t m;
	vision_transition *truth = truth_edit(csv, &m);
	CHECK(m == 15, "read %zu transitions from the CSV", m);
	const char *path = test_data(EDIT);
	if (!path) {
		free(truth);
		return;
	}
	vision_transition *det;
	size_t n;
	int64_t frames;
	int ret = detect_file(path, &det, &n, &frames);
	CHECK(ret == 0, "%s", bj_error_message());
	CHECK(frames == 1973, "%" PRId64 " frames", frames);
	vision_shots_score c, g;
	vision_shots_evaluate(det, n, truth, m, TOL, &c, &g);
	report("constructed edit", &c, &g);
	if (verbose() || c.f1 < 1 || g.f1 < 1)
		print_list("edit", det, n);
	CHECK(c.f1 >= 0.95, "cut F1 %.3f", c.f1);
	CHECK(g.f1 >= 0.80, "gradual F1 %.3f", g.f1);
	char *list = shot_list(det, n, frames);
	test_check_golden("vision/constructed_edit.shots", list);
	free(list);
	free(det);
	free(truth);
}

static void test_natural_footage(void)
{
	const char *csv0 = test_data(NATURAL_CSV);
	if (!csv0)
		return;
	char *csv = bj_xstrdup(csv0);
	vision_shots_score call = { 0 }, gall = { 0 };
	for (size_t f = 0; f < BJ_ARRAY_SIZE(natural_files); f++) {
		size_t m, n;
		int rows;
		vision_transition *truth = truth_natural(csv, natural_files[f], &m, &rows);
		CHECK(rows > 0, "no rows for '%s'", natural_files[f]);
		const char *path = test_data(natural_files[f]);
		if (!path) {
			free(truth);
			break;
		}
		vision_transition *det;
		int64_t frames;
		CHECK(detect_file(path, &det, &n, &frames) == 0, "%s", bj_error_message());
		vision_shots_score c, g;
		vision_shots_evaluate(det, n, truth, m, TOL, &c, &g);
		report(natural_files[f], &c, &g);
		if (verbose() || c.f1 < 1 || g.f1 < 1)
			print_list(natural_files[f], det, n);
		accumulate(&call, &c);
		accumulate(&gall, &g);
		free(det);
		free(truth);
	}
	finish_score(&call);
	finish_score(&gall);
	report("natural footage", &call, &gall);
	CHECK(call.f1 >= 0.95, "cut F1 %.3f", call.f1);
	CHECK(gall.f1 >= 0.80, "gradual F1 %.3f", gall.f1);
	free(csv);
}

static void test_flicker_no_false_cut(void)
{
	const char *path = test_data(FLICKER);
	if (!path)
		return;
	vision_transition *det;
	size_t n;
	int64_t frames;
	CHECK(detect_file(path, &det, &n, &frames) == 0, "%s", bj_error_message());
	CHECK(frames == 96, "%" PRId64 " frames", frames);
	printf("    flicker clip: %zu transitions detected\n", n);
	print_list("flicker", det, n);
	CHECK(n == 0, "%zu false transitions in a single flickering shot", n);
	free(det);
}

/* Slow (about 3 min of footage), so it runs only with SHOTS_HELDOUT=1. */
static void test_heldout_cuts(void)
{
	vision_shots_score call = { 0 }, gall = { 0 };
	for (size_t f = 0; f < BJ_ARRAY_SIZE(heldout); f++) {
		const char *path = test_data(heldout[f].file);
		if (!path)
			return;
		vision_transition truth[12], *det;
		size_t n, m = heldout_truth(f, truth);
		int64_t frames;
		CHECK(detect_file(path, &det, &n, &frames) == 0, "%s", bj_error_message());
		vision_shots_score c, g;
		vision_shots_evaluate(det, n, truth, m, TOL, &c, &g);
		report(heldout[f].file, &c, &g);
		print_list(heldout[f].file, det, n);
		accumulate(&call, &c);
		accumulate(&gall, &g);
		free(det);
	}
	finish_score(&call);
	report("held-out cuts", &call, &gall);
	CHECK(call.f1 >= 0.9, "cut F1 %.3f", call.f1);
}

/* ---- generated frames ---------------------------------------------------- */

/* A textured picture (seeded), shifted by dx pixels, with brightness gain. */
static void paint(media_image *img, unsigned seed, int dx, float gain)
{
	for (int y = 0; y < img->height; y++)
		for (int x = 0; x < img->width; x++) {
			int u = x + dx;
			unsigned h = (unsigned)(u / 8) * 73856093u ^ (unsigned)(y / 8) * 19349663u ^ seed * 83492791u;
			h ^= h >> 13;
			h *= 0x5bd1e995u;
			h ^= h >> 15;
			for (int c = 0; c < 3; c++) {
				float v = (float)((h >> (8 * c)) & 0xff) * gain;
				img->data[(size_t)y * img->stride + 3 * x + c] = (uint8_t)(v > 255 ? 255 : v);
			}
		}
}

static void blend(media_image *out, const media_image *a, const media_image *b, float t)
{
	for (size_t i = 0; i < (size_t)out->height * out->stride; i++)
		out->data[i] = (uint8_t)lrintf((1 - t) * a->data[i] + t * b->data[i]);
}

/* 60 frames of A (panning, flickering, one white flash at 20), a cut to B at 60,
 * B until 100, a 15-frame dissolve to C (100..114), C until 160. */
static void test_generated(void)
{
	media_image *a = media_image_new(160, 90, 3), *b = media_image_new(160, 90, 3);
	media_image *c = media_image_new(160, 90, 3), *f = media_image_new(160, 90, 3);
	vision_shots *s = vision_shots_new(25);
	for (int i = 0; i < 160; i++) {
		if (i < 60) {
			paint(f, 1, i, 0.8f + 0.2f * (float)(i % 3));   /* pan + flicker */
			if (i == 20)
				memset(f->data, 250, (size_t)f->height * f->stride);
		} else if (i < 100) {
			paint(f, 2, 0, 1);
		} else {
			paint(b, 2, 0, 1);
			paint(c, 3, 0, 1);
			blend(f, b, c, i >= 115 ? 1.0f : (float)(i - 99) / 16.0f);
		}
		CHECK(vision_shots_push(s, f) == 0);
	}
	vision_shots_finish(s);
	size_t n;
	const vision_transition *t = vision_shots_transitions(s, &n);
	print_list("generated", t, n);
	CHECK(n == 2, "%zu transitions", n);
	if (n == 2) {
		CHECK(t[0].type == VISION_CUT && t[0].start == 60, "first: %d at %" PRId64, t[0].type, t[0].start);
		CHECK(t[1].type == VISION_GRADUAL && t[1].start >= 98 && t[1].start <= 104 &&
		      t[1].end >= 111 && t[1].end <= 117, "second: %d %" PRId64 "..%" PRId64,
		      t[1].type, t[1].start, t[1].end);
	}
	/* A frame of another size is refused. */
	vision_shots_free(s);
	s = vision_shots_new(25);
	media_image *small = media_image_new(80, 45, 3), *tiny = media_image_new(8, 8, 1);
	CHECK(vision_shots_push(s, tiny) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "frame of 8x8 is too small for shot detection (16x16 at least)");
	CHECK(vision_shots_push(s, f) == 0);
	CHECK(vision_shots_push(s, small) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "frame 1 is 80x45, the first was 160x90");
	media_image_free(small);
	media_image_free(tiny);
	vision_shots_free(s);
	media_image_free(a);
	media_image_free(b);
	media_image_free(c);
	media_image_free(f);
}

static void test_evaluate(void)
{
	const vision_transition truth[] = {
		{ VISION_CUT, 10, 10, 1 }, { VISION_CUT, 50, 50, 1 }, { VISION_GRADUAL, 80, 90, 1 },
	};
	const vision_transition det[] = {
		{ VISION_CUT, 12, 12, 1 },      /* within 2 frames */
		{ VISION_CUT, 53, 53, 1 },      /* 3 frames off: a miss and a false cut */
		{ VISION_GRADUAL, 90, 95, 1 },  /* touches [80, 89] widened by 2 */
		{ VISION_GRADUAL, 200, 210, 1 },
	};
	vision_shots_score c, g;
	vision_shots_evaluate(det, 4, truth, 3, 2, &c, &g);
	CHECK(c.truth == 2 && c.detected == 2 && c.matched == 1);
	CHECK_NEAR(c.f1, 0.5, 1e-9);
	CHECK(g.truth == 1 && g.detected == 2 && g.matched == 1);
	CHECK_NEAR(g.precision, 0.5, 1e-9);
	CHECK_NEAR(g.recall, 1.0, 1e-9);
	vision_shots_evaluate(NULL, 0, NULL, 0, 2, &c, &g);
	CHECK(c.f1 == 1 && g.f1 == 1);
}

int main(void)
{
	static struct test_case cases[] = {
		TEST_CASE(test_generated),
		TEST_CASE(test_evaluate),
		TEST_CASE(test_constructed_edit),
		TEST_CASE(test_natural_footage),
		TEST_CASE(test_flicker_no_false_cut),
		{ 0 },
		{ 0 },
	};
	const char *on = getenv("SHOTS_HELDOUT");
	if (on && *on == '1')
		cases[BJ_ARRAY_SIZE(cases) - 2] = (struct test_case)TEST_CASE(test_heldout_cuts);
	return test_main(cases);
}
