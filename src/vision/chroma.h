/*
 * chroma.h - the footage face's colourfulness (tone.h's vision_chroma) in the
 * fixed bands of rows of bands.h, for a swap that measures it every frame.
 *
 *     double c = vision_chroma_on(pool, frame, mask, box);   // == vision_chroma(frame, mask)
 *     int grey = c < 4;                                      // black and white footage
 *
 * The pixels' Lab conversions, most of the cost, run in the bands; their
 * a*^2 + b*^2 are then added in row order on the caller, so the result is
 * vision_chroma's bit for bit on any number of threads.
 */
#pragma once

#include <stdint.h>

#include "base/threads.h"
#include "media/image.h"
#include "vision/tone.h"

/* sqrt of the mean a*^2 + b*^2 (CIE Lab) over the pixels of img (RGB) whose
 * mask byte (img's width x height) is 128 or more, looked for only inside
 * box: vision_chroma(img, mask) when the mask is below 128 outside box.  0
 * for no such pixel.  pool may be NULL. */
double vision_chroma_on(bj_pool *pool, const media_image *img, const uint8_t *mask, vision_rect box);
