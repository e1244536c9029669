/*
 * swap_glasses.h - the footage's glasses given back after the swap: a swapped
 * face is the star's skin all over, so an actor's glasses were painted over
 * and their rims showed only as the clone's faint ghosts.  Where the footage
 * face has glasses (vision/glasses.h: rims round both eyes, found on most
 * rays, steadily over the shot), the footage's pixels on the rims and the
 * bridge go back over the swapped frame through a feathered mask; the eyes
 * and brows inside and around them stay the star's.  A face without glasses
 * is left byte for byte as it was.
 *
 *     perform_swap_glasses *g = perform_swap_glasses_new();
 *     for each swapped frame of a face:
 *         perform_swap_glasses_apply(g, swapped, footage, pts68);
 *     perform_swap_glasses_reset(g);   // the face was lost, or the shot changed
 *     perform_swap_glasses_free(g);
 */
#pragma once

#include "media/image.h"

typedef struct perform_swap_glasses perform_swap_glasses;

/* A new finder with nothing seen; free with perform_swap_glasses_free. */
perform_swap_glasses *perform_swap_glasses_new(void);

/* Forgets the face seen so far. */
void perform_swap_glasses_reset(perform_swap_glasses *g);

void perform_swap_glasses_free(perform_swap_glasses *g);

/* Looks for glasses on the footage face with landmarks pts (68 points,
 * pixels) and, if the shot so far says it wears them, blends footage over
 * swapped (both RGB, the same size) on their rims.  Returns 1 when it did, 0
 * when the face has no glasses (swapped untouched). */
int perform_swap_glasses_apply(perform_swap_glasses *g, media_image *swapped, const media_image *footage,
                               const float *pts);
