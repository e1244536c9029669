/* The landmark steadier of the swap: a still face's landmark noise is mostly
 * removed, a moving face is followed with little lag, a reset restarts it. */
#include <math.h>
#include <stdlib.h>

#include "base/rng.h"
#include "harness.h"
#include "perform/swap_steady.h"
#include "vision/align.h"

#define FPS 25.0
#define SPAN 80.0   /* outer eye-corner distance of the template at 200 px */

static double mean_move(const float *a, const float *b)
{
	double d = 0;
	for (int i = 0; i < 68; i++)
		d += hypot(a[2 * i] - b[2 * i], a[2 * i + 1] - b[2 * i + 1]);
	return d / 68;
}

static void test_still_and_moving(void)
{
	float face[136], in[136], out[136], prev[136];
	vision_align_template(200, face);
	bj_rng rng;
	bj_rng_init(&rng, 7);
	perform_steady *s = perform_steady_new();
	/* still, with 1.5 px of landmark noise (about 2 % of the eye span) */
	double raw_move = 0, steady_move = 0;
	float prev_in[136];
	for (int t = 0; t < 100; t++) {
		for (int i = 0; i < 136; i++)
			in[i] = face[i] + 100 + (float)(1.5 * bj_rng_normal(&rng));
		perform_steady_push(s, t / FPS, in, out);
		if (t >= 20) {
			raw_move += mean_move(in, prev_in);
			steady_move += mean_move(out, prev);
		}
		for (int i = 0; i < 136; i++) {
			prev[i] = out[i];
			prev_in[i] = in[i];
		}
	}
	CHECK(steady_move < 0.25 * raw_move, "still face: moves %g px a frame, raw %g", steady_move / 80,
	      raw_move / 80);
	/* moving across the picture at one eye span a second, without noise */
	perform_steady_reset(s);
	double lag = 0;
	for (int t = 0; t < 50; t++) {
		for (int i = 0; i < 136; i++)
			in[i] = face[i] + (i % 2 ? 100 : (float)(100 + SPAN * t / FPS));
		perform_steady_push(s, t / FPS, in, out);
		if (t == 0)
			CHECK(mean_move(in, out) == 0, "the first frame passes through");
		lag = mean_move(in, out);
	}
	CHECK(lag < 0.1 * SPAN, "moving face: %g px behind after 2 s", lag);
	perform_steady_free(s);
	perform_steady_free(NULL);
}

/* The centre of the eyes and brows (17-47). */
static void upper_centre(const float *p, double *x, double *y)
{
	*x = *y = 0;
	for (int i = 17; i < 48; i++) {
		*x += p[2 * i] / 31;
		*y += p[2 * i + 1] / 31;
	}
}

/* A head that stands still, darts 3 eye spans a second to the right for 10
 * frames and stands still again, its landmarks 1.5 px noisy, the picture's
 * motion known: it is followed without lag while it moves, and does not
 * creep once it has stopped; without the picture's motion it does both. */
static void test_picture_motion(void)
{
	float face[136], in[136], out[136];
	vision_align_template(200, face);
	for (int with = 1; with >= 0; with--) {
		bj_rng rng;
		bj_rng_init(&rng, 9);
		perform_steady *s = perform_steady_new();
		double x = 100, worst_lag = 0, creep = 0, still_move = 0, px = 0, py = 0, c0, unused;
		upper_centre(face, &c0, &unused);
		for (int t = 0; t < 60; t++) {
			double step = t >= 20 && t < 30 ? 3 * SPAN / FPS : 0;
			x += step;
			for (int i = 0; i < 136; i++)
				in[i] = face[i] + (float)(i % 2 ? 100 : x) + (float)(1.5 * bj_rng_normal(&rng));
			vision_similarity moved = { 1, 0, step, 0 };
			perform_steady_push_moved(s, t / FPS, in, with ? &moved : NULL, out);
			double cx, cy;
			upper_centre(out, &cx, &cy);
			if (t >= 20 && t < 30)
				worst_lag = fmax(worst_lag, c0 + x - cx);
			if (t >= 32)
				creep += fabs(cx - px);
			if (t >= 10 && t < 20)
				still_move += hypot(cx - px, cy - py);
			px = cx;
			py = cy;
		}
		if (with) {
			CHECK(worst_lag < 0.03 * SPAN, "followed fast: %g px behind", worst_lag);
			CHECK(creep / 28 < 0.1, "stopped: creeps %g px a frame", creep / 28);
			CHECK(still_move / 10 < 0.15, "still: moves %g px a frame", still_move / 10);
		} else {
			CHECK(worst_lag > 0.1 * SPAN, "the filters alone lag (%g px)", worst_lag);
		}
		perform_steady_free(s);
	}
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_still_and_moving),
		TEST_CASE(test_picture_motion),
		{ 0 },
	};
	return test_main(cases);
}
