/* Similarity fits, aligned crops and head pose: synthetic faces with known
 * transforms and angles, and real 300-W annotations. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/rng.h"
#include "harness.h"
#include "vision/align.h"
#include "vision/face_model.h"

static void test_similarity_fit_and_invert(void)
{
	bj_rng rng;
	bj_rng_init(&rng, 6);
	float from[40], to[40];
	vision_similarity truth = { 1.7 * cos(0.6), 1.7 * sin(0.6), -12.5, 30.25 };
	for (int i = 0; i < 40; i++)
		from[i] = (float)(100 * bj_rng_double(&rng));
	memcpy(to, from, sizeof(to));
	vision_similarity_apply(&truth, to, 20);
	vision_similarity t;
	CHECK(vision_similarity_fit(from, to, 20, &t) == 0);
	CHECK_NEAR(t.a, truth.a, 1e-5);
	CHECK_NEAR(t.b, truth.b, 1e-5);
	CHECK_NEAR(t.tx, truth.tx, 1e-3);
	CHECK_NEAR(t.ty, truth.ty, 1e-3);
	vision_similarity back = vision_similarity_invert(&t);
	vision_similarity_apply(&back, to, 20);
	float worst = 0;
	for (int i = 0; i < 40; i++)
		worst = fmaxf(worst, fabsf(to[i] - from[i]));
	CHECK(worst < 1e-3, "round trip off by %g", worst);
	float same[4] = { 3, 3, 3, 3 };
	CHECK(vision_similarity_fit(same, to, 2, &t) == BJ_EINVAL);
	CHECK(vision_similarity_fit(from, to, 1, &t) == BJ_EINVAL);
}

static void test_template(void)
{
	float t[136];
	vision_align_template(128, t);
	CHECK_NEAR(t[72], 0.3 * 128, 1e-4);     /* outer eye corners */
	CHECK_NEAR(t[90], 0.7 * 128, 1e-4);
	CHECK_NEAR(t[73], 0.4 * 128, 1e-4);
	CHECK_NEAR(t[91], 0.4 * 128, 1e-4);
	for (int i = 0; i < 136; i++)
		CHECK(t[i] > 0 && t[i] < 128, "template point %d at %g leaves the crop", i / 2, t[i]);
}

/* A smooth pattern in crop coordinates (period about a quarter of the crop). */
static float pattern(double u, double v, int c, int size)
{
	double s = 2 * M_PI * 4 / size;
	return (float)(128 + 100 * sin(s * u + c) * cos(s * 0.7 * v - c));
}

/* The crop undoes a known similarity: a face drawn turned, scaled and moved
 * comes back upright, to within a grey level or two of the pattern. */
static void check_crop(int size, double scale, double angle)
{
	/* The crop's centre at the image's centre, the whole crop inside. */
	int w = (int)(size * scale * 1.5) + 8, h = w;
	double a = scale * cos(angle), b = scale * sin(angle), c = size / 2.0;
	vision_similarity to_img = { a, b, w / 2.0 + 0.25 - (a * c - b * c), h / 2.0 - 0.5 - (b * c + a * c) };
	vision_similarity to_crop = vision_similarity_invert(&to_img);
	media_image *img = media_image_new(w, h, 3);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			double u = to_crop.a * x - to_crop.b * y + to_crop.tx;
			double v = to_crop.b * x + to_crop.a * y + to_crop.ty;
			for (int c = 0; c < 3; c++)
				img->data[(size_t)y * img->stride + 3 * (size_t)x + c] =
					(uint8_t)(pattern(u, v, c, size) + 0.5f);
		}
	float pts[136];
	vision_align_template(size, pts);
	vision_similarity_apply(&to_img, pts, 68);
	media_image *crop = vision_align_crop(img, pts, size);
	CHECK(crop && crop->width == size && crop->height == size && crop->channels == 3);
	if (crop) {
		double err = 0;
		int n = 0;
		for (int v = 2; v < size - 2; v++)
			for (int u = 2; u < size - 2; u++)
				for (int c = 0; c < 3; c++, n++)
					err += fabs(crop->data[(size_t)v * crop->stride + 3 * (size_t)u + c] -
					            pattern(u, v, c, size));
		CHECK(err / n < 2.5, "size %d scale %.2f: mean error %.2f grey levels", size, scale,
		      err / n);
	}
	media_image_free(crop);
	media_image_free(img);
}

static void test_crops(void)
{
	check_crop(64, 1.3, 0.35);
	check_crop(128, 0.8, -0.5);     /* enlarged */
	check_crop(256, 1.1, 1.2);
	check_crop(64, 4.6, -0.2);      /* shrunk a lot: averaged, not aliased */
	float pts[136] = { 0 };
	CHECK(vision_align_crop(&(media_image){ 0 }, pts, 64) == NULL);
	CHECK(bj_error_code() == BJ_EINVAL);
	vision_align_template(64, pts);
	CHECK(vision_align_crop(&(media_image){ 0 }, pts, 5000) == NULL);
	CHECK(strstr(bj_error_message(), "crop size 5000"), "%s", bj_error_message());
}

/* The crop as the header describes it, one pixel and one channel at a
 * time: k x k bilinear samples (0 outside the picture) averaged. */
static uint8_t plain_crop_at(const media_image *img, const vision_similarity *back, int k, int u, int v, int c)
{
	double acc = 0;
	for (int j = 0; j < k; j++) {
		double cv = v + (j + 0.5) / k - 0.5;
		for (int i = 0; i < k; i++) {
			double cu = u + (i + 0.5) / k - 0.5;
			double x = back->a * cu - back->b * cv + back->tx, y = back->b * cu + back->a * cv + back->ty;
			double fx = floor(x), fy = floor(y), ax = x - fx, ay = y - fy;
			for (int dy = 0; dy < 2; dy++)
				for (int dx = 0; dx < 2; dx++) {
					int xx = (int)fx + dx, yy = (int)fy + dy;
					if (xx < 0 || yy < 0 || xx >= img->width || yy >= img->height)
						continue;
					double wgt = (dy ? ay : 1 - ay) * (dx ? ax : 1 - ax);
					acc += wgt * img->data[(size_t)yy * img->stride + 3 * (size_t)xx + c];
				}
		}
	}
	double val = acc / (k * k) + 0.5;
	return (uint8_t)(val > 255 ? 255 : val);
}

/* The crop's bytes are the plain formula's, for faces shrunk (several
 * samples a pixel) and enlarged, inside the picture and running off its
 * edges and its last pixel, in crops whose width is no multiple of 4. */
static void test_crop_bytes(void)
{
	bj_rng rng;
	bj_rng_init(&rng, 9);
	int w = 150, h = 120;
	media_image *img = media_image_new(w, h, 3);
	for (size_t i = 0; i < (size_t)h * img->stride; i++)
		img->data[i] = (uint8_t)bj_rng_below(&rng, 256);
	const double faces[][4] = { { 75, 60, 40, 0.2 }, { 140, 110, 90, -0.4 }, { 10, 8, 20, 1.0 }, { 80, 50, 4, 0 } };
	long differ = 0;
	for (int f = 0; f < 4; f++) {
		float pts[136];
		int size = f == 3 ? 29 : 38;
		vision_align_template(size, pts);
		double s = faces[f][2] / size, a = s * cos(faces[f][3]), b = s * sin(faces[f][3]);
		vision_similarity m = { a, b, faces[f][0] - (a * size / 2 - b * size / 2), faces[f][1] - (b * size / 2 + a * size / 2) };
		vision_similarity_apply(&m, pts, 68);
		media_image *crop = vision_align_crop(img, pts, size);
		vision_similarity to_crop;
		CHECK(crop && vision_align_transform(pts, size, &to_crop) == 0);
		if (!crop)
			continue;
		vision_similarity back = vision_similarity_invert(&to_crop);
		int k = (int)ceil(hypot(back.a, back.b) - 1e-9);
		k = k < 1 ? 1 : k > 8 ? 8 : k;
		for (int v = 0; v < size; v++)
			for (int u = 0; u < size; u++)
				for (int c = 0; c < 3; c++)
					differ += crop->data[(size_t)v * crop->stride + 3 * (size_t)u + c] !=
					          plain_crop_at(img, &back, k, u, v, c);
		media_image_free(crop);
	}
	CHECK(differ == 0, "%ld bytes differ from the plain crop", differ);
	media_image_free(img);
}

/* The model turned by R = Rz(roll) Ry(yaw) Rx(pitch), seen from a camera at
 * distance dist (in model units; 0: orthographic), scale 90 px, noise in px. */
static void project(double yaw, double pitch, double roll, double dist, double noise, bj_rng *rng,
                    float *pts)
{
	double y = yaw * M_PI / 180, p = pitch * M_PI / 180, r = roll * M_PI / 180;
	double rx[3][3] = { { 1, 0, 0 }, { 0, cos(p), -sin(p) }, { 0, sin(p), cos(p) } };
	double ry[3][3] = { { cos(y), 0, sin(y) }, { 0, 1, 0 }, { -sin(y), 0, cos(y) } };
	double rz[3][3] = { { cos(r), -sin(r), 0 }, { sin(r), cos(r), 0 }, { 0, 0, 1 } };
	double t[3][3] = { { 0 } }, rot[3][3] = { { 0 } };
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			for (int k = 0; k < 3; k++)
				t[i][j] += ry[i][k] * rx[k][j];
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			for (int k = 0; k < 3; k++)
				rot[i][j] += rz[i][k] * t[k][j];
	for (int i = 0; i < 68; i++) {
		double q[3] = { 0 };
		for (int a = 0; a < 3; a++)
			for (int b = 0; b < 3; b++)
				q[a] += rot[a][b] * vision_face_model[i][b];
		double f = dist > 0 ? dist / (dist + q[2]) : 1;
		pts[2 * i] = (float)(320 + 90 * f * q[0] + noise * bj_rng_normal(rng));
		pts[2 * i + 1] = (float)(240 + 90 * f * q[1] + noise * bj_rng_normal(rng));
	}
}

static double sweep(double dist, double noise, double *worst_scale)
{
	bj_rng rng;
	bj_rng_init(&rng, 68);
	double worst = 0;
	*worst_scale = 0;
	for (int yaw = -60; yaw <= 60; yaw += 15)
		for (int pitch = -30; pitch <= 30; pitch += 15)
			for (int roll = -40; roll <= 40; roll += 20) {
				float pts[136];
				project(yaw, pitch, roll, dist, noise, &rng, pts);
				vision_pose pose;
				CHECK(vision_pose_estimate(pts, &pose) == 0);
				double e = fmax(fabs(pose.yaw - yaw),
				                fmax(fabs(pose.pitch - pitch), fabs(pose.roll - roll)));
				if (e > worst)
					worst = e;
				*worst_scale = fmax(*worst_scale, fabs(pose.scale - 90));
			}
	return worst;
}

static void test_pose_synthetic(void)
{
	double scale_err;
	double exact = sweep(0, 0, &scale_err);
	CHECK(exact < 0.01 && scale_err < 0.01, "orthographic: worst angle error %.4f deg, scale %.4f",
	      exact, scale_err);
	double noisy = sweep(0, 1.0, &scale_err);
	double persp8 = sweep(8, 0.5, &scale_err);
	double persp = sweep(12, 0.5, &scale_err);
	printf("    worst angle error over yaw +-60, pitch +-30, roll +-40: exact %.4f deg, "
	       "1 px noise %.2f deg; perspective + 0.5 px noise, camera 12 eye spans away (about "
	       "1 m) %.2f deg, 8 eye spans %.2f deg\n", exact, noisy, persp, persp8);
	CHECK(noisy < 3, "1 px noise: worst error %.2f deg", noisy);
	CHECK(persp < 5, "perspective: worst error %.2f deg", persp);
	float flat[136] = { 0 };
	vision_pose pose;
	CHECK(vision_pose_estimate(flat, &pose) == BJ_EINVAL);
}

static int read_pts(const char *rel, float *pts)
{
	const char *path = test_data(rel);
	FILE *f = path ? fopen(path, "r") : NULL;
	if (!f)
		return -1;
	int n = 0;
	while (n < 136 && fscanf(f, "%f", &pts[n]) == 1)
		n++;
	fclose(f);
	return n == 136 ? 0 : -1;
}

/* A frontal and two turned faces of 300-W, looked at: the turned ones have
 * the nose towards the image's left (yaw > 0) and right (yaw < 0).  And a face
 * mirrored has its yaw and roll negated. */
static void test_pose_real(void)
{
	static const struct {
		const char *pts;
		float yaw_min, yaw_max;
	} faces[] = {
		{ "eval/landmarks_300w/helen_testset/2996372177_1.pts", -5, 5 },
		{ "eval/landmarks_300w/afw/174692320_1.pts", 25, 90 },
		{ "eval/landmarks_300w/afw/18489332_11.pts", -90, -25 },
	};
	for (size_t k = 0; k < sizeof(faces) / sizeof(faces[0]); k++) {
		float pts[136], mirror[136];
		if (read_pts(faces[k].pts, pts) < 0)
			return;
		vision_pose pose, mpose;
		CHECK(vision_pose_estimate(pts, &pose) == 0);
		printf("    %s: yaw %.1f pitch %.1f roll %.1f\n", faces[k].pts, pose.yaw, pose.pitch,
		       pose.roll);
		CHECK(pose.yaw >= faces[k].yaw_min && pose.yaw <= faces[k].yaw_max, "yaw %.1f",
		      pose.yaw);
		CHECK(fabsf(pose.pitch) < 20 && fabsf(pose.roll) < 20, "pitch %.1f roll %.1f",
		      pose.pitch, pose.roll);
		/* Mirrored about x = 0, with left and right landmarks swapped back. */
		static const int swap[68] = {
			16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
			26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 27, 28, 29, 30, 35, 34, 33, 32, 31,
			45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40,
			54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55, 64, 63, 62, 61, 60, 67, 66, 65,
		};
		for (int i = 0; i < 68; i++) {
			mirror[2 * i] = -pts[2 * swap[i]];
			mirror[2 * i + 1] = pts[2 * swap[i] + 1];
		}
		CHECK(vision_pose_estimate(mirror, &mpose) == 0);
		CHECK_NEAR(mpose.yaw, -pose.yaw, 0.5);
		CHECK_NEAR(mpose.roll, -pose.roll, 0.5);
		CHECK_NEAR(mpose.pitch, pose.pitch, 0.5);
	}
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_similarity_fit_and_invert),
		TEST_CASE(test_template),
		TEST_CASE(test_crops),
		TEST_CASE(test_crop_bytes),
		TEST_CASE(test_pose_synthetic),
		TEST_CASE(test_pose_real),
		{ 0 },
	};
	return test_main(cases);
}
