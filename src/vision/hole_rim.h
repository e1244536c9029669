#ifndef BJ_VISION_HOLE_RIM_H
#define BJ_VISION_HOLE_RIM_H

#include <stdint.h>
#include "base/threads.h"
#include "media/image.h"

/* Moves the clone c towards the footage d around the mask's holes (the open
 * mouth): the mean difference d - c over the hole's feathered rim (where the
 * holed mask m is between 0 and 255 and the filled one, whole, is 255), taken
 * over squares of the given radius, is added to c: share of it on the rim
 * and near it, fading to nothing a radius away.  c, d, m and whole are all w x h
 * (d may be a view into a bigger frame); nothing changes without a hole.
 * The same bytes on any number of threads (pool may be NULL). */
void vision_hole_rim_match(bj_pool *pool, media_image *c, const media_image *d, const uint8_t *m,
                           const uint8_t *whole, int radius, float share);

#endif
