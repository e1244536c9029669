/*
 * test_fill_holes.c - vision_mask_fill_holes (a span fill) against the plain
 * fill pixel by pixel from the border, on seeded random masks that make many
 * holes, runs and dents: rings, mazes of 255 walls, single rows and columns.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "harness.h"
#include "vision/face_mask.h"

/* The plain fill: every pixel below 255 that a 4-connected path of such
 * pixels joins to the border keeps its value, the rest become 255. */
static void naive_fill(const uint8_t *m, int w, int h, uint8_t *whole)
{
	size_t n = (size_t)w * h, top = 0;
	size_t *stack = malloc(n * sizeof(*stack));
	uint8_t *reached = calloc(n, 1);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			size_t i = (size_t)y * w + x;
			if ((x == 0 || y == 0 || x == w - 1 || y == h - 1) && m[i] < 255) {
				reached[i] = 1;
				stack[top++] = i;
			}
		}
	while (top) {
		size_t i = stack[--top];
		int x = (int)(i % (size_t)w), y = (int)(i / (size_t)w);
		size_t next[4] = { i - 1, i + 1, i - (size_t)w, i + (size_t)w };
		int ok[4] = { x > 0, x + 1 < w, y > 0, y + 1 < h };
		for (int k = 0; k < 4; k++)
			if (ok[k] && !reached[next[k]] && m[next[k]] < 255) {
				reached[next[k]] = 1;
				stack[top++] = next[k];
			}
	}
	for (size_t i = 0; i < n; i++)
		whole[i] = reached[i] ? m[i] : 255;
	free(reached);
	free(stack);
}

/* A mask of w x h: 255 walls (random segments and rectangles' outlines, so
 * that closed rings make holes) over random values below 255. */
static void random_mask(bj_rng *rng, int w, int h, uint8_t *m)
{
	for (size_t i = 0; i < (size_t)w * h; i++)
		m[i] = (uint8_t)bj_rng_below(rng, 255);
	int rects = 1 + (int)bj_rng_below(rng, 12);
	for (int r = 0; r < rects; r++) {
		int x0 = (int)bj_rng_below(rng, (uint64_t)w), y0 = (int)bj_rng_below(rng, (uint64_t)h);
		int x1 = x0 + (int)bj_rng_below(rng, (uint64_t)(w - x0)), y1 = y0 + (int)bj_rng_below(rng, (uint64_t)(h - y0));
		for (int x = x0; x <= x1; x++)
			m[(size_t)y0 * w + x] = m[(size_t)y1 * w + x] = 255;
		for (int y = y0; y <= y1; y++)
			m[(size_t)y * w + x0] = m[(size_t)y * w + x1] = 255;
	}
	int walls = (int)bj_rng_below(rng, (uint64_t)(w + h));
	for (int k = 0; k < walls; k++)
		m[bj_rng_below(rng, (uint64_t)w * h)] = 255;
}

static void test_same_as_plain(void)
{
	bj_rng rng;
	bj_rng_init(&rng, 7);
	static const int sizes[][2] = { { 1, 1 }, { 1, 9 }, { 9, 1 }, { 2, 2 }, { 3, 3 }, { 17, 5 }, { 64, 64 }, { 120, 90 } };
	int cases = 0, bad = 0, holes = 0;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++)
		for (int k = 0; k < 60; k++) {
			int w = sizes[s][0], h = sizes[s][1];
			size_t n = (size_t)w * h;
			uint8_t *m = malloc(n), *want = malloc(n), *got = malloc(n);
			random_mask(&rng, w, h, m);
			naive_fill(m, w, h, want);
			memset(got, 7, n);
			vision_mask_fill_holes(m, w, h, got);
			bad += memcmp(want, got, n) != 0;
			for (size_t i = 0; i < n; i++)
				holes += want[i] != m[i];
			cases++;
			free(m);
			free(want);
			free(got);
		}
	CHECK(bad == 0, "%d of %d masks filled otherwise than the plain fill", bad, cases);
	CHECK(holes > 1000, "only %d hole pixels in all: the masks test little", holes);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_same_as_plain),
		{ 0 },
	};
	return test_main(cases);
}
