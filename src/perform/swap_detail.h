/*
 * swap_detail.h - a pasted face's mid-scale and coarse detail steered, band
 * by band (vision/detail.h), towards the footage face's, and down while the
 * swap changes more from frame to frame than the footage does.
 *
 *     perform_swap_detail *d = perform_swap_detail_new();
 *     for each swapped frame of a face:
 *         perform_swap_detail_apply(d, pool, star, frame, mask, box);   // before the clone
 *         ... clone, blend over time: swapped ...
 *         perform_swap_detail_measure(d, pool, swapped, frame, mask, box);
 *         perform_swap_detail_changed(d, brow_change_swapped, brow_change_footage);
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
 * measured on the swapped result (a band's filter passes only part of its
 * scales, so a gain moves what it measures by less than itself), raising a
 * band to at most 1.8 (more brings out a small photo's blocks and halos) and
 * lowering it to no less than 0.8 (the star's own detail carries its
 * identity: matched all the way down to a soft footage face, face_1's
 * identity margin went from -0.012 to 0.000).  The flicker on the forehead
 * and brows (the swap's change from frame to frame over the footage's where
 * the mask is whole, in the top third of its box: no lips, no blinking eyes,
 * so what changes more there is the star's detail moving) steers a common
 * factor (0.6..1) on both aims, as detail that moves more than the
 * footage's is what a viewer sees shimmer; the whole face's flicker would
 * take detail off faces whose excess is at the mouth or the mask's rim,
 * where less detail does not help.
 *
 * The bare skin (vision_skin_mask: not the eyes, brows, nostrils or lips,
 * each with a margin) and the features are measured and steered apart, the
 * gains turning from one to the other over about 7 pixels.  A star photo at
 * its own size (enlarged up to 1.3 times, by degrees to 1.7) aims its
 * features at 1.3 times the footage's detail and its skin at 1.15 (the
 * star's own detail carries its identity: Casablanca 3.9-8.3 s's margin
 * -0.003 to -0.009; on faces enlarged 1.8 times it raised the flicker above
 * 1).  A small photo enlarged (2.5 times
 * and more, from 1.5 on by degrees) had its skin's creases and blotches
 * raised with the rest when the whole face was matched to a made-up one
 * whose detail is in its eyes, brows and lips (AlexandriaOcasioCortez's
 * cheeks 1.4 times the footage's coarse detail): there the skin aims at the
 * footage's coarse detail and 1.3 times its mid band, between 0.4 and 1.4,
 * while the features' mid band (the edges of eyes, brows and lips) may rise
 * to 3, which keeps the inside's contrast and so the seam score as it was.
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
                               const uint8_t *mask, const uint8_t *skin, vision_rect box);

/* Every few frames, measures the bands of the swapped result (after the
 * clone, the grain and the blend over time) against the footage's inside
 * mask over box, and moves the gains towards making them alike. */
void perform_swap_detail_measure(perform_swap_detail *d, bj_pool *pool, const media_image *swapped,
                                 const media_image *footage, const uint8_t *mask, const uint8_t *skin,
                                 vision_rect box);

/* How many times the star photo is enlarged onto the footage face (its
 * outer eye corners' distance there over in the photo), for the aims and
 * limits above; until told, 1.  Before the next apply. */
void perform_swap_detail_enlarged(perform_swap_detail *d, double factor);

/* This frame's change from the last frame on the forehead and brows (see
 * above; perform_frame_scores' brow sums), of the swapped result and of the
 * footage (sums of absolute differences). */
void perform_swap_detail_changed(perform_swap_detail *d, double change_swap, double change_orig);

/* The gains last applied (mid, coarse) on the features, and on the bare
 * skin, for tests and reports. */
void perform_swap_detail_gains(const perform_swap_detail *d, double gain[2]);
void perform_swap_detail_skin_gains(const perform_swap_detail *d, double gain[2]);
