/*
 * test_window.c - cut points (film/window.h): still ends beat a motion spike,
 * a blink at a cut is avoided, a line's window lands on the face, a shot cut
 * in again shows other frames, flat motion cuts centred; and a shot's faces
 * summarised (film/onscreen.h).
 */
#include <math.h>
#include <string.h>

#include "film/onscreen.h"
#include "film/window.h"
#include "harness.h"
#include "library/query.h"

#define FPS 25.0

/* A shot from 10 s, 8 s long: usable 10.2 .. 17.8, a window of 2 s. */
static film_window_ask ask(float *motion, size_t n)
{
	for (size_t i = 0; i < n; i++)
		motion[i] = 0.002f;
	return (film_window_ask){ .from = 10.2, .to = 17.8, .len = 2, .start = 10, .fps = FPS,
		                  .motion = motion, .n_motion = n };
}

static void test_flat_is_centred(void)
{
	float m[200];
	film_window_ask a = ask(m, 200);
	film_window w;
	film_window_choose(&a, &w);
	CHECK_NEAR(w.in, 13, 1e-9);
	CHECK_NEAR(w.out, 15, 1e-9);
	CHECK_NEAR(w.in, w.centred_in, 1e-12);
	CHECK(w.blinks == 0 && w.face == 1);
	/* no motion stored: centred too */
	a.motion = NULL;
	film_window_choose(&a, &w);
	CHECK_NEAR(w.in, 13, 1e-9);
	/* no room: the whole span */
	a.len = a.to - a.from;
	film_window_choose(&a, &w);
	CHECK_NEAR(w.in, a.from, 1e-9);
	CHECK_NEAR(w.out, a.to, 1e-9);
}

static int near(double t, double at, double r)
{
	return fabs(t - at) < r;
}

static void test_motion_spike_and_blink(void)
{
	float m[200];
	film_window_ask a = ask(m, 200);
	/* a gesture across the centred in-point (13 s = frame 75) */
	for (int i = 68; i < 84; i++)
		m[i] = 0.06f;
	film_window w;
	film_window_choose(&a, &w);
	/* frames 68..83 move: 12.72 s to 13.36 s */
	CHECK(!(w.in > 12.72 - 0.08 && w.in < 13.36 + 0.08), "cut in %g into the gesture", w.in);
	CHECK(w.in_motion < 0.003 && w.out_motion < 0.003, "motion %g %g", w.in_motion, w.out_motion);
	CHECK(w.centred_in_motion > 0.05, "the centred window cut mid-gesture: %g",
	      w.centred_in_motion);
	CHECK(w.cost < w.centred_cost);
	/* and it stays as near the middle as the gesture lets it */
	CHECK(fabs(w.in - 13) < 1.2, "in %g", w.in);

	/* a blink seen at 15.05 s, by the centred out-point; motion flat again */
	for (int i = 68; i < 84; i++)
		m[i] = 0.002f;
	double blink = 15.05;
	a.blinks = &blink;
	a.n_blinks = 1;
	film_window_choose(&a, &w);
	CHECK(w.blinks == 0 && w.centred_blinks == 1, "blinks %d, centred %d", w.blinks,
	      w.centred_blinks);
	CHECK(!near(w.out, blink, FILM_BLINK_SECONDS) && !near(w.in, blink, FILM_BLINK_SECONDS));
	CHECK(fabs(w.in - 13) < 0.5, "moved only off the blink: in %g", w.in);
}

static void test_window_on_the_face(void)
{
	float m[200];
	film_window_ask a = ask(m, 200);
	/* the face is seen from 15 s on (samples twice a second) */
	double faces[6] = { 15, 15.5, 16, 16.5, 17, 17.5 };
	a.faces = faces;
	a.n_faces = 6;
	film_window w;
	film_window_choose(&a, &w);
	CHECK(w.face > 0.99 && w.centred_face < 0.2, "face %g, centred %g", w.face, w.centred_face);
	CHECK(w.in >= 14.75 - 1e-9, "in %g", w.in);
}

/* A shot cut in again shows frames it has not shown yet. */
static void test_repeat_avoided(void)
{
	float m[200];
	film_window_ask a = ask(m, 200);
	double shown[4] = { 12.4, 14.6, 15.0, 15.5 };
	a.shown = shown;
	a.n_shown = 2;
	film_window w;
	film_window_choose(&a, &w);
	CHECK(w.repeat == 0 && fabs(w.centred_repeat - 0.8) < 1e-9, "repeat %g, centred %g", w.repeat,
	      w.centred_repeat);
	CHECK(w.out <= 12.4 + 1e-9 || w.in >= 15.5 - 1e-9, "%g..%g", w.in, w.out);
	/* nothing fresh is long enough: the least shown */
	a.from = 12.4;
	a.to = 14.6;
	a.len = 2;
	film_window_choose(&a, &w);
	CHECK(w.repeat == 1);
}

static library_face_sample sample(int64_t track, int64_t id, int64_t frame, float h, float yaw,
                                  float eyes, float mouth)
{
	return (library_face_sample){ .shot_id = 1, .track_id = track, .identity_id = id,
		                      .frame = frame, .height = h, .yaw = yaw, .pitch = 0,
		                      .eyes = eyes, .mouth = mouth, .detected = 1 };
}

static void test_onscreen(void)
{
	/* frames 0..99 at 25 a second: sampled at 0, 13, ..., 91 (8 frames) */
	library_shot shot = { .id = 1, .start_frame = 0, .end_frame = 99, .start = 0, .end = 4 };
	library_face_sample s[7] = {
		/* identity 3: frontal, large, talking, a blink at frame 39 */
		sample(1, 3, 0, 0.4f, 2, 0.30f, 0.05f), sample(1, 3, 13, 0.4f, 2, 0.31f, 0.10f),
		sample(1, 3, 26, 0.42f, 4, 0.30f, 0.05f), sample(1, 3, 39, 0.4f, 2, 0.12f, 0.10f),
		/* someone else: turned away, small, silent, seen at 13 as well */
		sample(2, 0, 13, 0.1f, 40, 0.3f, 0.02f), sample(2, 0, 26, 0.1f, 40, 0.3f, 0.02f),
		sample(2, 0, 52, 0.1f, 40, 0.3f, 0.021f),
	};
	film_onscreen any, eve, nobody;
	film_onscreen_of(s, 7, &shot, 0, &any);
	film_onscreen_of(s, 7, &shot, 3, &eve);
	film_onscreen_of(s, 7, &shot, 9, &nobody);
	CHECK(any.samples == 7 && eve.samples == 4 && nobody.samples == 0);
	CHECK_NEAR(any.seen, 5.0 / 8, 1e-12);    /* frames 0 13 26 39 52 */
	CHECK_NEAR(eve.seen, 4.0 / 8, 1e-12);
	CHECK_NEAR(eve.height, 0.42, 1e-6);
	CHECK(eve.frontal > 0.9 && any.frontal < eve.frontal, "frontal %g, any %g", eve.frontal,
	      any.frontal);
	CHECK_NEAR(eve.mouth, 0.05 / FILM_MOUTH_TALK, 1e-6);  /* changes of 0.05 */
	CHECK_NEAR(any.mouth, (3 * 0.05 + 0.001) / 5 / FILM_MOUTH_TALK, 1e-6);
	CHECK(nobody.seen == 0 && nobody.height == 0);
	double t[4];
	size_t k = film_onscreen_blinks(s, 7, &shot, t, 4);
	CHECK(k == 1, "%zu blinks", k);
	if (k == 1)
		CHECK_NEAR(t[0], 39 / 25.0, 1e-9);
	CHECK_NEAR(film_onscreen_time(&shot, 50), 2, 1e-12);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_flat_is_centred),
		TEST_CASE(test_motion_spike_and_blink),
		TEST_CASE(test_window_on_the_face),
		TEST_CASE(test_repeat_avoided),
		TEST_CASE(test_onscreen),
		{ 0 },
	};
	return test_main(cases);
}
