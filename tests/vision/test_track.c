/* vision/track: linking, gap filling, dropping one-frame detections, cuts,
 * landmark continuity, and tracks on real talking heads with the jitter the
 * one-euro filter takes out. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"
#include "media/decoder.h"
#include "vision/detect.h"
#include "vision/landmarks.h"
#include "vision/track.h"

#define P 68
#define ALT2 "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"

/* A synthetic face: box at (x, y) of side w and 68 points spread over it. */
static void face(float x, float y, float w, float *box, float *pts)
{
	box[0] = x, box[1] = y, box[2] = w, box[3] = w;
	for (int k = 0; k < P; k++) {
		pts[2 * k] = x + w * (0.1f + 0.8f * (float)(k % 9) / 8);
		pts[2 * k + 1] = y + w * (0.1f + 0.8f * (float)(k / 9) / 8);
	}
}

/* Two faces walk right for 10 frames; A is missed at frame 4, a false
 * detection shows at frame 6 only, another inside B's box from frame 2 on. */
static void test_link_fill_drop(void)
{
	vision_tracker *t = vision_tracker_new(P, NULL);
	for (int f = 0; f < 10; f++) {
		float boxes[4 * 4], pts[4 * 2 * P];
		int n = 0;
		if (f != 4)
			face(10.0f + 3 * f, 20, 40, boxes + 4 * n, pts + 2 * P * n), n++;
		face(200.0f + 2 * f, 30, 50, boxes + 4 * n, pts + 2 * P * n), n++;
		if (f == 6)
			face(400, 300, 30, boxes + 4 * n, pts + 2 * P * n), n++;
		if (f >= 2)   /* part of B's face, inside its box: ignored */
			face(215.0f + 2 * f, 40, 20, boxes + 4 * n, pts + 2 * P * n), n++;
		CHECK(vision_tracker_add(t, 0.5 * f, n, boxes, pts) == 0);
	}
	const vision_track *tr;
	size_t n;
	CHECK(vision_tracker_finish(t, &tr, &n) == 0);
	CHECK(n == 2, "%zu tracks", n);
	if (n == 2) {
		CHECK(tr[0].n == 10 && tr[0].n_detected == 9 && !tr[0].detected[4] && tr[0].detected[5]);
		CHECK(tr[0].boxes[4 * 0] < tr[1].boxes[4 * 0]);
		CHECK_NEAR(tr[0].boxes[4 * 4], 22.0, 1e-4);
		CHECK_NEAR(tr[0].raw[2 * P * 4], 22.0 + 4.0, 1e-4);
		CHECK_NEAR(tr[0].time[4], 2.0, 1e-9);
		CHECK(tr[1].n == 10 && tr[1].n_detected == 10 && tr[1].first_frame == 0);
	}
	CHECK(vision_tracker_add(t, 99, 0, NULL, NULL) == BJ_EINVAL);
	vision_tracker_free(t);
}

/* A gap longer than max_gap, and a cut, each end the track. */
static void test_gap_and_cut(void)
{
	vision_tracker *t = vision_tracker_new(P, NULL);
	float box[4], pts[2 * P];
	face(50, 50, 60, box, pts);
	for (int f = 0; f < 12; f++) {
		int seen = !(f >= 3 && f <= 5);   /* 3 missed frames: too many */
		if (f == 9)
			vision_tracker_cut(t);
		CHECK(vision_tracker_add(t, f, seen, box, pts) == 0);
	}
	const vision_track *tr;
	size_t n;
	CHECK(vision_tracker_finish(t, &tr, &n) == 0);
	CHECK(n == 3, "%zu tracks", n);
	if (n == 3)
		CHECK(tr[0].n == 3 && tr[1].first_frame == 6 && tr[1].n == 3 && tr[2].first_frame == 9 && tr[2].n == 3);
	vision_tracker_free(t);
}

/* A face that overlaps the track's box but whose landmarks are elsewhere (a
 * neighbour leaning in) starts a track of its own. */
static void test_landmark_continuity(void)
{
	vision_tracker *t = vision_tracker_new(P, NULL);
	float box[4], pts[2 * P];
	for (int f = 0; f < 4; f++) {
		face(100, 100, 80, box, pts);
		if (f >= 2)
			for (int k = 0; k < 2 * P; k += 2)
				pts[k] += 60;   /* same box, points 0.75 box widths away */
		CHECK(vision_tracker_add(t, f, 1, box, pts) == 0);
	}
	const vision_track *tr;
	size_t n;
	CHECK(vision_tracker_finish(t, &tr, &n) == 0);
	CHECK(n == 2, "%zu tracks", n);
	vision_tracker_free(t);
}

static void test_bad_input(void)
{
	vision_track_params p = vision_track_defaults;
	p.max_gap = -1;
	CHECK(!vision_tracker_new(P, &p) && bj_error_code() == BJ_EINVAL);
	CHECK(!vision_tracker_new(-1, NULL));
	vision_tracker *t = vision_tracker_new(0, NULL);
	float box[4] = { 0, 0, 0, 10 };
	CHECK(vision_tracker_add(t, 0, 1, box, NULL) == BJ_EINVAL);
	CHECK(vision_tracker_add(t, 1, 0, NULL, NULL) == 0);
	CHECK(vision_tracker_add(t, 1, 0, NULL, NULL) == BJ_EINVAL);
	vision_tracker_free(t);
	vision_tracker_free(NULL);
}

/* Mean second difference of the points (x[t+1] - 2 x[t] + x[t-1]) over the
 * track, in eye spans: jitter, which smooth motion barely contributes to. */
static double jitter(const vision_track *tr, const float *pts)
{
	double sum = 0.0;
	long n = 0;
	for (int i = 1; i + 1 < tr->n; i++) {
		const float *a = pts + 2 * P * (i - 1), *b = pts + 2 * P * i, *c = pts + 2 * P * (i + 1);
		double span = hypot((double)b[72] - b[90], (double)b[73] - b[91]);
		for (int k = 0; k < P; k++, n++)
			sum += hypot((double)a[2 * k] - 2 * b[2 * k] + c[2 * k],
			             (double)a[2 * k + 1] - 2 * b[2 * k + 1] + c[2 * k + 1]) / span;
	}
	return n ? sum / (double)n : 0.0;
}

/* Detects, fits and tracks a clip's frames every `every` seconds up to `until`. */
static vision_tracker *track_clip(const char *name, double every, double until)
{
	const char *path = test_data(name);
	if (!path)
		return NULL;
	vision_cascade *c = vision_cascade_load(ALT2);
	vision_shape_model *m = vision_shape_model_load(VISION_SHAPE_MODEL_68);
	media_decoder *d = NULL;
	CHECK(c && m && media_decoder_open(path, &d) == 0 && media_decoder_set_output(d, 0, 0, 3) == 0);
	vision_tracker *t = vision_tracker_new(P, NULL);
	vision_detector *det = c ? vision_detector_new(c, NULL) : NULL;
	vision_detect_params dp = VISION_DETECT_DEFAULTS;
	dp.min_width = dp.min_height = 60;
	const media_frame *f;
	double next = 0.0;
	while (det && m && d && media_decoder_read(d, &f) > 0 && f->time < until) {
		if (f->time + 1e-6 < next)
			continue;
		next = f->time + every - 1e-3;
		const vision_box *b;
		size_t n;
		CHECK(vision_detect(det, &f->image, &dp, &b, &n) == 0);
		float boxes[16 * 4], pts[16 * 2 * P], fit[4];
		n = n > 16 ? 16 : n;
		for (size_t i = 0; i < n; i++) {
			float *bx = boxes + 4 * i;
			bx[0] = (float)b[i].x, bx[1] = (float)b[i].y, bx[2] = (float)b[i].width, bx[3] = (float)b[i].height;
			fit[0] = bx[0], fit[1] = bx[1], fit[2] = bx[0] + bx[2] - 1, fit[3] = bx[1] + bx[3] - 1;
			CHECK(vision_landmarks_fit(m, &f->image, fit, pts + 2 * P * i) == 0);
		}
		CHECK(vision_tracker_add(t, f->time, (int)n, boxes, pts) == 0);
	}
	media_decoder_close(d);
	vision_detector_free(det);
	vision_shape_model_free(m);
	vision_cascade_free(c);
	return t;
}

/* Tracks a clip with one person in it: the one track, or NULL (a failed
 * check, or no data); *t is to be freed. */
static const vision_track *one_track(const char *name, double every, double until, vision_tracker **t)
{
	*t = track_clip(name, every, until);
	const vision_track *tr;
	size_t n = 0;
	if (*t)
		CHECK(vision_tracker_finish(*t, &tr, &n) == 0);
	if (*t)
		CHECK(n == 1, "%s: %zu tracks", name, n);
	return n == 1 ? tr : NULL;
}

/* Sampled twice a second as the indexer does, a talking head is one track. */
static void test_talking_head_one_track(void)
{
	vision_tracker *t;
	const vision_track *tr = one_track("footage/talking_heads/hdtf/videoretalking_face_1.mp4", 0.5, 1e9, &t);
	if (tr)
		printf("# hdtf talking head: 1 track, %d entries, %d detected\n", tr->n, tr->n_detected);
	vision_tracker_free(t);
}

/* Every frame of a still speaker (GRID): the filter takes out most of the
 * frame-to-frame jitter of the landmarks. */
static void test_jitter_static_face(void)
{
	vision_tracker *t;
	const vision_track *tr = one_track("footage/talking_heads/grid/grid_bbaf2n.mp4", 0.0, 2.0, &t);
	if (!tr) {
		vision_tracker_free(t);
		return;
	}
	double before = jitter(&tr[0], tr[0].raw), after = jitter(&tr[0], tr[0].points);
	printf("# grid static face, %d frames: jitter %.4f eye spans before smoothing, %.4f after (%.0f %% less)\n",
	       tr[0].n, before, after, 100.0 * (1.0 - after / before));
	CHECK(after < 0.6 * before, "jitter %.4f -> %.4f", before, after);
	vision_tracker_free(t);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_link_fill_drop),
		TEST_CASE(test_gap_and_cut),
		TEST_CASE(test_landmark_continuity),
		TEST_CASE(test_bad_input),
		TEST_CASE(test_talking_head_one_track),
		TEST_CASE(test_jitter_static_face),
		{ 0 },
	};
	return test_main(cases);
}
