/*
 * bench_swap.c - the face swap (perform/swap.h) at 480p: frames of a talking
 * head (480 x 480, centred on an 854 x 480 canvas) swapped with one star photo,
 * detection on 2 threads; frames per second against the 25 fps target, for a
 * small face (videoretalking_face_1, a 160 px detector box) and a big one
 * (sadtalker KatieHill, 283 px).  The machine is shared, so each line also
 * gives the CPU time per frame (user + system, all threads) and the load.  And
 * the seamless clone alone in discs of a small and a big face's size against
 * OpenCV's cv2.seamlessClone (bench/ref/seamless_clone.py).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "base/error.h"
#include "base/threads.h"
#include "bench.h"
#include "media/decoder.h"
#include "media/imagefile.h"
#include "perform/swap.h"
#include "vision/poisson.h"

#define CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"
#define FRAMES 30
#define RUNS 3
#define W 854
#define H 480

struct run {
	perform_swapper *s;
	media_image *frames[FRAMES], *work;
	media_image *clone_src, *clone_dst, *clone_out;
	uint8_t *mask;
	int disc;
	long swapped;
};

static void run_swap(void *ctx)
{
	struct run *r = ctx;
	perform_swapper_reset(r->s);
	for (int i = 0; i < FRAMES; i++) {
		memcpy(r->work->data, r->frames[i]->data, (size_t)H * r->work->stride);
		perform_swap_report rep;
		perform_swapper_frame(r->s, r->work, i / 30.0, &rep);
		r->swapped += rep.swapped;
	}
}

static void run_clone(void *ctx)
{
	struct run *r = ctx;
	memcpy(r->clone_out->data, r->clone_dst->data, (size_t)H * r->clone_out->stride);
	vision_rect box = { W / 2 - r->disc - 2, H / 2 - r->disc - 2, W / 2 + r->disc + 3, H / 2 + r->disc + 3 };
	vision_seamless_clone(r->clone_out, r->clone_src, r->mask, box);
}

/* The same pictures as the reference script draws. */
static void clone_pictures(struct run *r, int disc)
{
	r->disc = disc;
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			for (int c = 0; c < 3; c++) {
				r->clone_src->data[y * r->clone_src->stride + 3 * x + c] =
				        (uint8_t)(60 + 50 * sin(0.15 * x + c) * cos(0.1 * y));
				r->clone_dst->data[y * r->clone_dst->stride + 3 * x + c] =
				        (uint8_t)(100 + 40 * cos(0.05 * x + c) * sin(0.07 * y));
			}
			r->mask[y * W + x] = (x - W / 2) * (x - W / 2) + (y - H / 2) * (y - H / 2) < disc * disc ? 255 : 0;
		}
}

static double cpu_ms(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-3;
}

static double load(void)
{
	double l[1];
	return getloadavg(l, 1) == 1 ? l[0] : -1;
}

/* The first FRAMES frames of clip, centred on the canvas. */
static int load_frames(struct run *r, const char *clip)
{
	media_decoder *d;
	if (media_decoder_open(clip, &d) < 0)
		return -1;
	media_decoder_set_output(d, 0, 0, 3);
	const media_frame *f;
	for (int i = 0; i < FRAMES; i++) {
		if (media_decoder_read(d, &f) <= 0) {
			media_decoder_close(d);
			return bj_error_set(BJ_EFORMAT, "'%s': too short", clip);
		}
		if (!r->frames[i])
			r->frames[i] = media_image_new(W, H, 3);
		memset(r->frames[i]->data, 0, (size_t)H * r->frames[i]->stride);
		int x0 = (W - f->image.width) / 2;
		for (int y = 0; y < f->image.height && y < H; y++)
			memcpy(r->frames[i]->data + y * r->frames[i]->stride + 3 * x0,
			       f->image.data + y * f->image.stride, (size_t)f->image.width * 3);
	}
	media_decoder_close(d);
	return 0;
}

static int bench_clip(struct run *r, const char *data, const char *name, const char *what)
{
	char clip[600];
	snprintf(clip, sizeof(clip), "%s/footage/talking_heads/hdtf/%s.mp4", data, name);
	if (load_frames(r, clip) < 0)
		return -1;
	double l0 = load(), c0 = cpu_ms();
	double ms = bench_median_ms(run_swap, r, RUNS) / FRAMES;
	double cpu = (cpu_ms() - c0) / ((RUNS + 1) * FRAMES);
	perform_swap_stats st;
	perform_swapper_stats(r->s, &st);
	printf("swap 854x480, %s: %.2f ms/frame = %.1f frames/s (target 25), CPU %.1f ms/frame, "
	       "%ld/%d swapped, flicker %.3f, seam %.3f (original %.3f), load %.1f  threads=2\n",
	       what, ms, 1000 / ms, cpu, st.swapped, FRAMES, st.flicker, st.seam, st.seam_original, (l0 + load()) / 2);
	return 0;
}

int main(void)
{
	static struct run r;
	const char *data = getenv("BENJAMIN_DATA") ? getenv("BENJAMIN_DATA") : "../shared/data";
	char photo[600];
	snprintf(photo, sizeof(photo), "%s/faces/star_George_W_Bush/George_W_Bush_0001.jpg", data);
	vision_cascade *c = vision_cascade_load(CASCADE);
	vision_shape_model *m = c ? vision_shape_model_load(VISION_SHAPE_MODEL_68) : NULL;
	media_image *star = m ? media_image_load(photo, 3) : NULL;
	bj_pool *pool = bj_pool_new(2);
	perform_swap_opts o = PERFORM_SWAP_DEFAULTS;
	r.s = star && pool ? perform_swapper_new(c, m, pool, &o) : NULL;
	r.work = media_image_new(W, H, 3);
	if (!r.s || perform_swapper_add_star(r.s, star, photo) < 0 ||
	    bench_clip(&r, data, "videoretalking_face_1", "small face (160 px)") < 0 ||
	    bench_clip(&r, data, "sadtalker_WDA_KatieHill_000", "big face (283 px)") < 0) {
		fprintf(stderr, "bench_swap: %s\n", bj_error_message());
		return 1;
	}

	r.clone_src = media_image_new(W, H, 3);
	r.clone_dst = media_image_new(W, H, 3);
	r.clone_out = media_image_new(W, H, 3);
	r.mask = calloc((size_t)W * H, 1);
	static const int discs[] = { 90, 150 };
	for (int i = 0; i < 2; i++) {
		char what[64], args[64];
		clone_pictures(&r, discs[i]);
		snprintf(what, sizeof(what), "seamless clone, disc r=%d in 854x480", discs[i]);
		snprintf(args, sizeof(args), "%d %d %d", W, H, discs[i]);
		double c0 = cpu_ms(), ms = bench_median_ms(run_clone, &r, 9), cpu = (cpu_ms() - c0) / 10;
		bench_report(what, "cv2.seamlessClone", ms, bench_reference("seamless_clone.py", args));
		printf("%-48s ours CPU %.2f ms (mean of 10), load %.1f\n", "", cpu, load());
	}

	for (int i = 0; i < FRAMES; i++)
		media_image_free(r.frames[i]);
	media_image_free(r.work);
	media_image_free(r.clone_src);
	media_image_free(r.clone_dst);
	media_image_free(r.clone_out);
	free(r.mask);
	media_image_free(star);
	perform_swapper_free(r.s);
	bj_pool_free(pool);
	vision_shape_model_free(m);
	vision_cascade_free(c);
	return 0;
}
