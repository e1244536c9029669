/* A star's photos found over a pool: a folder of four of the star's photos, a
 * faceless picture, a broken JPEG and a text file gives the same four photos
 * added, two skipped, and the same swapped frame, on one thread and on a pool
 * of two; a missing folder and one without a face fail with a message. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/file.h"
#include "harness.h"
#include "media/imagefile.h"
#include "perform/swap_stars.h"
#include "vision/cascade.h"
#include "vision/shape_model.h"

#define CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"

static vision_cascade *cascade;
static vision_shape_model *model;

/* Copies the file at from to name in the test folder. */
static int copy(const char *from, const char *name)
{
	uint8_t *data;
	size_t n;
	if (bj_file_read(from, (size_t)1 << 24, &data, &n) < 0)
		return -1;
	FILE *f = fopen(test_path(name), "wb");
	int ok = f && fwrite(data, 1, n, f) == n;
	if (f)
		ok = fclose(f) == 0 && ok;
	free(data);
	return ok ? 0 : -1;
}

static int write_text(const char *name, const char *text)
{
	FILE *f = fopen(test_path(name), "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* The photos found on pool, added to a new swapper: the swapper (or NULL),
 * how many were added and skipped. */
static perform_swapper *swapper_from(const char *dir, bj_pool *pool, int *added, int *skipped)
{
	perform_swap_opts o = PERFORM_SWAP_DEFAULTS;
	perform_swapper *s = perform_swapper_new(cascade, model, pool, &o);
	perform_star_photos *p = NULL;
	*added = -1;
	if (s && perform_star_photos_find(dir, 40, cascade, pool, &p) == 0)
		*added = perform_swapper_add_photos(s, p, skipped);
	perform_star_photos_free(p);
	return s;
}

static void test_same_photos_on_any_pool(void)
{
	char dir[4096];
	const char *p = test_data("faces/star_George_W_Bush");
	if (!p)
		return;
	snprintf(dir, sizeof(dir), "%s", p);
	static const char *const picks[] = { "George_W_Bush_0001.jpg", "George_W_Bush_0010.jpg",
		                             "George_W_Bush_0100.jpg", "George_W_Bush_0200.jpg" };
	char from[8192];
	for (int i = 0; i < 4; i++) {
		snprintf(from, sizeof(from), "%s/%s", dir, picks[i]);
		CHECK(copy(from, picks[i]) == 0, "%s", from);
	}
	media_image *flat = media_image_new(120, 120, 3);
	memset(flat->data, 128, (size_t)flat->stride * 120);
	size_t size;
	uint8_t *png = media_image_encode_png(flat, &size);
	FILE *f = fopen(test_path("flat.png"), "wb");
	CHECK(f && fwrite(png, 1, size, f) == size && fclose(f) == 0);
	free(png);
	media_image_free(flat);
	CHECK(write_text("broken.jpg", "not a JPEG") == 0 && write_text("notes.txt", "no photo") == 0);

	bj_pool *pool = bj_pool_new(2);
	int added[2], skipped[2] = { -1, -1 };
	perform_swapper *one = swapper_from(test_tmpdir(), NULL, &added[0], &skipped[0]);
	perform_swapper *two = swapper_from(test_tmpdir(), pool, &added[1], &skipped[1]);
	for (int k = 0; k < 2; k++)
		CHECK(added[k] == 4 && skipped[k] == 2, "%s: %d added, %d skipped (%s)", k ? "pool" : "no pool",
		      added[k], skipped[k], bj_error_message());

	/* the same swapper either way: the same frame out */
	snprintf(from, sizeof(from), "%s/George_W_Bush_0050.jpg", dir);
	media_image *a = media_image_load(from, 3), *b = media_image_load(from, 3);
	perform_swap_report ra, rb;
	CHECK(a && b && one && two && perform_swapper_frame(one, a, 0, &ra) == 0 &&
	      perform_swapper_frame(two, b, 0, &rb) == 0);
	CHECK(ra.swapped && rb.swapped && ra.star == rb.star, "swapped %d %d, stars %d %d", ra.swapped, rb.swapped,
	      ra.star, rb.star);
	int same = a && b;
	for (int y = 0; same && y < a->height; y++)
		same = !memcmp(a->data + (size_t)y * a->stride, b->data + (size_t)y * b->stride, (size_t)a->width * 3);
	CHECK(same, "the swapped frames differ");
	media_image_free(a);
	media_image_free(b);
	perform_swapper_free(one);
	perform_swapper_free(two);
	bj_pool_free(pool);
}

static void test_errors(void)
{
	perform_star_photos *p = NULL;
	CHECK(perform_star_photos_find(test_path("nowhere"), 3, cascade, NULL, &p) == BJ_ENOENT && !p);
	CHECK(strstr(bj_error_message(), "nowhere': no such file or folder") != NULL, "%s", bj_error_message());

	/* a folder with no face: found, but nothing to add */
	CHECK(mkdir(test_path("faceless"), 0755) == 0);
	CHECK(write_text("faceless/a.jpg", "not a JPEG") == 0);
	CHECK(perform_star_photos_find(test_path("faceless"), 3, cascade, NULL, &p) == 0 && p);
	perform_swap_opts o = PERFORM_SWAP_DEFAULTS;
	perform_swapper *s = perform_swapper_new(cascade, model, NULL, &o);
	int skipped = -1;
	CHECK(p && perform_swapper_add_photos(s, p, &skipped) == BJ_EINVAL && skipped == 1);
	CHECK(strstr(bj_error_message(), "faceless': no star photo with a usable face") != NULL, "%s",
	      bj_error_message());
	perform_star_photos_free(p);
	perform_swapper_free(s);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_same_photos_on_any_pool),
		TEST_CASE(test_errors),
		{ 0 },
	};
	cascade = vision_cascade_load(CASCADE);
	model = vision_shape_model_load(VISION_SHAPE_MODEL_68);
	if (!cascade || !model) {
		fprintf(stderr, "cannot load the models: %s\n", bj_error_message());
		return 1;
	}
	int ret = test_main(cases);
	vision_shape_model_free(model);
	vision_cascade_free(cascade);
	return ret;
}
