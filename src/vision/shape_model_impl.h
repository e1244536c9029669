/*
 * shape_model_impl.h - the in-memory layout of a vision_shape_model, shared by
 * the loader (shape_model.c) and the cascade (landmarks.c); private to src/vision.
 *
 * Laid out for the cascade's inner loops: a tree's splits are one contiguous run
 * of 8-byte nodes (two cache lines for depth 4), and a leaf is a contiguous run
 * of `stride` floats (the 2 * parts coordinates, padded to a multiple of 4 so
 * they can be added four at a time).  Feature pixels are structure-of-arrays.
 */
#pragma once

#include <stdint.h>

#include "vision/shape_model.h"

/* One split node: go left when pixel[i1] - pixel[i2] > thresh (dlib's rule). */
struct vision_split {
	uint16_t i1, i2;   /* feature pixel indices within the stage */
	float thresh;
};

struct vision_shape_model {
	int parts;          /* landmarks */
	int coords;         /* 2 * parts */
	int stride;         /* coords rounded up to a multiple of 4 */
	int stages;         /* cascade levels */
	int trees;          /* trees per stage */
	int splits;         /* split nodes per tree, 2^depth - 1 */
	int leaves;         /* leaves per tree, 2^depth */
	float *initial;     /* (coords) the mean shape in the unit box, x y x y ... */
	struct vision_split *split;  /* (stages, trees, splits) */
	float *leaf;        /* (stages, trees, leaves, stride) shape increments, 16-byte aligned */
	int *pix_start;     /* (stages + 1) first feature pixel of each stage */
	uint16_t *anchor;   /* (pix_start[stages]) the part each pixel hangs from */
	float *dx, *dy;     /* (pix_start[stages]) its offset from that part, unit box */
};
