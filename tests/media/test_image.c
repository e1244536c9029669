#include "media/image.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"
#include "media/imagefile.h"
#include "media/resize.h"

/* A smooth test card: horizontal red ramp, vertical green ramp, blue diagonal. */
static media_image *test_card(int w, int h, int channels)
{
	media_image *img = media_image_new(w, h, channels);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint8_t *p = img->data + (size_t)y * img->stride + (size_t)x * channels;
			uint8_t r = (uint8_t)(255 * x / (w - 1)), g = (uint8_t)(255 * y / (h - 1));
			if (channels == 1) {
				p[0] = (uint8_t)((r + g) / 2);
			} else {
				p[0] = r;
				p[1] = g;
				p[2] = (uint8_t)((x + y) % 256);
			}
		}
	return img;
}

static double mean_abs_diff(const media_image *a, const media_image *b)
{
	double sum = 0;
	size_t n = (size_t)a->width * (size_t)a->channels;
	for (int y = 0; y < a->height; y++)
		for (size_t i = 0; i < n; i++)
			sum += fabs((double)a->data[y * a->stride + i] - b->data[y * b->stride + i]);
	return sum / ((double)n * a->height);
}

static void test_new_checks_sizes(void)
{
	media_image *img = media_image_new(4, 3, 3);
	CHECK(img && img->stride == 12 && img->owns_data);
	CHECK(img->data[0] == 0 && img->data[35] == 0, "zeroed");
	media_image_free(img);
	CHECK(media_image_new(0, 3, 3) == NULL);
	CHECK_STR(bj_error_message(), "image size 0x3 is out of range (1..32768)");
	CHECK(media_image_new(40000, 3, 1) == NULL);
	CHECK(media_image_new(4, 3, 2) == NULL);
	CHECK_STR(bj_error_message(), "images have 1 or 3 channels, not 2");
	media_image_free(NULL);
}

static void test_adler32_known_answer(void)
{
	/* RFC 1950's Adler-32 of "Wikipedia" is 0x11E60398. */
	uint8_t text[] = "Wikipedia";
	media_image v = media_image_view(text, 9, 1, 1, 9);
	CHECK(media_image_adler32(&v) == 0x11E60398u, "got %08x", media_image_adler32(&v));
	/* Padding between rows is not part of the checksum. */
	uint8_t padded[] = "Wik#ipe#dia#";
	v = media_image_view(padded, 3, 3, 1, 4);
	CHECK(media_image_adler32(&v) == 0x11E60398u, "got %08x", media_image_adler32(&v));
}

static void test_png_round_trip_is_exact(void)
{
	for (int channels = 1; channels <= 3; channels += 2) {
		media_image *img = test_card(97, 61, channels);
		const char *path = test_path(channels == 1 ? "grey.png" : "rgb.PNG");
		CHECK(media_image_save(img, path, 0) == 0, "%s", bj_error_message());
		media_image *back = media_image_load(path, 0);
		CHECK(back && back->width == 97 && back->height == 61 && back->channels == channels);
		if (back)
			CHECK(media_image_adler32(back) == media_image_adler32(img));
		media_image_free(back);
		media_image_free(img);
	}
}

static void test_jpeg_round_trip_is_close(void)
{
	media_image *img = test_card(160, 120, 3);
	const char *path = test_path("card.jpg");
	CHECK(media_image_save(img, path, 95) == 0, "%s", bj_error_message());
	media_image *back = media_image_load(path, 3);
	CHECK(back && back->width == 160 && back->height == 120);
	if (back)
		CHECK(mean_abs_diff(img, back) < 2.0, "mean error %.2f", mean_abs_diff(img, back));
	media_image_free(back);
	/* Loading with one channel gives the luma. */
	media_image *grey = media_image_load(path, 1);
	media_image *want = media_image_convert(img, 1);
	CHECK(grey && grey->channels == 1);
	if (grey)
		CHECK(mean_abs_diff(grey, want) < 2.0, "mean error %.2f", mean_abs_diff(grey, want));
	media_image_free(grey);
	media_image_free(want);
	media_image_free(img);
}

static void test_encode_jpeg_in_memory(void)
{
	media_image *img = test_card(64, 48, 1);
	size_t size = 0;
	uint8_t *jpeg = media_image_encode_jpeg(img, 80, &size);
	CHECK(jpeg && size > 100 && jpeg[0] == 0xff && jpeg[1] == 0xd8);
	media_image *back = media_image_decode(jpeg, size, "thumb", 0);
	CHECK(back && back->channels == 1 && back->width == 64);
	media_image_free(back);
	free(jpeg);
	media_image_free(img);
}

static void test_loads_real_photos(void)
{
	const char *path = test_data("faces/star_George_W_Bush/George_W_Bush_0001.jpg");
	if (!path)
		return;
	media_image *img = media_image_load(path, 0);
	CHECK(img && img->width == 250 && img->height == 250 && img->channels == 3,
	      "%s", bj_error_message());
	media_image_free(img);
	path = test_data("footage/stills/night_of_the_living_dead_1968/barbara.jpg");
	if (!path)
		return;
	img = media_image_load(path, 0);
	CHECK(img && img->width == 1381 && img->height == 1022, "%s", bj_error_message());
	media_image_free(img);
}

static void test_resize_uses_a_real_filter(void)
{
	/* A flat image stays flat through Lanczos. */
	media_image *flat = media_image_new(64, 64, 3);
	memset(flat->data, 200, flat->stride * 64);
	media_image *small = media_image_resize(flat, 17, 9);
	CHECK(small && small->width == 17 && small->height == 9);
	int bad = 0;
	for (size_t i = 0; small && i < small->stride * 9; i++)
		bad += abs(small->data[i] - 200) > 1;
	CHECK(bad == 0, "%d pixels moved off 200", bad);
	media_image_free(small);
	media_image_free(flat);

	/* A one-pixel checkerboard halved averages to grey (antialiasing), where
	 * nearest-neighbour sampling would give pure black or white. */
	media_image *check = media_image_new(64, 64, 1);
	for (int y = 0; y < 64; y++)
		for (int x = 0; x < 64; x++)
			check->data[y * 64 + x] = (x + y) % 2 ? 255 : 0;
	media_image *half = media_image_resize(check, 32, 32);
	double mean = 0, dev = 0;
	for (int i = 0; i < 32 * 32; i++)
		mean += half->data[i];
	mean /= 1024;
	for (int y = 4; y < 28; y++)
		for (int x = 4; x < 28; x++)
			dev = fmax(dev, fabs(half->data[y * 32 + x] - mean));
	CHECK(fabs(mean - 127.5) < 4, "mean %.1f", mean);
	CHECK(dev < 40, "inner pixels stray %.0f from the mean", dev);
	media_image_free(half);
	media_image_free(check);

	/* Upscaling a smooth ramp keeps it close to the ramp. */
	media_image *card = test_card(80, 60, 3);
	media_image *big = media_image_resize(card, 160, 120);
	media_image *again = media_image_resize(big, 80, 60);
	CHECK(mean_abs_diff(card, again) < 3.0, "mean error %.2f", mean_abs_diff(card, again));
	media_image_free(card);
	media_image_free(big);
	media_image_free(again);
}

static void test_convert(void)
{
	uint8_t rgb[] = { 255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30 };
	media_image v = media_image_view(rgb, 4, 1, 3, 12);
	media_image *g = media_image_convert(&v, 1);
	CHECK(g->data[0] == 76 && g->data[1] == 150 && g->data[2] == 29 && g->data[3] == 18,
	      "%d %d %d %d", g->data[0], g->data[1], g->data[2], g->data[3]);
	media_image *back = media_image_convert(g, 3);
	CHECK(back->data[3] == 150 && back->data[4] == 150 && back->data[5] == 150);
	media_image_free(back);
	media_image_free(g);
}

static void check_load_error(const char *path, const char *want_suffix)
{
	CHECK(media_image_load(path, 0) == NULL, "'%s' loaded", path);
	char want[4300];
	snprintf(want, sizeof(want), "'%s': %s", path, want_suffix);
	CHECK_STR(bj_error_message(), want);
}

static void test_bad_files_are_refused(void)
{
	check_load_error(test_path("missing.png"), "No such file or directory");
	check_load_error(test_tmpdir(), "is a directory");
	test_write_file(test_path("empty.jpg"), "", 0);
	check_load_error(test_path("empty.jpg"), "empty file");
	uint8_t noise[4096];
	uint32_t state = 7; /* xorshift32, seeded: the same noise every run */
	for (size_t i = 0; i < sizeof(noise); i++) {
		state ^= state << 13, state ^= state >> 17, state ^= state << 5;
		noise[i] = (uint8_t)state;
	}
	noise[0] = 'x';
	test_write_file(test_path("noise.png"), noise, sizeof(noise));
	check_load_error(test_path("noise.png"), "not a PNG or JPEG image");

	/* Truncated files: half of a real JPEG and half of a PNG we wrote. */
	media_image *card = test_card(120, 90, 3);
	size_t size;
	uint8_t *jpeg = media_image_encode_jpeg(card, 90, &size);
	test_write_file(test_path("half.jpg"), jpeg, size / 2);
	CHECK(media_image_load(test_path("half.jpg"), 0) == NULL);
	CHECK(strstr(bj_error_message(), "half.jpg': corrupt JPEG: Premature end of JPEG file"),
	      "%s", bj_error_message());
	free(jpeg);
	uint8_t *png = media_image_encode_png(card, &size);
	test_write_file(test_path("half.png"), png, size / 2);
	CHECK(media_image_load(test_path("half.png"), 0) == NULL);
	CHECK(strstr(bj_error_message(), "half.png': corrupt PNG: "), "%s", bj_error_message());
	free(png);

	CHECK(media_image_save(card, test_path("card.gif"), 0) == BJ_EINVAL);
	CHECK(strstr(bj_error_message(), "unknown image type"));
	char dir[4200];
	snprintf(dir, sizeof(dir), "%s/nodir/x.png", test_tmpdir());
	CHECK(media_image_save(card, dir, 0) == BJ_ENOENT);
	media_image_free(card);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_new_checks_sizes),
		TEST_CASE(test_adler32_known_answer),
		TEST_CASE(test_png_round_trip_is_exact),
		TEST_CASE(test_jpeg_round_trip_is_close),
		TEST_CASE(test_encode_jpeg_in_memory),
		TEST_CASE(test_loads_real_photos),
		TEST_CASE(test_resize_uses_a_real_filter),
		TEST_CASE(test_convert),
		TEST_CASE(test_bad_files_are_refused),
		{ 0 },
	};
	return test_main(cases);
}
