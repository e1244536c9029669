/*
 * swap_mask.h - a trained swap's own say in where its face goes: the mask its
 * decoder predicts for the aligned crop (perform_swap_net_redraw), laid over
 * the landmark mask of the frame (vision/face_mask.h).
 *
 *     perform_swap_mask m = { 0 };
 *     for each frame:
 *         ... redraw the crop, crop_mask from the decoder ...
 *         perform_swap_mask_apply(&m, mask, width, box, crop_mask, size, &to_crop);
 *     perform_swap_mask_release(&m);
 *
 * Why: the landmark mask is a hull of the jaw and the lifted brows; whatever
 * covers the face inside it (a fringe of hair, glasses, a hand) would be
 * pasted over with the star's skin.  The decoder learnt from its masks where
 * the face is, so where it says "not face" the footage stays.  The two are
 * multiplied (each is 0..1), so the result is never more than the landmark
 * mask: its feathered edge and the seamless clone's border stay as they were.
 * The decoder's mask is feathered (a box blur of about 1/32 of the crop,
 * twice) so its edge does not cut hard, and steadied over frames (an
 * exponential average in the crop, which follows the face) so it does not
 * shimmer; perform_swap_mask_forget starts it afresh (a new face or shot).
 */
#pragma once

#include <stdint.h>

#include "vision/align.h"
#include "vision/tone.h"

/* Weight of a new frame's mask in the steadied one. */
#define PERFORM_SWAP_MASK_RATE 0.5f

typedef struct perform_swap_mask {
	float *steady, *work;   /* (size * size) */
	int size, have;
} perform_swap_mask;

/* Multiplies mask (width bytes a row, 0..255; only box is touched) by the
 * decoder's crop_mask (size x size, 0..1) feathered and steadied, mapped into
 * the frame by the inverse of to_crop (frame coordinates to the crop's, as
 * vision_align_transform gives).  Points beyond the crop take its edge. */
void perform_swap_mask_apply(perform_swap_mask *m, uint8_t *mask, int width, vision_rect box,
                             const float *crop_mask, int size, const vision_similarity *to_crop);

/* The next frame's mask is not steadied with the last ones. */
void perform_swap_mask_forget(perform_swap_mask *m);

void perform_swap_mask_release(perform_swap_mask *m);
