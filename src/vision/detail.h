/*
 * detail.h - a face's detail split into scale bands, to measure how much of
 * each it carries and scale each band: so a pasted face gets as much
 * mid-scale and coarse detail as the face it covers, no more and no less.
 *
 *     vision_detail *d = vision_detail_new();
 *     double want[VISION_DETAIL_BANDS], have[VISION_DETAIL_BANDS], gain[VISION_DETAIL_BANDS];
 *     vision_detail_split_on(pool, d, frame, mask, box, want);    // the footage's face
 *     vision_detail_split_on(pool, d, star, mask, box, have);     // the pasted one
 *     for (int k = 0; k < VISION_DETAIL_BANDS; k++)
 *             gain[k] = want[k] / have[k];
 *     vision_detail_scale_on(pool, d, star, gain);                // the last split's bands
 *     vision_detail_free(d);
 *
 * The bands are differences of Gaussians of the luma (0.299 R + 0.587 G +
 * 0.114 B) over the box, samples clamped to it: mid, between Gaussians of
 * VISION_DETAIL_SIGMA (1.5) and VISION_BAND_SIGMA (3.5) pixels (a furrowed
 * brow, the rim of an eyelid, a lip's edge); coarse, between 3.5 and
 * VISION_COARSE_SIGMA (8) pixels (eye sockets, brows, the shadow under the
 * nose).  The finest detail (grain, pores) is left to the grain and
 * sharpness match of tone.h.  Bands are Gaussian differences, not a
 * decimated pyramid, so they move with the face without aliasing (the 8
 * pixel Gaussian alone is taken on every other pixel of the 3.5 pixel one,
 * which has nothing left at that rate).  The work runs in fixed bands of
 * rows over the pool (vision/bands.h): the same bytes on any number of
 * threads.
 */
#pragma once

#include <stdint.h>

#include "base/threads.h"
#include "media/image.h"
#include "vision/tone.h"

#define VISION_DETAIL_BANDS 2    /* mid, coarse */
#define VISION_BAND_SIGMA 3.5
#define VISION_COARSE_SIGMA 8.0

typedef struct vision_detail vision_detail;

vision_detail *vision_detail_new(void);
void vision_detail_free(vision_detail *d);

/* Splits img's luma over box (clipped to img) into the bands, kept in d
 * for vision_detail_scale_on, and sets energy[k] to band k's mean absolute
 * value (grey levels) over the pixels of box where mask (one byte per pixel
 * of img) is 128 or more; 0 with no such pixel.  d's buffers grow to the
 * largest box split so far. */
void vision_detail_split_on(bj_pool *pool, vision_detail *d, const media_image *img, const uint8_t *mask,
                            vision_rect box, double energy[VISION_DETAIL_BANDS]);

/* vision_detail_split_on, with energy over the pixels of mask that skin (one
 * byte per pixel of img, read inside box; vision_skin_mask) leaves out, the
 * features, and energy_skin (NULL: not wanted) over those it marks (128 or
 * more) as bare skin; d keeps skin (unchanged until then) for
 * vision_detail_scale_skin_on.  skin NULL: all is features. */
void vision_detail_split_skin_on(bj_pool *pool, vision_detail *d, const media_image *img, const uint8_t *mask,
                                 const uint8_t *skin, vision_rect box, double energy[VISION_DETAIL_BANDS],
                                 double energy_skin[VISION_DETAIL_BANDS]);

/* Adds (gain[k] - 1) times band k of d's last split to R, G and B of img
 * over that split's box (img of the split image's size; clamped to 0..255):
 * gain 1 leaves a band as it is, 0 takes it out, 2 doubles it. */
void vision_detail_scale_on(bj_pool *pool, const vision_detail *d, media_image *img,
                            const double gain[VISION_DETAIL_BANDS]);

/* vision_detail_scale_on with gain on the features and gain_skin on the bare
 * skin of the last split (vision_detail_split_skin_on), turning from one to
 * the other over about 7 pixels (the skin mask blurred like the coarse
 * band); the last split without skin: gain everywhere. */
void vision_detail_scale_skin_on(bj_pool *pool, const vision_detail *d, media_image *img,
                                 const double gain[VISION_DETAIL_BANDS], const double gain_skin[VISION_DETAIL_BANDS]);
