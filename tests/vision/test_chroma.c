/*
 * test_chroma.c - vision_chroma_on gives vision_chroma's double bit for bit,
 * on no pool and on two threads, for seeded random pictures and masks that are
 * zero outside a box; and 0 with nothing in the mask.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "base/threads.h"
#include "harness.h"
#include "vision/chroma.h"

static void test_same_as_serial(void)
{
	bj_rng rng;
	bj_rng_init(&rng, 11);
	bj_pool *pool = bj_pool_new(2);
	int bad = 0, cases = 0;
	for (int k = 0; k < 20; k++) {
		int w = 9 + (int)bj_rng_below(&rng, 200), h = 9 + (int)bj_rng_below(&rng, 150);
		media_image *img = media_image_new(w, h, 3);
		uint8_t *mask = calloc((size_t)w * h, 1);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < 3 * w; x++)
				img->data[(size_t)y * img->stride + x] = (uint8_t)bj_rng_below(&rng, 256);
		vision_rect box = { (int)bj_rng_below(&rng, (uint64_t)w / 2), (int)bj_rng_below(&rng, (uint64_t)h / 2), 0, 0 };
		box.x1 = box.x0 + 1 + (int)bj_rng_below(&rng, (uint64_t)(w - box.x0));
		box.y1 = box.y0 + 1 + (int)bj_rng_below(&rng, (uint64_t)(h - box.y0));
		for (int y = box.y0; y < box.y1; y++)
			for (int x = box.x0; x < box.x1; x++)
				mask[(size_t)y * w + x] = (uint8_t)bj_rng_below(&rng, 256);
		double want = vision_chroma(img, mask);
		double one = vision_chroma_on(NULL, img, mask, box), two = vision_chroma_on(pool, img, mask, box);
		bad += memcmp(&want, &one, sizeof(want)) != 0 || memcmp(&want, &two, sizeof(want)) != 0;
		cases++;
		if (k == 0) {
			memset(mask, 0, (size_t)w * h);
			CHECK(vision_chroma_on(pool, img, mask, box) == 0, "an empty mask's chroma is not 0");
		}
		free(mask);
		media_image_free(img);
	}
	CHECK(bad == 0, "%d of %d pictures' chroma differs from vision_chroma's", bad, cases);
	bj_pool_free(pool);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_same_as_serial),
		{ 0 },
	};
	return test_main(cases);
}
