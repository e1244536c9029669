/* The clone matched to the footage around a mask's hole: the rim's mean
 * difference moves the clone there and fades a radius away, the hole's inside
 * and the mask's outer feather count for nothing, no hole changes nothing,
 * the same bytes on one thread and two. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/threads.h"
#include "harness.h"
#include "media/image.h"
#include "vision/hole_rim.h"

#define N 80
#define R 6

/* A hole at the centre: 0 within 8 px, rising to 255 at 12 px. */
static void holed(uint8_t *m, uint8_t *whole)
{
	for (int y = 0; y < N; y++)
		for (int x = 0; x < N; x++) {
			double r = hypot(x - 40, y - 40);
			m[y * N + x] = (uint8_t)lrint(255 * fmin(fmax((r - 8) / 4, 0), 1));
			whole[y * N + x] = 255;
		}
}

static media_image *flat(int v)
{
	media_image *img = media_image_new(N, N, 3);
	memset(img->data, v, (size_t)N * img->stride);
	return img;
}

static int at(const media_image *img, int x, int y)
{
	return img->data[(size_t)y * img->stride + 3 * (size_t)x];
}

static void test_rim_moves_and_fades(void)
{
	uint8_t m[N * N], whole[N * N];
	holed(m, whole);
	media_image *c = flat(100), *d = flat(140);
	/* the hole's inside (the open mouth) is dark: it must not count */
	for (int y = 0; y < N; y++)
		for (int x = 0; x < N; x++)
			if (m[y * N + x] == 0)
				memset(d->data + (size_t)y * d->stride + 3 * (size_t)x, 0, 3);
	vision_hole_rim_match(NULL, c, d, m, whole, R, 0.75f);
	/* on the rim (10 px out): three quarters of the 40 the footage is above */
	CHECK(at(c, 50, 40) == 130, "on the rim %d, want 130", at(c, 50, 40));
	CHECK(at(c, 40, 30) == 130, "on the rim %d, want 130", at(c, 40, 30));
	/* a radius past the rim's outer side and further: untouched */
	CHECK(at(c, 40 + 12 + R, 40) == 100, "a radius out %d", at(c, 40 + 12 + R, 40));
	CHECK(at(c, 2, 2) == 100, "far off %d", at(c, 2, 2));
	/* in between, the change fades without rising */
	for (int x = 50; x < 40 + 12 + R; x++)
		CHECK(at(c, x + 1, 40) <= at(c, x, 40), "at x %d: %d then %d", x, at(c, x, 40), at(c, x + 1, 40));
	media_image_free(c);
	media_image_free(d);
}

static void test_no_hole_no_change(void)
{
	uint8_t m[N * N], whole[N * N];
	/* only an outer feather (m below 255 where whole is too): not a hole */
	for (int y = 0; y < N; y++)
		for (int x = 0; x < N; x++) {
			int e = x < y ? x : y;
			m[y * N + x] = whole[y * N + x] = (uint8_t)(e >= 10 ? 255 : 25 * e);
		}
	media_image *c = flat(100), *d = flat(180);
	vision_hole_rim_match(NULL, c, d, m, whole, R, 1);
	for (int y = 0; y < N; y++)
		for (int x = 0; x < N; x++)
			if (at(c, x, y) != 100) {
				CHECK(0, "changed at (%d, %d) to %d", x, y, at(c, x, y));
				goto out;
			}
out:
	media_image_free(c);
	media_image_free(d);
}

static void test_threads(void)
{
	uint8_t m[N * N], whole[N * N];
	holed(m, whole);
	media_image *c[2] = { media_image_new(N, N, 3), media_image_new(N, N, 3) }, *d = media_image_new(N, N, 3);
	for (int y = 0; y < N; y++)
		for (int x = 0; x < 3 * N; x++) {
			c[0]->data[(size_t)y * c[0]->stride + x] = c[1]->data[(size_t)y * c[1]->stride + x] =
			        (uint8_t)((x * 7 + y * 13) % 200);
			d->data[(size_t)y * d->stride + x] = (uint8_t)((x * 11 + y * 5) % 251);
		}
	bj_pool *pool = bj_pool_new(2);
	vision_hole_rim_match(NULL, c[0], d, m, whole, R, 0.75f);
	vision_hole_rim_match(pool, c[1], d, m, whole, R, 0.75f);
	CHECK(memcmp(c[0]->data, c[1]->data, (size_t)N * c[0]->stride) == 0, "one thread and two differ");
	bj_pool_free(pool);
	media_image_free(c[0]);
	media_image_free(c[1]);
	media_image_free(d);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_rim_moves_and_fades),
		TEST_CASE(test_no_hole_no_change),
		TEST_CASE(test_threads),
		{ 0 },
	};
	return test_main(cases);
}
