/* vision/facedesc: LBP descriptors of aligned faces, and clustering them, on
 * the first 30 photos of each of two people (../shared/data/faces). */
#include "vision/facedesc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "harness.h"
#include "media/imagefile.h"
#include "vision/detect.h"
#include "vision/landmarks.h"

#define PER_PERSON 30
#define ALT2 "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"

static const char *const people[2] = { "second_Tony_Blair/Tony_Blair", "star_George_W_Bush/George_W_Bush" };

/* Clusters of synthetic points: two tight groups far apart, and a loner. */
static void test_cluster_synthetic(void)
{
	static float d[5 * VISION_FACEDESC_DIM];
	memset(d, 0, sizeof d);
	int at[5] = { 0, 0, 100, 100, 500 };
	for (int i = 0; i < 5; i++) {
		d[i * VISION_FACEDESC_DIM + at[i]] = 1.0f;
		d[i * VISION_FACEDESC_DIM + at[i] + 1] = 0.1f * (float)i;
		vision_facedesc_normalise(d + i * VISION_FACEDESC_DIM);
	}
	int labels[5];
	CHECK(vision_facedesc_cluster(d, 5, 0.5, labels) == 3);
	CHECK(labels[0] == 0 && labels[1] == 0 && labels[2] == 1 && labels[3] == 1 && labels[4] == 2);
	CHECK(vision_facedesc_cluster(d, 5, 0.0, labels) == 5);
	CHECK(vision_facedesc_cluster(d, 0, 0.5, labels) == 0);
}

/* The largest face's descriptor in a photo; -1 when none is found. */
static int describe(vision_detector *det, const vision_shape_model *m, const char *path, float *desc)
{
	media_image *img = media_image_load(path, 3);
	CHECK(img, "%s", bj_error_message());
	if (!img)
		return -1;
	vision_detect_params p = VISION_DETECT_DEFAULTS;
	p.min_width = p.min_height = 60;
	const vision_box *b;
	size_t n;
	int ret = -1;
	if (vision_detect(det, img, &p, &b, &n) == 0 && n > 0) {
		size_t big = 0;
		for (size_t i = 1; i < n; i++)
			if (b[i].width > b[big].width)
				big = i;
		float box[4] = { (float)b[big].x, (float)b[big].y, (float)(b[big].x + b[big].width - 1),
		                 (float)(b[big].y + b[big].height - 1) }, pts[136];
		ret = vision_landmarks_fit(m, img, box, pts) == 0 && vision_facedesc(img, pts, desc) == 0 ? 0 : -1;
	}
	media_image_free(img);
	return ret;
}

static void test_two_people(void)
{
	vision_cascade *c = vision_cascade_load(ALT2);
	vision_shape_model *m = vision_shape_model_load(VISION_SHAPE_MODEL_68);
	CHECK(c && m);
	vision_detector *det = c ? vision_detector_new(c, NULL) : NULL;
	float *d = bj_xmalloc(2 * PER_PERSON * VISION_FACEDESC_DIM * sizeof *d);
	int who[2 * PER_PERSON], n = 0;
	for (int p = 0; p < 2 && det && m; p++)
		for (int i = 1; i <= PER_PERSON; i++) {
			char rel[128];
			snprintf(rel, sizeof rel, "faces/%s_%04d.jpg", people[p], i);
			const char *path = test_data(rel);
			if (!path)
				goto out;
			if (describe(det, m, path, d + (size_t)n * VISION_FACEDESC_DIM) == 0)
				who[n++] = p;
		}
	CHECK(n >= 2 * PER_PERSON - 6, "%d faces found", n);
	/* leave-one-out nearest neighbour */
	int right = 0;
	double same = 0, other = 0;
	long n_same = 0, n_other = 0;
	for (int i = 0; i < n; i++) {
		int best = -1;
		double bd = 1e9;
		for (int j = 0; j < n; j++) {
			if (j == i)
				continue;
			double dist = vision_facedesc_distance(d + (size_t)i * VISION_FACEDESC_DIM, d + (size_t)j * VISION_FACEDESC_DIM);
			if (who[i] == who[j])
				same += dist, n_same++;
			else
				other += dist, n_other++;
			if (dist < bd)
				bd = dist, best = j;
		}
		right += best >= 0 && who[best] == who[i];
	}
	/* purity of the clusters at the threshold between the mean distances */
	int labels[2 * PER_PERSON];
	double threshold = 0.5 * (same / (double)n_same + other / (double)n_other);
	int groups = vision_facedesc_cluster(d, n, threshold, labels);
	int pure = 0;
	for (int g = 0; g < groups; g++) {
		int count[2] = { 0, 0 };
		for (int i = 0; i < n; i++)
			if (labels[i] == g)
				count[who[i]]++;
		pure += count[0] > count[1] ? count[0] : count[1];
	}
	printf("# %d faces of 2 people: nearest neighbour right %d (%.1f %%); mean distance same %.3f, other %.3f;"
	       " %d clusters at %.3f, purity %.3f\n", n, right, 100.0 * right / n, same / (double)n_same,
	       other / (double)n_other, groups, threshold, (double)pure / n);
	CHECK(right >= 0.8 * n, "nearest neighbour right %d of %d", right, n);
	CHECK(same / (double)n_same < other / (double)n_other);
out:
	free(d);
	vision_detector_free(det);
	vision_shape_model_free(m);
	vision_cascade_free(c);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_cluster_synthetic),
		TEST_CASE(test_two_people),
		{ 0 },
	};
	return test_main(cases);
}
