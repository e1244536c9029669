/*
 * bench_swap_augment.c - training batches for the swap (perform/swap_augment.h):
 * 16 faces of 64 and of 128 pixels (the first 32 photos of the star folder,
 * cropped), moved, warped and turned into NCHW input, target, mask and weight,
 * on 1 thread and on 2; batches per second against OpenCV doing the same
 * recipe the way faceswap-GAN does (bench/ref/swap_augment.py) on the same
 * crops.  Each line also gives the processor time of one batch (all threads),
 * which a loaded machine inflates less than the wall time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/threads.h"
#include "bench.h"
#include "media/imagefile.h"
#include "perform/swap_augment.h"
#include "perform/swap_crops.h"
#include "vision/cascade.h"
#include "vision/detect.h"
#include "vision/shape_model.h"

#define CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"
#define PHOTOS 32
#define BATCH 16

struct run {
	perform_augmenter *a;
	perform_batch b;
	bj_rng rng;
};

static void run_batch(void *ctx)
{
	struct run *r = ctx;
	perform_augment_batch(r->a, &r->rng, &r->b);
}

static perform_crops *crops(int size, vision_detector *det, const vision_shape_model *m, const char *dir)
{
	perform_crop_opts o = PERFORM_CROP_DEFAULTS;
	o.size = size;
	perform_crops *set = perform_crops_new(&o);
	char path[700];
	for (int i = 1; i <= PHOTOS; i++) {
		snprintf(path, sizeof(path), "%s/George_W_Bush_%04d.jpg", dir, i);
		media_image *img = media_image_load(path, 3);
		if (!img || perform_crops_add_photo(set, det, m, img, path) < 0) {
			fprintf(stderr, "bench_swap_augment: %s\n", bj_error_message());
			exit(1);
		}
		media_image_free(img);
	}
	return set;
}

static double cpu_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

/* The median wall time of a batch; *cpu gets the mean processor time of one
 * (all threads), which a loaded machine inflates less. */
static double ours(const perform_crops *set, bj_pool *pool, double *cpu)
{
	struct run r;
	perform_augment_opts o = PERFORM_AUGMENT_DEFAULTS;
	r.a = perform_augmenter_new(set, &o, pool);
	perform_batch_init(&r.b, BATCH, set->size);
	bj_rng_init(&r.rng, 1);
	double ms = bench_median_ms(run_batch, &r, 31);
	double t0 = cpu_ms();
	for (int i = 0; i < 31; i++)
		run_batch(&r);
	*cpu = (cpu_ms() - t0) / 31;
	perform_batch_release(&r.b);
	perform_augmenter_free(r.a);
	return ms;
}

int main(void)
{
	const char *data = getenv("BENJAMIN_DATA") ? getenv("BENJAMIN_DATA") : "../shared/data";
	char dir[600];
	snprintf(dir, sizeof(dir), "%s/faces/star_George_W_Bush", data);
	vision_cascade *c = vision_cascade_load(CASCADE);
	vision_shape_model *m = vision_shape_model_load(VISION_SHAPE_MODEL_68);
	if (!c || !m) {
		fprintf(stderr, "bench_swap_augment: %s\n", bj_error_message());
		return 1;
	}
	vision_detector *det = vision_detector_new(c, NULL);
	bj_pool *pool = bj_pool_new(2);
	static const int sizes[] = { 64, 128 };
	for (int k = 0; k < 2; k++) {
		perform_crops *set = crops(sizes[k], det, m, dir);
		char file[64], args[128], what[96];
		snprintf(file, sizeof(file), "/tmp/bench_swap_augment.%d.safetensors", (int)getpid());
		if (perform_crops_save(set, file) < 0) {
			fprintf(stderr, "bench_swap_augment: %s\n", bj_error_message());
			return 1;
		}
		for (int threads = 1; threads <= 2; threads++) {
			double cpu, ms = ours(set, threads == 1 ? NULL : pool, &cpu);
			snprintf(args, sizeof(args), "%s %d %d", file, BATCH, threads);
			double ref = bench_reference("swap_augment.py", args);
			snprintf(what, sizeof(what), "augment %d x %d px (%.0f batches/s, cpu %.1f ms)", BATCH, sizes[k],
			         1000 / ms, cpu);
			if (threads == 2)
				bench_report(what, "opencv", ms, ref);
			else if (ref > 0)
				printf("%-48s ours %8.2f ms  opencv %8.2f ms  ratio %.2f  threads=1\n", what, ms, ref, ref / ms);
			else
				printf("%-48s ours %8.2f ms  opencv: not installed  threads=1\n", what, ms);
		}
		unlink(file);
		perform_crops_free(set);
	}
	bj_pool_free(pool);
	vision_detector_free(det);
	vision_shape_model_free(m);
	vision_cascade_free(c);
	return 0;
}
