/*
 * bench_swap.c - the face swap (perform/swap.h) at 480p: frames of a talking
 * head (480 x 480, centred on an 854 x 480 canvas) swapped with one star photo,
 * detection on 2 threads; frames per second against the 25 fps target.  And
 * the seamless clone alone (a disc of radius 90 px, a face's size at 480p)
 * against OpenCV's cv2.seamlessClone (bench/ref/seamless_clone.py).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/threads.h"
#include "bench.h"
#include "media/decoder.h"
#include "media/imagefile.h"
#include "perform/swap.h"
#include "vision/poisson.h"

#define CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"
#define FRAMES 30
#define W 854
#define H 480
#define DISC 90

struct run {
	perform_swapper *s;
	media_image *frames[FRAMES], *work;
	media_image *clone_src, *clone_dst, *clone_out;
	uint8_t *mask;
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
	vision_rect box = { W / 2 - DISC - 2, H / 2 - DISC - 2, W / 2 + DISC + 3, H / 2 + DISC + 3 };
	vision_seamless_clone(r->clone_out, r->clone_src, r->mask, box);
}

/* The same pictures as the reference script draws. */
static void clone_pictures(struct run *r)
{
	r->clone_src = media_image_new(W, H, 3);
	r->clone_dst = media_image_new(W, H, 3);
	r->clone_out = media_image_new(W, H, 3);
	r->mask = calloc((size_t)W * H, 1);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			for (int c = 0; c < 3; c++) {
				r->clone_src->data[y * r->clone_src->stride + 3 * x + c] =
				        (uint8_t)(60 + 50 * sin(0.15 * x + c) * cos(0.1 * y));
				r->clone_dst->data[y * r->clone_dst->stride + 3 * x + c] =
				        (uint8_t)(100 + 40 * cos(0.05 * x + c) * sin(0.07 * y));
			}
			r->mask[y * W + x] = (x - W / 2) * (x - W / 2) + (y - H / 2) * (y - H / 2) < DISC * DISC ? 255 : 0;
		}
}

int main(void)
{
	static struct run r;
	const char *data = getenv("BENJAMIN_DATA") ? getenv("BENJAMIN_DATA") : "../shared/data";
	char clip[600], photo[600];
	snprintf(clip, sizeof(clip), "%s/footage/talking_heads/hdtf/videoretalking_face_1.mp4", data);
	snprintf(photo, sizeof(photo), "%s/faces/star_George_W_Bush/George_W_Bush_0001.jpg", data);
	vision_cascade *c = vision_cascade_load(CASCADE);
	vision_shape_model *m = c ? vision_shape_model_load(VISION_SHAPE_MODEL_68) : NULL;
	media_image *star = m ? media_image_load(photo, 3) : NULL;
	bj_pool *pool = bj_pool_new(2);
	perform_swap_opts o = PERFORM_SWAP_DEFAULTS;
	r.s = star && pool ? perform_swapper_new(c, m, pool, &o) : NULL;
	media_decoder *d;
	if (!r.s || perform_swapper_add_star(r.s, star, photo) < 0 || media_decoder_open(clip, &d) < 0) {
		fprintf(stderr, "bench_swap: %s\n", bj_error_message());
		return 1;
	}
	media_decoder_set_output(d, 0, 0, 3);
	const media_frame *f;
	for (int i = 0; i < FRAMES; i++) {
		if (media_decoder_read(d, &f) <= 0) {
			fprintf(stderr, "bench_swap: '%s': too short\n", clip);
			return 1;
		}
		r.frames[i] = media_image_new(W, H, 3);
		int x0 = (W - f->image.width) / 2;
		for (int y = 0; y < f->image.height && y < H; y++)
			memcpy(r.frames[i]->data + y * r.frames[i]->stride + 3 * x0,
			       f->image.data + y * f->image.stride, (size_t)f->image.width * 3);
	}
	media_decoder_close(d);
	r.work = media_image_new(W, H, 3);

	double ms = bench_median_ms(run_swap, &r, 3) / FRAMES;
	perform_swap_stats st;
	perform_swapper_stats(r.s, &st);
	printf("swap 854x480, one face: %.2f ms/frame = %.1f frames/s (target 25), %ld/%d swapped, "
	       "flicker %.3f, seam %.3f (original %.3f)  threads=2\n", ms, 1000 / ms, st.swapped, FRAMES,
	       st.flicker, st.seam, st.seam_original);

	clone_pictures(&r);
	char args[64];
	snprintf(args, sizeof(args), "%d %d %d", W, H, DISC);
	bench_report("seamless clone, disc r=90 in 854x480", "cv2.seamlessClone", bench_median_ms(run_clone, &r, 9),
	             bench_reference("seamless_clone.py", args));

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
