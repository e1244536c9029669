/*
 * test_shrink.c - the fast mode's own shrink of YUV planes: box means, video and
 * full range, the matrix, 4:2:0 chroma, grey output, sparse rows in tall
 * boxes, and refusing to enlarge.  (test_decoder.c compares it with swscale on
 * real frames.)
 */
#include "media/shrink.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "media/image.h"
#include "harness.h"

/* Planes of w x h 4:2:0 YUV filled with y, u, v. */
struct planes {
	uint8_t *y, *u, *v;
	media_yuv_planes p;
};

static void planes_init(struct planes *s, int w, int h, int y, int u, int v, int full)
{
	int cw = (w + 1) / 2, ch = (h + 1) / 2;
	s->y = malloc((size_t)w * h);
	s->u = malloc((size_t)cw * ch);
	s->v = malloc((size_t)cw * ch);
	memset(s->y, y, (size_t)w * h);
	memset(s->u, u, (size_t)cw * ch);
	memset(s->v, v, (size_t)cw * ch);
	s->p = (media_yuv_planes){ { s->y, s->u, s->v }, { w, cw, cw }, w, h, 1, 1, full, 0.299, 0.114 };
}

static void planes_free(struct planes *s)
{
	free(s->y);
	free(s->u);
	free(s->v);
}

static void test_levels_and_matrix(void)
{
	media_shrink sh = { 0 };
	media_image *out = media_image_new(8, 6, 3);
	struct planes s;
	/* video range: 16 is black, 235 white, 128 no colour */
	planes_init(&s, 64, 48, 16, 128, 128, 0);
	CHECK(media_shrink_yuv(&sh, &s.p, out) == 0);
	CHECK(out->data[0] == 0 && out->data[1] == 0 && out->data[2] == 0, "black %d %d %d", out->data[0],
	      out->data[1], out->data[2]);
	planes_free(&s);
	planes_init(&s, 64, 48, 235, 128, 128, 0);
	CHECK(media_shrink_yuv(&sh, &s.p, out) == 0);
	CHECK(out->data[0] == 255 && out->data[1] == 255 && out->data[2] == 255);
	planes_free(&s);
	/* full-range BT.601 red: Y 76, Cb 85, Cr 255 */
	planes_init(&s, 64, 48, 76, 85, 255, 1);
	CHECK(media_shrink_yuv(&sh, &s.p, out) == 0);
	CHECK(out->data[0] >= 253 && out->data[1] <= 2 && out->data[2] <= 2, "red %d %d %d", out->data[0],
	      out->data[1], out->data[2]);
	/* grey output is the full-range luma */
	media_image *grey = media_image_new(8, 6, 1);
	CHECK(media_shrink_yuv(&sh, &s.p, grey) == 0 && grey->data[0] == 76);
	media_image_free(grey);
	planes_free(&s);
	media_image_free(out);
	media_shrink_release(&sh);
}

/* Each output pixel is the mean of its box: halves of a step average to the
 * step's levels, a box across it to their mean (boxes of 4 rows and more
 * sample every other row). */
static void test_box_means(void)
{
	media_shrink sh = { 0 };
	struct planes s;
	planes_init(&s, 16, 4, 0, 128, 128, 1);
	for (int y = 0; y < 4; y++)
		for (int x = 0; x < 16; x++)
			s.y[y * 16 + x] = x < 6 ? 40 : 200;
	media_image *out = media_image_new(8, 2, 1);   /* boxes of 2x2 */
	CHECK(media_shrink_yuv(&sh, &s.p, out) == 0);
	CHECK(out->data[0] == 40 && out->data[2] == 40 && out->data[3] == 200 && out->data[7] == 200);
	media_image_free(out);
	out = media_image_new(4, 1, 1);   /* boxes of 4x4: columns 4..7 hold 40, 40, 200, 200 */
	CHECK(media_shrink_yuv(&sh, &s.p, out) == 0);
	CHECK(out->data[0] == 40 && out->data[1] == 120 && out->data[2] == 200, "%d %d %d", out->data[0],
	      out->data[1], out->data[2]);
	media_image_free(out);
	media_image *big = media_image_new(32, 4, 1);
	CHECK(media_shrink_yuv(&sh, &s.p, big) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "cannot shrink 16x4 to 32x4");
	media_image_free(big);
	planes_free(&s);
	media_shrink_release(&sh);
}

/* 4:2:0 chroma: the left half blue, the right half red, in a 4x2 RGB picture. */
static void test_chroma(void)
{
	media_shrink sh = { 0 };
	struct planes s;
	planes_init(&s, 32, 16, 100, 128, 128, 1);
	for (int y = 0; y < 8; y++)
		for (int x = 0; x < 16; x++) {
			s.u[y * 16 + x] = x < 8 ? 220 : 100;
			s.v[y * 16 + x] = x < 8 ? 100 : 220;
		}
	media_image *out = media_image_new(4, 2, 3);
	CHECK(media_shrink_yuv(&sh, &s.p, out) == 0);
	const uint8_t *row1 = out->data + out->stride;
	CHECK(out->data[2] > out->data[0] + 100 && row1[3 * 3] > row1[3 * 3 + 2] + 100, "left blue, right red");
	media_image_free(out);
	planes_free(&s);
	media_shrink_release(&sh);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_levels_and_matrix),
		TEST_CASE(test_box_means),
		TEST_CASE(test_chroma),
		{ 0 },
	};
	return test_main(cases);
}
