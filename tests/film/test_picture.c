/*
 * test_picture.c - letterbox and pillarbox geometry, the Ken Burns pan, overlay
 * compositing, and the text drawn with cairo/pango and libass (it is there,
 * where it should be, and the same every time).
 */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "film/burn.h"
#include "film/picture.h"
#include "film/titles.h"
#include "harness.h"
#include "media/image.h"

static void check_rect(film_rect r, int x, int y, int w, int h)
{
	CHECK(r.x == x && r.y == y && r.w == w && r.h == h, "got %d,%d %dx%d, want %d,%d %dx%d", r.x,
	      r.y, r.w, r.h, x, y, w, h);
}

static void test_fit(void)
{
	check_rect(film_fit(640, 480, 1, 1, 1280, 720), 160, 0, 960, 720);     /* pillarbox */
	check_rect(film_fit(1920, 800, 1, 1, 1280, 720), 0, 93, 1280, 533);    /* letterbox */
	check_rect(film_fit(1920, 1080, 1, 1, 1280, 720), 0, 0, 1280, 720);    /* same aspect */
	check_rect(film_fit(854, 480, 1, 1, 640, 360), 0, 0, 640, 360);        /* 1 px off: stretched */
	check_rect(film_fit(720, 576, 16, 15, 1280, 720), 160, 0, 960, 720);   /* PAL 4:3, non-square */
	check_rect(film_fit(720, 576, 64, 45, 1280, 720), 0, 0, 1280, 720);   /* PAL 16:9 */
	check_rect(film_fit(480, 360, 0, 0, 640, 360), 80, 0, 480, 360);       /* unknown SAR: square */
	check_rect(film_fit(100, 1000, 1, 1, 640, 360), 302, 0, 36, 360);      /* tall */
}

static media_image *gradient(int w, int h)
{
	media_image *img = media_image_new(w, h, 3);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint8_t *p = img->data + (size_t)y * img->stride + 3 * x;
			p[0] = (uint8_t)(x * 255 / (w - 1));
			p[1] = (uint8_t)(y * 255 / (h - 1));
			p[2] = 77;
		}
	return img;
}

static void test_pan(void)
{
	media_image *still = gradient(320, 180), *out = media_image_new(160, 90, 3);
	/* Zoom 1 of a same-aspect image: the whole picture, halved. */
	film_pan(still, &(film_view){ 1, 0.5, 0.5 }, out);
	CHECK(out->data[0] < 3 && out->data[(size_t)89 * out->stride + 159 * 3] > 252,
	      "corners %d %d", out->data[0], out->data[(size_t)89 * out->stride + 159 * 3]);
	CHECK(out->data[2] == 77);
	/* Zoom 2 at the top-left corner: only the top-left quarter (red < 128). */
	film_pan(still, &(film_view){ 2, 0, 0 }, out);
	CHECK(out->data[(size_t)89 * out->stride + 159 * 3] < 130, "%d",
	      out->data[(size_t)89 * out->stride + 159 * 3]);
	/* A wide still in a square frame: the middle of it (the window kept inside). */
	media_image *sq = media_image_new(90, 90, 3);
	film_pan(still, &(film_view){ 1, 0.5, 0.5 }, sq);
	CHECK(sq->data[0] > 50 && sq->data[0] < 62, "left edge red %d (x 70 of 320: 56)", sq->data[0]);
	film_view v = film_view_at(&(film_view){ 1, 0.2, 0.5 }, &(film_view){ 2, 0.6, 0.5 }, 0.5);
	CHECK_NEAR(v.zoom, 1.5, 1e-12);
	CHECK_NEAR(v.x, 0.4, 1e-12);
	v = film_view_at(&(film_view){ 1, 0.2, 0.5 }, &(film_view){ 2, 0.6, 0.5 }, 0.1);
	CHECK(v.zoom < 1.1, "eased: %g", v.zoom);
	media_image_free(sq);
	media_image_free(still);
	media_image_free(out);
}

static void test_place_and_overlay(void)
{
	media_image *frame = media_image_new(64, 36, 3), *pic = gradient(48, 36);
	memset(frame->data, 200, frame->stride * 36);
	film_place(pic, (film_rect){ 8, 0, 48, 36 }, frame);
	CHECK(frame->data[0] == 0 && frame->data[7 * 3] == 0, "border not black");
	CHECK(frame->data[8 * 3 + 2] == 77 && frame->data[63 * 3 + 2] == 0);
	/* Half-transparent white over black: 128ish; outside the frame: cut off. */
	uint32_t px[4] = { 0x80808080u, 0x80808080u, 0xff0000ffu, 0 };
	film_overlay o = { .x = 62, .y = 0, .w = 4, .h = 1, .argb = px };
	film_clear(frame);
	film_overlay_draw(&o, frame);
	CHECK(frame->data[62 * 3] == 128 && frame->data[63 * 3 + 2] == 128, "%d", frame->data[62 * 3]);
	film_fade(frame, 0.5);
	CHECK(frame->data[62 * 3] == 64);
	media_image_free(frame);
	media_image_free(pic);
}

/* Bright pixels (any channel > 128) of img within rows [y0, y1). */
static long bright(const media_image *img, int y0, int y1)
{
	long n = 0;
	for (int y = y0; y < y1; y++)
		for (int x = 0; x < img->width * 3; x++)
			n += img->data[(size_t)y * img->stride + x] > 128;
	return n;
}

static void test_titles(void)
{
	media_image *frame = media_image_new(320, 180, 3);
	film_title_draw("Sunspring", frame);
	long mid = bright(frame, 50, 130), edge = bright(frame, 0, 20) + bright(frame, 160, 180);
	CHECK(mid > 200 && edge == 0, "title: %ld bright in the middle, %ld at the edges", mid, edge);
	uint32_t sum = media_image_adler32(frame);
	film_title_draw("Sunspring", frame);
	CHECK(media_image_adler32(frame) == sum, "not deterministic");

	film_clip clips[2] = { { .source = "a/nosferatu_1922.mp4" }, { .source = "b/nosferatu_1922.mp4" } };
	film_line lines[3] = { { .character = "H" }, { .character = "C" }, { .character = "H" } };
	film_timeline t = { .title = "Zone Out", .clips = clips, .n_clips = 2, .lines = lines,
	                    .n_lines = 3 };
	film_credits c;
	film_credits_default(&t, &c);
	static const char *const want[] = { "Zone Out", "", "written, directed, performed, scored and edited by",
	                                    "benjamin", "", "Cast", "H", "C", "", "Source films",
	                                    "nosferatu 1922", "", "An AI-generated film" };
	CHECK(c.n == BJ_ARRAY_SIZE(want), "%zu lines", c.n);
	for (size_t i = 0; i < c.n && i < BJ_ARRAY_SIZE(want); i++)
		CHECK_STR(c.lines[i], want[i]);
	/* 13 lines: about 13 s to roll past, a line crossing the frame in 6 s. */
	CHECK(film_credits_seconds(&c) > 11 && film_credits_seconds(&c) < 15, "%g s",
	      film_credits_seconds(&c));
	media_image *roll = film_credits_roll_new(&c, 320, 180);
	CHECK(roll->height > 180 && bright(roll, 0, roll->height) > 500);
	film_credits_roll_draw(roll, 0, frame);
	CHECK(bright(frame, 0, 180) == 0, "the roll starts below the frame");
	film_credits_roll_draw(roll, 0.5, frame);
	CHECK(bright(frame, 0, 180) > 100);
	film_credits_roll_draw(roll, 1, frame);
	CHECK(bright(frame, 0, 180) == 0, "the roll ends above the frame");
	media_image_free(roll);
	film_credits_release(&c);

	film_overlay label;
	film_label_new(FILM_LABEL, 320, 180, &label);
	CHECK(label.x > 160 && label.y > 120 && label.x + label.w <= 320 && label.y + label.h <= 180,
	      "label at %d,%d %dx%d", label.x, label.y, label.w, label.h);
	film_clear(frame);
	film_overlay_draw(&label, frame);
	CHECK(bright(frame, label.y, label.y + label.h) > 50 && bright(frame, 0, label.y) == 0);
	film_overlay_release(&label);
	media_image_free(frame);
}

static void test_burn(void)
{
	film_cue cues[1] = { { 1.0, 2.0, "Hello,\nworld." } };
	film_subtitles s = { cues, 1 };
	film_burner *b = film_burner_new(&s, 320, 180);
	CHECK(b != NULL);
	if (!b)
		return;
	media_image *frame = media_image_new(320, 180, 3);
	film_burner_draw(b, frame, 0.5);
	CHECK(bright(frame, 0, 180) == 0, "a cue before its time");
	film_burner_draw(b, frame, 1.5);
	long low = bright(frame, 110, 180), high = bright(frame, 0, 100);
	CHECK(low > 100 && high == 0, "subtitle pixels: %ld at the bottom, %ld above", low, high);
	film_burner_free(b);
	media_image_free(frame);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_fit),
		TEST_CASE(test_pan),
		TEST_CASE(test_place_and_overlay),
		TEST_CASE(test_titles),
		TEST_CASE(test_burn),
		{ 0 },
	};
	return test_main(cases);
}
