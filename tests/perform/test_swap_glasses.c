/* The footage's glasses after the swap, on real footage: HDTF's
 * videoretalking_face_5 (a woman in thin dark metal-rimmed glasses) swapped
 * with Bush's photo keeps the footage's pixels on the rims (the swap painted
 * skin over them, leaving faint ghosts), while her eyes and brows are still
 * the star's; on videoretalking_face_1 (no glasses) nothing is found and
 * nothing is touched. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "media/decoder.h"
#include "media/imagefile.h"
#include "perform/swap.h"
#include "perform/swap_glasses.h"
#include "vision/cascade.h"
#include "vision/detect.h"
#include "vision/glasses.h"
#include "vision/landmarks.h"
#include "vision/shape_model.h"

#define CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"
#define FACE_5 "footage/talking_heads/hdtf/videoretalking_face_5.mp4"
#define FACE_1 "footage/talking_heads/hdtf/videoretalking_face_1.mp4"
#define FIRST 20
#define FRAMES 8

typedef struct models {
	vision_cascade *cascade;
	vision_shape_model *model;
	vision_detector *det;
} models;

static int load(models *m)
{
	m->cascade = vision_cascade_load(CASCADE);
	m->model = vision_shape_model_load(VISION_SHAPE_MODEL_68);
	m->det = m->cascade ? vision_detector_new(m->cascade, NULL) : NULL;
	CHECK(m->cascade && m->model && m->det);
	return m->cascade && m->model && m->det ? 0 : -1;
}

static void unload(models *m)
{
	vision_detector_free(m->det);
	vision_cascade_free(m->cascade);
	vision_shape_model_free(m->model);
}

/* The landmarks of the largest face in img: 1, or 0 when none is found. */
static int landmarks(const models *m, const media_image *img, float *pts)
{
	float box[4];
	if (perform_swap_star_face(m->det, img, box) != 1)
		return 0;
	float dlib_box[4] = { box[0], box[1], box[0] + box[2] - 1, box[1] + box[3] - 1 };
	return vision_landmarks_fit(m->model, img, dlib_box, pts) == 0;
}

static media_image *copy_of(const media_image *src)
{
	media_image *img = media_image_new(src->width, src->height, 3);
	for (int y = 0; y < src->height; y++)
		memcpy(img->data + y * img->stride, src->data + y * src->stride, (size_t)src->width * 3);
	return img;
}

static double diff_at(const media_image *a, const media_image *b, int x, int y)
{
	const uint8_t *p = a->data + (size_t)y * a->stride + 3 * (size_t)x;
	const uint8_t *q = b->data + (size_t)y * b->stride + 3 * (size_t)x;
	return (abs(p[0] - q[0]) + abs(p[1] - q[1]) + abs(p[2] - q[2])) / 3.0;
}

/* Is (x, y) inside the polygon of points first .. first + n - 1? */
static int inside(const float *pts, int first, int n, float x, float y)
{
	int in = 0;
	for (int i = 0, j = n - 1; i < n; j = i++) {
		float xi = pts[2 * (first + i)], yi = pts[2 * (first + i) + 1];
		float xj = pts[2 * (first + j)], yj = pts[2 * (first + j) + 1];
		if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
			in = !in;
	}
	return in;
}

static void test_face_5_rims_kept(void)
{
	const char *path = test_data("faces/star_George_W_Bush/George_W_Bush_0001.jpg");
	if (!path)
		return;
	media_image *star = media_image_load(path, 3);
	if (!(path = test_data(FACE_5))) {
		media_image_free(star);
		return;
	}
	models m;
	media_decoder *d;
	if (load(&m) < 0 || !star) {
		CHECK(star);
		media_image_free(star);
		return;
	}
	CHECK(media_decoder_open(path, &d) == 0, "%s", path);
	CHECK(media_decoder_set_output(d, 0, 0, 3) == 0);
	perform_swap_opts o = PERFORM_SWAP_DEFAULTS;
	perform_swapper *s = perform_swapper_new(m.cascade, m.model, NULL, &o);
	CHECK(s && perform_swapper_add_star(s, star, "star") == 0);
	const media_frame *f;
	int checked = 0;
	for (int i = 0; i < FIRST + FRAMES && media_decoder_read(d, &f) > 0; i++) {
		media_image *orig = copy_of(&f->image), *img = copy_of(&f->image);
		perform_swap_report rep;
		CHECK(perform_swapper_frame(s, img, i / 25.0, &rep) == 0);
		float pts[136];
		if (i >= FIRST && rep.swapped && landmarks(&m, orig, pts)) {
			vision_glasses g;
			CHECK(vision_glasses_find(orig, pts, NULL, &g) == 0);
			CHECK(vision_glasses_score(&g) >= 0.75f, "frame %d: glasses, got %g", i, vision_glasses_score(&g));
			int w = orig->width, h = orig->height;
			uint8_t *mask = calloc((size_t)w * h, 1);
			vision_rect box;
			vision_glasses_mask(orig, &g, mask, w, h, &box);
			double rim = 0, eyes = 0;
			long n_rim = 0, n_eyes = 0, n_in_eyes = 0, eyes_masked = 0;
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					int mk = mask[(size_t)y * w + x];
					if (mk == 255)
						rim += diff_at(orig, img, x, y), n_rim++;
					/* the eyes (their landmarks' polygons) and the brows (theirs, 3 pixels deep) */
					int eye = inside(pts, 36, 6, (float)x, (float)y) || inside(pts, 42, 6, (float)x, (float)y);
					if (eye || inside(pts, 17, 5, (float)x, (float)y + 3) || inside(pts, 22, 5, (float)x, (float)y + 3)) {
						n_eyes++;
						eyes += diff_at(orig, img, x, y);
					}
					n_in_eyes += eye;
					eyes_masked += eye && mk > 0;
				}
			CHECK(n_rim > 400, "frame %d: rims found, %ld pixels", i, n_rim);
			rim /= n_rim > 0 ? (double)n_rim : 1;
			eyes /= n_eyes > 0 ? (double)n_eyes : 1;
			CHECK(rim < 4, "frame %d: the rims are the footage's, mean difference %.2f", i, rim);
			CHECK(eyes > 6, "frame %d: the eyes and brows are the star's (difference %.2f)", i, eyes);
			CHECK(n_in_eyes > 50 && eyes_masked == 0, "frame %d: %ld of the eyes' %ld pixels masked", i, eyes_masked,
			      n_in_eyes);
			free(mask);
			checked++;
		}
		media_image_free(orig);
		media_image_free(img);
	}
	CHECK(checked == FRAMES, "frames checked: %d", checked);
	media_decoder_close(d);
	perform_swapper_free(s);
	media_image_free(star);
	unload(&m);
}

static void test_face_1_untouched(void)
{
	const char *path = test_data(FACE_1);
	if (!path)
		return;
	models m;
	media_decoder *d;
	if (load(&m) < 0)
		return;
	CHECK(media_decoder_open(path, &d) == 0, "%s", path);
	CHECK(media_decoder_set_output(d, 0, 0, 3) == 0);
	perform_swap_glasses *g = perform_swap_glasses_new();
	const media_frame *f;
	int looked = 0;
	for (int i = 0; i < FRAMES && media_decoder_read(d, &f) > 0; i++) {
		float pts[136];
		if (!landmarks(&m, &f->image, pts))
			continue;
		/* a "swapped" frame unlike the footage everywhere */
		media_image *img = copy_of(&f->image), *was;
		for (int y = 0; y < img->height; y++)
			for (int x = 0; x < 3 * img->width; x++)
				img->data[(size_t)y * img->stride + x] ^= 0x80;
		was = copy_of(img);
		CHECK(perform_swap_glasses_apply(g, img, &f->image, pts) == 0, "frame %d: no glasses", i);
		CHECK(memcmp(img->data, was->data, (size_t)img->stride * img->height) == 0, "frame %d: untouched", i);
		media_image_free(img);
		media_image_free(was);
		looked++;
	}
	CHECK(looked >= FRAMES - 2, "faces found: %d", looked);
	perform_swap_glasses_free(g);
	media_decoder_close(d);
	unload(&m);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_face_5_rims_kept),
		TEST_CASE(test_face_1_untouched),
		{ 0 },
	};
	return test_main(cases);
}
