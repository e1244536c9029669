#include "vision/shape_transfer.h"

#include <math.h>
#include <string.h>

#include "base/error.h"
#include "vision/align.h"

/* The part of the face a run of landmarks is. */
struct part {
	int first, last;   /* landmark indices, inclusive */
	int left, right;   /* an eye's corners (its width), or -1 for points moved one by one */
};

static const struct part parts[] = {
	{ 17, 26, -1, -1 },   /* brows */
	{ 27, 35, -1, -1 },   /* nose */
	{ 36, 41, 36, 39 },   /* one eye */
	{ 42, 47, 42, 45 },   /* the other */
};

int vision_shape_aligned(const float *pts, float *aligned)
{
	vision_similarity t;
	if (vision_align_transform(pts, VISION_SHAPE_SIZE, &t) < 0)
		return bj_error_code();
	memcpy(aligned, pts, 136 * sizeof(*aligned));
	vision_similarity_apply(&t, aligned, 68);
	return 0;
}

static double clamp_ratio(double r)
{
	return fmin(fmax(r, 1 / VISION_SHAPE_MAX_RATIO), VISION_SHAPE_MAX_RATIO);
}

/* (dx, dy) shortened to at most VISION_SHAPE_MAX_MOVE eye spans. */
static void clamp_move(double *dx, double *dy)
{
	double most = VISION_SHAPE_MAX_MOVE * 0.4 * VISION_SHAPE_SIZE, len = hypot(*dx, *dy);
	if (len > most) {
		*dx *= most / len;
		*dy *= most / len;
	}
}

static void centre(const float *shape, const struct part *p, double *cx, double *cy)
{
	double x = 0, y = 0;
	for (int i = p->first; i <= p->last; i++) {
		x += shape[2 * i];
		y += shape[2 * i + 1];
	}
	*cx = x / (p->last - p->first + 1);
	*cy = y / (p->last - p->first + 1);
}

/* An eye's opening: the mean distance between its upper and lower lids. */
static double eye_height(const float *shape, const struct part *p)
{
	int a = p->first;
	return (shape[2 * (a + 5) + 1] - shape[2 * (a + 1) + 1] + shape[2 * (a + 4) + 1] - shape[2 * (a + 2) + 1]) / 2;
}

/* Moves the part p of the aligned shape a (in place) from the mean from to
 * the mean to: point by point, or an eye as a whole (centre, width, height). */
static void move_part(float *a, const float *from, const float *to, const struct part *p, double amount)
{
	if (p->left < 0) {
		for (int i = p->first; i <= p->last; i++) {
			double dx = to[2 * i] - from[2 * i], dy = to[2 * i + 1] - from[2 * i + 1];
			clamp_move(&dx, &dy);
			a[2 * i] += (float)(amount * dx);
			a[2 * i + 1] += (float)(amount * dy);
		}
		return;
	}
	double fx, fy, tx, ty, cx, cy;
	centre(from, p, &fx, &fy);
	centre(to, p, &tx, &ty);
	centre(a, p, &cx, &cy);
	double dx = tx - fx, dy = ty - fy;
	clamp_move(&dx, &dy);
	double wf = from[2 * p->right] - from[2 * p->left], wt = to[2 * p->right] - to[2 * p->left];
	double hf = eye_height(from, p), ht = eye_height(to, p);
	double rx = wf > 0 && wt > 0 ? clamp_ratio(wt / wf) : 1, ry = hf > 0 && ht > 0 ? clamp_ratio(ht / hf) : 1;
	rx = 1 + amount * (rx - 1);
	ry = 1 + amount * (ry - 1);
	for (int i = p->first; i <= p->last; i++) {
		a[2 * i] = (float)(cx + amount * dx + rx * (a[2 * i] - cx));
		a[2 * i + 1] = (float)(cy + amount * dy + ry * (a[2 * i + 1] - cy));
	}
}

int vision_shape_transfer(const float *pts, const float *from, const float *to, double amount, float *out)
{
	vision_similarity t;
	if (out != pts)
		memcpy(out, pts, 136 * sizeof(*out));
	if (vision_align_transform(pts, VISION_SHAPE_SIZE, &t) < 0)
		return bj_error_code();
	float a[136];
	memcpy(a, pts, sizeof(a));
	vision_similarity_apply(&t, a, 68);
	for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++)
		move_part(a, from, to, &parts[k], amount);
	vision_similarity back = vision_similarity_invert(&t);
	vision_similarity_apply(&back, a + 34, 51);
	/* the jaw is copied, not sent there and back */
	memcpy(out + 34, a + 34, 102 * sizeof(*out));
	return 0;
}
