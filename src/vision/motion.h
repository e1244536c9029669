/*
 * motion.h - how a region of the picture moved between two frames: the
 * similarity (shift, scale, turn) that best carries the earlier frame's grey
 * levels inside the region onto the later frame's, fitted by Gauss-Newton
 * (Lucas and Kanade 1981) at half and then full resolution, with Huber weights
 * so that a part moving on its own (a speaking mouth, a blink) does not pull it.
 *
 *     vision_similarity m;                       // prev picture -> cur picture
 *     vision_similarity_fit(prev_pts, cur_pts, 68, &m);   // a first guess
 *     if (vision_region_motion(prev, cur, upper_face, &m) == 1)
 *         ... m is the region's motion, to a few hundredths of a pixel
 *
 * Why: fitted landmarks tremble by a few per cent of the eye span from frame
 * to frame, and smoothing them enough to hold a still face makes the face
 * lag and then creep after the head has stopped; the picture itself says
 * how far the head moved, and says 0 for a head that did not.
 */
#pragma once

#include "base/threads.h"
#include "media/image.h"
#include "vision/align.h"
#include "vision/tone.h"

/* Refines *m (in: a guess within a few pixels; out: the motion) of region r of
 * prev (RGB, r inside it, at least 8 x 8) into cur (RGB, same size).  Returns 1
 * when the fit converged near the guess, 0 (m unchanged) when it did not: too
 * little texture, the region left the picture, or the result is more than a
 * tenth of the region's size from the guess. */
int vision_region_motion(const media_image *prev, const media_image *cur, vision_rect r, vision_similarity *m);

/* vision_region_motion with the fit's sums shared out over pool (NULL: the
 * calling thread); the same result whatever the pool's size. */
int vision_region_motion_on(bj_pool *pool, const media_image *prev, const media_image *cur, vision_rect r,
                            vision_similarity *m);
