/*
 * swap_detail.h - a pasted face's mid-scale and coarse detail steered, band
 * by band (vision/detail.h), towards the footage face's, and down while the
 * swap changes more from frame to frame than the footage does.
 *
 *     perform_swap_detail *d = perform_swap_detail_new();
 *     for each swapped frame of a face:
 *         perform_swap_detail_apply(d, pool, star, frame, mask, box);   // star made like frame
 *         ... clone, blend ...
 *         perform_swap_detail_changed(d, change_swapped, change_footage);
 *     perform_swap_detail_reset(d);   // the face was lost, or the shot changed
 *     perform_swap_detail_free(d);
 *
 * Why both ways: a small star photo enlarged onto a big, made-up footage face
 * carries half its contrast inside (the seam score's inside gradient, 4.4
 * against 10.2 on AlexandriaOcasioCortez): the pasted face looks flat and
 * smeared; a hard-lit star photo on a soft footage face carries twice its
 * mid-scale detail (a furrowed brow, the upper lip's shadow), which, moving
 * with the speaking mouth, flickers.  Each band's gain follows the energy
 * ratio footage / star slowly (a steady gain adds no flicker of its own),
 * within 0.3..1.8 (more only brings out a small photo's blocks and halos).
 * The flicker (the swap's change inside the mask over the footage's, decayed
 * sums) steers a common factor (0.6..1) on both gains, as detail that moves
 * more than the footage's is what a viewer sees shimmer.
 */
#pragma once

#include <stdint.h>

#include "base/threads.h"
#include "media/image.h"
#include "vision/tone.h"

typedef struct perform_swap_detail perform_swap_detail;

perform_swap_detail *perform_swap_detail_new(void);
void perform_swap_detail_free(perform_swap_detail *d);

/* Forgets the face: the next apply starts afresh. */
void perform_swap_detail_reset(perform_swap_detail *d);

/* Scales face's bands (measured inside mask over box) by the steered gains;
 * on a face's first frame, aimed from frame's and face's bands. */
void perform_swap_detail_apply(perform_swap_detail *d, bj_pool *pool, media_image *face, const media_image *frame,
                               const uint8_t *mask, vision_rect box);

/* Every few frames, measures the bands of the swapped result (after the
 * clone, the grain and the blend over time) against the footage's inside
 * mask over box, and moves the gains towards making them alike. */
void perform_swap_detail_measure(perform_swap_detail *d, bj_pool *pool, const media_image *swapped,
                                 const media_image *footage, const uint8_t *mask, vision_rect box);

/* This frame's change inside the mask from the last frame, of the swapped
 * result and of the footage (sums of absolute differences). */
void perform_swap_detail_changed(perform_swap_detail *d, double change_swap, double change_orig);

/* The gains last applied (mid, coarse), for tests and reports. */
void perform_swap_detail_gains(const perform_swap_detail *d, double gain[2]);
