/* Face-crop sets: faces kept or skipped for the right reason, crops of real
 * star photos and of film frames (the frames found again by seeking), and the
 * cache file: a round trip, truncated files and files that lie. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/safetensors.h"
#include "harness.h"
#include "media/decoder.h"
#include "media/imagefile.h"
#include "perform/swap_crops.h"
#include "perform/swap_footage.h"
#include "vision/align.h"
#include "vision/cascade.h"
#include "vision/detect.h"
#include "vision/face_model.h"
#include "vision/landmarks.h"
#include "vision/shape_model.h"

#define CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"
#define NP (2 * PERFORM_CROPS_POINTS)

/* A 256 x 256 RGB test card: smooth ramps, so crops have something to show. */
static media_image *card(void)
{
	media_image *img = media_image_new(256, 256, 3);
	for (int y = 0; y < 256; y++)
		for (int x = 0; x < 256; x++) {
			uint8_t *p = img->data + y * img->stride + 3 * x;
			p[0] = (uint8_t)x, p[1] = (uint8_t)y, p[2] = (uint8_t)((x + y) / 2);
		}
	return img;
}

/* The canonical face of a 64 crop, scaled by k about (32, 32) and moved to
 * (cx, cy) of the card. */
static void face_points(float k, float cx, float cy, float *pts)
{
	vision_align_template(64, pts);
	for (int i = 0; i < PERFORM_CROPS_POINTS; i++) {
		pts[2 * i] = cx + k * (pts[2 * i] - 32);
		pts[2 * i + 1] = cy + k * (pts[2 * i + 1] - 32);
	}
}

static perform_crops *new_set(int size)
{
	perform_crop_opts o = PERFORM_CROP_DEFAULTS;
	o.size = size;
	perform_crops *set = perform_crops_new(&o);
	CHECK(set != NULL);
	return set;
}

static void test_kept_and_skipped(void)
{
	media_image *img = card();
	perform_crops *set = new_set(64);
	float pts[NP], tmpl[NP];
	face_points(1.5f, 128, 128, pts);
	CHECK(perform_crops_add_face(set, img, pts, "card", 7) == 1);
	CHECK(set->n == 1 && set->frames[0] == 7 && strcmp(set->sources[0], "card") == 0);
	/* the crop's landmarks are the template's */
	vision_align_template(64, tmpl);
	CHECK_CLOSE("landmarks in the crop", set->landmarks, tmpl, NP, 1e-3, 0);
	/* the crop samples the card: its centre pixel is the card's at the face's centre */
	media_image view = perform_crops_image(set, 0);
	const uint8_t *c = view.data + 32 * view.stride + 3 * 32;
	CHECK(abs(c[0] - (int)(128 + 1.5 * (32 - 32))) <= 2 && abs(c[1] - 128) <= 2, "%d %d", c[0], c[1]);

	face_points(0.4f, 128, 128, pts);   /* enlarged 2.5 times into the crop */
	CHECK(perform_crops_add_face(set, img, pts, "small", -1) == 0);
	CHECK(set->skips.tiny == 1);

	/* the mean face turned 60 degrees, seen from the front */
	double yaw = 60 * M_PI / 180;
	for (int i = 0; i < PERFORM_CROPS_POINTS; i++) {
		const float *v = vision_face_model[i];
		pts[2 * i] = (float)(128 + 60 * (cos(yaw) * v[0] + sin(yaw) * v[2]));
		pts[2 * i + 1] = 128 + 60 * v[1];
	}
	CHECK(perform_crops_add_face(set, img, pts, "turned", -1) == 0);
	CHECK(set->skips.pose == 1, "pose %ld tiny %ld", set->skips.pose, set->skips.tiny);

	for (int i = 0; i < NP; i++)
		pts[i] = 50;
	CHECK(perform_crops_add_face(set, img, pts, "point", -1) == 0);
	CHECK(set->skips.degenerate == 1 && set->n == 1);

	perform_crop_opts bad = PERFORM_CROP_DEFAULTS;
	bad.size = 8;
	CHECK(perform_crops_new(&bad) == NULL && bj_error_code() == BJ_EINVAL);
	perform_crops_free(set);
	media_image_free(img);
}

static void test_star_photos(void)
{
	const char *dir = test_data("faces/star_George_W_Bush");
	if (!dir)
		return;
	vision_cascade *c = vision_cascade_load(CASCADE);
	vision_shape_model *m = vision_shape_model_load(VISION_SHAPE_MODEL_68);
	CHECK(c && m);
	if (!c || !m)
		goto out;
	vision_detector *det = vision_detector_new(c, NULL);
	perform_crops *set = new_set(128);
	char path[4096];
	for (int i = 1; i <= 4; i++) {
		snprintf(path, sizeof(path), "%s/George_W_Bush_%04d.jpg", dir, i);
		media_image *img = media_image_load(path, 3);
		CHECK(img && perform_crops_add_photo(set, det, m, img, path) >= 0, "%s", bj_error_message());
		media_image_free(img);
	}
	/* LFW photos are frontal faces about 100 pixels wide */
	CHECK(set->n == 4, "%zu added, skipped: %ld no face, %ld tiny, %ld pose", set->n, set->skips.no_face,
	      set->skips.tiny, set->skips.pose);
	/* aligned: the eye corners sit where the template puts them */
	float tmpl[NP];
	vision_align_template(128, tmpl);
	for (size_t i = 0; i < set->n; i++) {
		const float *p = set->landmarks + i * NP;
		CHECK(fabsf(p[2 * 36] - tmpl[2 * 36]) < 12 && fabsf(p[2 * 45 + 1] - tmpl[2 * 45 + 1]) < 12,
		      "face %zu: eye corner at %.1f, %.1f", i, p[2 * 36], p[2 * 45 + 1]);
	}
	/* a picture without a face is skipped as such */
	media_image *blank = media_image_new(200, 200, 3);
	CHECK(perform_crops_add_photo(set, det, m, blank, "blank") == 0 && set->skips.no_face == 1);
	media_image_free(blank);
	perform_crops_free(set);
	vision_detector_free(det);
out:
	vision_shape_model_free(m);
	vision_cascade_free(c);
}

/* Crops of a film's frames through perform_crops_add_footage equal crops of
 * the same frames decoded from the start, whatever the order of the faces. */
static void test_footage(void)
{
	const char *clip = test_data("footage/talking_heads/hdtf/videoretalking_face_1.mp4");
	if (!clip)
		return;
	vision_cascade *c = vision_cascade_load(CASCADE);
	vision_shape_model *m = vision_shape_model_load(VISION_SHAPE_MODEL_68);
	media_decoder *d = NULL;
	CHECK(c && m && media_decoder_open(clip, &d) == 0);
	if (!c || !m || !d)
		goto out;
	vision_detector *det = vision_detector_new(c, NULL);
	const media_info *info = media_decoder_info(d);
	const media_stream_info *vs = &info->streams[info->video];
	double fps = (double)vs->fps_num / vs->fps_den;
	/* frames far apart (a seek) and near (reading on), given out of order */
	static const int64_t wanted[] = { 150, 3, 10, 90 };
	enum { N = sizeof(wanted) / sizeof(wanted[0]) };
	perform_face_ref refs[N];
	perform_crops *direct = new_set(64);
	const media_frame *f;
	const int64_t want_sorted[N] = { 3, 10, 90, 150 };
	for (int k = 0; k < N && media_decoder_read(d, &f) > 0;) {
		if (f->index != want_sorted[k])
			continue;
		int j = 0;
		while (wanted[j] != f->index)
			j++;
		refs[j].video = clip;
		refs[j].fps = fps;
		refs[j].frame = f->index;
		const vision_box *b;
		size_t nb;
		vision_detect_params p = VISION_DETECT_DEFAULTS;
		p.min_width = p.min_height = 60;
		CHECK(vision_detect(det, &f->image, &p, &b, &nb) == 0 && nb >= 1);
		size_t big = 0;
		for (size_t i = 1; i < nb; i++)
			big = b[i].width > b[big].width ? i : big;
		float box[4] = { (float)b[big].x, (float)b[big].y, (float)(b[big].x + b[big].width - 1),
		                 (float)(b[big].y + b[big].height - 1) };
		CHECK(vision_landmarks_fit(m, &f->image, box, refs[j].landmarks) == 0);
		CHECK(perform_crops_add_face(direct, &f->image, refs[j].landmarks, clip, (int32_t)f->index) == 1);
		k++;
	}
	media_decoder_close(d);
	d = NULL;
	CHECK(direct->n == N, "%zu faces found in %d frames", direct->n, N);
	if (direct->n != N) {
		perform_crops_free(direct);
		vision_detector_free(det);
		goto out;
	}
	perform_crops *set = new_set(64);
	CHECK(perform_crops_add_footage(set, refs, N, NULL) == N, "%s", bj_error_message());
	size_t px = 64 * 64 * 3;
	for (size_t i = 0; i < set->n && i < direct->n; i++) {
		CHECK(set->frames[i] == want_sorted[i]);
		CHECK(memcmp(set->pixels + i * px, direct->pixels + i * px, px) == 0, "face %zu differs", i);
	}
	/* a frame past the end */
	refs[0].frame = 100000;
	CHECK(perform_crops_add_footage(set, refs, 1, NULL) == BJ_EFORMAT);
	char want[4200];
	snprintf(want, sizeof(want), "'%s': no frame 100000 (the film ends before it)", clip);
	CHECK_STR(bj_error_message(), want);
	perform_crops_free(set);
	perform_crops_free(direct);
	vision_detector_free(det);
out:
	media_decoder_close(d);
	vision_shape_model_free(m);
	vision_cascade_free(c);
}

/* A set of three faces of the card, saved. */
static perform_crops *three_faces(void)
{
	media_image *img = card();
	perform_crops *set = new_set(32);
	float pts[NP];
	for (int i = 0; i < 3; i++) {
		face_points(1.0f + 0.2f * i, 100 + 10 * i, 120, pts);
		CHECK(perform_crops_add_face(set, img, pts, i == 1 ? "films/reel é.mp4" : "star/a.jpg", i - 1) == 1);
	}
	set->skips.pose = 2;
	media_image_free(img);
	return set;
}

static void test_roundtrip(void)
{
	perform_crops *set = three_faces(), *back;
	const char *path = test_path("set.safetensors");
	CHECK(perform_crops_save(set, path) == 0, "%s", bj_error_message());
	CHECK(perform_crops_load(path, &back) == 0, "%s", bj_error_message());
	if (back) {
		CHECK(back->n == 3 && back->size == 32 && back->skips.pose == 2 && back->skips.tiny == 0);
		CHECK(memcmp(back->pixels, set->pixels, 3 * 32 * 32 * 3) == 0);
		CHECK(memcmp(back->landmarks, set->landmarks, 3 * NP * sizeof(float)) == 0);
		CHECK(back->frames[0] == -1 && back->frames[2] == 1);
		CHECK_STR(back->sources[1], "films/reel é.mp4");
		CHECK_STR(back->sources[2], "star/a.jpg");
	}
	perform_crops_free(back);
	perform_crops *empty = new_set(32);
	CHECK(perform_crops_save(empty, test_path("empty.safetensors")) == BJ_EINVAL);
	CHECK(test_count_entries(test_tmpdir()) == 1);
	perform_crops_free(empty);
	perform_crops_free(set);
}

/* Cut short anywhere in the header and at a few places in the data: rejected,
 * nothing leaked. */
static void test_truncated(void)
{
	perform_crops *set = three_faces(), *back = NULL;
	const char *path = test_path("set.safetensors");
	CHECK(perform_crops_save(set, path) == 0);
	size_t size;
	char *bytes = test_read_file(path, &size);
	uint64_t header;
	memcpy(&header, bytes, 8);
	const char *cut = test_path("cut.safetensors");
	int rejected = 0, tried = 0;
	for (size_t len = 0; len < size; len += len < 8 + header ? 1 : 997) {
		test_write_file(cut, bytes, len);
		tried++;
		if (perform_crops_load(cut, &back) < 0 && back == NULL)
			rejected++;
		perform_crops_free(back);
		back = NULL;
	}
	CHECK(rejected == tried, "%d of %d cut files rejected", rejected, tried);
	free(bytes);
	perform_crops_free(set);
}

/* A file written with the safetensors writer that says one thing and holds
 * another. */
static int lying_file(const char *path, const char *size_meta, int64_t n, int64_t side, float landmark,
                      const char *names, size_t names_len, const char *format)
{
	static uint8_t px[4 * 64 * 64 * 3];
	static float lm[4 * NP];
	static int32_t frames[4];
	for (int i = 0; i < 4 * NP; i++)
		lm[i] = 10;
	lm[5] = landmark;
	bj_st_writer *w = bj_st_writer_new();
	bj_st_writer_set_meta(w, "format", format);
	bj_st_writer_set_meta(w, "version", "1");
	bj_st_writer_set_meta(w, "size", size_meta);
	bj_st_writer_set_meta(w, "skipped_no_face", "0");
	bj_st_writer_set_meta(w, "skipped_tiny", "0");
	bj_st_writer_set_meta(w, "skipped_pose", "0");
	bj_st_writer_set_meta(w, "skipped_degenerate", "0");
	bj_st_writer_add(w, "crops", BJ_DTYPE_U8, 4, (int64_t[]){ n, side, side, 3 }, px);
	bj_st_writer_add(w, "landmarks", BJ_DTYPE_F32, 3, (int64_t[]){ n, 68, 2 }, lm);
	bj_st_writer_add(w, "frames", BJ_DTYPE_I32, 1, (int64_t[]){ n }, frames);
	bj_st_writer_add(w, "sources", BJ_DTYPE_U8, 1, (int64_t[]){ (int64_t)names_len }, names);
	int ret = bj_st_writer_save(w, path);
	bj_st_writer_free(w);
	return ret;
}

static void expect_rejected(const char *what, const char *message)
{
	perform_crops *back = (perform_crops *)1;
	const char *path = test_path("lie.safetensors");
	int ret = perform_crops_load(path, &back);
	CHECK(ret == BJ_EFORMAT && back == NULL, "%s: returned %d", what, ret);
	char want[4200];
	snprintf(want, sizeof(want), "'%s': %s", path, message);
	CHECK_STR(bj_error_message(), want);
}

static void test_lying(void)
{
	const char *path = test_path("lie.safetensors");
	const char two[] = "a\0b", three[] = "a\0b\0c";
	CHECK(lying_file(path, "32", 2, 32, 10, two, sizeof(two), "benjamin.face_crops") == 0);
	perform_crops *ok;
	CHECK(perform_crops_load(path, &ok) == 0, "a true file: %s", bj_error_message());
	perform_crops_free(ok);

	lying_file(path, "64", 2, 32, 10, two, sizeof(two), "benjamin.face_crops");
	expect_rejected("size", "tensor 'crops' is not U8 of the expected shape");
	lying_file(path, "32", 2, 32, 10, two, sizeof(two), "other");
	expect_rejected("format", "not a face-crop file");
	lying_file(path, "nine", 2, 32, 10, two, sizeof(two), "benjamin.face_crops");
	expect_rejected("size text", "metadata 'size' is missing or out of range");
	lying_file(path, "32", 2, 32, NAN, two, sizeof(two), "benjamin.face_crops");
	expect_rejected("NaN landmark", "face 0 has a landmark outside its crop");
	lying_file(path, "32", 2, 32, 1e6f, two, sizeof(two), "benjamin.face_crops");
	expect_rejected("far landmark", "face 0 has a landmark outside its crop");
	lying_file(path, "32", 2, 32, 10, three, sizeof(three), "benjamin.face_crops");
	expect_rejected("three names for two faces", "'sources' does not hold 2 NUL-terminated paths");
	lying_file(path, "32", 2, 32, 10, two, sizeof(two) - 1, "benjamin.face_crops");
	expect_rejected("unterminated name", "'sources' does not hold 2 NUL-terminated paths");
	lying_file(path, "32", 0, 32, 10, "", 0, "benjamin.face_crops");
	expect_rejected("no faces", "no faces");
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_kept_and_skipped),
		TEST_CASE(test_star_photos),
		TEST_CASE(test_footage),
		TEST_CASE(test_roundtrip),
		TEST_CASE(test_truncated),
		TEST_CASE(test_lying),
		{ 0 },
	};
	return test_main(cases);
}
