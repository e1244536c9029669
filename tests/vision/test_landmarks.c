/* Landmarks against dlib's own on 60 faces of 300-W (the fixture written by
 * tests/vision/fixtures/gen_landmarks.sh), and against the ground truth. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/threads.h"
#include "harness.h"
#include "media/imagefile.h"
#include "vision/landmarks.h"

#define FIXTURE "tests/vision/fixtures/landmarks_dlib.txt"
#define MAX_FACES 64

struct face {
	char pts[256], image[256];
	float box[4];
	float dlib[136];
};

static struct face faces[MAX_FACES];
static int n_faces;
static vision_shape_model *model;

/* The model is shared by the cases; the system package provides it. */
static vision_shape_model *get_model(void)
{
	if (!model) {
		model = vision_shape_model_load(VISION_SHAPE_MODEL_68);
		if (!model) {
			if (getenv("CI"))
				test_fail(__FILE__, __LINE__, "%s", bj_error_message());
			else
				test_skip("%s", bj_error_message());
		}
	}
	return model;
}

static int read_fixture(void)
{
	FILE *f = fopen(FIXTURE, "r");
	CHECK(f, "cannot open %s", FIXTURE);
	if (!f)
		return -1;
	n_faces = 0;
	while (n_faces < MAX_FACES) {
		struct face *fc = &faces[n_faces];
		if (fscanf(f, "%255s %255s %f %f %f %f", fc->pts, fc->image, &fc->box[0], &fc->box[1],
		           &fc->box[2], &fc->box[3]) != 6)
			break;
		int ok = 1;
		for (int i = 0; i < 136 && ok; i++)
			ok = fscanf(f, "%f", &fc->dlib[i]) == 1;
		CHECK(ok, "short line %d in %s", n_faces + 1, FIXTURE);
		n_faces++;
	}
	fclose(f);
	CHECK(n_faces == 60, "%d faces in %s", n_faces, FIXTURE);
	return 0;
}

/* 68 "x y" lines (the 300-W .pts of this data set have no header). */
static int read_pts(const char *path, float *pts)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	int n = 0;
	while (n < 68 && fscanf(f, "%f %f", &pts[2 * n], &pts[2 * n + 1]) == 2)
		n++;
	fclose(f);
	return n == 68 ? 0 : -1;
}

/* Mean point distance over the outer-eye-corner distance of the truth (36, 45). */
static double nme(const float *p, const float *gt)
{
	double iod = hypot(gt[72] - gt[90], gt[73] - gt[91]), sum = 0;
	for (int i = 0; i < 68; i++)
		sum += hypot(p[2 * i] - gt[2 * i], p[2 * i + 1] - gt[2 * i + 1]);
	return sum / 68 / iod;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void test_matches_dlib(void)
{
	if (!get_model() || read_fixture() < 0)
		return;
	double diff = 0, diff_rounded = 0, nme_ours = 0, nme_dlib = 0, worst = 0;
	double nmes_ours[MAX_FACES], nmes_dlib[MAX_FACES];
	long same = 0;
	int n_gt = 0;
	media_image *img = NULL;
	char loaded[256] = "";
	for (int k = 0; k < n_faces; k++) {
		struct face *fc = &faces[k];
		char path[512];
		if (strcmp(loaded, fc->image) != 0) {
			media_image_free(img);
			snprintf(path, sizeof(path), "eval/%s", fc->image + strlen("eval/"));
			const char *full = test_data(path);
			if (!full)
				return;
			img = media_image_load(full, 3);
			CHECK(img, "%s", bj_error_message());
			if (!img)
				return;
			snprintf(loaded, sizeof(loaded), "%s", fc->image);
		}
		float pts[136];
		CHECK(vision_landmarks_fit(model, img, fc->box, pts) == 0, "%s", bj_error_message());
		double face_diff = 0;
		for (int i = 0; i < 68; i++) {
			float rx = floorf(pts[2 * i] + 0.5f), ry = floorf(pts[2 * i + 1] + 0.5f);
			double d = hypot(pts[2 * i] - fc->dlib[2 * i], pts[2 * i + 1] - fc->dlib[2 * i + 1]);
			face_diff += d;
			diff_rounded += hypot(rx - fc->dlib[2 * i], ry - fc->dlib[2 * i + 1]);
			same += rx == fc->dlib[2 * i] && ry == fc->dlib[2 * i + 1];
		}
		diff += face_diff;
		if (face_diff / 68 > worst)
			worst = face_diff / 68;
		float gt[136];
		const char *gt_path = test_data(fc->pts);
		if (gt_path && read_pts(gt_path, gt) == 0) {
			nmes_ours[n_gt] = nme(pts, gt);
			nmes_dlib[n_gt] = nme(fc->dlib, gt);
			nme_ours += nmes_ours[n_gt];
			nme_dlib += nmes_dlib[n_gt];
			n_gt++;
		}
	}
	media_image_free(img);
	diff /= 68.0 * n_faces;
	diff_rounded /= 68.0 * n_faces;
	printf("    %d faces: mean distance to dlib %.3f px (worst face %.3f), rounded like dlib "
	       "%.4f px, %ld of %d points identical\n",
	       n_faces, diff, worst, diff_rounded, same, 68 * n_faces);
	qsort(nmes_ours, (size_t)n_gt, sizeof(double), cmp_double);
	qsort(nmes_dlib, (size_t)n_gt, sizeof(double), cmp_double);
	printf("    NME (inter-ocular, outer corners) vs 300-W truth: mean ours %.4f dlib %.4f, "
	       "median ours %.4f dlib %.4f\n", nme_ours / n_gt, nme_dlib / n_gt,
	       nmes_ours[n_gt / 2], nmes_dlib[n_gt / 2]);
	CHECK(diff <= 0.5, "mean distance to dlib %.3f px", diff);
	CHECK(diff_rounded <= 0.05, "rounded mean distance to dlib %.4f px", diff_rounded);
	CHECK(n_gt == n_faces, "%d of %d ground-truth files read", n_gt, n_faces);
	/* A few turned faces whose detector-like box is poor fail for both of us
	 * and lift the mean; the median is what a usual face gets. */
	CHECK(nme_ours / n_gt < 0.12 && nmes_ours[n_gt / 2] < 0.06 &&
	      fabs(nme_ours - nme_dlib) / n_gt < 0.002, "NME %.4f, dlib %.4f", nme_ours / n_gt,
	      nme_dlib / n_gt);
}

/* Two threads give what one gives, and boxes are checked before any work. */
static void test_batch(void)
{
	if (!get_model())
		return;
	media_image *img = media_image_new(320, 240, 3);
	for (size_t i = 0; i < img->stride * 240; i++)
		img->data[i] = (uint8_t)((i * 31 + i / 960 * 7) & 0xff);
	float boxes[3 * 4] = { 40, 30, 160, 150, 100, 80, 260, 230, -50, -40, 90, 100 };
	float one[3 * 136], two[3 * 136];
	CHECK(vision_landmarks_fit_batch(model, img, 3, boxes, one, NULL) == 0);
	bj_pool *pool = bj_pool_new(2);
	CHECK(vision_landmarks_fit_batch(model, img, 3, boxes, two, pool) == 0);
	CHECK(memcmp(one, two, sizeof(one)) == 0, "threads changed the result");
	float single[136];
	CHECK(vision_landmarks_fit(model, img, boxes + 4, single) == 0);
	CHECK(memcmp(single, one + 136, sizeof(single)) == 0);
	boxes[6] = boxes[4];
	CHECK(vision_landmarks_fit_batch(model, img, 3, boxes, two, pool) == BJ_EINVAL);
	CHECK(strstr(bj_error_message(), "is empty"), "%s", bj_error_message());
	boxes[6] = NAN;
	CHECK(vision_landmarks_fit(model, img, boxes + 4, single) == BJ_EINVAL);
	bj_pool_free(pool);
	media_image_free(img);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_matches_dlib),
		TEST_CASE(test_batch),
		{ 0 },
	};
	int rc = test_main(cases);
	vision_shape_model_free(model);
	return rc;
}
