/*
 * test_swapclips.c - film/swapclips.h on a two-shot: two talking heads side
 * by side, indexed with faces into a library; the character cast as the
 * identity on one side gets the star's face there, and the other face stays
 * as it is in the same range passed through unswapped (to within what x264
 * makes of a change elsewhere in the frame: tests/perform/test_swap.c checks
 * that its pixels are the same before encoding), and the other way round.
 */
#include "film/swapclips.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "film/cut.h"
#include "film/timeline.h"
#include "harness.h"
#include "library/face_boxes.h"
#include "library/faces.h"
#include "library/identities.h"
#include "library/ingest.h"
#include "media/decoder.h"
#include "media/encoder.h"
#include "perform/swap_clip.h"
#include "vision/cascade.h"
#include "vision/shape_model.h"

#define FRAMES 38
#define SIDE 240

/* The first FRAMES frames of path at SIDE x SIDE into frames[k] (w = 2 SIDE). */
static int side(const char *path, uint8_t *frames, int right)
{
	media_decoder *d;
	if (media_decoder_open(path, &d) < 0 || media_decoder_set_output(d, SIDE, SIDE, 3) < 0)
		return -1;
	const media_frame *f;
	int k = 0;
	for (; k < FRAMES && media_decoder_read(d, &f) > 0; k++)
		for (int y = 0; y < SIDE; y++)
			memcpy(frames + ((size_t)k * SIDE + y) * 2 * SIDE * 3 + (right ? SIDE * 3 : 0),
			       f->image.data + (size_t)y * f->image.stride, SIDE * 3);
	media_decoder_close(d);
	return k == FRAMES ? 0 : -1;
}

/* The mean absolute difference of the first n frames of a and b inside the
 * boxes (x, y, w, h) l and r. */
static int faces_differ(const char *a, const char *b, int n, const float *l, const float *r, double *left,
                        double *right)
{
	media_decoder *da, *db;
	if (media_decoder_open(a, &da) < 0)
		return -1;
	if (media_decoder_open(b, &db) < 0) {
		media_decoder_close(da);
		return -1;
	}
	media_decoder_set_output(da, 0, 0, 3);
	media_decoder_set_output(db, 0, 0, 3);
	double sum[2] = { 0, 0 }, count[2] = { 0, 0 };
	const media_frame *fa, *fb;
	int k = 0;
	static uint8_t keep[SIDE * 2 * SIDE * 3];
	for (; k < n && media_decoder_read(da, &fa) > 0; k++) {
		for (int y = 0; y < SIDE; y++)
			memcpy(keep + (size_t)y * 2 * SIDE * 3, fa->image.data + (size_t)y * fa->image.stride, 2 * SIDE * 3);
		if (media_decoder_read(db, &fb) <= 0)
			break;
		for (int i = 0; i < 2; i++) {
			const float *bx = i ? r : l;
			for (int y = (int)bx[1]; y < (int)(bx[1] + bx[3]) && y < SIDE; y++)
				for (int x = 3 * (int)bx[0]; x < 3 * (int)(bx[0] + bx[2]) && x < 2 * SIDE * 3; x++) {
					sum[i] += abs(keep[(size_t)y * 2 * SIDE * 3 + x] - fb->image.data[(size_t)y * fb->image.stride + x]);
					count[i]++;
				}
		}
	}
	media_decoder_close(da);
	media_decoder_close(db);
	*left = sum[0] / (count[0] > 0 ? count[0] : 1);
	*right = sum[1] / (count[1] > 0 ? count[1] : 1);
	return k == n ? 0 : -1;
}

static void test_two_shot(void)
{
	char a[4096], b[4096], stars[PATH_MAX], film[4096];
	const char *p;
	if (!(p = test_data("footage/talking_heads/hdtf/videoretalking_face_2.mp4")))
		return;
	snprintf(a, sizeof(a), "%s", p);
	if (!(p = test_data("footage/talking_heads/hdtf/videoretalking_face_4.mp4")))
		return;
	snprintf(b, sizeof(b), "%s", p);
	if (!(p = test_data("faces/star_George_W_Bush")))
		return;
	/* cast.json's star folder is relative to its own folder: made absolute */
	if (!realpath(p, stars))
		snprintf(stars, sizeof(stars), "%s", p);
	snprintf(film, sizeof(film), "%s", test_path("two.mp4"));

	uint8_t *frames = malloc((size_t)FRAMES * SIDE * 2 * SIDE * 3);
	CHECK(side(a, frames, 0) == 0 && side(b, frames, 1) == 0, "%s", bj_error_message());
	media_encoder_opts eo = media_encoder_defaults(2 * SIDE, SIDE, 25, 1);
	eo.crf = 12;
	media_encoder *e;
	CHECK(media_encoder_open(film, &eo, &e) == 0, "%s", bj_error_message());
	for (int k = 0; k < FRAMES; k++) {
		media_image img = media_image_view(frames + (size_t)k * SIDE * 2 * SIDE * 3, 2 * SIDE, SIDE, 3, 2 * SIDE * 3);
		CHECK(media_encoder_write_video(e, &img) == 0);
	}
	CHECK(media_encoder_finish(e) == 0);
	media_encoder_close(e);
	free(frames);

	library *lib;
	CHECK(library_open(test_path("two.db"), &lib) == 0, "%s", bj_error_message());
	library_faces *faces = library_faces_new();
	library_index_options io = { .faces = faces };
	library_index_report ir;
	CHECK(faces && library_index_file(lib, film, &io, &ir) == 0 && ir.film_id > 0, "%s", bj_error_message());
	library_faces_free(faces);
	int n_ids = 0;
	CHECK(library_identities_update(lib, &n_ids) == 0 && n_ids == 2, "%d identities", n_ids);
	/* which identity is on the left, and the faces' boxes at 0.2 s */
	float box[4], boxes[2][4];
	int64_t left = 0;
	for (int64_t id = 1; id <= 2; id++)
		if (library_face_boxes(lib, ir.film_id, id, 0, 5, 5, box) == 1 && box[0] + box[2] / 2 < SIDE)
			left = id;
	for (int64_t id = 1; id <= 2; id++)
		CHECK(library_face_boxes(lib, ir.film_id, id, 0, 5, 5, boxes[id != left]) == 1);
	CHECK(left > 0, "no identity on the left");

	/* the clip with no face swapped, through the same decoding and encoding:
	 * what the other face must look like */
	char still[4200];
	snprintf(still, sizeof(still), "%s", test_path("still.mp4"));
	int64_t first, last;
	CHECK(perform_swap_frames(film, 0.2, 0.8, &first, &last) == 0 && first == 5 && last == 20);
	vision_cascade *c = vision_cascade_load(LIBRARY_FACES_CASCADE);
	vision_shape_model *m = vision_shape_model_load(VISION_SHAPE_MODEL_68);
	perform_swap_opts po = PERFORM_SWAP_DEFAULTS;
	perform_swapper *s = perform_swapper_new(c, m, NULL, &po);
	float nobody[4 * 16] = { 0 };
	perform_swap_range_opts ro = { .boxes = nobody, .crf = 12 };
	perform_swap_stats st;
	CHECK(s && perform_swapper_add_stars(s, stars, 1, NULL) == 1 &&
	      perform_swap_range(s, film, first, last, still, &ro, &st, NULL) == 0, "%s", bj_error_message());
	CHECK(st.frames == 16 && st.absent == 16 && st.swapped == 0);
	perform_swapper_free(s);
	vision_shape_model_free(m);
	vision_cascade_free(c);

	for (int64_t who = 1; who <= 2; who++) {
		char cast_path[4200], tl_path[4200], dir[4200];
		snprintf(cast_path, sizeof(cast_path), "%s", test_path("cast.json"));
		FILE *f = fopen(cast_path, "w");
		fprintf(f, "{\"cast\": [{\"character\": \"EVE\", \"identity\": %lld, \"star\": \"%s\"}]}", (long long)who,
		        stars);
		fclose(f);
		snprintf(tl_path, sizeof(tl_path), "%s", test_path("timeline.json"));
		f = fopen(tl_path, "w");
		fprintf(f, "{\"format\": \"benjamin-timeline\", \"version\": 1, \"title\": \"T\", \"video\": [{\"source\": "
		        "\"%s\", \"in\": 0.2, \"out\": 0.8, \"at\": 0, \"scene\": 1, \"why\": {\"need\": {\"kind\": "
		        "\"dialogue\", \"character\": \"EVE\"}, \"shot\": {\"id\": 1}}}], \"dialogue\": []}", film);
		fclose(f);
		film_cast cast;
		film_timeline t;
		CHECK(film_cast_load(cast_path, &cast) == 0, "%s", bj_error_message());
		CHECK(film_timeline_load(tl_path, &t) == 0, "%s", bj_error_message());
		snprintf(dir, sizeof(dir), "%s", test_path(""));
		film_swap_opts so = FILM_SWAP_DEFAULTS;
		film_swap_report r;
		CHECK(film_swap_clips(&t, &cast, lib, dir, &so, &r) == 0, "%s", bj_error_message());
		CHECK(r.clips == 1 && r.frames == 16 && r.swapped >= 14, "%zu clips, %ld of %ld frames swapped", r.clips,
		      r.swapped, r.frames);
		CHECK(t.n_clips == 1 && t.clips[0].media && t.clips[0].media_at > 0.19 && t.clips[0].media_at < 0.21);
		double dl = -1, dr = -1;
		if (t.clips[0].media)
			CHECK(faces_differ(still, t.clips[0].media, 16, boxes[0], boxes[1], &dl, &dr) == 0);
		double mine = who == left ? dl : dr, other = who == left ? dr : dl;
		printf("    identity %lld (%s): its face changes by %.2f, the other face by %.2f\n", (long long)who,
		       who == left ? "left" : "right", mine, other);
		/* x264 spends its bits anew on the whole frame when a part changes:
		 * the untouched face moves by a grey level or so (0.4 at crf 1) */
		CHECK(mine > 5 && other < 2 && mine > 3 * other, "cast face %.2f, other face %.2f", mine, other);
		film_swap_report_release(&r);
		film_timeline_release(&t);
		film_cast_release(&cast);
	}
	library_close(lib);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_two_shot),
		{ 0 },
	};
	return test_main(cases);
}
