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

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_still_and_moving),
		{ 0 },
	};
	return test_main(cases);
}
