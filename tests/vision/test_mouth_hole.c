/* The face mask's mouth stays a hole however near the jaw it comes: a mouth
 * slid sideways towards the hull's edge (a face turned, as on Casablanca
 * 3.9 s) was one region with the outside of the mask, and
 * vision_mask_fill_holes, finding no hole, left it in the clone's solve.
 * The hole is still there while the mouth is well inside, it closes only
 * next to the edge's band, and the mask never rises above the hull's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vision/align.h"
#include "vision/face_mask.h"

#define S 200

/* The template face with its inner lips opened by open pixels and slid by dx. */
static void face(float *lm, float dx, float open)
{
	vision_align_template(S, lm);
	for (int i = 60; i < 68; i++) {
		lm[2 * i] += dx;
		if (i > 64)
			lm[2 * i + 1] += open;
	}
}

/* The mouth's middle: halfway between the inner lips' corners. */
static size_t middle(const float *lm)
{
	int x = (int)lrintf((lm[2 * 60] + lm[2 * 64]) / 2), y = (int)lrintf((lm[2 * 62 + 1] + lm[2 * 66 + 1]) / 2);
	return (size_t)y * S + x;
}

static void test_hole_never_merges(void)
{
	uint8_t *mask = calloc(S * S, 1), *whole = malloc(S * S), *plain = calloc(S * S, 1);
	int holes = 0;
	for (int k = 0; k <= 8; k++) {
		float lm[136], shut[136];
		float dx = -4.0f * (float)k; /* towards the left jaw */
		face(lm, dx, 8);
		vision_rect box;
		memset(mask, 0, S * S);
		vision_face_mask(lm, S, S, mask, &box);
		size_t c = middle(lm);
		CHECK(mask[c] < 255, "slid %g: the mouth's middle is %d, not a hole", dx, mask[c]);
		vision_mask_fill_holes(mask, S, S, whole);
		CHECK(whole[c] == 255, "slid %g: the mouth's hole merged with the outside", dx);
		holes += whole[c] == 255;
		/* never more than the hull's own feather: the mouth moved far off */
		memcpy(shut, lm, sizeof(shut));
		for (int i = 60; i < 68; i++)
			shut[2 * i] = lm[2 * 30], shut[2 * i + 1] = lm[2 * 30 + 1] - 1000;
		memset(plain, 0, S * S);
		vision_face_mask(shut, S, S, plain, &box);
		long above = 0;
		for (int i = 0; i < S * S; i++)
			above += mask[i] > plain[i];
		CHECK(above == 0, "slid %g: %ld pixels above the hull's mask", dx, above);
	}
	CHECK(holes == 9, "%d of 9 mouths a hole", holes);
	/* well inside, the hole is the inner lips feathered, as before: the
	 * corner's own pixel is 0 */
	float lm[136];
	face(lm, 0, 8);
	vision_rect box;
	memset(mask, 0, S * S);
	vision_face_mask(lm, S, S, mask, &box);
	size_t corner = (size_t)lrintf(lm[2 * 62 + 1] + 4) * S + (size_t)lrintf(lm[2 * 62]);
	CHECK(mask[corner] == 0, "inside the open mouth: %d", mask[corner]);
	free(mask);
	free(whole);
	free(plain);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_hole_never_merges),
		{ 0 },
	};
	return test_main(cases);
}
