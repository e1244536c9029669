/*
 * face_mask.h - where a pasted face goes: a feathered mask from 68 landmarks,
 * and the seam score that says whether its edge shows.
 *
 *     uint8_t *mask = calloc(w * h, 1);
 *     vision_rect box;
 *     vision_face_mask(landmarks, w, h, mask, &box);   // 0..255, 0 outside box
 *     double seam = vision_seam_score(result, mask, box);
 *
 * The mask is the convex hull of the jaw (0-16) and the brows (17-26) lifted
 * towards the forehead by a fifth of the brow-to-chin height, less the inside
 * of the mouth (60-67) so the footage's own teeth and tongue stay.  It rises
 * from 0 at the hull to 255 over a band a twelfth of the face's width wide
 * (distance to the hull's edges), and falls to 0 inside the mouth over a band
 * of a third of that.  The mouth's hole closes again as it nears that rising
 * band, so that two full pixels always part them: the hole never joins the
 * outside (vision_mask_fill_holes always finds it), however near the jaw the
 * mouth of a turned face comes.
 */
#pragma once

#include <stdint.h>

#include "base/threads.h"
#include "vision/tone.h"

/* Writes the mask for one face into mask (w x h bytes; only pixels inside *box
 * are written, the caller zeroes the rest).  *box gets the hull's bounding
 * rectangle grown by 2 pixels, clipped to the image (possibly empty). */
void vision_face_mask(const float *landmarks, int w, int h, uint8_t *mask, vision_rect *box);

/* The same with each brow point 17 + k lifted by lifts[k] (0..1, clamped)
 * times the full lift: a forehead that meets hair lower down is kept below
 * it, so the clone does not pull the hair's dark into the face. */
void vision_face_mask_lifted(const float *landmarks, const float lifts[10], int w, int h, uint8_t *mask,
                             vision_rect *box);

/* The same over pool's threads (NULL: on the caller), the same bytes. */
void vision_face_mask_lifted_on(bj_pool *pool, const float *landmarks, const float lifts[10], int w, int h,
                                uint8_t *mask, vision_rect *box);

/* The same writing into guide (laid out as mask) the clone's guidance
 * weights (vision_skin_clone_guided_on): the mask, except that along the
 * jaw's edges (between two of points 0-16) it rises more steeply over the
 * feather, so the star's gradient there is taken only in the feather's inner
 * part and the footage's in its outer: the star's own jaw shading (the
 * shadow under its chin, its photo's background) fell inside the feather and
 * showed as a second jawline. */
void vision_face_mask_guided_on(bj_pool *pool, const float *landmarks, const float lifts[10], int w, int h,
                                uint8_t *mask, uint8_t *guide, vision_rect *box);

/* The full lift in pixels: a fifth of the brow-to-chin height. */
float vision_face_mask_lift(const float *landmarks);

/* whole = m (w x h, row-major) with its holes filled: every pixel below 255
 * that no 4-connected path of such pixels joins to the border becomes 255,
 * the rest is copied.  The face mask's mouth is such a hole (unless it
 * reaches the feathered rim). */
void vision_mask_fill_holes(const uint8_t *m, int w, int h, uint8_t *whole);

/* Mean gradient magnitude (luma, central differences) on the mask's edge -
 * pixels >= 128 with a 4-neighbour below 128 - over the mean inside the mask
 * (>= 128), within box.  About 1 when nothing marks the edge; a visible seam
 * raises it.  0 when either set is empty. */
double vision_seam_score(const media_image *img, const uint8_t *mask, vision_rect box);
