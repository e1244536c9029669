/* The one-euro filter on synthetic landmark tracks: a still face with noisy
 * landmarks jitters much less, a moving one is followed with bounded lag. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/rng.h"
#include "harness.h"
#include "vision/align.h"
#include "vision/smooth.h"

#define FPS 30.0
#define FRAMES 300
#define SPAN 60.0      /* eye span in pixels: a 150 px face */
#define NOISE 1.2      /* landmark noise, pixels (2 % of the span) */

struct stats {
	double jitter;     /* RMS frame-to-frame movement of a point, px */
	double error;      /* RMS distance to the truth, px */
	double lag;        /* mean distance behind the truth along the motion, px */
};

/* Runs a track moving at speed px/s to the right (0: still), raw or filtered,
 * and measures it after the first second. */
static struct stats run(double speed, int filtered)
{
	bj_rng rng;
	bj_rng_init(&rng, 2012);
	float truth[136], noisy[136], out[136], prev[136];
	vision_align_template((int)(SPAN / 0.4), truth);
	vision_smooth *s = vision_smooth_new(68, NULL);
	struct stats st = { 0 };
	int n = 0;
	for (int f = 0; f < FRAMES; f++) {
		double t = f / FPS;
		for (int i = 0; i < 136; i++)
			noisy[i] = truth[i] + (float)(NOISE * bj_rng_normal(&rng) + (i % 2 ? 0 : speed * t));
		if (filtered)
			vision_smooth_push(s, t, SPAN, noisy, out);
		else
			memcpy(out, noisy, sizeof(out));
		if (f > FPS) {
			for (int i = 0; i < 68; i++) {
				double dx = out[2 * i] - prev[2 * i], dy = out[2 * i + 1] - prev[2 * i + 1];
				double ex = out[2 * i] - (truth[2 * i] + speed * t);
				double ey = out[2 * i + 1] - truth[2 * i + 1];
				st.jitter += dx * dx + dy * dy - (speed / FPS) * (speed / FPS);
				st.error += ex * ex + ey * ey;
				st.lag -= ex;
			}
			n += 68;
		}
		memcpy(prev, out, sizeof(prev));
	}
	vision_smooth_free(s);
	st.jitter = sqrt(fmax(st.jitter, 0) / n);
	st.error = sqrt(st.error / n);
	st.lag /= n;
	return st;
}

static void test_still_face_jitters_less(void)
{
	struct stats raw = run(0, 0), smooth = run(0, 1);
	printf("    still face, %.1f px noise: jitter %.2f -> %.2f px a frame, error %.2f -> %.2f px\n",
	       NOISE, raw.jitter, smooth.jitter, raw.error, smooth.error);
	CHECK(smooth.jitter < raw.jitter / 4, "jitter %.2f -> %.2f", raw.jitter, smooth.jitter);
	CHECK(smooth.error < raw.error / 2, "error %.2f -> %.2f", raw.error, smooth.error);
}

static void test_moving_face_lags_little(void)
{
	double speeds[] = { SPAN / 2, SPAN, 3 * SPAN };   /* half, one, three eye spans a second */
	for (int k = 0; k < 3; k++) {
		struct stats raw = run(speeds[k], 0), smooth = run(speeds[k], 1);
		printf("    moving %.0f px/s: lag %.2f px (%.3f eye spans, %.0f ms), error %.2f -> %.2f px\n",
		       speeds[k], smooth.lag, smooth.lag / SPAN, 1000 * smooth.lag / speeds[k],
		       raw.error, smooth.error);
		CHECK(smooth.lag < 0.08 * SPAN, "lag %.2f px at %.0f px/s", smooth.lag, speeds[k]);
		CHECK(smooth.lag < 0.1 * speeds[k], "lag %.0f ms", 1000 * smooth.lag / speeds[k]);
		CHECK(smooth.error < raw.error * 1.5, "error %.2f -> %.2f", raw.error, smooth.error);
	}
}

static void test_restarts(void)
{
	vision_smooth *s = vision_smooth_new(1, NULL);
	float a[2] = { 10, 20 }, b[2] = { 30, 40 }, out[2];
	vision_smooth_push(s, 0.0, 1, a, out);
	CHECK(out[0] == 10 && out[1] == 20, "the first frame passes through");
	vision_smooth_push(s, 0.04, 1, b, out);
	CHECK(out[0] > 10 && out[0] < 30, "filtered: %g", out[0]);
	vision_smooth_push(s, 0.04, 1, b, out);
	CHECK(out[0] == 30, "a frame at the same time restarts: %g", out[0]);
	vision_smooth_reset(s);
	vision_smooth_push(s, 1.0, 1, a, out);
	CHECK(out[0] == 10, "reset: %g", out[0]);
	vision_smooth_free(s);
	vision_smooth_params bad = { 0, 1, 1 };
	CHECK(vision_smooth_new(68, &bad) == NULL && bj_error_code() == BJ_EINVAL);
	CHECK(vision_smooth_new(0, NULL) == NULL);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_still_face_jitters_less),
		TEST_CASE(test_moving_face_lags_little),
		TEST_CASE(test_restarts),
		{ 0 },
	};
	return test_main(cases);
}
