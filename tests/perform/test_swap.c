/* The face swap on a few frames of a real talking head with a real star photo:
 * faces are swapped, face-less and tiny-face frames pass unchanged with a
 * reason, strength 0 changes nothing, the output is deterministic, and the
 * flicker and seam scores come out in range.  In a two-shot, a target box
 * picks the face to swap and leaves the other's pixels as they were.  Of star
 * photos in about the same pose, a calm one is used, not a shouting one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/threads.h"
#include "harness.h"
#include "media/decoder.h"
#include "media/imagefile.h"
#include "media/resize.h"
#include "perform/swap.h"
#include "vision/cascade.h"
#include "vision/detect.h"
#include "vision/shape_model.h"

#define CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"
#define FRAMES 12

static vision_cascade *cascade;
static vision_shape_model *model;
static media_image *frames[FRAMES], *star;

static int setup(void)
{
	if (star)
		return 1;
	const char *photo = test_data("faces/star_George_W_Bush/George_W_Bush_0001.jpg");
	if (!photo)
		return 0;
	star = media_image_load(photo, 3);
	const char *clip = test_data("footage/talking_heads/hdtf/videoretalking_face_1.mp4");
	if (!clip)
		return 0;
	cascade = vision_cascade_load(CASCADE);
	model = vision_shape_model_load(VISION_SHAPE_MODEL_68);
	media_decoder *d;
	CHECK(cascade && model && star && media_decoder_open(clip, &d) == 0);
	if (!cascade || !model || !star)
		return 0;
	CHECK(media_decoder_set_output(d, 0, 0, 3) == 0);
	const media_frame *f;
	for (int i = 0; i < FRAMES && media_decoder_read(d, &f) > 0; i++) {
		frames[i] = media_image_new(f->image.width, f->image.height, 3);
		for (int y = 0; y < f->image.height; y++)
			memcpy(frames[i]->data + y * frames[i]->stride, f->image.data + y * f->image.stride,
			       (size_t)f->image.width * 3);
	}
	media_decoder_close(d);
	CHECK(frames[FRAMES - 1] != NULL);
	return frames[FRAMES - 1] != NULL;
}

static media_image *copy(const media_image *img)
{
	media_image *c = media_image_new(img->width, img->height, 3);
	memcpy(c->data, img->data, (size_t)img->height * img->stride);
	return c;
}

static int same(const media_image *a, const media_image *b)
{
	return a->width == b->width && a->height == b->height &&
	       memcmp(a->data, b->data, (size_t)a->height * a->stride) == 0;
}

/* Swaps all frames on pool's threads (NULL: the caller's); out[i] gets copies
 * of the results (or NULL). */
static perform_swapper *run(double strength, bj_pool *pool, media_image **out, perform_swap_stats *st)
{
	perform_swap_opts o = PERFORM_SWAP_DEFAULTS;
	o.strength = strength;
	perform_swapper *s = perform_swapper_new(cascade, model, pool, &o);
	CHECK(s && perform_swapper_add_star(s, star, "star") == 0);
	for (int i = 0; i < FRAMES; i++) {
		media_image *f = copy(frames[i]);
		perform_swap_report rep;
		CHECK(perform_swapper_frame(s, f, i / 30.0, &rep) == 0);
		/* the clip's first frame has no face found, so the face appears on
		 * the second and is swapped from the third */
		CHECK(rep.swapped || i <= 1, "frame %d: %s", i, rep.reason);
		if (out)
			out[i] = f;
		else
			media_image_free(f);
	}
	perform_swapper_stats(s, st);
	return s;
}

static void test_swap_frames(void)
{
	if (!setup())
		return;
	media_image *a[FRAMES], *b[FRAMES];
	perform_swap_stats st;
	perform_swapper *s = run(1, NULL, a, &st);
	CHECK(st.frames == FRAMES && st.swapped >= FRAMES - 2, "%ld of %ld swapped", st.swapped, st.frames);
	CHECK(st.flicker > 0 && st.flicker < 2.5, "flicker %g", st.flicker);
	CHECK(st.seam > 0 && st.seam < 1.5, "seam %g (original %g)", st.seam, st.seam_original);
	CHECK(!same(a[5], frames[5]), "frame 5 unchanged");
	/* a frame with no face passes through (after a cut: a followed face is
	 * kept for a few frames without detections), and so does a tiny face */
	perform_swapper_reset(s);
	media_image *black = media_image_new(320, 240, 3), *keep = media_image_new(320, 240, 3);
	perform_swap_report rep;
	CHECK(perform_swapper_frame(s, black, 1, &rep) == 0);
	CHECK(!rep.swapped && strcmp(rep.reason, "no face") == 0 && same(black, keep), "%s", rep.reason);
	/* a face that flashes up for one frame in the middle of a shot (a false
	 * detection) is not swapped; one that stays is, from its second frame */
	perform_swapper_reset(s);
	for (int i = 0; i < 8; i++) {
		int face = i == 2 || i >= 5;
		media_image *f = face ? copy(frames[3 + i]) : copy(black), *fk = copy(f);
		CHECK(perform_swapper_frame(s, f, i / 30.0, &rep) == 0);
		CHECK(rep.swapped == (i >= 6), "frame %d of the flash: %s", i, rep.swapped ? "swapped" : rep.reason);
		CHECK(rep.swapped || same(f, fk), "frame %d changed", i);
		media_image_free(f);
		media_image_free(fk);
	}
	media_image *tiny = media_image_resize(frames[5], 100, 100), *tiny_keep = copy(tiny);
	perform_swapper_reset(s);
	CHECK(perform_swapper_frame(s, tiny, 2, &rep) == 0);
	CHECK(!rep.swapped && same(tiny, tiny_keep), "tiny face: %s", rep.reason);
	perform_swapper_free(s);
	/* deterministic, and the same on two threads, scores and all */
	bj_pool *pool = bj_pool_new(2);
	perform_swap_stats st2;
	s = run(1, pool, b, &st2);
	for (int i = 0; i < FRAMES; i++)
		CHECK(same(a[i], b[i]), "frame %d differs between runs", i);
	CHECK(st2.flicker == st.flicker && st2.seam == st.seam && st2.margin == st.margin && st2.texture == st.texture,
	      "scores differ on two threads");
	perform_swapper_free(s);
	bj_pool_free(pool);
	for (int i = 0; i < FRAMES; i++)
		media_image_free(b[i]);
	/* strength 0: nothing changes */
	s = run(0, NULL, b, &st);
	for (int i = 0; i < FRAMES; i++)
		CHECK(same(b[i], frames[i]), "strength 0 changed frame %d", i);
	perform_swapper_free(s);
	for (int i = 0; i < FRAMES; i++) {
		media_image_free(a[i]);
		media_image_free(b[i]);
	}
	media_image_free(black);
	media_image_free(keep);
	media_image_free(tiny);
	media_image_free(tiny_keep);
}

/* Frame i of the clip twice, side by side at half size, the right one
 * mirrored: two faces 240 pixels apart. */
static media_image *two_shot(int i)
{
	media_image *half = media_image_resize(frames[i], 240, 240), *two = media_image_new(480, 240, 3);
	for (int y = 0; y < 240; y++)
		for (int x = 0; x < 240; x++)
			for (int c = 0; c < 3; c++) {
				uint8_t v = half->data[y * half->stride + 3 * x + c];
				two->data[y * two->stride + 3 * x + c] = v;
				two->data[y * two->stride + 3 * (479 - x) + c] = v;
			}
	media_image_free(half);
	return two;
}

/* Whether the columns x0..x1-1 of a and b are the same. */
static int same_part(const media_image *a, const media_image *b, int x0, int x1)
{
	for (int y = 0; y < a->height; y++)
		if (memcmp(a->data + y * a->stride + 3 * x0, b->data + y * b->stride + 3 * x0, 3 * (size_t)(x1 - x0)))
			return 0;
	return 1;
}

static void test_target(void)
{
	if (!setup())
		return;
	/* the two faces' boxes, as the library would give them */
	media_image *two = two_shot(0);
	vision_detector *det = vision_detector_new(cascade, NULL);
	vision_detect_params p = VISION_DETECT_DEFAULTS;
	p.min_neighbors = 3;
	const vision_box *b;
	size_t n;
	CHECK(vision_detect(det, two, &p, &b, &n) == 0 && n == 2, "%zu faces in the two-shot", n);
	if (n != 2) {
		vision_detector_free(det);
		media_image_free(two);
		return;
	}
	int r = b[1].x > b[0].x;
	float right[4] = { (float)b[r].x, (float)b[r].y, (float)b[r].width, (float)b[r].height };
	float left[4] = { (float)b[!r].x, (float)b[!r].y, (float)b[!r].width, (float)b[!r].height };
	vision_detector_free(det);
	media_image_free(two);

	perform_swap_opts o = PERFORM_SWAP_DEFAULTS;
	perform_swapper *s = perform_swapper_new(cascade, model, NULL, &o);
	CHECK(s && perform_swapper_add_star(s, star, "star") == 0);
	/* the right face for 6 frames, then it leaves, then the left one */
	for (int i = 0; i < FRAMES; i++) {
		media_image *f = two_shot(i), *keep = copy(f);
		static const float gone[4] = { 0 };
		perform_swapper_target(s, i < 6 ? right : i < 8 ? gone : left);
		perform_swap_report rep;
		CHECK(perform_swapper_frame(s, f, i / 30.0, &rep) == 0);
		if (i < 6) {
			CHECK(rep.swapped, "frame %d: %s", i, rep.reason);
			CHECK(same_part(f, keep, 0, 240) && !same_part(f, keep, 240, 480), "frame %d: not the right face only", i);
		} else if (i < 8) {
			CHECK(!rep.swapped && rep.skip == PERFORM_SKIP_ABSENT && !strcmp(rep.reason, "not on screen") &&
			      same(f, keep), "frame %d: %s", i, rep.reason);
		} else {
			CHECK(rep.swapped, "frame %d: %s", i, rep.reason);
			CHECK(!same_part(f, keep, 0, 240) && same_part(f, keep, 240, 480), "frame %d: not the left face only", i);
		}
		media_image_free(f);
		media_image_free(keep);
	}
	perform_swap_stats st;
	perform_swapper_stats(s, &st);
	CHECK(st.frames == FRAMES && st.absent == 2 && st.swapped == FRAMES - 2, "%ld swapped, %ld absent", st.swapped,
	      st.absent);
	/* a target trailing the followed face by 0.65 of its width (interpolated
	 * between the library's samples across a fast move; overlap 0.21): the
	 * face is kept, not dropped and looked for afresh */
	perform_swapper_reset(s);
	for (int i = 0; i < 6; i++) {
		media_image *f = two_shot(i);
		float trail[4] = { right[0] - (i > 1 ? 0.65f * right[2] : 0), right[1], right[2], right[3] };
		perform_swapper_target(s, trail);
		perform_swap_report rep;
		CHECK(perform_swapper_frame(s, f, i / 30.0, &rep) == 0 && rep.swapped, "trailing target, frame %d: %s", i,
		      rep.reason);
		media_image_free(f);
	}
	/* a target where no face is: nothing swapped */
	media_image *f = two_shot(3), *keep = copy(f);
	float nowhere[4] = { 200, 0, 40, 40 };
	perform_swapper_reset(s);
	perform_swapper_target(s, nowhere);
	perform_swap_report rep;
	CHECK(perform_swapper_frame(s, f, 0, &rep) == 0 && !rep.swapped && same(f, keep), "%s", rep.reason);
	media_image_free(f);
	media_image_free(keep);
	perform_swapper_free(s);
}

/* The footage: Bush shouting (George_W_Bush_0160).  The stars: that same
 * photo, another shout, and four calm ones within 8 degrees of its pose.
 * Nearest in pose is the shout itself (0 degrees); a calm one is used. */
static void test_calm_photo(void)
{
	if (!setup())
		return;
	static const char *const names[] = { "0001", "0067", "0120", "0160", "0226", "0425" };
	enum { SHOUT = 3, OTHER_SHOUT = 4 };
	perform_swap_opts o = PERFORM_SWAP_DEFAULTS;
	perform_swapper *s = perform_swapper_new(cascade, model, NULL, &o);
	media_image *shout = NULL;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "faces/star_George_W_Bush/George_W_Bush_%s.jpg", names[i]);
		const char *path = test_data(rel);
		media_image *photo = path ? media_image_load(path, 3) : NULL;
		CHECK(photo && perform_swapper_add_star(s, photo, names[i]) == 0, "%s", rel);
		if (i == SHOUT)
			shout = photo;
		else
			media_image_free(photo);
	}
	perform_swap_report rep = { .swapped = 0 };
	for (int i = 0; i < 4 && shout; i++) {
		media_image *f = copy(shout);
		CHECK(perform_swapper_frame(s, f, i / 30.0, &rep) == 0);
		media_image_free(f);
	}
	CHECK(rep.swapped && rep.star >= 0 && rep.star != SHOUT && rep.star != OTHER_SHOUT,
	      "star photo %d used (%s)", rep.star, rep.swapped ? "swapped" : rep.reason);
	media_image_free(shout);
	perform_swapper_free(s);
}

static void test_bad(void)
{
	if (!setup())
		return;
	perform_swap_opts o = PERFORM_SWAP_DEFAULTS;
	o.strength = 2;
	CHECK(perform_swapper_new(cascade, model, NULL, &o) == NULL);
	o.strength = 1;
	perform_swapper *s = perform_swapper_new(cascade, model, NULL, &o);
	perform_swap_report rep;
	media_image *f = copy(frames[3]);
	CHECK(perform_swapper_frame(s, f, 0, &rep) < 0, "no star yet");
	media_image *black = media_image_new(200, 200, 3);
	CHECK(perform_swapper_add_star(s, black, "black.png") < 0);
	CHECK(perform_swapper_stars(s) == 0);
	media_image_free(black);
	media_image_free(f);
	perform_swapper_free(s);
}

static void test_cleanup(void)
{
	for (int i = 0; i < FRAMES; i++)
		media_image_free(frames[i]);
	media_image_free(star);
	vision_cascade_free(cascade);
	vision_shape_model_free(model);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_swap_frames),
		TEST_CASE(test_target),
		TEST_CASE(test_calm_photo),
		TEST_CASE(test_bad),
		TEST_CASE(test_cleanup),
		{ 0 },
	};
	return test_main(cases);
}
