/*
 * bench_landmarks.c - the 68-point shape predictor on the 60 300-W faces of
 * tests/vision/fixtures/landmarks_dlib.txt, against dlib's own (bench/ref/
 * landmarks_dlib.cpp through landmarks.py), per face on 1 thread and as a batch
 * on 2.  Ratio > 1 means we are faster.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/threads.h"
#include "bench.h"
#include "media/imagefile.h"
#include "vision/landmarks.h"

#define FIXTURE "tests/vision/fixtures/landmarks_dlib.txt"
#define MAX_FACES 64
#define MAX_IMAGES 64

struct run {
	const vision_shape_model *m;
	media_image *img[MAX_IMAGES];
	int n_img;
	int n;
	int img_of[MAX_FACES];
	float box[MAX_FACES][4];
	float dlib[MAX_FACES][136];
	float pts[MAX_FACES][136];
	bj_pool *pool;
};

/* Each face alone, one thread. */
static void run_single(void *ctx)
{
	struct run *r = ctx;
	for (int i = 0; i < r->n; i++)
		vision_landmarks_fit(r->m, r->img[r->img_of[i]], r->box[i], r->pts[i]);
}

static void fit_task(void *ctx, int i, int thread)
{
	(void)thread;
	struct run *r = ctx;
	vision_landmarks_fit(r->m, r->img[r->img_of[i]], r->box[i], r->pts[i]);
}

/* All the faces spread over the pool's 2 threads, as the reference spreads them
 * (most photos hold one face, so batching by photo would leave a thread idle). */
static void run_threads(void *ctx)
{
	struct run *r = ctx;
	bj_pool_run(r->pool, r->n, fit_task, r);
}

/* The faces of one photo together through vision_landmarks_fit_batch; checks
 * that the batch call gives the single calls' points. */
static void run_batch(struct run *r)
{
	for (int i = 0; i < r->n;) {
		int j = i;
		while (j < r->n && r->img_of[j] == r->img_of[i])
			j++;
		vision_landmarks_fit_batch(r->m, r->img[r->img_of[i]], j - i, r->box[i], r->pts[i],
		                           r->pool);
		i = j;
	}
}

/* Reads the fixture's faces (those of one photo are adjacent) and their photos,
 * and writes the list the reference reads. */
static int load(struct run *r, const char *data, FILE *list)
{
	FILE *f = fopen(FIXTURE, "r");
	if (!f)
		return -1;
	char pts[256], image[256], last[256] = "";
	while (r->n < MAX_FACES && fscanf(f, "%255s %255s", pts, image) == 2) {
		float *b = r->box[r->n];
		if (fscanf(f, "%f %f %f %f", &b[0], &b[1], &b[2], &b[3]) != 4)
			break;
		for (int i = 0; i < 136; i++)
			if (fscanf(f, "%f", &r->dlib[r->n][i]) != 1)
				return -1;
		char path[600];
		snprintf(path, sizeof(path), "%s/%s", data, image);
		if (strcmp(image, last) != 0) {
			if (r->n_img == MAX_IMAGES || !(r->img[r->n_img++] = media_image_load(path, 3)))
				return -1;
			snprintf(last, sizeof(last), "%s", image);
		}
		r->img_of[r->n++] = r->n_img - 1;
		fprintf(list, "%s %.0f %.0f %.0f %.0f\n", path, b[0], b[1], b[2], b[3]);
	}
	fclose(f);
	return r->n ? 0 : -1;
}

int main(void)
{
	static struct run r;
	const char *data = getenv("BENJAMIN_DATA") ? getenv("BENJAMIN_DATA") : "../shared/data";
	char list_path[] = "/tmp/bench_landmarks_XXXXXX";
	int fd = mkstemp(list_path);
	FILE *list = fd >= 0 ? fdopen(fd, "w") : NULL;
	vision_shape_model *m = vision_shape_model_load(VISION_SHAPE_MODEL_68);
	if (!list || !m || load(&r, data, list) < 0) {
		fprintf(stderr, "bench_landmarks: %s\n", m ? "cannot read the faces" : bj_error_message());
		return 1;
	}
	fclose(list);
	r.m = m;
	r.pool = bj_pool_new(2);

	/* Checked before timed: dlib's points, to the pixel. */
	run_batch(&r);
	double diff = 0;
	for (int i = 0; i < r.n; i++)
		for (int k = 0; k < 68; k++)
			diff += hypot(floorf(r.pts[i][2 * k] + 0.5f) - r.dlib[i][2 * k],
			              floorf(r.pts[i][2 * k + 1] + 0.5f) - r.dlib[i][2 * k + 1]);
	diff /= 68.0 * r.n;
	if (diff > 0.05) {
		fprintf(stderr, "bench_landmarks: %.3f px from dlib's points\n", diff);
		return 1;
	}

	char what[128], args[256];
	double ours = bench_median_ms(run_single, &r, 9) / r.n;
	snprintf(args, sizeof(args), "%s 9 1", list_path);
	double ref = bench_reference("landmarks.py", args);
	snprintf(what, sizeof(what), "landmarks 68 pts, %d faces, per face, 1 thread", r.n);
	bench_report(what, "dlib", ours, ref);

	ours = bench_median_ms(run_threads, &r, 9) / r.n;
	snprintf(args, sizeof(args), "%s 9 2", list_path);
	ref = bench_reference("landmarks.py", args);
	snprintf(what, sizeof(what), "landmarks 68 pts, %d faces, per face, 2 threads", r.n);
	bench_report(what, "dlib", ours, ref);

	remove(list_path);
	bj_pool_free(r.pool);
	for (int i = 0; i < r.n_img; i++)
		media_image_free(r.img[i]);
	vision_shape_model_free(m);
	return 0;
}
