#include "vision/align.h"

#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "base/error.h"
#include "vision/face_model.h"

/* The canonical placement (see align.h): eye corners 0.4 S apart, their
 * midpoint at (0.5 S, 0.4 S); the points alignment is fitted on. */
#define EYE_SPAN 0.4
#define EYE_X 0.5
#define EYE_Y 0.4
#define FIRST_FIT_POINT 17
#define MAX_CROP 4096
#define MAX_SAMPLES 8   /* per side of a pixel, when shrinking */

int vision_similarity_fit(const float *from, const float *to, int n, vision_similarity *out)
{
	if (n < 2)
		return bj_error_set(BJ_EINVAL, "a similarity needs 2 or more points, not %d", n);
	double mfx = 0, mfy = 0, mtx = 0, mty = 0;
	for (int i = 0; i < n; i++) {
		mfx += from[2 * i];
		mfy += from[2 * i + 1];
		mtx += to[2 * i];
		mty += to[2 * i + 1];
	}
	mfx /= n, mfy /= n, mtx /= n, mty /= n;
	/* Minimising sum |s R f_i + t - t_i|^2 over s R = [[a, -b], [b, a]] is
	 * linear in a and b once both sets are centred. */
	double ss = 0, sa = 0, sb = 0;
	for (int i = 0; i < n; i++) {
		double fx = from[2 * i] - mfx, fy = from[2 * i + 1] - mfy;
		double tx = to[2 * i] - mtx, ty = to[2 * i + 1] - mty;
		ss += fx * fx + fy * fy;
		sa += fx * tx + fy * ty;
		sb += fx * ty - fy * tx;
	}
	if (!(ss > 0))
		return bj_error_set(BJ_EINVAL, "the points to fit a similarity to all coincide");
	out->a = sa / ss;
	out->b = sb / ss;
	out->tx = mtx - (out->a * mfx - out->b * mfy);
	out->ty = mty - (out->b * mfx + out->a * mfy);
	return 0;
}

vision_similarity vision_similarity_invert(const vision_similarity *t)
{
	double d = t->a * t->a + t->b * t->b;
	vision_similarity r = { t->a / d, -t->b / d, 0, 0 };
	r.tx = -(r.a * t->tx - r.b * t->ty);
	r.ty = -(r.b * t->tx + r.a * t->ty);
	return r;
}

void vision_similarity_apply(const vision_similarity *t, float *points, int n)
{
	for (int i = 0; i < n; i++) {
		double x = points[2 * i], y = points[2 * i + 1];
		points[2 * i] = (float)(t->a * x - t->b * y + t->tx);
		points[2 * i + 1] = (float)(t->b * x + t->a * y + t->ty);
	}
}

void vision_align_template(int size, float *points)
{
	for (int i = 0; i < VISION_FACE_POINTS; i++) {
		points[2 * i] = (float)(size * (EYE_X + EYE_SPAN * vision_face_model[i][0]));
		points[2 * i + 1] = (float)(size * (EYE_Y + EYE_SPAN * vision_face_model[i][1]));
	}
}

int vision_align_transform(const float *landmarks, int size, vision_similarity *to_crop)
{
	if (size < 8 || size > MAX_CROP)
		return bj_error_set(BJ_EINVAL, "crop size %d is outside 8..%d", size, MAX_CROP);
	float tmpl[2 * VISION_FACE_POINTS];
	vision_align_template(size, tmpl);
	int n = VISION_FACE_POINTS - FIRST_FIT_POINT;
	if (vision_similarity_fit(landmarks + 2 * FIRST_FIT_POINT, tmpl + 2 * FIRST_FIT_POINT, n,
	                          to_crop) < 0)
		return bj_error_set(BJ_EINVAL, "cannot align a face whose landmarks all coincide");
	return 0;
}

/* Adds the bilinear sample at (x, y) of a grey image to *acc; pixels
 * outside the image are 0. */
static void add_bilinear_grey(const media_image *img, double x, double y, double *acc)
{
	double fx = floor(x), fy = floor(y);
	int x0 = (int)fx, y0 = (int)fy;
	double ax = x - fx, ay = y - fy;
	for (int dy = 0; dy < 2; dy++) {
		int yy = y0 + dy;
		if (yy < 0 || yy >= img->height)
			continue;
		const uint8_t *row = img->data + (size_t)yy * img->stride;
		double wy = dy ? ay : 1 - ay;
		for (int dx = 0; dx < 2; dx++) {
			int xx = x0 + dx;
			if (xx < 0 || xx >= img->width)
				continue;
			*acc += wy * (dx ? ax : 1 - ax) * row[xx];
		}
	}
}

/* The sample offsets within a crop pixel: crop coordinate c + off[i] - 0.5
 * for i < k, off[i] = (i + 0.5) / k. */
struct crop_plan {
	vision_similarity back;
	int k;
	double off[MAX_SAMPLES];
};

/* Row v of an RGB crop, four pixels at a time: each pixel's three sums in a
 * vector's lanes (lane 3 spare), the four pixels' sums side by side so that
 * their additions overlap (each pixel adds a k x k x 4 chain of products one
 * after the other).  Each lane does add_bilinear_grey's operations for its
 * channel in their order, so the bytes are the plain loop's
 * (tests/vision/test_align.c compares them). */
#pragma GCC diagnostic ignored "-Wpsabi"
typedef double crop_lanes __attribute__((vector_size(4 * sizeof(double))));
typedef int32_t crop_ints __attribute__((vector_size(4 * sizeof(int32_t))));

typedef uint8_t crop_bytes __attribute__((vector_size(4)));

/* An RGB pixel's bytes in lanes 0..2 (lane 3 the next byte: never used);
 * four bytes read at once unless that would read past the picture's end. */
static inline __attribute__((always_inline)) crop_lanes crop_pixel(const media_image *img, const uint8_t *p)
{
	const uint8_t *end = img->data + (size_t)(img->height - 1) * img->stride + 3 * (size_t)img->width;
	if (p + 4 <= end) {
		crop_bytes v;
		memcpy(&v, p, sizeof(v));
		return __builtin_convertvector(__builtin_convertvector(v, crop_ints), crop_lanes);
	}
	return (crop_lanes){ p[0], p[1], p[2], 0 };
}

/* The bilinear sample at (x, y) of an RGB image added to *acc (3 channels in
 * lanes), pixels outside it 0; inside: the caller knows all four
 * pixels are in the picture, and not the last (no checks). */
static inline __attribute__((always_inline)) void crop_add(const media_image *img, double x, double y,
                                                           crop_lanes *acc, int inside)
{
	double fx = floor(x), fy = floor(y);
	int x0 = (int)fx, y0 = (int)fy;
	double ax = x - fx, ay = y - fy;
	if (inside) {
		const uint8_t *p = img->data + (size_t)y0 * img->stride + 3 * (size_t)x0;
		crop_bytes b00, b10, b01, b11;
		memcpy(&b00, p, sizeof(b00));
		memcpy(&b10, p + 3, sizeof(b10));
		memcpy(&b01, p + img->stride, sizeof(b01));
		memcpy(&b11, p + img->stride + 3, sizeof(b11));
		*acc += (1 - ay) * (1 - ax) * __builtin_convertvector(__builtin_convertvector(b00, crop_ints), crop_lanes);
		*acc += (1 - ay) * ax * __builtin_convertvector(__builtin_convertvector(b10, crop_ints), crop_lanes);
		*acc += ay * (1 - ax) * __builtin_convertvector(__builtin_convertvector(b01, crop_ints), crop_lanes);
		*acc += ay * ax * __builtin_convertvector(__builtin_convertvector(b11, crop_ints), crop_lanes);
		return;
	}
	for (int dy = 0; dy < 2; dy++) {
		int yy = y0 + dy;
		if (yy < 0 || yy >= img->height)
			continue;
		const uint8_t *row = img->data + (size_t)yy * img->stride;
		double wy = dy ? ay : 1 - ay;
		for (int dx = 0; dx < 2; dx++) {
			int xx = x0 + dx;
			if (xx < 0 || xx >= img->width)
				continue;
			double wgt = wy * (dx ? ax : 1 - ax);
			*acc += wgt * crop_pixel(img, row + (size_t)xx * 3);
		}
	}
}

__attribute__((target_clones("avx2", "default"))) static void crop_row_rgb(const media_image *img,
                                                                          const struct crop_plan *pl, int v,
                                                                          int size, uint8_t *out)
{
	const vision_similarity *b = &pl->back;
	int k = pl->k;
	for (int u0 = 0; u0 < size; u0 += 4) {
		/* always four, so that the sums stay in registers; past the row's
		 * end they are not written */
		int n = size - u0 < 4 ? size - u0 : 4;
		crop_lanes a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };
		/* whether every sample's four pixels are inside the picture (and
		 * before its last pixel, for the four-byte reads): the samples
		 * lie in the parallelogram of the group's corner samples, grown by
		 * a pixel for rounding */
		double xs[4], ys[4];
		for (int c = 0; c < 4; c++) {
			double cu = u0 + (c & 1 ? 3 + pl->off[k - 1] : pl->off[0]) - 0.5;
			double cv = v + (c & 2 ? pl->off[k - 1] : pl->off[0]) - 0.5;
			xs[c] = b->a * cu - b->b * cv + b->tx;
			ys[c] = b->b * cu + b->a * cv + b->ty;
		}
		int inside = 1;
		for (int c = 0; c < 4; c++)
			inside &= xs[c] >= 1 && ys[c] >= 1 && xs[c] < img->width - 3 && ys[c] < img->height - 3;
		for (int j = 0; j < k; j++) {
			double cv = v + pl->off[j] - 0.5, bcv = b->b * cv, acv = b->a * cv;
			for (int i = 0; i < k; i++) {
				double c0 = u0 + pl->off[i] - 0.5, c1 = u0 + 1 + pl->off[i] - 0.5;
				double c2 = u0 + 2 + pl->off[i] - 0.5, c3 = u0 + 3 + pl->off[i] - 0.5;
				if (inside) {
					crop_add(img, b->a * c0 - bcv + b->tx, b->b * c0 + acv + b->ty, &a0, 1);
					crop_add(img, b->a * c1 - bcv + b->tx, b->b * c1 + acv + b->ty, &a1, 1);
					crop_add(img, b->a * c2 - bcv + b->tx, b->b * c2 + acv + b->ty, &a2, 1);
					crop_add(img, b->a * c3 - bcv + b->tx, b->b * c3 + acv + b->ty, &a3, 1);
				} else {
					crop_add(img, b->a * c0 - bcv + b->tx, b->b * c0 + acv + b->ty, &a0, 0);
					crop_add(img, b->a * c1 - bcv + b->tx, b->b * c1 + acv + b->ty, &a1, 0);
					crop_add(img, b->a * c2 - bcv + b->tx, b->b * c2 + acv + b->ty, &a2, 0);
					crop_add(img, b->a * c3 - bcv + b->tx, b->b * c3 + acv + b->ty, &a3, 0);
				}
			}
		}
		const crop_lanes acc[4] = { a0, a1, a2, a3 };
		for (int q = 0; q < n; q++)
			for (int c = 0; c < 3; c++) {
				double val = acc[q][c] / (k * k) + 0.5;
				out[3 * (size_t)(u0 + q) + c] = (uint8_t)(val > 255 ? 255 : val);
			}
	}
}

media_image *vision_align_crop(const media_image *img, const float *landmarks, int size)
{
	vision_similarity to_crop;
	if (vision_align_transform(landmarks, size, &to_crop) < 0)
		return NULL;
	vision_similarity back = vision_similarity_invert(&to_crop);
	media_image *out = media_image_new(size, size, img->channels);
	if (!out)
		return NULL;
	/* Image pixels per crop pixel: above 1 the crop shrinks, so average k x k
	 * bilinear samples spread over the crop pixel's footprint. */
	double step = hypot(back.a, back.b);
	int k = (int)ceil(step - 1e-9);
	k = k < 1 ? 1 : k > MAX_SAMPLES ? MAX_SAMPLES : k;
	if (img->channels == 3) {
		struct crop_plan pl = { back, k, { 0 } };
		for (int i = 0; i < k; i++)
			pl.off[i] = (i + 0.5) / k;
		for (int v = 0; v < size; v++)
			crop_row_rgb(img, &pl, v, size, out->data + (size_t)v * out->stride);
		return out;
	}
	for (int v = 0; v < size; v++) {
		uint8_t *row = out->data + (size_t)v * out->stride;
		for (int u = 0; u < size; u++) {
			double acc = 0;
			for (int j = 0; j < k; j++) {
				double cv = v + (j + 0.5) / k - 0.5;
				for (int i = 0; i < k; i++) {
					double cu = u + (i + 0.5) / k - 0.5;
					double x = back.a * cu - back.b * cv + back.tx, y = back.b * cu + back.a * cv + back.ty;
					add_bilinear_grey(img, x, y, &acc);
				}
			}
			double val = acc / (k * k) + 0.5;
			row[u] = (uint8_t)(val > 255 ? 255 : val);
		}
	}
	return out;
}

/* The inverse of a symmetric positive definite 2 x 2 matrix's square root:
 * sqrt(M) = (M + sqrt(det) I) / sqrt(trace + 2 sqrt(det)). */
static void inv_sqrt2(const double m[2][2], double out[2][2])
{
	double sd = sqrt(m[0][0] * m[1][1] - m[0][1] * m[1][0]);
	double t = sqrt(m[0][0] + m[1][1] + 2 * sd);
	double r[2][2] = { { (m[0][0] + sd) / t, m[0][1] / t }, { m[1][0] / t, (m[1][1] + sd) / t } };
	double det = r[0][0] * r[1][1] - r[0][1] * r[1][0];
	out[0][0] = r[1][1] / det;
	out[0][1] = -r[0][1] / det;
	out[1][0] = -r[1][0] / det;
	out[1][1] = r[0][0] / det;
}

static int invert3(const double m[3][3], double out[3][3])
{
	double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
	             m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
	             m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
	if (!(fabs(det) > 1e-12))
		return -1;
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++) {
			int i1 = (j + 1) % 3, i2 = (j + 2) % 3, j1 = (i + 1) % 3, j2 = (i + 2) % 3;
			out[i][j] = (m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1]) / det;
		}
	return 0;
}

int vision_pose_estimate(const float *landmarks, vision_pose *pose)
{
	enum { N = VISION_FACE_POINTS };
	double mp[2] = { 0 }, mx[3] = { 0 };
	for (int i = 0; i < N; i++) {
		for (int r = 0; r < 2; r++)
			mp[r] += landmarks[2 * i + r] / N;
		for (int r = 0; r < 3; r++)
			mx[r] += vision_face_model[i][r] / (double)N;
	}
	/* A = P X^T (X X^T)^-1 over the centred points: the best linear map. */
	double pxt[2][3] = { { 0 } }, xxt[3][3] = { { 0 } }, inv[3][3];
	for (int i = 0; i < N; i++) {
		double x[3], p[2];
		for (int r = 0; r < 3; r++)
			x[r] = vision_face_model[i][r] - mx[r];
		for (int r = 0; r < 2; r++)
			p[r] = landmarks[2 * i + r] - mp[r];
		for (int r = 0; r < 3; r++) {
			for (int c = 0; c < 3; c++)
				xxt[r][c] += x[r] * x[c];
			if (r < 2)
				for (int c = 0; c < 3; c++)
					pxt[r][c] += p[r] * x[c];
		}
	}
	BJ_ASSERT(invert3(xxt, inv) == 0);   /* the model is not flat */
	double a[2][3] = { { 0 } };
	for (int r = 0; r < 2; r++)
		for (int c = 0; c < 3; c++)
			for (int k = 0; k < 3; k++)
				a[r][c] += pxt[r][k] * inv[k][c];
	/* The nearest pair of orthonormal rows is (A A^T)^(-1/2) A (A's polar
	 * factor); the scale is the mean of A's two singular values. */
	double aat[2][2], is[2][2];
	for (int r = 0; r < 2; r++)
		for (int c = 0; c < 2; c++)
			aat[r][c] = a[r][0] * a[c][0] + a[r][1] * a[c][1] + a[r][2] * a[c][2];
	double det = aat[0][0] * aat[1][1] - aat[0][1] * aat[1][0];
	if (!(det > 1e-12 * (aat[0][0] + aat[1][1]) * (aat[0][0] + aat[1][1])) ||
	    !isfinite(det))
		return bj_error_set(BJ_EINVAL, "cannot estimate a head pose from degenerate landmarks");
	inv_sqrt2(aat, is);
	double rot[3][3];
	for (int r = 0; r < 2; r++)
		for (int c = 0; c < 3; c++)
			rot[r][c] = is[r][0] * a[0][c] + is[r][1] * a[1][c];
	rot[2][0] = rot[0][1] * rot[1][2] - rot[0][2] * rot[1][1];
	rot[2][1] = rot[0][2] * rot[1][0] - rot[0][0] * rot[1][2];
	rot[2][2] = rot[0][0] * rot[1][1] - rot[0][1] * rot[1][0];
	double tr = aat[0][0] + aat[1][1];
	pose->scale = (float)(sqrt(tr + 2 * sqrt(det)) / 2);   /* (s1 + s2) / 2 */
	/* R = Rz(roll) Ry(yaw) Rx(pitch): R[2][0] = -sin(yaw), R[2][1] / R[2][2] =
	 * tan(pitch), R[1][0] / R[0][0] = tan(roll). */
	const double deg = 180 / M_PI;
	double s = -rot[2][0];
	pose->yaw = (float)(asin(s > 1 ? 1 : s < -1 ? -1 : s) * deg);
	pose->pitch = (float)(atan2(rot[2][1], rot[2][2]) * deg);
	pose->roll = (float)(atan2(rot[1][0], rot[0][0]) * deg);
	for (int r = 0; r < 3; r++)
		for (int c = 0; c < 3; c++)
			pose->rot[r][c] = (float)rot[r][c];
	return 0;
}
