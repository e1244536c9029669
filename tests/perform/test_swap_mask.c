/*
 * test_swap_mask.c - perform/swap_mask.h: the decoder's mask laid over the
 * landmark mask through the frame-to-crop similarity, feathered and steadied.
 */
#include "perform/swap_mask.h"

#include <string.h>

#include "harness.h"

#define W 40
#define S 16

/* A crop of side S whose left half is face (1) and right half not (0), the
 * frame's box [8, 8 + 2S) a square twice the crop's size: to_crop halves. */
static void setup(float *crop, uint8_t *mask, vision_similarity *t, vision_rect *box)
{
	for (int y = 0; y < S; y++)
		for (int x = 0; x < S; x++)
			crop[y * S + x] = x < S / 2 ? 1.0f : 0.0f;
	memset(mask, 0, W * W);
	*box = (vision_rect){ 8, 8, 8 + 2 * S, 8 + 2 * S };
	for (int y = box->y0; y < box->y1; y++)
		for (int x = box->x0; x < box->x1; x++)
			mask[y * W + x] = 200;
	*t = (vision_similarity){ 0.5, 0, -4, -4 };
}

static void test_product(void)
{
	float crop[S * S];
	uint8_t mask[W * W];
	vision_similarity t;
	vision_rect box;
	setup(crop, mask, &t, &box);
	perform_swap_mask m = { 0 };
	perform_swap_mask_apply(&m, mask, W, box, crop, S, &t);
	/* the face side keeps the landmark mask, the other loses it, the edge is soft */
	CHECK(mask[20 * W + 10] == 200, "%d", mask[20 * W + 10]);
	CHECK(mask[20 * W + 38] == 0, "%d", mask[20 * W + 38]);
	int mid = mask[20 * W + 24];
	CHECK(mid > 40 && mid < 160, "edge %d", mid);
	CHECK(mask[4 * W + 4] == 0);   /* outside the box: untouched (0) */
	/* never more than the landmark mask */
	for (int i = 0; i < W * W; i++)
		CHECK(mask[i] <= 200);

	/* steadied: a next crop all face moves the right side only half way */
	for (int i = 0; i < S * S; i++)
		crop[i] = 1;
	uint8_t again[W * W];
	vision_similarity t2;
	float unused[S * S];
	setup(unused, again, &t2, &box);
	perform_swap_mask_apply(&m, again, W, box, crop, S, &t);
	CHECK(again[20 * W + 38] > 80 && again[20 * W + 38] < 120, "%d", again[20 * W + 38]);
	/* forgotten: the new crop alone */
	setup(unused, again, &t2, &box);
	perform_swap_mask_forget(&m);
	perform_swap_mask_apply(&m, again, W, box, crop, S, &t);
	CHECK(again[20 * W + 38] == 200, "%d", again[20 * W + 38]);
	perform_swap_mask_release(&m);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_product),
		{ 0 },
	};
	return test_main(cases);
}
