/*
 * internal.h - vision's private declarations, for its own tests: the naive
 * twins of optimised code.
 */
#pragma once

#include <stdint.h>

#include "base/threads.h"
#include "vision/tone.h"

/* vision_face_mask computed tile by tile (tile 8 is what vision_face_mask
 * uses); tile 1 computes every pixel's distances, the naive reference. */
void vision_face_mask_tiled(bj_pool *pool, const float *lm, const float *lifts, int w, int h, uint8_t *mask,
                            vision_rect *box, int tile);

/* The relight's L* of CIE Y (skin.c): y[0..n-1] to 116 cbrt(y) - 16 above
 * the knee (216 / 24389), 24389 y / 27 below it, in place, several at a time
 * in vector lanes; each the floats of the one-at-a-time formula with libm's
 * cbrtf. */
void vision_y_to_lstar_n(float *y, int n);
