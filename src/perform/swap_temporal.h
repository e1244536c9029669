/*
 * swap_temporal.h - the swap's correction (swapped frame minus footage frame)
 * blended over time along the face's motion, as a video denoiser blends
 * pixels: the last frame's correction is carried to where the face is now and
 * mixed into this frame's wherever the two agree; where they differ a lot (a
 * mouth opening, an eye blinking, the face arriving) this frame's is taken as
 * it is, so nothing ghosts or lags.
 *
 *     perform_temporal *t = perform_temporal_new();
 *     for each swapped frame of a face:
 *         perform_temporal_apply(t, swapped, footage, box, pts68, &moved);  // moved may be NULL
 *     perform_temporal_reset(t);   // the face was lost, or the shot changed
 *     perform_temporal_free(t);
 *
 * Why: the swapped face is made anew every frame (warp, relight, grain, clone)
 * and each step trembles a little from frame to frame on its own; that tremor
 * is flicker the footage does not have.  Only the correction is filtered, so
 * the footage's own change (its grain, its light, its motion) passes through
 * untouched, and it is carried along the face's motion (how the picture moved
 * under it, vision/motion.h, or else a similarity fitted on the landmarks that
 * do not speak), so a moving head does not trail.  Carried along the picture's
 * motion rather than the swap's own landmarks, the landmarks' tremor is not
 * carried but filtered out.
 *
 * Measured (scores.sh of issue 8, README's swap section): flicker on
 * grid_brbk7n 1.290 -> 1.02, grid_sbwe5n 1.251 -> 1.06, face_2 1.200 -> 1.15;
 * a weight of 0.9 or a threshold of 100 gained nothing more (what is left is
 * the star's detail moving with the head, not tremor).  Later, with the
 * landmarks steadier and the clone's mouth hole out of its solve, the
 * threshold came down from 60 to 12 grey levels: the correction also holds
 * the footage's grain and lip motion under the face with its sign turned,
 * and blending it in gave them back (grid_sbwe5n 0.86 -> 0.69,
 * videoretalking_face_1 0.99 -> 0.95; swap_temporal.c).
 */
#pragma once

#include "base/threads.h"
#include "media/image.h"
#include "vision/align.h"
#include "vision/tone.h"

typedef struct perform_temporal perform_temporal;

/* A new filter with nothing carried; free with perform_temporal_free. */
perform_temporal *perform_temporal_new(void);

/* Blends the correction swapped - footage inside box (swapped and footage:
 * RGB, same size; box inside them, where they may differ) with the one carried
 * from the last call along moved (the last call's picture to this one's), or
 * when moved is NULL along the motion of the 68 landmarks pts (pixels) since
 * the last call, and writes footage + the blended correction into swapped
 * there.  The first call after a reset passes swapped through and only
 * remembers it. */
void perform_temporal_apply(perform_temporal *t, media_image *swapped, const media_image *footage, vision_rect box,
                            const float *pts, const vision_similarity *moved);

/* The same over pool's threads (NULL: on the caller) in fixed bands of
 * rows: the same bytes. */
void perform_temporal_apply_on(bj_pool *pool, perform_temporal *t, media_image *swapped, const media_image *footage,
                               vision_rect box, const float *pts, const vision_similarity *moved);

/* Forgets the carried correction: the next call starts afresh. */
void perform_temporal_reset(perform_temporal *t);

void perform_temporal_free(perform_temporal *t);
