#include "perform/swap_steady.h"

#include <math.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "vision/align.h"
#include "vision/smooth.h"

#define SIDE 256.0          /* the aligned frame's side, pixels */
#define N_SPEECH 29         /* the lower jaw (4-12) and the mouth (48-67) */

/* Whether landmark i moves when the face speaks. */
static int speaks(int i)
{
	return (i >= 4 && i <= 12) || i >= 48;
}

/* Motion: holds a still head, follows a moving one (tuned on the talking
 * heads: a faster filter, 0.3 Hz and beta 2, let through enough tremor for a
 * flicker score of 1.46 on videoretalking_face_1; beta 0.6 keeps a face moving
 * one eye span a second 0.08 spans behind (1.0: 0.06, 0.2: 0.15), tests/perform/test_swap_steady.c). */
static const vision_smooth_params motion = { 0.15, 0.6, 1.0 };
/* Shape: the brows, eyes, nose and upper jaw line barely change between frames. */
static const vision_smooth_params shape = { 0.1, 0.2, 1.0 };
/* The mouth and the chin speak: quicker. */
static const vision_smooth_params mouth = { 1.0, 1.0, 1.0 };

/* The picture's motion under the face (perform_steady_push_moved) is followed
 * exactly once it moves the face's corners by more than this many pixels in
 * a frame; slower motion, and the landmarks' tremor, is left to the filters. */
#define GLUE_PX 1.0

struct perform_steady {
	vision_smooth *centre, *turn, *shape, *mouth;
	/* the picture's fast motion since the reset, picture to picture: the
	 * filters smooth the head as seen from it, so a head that moves fast is
	 * followed without the filters' lag */
	vision_similarity carry;
};

static const vision_similarity identity = { 1, 0, 0, 0 };

perform_steady *perform_steady_new(void)
{
	perform_steady *s = bj_xcalloc(1, sizeof(*s));
	s->centre = vision_smooth_new(1, &motion);
	s->turn = vision_smooth_new(1, &motion);
	s->shape = vision_smooth_new(68 - N_SPEECH, &shape);
	s->mouth = vision_smooth_new(N_SPEECH, &mouth);
	s->carry = identity;
	return s;
}

/* How far m moves the corners of the square of side 2 r about (cx, cy), pixels. */
static double corner_move(const vision_similarity *m, double cx, double cy, double r)
{
	double worst = 0;
	for (int k = 0; k < 4; k++) {
		double x = cx + (k & 1 ? r : -r), y = cy + (k & 2 ? r : -r);
		worst = fmax(worst, hypot(m->a * x - m->b * y + m->tx - x, m->b * x + m->a * y + m->ty - y));
	}
	return worst;
}

/* m after l (l first). */
static vision_similarity compose(const vision_similarity *m, const vision_similarity *l)
{
	vision_similarity n = { m->a * l->a - m->b * l->b, m->b * l->a + m->a * l->b,
		                m->a * l->tx - m->b * l->ty + m->tx, m->b * l->tx + m->a * l->ty + m->ty };
	return n;
}

void perform_steady_push(perform_steady *s, double t, const float *in, float *out)
{
	perform_steady_push_moved(s, t, in, NULL, out);
}

void perform_steady_push_moved(perform_steady *s, double t, const float *in, const vision_similarity *moved,
                               float *out)
{
	vision_similarity to_crop;
	if (vision_align_transform(in, (int)SIDE, &to_crop) < 0) {
		for (int i = 0; i < 136; i++)
			out[i] = in[i];
		return;
	}
	/* the head: where the crop's centre lies in the picture, and the
	 * crop-to-picture scale and rotation (a, b), seen from the carried frame */
	vision_similarity back = vision_similarity_invert(&to_crop);
	double size = hypot(back.a, back.b);
	if (moved && corner_move(moved, back.a * SIDE / 2 - back.b * SIDE / 2 + back.tx,
	                         back.b * SIDE / 2 + back.a * SIDE / 2 + back.ty, 0.4 * SIDE * size) > GLUE_PX)
		s->carry = compose(moved, &s->carry);
	vision_similarity uncarry = vision_similarity_invert(&s->carry);
	back = compose(&uncarry, &back);
	float centre[2] = { (float)SIDE / 2, (float)SIDE / 2 }, turn[2] = { (float)back.a, (float)back.b };
	vision_similarity_apply(&back, centre, 1);
	size = hypot(back.a, back.b);
	/* speeds in eye spans (0.4 SIDE in the crop) per second, and in relative
	 * change of size and angle per second */
	vision_smooth_push(s->centre, t, 0.4 * SIDE * size, centre, centre);
	vision_smooth_push(s->turn, t, size, turn, turn);
	back.a = turn[0];
	back.b = turn[1];
	back.tx = centre[0] - (back.a - back.b) * SIDE / 2;
	back.ty = centre[1] - (back.b + back.a) * SIDE / 2;
	back = compose(&s->carry, &back);
	/* the shape, in the crop */
	float pts[136];
	for (int i = 0; i < 136; i++)
		pts[i] = in[i];
	vision_similarity_apply(&to_crop, pts, 68);
	float still[2 * 68], moving[2 * N_SPEECH];
	int n_still = 0, n_moving = 0;
	for (int i = 0; i < 68; i++) {
		float *to = speaks(i) ? moving + 2 * n_moving++ : still + 2 * n_still++;
		to[0] = pts[2 * i];
		to[1] = pts[2 * i + 1];
	}
	vision_smooth_push(s->shape, t, 0.4 * SIDE, still, still);
	vision_smooth_push(s->mouth, t, 0.4 * SIDE, moving, moving);
	n_still = n_moving = 0;
	for (int i = 0; i < 68; i++) {
		const float *from = speaks(i) ? moving + 2 * n_moving++ : still + 2 * n_still++;
		pts[2 * i] = from[0];
		pts[2 * i + 1] = from[1];
	}
	vision_similarity_apply(&back, pts, 68);
	for (int i = 0; i < 136; i++)
		out[i] = pts[i];
}

void perform_steady_reset(perform_steady *s)
{
	s->carry = identity;
	vision_smooth_reset(s->centre);
	vision_smooth_reset(s->turn);
	vision_smooth_reset(s->shape);
	vision_smooth_reset(s->mouth);
}

void perform_steady_free(perform_steady *s)
{
	if (!s)
		return;
	vision_smooth_free(s->centre);
	vision_smooth_free(s->turn);
	vision_smooth_free(s->shape);
	vision_smooth_free(s->mouth);
	free(s);
}
