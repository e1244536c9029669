/*
 * swap_score.h - one swapped frame's measurements (the sums behind the swap's
 * flicker, texture, seam and identity scores), taken side by side over the
 * swapper's thread pool.
 *
 *     perform_frame_scores sc;
 *     perform_score_frame(pool, &in, &sc);
 *     flicker_sum += sc.change_swap; ...
 *
 * Each measurement is one task writing its own result, added up by the
 * caller in a fixed order: the same numbers on one thread as on two.
 */
#pragma once

#include <stdint.h>

#include "base/threads.h"
#include "media/image.h"
#include "vision/tone.h"

/* What is measured: the swapped frame and the footage's frame, the last
 * swapped and footage frames (for the change; NULL: no change measured), the
 * face's mask (frame's width x height) and box, and the landmarks (NULL: no
 * face descriptors).  desc_swap and desc_orig get the descriptors. */
typedef struct {
	const media_image *frame, *orig, *prev_swap, *prev_orig;
	const uint8_t *mask;
	vision_rect box;
	const float *pts;
	float *desc_swap, *desc_orig;
} perform_score_input;

typedef struct {
	double change_swap, change_orig;   /* summed |difference| to the last frame inside the mask */
	double brow_swap, brow_orig;       /* ... in the top third of box where the mask is 255 */
	double texture_swap, texture_orig; /* vision_texture of each */
	double seam, seam_orig;            /* vision_seam_score of each */
	int have_desc;                     /* both descriptors made */
} perform_frame_scores;

/* Measures in on pool's threads (NULL: on the caller) into out. */
void perform_score_frame(bj_pool *pool, const perform_score_input *in, perform_frame_scores *out);
